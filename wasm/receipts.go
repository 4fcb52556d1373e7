//go:build js && wasm

package main

import (
	"slices"
	"time"

	"github.com/consentry/consentry/widget"
	"github.com/hack-pad/safejs"
)

// This file carries out consent receipts (CONTRACT.md §10) as widget.Session decides
// them: a receipt goes into the queue in localStorage and is POSTed from a goroutine, so
// that neither the banner nor the gate ever waits for the network; at the end of the start
// what earlier page loads could not deliver is sent again. What a receipt holds, how long
// it waits and when to stop retrying are widget's decisions.

// queueReceipt adds a receipt to the queue in localStorage, where it waits until its
// server acknowledges it.
func (a *app) queueReceipt(r widget.ReceiptBody) {
	q := a.readReceiptQueue()
	q.AddBody(r.ID, r.Body, time.Now())
	a.writeReceiptQueue(q)
}

// sendQueuedReceipts sends, from a goroutine, every receipt waiting in the queue, then
// those of made that the queue could not keep, while widget.SendNextAfter says to go on.
func (a *app) sendQueuedReceipts(endpoint string, made []widget.ReceiptBody) {
	q := a.readReceiptQueue()
	a.writeReceiptQueue(q) // without what expired or was dropped
	var all []widget.ReceiptBody
	for _, r := range q.Receipts {
		all = append(all, widget.ReceiptBody{ID: r.ID, Body: r.Body})
	}
	for _, r := range made {
		if !slices.Contains(all, r) {
			all = append(all, r)
		}
	}
	if len(all) > 0 {
		a.goSafely("sending queued receipts", func() {
			for _, r := range all {
				if !widget.SendNextAfter(a.deliverReceipt(endpoint, r.ID, r.Body)) {
					return // the server is unavailable: a later page load tries again
				}
			}
		})
	}
}

// deliverReceipt POSTs one receipt and waits for the answer; after a 2xx it takes the
// receipt out of the queue (widget.ReceiptQueue.Acknowledge). It returns the status, 0 for
// a network error. It blocks: call it from a goroutine only.
func (a *app) deliverReceipt(endpoint, id, body string) int {
	headers := map[string]any{"Content-Type": widget.ReceiptContentType}
	init, err := safejs.ValueOf(map[string]any{
		"method": "POST",
		// keepalive: the request outlives the page, when the choice is the last thing the
		// visitor does on it (a reload after a withdrawal included).
		"keepalive":   true,
		"credentials": "same-origin",
		"headers":     headers,
		"body":        body,
	})
	if err != nil {
		return 0
	}
	promise, err := a.win.Call("fetch", endpoint, init)
	if err != nil {
		return 0 // fetch threw: a URL the browser refuses
	}
	response, ok := await(promise)
	if !ok {
		return 0 // a network error, or the page's connect-src does not allow the endpoint
	}
	status := 0
	if v, err := jsReflect.Call("get", response, "status"); err == nil {
		status, _ = v.Int()
	}
	if status >= 200 && status < 300 {
		q := a.readReceiptQueue()
		if q.Acknowledge(id) {
			a.writeReceiptQueue(q)
		}
	}
	return status
}

// localStorage returns window.localStorage, or false where storage is blocked (reading it
// throws a SecurityError in a sandboxed frame and with cookies blocked). The receipts then
// live for the page view only: each is sent once.
func (a *app) localStorage() (safejs.Value, bool) {
	s, err := jsReflect.Call("get", a.win, "localStorage")
	return s, err == nil && truthy(s)
}

// receiptQueueText returns the stored queue as text, "" when there is none or storage is
// blocked.
func (a *app) receiptQueueText() string {
	s, ok := a.localStorage()
	if !ok {
		return ""
	}
	item, err := s.Call("getItem", widget.ReceiptQueueKey)
	if err != nil {
		return ""
	}
	return str(item)
}

// readReceiptQueue reads the queue from localStorage, empty when there is none or it
// cannot be read. A stored queue that is not one the widget wrote is reported once.
func (a *app) readReceiptQueue() widget.ReceiptQueue {
	q, err := widget.ParseReceiptQueue(a.receiptQueueText(), time.Now())
	if err != nil {
		a.console("warn", "Consentry: "+err.Error())
	}
	return q
}

// writeReceiptQueue stores the queue, or removes the entry when nothing is left in it. A
// full or blocked storage is not an error the page should see: the receipt was sent once.
func (a *app) writeReceiptQueue(q widget.ReceiptQueue) {
	s, ok := a.localStorage()
	if !ok {
		return
	}
	if len(q.Receipts) == 0 && q.AckedConsentID == "" {
		_, _ = s.Call("removeItem", widget.ReceiptQueueKey)
		return
	}
	_, _ = s.Call("setItem", widget.ReceiptQueueKey, q.Encode())
}

// goSafely runs fn in a goroutine, where a panic (a DOM call failing) would otherwise end
// the Go program: it is recovered and reported like one in a callback.
func (a *app) goSafely(name string, fn func()) {
	go func() {
		defer func() {
			if r := recover(); r != nil {
				a.internalError(name, r)
			}
		}()
		fn()
	}()
}

// await waits until promise settles and returns its value and whether it was fulfilled. It
// blocks the calling goroutine: never call it inside a callback (see callbacks.go), where
// waiting would deadlock the program.
func await(promise safejs.Value) (safejs.Value, bool) {
	type settled struct {
		value safejs.Value
		ok    bool
	}
	done := make(chan settled, 2) // never blocks a callback, even if both ran
	handler := func(ok bool) (safejs.Func, error) {
		return safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
			var v safejs.Value
			if len(args) > 0 {
				v = args[0]
			}
			done <- settled{v, ok}
			return nil
		})
	}
	onFulfilled, err := handler(true)
	if err != nil {
		return safejs.Value{}, false
	}
	defer onFulfilled.Release()
	onRejected, err := handler(false)
	if err != nil {
		return safejs.Value{}, false
	}
	defer onRejected.Release()
	if _, err := promise.Call("then", onFulfilled, onRejected); err != nil {
		return safejs.Value{}, false
	}
	s := <-done
	return s.value, s.ok
}
