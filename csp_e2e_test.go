package consentry_test

// End-to-end tests of CSP and isolation: the widget runs under a strict
// Content-Security-Policy (default-src 'self', a nonce with 'strict-dynamic', Trusted Types)
// with zero violations, renders policy texts as text only, and stays whole under hostile
// page CSS and globals without leaking its own. Pages are the /harden/ fixtures of
// fixtures_e2e_test.go.

import (
	"bytes"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/consentry/consentry/widget"
)

// violationRecorderJS records securitypolicyviolation events (CSP and Trusted Types) in
// window.__violations, from the first script on.
const violationRecorderJS = `(() => {
  const rec = window.__violations = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    rec.push(e.effectiveDirective + ' blocked ' + (e.blockedURI || 'inline') + ' ' + (e.sample || '') + ' at ' + e.sourceFile + ':' + e.lineNumber);
  }, true);
})();`

// expectNoViolations fails t when the page reported a CSP or Trusted Types violation.
func expectNoViolations(p *page) {
	p.t.Helper()
	if v := evalJS[[]string](p, `window.__violations || ['no recorder']`); len(v) != 0 {
		p.t.Errorf("securitypolicyviolation events: %q", v)
	}
}

// expectHostWorks checks that the host page's own script ran and that its link and form
// still work with real clicks.
func expectHostWorks(p *page) {
	p.t.Helper()
	expectPageOK(p)
	p.clickPage("#host-link")
	p.waitFor(`location.hash === '#section'`, "the page's own link to work")
	p.clickPage("#host-submit")
	p.waitFor(`window.formSubmitted === 'kept'`, "the page's own form to work")
}

// TestE2EHardenPolicyTextIsText: a valid policy whose every text looks like HTML or script is
// shown literally: nothing executes, no element is parsed from it, links keep to http(s),
// mailto and relative URLs (CONTRACT.md §3).
func TestE2EHardenPolicyTextIsText(t *testing.T) {
	p := newPage(t)
	p.mustOpen(hardenPage("hostile-policy"))
	p.expectVisible(selBanner, "banner")
	p.do(`Consentry.showPreferences()`)
	p.expectVisible(selPreferences, "preferences dialog")
	p.idle()
	if v := evalJS[*string](p, `window.__xss === undefined ? null : String(window.__xss)`); v != nil {
		t.Errorf("policy text executed: window.__xss = %q", *v)
	}
	root := `document.getElementById(` + fmt.Sprintf("%q", widget.RootID) + `).shadowRoot`
	if tags := evalJS[[]string](p, `Array.from(`+root+`.querySelectorAll('img, script, svg, iframe, object, style, b, embed'))
		.concat(Array.from(document.querySelectorAll('[data-consentry="cookie-table"] :is(img, script, svg, iframe, object, style, b)')))
		.map((e) => e.outerHTML)`); len(tags) != 0 {
		t.Errorf("elements were parsed from policy texts: %q", tags)
	}
	if got, want := p.shadowText("#consentry-banner-title"), `<img src=x onerror="window.__xss='bannerTitle'">Title`; got != want {
		t.Errorf("banner title = %q, want the text as written, %q", got, want)
	}
	if got := p.shadowText(selAcceptAll); got != `<b onclick="window.__xss='acceptAll'">Accept</b>` {
		t.Errorf("accept button text = %q, want the markup as text", got)
	}
	if got := p.shadowText(selRejectAll); got != `&lt;Reject&gt; &amp; <!-- comment -->` {
		t.Errorf("reject button text = %q, want the entities as text", got)
	}
	hrefs := evalJS[[]string](p, `Array.from(`+root+`.querySelectorAll('a[href]')).concat(Array.from(document.querySelectorAll('[data-consentry="cookie-table"] a[href]'))).map((a) => a.getAttribute('href'))`)
	if len(hrefs) == 0 {
		t.Error("no links rendered: the safe [label](url) links should be")
	}
	for _, h := range hrefs {
		if !widget.SafeURL(h) {
			t.Errorf("a link to %q was rendered", h)
		}
	}
	// Attribute values stay inside their attribute.
	if n := evalJS[int](p, `Array.from(`+root+`.querySelectorAll('*')).filter((e) => Array.from(e.attributes).some((a) => a.name.startsWith('on'))).length`); n != 0 {
		t.Errorf("%d elements have event-handler attributes", n)
	}
	if got := evalJS[string](p, `document.querySelector('[data-consentry="cookie-table"]').textContent`); !strings.Contains(got, "<img src=x onerror=window.__xss='provider'>") {
		t.Errorf("the cookie table does not show the provider's text literally: %q", got)
	}
	expectPageOK(p)
	p.expectClean()
}

// TestE2EHardenUnsafeLinksRefused: a policy with javascript:, data: or vbscript: links (even
// disguised by case, spaces or tabs) is refused as a whole: nothing of it is rendered, nothing
// executes, nothing gated runs.
func TestE2EHardenUnsafeLinksRefused(t *testing.T) {
	p := newPage(t)
	state := p.open(hardenPage("unsafe-links"))
	if !strings.HasPrefix(state, "rejected: ") || !strings.Contains(state, "policyUrl") || !strings.Contains(state, "texts.bannerDescription") {
		t.Errorf("Consentry.ready %s, want it rejected naming policyUrl and texts.bannerDescription", state)
	}
	expectNothingGated(p)
	if n := evalJS[int](p, `(() => { const r = document.getElementById('`+widget.RootID+`'); return r && r.shadowRoot ? r.shadowRoot.querySelectorAll('a').length : 0; })()`); n != 0 {
		t.Errorf("%d links rendered from a refused policy", n)
	}
	if v := evalJS[*string](p, `window.__xss === undefined ? null : String(window.__xss)`); v != nil {
		t.Errorf("policy text executed: window.__xss = %q", *v)
	}
	expectPageOK(p)
}

// TestE2EHardenStrictCSP: under default-src 'self'; script-src 'self' 'wasm-unsafe-eval';
// style-src 'self'; object-src 'none'; base-uri 'none' the widget starts, renders, activates
// external gated scripts after consent, with zero violations; so does the demo portal.
func TestE2EHardenStrictCSP(t *testing.T) {
	requireE2E(t)
	t.Parallel()
	t.Run("fixture", func(t *testing.T) {
		p := newPage(t, violationRecorderJS)
		p.mustOpen(hardenPage("gated", "csp", "strict"))
		p.expectVisible(selBanner, "banner")
		p.do(`Consentry.showPreferences()`)
		p.expectVisible(selPreferences, "preferences dialog")
		p.click(selPrefsAccept)
		p.waitFor(`['a', 'b'].every((x) => (window.__order || []).includes(x))`, "the gated scripts to run")
		p.waitFor(`document.querySelector('iframe[data-src]').hasAttribute('src')`, "the gated iframe")
		expectHostWorks(p)
		p.idle()
		expectNoViolations(p)
		p.expectClean()
	})
	t.Run("demo", func(t *testing.T) {
		p := newPage(t, violationRecorderJS)
		p.mustOpen("/harden/demo/")
		p.expectVisible(selBanner, "banner")
		p.click(selAcceptAll)
		p.expectHidden(selBanner, "banner")
		p.idle()
		expectNoViolations(p)
		p.expectClean()
	})
}

// TestE2EHardenNonceStrictDynamic: under script-src 'nonce-…' 'strict-dynamic'
// 'wasm-unsafe-eval' the activated scripts, inline and external, inherit the page's nonce
// and run, with zero violations (REQUIREMENTS.md §6).
func TestE2EHardenNonceStrictDynamic(t *testing.T) {
	p := newPage(t, violationRecorderJS)
	p.mustOpen(hardenPage("nonce", "csp", "nonce"))
	p.click(selAcceptAll)
	p.waitFor(`['inline', 'external'].every((x) => (window.__order || []).includes(x))`, "both gated scripts to run")
	if n := evalJS[[]string](p, `Array.from(document.querySelectorAll('script[data-category]')).map((s) => s.nonce)`); slices.ContainsFunc(n, func(s string) bool { return s != "harden-nonce" }) {
		t.Errorf("activated scripts' nonces = %q, want the page's", n)
	}
	p.idle()
	expectPageOK(p)
	expectNoViolations(p)
	p.expectClean()
}

// TestE2EHardenTrustedTypes: under require-trusted-types-for 'script', with and without a
// trusted-types allow-list naming consentry, the widget raises no violation and the
// activated scripts (text, src, onload) run through its policy.
func TestE2EHardenTrustedTypes(t *testing.T) {
	requireE2E(t)
	t.Parallel()
	for _, csp := range []string{"tt", "tt-allow"} {
		t.Run(csp, func(t *testing.T) {
			p := newPage(t, violationRecorderJS)
			p.mustOpen(hardenPage("tt", "csp", csp))
			p.click(selAcceptAll)
			p.waitFor(`['inline', 'external', 'onload'].every((x) => (window.__order || []).includes(x))`, "the gated scripts and their onload to run")
			if !evalJS[bool](p, `!!window.trustedTypes && (() => { try { document.createElement('script').text = 'x'; return false; } catch (e) { return true; } })()`) {
				t.Error("Trusted Types are not enforced on this page: the test proves nothing")
			}
			p.idle()
			expectPageOK(p)
			// The enforcement probe above raised one violation on purpose.
			v := evalJS[[]string](p, `window.__violations || []`)
			if len(v) != 1 {
				t.Errorf("securitypolicyviolation events %q, want only the test's own probe", v)
			}
		})
	}
}

// TestE2EHardenHostileCSS: page CSS that unsets everything, hides every div and the widget's
// root, shrinks fonts and covers the window with the largest z-index does not hide or
// shrink the banner, which stays readable and takes real clicks.
func TestE2EHardenHostileCSS(t *testing.T) {
	p := newPage(t)
	p.mustOpen(hardenPage("hostile-css"))
	p.expectVisible(selBanner, "banner")
	box := evalJS[map[string]float64](p, `(() => {
  const b = `+shadowJS(selBanner)+`, btn = `+shadowJS(selAcceptAll)+`;
  const r = b.getBoundingClientRect(), br = btn.getBoundingClientRect();
  return {width: r.width, height: r.height, font: parseFloat(getComputedStyle(btn).fontSize),
    btnWidth: br.width, btnHeight: br.height, opacity: parseFloat(getComputedStyle(b).opacity)};
})()`)
	if box["width"] < 300 || box["height"] < 40 {
		t.Errorf("banner box %v×%v px under hostile CSS, want at least 300×40", box["width"], box["height"])
	}
	if box["font"] < 12 {
		t.Errorf("button font-size %vpx under hostile CSS, want a readable size (≥ 12px)", box["font"])
	}
	if box["btnWidth"] < 24 || box["btnHeight"] < 24 {
		t.Errorf("accept button %v×%v px, want a target of at least 24×24 (WCAG 2.2 SC 2.5.8)", box["btnWidth"], box["btnHeight"])
	}
	if box["opacity"] < 1 {
		t.Errorf("banner opacity %v", box["opacity"])
	}
	p.click(selAcceptAll) // fails when something covers the button
	p.waitFor(`(window.__order || []).includes('a')`, "the gated script to run")
	p.do(`Consentry.showPreferences()`)
	p.expectVisible(selPreferences, "preferences dialog")
	p.click(selPrefsReject)
	p.expectHidden(selPreferences, "preferences dialog")
	expectPageOK(p)
	p.expectClean()
}

// TestE2EHardenCSSDoesNotLeak: the widget changes nothing of the page's look: a screenshot
// and the computed styles of every element of the page, without #consentry-root, are the
// same before consentry.js is added and after it has run and the visitor has chosen.
func TestE2EHardenCSSDoesNotLeak(t *testing.T) {
	p := newPage(t)
	if err := chromedp.Do(p.ctx, chromedp.Navigate(p.url(hardenPage("isolation")))); err != nil {
		t.Fatal(err)
	}
	p.waitFor(`document.readyState === 'complete'`, "the page to load")
	stylesJS := `Array.from(document.querySelectorAll('html, body, body *:not(script)')).map((el) => {
  const cs = getComputedStyle(el);
  return el.tagName + ' ' + Array.from(cs).map((k) => k + ':' + cs.getPropertyValue(k)).join(';');
})`
	before := evalJS[[]string](p, stylesJS)
	shotBefore := p.screenshotPixels()
	p.do(`document.head.appendChild(Object.assign(document.createElement('script'), {src: '/consentry/consentry.js'}))`)
	if state := p.waitReady(); state != "resolved" {
		t.Fatalf("Consentry.ready %s", state)
	}
	p.expectVisible(selBanner, "banner")
	p.do(`Consentry.rejectAll()`)
	p.expectHidden(selBanner, "banner")
	p.do(`document.getElementById('` + widget.RootID + `').remove()`)
	after := evalJS[[]string](p, stylesJS)
	if len(before) != len(after) {
		t.Fatalf("%d page elements before, %d after", len(before), len(after))
	}
	for i := range before {
		if before[i] != after[i] {
			t.Errorf("computed style of page element %d changed:\n%s", i, styleDiff(before[i], after[i]))
		}
	}
	if shotAfter := p.screenshotPixels(); !slices.Equal(shotBefore, shotAfter) {
		t.Error("the page looks different after the widget ran (screenshots differ)")
	}
	p.expectClean()
}

// styleDiff lists the properties that differ between two "TAG k:v;k:v" lines.
func styleDiff(a, b string) string {
	pa, pb := strings.Split(a, ";"), strings.Split(b, ";")
	var out []string
	for i := range min(len(pa), len(pb)) {
		if pa[i] != pb[i] {
			out = append(out, pa[i]+" → "+pb[i])
		}
	}
	return strings.Join(out, "\n")
}

// screenshotPixels returns the viewport's pixels, decoded, so that two screenshots compare
// by what they show and not by how they were encoded.
func (p *page) screenshotPixels() []byte {
	p.t.Helper()
	shot, err := chromedp.Run(p.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		p.t.Fatalf("screenshot: %v", err)
	}
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		p.t.Fatalf("screenshot: %v", err)
	}
	rgba := image.NewRGBA(img.Bounds())
	draw.Draw(rgba, rgba.Bounds(), img, img.Bounds().Min, draw.Src)
	return rgba.Pix
}

// TestE2EHardenPageGlobals: a page that defines fs, process and path (as bundled code does)
// and Go, before consentry.js, keeps them, and the widget works.
func TestE2EHardenPageGlobals(t *testing.T) {
	p := newPage(t)
	p.mustOpen(hardenPage("globals"))
	want := map[string]string{"fs": "fs", "process": "process", "path": "path", "Go": "page Go (lexical)",
		"boot": "page boot", "impl": "page impl", "queue": "page queue", "api": "page api", "script": "page script"}
	for _, when := range []string{"right after consentry.js", "once ready"} {
		got := evalJS[map[string]string](p, `window.afterLoad`)
		if when == "once ready" {
			got = evalJS[map[string]string](p, `({fs: window.fs.pageOwned, process: window.process.pageOwned, path: window.path.pageOwned,
  Go: Go, boot: boot, impl: impl, queue: queue, api: api, script: script})`)
		}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("%s, the page's %s is %q, want %q", when, k, got[k], v)
			}
		}
	}
	if !evalJS[bool](p, `window.process.env.NODE_ENV === 'production' && !('getuid' in window.process)`) {
		t.Error("the page's process object was changed")
	}
	p.click(selAcceptAll)
	p.waitFor(`(window.__order || []).includes('a')`, "the gated script to run")
	expectPageOK(p)
	p.expectClean()
}

// TestE2EHardenPageOwnGo: a page's own global Go, declared with var (a non-configurable
// property of window) or assigned to window, is the same after consentry.js has run and
// once the widget is ready, although wasm_exec.js inside consentry.js assigns
// globalThis.Go; and the widget works.
func TestE2EHardenPageOwnGo(t *testing.T) {
	t.Parallel() // its subtests each open their own browser context
	for _, kind := range []string{"var", "window"} {
		t.Run(kind, func(t *testing.T) {
			p := newPage(t)
			p.mustOpen(hardenPage(kind + "-go"))
			if got := evalJS[string](p, `String(window.goAfterLoad)`); got != "page Go" {
				t.Errorf("right after consentry.js, the page's Go is %q, want %q", abbreviate(got), "page Go")
			}
			if got := evalJS[string](p, `String(window.Go)`); got != "page Go" {
				t.Errorf("once ready, the page's Go is %q, want %q", abbreviate(got), "page Go")
			}
			p.click(selAcceptAll)
			p.waitFor(`(window.__order || []).includes('a')`, "the gated script to run")
			expectPageOK(p)
			p.expectClean()
		})
	}
}

// TestE2EHardenNoGlobalsAdded: consentry.js adds window.Consentry and nothing else: not the
// fs, process and path stand-ins of wasm_exec.js (bundled code tests `typeof process`),
// nor Go.
func TestE2EHardenNoGlobalsAdded(t *testing.T) {
	p := newPage(t)
	p.mustOpen(hardenPage("no-globals"))
	added := evalJS[[]string](p, `window.globalsAfter.filter((n) => n !== 'globalsBefore')`)
	if !slices.Equal(added, []string{"Consentry"}) {
		t.Errorf("consentry.js added the globals %q, want only Consentry", added)
	}
	p.click(selAcceptAll)
	p.waitFor(`(window.__order || []).includes('a')`, "the gated script to run")
	if left := evalJS[[]string](p, `['fs', 'process', 'path', 'Go'].filter((n) => n in window)`); len(left) != 0 {
		t.Errorf("once running, the page has the globals %q", left)
	}
	expectPageOK(p)
	p.expectClean()
}

// TestE2EHardenFrozenPrototypes: enumerable additions to Array.prototype and
// Object.prototype, replaced Array methods, and frozen Object, Array and Function
// prototypes do not stop the widget.
func TestE2EHardenFrozenPrototypes(t *testing.T) {
	p := newPage(t)
	p.mustOpen(hardenPage("prototypes"))
	if !evalJS[bool](p, `Object.isFrozen(Object.prototype) && Object.isFrozen(Array.prototype) && window.__replaced > 0`) {
		t.Fatal("the fixture did not freeze the prototypes")
	}
	p.expectVisible(selBanner, "banner")
	p.do(`Consentry.showPreferences()`)
	p.expectVisible(selPreferences, "preferences dialog")
	p.click(selPrefsAccept)
	p.waitFor(`(window.__order || []).includes('a')`, "the gated script to run")
	expectConsent(p, defaultWant(widget.MethodAcceptAll, acceptedStats, analytics))
	expectPageOK(p)
	p.expectClean()
}

// TestE2EHardenTrustedTypesNotAllowed: a trusted-types allow-list without consentry is a
// site misconfiguration: the widget says so in a warning, still starts and records the
// choice, and the scripts it cannot activate stay off (fail closed), without an exception.
func TestE2EHardenTrustedTypesNotAllowed(t *testing.T) {
	p := newPage(t)
	p.mustOpen(hardenPage("tt", "csp", "tt-deny"))
	if !slices.ContainsFunc(p.logged(), func(s string) bool { return strings.Contains(s, `add consentry to the page's trusted-types`) }) {
		t.Errorf("no warning naming the fix; console: %q", p.logged())
	}
	p.click(selAcceptAll)
	p.waitFor(`document.cookie.includes('`+widget.DefaultCookieName+`=')`, "the choice to be stored")
	p.idle()
	if o := p.order(); len(o) != 0 {
		t.Errorf("gated scripts ran without a Trusted Types policy: %q", o)
	}
	if n := len(p.events(widget.EventConsent)); n != 1 {
		t.Errorf("%s fired %d times, want once: the rest of the choice must go on", widget.EventConsent, n)
	}
	expectPageOK(p)
	p.expectNoExceptions()
}

// TestE2EStrictCSPNonce: under a header-delivered CSP that allows scripts by nonce only,
// the widget starts and its activated scripts carry the nonce, so they run (§5).
func TestE2EStrictCSPNonce(t *testing.T) {
	p := newPage(t)
	p.mustOpen("/test/csp.html")
	p.click(selAcceptAll)
	p.waitFor(`['inline', 'external'].every((x) => (window.__order || []).includes(x))`,
		"both nonce'd gated scripts to run under the CSP")
	p.idle()
	if o := p.order(); !slices.Equal(o, []string{"inline", "external"}) {
		t.Errorf("gated scripts ran as %q, want [inline external]", o)
	}
	expectPageOK(p)
	p.expectClean()
}
