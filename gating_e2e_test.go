package consentry_test

// End-to-end tests of gating (CONTRACT.md §5): gated elements added after load wait for
// consent, and nothing runs twice.

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// TestE2ELateElementWaitsForConsent: a gated script added 500 ms after load waits for
// consent and runs once the visitor accepts (§5).
func TestE2ELateElementWaitsForConsent(t *testing.T) {
	p := newPage(t)
	p.mustOpen("/test/later.html")
	p.waitFor(`window.lateAdded === true`, "the page to add its late elements")
	p.idle()
	if o := p.order(); len(o) != 0 {
		t.Errorf("the late gated script ran without consent: %q", o)
	}
	p.click(selAcceptAll)
	p.waitFor(`(window.__order || []).includes('late')`, "the late gated script to run after Accept all")
	p.idle()
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
	p.idle()
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
	p.idle() // b is served after 300 ms: were it fetched again, idle waits for that request
	expectOrdered(p)
	if n := evalJS[int](p, `document.querySelectorAll('iframe[data-test=frame]').length + document.querySelectorAll('img[data-test=img]').length`); n != 2 {
		t.Errorf("%d gated iframe/img elements, want 2", n)
	}
	if ran := strings.Fields(evalJS[string](p, `document.documentElement.dataset.ran || ''`)); len(ran) != 5 {
		t.Errorf("external gated scripts ran as %q, want b d e f m once each", ran)
	}
	p.expectClean()
}
