package widget

import (
	"errors"
	"strconv"
	"time"
)

// This file keeps the receipts that the site's server has not acknowledged yet (CONTRACT.md
// §10): "A receipt not answered with 2xx is kept in the browser (at most 20, the oldest
// dropped first; at most 30 days) and sent again, unchanged, on later page loads of the
// origin." The queue lives in localStorage under ReceiptQueueKey, as the JSON text that
// ReceiptQueue.Encode writes; it is read back with ParseReceiptQueue, strictly, since any
// script of the origin can write there.
//
// The queue also remembers which choice the server acknowledged: its server set the
// consent cookie with Set-Cookie (§10), and a cookie written by a script afterwards would
// bring back the cap some browsers put on those (Safari: 7 days). See KeepsServerCookie.

// ReceiptQueueKey is the localStorage key of the receipt queue. The entry is strictly
// necessary (ePrivacy art. 5(3)): it holds the proof of consent the site owes (GDPR art.
// 7(1)) until its server has it, and only on sites whose policy has "receipts".
const ReceiptQueueKey = "consentry:receipts"

// Limits of the queue (§10).
const (
	MaxQueuedReceipts = 20
	MaxReceiptAge     = 30 * 24 * time.Hour
	// MaxReceiptSize is the largest receipt body kept: the server refuses a larger one
	// (413, §10), so sending it again could never succeed.
	MaxReceiptSize = 8 << 10
)

// maxQueueTextLen bounds the stored text ParseReceiptQueue reads: 20 receipts of 8 KiB,
// escaped inside JSON strings, with room to spare. Anything longer was not written here.
const maxQueueTextLen = 2 * MaxQueuedReceipts * MaxReceiptSize

// QueuedReceipt is one receipt waiting for its server's 2xx.
type QueuedReceipt struct {
	ID     string    // its receiptId
	Queued time.Time // when it was made, UTC to the second
	Body   string    // the JSON body sent, sent again unchanged
}

// ReceiptQueue is the content of the ReceiptQueueKey entry.
type ReceiptQueue struct {
	Receipts []QueuedReceipt // oldest first
	// AckedConsentID and AckedUpdated name the newest choice (record id and updated) whose
	// receipt was answered 2xx, so whose cookie the server set; zero when none.
	AckedConsentID string
	AckedUpdated   time.Time
}

// Add queues the receipt r made at now, after the queue's rules: receipts older than 30
// days go, then the oldest beyond 20.
func (q *ReceiptQueue) Add(r *Receipt, now time.Time) { q.AddBody(r.ID, r.JSON(), now) }

// AddBody is Add for a receipt given by its id and JSON body.
func (q *ReceiptQueue) AddBody(id, body string, now time.Time) {
	q.Receipts = append(q.Receipts, QueuedReceipt{ID: id, Queued: now.UTC().Truncate(time.Second), Body: body})
	q.Expire(now)
}

// Expire drops the receipts queued more than 30 days before now, or more than a day after
// it (a clock set back would otherwise keep them for ever), and then the oldest ones
// beyond 20.
func (q *ReceiptQueue) Expire(now time.Time) {
	kept := q.Receipts[:0]
	for _, r := range q.Receipts {
		if !now.After(r.Queued.Add(MaxReceiptAge)) && !r.Queued.After(now.Add(maxFutureSkew)) {
			kept = append(kept, r)
		}
	}
	if len(kept) > MaxQueuedReceipts {
		kept = kept[len(kept)-MaxQueuedReceipts:]
	}
	q.Receipts = kept
}

// Acknowledge records that the server answered the receipt with that id with a 2xx: it
// leaves the queue, and when it is a consent or change receipt newer than the choice
// acknowledged so far, its choice becomes the acknowledged one. It reports whether the
// receipt was in the queue (another tab may have delivered it already).
func (q *ReceiptQueue) Acknowledge(id string) bool {
	for i, r := range q.Receipts {
		if r.ID != id {
			continue
		}
		q.Receipts = append(q.Receipts[:i], q.Receipts[i+1:]...)
		consentID, event, updated, ok := receiptChoice(r.Body)
		if ok && event != EventReceiptWithdraw && (consentID != q.AckedConsentID || updated.After(q.AckedUpdated)) {
			q.AckedConsentID, q.AckedUpdated = consentID, updated
		}
		return true
	}
	return false
}

// KeepsServerCookie reports whether the consent cookie holding r was set by the site's
// server, which acknowledged r's receipt: the widget must then not write it again until the
// choice changes (§10), not even to repair a duplicate (a script-written cookie is capped
// to 7 days by Safari, a server-set one is not). r may be nil.
func (q *ReceiptQueue) KeepsServerCookie(r *Record) bool {
	return r != nil && q.AckedConsentID != "" && r.ID == q.AckedConsentID && r.Updated.Equal(q.AckedUpdated)
}

// SendNextAfter reports whether, on a page load, the next queued receipt should be sent
// after one answered with status (0 for a network error): yes after a 2xx, and after a
// refusal of that one receipt (a 4xx such as 400: the others may be fine); no when the
// server is unavailable or asks to slow down (5xx, 408, 429, a network error), which the
// next page load retries.
func SendNextAfter(status int) bool {
	switch {
	case status >= 200 && status < 300:
		return true
	case status == 408 || status == 429:
		return false
	case status >= 400 && status < 500:
		return true
	}
	return false
}

// Encode returns the queue as stored under ReceiptQueueKey:
//
//	{"v":1,"receipts":[{"id":…,"queued":…,"body":…}],"acked":{"consentId":…,"updated":…}}
//
// "acked" is left out when no choice was acknowledged.
func (q *ReceiptQueue) Encode() string {
	b := make([]byte, 0, 64+len(q.Receipts)*600)
	b = append(b, `{"v":1,"receipts":[`...)
	for i, r := range q.Receipts {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"id":`...)
		b = appendJSONString(b, r.ID)
		b = append(b, `,"queued":`...)
		b = appendJSONString(b, formatRecordTime(r.Queued))
		b = append(b, `,"body":`...)
		b = appendJSONString(b, r.Body)
		b = append(b, '}')
	}
	b = append(b, ']')
	if q.AckedConsentID != "" {
		b = append(b, `,"acked":{"consentId":`...)
		b = appendJSONString(b, q.AckedConsentID)
		b = append(b, `,"updated":`...)
		b = appendJSONString(b, formatRecordTime(q.AckedUpdated))
		b = append(b, '}')
	}
	return string(append(b, '}'))
}

// ParseReceiptQueue reads the ReceiptQueueKey entry (s is "" when there is none) and applies
// the queue's rules at now (Expire). The entry is untrusted, as any script of the origin can
// write it: a text that is not the object Encode writes gives an empty queue and an error;
// a receipt in it that is not one the widget queued (a bad id, time or body, a body over
// 8 KiB or whose receiptId is not its id, a duplicate id) is dropped, and the error names
// the first one dropped; a bad "acked" is forgotten, with an error too. Errors start with
// "receipts: "; they are for the console, the queue returned is always usable.
func ParseReceiptQueue(s string, now time.Time) (ReceiptQueue, error) {
	var q ReceiptQueue
	if s == "" {
		return q, nil
	}
	if len(s) > maxQueueTextLen {
		return q, errors.New("receipts: stored queue of " + strconv.Itoa(len(s)) + " bytes, more than " + strconv.Itoa(maxQueueTextLen) + "; dropped")
	}
	v, err := parseJSON([]byte(s))
	if err != nil {
		return q, errors.New("receipts: stored queue: " + err.Error() + "; dropped")
	}
	if v.kind != jsonObject {
		return q, errors.New("receipts: stored queue is a JSON " + v.kind.String() + ", expected an object; dropped")
	}
	if ver := v.member("v"); ver == nil {
		return q, errors.New("receipts: stored queue: v is missing; dropped")
	} else if n, ok := ver.integer(); !ok || n != 1 {
		return q, errors.New("receipts: stored queue: v is not 1; dropped")
	}
	list := v.member("receipts")
	if list == nil || list.kind != jsonArray {
		return q, errors.New("receipts: stored queue: receipts is not an array; dropped")
	}
	var firstErr error
	drop := func(place, why string) {
		if firstErr == nil {
			firstErr = errors.New("receipts: stored queue: " + place + ": " + why + "; dropped")
		}
	}
	for i, e := range list.elems {
		place := "receipts[" + strconv.Itoa(i) + "]"
		r, why := queuedReceipt(e)
		switch {
		case why != "":
			drop(place, why)
		case q.has(r.ID):
			drop(place, "duplicate id "+strconv.Quote(r.ID))
		default:
			q.Receipts = append(q.Receipts, r)
		}
	}
	if acked := v.member("acked"); acked != nil {
		id, updated, ok := ackedChoice(acked)
		if ok {
			q.AckedConsentID, q.AckedUpdated = id, updated
		} else {
			drop("acked", "not a consent id and an updated time")
		}
	}
	q.Expire(now)
	return q, firstErr
}

// has reports whether a receipt with that id is queued.
func (q *ReceiptQueue) has(id string) bool {
	for _, r := range q.Receipts {
		if r.ID == id {
			return true
		}
	}
	return false
}

// queuedReceipt reads one element of "receipts", or says why it is not one.
func queuedReceipt(e *jsonValue) (QueuedReceipt, string) {
	var r QueuedReceipt
	if e.kind != jsonObject || len(e.members) != 3 {
		return r, `expected an object with "id", "queued" and "body"`
	}
	id, queued, body := e.member("id"), e.member("queued"), e.member("body")
	if id == nil || id.kind != jsonString || !isUUIDv4(id.str) {
		return r, "id is not a version 4 UUID"
	}
	var ok bool
	if queued == nil || queued.kind != jsonString {
		return r, "queued is not a time"
	}
	if r.Queued, ok = parseRecordTime(queued.str); !ok {
		return r, "queued is not a time"
	}
	if body == nil || body.kind != jsonString {
		return r, "body is not a string"
	}
	if len(body.str) > MaxReceiptSize {
		return r, "body of " + strconv.Itoa(len(body.str)) + " bytes, more than the server accepts"
	}
	b, err := parseJSON([]byte(body.str))
	if err != nil || b.kind != jsonObject {
		return r, "body is not a JSON object"
	}
	if rid := b.member("receiptId"); rid == nil || rid.kind != jsonString || rid.str != id.str {
		return r, "body's receiptId is not its id"
	}
	r.ID, r.Body = id.str, body.str
	return r, ""
}

// ackedChoice reads "acked".
func ackedChoice(v *jsonValue) (id string, updated time.Time, ok bool) {
	if v.kind != jsonObject || len(v.members) != 2 {
		return "", time.Time{}, false
	}
	idv, upv := v.member("consentId"), v.member("updated")
	if idv == nil || idv.kind != jsonString || !isUUIDv4(idv.str) || upv == nil || upv.kind != jsonString {
		return "", time.Time{}, false
	}
	updated, ok = parseRecordTime(upv.str)
	return idv.str, updated, ok
}

// receiptChoice reads the consent id, event and updated time of a receipt body written by
// Receipt.JSON (a queued body passed ParseReceiptQueue's checks or was written here).
func receiptChoice(body string) (consentID, event string, updated time.Time, ok bool) {
	v, err := parseJSON([]byte(body))
	if err != nil || v.kind != jsonObject {
		return "", "", time.Time{}, false
	}
	c, e, u := v.member("consentId"), v.member("event"), v.member("updated")
	if c == nil || c.kind != jsonString || e == nil || e.kind != jsonString || u == nil || u.kind != jsonString {
		return "", "", time.Time{}, false
	}
	updated, ok = parseRecordTime(u.str)
	return c.str, e.str, updated, ok && isUUIDv4(c.str)
}
