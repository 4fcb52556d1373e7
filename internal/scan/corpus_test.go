package scan

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/consentry/consentry/internal/devserver"
	"github.com/consentry/consentry/widget"
)

// The corpus: fixture sites on loopback, each scanned in four phases by one shared
// Chromium. The "violations" site holds one seeded breach of every rule of CONTRACT.md
// §12; "clean", "othertool" (another consent tool, driven by -accept/-reject) and the demo
// (web/demo with dist/, as `make run` serves it) must yield no error and no warning.
// The third party is a second server reached as "localhost", another host than 127.0.0.1.

// repoRoot is the repository root, where dist/ and web/demo are.
var repoRoot = filepath.Join("..", "..")

// seeded is one breach planted in the violations site, and how the scanner must report it.
type seeded struct {
	what     string
	rule     string
	phase    string
	evidence func(Evidence) bool
}

func evidenceName(kind, name string) func(Evidence) bool {
	return func(e Evidence) bool { return e.Kind == kind && e.Name == name }
}

func evidenceURL(substr string) func(Evidence) bool {
	return func(e Evidence) bool { return strings.Contains(e.URL, substr) }
}

var seededViolations = []seeded{
	{"a gated tag left in the page ungated", RuleGatedRanBeforeConsent, PhaseInitial, evidenceURL("/tag.js")},
	{"a pixel before consent", RuleRequestBeforeConsent, PhaseInitial, evidenceURL("/pixel.gif")},
	{"a tracker that survives Reject all", RuleRejectNotHonoured, PhaseReject, evidenceURL("/collect?after-choice")},
	{"a cookie not deleted on withdrawal (HttpOnly)", RuleWithdrawNotHonoured, PhaseWithdraw, evidenceName("cookie", "_hit_id")},
	{"an undeclared cookie", RuleUndeclaredCookie, PhaseAccept, func(e Evidence) bool { return e.Name == "_ga" && e.Suggests == "statistics" }},
	{"an over-long lifetime", RuleExpiryOverDeclared, PhaseAccept, evidenceName("cookie", "_pk_id.1")},
	{"a banner without refusal on its first layer", RuleBannerMissing, PhaseInitial, func(e Evidence) bool { return e.Kind == "banner" }},
	{"a localStorage entry before consent", RuleStorageBeforeConsent, PhaseInitial, evidenceName("storage", "ab_bucket")},
	{"a third-party iframe setting cookies", RuleCookieBeforeConsent, PhaseInitial, func(e Evidence) bool {
		return e.Kind == "cookie" && strings.HasPrefix(e.Name, "tp_") && e.Domain == "localhost"
	}},
	{"a third-party iframe loaded before consent", RuleRequestBeforeConsent, PhaseInitial, evidenceURL("/frame.html")},
}

// seededNoBanner are the breaches of the "nobanner" site, which has no consent tool at all.
var seededNoBanner = []seeded{
	{"no banner at all", RuleBannerMissing, PhaseInitial, func(e Evidence) bool { return e.Kind == "banner" && e.Detail == "no #consentry-root" }},
	{"a cookie set before consent, by an inline script", RuleCookieBeforeConsent, PhaseInitial, func(e Evidence) bool {
		return e.Name == "_ga" && strings.HasPrefix(e.SetBy, "document.cookie in http://127.0.0.1:")
	}},
	{"a pixel before consent", RuleRequestBeforeConsent, PhaseInitial, evidenceURL("/pixel.gif?site=nobanner")},
}

// corpus is built once: scanning is the slow part, and the tests below read its reports.
var corpus struct {
	once    sync.Once
	err     error
	reports map[string]*Report
	timing  map[string]time.Duration
	policy  map[string]string // site → the -policy file given
}

// siteHandler serves a fixture folder with {{THIRD}} replaced by the third party's origin,
// dist/ under /consentry/, the widget's policy (scan-policy.json without the 1.1 keys
// this build's widget may not know yet) and the statistics hit that sets an HttpOnly
// cookie.
func siteHandler(t testing.TB, dir, third string) http.Handler {
	mux := http.NewServeMux()
	dist := devserver.Handler(filepath.Join(repoRoot, "dist"), filepath.Join(repoRoot, "web", "demo"))
	mux.Handle("/consentry/", dist)
	mux.HandleFunc("/policy.json", func(w http.ResponseWriter, r *http.Request) {
		data, err := os.ReadFile(filepath.Join(dir, "scan-policy.json"))
		if err == nil {
			data, err = stripLaterKeys(data)
		}
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(data)
	})
	mux.HandleFunc("/stats/hit", func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "_hit_id", Value: "h1", Path: "/", MaxAge: 3600, HttpOnly: true, SameSite: http.SameSiteLaxMode})
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/")
		if name == "" {
			name = "index.html"
		}
		if strings.Contains(name, "..") || strings.HasSuffix(name, ".json") {
			http.NotFound(w, r)
			return
		}
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		switch filepath.Ext(name) {
		case ".html":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
		case ".js":
			w.Header().Set("Content-Type", "text/javascript")
		}
		w.Header().Set("Cache-Control", "no-store")
		w.Write(bytes.ReplaceAll(data, []byte("{{THIRD}}"), []byte(third)))
	})
	return mux
}

// thirdPartyHandler is the third party: a pixel, a collector and an iframe that sets
// cookies (partitioned, as third-party cookies must be in today's Chromium).
func thirdPartyHandler() http.Handler {
	mux := http.NewServeMux()
	gif := []byte("GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")
	pixel := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/gif")
		w.Header().Set("Cache-Control", "no-store")
		w.Write(gif)
	}
	mux.HandleFunc("/pixel.gif", pixel)
	mux.HandleFunc("/collect", pixel)
	mux.HandleFunc("/frame.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Set-Cookie", "tp_uid=u1; Path=/; Max-Age=86400; SameSite=None; Secure; Partitioned")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		http.ServeFile(w, r, filepath.Join("testdata", "sites", "thirdparty", "frame.html"))
	})
	return mux
}

// requireChromium skips without a browser outside CI, and makes sure dist/ exists.
func requireChromium(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(DefaultChromium); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("the scanner's tests need Chromium: %v (run `make deps`)", err)
		}
		t.Skipf("the scanner's tests need Chromium: %v (run `make deps`)", err)
	}
	if _, err := os.Stat(filepath.Join(repoRoot, "dist", "consentry.js")); err != nil {
		cmd := exec.Command("make", "-s", "dist")
		cmd.Dir = repoRoot
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("make -s dist: %v\n%s", err, out)
		}
	}
}

// scanCorpus scans every site of the corpus once, concurrently, in one browser.
func scanCorpus(t *testing.T) {
	t.Helper()
	requireChromium(t)
	corpus.once.Do(func() {
		corpus.reports, corpus.timing, corpus.policy = map[string]*Report{}, map[string]time.Duration{}, map[string]string{}
		b, err := StartBrowser("")
		if err != nil {
			corpus.err = err
			return
		}
		defer b.Close()
		third := httptest.NewServer(thirdPartyHandler())
		defer third.Close()
		thirdOrigin := strings.Replace(third.URL, "127.0.0.1", "localhost", 1)
		type site struct {
			name    string
			handler http.Handler
			opts    Options
		}
		dir := func(n string) string { return filepath.Join("testdata", "sites", n) }
		sites := []site{
			{"violations", siteHandler(t, dir("violations"), thirdOrigin), Options{Policy: filepath.Join(dir("violations"), "scan-policy.json")}},
			{"clean", siteHandler(t, dir("clean"), thirdOrigin), Options{Policy: filepath.Join(dir("clean"), "scan-policy.json")}},
			{"othertool", siteHandler(t, dir("othertool"), thirdOrigin), Options{Policy: filepath.Join(dir("othertool"), "scan-policy.json"), Accept: "#agree", Reject: "#refuse"}},
			{"nobanner", siteHandler(t, dir("nobanner"), thirdOrigin), Options{}},
			{"demo", devserver.Handler(filepath.Join(repoRoot, "dist"), filepath.Join(repoRoot, "web", "demo")), Options{Pages: 1}},
		}
		var mu sync.Mutex
		var wg sync.WaitGroup
		var errs []error
		// Two sites at a time (eight tabs): on a shared 2-core machine more only makes each
		// phase slower, not the corpus faster.
		slots := make(chan struct{}, 2)
		for _, s := range sites {
			srv := httptest.NewServer(s.handler)
			defer srv.Close()
			o := s.opts
			o.URL, o.Browser, o.Screenshots = srv.URL+"/", b, true
			o.PhaseTimeout = 3 * time.Minute // generous: the machine may be shared
			if o.Pages == 0 {
				o.Pages = 3
			}
			wg.Go(func() {
				slots <- struct{}{}
				defer func() { <-slots }()
				t0 := time.Now()
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
				defer cancel()
				r, err := Run(ctx, o)
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					errs = append(errs, fmt.Errorf("%s: %w", s.name, err))
					return
				}
				corpus.reports[s.name], corpus.timing[s.name], corpus.policy[s.name] = r, time.Since(t0), o.Policy
			})
		}
		wg.Wait()
		if len(errs) > 0 {
			corpus.err = fmt.Errorf("%v", errs)
		}
	})
	if corpus.err != nil {
		t.Fatal(corpus.err)
	}
}

// TestScanCorpus checks recall on the seeded violations and false positives on the clean
// sites and the demo, and prints both as numbers.
func TestScanCorpus(t *testing.T) {
	scanCorpus(t)
	v := corpus.reports["violations"]
	found, total := 0, 0
	for site, list := range map[string][]seeded{"violations": seededViolations, "nobanner": seededNoBanner} {
		r := corpus.reports[site]
		for _, s := range list {
			total++
			ok := false
			for _, f := range r.Findings {
				if f.Rule == s.rule && f.Phase == s.phase && s.evidence(f.Evidence) {
					ok = true
					break
				}
			}
			if assert.True(t, ok, "%s: seeded %s: want %s in phase %s", site, s.what, s.rule, s.phase) {
				found++
			}
		}
	}
	for _, ph := range corpus.reports["nobanner"].Phases {
		if ph.ID != PhaseInitial {
			assert.NotEmpty(t, ph.Skipped, "nobanner: phase %s has nothing to choose with", ph.ID)
		}
	}
	falsePositives := 0
	for _, name := range []string{"clean", "othertool", "demo"} {
		r := corpus.reports[name]
		for _, f := range r.Findings {
			if f.Severity >= Warning {
				falsePositives++
				t.Errorf("%s: false positive: %s [%s] %s", name, f.Rule, f.Phase, f.Message)
			}
		}
	}
	t.Logf("recall: %d/%d seeded violations found (%.0f%%); false positives (errors or warnings on clean sites and the demo): %d",
		found, total, 100*float64(found)/float64(total), falsePositives)
	for name, d := range corpus.timing {
		t.Logf("scan of %s: %.1fs", name, d.Seconds())
	}
	if t.Failed() {
		out, _ := json.MarshalIndent(v.Findings, "", "  ")
		t.Logf("violations findings:\n%s", out)
	}
}

// TestScanReportFormats writes the violations report in every format: the JSON has the
// top-level shape of CONTRACT.md §12, the SARIF validates against the SARIF 2.1.0 schema
// (vendored from github.com/oasis-tcs/sarif-spec) with locations in policy.json, the JUnit
// parses as JUnit XML with one test case per phase × rule, the HTML embeds a screenshot
// per phase.
func TestScanReportFormats(t *testing.T) {
	scanCorpus(t)
	v := corpus.reports["violations"]

	var js bytes.Buffer
	require.NoError(t, v.WriteJSON(&js))
	var top map[string]any
	require.NoError(t, json.Unmarshal(js.Bytes(), &top))
	assert.Equal(t, "consentry-scan/1", top["format"])
	phases, _ := top["phases"].([]any)
	require.Len(t, phases, 4)
	for i, id := range PhaseIDs {
		assert.Equal(t, id, phases[i].(map[string]any)["id"])
	}
	for _, f := range top["findings"].([]any) {
		m := f.(map[string]any)
		for _, k := range []string{"rule", "severity", "phase", "message", "evidence"} {
			assert.Contains(t, m, k)
		}
	}

	// The JSON report validates against its documented schema.
	rc := jsonschema.NewCompiler()
	reportSchema, err := jsonschema.UnmarshalJSON(mustOpen(t, filepath.Join(repoRoot, "docs", "scan-report.schema.json")))
	require.NoError(t, err)
	require.NoError(t, rc.AddResource("scan-report.schema.json", reportSchema))
	rsch, err := rc.Compile("scan-report.schema.json")
	require.NoError(t, err)
	for name, r := range corpus.reports {
		var buf bytes.Buffer
		require.NoError(t, r.WriteJSON(&buf))
		doc, err := jsonschema.UnmarshalJSON(&buf)
		require.NoError(t, err)
		assert.NoError(t, rsch.Validate(doc), "the %s report against docs/scan-report.schema.json", name)
	}

	var sarif bytes.Buffer
	require.NoError(t, v.WriteSARIF(&sarif))
	c := jsonschema.NewCompiler()
	schemaDoc, err := jsonschema.UnmarshalJSON(mustOpen(t, filepath.Join("testdata", "sarif-schema-2.1.0.json")))
	require.NoError(t, err)
	require.NoError(t, c.AddResource("sarif-schema-2.1.0.json", schemaDoc))
	sch, err := c.Compile("sarif-schema-2.1.0.json")
	require.NoError(t, err)
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(sarif.Bytes()))
	require.NoError(t, err)
	require.NoError(t, sch.Validate(inst), "SARIF output against the SARIF 2.1.0 schema")
	// The over-long lifetime points at its declaration's expiresAfterDays in the file.
	assert.Contains(t, sarif.String(), `"uri": "`+corpus.policy["violations"]+`"`)
	assert.Contains(t, sarif.String(), `"policyPointer": "/categories/1/cookies/0/expiresAfterDays"`)
	line, _, err := pointerPosition(v.policyText, "/categories/1/cookies/0/expiresAfterDays")
	require.NoError(t, err)
	assert.Equal(t, 21, line, "the line of _pk_id's declaration in scan-policy.json")

	var junit bytes.Buffer
	require.NoError(t, v.WriteJUnit(&junit))
	var suites struct {
		Suites []struct {
			Name  string `xml:"name,attr"`
			Cases []struct {
				Name    string    `xml:"name,attr"`
				Failure *struct{} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	require.NoError(t, xml.Unmarshal(junit.Bytes(), &suites))
	require.Len(t, suites.Suites, 4)
	failed := map[string]bool{}
	for _, s := range suites.Suites {
		assert.Len(t, s.Cases, len(Rules), "one test case per rule in phase %s", s.Name)
		for _, c := range s.Cases {
			if c.Failure != nil {
				failed[s.Name+"/"+c.Name] = true
			}
		}
	}
	for _, s := range seededViolations {
		assert.True(t, failed[s.phase+"/"+s.rule], "JUnit case %s/%s fails", s.phase, s.rule)
	}

	var page bytes.Buffer
	require.NoError(t, v.WriteHTML(&page))
	assert.Equal(t, 4, strings.Count(page.String(), `src="data:image/png;base64,`), "one screenshot per phase")
	if dir := os.Getenv("CONSENTRY_SCAN_REPORT_DIR"); dir != "" {
		os.WriteFile(filepath.Join(dir, "violations.html"), page.Bytes(), 0o644)
	}
}

// TestScanDraftPolicy checks that the draft policy of the demo is valid and declares every
// cookie the demo set.
func TestScanDraftPolicy(t *testing.T) {
	scanCorpus(t)
	demo := corpus.reports["demo"]
	data, err := demo.DraftPolicy()
	require.NoError(t, err)
	p, err := widget.ParsePolicy(data)
	require.NoError(t, err, "%s", data)
	pol, err := parsePolicy(data)
	require.NoError(t, err)
	n := 0
	for _, ph := range demo.Phases {
		for _, c := range ph.Cookies {
			n++
			d, _ := pol.matchCookie(c.Name)
			assert.NotNil(t, d, "the draft declares %s", c.Name)
		}
	}
	assert.Positive(t, n, "the demo sets cookies")
	assert.NotNil(t, p.Category("statistics"), "the demo's _pk_ cookies are suggested as statistics")
}

// mustOpen opens a file for reading.
func mustOpen(t *testing.T, name string) io.Reader {
	t.Helper()
	f, err := os.Open(name)
	require.NoError(t, err)
	t.Cleanup(func() { f.Close() })
	return f
}
