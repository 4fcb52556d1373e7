//go:build js && wasm

package main

import "github.com/hack-pad/safejs"

// This file carries out the policy key matomo (CONTRACT.md §11) as widget.Session decides
// it: calls of Matomo's consent API pushed to window._paq.

// paq returns window._paq, creating it as an array when the page has none.
func (a *app) paq() safejs.Value {
	q := get(a.win, "_paq")
	if !truthy(q) {
		q = must(get(a.win, "Array").New())
		set(a.win, "_paq", q)
	}
	return q
}

// pushMatomo pushes calls to _paq. atFront puts them before what the page queued while
// Matomo has not loaded (_paq is then a plain array, read in order when Matomo loads);
// once Matomo has put its own push method in its place, they go through it.
func (a *app) pushMatomo(calls []any, atFront bool) {
	defer a.recoverIntegration("_paq")
	q := a.paq()
	if atFront && truthy(call(get(a.win, "Array"), "isArray", q)) {
		call(q, "unshift", calls...)
	} else {
		call(q, "push", calls...)
	}
}
