package consentry_test

// End-to-end tests of the JavaScript API and the events (CONTRACT.md §6, §7): calls queued
// before ready, acceptCategory, reset, an API that never throws, the consent record and the
// events a choice raises.

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/consentry/consentry/widget"
)

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
	p.idle()
	if o := p.order(); !slices.Equal(o, []string{"a"}) {
		t.Errorf("gated scripts ran as %q, want [a]", o)
	}
	expectConsent(p, defaultWant(widget.MethodAcceptAll, acceptedStats, analytics))
	p.expectHidden(selBanner, "banner after the replayed acceptAll()")
	expectPageOK(p)
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

// TestE2ELifecycleRecordAndEvents: the id is kept across updates, created is kept, updated
// moves, method follows the path (buttons, acceptCategory()); consentry:consent fires right
// after the first choice and on every load with a valid choice, consentry:change after
// each change with exactly the changed categories, in policy order (§4, §6, §7).
func TestE2ELifecycleRecordAndEvents(t *testing.T) {
	p := newLifecyclePage(t)
	p.mustOpen(lifecyclePath("marketing", "heatmaps"))
	p.expectVisible(selBanner, "banner")

	p.click(selAcceptAll)
	p.waitFor(`['statistics', 'analytics', 'heatmaps', 'marketing'].every((x) => (window.__order || []).includes(x))`, "every gated script to run")
	_, first := p.mustConsent()
	if first.Method != widget.MethodAcceptAll || first.Created != first.Updated {
		t.Errorf("first choice: method %q, created %s, updated %s; want accept-all, created = updated", first.Method, first.Created, first.Updated)
	}
	expectRecentUTC(t, "created", first.Created)
	if !sameSet(first.Categories, []string{"necessary", "statistics", "marketing"}) ||
		!sameServices(first.Services, map[string][]string{"statistics": {"analytics", "heatmaps"}}) {
		t.Errorf("accept all stored %q %v", first.Categories, first.Services)
	}
	if evs := p.events(widget.EventConsent); len(evs) != 1 {
		t.Fatalf("%s fired %d times after the first choice, want once", widget.EventConsent, len(evs))
	}
	if evs := p.events(widget.EventChange); len(evs) != 0 {
		t.Errorf("%s fired for a first choice: %s", widget.EventChange, eventsString(evs))
	}

	// Each later step: an action, the record it must store, the change it must announce.
	steps := []struct {
		what     string
		act      func()
		method   string
		cats     []string
		services map[string][]string
		changed  []string // nil: no consentry:change
	}{
		{"acceptCategory(['marketing'])", func() { p.do(`Consentry.acceptCategory(['marketing'])`) },
			widget.MethodCustom, []string{"necessary", "marketing"}, nil, []string{"statistics"}},
		{"the same acceptCategory again", func() { p.do(`Consentry.acceptCategory(['marketing'])`) },
			widget.MethodCustom, []string{"necessary", "marketing"}, nil, nil},
		{"the heatmaps switch on, then Save", func() {
			p.do(`Consentry.showPreferences()`)
			p.expectVisible(selPreferences, "preferences dialog")
			sw := selPreferences + ` input[data-category="statistics"][data-service="heatmaps"]`
			p.click(sw)
			p.waitFor(shadowJS(sw)+`.checked`, "the heatmaps switch to turn on")
			p.click(selSave)
			p.expectHidden(selPreferences, "preferences dialog after Save")
		}, widget.MethodCustom, []string{"necessary", "statistics", "marketing"}, map[string][]string{"statistics": {"heatmaps"}}, []string{"statistics"}},
		{"Reject all in the dialog", func() {
			p.do(`Consentry.showPreferences()`)
			p.expectVisible(selPreferences, "preferences dialog")
			p.click(selPrefsReject)
			p.expectHidden(selPreferences, "preferences dialog after Reject all")
		}, widget.MethodRejectAll, []string{"necessary"}, nil, []string{"statistics", "marketing"}},
		{"Consentry.acceptAll()", func() { p.do(`Consentry.acceptAll()`) },
			widget.MethodAcceptAll, []string{"necessary", "statistics", "marketing"},
			map[string][]string{"statistics": {"analytics", "heatmaps"}}, []string{"statistics", "marketing"}},
	}
	prevUpdated := first.Updated
	for _, s := range steps {
		// updated has second precision: wait for the page's clock to pass it, so that it moves.
		p.waitFor(fmt.Sprintf(`new Date().toISOString().slice(0, 19) + 'Z' > %q`, prevUpdated), "the clock to pass "+prevUpdated)
		changesBefore := len(p.events(widget.EventChange))
		s.act()
		p.waitFor(fmt.Sprintf(`(() => { const p = Consentry.getUserPreferences(); return p && p.updated !== %q; })()`, prevUpdated),
			"the choice of "+s.what+" to be stored")
		_, rec := p.mustConsent()
		if rec.ID != first.ID {
			t.Errorf("%s: id %s, want %s (§4: kept across updates)", s.what, rec.ID, first.ID)
		}
		if rec.Created != first.Created {
			t.Errorf("%s: created %s, want %s kept", s.what, rec.Created, first.Created)
		}
		if rec.Updated <= prevUpdated {
			t.Errorf("%s: updated %s did not move past %s", s.what, rec.Updated, prevUpdated)
		}
		expectRecentUTC(t, "updated", rec.Updated)
		prevUpdated = rec.Updated
		if rec.Method != s.method || !sameSet(rec.Categories, s.cats) || !sameServices(rec.Services, s.services) {
			t.Errorf("%s stored method %q %q %v, want %q %q %v", s.what, rec.Method, rec.Categories, rec.Services, s.method, s.cats, s.services)
		}
		changes := p.events(widget.EventChange)[changesBefore:]
		switch {
		case s.changed == nil && len(changes) != 0:
			t.Errorf("%s fired %s although nothing changed: %s", s.what, widget.EventChange, eventsString(changes))
		case s.changed != nil && len(changes) != 1:
			t.Errorf("%s fired %s %d times, want once: %s", s.what, widget.EventChange, len(changes), eventsString(changes))
		case s.changed != nil:
			prefs, changed := changedCategoriesOf(t, changes[0])
			if !slices.Equal(changed, s.changed) {
				t.Errorf("%s: changedCategories %q, want exactly %q", s.what, changed, s.changed)
			}
			if prefs.Method != s.method || prefs.ID != first.ID || !sameSet(prefs.AcceptedCategories, s.cats) {
				t.Errorf("%s: %s preferences %+v, want the new choice", s.what, widget.EventChange, prefs)
			}
		}
	}
	if evs := p.events(widget.EventConsent); len(evs) != 1 {
		t.Errorf("%s fired %d times on one page view, want once (only the first choice)", widget.EventConsent, len(evs))
	}

	// Every load with a valid choice announces it once, with the stored record.
	_, last := p.mustConsent()
	for range 2 {
		p.mustReload()
		evs := p.events(widget.EventConsent)
		if len(evs) != 1 {
			t.Fatalf("%s fired %d times at load, want once", widget.EventConsent, len(evs))
		}
		var prefs preferences
		if err := json.Unmarshal(evs[0].Detail, &prefs); err != nil || prefs.ID != last.ID || prefs.Updated != last.Updated || prefs.Method != last.Method {
			t.Errorf("%s at load: %s, want the stored choice %+v", widget.EventConsent, evs[0].Detail, last)
		}
		if ch := p.events(widget.EventChange); len(ch) != 0 {
			t.Errorf("%s fired at load: %s", widget.EventChange, eventsString(ch))
		}
	}
	p.expectClean()
}
