// Package scan is Consentry's compliance scanner (CONTRACT.md §12): it visits a site in
// headless Chromium the way a regulator's tool does (the EDPS Website Evidence Collector),
// in a fresh browser profile per phase, records every cookie, storage entry and
// third-party request with what caused it, and checks them against policy.json.
package scan

import "fmt"

// Rule ids of CONTRACT.md §12. Tools and CI configurations depend on them.
const (
	RuleCookieBeforeConsent   = "cookie-before-consent"
	RuleStorageBeforeConsent  = "storage-before-consent"
	RuleRequestBeforeConsent  = "request-before-consent"
	RuleRejectNotHonoured     = "reject-not-honoured"
	RuleWithdrawNotHonoured   = "withdraw-not-honoured"
	RuleGatedRanBeforeConsent = "gated-ran-before-consent"
	RuleBannerMissing         = "banner-missing"
	RuleUndeclaredCookie      = "undeclared-cookie"
	RuleExpiryOverDeclared    = "expiry-over-declared"
	RuleDeclaredNotSeen       = "declared-not-seen"
)

// Severity is a finding's weight, ordered: Info < Warning < Error.
type Severity int

// Severities of CONTRACT.md §12.
const (
	Info Severity = iota + 1
	Warning
	Error
)

// String returns the severity's name as written in reports and on the command line.
func (s Severity) String() string {
	switch s {
	case Info:
		return "info"
	case Warning:
		return "warning"
	case Error:
		return "error"
	}
	return fmt.Sprintf("severity(%d)", int(s))
}

// MarshalText writes the severity's name.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads a severity's name.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	*s = v
	return err
}

// ParseSeverity reads "error", "warning" or "info" (the -fail-on flag).
func ParseSeverity(name string) (Severity, error) {
	switch name {
	case "error":
		return Error, nil
	case "warning":
		return Warning, nil
	case "info":
		return Info, nil
	}
	return 0, fmt.Errorf("scan: severity %q: want error, warning or info", name)
}

// RuleInfo describes one rule for reports (SARIF's rules, JUnit's test cases, the README).
type RuleInfo struct {
	ID       string
	Severity Severity
	Summary  string // what the rule finds, CONTRACT.md §12's wording
	Fix      string // how a site owner fixes it
}

// Rules lists every rule, in the order of CONTRACT.md §12.
var Rules = []RuleInfo{
	{RuleCookieBeforeConsent, Error,
		"a cookie of an optional category, or undeclared, is set before any choice",
		"gate the script that sets it (type=\"text/plain\" data-category=…), or declare the cookie in a required category if it is strictly necessary"},
	{RuleStorageBeforeConsent, Error,
		"a localStorage, sessionStorage or IndexedDB entry is written before any choice",
		"gate the script that writes it; strictly necessary storage belongs in a required category's cookies[].storage"},
	{RuleRequestBeforeConsent, Error,
		"a request to a third party is sent before any choice",
		"gate the tag, pixel or iframe (data-category, data-src), self-host the resource, or allow your own CDN with -allow-host"},
	{RuleRejectNotHonoured, Error,
		"after Reject all, an optional cookie, storage entry or third-party request appears",
		"make sure the script is gated by the category it belongs to, not loaded after any choice"},
	{RuleWithdrawNotHonoured, Error,
		"after withdrawal, cookies of the withdrawn category remain, or its requests go on",
		"declare every cookie the category's scripts set (so the widget deletes it), never set them HttpOnly from the server, and stop its requests"},
	{RuleGatedRanBeforeConsent, Error,
		"a gated element ran before its category was accepted",
		"remove the ungated copy of the tag, or the code that loads it outside Consentry"},
	{RuleBannerMissing, Error,
		"no banner on a first visit, or no visible refusal control on its first layer",
		"load consentry.js on every page and keep Reject all as visible as Accept all"},
	{RuleUndeclaredCookie, Warning,
		"a cookie is set that policy.json does not declare",
		"declare it in policy.json (the suggested category is a starting point), or stop setting it"},
	{RuleExpiryOverDeclared, Warning,
		"a cookie lives longer than its declaration's expiresAfterDays (or the consent cookie longer than cookie.expiresAfterDays)",
		"shorten the cookie's lifetime where it is set, or declare the real one"},
	{RuleDeclaredNotSeen, Info,
		"a declared cookie was never seen",
		"nothing, if it is set on pages the scan did not visit; otherwise remove the declaration"},
}

// ruleInfo returns the description of rule id.
func ruleInfo(id string) RuleInfo {
	for _, r := range Rules {
		if r.ID == id {
			return r
		}
	}
	return RuleInfo{ID: id, Severity: Error}
}

// Finding is one breach of a rule, as written in the JSON report.
type Finding struct {
	Rule     string   `json:"rule"`
	Severity Severity `json:"severity"`
	Phase    string   `json:"phase"`
	Message  string   `json:"message"`
	Evidence Evidence `json:"evidence"`
	// PolicyPointer is a JSON pointer (RFC 6901) into policy.json, where one applies.
	PolicyPointer string `json:"policyPointer,omitempty"`
}

// Evidence is what was observed: the thing (cookie, storage key, URL) and its cause.
type Evidence struct {
	Kind     string `json:"kind"` // cookie, storage, request, element, banner
	Name     string `json:"name,omitempty"`
	Domain   string `json:"domain,omitempty"`
	URL      string `json:"url,omitempty"`
	Page     string `json:"page,omitempty"`
	SetBy    string `json:"setBy,omitempty"`
	Detail   string `json:"detail,omitempty"`
	Suggests string `json:"suggestedCategory,omitempty"`
}
