//go:build js && wasm

package main

import (
	"github.com/consentry/consentry/widget"
	"github.com/hack-pad/safejs"
)

// This file carries out the policy key matomo (CONTRACT.md §11) as package widget decides
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

// matomoStart pushes require(Cookie)Consent, once, at start, before the gate opens, and,
// when the choice at load accepts Matomo's category, the consent for this page view: at
// the front of _paq while Matomo has not loaded (it is then a plain array, read in order
// when Matomo loads), else through the push method Matomo put in its place.
func (a *app) matomoStart() {
	require := a.policy.MatomoRequire()
	if require == nil {
		return
	}
	defer a.recoverIntegration("_paq")
	calls := []any{require}
	if c := a.policy.MatomoConsent(nil, a.record); c != nil {
		calls = append(calls, c)
	}
	q := a.paq()
	if truthy(call(get(a.win, "Array"), "isArray", q)) {
		call(q, "unshift", calls...)
	} else {
		call(q, "push", calls...)
	}
}

// matomoConsent pushes the consent call for the change from previous to the choice in
// force, if any.
func (a *app) matomoConsent(previous *widget.Record) {
	if c := a.policy.MatomoConsent(previous, a.record); c != nil {
		defer a.recoverIntegration("_paq")
		call(a.paq(), "push", c)
	}
}
