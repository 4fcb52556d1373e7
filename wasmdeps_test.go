package consentry_test

import (
	"slices"
	"strings"
	"testing"
)

// TestSafejsDoesNotImportFmt checks the copy of safejs in third_party/safejs (go.mod
// replaces the module with it): upstream imports fmt only to format a few errors, and fmt
// brings reflect, os and its printing machinery, about 116 KB brotli, into every wasm
// build that imports it. See third_party/safejs/CONSENTRY.md.
func TestSafejsDoesNotImportFmt(t *testing.T) {
	t.Parallel()
	js := []string{"GOOS=js", "GOARCH=wasm"}
	dir := strings.TrimSpace(goList(t, js, "-f", "{{.Dir}}", "github.com/hack-pad/safejs"))
	if !strings.HasSuffix(dir, "third_party/safejs") {
		t.Errorf("github.com/hack-pad/safejs is built from %s, not third_party/safejs: check the replace directive of go.mod", dir)
	}
	deps := strings.Fields(goList(t, js, "-deps", "github.com/hack-pad/safejs"))
	for _, pkg := range []string{"fmt", "reflect", "os"} {
		if slices.Contains(deps, pkg) {
			t.Errorf("GOOS=js GOARCH=wasm go list -deps github.com/hack-pad/safejs contains %s: third_party/safejs must not import fmt", pkg)
		}
	}
}

// TestWasmDoesNotImportFmt keeps fmt, and the reflect and os it brings, out of the whole
// widget build, not only out of safejs: one fmt.Sprintf in wasm/ or widget/ adds them all
// back (75 KB brotli measured on 2026-12-01).
func TestWasmDoesNotImportFmt(t *testing.T) {
	t.Parallel()
	deps := strings.Fields(goList(t, []string{"GOOS=js", "GOARCH=wasm"}, "-deps", "./wasm"))
	for _, pkg := range []string{"fmt", "reflect", "os"} {
		if slices.Contains(deps, pkg) {
			t.Errorf("GOOS=js GOARCH=wasm go list -deps ./wasm contains %s: use strconv and string concatenation in wasm/ and widget/", pkg)
		}
	}
}
