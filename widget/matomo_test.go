package widget

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestMatomoCalls(t *testing.T) {
	accepted, refused := choiceOf("necessary", "statistics"), choiceOf("necessary")
	cases := []struct {
		desc              string
		matomo            string
		previous, current *Record
		require, consent  []any
	}{
		{"§11: no matomo key, no call", ``, nil, accepted, nil, nil},
		{"§11: cookieless: requireCookieConsent; nothing more without a choice",
			`{"category":"statistics","cookieless":true}`, nil, nil, []any{"requireCookieConsent"}, nil},
		{"§11: cookieless defaults to false: requireConsent",
			`{"category":"statistics"}`, nil, nil, []any{"requireConsent"}, nil},
		{"§11: a page load with the category accepted gives the consent for that page view",
			`{"category":"statistics","cookieless":true}`, nil, accepted, []any{"requireCookieConsent"}, []any{"setCookieConsentGiven"}},
		{"§11: the same without cookieless",
			`{"category":"statistics"}`, nil, accepted, []any{"requireConsent"}, []any{"setConsentGiven"}},
		{"§11: a page load with a refusal gives nothing",
			`{"category":"statistics","cookieless":true}`, nil, refused, []any{"requireCookieConsent"}, nil},
		{"§11: right after the category is accepted",
			`{"category":"statistics","cookieless":true}`, refused, accepted, []any{"requireCookieConsent"}, []any{"setCookieConsentGiven"}},
		{"§11: a change that keeps it accepted says nothing again",
			`{"category":"statistics","cookieless":true}`, accepted, choiceOf("necessary", "statistics", "marketing"), []any{"requireCookieConsent"}, nil},
		{"§11: a withdrawal forgets the consent",
			`{"category":"statistics","cookieless":true}`, accepted, refused, []any{"requireCookieConsent"}, []any{"forgetCookieConsentGiven"}},
		{"§11: reset() (no choice left) forgets it too",
			`{"category":"statistics"}`, accepted, nil, []any{"requireConsent"}, []any{"forgetConsentGiven"}},
		{"§11: a category that is required is accepted on every page load",
			`{"category":"necessary"}`, nil, nil, []any{"requireConsent"}, []any{"setConsentGiven"}},
	}
	for _, c := range cases {
		t.Run(c.desc, func(t *testing.T) {
			extra := ""
			if c.matomo != "" {
				extra = `,"matomo":` + c.matomo
			}
			p := integrationPolicy(t, extra)
			assert.Equal(t, c.require, p.MatomoRequire())
			assert.Equal(t, c.consent, p.MatomoConsent(c.previous, c.current))
		})
	}
}
