package widget

import (
	"errors"
	"io"
	"strconv"
	"strings"
	"time"
)

// This file builds the consent receipt of CONTRACT.md §10: the proof of a choice that the
// widget POSTs to the site's own server after each write of a choice, so that the controller
// can demonstrate consent (GDPR art. 7(1)) with more than the visitor's cookie.

// Values of a receipt's "event" (§10).
const (
	EventReceiptConsent  = "consent"  // a first choice, a GPC refusal included
	EventReceiptChange   = "change"   // a choice that replaces one, even with the same content
	EventReceiptWithdraw = "withdraw" // reset(): the choice is forgotten
)

// ReceiptContentType is the Content-Type of a receipt POST (§10).
const ReceiptContentType = "application/json"

// receiptVersion is the receipt's "v", the version of its format.
const receiptVersion = 1

// Receipt is one consent receipt (§10). Its fields other than ID, Event, PolicyDigest,
// Language, Page and Widget are those of the consent record written.
type Receipt struct {
	ID           string // "receiptId": a new random UUID (version 4) per receipt
	ConsentID    string // the record's id
	Event        string // EventReceiptConsent, EventReceiptChange or EventReceiptWithdraw
	Method       string
	Revision     int
	Scope        string
	PolicyDigest string // SHA-256 of the policy bytes in force, lower-case hex
	Language     string // the language the visitor was shown
	Categories   []string
	Services     map[string][]string
	Created      time.Time
	Updated      time.Time
	Page         string // the page's URL without query or fragment
	// Widget is the version or build id of the widget that recorded the choice; "" leaves
	// "widget" out (servers accept a receipt without it).
	Widget string
}

// ReceiptContext is what a receipt says about where a choice was made, beyond the record:
// the same for every receipt of one page view.
type ReceiptContext struct {
	PolicyDigest string // PolicyDigest of the policy in force
	Language     string // the language of the banner and dialog shown
	Page         string // ReceiptPage of location.href
	Widget       string // the widget's build id, or ""
}

// ReceiptEvent returns the event of the receipt for a record written over previous, the
// record in force before it (nil on a first choice): consent for a first choice, change
// otherwise, even when the new record holds the same choice (§10 "even a save that changes
// nothing").
func ReceiptEvent(previous *Record) string {
	if previous == nil {
		return EventReceiptConsent
	}
	return EventReceiptChange
}

// NewReceipt returns the receipt of event for the record r just written, in ctx. random
// supplies the 16 bytes of the receipt's id (crypto.getRandomValues in the browser). For a
// withdrawal, r is WithdrawnRecord's result.
func NewReceipt(event string, r *Record, ctx ReceiptContext, random io.Reader) (*Receipt, error) {
	switch event {
	case EventReceiptConsent, EventReceiptChange, EventReceiptWithdraw:
	default:
		return nil, errors.New("receipt: unknown event " + strconv.Quote(event))
	}
	if r == nil {
		return nil, errors.New("receipt: no record")
	}
	id, err := newUUIDv4(random)
	if err != nil {
		return nil, errors.New("receipt: " + strings.TrimPrefix(err.Error(), "consent: "))
	}
	return &Receipt{
		ID:           id,
		ConsentID:    r.ID,
		Event:        event,
		Method:       r.Method,
		Revision:     r.Revision,
		Scope:        r.Scope,
		PolicyDigest: ctx.PolicyDigest,
		Language:     ctx.Language,
		Categories:   r.Categories,
		Services:     r.Services,
		Created:      r.Created,
		Updated:      r.Updated,
		Page:         ctx.Page,
		Widget:       ctx.Widget,
	}, nil
}

// WithdrawnRecord returns the state after the withdrawal of forgotten at now, as a withdraw
// receipt carries it (§10): the forgotten record's id, created, revision and scope;
// required categories only, no services, method reject-all; updated the time of the
// withdrawal, in UTC to the second. It is not written to the cookie: reset() deletes it.
func (p *Policy) WithdrawnRecord(forgotten *Record, now time.Time) *Record {
	r := &Record{
		Version:    recordVersion,
		Revision:   forgotten.Revision,
		Scope:      forgotten.Scope,
		ID:         forgotten.ID,
		Created:    forgotten.Created,
		Updated:    now.UTC().Truncate(time.Second),
		Method:     MethodRejectAll,
		Categories: []string{},
		Services:   map[string][]string{},
	}
	for _, c := range p.Categories {
		if c.Required {
			r.Categories = append(r.Categories, c.ID)
		}
	}
	return r
}

// PolicyDigest returns the "policyDigest" of a receipt: the SHA-256 of the policy bytes in
// force, in lower-case hex (§10). For an inline policy these are the UTF-8 bytes of its
// text; for a fetched one, the bytes of the response as the browser decoded them to text,
// which are the file's bytes for a UTF-8 file without a byte order mark.
func PolicyDigest(policy []byte) string {
	sum := sum256(policy)
	return string(appendHex(nil, sum[:]))
}

// ReceiptPage returns the "page" of a receipt from location.href: the URL without query
// and fragment (§10), and without user name and password, which are no part of a page's
// address and may be secrets.
func ReceiptPage(href string) string {
	if i := strings.IndexAny(href, "?#"); i >= 0 {
		href = href[:i]
	}
	if scheme, rest, ok := strings.Cut(href, "://"); ok {
		authority, path := rest, ""
		if i := strings.IndexByte(rest, '/'); i >= 0 {
			authority, path = rest[:i], rest[i:]
		}
		if i := strings.LastIndexByte(authority, '@'); i >= 0 {
			href = scheme + "://" + authority[i+1:] + path
		}
	}
	return href
}

// JSON returns the receipt as the body of its POST: the compact JSON object of §10, keys in
// the order of the contract's example, "widget" last and only when set. Times are RFC 3339
// in UTC to the second, as in the cookie; services are written as Record.Encode writes them.
func (r *Receipt) JSON() string {
	b := make([]byte, 0, 512)
	b = append(b, `{"v":`...)
	b = strconv.AppendInt(b, receiptVersion, 10)
	b = append(b, `,"receiptId":`...)
	b = appendJSONString(b, r.ID)
	b = append(b, `,"consentId":`...)
	b = appendJSONString(b, r.ConsentID)
	b = append(b, `,"event":`...)
	b = appendJSONString(b, r.Event)
	b = append(b, `,"method":`...)
	b = appendJSONString(b, r.Method)
	b = append(b, `,"revision":`...)
	b = strconv.AppendInt(b, int64(r.Revision), 10)
	b = append(b, `,"scope":`...)
	b = appendJSONString(b, r.Scope)
	b = append(b, `,"policyDigest":`...)
	b = appendJSONString(b, r.PolicyDigest)
	b = append(b, `,"language":`...)
	b = appendJSONString(b, r.Language)
	b = append(b, `,"categories":`...)
	b = appendJSONStrings(b, r.Categories)
	b = append(b, `,"services":`...)
	b = appendServices(b, r.Categories, r.Services)
	b = append(b, `,"created":`...)
	b = appendJSONString(b, formatRecordTime(r.Created))
	b = append(b, `,"updated":`...)
	b = appendJSONString(b, formatRecordTime(r.Updated))
	b = append(b, `,"page":`...)
	b = appendJSONString(b, r.Page)
	if r.Widget != "" {
		b = append(b, `,"widget":`...)
		b = appendJSONString(b, r.Widget)
	}
	return string(append(b, '}'))
}
