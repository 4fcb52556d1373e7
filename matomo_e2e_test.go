package consentry_test

// End-to-end tests of the policy key matomo (CONTRACT.md §11) with the demo's stand-in for
// Matomo's tracker (web/demo/analytics.js), which reads _paq the way matomo.js does and
// records, in window.__matomo, the calls it received in order and each page view it
// counted, with or without cookies.

import (
	"slices"
	"strings"
	"testing"
)

// matomoState is window.__matomo.
type matomoState struct {
	Calls []string `json:"calls"`
	Hits  []struct {
		Cookies bool `json:"cookies"`
	} `json:"hits"`
}

func (p *page) matomo() matomoState {
	p.t.Helper()
	return evalJS[matomoState](p, `window.__matomo || {calls: [], hits: []}`)
}

// expectCalls fails t unless Matomo received exactly want, in order.
func expectCalls(t *testing.T, what string, got matomoState, want ...string) {
	t.Helper()
	if !slices.Equal(got.Calls, want) {
		t.Errorf("%s: Matomo received %s, want %s", what, strings.Join(got.Calls, ", "), strings.Join(want, ", "))
	}
}

// hitsWithCookies writes the page views counted as "cookieless"/"cookies" words.
func hitsWithCookies(m matomoState) string {
	var s []string
	for _, h := range m.Hits {
		if h.Cookies {
			s = append(s, "cookies")
		} else {
			s = append(s, "cookieless")
		}
	}
	return strings.Join(s, " ")
}

// TestE2EMatomoLoadedAfterTheWidget: Matomo gated with the required category loads once
// the widget has put requireCookieConsent at the front of _paq: it counts the first
// visit without cookies; Accept all gives setCookieConsentGiven and the cookies; a
// returning visitor's page view has its consent ahead of the page's calls; withdrawing
// statistics gives forgetCookieConsentGiven, and the cookies go (§11).
func TestE2EMatomoLoadedAfterTheWidget(t *testing.T) {
	p := newPage(t)
	p.mustOpen("/test/recipes/matomo-after.html")
	p.waitFor(`window.__matomo && window.__matomo.hits.length === 1`, "Matomo's first page view")
	m := p.matomo()
	expectCalls(t, "first visit", m, "requireCookieConsent", "setSiteId", "trackPageView")
	if got := hitsWithCookies(m); got != "cookieless" {
		t.Errorf("first visit counted %q, want one cookieless page view", got)
	}
	if c := p.cookie("_pk_id.1"); c != nil {
		t.Error("_pk_id.1 set before consent")
	}

	p.click(selAcceptAll)
	p.waitFor(`document.cookie.includes('_pk_id.1=')`, "Matomo's cookies after Accept all")
	expectCalls(t, "after Accept all", p.matomo(), "requireCookieConsent", "setSiteId", "trackPageView", "setCookieConsentGiven")

	p.mustReload()
	p.waitFor(`window.__matomo && window.__matomo.hits.length === 1`, "Matomo's page view on the returning visit")
	m = p.matomo()
	expectCalls(t, "returning visitor", m, "requireCookieConsent", "setCookieConsentGiven", "setSiteId", "trackPageView")
	if got := hitsWithCookies(m); got != "cookies" {
		t.Errorf("returning visit counted %q, want one page view with cookies", got)
	}

	p.do(`Consentry.showPreferences()`)
	p.expectVisible(selPreferences, "preferences")
	p.click(switchSel("statistics"))
	p.click(selSave)
	p.waitFor(`!document.cookie.includes('_pk_id.1=')`, "Matomo's cookies gone after the withdrawal")
	expectCalls(t, "after the withdrawal", p.matomo(), "requireCookieConsent", "setCookieConsentGiven", "setSiteId", "trackPageView", "forgetCookieConsentGiven")
	p.expectClean()
}

// TestE2EMatomoLoadedBeforeTheWidget: Matomo already running when the widget starts (its
// _paq is then Matomo's object): the widget's calls go through its push (§11).
func TestE2EMatomoLoadedBeforeTheWidget(t *testing.T) {
	p := newPage(t)
	p.mustOpen("/test/recipes/matomo-before.html")
	p.waitFor(`window.__matomo && window.__matomo.calls.length === 4`, "the widget's call through Matomo's push")
	m := p.matomo()
	expectCalls(t, "first visit", m, "requireCookieConsent", "setSiteId", "trackPageView", "requireCookieConsent")
	if got := hitsWithCookies(m); got != "cookieless" {
		t.Errorf("first visit counted %q, want one cookieless page view", got)
	}
	p.click(selAcceptAll)
	p.waitFor(`document.cookie.includes('_pk_id.1=')`, "Matomo's cookies after Accept all")
	p.do(`Consentry.reset()`)
	p.waitFor(`!document.cookie.includes('_pk_id.1=')`, "Matomo's cookies gone after reset()")
	expectCalls(t, "after Accept all and reset()", p.matomo(), "requireCookieConsent", "setSiteId", "trackPageView", "requireCookieConsent",
		"setCookieConsentGiven", "forgetCookieConsentGiven")
	p.expectClean()
}

// TestE2EDemoCookielessStatistics: the demo (make run) counts a first visit without any
// cookie, and sets _pk_id and _pk_ses only after the visitor accepts statistics: the seed
// policy's two kinds of statistics side by side.
func TestE2EDemoCookielessStatistics(t *testing.T) {
	p := newPage(t)
	p.mustOpen("/")
	p.waitFor(`window.__matomo && window.__matomo.hits.length === 1`, "the demo's page view")
	if got := hitsWithCookies(p.matomo()); got != "cookieless" {
		t.Errorf("demo first visit counted %q, want one cookieless page view", got)
	}
	status := evalJS[string](p, `document.getElementById('analytics-status').textContent`)
	if !strings.Contains(status, "without cookies") {
		t.Errorf("#analytics-status = %q, want it to say the visit is counted without cookies", status)
	}
	for _, name := range []string{"_pk_id.1", "_pk_ses.1"} {
		if p.cookie(name) != nil {
			t.Errorf("%s set before consent", name)
		}
	}
	p.click(selAcceptAll)
	p.waitFor(`document.cookie.includes('_pk_id.1=') && document.cookie.includes('_pk_ses.1=')`, "_pk_id and _pk_ses after Accept all")
	p.expectClean()
}
