package consentry_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/consentry/consentry/internal/distbuild"
	"github.com/consentry/consentry/widget"
)

// TestE2EBuildID: Consentry.version, defined as soon as consentry.js runs, and the
// version in consentry:ready's detail both equal the build id of the served build
// (CONTRACT.md §10 "widget"; the CNIL's proof of each version): distbuild.BuildID of the
// glue, the loader template and the served wasm, which is what `consentry dist` prints
// (TestDistPrintsBuildID). The served SHA256SUMS matches the served files.
func TestE2EBuildID(t *testing.T) {
	requireE2E(t)
	if os.Getenv("CONSENTRY_DIST") != "" {
		t.Skip("CONSENTRY_DIST may name a folder built from other sources than this tree's")
	}
	wasmName, err := distWasmName()
	if err != nil {
		t.Fatal(err)
	}
	var parts [3][]byte
	for i, name := range []string{"wasm_exec.js", filepath.Join("web", "loader.js"), filepath.Join(distDir(), wasmName)} {
		if parts[i], err = os.ReadFile(name); err != nil {
			t.Fatal(err)
		}
	}
	printed := distbuild.BuildID(distbuild.Version, parts[0], parts[1], parts[2])

	p := newPage(t)
	if got := p.open("/"); got != "resolved" {
		t.Fatalf("Consentry.ready %s", got)
	}
	if v := evalJS[string](p, `Consentry.version`); v != printed {
		t.Errorf("Consentry.version = %q, want the printed build id %q", v, printed)
	}
	ready := p.events(widget.EventReady)
	if len(ready) != 1 {
		t.Fatalf("%d %s events", len(ready), widget.EventReady)
	}
	var detail struct{ Version string }
	if err := json.Unmarshal(ready[0].Detail, &detail); err != nil || detail.Version != printed {
		t.Errorf("%s detail = %s, want {\"version\": %q}", widget.EventReady, ready[0].Detail, printed)
	}
	if writable := evalJS[bool](p, `(() => { try { Consentry.version = 'x'; } catch (e) {} return Consentry.version === 'x'; })()`); writable {
		t.Error("a page can overwrite Consentry.version")
	}

	// The served folder's checksums are those of its files.
	sums, err := os.ReadFile(filepath.Join(distDir(), distbuild.SumsName))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("sha256sum", "-c", "--strict", "--quiet", distbuild.SumsName)
	cmd.Dir = distDir()
	if res, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("sha256sum -c in %s: %v\n%s\n%s", distDir(), err, res, sums)
	}
	p.expectClean()
}
