package widget

import "strings"

// consentCookiePath returns the Path attribute the consent cookie is written with:
// cookie.path, or "/" when it is unset. ok is false when cookie.path is set but is not a
// cookie path: RFC 6265 section 5.2.4 ignores a path that does not start with "/", and a
// ";" would start another attribute. ParsePolicy refuses both, a hand-built policy may not;
// "/" is used then.
func (p *Policy) consentCookiePath() (path string, ok bool) {
	path = p.Cookie.Path
	if path == "" {
		return "/", true
	}
	if path[0] != '/' || strings.ContainsAny(path, ";\r\n") {
		return "/", false
	}
	return path, true
}

// PathMatch reports whether requestPath path-matches cookiePath as RFC 6265 section 5.1.4
// defines it, that is whether a cookie with Path=cookiePath is sent to, and visible in
// document.cookie of, a page whose location.pathname is requestPath. It holds when:
//
//   - the two are identical, or
//   - cookiePath is a prefix of requestPath and ends in "/", or
//   - cookiePath is a prefix of requestPath and the first character of requestPath after
//     that prefix is "/".
//
// So Path=/shop covers /shop and /shop/cart but not /shopping. The comparison is byte by
// byte and case-sensitive, as in browsers. An empty requestPath counts as "/" (the
// uri-path of a URL without one).
func PathMatch(requestPath, cookiePath string) bool {
	if requestPath == "" {
		requestPath = "/"
	}
	if requestPath == cookiePath {
		return true
	}
	if cookiePath == "" || !strings.HasPrefix(requestPath, cookiePath) {
		return false
	}
	return cookiePath[len(cookiePath)-1] == '/' || requestPath[len(cookiePath)] == '/'
}

// ConsentCookieVisible reports whether the consent cookie, once written, can be read back
// on the page at loc: its path (CookieLine's Path attribute) path-matches the page's path.
// A page outside cookie.path cannot see the cookie at all, which does not mean that
// cookies are blocked; only where this is true does a failed read-back mean they are.
func (p *Policy) ConsentCookieVisible(loc Location) bool {
	path, _ := p.consentCookiePath()
	return PathMatch(loc.Path, path)
}
