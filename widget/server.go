package widget

import (
	"strings"
	"time"
)

// This file lets a Go server read the visitor's choice from an HTTP request, so that it can
// decide what to render (leave out an analytics snippet, an embed) before the page reaches
// the browser. It answers the questions of the JS API (CONTRACT.md §6) with the code the
// widget runs in the browser: the same cookie splitting (CookieValues), decoding
// (DecodeRecord), validity rules (Check) and repair of duplicate cookies (CurrentRecord),
// so the server and the page never disagree about a choice.

// Header is what ReadConsent needs of an HTTP request: its header fields by name. An
// *http.Request's Header (net/http's Header type) satisfies it. Taking this interface
// rather than an *http.Request keeps net/http, and its package initialisation, out of the
// WebAssembly build, which links this package.
type Header interface {
	Values(key string) []string
}

// Consent is the visitor's choice as a server reads it from a request: the valid consent
// record, or no choice. The zero Consent is no choice under no policy: every question
// answers false.
type Consent struct {
	policy *Policy
	record *Record // nil when there is no valid choice
}

// ReadConsent reads the consent cookie of policy p from the Cookie header fields of a
// request (several fields, as HTTP/2 may send, are joined with "; " as RFC 9113 section
// 8.2.3 says) and returns the choice in force at now, as the widget would find it on that
// page load. A cookie that is missing, garbage, expired, of another revision or scope,
// counts as no choice (§4); of two cookies of that name, the newest valid one wins.
//
// ReadConsent and ConsentFromCookieHeader are functions rather than methods of *Policy:
// the WebAssembly build keeps the method names of Policy (its type is reachable through
// reflection), and would carry these two for nothing.
func ReadConsent(p *Policy, h Header, now time.Time) Consent {
	return ConsentFromCookieHeader(p, strings.Join(h.Values("Cookie"), "; "), now)
}

// ConsentFromCookieHeader is ReadConsent for a raw Cookie header value ("a=1; b=2").
func ConsentFromCookieHeader(p *Policy, header string, now time.Time) Consent {
	r, _ := p.CurrentRecord(CookieValues(header, p.consentCookieName()), now)
	return Consent{policy: p, record: r}
}

// Valid reports whether a valid choice exists for the policy's current revision and
// scope: validConsent() in the JS API. Without one the visitor sees the banner, and
// nothing optional may run.
func (c Consent) Valid() bool { return c.record != nil }

// Accepted reports whether the category is accepted now: acceptedCategory(id) in the JS
// API. Required categories count as accepted only when a valid choice exists, as in the
// browser. To decide whether a gated element may run, use Allows.
func (c Consent) Accepted(category string) bool { return c.record.AcceptedCategory(category) }

// AcceptedService reports whether that service of that category is accepted now:
// acceptedService(serviceId, categoryId) in the JS API, with its argument order. A service
// of a required category answers as its category does (CONTRACT.md §4: always on, like it),
// though the record never lists it.
func (c Consent) AcceptedService(service, category string) bool {
	if c.policy == nil {
		return false // the zero Consent: no policy, no choice
	}
	if cat := c.policy.Category(category); cat != nil && cat.Required && cat.Service(service) != nil {
		return c.Accepted(category)
	}
	return c.record.AcceptedService(category, service)
}

// Allows reports whether content marked data-category=category (and data-service=service,
// when not "") may be rendered: the widget's gating decision (Policy.Allows, CONTRACT.md
// §5). Required categories and services that need no consent are allowed without a choice;
// an unknown category or service never is.
func (c Consent) Allows(category, service string) bool {
	if c.policy == nil {
		return false
	}
	return c.policy.Allows(c.record, category, service)
}

// Record returns the valid consent record, or nil when there is no valid choice. The
// record is the one decoded from the request: do not modify it.
func (c Consent) Record() *Record { return c.record }

// Preferences returns the choice as getUserPreferences() presents it, and false when there
// is no valid choice (where getUserPreferences() returns null).
func (c Consent) Preferences() (Preferences, bool) {
	if c.record == nil || c.policy == nil {
		return Preferences{}, false
	}
	return c.policy.Preferences(c.record), true
}
