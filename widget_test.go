package consentry_test

// End-to-end tests of the built widget (dist/) in headless Chromium, against the public
// contract (CONTRACT.md). They drive the page as a visitor and a site owner would (real
// clicks, keys, window.Consentry) and read the consent cookie as data through the
// DevTools protocol, never through the widget's own getters. Run them with
//
//	go test -count=1 -run E2E -v .
//
// Set CONSENTRY_SKIP_DIST=1 to test the dist/ that is there without `make dist`.
// Screenshots for people to look at are `make screenshots`, not tests.
//
// This file holds the widget's core page behaviours (the banner on a first visit, accept,
// reject, the returning visitor) and the assertions the other files share. The suite is
// organised by feature:
//
//	widget_test.go          banner, first visit, shared assertions
//	dialog_e2e_test.go      the preferences dialog
//	cookie_e2e_test.go      the consent cookie over time (asked again, withdrawal, attributes, tabs)
//	gating_e2e_test.go      gated elements
//	api_e2e_test.go         the JavaScript API and the events
//	loading_e2e_test.go     loading variants and failing closed
//	csp_e2e_test.go         CSP, Trusted Types and isolation from the host page
//	a11y_e2e_test.go        accessibility (WCAG 2.2 AA, axe-core, keyboard, AX tree)
//	delivery_e2e_test.go    how the dist is delivered (preload, caching)
//	*_e2e_test.go           the integrations and later features (receipts, consent mode, …)
//	e2e_helpers_test.go     the harness: server, shared browser, one tab per test
//	fixtures_e2e_test.go    the generated fixture pages of the test server

import (
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"

	"github.com/consentry/consentry/widget"
)

// orderedScripts are the classic, non-async gated scripts of order.html, in document order.
var orderedScripts = []string{"a", "b", "c", "d", "e"}

// allOrderScripts are every gated script of order.html that the shipped policy accepts.
var allOrderScripts = []string{"a", "b", "c", "d", "e", "f", "m"}

// allScriptsRan is a JavaScript condition: every accepted script of order.html ran.
var allScriptsRan = `(() => { const o = window.__order || []; return ` +
	`['a','b','c','d','e','f','m'].every((x) => o.includes(x)); })()`

// uuidV4 matches a random (version 4, RFC 9562 variant) UUID in canonical form.
var uuidV4 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

// wantConsent is what a test expects of the consent cookie.
type wantConsent struct {
	revision   int
	scope      string
	method     string
	categories []string
	services   map[string][]string
}

// defaultWant is the expectation for the shipped policy.
func defaultWant(method string, categories []string, services map[string][]string) wantConsent {
	return wantConsent{revision: 1, scope: defaultScope, method: method, categories: categories, services: services}
}

var (
	acceptedStats = []string{"necessary", "statistics"}
	onlyNecessary = []string{"necessary"}
	analytics     = map[string][]string{"statistics": {"analytics"}}
)

// expectConsent checks the consent cookie's attributes and record against CONTRACT.md §3
// and §4 (the shipped cookie settings: Path=/, SameSite=Lax, 182 days, host-only) and
// returns the record.
func expectConsent(p *page, want wantConsent) consentRecord {
	p.t.Helper()
	t := p.t
	c, rec := p.mustConsent()

	if c.Path != "/" {
		t.Errorf("cookie Path = %q, want /", c.Path)
	}
	if c.SameSite != network.CookieSameSiteLax {
		t.Errorf("cookie SameSite = %q, want Lax", c.SameSite)
	}
	if c.Secure {
		t.Error("cookie is Secure on an http page; §4 sets Secure on https pages only")
	}
	if strings.HasPrefix(c.Domain, ".") {
		t.Errorf("cookie Domain = %q, want host-only (cookie.domain is \"\")", c.Domain)
	}
	if c.Session {
		t.Error("cookie is a session cookie; §4 wants Max-Age = expiresAfterDays days")
	} else {
		expires := time.Unix(int64(c.Expires), 0)
		wantExp := time.Now().Add(182 * 24 * time.Hour)
		if d := expires.Sub(wantExp); d > 24*time.Hour || d < -24*time.Hour {
			t.Errorf("cookie expires %v, want about %v (182 days, ±1 day)", expires.UTC(), wantExp.UTC())
		}
	}

	if rec.V != 1 {
		t.Errorf("v = %d, want 1", rec.V)
	}
	if rec.Revision != want.revision {
		t.Errorf("revision = %d, want %d", rec.Revision, want.revision)
	}
	if rec.Scope != want.scope {
		t.Errorf("scope = %q, want %q", rec.Scope, want.scope)
	}
	if !uuidV4.MatchString(rec.ID) {
		t.Errorf("id = %q, want a random UUID (v4)", rec.ID)
	}
	created := expectRecentUTC(t, "created", rec.Created)
	updated := expectRecentUTC(t, "updated", rec.Updated)
	if updated.Before(created) {
		t.Errorf("updated %s is before created %s", rec.Updated, rec.Created)
	}
	if rec.Method != want.method {
		t.Errorf("method = %q, want %q", rec.Method, want.method)
	}
	if !sameSet(rec.Categories, want.categories) {
		t.Errorf("categories = %q, want %q", rec.Categories, want.categories)
	}
	if !sameServices(rec.Services, want.services) {
		t.Errorf("services = %v, want %v", rec.Services, want.services)
	}
	return rec
}

// expectRecentUTC checks that a record timestamp is UTC RFC 3339 and within the test's
// lifetime, and returns it.
func expectRecentUTC(t *testing.T, field, s string) time.Time {
	t.Helper()
	ts, err := time.Parse(time.RFC3339, s)
	if err != nil || !strings.HasSuffix(s, "Z") {
		t.Errorf("%s = %q, want UTC RFC 3339 (…Z)", field, s)
		return ts
	}
	if d := time.Since(ts); d < -time.Minute || d > 2*time.Minute {
		t.Errorf("%s = %s, want about now (%s)", field, s, time.Now().UTC().Format(time.RFC3339))
	}
	return ts
}

// sameSet reports whether a and b hold the same strings, once each.
func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// sameServices compares two services maps, a missing map and an empty one alike.
func sameServices(a, b map[string][]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		w, ok := b[k]
		if !ok || !sameSet(v, w) {
			return false
		}
	}
	return true
}

// preferences is the detail of consentry:consent (CONTRACT.md §6 getUserPreferences).
type preferences struct {
	Method             string          `json:"method"`
	AcceptedCategories []string        `json:"acceptedCategories"`
	RejectedCategories []string        `json:"rejectedCategories"`
	AcceptedServices   json.RawMessage `json:"acceptedServices"`
	Revision           int             `json:"revision"`
	ID                 string          `json:"id"`
	Created            string          `json:"created"`
	Updated            string          `json:"updated"`
}

// expectOneConsentEvent checks that consentry:consent fired exactly once, as a
// CustomEvent whose detail is the preferences of the choice in the cookie.
func expectOneConsentEvent(p *page, rec consentRecord, rejected []string) {
	p.t.Helper()
	evs := p.events(widget.EventConsent)
	if len(evs) != 1 {
		p.t.Errorf("%s fired %d times, want once: %s", widget.EventConsent, len(evs), eventsString(evs))
		if len(evs) == 0 {
			return
		}
	}
	ev := evs[0]
	if !ev.IsCustomEvent {
		p.t.Errorf("%s is not a CustomEvent", widget.EventConsent)
	}
	var prefs preferences
	if err := json.Unmarshal(ev.Detail, &prefs); err != nil {
		p.t.Errorf("%s detail %s: %v", widget.EventConsent, ev.Detail, err)
		return
	}
	if prefs.Method != rec.Method || prefs.ID != rec.ID || prefs.Revision != rec.Revision {
		p.t.Errorf("%s detail = %s, want method %q, id %q, revision %d (the cookie's)",
			widget.EventConsent, ev.Detail, rec.Method, rec.ID, rec.Revision)
	}
	if !sameSet(prefs.AcceptedCategories, rec.Categories) {
		p.t.Errorf("%s detail acceptedCategories = %q, want %q", widget.EventConsent, prefs.AcceptedCategories, rec.Categories)
	}
	if !sameSet(prefs.RejectedCategories, rejected) {
		p.t.Errorf("%s detail rejectedCategories = %q, want %q", widget.EventConsent, prefs.RejectedCategories, rejected)
	}
}

// hasView reports whether a show or hide event's detail is {view: view} (§7).
func hasView(e consentryEvent, view string) bool {
	var d struct {
		View string `json:"view"`
	}
	return json.Unmarshal(e.Detail, &d) == nil && d.View == view
}

// eventsString prints recorded events for messages.
func eventsString(evs []consentryEvent) string {
	var b strings.Builder
	for _, e := range evs {
		fmt.Fprintf(&b, "\n  %s %s", e.Type, e.Detail)
	}
	return b.String()
}

// expectOrdered checks that the classic scripts ran in document order, that every accepted
// script ran exactly once, and that scripts of undeclared categories or services never ran.
func expectOrdered(p *page) {
	p.t.Helper()
	order := p.order()
	var classic []string
	for _, x := range order {
		if slices.Contains(orderedScripts, x) {
			classic = append(classic, x)
		}
	}
	if !slices.Equal(classic, orderedScripts) {
		p.t.Errorf("classic gated scripts ran as %q, want %q in document order (all: %q)", classic, orderedScripts, order)
	}
	for _, x := range allOrderScripts {
		if n := occurrences(order, x); n != 1 {
			p.t.Errorf("script %q ran %d times, want once (all: %q)", x, n, order)
		}
	}
	for _, x := range []string{"x", "y"} {
		if slices.Contains(order, x) {
			p.t.Errorf("script %q ran, but its category or service is not in the policy (all: %q)", x, order)
		}
	}
}

// occurrences counts x in s.
func occurrences(s []string, x string) int {
	n := 0
	for _, v := range s {
		if v == x {
			n++
		}
	}
	return n
}

// expectNothingRan checks that no gated element of order.html was activated.
func expectNothingRan(p *page) {
	p.t.Helper()
	if o := p.order(); len(o) != 0 {
		p.t.Errorf("gated scripts ran without consent: %q", o)
	}
	if ran := evalJS[string](p, `document.documentElement.dataset.ran || ''`); ran != "" {
		p.t.Errorf("gated external scripts ran without consent: %q", ran)
	}
	srcs := evalJS[[]string](p, `Array.from(document.querySelectorAll('iframe[data-src], img[data-src]'))
		.filter((el) => el.hasAttribute('src')).map((el) => el.outerHTML)`)
	if len(srcs) != 0 {
		p.t.Errorf("gated iframe/img got a src without consent: %q", srcs)
	}
	for _, c := range p.cookies() {
		if strings.HasPrefix(c.Name, "_pk_") {
			p.t.Errorf("analytics cookie %s set without consent", c.Name)
		}
	}
}

// expectPageOK checks that the host page's own script ran.
func expectPageOK(p *page) {
	p.t.Helper()
	if !evalJS[bool](p, `window.pageOK === true`) {
		p.t.Error("window.pageOK is not true: the host page's own script did not run")
	}
}

// TestE2EFirstVisitShowsBannerAndRunsNothing: on a first visit the banner shows and no
// gated element runs (CONTRACT.md §4, §5, §8).
func TestE2EFirstVisitShowsBannerAndRunsNothing(t *testing.T) {
	p := newPage(t)
	p.mustOpen("/test/order.html")

	root := evalJS[string](p, fmt.Sprintf(`(() => {
		const r = document.getElementById(%q);
		if (!r) return 'no #%[1]s';
		if (document.querySelectorAll('#%[1]s').length !== 1) return 'more than one #%[1]s';
		if (document.body.firstElementChild !== r) return '#%[1]s is not the first child of body';
		if (!r.shadowRoot) return 'no open shadow root';
		return 'ok';
	})()`, widget.RootID))
	if root != "ok" {
		t.Errorf("widget root: %s", root)
	}

	p.expectVisible(selBanner, "banner")
	p.expectHidden(selPreferences, "preferences dialog")
	if role, _ := p.shadowAttr(selBanner, "role"); role != "region" {
		t.Errorf("banner role = %q, want region (§8: not a modal)", role)
	}
	if m, ok := p.shadowAttr(selBanner, "aria-modal"); ok && m == "true" {
		t.Error("banner is aria-modal; §8 says it does not block the page")
	}
	title := evalJS[string](p, `((b) => {
		const id = b && b.getAttribute('aria-labelledby');
		const el = id && b.getRootNode().getElementById(id);
		return el ? el.textContent.trim() : '';
	})(`+shadowJS(selBanner)+`)`)
	if title == "" {
		t.Error("banner's aria-labelledby does not name a titled element of the shadow root")
	}
	for _, sel := range []string{selAcceptAll, selRejectAll, selCustomize} {
		p.expectVisible(sel, sel)
		if part, _ := p.shadowAttr(sel, "part"); !slices.Contains(strings.Fields(part), widget.PartButton) {
			t.Errorf("%s part = %q, want it to include %q", sel, part, widget.PartButton)
		}
		if text := p.shadowText(sel); text == "" {
			t.Errorf("%s has no text", sel)
		}
	}
	if got := p.shadowText(selAcceptAll); got != "Accept all" {
		t.Errorf("accept-all text = %q, want \"Accept all\"", got)
	}
	// §8: accept and reject have the same size and prominence.
	sizes := evalJS[[]float64](p, `[`+shadowJS(selAcceptAll)+`, `+shadowJS(selRejectAll)+`]
		.flatMap((el) => { const r = el.getBoundingClientRect(); return [r.width, r.height]; })`)
	if len(sizes) == 4 && (absFloat(sizes[0]-sizes[2]) > 1 || absFloat(sizes[1]-sizes[3]) > 1) {
		t.Errorf("accept-all is %.0f×%.0f and reject-all %.0f×%.0f, want the same size", sizes[0], sizes[1], sizes[2], sizes[3])
	}

	p.idle()
	expectNothingRan(p)
	if c := p.consentCookie(); c != nil {
		t.Errorf("a consent cookie exists before any choice: %q", c.Value)
	}
	if evs := p.events(widget.EventConsent); len(evs) != 0 {
		t.Errorf("%s fired without a choice: %s", widget.EventConsent, eventsString(evs))
	}
	shows := p.events(widget.EventShow)
	if len(shows) != 1 || !hasView(shows[0], widget.ViewBanner) {
		t.Errorf("want one %s with view banner, got %s", widget.EventShow, eventsString(shows))
	}
	if n := len(p.events(widget.EventReady)); n != 1 {
		t.Errorf("%s fired %d times, want once", widget.EventReady, n)
	}
	expectPageOK(p)
	p.expectClean()
}

// absFloat is the absolute value of x.
func absFloat(x float64) float64 { return max(x, -x) }

// TestE2EAcceptAll: a real click on "Accept all" hides the banner, runs the gated elements
// in document order with their attributes, writes the cookie of §4 and fires
// consentry:consent once; after a reload the choice holds.
func TestE2EAcceptAll(t *testing.T) {
	p := newPage(t)
	p.mustOpen("/test/order.html")
	p.expectVisible(selBanner, "banner")

	p.click(selAcceptAll)
	p.expectHidden(selBanner, "banner after Accept all")
	p.waitFor(allScriptsRan, "every accepted gated script to run")
	p.idle()
	expectOrdered(p)

	// §5: a new script element with every other attribute kept; data-type becomes type.
	type activated struct {
		Count          int     `json:"count"`
		Type           *string `json:"type"`
		Nonce          string  `json:"nonce"`
		Integrity      *string `json:"integrity"`
		CrossOrigin    *string `json:"crossorigin"`
		ReferrerPolicy *string `json:"referrerpolicy"`
		AsyncAttr      bool    `json:"asyncAttr"`
	}
	get := func(name string) activated {
		return evalJS[activated](p, fmt.Sprintf(`(() => {
			const all = Array.from(document.querySelectorAll('script[data-test=%q]'))
				.filter((s) => s.getAttribute('type') !== 'text/plain');
			const s = all[0];
			if (!s) return {count: 0};
			return {count: all.length, type: s.getAttribute('type'), nonce: s.nonce,
				integrity: s.getAttribute('integrity'), crossorigin: s.getAttribute('crossorigin'),
				referrerpolicy: s.getAttribute('referrerpolicy'), asyncAttr: s.hasAttribute('async')};
		})()`, name))
	}
	for _, name := range allOrderScripts {
		if a := get(name); a.Count != 1 {
			t.Errorf("script %s: %d activated elements, want 1", name, a.Count)
		}
	}
	if a := get("c"); a.Nonce != "e2e-nonce" {
		t.Errorf("script c: nonce = %q, want e2e-nonce kept", a.Nonce)
	}
	if a := get("d"); a.CrossOrigin == nil || *a.CrossOrigin != "anonymous" || a.ReferrerPolicy == nil || *a.ReferrerPolicy != "no-referrer" {
		t.Errorf("script d: crossorigin %v, referrerpolicy %v, want anonymous and no-referrer kept", deref(a.CrossOrigin), deref(a.ReferrerPolicy))
	}
	if a := get("e"); a.Integrity == nil || !strings.HasPrefix(*a.Integrity, "sha384-") {
		t.Errorf("script e: integrity %v, want kept", deref(a.Integrity))
	}
	if a := get("f"); !a.AsyncAttr {
		t.Error("script f: the async attribute was not kept")
	}
	if a := get("m"); a.Type == nil || *a.Type != "module" {
		t.Errorf("script m: type %v, want module (from data-type)", deref(a.Type))
	}

	// §5: elements with data-src get their src.
	p.waitFor(`(() => { const f = document.querySelector('iframe[data-test=frame]');
		try { return f && f.contentDocument && f.contentDocument.getElementById('frame'); } catch (e) { return false; } })()`,
		"the gated iframe to load /test/frame.html")
	p.waitFor(`(() => { const i = document.querySelector('img[data-test=img]');
		return i && i.getAttribute('src') && i.complete && i.naturalWidth === 1; })()`,
		"the gated img to load /test/pixel.gif")

	rec := expectConsent(p, defaultWant(widget.MethodAcceptAll, acceptedStats, analytics))
	expectOneConsentEvent(p, rec, nil)
	if hides := p.events(widget.EventHide); len(hides) == 0 || !hasView(hides[0], widget.ViewBanner) {
		t.Errorf("want %s with view banner after Accept all, got %s", widget.EventHide, eventsString(hides))
	}
	expectPageOK(p)
	p.expectClean()

	// A returning visitor (§4: "at load when a valid choice exists").
	p.mustReload()
	p.expectHidden(selBanner, "banner after reload")
	p.waitFor(allScriptsRan, "every accepted gated script to run after reload")
	p.idle()
	expectOrdered(p)
	rec2 := expectConsent(p, defaultWant(widget.MethodAcceptAll, acceptedStats, analytics))
	if rec2.ID != rec.ID {
		t.Errorf("id changed on reload: %q then %q", rec.ID, rec2.ID)
	}
	expectOneConsentEvent(p, rec2, nil)
	p.expectClean()
}

func deref(s *string) string {
	if s == nil {
		return "(absent)"
	}
	return fmt.Sprintf("%q", *s)
}

// TestE2ERejectAll: "Reject all" runs nothing and is stored and respected exactly like an
// acceptance (§4).
func TestE2ERejectAll(t *testing.T) {
	p := newPage(t)
	p.mustOpen("/test/order.html")
	p.click(selRejectAll)
	p.expectHidden(selBanner, "banner after Reject all")
	p.idle()
	expectNothingRan(p)
	rec := expectConsent(p, defaultWant(widget.MethodRejectAll, onlyNecessary, nil))
	expectOneConsentEvent(p, rec, []string{"statistics"})
	p.expectClean()

	p.mustReload()
	p.expectHidden(selBanner, "banner after reload")
	p.idle()
	expectNothingRan(p)
	rec2 := expectConsent(p, defaultWant(widget.MethodRejectAll, onlyNecessary, nil))
	if rec2.ID != rec.ID || rec2.Updated != rec.Updated {
		t.Errorf("the stored rejection changed on reload: %+v then %+v", rec, rec2)
	}
	expectOneConsentEvent(p, rec2, []string{"statistics"})
	if shows := p.events(widget.EventShow); len(shows) != 0 {
		t.Errorf("the widget showed something to a visitor who rejected: %s", eventsString(shows))
	}
	p.expectClean()
}

// TestE2EReturningVisitor: a valid cookie written by an earlier visit (built here, as
// §4 defines it) means no banner and the gated scripts run at load.
func TestE2EReturningVisitor(t *testing.T) {
	p := newPage(t)
	rec := acceptedRecord(t, time.Now().Add(-24*time.Hour))
	p.setConsent(rec)
	p.mustOpen("/test/order.html")
	p.waitFor(allScriptsRan, "the gated scripts to run for a returning visitor")
	p.idle()
	p.expectHidden(selBanner, "banner for a returning visitor")
	expectOrdered(p)
	if shows := p.events(widget.EventShow); len(shows) != 0 {
		t.Errorf("the widget showed something to a returning visitor: %s", eventsString(shows))
	}
	evs := p.events(widget.EventConsent)
	if len(evs) != 1 {
		t.Errorf("%s fired %d times at load, want once: %s", widget.EventConsent, len(evs), eventsString(evs))
	} else {
		var prefs preferences
		if err := json.Unmarshal(evs[0].Detail, &prefs); err != nil || prefs.ID != rec.ID || prefs.Method != rec.Method {
			t.Errorf("%s detail %s, want the stored choice (id %s, method %s)", widget.EventConsent, evs[0].Detail, rec.ID, rec.Method)
		}
	}
	p.expectClean()
}

// TestE2EBannerLeavesPageReachable: the banner does not block the page (§8): on a first
// visit, with the banner shown, the end of the demo page (its "Cookie settings" link) can
// still be scrolled to and clicked; and Esc in the dialog opened from the banner records
// nothing and leaves the banner up.
func TestE2EBannerLeavesPageReachable(t *testing.T) {
	p := newPage(t)
	p.mustOpen("/")
	p.expectVisible(selBanner, "banner")
	link := fmt.Sprintf(`[%s=%q]`, widget.AttrHook, widget.HookShowPrefs)
	p.clickPage(link) // fails when the banner covers the link at every scroll position
	p.expectVisible(selPreferences, "preferences dialog after clicking the footer link")
	p.pressEscape()
	p.expectHidden(selPreferences, "preferences dialog after Esc")
	if c := p.consentCookie(); c != nil {
		t.Errorf("Esc wrote a cookie: %q", c.Value)
	}
	p.expectVisible(selBanner, "banner after Esc on a first visit (no choice yet)")
	p.idle()
	if s := evalJS[string](p, `(document.getElementById('analytics-status') || {}).textContent || ''`); strings.Contains(s, "analytics loaded") {
		t.Errorf("#analytics-status = %q without consent", s)
	}
	p.expectClean()
}

// TestE2EEscapeKeepsChoice: with a choice stored, Esc closes the dialog without changing
// the choice, even after a switch was toggled (§8).
func TestE2EEscapeKeepsChoice(t *testing.T) {
	p := newPage(t)
	p.mustOpen("/test/order.html")
	p.click(selAcceptAll)
	p.waitFor(allScriptsRan, "the gated scripts to run")
	before := p.consentCookie()
	if before == nil {
		t.Fatalf("no consent cookie after Accept all%s", p.diagnostics())
	}

	p.do(`Consentry.showPreferences()`)
	p.expectVisible(selPreferences, "preferences dialog")
	sw := switchSel("statistics")
	if !evalJS[bool](p, shadowJS(sw)+`.checked`) {
		t.Error("statistics switch is off although statistics is accepted")
	}
	p.click(sw)
	p.waitFor(`!`+shadowJS(sw)+`.checked`, "the statistics switch to turn off")
	p.pressEscape()
	p.expectHidden(selPreferences, "preferences dialog after Esc")
	p.idle()
	after := p.consentCookie()
	if after == nil || after.Value != before.Value {
		t.Errorf("Esc changed the cookie: %q, then %v", before.Value, after)
	}
	if ch := p.events(widget.EventChange); len(ch) != 0 {
		t.Errorf("Esc fired %s: %s", widget.EventChange, eventsString(ch))
	}
	// Reopened, the dialog shows the stored choice, not the abandoned toggle.
	p.do(`Consentry.showPreferences()`)
	p.expectVisible(selPreferences, "preferences dialog, reopened")
	if !evalJS[bool](p, shadowJS(sw)+`.checked`) {
		t.Error("reopened dialog shows statistics off; the stored choice has it on")
	}
	p.expectClean()
}

// TestE2EDemoAcceptRunsAnalytics: the demo page's gated analytics runs only after
// Accept all: it writes "analytics loaded" and sets _pk_id.1.
func TestE2EDemoAcceptRunsAnalytics(t *testing.T) {
	p := newPage(t)
	p.mustOpen("/")
	p.expectVisible(selBanner, "banner on the demo page")
	p.idle()
	status := `(document.getElementById('analytics-status') || {}).textContent || ''`
	if s := evalJS[string](p, status); strings.Contains(s, "analytics loaded") {
		t.Errorf("#analytics-status = %q before consent", s)
	}
	if n := evalJS[int](p, `window.demoAnalyticsLoaded || 0`); n != 0 {
		t.Errorf("analytics.js ran %d times before consent", n)
	}
	if c := p.cookie("_pk_id.1"); c != nil {
		t.Error("_pk_id.1 set before consent")
	}
	p.click(selAcceptAll)
	p.waitFor(status+`.includes('analytics loaded')`, `#analytics-status to say "analytics loaded"`)
	p.poll(`document.cookie.includes('_pk_id.1=')`, time.Second) // the cookie store is asynchronous
	if p.cookie("_pk_id.1") == nil {
		t.Errorf("no _pk_id.1 cookie after Accept all; cookies: %s", cookieNames(p.cookies()))
	}
	p.idle()
	if n := evalJS[int](p, `window.demoAnalyticsLoaded || 0`); n != 1 {
		t.Errorf("analytics.js ran %d times, want once", n)
	}
	expectConsent(p, defaultWant(widget.MethodAcceptAll, acceptedStats, analytics))
	p.expectClean()
}

// TestE2EFrench: a page in French shows the French texts; setLanguage re-renders (§2, §6).
func TestE2EFrench(t *testing.T) {
	p := newPage(t)
	p.mustOpen("/test/fr.html")
	p.expectVisible(selBanner, "banner")
	if got := p.shadowText(selAcceptAll); got != "Tout accepter" {
		t.Errorf("accept-all text on a lang=fr page = %q, want \"Tout accepter\"", got)
	}
	p.do(`Consentry.setLanguage('en')`)
	p.waitFor(shadowJS(selAcceptAll)+`.textContent.trim() === 'Accept all'`, `"Accept all" after setLanguage('en')`)
	p.expectClean()
}

// TestE2EGlobalPrivacyControl: navigator.globalPrivacyControl === true on a first visit
// is a rejection, recorded with method gpc (§3, §4).
func TestE2EGlobalPrivacyControl(t *testing.T) {
	p := newPage(t, `Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', {get: () => true, configurable: true});`)
	p.mustOpen("/test/order.html")
	p.waitFor(`document.cookie.includes('`+widget.DefaultCookieName+`=')`, "the gpc choice to be stored")
	p.idle()
	expectNothingRan(p)
	expectConsent(p, defaultWant(widget.MethodGPC, onlyNecessary, nil))
	p.expectClean()
}

// TestFixtureIntegrity checks that the integrity attribute in order.html is the hash of
// sri.js, so that a failure of TestE2EAcceptAll is the widget's and not the fixture's.
func TestFixtureIntegrity(t *testing.T) {
	js, err := os.ReadFile(filepath.Join("testdata", "pages", "sri.js"))
	if err != nil {
		t.Fatal(err)
	}
	html, err := os.ReadFile(filepath.Join("testdata", "pages", "order.html"))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha512.Sum384(js)
	want := "sha384-" + base64.StdEncoding.EncodeToString(sum[:])
	if !strings.Contains(string(html), `integrity="`+want+`"`) {
		t.Errorf("order.html must carry integrity=%q for sri.js", want)
	}
}
