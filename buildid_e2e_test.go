package consentry_test

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

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

// TestE2EReleaseScreenshots writes the evidence of what a release shows (the CNIL
// recommends keeping screenshots of each version of the consent interface): both layers,
// at 1280×800 and 360×740, in English and French, with the shipped policy, as
// build/screenshots/<build id>/<UTC time>-<layer>-<size>-<lang>.png, next to a copy of
// the build's SHA256SUMS. `make screenshots` runs it.
func TestE2EReleaseScreenshots(t *testing.T) {
	if !screenshotsWanted() {
		t.Skip("set CONSENTRY_SCREENSHOTS=1 to write build/screenshots/<build id>/")
	}
	requireE2E(t)
	t.Parallel()
	stamp := time.Now().UTC().Format("2006-01-02T150405Z")
	// The folder is named after the build id that consentry.js carries; each page checks
	// that Consentry.version says the same.
	script, err := os.ReadFile(filepath.Join(distDir(), distbuild.ScriptName))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`var buildID = "([0-9A-Za-z.+-]+)";`).FindSubmatch(script)
	if m == nil || strings.Contains(string(m[1]), "..") {
		t.Fatalf("no build id in %s", distbuild.ScriptName)
	}
	id := string(m[1])
	dir := filepath.Join("build", "screenshots", id)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	sums, err := os.ReadFile(filepath.Join(distDir(), distbuild.SumsName))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, distbuild.SumsName), sums, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, size := range []struct{ w, h int64 }{{1280, 800}, {360, 740}} {
		for _, lang := range []string{"en", "fr"} {
			name := fmt.Sprintf("%dx%d-%s", size.w, size.h, lang)
			t.Run(name, func(t *testing.T) {
				p := newPage(t)
				p.setViewport(size.w, size.h)
				p.mustOpen(a11yPage("lang", lang))
				if v := evalJS[string](p, `Consentry.version`); v != id {
					t.Fatalf("Consentry.version = %q, consentry.js says %q", v, id)
				}
				shoot := func(layer string) {
					png, err := chromedp.Run(p.ctx, chromedp.CaptureScreenshot())
					if err != nil {
						t.Fatalf("screenshot: %v", err)
					}
					path := filepath.Join(dir, stamp+"-"+layer+"-"+name+".png")
					if err := os.WriteFile(path, png, 0o644); err != nil {
						t.Fatal(err)
					}
					t.Logf("wrote %s", path)
				}
				p.expectVisible(selBanner, "banner")
				time.Sleep(300 * time.Millisecond) // transitions
				shoot("banner")
				p.do(`Consentry.showPreferences()`)
				p.expectVisible(selPreferences, "preferences dialog")
				time.Sleep(300 * time.Millisecond)
				shoot("preferences")
			})
		}
	}
}
