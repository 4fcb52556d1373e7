//go:build js && wasm

package main

import (
	"fmt"

	"github.com/hack-pad/safejs"
)

// This file carries out Google Consent Mode v2 (CONTRACT.md §11) as widget.Session decides
// it: the gtag calls and the consentry_consent dataLayer event.

// gtagFunc returns the page's gtag, or installs the standard one when the page has none:
// window.dataLayer and a gtag that pushes its Arguments object, which gtag.js requires (it
// ignores plain arrays). The function is the loader's (boot.gtag), because Go cannot make
// an Arguments object, and creating a function from source would need 'unsafe-eval'.
func (a *app) gtagFunc() safejs.Value {
	if fn := get(a.win, "gtag"); fn.Type() == safejs.TypeFunction {
		return fn
	}
	if !truthy(get(a.win, "dataLayer")) {
		set(a.win, "dataLayer", must(get(a.win, "Array").New()))
	}
	fn := get(a.boot, "gtag")
	set(a.win, "gtag", fn)
	return fn
}

// gtag calls the page's gtag with args. A page's gtag that throws is the page's problem:
// it is reported as a warning and stops nothing of the widget.
func (a *app) gtag(args []any) {
	defer a.recoverIntegration("gtag")
	if _, err := a.gtagFunc().Invoke(args...); err != nil {
		panic(err)
	}
}

// pushDataLayer pushes the consentry_consent event for Tag Manager triggers.
func (a *app) pushDataLayer(event map[string]any) {
	defer a.recoverIntegration("dataLayer.push")
	call(get(a.win, "dataLayer"), "push", event)
}

// recoverIntegration turns a panic while calling into the page's gtag or _paq into a
// console warning.
func (a *app) recoverIntegration(what string) {
	if r := recover(); r != nil {
		a.console("warn", fmt.Sprintf("Consentry: %s failed: %v", what, r))
	}
}
