package consentry_test

// This file holds the harness of the end-to-end tests (widget_test.go and *_e2e_test.go): one HTTP server
// (the dev server plus the fixture pages of testdata/pages), one headless Chromium shared
// by every test, and a page type that gives each test a fresh browser context (its own
// cookie jar) and the few operations the tests need: open a page and wait for
// Consentry.ready, evaluate JavaScript, query and click inside the widget's shadow root,
// and read the consent cookie through the DevTools protocol, as data.

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/consentry/consentry/internal/devserver"
	"github.com/consentry/consentry/internal/fixture"
	"github.com/consentry/consentry/internal/headless"
	"github.com/consentry/consentry/widget"
)

// chromiumPath is where `make deps` installs the browser.
const chromiumPath = "/usr/bin/chromium"

// e2eTimeout bounds each end-to-end test, from its first page to its last assertion.
const e2eTimeout = 30 * time.Second

// waitTimeout bounds one wait for a condition inside a test.
const waitTimeout = 5 * time.Second

// Selectors inside the shadow root.
var (
	selBanner      = partSel(widget.PartBanner)
	selPreferences = partSel(widget.PartPreferences)
	selAcceptAll   = partSel(widget.PartBanner) + " " + partSel(widget.PartAcceptAll)
	selRejectAll   = partSel(widget.PartBanner) + " " + partSel(widget.PartRejectAll)
	selCustomize   = partSel(widget.PartBanner) + " " + partSel(widget.PartCustomize)
	selSave        = partSel(widget.PartPreferences) + " " + partSel(widget.PartSave)
	selPrefsAccept = partSel(widget.PartPreferences) + " " + partSel(widget.PartAcceptAll)
	selPrefsReject = partSel(widget.PartPreferences) + " " + partSel(widget.PartRejectAll)
)

// partSel selects the elements whose part attribute lists name.
func partSel(name string) string { return fmt.Sprintf(`[part~=%q]`, name) }

// switchSel selects the preferences switch of a category (role=switch, or a plain checkbox
// where the category can be partly on).
func switchSel(category string) string {
	return fmt.Sprintf(`%s input[type="checkbox"][part~=%q][%s=%q]:not([%s])`, selPreferences, widget.PartSwitch, widget.AttrCategory, category, widget.AttrService)
}

// e2eEnv is what every end-to-end test shares. It is built once, by the first test that
// needs it, so that `go test -run Tooling` neither builds the dist nor starts a browser.
type e2eEnv struct {
	once       sync.Once
	baseURL    string
	browserCtx context.Context
	skip       string // why the tests are skipped (no browser outside CI)
	fail       string // why the tests cannot run
	teardown   []func()
}

var e2e e2eEnv

// distDir is the folder the tests serve as /consentry/: dist, or CONSENTRY_DIST (so that
// several builds can be tested side by side without one overwriting the other's files).
func distDir() string {
	if d := os.Getenv("CONSENTRY_DIST"); d != "" {
		return d
	}
	return "dist"
}

// extraRoutes lets other test files of the package add handlers to the test server, from
// their init functions, without editing the shared mux.
var extraRoutes []func(mux *http.ServeMux)

// extraBrowserFlags lets other test files add Chromium flags, from their init functions.
var extraBrowserFlags []chromedp.ExecAllocatorOption

// TestMain runs the tests and then stops what the end-to-end tests started: the browser,
// its profile directory and the HTTP server.
func TestMain(m *testing.M) {
	code := m.Run()
	for i := len(e2e.teardown) - 1; i >= 0; i-- {
		e2e.teardown[i]()
	}
	os.Exit(code)
}

// requireE2E starts the shared server and browser on first use, and skips or fails t
// when they cannot run.
func requireE2E(t *testing.T) {
	t.Helper()
	e2e.once.Do(e2e.setUp)
	if e2e.fail != "" {
		t.Fatal(e2e.fail)
	}
	if e2e.skip != "" {
		t.Skip(e2e.skip)
	}
}

// setUp builds the dist, starts the server and the browser. It records a failure rather
// than exiting, so that the package's other tests still run and report.
func (e *e2eEnv) setUp() {
	if _, err := os.Stat(chromiumPath); err != nil {
		msg := fmt.Sprintf("end-to-end tests need Chromium at %s (%v): run `make deps`", chromiumPath, err)
		if os.Getenv("CI") == "true" {
			e.fail = msg
		} else {
			e.skip = msg
		}
		return
	}
	// A CONSENTRY_DIST folder is built by whoever set it (go run ./cmd/consentry dist -o …).
	if os.Getenv("CONSENTRY_SKIP_DIST") != "1" && os.Getenv("CONSENTRY_DIST") == "" {
		cmd := exec.Command("make", "-s", "dist")
		if out, err := cmd.CombinedOutput(); err != nil {
			e.fail = fmt.Sprintf("make -s dist: %v\n%s", err, out)
			return
		}
	}
	if _, err := os.Stat(filepath.Join(distDir(), "consentry.js")); err != nil {
		e.fail = fmt.Sprintf("no %s/consentry.js (%v): run `make dist`", distDir(), err)
		return
	}
	bad, err := fixture.BadPolicy(filepath.Join(distDir(), "policy.json"))
	if err != nil {
		e.fail = err.Error()
		return
	}

	srv := httptest.NewServer(newTestMux(bad))
	e.teardown = append(e.teardown, srv.Close)
	e.baseURL = srv.URL

	profile, err := os.MkdirTemp("", "consentry-e2e-chromium-")
	if err != nil {
		e.fail = err.Error()
		return
	}
	e.teardown = append(e.teardown, func() { os.RemoveAll(profile) })
	opts := append(headless.Options(chromiumPath, profile),
		// Test host names such as www.consentry.test reach the local server, so cookies on
		// parent domains are real.
		chromedp.Flag("host-resolver-rules", "MAP *.consentry.test 127.0.0.1, MAP consentry.test 127.0.0.1"),
		// chromedp's two, plus the omnibox popups: Chromium builds them as WebUI pages, in a
		// renderer process of their own for every window, that is for every test's browser
		// context, and no test has an address bar. Without them the suite needs about a
		// third less CPU per test; the pages under test are unchanged.
		chromedp.Flag("disable-features", "Translate,BlinkGenPropertyTrees,WebUIOmniboxPopup,WebUIOmniboxAimPopup"),
	)
	opts = append(opts, extraBrowserFlags...)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	browserCtx, cancelBrowser := chromedp.NewContext(allocCtx)
	e.teardown = append(e.teardown, cancelAlloc, func() {
		chromedp.Cancel(browserCtx) // closes the browser and waits for it
		cancelBrowser()
	}) // run in reverse order
	if err := chromedp.Do(browserCtx); err != nil {
		e.fail = fmt.Sprintf("start Chromium: %v", err)
		return
	}
	e.browserCtx = browserCtx
}

// newTestMux serves the dev server (dist under /consentry/, the demo at /) and the fixtures
// of testdata/pages under /test/, with a few generated resources.
func newTestMux(badPolicy []byte) *http.ServeMux {
	mux := http.NewServeMux()
	mux.Handle("/", devserver.Handler(distDir(), "web/demo"))
	mux.Handle("/test/", http.StripPrefix("/test/", fixture.NoStore(http.FileServer(http.Dir(filepath.Join("testdata", "pages"))))))
	mux.HandleFunc("/test/script.js", fixture.OrderScript)
	mux.HandleFunc("/test/bad-policy.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		w.Write(badPolicy)
	})
	mux.HandleFunc("/test/pixel.gif", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/gif")
		w.Write(pixelGIF)
	})
	mux.HandleFunc("/test/csp.html", func(w http.ResponseWriter, r *http.Request) {
		// A header-delivered CSP, the kind that hides nonce attributes.
		w.Header().Set("Content-Security-Policy", "script-src 'nonce-e2e-nonce' 'wasm-unsafe-eval'")
		w.Header().Set("Cache-Control", "no-store")
		http.ServeFile(w, r, filepath.Join("testdata", "pages", "csp.html"))
	})
	for _, add := range extraRoutes {
		add(mux)
	}
	return mux
}

// pixelGIF is a transparent 1×1 GIF.
var pixelGIF = []byte{
	0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00,
	0xff, 0xff, 0xff, 0x21, 0xf9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x00, 0x00, 0x00,
	0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3b,
}

// page is one browser tab in a browser context of its own (its own cookies, cache and
// storage), with what the page reported to the console.
type page struct {
	t   *testing.T
	ctx context.Context

	mu         sync.Mutex
	console    []string // console.error/assert calls and error-level browser log entries
	warnings   []string // console.warn calls and warning-level browser log entries
	exceptions []string // uncaught exceptions and unhandled rejections

	// hooks are more listeners of the tab's events, called under mu (see interceptGoogle).
	hooks []func(ev any)

	// inflight are the tab's requests sent and not yet ended (see requestEnded), by id;
	// netChange is closed (and replaced) whenever one ends. See idle.
	inflight  map[network.RequestID]inflightRequest
	netChange chan struct{}
}

// newPage opens a fresh tab for t, in a new browser context, with a recorder of the
// consentry:* events installed in every document it loads. It marks t parallel: each
// test has its own cookies, so tests cannot see each other.
func newPage(t *testing.T, initScripts ...string) *page {
	t.Helper()
	requireE2E(t)
	t.Parallel()
	p := &page{t: t}
	tabCtx, cancelTab := chromedp.NewContext(e2e.browserCtx,
		chromedp.WithNewBrowserContext(),
		chromedp.WithListener(p.listen),
	)
	t.Cleanup(cancelTab)
	if err := chromedp.Do(tabCtx); err != nil { // opens the tab, with no deadline
		t.Fatalf("open tab: %v", err)
	}
	ctx, cancel := context.WithTimeout(tabCtx, e2eTimeout)
	t.Cleanup(cancel)
	p.ctx = ctx
	for _, src := range append([]string{eventRecorderJS()}, initScripts...) {
		if _, err := chromedp.Call(ctx, cdppage.AddScriptToEvaluateOnNewDocument,
			cdppage.AddScriptToEvaluateOnNewDocumentParams{Source: src}); err != nil {
			t.Fatalf("add init script: %v", err)
		}
	}
	return p
}

// listen records console errors, warnings and exceptions. It runs in the tab's event loop,
// before the reply to any later command is handled, so a check made after a command sees
// every message sent before it.
func (p *page) listen(ev any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, h := range p.hooks {
		h(ev)
	}
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		var parts []string
		for _, a := range ev.Args {
			parts = append(parts, remoteText(a))
		}
		msg := strings.Join(parts, " ")
		switch ev.Type {
		case runtime.ConsoleAPICalledTypeError, runtime.ConsoleAPICalledTypeAssert:
			p.console = append(p.console, msg)
		case runtime.ConsoleAPICalledTypeWarning:
			p.warnings = append(p.warnings, msg)
		}
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		msg := d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			msg += " " + d.Exception.Description
		}
		p.exceptions = append(p.exceptions, fmt.Sprintf("%s (%s:%d)", msg, d.URL, d.LineNumber+1))
	case *network.EventRequestWillBeSent:
		if p.inflight == nil {
			p.inflight = map[network.RequestID]inflightRequest{}
		}
		p.inflight[ev.RequestID] = inflightRequest{url: ev.Request.URL, loader: ev.LoaderID}
	case *network.EventResponseReceived:
		// An error answer to a script's fetch ends the request for idle: the widget fails
		// on the status and may never read the body, which then never "finishes".
		if ev.Response != nil && ev.Response.Status >= 400 && (ev.Type == network.ResourceTypeFetch || ev.Type == network.ResourceTypeXHR) {
			p.requestEnded(ev.RequestID)
		}
	case *network.EventLoadingFinished:
		p.requestEnded(ev.RequestID)
	case *network.EventLoadingFailed:
		p.requestEnded(ev.RequestID)
	case *cdppage.EventFrameNavigated:
		// A new document in the tab: the requests of the one before that still run (a
		// keepalive post) are no longer reported to this tab.
		if ev.Frame != nil && ev.Frame.ParentID == "" {
			for id, r := range p.inflight {
				if r.loader != ev.Frame.LoaderID {
					p.requestEnded(id)
				}
			}
		}
	case *cdplog.EventEntryAdded:
		e := ev.Entry
		if strings.HasSuffix(e.URL, "/favicon.ico") {
			return // the browser asks for it on its own
		}
		msg := fmt.Sprintf("%s: %s %s", e.Source, e.Text, e.URL)
		switch e.Level {
		case cdplog.EntryLevelError:
			p.console = append(p.console, msg)
		case cdplog.EntryLevelWarning:
			p.warnings = append(p.warnings, msg)
		}
	}
}

// inflightRequest is a request of the tab that has not ended: its URL and the document
// (loader) that made it.
type inflightRequest struct {
	url    string
	loader cdp.LoaderID
}

// requestEnded forgets a request that finished or failed, and wakes idle. Called under mu.
func (p *page) requestEnded(id network.RequestID) {
	if _, ok := p.inflight[id]; !ok {
		return
	}
	delete(p.inflight, id)
	if p.netChange != nil {
		close(p.netChange)
		p.netChange = nil
	}
}

// idle waits until the page has gone quiet, for a check that something did NOT happen:
// a rendered frame and a task after it (what event handlers, observers and zero-delay
// timers started has run), then no request of the tab in flight (a gated script that was
// wrongly activated has been fetched and run), twice, since a response can start more
// work. It waits on those events, never for a fixed time.
func (p *page) idle() {
	p.t.Helper()
	for range 2 {
		evalJS[chromedp.Void](p, idleFrameJS) // also a round trip: every earlier event has been seen
		p.waitNetworkIdle()
	}
}

// idleFrameJS resolves after the next rendered frame and a task after it (in a hidden tab,
// which renders no frames, after a task).
const idleFrameJS = `new Promise((resolve) =>
  (document.hidden ? setTimeout : requestAnimationFrame)(() => setTimeout(resolve, 0)))`

// waitNetworkIdle waits, at most waitTimeout, until no request of the tab is in flight.
func (p *page) waitNetworkIdle() {
	p.t.Helper()
	timeout := time.NewTimer(waitTimeout)
	defer timeout.Stop()
	for {
		p.mu.Lock()
		if len(p.inflight) == 0 {
			p.mu.Unlock()
			return
		}
		if p.netChange == nil {
			p.netChange = make(chan struct{})
		}
		ch := p.netChange
		var urls []string
		for _, r := range p.inflight {
			urls = append(urls, r.url)
		}
		p.mu.Unlock()
		select {
		case <-ch:
		case <-timeout.C:
			p.t.Fatalf("timed out after %v waiting for the page's requests to end: %q%s", waitTimeout, urls, p.diagnostics())
		}
	}
}

// waitAnimations waits until the widget's CSS transitions and animations have finished
// (their finished promises), for checks of the layout's end state, after a frame in which
// a transition that a style change starts has begun.
func (p *page) waitAnimations() {
	p.t.Helper()
	evalJS[chromedp.Void](p, fmt.Sprintf(`(async () => {
  const frame = () => new Promise((r) => (document.hidden ? setTimeout : requestAnimationFrame)(() => r()));
  await frame();
  const host = document.getElementById(%q);
  const root = host && host.shadowRoot;
  for (let a = root ? root.getAnimations() : []; a.length; a = root.getAnimations()) {
    await Promise.all(a.map((x) => x.finished.catch(() => {})));
    await frame();
  }
})()`, widget.RootID))
}

// remoteText is how the DevTools console would print a console argument, roughly.
func remoteText(o *runtime.RemoteObject) string {
	if o.Type == runtime.RemoteObjectTypeString {
		var s string
		if json.Unmarshal(o.Value, &s) == nil {
			return s
		}
	}
	if o.Description != "" {
		return o.Description
	}
	if len(o.Value) > 0 {
		return string(o.Value)
	}
	return string(o.Type)
}

// eventRecorderJS records every consentry:* event of the contract (§7) in
// window.__consentryEvents, with its detail copied as JSON, from the first script on.
func eventRecorderJS() string {
	names, _ := json.Marshal([]string{widget.EventReady, widget.EventConsent, widget.EventChange,
		widget.EventShow, widget.EventHide, widget.EventError})
	return `(() => {
  const rec = window.__consentryEvents = [];
  for (const name of ` + string(names) + `) {
    window.addEventListener(name, (e) => {
      let detail;
      try { detail = JSON.parse(JSON.stringify(e.detail === undefined ? null : e.detail)); }
      catch (err) { detail = {unserializable: String(err)}; }
      rec.push({type: e.type, isCustomEvent: e instanceof CustomEvent, detail});
    });
  }
})();`
}

// url is the absolute URL of a path on the test server.
func (p *page) url(path string) string { return e2e.baseURL + path }

// open navigates to path and waits for Consentry.ready to settle. It returns "resolved",
// or "rejected: <message>" (and fails t on anything else: no API, a timeout).
func (p *page) open(path string) string {
	p.t.Helper()
	if err := chromedp.Do(p.ctx, chromedp.Navigate(p.url(path))); err != nil {
		p.t.Fatalf("navigate to %s: %v", path, err)
	}
	return p.waitReady()
}

// reload reloads the page and waits for Consentry.ready to settle, as open does.
func (p *page) reload() string {
	p.t.Helper()
	if err := chromedp.Do(p.ctx, chromedp.Reload()); err != nil {
		p.t.Fatalf("reload: %v", err)
	}
	return p.waitReady()
}

// waitReady waits, at most 10 s, for window.Consentry.ready to resolve or reject.
func (p *page) waitReady() string {
	p.t.Helper()
	const js = `new Promise((resolve) => {
  const deadline = Date.now() + 10000;
  setTimeout(() => resolve('timeout: Consentry.ready did not settle in 10 s'), 10000);
  const tick = () => {
    const c = window.Consentry;
    if (c && c.ready && typeof c.ready.then === 'function') {
      c.ready.then(() => resolve('resolved'),
        (e) => resolve('rejected: ' + (e && e.message !== undefined ? e.message : String(e))));
      return;
    }
    if (Date.now() > deadline) {
      resolve(c ? 'window.Consentry has no ready promise' : 'no window.Consentry');
      return;
    }
    setTimeout(tick, 10);
  };
  tick();
})`
	state := evalJS[string](p, js)
	if state != "resolved" && !strings.HasPrefix(state, "rejected: ") {
		p.t.Fatalf("waiting for Consentry.ready: %s%s", state, p.diagnostics())
	}
	return state
}

// mustOpen opens path and fails t unless Consentry.ready resolves.
func (p *page) mustOpen(path string) {
	p.t.Helper()
	if state := p.open(path); state != "resolved" {
		p.t.Fatalf("open %s: Consentry.ready %s%s", path, state, p.diagnostics())
	}
}

// mustReload reloads and fails t unless Consentry.ready resolves.
func (p *page) mustReload() {
	p.t.Helper()
	if state := p.reload(); state != "resolved" {
		p.t.Fatalf("reload: Consentry.ready %s%s", state, p.diagnostics())
	}
}

// diagnostics is what the page reported, to append to a failure message.
func (p *page) diagnostics() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var b strings.Builder
	for _, s := range p.exceptions {
		b.WriteString("\n  exception: " + s)
	}
	for _, s := range p.console {
		b.WriteString("\n  console error: " + s)
	}
	for _, s := range p.warnings {
		b.WriteString("\n  console warning: " + s)
	}
	return b.String()
}

// evalJS evaluates a JavaScript expression in the page, awaiting it when it is a
// promise, and decodes its JSON value into T. It fails t on any error.
func evalJS[T any](p *page, expr string) T {
	p.t.Helper()
	v, err := chromedp.Run(p.ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		p.t.Fatalf("evaluate %s: %v%s", abbreviate(expr), err, p.diagnostics())
	}
	return v
}

// do runs a JavaScript statement for its effect.
func (p *page) do(expr string) {
	p.t.Helper()
	evalJS[chromedp.Void](p, "void ("+expr+")")
}

// abbreviate shortens a script for error messages.
func abbreviate(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 160 {
		s = s[:157] + "..."
	}
	return s
}

// waitFor polls a JavaScript condition until it is truthy, for at most waitTimeout,
// and fails t with what when it never is.
func (p *page) waitFor(cond, what string) {
	p.t.Helper()
	if !p.poll(cond, waitTimeout) {
		p.t.Fatalf("timed out after %v waiting for %s (%s)%s", waitTimeout, what, abbreviate(cond), p.diagnostics())
	}
}

// poll reports whether a JavaScript condition becomes truthy within d.
func (p *page) poll(cond string, d time.Duration) bool {
	p.t.Helper()
	_, err := chromedp.Run(p.ctx, chromedp.Poll[bool]("!!("+cond+")",
		chromedp.WithPollingInterval(20*time.Millisecond), chromedp.WithPollingTimeout(d)))
	if errors.Is(err, chromedp.ErrPollingTimeout) {
		return false
	}
	if err != nil {
		p.t.Fatalf("poll %s: %v%s", abbreviate(cond), err, p.diagnostics())
	}
	return true
}

// shadowJS is a JavaScript expression for the first element matching sel inside the
// widget's open shadow root, or null.
func shadowJS(sel string) string {
	s, _ := json.Marshal(sel)
	return fmt.Sprintf(`((r) => r && r.shadowRoot ? r.shadowRoot.querySelector(%s) : null)(document.getElementById(%q))`,
		s, widget.RootID)
}

// shadowState describes an element of the shadow root: "missing", "hidden attribute",
// "zero-size box", "visibility hidden" or "visible".
func (p *page) shadowState(sel string) string {
	p.t.Helper()
	return evalJS[string](p, `((el) => {
  if (!el) return 'missing';
  if (el.hidden || el.closest('[hidden]')) return 'hidden attribute';
  const r = el.getBoundingClientRect();
  if (!(r.width > 0 && r.height > 0)) return 'zero-size box';
  const cs = getComputedStyle(el);
  if (cs.visibility === 'hidden' || cs.display === 'none') return 'visibility hidden';
  return 'visible';
})(`+shadowJS(sel)+`)`)
}

// expectVisible fails t unless the shadow element sel is shown: present, without the
// hidden attribute, with a non-empty box. It waits a little, for transitions.
func (p *page) expectVisible(sel, what string) {
	p.t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for {
		state := p.shadowState(sel)
		if state == "visible" {
			return
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("%s (%s) should be visible, is %s%s", what, sel, state, p.diagnostics())
		}
		time.Sleep(20 * time.Millisecond) // a poll interval, not a wait for something to happen
	}
}

// expectHidden fails t unless the shadow element sel is hidden: absent, or carrying the
// hidden attribute (CONTRACT.md §8 as the widget implements it). It waits a little.
func (p *page) expectHidden(sel, what string) {
	p.t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for {
		state := p.shadowState(sel)
		if state == "missing" || state == "hidden attribute" {
			return
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("%s (%s) should be hidden, is %s%s", what, sel, state, p.diagnostics())
		}
		time.Sleep(20 * time.Millisecond) // a poll interval, not a wait for something to happen
	}
}

// shadowAttr returns an attribute of a shadow element, and whether it is there.
func (p *page) shadowAttr(sel, name string) (string, bool) {
	p.t.Helper()
	n, _ := json.Marshal(name)
	v := evalJS[*string](p, fmt.Sprintf(`((el) => el ? el.getAttribute(%s) : null)(%s)`, n, shadowJS(sel)))
	if v == nil {
		return "", false
	}
	return *v, true
}

// shadowText returns the trimmed text of a shadow element ("" when it is missing).
func (p *page) shadowText(sel string) string {
	p.t.Helper()
	return evalJS[string](p, fmt.Sprintf(`((el) => el ? el.textContent.trim().replace(/\s+/g, ' ') : '')(%s)`, shadowJS(sel)))
}

// click clicks the shadow element sel with real mouse input: it scrolls the element into
// view, checks that the element (or its label) is what a click at the centre of its box
// hits, and dispatches a press and a release there through the DevTools protocol.
func (p *page) click(sel string) { p.t.Helper(); p.clickAt(shadowJS(sel), sel) }

// clickPage clicks an element of the host page (a CSS selector) with real mouse input.
func (p *page) clickPage(sel string) {
	p.t.Helper()
	s, _ := json.Marshal(sel)
	p.clickAt("document.querySelector("+string(s)+")", sel)
}

// clickAt clicks the element that the JavaScript expression el gives.
func (p *page) clickAt(el, what string) {
	p.t.Helper()
	tg := evalJS[clickTarget](p, "("+clickTargetJS+")("+el+")")
	if !tg.OK {
		p.t.Fatalf("click %s: %s%s", what, tg.Why, p.diagnostics())
	}
	if err := chromedp.Do(p.ctx, chromedp.MouseClickXY(tg.X, tg.Y)); err != nil {
		p.t.Fatalf("click %s: %v", what, err)
	}
}

// clickTargetJS is testdata/click-target.js, the function both browser suites use to find
// where a click lands.
var clickTargetJS = func() string {
	b, err := os.ReadFile(filepath.Join("testdata", "click-target.js"))
	if err != nil {
		panic(err)
	}
	return string(b)
}()

// clickTarget is where clickAt clicks, or why it cannot.
type clickTarget struct {
	OK  bool    `json:"ok"`
	Why string  `json:"why"`
	X   float64 `json:"x"`
	Y   float64 `json:"y"`
}

// pressEscape sends the Escape key to the focused element.
func (p *page) pressEscape() {
	p.t.Helper()
	if err := chromedp.Do(p.ctx, chromedp.KeyEvent(kb.Escape)); err != nil {
		p.t.Fatalf("press Escape: %v", err)
	}
}

// order returns window.__order: the gated scripts that ran, in the order they ran.
func (p *page) order() []string {
	p.t.Helper()
	return evalJS[[]string](p, `window.__order || []`)
}

// consentryEvent is one recorded consentry:* event.
type consentryEvent struct {
	Type          string          `json:"type"`
	IsCustomEvent bool            `json:"isCustomEvent"`
	Detail        json.RawMessage `json:"detail"`
}

// events returns the recorded consentry:* events named name ("" for all).
func (p *page) events(name string) []consentryEvent {
	p.t.Helper()
	all := evalJS[[]consentryEvent](p, `window.__consentryEvents || []`)
	if name == "" {
		return all
	}
	var out []consentryEvent
	for _, e := range all {
		if e.Type == name {
			out = append(out, e)
		}
	}
	return out
}

// cookies returns the cookies the browser would send to the current page, with their
// attributes, as the DevTools protocol reports them.
func (p *page) cookies() []*network.Cookie {
	p.t.Helper()
	res, err := chromedp.Call(p.ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{p.url("/")}})
	if err != nil {
		p.t.Fatalf("Network.getCookies: %v", err)
	}
	return res.Cookies
}

// cookie returns the cookie named name, or nil.
func (p *page) cookie(name string) *network.Cookie {
	p.t.Helper()
	var found *network.Cookie
	for _, c := range p.cookies() {
		if c.Name == name {
			if found != nil {
				p.t.Fatalf("two cookies named %s: %q and %q", name, found.Value, c.Value)
			}
			found = c
		}
	}
	return found
}

// consentCookie returns the consent cookie, or nil.
func (p *page) consentCookie() *network.Cookie {
	p.t.Helper()
	return p.cookie(widget.DefaultCookieName)
}

// mustConsent returns the consent cookie decoded, and fails t when it is missing or does
// not decode.
func (p *page) mustConsent() (*network.Cookie, consentRecord) {
	p.t.Helper()
	c := p.consentCookie()
	if c == nil {
		p.t.Fatalf("no %s cookie; cookies: %s%s", widget.DefaultCookieName, cookieNames(p.cookies()), p.diagnostics())
	}
	rec, err := decodeConsent(c.Value)
	if err != nil {
		p.t.Fatalf("%s cookie %q: %v", widget.DefaultCookieName, c.Value, err)
	}
	return c, rec
}

// cookieNames lists cookie names for messages.
func cookieNames(cs []*network.Cookie) string {
	var names []string
	for _, c := range cs {
		names = append(names, c.Name)
	}
	return "[" + strings.Join(names, " ") + "]"
}

// setCookie stores a cookie for the test server's host, as if an earlier visit had
// written it.
func (p *page) setCookie(name, value string, expires time.Time) {
	p.t.Helper()
	_, err := chromedp.Call(p.ctx, network.SetCookie, network.SetCookieParams{
		Name:     name,
		Value:    value,
		URL:      p.url("/"),
		Path:     "/",
		SameSite: network.CookieSameSiteLax,
		Expires:  cdp.TimeSinceEpoch(expires.Unix()),
	})
	if err != nil {
		p.t.Fatalf("Network.setCookie %s: %v", name, err)
	}
}

// setConsent stores rec as the consent cookie, encoded as the widget must encode it.
func (p *page) setConsent(rec consentRecord) {
	p.t.Helper()
	raw, err := json.Marshal(rec)
	if err != nil {
		p.t.Fatal(err)
	}
	p.setCookie(widget.DefaultCookieName, encodeURIComponent(string(raw)), time.Now().Add(182*24*time.Hour))
}

// expectClean fails t when the page threw an uncaught exception or logged an error.
func (p *page) expectClean() {
	p.t.Helper()
	p.expectNoExceptions()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, s := range p.console {
		p.t.Errorf("console error: %s", s)
	}
}

// expectNoExceptions fails t when an uncaught exception reached the page.
func (p *page) expectNoExceptions() {
	p.t.Helper()
	evalJS[chromedp.Void](p, `void 0`) // a round trip: every earlier event has been seen
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, s := range p.exceptions {
		p.t.Errorf("uncaught exception reached the page: %s", s)
	}
}

// logged returns every console error and warning so far.
func (p *page) logged() []string {
	p.t.Helper()
	evalJS[chromedp.Void](p, `void 0`)
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Concat(p.console, p.warnings)
}

// consentRecord is the JSON object inside the consent cookie (CONTRACT.md §4), in the
// contract's field order.
type consentRecord struct {
	V          int                 `json:"v"`
	Revision   int                 `json:"revision"`
	Scope      string              `json:"scope"`
	ID         string              `json:"id"`
	Created    string              `json:"created"`
	Updated    string              `json:"updated"`
	Method     string              `json:"method"`
	Categories []string            `json:"categories"`
	Services   map[string][]string `json:"services"`
}

// decodeConsent decodes a consent cookie value: percent-decoding, then JSON. It refuses
// fields that §4 does not define, and a value that is not exactly encodeURIComponent of
// its JSON text.
func decodeConsent(value string) (consentRecord, error) {
	var rec consentRecord
	text, err := url.PathUnescape(value)
	if err != nil {
		return rec, fmt.Errorf("percent-decoding: %w", err)
	}
	if enc := encodeURIComponent(text); enc != value {
		return rec, fmt.Errorf("value is not encodeURIComponent of its JSON (§4): want %q", enc)
	}
	dec := json.NewDecoder(strings.NewReader(text))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rec); err != nil {
		return rec, fmt.Errorf("JSON %s: %w", text, err)
	}
	return rec, nil
}

// encodeURIComponent is JavaScript's encodeURIComponent for valid UTF-8: it leaves
// A–Z a–z 0–9 - _ . ! ~ * ' ( ) as they are and percent-encodes every other byte.
func encodeURIComponent(s string) string {
	const keep = "-_.!~*'()"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte(keep, c) >= 0 {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}

// scopeOf is the consent scope of §4: the first 8 hex digits of the SHA-256 of the
// byte-sorted, comma-joined ids of the optional categories and of their consent-requiring
// services, written category/service.
func scopeOf(ids ...string) string {
	ids = slices.Clone(ids)
	slices.Sort(ids)
	sum := sha256.Sum256([]byte(strings.Join(ids, ",")))
	return hex.EncodeToString(sum[:])[:8]
}

// defaultScope is the scope of the shipped policy.
var defaultScope = scopeOf("statistics", "statistics/analytics")

// newUUIDv4 returns a random version 4 UUID, for cookies the tests write themselves.
func newUUIDv4(t *testing.T) string {
	t.Helper()
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// acceptedRecord is a valid accept-all choice for the shipped policy, made at when.
func acceptedRecord(t *testing.T, when time.Time) consentRecord {
	ts := when.UTC().Format(time.RFC3339)
	return consentRecord{
		V: 1, Revision: 1, Scope: defaultScope, ID: newUUIDv4(t),
		Created: ts, Updated: ts, Method: widget.MethodAcceptAll,
		Categories: []string{"necessary", "statistics"},
		Services:   map[string][]string{"statistics": {"analytics"}},
	}
}

// screenshotsWanted reports whether CONSENTRY_SCREENSHOTS=1 asks for PNGs for humans.
func screenshotsWanted() bool { return os.Getenv("CONSENTRY_SCREENSHOTS") == "1" }

// saveScreenshot writes the visible viewport to build/screenshots/name.png.
func (p *page) saveScreenshot(name string) {
	p.t.Helper()
	png, err := chromedp.Run(p.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		p.t.Fatalf("screenshot %s: %v", name, err)
	}
	dir := filepath.Join("build", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		p.t.Fatal(err)
	}
	path := filepath.Join(dir, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		p.t.Fatal(err)
	}
	p.t.Logf("wrote %s", path)
}

// setViewport sets the size of the tab's viewport in CSS pixels.
func (p *page) setViewport(w, h int64) {
	p.t.Helper()
	if err := chromedp.Do(p.ctx, chromedp.EmulateViewport(w, h)); err != nil {
		p.t.Fatalf("viewport %dx%d: %v", w, h, err)
	}
}
