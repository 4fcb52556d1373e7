package consentry_test

// End-to-end tests of loading and failure: the widget runs on other people's pages, so it
// must fail closed and visibly (a missing or refused policy, a missing or broken wasm, no
// WebAssembly, a Go panic), accept a policy the contract allows, and work however
// consentry.js is loaded (twice, inline policy, async/defer/module variants, a single-page
// app).

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/consentry/consentry/widget"
)

// TestE2EInvalidPolicyFailsClosed: a refused policy fails closed (§3): ready rejects,
// consentry:error names the place, nothing gated runs, the page keeps working.
func TestE2EInvalidPolicyFailsClosed(t *testing.T) {
	p := newPage(t)
	state := p.open("/test/invalid-policy.html")
	if !strings.HasPrefix(state, "rejected: ") {
		t.Errorf("Consentry.ready %s, want it rejected", state)
	}
	p.idle()
	errs := p.events(widget.EventError)
	if len(errs) == 0 {
		t.Errorf("no %s event", widget.EventError)
	}
	for _, e := range errs {
		var d struct {
			Message string `json:"message"`
		}
		if err := json.Unmarshal(e.Detail, &d); err != nil || !strings.Contains(d.Message, "categories[1].id") {
			t.Errorf("%s detail = %s, want a message naming categories[1].id", widget.EventError, e.Detail)
		}
	}
	if !slices.ContainsFunc(p.logged(), func(s string) bool { return strings.Contains(s, "categories[1].id") }) {
		t.Errorf("the console has no error naming categories[1].id; it has %q", p.logged())
	}
	if o := p.order(); len(o) != 0 {
		t.Errorf("gated scripts ran under a refused policy: %q", o)
	}
	if evalJS[bool](p, `document.querySelector('iframe[data-src]').hasAttribute('src')`) {
		t.Error("the gated iframe got a src under a refused policy")
	}
	if evs := p.events(widget.EventConsent); len(evs) != 0 {
		t.Errorf("%s fired under a refused policy", widget.EventConsent)
	}
	expectPageOK(p)
	p.mu.Lock()
	exceptions := slices.Clone(p.exceptions)
	p.mu.Unlock()
	for _, s := range exceptions {
		t.Errorf("uncaught exception reached the page (an unhandled rejection of Consentry.ready counts): %s", s)
	}
	// Queries fail closed.
	if evalJS[bool](p, `Consentry.validConsent() || Consentry.acceptedCategory('statistics')`) {
		t.Error("a query answered as if consent existed under a refused policy")
	}
}

// TestE2ELoadedTwiceOneWidget: including consentry.js twice (and once more by script)
// creates one widget, which runs each gated script once (§2).
func TestE2ELoadedTwiceOneWidget(t *testing.T) {
	p := newPage(t)
	p.mustOpen("/test/twice.html")
	p.waitFor(`document.querySelectorAll('script[src$="consentry.js"]').length === 3`, "the third consentry.js to be injected")
	p.waitFor(`document.readyState === 'complete'`, "the page to load")
	p.idle() // a copy that started would fetch the policy and the wasm: idle awaits those requests
	if n := evalJS[int](p, fmt.Sprintf(`document.querySelectorAll('#%s').length`, widget.RootID)); n != 1 {
		t.Fatalf("%d #%s elements, want 1", n, widget.RootID)
	}
	if n := evalJS[int](p, fmt.Sprintf(`document.getElementById(%q).shadowRoot.querySelectorAll(%q).length`, widget.RootID, selBanner)); n != 1 {
		t.Errorf("%d banners, want 1", n)
	}
	p.click(selAcceptAll)
	p.waitFor(`(window.__order || []).includes('a')`, "the gated script to run")
	p.idle()
	if o := p.order(); !slices.Equal(o, []string{"a"}) {
		t.Errorf("gated scripts ran as %q, want [a] once", o)
	}
	if n := len(p.events(widget.EventConsent)); n != 1 {
		t.Errorf("%s fired %d times, want once", widget.EventConsent, n)
	}
	if n := len(p.events(widget.EventReady)); n != 1 {
		t.Errorf("%s fired %d times, want once", widget.EventReady, n)
	}
	p.expectClean()
}

// TestE2EInlinePolicyWins: an inline <script type="application/json" id="consentry-policy">
// wins over data-policy (§2): its extra category and revision are used.
func TestE2EInlinePolicyWins(t *testing.T) {
	p := newPage(t)
	p.mustOpen("/test/inline-policy.html")
	p.do(`Consentry.showPreferences()`)
	p.expectVisible(selPreferences, "preferences dialog")
	if evalJS[bool](p, shadowJS(switchSel("marketing"))+` === null`) {
		t.Error("no marketing switch: the inline policy was not used")
	}
	p.click(selPrefsAccept)
	p.waitFor(`['stats', 'marketing'].every((x) => (window.__order || []).includes(x))`, "both gated scripts to run")
	expectConsent(p, wantConsent{
		revision:   2,
		scope:      scopeOf("marketing", "statistics", "statistics/analytics"),
		method:     widget.MethodAcceptAll,
		categories: []string{"necessary", "statistics", "marketing"},
		services:   analytics,
	})
	p.expectClean()
}

// expectNothingGated checks that no gated element of a harden fixture was activated.
func expectNothingGated(p *page) {
	p.t.Helper()
	p.idle()
	if o := p.order(); len(o) != 0 {
		p.t.Errorf("gated scripts ran: %q", o)
	}
	if ran := evalJS[string](p, `document.documentElement.dataset.ran || ''`); ran != "" {
		p.t.Errorf("gated external scripts ran: %q", ran)
	}
	if srcs := evalJS[[]string](p, `Array.from(document.querySelectorAll('[data-src]'))
		.filter((el) => el.hasAttribute('src')).map((el) => el.outerHTML)`); len(srcs) != 0 {
		p.t.Errorf("gated elements got a src: %q", srcs)
	}
	if n := evalJS[int](p, `document.querySelectorAll('script:not([type="text/plain"])[data-category]').length`); n != 0 {
		p.t.Errorf("%d gated scripts were activated", n)
	}
}

// expectFailedClosed checks what every start-up failure must do: Consentry.ready rejected
// with want in its message, one consentry:error event carrying it, exactly one console
// error, no uncaught exception, nothing gated, queries failing closed, the page working.
func expectFailedClosed(p *page, state, want string) {
	p.t.Helper()
	t := p.t
	if !strings.HasPrefix(state, "rejected: ") || !strings.Contains(state, want) {
		t.Errorf("Consentry.ready %s, want it rejected with a message containing %q", state, want)
	}
	expectNothingGated(p)
	// Nothing of the widget stays in the page: no banner whose buttons could not work.
	if evalJS[bool](p, `document.getElementById('consentry-root') !== null`) {
		t.Errorf("#consentry-root is still in the page after a failed start")
	}
	errs := p.events(widget.EventError)
	if len(errs) != 1 {
		t.Errorf("%d %s events, want 1: %s", len(errs), widget.EventError, eventsString(errs))
	}
	for _, e := range errs {
		var d struct {
			Message string `json:"message"`
		}
		if err := json.Unmarshal(e.Detail, &d); err != nil || !strings.Contains(d.Message, want) {
			t.Errorf("%s detail = %s, want a message containing %q", widget.EventError, e.Detail, want)
		}
	}
	evalJS[bool](p, `true`)
	p.mu.Lock()
	consoleErrors := slices.Clone(p.console)
	exceptions := slices.Clone(p.exceptions)
	p.mu.Unlock()
	var ours []string
	for _, s := range consoleErrors {
		if strings.Contains(s, "Consentry") {
			ours = append(ours, s)
		}
	}
	if len(ours) != 1 || !strings.Contains(ours[0], want) {
		t.Errorf("console errors from the widget: %q, want exactly one containing %q (all errors: %q)", ours, want, consoleErrors)
	}
	for _, s := range exceptions {
		t.Errorf("uncaught exception reached the page: %s", s)
	}
	if evalJS[bool](p, `Consentry.validConsent() || Consentry.acceptedCategory('statistics') || Consentry.getUserPreferences() !== null`) {
		t.Error("a query answered as if there were a choice after a failed start")
	}
	p.do(`Consentry.acceptAll()`) // ignored: there is no widget to take it
	expectNothingGated(p)
	if c := p.consentCookie(); c != nil {
		t.Errorf("a consent cookie was written after a failed start: %q", c.Value)
	}
	expectHostWorks(p)
}

// TestE2EHardenFailClosed: every way the widget can fail to start fails closed and
// visibly, and leaves the host page working (issue 5).
func TestE2EHardenFailClosed(t *testing.T) {
	sabotageReady := `(() => {
  const dispatch = EventTarget.prototype.dispatchEvent;
  window.dispatchEvent = function (e) {
    if (e && e.type === 'consentry:ready') throw new Error('sabotaged dispatchEvent');
    return dispatch.call(this, e);
  };
})();`
	tests := []struct {
		name, path, want string
		init             []string
		acceptedCookie   bool
	}{
		{name: "policy-404", path: hardenPage("gated", "policy", "/harden/missing-policy.json"), want: "HTTP 404"},
		{name: "policy-refused", path: hardenPage("gated", "policy", "/test/bad-policy.json"), want: "categories[1].id"},
		{name: "policy-not-a-url", path: hardenPage("gated", "policy", "http://[bad"), want: "is not a URL"},
		{name: "wasm-404", path: hardenPage("gated", "dist", "wasm404"), want: "HTTP 404"},
		{name: "csp-without-wasm-unsafe-eval", path: hardenPage("gated", "csp", "no-wasm"), want: "add 'wasm-unsafe-eval'"},
		{name: "not-wasm", path: hardenPage("gated", "dist", "notwasm"), want: "is not a WebAssembly module"},
		{name: "no-webassembly", path: hardenPage("gated"), want: "cannot run WebAssembly",
			init: []string{`delete window.WebAssembly;`}},
		{name: "panic-while-mounting", path: hardenPage("gated"), want: "sabotaged attachShadow",
			init: []string{`Element.prototype.attachShadow = function () { throw new Error('sabotaged attachShadow'); };`}},
		// A panic after the banner is on screen, on a first visit.
		{name: "panic-after-banner", path: hardenPage("gated"), want: "sabotaged dispatchEvent",
			init: []string{sabotageReady}},
		// A panic after the gate has scanned, for a returning visitor who accepted
		// everything: still nothing runs, as the gate opens only once the start succeeded.
		{name: "panic-after-scan", path: hardenPage("gated"), want: "sabotaged dispatchEvent",
			init: []string{sabotageReady}, acceptedCookie: true},
	}
	requireE2E(t)
	t.Parallel()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newPage(t, tt.init...)
			if tt.acceptedCookie {
				p.setConsent(acceptedRecord(t, time.Now().Add(-time.Hour)))
			}
			state := p.open(tt.path)
			if tt.acceptedCookie {
				// the choice is the visitor's: a failure must not delete it either
				defer func() {
					if p.consentCookie() == nil {
						t.Error("the visitor's stored choice was deleted by a failed start")
					}
				}()
				expectFailedClosedKeepCookie(p, state, tt.want)
				return
			}
			expectFailedClosed(p, state, tt.want)
		})
	}
}

// expectFailedClosedKeepCookie is expectFailedClosed for a visitor with a stored choice.
func expectFailedClosedKeepCookie(p *page, state, want string) {
	p.t.Helper()
	if !strings.HasPrefix(state, "rejected: ") || !strings.Contains(state, want) {
		p.t.Errorf("Consentry.ready %s, want it rejected with a message containing %q", state, want)
	}
	expectNothingGated(p)
	if n := len(p.events(widget.EventError)); n != 1 {
		p.t.Errorf("%d %s events, want 1", n, widget.EventError)
	}
	if evalJS[bool](p, `Consentry.validConsent() || Consentry.acceptedCategory('statistics')`) {
		p.t.Error("a query answered as if there were a choice after a failed start")
	}
	expectHostWorks(p)
}

// TestE2EHardenPolicyRules: the widget refuses a policy that breaks a rule of CONTRACT.md
// §3, fails closed, and names the place in Consentry.ready's rejection and in
// consentry:error. Which policies are refused, and the place and words of each refusal, are
// decided by widget.ParsePolicy, which cmd/consentry/schema_test.go
// (TestSchemaAgreesWithParser) runs natively over every case of the shared table
// testdata/pages/harden-policy-rules.json; the browser checks the wiring on one case of each
// kind: text that is not JSON, an unknown key, a javascript: link inside a text, and a nested
// place (a service's id).
func TestE2EHardenPolicyRules(t *testing.T) {
	wiring := []string{"json-syntax", "unknown-key", "link-javascript", "duplicate-service"}
	var batch []policyRule
	for _, r := range loadPolicyRules(t) {
		if slices.Contains(wiring, r.Name) {
			batch = append(batch, r)
		}
	}
	if len(batch) != len(wiring) {
		t.Fatalf("harden-policy-rules.json has %d of the cases %q", len(batch), wiring)
	}
	p := newPage(t)
	for _, r := range batch {
		state := p.open(hardenPage("gated", "policy", "/harden/rule/"+r.Name+".json"))
		if !strings.HasPrefix(state, "rejected: ") || !strings.Contains(state, r.Path) || !strings.Contains(state, r.Want) {
			t.Errorf("%s (%s): Consentry.ready %s, want it rejected naming %q and %q", r.Name, r.Rule, state, r.Path, r.Want)
		}
		errs := p.events(widget.EventError)
		var d struct {
			Message string `json:"message"`
		}
		if len(errs) != 1 || json.Unmarshal(errs[0].Detail, &d) != nil || !strings.Contains(d.Message, r.Path) || !strings.Contains(d.Message, r.Want) {
			t.Errorf("%s: %s events %s, want one naming %q and %q", r.Name, widget.EventError, eventsString(errs), r.Path, r.Want)
		}
		if o := p.order(); len(o) != 0 {
			t.Errorf("%s: gated scripts ran under a refused policy: %q", r.Name, o)
		}
		expectPageOK(p)
	}
	p.expectNoExceptions()
}

// TestE2EHardenWrongWasmMIME: a server that sends the wasm with another Content-Type makes
// instantiateStreaming throw; the loader falls back to an ArrayBuffer and the widget works.
func TestE2EHardenWrongWasmMIME(t *testing.T) {
	p := newPage(t)
	p.mustOpen(hardenPage("gated", "dist", "mime"))
	p.expectVisible(selBanner, "banner")
	p.click(selAcceptAll)
	p.waitFor(`['a', 'b'].every((x) => (window.__order || []).includes(x))`, "the gated scripts to run")
	expectHostWorks(p)
	p.expectClean()
}

// TestE2EHardenPanicInHandler: a failure inside an event handler, whether a DOM method that
// throws (showModal, once) or a property getter that throws (Event.prototype.target, while
// the page says so), is reported once each and does not kill the widget for the rest of the
// page view: afterwards the banner, the API, the dialog and the page's link all work.
func TestE2EHardenPanicInHandler(t *testing.T) {
	p := newPage(t, `(() => {
  const showModal = HTMLDialogElement.prototype.showModal;
  let calls = 0;
  HTMLDialogElement.prototype.showModal = function () {
    if (calls++ === 0) throw new Error('sabotaged showModal');
    return showModal.call(this);
  };
  const target = Object.getOwnPropertyDescriptor(Event.prototype, 'target');
  Object.defineProperty(Event.prototype, 'target', {configurable: true, get() {
    if (window.__sabotageTarget && this.type === 'click') throw new Error('sabotaged target');
    return target.get.call(this);
  }});
})();`)
	p.mustOpen(hardenPage("gated"))
	p.expectVisible(selBanner, "banner")
	p.click(selCustomize) // its handler panics in showModal
	p.do(`window.__sabotageTarget = true`)
	p.clickPage("#host-settings") // the delegated click listener panics reading the target
	p.do(`window.__sabotageTarget = false`)
	errs := p.logged()
	for _, want := range []string{"sabotaged showModal", "sabotaged target"} {
		if !slices.ContainsFunc(errs, func(s string) bool { return strings.Contains(s, want) }) {
			t.Errorf("the handler's failure %q was not reported; console: %q", want, errs)
		}
	}
	// The widget still works: the banner's buttons, the API, the dialog, the page's link.
	p.click(selAcceptAll)
	p.waitFor(`['a', 'b'].every((x) => (window.__order || []).includes(x))`, "the gated scripts to run after the panic")
	expectConsent(p, defaultWant(widget.MethodAcceptAll, acceptedStats, analytics))
	p.do(`Consentry.showPreferences()`)
	p.expectVisible(selPreferences, "preferences dialog after the panic")
	p.do(`Consentry.hidePreferences()`)
	p.expectHidden(selPreferences, "preferences dialog")
	p.clickPage("#host-settings")
	p.expectVisible(selPreferences, "preferences dialog from the page's link after the panic")
	p.do(`Consentry.hidePreferences()`)
	p.expectHidden(selPreferences, "preferences dialog")
	p.mu.Lock()
	for _, s := range p.exceptions {
		t.Errorf("uncaught exception reached the page: %s", s)
	}
	n := 0
	for _, s := range p.console {
		if strings.Contains(s, "Consentry") {
			n++
		}
	}
	p.mu.Unlock()
	if n != 2 {
		t.Errorf("%d console errors from the widget, want 2 (one per failure)", n)
	}
	expectHostWorks(p)
}

// TestE2EHardenLoadingVariants: consentry.js with defer, at the end of <body> without async,
// and injected by script after the load event all give one working widget: the banner, the
// gated scripts after consent, the "Cookie settings" link (CONTRACT.md §2).
func TestE2EHardenLoadingVariants(t *testing.T) {
	requireE2E(t)
	t.Parallel()
	for _, name := range []string{"defer", "end", "injected"} {
		t.Run(name, func(t *testing.T) {
			p := newPage(t)
			p.mustOpen(hardenPage(name))
			p.expectVisible(selBanner, "banner")
			expectNothingGated(p)
			p.click(selAcceptAll)
			p.waitFor(`['a', 'b'].every((x) => (window.__order || []).includes(x))`, "the gated scripts to run")
			p.clickPage("#host-settings")
			p.expectVisible(selPreferences, "preferences dialog from the page's link")
			if n := evalJS[int](p, `document.querySelectorAll('#`+widget.RootID+`').length`); n != 1 {
				t.Errorf("%d widget roots, want 1", n)
			}
			if o := p.order(); !slices.Equal(o, []string{"a", "b"}) && !slices.Equal(o, []string{"b", "a"}) {
				t.Errorf("gated scripts ran as %q, want a and b once each", o)
			}
			expectPageOK(p)
			p.expectClean()
		})
	}
}

// TestE2EHardenSinglePageApp: in a single-page app that swaps its view, gated elements and
// "Cookie settings" links added after the start work: before consent they wait, after it
// they run at once, and each new view's link opens the preferences (CONTRACT.md §5).
func TestE2EHardenSinglePageApp(t *testing.T) {
	p := newPage(t)
	p.mustOpen(hardenPage("spa"))
	p.clickPage("#nav-one")
	p.waitFor(`window.currentView === 'one'`, "view one")
	p.idle()
	if o := p.order(); len(o) != 0 {
		t.Errorf("a gated script of a new view ran before consent: %q", o)
	}
	p.clickPage("#settings-one")
	p.expectVisible(selPreferences, "preferences from view one's link")
	p.click(selPrefsAccept)
	p.waitFor(`(window.__order || []).includes('one')`, "view one's gated script after consent")
	p.clickPage("#nav-two")
	p.waitFor(`(window.__order || []).includes('two')`, "view two's gated script, with consent already given")
	p.clickPage("#settings-two")
	p.expectVisible(selPreferences, "preferences from view two's link")
	p.pressEscape()
	p.expectHidden(selPreferences, "preferences after Escape")
	if err := chromedp.Do(p.ctx, chromedp.NavigateBack()); err != nil {
		t.Fatal(err)
	}
	p.waitFor(`window.currentView === 'one'`, "view one again, by the history")
	p.waitFor(`(window.__order || []).filter((x) => x === 'one').length === 2`, "view one's new gated script")
	expectPageOK(p)
	p.expectClean()
}
