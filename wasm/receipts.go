//go:build js && wasm

package main

import (
	"slices"
	"time"

	"github.com/consentry/consentry/widget"
	"github.com/hack-pad/safejs"
)

// This file carries out consent receipts (CONTRACT.md §10) in the browser: after each write
// of a choice it queues the receipt that package widget builds in localStorage, then POSTs
// it from a goroutine, so that neither the banner nor the gate ever waits for the network;
// on each page load it sends again what an earlier one could not deliver. What a receipt
// holds, how long it waits and when to stop retrying are widget's decisions.

// receiptState is what the page view knows about receipts.
type receiptState struct {
	endpoint string // the policy's receipts.endpoint; "" when receipts are off
	digest   string // policyDigest of the policy in force
	started  bool   // startReceipts has run: receipts are sent as they are made
	// early are the receipts made during the start (a GPC refusal), sent by startReceipts
	// even where localStorage could not keep them.
	early []earlyReceipt
}

// earlyReceipt is a receipt made during the start.
type earlyReceipt struct{ id, body string }

// setUpReceipts prepares receipts for the policy whose text is policyText.
func (a *app) setUpReceipts(policyText string) {
	a.receipts = receiptState{endpoint: a.policy.Receipts.Endpoint}
	if a.receipts.endpoint != "" {
		a.receipts.digest = widget.PolicyDigest([]byte(policyText))
	}
}

// startReceipts sends, at the end of a successful start, every receipt that waits in the
// queue: those earlier page loads could not deliver, and a refusal by Global Privacy
// Control recorded during this start.
func (a *app) startReceipts() {
	if a.receipts.endpoint == "" {
		return
	}
	a.receipts.started = true
	q := a.readReceiptQueue()
	a.writeReceiptQueue(q) // without what expired or was dropped
	var pending []earlyReceipt
	for _, r := range q.Receipts {
		pending = append(pending, earlyReceipt{r.ID, r.Body})
	}
	for _, r := range a.receipts.early {
		if !slices.Contains(pending, r) {
			pending = append(pending, r)
		}
	}
	a.receipts.early = nil
	if len(pending) > 0 {
		a.goSafely("sending queued receipts", func() {
			for _, r := range pending {
				if !widget.SendNextAfter(a.deliverReceipt(r.id, r.body)) {
					return // the server is unavailable: a later page load tries again
				}
			}
		})
	}
}

// sendReceipt queues the receipt of event for the record just written and POSTs it from a
// goroutine. It is called once the choice took effect; during the start, the receipt waits
// for startReceipts, at its end.
func (a *app) sendReceipt(event string, r *widget.Record) {
	id, body, ok := a.queueReceipt(event, r)
	switch {
	case !ok:
	case !a.receipts.started:
		a.receipts.early = append(a.receipts.early, earlyReceipt{id, body})
	default:
		a.goSafely("sending a receipt", func() { a.deliverReceipt(id, body) })
	}
}

// queueReceipt builds the receipt of event for r and adds it to the queue in localStorage,
// where it waits until its server acknowledges it. It returns the receipt's id and body.
func (a *app) queueReceipt(event string, r *widget.Record) (id, body string, ok bool) {
	if a.receipts.endpoint == "" || r == nil {
		return "", "", false
	}
	ctx := widget.ReceiptContext{
		PolicyDigest: a.receipts.digest,
		Language:     a.lang,
		Page:         widget.ReceiptPage(str(get(get(a.win, "location"), "href"))),
		Widget:       a.buildID(),
	}
	rc, err := widget.NewReceipt(event, r, ctx, a.random)
	if err != nil {
		a.console("warn", "Consentry: "+err.Error())
		return "", "", false
	}
	q := a.readReceiptQueue()
	q.Add(rc, time.Now())
	a.writeReceiptQueue(q)
	return rc.ID, rc.JSON(), true
}

// deliverReceipt POSTs one receipt and waits for the answer; after a 2xx it takes the
// receipt out of the queue (widget.ReceiptQueue.Acknowledge). It returns the status, 0 for
// a network error. It blocks: call it from a goroutine only.
func (a *app) deliverReceipt(id, body string) int {
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
	promise, err := a.win.Call("fetch", a.receipts.endpoint, init)
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

// keepsServerCookie reports whether the consent cookie holding r was set by the site's
// server, so that the widget must not write it again (widget.ReceiptQueue.KeepsServerCookie).
func (a *app) keepsServerCookie(r *widget.Record) bool {
	if a.receipts.endpoint == "" {
		return false
	}
	q := a.readReceiptQueue()
	return q.KeepsServerCookie(r)
}

// localStorage returns window.localStorage, or false where storage is blocked (reading it
// throws a SecurityError in a sandboxed frame and with cookies blocked). The receipts then
// live for the page view only: each is sent once.
func (a *app) localStorage() (safejs.Value, bool) {
	s, err := jsReflect.Call("get", a.win, "localStorage")
	return s, err == nil && truthy(s)
}

// readReceiptQueue reads the queue from localStorage, empty when there is none or it
// cannot be read. A stored queue that is not one the widget wrote is reported once.
func (a *app) readReceiptQueue() widget.ReceiptQueue {
	s, ok := a.localStorage()
	if !ok {
		return widget.ReceiptQueue{}
	}
	item, err := s.Call("getItem", widget.ReceiptQueueKey)
	if err != nil {
		return widget.ReceiptQueue{}
	}
	q, err := widget.ParseReceiptQueue(str(item), time.Now())
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
