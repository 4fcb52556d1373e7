package scan

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestThirdParty: CONTRACT.md §12, "a host of another site than the scanned page's
// (another registrable domain; for an IP address or a loopback name, another host)".
func TestThirdParty(t *testing.T) {
	tests := []struct {
		page, host string
		want       bool
		why        string
	}{
		{"www.example.org", "cdn.example.org", false, "same registrable domain"},
		{"example.org", "example.org.", false, "a trailing dot is the same host"},
		{"www.example.org", "stats.example.net", true, "another registrable domain"},
		{"shop.example.co.uk", "img.example.co.uk", false, "eTLD+1 under a multi-label public suffix"},
		{"a.github.io", "b.github.io", true, "github.io is a public suffix: two sites"},
		{"127.0.0.1", "localhost", true, "loopback names: another host"},
		{"127.0.0.1", "127.0.0.1", false, "the same IP address"},
		{"127.0.0.1:8080", "127.0.0.1", false, "ports do not make a party"},
		{"localhost", "a.localhost", true, "loopback names compare as hosts"},
		{"[::1]", "::1", false, "an IPv6 literal in brackets"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, thirdParty(tt.page, tt.host), "%s vs %s: %s", tt.page, tt.host, tt.why)
	}
}

// TestAllowedHost: -allow-host names a host, or with a leading dot a domain and its
// subdomains.
func TestAllowedHost(t *testing.T) {
	allow := []string{"cdn.example.net", ".static.example"}
	assert.True(t, allowedHost(allow, "cdn.example.net"))
	assert.False(t, allowedHost(allow, "x.cdn.example.net"), "a host is only itself")
	assert.True(t, allowedHost(allow, "static.example"))
	assert.True(t, allowedHost(allow, "a.static.example"))
	assert.False(t, allowedHost(allow, "evilstatic.example"))
}

// TestDeletion tells a cookie line that deletes from one that sets.
func TestDeletion(t *testing.T) {
	for line, want := range map[string]bool{
		"_pk_id.1=; Max-Age=0; Path=/":                      true,
		"a=; max-age=-1":                                    true,
		"a=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT": true,
		"a=1; Max-Age=10":                                   false,
		"a=1; Max-Age=100; Path=/":                          false,
		"a=1":                                               false,
	} {
		assert.Equal(t, want, deletion(line), line)
	}
}

// TestOpenCookieDatabase checks that the vendored copy parses and suggests what it says:
// exact names, and prefix rows ("Wildcard match" 1) such as Matomo's _pk_id.
func TestOpenCookieDatabase(t *testing.T) {
	for name, want := range map[string]string{
		"_ga":                     "statistics",
		"_fbp":                    "marketing",
		"_pk_id.1.a":              "statistics",
		"no-such-cookie-anywhere": "unknown",
	} {
		got, _ := suggestCategory(name)
		assert.Equal(t, want, got, name)
	}
	ocdOnce.Do(loadOCD)
	assert.Greater(t, len(ocdExact)+len(ocdPre), 1000, "rows read from the vendored CSV")
}

// TestPolicyMatching: names match as the widget reads them (widget.MatchCookieName), each
// with the JSON pointer of the declared name; 1.1 keys are read from the raw JSON.
func TestPolicyMatching(t *testing.T) {
	pol, err := parsePolicy([]byte(`{"revision":1,"defaultLanguage":"en","categories":[
 {"id":"necessary","required":true,"title":"N","description":"d","cookies":[{"provider":"p","names":["sessionid"],"function":"f","purpose":"p"}]},
 {"id":"statistics","required":false,"title":"S","description":"d","services":[
  {"id":"free","title":"F","consentRequired":false,"cookies":[{"provider":"p","names":["anon"],"function":"f","purpose":"p"}]},
  {"id":"analytics","title":"A","cookies":[{"provider":"p","names":["_pk_id.*","_pk_ses.*"],"function":"f","purpose":"p","expiresAfterDays":30}]}]}]}`))
	require.NoError(t, err)
	d, ptr := pol.matchCookie("_pk_ses.7")
	require.NotNil(t, d)
	assert.Equal(t, "/categories/1/services/1/cookies/0/names/1", ptr)
	assert.Equal(t, 30, d.ExpiresAfterDays)
	assert.True(t, d.optional())
	d, _ = pol.matchCookie("anon")
	require.NotNil(t, d)
	assert.False(t, d.optional(), "a consent-free service's cookie needs no consent")
	d, _ = pol.matchCookie("sessionid")
	require.NotNil(t, d)
	assert.False(t, d.optional())
	assert.Equal(t, -1, d.ExpiresAfterDays)
	d, _ = pol.matchCookie("_pk_idx")
	assert.Nil(t, d, "_pk_id.* needs the dot")
}

// TestPointerPosition finds the line and column of a JSON pointer's value.
func TestPointerPosition(t *testing.T) {
	doc := []byte("{\n  \"a\": [1,\n    {\"b/c\": true}],\n  \"d\": 2\n}")
	for ptr, want := range map[string][2]int{
		"":          {1, 1},
		"/a":        {2, 8},
		"/a/1/b~1c": {3, 13},
		"/d":        {4, 8},
	} {
		line, col, err := pointerPosition(doc, ptr)
		require.NoError(t, err, ptr)
		assert.Equal(t, want, [2]int{line, col}, ptr)
	}
	_, _, err := pointerPosition(doc, "/nope")
	assert.Error(t, err)
}

// FuzzPointerPosition: any document and pointer give a position or an error, never a panic.
func FuzzPointerPosition(f *testing.F) {
	f.Add([]byte(`{"categories":[{"cookies":[{"names":["a"]}]}]}`), "/categories/0/cookies/0/names/0")
	f.Add([]byte(`[1,2`), "/1")
	f.Add([]byte(`{"a":`), "/a/b")
	f.Fuzz(func(t *testing.T, doc []byte, ptr string) {
		line, col, err := pointerPosition(doc, ptr)
		if err == nil && (line < 1 || col < 1) {
			t.Fatalf("position %d:%d", line, col)
		}
	})
}
