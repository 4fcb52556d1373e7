// Package receipts keeps proof of consent: it receives the consent receipts of CONTRACT.md
// §10 that the widget posts, checks them against the policy revisions the server knows,
// stores them durably in a tamper-evident hash chain, and sets the consent cookie from the
// server, which browsers that cap script-written cookies (Safari: 7 days) keep for the
// choice's full term.
package receipts

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/consentry/consentry/widget"
)

// Receipt is one consent receipt (CONTRACT.md §10): a record of a choice the widget wrote,
// as the browser posted it. The fields are those of the consent cookie (§4) plus the
// receipt's own id, the event, the digest of the policy in force, the language, the page
// and, optionally, the widget's version.
type Receipt struct {
	V            int                 `json:"v"`
	ReceiptID    string              `json:"receiptId"`
	ConsentID    string              `json:"consentId"`
	Event        string              `json:"event"`
	Method       string              `json:"method"`
	Revision     int                 `json:"revision"`
	Scope        string              `json:"scope"`
	PolicyDigest string              `json:"policyDigest"`
	Language     string              `json:"language"`
	Categories   []string            `json:"categories"`
	Services     map[string][]string `json:"services"`
	Created      Time                `json:"created"`
	Updated      Time                `json:"updated"`
	Page         string              `json:"page"`
	Widget       string              `json:"widget,omitempty"`
}

// Values of a receipt's "event" field (§10).
const (
	EventConsent  = "consent"  // a first choice, a GPC refusal included
	EventChange   = "change"   // a change of an existing choice, even a save that changes nothing
	EventWithdraw = "withdraw" // reset(): the choice was forgotten
)

// MaxBodySize is the largest receipt the endpoint reads (§10: 413 over 8 KiB).
const MaxBodySize = 8 << 10

// Time is a receipt time: RFC 3339 in UTC to the second, written "2006-01-02T15:04:05Z"
// as in the consent cookie (§4). Marshalling writes that form and nothing else.
type Time struct{ time.Time }

// timeLayout is the only form of a receipt time.
const timeLayout = "2006-01-02T15:04:05Z"

// MarshalJSON writes t as "2006-01-02T15:04:05Z".
func (t Time) MarshalJSON() ([]byte, error) {
	return []byte(`"` + t.UTC().Format(timeLayout) + `"`), nil
}

// UnmarshalJSON reads a time written exactly as MarshalJSON writes it.
func (t *Time) UnmarshalJSON(b []byte) error {
	var s string
	if len(b) == 0 || b[0] != '"' || json.Unmarshal(b, &s) != nil {
		return errors.New("expected a string")
	}
	v, err := parseTime(s)
	if err != nil {
		return err
	}
	t.Time = v
	return nil
}

// parseTime reads "2006-01-02T15:04:05Z", refusing offsets, fractions and other forms that
// RFC 3339 allows: the widget writes only this one.
func parseTime(s string) (time.Time, error) {
	v, err := time.Parse(timeLayout, s)
	if err != nil || len(s) != len(timeLayout) || v.Format(timeLayout) != s {
		return time.Time{}, fmt.Errorf("%q is not an RFC 3339 UTC time like \"2006-01-02T15:04:05Z\"", s)
	}
	return v, nil
}

// DecodeError is a receipt the decoder or the policy check refused: the message names the
// field ("categories[1]: duplicate \"statistics\""). The handler answers it with 400.
type DecodeError struct {
	Field string // "" when the error is about the whole body
	Msg   string
}

func (e *DecodeError) Error() string {
	if e.Field == "" {
		return "receipt: " + e.Msg
	}
	return "receipt: " + e.Field + ": " + e.Msg
}

func fieldError(field, format string, args ...any) error {
	return &DecodeError{Field: field, Msg: fmt.Sprintf(format, args...)}
}

// receiptFields are the keys of a receipt, and whether each is required.
var receiptFields = []struct {
	key      string
	required bool
}{
	{"v", true}, {"receiptId", true}, {"consentId", true}, {"event", true}, {"method", true},
	{"revision", true}, {"scope", true}, {"policyDigest", true}, {"language", true},
	{"categories", true}, {"services", true}, {"created", true}, {"updated", true},
	{"page", true}, {"widget", false},
}

// Limits of the strings of a receipt: the widget's are far shorter; longer ones are not
// the widget's and would only fill the store.
const (
	maxPageLen     = 2048
	maxLanguageLen = 35 // the longest language tag BCP 47 section 4.4.1 asks to support
	maxWidgetLen   = 64
	maxIDs         = 64
)

// DecodeReceipt reads one receipt from r strictly: one JSON object (nothing after it),
// every key of §10 present exactly once with its type and form (a null is a wrong type),
// no other key, at most MaxBodySize bytes. It checks the receipt's form only; whether its
// categories, services and scope are those of a policy revision is Policies.Check's job.
// Hostile input returns a *DecodeError, never a panic.
func DecodeReceipt(r io.Reader) (*Receipt, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxBodySize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxBodySize {
		return nil, &DecodeError{Msg: "more than " + strconv.Itoa(MaxBodySize) + " bytes"}
	}
	return decodeReceipt(data)
}

// decodeReceipt is DecodeReceipt on a body already read.
func decodeReceipt(data []byte) (*Receipt, error) {
	members, valid, object := objectMembers(data)
	if !valid {
		return nil, syntaxError(data)
	}
	if !object {
		return nil, &DecodeError{Msg: errNotObject.Error()}
	}
	raw := make(map[string]json.RawMessage, len(members))
	for _, m := range members {
		known := false
		for _, f := range receiptFields {
			known = known || f.key == m.key
		}
		if !known {
			return nil, fieldError(m.key, "unknown key")
		}
		if _, dup := raw[m.key]; dup {
			return nil, fieldError(m.key, "duplicate key")
		}
		raw[m.key] = m.value
	}
	// The format version first: a receipt of another version is refused as such, whatever
	// else it holds.
	if _, ok := raw["v"]; ok {
		if v, err := intField(raw, "v"); err != nil {
			return nil, err
		} else if v != 1 {
			return nil, fieldError("v", "format version %d, expected 1", v)
		}
	}
	for _, f := range receiptFields {
		if _, ok := raw[f.key]; f.required && !ok {
			return nil, fieldError(f.key, "missing")
		}
	}

	rc := &Receipt{}
	var err error
	if rc.V, err = intField(raw, "v"); err != nil {
		return nil, err
	}
	if rc.V != 1 {
		return nil, fieldError("v", "format version %d, expected 1", rc.V)
	}
	if rc.ReceiptID, err = uuidField(raw, "receiptId"); err != nil {
		return nil, err
	}
	if rc.ConsentID, err = uuidField(raw, "consentId"); err != nil {
		return nil, err
	}
	if rc.Event, err = stringField(raw, "event"); err != nil {
		return nil, err
	}
	switch rc.Event {
	case EventConsent, EventChange, EventWithdraw:
	default:
		return nil, fieldError("event", "%q is not consent, change or withdraw", rc.Event)
	}
	if rc.Method, err = stringField(raw, "method"); err != nil {
		return nil, err
	}
	switch rc.Method {
	case widget.MethodAcceptAll, widget.MethodRejectAll, widget.MethodCustom, widget.MethodGPC:
	default:
		return nil, fieldError("method", "%q is not accept-all, reject-all, custom or gpc", rc.Method)
	}
	if rc.Revision, err = intField(raw, "revision"); err != nil {
		return nil, err
	}
	if rc.Revision < 1 {
		return nil, fieldError("revision", "%d, expected 1 or more", rc.Revision)
	}
	if rc.Scope, err = stringField(raw, "scope"); err != nil {
		return nil, err
	}
	if len(rc.Scope) != 8 || !isLowerHex(rc.Scope) {
		return nil, fieldError("scope", "%q is not 8 lower-case hex digits", rc.Scope)
	}
	if rc.PolicyDigest, err = stringField(raw, "policyDigest"); err != nil {
		return nil, err
	}
	if len(rc.PolicyDigest) != 64 || !isLowerHex(rc.PolicyDigest) {
		return nil, fieldError("policyDigest", "%q is not a SHA-256 in 64 lower-case hex digits", rc.PolicyDigest)
	}
	if rc.Language, err = stringField(raw, "language"); err != nil {
		return nil, err
	}
	if !isLanguageTag(rc.Language) {
		return nil, fieldError("language", "%q is not a language tag", rc.Language)
	}
	if rc.Categories, err = idsField(raw["categories"], "categories"); err != nil {
		return nil, err
	}
	if rc.Services, err = servicesField(raw["services"], rc.Categories); err != nil {
		return nil, err
	}
	if err := timeField(raw, "created", &rc.Created); err != nil {
		return nil, err
	}
	if err := timeField(raw, "updated", &rc.Updated); err != nil {
		return nil, err
	}
	if rc.Updated.Before(rc.Created.Time) {
		return nil, fieldError("updated", "%s is before created %s", rc.Updated.Format(timeLayout), rc.Created.Format(timeLayout))
	}
	if rc.Page, err = stringField(raw, "page"); err != nil {
		return nil, err
	}
	if msg := pageProblem(rc.Page); msg != "" {
		return nil, fieldError("page", "%s", msg)
	}
	if _, ok := raw["widget"]; ok {
		if rc.Widget, err = stringField(raw, "widget"); err != nil {
			return nil, err
		}
		if rc.Widget == "" || len(rc.Widget) > maxWidgetLen || !isPrintableASCII(rc.Widget) {
			return nil, fieldError("widget", "expected 1 to %d printable ASCII characters", maxWidgetLen)
		}
	}
	return rc, nil
}

// syntaxError describes why data is not one JSON value, with encoding/json's words.
func syntaxError(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	var v json.RawMessage
	if err := dec.Decode(&v); err != nil {
		return &DecodeError{Msg: "not JSON: " + jsonErr(err)}
	}
	return &DecodeError{Msg: "more than one JSON value"}
}

// jsonErr shortens encoding/json's errors for a client.
func jsonErr(err error) string {
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return "unexpected end of input"
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

// kindOf names the JSON type of a raw value, for errors.
func kindOf(v json.RawMessage) string {
	if len(v) == 0 {
		return "nothing"
	}
	switch v[0] {
	case '"':
		return "a string"
	case '{':
		return "an object"
	case '[':
		return "an array"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

func intField(raw map[string]json.RawMessage, key string) (int, error) {
	v := raw[key]
	if kindOf(v) != "a number" {
		return 0, fieldError(key, "%s, expected an integer", kindOf(v))
	}
	n, err := strconv.Atoi(string(v))
	if err != nil || n < 0 {
		return 0, fieldError(key, "%s, expected an integer from 0 to %d", v, int(^uint(0)>>1))
	}
	return n, nil
}

func stringField(raw map[string]json.RawMessage, key string) (string, error) {
	v := raw[key]
	s, ok := jsonString(v)
	if !ok {
		return "", fieldError(key, "%s, expected a string", kindOf(v))
	}
	return s, nil
}

// jsonString reads a raw JSON string, without encoding/json when it has no escape.
func jsonString(v json.RawMessage) (string, bool) {
	if kindOf(v) != "a string" {
		return "", false
	}
	if bytes.IndexByte(v, '\\') < 0 {
		return string(v[1 : len(v)-1]), true
	}
	var s string
	return s, json.Unmarshal(v, &s) == nil
}

func uuidField(raw map[string]json.RawMessage, key string) (string, error) {
	s, err := stringField(raw, key)
	if err != nil {
		return "", err
	}
	if !isUUIDv4(s) {
		return "", fieldError(key, "%q is not a version 4 UUID in lower case", s)
	}
	return s, nil
}

func timeField(raw map[string]json.RawMessage, key string, t *Time) error {
	s, err := stringField(raw, key)
	if err != nil {
		return err
	}
	v, err := parseTime(s)
	if err != nil {
		return fieldError(key, "%s", err)
	}
	t.Time = v
	return nil
}

// idsField reads an array of distinct ids, each as the policy allows them ([a-z0-9_-]+).
func idsField(v json.RawMessage, place string) ([]string, error) {
	if kindOf(v) != "an array" {
		return nil, fieldError(place, "%s, expected an array of ids", kindOf(v))
	}
	var elems []json.RawMessage
	if err := json.Unmarshal(v, &elems); err != nil {
		return nil, fieldError(place, "%s", jsonErr(err))
	}
	if len(elems) > maxIDs {
		return nil, fieldError(place, "%d ids, more than %d", len(elems), maxIDs)
	}
	ids := make([]string, 0, len(elems))
	for i, e := range elems {
		at := place + "[" + strconv.Itoa(i) + "]"
		s, ok := jsonString(e)
		if !ok {
			return nil, fieldError(at, "%s, expected a string", kindOf(e))
		}
		if !isID(s) {
			return nil, fieldError(at, "%q is not an id ([a-z0-9_-]+)", s)
		}
		if slices.Contains(ids, s) {
			return nil, fieldError(at, "duplicate %q", s)
		}
		ids = append(ids, s)
	}
	return ids, nil
}

// servicesField reads "services": an object whose keys are accepted categories and whose
// values are arrays of service ids.
func servicesField(v json.RawMessage, categories []string) (map[string][]string, error) {
	members, _, object := objectMembers(v)
	if !object {
		return nil, fieldError("services", "%s, expected an object", kindOf(v))
	}
	out := make(map[string][]string, len(members))
	for _, m := range members {
		place := "services." + m.key
		if _, dup := out[m.key]; dup {
			return nil, fieldError(place, "duplicate key")
		}
		if !slices.Contains(categories, m.key) {
			return nil, fieldError(place, "category not in categories")
		}
		ids, err := idsField(m.value, place)
		if err != nil {
			return nil, err
		}
		out[m.key] = ids
	}
	return out, nil
}

// pageProblem says what is wrong with a receipt's page, or "" when it is an absolute
// http(s) URL without query or fragment (§10).
func pageProblem(s string) string {
	if len(s) > maxPageLen {
		return "longer than " + strconv.Itoa(maxPageLen) + " bytes"
	}
	u, err := url.Parse(s)
	switch {
	case err != nil:
		return strconv.Quote(s) + " is not a URL"
	case u.Scheme != "http" && u.Scheme != "https":
		return strconv.Quote(s) + " is not an http(s) URL"
	case u.Host == "" || u.User != nil:
		return strconv.Quote(s) + " is not an absolute URL of a page"
	case u.RawQuery != "" || u.ForceQuery || strings.Contains(s, "#"):
		return strconv.Quote(s) + " has a query or fragment (the widget sends neither)"
	case !isPrintableASCII(s):
		return "not printable ASCII"
	}
	return ""
}

func isLowerHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// isUUIDv4 reports whether s is a version 4 UUID (RFC 9562 section 5.4) in lower case, as
// crypto.randomUUID and the widget write it.
func isUUIDv4(s string) bool {
	if len(s) != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' || s[14] != '4' {
		return false
	}
	if v := s[19]; v != '8' && v != '9' && v != 'a' && v != 'b' {
		return false
	}
	return isLowerHex(s[:8] + s[9:13] + s[14:18] + s[19:23] + s[24:])
}

// isID reports whether s is a category or service id as §3 allows them.
func isID(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// isLanguageTag reports whether s has the shape of a BCP 47 tag: subtags of 1 to 8
// letters or digits, joined by hyphens, the first of letters.
func isLanguageTag(s string) bool {
	if s == "" || len(s) > maxLanguageLen {
		return false
	}
	for i, sub := range strings.Split(s, "-") {
		if sub == "" || len(sub) > 8 {
			return false
		}
		for j := 0; j < len(sub); j++ {
			c := sub[j] | 0x20
			letter := 'a' <= c && c <= 'z'
			if !letter && !(i > 0 && '0' <= sub[j] && sub[j] <= '9') {
				return false
			}
		}
	}
	return true
}

func isPrintableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x21 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// Record returns the consent record (§4) the receipt reports: the content of the cookie
// the widget wrote.
func (rc *Receipt) Record() *widget.Record {
	return &widget.Record{
		Version:    rc.V,
		Revision:   rc.Revision,
		Scope:      rc.Scope,
		ID:         rc.ConsentID,
		Created:    rc.Created.Time,
		Updated:    rc.Updated.Time,
		Method:     rc.Method,
		Categories: rc.Categories,
		Services:   rc.Services,
	}
}

// canonical returns the receipt as stored and exported: compact JSON with the keys in the
// order of §10 (encoding/json writes struct fields in order and map keys sorted), so the
// same receipt always has the same bytes, which the hash chain covers.
func (rc *Receipt) canonical() []byte {
	c := *rc
	if c.Services == nil {
		c.Services = map[string][]string{}
	}
	b, err := json.Marshal(&c)
	if err != nil {
		panic("receipts: marshal: " + err.Error()) // only strings, ints, slices and maps
	}
	return b
}
