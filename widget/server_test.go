package widget

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReadConsent reads the consent cookie from Cookie headers as a Go server receives
// them, and answers the JS API's questions (CONTRACT.md §6) as the widget does in the
// browser on the same cookies.
func TestReadConsent(t *testing.T) {
	p := consentRichPolicy()
	record := func(method string, c Choice, updated time.Time) string {
		r, err := p.NewRecord(nil, method, c, updated, zeroReader{})
		require.NoError(t, err)
		return r.Encode()
	}
	accepted := record(MethodAcceptAll, p.AcceptAll(), consentNow.Add(-time.Hour))
	rejected := record(MethodRejectAll, p.RejectAll(), consentNow.Add(-time.Hour))
	adsOnly := record(MethodCustom, Choice{Categories: []string{"marketing"}, Services: map[string][]string{"marketing": {"ads"}}}, consentNow)
	expired := record(MethodAcceptAll, p.AcceptAll(), consentNow.Add(-183*24*time.Hour))

	type answers struct {
		valid         bool
		statistics    bool // Accepted("statistics")
		necessary     bool // Accepted("necessary")
		ads           bool // AcceptedService("ads", "marketing")
		retargeting   bool // AcceptedService("retargeting", "marketing")
		allowStats    bool // Allows("statistics", "analytics")
		allowAudience bool // Allows("statistics", "audience"): needs no consent
		allowNeeded   bool // Allows("necessary", "")
	}
	tests := []struct {
		desc    string
		headers []string // the request's Cookie header fields
		want    answers
	}{
		{"§4: no cookie is no choice; only what needs no consent may run", nil,
			answers{allowAudience: true, allowNeeded: true}},
		{"§4: an acceptance, among other cookies", []string{"sessionid=abc; " + DefaultCookieName + "=" + accepted + "; csrftoken=x"},
			answers{true, true, true, true, true, true, true, true}},
		{"§4: a rejection is respected like an acceptance", []string{DefaultCookieName + "=" + rejected},
			answers{valid: true, necessary: true, allowAudience: true, allowNeeded: true}},
		{"§6: services answer per service", []string{DefaultCookieName + "=" + adsOnly},
			answers{valid: true, necessary: true, ads: true, allowAudience: true, allowNeeded: true}},
		{"§4: an expired choice is no choice", []string{DefaultCookieName + "=" + expired},
			answers{allowAudience: true, allowNeeded: true}},
		{"§4: garbage is no choice", []string{DefaultCookieName + "=%7Bgarbage"},
			answers{allowAudience: true, allowNeeded: true}},
		{"§4 repair: of two cookies the newest valid wins (here the ads-only choice, made later)",
			[]string{DefaultCookieName + "=" + accepted + "; " + DefaultCookieName + "=" + adsOnly},
			answers{valid: true, necessary: true, ads: true, allowAudience: true, allowNeeded: true}},
		{"RFC 9113 §8.2.3: HTTP/2 may split the Cookie header into several fields",
			[]string{"sessionid=abc", DefaultCookieName + "=" + accepted},
			answers{true, true, true, true, true, true, true, true}},
		{"RFC 6265 §5.4: names are case-sensitive; another cookie's name is not the consent cookie",
			[]string{strings.ToUpper(DefaultCookieName) + "=" + accepted},
			answers{allowAudience: true, allowNeeded: true}},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, "https://portal.example/", nil)
			for _, h := range tc.headers {
				req.Header.Add("Cookie", h)
			}
			c := ReadConsent(p, req.Header, consentNow)
			got := answers{
				valid:         c.Valid(),
				statistics:    c.Accepted("statistics"),
				necessary:     c.Accepted("necessary"),
				ads:           c.AcceptedService("ads", "marketing"),
				retargeting:   c.AcceptedService("retargeting", "marketing"),
				allowStats:    c.Allows("statistics", "analytics"),
				allowAudience: c.Allows("statistics", "audience"),
				allowNeeded:   c.Allows("necessary", ""),
			}
			assert.Equal(t, tc.want, got)
			prefs, ok := c.Preferences()
			assert.Equal(t, tc.want.valid, ok)
			assert.Equal(t, tc.want.valid, c.Record() != nil)
			if ok {
				assert.Equal(t, c.Record().ID, prefs.ID)
			}
			// The raw header gives the same answer as the request.
			assert.Equal(t, c, ConsentFromCookieHeader(p, strings.Join(tc.headers, "; "), consentNow))
		})
	}
}

// TestReadConsentCookieName: the cookie read is the policy's cookie.name (§3).
func TestReadConsentCookieName(t *testing.T) {
	p := consentDefaultPolicy()
	r, err := p.NewRecord(nil, MethodAcceptAll, p.AcceptAll(), consentNow, zeroReader{})
	require.NoError(t, err)
	p.Cookie.Name = "consent"
	assert.False(t, ConsentFromCookieHeader(p, DefaultCookieName+"="+r.Encode(), consentNow).Valid())
	assert.True(t, ConsentFromCookieHeader(p, "consent="+r.Encode(), consentNow).Valid())
	p.Cookie.Name = "" // a hand-built policy: the default name
	assert.True(t, ConsentFromCookieHeader(p, DefaultCookieName+"="+r.Encode(), consentNow).Valid())
}

// TestZeroConsent: the zero Consent answers every question with false, without panicking.
func TestZeroConsent(t *testing.T) {
	var c Consent
	assert.False(t, c.Valid())
	assert.False(t, c.Accepted("necessary"))
	assert.False(t, c.AcceptedService("analytics", "statistics"))
	assert.False(t, c.Allows("necessary", ""))
	_, ok := c.Preferences()
	assert.False(t, ok)
	assert.Nil(t, c.Record())
}

// FuzzConsentFromCookieHeader feeds hostile Cookie headers to the server-side reader
// (§4: "nothing crashes"): it never panics, and whatever it takes for a valid choice is a
// record that passes Check and is the one the widget would decode from that header.
func FuzzConsentFromCookieHeader(f *testing.F) {
	p := consentDefaultPolicy()
	f.Add(DefaultCookieName + "=" + consentExampleValue)
	f.Add("a=1; " + DefaultCookieName + "=%7Bgarbage; " + DefaultCookieName + "=" + consentExampleValue)
	f.Add(DefaultCookieName + "=;;=" + DefaultCookieName)
	for _, tc := range consentCookieCases() {
		f.Add(DefaultCookieName + "=" + tc.value)
	}
	f.Fuzz(func(t *testing.T, header string) {
		c := ConsentFromCookieHeader(p, header, consentNow)
		want, _ := p.CurrentRecord(CookieValues(header, DefaultCookieName), consentNow)
		require.Equal(t, want, c.Record())
		if !c.Valid() {
			assert.False(t, c.Accepted("statistics") || c.Allows("statistics", "analytics"))
			return
		}
		require.NoError(t, p.Check(c.Record(), consentNow))
		assert.Equal(t, c.Record().AcceptedCategory("statistics"), c.Accepted("statistics"))
	})
}
