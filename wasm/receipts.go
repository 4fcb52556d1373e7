//go:build js && wasm

package main

import (
	"time"

	"github.com/consentry/consentry/widget"
	"github.com/hack-pad/safejs"
)

// This file carries out consent receipts (CONTRACT.md §10) as widget.Session decides them:
// a receipt waits in the queue in localStorage and is POSTed by the loader (boot.post),
// which calls back with the status, so that nothing ever waits for the network. Where
// storage is blocked the receipts live for the page view only: each is sent once.

// queueReceipt adds a receipt to the queue in localStorage.
func (a *app) queueReceipt(r widget.ReceiptBody) {
	q := a.readReceiptQueue()
	q.AddBody(r.ID, r.Body, time.Now())
	a.writeReceiptQueue(q)
}

// sendQueuedReceipts sends, one after the other, what widget.ReceiptQueue.Pending names,
// while widget.SendNextAfter says to go on.
func (a *app) sendQueuedReceipts(endpoint string, made []widget.ReceiptBody) {
	q := a.readReceiptQueue()
	a.writeReceiptQueue(q) // without what expired or was dropped
	var next func(all []widget.ReceiptBody)
	next = func(all []widget.ReceiptBody) {
		if len(all) > 0 {
			a.deliverReceipt(endpoint, all[0], func(status int) {
				if widget.SendNextAfter(status) { // else the server is unavailable: a later page load tries again
					next(all[1:])
				}
			})
		}
	}
	next(q.Pending(made))
}

// deliverReceipt POSTs one receipt and, once answered, records the answer in the queue
// (widget.ReceiptQueue.Answered) and calls done with the status (0: a network error).
func (a *app) deliverReceipt(endpoint string, r widget.ReceiptBody, done func(status int)) {
	f := a.oneShot("receipt", func(args []safejs.Value) {
		status := 0
		if len(args) > 0 {
			status, _ = args[0].Int()
		}
		if q := a.readReceiptQueue(); q.Answered(r.ID, status) {
			a.writeReceiptQueue(q)
		}
		done(status)
	})
	call(a.boot, "post", endpoint, widget.ReceiptContentType, r.Body, f)
}

// receiptQueueText returns the stored queue as text, "" when there is none.
func (a *app) receiptQueueText() string {
	if s, ok := storage("localStorage"); ok {
		if item, err := s.Call("getItem", widget.ReceiptQueueKey); err == nil {
			return str(item)
		}
	}
	return ""
}

// readReceiptQueue reads the queue, empty when there is none; one the widget did not write
// is reported.
func (a *app) readReceiptQueue() widget.ReceiptQueue {
	q, err := widget.ParseReceiptQueue(a.receiptQueueText(), time.Now())
	if err != nil {
		a.console("warn", "Consentry: "+err.Error())
	}
	return q
}

// writeReceiptQueue stores the queue, or removes the entry when nothing is left in it. A
// full or blocked storage is not an error the page should see.
func (a *app) writeReceiptQueue(q widget.ReceiptQueue) {
	if s, ok := storage("localStorage"); !ok {
		return
	} else if len(q.Receipts) == 0 && q.AckedConsentID == "" {
		_, _ = s.Call("removeItem", widget.ReceiptQueueKey)
	} else {
		_, _ = s.Call("setItem", widget.ReceiptQueueKey, q.Encode())
	}
}
