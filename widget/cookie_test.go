package widget

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCookieValues(t *testing.T) {
	tests := []struct {
		desc   string
		header string
		name   string
		want   []string
	}{
		{"RFC 6265 §5.4: pairs are joined by \"; \"", "a=1; cookies_preferences=x; b=2", "cookies_preferences", []string{"x"}},
		{"§4: two cookies of that name (host-only and Domain=) are both returned, in order",
			"cookies_preferences=host; a=1; cookies_preferences=domain", "cookies_preferences", []string{"host", "domain"}},
		{"RFC 6265 §5.3: names are case-sensitive", "Cookies_Preferences=x", "cookies_preferences", nil},
		{"RFC 6265 §5.3: a longer name is another cookie", "cookies_preferences2=x; xcookies_preferences=y", "cookies_preferences", nil},
		{"RFC 6265 §5.2: white space around names and values is trimmed", " \ta = 1 ;b=2\t", "a", []string{"1"}},
		{"RFC 6265 §5.2: the value runs from the first '=' to the end", "a=b=c; d==", "a", []string{"b=c"}},
		{"RFC 6265 §5.2: an empty value is a value", "a=; b=2", "a", []string{""}},
		{"browsers serialise a cookie with an empty name as its value alone", "a=1; lonely; b=2", "", []string{"lonely"}},
		{"empty pairs and a trailing ';' are skipped", ";; a=1;;", "a", []string{"1"}},
		{"no cookies at all", "", "a", nil},
		{"values are returned as stored, quotes and escapes included", `a="%7B"`, "a", []string{`"%7B"`}},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			assert.Equal(t, tc.want, CookieValues(tc.header, tc.name))
		})
	}
}

func TestCookieLine(t *testing.T) {
	http := func(host string) Location { return Location{Host: host, Path: "/data/page.html"} }
	https := func(host string) Location { return Location{Host: host, Secure: true, Path: "/"} }
	tests := []struct {
		desc     string
		cookie   CookieSettings
		loc      Location
		wantLine string
		wantWarn string // a part of the only warning, "" for none
	}{
		{"§4 attributes: Path, SameSite, Max-Age of expiresAfterDays days, no Secure on http",
			CookieSettings{Name: DefaultCookieName, ExpiresAfterDays: 182, Path: "/", SameSite: "Lax"}, http("www.consentry.test"),
			"cookies_preferences=v; Path=/; Max-Age=15724800; SameSite=Lax", ""},
		{"§4 attributes: Secure on https pages",
			CookieSettings{Name: DefaultCookieName, ExpiresAfterDays: 182, Path: "/", SameSite: "Lax"}, https("www.consentry.test"),
			"cookies_preferences=v; Path=/; Max-Age=15724800; SameSite=Lax; Secure", ""},
		{"§3 cookie: name, path, 13 months and Strict are written as set",
			CookieSettings{Name: "consent", ExpiresAfterDays: 395, Path: "/app", SameSite: "Strict"}, https("www.consentry.test"),
			"consent=v; Path=/app; Max-Age=34128000; SameSite=Strict; Secure", ""},
		{"§3 cookie.domain: a parent domain of the host is written, without its leading dot (RFC 6265 §5.2.3)",
			CookieSettings{Domain: ".consentry.test"}, https("www.consentry.test"),
			"cookies_preferences=v; Path=/; Max-Age=15724800; SameSite=Lax; Domain=consentry.test; Secure", ""},
		{"RFC 6265 §5.1.3: a domain equal to the host domain-matches it",
			CookieSettings{Domain: "Consentry.Test"}, http("consentry.test"),
			"cookies_preferences=v; Path=/; Max-Age=15724800; SameSite=Lax; Domain=consentry.test", ""},
		{"RFC 6265 §5.3 step 6: a domain that does not cover the host would be refused, so the cookie is host-only",
			CookieSettings{Domain: ".consentry.test"}, http("preview.example"),
			"cookies_preferences=v; Path=/; Max-Age=15724800; SameSite=Lax", `does not cover this page's host "preview.example"`},
		{"RFC 6265 §5.1.3: a domain matches on a label boundary only",
			CookieSettings{Domain: "sentry.test"}, http("consentry.test"),
			"cookies_preferences=v; Path=/; Max-Age=15724800; SameSite=Lax", "does not cover"},
		{"RFC 6265 §5.1.3: an IP address matches only itself",
			CookieSettings{Domain: "0.0.1"}, http("127.0.0.1"),
			"cookies_preferences=v; Path=/; Max-Age=15724800; SameSite=Lax", "does not cover"},
		{"RFC 6265 §5.3 step 5: browsers refuse a public suffix as Domain, so the cookie is host-only",
			CookieSettings{Domain: ".co.uk"}, https("shop.example.co.uk"),
			"cookies_preferences=v; Path=/; Max-Age=15724800; SameSite=Lax; Secure", "is a public suffix"},
		{"§3 cookie.sameSite: None is written on https, with Secure",
			CookieSettings{SameSite: "None"}, https("www.consentry.test"),
			"cookies_preferences=v; Path=/; Max-Age=15724800; SameSite=None; Secure", ""},
		{"§3 cookie.sameSite: None needs a secure page, so an http page falls back to Lax with a warning",
			CookieSettings{SameSite: "None"}, http("www.consentry.test"),
			"cookies_preferences=v; Path=/; Max-Age=15724800; SameSite=Lax", "SameSite=Lax"},
		{"§3 defaults fill a hand-built policy: never Max-Age=0, which would delete the choice",
			CookieSettings{}, http("localhost"),
			"cookies_preferences=v; Path=/; Max-Age=15724800; SameSite=Lax", ""},
		{"RFC 6265 §5.2.4: a path that is not a path is replaced by /, and ';' cannot inject an attribute",
			CookieSettings{Path: "/; Domain=evil.example"}, http("localhost"),
			"cookies_preferences=v; Path=/; Max-Age=15724800; SameSite=Lax", "is not a cookie path"},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			p := consentDefaultPolicy()
			p.Cookie = tc.cookie
			line, warnings := p.CookieLine("v", tc.loc)
			assert.Equal(t, tc.wantLine, line)
			if tc.wantWarn == "" {
				assert.Empty(t, warnings)
				return
			}
			require.Len(t, warnings, 1)
			assert.Contains(t, warnings[0], tc.wantWarn)
		})
	}
}

func TestDeleteLines(t *testing.T) {
	tests := []struct {
		desc         string
		loc          Location
		policyDomain string
		want         []string
	}{
		{"§5: host-only, the host and its parent domain, each on /, the page's directory (RFC 6265 §5.1.4) and path",
			Location{Host: "www.consentry.test", Path: "/data/page.html"}, "",
			[]string{
				"_pk_id.1=; Max-Age=0; Path=/",
				"_pk_id.1=; Max-Age=0; Path=/data",
				"_pk_id.1=; Max-Age=0; Path=/data/page.html",
				"_pk_id.1=; Max-Age=0; Path=/; Domain=www.consentry.test",
				"_pk_id.1=; Max-Age=0; Path=/data; Domain=www.consentry.test",
				"_pk_id.1=; Max-Age=0; Path=/data/page.html; Domain=www.consentry.test",
				"_pk_id.1=; Max-Age=0; Path=/; Domain=consentry.test",
				"_pk_id.1=; Max-Age=0; Path=/data; Domain=consentry.test",
				"_pk_id.1=; Max-Age=0; Path=/data/page.html; Domain=consentry.test",
			}},
		{"§5: on the home page only Path=/ is needed; Secure on https for __Secure- cookies",
			Location{Host: "consentry.test", Secure: true, Path: "/"}, ".consentry.test",
			[]string{
				"_pk_id.1=; Max-Age=0; Path=/; Secure",
				"_pk_id.1=; Max-Age=0; Path=/; Domain=consentry.test; Secure",
			}},
		{"§5: parents stop above the registrable domain, under a two-label public suffix",
			Location{Host: "www.a.example.co.uk", Path: "/"}, "",
			[]string{
				"_pk_id.1=; Max-Age=0; Path=/",
				"_pk_id.1=; Max-Age=0; Path=/; Domain=www.a.example.co.uk",
				"_pk_id.1=; Max-Age=0; Path=/; Domain=a.example.co.uk",
				"_pk_id.1=; Max-Age=0; Path=/; Domain=example.co.uk",
			}},
		{"RFC 6265 §5.1.3: localhost has no parent domain",
			Location{Host: "localhost", Path: "/"}, "",
			[]string{"_pk_id.1=; Max-Age=0; Path=/"}},
		{"RFC 6265 §5.1.3: an IP address has no parent domain",
			Location{Host: "192.168.1.20", Path: "/stats"}, "",
			[]string{"_pk_id.1=; Max-Age=0; Path=/", "_pk_id.1=; Max-Age=0; Path=/stats"}},
		{"RFC 6265 §5.1.3: an IPv6 address has no parent domain",
			Location{Host: "[::1]", Path: "/"}, "",
			[]string{"_pk_id.1=; Max-Age=0; Path=/"}},
		{"§5: cookie.domain is tried too, even when it is not a parent of this host",
			Location{Host: "localhost", Path: "/"}, ".consentry.test",
			[]string{"_pk_id.1=; Max-Age=0; Path=/", "_pk_id.1=; Max-Age=0; Path=/; Domain=consentry.test"}},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			assert.Equal(t, tc.want, DeleteLines("_pk_id.1", tc.loc, tc.policyDomain))
		})
	}
}

func TestWithdrawnCookieLines(t *testing.T) {
	localhost := Location{Host: "localhost", Path: "/"}
	accept := func(categories ...string) func(p *Policy) Choice {
		return func(*Policy) Choice { return Choice{Categories: categories} }
	}
	catchAll := func(p *Policy) { // an optional category that declares every cookie
		p.Cookie.Name = "my_consent"
		p.Categories[3].Cookies = []CookieDeclaration{{Names: []string{"*"}}}
	}
	tests := []struct {
		desc      string
		policy    func(p *Policy)
		old, new  func(p *Policy) Choice // nil: no record
		docCookie string
		want      []string
	}{
		{"§5: withdrawing a category deletes its cookies, '*' matching (_pk_id.* covers _pk_id.1), each once",
			nil, (*Policy).AcceptAll, (*Policy).RejectAll,
			"_pk_id.1=abc; sessionid=s; _pk_ses.1=*; cookies_preferences=x; _pk_id.1=dup; _pk_ref=r",
			[]string{"_pk_id.1=; Max-Age=0; Path=/", "_pk_ses.1=; Max-Age=0; Path=/"}},
		{"§6 reset(): forgetting the choice withdraws everything optional",
			nil, (*Policy).AcceptAll, nil, "_pk_ses.7=1",
			[]string{"_pk_ses.7=; Max-Age=0; Path=/"}},
		{"§5: nothing withdrawn, nothing deleted", nil, (*Policy).AcceptAll, (*Policy).AcceptAll, "_pk_id.1=abc", nil},
		{"§5: a first choice withdraws nothing", nil, nil, (*Policy).RejectAll, "_pk_id.1=abc", nil},
		{"§5: only cookies present are deleted", nil, (*Policy).AcceptAll, (*Policy).RejectAll, "sessionid=s", nil},
		{"§5: withdrawing one service deletes its cookies, not the category's other services'",
			nil, accept("marketing"), func(*Policy) Choice {
				return Choice{Categories: []string{"marketing"}, Services: map[string][]string{"marketing": {"ads"}}}
			}, "_fbp=1; _rt=2; _mkt=3; _gcl_au=4",
			[]string{"_rt=; Max-Age=0; Path=/"}},
		{"§5: withdrawing a category keeps the cookies of its services that need no consent",
			nil, (*Policy).AcceptAll, accept("marketing", "media"), "_anon_x=1; _pk_id.1=2; yt-remote=3",
			[]string{"_pk_id.1=; Max-Age=0; Path=/"}},
		{"§5: a required category's cookies and the consent cookie are never deleted, even under '*'",
			catchAll, (*Policy).AcceptAll, (*Policy).RejectAll, "sessionid=1; my_consent=2; csrftoken=3; __cf_bm=4; tracker=5; _fbp=6",
			[]string{"tracker=; Max-Age=0; Path=/", "_fbp=; Max-Age=0; Path=/"}},
		{"§5: a cookie still declared by an accepted category is kept, even under '*'",
			catchAll, (*Policy).AcceptAll, accept("marketing"), "tracker=5; _fbp=6; _pk_id.1=7",
			[]string{"tracker=; Max-Age=0; Path=/", "_pk_id.1=; Max-Age=0; Path=/"}},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			p := consentRichPolicy()
			if tc.policy != nil {
				tc.policy(p)
			}
			record := func(choice func(p *Policy) Choice) *Record {
				if choice == nil {
					return nil
				}
				r, err := p.NewRecord(nil, MethodCustom, choice(p), consentNow, zeroReader{})
				require.NoError(t, err)
				return r
			}
			assert.Equal(t, tc.want, p.WithdrawnCookieLines(record(tc.old), record(tc.new), tc.docCookie, localhost))
		})
	}

	// On a real host every line of DeleteLines is returned, with cookie.domain.
	p := consentDefaultPolicy()
	p.Cookie.Domain = ".consentry.test"
	old, err := p.NewRecord(nil, MethodAcceptAll, p.AcceptAll(), consentNow, zeroReader{})
	require.NoError(t, err)
	loc := Location{Host: "www.consentry.test", Secure: true, Path: "/"}
	assert.Equal(t, DeleteLines("_pk_id.1", loc, ".consentry.test"),
		p.WithdrawnCookieLines(old, nil, "_pk_id.1=1", loc))
}

func TestMatchCookieName(t *testing.T) {
	tests := []struct {
		pattern, name string
		want          bool
	}{
		{"_pk_id.*", "_pk_id.1", true},
		{"_pk_id.*", "_pk_id.1.a3f2", true},
		{"_pk_id.*", "_pk_id.", true},
		{"_pk_id.*", "_pk_id", false},
		{"_pk_id.*", "_pk_ses.1", false},
		{"_pk_id.*", "x_pk_id.1", false},
		{"sessionid", "sessionid", true},
		{"sessionid", "SessionID", false},
		{"sessionid", "sessionid2", false},
		{"*", "anything", true},
		{"*", "", true},
		{"*.1", "_pk_id.1", true},
		{"a*b*c", "aXbYc", true},
		{"a*b*c", "abcbc", true},
		{"a*b*c", "aXbY", false},
		{"a**b", "ab", true},
		{"", "", true},
		{"", "a", false},
		{"a*", "", false},
		{"a*a*a*a*b", strings.Repeat("a", 64), false},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, MatchCookieName(tc.pattern, tc.name), "§3 names: %q against %q", tc.pattern, tc.name)
	}
}

func TestCookieRoundTripThroughDocumentCookie(t *testing.T) {
	// What CookieLine writes, a browser serialises back as name=value: the value survives.
	p := consentDefaultPolicy()
	r, err := p.NewRecord(nil, MethodAcceptAll, p.AcceptAll(), consentNow, zeroReader{})
	require.NoError(t, err)
	line, warnings := p.CookieLine(r.Encode(), Location{Host: "www.consentry.test", Path: "/"})
	require.Empty(t, warnings)
	pair, _, _ := strings.Cut(line, ";")
	docCookie := "sessionid=abc; " + pair + "; django_language=fr"
	got, stale := p.CurrentRecord(CookieValues(docCookie, p.Cookie.Name), consentNow.Add(time.Hour))
	assert.False(t, stale)
	assert.Equal(t, r, got)
}
