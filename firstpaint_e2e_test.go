package consentry_test

// The first paint built into consentry.js (CONTRACT.md §9): the banner shown before the
// module is ready, the choices made on it then, and the module taking it over. The test
// server holds the WebAssembly module back (fixture.WasmHold) until a test releases it, so
// "before the module is ready" is a state the test controls, not a race it hopes to win.

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/consentry/consentry/internal/devserver"
	"github.com/consentry/consentry/internal/fixture"
	"github.com/consentry/consentry/widget"
)

// held serves /held/<key>/… : dist under consentry/, the pages of testdata/pages/firstpaint
// beside it, with the .wasm held until held.Release(key).
var held fixture.WasmHold

// heldKeys makes each test's key unique.
var heldKeys atomic.Int64

// Content-Security-Policies of the pages csp-strict.html and csp-tt.html: no
// 'unsafe-inline' anywhere, and Trusted Types required for the second.
const (
	strictCSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; " +
		"img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'"
	trustedTypesCSP = strictCSP + "; require-trusted-types-for 'script'; trusted-types consentry"
)

func init() {
	extraRoutes = append(extraRoutes, func(mux *http.ServeMux) {
		site := devserver.Handler(distDir(), filepath.Join("testdata", "pages", "firstpaint"))
		pages := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			switch {
			case strings.HasSuffix(r.URL.Path, "/csp-strict.html"):
				w.Header().Set("Content-Security-Policy", strictCSP)
			case strings.HasSuffix(r.URL.Path, "/csp-tt.html"):
				w.Header().Set("Content-Security-Policy", trustedTypesCSP)
			case strings.HasSuffix(r.URL.Path, "/inline-builtin.html"):
				// The built-in policy inline, with white space around it that does not count.
				policy, err := os.ReadFile(filepath.Join(distDir(), "policy.json"))
				if err != nil {
					http.Error(w, err.Error(), http.StatusInternalServerError)
					return
				}
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				fmt.Fprintf(w, `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Consentry e2e: the built-in policy inline</title>
<script type="application/json" id="consentry-policy">

  %s

</script><script src="consentry/consentry.js" async></script></head>
<body><main><h1>Inline</h1><p>The built-in policy, inline.</p></main></body></html>`, policy)
				return
			}
			site.ServeHTTP(w, r)
		})
		mux.Handle("/held/", http.StripPrefix("/held", fixture.NoStore(held.Handler(pages))))
	})
}

// heldPage returns a new key and the path of name under it; its module waits for
// held.Release(key).
func heldPage(t *testing.T, name string) (key, path string) {
	key = fmt.Sprintf("k%d", heldKeys.Add(1))
	t.Cleanup(func() { held.Release(key) }) // nothing stays held after the test
	return key, "/held/" + key + "/" + name
}

// firstPaintProbe is an init script: window.__fp records whether the module is ready
// (consentry:ready), the number of frames in which a banner was visible, the layout shifts,
// the Content-Security-Policy violations, and the built-in texts ever seen in a banner.
const firstPaintProbe = `(() => {
  if (window.top !== window) return;
  const fp = window.__fp = { ready: false, bannerFrames: 0, texts: [], cls: 0, violations: [], info: [] };
  const info = console.info;
  console.info = function () { fp.info.push(String(arguments[0])); return info.apply(this, arguments); };
  window.addEventListener('consentry:ready', () => { fp.ready = true; });
  document.addEventListener('securitypolicyviolation', (e) => {
    fp.violations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || ''));
  });
  try {
    new PerformanceObserver((l) => { for (const e of l.getEntries()) if (!e.hadRecentInput) fp.cls += e.value; })
      .observe({ type: 'layout-shift', buffered: true });
  } catch (e) {}
  const tick = () => {
    const root = document.getElementById('consentry-root');
    const b = root && root.shadowRoot && root.shadowRoot.querySelector('[part~="banner"]');
    if (b && !b.hidden && b.checkVisibility()) {
      fp.bannerFrames++;
      const title = b.querySelector('h2');
      const text = title ? title.textContent : '';
      if (text && fp.texts.indexOf(text) < 0) fp.texts.push(text);
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();`

// navigate goes to path in the same tab (same session storage) and waits for its load
// event, not for the widget.
func (p *page) navigate(path string) {
	p.t.Helper()
	if err := chromedp.Do(p.ctx, chromedp.Navigate(p.url(path))); err != nil {
		p.t.Fatalf("navigate to %s: %v", path, err)
	}
}

// openBeforeModule opens path, whose module is held, and waits for the built-in banner.
func (p *page) openBeforeModule(path string) {
	p.t.Helper()
	p.navigate(path)
	p.waitFor(`window.__fp.bannerFrames > 0`, "the built-in banner, before the module")
	if evalJS[bool](p, `window.__fp.ready`) {
		p.t.Fatal("the module is ready although its wasm is held")
	}
}

// policyKnownBeforeModule waits until the loader surely knows the policy (the policy.json
// response is in, then two frames), and checks that the module is still not ready.
func (p *page) policyKnownBeforeModule() {
	p.t.Helper()
	p.waitFor(`performance.getEntriesByType('resource').some((e) => e.name.endsWith('/policy.json') && e.responseEnd > 0)`, "the policy's response")
	evalJS[bool](p, `new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))`)
	if evalJS[bool](p, `window.__fp.ready`) {
		p.t.Fatal("the module is ready although its wasm is held")
	}
}

// TestE2EFirstPaintShownThenTakenOver: the built-in banner is on screen while the module
// is held, with the §8 contract, no axe violation, and one consentry:show; once the module
// is ready, it is the same nodes, focus has not moved, nothing shifted, no second show, and
// the banner's buttons work through the module.
func TestE2EFirstPaintShownThenTakenOver(t *testing.T) {
	p := newPage(t, firstPaintProbe)
	key, path := heldPage(t, "page.html")
	p.openBeforeModule(path)

	p.expectVisible(selBanner, "the built-in banner")
	checkBannerContract(p, "the built-in banner")
	p.expectNoAxeViolations("the built-in banner, before the module")
	if n := len(p.events(widget.EventShow)); n != 1 {
		t.Fatalf("%d consentry:show events for the built-in banner, want 1", n)
	}
	if screenshotsWanted() {
		p.saveScreenshot("firstpaint-before-module")
	}
	// The end of the page stays reachable under the banner, before the module too.
	reserved := evalJS[string](p, `document.documentElement.style.paddingBottom`)
	if !strings.HasPrefix(reserved, "calc(") {
		t.Errorf("<html> padding-bottom %q before the module, want the room the banner takes", reserved)
	}

	// Keyboard focus into the banner: the first Tab lands on its first control.
	p.key("\t", false)
	before := p.focused()
	if before.Where != "banner" {
		t.Fatalf("after Tab, focus is on %s, want the banner's first control", before)
	}
	p.do(`(() => {
  const root = document.getElementById('consentry-root');
  window.__taken = { root, banner: root.shadowRoot.querySelector('[part~="banner"]'),
    focused: root.shadowRoot.activeElement, scroll: scrollY, rect: JSON.stringify(root.shadowRoot.querySelector('[part~="banner"]').getBoundingClientRect()) };
})()`)

	held.Release(key)
	if state := p.waitReady(); state != "resolved" {
		t.Fatalf("Consentry.ready %s", state)
	}
	same := evalJS[map[string]bool](p, `(() => {
  const root = document.getElementById('consentry-root');
  const banner = root && root.shadowRoot.querySelector('[part~="banner"]');
  const t = window.__taken;
  return { root: root === t.root, banner: banner === t.banner, one: document.querySelectorAll('#consentry-root').length === 1,
    focus: root.shadowRoot.activeElement === t.focused, scroll: scrollY === t.scroll,
    rect: JSON.stringify(banner.getBoundingClientRect()) === t.rect };
})()`)
	for what, ok := range same {
		if !ok {
			t.Errorf("after the take-over, not the same %s as before the module", what)
		}
	}
	if after := p.focused(); after != before {
		t.Errorf("focus moved at the take-over: %s, was %s", after, before)
	}
	if n := len(p.events(widget.EventShow)); n != 1 {
		t.Errorf("%d consentry:show events after the take-over, want 1 (no second announcement)", n)
	}
	if got := evalJS[string](p, `document.documentElement.style.paddingBottom`); got != reserved {
		t.Errorf("<html> padding-bottom %q after the take-over, was %q", got, reserved)
	}
	if cls := evalJS[float64](p, `window.__fp.cls`); cls != 0 {
		t.Errorf("cumulative layout shift %v, want 0", cls)
	}
	p.expectVisible(selBanner, "the banner, taken over")
	checkBannerContract(p, "the banner taken over")
	p.expectNoAxeViolations("the banner, taken over")
	if screenshotsWanted() {
		p.saveScreenshot("firstpaint-taken-over")
	}

	// The module answers the banner's buttons now.
	p.click(selAcceptAll)
	p.waitFor(`document.cookie.includes('`+widget.DefaultCookieName+`=')`, "the consent cookie")
	_, rec := p.mustConsent()
	if rec.Method != widget.MethodAcceptAll {
		t.Errorf("method %q, want %q", rec.Method, widget.MethodAcceptAll)
	}
	p.expectHidden(selBanner, "the banner after Accept all")
	p.waitFor(`document.documentElement.style.paddingBottom === ''`, "the page's padding restored")
	p.waitFor(`(window.__order || []).includes('statistics')`, "the gated statistics script")
	if got := evalJS[[]string](p, `window.__fp.texts`); len(got) != 1 {
		t.Errorf("banner titles seen: %q, want one", got)
	}
	p.expectClean()
}

// checkBannerContract checks §8 on the banner as it is: #consentry-root first in <body>,
// an open shadow root, a region labelled by its title, buttons named by the texts, the
// part names, and the action names.
func checkBannerContract(p *page, what string) {
	p.t.Helper()
	problems := evalJS[[]string](p, `(() => {
  const out = [];
  const root = document.getElementById('consentry-root');
  if (!root) return ['no #consentry-root'];
  if (document.body.firstElementChild !== root) out.push('#consentry-root is not the first child of <body>');
  if (!root.shadowRoot) out.push('no open shadow root');
  if (!root.getAttribute('lang') || !root.getAttribute('dir')) out.push('root without lang and dir');
  const s = root.shadowRoot;
  const b = s.querySelector('[part~="banner"]');
  if (!b) return out.concat(['no [part~=banner]']);
  if (b.getAttribute('role') !== 'region') out.push('banner role ' + b.getAttribute('role'));
  const title = s.getElementById(b.getAttribute('aria-labelledby'));
  if (!title || !title.textContent.trim()) out.push('aria-labelledby does not name a title');
  const want = { 'accept-all': 'Accept all', 'reject-all': 'Reject all', 'customize': 'Customise', 'continue': 'Continue without accepting' };
  for (const part of Object.keys(want)) {
    const el = b.querySelector('[part~="' + part + '"]');
    if (!el) { out.push('no [part~=' + part + ']'); continue; }
    if (el.getAttribute('data-consentry-action') !== part) out.push(part + ': data-consentry-action ' + el.getAttribute('data-consentry-action'));
    if (el.tagName !== 'BUTTON') out.push(part + ' is not a button');
    if (!el.textContent.trim()) out.push(part + ' has no text');
  }
  if (b.getAttribute('data-consentry-escape') !== 'continue') out.push('data-consentry-escape ' + b.getAttribute('data-consentry-escape'));
  if (!s.querySelector('[role="status"]')) out.push('no status region');
  return out;
})()`)
	for _, pr := range problems {
		p.t.Errorf("%s: §8: %s", what, pr)
	}
}

// TestE2EFirstPaintEarlyChoices: each of the four choices made on the built-in banner
// before the module is ready hides it at once, and the module records it when ready, with
// the cookie, events and gated scripts of a click made then.
func TestE2EFirstPaintEarlyChoices(t *testing.T) {
	for _, tc := range []struct {
		name, action, method string
		escape, gated        bool
	}{
		{"accept all", widget.ActionAcceptAll, widget.MethodAcceptAll, false, true},
		{"reject all", widget.ActionRejectAll, widget.MethodRejectAll, false, false},
		{"continue without accepting", widget.ActionContinue, widget.MethodRejectAll, false, false},
		{"Esc in the banner", widget.ActionContinue, widget.MethodRejectAll, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := newPage(t, firstPaintProbe)
			key, path := heldPage(t, "page.html")
			p.openBeforeModule(path)
			if tc.escape {
				p.key("\t", false) // focus in the banner
				if f := p.focused(); f.Where != "banner" {
					t.Fatalf("focus on %s, want the banner", f)
				}
				p.pressEscape()
			} else {
				p.click(partSel(widget.PartBanner) + " " + fmt.Sprintf(`[%s=%q]`, widget.AttrAction, tc.action))
			}
			p.expectHidden(selBanner, "the built-in banner after "+tc.name)
			if pad := evalJS[string](p, `document.documentElement.style.paddingBottom`); pad != "" {
				t.Errorf("<html> padding-bottom %q after the banner hid, want the page's own", pad)
			}
			if c := p.consentCookie(); c != nil {
				t.Fatalf("a consent cookie before the module: %q", c.Value)
			}
			if !strings.Contains(evalJS[string](p, `sessionStorage.getItem('consentry-early-choice') || ''`), tc.action) {
				t.Errorf("the choice is not kept for the next page: sessionStorage %q", evalJS[string](p, `JSON.stringify(sessionStorage)`))
			}

			held.Release(key)
			if state := p.waitReady(); state != "resolved" {
				t.Fatalf("Consentry.ready %s", state)
			}
			_, rec := p.mustConsent()
			if rec.Method != tc.method {
				t.Errorf("method %q, want %q", rec.Method, tc.method)
			}
			wantCats := []string{"necessary"}
			if tc.gated {
				wantCats = []string{"necessary", "statistics"}
			}
			if strings.Join(rec.Categories, ",") != strings.Join(wantCats, ",") {
				t.Errorf("categories %q, want %q", rec.Categories, wantCats)
			}
			var types []string
			for _, e := range p.events("") {
				types = append(types, e.Type)
			}
			want := "consentry:show consentry:ready consentry:hide consentry:consent"
			if got := strings.Join(types, " "); got != want {
				t.Errorf("events %q, want %q", got, want)
			}
			if tc.gated {
				p.waitFor(`(window.__order || []).includes('statistics')`, "the gated statistics script")
			} else if ran := p.order(); len(ran) != 0 {
				t.Errorf("gated scripts ran after a refusal: %q", ran)
			}
			p.expectHidden(selBanner, "the banner, taken over")
			if v := evalJS[string](p, `sessionStorage.getItem('consentry-early-choice') || ''`); v != "" {
				t.Errorf("the recorded choice is still kept for the next page: %q", v)
			}
			if frames := evalJS[int](p, `(() => { const f = window.__fp.bannerFrames; return new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(window.__fp.bannerFrames - f)))); })()`); frames != 0 {
				t.Errorf("the banner came back after the choice (%d frames)", frames)
			}
			p.expectClean()
		})
	}
}

// TestE2EFirstPaintChoiceThenNavigation: a choice made before the module was ready, then a
// click to another page of the site before it was: the next page records it, with no
// banner; on a page with another policy, the choice is dropped and the visitor asked again.
func TestE2EFirstPaintChoiceThenNavigation(t *testing.T) {
	t.Run("same policy", func(t *testing.T) {
		p := newPage(t, firstPaintProbe)
		_, path := heldPage(t, "page.html") // held for good: the first page's module never starts
		p.openBeforeModule(path)
		p.click(selAcceptAll)
		p.expectHidden(selBanner, "the built-in banner after Accept all")
		next, nextPath := heldPage(t, "next.html")
		held.Release(next)
		p.navigate(nextPath)
		if state := p.waitReady(); state != "resolved" {
			t.Fatalf("Consentry.ready %s", state)
		}
		_, rec := p.mustConsent()
		if rec.Method != widget.MethodAcceptAll {
			t.Errorf("method %q, want %q", rec.Method, widget.MethodAcceptAll)
		}
		p.waitFor(`(window.__order || []).includes('statistics')`, "the gated statistics script on the next page")
		if n := evalJS[int](p, `window.__fp.bannerFrames`); n != 0 {
			t.Errorf("a banner was visible in %d frames of the next page", n)
		}
		if n := len(p.events(widget.EventShow)); n != 0 {
			t.Errorf("%d consentry:show on the next page", n)
		}
		if n := len(p.events(widget.EventConsent)); n != 1 {
			t.Errorf("%d consentry:consent on the next page, want 1", n)
		}
		p.expectClean()
	})
	t.Run("another policy", func(t *testing.T) {
		p := newPage(t, firstPaintProbe)
		_, path := heldPage(t, "page.html")
		p.openBeforeModule(path)
		p.click(selAcceptAll)
		p.expectHidden(selBanner, "the built-in banner after Accept all")
		next, nextPath := heldPage(t, "other-fetched.html")
		held.Release(next)
		p.navigate(nextPath)
		if state := p.waitReady(); state != "resolved" {
			t.Fatalf("Consentry.ready %s", state)
		}
		p.expectVisible(selBanner, "the module's banner, asking again")
		if c := p.consentCookie(); c != nil {
			t.Errorf("a choice made on another policy was recorded: %q", c.Value)
		}
		if ran := p.order(); len(ran) != 0 {
			t.Errorf("gated scripts ran: %q", ran)
		}
		if v := evalJS[string](p, `sessionStorage.getItem('consentry-early-choice') || ''`); v != "" {
			t.Errorf("the dropped choice is still kept: %q", v)
		}
	})
}

// TestE2EFirstPaintCustomise: Customise before the module says it is loading, with its
// text unchanged, and the preferences open when the module is ready.
func TestE2EFirstPaintCustomise(t *testing.T) {
	p := newPage(t, firstPaintProbe)
	key, path := heldPage(t, "page.html")
	p.openBeforeModule(path)
	text := p.shadowText(selCustomize)
	p.click(selCustomize)
	if busy, _ := p.shadowAttr(selCustomize, "aria-busy"); busy != "true" {
		t.Errorf("Customise before the module: aria-busy %q, want \"true\"", busy)
	}
	if got := p.shadowText(selCustomize); got != text {
		t.Errorf("Customise's text changed to %q, was %q", got, text)
	}
	p.expectVisible(selBanner, "the banner, while the preferences load")
	held.Release(key)
	if state := p.waitReady(); state != "resolved" {
		t.Fatalf("Consentry.ready %s", state)
	}
	p.expectVisible(selPreferences, "the preferences, opened once the module is ready")
	if _, busy := p.shadowAttr(selCustomize, "aria-busy"); busy {
		t.Error("Customise is still aria-busy once the preferences are open")
	}
	if c := p.consentCookie(); c != nil {
		t.Errorf("Customise recorded a choice: %q", c.Value)
	}
	p.expectClean()
}

// TestE2EFirstPaintOnlyForTheBuiltInPolicy: another policy, fetched or inline, never
// shows a built-in text, and the console says once how to get the fast path back; the
// built-in policy inline, white space around it, is the built-in one.
func TestE2EFirstPaintOnlyForTheBuiltInPolicy(t *testing.T) {
	for _, name := range []string{"other-fetched.html", "other-inline.html"} {
		t.Run(name, func(t *testing.T) {
			p := newPage(t, firstPaintProbe)
			key, path := heldPage(t, name)
			p.navigate(path)
			p.waitFor(`window.__fp.info.length > 0`, "the console's word on the fast path")
			if info := evalJS[[]string](p, `window.__fp.info`); len(info) != 1 || !strings.Contains(info[0], "make dist") {
				t.Errorf("console.info %q, want one message naming make dist", info)
			}
			if evalJS[bool](p, `window.__fp.ready`) {
				t.Fatal("the module is ready although its wasm is held")
			}
			if n := evalJS[int](p, `document.querySelectorAll('#consentry-root').length`); n != 0 {
				t.Fatalf("a widget root before the module, for another policy")
			}
			held.Release(key)
			if state := p.waitReady(); state != "resolved" {
				t.Fatalf("Consentry.ready %s", state)
			}
			p.expectVisible(selBanner, "the module's banner")
			p.waitFor(`window.__fp.texts.length > 0`, "a banner frame")
			if got := evalJS[[]string](p, `window.__fp.texts`); len(got) != 1 || got[0] != "Another policy's banner" {
				t.Errorf("banner titles seen: %q, want only the policy's own", got)
			}
		})
	}
	t.Run("inline, the built-in one", func(t *testing.T) {
		p := newPage(t, firstPaintProbe)
		_, path := heldPage(t, "inline-builtin.html")
		p.openBeforeModule(path)
		p.expectVisible(selBanner, "the built-in banner")
	})
}

// TestE2EFirstPaintReturningVisitor: any cookie of the consent cookie's name, even one the
// module will find invalid, keeps the built-in banner off; the module decides.
func TestE2EFirstPaintReturningVisitor(t *testing.T) {
	p := newPage(t, firstPaintProbe)
	key, path := heldPage(t, "page.html")
	p.navigate("/held/" + key + "/next.html?warm")
	p.do(`document.cookie = '` + widget.DefaultCookieName + `=garbage; path=/'`)
	p.navigate(path)
	p.policyKnownBeforeModule()
	if n := evalJS[int](p, `window.__fp.bannerFrames + document.querySelectorAll('#consentry-root').length`); n != 0 {
		t.Fatal("the built-in banner was shown to a visitor with a consent cookie")
	}
	held.Release(key)
	if state := p.waitReady(); state != "resolved" {
		t.Fatalf("Consentry.ready %s", state)
	}
	p.expectVisible(selBanner, "the module's banner (the cookie was invalid)")
}

// TestE2EFirstPaintStrictPages: under a Content-Security-Policy without 'unsafe-inline',
// and with Trusted Types required, the built-in banner shows, is taken over, and records a
// choice, with no violation.
func TestE2EFirstPaintStrictPages(t *testing.T) {
	for _, name := range []string{"csp-strict.html", "csp-tt.html"} {
		t.Run(name, func(t *testing.T) {
			p := newPage(t, firstPaintProbe)
			key, path := heldPage(t, name)
			p.openBeforeModule(path)
			p.expectVisible(selBanner, "the built-in banner")
			held.Release(key)
			if state := p.waitReady(); state != "resolved" {
				t.Fatalf("Consentry.ready %s", state)
			}
			p.click(selAcceptAll)
			p.waitFor(`(window.__order || []).includes('statistics')`, "the gated statistics script")
			if v := evalJS[[]string](p, `window.__fp.violations`); len(v) != 0 {
				t.Errorf("Content-Security-Policy violations: %q", v)
			}
			p.expectClean()
		})
	}
}
