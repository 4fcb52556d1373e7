//go:build screenshots

package consentry_test

// Screenshots of both layers for people to look at, and the release evidence: not tests
// (they assert nothing about the widget), so they are built only with the screenshots tag,
// which `make screenshots` sets:
//
//	go test -tags screenshots -count=1 -run '^TestScreenshots' -v .
//
// They reuse the end-to-end harness (the shared browser, the fixture pages) and write
// PNGs to build/screenshots/.

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/consentry/consentry/internal/distbuild"
	"github.com/consentry/consentry/widget"
)

// TestScreenshotsWidget writes PNGs of the banner and the dialog at a desktop and a phone
// size to build/screenshots, for humans. It asserts nothing else.
func TestScreenshotsWidget(t *testing.T) {
	requireE2E(t)
	t.Parallel()
	for _, size := range []struct{ w, h int64 }{{1280, 800}, {360, 740}} {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) {
			p := newPage(t)
			p.setViewport(size.w, size.h)
			p.mustOpen("/")
			p.expectVisible(selBanner, "banner")
			p.waitAnimations()
			p.saveScreenshot(fmt.Sprintf("banner-%dx%d", size.w, size.h))
			p.do(`Consentry.showPreferences()`)
			p.expectVisible(selPreferences, "preferences dialog")
			p.waitAnimations()
			p.saveScreenshot(fmt.Sprintf("preferences-%dx%d", size.w, size.h))
		})
	}
}

// TestScreenshotsA11y writes PNGs of both layers in light, dark, box, French, Arabic
// and at 320 px to build/screenshots/a11y-*.png, for people to look at.
func TestScreenshotsA11y(t *testing.T) {
	requireE2E(t)
	t.Parallel()
	for _, c := range []struct {
		name   string
		w, h   int64
		scheme string
		params []string
	}{
		{"light-1280", 1280, 800, "light", []string{"lang", "en"}},
		{"dark-1280", 1280, 800, "dark", []string{"lang", "en"}},
		{"light-320", 320, 640, "light", []string{"lang", "en"}},
		{"dark-320-fr", 320, 640, "dark", []string{"lang", "fr"}},
		{"fr-1280", 1280, 800, "light", []string{"lang", "fr"}},
		{"box-1280", 1280, 800, "light", []string{"layout", "box", "variant", "services"}},
		{"box-dark-1280", 1280, 800, "dark", []string{"layout", "box", "lang", "fr"}},
		{"rtl-1280", 1280, 800, "light", []string{"lang", "ar", "variant", "ar"}},
		{"text200-1280", 1280, 800, "light", []string{"lang", "fr"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := newPage(t)
			p.emulateMedia("prefers-color-scheme", c.scheme)
			p.setViewport(c.w, c.h)
			if strings.HasPrefix(c.name, "text200") {
				p.setFontSize(32)
			}
			p.mustOpen(a11yPage(append(c.params, "long", "1")...))
			p.expectVisible(selBanner, "banner")
			p.waitAnimations()
			p.saveScreenshot("a11y-banner-" + c.name)
			p.do(`Consentry.showPreferences()`)
			p.expectVisible(selPreferences, "preferences dialog")
			if slices.Contains(c.params, "services") {
				p.click(serviceSwitchSel("statistics", "analytics"))
			}
			p.do(`document.getElementById('` + widget.RootID + `').shadowRoot.querySelector('details').open = true`)
			p.key(kb.Tab, false)
			p.waitAnimations()
			p.saveScreenshot("a11y-preferences-" + c.name)
		})
	}
}

// TestScreenshotsFirstLayer writes PNGs of both layers with the shipped policy and
// with four optional categories, at 1280×800 and 360×740, for people to look at.
func TestScreenshotsFirstLayer(t *testing.T) {
	requireE2E(t)
	t.Parallel()
	for _, variant := range []string{"default", "purposes"} {
		for _, size := range []struct{ w, h int64 }{{1280, 800}, {360, 740}} {
			for _, lang := range []string{"en", "fr"} {
				name := fmt.Sprintf("%s-%dx%d-%s", variant, size.w, size.h, lang)
				t.Run(name, func(t *testing.T) {
					p := newPage(t)
					p.setViewport(size.w, size.h)
					p.mustOpen(a11yPage("lang", lang, "variant", strings.TrimPrefix(variant, "default")))
					p.expectVisible(selBanner, "banner")
					p.waitAnimations()
					p.saveScreenshot("first-layer-banner-" + name)
					p.do(`Consentry.showPreferences()`)
					p.expectVisible(selPreferences, "preferences dialog")
					p.waitAnimations()
					p.saveScreenshot("first-layer-preferences-" + name)
					if variant == "purposes" { // the storage keys in the videos row's table
						p.openAllDetails()
						// Scroll the dialog's body only, as a visitor's wheel would.
						p.do(`((r) => { const b = r.querySelector('.body'), c = r.querySelector('#consentry-category-videos');
  b.scrollTop += c.getBoundingClientRect().top - b.getBoundingClientRect().top; })(document.getElementById('consentry-root').shadowRoot)`)
						p.waitAnimations()
						p.saveScreenshot("first-layer-tables-" + name)
					}
				})
			}
		}
	}
}

// TestScreenshotsRelease writes the evidence of what a release shows (the CNIL
// recommends keeping screenshots of each version of the consent interface): both layers,
// at 1280×800 and 360×740, in English and French, with the shipped policy, as
// build/screenshots/<build id>/<UTC time>-<layer>-<size>-<lang>.png, next to a copy of
// the build's SHA256SUMS.
func TestScreenshotsRelease(t *testing.T) {
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
				p.waitAnimations()
				shoot("banner")
				p.do(`Consentry.showPreferences()`)
				p.expectVisible(selPreferences, "preferences dialog")
				p.waitAnimations()
				shoot("preferences")
			})
		}
	}
}
