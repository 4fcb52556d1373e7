package consentry_test

// End-to-end tests of a choice over time (CONTRACT.md §3–§5, §7): when the visitor is asked
// again, how the record evolves, what a withdrawal deletes, duplicate and blocked cookies,
// the consent cookie's attributes, Global Privacy Control, exempt services and several
// tabs, an invalid consent cookie. Most run on the /test/lifecycle/ page of
// fixtures_e2e_test.go, whose variants state the policy each test runs under.

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/consentry/consentry/widget"
)

// openURL navigates to an absolute URL and fails t unless Consentry.ready resolves.
func (p *page) openURL(u string) {
	p.t.Helper()
	if err := chromedp.Do(p.ctx, chromedp.Navigate(u)); err != nil {
		p.t.Fatalf("navigate to %s: %v", u, err)
	}
	if state := p.waitReady(); state != "resolved" {
		p.t.Fatalf("open %s: Consentry.ready %s%s", u, state, p.diagnostics())
	}
}

// loads is how many documents the tab has loaded (lifecycleInitJS).
func (p *page) loads() int {
	p.t.Helper()
	return evalJS[int](p, `Number(sessionStorage.getItem('__loads') || 0)`)
}

// waitLoads waits until the tab has loaded n documents and Consentry is ready in the last
// one. Evaluations fail while a navigation replaces the document, so they are retried.
func (p *page) waitLoads(n int) {
	p.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		got, err := chromedp.Run(p.ctx, chromedp.Evaluate[int](`document.readyState === 'complete' ? Number(sessionStorage.getItem('__loads') || 0) : -1`))
		if err == nil && got == n {
			break
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("the tab did not load document %d (last: %d, %v)%s", n, got, err, p.diagnostics())
		}
		time.Sleep(50 * time.Millisecond) // a poll: the count lives across a reload, which no one script can await
	}
	if state := p.waitReady(); state != "resolved" {
		p.t.Fatalf("after reload: Consentry.ready %s%s", state, p.diagnostics())
	}
}

// storedEvents returns the consentry:consent and consentry:change events of every load of
// the tab, in order (lifecycleInitJS).
func (p *page) storedEvents() []consentryEvent {
	p.t.Helper()
	return evalJS[[]consentryEvent](p, `JSON.parse(sessionStorage.getItem('__events') || '[]')`)
}

// cookiesAt returns the cookies the browser would send to the absolute URL u.
func (p *page) cookiesAt(u string) []*network.Cookie {
	p.t.Helper()
	res, err := chromedp.Call(p.ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{u}})
	if err != nil {
		p.t.Fatalf("Network.getCookies: %v", err)
	}
	return res.Cookies
}

// consentCookiesAt returns every consent cookie sent to u: one, unless a repair is due.
func (p *page) consentCookiesAt(u string) []*network.Cookie {
	p.t.Helper()
	var out []*network.Cookie
	for _, c := range p.cookiesAt(u) {
		if c.Name == widget.DefaultCookieName {
			out = append(out, c)
		}
	}
	return out
}

// oneConsentAt fails t unless exactly one consent cookie is sent to u, and returns it with
// its record.
func (p *page) oneConsentAt(u string) (*network.Cookie, consentRecord) {
	p.t.Helper()
	cs := p.consentCookiesAt(u)
	if len(cs) != 1 {
		var desc []string
		for _, c := range cs {
			desc = append(desc, fmt.Sprintf("Domain=%s Path=%s %s", c.Domain, c.Path, c.Value))
		}
		p.t.Fatalf("%d consent cookies sent to %s, want exactly one: %q%s", len(cs), u, desc, p.diagnostics())
	}
	rec, err := decodeConsent(cs[0].Value)
	if err != nil {
		p.t.Fatalf("consent cookie %q: %v", cs[0].Value, err)
	}
	return cs[0], rec
}

// setCookieParams stores a cookie through the DevTools protocol, as an earlier visit
// would have left it.
func (p *page) setCookieParams(params network.SetCookieParams) {
	p.t.Helper()
	if params.Path == "" {
		params.Path = "/"
	}
	if params.Expires == 0 {
		params.Expires = cdp.TimeSinceEpoch(time.Now().Add(180 * 24 * time.Hour).Unix())
	}
	if params.SameSite == "" {
		params.SameSite = network.CookieSameSiteLax
	}
	if _, err := chromedp.Call(p.ctx, network.SetCookie, params); err != nil {
		p.t.Fatalf("Network.setCookie %s: %v", params.Name, err)
	}
}

// consentValue encodes a record as the widget writes the consent cookie.
func consentValue(t *testing.T, rec consentRecord) string {
	t.Helper()
	if rec.Services == nil {
		rec.Services = map[string][]string{} // §4: an object, never null
	}
	raw, err := json.Marshal(rec)
	if err != nil {
		t.Fatal(err)
	}
	return encodeURIComponent(string(raw))
}

// rejectedRecord is a valid reject-all choice for the shipped policy, made at when.
func rejectedRecord(t *testing.T, when time.Time) consentRecord {
	r := acceptedRecord(t, when)
	r.Method = widget.MethodRejectAll
	r.Categories = []string{"necessary"}
	r.Services = map[string][]string{}
	return r
}

// expectRan fails t unless exactly the scripts want ran, each once.
func expectRan(p *page, want ...string) {
	p.t.Helper()
	got := p.order()
	if !sameSet(got, want) || len(got) != len(want) {
		p.t.Errorf("gated scripts that ran: %q, want %q", got, want)
	}
}

// changedCategoriesOf decodes the changedCategories of a consentry:change event.
func changedCategoriesOf(t *testing.T, e consentryEvent) (prefs preferences, changed []string) {
	t.Helper()
	var d struct {
		Preferences       preferences `json:"preferences"`
		ChangedCategories []string    `json:"changedCategories"`
	}
	if err := json.Unmarshal(e.Detail, &d); err != nil {
		t.Fatalf("%s detail %s: %v", e.Type, e.Detail, err)
	}
	if d.ChangedCategories == nil {
		t.Errorf("%s detail %s has no changedCategories array", e.Type, e.Detail)
	}
	return d.Preferences, d.ChangedCategories
}

// warned reports whether a console warning so far contains s.
func (p *page) warned(s string) bool {
	p.t.Helper()
	return slices.ContainsFunc(p.logged(), func(m string) bool { return strings.Contains(m, s) })
}

// bringToFront makes the tab the active one of its window, hiding the others.
func (p *page) bringToFront() {
	p.t.Helper()
	if _, err := chromedp.Call(p.ctx, cdppage.BringToFront, cdp.Empty{}); err != nil {
		p.t.Fatalf("Page.bringToFront: %v", err)
	}
}

// newSiblingTab opens another tab in p's browser context (same cookies) and p's window, as
// a visitor's second tab: only one of the two is visible at a time.
func newSiblingTab(p *page, initScripts ...string) *page {
	p.t.Helper()
	q := &page{t: p.t}
	ctx, cancel := chromedp.NewContext(p.ctx, chromedp.WithNewWindow(false), chromedp.WithListener(q.listen))
	p.t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		p.t.Fatalf("open a second tab: %v", err)
	}
	q.ctx = ctx
	for _, src := range append([]string{eventRecorderJS(), lifecycleInitJS}, initScripts...) {
		if _, err := chromedp.Call(ctx, cdppage.AddScriptToEvaluateOnNewDocument,
			cdppage.AddScriptToEvaluateOnNewDocumentParams{Source: src}); err != nil {
			p.t.Fatalf("add init script: %v", err)
		}
	}
	return q
}

// visibility is document.visibilityState in the tab.
func (p *page) visibility() string {
	p.t.Helper()
	return evalJS[string](p, `document.visibilityState`)
}

// TestE2ELifecycleAskedAgain: a new revision and an expired choice bring the banner back with
// nothing optional running, and the new answer is stored for the policy as it is now; a
// still-valid choice is never asked again (§3, §4). Which stored choices are still valid is
// widget.Consent's decision, table-tested natively: a changed scope (a category or a service
// added or removed, an exempt service that keeps it) in widget/consent_test.go
// TestScopeChanges and TestCheckReasons, expiry to the second and a shorter
// expiresAfterDays in TestConsentCookieDecision and TestCheckReasons, a refusal kept exactly
// like an acceptance (CNIL-REC art. 2) in widget/session_test.go TestSessionStart. The
// browser checks the wiring: a policy revision, the visitor's clock, the banner, the gate.
func TestE2ELifecycleAskedAgain(t *testing.T) {
	now := time.Now()
	tests := []struct {
		name     string
		variants []string
		stored   func(t *testing.T) consentRecord
		asked    bool
		wantRan  []string // when not asked
		newScope string   // the scope of the variant's policy, when asked
		newRev   int
	}{
		{"revision bump", []string{"rev2"},
			func(t *testing.T) consentRecord { return acceptedRecord(t, now.Add(-time.Hour)) }, true, nil, defaultScope, 2},
		{"acceptance expired (183 days)", nil,
			func(t *testing.T) consentRecord { return acceptedRecord(t, now.Add(-183*24*time.Hour)) }, true, nil, defaultScope, 1},
		{"acceptance still valid (181 days)", nil,
			func(t *testing.T) consentRecord { return acceptedRecord(t, now.Add(-181*24*time.Hour)) }, false,
			[]string{"statistics", "analytics"}, "", 0},
	}
	requireE2E(t)
	t.Parallel()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newLifecyclePage(t)
			stored := tt.stored(t)
			value := consentValue(t, stored)
			p.setCookie(widget.DefaultCookieName, value, time.Now().Add(400*24*time.Hour))
			p.mustOpen(lifecyclePath(tt.variants...))
			p.idle()
			if !tt.asked {
				p.expectHidden(selBanner, "banner for a still-valid choice")
				expectRan(p, tt.wantRan...)
				if n := len(p.events(widget.EventConsent)); n != 1 {
					t.Errorf("%s fired %d times at load, want once", widget.EventConsent, n)
				}
				if shows := p.events(widget.EventShow); len(shows) != 0 {
					t.Errorf("the widget showed something for a still-valid choice: %s", eventsString(shows))
				}
				// Asked again on the next page? Never.
				p.mustReload()
				p.idle()
				p.expectHidden(selBanner, "banner on the next page view")
				if c := p.consentCookie(); c == nil || c.Value != value {
					t.Errorf("the stored choice changed by merely visiting: %v", c)
				}
				p.expectClean()
				return
			}
			p.expectVisible(selBanner, "banner, asked again")
			expectRan(p) // nothing optional
			if evalJS[bool](p, `Consentry.validConsent() || Consentry.acceptedCategory('statistics')`) {
				t.Error("the API answers as if the outdated choice were valid")
			}
			if evs := p.events(widget.EventConsent); len(evs) != 0 {
				t.Errorf("%s fired for an outdated choice: %s", widget.EventConsent, eventsString(evs))
			}
			// Answering again stores a choice for the policy as it is now.
			p.click(selAcceptAll)
			p.waitFor(`(window.__order || []).includes('statistics')`, "the gated scripts to run after Accept all")
			_, rec := p.mustConsent()
			if rec.Revision != tt.newRev || rec.Scope != tt.newScope || rec.Method != widget.MethodAcceptAll {
				t.Errorf("new choice: revision %d scope %s method %s, want revision %d scope %s method %s",
					rec.Revision, rec.Scope, rec.Method, tt.newRev, tt.newScope, widget.MethodAcceptAll)
			}
			if evs := p.events(widget.EventConsent); len(evs) != 1 {
				t.Errorf("%s fired %d times after answering again, want once (a first valid choice)", widget.EventConsent, len(evs))
			}
			if evs := p.events(widget.EventChange); len(evs) != 0 {
				t.Errorf("%s fired for a choice replacing an invalid one: %s", widget.EventChange, eventsString(evs))
			}
			p.expectClean()
		})
	}
}

// TestE2ELifecycleUpdateKeepsCreated: a choice stored by an earlier visit keeps its id and
// created time when updated days later; updated becomes now.
func TestE2ELifecycleUpdateKeepsCreated(t *testing.T) {
	p := newLifecyclePage(t)
	rec := rejectedRecord(t, time.Now().Add(-10*24*time.Hour))
	rec.Updated = time.Now().Add(-5 * 24 * time.Hour).UTC().Format(time.RFC3339)
	p.setConsent(rec)
	p.mustOpen(lifecyclePath())
	p.do(`Consentry.acceptAll()`)
	p.waitFor(`(window.__order || []).includes('analytics')`, "analytics to run after acceptAll()")
	_, got := p.mustConsent()
	if got.ID != rec.ID || got.Created != rec.Created || got.Method != widget.MethodAcceptAll {
		t.Errorf("updated record id %s created %s method %s, want id %s created %s method accept-all", got.ID, got.Created, got.Method, rec.ID, rec.Created)
	}
	expectRecentUTC(t, "updated", got.Updated)
	changes := p.events(widget.EventChange)
	if len(changes) != 1 {
		t.Fatalf("%s fired %d times, want once", widget.EventChange, len(changes))
	}
	if _, changed := changedCategoriesOf(t, changes[0]); !slices.Equal(changed, []string{"statistics"}) {
		t.Errorf("changedCategories %q, want [statistics]", changed)
	}
	p.expectClean()
}

// TestE2ELifecycleWithdrawalDeletesCookies: un-ticking a service deletes the cookies it
// declares, un-ticking a category those of the category and its services, on the current
// host, each parent domain up to the registrable one, with Path=/, the current directory
// and the current path; necessary cookies, undeclared ones and the consent cookie stay
// (§5; REQUIREMENTS §5.4; checklist 49).
func TestE2ELifecycleWithdrawalDeletesCookies(t *testing.T) {
	p := newLifecyclePage(t)
	pageURL := hostURL(wwwHost, lifecyclePath("heatmaps"))
	p.openURL(pageURL)
	p.click(selAcceptAll)
	p.waitFor(`(window.__order || []).includes('heatmaps')`, "the gated scripts to run")

	// What trackers and the site would have written, everywhere a script can.
	planted := []string{
		"_pk_id.host=1; Path=/",
		"_pk_id.www=1; Domain=" + wwwHost + "; Path=/",
		"_pk_id.parent=1; Domain=consentry.test; Path=/",
		"_pk_ses.dir=1; Path=/test/lifecycle",
		"_pk_ses.page=1; Path=/test/lifecycle/page.html",
		"_pk_ses.parentdir=1; Domain=consentry.test; Path=/test/lifecycle",
		"_hjSession=1; Domain=consentry.test; Path=/",
		"_hjid=1; Path=/test/lifecycle",
		"sessionid=1; Domain=consentry.test; Path=/",
		"csrftoken=1; Path=/",
		"unrelated=1; Path=/",
	}
	for _, c := range planted {
		b, _ := json.Marshal(c)
		p.do(`document.cookie = ` + string(b))
	}
	names := func() []string {
		var out []string
		for _, c := range p.cookiesAt(pageURL) {
			out = append(out, c.Name)
		}
		slices.Sort(out)
		return out
	}
	// A write to document.cookie, the page's or the widget's, reaches the browser's cookie
	// store (which the DevTools protocol reads) asynchronously: namesBecome polls the store
	// until it holds exactly want, for at most waitTimeout.
	namesBecome := func(want []string) (got []string, ok bool) {
		deadline := time.Now().Add(waitTimeout)
		for got = names(); !slices.Equal(got, want); got = names() {
			if time.Now().After(deadline) {
				return got, false
			}
			time.Sleep(20 * time.Millisecond) // a poll interval, not a wait for something to happen
		}
		return got, true
	}
	var all []string
	for _, c := range planted {
		all = append(all, c[:strings.IndexByte(c, '=')])
	}
	all = append(all, widget.DefaultCookieName)
	slices.Sort(all)
	if got, ok := namesBecome(all); !ok {
		t.Fatalf("cookies before the withdrawal: %q, want the %d planted and the consent cookie", got, len(planted))
	}

	// Un-ticking one service deletes its cookies only.
	p.do(`Consentry.showPreferences()`)
	p.expectVisible(selPreferences, "preferences dialog")
	hm := selPreferences + ` input[data-category="statistics"][data-service="heatmaps"]`
	p.click(hm)
	p.waitFor(`!`+shadowJS(hm)+`.checked`, "the heatmaps switch to turn off")
	p.click(selSave)
	p.expectHidden(selPreferences, "preferences dialog after Save")
	p.waitFor(`!document.cookie.includes('_hj')`, "the heatmaps cookies to be deleted")
	want := []string{"_pk_id.host", "_pk_id.parent", "_pk_id.www", "_pk_ses.dir", "_pk_ses.page", "_pk_ses.parentdir",
		widget.DefaultCookieName, "csrftoken", "sessionid", "unrelated"}
	slices.Sort(want)
	if got, ok := namesBecome(want); !ok {
		t.Errorf("after withdrawing the heatmaps service, cookies %q, want %q", got, want)
	}

	// Un-ticking the category deletes the rest of its cookies.
	p.do(`Consentry.showPreferences()`)
	p.expectVisible(selPreferences, "preferences dialog")
	sw := switchSel("statistics")
	// With one of its two services on, the category's switch is mixed; a click turns it on
	// (every service), the next one off, as with any tri-state checkbox.
	for i := 0; i < 2 && evalJS[bool](p, shadowJS(sw)+`.checked || `+shadowJS(sw)+`.indeterminate`); i++ {
		p.click(sw)
	}
	p.waitFor(`!`+shadowJS(sw)+`.checked && !`+shadowJS(sw)+`.indeterminate`, "the statistics switch to turn off")
	p.click(selSave)
	p.expectHidden(selPreferences, "preferences dialog after Save")
	p.waitFor(`!document.cookie.includes('_pk_')`, "the statistics cookies to be deleted")
	want = []string{widget.DefaultCookieName, "csrftoken", "sessionid", "unrelated"}
	slices.Sort(want)
	if got, ok := namesBecome(want); !ok {
		t.Errorf("after withdrawing statistics, cookies %q, want %q", got, want)
	}
	_, rec := p.oneConsentAt(pageURL)
	if rec.Method != widget.MethodCustom || !sameSet(rec.Categories, onlyNecessary) {
		t.Errorf("the withdrawal stored %+v", rec)
	}
	if p.loads() != 1 {
		t.Errorf("the page reloaded without reloadOnWithdraw")
	}
	p.expectClean()
}

// TestE2ELifecycleReloadOnWithdraw: with reloadOnWithdraw, a withdrawal reloads the page so
// that scripts already running stop; consentry:change is dispatched first; accepting more,
// or the same, does not reload; without the option nothing reloads.
func TestE2ELifecycleReloadOnWithdraw(t *testing.T) {
	requireE2E(t)
	t.Parallel()
	t.Run("reloadOnWithdraw true", func(t *testing.T) {
		p := newLifecyclePage(t)
		p.mustOpen(lifecyclePath("reload"))
		p.click(selAcceptAll)
		p.waitFor(`(window.__order || []).includes('analytics')`, "analytics to run")
		p.do(`Consentry.acceptAll()`) // the same choice: nothing withdrawn
		p.idle()
		if n := p.loads(); n != 1 {
			t.Fatalf("%d loads after accepting again, want 1 (no reload)", n)
		}
		p.do(`setTimeout(() => Consentry.acceptCategory([]), 0)`)
		p.waitLoads(2)
		p.idle()
		expectRan(p) // the reloaded page runs nothing optional
		p.expectHidden(selBanner, "banner after the reload (a valid refusal exists)")
		_, rec := p.mustConsent()
		if !sameSet(rec.Categories, onlyNecessary) || rec.Method != widget.MethodCustom {
			t.Errorf("after the withdrawal the cookie holds %+v", rec)
		}
		evs := p.storedEvents()
		var types []string
		for _, e := range evs {
			types = append(types, e.Type)
		}
		want := []string{widget.EventConsent, widget.EventChange, widget.EventConsent} // first choice, withdrawal, next load
		if !slices.Equal(types, want) {
			t.Fatalf("events across the reload: %q, want %q", types, want)
		}
		if _, changed := changedCategoriesOf(t, evs[1]); !slices.Equal(changed, []string{"statistics"}) {
			t.Errorf("changedCategories %q, want [statistics]", changed)
		}
		p.expectClean()
	})
	t.Run("reloadOnWithdraw false", func(t *testing.T) {
		p := newLifecyclePage(t)
		p.mustOpen(lifecyclePath())
		p.click(selAcceptAll)
		p.waitFor(`(window.__order || []).includes('analytics')`, "analytics to run")
		p.do(`Consentry.acceptCategory([])`)
		p.waitFor(`!Consentry.acceptedCategory('statistics')`, "the withdrawal")
		p.idle()
		if n := p.loads(); n != 1 {
			t.Errorf("%d loads after a withdrawal without reloadOnWithdraw, want 1", n)
		}
		p.expectClean()
	})
}

// TestE2ELifecycleDuplicateConsentCookies: two consent cookies (host-only and Domain=, left
// by a change of cookie.domain) are repaired: the newest valid wins, the stale one is
// deleted, and the next write leaves exactly one (§4). Which one wins (newest valid, either
// place; garbage or another revision beside a valid one is stale) is Policy.CurrentRecord's
// decision (widget/), table-tested natively in widget/consent_test.go TestCurrentRecord and through
// the session in widget/session_test.go TestSessionStart; the browser checks that the
// repair really deletes and rewrites cookies in its jar: a valid pair, an invalid pair, and
// a lone host-only cookie.
func TestE2ELifecycleDuplicateConsentCookies(t *testing.T) {
	now := time.Now()
	tests := []struct {
		name             string
		hostOnly, domain func(t *testing.T) string // values; "" for none
		banner           bool
		wantRan          []string
		wantMethod       string // of the one cookie left after load; "" for none expected valid
	}{
		{"newest valid wins (the Domain= one)",
			func(t *testing.T) string { return consentValue(t, acceptedRecord(t, now.Add(-48*time.Hour))) },
			func(t *testing.T) string { return consentValue(t, rejectedRecord(t, now.Add(-time.Hour))) },
			false, nil, widget.MethodRejectAll},
		{"two invalid ones: no choice, the next write leaves one",
			func(t *testing.T) string { return "garbage" },
			func(t *testing.T) string { return consentValue(t, acceptedRecord(t, now.Add(-400*24*time.Hour))) },
			true, nil, ""},
		{"one host-only cookie from before cookie.domain was set: the next write leaves one",
			func(t *testing.T) string { return consentValue(t, acceptedRecord(t, now.Add(-time.Hour))) },
			nil, false, []string{"statistics", "analytics"}, widget.MethodAcceptAll},
	}
	requireE2E(t)
	t.Parallel()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newLifecyclePage(t)
			pageURL := hostURL(wwwHost, lifecyclePath("domain"))
			root := hostURL(wwwHost, "/")
			if tt.hostOnly != nil {
				p.setCookieParams(network.SetCookieParams{Name: widget.DefaultCookieName, Value: tt.hostOnly(t), URL: root})
			}
			if tt.domain != nil {
				p.setCookieParams(network.SetCookieParams{Name: widget.DefaultCookieName, Value: tt.domain(t), URL: root, Domain: ".consentry.test"})
			}
			before := len(p.consentCookiesAt(pageURL))
			p.openURL(pageURL)
			p.idle()
			if tt.banner {
				p.expectVisible(selBanner, "banner (no valid choice among the duplicates)")
				if n := len(p.consentCookiesAt(pageURL)); n != before {
					t.Errorf("%d consent cookies after load, want the %d invalid ones left until the next write", n, before)
				}
			} else {
				p.expectHidden(selBanner, "banner (a valid choice among the duplicates)")
				c, rec := p.oneConsentAt(pageURL)
				if rec.Method != tt.wantMethod {
					t.Errorf("the cookie left holds method %s, want %s (the newest valid)", rec.Method, tt.wantMethod)
				}
				if before > 1 && c.Domain != ".consentry.test" {
					t.Errorf("the repaired cookie has Domain %q, want .consentry.test (cookie.domain)", c.Domain)
				}
			}
			expectRan(p, tt.wantRan...)

			// The next write leaves exactly one, where cookie.domain says.
			p.do(`Consentry.rejectAll()`)
			p.waitFor(`Consentry.validConsent() && !Consentry.acceptedCategory('statistics')`, "the refusal")
			c, rec := p.oneConsentAt(pageURL)
			if c.Domain != ".consentry.test" || rec.Method != widget.MethodRejectAll {
				t.Errorf("after the next write: Domain %q method %s, want .consentry.test reject-all", c.Domain, rec.Method)
			}
			p.expectClean()
		})
	}
}

// TestE2ELifecycleCookiesBlocked: where document.cookie throws, or cookies are disabled,
// the choice holds for the page view, scripts run or not accordingly, and nothing throws
// into the page (§4).
func TestE2ELifecycleCookiesBlocked(t *testing.T) {
	throwing := `Object.defineProperty(Document.prototype, 'cookie', {
  get() { throw new DOMException('The document is sandboxed and lacks the allow-same-origin flag.', 'SecurityError'); },
  set(v) { throw new DOMException('The document is sandboxed and lacks the allow-same-origin flag.', 'SecurityError'); },
  configurable: true});`
	tests := []struct {
		name    string
		init    []string
		disable bool
	}{
		{"document.cookie throws", []string{throwing}, false},
		{"cookies disabled", nil, true},
	}
	requireE2E(t)
	t.Parallel()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newLifecyclePage(t, tt.init...)
			if tt.disable {
				if _, err := chromedp.Call(p.ctx, emulation.SetDocumentCookieDisabled, emulation.SetDocumentCookieDisabledParams{Disabled: true}); err != nil {
					t.Fatalf("Emulation.setDocumentCookieDisabled: %v", err)
				}
			}
			p.mustOpen(lifecyclePath())
			p.expectVisible(selBanner, "banner")
			p.click(selAcceptAll)
			p.waitFor(`(window.__order || []).includes('analytics')`, "analytics to run on the choice held in the page")
			p.expectHidden(selBanner, "banner after Accept all")
			if !evalJS[bool](p, `Consentry.validConsent() && Consentry.acceptedCategory('statistics')`) {
				t.Error("the choice does not hold for the page view")
			}
			p.do(`Consentry.rejectAll()`)
			if evalJS[bool](p, `Consentry.acceptedCategory('statistics') || !Consentry.validConsent()`) {
				t.Error("the refusal does not hold for the page view")
			}
			if c := p.consentCookie(); c != nil {
				t.Errorf("a consent cookie was stored although cookies are blocked: %q", c.Value)
			}
			n := 0
			for _, m := range p.logged() {
				if strings.Contains(m, "cookies are blocked") {
					n++
				}
			}
			if n != 1 {
				t.Errorf("%d console warnings about blocked cookies, want one: %q", n, p.logged())
			}
			expectPageOK(p)
			p.expectClean() // nothing thrown into the page, no console error

			// The next page view asks again: nothing could be stored.
			p.mustReload()
			p.expectVisible(selBanner, "banner on the next page view")
			p.idle()
			expectRan(p)
			p.expectClean()
		})
	}
}

// TestE2ELifecycleCookieAttributes: the consent cookie is Secure on https and never on
// http; SameSite=None is kept on https and falls back to Lax with a console warning on
// http; Max-Age follows expiresAfterDays; Domain is set only when the policy sets it, and
// a cookie.domain that does not cover the host is ignored with a warning (§3, §4;
// REQUIREMENTS §5.1). The attributes are decided by Policy.CookieLine in widget/, table-tested
// natively in widget/cookie_test.go TestCookieLine (Secure on https only, SameSite=None
// falling back to Lax on http with a warning, Max-Age from expiresAfterDays, Domain only
// when it covers the host); the browser checks that it stores what the widget writes, in one
// case per attribute: host-only Lax on http, a parent Domain with 30 days, a Domain that
// does not cover the host (and its console warning), SameSite=None with Secure on https.
func TestE2ELifecycleCookieAttributes(t *testing.T) {
	tests := []struct {
		name       string
		url        func() string
		secure     bool
		sameSite   network.CookieSameSite
		domain     string // the Domain the browser reports: a leading dot for Domain=
		days       int
		warning    string // a console warning that must appear ("" for none about the cookie)
		noWarnings bool
	}{
		{"http: not Secure, Lax, host-only, 182 days", func() string { return hostURL(wwwHost, lifecyclePath()) },
			false, network.CookieSameSiteLax, wwwHost, 182, "", true},
		{"http: cookie.domain set, expiresAfterDays 30", func() string { return hostURL(wwwHost, lifecyclePath("domain", "days30")) },
			false, network.CookieSameSiteLax, ".consentry.test", 30, "", true},
		{"http: a cookie.domain that does not cover the host is ignored", func() string { return hostURL(wwwHost, lifecyclePath("foreign-domain")) },
			false, network.CookieSameSiteLax, wwwHost, 182, "does not cover", false},
		{"https: SameSite=None kept, with Secure", func() string { return tlsURL(lifecyclePath("samesite-none")) },
			true, network.CookieSameSiteNone, "127.0.0.1", 182, "", true},
	}
	requireE2E(t)
	t.Parallel()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newLifecyclePage(t)
			u := tt.url()
			p.openURL(u)
			p.click(selAcceptAll)
			p.waitFor(`Consentry.validConsent()`, "the choice")
			c, rec := p.oneConsentAt(u)
			if c.Secure != tt.secure {
				t.Errorf("Secure = %v, want %v", c.Secure, tt.secure)
			}
			if c.SameSite != tt.sameSite {
				t.Errorf("SameSite = %q, want %q", c.SameSite, tt.sameSite)
			}
			if c.Domain != tt.domain {
				t.Errorf("Domain = %q, want %q", c.Domain, tt.domain)
			}
			if c.Path != "/" || c.Session || c.HTTPOnly {
				t.Errorf("Path %q, session %v, HttpOnly %v; want /, a Max-Age, readable by the page", c.Path, c.Session, c.HTTPOnly)
			}
			expires := time.Unix(int64(c.Expires), 0)
			if d := expires.Sub(time.Now().Add(time.Duration(tt.days) * 24 * time.Hour)); d > time.Minute || d < -time.Minute {
				t.Errorf("expires %v, want %d days from now", expires.UTC(), tt.days)
			}
			if rec.Method != widget.MethodAcceptAll {
				t.Errorf("method %s", rec.Method)
			}
			if tt.warning != "" && !p.warned(tt.warning) {
				t.Errorf("no console warning containing %q: %q", tt.warning, p.logged())
			}
			if tt.noWarnings && p.warned("Consentry") {
				t.Errorf("unexpected warnings: %q", p.logged())
			}
			p.expectClean()
		})
	}
}

// TestE2ELifecycleGlobalPrivacyControl: with navigator.globalPrivacyControl === true and
// respectGlobalPrivacyControl on, a first visit records a refusal with method gpc and shows
// no banner; the dialog says the signal was honoured and still lets the visitor opt in; the
// explicit choice is never overridden by the signal. Any other value of the signal is no
// signal: the banner asks (§3, §4; REQUIREMENTS §1.9).
func TestE2ELifecycleGlobalPrivacyControl(t *testing.T) {
	requireE2E(t)
	t.Parallel()
	notice := selPreferences + ` p.gpc`

	t.Run("signal on, first visit, then opt in", func(t *testing.T) {
		p := newLifecyclePage(t, gpcOnJS)
		p.mustOpen(lifecyclePath())
		p.idle()
		p.expectHidden(selBanner, "banner under GPC")
		if shows := p.events(widget.EventShow); len(shows) != 0 {
			t.Errorf("the widget showed something under GPC: %s", eventsString(shows))
		}
		expectRan(p)
		_, gpc := p.mustConsent()
		if gpc.Method != widget.MethodGPC || !sameSet(gpc.Categories, onlyNecessary) {
			t.Errorf("GPC stored method %s categories %q, want gpc [necessary]", gpc.Method, gpc.Categories)
		}
		expectOneConsentEvent(p, gpc, []string{"statistics"})

		p.do(`Consentry.showPreferences()`)
		p.expectVisible(notice, "the notice that the GPC signal was honoured")
		if p.shadowText(notice) == "" {
			t.Error("the GPC notice is empty")
		}
		sw := switchSel("statistics")
		if evalJS[bool](p, shadowJS(sw)+`.checked`) {
			t.Error("statistics is on in the dialog after a GPC refusal")
		}
		p.click(sw)
		p.waitFor(shadowJS(sw)+`.checked`, "the statistics switch to turn on")
		p.click(selSave)
		p.waitFor(`(window.__order || []).includes('analytics')`, "analytics to run after the explicit opt-in")
		_, optIn := p.mustConsent()
		if optIn.Method != widget.MethodCustom || optIn.ID != gpc.ID || !sameSet(optIn.Categories, acceptedStats) {
			t.Errorf("opt-in stored method %s id %s categories %q; want custom, id %s kept, statistics", optIn.Method, optIn.ID, optIn.Categories, gpc.ID)
		}
		changes := p.events(widget.EventChange)
		if len(changes) != 1 {
			t.Errorf("%s fired %d times, want once", widget.EventChange, len(changes))
		} else if _, changed := changedCategoriesOf(t, changes[0]); !slices.Equal(changed, []string{"statistics"}) {
			t.Errorf("changedCategories %q", changed)
		}

		// The explicit choice stands on the next visit, signal or not.
		p.mustReload()
		p.waitFor(`(window.__order || []).includes('analytics')`, "analytics to run on the next visit")
		_, again := p.mustConsent()
		if again.Method != widget.MethodCustom || again.Updated != optIn.Updated {
			t.Errorf("next visit: method %s updated %s; the explicit choice (custom, %s) was overridden", again.Method, again.Updated, optIn.Updated)
		}
		p.do(`Consentry.showPreferences()`)
		p.expectVisible(selPreferences, "preferences dialog")
		p.expectHidden(notice, "the GPC notice once the visitor chose explicitly")
		p.expectClean()
	})

	// Only navigator.globalPrivacyControl === true is the signal: the page's value is read in
	// the browser, so each kind of other value is checked there, one page load each in one
	// tab (the query names the value). What the widget does with the signal, and that it
	// never overrides a stored choice (checked above across the reload) or applies when
	// respectGlobalPrivacyControl is false, is widget.Session's decision: widget/session_test.go
	// TestSessionStart ("§3: ..." rows). No signal at all is every other first visit
	// (TestE2EFirstVisitShowsBannerAndRunsNothing).
	t.Run("values other than true are no signal", func(t *testing.T) {
		p := newLifecyclePage(t, `(() => {
  const get = {
    false: () => false,
    one: () => '1',
    throws() { throw new Error('extension failure'); },
  }[new URLSearchParams(location.search).get('gpc')];
  if (get) Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', {get, configurable: true});
})();`)
		for _, v := range []string{"false", "one", "throws"} {
			p.mustOpen(lifecyclePath() + "&gpc=" + v)
			if got := evalJS[string](p, `(() => { try { return String(navigator.globalPrivacyControl); } catch (e) { return 'throws'; } })()`); got != map[string]string{"false": "false", "one": "1", "throws": "throws"}[v] {
				t.Fatalf("gpc=%s: navigator.globalPrivacyControl is %s in the page", v, got)
			}
			p.expectVisible(selBanner, "banner (globalPrivacyControl "+v+")")
			p.idle()
			if c := p.consentCookie(); c != nil {
				t.Errorf("gpc=%s: a choice was recorded without the visitor: %q", v, c.Value)
			}
			expectRan(p)
			p.expectClean()
		}
	})
}

// TestE2ELifecycleExemptService: a service with consentRequired: false runs on the first
// visit with no choice, is listed as exempt (no switch), and keeps running whatever the
// choice; in a required category it is accepted and always on, like the category
// (CONTRACT 1.1 §4; consentry validate warns about it) (§3, §5; CNIL-REC art. 5).
func TestE2ELifecycleExemptService(t *testing.T) {
	requireE2E(t)
	t.Parallel()
	t.Run("runs without a choice", func(t *testing.T) {
		p := newLifecyclePage(t)
		p.mustOpen(lifecyclePath("exempt"))
		p.expectVisible(selBanner, "banner")
		p.waitFor(`(window.__order || []).includes('audience')`, "the exempt service to run without a choice")
		p.idle()
		expectRan(p, "audience")
		if c := p.consentCookie(); c != nil {
			t.Errorf("a choice was recorded: %q", c.Value)
		}
		p.do(`Consentry.showPreferences()`)
		p.expectVisible(selPreferences, "preferences dialog")
		exempt := evalJS[string](p, `((root) => {
  const name = Array.from(root.querySelectorAll('.service')).find((s) => s.textContent.includes('Anonymised audience'));
  if (!name) return 'no service row';
  if (name.querySelector('input')) return 'has a switch';
  const e = name.querySelector('.exempt');
  return e ? e.textContent.trim() : 'not marked exempt';
})(`+shadowJS(selPreferences)+`)`)
		if exempt == "" || exempt == "no service row" || exempt == "has a switch" || exempt == "not marked exempt" {
			t.Errorf("the exempt service in the dialog: %s", exempt)
		}
		p.click(selPrefsReject)
		p.idle()
		expectRan(p, "audience") // still once, nothing else
		_, rec := p.mustConsent()
		if rec.Scope != defaultScope {
			t.Errorf("scope %s, want %s: exempt services are not asked about", rec.Scope, defaultScope)
		}
		if _, ok := rec.Services["statistics"]; ok {
			t.Errorf("services %v list a refused category", rec.Services)
		}
		p.expectClean()
	})
	// CONTRACT 1.1 §4: a policy the contract allows is never refused; a service inside a
	// required category is always on, like it (consentry validate warns about it).
	t.Run("accepted and always on in a required category", func(t *testing.T) {
		p := newLifecyclePage(t)
		p.mustOpen(lifecyclePath("exempt-required"))
		p.expectVisible(selBanner, "banner")
		p.do(`(() => {
  const s = document.createElement('script');
  s.type = 'text/plain';
  s.dataset.category = 'necessary';
  s.dataset.service = 'audience';
  s.textContent = "(window.__order = window.__order || []).push('necessary/audience')";
  document.body.append(s);
})()`)
		p.waitFor(`(window.__order || []).includes('necessary/audience')`, "the required category's service to run without a choice")
		p.idle()
		// statistics/audience is not in this policy: it never runs.
		expectRan(p, "necessary/audience")
		p.expectClean()
	})
}

// TestE2ELifecycleTwoTabs: a choice made in one tab is applied in another of the same
// browser when it next becomes visible: newly accepted scripts run and the banner goes; a
// withdrawal deletes the withdrawn cookies there too and, with reloadOnWithdraw, reloads
// it. Real tabs of one window: bringing one to front hides the other.
func TestE2ELifecycleTwoTabs(t *testing.T) {
	requireE2E(t)
	t.Parallel()
	for _, reload := range []bool{false, true} {
		t.Run(fmt.Sprintf("reloadOnWithdraw %v", reload), func(t *testing.T) {
			var variants []string
			if reload {
				variants = []string{"reload"}
			}
			a := newLifecyclePage(t)
			a.mustOpen(lifecyclePath(variants...))
			a.expectVisible(selBanner, "banner in tab A")
			b := newSiblingTab(a)
			b.mustOpen(lifecyclePath(variants...))
			b.bringToFront()
			b.expectVisible(selBanner, "banner in tab B")
			if v := a.visibility(); v != "hidden" {
				t.Fatalf("tab A is %s behind tab B, want hidden: tabs cannot be switched in this browser", v)
			}

			// Accept in B; A follows when it comes back.
			b.click(selAcceptAll)
			b.waitFor(`(window.__order || []).includes('analytics')`, "analytics to run in tab B")
			if o := a.order(); len(o) != 0 {
				t.Errorf("tab A ran %q while hidden", o)
			}
			a.bringToFront()
			a.waitFor(`document.visibilityState === 'visible'`, "tab A to be visible")
			a.waitFor(`(window.__order || []).includes('analytics')`, "tab A to run the scripts accepted in tab B")
			a.expectHidden(selBanner, "banner in tab A after the choice in tab B")
			expectRan(a, "statistics", "analytics")
			if evs := a.events(widget.EventConsent); len(evs) != 1 {
				t.Errorf("tab A: %s fired %d times, want once", widget.EventConsent, len(evs))
			}
			if !evalJS[bool](a, `Consentry.validConsent() && Consentry.acceptedCategory('statistics')`) {
				t.Error("tab A's API does not answer with the choice made in tab B")
			}

			// The analytics cookie, set by a script running in B, say.
			b.do(`document.cookie = '_pk_id.1=1; Path=/'`)

			// Withdraw in A; B follows when it comes back.
			a.do(`setTimeout(() => Consentry.acceptCategory([]), 0)`)
			if reload {
				a.waitLoads(2)
			} else {
				a.waitFor(`!Consentry.acceptedCategory('statistics')`, "the withdrawal in tab A")
			}
			b.do(`document.cookie = '_pk_id.1=1; Path=/'`) // B's script is still running, and writes again
			b.bringToFront()
			if reload {
				b.waitLoads(2)
				expectRan(b)
			} else {
				b.waitFor(`!Consentry.acceptedCategory('statistics')`, "tab B to apply the withdrawal")
				changes := b.events(widget.EventChange)
				if len(changes) != 1 {
					t.Errorf("tab B: %s fired %d times, want once", widget.EventChange, len(changes))
				} else if _, changed := changedCategoriesOf(t, changes[0]); !slices.Equal(changed, []string{"statistics"}) {
					t.Errorf("tab B: changedCategories %q", changed)
				}
				if n := b.loads(); n != 1 {
					t.Errorf("tab B reloaded without reloadOnWithdraw")
				}
			}
			b.waitFor(`!document.cookie.includes('_pk_id.1=')`, "tab B to delete the withdrawn cookie")
			b.expectHidden(selBanner, "banner in tab B (a valid refusal exists)")
			_, rec := b.mustConsent()
			if !sameSet(rec.Categories, onlyNecessary) {
				t.Errorf("the cookie holds %q after the withdrawal", rec.Categories)
			}
			a.expectClean()
			b.expectClean()
		})
	}
}

// TestE2EInvalidConsentCookie: anything but a valid choice counts as no choice: the banner
// shows, nothing optional runs, nothing crashes (§4). Which values are valid is decided by
// widget.DecodeRecord and Policy.Check, table-tested natively over every kind of §4
// (garbage, truncated, broken percent-encoding, another v, revision or scope, expired,
// unknown ids, wrong types, oversized) in widget/consent_test.go (consentCookieCases,
// TestConsentCookieDecision, TestCheckReasons) and through the session in
// widget/session_test.go TestSessionStart; the browser checks the wiring with a value that
// is not JSON and one near the size a browser keeps, read through document.cookie.
func TestE2EInvalidConsentCookie(t *testing.T) {
	tests := []struct {
		name, value, why string
	}{
		{"garbage", "%7Bgarbage", "§4: garbage"},
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
			p.idle()
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
