package widget

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestPathMatch checks the path-match of RFC 6265 section 5.1.4.
func TestPathMatch(t *testing.T) {
	tests := []struct {
		desc            string
		request, cookie string
		want            bool
	}{
		{"identical", "/shop", "/shop", true},
		{"root covers everything", "/shopping/cart", "/", true},
		{"root on the root", "/", "/", true},
		{"next character is /", "/shop/cart", "/shop", true},
		{"cookie path ends in /", "/shop/cart", "/shop/", true},
		{"a string prefix that stops inside a segment is no match", "/shopping", "/shop", false},
		{"a string prefix that stops inside a segment, deeper", "/test/lifecycle/page.html", "/test/life", false},
		{"the directory without its slash is not covered by Path=/shop/", "/shop", "/shop/", false},
		{"longer cookie path", "/sh", "/shop", false},
		{"a sibling", "/blog", "/shop", false},
		{"case-sensitive", "/Shop/cart", "/shop", false},
		{"an empty request path is /", "", "/", true},
		{"an empty request path is not under /shop", "", "/shop", false},
		{"an empty cookie path matches nothing but an empty path", "/shop", "", false},
		{"percent-encoded bytes are compared as written", "/caf%C3%A9/menu", "/caf%C3%A9", true},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			assert.Equal(t, tt.want, PathMatch(tt.request, tt.cookie), "PathMatch(%q, %q)", tt.request, tt.cookie)
		})
	}
}

// TestConsentCookieVisible checks that the read-back of the consent cookie is expected
// exactly where the cookie's Path covers the page.
func TestConsentCookieVisible(t *testing.T) {
	tests := []struct {
		desc       string
		cookiePath string
		pagePath   string
		want       bool
	}{
		{"unset path is /", "", "/any/page", true},
		{"page under cookie.path", "/shop", "/shop/cart", true},
		{"page beside cookie.path sharing a prefix", "/shop", "/shopping", false},
		{"page outside cookie.path", "/shop", "/blog", false},
		{"an invalid cookie.path is written as /", "shop", "/blog", true},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			p := &Policy{}
			p.Cookie.Path = tt.cookiePath
			assert.Equal(t, tt.want, p.ConsentCookieVisible(Location{Host: "example.org", Path: tt.pagePath}))
		})
	}
}
