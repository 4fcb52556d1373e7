package widget

import (
	"strconv"
	"strings"
)

// This file reads the policy's "receipts" key (CONTRACT.md §10): where the widget sends a
// consent receipt after each write of a choice. The endpoint must be on the page's own
// origin, for two reasons the contract gives: the receiving server sets the consent cookie
// with Set-Cookie, which a browser keeps only from the page's own site (and Safari lifts its
// 7-day cap on script-written cookies only for the site's own server), and the receipt
// carries the visitor's choice and consent id, which must not leak to a third party.
//
// Whether an absolute URL is on the page's origin can only be judged where the page's
// origin is known: in the browser (ParsePolicyOn with location.origin), or by
// `consentry validate -origin`. Without an origin, ParsePolicy accepts a path, which is on
// the page's origin by construction, and an absolute http(s) URL, whose origin is left to
// those two.

// Receipts is the policy's "receipts" key. The zero Receipts sends no receipts.
type Receipts struct {
	// Endpoint is the path ("/consent/receipts") or absolute http(s) URL on the page's own
	// origin that receipts are POSTed to; "" when the policy has no "receipts" key.
	Endpoint string
}

// receiptsKeys are the keys of the "receipts" object.
var receiptsKeys = []string{"endpoint"}

// maxEndpointLength bounds receipts.endpoint: browsers handle far longer URLs, but an
// endpoint longer than this is a mistake (a pasted document), not an address.
const maxEndpointLength = 2048

// receipts validates the "receipts" object (CONTRACT.md §10).
func (pp *policyParser) receipts(v *jsonValue) Receipts {
	var r Receipts
	if !pp.object(v, "receipts", receiptsKeys) {
		return r
	}
	ev := pp.required(v, "receipts", "endpoint")
	if ev == nil {
		return r
	}
	s, ok := pp.str(ev, "receipts.endpoint")
	if !ok {
		return r
	}
	if msg := endpointProblem(s, pp.origin); msg != "" {
		pp.report("receipts.endpoint", ev.offset, msg)
		return r
	}
	r.Endpoint = s
	return r
}

// endpointProblem checks a receipts.endpoint value and returns what is wrong with it, or "".
// It must be a path starting with one "/" ("//host/…" and "/\host/…" would name another
// host: browsers read a backslash as a slash in http(s) URLs, WHATWG URL Standard), or an
// absolute http: or https: URL without user name or password; printable ASCII without
// spaces (percent-encode the rest), no fragment, at most 2048 characters. When origin, the
// page's origin as location.origin writes it ("https://example.org"), is not "", an
// absolute URL must be on it; a path always is.
func endpointProblem(s, origin string) string {
	q := strconv.Quote(s)
	if s == "" {
		return `empty: write a path on this site, like "/consent/receipts"`
	}
	if len(s) > maxEndpointLength {
		return "longer than " + strconv.Itoa(maxEndpointLength) + " characters"
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c >= 0x7f {
			return q + " is not a URL: use printable ASCII characters without spaces (percent-encode the others)"
		}
	}
	if strings.Contains(s, "#") {
		return q + " has a fragment (#…), which is never sent to a server: remove it"
	}
	if strings.Contains(s, `\`) {
		return q + ` contains "\", which browsers read as "/": write "/"`
	}
	if strings.HasPrefix(s, "/") {
		if strings.HasPrefix(s, "//") {
			return q + ` names another host ("//" starts a host name): receipts go to this site's own origin; write a path like "/consent/receipts"`
		}
		return ""
	}
	endpointOrigin, ok := urlOrigin(s)
	if !ok {
		return q + ` is not allowed: write a path on this site, like "/consent/receipts", or an http: or https: URL on this site's origin`
	}
	if origin != "" {
		if page, ok := urlOrigin(origin); !ok || page != endpointOrigin {
			return q + " is on another origin than this page (" + origin + "): receipts go to the page's own origin, which alone can set the consent cookie"
		}
	}
	return ""
}

// urlOrigin returns the origin of an absolute http: or https: URL (RFC 6454 section 4) in
// its serialised form: lower-case scheme and host, the port only when it is not the
// scheme's default ("https://example.org", "http://127.0.0.1:8080"). It reports false for
// anything else, a URL with user information included ("https://site.example@evil.example/"
// is a host of evil.example that looks like site.example) and a percent-encoded host.
func urlOrigin(s string) (string, bool) {
	colon := strings.Index(s, "://")
	if colon < 0 {
		return "", false
	}
	scheme := strings.ToLower(s[:colon])
	var defaultPort string
	switch scheme {
	case "http":
		defaultPort = "80"
	case "https":
		defaultPort = "443"
	default:
		return "", false
	}
	authority := s[colon+3:]
	if i := strings.IndexAny(authority, "/?#"); i >= 0 {
		authority = authority[:i]
	}
	// A percent-encoded host is decoded by browsers (WHATWG URL, host parsing) and not
	// here; no site needs one for its own endpoint, so it is refused rather than misread.
	if authority == "" || strings.ContainsAny(authority, "@%") {
		return "", false
	}
	host, port := authority, ""
	if i := strings.LastIndexByte(authority, ':'); i >= 0 && !strings.HasSuffix(authority, "]") {
		host, port = authority[:i], authority[i+1:]
		for j := 0; j < len(port); j++ {
			if port[j] < '0' || port[j] > '9' {
				return "", false
			}
		}
		port = strings.TrimLeft(port, "0")
		if port == "" && i+1 < len(authority) {
			port = "0"
		}
	}
	if host == "" {
		return "", false
	}
	o := scheme + "://" + strings.ToLower(host)
	if port != "" && port != defaultPort {
		o += ":" + port
	}
	return o, true
}
