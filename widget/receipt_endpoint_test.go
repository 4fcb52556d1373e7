package widget

import (
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// receiptsPolicy returns a minimal valid policy whose "receipts" member is receipts (a JSON
// text), on one line so that columns in errors are easy to read.
func receiptsPolicy(receipts string) string {
	return `{"revision":1,"defaultLanguage":"en","categories":[{"id":"necessary","required":true,"title":"Necessary"}],"receipts":` + receipts + `}`
}

func TestParsePolicyReceipts(t *testing.T) {
	// The column of the receipts value in receiptsPolicy, and of the endpoint string when
	// it is written {"endpoint":…}.
	const endpointColumn = "column 131)"
	tests := []struct {
		desc, receipts, origin string
		want                   string // the endpoint kept, or the error expected (contains)
		ok                     bool
	}{
		{`§10: the contract's example, a path, is on the page's origin by construction`,
			`{"endpoint":"/consent/receipts"}`, "", "/consent/receipts", true},
		{`§10: a path is accepted whatever the page's origin`,
			`{"endpoint":"/consent/receipts?site=1"}`, "https://example.org", "/consent/receipts?site=1", true},
		{`§10: an absolute URL cannot be judged without the page's origin (consentry validate): accepted`,
			`{"endpoint":"https://example.org/consent/receipts"}`, "", "https://example.org/consent/receipts", true},
		{`§10: an absolute URL on the page's origin is accepted in the browser`,
			`{"endpoint":"https://example.org/consent/receipts"}`, "https://example.org", "https://example.org/consent/receipts", true},
		{`RFC 6454 §4: scheme and host compare case-insensitively, and a default port is no port`,
			`{"endpoint":"HTTPS://Example.ORG:443/r"}`, "https://example.org", "HTTPS://Example.ORG:443/r", true},
		{`RFC 6454 §4: the port is part of the origin`,
			`{"endpoint":"http://127.0.0.1:8080/r"}`, "http://127.0.0.1:8080", "http://127.0.0.1:8080/r", true},
		{`§10: another origin is refused as a whole, naming the place and the page's origin`,
			`{"endpoint":"https://receipts.example.net/consent"}`, "https://example.org",
			`policy: receipts.endpoint: "https://receipts.example.net/consent" is on another origin than this page (https://example.org): receipts go to the page's own origin, which alone can set the consent cookie (line 1, ` + endpointColumn, false},
		{`RFC 6454 §4: another scheme is another origin (an http endpoint on an https page)`,
			`{"endpoint":"http://example.org/consent"}`, "https://example.org", "is on another origin than this page", false},
		{`RFC 6454 §4: another port is another origin`,
			`{"endpoint":"https://example.org:8443/consent"}`, "https://example.org", "is on another origin than this page", false},
		{`a subdomain is another origin`,
			`{"endpoint":"https://www.example.org/consent"}`, "https://example.org", "is on another origin than this page", false},
		{`an opaque origin ("null": a sandboxed frame, a file: page) has no absolute URL of its own`,
			`{"endpoint":"https://example.org/consent"}`, "null", "is on another origin than this page", false},
		{`"//host/path" is a URL of another host, even without the page's origin`,
			`{"endpoint":"//evil.example/consent"}`, "", `"//evil.example/consent" names another host`, false},
		{`WHATWG URL: a backslash is a slash in http(s) URLs, so "/\host" is another host`,
			`{"endpoint":"/\\evil.example/consent"}`, "", `contains "\", which browsers read as "/"`, false},
		{`user information in the authority hides the real host`,
			`{"endpoint":"https://example.org@evil.example/consent"}`, "", "is not allowed: write a path", false},
		{`a relative path would change from page to page`,
			`{"endpoint":"consent/receipts"}`, "", "is not allowed: write a path", false},
		{`only http: and https: carry a POST`,
			`{"endpoint":"javascript:alert(1)"}`, "", "is not allowed: write a path", false},
		{`a fragment is never sent`,
			`{"endpoint":"/consent#x"}`, "", "has a fragment", false},
		{`spaces are not part of a URL`,
			`{"endpoint":"/consent receipts"}`, "", "use printable ASCII characters without spaces", false},
		{`an empty endpoint is a mistake, not "no receipts" (leave the key out for that)`,
			`{"endpoint":""}`, "", "empty: write a path on this site", false},
		{`the endpoint is required inside "receipts"`,
			`{}`, "", "policy: receipts.endpoint: required but missing", false},
		{`"receipts" is an object`,
			`"/consent/receipts"`, "", "policy: receipts: expected an object, got string", false},
		{`unknown keys inside "receipts" are refused like anywhere else`,
			`{"endpoint":"/r","url":"/r"}`, "", "policy: receipts.url: unknown key; allowed keys: endpoint", false},
		{`the endpoint is a string`,
			`{"endpoint":1}`, "", "policy: receipts.endpoint: expected a string, got number", false},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			p, err := ParsePolicyOn([]byte(receiptsPolicy(tt.receipts)), tt.origin)
			if tt.ok {
				require.NoError(t, err)
				assert.Equal(t, tt.want, p.Receipts.Endpoint)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			assert.Contains(t, err.Error(), "receipts")
		})
	}
}

func TestParsePolicyWithoutReceipts(t *testing.T) {
	p, err := ParsePolicy([]byte(`{"revision":1,"defaultLanguage":"en","categories":[{"id":"necessary","required":true,"title":"Necessary"}]}`))
	require.NoError(t, err)
	assert.Equal(t, Receipts{}, p.Receipts, "§10: every new key is optional; without it no receipt is sent")
}

func TestURLOrigin(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://example.org", "https://example.org"},
		{"https://example.org/", "https://example.org"},
		{"https://EXAMPLE.org:443/a?b", "https://example.org"},
		{"http://example.org:80", "http://example.org"},
		{"http://example.org:0080/", "http://example.org"},
		{"http://example.org:8080/", "http://example.org:8080"},
		{"https://[::1]:8443/x", "https://[::1]:8443"},
		{"https://[::1]/x", "https://[::1]"},
		{"https://example.org?x", "https://example.org"},
		{"ftp://example.org/", ""},
		{"https://user@example.org/", ""},
		{"https:///path", ""},
		{"https://example.org:8x/", ""},
		{"/path", ""},
		{"null", ""},
	}
	for _, tt := range tests {
		got, ok := urlOrigin(tt.in)
		assert.Equal(t, tt.want, got, tt.in)
		assert.Equal(t, tt.want != "", ok, tt.in)
	}
}

// FuzzURLOrigin holds urlOrigin to net/url: whatever it accepts, net/url parses as an
// http(s) URL with the same host and port, and no user information.
func FuzzURLOrigin(f *testing.F) {
	for _, s := range []string{"https://example.org/a", "http://127.0.0.1:8080/x?y", "https://[::1]:8443/", "https://a@b/", "HTTP://A:80"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if endpointProblem(s, "") != "" || strings.HasPrefix(s, "/") {
			return // refused, or a path
		}
		origin, ok := urlOrigin(s)
		require.True(t, ok, "endpointProblem accepted %q but it has no origin", s)
		u, err := url.Parse(s)
		if err != nil {
			return // net/url is stricter about some hosts; the browser decides those
		}
		require.Nil(t, u.User, "%q has user information", s)
		scheme := strings.ToLower(u.Scheme)
		want := scheme + "://" + strings.ToLower(u.Hostname())
		if strings.Contains(u.Hostname(), ":") {
			want = scheme + "://[" + strings.ToLower(u.Hostname()) + "]"
		}
		port := strings.TrimLeft(u.Port(), "0")
		if port == "" && u.Port() != "" {
			port = "0"
		}
		if port != "" && !(scheme == "http" && port == "80") && !(scheme == "https" && port == "443") {
			want += ":" + port
		}
		assert.Equal(t, want, origin, "origin of %q", s)
	})
}

// FuzzParsePolicyReceipts: whatever receipts.endpoint and page origin a policy is parsed
// with, an endpoint the parser keeps is a same-origin address: a path that names no other
// host, or an absolute http(s) URL whose origin is the page's when the page's is known.
func FuzzParsePolicyReceipts(f *testing.F) {
	for _, s := range [][2]string{
		{"/consent/receipts", ""}, {"https://example.org/r", "https://example.org"},
		{"https://example.org/r", "https://example.net"}, {"//evil.example/r", ""},
		{"/\\evil.example", ""}, {"https://a@b/", ""}, {"HTTP://EXAMPLE.ORG:80/x", "http://example.org"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, endpoint, origin string) {
		doc := receiptsPolicy(`{"endpoint":` + string(appendJSONString(nil, endpoint)) + `}`)
		p, err := ParsePolicyOn([]byte(doc), origin)
		if err != nil {
			require.Contains(t, err.Error(), "receipts.endpoint")
			return
		}
		got := p.Receipts.Endpoint
		require.Equal(t, endpoint, got)
		require.NotContains(t, got, `\`)
		require.NotContains(t, got, "#")
		if strings.HasPrefix(got, "/") {
			require.False(t, strings.HasPrefix(got, "//"), "a path naming a host: %q", got)
			return
		}
		eo, ok := urlOrigin(got)
		require.True(t, ok, "kept %q, which has no origin", got)
		if origin != "" {
			po, ok := urlOrigin(origin)
			require.True(t, ok && po == eo, "kept %q on page origin %q", got, origin)
		}
	})
}
