package scan

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// findingsPolicy has a required category, an optional one with a consent-free service and a
// consent-requiring one, and declared lifetimes.
const findingsPolicy = `{"revision":1,"defaultLanguage":"en","cookie":{"expiresAfterDays":182},"categories":[
 {"id":"necessary","required":true,"title":"N","description":"d","cookies":[{"provider":"p","names":["sessionid"],"function":"f","purpose":"p"}]},
 {"id":"statistics","required":false,"title":"S","description":"d","services":[
  {"id":"anon","title":"Anonymous","consentRequired":false,"cookies":[{"provider":"p","names":["anon_id"],"function":"f","purpose":"p"}]},
  {"id":"analytics","title":"A","cookies":[{"provider":"p","names":["_pk_id.*"],"function":"f","purpose":"p","expiresAfterDays":30}]}]}]}`

// TestEvaluate applies the rules of CONTRACT.md §12 to synthetic observations, one row per
// rule decision, so that each rule's edges are pinned without a browser.
func TestEvaluate(t *testing.T) {
	pol, err := parsePolicy([]byte(findingsPolicy))
	require.NoError(t, err)
	tests := []struct {
		name  string
		phase *Phase
		allow []string
		want  []string // rule ids, in order; declared-not-seen left out
	}{
		{"a required cookie before consent is fine",
			&Phase{ID: PhaseInitial, Cookies: []Cookie{{Name: "sessionid", Domain: "example.org"}}}, nil, nil},
		{"a consent-free service's cookie needs no consent (§3 consentRequired)",
			&Phase{ID: PhaseInitial, Cookies: []Cookie{{Name: "anon_id", Domain: "example.org"}}}, nil, nil},
		{"an optional cookie before consent",
			&Phase{ID: PhaseInitial, Cookies: []Cookie{{Name: "_pk_id.1", Domain: "example.org"}}}, nil, []string{RuleCookieBeforeConsent}},
		{"an undeclared cookie before consent is both an error and a warning",
			&Phase{ID: PhaseInitial, Cookies: []Cookie{{Name: "_fbp", Domain: ".example.org"}}}, nil, []string{RuleCookieBeforeConsent, RuleUndeclaredCookie}},
		{"an optional cookie left from before Reject all is the initial phase's finding, not the reject phase's",
			&Phase{ID: PhaseReject, Cookies: []Cookie{{Name: "_pk_id.1", Domain: "example.org"}}}, nil, nil},
		{"an optional cookie set after Reject all",
			&Phase{ID: PhaseReject, Cookies: []Cookie{{Name: "_pk_id.1", Domain: "example.org", AfterChoice: true}}}, nil, []string{RuleRejectNotHonoured}},
		{"after Accept all, optional cookies are fine",
			&Phase{ID: PhaseAccept, Cookies: []Cookie{{Name: "_pk_id.1", Domain: "example.org", AfterChoice: true}}}, nil, nil},
		{"an optional cookie that survives withdrawal",
			&Phase{ID: PhaseWithdraw, Cookies: []Cookie{{Name: "_pk_id.1", Domain: "example.org", AfterChoice: true}}}, nil, []string{RuleWithdrawNotHonoured}},
		{"an undeclared cookie set by a gated optional script survives withdrawal",
			&Phase{ID: PhaseWithdraw, Cookies: []Cookie{{Name: "_x", Domain: "example.org", AfterChoice: true, SetBy: "document.cookie in https://example.org/a.js"}},
				Gated: []GatedElement{{Page: "https://example.org/", Tag: "script", Category: "statistics", Service: "analytics", Src: "https://example.org/a.js"}}},
			nil, []string{RuleWithdrawNotHonoured, RuleUndeclaredCookie}},
		{"the same script also loaded under a required category: its cookie is judged by its declaration",
			&Phase{ID: PhaseWithdraw, Cookies: []Cookie{{Name: "_x", Domain: "example.org", AfterChoice: true, SetBy: "document.cookie in https://example.org/a.js"}},
				Gated: []GatedElement{{Page: "https://example.org/", Tag: "script", Category: "statistics", Service: "analytics", Src: "https://example.org/a.js"},
					{Page: "https://example.org/about", Tag: "script", Category: "necessary", Src: "https://example.org/a.js"}}},
			nil, []string{RuleUndeclaredCookie}},
		{"the consent cookie is never a finding",
			&Phase{ID: PhaseWithdraw, Cookies: []Cookie{{Name: "cookies_preferences", Domain: "example.org", AfterChoice: true}}}, nil, nil},
		{"a cookie living longer than its declaration",
			&Phase{ID: PhaseAccept, Cookies: []Cookie{{Name: "_pk_id.1", Expires: 1, LifetimeDay: 395}}}, nil, []string{RuleExpiryOverDeclared}},
		{"a cookie living as long as declared",
			&Phase{ID: PhaseAccept, Cookies: []Cookie{{Name: "_pk_id.1", Expires: 1, LifetimeDay: 30}}}, nil, nil},
		{"the consent cookie living longer than cookie.expiresAfterDays",
			&Phase{ID: PhaseAccept, Cookies: []Cookie{{Name: "cookies_preferences", Expires: 1, LifetimeDay: 400}}}, nil, []string{RuleExpiryOverDeclared}},
		{"a third-party request before consent",
			&Phase{ID: PhaseInitial, Requests: []Request{{URL: "https://t.example.net/p.gif", Host: "t.example.net"}}}, nil, []string{RuleRequestBeforeConsent}},
		{"an allowed host (-allow-host) is no finding",
			&Phase{ID: PhaseInitial, Requests: []Request{{URL: "https://cdn.example.net/a.js", Host: "cdn.example.net", Allowed: true}}}, nil, nil},
		{"a third-party request after withdrawal",
			&Phase{ID: PhaseWithdraw, Requests: []Request{{URL: "https://t.example.net/p.gif", Host: "t.example.net", AfterChoice: true, AfterWithdrawal: true}}}, nil, []string{RuleWithdrawNotHonoured}},
		{"a third-party request after acceptance, before withdrawal, is fine",
			&Phase{ID: PhaseWithdraw, Requests: []Request{{URL: "https://t.example.net/p.gif", Host: "t.example.net", AfterChoice: true}}}, nil, nil},
		{"storage before consent, the widget's own keys aside",
			&Phase{ID: PhaseInitial, Storage: []StorageEntry{{Kind: "localStorage", Key: "consentry-receipts"}, {Kind: "localStorage", Key: "ab"}}}, nil, []string{RuleStorageBeforeConsent}},
		{"a gated element of an optional category that ran before consent",
			&Phase{ID: PhaseInitial, Gated: []GatedElement{{Tag: "script", Category: "statistics", Service: "analytics", Ran: true}}}, nil, []string{RuleGatedRanBeforeConsent}},
		{"a consent-free service's gated element runs at once",
			&Phase{ID: PhaseInitial, Gated: []GatedElement{{Tag: "script", Category: "statistics", Service: "anon", Ran: true}}}, nil, nil},
		{"no banner",
			&Phase{ID: PhaseInitial, Banner: &Banner{}}, nil, []string{RuleBannerMissing}},
		{"a banner without a visible refusal",
			&Phase{ID: PhaseInitial, Banner: &Banner{Shown: true, AcceptVisible: true}}, nil, []string{RuleBannerMissing}},
		{"a banner with a visible refusal",
			&Phase{ID: PhaseInitial, Banner: &Banner{Shown: true, AcceptVisible: true, RefusalVisible: true}}, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, f := range evaluate(&Report{Phases: []*Phase{tt.phase}}, pol, tt.allow) {
				if f.Rule != RuleDeclaredNotSeen {
					got = append(got, f.Rule)
					assert.Equal(t, tt.phase.ID, f.Phase)
				}
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

// TestEvaluateDeclaredNotSeen: a declared name no phase saw is an info finding pointing at it.
func TestEvaluateDeclaredNotSeen(t *testing.T) {
	pol, err := parsePolicy([]byte(findingsPolicy))
	require.NoError(t, err)
	fs := evaluate(&Report{Phases: []*Phase{{ID: PhaseAccept, Cookies: []Cookie{{Name: "_pk_id.9"}, {Name: "anon_id"}}}}}, pol, nil)
	require.Len(t, fs, 1)
	assert.Equal(t, RuleDeclaredNotSeen, fs[0].Rule)
	assert.Equal(t, Info, fs[0].Severity)
	assert.Equal(t, "/categories/0/cookies/0/names/0", fs[0].PolicyPointer)
}
