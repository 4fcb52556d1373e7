//go:build js && wasm

// Command wasm is Consentry's WebAssembly shell around widget.Session: it starts the
// session with the loader's policy and the page's signals, hands it every input, and
// carries out the effects it returns (effects.go). It decides nothing about consent.
package main

import (
	"errors"

	"github.com/consentry/consentry/widget"
	"github.com/hack-pad/safejs"
)

// app is the running widget on one page.
type app struct {
	win, doc safejs.Value
	boot     safejs.Value // the loader's private hand-over object
	policy   *widget.Policy
	session  *widget.Session
	lang     string          // the language of the views rendered last
	switches widget.Switches // the dialog's switches, the session's last SetSwitches
	nonce    string
	random   cryptoReader
	gate     gate
}

func main() {
	a := &app{win: safejs.Global()}
	if err := a.start(); err != nil {
		a.fail(err) // the loader takes the widget out of the page
	}
	select {} // keep serving callbacks for the life of the page
}

// start boots the widget; the gate opens only at its end, so any failure fails closed.
func (a *app) start() (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = errors.New("internal error while starting: " + panicText(r))
		}
	}()
	a.doc = get(a.win, "document")
	api := get(a.win, widget.GlobalName)
	a.boot = get(api, "_boot")
	if !truthy(a.boot) {
		return errors.New("consentry.js did not start this program; include consentry.js, not the .wasm")
	}
	_ = api.Delete("_boot") // the host page has no use for it
	a.yieldWhileShown()     // the runtime's start was one task, the widget's is the next (view.go)
	a.nonce = str(get(a.boot, "nonce"))
	a.random = cryptoReader{crypto: get(a.win, "crypto"), array: get(a.win, "Uint8Array")}

	policyText := str(get(a.boot, "policyText"))
	policy, err := widget.ParsePolicyOn([]byte(policyText), str(get(get(a.win, "location"), "origin")))
	if err != nil {
		return errors.New("the policy from " + str(get(a.boot, "policySource")) + " is refused:\n" + err.Error())
	}
	a.policy = policy
	a.gate = gate{a: a}
	a.session = widget.NewSession(policy, widget.Signals{
		GPC:            truthy(call(a.boot, "gpc")),
		Languages:      stringList(call(a.boot, "languages")),
		Location:       a.location(),
		Href:           str(get(get(a.win, "location"), "href")),
		Build:          str(get(a.boot, "build")), // Consentry.version: consentry:ready, receipts (§10)
		PolicyText:     policyText,
		ReopenLink:     truthy(call(a.boot, "reopenLink")), // a data-consentry="show-preferences" element
		FirstPaintLang: str(call(a.boot, "firstPaint")),    // the banner consentry.js showed (§9)
	}, a.random)

	// The gate scans once the loader opens it (gate.open), at the very end of a successful
	// start; the observer handles what is added to the page after that.
	a.gate.observe()
	// With the first paint shown, the rest of the start is a task of its own, and a choice
	// made on the built-in banner (boot.intent) is the session's early input (§9).
	a.yieldWhileShown()
	var early []widget.Input
	if action := str(get(a.boot, "intent")); action != "" {
		early = append(early, widget.Action{Name: action})
	}
	a.run(a.session.Start(a.page(), early...))
	call(a.boot, "attach", a.api())
	return nil
}

// fail reports a start-up failure through the loader (console.error, consentry:error,
// Consentry.ready rejected).
func (a *app) fail(err error) {
	if truthy(a.boot) {
		if _, callErr := a.boot.Call("fail", err.Error()); callErr == nil {
			return
		}
	}
	a.console("error", "Consentry: "+err.Error())
}
