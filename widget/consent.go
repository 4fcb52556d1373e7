package widget

import (
	"errors"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
)

// This file implements the consent record of CONTRACT.md §4: what the visitor chose, how
// it is written into the consent cookie and read back, and when a stored choice is still
// valid for the policy. A cookie is hostile input: it is decoded strictly, and anything
// that does not decode or does not check counts as no choice (fail closed).

// Record is the consent record of §4, the content of the consent cookie.
type Record struct {
	Version  int    // "v": the format version, 1
	Revision int    // the policy's revision the visitor answered
	Scope    string // the policy's Scope when the visitor answered
	ID       string // a random UUID (version 4), kept across updates
	Created  time.Time
	Updated  time.Time // UTC, second precision, like Created
	Method   string    // MethodAcceptAll, MethodRejectAll, MethodCustom or MethodGPC
	// Categories lists every accepted category, required ones included, in policy order.
	Categories []string
	// Services maps each accepted optional category that has consent-requiring services to
	// the ids of those the visitor accepted, in policy order. Services that need no consent
	// and the services of required categories are not listed: they are not a choice.
	Services map[string][]string
}

// recordVersion is the value of "v", the version of the record's format.
const recordVersion = 1

// recordTimeLayout is how "created" and "updated" are written: RFC 3339 in UTC with
// second precision, the only form DecodeRecord accepts.
const recordTimeLayout = "2006-01-02T15:04:05Z"

// maxRecordLen bounds the consent cookie value DecodeRecord reads. Browsers keep cookies
// up to 4096 bytes (RFC 6265 section 6.1 asks for at least that much); a longer value is
// not one the widget wrote.
const maxRecordLen = 4096

// Scope returns the fingerprint of what the visitor is asked about (§4 "scope"): the
// first 8 hex digits of the SHA-256 of the byte-sorted, comma-joined ids of the optional
// categories and of their consent-requiring services, written category/service. For the
// default policy it is the hash of "statistics,statistics/analytics".
func (p *Policy) Scope() string {
	var ids []string
	for _, c := range p.Categories {
		if c.Required {
			continue
		}
		ids = append(ids, c.ID)
		for _, s := range c.Services {
			if s.ConsentRequired {
				ids = append(ids, c.ID+"/"+s.ID)
			}
		}
	}
	sortStrings(ids) // Go compares strings byte-wise
	sum := sum256([]byte(strings.Join(ids, ",")))
	return string(appendHex(nil, sum[:4]))
}

// appendHex appends src in lower-case hexadecimal. encoding/hex does the same but
// imports fmt, which would add its weight to the WebAssembly build of a package that
// otherwise avoids it.
func appendHex(b, src []byte) []byte {
	const hexDigits = "0123456789abcdef"
	for _, c := range src {
		b = append(b, hexDigits[c>>4], hexDigits[c&0xF])
	}
	return b
}

// Choice is what the visitor selected in the banner, the preferences dialog or through the
// JS API (§6): the ids of the accepted optional categories and, per category, the ids of
// the accepted services. A category listed in Categories without an entry in Services (or
// with a nil one) accepts all its consent-requiring services; a non-nil empty entry
// accepts none of them. An entry in Services for a category not listed in Categories is
// ignored: a category is never accepted without being selected.
type Choice struct {
	Categories []string
	Services   map[string][]string
}

// AcceptAll returns the choice of the "accept all" button: every optional category with
// all its consent-requiring services.
func (p *Policy) AcceptAll() Choice {
	c := Choice{Services: map[string][]string{}}
	for _, cat := range p.Categories {
		if !cat.Required {
			c.Categories = append(c.Categories, cat.ID)
		}
	}
	return c
}

// RejectAll returns the choice of the "reject all" button, and of Global Privacy Control:
// no optional category. A rejection is stored and respected like an acceptance (§4).
func (p *Policy) RejectAll() Choice {
	return Choice{Categories: []string{}, Services: map[string][]string{}}
}

// NewRecord returns the record to store for the visitor's choice c made with method at
// now. prev is the record in force, or nil on a first choice: its ID and Created are kept
// (§4 "kept across updates"). Updated is now in UTC truncated to the second, and so is
// Created on a first choice. random supplies the bytes of a new ID (crypto.getRandomValues
// in the browser, crypto/rand.Reader natively); it is not read when prev has an ID.
//
// The choice is normalised against the policy: required categories are always accepted;
// unknown category and service ids, and services that need no consent, are dropped. A
// selected optional category with consent-requiring services is accepted when at least
// one of them is accepted (refusing every service refuses the category); a selected one
// without consent-requiring services is accepted as it is.
func (p *Policy) NewRecord(prev *Record, method string, c Choice, now time.Time, random io.Reader) (*Record, error) {
	switch method {
	case MethodAcceptAll, MethodRejectAll, MethodCustom, MethodGPC:
	default:
		return nil, errors.New("consent: unknown method " + strconv.Quote(method))
	}
	now = now.UTC().Truncate(time.Second)
	r := &Record{
		Version:  recordVersion,
		Revision: p.Revision,
		Scope:    p.Scope(),
		Created:  now,
		Updated:  now,
		Method:   method,
		Services: map[string][]string{},
	}
	if prev != nil && isUUIDv4(prev.ID) {
		r.ID = prev.ID
		if !prev.Created.IsZero() {
			r.Created = prev.Created.UTC().Truncate(time.Second)
		}
	} else {
		id, err := newUUIDv4(random)
		if err != nil {
			return nil, err
		}
		r.ID = id
	}

	for _, cat := range p.Categories {
		if cat.Required {
			r.Categories = append(r.Categories, cat.ID)
			continue
		}
		if !slices.Contains(c.Categories, cat.ID) {
			continue
		}
		chosen, all := c.Services[cat.ID], c.Services[cat.ID] == nil
		var accepted []string
		asked := false
		for _, s := range cat.Services {
			if !s.ConsentRequired {
				continue
			}
			asked = true
			if all || slices.Contains(chosen, s.ID) {
				accepted = append(accepted, s.ID)
			}
		}
		switch {
		case !asked:
			r.Categories = append(r.Categories, cat.ID)
		case len(accepted) > 0:
			r.Categories = append(r.Categories, cat.ID)
			r.Services[cat.ID] = accepted
		}
	}
	return r, nil
}

// newUUIDv4 returns a random UUID, version 4 (RFC 9562 section 5.4), in its canonical
// lower-case form, from 16 bytes of random.
func newUUIDv4(random io.Reader) (string, error) {
	if random == nil {
		return "", errors.New("consent: no source of random bytes for the record id")
	}
	var b [16]byte
	if _, err := io.ReadFull(random, b[:]); err != nil {
		return "", errors.New("consent: reading random bytes for the record id: " + err.Error())
	}
	b[6] = b[6]&0x0F | 0x40 // version 4
	b[8] = b[8]&0x3F | 0x80 // variant 10, RFC 9562
	u := make([]byte, 0, 36)
	u = appendHex(u, b[0:4])
	u = appendHex(append(u, '-'), b[4:6])
	u = appendHex(append(u, '-'), b[6:8])
	u = appendHex(append(u, '-'), b[8:10])
	u = appendHex(append(u, '-'), b[10:16])
	return string(u), nil
}

// isUUIDv4 reports whether s is a version 4 UUID in the canonical lower-case form that
// newUUIDv4 writes: 8-4-4-4-12 hex digits, version digit 4, variant digit 8, 9, a or b.
func isUUIDv4(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		case 14:
			if c != '4' {
				return false
			}
		case 19:
			if c != '8' && c != '9' && c != 'a' && c != 'b' {
				return false
			}
		default:
			if !isLowerHex(c) {
				return false
			}
		}
	}
	return true
}

// isLowerHex reports whether c is a hex digit as appendHex writes them.
func isLowerHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f'
}

// isScope reports whether s has the form of a Scope: 8 lower-case hex digits.
func isScope(s string) bool {
	if len(s) != 8 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isLowerHex(s[i]) {
			return false
		}
	}
	return true
}

// Encode returns the consent cookie value for r: the compact JSON object of §4, keys in
// the order of the contract's example, percent-encoded as encodeURIComponent does. Times
// are written in UTC to the second. Services are written in the order of Categories.
func (r *Record) Encode() string {
	b := make([]byte, 0, 256)
	b = append(b, `{"v":`...)
	b = strconv.AppendInt(b, int64(r.Version), 10)
	b = append(b, `,"revision":`...)
	b = strconv.AppendInt(b, int64(r.Revision), 10)
	b = append(b, `,"scope":`...)
	b = appendJSONString(b, r.Scope)
	b = append(b, `,"id":`...)
	b = appendJSONString(b, r.ID)
	b = append(b, `,"created":`...)
	b = appendJSONString(b, formatRecordTime(r.Created))
	b = append(b, `,"updated":`...)
	b = appendJSONString(b, formatRecordTime(r.Updated))
	b = append(b, `,"method":`...)
	b = appendJSONString(b, r.Method)
	b = append(b, `,"categories":`...)
	b = appendJSONStrings(b, r.Categories)
	b = append(b, `,"services":`...)
	b = appendServices(b, r.Categories, r.Services)
	b = append(b, '}')
	return encodeURIComponent(string(b))
}

// appendServices appends the "services" object of a record: the keys in the order of
// categories, for a stable order; then any key a hand-built record holds beyond them
// (DecodeRecord refuses those), sorted.
func appendServices(b []byte, categories []string, services map[string][]string) []byte {
	keys := make([]string, 0, len(services))
	for _, id := range categories {
		if _, ok := services[id]; ok && !slices.Contains(keys, id) {
			keys = append(keys, id)
		}
	}
	n := len(keys)
	for id := range services {
		if !slices.Contains(keys, id) {
			keys = append(keys, id)
		}
	}
	sortStrings(keys[n:])
	b = append(b, '{')
	for i, id := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, id)
		b = append(b, ':')
		b = appendJSONStrings(b, services[id])
	}
	return append(b, '}')
}

// appendJSONStrings appends list as a JSON array of strings.
func appendJSONStrings(b []byte, list []string) []byte {
	b = append(b, '[')
	for i, s := range list {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, s)
	}
	return append(b, ']')
}

// recordKeys are the keys of the §4 object, all required, in the order Encode writes them.
const recordKeys = "v revision scope id created updated method categories services"

// DecodeRecord reads a consent cookie value: it percent-decodes it as decodeURIComponent
// does and parses the JSON object of §4 strictly. Every key is required, no other key is
// allowed, and each must have its type and form: "v" 1; "revision" an integer ≥ 1;
// "scope" 8 hex digits; "id" a version 4 UUID; "created" and "updated" RFC 3339 in UTC to
// the second ("2006-01-02T15:04:05Z"); "method" one of the four methods; "categories" an
// array of distinct non-empty strings; "services" an object whose keys are listed in
// "categories" and whose values are arrays of distinct non-empty strings. Values longer
// than 4096 bytes are refused unread. Errors start with "consent: "; whether the ids are
// the policy's is for Check. Hostile input returns an error, never a panic.
func DecodeRecord(value string) (*Record, error) {
	if len(value) > maxRecordLen {
		return nil, errors.New("consent: cookie value of " + strconv.Itoa(len(value)) + " bytes, more than " + strconv.Itoa(maxRecordLen))
	}
	if value == "" {
		return nil, errors.New("consent: empty cookie value")
	}
	s, err := decodeURIComponent(value)
	if err != nil {
		return nil, errors.New("consent: cookie value: " + err.Error())
	}
	v, err := parseJSON([]byte(s))
	if err != nil {
		return nil, errors.New("consent: cookie value: " + err.Error())
	}
	if v.kind != jsonObject {
		return nil, errors.New("consent: cookie value is a JSON " + v.kind.String() + ", expected an object")
	}
	keys := strings.Fields(recordKeys)
	for _, m := range v.members {
		if !slices.Contains(keys, m.key) {
			return nil, errors.New("consent: unknown key " + strconv.Quote(m.key))
		}
	}
	for _, key := range keys {
		if v.member(key) == nil {
			return nil, errors.New("consent: " + key + ": missing")
		}
	}

	r := &Record{}
	if r.Version, err = recordInt(v, "v"); err != nil {
		return nil, err
	}
	if r.Version != recordVersion {
		return nil, errors.New("consent: v: format version " + strconv.Itoa(r.Version) + ", expected " + strconv.Itoa(recordVersion))
	}
	if r.Revision, err = recordInt(v, "revision"); err != nil {
		return nil, err
	}
	if r.Revision < 1 {
		return nil, errors.New("consent: revision: " + strconv.Itoa(r.Revision) + ", expected 1 or more")
	}
	if r.Scope, err = recordString(v, "scope"); err != nil {
		return nil, err
	}
	if !isScope(r.Scope) {
		return nil, errors.New("consent: scope: " + strconv.Quote(r.Scope) + " is not 8 hex digits")
	}
	if r.ID, err = recordString(v, "id"); err != nil {
		return nil, err
	}
	if !isUUIDv4(r.ID) {
		return nil, errors.New("consent: id: " + strconv.Quote(r.ID) + " is not a version 4 UUID")
	}
	if r.Created, err = recordTime(v, "created"); err != nil {
		return nil, err
	}
	if r.Updated, err = recordTime(v, "updated"); err != nil {
		return nil, err
	}
	if r.Method, err = recordString(v, "method"); err != nil {
		return nil, err
	}
	switch r.Method {
	case MethodAcceptAll, MethodRejectAll, MethodCustom, MethodGPC:
	default:
		return nil, errors.New("consent: method: unknown method " + strconv.Quote(r.Method))
	}
	if r.Categories, err = recordIDs("categories", v.member("categories")); err != nil {
		return nil, err
	}
	services := v.member("services")
	if services.kind != jsonObject {
		return nil, errors.New("consent: services: " + services.kind.String() + ", expected an object")
	}
	r.Services = make(map[string][]string, len(services.members))
	for _, m := range services.members {
		place := "services." + m.key
		if !slices.Contains(r.Categories, m.key) {
			return nil, errors.New("consent: " + place + ": category not in categories")
		}
		if r.Services[m.key], err = recordIDs(place, m.value); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// recordInt reads the integer under key.
func recordInt(v *jsonValue, key string) (int, error) {
	m := v.member(key)
	n, ok := m.integer()
	if !ok {
		if m.kind == jsonNumber {
			return 0, errors.New("consent: " + key + ": " + m.number + ", expected an integer")
		}
		return 0, errors.New("consent: " + key + ": " + m.kind.String() + ", expected an integer")
	}
	return n, nil
}

// recordString reads the string under key.
func recordString(v *jsonValue, key string) (string, error) {
	m := v.member(key)
	if m.kind != jsonString {
		return "", errors.New("consent: " + key + ": " + m.kind.String() + ", expected a string")
	}
	return m.str, nil
}

// recordTime reads the time under key, written exactly as formatRecordTime writes it:
// RFC 3339 is broader (offsets, fractions of a second), but accepting only this form keeps
// Encode(DecodeRecord(v)) equal to v's meaning.
func recordTime(v *jsonValue, key string) (time.Time, error) {
	s, err := recordString(v, key)
	if err != nil {
		return time.Time{}, err
	}
	t, ok := parseRecordTime(s)
	if !ok {
		return time.Time{}, errors.New("consent: " + key + ": " + strconv.Quote(s) + " is not an RFC 3339 UTC time like \"2006-01-02T15:04:05Z\"")
	}
	return t, nil
}

// recordIDs reads an array of distinct non-empty strings, named place in errors.
func recordIDs(place string, v *jsonValue) ([]string, error) {
	if v.kind != jsonArray {
		return nil, errors.New("consent: " + place + ": " + v.kind.String() + ", expected an array of ids")
	}
	ids := make([]string, 0, len(v.elems))
	for i, e := range v.elems {
		at := place + "[" + strconv.Itoa(i) + "]"
		if e.kind != jsonString {
			return nil, errors.New("consent: " + at + ": " + e.kind.String() + ", expected a string")
		}
		if e.str == "" {
			return nil, errors.New("consent: " + at + ": empty id")
		}
		if slices.Contains(ids, e.str) {
			return nil, errors.New("consent: " + at + ": duplicate " + strconv.Quote(e.str))
		}
		ids = append(ids, e.str)
	}
	return ids, nil
}

// maxFutureSkew is how far in the future Check lets "updated" be: a visitor's clock may
// run ahead of the page's, by up to a day across time zones set wrong.
const maxFutureSkew = 24 * time.Hour

// Check returns nil when r is a valid choice for the policy at now, as §4 defines it, and
// otherwise an error saying why ("consent: revision 1, the policy is at 2"). A valid
// choice has v 1; the policy's revision; the policy's scope; an updated time not older
// than cookie.expiresAfterDays days (the cookie's Max-Age: RFC 6265 section 5.3 keeps a
// cookie until its expiry time is in the past) nor more than a day in the future; only
// category and service ids the policy knows; every required category; and, for each
// accepted optional category with consent-requiring services, at least one of them
// (as NewRecord writes it). Services of a category not accepted are refused.
func (p *Policy) Check(r *Record, now time.Time) error {
	if r == nil {
		return errors.New("consent: no record")
	}
	if r.Version != recordVersion {
		return errors.New("consent: format version " + strconv.Itoa(r.Version) + ", expected " + strconv.Itoa(recordVersion))
	}
	if r.Revision != p.Revision {
		return errors.New("consent: revision " + strconv.Itoa(r.Revision) + ", the policy is at " + strconv.Itoa(p.Revision))
	}
	if scope := p.Scope(); r.Scope != scope {
		return errors.New("consent: scope " + r.Scope + ", the policy's is " + scope + " (its optional categories or services changed)")
	}
	days := p.consentCookieDays()
	if now.After(r.Updated.Add(time.Duration(days) * 24 * time.Hour)) {
		return errors.New("consent: updated " + formatRecordTime(r.Updated) + ", more than " + strconv.Itoa(days) + " days ago")
	}
	if r.Updated.After(now.Add(maxFutureSkew)) {
		return errors.New("consent: updated " + formatRecordTime(r.Updated) + ", more than a day in the future")
	}
	for _, id := range r.Categories {
		if p.Category(id) == nil {
			return errors.New("consent: unknown category " + strconv.Quote(id))
		}
	}
	keys := make([]string, 0, len(r.Services))
	for id := range r.Services {
		keys = append(keys, id)
	}
	sortStrings(keys) // a stable error when several keys are wrong
	for _, id := range keys {
		c := p.Category(id)
		if c == nil {
			return errors.New("consent: unknown category " + strconv.Quote(id) + " in services")
		}
		if !r.AcceptedCategory(id) {
			return errors.New("consent: services of category " + strconv.Quote(id) + ", which is not accepted")
		}
		for _, s := range r.Services[id] {
			if c.Service(s) == nil {
				return errors.New("consent: unknown service " + strconv.Quote(id+"/"+s))
			}
		}
	}
	for _, c := range p.Categories {
		if c.Required {
			if !r.AcceptedCategory(c.ID) {
				return errors.New("consent: required category " + strconv.Quote(c.ID) + " missing")
			}
			continue
		}
		if !r.AcceptedCategory(c.ID) {
			continue
		}
		asked, accepted := false, false
		for _, s := range c.Services {
			if s.ConsentRequired {
				asked = true
				accepted = accepted || r.AcceptedService(c.ID, s.ID)
			}
		}
		if asked && !accepted {
			return errors.New("consent: category " + strconv.Quote(c.ID) + " accepted without any of its services")
		}
	}
	return nil
}

// CurrentRecord picks the choice to apply from the values of the consent cookie found in
// document.cookie (CookieValues): there may be two, host-only and Domain=, after a change
// of cookie.domain (§4 "repaired"). It returns the valid one (DecodeRecord, then Check at
// now) with the newest Updated, the first of them on a tie, or nil when none is valid.
// stale reports that a valid one was found and other values are present too, so the
// caller should delete them all (DeleteLines) and write r again (CookieLine).
func (p *Policy) CurrentRecord(values []string, now time.Time) (r *Record, stale bool) {
	for _, v := range values {
		c, err := DecodeRecord(v)
		if err != nil || p.Check(c, now) != nil {
			continue
		}
		if r == nil || c.Updated.After(r.Updated) {
			r = c
		}
	}
	return r, r != nil && len(values) > 1
}

// Preferences is the visitor's choice as getUserPreferences() returns it (§6).
type Preferences struct {
	Method             string
	AcceptedCategories []string // required ones included, policy order
	RejectedCategories []string // optional ones not accepted, policy order
	// AcceptedServices maps every category that has services to the ids of those that may
	// run (Allows): accepted ones, those needing no consent, all of a required category's;
	// an empty slice when none.
	AcceptedServices map[string][]string
	Revision         int
	ID               string
	Created          string // RFC 3339, "2006-01-02T15:04:05Z"
	Updated          string
}

// Preferences returns r as getUserPreferences() presents it (§6). r should be a record
// that passed Check; for nil (no valid choice, where getUserPreferences() returns null)
// it returns the zero Preferences. Slices and the map are never nil, so that they become
// JSON arrays and an object rather than null.
func (p *Policy) Preferences(r *Record) Preferences {
	if r == nil {
		return Preferences{}
	}
	prefs := Preferences{
		Method:             r.Method,
		AcceptedCategories: []string{},
		RejectedCategories: []string{},
		AcceptedServices:   map[string][]string{},
		Revision:           r.Revision,
		ID:                 r.ID,
		Created:            formatRecordTime(r.Created),
		Updated:            formatRecordTime(r.Updated),
	}
	for _, c := range p.Categories {
		if p.Allows(r, c.ID, "") {
			prefs.AcceptedCategories = append(prefs.AcceptedCategories, c.ID)
		} else {
			prefs.RejectedCategories = append(prefs.RejectedCategories, c.ID)
		}
		if len(c.Services) == 0 {
			continue
		}
		services := []string{}
		for _, s := range c.Services {
			if p.Allows(r, c.ID, s.ID) {
				services = append(services, s.ID)
			}
		}
		prefs.AcceptedServices[c.ID] = services
	}
	return prefs
}

// ChangedCategories returns the ids of the optional categories of p whose acceptance, or
// set of accepted consent-requiring services, differs between old and new, in policy
// order: the changedCategories of the consentry:change event (§7). A nil record accepts
// nothing. The result is never nil.
func ChangedCategories(p *Policy, old, new *Record) []string {
	changed := []string{}
	for _, c := range p.Categories {
		if c.Required {
			continue
		}
		differs := old.AcceptedCategory(c.ID) != new.AcceptedCategory(c.ID)
		for _, s := range c.Services {
			if s.ConsentRequired && old.AcceptedService(c.ID, s.ID) != new.AcceptedService(c.ID, s.ID) {
				differs = true
			}
		}
		if differs {
			changed = append(changed, c.ID)
		}
	}
	return changed
}

// Withdrew reports whether new takes back something old accepted: an optional category, or
// a consent-requiring service, accepted in old and not in new. A nil old accepted nothing; a
// nil new (the choice forgotten) accepts nothing. This is when the policy's
// reloadOnWithdraw reloads the page, so that scripts already running stop (GDPR art. 7(3):
// withdrawing is as easy, and as effective, as consenting).
func (p *Policy) Withdrew(old, new *Record) bool {
	for _, c := range p.Categories {
		if c.Required {
			continue
		}
		if old.AcceptedCategory(c.ID) && !new.AcceptedCategory(c.ID) {
			return true
		}
		for _, s := range c.Services {
			if s.ConsentRequired && old.AcceptedService(c.ID, s.ID) && !new.AcceptedService(c.ID, s.ID) {
				return true
			}
		}
	}
	return false
}
