package consentry_test

// End-to-end tests of the built widget (dist/) in headless Chromium, against the public
// contract (CONTRACT.md). They drive the page as a visitor and a site owner would (real
// clicks, keys, window.Consentry) and read the consent cookie as data through the
// DevTools protocol, never through the widget's own getters. Run them with
//
//	go test -count=1 -run E2E -v .
//
// Set CONSENTRY_SKIP_DIST=1 to test the dist/ that is there without `make dist`, and
// CONSENTRY_SCREENSHOTS=1 to write PNGs of the banner and the dialog to build/screenshots.

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

// settle gives asynchronous work (script loads, timers) time to happen, before a test
// checks that something did not happen.
func settle() { time.Sleep(400 * time.Millisecond) }

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

	settle()
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
	settle()
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
	settle()
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
	settle()
	expectNothingRan(p)
	rec := expectConsent(p, defaultWant(widget.MethodRejectAll, onlyNecessary, nil))
	expectOneConsentEvent(p, rec, []string{"statistics"})
	p.expectClean()

	p.mustReload()
	p.expectHidden(selBanner, "banner after reload")
	settle()
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

// TestE2ECustomizeAndSave: Customize opens the dialog (§8), the statistics switch is off,
// turning it on and saving records a custom choice and runs the scripts without a reload.
func TestE2ECustomizeAndSave(t *testing.T) {
	p := newPage(t)
	p.mustOpen("/test/order.html")
	p.click(selCustomize)
	p.expectVisible(selPreferences, "preferences dialog")
	expectDialogSemantics(p)

	sw := switchSel("statistics")
	if evalJS[bool](p, shadowJS(sw)+` === null`) {
		t.Fatalf("no statistics switch (%s) in the dialog", sw)
	}
	if evalJS[bool](p, shadowJS(sw)+`.checked`) {
		t.Fatal("statistics switch is on before any choice")
	}
	if part, _ := p.shadowAttr(sw, "part"); !slices.Contains(strings.Fields(part), widget.PartSwitch) {
		t.Errorf("statistics switch part = %q, want it to include %q", part, widget.PartSwitch)
	}
	name := evalJS[string](p, `((el) => {
		const byId = (ids) => (ids || '').split(/\s+/).filter(Boolean)
			.map((id) => el.getRootNode().getElementById(id)).filter(Boolean).map((e) => e.textContent).join(' ');
		return (el.getAttribute('aria-label') || byId(el.getAttribute('aria-labelledby')) ||
			Array.from(el.labels || []).map((l) => l.textContent).join(' ')).trim();
	})(`+shadowJS(sw)+`)`)
	if name == "" {
		t.Error("statistics switch has no accessible name (§8: named by the category title)")
	}
	// Required categories show as on and cannot be changed (§8).
	if evalJS[bool](p, shadowJS(switchSel("necessary"))+` !== null`) {
		on := evalJS[bool](p, `((el) => el.checked && (el.disabled || el.getAttribute('aria-disabled') === 'true'))(`+shadowJS(switchSel("necessary"))+`)`)
		if !on {
			t.Error("the necessary switch is not shown as on and locked")
		}
	}

	p.click(sw)
	p.waitFor(shadowJS(sw)+`.checked`, "the statistics switch to turn on")
	if c := p.consentCookie(); c != nil {
		t.Errorf("toggling a switch wrote the cookie before Save: %q", c.Value)
	}
	if o := p.order(); len(o) != 0 {
		t.Errorf("toggling a switch ran scripts before Save: %q", o)
	}

	p.click(selSave)
	p.expectHidden(selPreferences, "preferences dialog after Save")
	p.expectHidden(selBanner, "banner after Save")
	p.waitFor(allScriptsRan, "the gated scripts to run after Save, without a reload")
	settle()
	expectOrdered(p)
	rec := expectConsent(p, defaultWant(widget.MethodCustom, acceptedStats, analytics))
	expectOneConsentEvent(p, rec, nil)
	p.expectClean()
}

// expectDialogSemantics checks the preferences dialog's roles and names (§8).
func expectDialogSemantics(p *page) {
	p.t.Helper()
	if role, _ := p.shadowAttr(selPreferences, "role"); role != "dialog" {
		p.t.Errorf("preferences role = %q, want dialog", role)
	}
	if m, _ := p.shadowAttr(selPreferences, "aria-modal"); m != "true" {
		p.t.Errorf("preferences aria-modal = %q, want true", m)
	}
	title := evalJS[string](p, `((d) => {
		const id = d && d.getAttribute('aria-labelledby');
		const el = id && d.getRootNode().getElementById(id);
		return el ? el.textContent.trim() : '';
	})(`+shadowJS(selPreferences)+`)`)
	if title == "" {
		p.t.Error("preferences dialog's aria-labelledby does not name a titled element")
	}
	for _, sel := range []string{selPrefsAccept, selPrefsReject, selSave, selPreferences + ` button[aria-label="Close"]`} {
		if evalJS[bool](p, shadowJS(sel)+` === null`) {
			p.t.Errorf("preferences dialog has no %s", sel)
		}
	}
	// Focus moves into the dialog and stays there while it is open.
	if !p.poll(`((d) => { const a = d && d.getRootNode().activeElement; return a && d.contains(a); })(`+shadowJS(selPreferences)+`)`, time.Second) {
		p.t.Error("focus is not inside the open preferences dialog")
	}
}

// TestE2EReturningVisitor: a valid cookie written by an earlier visit (built here, as
// §4 defines it) means no banner and the gated scripts run at load.
func TestE2EReturningVisitor(t *testing.T) {
	p := newPage(t)
	rec := acceptedRecord(t, time.Now().Add(-24*time.Hour))
	p.setConsent(rec)
	p.mustOpen("/test/order.html")
	p.waitFor(allScriptsRan, "the gated scripts to run for a returning visitor")
	settle()
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

// TestE2EShowPreferencesAPI: Consentry.showPreferences() and hidePreferences() open and
// close the dialog, with consentry:show and consentry:hide (§6, §7).
func TestE2EShowPreferencesAPI(t *testing.T) {
	p := newPage(t)
	p.mustOpen("/test/order.html")
	p.do(`Consentry.showPreferences()`)
	p.expectVisible(selPreferences, "preferences dialog after showPreferences()")
	expectDialogSemantics(p)
	if shows := p.events(widget.EventShow); !slices.ContainsFunc(shows, func(e consentryEvent) bool {
		return hasView(e, widget.ViewPreferences)
	}) {
		t.Errorf("no %s with view preferences: %s", widget.EventShow, eventsString(shows))
	}
	p.do(`Consentry.hidePreferences()`)
	p.expectHidden(selPreferences, "preferences dialog after hidePreferences()")
	if hides := p.events(widget.EventHide); !slices.ContainsFunc(hides, func(e consentryEvent) bool {
		return hasView(e, widget.ViewPreferences)
	}) {
		t.Errorf("no %s with view preferences: %s", widget.EventHide, eventsString(hides))
	}
	if c := p.consentCookie(); c != nil {
		t.Errorf("opening and closing the dialog wrote a cookie: %q", c.Value)
	}
	p.do(`Consentry.hide()`)
	p.expectHidden(selBanner, "banner after Consentry.hide()")
	p.do(`Consentry.show()`)
	p.expectVisible(selBanner, "banner after Consentry.show()")
	settle()
	expectNothingRan(p)
	p.expectClean()
}

// TestE2EFooterLinkOpensPreferences: on the demo page, a returning visitor's real click on
// the footer's "Cookie settings" link (data-consentry="show-preferences") opens the
// dialog; Esc closes it, returns focus to the link and changes nothing (§6, §8).
func TestE2EFooterLinkOpensPreferences(t *testing.T) {
	p := newPage(t)
	p.setConsent(acceptedRecord(t, time.Now().Add(-time.Hour)))
	p.mustOpen("/")
	p.expectHidden(selBanner, "banner for a returning visitor")
	before := p.consentCookie()
	if before == nil {
		t.Fatal("the stored choice disappeared at load")
	}
	link := fmt.Sprintf(`[%s=%q]`, widget.AttrHook, widget.HookShowPrefs)
	p.clickPage(link)
	p.expectVisible(selPreferences, "preferences dialog after clicking the footer link")
	expectDialogSemantics(p)
	if !evalJS[bool](p, shadowJS(switchSel("statistics"))+`.checked`) {
		t.Error("the dialog shows statistics off; the stored choice has it on")
	}

	p.pressEscape()
	p.expectHidden(selPreferences, "preferences dialog after Esc")
	if !p.poll(fmt.Sprintf(`document.activeElement === document.querySelector(%q)`, link), time.Second) {
		t.Errorf("focus did not return to the footer link after Esc; it is on %s",
			evalJS[string](p, `document.activeElement ? document.activeElement.outerHTML.slice(0, 120) : 'nothing'`))
	}
	settle()
	if after := p.consentCookie(); after == nil || after.Value != before.Value {
		t.Errorf("Esc changed the cookie: %q, then %v", before.Value, after)
	}
	p.expectHidden(selBanner, "banner after Esc")
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
	settle()
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
	settle()
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

// TestE2EInvalidPolicyFailsClosed: a refused policy fails closed (§3): ready rejects,
// consentry:error names the place, nothing gated runs, the page keeps working.
func TestE2EInvalidPolicyFailsClosed(t *testing.T) {
	p := newPage(t)
	state := p.open("/test/invalid-policy.html")
	if !strings.HasPrefix(state, "rejected: ") {
		t.Errorf("Consentry.ready %s, want it rejected", state)
	}
	settle()
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

// TestE2EInvalidConsentCookie: anything but a valid choice counts as no choice: the banner
// shows, nothing optional runs, nothing crashes (§4).
func TestE2EInvalidConsentCookie(t *testing.T) {
	valid := func(mutate func(r *consentRecord)) string {
		r := acceptedRecord(t, time.Now().Add(-time.Hour))
		mutate(&r)
		raw, _ := json.Marshal(r)
		return encodeURIComponent(string(raw))
	}
	validJSON, _ := json.Marshal(acceptedRecord(t, time.Now()))
	old := time.Now().Add(-200 * 24 * time.Hour).UTC().Format(time.RFC3339)
	tests := []struct {
		name, value, why string
	}{
		{"garbage", "%7Bgarbage", "§4: garbage"},
		{"truncated", encodeURIComponent(string(validJSON[:len(validJSON)/2])), "§4: truncated"},
		{"bad-percent", "%E0%A4%A", "§4: garbage (broken percent-encoding)"},
		{"version-2", valid(func(r *consentRecord) { r.V = 2 }), "§4: v is not 1"},
		{"old-revision", valid(func(r *consentRecord) { r.Revision = 0 }), "§4: revision differs from the policy's"},
		{"newer-revision", valid(func(r *consentRecord) { r.Revision = 2 }), "§4: revision differs from the policy's"},
		{"other-scope", valid(func(r *consentRecord) { r.Scope = scopeOf("statistics") }), "§4: scope does not match the policy"},
		{"expired", valid(func(r *consentRecord) { r.Created, r.Updated = old, old }), "§4: updated older than expiresAfterDays"},
		{"unknown-category", valid(func(r *consentRecord) { r.Categories = append(r.Categories, "marketing") }), "§4: unknown ids"},
		{"wrong-types", encodeURIComponent(strings.Replace(string(validJSON), `"categories":["necessary","statistics"]`, `"categories":"statistics"`, 1)), "§4: wrong types"},
		{"oversized", encodeURIComponent(`{"v":1,"pad":"` + strings.Repeat("x", 3900) + `"}`), "§4: oversized"},
	}
	requireE2E(t)
	t.Parallel()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newPage(t)
			p.setCookie(widget.DefaultCookieName, tt.value, time.Now().Add(24*time.Hour))
			if p.consentCookie() == nil {
				t.Fatalf("the browser refused the test cookie %q", tt.value)
			}
			p.mustOpen("/test/order.html")
			p.expectVisible(selBanner, "banner ("+tt.why+")")
			settle()
			expectNothingRan(p)
			if evs := p.events(widget.EventConsent); len(evs) != 0 {
				t.Errorf("%s fired for an invalid cookie (%s)", widget.EventConsent, tt.why)
			}
			if evalJS[bool](p, `Consentry.validConsent()`) {
				t.Errorf("validConsent() is true for an invalid cookie (%s)", tt.why)
			}
			p.expectClean()
		})
	}
}

// TestE2EQueuedCallsReplayed: window.Consentry exists as soon as consentry.js runs; calls
// made before ready are replayed in order, queries before ready fail closed (§6).
func TestE2EQueuedCallsReplayed(t *testing.T) {
	p := newPage(t)
	p.mustOpen("/test/queue.html")
	before := evalJS[map[string]any](p, `window.beforeReady || {missing: true}`)
	want := map[string]any{"validConsent": false, "acceptedCategory": false, "acceptedService": false, "preferences": nil}
	for k, v := range want {
		if got, ok := before[k]; !ok || got != v {
			t.Errorf("before ready, %s answered %v, want %v (all: %v)", k, got, v, before)
		}
	}
	p.waitFor(`(window.__order || []).includes('a')`, "the gated script to run after the replayed acceptAll()")
	settle()
	if o := p.order(); !slices.Equal(o, []string{"a"}) {
		t.Errorf("gated scripts ran as %q, want [a]", o)
	}
	expectConsent(p, defaultWant(widget.MethodAcceptAll, acceptedStats, analytics))
	p.expectHidden(selBanner, "banner after the replayed acceptAll()")
	expectPageOK(p)
	p.expectClean()
}

// TestE2ELoadedTwiceOneWidget: including consentry.js twice (and once more by script)
// creates one widget, which runs each gated script once (§2).
func TestE2ELoadedTwiceOneWidget(t *testing.T) {
	p := newPage(t)
	p.mustOpen("/test/twice.html")
	p.waitFor(`document.querySelectorAll('script[src$="consentry.js"]').length === 3`, "the third consentry.js to be injected")
	p.waitFor(`document.readyState === 'complete'`, "the page to load")
	time.Sleep(time.Second) // let every copy start, if it would
	if n := evalJS[int](p, fmt.Sprintf(`document.querySelectorAll('#%s').length`, widget.RootID)); n != 1 {
		t.Fatalf("%d #%s elements, want 1", n, widget.RootID)
	}
	if n := evalJS[int](p, fmt.Sprintf(`document.getElementById(%q).shadowRoot.querySelectorAll(%q).length`, widget.RootID, selBanner)); n != 1 {
		t.Errorf("%d banners, want 1", n)
	}
	p.click(selAcceptAll)
	p.waitFor(`(window.__order || []).includes('a')`, "the gated script to run")
	settle()
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

// TestE2ELateElementWaitsForConsent: a gated script added 500 ms after load waits for
// consent and runs once the visitor accepts (§5).
func TestE2ELateElementWaitsForConsent(t *testing.T) {
	p := newPage(t)
	p.mustOpen("/test/later.html")
	p.waitFor(`window.lateAdded === true`, "the page to add its late elements")
	settle()
	if o := p.order(); len(o) != 0 {
		t.Errorf("the late gated script ran without consent: %q", o)
	}
	p.click(selAcceptAll)
	p.waitFor(`(window.__order || []).includes('late')`, "the late gated script to run after Accept all")
	settle()
	if o := p.order(); !slices.Equal(o, []string{"late"}) {
		t.Errorf("gated scripts ran as %q, want [late] once", o)
	}
	p.expectClean()
}

// TestE2ELateElementActivatedWithConsent: with a valid choice stored, a gated script
// added after load runs at once, and a "Cookie settings" button added after load opens
// the dialog (§5, §6).
func TestE2ELateElementActivatedWithConsent(t *testing.T) {
	p := newPage(t)
	p.setConsent(acceptedRecord(t, time.Now().Add(-time.Hour)))
	p.mustOpen("/test/later.html")
	p.waitFor(`window.lateAdded === true`, "the page to add its late elements")
	p.waitFor(`(window.__order || []).includes('late')`, "the late gated script to run")
	settle()
	if o := p.order(); !slices.Equal(o, []string{"late"}) {
		t.Errorf("gated scripts ran as %q, want [late] once", o)
	}
	p.clickPage("#late-settings")
	p.expectVisible(selPreferences, "preferences dialog after clicking the late button")
	p.expectClean()
}

// TestE2ENothingRunsTwice: accepting, then saving the same choice and accepting again,
// runs each gated element once (§5).
func TestE2ENothingRunsTwice(t *testing.T) {
	p := newPage(t)
	p.mustOpen("/test/order.html")
	p.click(selAcceptAll)
	p.waitFor(allScriptsRan, "the gated scripts to run")
	p.do(`Consentry.showPreferences()`)
	p.expectVisible(selPreferences, "preferences dialog")
	p.click(selSave)
	p.expectHidden(selPreferences, "preferences dialog after Save")
	p.do(`Consentry.acceptAll()`)
	p.do(`Consentry.acceptCategory(['statistics'])`)
	time.Sleep(800 * time.Millisecond) // longer than b's 300 ms, were it fetched again
	expectOrdered(p)
	if n := evalJS[int](p, `document.querySelectorAll('iframe[data-test=frame]').length + document.querySelectorAll('img[data-test=img]').length`); n != 2 {
		t.Errorf("%d gated iframe/img elements, want 2", n)
	}
	if ran := strings.Fields(evalJS[string](p, `document.documentElement.dataset.ran || ''`)); len(ran) != 5 {
		t.Errorf("external gated scripts ran as %q, want b d e f m once each", ran)
	}
	p.expectClean()
}

// TestE2EAcceptCategoryAPI: acceptCategory records exactly the given optional categories,
// and a change fires consentry:change (§6, §7).
func TestE2EAcceptCategoryAPI(t *testing.T) {
	p := newPage(t)
	p.mustOpen("/test/order.html")
	p.do(`Consentry.acceptCategory('statistics')`)
	p.waitFor(allScriptsRan, "the gated scripts to run after acceptCategory('statistics')")
	rec := expectConsent(p, defaultWant(widget.MethodCustom, acceptedStats, analytics))
	p.expectHidden(selBanner, "banner after acceptCategory")

	p.do(`Consentry.acceptCategory([])`)
	p.waitFor(`!Consentry.acceptedCategory('statistics')`, "statistics to be withdrawn")
	rec2 := expectConsent(p, defaultWant(widget.MethodCustom, onlyNecessary, nil))
	if rec2.ID != rec.ID {
		t.Errorf("id changed on update: %q then %q (§4: kept across updates)", rec.ID, rec2.ID)
	}
	changes := p.events(widget.EventChange)
	if len(changes) != 1 {
		t.Fatalf("%s fired %d times, want once: %s", widget.EventChange, len(changes), eventsString(changes))
	}
	var d struct {
		Preferences       preferences `json:"preferences"`
		ChangedCategories []string    `json:"changedCategories"`
	}
	if err := json.Unmarshal(changes[0].Detail, &d); err != nil || !slices.Equal(d.ChangedCategories, []string{"statistics"}) ||
		!sameSet(d.Preferences.AcceptedCategories, onlyNecessary) {
		t.Errorf("%s detail = %s, want changedCategories [statistics] and the new preferences", widget.EventChange, changes[0].Detail)
	}
	p.expectClean()
}

// TestE2EResetForgetsChoice: Consentry.reset() deletes the cookie and shows the banner (§6).
func TestE2EResetForgetsChoice(t *testing.T) {
	p := newPage(t)
	p.mustOpen("/test/order.html")
	p.click(selAcceptAll)
	p.expectHidden(selBanner, "banner after Accept all")
	if p.consentCookie() == nil {
		t.Fatal("no consent cookie after Accept all")
	}
	p.do(`Consentry.reset()`)
	p.expectVisible(selBanner, "banner after reset()")
	if c := p.consentCookie(); c != nil {
		t.Errorf("reset() left the consent cookie: %q", c.Value)
	}
	p.expectClean()
}

// TestE2EDemoAcceptRunsAnalytics: the demo page's gated analytics runs only after
// Accept all: it writes "analytics loaded" and sets _pk_id.1.
func TestE2EDemoAcceptRunsAnalytics(t *testing.T) {
	p := newPage(t)
	p.mustOpen("/")
	p.expectVisible(selBanner, "banner on the demo page")
	settle()
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
	settle()
	if n := evalJS[int](p, `window.demoAnalyticsLoaded || 0`); n != 1 {
		t.Errorf("analytics.js ran %d times, want once", n)
	}
	expectConsent(p, defaultWant(widget.MethodAcceptAll, acceptedStats, analytics))
	p.expectClean()
}

// TestE2EDemoWithdrawDeletesDeclaredCookies: withdrawing statistics deletes the cookies
// the policy declares in it (_pk_id.*), never the consent cookie, and fires
// consentry:change (§5, §7).
func TestE2EDemoWithdrawDeletesDeclaredCookies(t *testing.T) {
	p := newPage(t)
	p.mustOpen("/")
	p.click(selAcceptAll)
	p.waitFor(`document.cookie.includes('_pk_id.1=')`, "the analytics cookie")
	p.do(`Consentry.showPreferences()`)
	p.expectVisible(selPreferences, "preferences dialog")
	sw := switchSel("statistics")
	p.click(sw)
	p.waitFor(`!`+shadowJS(sw)+`.checked`, "the statistics switch to turn off")
	p.click(selSave)
	p.expectHidden(selPreferences, "preferences dialog after Save")
	p.waitFor(`!document.cookie.includes('_pk_id.1=')`, "the withdrawn category's _pk_id.1 cookie to be deleted")
	expectConsent(p, defaultWant(widget.MethodCustom, onlyNecessary, nil))
	changes := p.events(widget.EventChange)
	if len(changes) != 1 || !strings.Contains(string(changes[0].Detail), `"changedCategories":["statistics"]`) {
		t.Errorf("want one %s with changedCategories [statistics], got %s", widget.EventChange, eventsString(changes))
	}
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

// TestE2EStrictCSPNonce: under a header-delivered CSP that allows scripts by nonce only,
// the widget starts and its activated scripts carry the nonce, so they run (§5).
func TestE2EStrictCSPNonce(t *testing.T) {
	p := newPage(t)
	p.mustOpen("/test/csp.html")
	p.click(selAcceptAll)
	p.waitFor(`['inline', 'external'].every((x) => (window.__order || []).includes(x))`,
		"both nonce'd gated scripts to run under the CSP")
	settle()
	if o := p.order(); !slices.Equal(o, []string{"inline", "external"}) {
		t.Errorf("gated scripts ran as %q, want [inline external]", o)
	}
	expectPageOK(p)
	p.expectClean()
}

// TestE2EGlobalPrivacyControl: navigator.globalPrivacyControl === true on a first visit
// is a rejection, recorded with method gpc (§3, §4).
func TestE2EGlobalPrivacyControl(t *testing.T) {
	p := newPage(t, `Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', {get: () => true, configurable: true});`)
	p.mustOpen("/test/order.html")
	p.waitFor(`document.cookie.includes('`+widget.DefaultCookieName+`=')`, "the gpc choice to be stored")
	settle()
	expectNothingRan(p)
	expectConsent(p, defaultWant(widget.MethodGPC, onlyNecessary, nil))
	p.expectClean()
}

// TestE2EScreenshots writes PNGs of the banner and the dialog at a desktop and a phone
// size to build/screenshots, for humans. It asserts nothing else.
func TestE2EScreenshots(t *testing.T) {
	if !screenshotsWanted() {
		t.Skip("set CONSENTRY_SCREENSHOTS=1 to write build/screenshots/*.png")
	}
	requireE2E(t)
	t.Parallel()
	for _, size := range []struct{ w, h int64 }{{1280, 800}, {360, 740}} {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) {
			p := newPage(t)
			p.setViewport(size.w, size.h)
			p.mustOpen("/")
			p.expectVisible(selBanner, "banner")
			time.Sleep(300 * time.Millisecond) // transitions
			p.saveScreenshot(fmt.Sprintf("banner-%dx%d", size.w, size.h))
			p.do(`Consentry.showPreferences()`)
			p.expectVisible(selPreferences, "preferences dialog")
			time.Sleep(300 * time.Millisecond)
			p.saveScreenshot(fmt.Sprintf("preferences-%dx%d", size.w, size.h))
		})
	}
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
