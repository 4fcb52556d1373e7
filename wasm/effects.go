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
			a.dispatch(e.Event, e.Detail)
		case widget.ShowView:
			a.showView(e.View, e.GPCNotice)
		case widget.HideView:
			a.hideView(e.View, e.RestoreFocus)
		case widget.Render:
			a.lang = e.Lang
			a.render()
		case widget.SetSwitches:
			a.setSwitches(e.Switches)
		case widget.Announce:
			a.announce(e.Text)
		case widget.ScanGate:
			a.gate.scan()
		case widget.Gtag:
			a.gtag(e.Args)
		case widget.PushDataLayer:
			a.pushDataLayer(e.Event)
		case widget.PushMatomo:
			a.pushMatomo(e.Calls, e.AtFront)
		case widget.QueueReceipt:
			a.queueReceipt(e.Receipt)
		case widget.SendReceipt:
			a.queueReceipt(e.Receipt)
			a.goSafely("sending a receipt", func() { a.deliverReceipt(e.Endpoint, e.Receipt.ID, e.Receipt.Body) })
		case widget.SendQueuedReceipts:
			a.sendQueuedReceipts(e.Endpoint, e.Made)
		case widget.Reload:
			call(get(a.win, "location"), "reload")
		case widget.Warn:
			a.console("warn", e.Message)
		}
	}
}

// dispatch sends a CustomEvent on window; detail is converted with safejs.ValueOf.
func (a *app) dispatch(name string, detail any) {
	opts, err := safejs.ValueOf(map[string]any{"detail": detail})
	check(err)
	ev := must(get(a.win, "CustomEvent").New(name, opts))
	call(a.win, "dispatchEvent", ev)
}
