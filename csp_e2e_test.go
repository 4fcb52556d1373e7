package consentry_test

// End-to-end tests of issue 5, hardening: the widget runs on other people's pages, so it
// must fail closed and visibly (a missing or refused policy, a missing or broken wasm, no
// WebAssembly, a Go panic), never throw into the page, render policy texts as text only,
// run under a strict Content-Security-Policy (default-src 'self', a nonce with
// 'strict-dynamic', Trusted Types) with zero violations, stay whole under hostile page CSS
// and globals, and work however consentry.js is loaded.
//
// Fixtures are testdata/pages/harden-*.html, served under /harden/page/ by the routes below,
// which can point the page at a broken copy of the dist (?dist=), at another policy
// (?policy=) and send a Content-Security-Policy (?csp=).

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"image"
	"image/draw"
	"image/png"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/consentry/consentry/widget"
)

func init() {
	extraRoutes = append(extraRoutes, hardenRoutes)
}

// hardenCSP are the Content-Security-Policy headers the tests run pages under, by name.
var hardenCSP = map[string]string{
	// The CSP the README recommends: nothing inline, wasm compiled from 'self'.
	"strict": "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; object-src 'none'; base-uri 'none'",
	// A nonce-based strict CSP (google/strict-csp): host allow-lists are ignored.
	"nonce": "script-src 'nonce-harden-nonce' 'strict-dynamic' 'wasm-unsafe-eval'; style-src 'self'; object-src 'none'; base-uri 'none'",
	// Trusted Types for every script sink, any policy name allowed.
	"tt": "require-trusted-types-for 'script'",
	// Trusted Types with an allow-list, which must name the widget's policy.
	"tt-allow": "require-trusted-types-for 'script'; trusted-types consentry",
	// A strict CSP that forgets 'wasm-unsafe-eval': the widget cannot be compiled.
	"no-wasm": "default-src 'self'; script-src 'self'; style-src 'self'",
	// Trusted Types with an allow-list that forgets the widget's policy.
	"tt-deny": "require-trusted-types-for 'script'; trusted-types other",
}

// hardenRoutes adds the test server's /harden/ routes.
func hardenRoutes(mux *http.ServeMux) {
	mux.HandleFunc("/harden/page/", serveHardenPage)
	mux.HandleFunc("/harden/dist/", serveHardenDist)
	mux.HandleFunc("/harden/rule/", serveRulePolicy)
	mux.HandleFunc("/harden/demo/", func(w http.ResponseWriter, r *http.Request) {
		// The demo portal under the strict CSP.
		w.Header().Set("Content-Security-Policy", hardenCSP["strict"])
		http.StripPrefix("/harden/demo", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !strings.HasSuffix(r.URL.Path, "/") && path.Ext(r.URL.Path) == "" {
				r.URL.Path += ".html"
			}
			http.FileServer(http.Dir(filepath.Join("web", "demo"))).ServeHTTP(w, r)
		})).ServeHTTP(w, r)
	})
}

// serveHardenPage serves testdata/pages/harden-NAME.html. ?dist=VARIANT loads consentry.js
// from /harden/dist/VARIANT/, ?policy=URL adds data-policy, ?csp=NAME sends hardenCSP[NAME].
func serveHardenPage(w http.ResponseWriter, r *http.Request) {
	name := path.Base(r.URL.Path)
	if !strings.HasPrefix(name, "harden-") || !strings.HasSuffix(name, ".html") {
		http.NotFound(w, r)
		return
	}
	src, err := os.ReadFile(filepath.Join("testdata", "pages", name))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	page := string(src)
	q := r.URL.Query()
	tag := `src="/consentry/consentry.js"`
	newTag := tag
	if d := q.Get("dist"); d != "" {
		newTag = `src="/harden/dist/` + html.EscapeString(d) + `/consentry.js"`
	}
	if p := q.Get("policy"); p != "" {
		newTag += ` data-policy="` + html.EscapeString(p) + `"`
	}
	page = strings.ReplaceAll(page, tag, newTag)
	if c := q.Get("csp"); c != "" {
		csp, ok := hardenCSP[c]
		if !ok {
			http.Error(w, "unknown csp "+c, http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Security-Policy", csp)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	fmt.Fprint(w, page)
}

// serveHardenDist serves the dist folder under /harden/dist/VARIANT/, with the wasm broken
// as VARIANT says: "ok" (as is), "wasm404" (missing), "notwasm" (an HTML error page sent as
// application/wasm), "mime" (the real wasm as application/octet-stream, which makes
// instantiateStreaming throw and the loader fall back to an ArrayBuffer).
func serveHardenDist(w http.ResponseWriter, r *http.Request) {
	rest := strings.TrimPrefix(r.URL.Path, "/harden/dist/")
	variant, name, ok := strings.Cut(rest, "/")
	if !ok || strings.Contains(name, "/") || strings.HasPrefix(name, ".") {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	isWasm := strings.HasSuffix(name, ".wasm")
	switch {
	case isWasm && variant == "wasm404":
		http.NotFound(w, r)
		return
	case isWasm && variant == "notwasm":
		w.Header().Set("Content-Type", "application/wasm")
		fmt.Fprint(w, "<!doctype html><title>Not found</title><p>The page you are looking for is not here.")
		return
	}
	data, err := os.ReadFile(filepath.Join(distDir(), name))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	switch {
	case isWasm && variant == "mime":
		w.Header().Set("Content-Type", "application/octet-stream")
	case isWasm:
		w.Header().Set("Content-Type", "application/wasm")
	case strings.HasSuffix(name, ".js"):
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	default:
		w.Header().Set("Content-Type", "application/json")
	}
	w.Write(data)
}

// policyRule is one case of testdata/pages/harden-policy-rules.json: a policy that breaks
// one rule of CONTRACT.md §3, which the widget, the linter and the JSON Schema must all
// refuse (the schema where JSON Schema can express the rule).
type policyRule struct {
	Name   string          `json:"name"`
	Rule   string          `json:"rule"`
	Path   string          `json:"path"`   // the place every refusal must name ("" for JSON syntax)
	Want   string          `json:"want"`   // a part of the message
	Schema bool            `json:"schema"` // the JSON Schema can express the rule
	Policy json.RawMessage `json:"policy"`
	Text   string          `json:"text"` // instead of policy: raw text (JSON syntax errors)
}

// loadPolicyRules reads the shared table of refused policies.
func loadPolicyRules(t *testing.T) []policyRule {
	t.Helper()
	rules, err := readPolicyRules()
	if err != nil {
		t.Fatal(err)
	}
	return rules
}

func readPolicyRules() ([]policyRule, error) {
	data, err := os.ReadFile(filepath.Join("testdata", "pages", "harden-policy-rules.json"))
	if err != nil {
		return nil, err
	}
	var file struct {
		Cases []policyRule `json:"cases"`
	}
	if err := json.Unmarshal(data, &file); err != nil {
		return nil, fmt.Errorf("harden-policy-rules.json: %w", err)
	}
	return file.Cases, nil
}

// body is the policy text of a rule case.
func (r policyRule) body() []byte {
	if r.Text != "" {
		return []byte(r.Text)
	}
	return r.Policy
}

// serveRulePolicy serves /harden/rule/NAME.json, the policy of that rule case.
func serveRulePolicy(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimSuffix(path.Base(r.URL.Path), ".json")
	rules, err := readPolicyRules()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	for _, rule := range rules {
		if rule.Name == name {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Cache-Control", "no-store")
			w.Write(rule.body())
			return
		}
	}
	http.NotFound(w, r)
}

// hardenPage is the URL of a harden-*.html fixture with query parameters as pairs.
func hardenPage(name string, params ...string) string {
	q := url.Values{}
	for i := 0; i+1 < len(params); i += 2 {
		q.Set(params[i], params[i+1])
	}
	u := "/harden/page/harden-" + name + ".html"
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	return u
}

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

// expectNothingGated checks that no gated element of a harden fixture was activated.
func expectNothingGated(p *page) {
	p.t.Helper()
	settle()
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

// TestE2EHardenPolicyRules: the widget refuses a policy breaking each rule of CONTRACT.md §3
// (the table the linter and the JSON Schema are tested against too), fails closed, and names
// the place in consentry:error.
func TestE2EHardenPolicyRules(t *testing.T) {
	rules := loadPolicyRules(t)
	requireE2E(t)
	t.Parallel()
	const perPage = 8 // navigations per tab, within one test's time budget
	for start := 0; start < len(rules); start += perPage {
		batch := rules[start:min(start+perPage, len(rules))]
		t.Run(batch[0].Name, func(t *testing.T) {
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
			p.mu.Lock()
			defer p.mu.Unlock()
			for _, s := range p.exceptions {
				t.Errorf("uncaught exception reached the page: %s", s)
			}
		})
	}
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

// apiAbuseJS calls every method of window.Consentry with wrong arguments (none, wrong types,
// unknown ids, Symbols, objects with throwing getters, a revoked Proxy…) and returns the
// calls that threw. No call may record a choice: none of them is acceptAll or rejectAll.
const apiAbuseJS = `(() => {
  const throwing = {};
  Object.defineProperty(throwing, 'length', {get() { throw new Error('getter'); }});
  Object.defineProperty(throwing, 'toString', {get() { throw new Error('getter'); }});
  const throwingArray = ['statistics'];
  Object.defineProperty(throwingArray, 0, {get() { throw new Error('index getter'); }});
  const hostileProxy = new Proxy([], {get() { throw new Error('proxy'); }, getPrototypeOf() { throw new Error('proxy'); }});
  const revoked = Proxy.revocable({}, {}); revoked.revoke();
  const badValues = [undefined, null, 0, 42, NaN, true, '', 'not-a-category', {},
    ['statistics', 42], [Symbol('s')], Symbol('x'), throwing, throwingArray, hostileProxy,
    revoked.proxy, () => 'statistics', 10n, new String('statistics'), {length: 1, 0: 'statistics'},
    Object.create(null)];
  const methods = ['show', 'hide', 'showPreferences', 'hidePreferences', 'acceptCategory',
    'acceptedCategory', 'acceptedService', 'validConsent', 'getUserPreferences', 'setLanguage'];
  const threw = [];
  const answers = {};
  for (const m of methods) {
    const calls = [[]];
    for (const v of badValues) { calls.push([v]); calls.push([v, v]); calls.push([v, 'statistics']); }
    for (const args of calls) {
      try {
        const r = Consentry[m](...args);
        if (m.startsWith('accepted') || m === 'validConsent') { if (r !== false) answers[m] = r; }
      } catch (e) {
        threw.push(m + ': ' + String(e && e.message));
      }
    }
    Consentry.hidePreferences();
  }
  // Detached from window.Consentry, and called on something else.
  try { const f = Consentry.acceptedCategory; f('statistics'); f.call(null, Symbol()); } catch (e) { threw.push('detached: ' + e.message); }
  return {threw, answers: JSON.stringify(answers)};
})()`

// TestE2EHardenAPINeverThrows: every window.Consentry method is safe to call with wrong
// arguments, before and after the widget is ready: it answers with a console warning and a
// fail-closed value, never an exception, and records nothing (issue 5, CONTRACT.md §6).
func TestE2EHardenAPINeverThrows(t *testing.T) {
	type result struct {
		Threw   []string `json:"threw"`
		Answers string   `json:"answers"`
	}
	// Before ready: the calls are made as soon as consentry.js has defined the API.
	p := newPage(t, `document.addEventListener('DOMContentLoaded', () => {
  const poll = () => {
    if (!window.Consentry) { setTimeout(poll, 1); return; }
    try { window.__early = `+apiAbuseJS+`; } catch (e) { window.__early = {threw: ['battery: ' + e.message]}; }
  };
  poll();
});`)
	p.mustOpen(hardenPage("gated"))
	p.waitFor(`window.__early`, "the calls made before ready")
	for _, when := range []string{"before ready", "after ready"} {
		var r result
		if when == "before ready" {
			r = evalJS[result](p, `window.__early`)
		} else {
			r = evalJS[result](p, apiAbuseJS)
		}
		if len(r.Threw) != 0 {
			t.Errorf("%s, calls threw into the page: %q", when, r.Threw)
		}
		if r.Answers != "{}" {
			t.Errorf("%s, queries with wrong arguments answered %s, want false", when, r.Answers)
		}
	}
	expectNothingGated(p)
	if c := p.consentCookie(); c != nil {
		t.Errorf("wrong arguments recorded a choice: %q", c.Value)
	}
	warnings := 0
	for _, s := range p.logged() {
		if strings.Contains(s, "Consentry") {
			warnings++
		}
	}
	if warnings < 20 {
		t.Errorf("only %d console warnings for hundreds of wrong calls; want each refused call to warn", warnings)
	}
	p.expectClean() // warnings only: no console error, no exception
	// And the widget still works.
	p.do(`Consentry.acceptCategory(['statistics'])`)
	p.waitFor(`['a', 'b'].every((x) => (window.__order || []).includes(x))`, "the gated scripts to run")
	if !evalJS[bool](p, `Consentry.acceptedCategory('statistics') && Consentry.acceptedService('analytics', 'statistics')`) {
		t.Error("the API does not answer true after a valid acceptCategory")
	}
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
	settle()
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
		settle()
		expectNoViolations(p)
		p.expectClean()
	})
	t.Run("demo", func(t *testing.T) {
		p := newPage(t, violationRecorderJS)
		p.mustOpen("/harden/demo/")
		p.expectVisible(selBanner, "banner")
		p.click(selAcceptAll)
		p.expectHidden(selBanner, "banner")
		settle()
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
	settle()
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
			settle()
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
	settle()
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
	settle()
	if o := p.order(); len(o) != 0 {
		t.Errorf("gated scripts ran without a Trusted Types policy: %q", o)
	}
	if n := len(p.events(widget.EventConsent)); n != 1 {
		t.Errorf("%s fired %d times, want once: the rest of the choice must go on", widget.EventConsent, n)
	}
	expectPageOK(p)
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, s := range p.exceptions {
		t.Errorf("uncaught exception reached the page: %s", s)
	}
}
