//go:build js && wasm

// Command wasm is Consentry's WebAssembly front end: it reads the policy handed over by the
// loader and the visitor's consent cookie, asks package widget what to do, renders the
// banner and preferences, activates gated elements and publishes window.Consentry.
package main

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/consentry/consentry/widget"
	"github.com/hack-pad/safejs"
)

// app is the running widget on one page.
type app struct {
	win, doc safejs.Value
	boot     safejs.Value // the loader's private hand-over object
	policy   *widget.Policy
	lang     string
	dataLang string
	nonce    string
	record   *widget.Record // the valid choice in force, nil when there is none
	// cookiesOff is set once cookies are known not to work on this page: document.cookie
	// threw, or a consent cookie written could not be read back. The choice then holds for
	// the page view only, and the cookie says nothing about other tabs.
	cookiesOff    bool
	cookiesWarned bool // the console was told that cookies are blocked
	random        cryptoReader
	ui            ui
	gate          gate
	receipts      receiptState  // consent receipts (CONTRACT.md §10), see receipts.go
	funcs         []safejs.Func // every Func handed to JavaScript; kept alive for the page's life
}

func main() {
	a := &app{win: safejs.Global()}
	if err := a.start(); err != nil {
		a.unmount()
		a.fail(err)
	}
	select {} // keep serving callbacks for the life of the page
}

// start boots the widget. Until it succeeds nothing optional runs: the gate is opened only
// at its end, so any failure on the way fails closed.
func (a *app) start() (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("internal error while starting: %v", r)
		}
	}()
	a.doc = get(a.win, "document")
	api := get(a.win, widget.GlobalName)
	a.boot = get(api, "_boot")
	if !truthy(a.boot) {
		return errors.New("consentry.js did not start this program; include consentry.js, not the .wasm")
	}
	_ = api.Delete("_boot") // the host page has no use for it
	a.yieldWhileShown()     // the runtime's start was one task, the widget's is the next (takeover.go)
	a.dataLang = str(get(a.boot, "lang"))
	a.nonce = str(get(a.boot, "nonce"))
	crypto := get(a.win, "crypto")
	a.random = cryptoReader{crypto: crypto, array: get(a.win, "Uint8Array")}

	policyText := str(get(a.boot, "policyText"))
	policy, err := widget.ParsePolicyOn([]byte(policyText), str(get(get(a.win, "location"), "origin")))
	if err != nil {
		return fmt.Errorf("the policy from %s is refused:\n%v", str(get(a.boot, "policySource")), err)
	}
	a.policy = policy
	a.setUpReceipts(policyText)
	a.lang = policy.NegotiateLanguage(a.requestedLanguages(a.dataLang)...)
	a.gate = gate{a: a}

	a.loadChoice(time.Now())
	if a.record == nil && policy.RespectGPC && a.globalPrivacyControl() {
		// A first visit with Global Privacy Control on is a refusal (CONTRACT.md §3); an
		// explicit choice, stored above, is never overridden by the signal.
		a.store(widget.MethodGPC, policy.RejectAll())
		a.sendReceipt(widget.EventReceiptConsent, a.record) // sent by startReceipts, below
	}
	// Google Consent Mode and Matomo hear the defaults, and the choice at load, before the
	// gate opens, so before any gated element runs, consent-free ones included (§11).
	a.consentDefaults()
	if a.record != nil {
		a.consentUpdate()
	}
	a.matomoStart()

	a.yieldWhileShown() // and the page's part of the start a third (takeover.go)
	a.render()
	a.listenForShowPreferencesLinks()
	a.warnIfNoReopenLink()
	a.listenForOtherTabs()
	// The gate scans once the loader opens it (gate.open), at the very end of a successful
	// start; the observer handles what is added to the page after that.
	a.gate.observe()

	replay := a.takeOverFirstPaint() // the banner consentry.js showed, and a choice made on it (§9, takeover.go)
	a.dispatch(widget.EventReady, map[string]any{"version": a.buildID()})
	if a.record != nil {
		a.dispatch(widget.EventConsent, a.preferences())
	} else if replay == nil {
		a.showBanner()
	}
	if replay != nil {
		replay()
	}
	call(a.boot, "attach", a.api())
	a.startReceipts()
	return nil
}

// fail reports a start-up failure through the loader: console.error, consentry:error, and
// Consentry.ready rejected. Nothing was activated.
func (a *app) fail(err error) {
	if truthy(a.boot) {
		if _, callErr := a.boot.Call("fail", err.Error()); callErr == nil {
			return
		}
	}
	a.console("error", "Consentry: "+err.Error())
}

// loadChoice reads the consent cookie and keeps the valid choice, if any. Two cookies of that
// name (host-only and Domain=, after a change of cookie.domain) are repaired: the newest
// valid one is written back alone (CONTRACT.md §4), unless the site's server set it after a
// receipt (§10), which a script write would undo.
func (a *app) loadChoice(now time.Time) {
	record, stale, _ := a.storedChoice(now)
	a.record = record
	if stale && !a.keepsServerCookie(record) {
		a.writeRecord(record)
	}
}

// storedChoice reads document.cookie and returns the choice to apply from the consent
// cookies in it, whether another cookie of that name should be repaired away, and the
// cookies as read.
func (a *app) storedChoice(now time.Time) (record *widget.Record, stale bool, cookies string) {
	cookies = a.readCookies()
	record, stale = a.policy.CurrentRecord(widget.CookieValues(cookies, a.policy.Cookie.Name), now)
	return record, stale, cookies
}

// deleteConsentCookies overwrites the consent cookie, with Max-Age=0, everywhere it could
// be: a script cannot see a cookie's Domain or Path.
func (a *app) deleteConsentCookies() {
	for _, line := range widget.DeleteLines(a.policy.Cookie.Name, a.location(), a.policy.Cookie.Domain) {
		a.writeCookie(line)
	}
}

// writeRecord stores the record in the consent cookie, alone: any other cookie of that name
// (host-only or Domain=, on any path, left by an earlier cookie.domain) is deleted first,
// so that after a write exactly one remains (CONTRACT.md §4 "repaired"). A script cannot
// see a cookie's Domain, so every place it could be is overwritten with Max-Age=0.
func (a *app) writeRecord(r *widget.Record) {
	name := a.policy.Cookie.Name
	loc := a.location()
	if len(widget.CookieValues(a.readCookies(), name)) > 0 {
		a.deleteConsentCookies()
	}
	value := r.Encode()
	line, warnings := a.policy.CookieLine(value, loc)
	for _, w := range warnings {
		a.console("warn", "Consentry: "+w)
	}
	a.writeCookie(line)
	// Read it back: a browser that blocks cookies may drop the assignment silently. A page
	// outside cookie.path (RFC 6265 path-match) cannot see it, which is not a blocked cookie.
	if a.policy.ConsentCookieVisible(loc) && !slices.Contains(widget.CookieValues(a.readCookies(), name), value) {
		a.cookiesBlocked()
	}
}

// store makes and stores a new record for the choice and returns the one it replaces.
func (a *app) store(method string, choice widget.Choice) (previous *widget.Record) {
	record, err := a.policy.NewRecord(a.record, method, choice, time.Now(), a.random)
	if err != nil {
		panic(err) // only a broken random source gets here
	}
	previous, a.record = a.record, record
	a.writeRecord(record)
	return previous
}

// choose records a visitor's choice and applies it: layers closed, newly accepted elements
// activated, cookies of withdrawn purposes deleted, events dispatched (CONTRACT.md §5, §7).
func (a *app) choose(method string, choice widget.Choice) {
	cookiesBefore := a.readCookies()
	previous := a.store(method, choice)
	a.hidePreferences()
	a.hideBanner()
	a.apply(previous, cookiesBefore)
	a.sendReceipt(widget.ReceiptEvent(previous), a.record)
}

// apply puts a.record in force after previous: it deletes the cookies of what was withdrawn
// (those present in cookiesBefore, document.cookie before the change), activates what is
// newly accepted, dispatches consentry:consent for a first choice or consentry:change with
// the changed categories, and reloads the page after a withdrawal when the policy asks for
// it (reloadOnWithdraw), since scripts already running cannot be stopped otherwise.
func (a *app) apply(previous *widget.Record, cookiesBefore string) {
	for _, line := range a.policy.WithdrawnCookieLines(previous, a.record, cookiesBefore, a.location()) {
		a.writeCookie(line)
	}
	a.deleteWithdrawnStorage(previous) // and the storage keys, as the cookies (§3 1.1)
	a.consentUpdate()                  // before the elements this choice activates (§11)
	a.matomoConsent(previous)
	a.gate.scan()
	switch {
	case a.record == nil:
		// The choice is gone (another tab's reset, an expiry): nothing to announce.
	case previous == nil:
		a.dispatch(widget.EventConsent, a.preferences())
	default:
		if changed := widget.ChangedCategories(a.policy, previous, a.record); len(changed) > 0 {
			a.dispatch(widget.EventChange, map[string]any{
				"preferences":       a.preferences(),
				"changedCategories": anyList(changed),
			})
		}
	}
	if a.policy.ReloadOnWithdraw && a.policy.Withdrew(previous, a.record) {
		call(get(a.win, "location"), "reload")
	}
}

// listenForOtherTabs applies a choice made in another tab of the same site when this one
// becomes visible again: the consent cookie is shared, the page state is not. Newly accepted
// elements run, the banner goes once a valid choice exists, and a withdrawal deletes the
// withdrawn cookies (and reloads, with reloadOnWithdraw) as it does in the tab where it was
// made. A choice that has disappeared (reset or expired elsewhere) is forgotten here too, so
// nothing optional starts later, and the banner comes back.
func (a *app) listenForOtherTabs() {
	a.on(a.doc, "visibilitychange", func(safejs.Value) {
		if str(get(a.doc, "visibilityState")) == "visible" {
			a.syncFromCookie(time.Now())
		}
	})
}

// syncFromCookie reads the consent cookie again and applies the difference with the choice
// in force. Where cookies do not persist (blocked), the cookie says nothing about other
// tabs, and this page's own choice stands.
func (a *app) syncFromCookie(now time.Time) {
	if a.cookiesOff {
		return
	}
	record, stale, cookiesBefore := a.storedChoice(now)
	if sameRecord(record, a.record) {
		return
	}
	previous := a.record
	a.record = record
	if stale && !a.keepsServerCookie(record) {
		a.writeRecord(record)
	}
	if record != nil {
		a.hideBanner()
	} else {
		a.showBanner()
	}
	if a.ui.dialogShown {
		a.syncSwitches()
	}
	a.apply(previous, cookiesBefore)
}

// sameRecord reports whether two records (either may be nil) hold the same choice, as
// stored.
func sameRecord(x, y *widget.Record) bool {
	if x == nil || y == nil {
		return x == y
	}
	return x.Encode() == y.Encode()
}

func (a *app) acceptAll() { a.choose(widget.MethodAcceptAll, a.policy.AcceptAll()) }

func (a *app) rejectAll() { a.choose(widget.MethodRejectAll, a.policy.RejectAll()) }

// dispatch sends a CustomEvent on window; detail is converted with safejs.ValueOf.
func (a *app) dispatch(name string, detail any) {
	init := map[string]any{"detail": detail}
	opts, err := safejs.ValueOf(init)
	check(err)
	ev := must(get(a.win, "CustomEvent").New(name, opts))
	call(a.win, "dispatchEvent", ev)
}

// listenForShowPreferencesLinks opens the preferences from any element marked
// data-consentry="show-preferences", including ones added later: one listener on the
// document, by event delegation.
func (a *app) listenForShowPreferencesLinks() {
	selector := "[" + widget.AttrHook + `="` + widget.HookShowPrefs + `"]`
	a.on(a.doc, "click", func(ev safejs.Value) {
		target := get(ev, "target")
		if !truthy(target) || !truthy(get(target, "closest")) {
			return
		}
		if truthy(call(target, "closest", selector)) {
			call(ev, "preventDefault")
			a.showPreferences()
		}
	})
}
