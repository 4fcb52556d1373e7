package consentry_test

// End-to-end tests of the preferences dialog (CONTRACT.md §8): Customize, the switches and
// Save, and the ways to open it again (showPreferences, a footer link).

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/consentry/consentry/widget"
)

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
	p.idle()
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
	p.idle()
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
	p.idle()
	if after := p.consentCookie(); after == nil || after.Value != before.Value {
		t.Errorf("Esc changed the cookie: %q, then %v", before.Value, after)
	}
	p.expectHidden(selBanner, "banner after Esc")
	p.expectClean()
}
