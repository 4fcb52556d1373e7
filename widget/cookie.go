package widget

import (
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"
)

// This file reads and writes cookies the way a page script does, through document.cookie:
// it splits the serialisation of RFC 6265 section 5.4, builds the attribute strings of
// section 4.1.1 (applied by the browser per section 5.2), and works out which
// (domain, path) pairs to overwrite to delete a cookie, since a script can neither list a
// cookie's Domain and Path nor delete it other than by overwriting it with Max-Age=0.

// CookieValues returns every value of the cookie called name in a Cookie header or a
// document.cookie string ("a=1; b=2"), in order. It splits the cookie-string of RFC 6265
// section 5.4 step 4 on ";" and each pair on its first "=", trimming spaces and tabs
// around names and values as browsers and servers do. Names are case-sensitive. A pair
// without "=" is a cookie with an empty name, which is how browsers serialise one.
// Values are returned as stored, without unquoting or percent-decoding.
func CookieValues(header, name string) []string {
	var values []string
	for _, c := range cookiePairs(header) {
		if c.name == name {
			values = append(values, c.value)
		}
	}
	return values
}

// cookiePair is one name=value pair of a Cookie header or of document.cookie.
type cookiePair struct {
	name, value string
}

// cookiePairs splits a cookie-string (RFC 6265 section 5.4) into its pairs, skipping
// empty ones ("a=1;; b=2" and a trailing ";" are seen in the wild).
func cookiePairs(header string) []cookiePair {
	var pairs []cookiePair
	for header != "" {
		var part string
		part, header, _ = strings.Cut(header, ";")
		part = trimCookieSpace(part)
		if part == "" {
			continue
		}
		name, value, found := strings.Cut(part, "=")
		if !found {
			name, value = "", name
		}
		pairs = append(pairs, cookiePair{name: trimCookieSpace(name), value: trimCookieSpace(value)})
	}
	return pairs
}

// trimCookieSpace removes the white space (WSP of RFC 5234: space and horizontal tab)
// that RFC 6265 section 5.2 strips around cookie names and values.
func trimCookieSpace(s string) string {
	return strings.Trim(s, " \t")
}

// Location describes the page the widget runs on, for cookie attributes.
type Location struct {
	Host   string // location.hostname: no port, IPv6 addresses in brackets
	Secure bool   // location.protocol is "https:"
	Path   string // location.pathname
}

// CookieLine returns the string to assign to document.cookie to store value in the
// consent cookie (CONTRACT.md §4):
//
//	name=value; Path=…; Max-Age=…; SameSite=…[; Domain=…][; Secure]
//
// value must be a cookie-value (RFC 6265 section 4.1.1), as Record.Encode's output is.
// Max-Age is expiresAfterDays days. Domain is written only when the policy sets
// cookie.domain and it domain-matches loc.Host (RFC 6265 section 5.1.3) without being a
// public suffix; otherwise the browser would drop the whole cookie (section 5.3 steps 5
// and 6), so the cookie is written host-only and a warning says why. Secure is set on
// https pages. SameSite=None needs Secure (RFC 6265bis section 4.1.2.7), so on an http
// page it falls back to Lax with a warning. Warnings are plain sentences for console.warn.
func (p *Policy) CookieLine(value string, loc Location) (line string, warnings []string) {
	path, ok := p.consentCookiePath()
	if !ok {
		warnings = append(warnings, "consent: cookie.path "+strconv.Quote(p.Cookie.Path)+" is not a cookie path; the consent cookie is written with Path=/.")
	}
	sameSite := p.Cookie.SameSite
	switch sameSite {
	case "Lax", "Strict":
	case "None":
		if !loc.Secure {
			warnings = append(warnings, "consent: cookie.sameSite is None, which browsers accept only on https pages; this http page writes the consent cookie with SameSite=Lax.")
			sameSite = "Lax"
		}
	case "":
		sameSite = "Lax"
	default:
		warnings = append(warnings, "consent: cookie.sameSite "+strconv.Quote(sameSite)+" is not Lax, Strict or None; the consent cookie is written with SameSite=Lax.")
		sameSite = "Lax"
	}

	b := make([]byte, 0, len(value)+128)
	b = append(b, p.consentCookieName()...)
	b = append(b, '=')
	b = append(b, value...)
	b = append(b, "; Path="...)
	b = append(b, path...)
	b = append(b, "; Max-Age="...)
	b = strconv.AppendInt(b, int64(p.consentCookieDays())*86400, 10)
	b = append(b, "; SameSite="...)
	b = append(b, sameSite...)
	if domain := cookieDomain(p.Cookie.Domain); domain != "" {
		host := cookieHost(loc.Host)
		switch {
		case !domainMatch(host, domain):
			warnings = append(warnings, "consent: cookie.domain "+strconv.Quote(p.Cookie.Domain)+" does not cover this page's host "+strconv.Quote(loc.Host)+" (RFC 6265 section 5.1.3); the consent cookie is written for this host only.")
		case domain != host && isPublicSuffix(domain):
			warnings = append(warnings, "consent: cookie.domain "+strconv.Quote(p.Cookie.Domain)+" is a public suffix, for which browsers refuse cookies; the consent cookie is written for this host only.")
		default:
			b = append(b, "; Domain="...)
			b = append(b, domain...)
		}
	}
	if loc.Secure {
		b = append(b, "; Secure"...)
	}
	return string(b), warnings
}

// consentCookieName is cookie.name, or its default for a policy built without
// ParsePolicy (§3).
func (p *Policy) consentCookieName() string {
	if p.Cookie.Name == "" {
		return DefaultCookieName
	}
	return p.Cookie.Name
}

// defaultExpiresAfterDays is the default of cookie.expiresAfterDays (§3).
const defaultExpiresAfterDays = 182

// consentCookieDays is cookie.expiresAfterDays, or its default when it is outside the
// range §3 allows (a policy built without ParsePolicy): a Max-Age of 0 would delete the
// choice as soon as it is written.
func (p *Policy) consentCookieDays() int {
	if d := p.Cookie.ExpiresAfterDays; d >= 1 && d <= 395 {
		return d
	}
	return defaultExpiresAfterDays
}

// DeleteLines returns the document.cookie assignments that delete the cookie called name
// wherever a script on this page could have set it. A script sees neither a cookie's
// Domain nor its Path, and RFC 6265 section 5.3 step 11 replaces a cookie only when name,
// domain and path all match, so every plausible pair is overwritten with Max-Age=0:
//
//   - domains: host-only; then, when loc.Host is a domain name, Domain= the host itself
//     and each parent domain that is not a public suffix (see isPublicSuffix: an
//     approximation of the registrable domain); then policyDomain when set. An IP address,
//     "localhost" and other single-label hosts get host-only only.
//   - paths: "/", then loc.Path and its default-path (RFC 6265 section 5.1.4, the
//     directory a script's cookie gets when it sets no Path) when they differ.
//
// Secure is added on https pages so that cookies named __Secure-… can be overwritten.
func DeleteLines(name string, loc Location, policyDomain string) []string {
	domains := []string{""} // "" is host-only
	host := cookieHost(loc.Host)
	if !isIPHost(host) && strings.Contains(host, ".") {
		for d := host; ; {
			domains = append(domains, d)
			_, parent, ok := strings.Cut(d, ".")
			if !ok || !strings.Contains(parent, ".") || isPublicSuffix(parent) {
				break
			}
			d = parent
		}
	}
	if d := cookieDomain(policyDomain); d != "" && !containsString(domains, d) {
		domains = append(domains, d)
	}

	paths := []string{"/"}
	if loc.Path != "" && loc.Path[0] == '/' && !strings.ContainsAny(loc.Path, ";\r\n") {
		for _, path := range []string{defaultCookiePath(loc.Path), loc.Path} {
			if !containsString(paths, path) {
				paths = append(paths, path)
			}
		}
	}

	lines := make([]string, 0, len(domains)*len(paths))
	for _, domain := range domains {
		for _, path := range paths {
			line := name + "=; Max-Age=0; Path=" + path
			if domain != "" {
				line += "; Domain=" + domain
			}
			if loc.Secure {
				line += "; Secure"
			}
			lines = append(lines, line)
		}
	}
	return lines
}

// WithdrawnCookieLines returns the document.cookie assignments that delete the cookies
// of what the visitor withdrew between old and new (CONTRACT.md §5, "Withdrawing a
// category deletes the cookies declared in it"): for each optional category accepted in
// old and not in new, the cookies declared by the category and by its consent-requiring
// services; for each consent-requiring service accepted in old and not in new, its
// cookies. Only cookies present in docCookie are deleted, each name once, in the order of
// docCookie, with DeleteLines.
//
// A cookie is kept when its name is the consent cookie's or also matches a declaration of
// something that still runs under new: a required category, a service that needs no
// consent, or a category or service still accepted. A nil old means nothing was accepted;
// a nil new means everything optional is withdrawn (a reset).
func (p *Policy) WithdrawnCookieLines(old, new *Record, docCookie string, loc Location) []string {
	withdrawn, kept := p.withdrawnPatterns(old, new, func(d CookieDeclaration) []string { return d.Names })
	if len(withdrawn) == 0 {
		return nil
	}

	var lines, done []string
	consentName := p.consentCookieName()
	for _, c := range cookiePairs(docCookie) {
		if c.name == "" || c.name == consentName || containsString(done, c.name) {
			continue
		}
		if matchAnyCookieName(withdrawn, c.name) && !matchAnyCookieName(kept, c.name) {
			done = append(done, c.name)
			lines = append(lines, DeleteLines(c.name, loc, p.Cookie.Domain)...)
		}
	}
	return lines
}

// withdrawnPatterns returns the patterns (of the declarations, as patterns picks them:
// cookie names or storage keys) of what old accepted and new no longer does, and the
// patterns of what still runs under new: required categories and their services, services
// that need no consent, categories and services still accepted. See WithdrawnCookieLines.
func (p *Policy) withdrawnPatterns(old, new *Record, patterns func(CookieDeclaration) []string) (withdrawn, kept []string) {
	appendAll := func(list []string, decls []CookieDeclaration) []string {
		for _, d := range decls {
			list = append(list, patterns(d)...)
		}
		return list
	}
	for i := range p.Categories {
		c := &p.Categories[i]
		if c.Required {
			kept = appendAll(kept, c.Cookies)
			for _, s := range c.Services {
				kept = appendAll(kept, s.Cookies)
			}
			continue
		}
		if !old.AcceptedCategory(c.ID) || new.AcceptedCategory(c.ID) {
			kept = appendAll(kept, c.Cookies)
		} else {
			withdrawn = appendAll(withdrawn, c.Cookies)
		}
		for _, s := range c.Services {
			switch {
			case !s.ConsentRequired:
				kept = appendAll(kept, s.Cookies)
			case old.AcceptedService(c.ID, s.ID) && !new.AcceptedService(c.ID, s.ID):
				withdrawn = appendAll(withdrawn, s.Cookies)
			case new.AcceptedService(c.ID, s.ID):
				kept = appendAll(kept, s.Cookies)
			}
		}
	}
	return withdrawn, kept
}

// matchAnyCookieName reports whether name matches one of the patterns.
func matchAnyCookieName(patterns []string, name string) bool {
	for _, pattern := range patterns {
		if MatchCookieName(pattern, name) {
			return true
		}
	}
	return false
}

// MatchCookieName reports whether the cookie name matches pattern, a name from a cookie
// declaration (§3 "names"): '*' matches any run of characters, the empty one included;
// every other character matches itself, case-sensitively, as cookie names compare
// (RFC 6265 section 5.3 step 11).
func MatchCookieName(pattern, name string) bool {
	// Greedy matching with a single backtrack point, linear in practice: on a mismatch,
	// let the last '*' swallow one more character and try again.
	p, n := 0, 0
	star, starName := -1, 0
	for n < len(name) {
		switch {
		case p < len(pattern) && pattern[p] == '*':
			star, starName = p, n
			p++
		case p < len(pattern) && pattern[p] == name[n]:
			p++
			n++
		case star >= 0:
			starName++
			p, n = star+1, starName
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

// cookieHost canonicalises location.hostname for comparisons: lower case, without the
// trailing dot of a fully qualified name.
func cookieHost(host string) string {
	return strings.TrimSuffix(strings.ToLower(host), ".")
}

// cookieDomain canonicalises a Domain attribute value as RFC 6265 section 5.2.3 does:
// a leading dot is ignored, and the value is compared in lower case.
func cookieDomain(domain string) string {
	return cookieHost(strings.TrimPrefix(domain, "."))
}

// domainMatch reports whether host domain-matches domain (RFC 6265 section 5.1.3): they
// are equal, or host is a domain name ending in "." + domain. Both are canonical.
func domainMatch(host, domain string) bool {
	if host == domain {
		return true
	}
	return !isIPHost(host) && strings.HasSuffix(host, domain) &&
		len(host) > len(domain) && host[len(host)-len(domain)-1] == '.'
}

// isIPHost reports whether host is an IP address rather than a domain name: an IPv6
// address contains ':' (location.hostname writes it in brackets), and no top-level domain
// is all digits, so a last label of digits means an IPv4 address. This avoids importing
// net, which the WebAssembly build would pay for.
func isIPHost(host string) bool {
	if strings.Contains(host, ":") {
		return true
	}
	last := host[strings.LastIndexByte(host, '.')+1:]
	if last == "" {
		return false
	}
	for i := 0; i < len(last); i++ {
		if last[i] < '0' || last[i] > '9' {
			return false
		}
	}
	return true
}

// twoLabelPublicSuffixes lists, space-separated, a few widely used public suffixes of two
// labels, under which DeleteLines must not stop at the second label. It is a deliberate,
// tiny stand-in for the Public Suffix List (publicsuffix.org), whose size would cost every
// visitor more than a rare missed deletion: the browser refuses a Domain= that is a public
// suffix anyway, so a suffix missing here only costs a useless assignment, never a wrong
// deletion.
const twoLabelPublicSuffixes = " ac.uk co.uk gov.uk ltd.uk me.uk net.uk org.uk plc.uk" +
	" asso.fr com.fr gouv.fr nom.fr" +
	" com.au edu.au gov.au net.au org.au" +
	" co.jp ne.jp or.jp co.nz org.nz co.za co.in co.kr" +
	" com.br com.cn com.mx com.tr com.tw com.ar" +
	" github.io gitlab.io netlify.app vercel.app pages.dev herokuapp.com "

// isPublicSuffix reports whether domain (canonical) is a public suffix as far as the
// widget can tell without the Public Suffix List: a single label ("com", "test",
// "localhost") or one of twoLabelPublicSuffixes.
func isPublicSuffix(domain string) bool {
	if !strings.Contains(domain, ".") {
		return true
	}
	return !strings.Contains(domain, " ") && strings.Contains(twoLabelPublicSuffixes, " "+domain+" ")
}

// defaultCookiePath returns the default-path of RFC 6265 section 5.1.4 for a request
// path: the directory part, without the trailing slash, or "/".
func defaultCookiePath(path string) string {
	if path == "" || path[0] != '/' {
		return "/"
	}
	i := strings.LastIndexByte(path, '/')
	if i == 0 {
		return "/"
	}
	return path[:i]
}

// containsString reports whether list holds s.
func containsString(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}

// encodeURIComponent percent-encodes s exactly as JavaScript's encodeURIComponent
// (ECMA-262, section 19.2.6.5): every UTF-8 byte except the unreserved characters
// A-Z a-z 0-9 - _ . ! ~ * ' ( ) becomes %XX with upper-case hex digits. s must be valid
// UTF-8 (JavaScript throws on a lone surrogate; Go strings from the JSON reader have
// none).
func encodeURIComponent(s string) string {
	const hexDigits = "0123456789ABCDEF"
	b := make([]byte, 0, len(s)*3/2)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if uriUnreserved(c) {
			b = append(b, c)
		} else {
			b = append(b, '%', hexDigits[c>>4], hexDigits[c&0xF])
		}
	}
	return string(b)
}

// uriUnreserved reports whether encodeURIComponent leaves c as it is.
func uriUnreserved(c byte) bool {
	switch {
	case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("-_.!~*'()", c) >= 0
}

// errMalformedURI is the error of decodeURIComponent, JavaScript's URIError.
var errMalformedURI = errors.New("malformed percent-encoding")

// decodeURIComponent decodes s as JavaScript's decodeURIComponent (ECMA-262, section
// 19.2.6.3): every %XX is a byte, and the result must be valid UTF-8 (no overlong forms,
// no surrogates), else it fails as JavaScript throws URIError. Characters that are not
// escaped are kept, '+' included.
func decodeURIComponent(s string) (string, error) {
	if strings.IndexByte(s, '%') < 0 {
		if !utf8.ValidString(s) {
			return "", errMalformedURI
		}
		return s, nil
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			b = append(b, s[i])
			continue
		}
		if i+2 >= len(s) {
			return "", errMalformedURI
		}
		hi, ok1 := unhex(s[i+1])
		lo, ok2 := unhex(s[i+2])
		if !ok1 || !ok2 {
			return "", errMalformedURI
		}
		b = append(b, hi<<4|lo)
		i += 2
	}
	if !utf8.Valid(b) {
		return "", errMalformedURI
	}
	return string(b), nil
}

// unhex decodes one hex digit, either case.
func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}
