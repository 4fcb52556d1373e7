package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/consentry/consentry/internal/distbuild"
)

func TestRunCommandLine(t *testing.T) {
	tests := []struct {
		desc   string
		args   []string
		status int
		stderr string
	}{
		{"no command prints the usage", nil, 2, "usage: consentry <command>"},
		{"help is not an error", []string{"help"}, 0, "commands:"},
		{"an unknown command is a usage error", []string{"deploy"}, 2, `unknown command "deploy"`},
		{"an unknown flag is a usage error", []string{"dist", "-x"}, 2, "flag provided but not defined: -x"},
		{"positional arguments are refused", []string{"size", "dist"}, 2, `unexpected argument "dist"`},
		{"a command's -h is not an error", []string{"serve", "-h"}, 0, "-addr address"},
		{"a missing wasm fails the dist step", []string{"dist", "-o", t.TempDir(), "-wasm", "no/such.wasm"}, 1, "no such file"},
		{"size needs a dist folder", []string{"size", "-dist", "no/such/dist"}, 1, "run `make dist` first"},
		{"serve reports an address it cannot listen on", []string{"serve", "-addr", "127.0.0.1:99999"}, 1, "consentry serve:"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			assert.Equal(t, tt.status, run(tt.args, &stdout, &stderr))
			assert.Contains(t, stderr.String(), tt.stderr)
		})
	}
}

// TestSizeTable checks the ablation table's rows: the three served files, their total,
// and for each baseline its own sizes and the widget's difference, with a sign.
func TestSizeTable(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) string {
		name = filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(name, []byte(data), 0o644))
		return name
	}
	wasm := "\x00asm\x01\x00\x00\x00" + strings.Repeat("widget code ", 500)
	dist := filepath.Join(dir, "dist")
	_, err := distbuild.Build(dist, distbuild.Inputs{
		WasmExec: write("wasm_exec.js", "// glue\n"),
		Loader:   write("loader.js", "load('__CONSENTRY_WASM__')\n"),
		Policy:   write("policy.json", `{"revision": 1}`),
		Wasm:     write("built.wasm", wasm),
	})
	require.NoError(t, err)
	floor := write("floor.wasm", "\x00asm\x01\x00\x00\x00")

	var stdout, stderr bytes.Buffer
	require.Equal(t, 0, run([]string{"size", "-dist", dist, "-baseline", floor}, &stdout, &stderr), stderr.String())
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	require.Len(t, lines, 7, stdout.String())
	want := []string{
		`^file +bytes +gzip +brotli$`,
		`^consentry\.js +\d+ +\d+ +\d+$`,
		`^consentry\.[0-9a-f]{10}\.wasm +` + strconv.Itoa(len(wasm)) + ` +\d+ +\d+$`,
		`^policy\.json +15 +\d+ +\d+$`,
		`^first visit \(all three\) +\d+ +\d+ +\d+$`,
		`^floor\.wasm \(baseline\) +8 +\d+ +\d+$`,
		`^widget wasm − floor +\+` + strconv.Itoa(len(wasm)-8) + ` +\+\d+ +\+\d+$`,
	}
	for i, re := range want {
		assert.Regexp(t, regexp.MustCompile(re), strings.TrimSpace(lines[i]))
	}
}
