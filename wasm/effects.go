//go:build js && wasm

package main

import (
	"time"

	"github.com/consentry/consentry/widget"
	"github.com/hack-pad/safejs"
)

// input hands one input to the session, with the page as it is now, and carries out what
// it returns.
func (a *app) input(in widget.Input) { a.run(a.session.Handle(a.page(), in)) }

// page reads what the session needs of the page with an input.
func (a *app) page() widget.Page {
	cookies, ok := a.readCookies()
	return widget.Page{
		Now:          time.Now(),
		Cookies:      cookies,
		CookiesOK:    ok,
		StorageKeys:  append(storageKeys("localStorage"), storageKeys("sessionStorage")...),
		ReceiptQueue: a.receiptQueueText(),
	}
}

// run carries out effects in order (see widget/effects.go for what each means).
func (a *app) run(effects []widget.Effect) {
	for _, e := range effects {
		switch e := e.(type) {
		case widget.WriteCookie:
			a.writeCookie(e.Line)
		case widget.ReadBackCookie:
			a.input(widget.CookieReadBack{})
		case widget.RemoveStorage:
			removeStorage(e.Keys)
		case widget.Dispatch:
			opts, err := safejs.ValueOf(map[string]any{"detail": e.Detail})
			check(err)
			call(a.win, "dispatchEvent", must(get(a.win, "CustomEvent").New(e.Event, opts)))
		case widget.Render, widget.ShowView, widget.HideView, widget.SetSwitches, widget.Announce:
			a.view(e)
		case widget.ScanGate:
			a.gate.scan()
		case widget.Gtag:
			a.integrate("gtag", func() { call(a.boot, "gtag", e.Args...) }) // the page's, or the standard one
		case widget.PushDataLayer:
			a.integrate("dataLayer.push", func() { call(get(a.win, "dataLayer"), "push", e.Event) })
		case widget.PushMatomo:
			a.integrate("_paq", func() { call(a.boot, "paq", e.Calls, e.AtFront) })
		case widget.QueueReceipt:
			a.queueReceipt(e.Receipt)
		case widget.SendReceipt:
			a.queueReceipt(e.Receipt)
			a.deliverReceipt(e.Endpoint, e.Receipt, func(int) {})
		case widget.SendQueuedReceipts:
			a.sendQueuedReceipts(e.Endpoint, e.Made)
		case widget.Reload:
			call(get(a.win, "location"), "reload")
		case widget.Warn:
			a.console("warn", e.Message)
		}
	}
}

// integrate calls into the page's gtag, dataLayer or _paq (CONTRACT.md §11), the first and
// the last through the loader's boot.gtag and boot.paq: one that throws is the page's
// problem, reported as a warning, and stops nothing of the widget.
func (a *app) integrate(what string, fn func()) {
	defer func() {
		if r := recover(); r != nil {
			a.console("warn", "Consentry: "+what+" failed: "+panicText(r))
		}
	}()
	fn()
}
