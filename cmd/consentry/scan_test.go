package main

import (
	"bytes"
	"encoding/xml"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/consentry/consentry/internal/devserver"
	"github.com/consentry/consentry/internal/scan"
)

// TestScanCommandLine: usage errors and a scan that cannot run exit 2 (CONTRACT.md §12),
// before any browser starts.
func TestScanCommandLine(t *testing.T) {
	tests := []struct {
		desc   string
		args   []string
		stderr string
	}{
		{"no URL", []string{"scan"}, "usage: consentry scan URL"},
		{"an unknown format", []string{"scan", "http://127.0.0.1:1/", "-format", "pdf"}, `-format "pdf"`},
		{"an unknown severity", []string{"scan", "http://127.0.0.1:1/", "-fail-on", "fatal"}, `severity "fatal"`},
		{"not an http URL", []string{"scan", "file:///etc/passwd"}, "want an absolute http or https URL"},
		{"a site that does not answer", []string{"scan", "http://127.0.0.1:1/"}, "scan could not run"},
		{"-accept without -reject", []string{"scan", "http://127.0.0.1:1/", "-accept", "#a"}, "-accept and -reject go together"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			assert.Equal(t, 2, run(tt.args, &stdout, &stderr))
			assert.Contains(t, stderr.String(), tt.stderr)
		})
	}
}

// TestScanDemoCommand scans the demo through the command line, as `make scan-demo` does:
// a progress line per phase, a JUnit report, a draft policy that `consentry validate`
// accepts, exit status 0 by default and 1 with -fail-on info (the demo's policy declares
// cookies the demo never sets: declared-not-seen notes).
func TestScanDemoCommand(t *testing.T) {
	if _, err := os.Stat(scan.DefaultChromium); err != nil {
		t.Skipf("needs Chromium: %v", err)
	}
	root := filepath.Join("..", "..")
	if _, err := os.Stat(filepath.Join(root, "dist", "consentry.js")); err != nil {
		t.Skipf("needs dist/ (make dist): %v", err)
	}
	srv := httptest.NewServer(devserver.Handler(filepath.Join(root, "dist"), filepath.Join(root, "web", "demo")))
	defer srv.Close()
	dir := t.TempDir()
	report, draft := filepath.Join(dir, "scan.xml"), filepath.Join(dir, "policy.json")
	var stdout, stderr bytes.Buffer
	status := run([]string{"scan", srv.URL + "/", "-pages", "1", "-format", "junit", "-o", report, "-draft-policy", draft, "-fail-on", "info"}, &stdout, &stderr)
	require.Equal(t, 1, status, "stderr:\n%s", stderr.String())
	for _, phase := range scan.PhaseIDs {
		assert.Regexp(t, `(?m)^scan: `+phase+` +2 pages, `, stderr.String(), "a progress line for %s", phase)
	}
	assert.Contains(t, stderr.String(), "0 errors, 0 warnings")
	data, err := os.ReadFile(report)
	require.NoError(t, err)
	var suites struct {
		Suites []struct {
			Cases []struct {
				Name string `xml:"name,attr"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	require.NoError(t, xml.Unmarshal(data, &suites))
	assert.Len(t, suites.Suites, 4)

	stdout.Reset()
	stderr.Reset()
	assert.Equal(t, 0, run([]string{"validate", draft}, &stdout, &stderr), "the draft policy is valid: %s", stdout.String()+stderr.String())
	text, err := os.ReadFile(draft)
	require.NoError(t, err)
	for _, name := range []string{"cookies_preferences", "_pk_id.1", "_pk_ses.1"} {
		assert.True(t, strings.Contains(string(text), `"`+name+`"`), "the draft declares %s", name)
	}
}
