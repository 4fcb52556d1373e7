package widget

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// consentNow is the synthetic clock of these tests: the moment of the §4 example.
var consentNow = time.Date(2026, 11, 28, 15, 4, 5, 0, time.UTC)

// consentDefaultPolicy builds by hand the categories of the project's default policy.json
// (CONTRACT.md, the table before §1, and §3): necessary (required) and statistics, whose
// analytics service needs consent.
func consentDefaultPolicy() *Policy {
	return &Policy{
		Revision:        1,
		DefaultLanguage: "en",
		Cookie: CookieSettings{
			Name:             DefaultCookieName,
			ExpiresAfterDays: 182,
			Path:             "/",
			SameSite:         "Lax",
		},
		RespectGPC: true,
		Categories: []Category{
			{
				ID:       "necessary",
				Required: true,
				Cookies: []CookieDeclaration{
					{Names: []string{"sessionid"}},
					{Names: []string{"django_language"}},
					{Names: []string{"csrftoken"}},
					{Names: []string{"cookies_preferences"}},
				},
			},
			{
				ID: "statistics",
				Services: []Service{{
					ID:              "analytics",
					ConsentRequired: true,
					Cookies:         []CookieDeclaration{{Names: []string{"_pk_id.*", "_pk_ses.*"}}},
				}},
			},
		},
	}
}

// consentRichPolicy extends the default policy with what it lacks: a service that needs no
// consent, a category with two consent-requiring services, a category without services,
// and a required category with a service.
func consentRichPolicy() *Policy {
	p := consentDefaultPolicy()
	p.Categories[0].Services = []Service{{ID: "cdn", ConsentRequired: true, Cookies: []CookieDeclaration{{Names: []string{"__cf_bm"}}}}}
	p.Categories[1].Services = append(p.Categories[1].Services, Service{
		ID:      "audience",
		Cookies: []CookieDeclaration{{Names: []string{"_anon_*"}}},
	})
	p.Categories = append(p.Categories,
		Category{
			ID:      "marketing",
			Cookies: []CookieDeclaration{{Names: []string{"_mkt"}}},
			Services: []Service{
				{ID: "ads", ConsentRequired: true, Cookies: []CookieDeclaration{{Names: []string{"_fbp", "_gcl_*"}}}},
				{ID: "retargeting", ConsentRequired: true, Cookies: []CookieDeclaration{{Names: []string{"_rt"}}}},
			},
		},
		Category{
			ID:      "media",
			Cookies: []CookieDeclaration{{Names: []string{"yt-*"}}},
		},
	)
	return p
}

// consentExampleValue is the §4 example as a browser holds it, percent-encoded by
// JavaScript's encodeURIComponent (computed outside Go, so that it pins the encoding).
const consentExampleValue = "%7B%22v%22%3A1%2C%22revision%22%3A1%2C%22scope%22%3A%220e55ba5d%22%2C%22id%22%3A%229b2f1c0e-5d3a-4f6b-8c7d-0e1f2a3b4c5d%22%2C%22created%22%3A%222026-11-28T15%3A04%3A05Z%22%2C%22updated%22%3A%222026-11-28T15%3A04%3A05Z%22%2C%22method%22%3A%22custom%22%2C%22categories%22%3A%5B%22necessary%22%2C%22statistics%22%5D%2C%22services%22%3A%7B%22statistics%22%3A%5B%22analytics%22%5D%7D%7D"

// consentExampleJSON is the JSON inside consentExampleValue.
const consentExampleJSON = `{"v":1,"revision":1,"scope":"0e55ba5d","id":"9b2f1c0e-5d3a-4f6b-8c7d-0e1f2a3b4c5d","created":"2026-11-28T15:04:05Z","updated":"2026-11-28T15:04:05Z","method":"custom","categories":["necessary","statistics"],"services":{"statistics":["analytics"]}}`

// consentExampleRecord is the record of the §4 example.
func consentExampleRecord() *Record {
	return &Record{
		Version:    1,
		Revision:   1,
		Scope:      "0e55ba5d",
		ID:         "9b2f1c0e-5d3a-4f6b-8c7d-0e1f2a3b4c5d",
		Created:    consentNow,
		Updated:    consentNow,
		Method:     MethodCustom,
		Categories: []string{"necessary", "statistics"},
		Services:   map[string][]string{"statistics": {"analytics"}},
	}
}

// pct percent-encodes a consent record's JSON as the widget and JavaScript's
// encodeURIComponent do, so that the table below can show the JSON.
func pct(json string) string { return encodeURIComponent(json) }

// consentCookieCase is one consent cookie value a browser may hold and the decision for it
// under consentDefaultPolicy at consentNow: want is "" for a valid choice, otherwise a part
// of the error that makes it count as no choice.
type consentCookieCase struct {
	desc  string
	value string
	want  string
}

// consentCookieCases are the valid and garbage values of §4 ("Anything else (garbage,
// truncated, oversized, tampered, wrong types, unknown ids) counts as no choice"). They
// also seed FuzzDecodeRecord.
func consentCookieCases() []consentCookieCase {
	// padded returns the example with n spaces of JSON white space after "{".
	padded := func(n int) string {
		return consentExampleValue[:3] + strings.Repeat(" ", n) + consentExampleValue[3:]
	}
	fill := maxRecordLen - len(consentExampleValue)
	return []consentCookieCase{
		{"§4: the contract's example, as JavaScript encodes it, is a valid choice", consentExampleValue, ""},
		{"§4: a rejection is stored and respected exactly like an acceptance",
			pct(`{"v":1,"revision":1,"scope":"0e55ba5d","id":"9b2f1c0e-5d3a-4f6b-8c7d-0e1f2a3b4c5d","created":"2026-11-28T15:04:05Z","updated":"2026-11-28T15:04:05Z","method":"reject-all","categories":["necessary"],"services":{}}`), ""},
		{"§4: a choice made through Global Privacy Control is a valid choice",
			pct(`{"v":1,"revision":1,"scope":"0e55ba5d","id":"9b2f1c0e-5d3a-4f6b-8c7d-0e1f2a3b4c5d","created":"2026-11-28T15:04:05Z","updated":"2026-11-28T15:04:05Z","method":"gpc","categories":["necessary"],"services":{}}`), ""},
		{"decodeURIComponent leaves a value without escapes as it is, so unencoded JSON still reads", consentExampleJSON, ""},
		{"RFC 8259: white space between tokens is JSON, so it does not change the choice",
			pct(strings.ReplaceAll(consentExampleJSON, ",", " ,\n ")), ""},

		{"§4 garbage: an empty value is no choice", "", "consent: empty cookie value"},
		{"§4 garbage: a value that is not JSON is no choice", "yes", "consent: cookie value: line 1, column 1"},
		{"§4 truncated: a value cut in the middle of the JSON is no choice", consentExampleValue[:200], "unexpected end of input"},
		{"§4 truncated: a value cut in the middle of a %XX escape is refused as decodeURIComponent refuses it", consentExampleValue[:len(consentExampleValue)-2], "malformed percent-encoding"},
		{"ECMA-262 decodeURIComponent: %ZZ is not an escape", "%ZZ" + consentExampleValue, "malformed percent-encoding"},
		{"ECMA-262 decodeURIComponent: escapes must form UTF-8", pct(`{"v":1,`) + "%C3%28", "malformed percent-encoding"},
		{"ECMA-262 decodeURIComponent: an encoded surrogate is not UTF-8", "%ED%A0%80", "malformed percent-encoding"},
		{"§4 oversized: 4096 bytes, the most a browser must keep (RFC 6265 §6.1), is still read", padded(fill), ""},
		{"§4 oversized: 4097 bytes is no choice", padded(fill + 1), "4097 bytes, more than 4096"},

		{"§4: v is 1; another format version is no choice",
			pct(`{"v":2,"revision":1,"scope":"0e55ba5d","id":"9b2f1c0e-5d3a-4f6b-8c7d-0e1f2a3b4c5d","created":"2026-11-28T15:04:05Z","updated":"2026-11-28T15:04:05Z","method":"custom","categories":["necessary","statistics"],"services":{"statistics":["analytics"]}}`), "v: format version 2, expected 1"},
		{"§4 wrong types: v written as a string is no choice",
			pct(`{"v":"1","revision":1,"scope":"0e55ba5d","id":"9b2f1c0e-5d3a-4f6b-8c7d-0e1f2a3b4c5d","created":"2026-11-28T15:04:05Z","updated":"2026-11-28T15:04:05Z","method":"custom","categories":["necessary","statistics"],"services":{"statistics":["analytics"]}}`), "v: string, expected an integer"},
		{"§4 wrong types: a revision with a fraction is no choice",
			pct(`{"v":1,"revision":1.0,"scope":"0e55ba5d","id":"9b2f1c0e-5d3a-4f6b-8c7d-0e1f2a3b4c5d","created":"2026-11-28T15:04:05Z","updated":"2026-11-28T15:04:05Z","method":"custom","categories":["necessary","statistics"],"services":{"statistics":["analytics"]}}`), "revision: 1.0, expected an integer"},
		{"§4 wrong types: categories written as a string is no choice",
			pct(`{"v":1,"revision":1,"scope":"0e55ba5d","id":"9b2f1c0e-5d3a-4f6b-8c7d-0e1f2a3b4c5d","created":"2026-11-28T15:04:05Z","updated":"2026-11-28T15:04:05Z","method":"custom","categories":"necessary,statistics","services":{"statistics":["analytics"]}}`), "categories: string, expected an array of ids"},
		{"§4 wrong types: a category id that is a number is no choice",
			pct(`{"v":1,"revision":1,"scope":"0e55ba5d","id":"9b2f1c0e-5d3a-4f6b-8c7d-0e1f2a3b4c5d","created":"2026-11-28T15:04:05Z","updated":"2026-11-28T15:04:05Z","method":"custom","categories":["necessary",2],"services":{}}`), "categories[1]: number, expected a string"},
		{"§4 wrong types: services written as an array is no choice",
			pct(`{"v":1,"revision":1,"scope":"0e55ba5d","id":"9b2f1c0e-5d3a-4f6b-8c7d-0e1f2a3b4c5d","created":"2026-11-28T15:04:05Z","updated":"2026-11-28T15:04:05Z","method":"custom","categories":["necessary","statistics"],"services":["analytics"]}`), "services: array, expected an object"},
		{"§4: a JSON array instead of the object is no choice",
			pct(`[1,1,"0e55ba5d","9b2f1c0e-5d3a-4f6b-8c7d-0e1f2a3b4c5d"]`), "cookie value is a JSON array, expected an object"},
		{"§4: JSON null (a cookie cleared by a careless script) is no choice", "null", "cookie value is a JSON null"},
		{"RFC 8259 §4 (names SHOULD be unique): a duplicated key is no choice, not the last one wins",
			pct(`{"v":1,"revision":1,"scope":"0e55ba5d","id":"9b2f1c0e-5d3a-4f6b-8c7d-0e1f2a3b4c5d","created":"2026-11-28T15:04:05Z","updated":"2026-11-28T15:04:05Z","method":"reject-all","method":"accept-all","categories":["necessary"],"services":{}}`), `duplicate key "method"`},
		{"§4: every key is required; a record without services is no choice",
			pct(`{"v":1,"revision":1,"scope":"0e55ba5d","id":"9b2f1c0e-5d3a-4f6b-8c7d-0e1f2a3b4c5d","created":"2026-11-28T15:04:05Z","updated":"2026-11-28T15:04:05Z","method":"custom","categories":["necessary"]}`), "consent: services: missing"},
		{"§4: a key the format does not have is no choice",
			pct(`{"v":1,"revision":1,"scope":"0e55ba5d","id":"9b2f1c0e-5d3a-4f6b-8c7d-0e1f2a3b4c5d","created":"2026-11-28T15:04:05Z","updated":"2026-11-28T15:04:05Z","method":"custom","categories":["necessary"],"services":{},"admin":true}`), `unknown key "admin"`},
		{"§4: method is one of the four",
			pct(`{"v":1,"revision":1,"scope":"0e55ba5d","id":"9b2f1c0e-5d3a-4f6b-8c7d-0e1f2a3b4c5d","created":"2026-11-28T15:04:05Z","updated":"2026-11-28T15:04:05Z","method":"implied","categories":["necessary"],"services":{}}`), `unknown method "implied"`},
		{"§4: id is a random UUID (v4)",
			pct(`{"v":1,"revision":1,"scope":"0e55ba5d","id":"visitor-42","created":"2026-11-28T15:04:05Z","updated":"2026-11-28T15:04:05Z","method":"custom","categories":["necessary"],"services":{}}`), `id: "visitor-42" is not a version 4 UUID`},
		{"§4: created is UTC RFC 3339 as the widget writes it, not a date of another form",
			pct(`{"v":1,"revision":1,"scope":"0e55ba5d","id":"9b2f1c0e-5d3a-4f6b-8c7d-0e1f2a3b4c5d","created":"Sat, 28 Nov 2026 15:04:05 GMT","updated":"2026-11-28T15:04:05Z","method":"custom","categories":["necessary"],"services":{}}`), "created: "},
		{"§4: updated with an offset instead of UTC is no choice",
			pct(`{"v":1,"revision":1,"scope":"0e55ba5d","id":"9b2f1c0e-5d3a-4f6b-8c7d-0e1f2a3b4c5d","created":"2026-11-28T15:04:05Z","updated":"2026-11-28T16:04:05+01:00","method":"custom","categories":["necessary"],"services":{}}`), "updated: "},
		{"§4: scope is 8 hex digits",
			pct(`{"v":1,"revision":1,"scope":"everything","id":"9b2f1c0e-5d3a-4f6b-8c7d-0e1f2a3b4c5d","created":"2026-11-28T15:04:05Z","updated":"2026-11-28T15:04:05Z","method":"custom","categories":["necessary"],"services":{}}`), "scope: \"everything\" is not 8 hex digits"},
		{"§4: services are listed for accepted categories only",
			pct(`{"v":1,"revision":1,"scope":"0e55ba5d","id":"9b2f1c0e-5d3a-4f6b-8c7d-0e1f2a3b4c5d","created":"2026-11-28T15:04:05Z","updated":"2026-11-28T15:04:05Z","method":"custom","categories":["necessary"],"services":{"statistics":["analytics"]}}`), "services.statistics: category not in categories"},
		{"RFC 8259 §9 allows a nesting limit: deep garbage is refused, not recursed into",
			pct(strings.Repeat("[", 100)), "nested more than"},

		{"§4 tampered: a scope edited by hand does not match the policy",
			pct(`{"v":1,"revision":1,"scope":"00000000","id":"9b2f1c0e-5d3a-4f6b-8c7d-0e1f2a3b4c5d","created":"2026-11-28T15:04:05Z","updated":"2026-11-28T15:04:05Z","method":"custom","categories":["necessary","statistics"],"services":{"statistics":["analytics"]}}`), "consent: scope 00000000, the policy's is 0e55ba5d"},
		{"§4: a choice for another revision of the policy asks again",
			pct(`{"v":1,"revision":2,"scope":"0e55ba5d","id":"9b2f1c0e-5d3a-4f6b-8c7d-0e1f2a3b4c5d","created":"2026-11-28T15:04:05Z","updated":"2026-11-28T15:04:05Z","method":"custom","categories":["necessary","statistics"],"services":{"statistics":["analytics"]}}`), "consent: revision 2, the policy is at 1"},
		{"§4 unknown ids: a category the policy does not have is no choice",
			pct(`{"v":1,"revision":1,"scope":"0e55ba5d","id":"9b2f1c0e-5d3a-4f6b-8c7d-0e1f2a3b4c5d","created":"2026-11-28T15:04:05Z","updated":"2026-11-28T15:04:05Z","method":"custom","categories":["necessary","statistics","marketing"],"services":{"statistics":["analytics"]}}`), `consent: unknown category "marketing"`},
		{"§4 unknown ids: a service the policy does not have is no choice",
			pct(`{"v":1,"revision":1,"scope":"0e55ba5d","id":"9b2f1c0e-5d3a-4f6b-8c7d-0e1f2a3b4c5d","created":"2026-11-28T15:04:05Z","updated":"2026-11-28T15:04:05Z","method":"custom","categories":["necessary","statistics"],"services":{"statistics":["analytics","heatmaps"]}}`), `consent: unknown service "statistics/heatmaps"`},
		{"§4: categories include the required ones; a record without them was not written by the widget",
			pct(`{"v":1,"revision":1,"scope":"0e55ba5d","id":"9b2f1c0e-5d3a-4f6b-8c7d-0e1f2a3b4c5d","created":"2026-11-28T15:04:05Z","updated":"2026-11-28T15:04:05Z","method":"custom","categories":["statistics"],"services":{"statistics":["analytics"]}}`), `consent: required category "necessary" missing`},
		{"§4: an accepted category lists its accepted services; accepting none of them is refusing it",
			pct(`{"v":1,"revision":1,"scope":"0e55ba5d","id":"9b2f1c0e-5d3a-4f6b-8c7d-0e1f2a3b4c5d","created":"2026-11-28T15:04:05Z","updated":"2026-11-28T15:04:05Z","method":"custom","categories":["necessary","statistics"],"services":{}}`), `consent: category "statistics" accepted without any of its services`},
		{"§4: a choice updated exactly expiresAfterDays (182) days ago is still valid",
			pct(`{"v":1,"revision":1,"scope":"0e55ba5d","id":"9b2f1c0e-5d3a-4f6b-8c7d-0e1f2a3b4c5d","created":"2026-05-30T15:04:05Z","updated":"2026-05-30T15:04:05Z","method":"custom","categories":["necessary","statistics"],"services":{"statistics":["analytics"]}}`), ""},
		{"§4: a choice one second younger than expiresAfterDays is valid",
			pct(`{"v":1,"revision":1,"scope":"0e55ba5d","id":"9b2f1c0e-5d3a-4f6b-8c7d-0e1f2a3b4c5d","created":"2026-05-30T15:04:06Z","updated":"2026-05-30T15:04:06Z","method":"custom","categories":["necessary","statistics"],"services":{"statistics":["analytics"]}}`), ""},
		{"§4: a choice older than expiresAfterDays by one second asks again",
			pct(`{"v":1,"revision":1,"scope":"0e55ba5d","id":"9b2f1c0e-5d3a-4f6b-8c7d-0e1f2a3b4c5d","created":"2026-05-30T15:04:04Z","updated":"2026-05-30T15:04:04Z","method":"custom","categories":["necessary","statistics"],"services":{"statistics":["analytics"]}}`), "consent: updated 2026-05-30T15:04:04Z, more than 182 days ago"},
		{"§4 tampered: an updated time days in the future (to dodge expiry) is no choice",
			pct(`{"v":1,"revision":1,"scope":"0e55ba5d","id":"9b2f1c0e-5d3a-4f6b-8c7d-0e1f2a3b4c5d","created":"2026-11-28T15:04:05Z","updated":"2027-11-28T15:04:05Z","method":"custom","categories":["necessary","statistics"],"services":{"statistics":["analytics"]}}`), "consent: updated 2027-11-28T15:04:05Z, more than a day in the future"},
		{"clock skew: an updated time less than a day ahead of the page's clock is tolerated",
			pct(`{"v":1,"revision":1,"scope":"0e55ba5d","id":"9b2f1c0e-5d3a-4f6b-8c7d-0e1f2a3b4c5d","created":"2026-11-29T03:04:05Z","updated":"2026-11-29T03:04:05Z","method":"custom","categories":["necessary","statistics"],"services":{"statistics":["analytics"]}}`), ""},
	}
}

// decideConsentCookie is the decision a page makes on one cookie value: decode, then check.
func decideConsentCookie(p *Policy, value string, now time.Time) error {
	r, err := DecodeRecord(value)
	if err != nil {
		return err
	}
	return p.Check(r, now)
}

func TestConsentCookieDecision(t *testing.T) {
	p := consentDefaultPolicy()
	// The expiry cases above are written against this date arithmetic.
	require.Equal(t, "2026-05-30T15:04:05Z", formatRecordTime(consentNow.Add(-182*24*time.Hour)))
	for _, tc := range consentCookieCases() {
		t.Run(tc.desc, func(t *testing.T) {
			err := decideConsentCookie(p, tc.value, consentNow)
			if tc.want == "" {
				require.NoError(t, err)
				r, stale := p.CurrentRecord([]string{tc.value}, consentNow)
				assert.NotNil(t, r, "CurrentRecord agrees")
				assert.False(t, stale)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.True(t, strings.HasPrefix(err.Error(), "consent: "), "package prefix: %s", err)
			r, _ := p.CurrentRecord([]string{tc.value}, consentNow)
			assert.Nil(t, r, "counts as no choice")
		})
	}
}

func TestScopeOfDefaultPolicy(t *testing.T) {
	// §4: "for the default policy: sha256("statistics,statistics/analytics")".
	sum := sha256.Sum256([]byte("statistics,statistics/analytics"))
	want := hex.EncodeToString(sum[:])[:8]
	assert.Equal(t, want, consentDefaultPolicy().Scope())
	assert.Equal(t, "0e55ba5d", want, "the §4 example's scope")
}

func TestDefaultPolicyFile(t *testing.T) {
	// The shipped policy.json is a fixture too (STYLE.md): its scope is the one §4 names,
	// and the §4 example is a valid choice for it.
	data, err := os.ReadFile("../policy.json")
	require.NoError(t, err)
	p, err := ParsePolicy(data)
	require.NoError(t, err)
	sum := sha256.Sum256([]byte("statistics,statistics/analytics"))
	assert.Equal(t, hex.EncodeToString(sum[:])[:8], p.Scope())
	assert.Equal(t, consentDefaultPolicy().Scope(), p.Scope(), "the hand-built policy of these tests asks the same")
	assert.NoError(t, decideConsentCookie(p, consentExampleValue, consentNow))
	r, err := p.NewRecord(nil, MethodAcceptAll, p.AcceptAll(), consentNow, zeroReader{})
	require.NoError(t, err)
	assert.NoError(t, p.Check(r, consentNow))
	assert.True(t, p.Allows(r, "statistics", "analytics"))
}

func TestScopeChanges(t *testing.T) {
	base := consentDefaultPolicy().Scope()
	tests := []struct {
		desc   string
		edit   func(p *Policy)
		change bool
	}{
		{"§4: a new optional category changes what the visitor is asked about",
			func(p *Policy) { p.Categories = append(p.Categories, Category{ID: "marketing"}) }, true},
		{"§4: a new consent-requiring service changes it too",
			func(p *Policy) {
				p.Categories[1].Services = append(p.Categories[1].Services, Service{ID: "heatmaps", ConsentRequired: true})
			}, true},
		{"§4: losing a service changes it", func(p *Policy) { p.Categories[1].Services = nil }, true},
		{"§4: a service that needs no consent is not asked about", func(p *Policy) {
			p.Categories[1].Services = append(p.Categories[1].Services, Service{ID: "audience"})
		}, false},
		{"§4: required categories are not asked about", func(p *Policy) {
			p.Categories = append(p.Categories, Category{ID: "security", Required: true})
		}, false},
		{"§4: a new revision alone does not change the scope (it asks again by itself)",
			func(p *Policy) { p.Revision = 2 }, false},
		{"§3: texts are not part of the scope", func(p *Policy) {
			p.Categories[1].Title = Text{"en": "Audience measurement"}
		}, false},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			p := consentDefaultPolicy()
			tc.edit(p)
			assert.Equal(t, tc.change, p.Scope() != base, p.Scope())
		})
	}

	// §4: the ids are byte-sorted, so the order of the categories does not matter.
	a, b := consentDefaultPolicy(), consentDefaultPolicy()
	a.Categories = append(a.Categories, Category{ID: "marketing"})
	b.Categories = append([]Category{{ID: "marketing"}}, b.Categories...)
	assert.Equal(t, a.Scope(), b.Scope())
}

func TestEncodeExample(t *testing.T) {
	r := consentExampleRecord()
	assert.Equal(t, consentExampleValue, r.Encode(), "§4: the example, percent-encoded as encodeURIComponent does")
	got, err := DecodeRecord(consentExampleValue)
	require.NoError(t, err)
	assert.Equal(t, r, got)
}

func TestCheckReasons(t *testing.T) {
	tests := []struct {
		desc   string
		policy func(p *Policy)
		record func(r *Record)
		want   string // "" for valid
	}{
		{"§4: the example is valid for the default policy", nil, nil, ""},
		{"§3 revision: raising it asks every visitor again",
			func(p *Policy) { p.Revision = 2 }, nil, "consent: revision 1, the policy is at 2"},
		{"§4 scope: a policy that gained a category asks again, even without a new revision",
			func(p *Policy) { p.Categories = append(p.Categories, Category{ID: "marketing"}) }, nil,
			"consent: scope 0e55ba5d, the policy's is "},
		{"§3 cookie.expiresAfterDays: a shorter keep time expires older choices",
			func(p *Policy) { p.Cookie.ExpiresAfterDays = 30 },
			func(r *Record) { r.Updated = consentNow.AddDate(0, 0, -31) },
			"consent: updated 2026-10-28T15:04:05Z, more than 30 days ago"},
		{"§4 v: a record of another format version is no choice", nil,
			func(r *Record) { r.Version = 0 }, "consent: format version 0, expected 1"},
		{"§4 v: an empty record (the zero Record) is no choice", nil, func(r *Record) { *r = Record{} }, "consent: format version 0, expected 1"},
		{"§4: services of a category the policy lacks are unknown ids", nil,
			func(r *Record) { r.Services["ads"] = []string{"x"} }, `consent: unknown category "ads" in services`},
		{"§4: services of a category the visitor refused contradict the record", nil,
			func(r *Record) { r.Categories = r.Categories[:1] }, `consent: services of category "statistics", which is not accepted`},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			p, r := consentDefaultPolicy(), consentExampleRecord()
			if tc.policy != nil {
				tc.policy(p)
			}
			if tc.record != nil {
				tc.record(r)
			}
			err := p.Check(r, consentNow)
			if tc.want == "" {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.True(t, strings.HasPrefix(err.Error(), tc.want), "got %q, want %q…", err, tc.want)
		})
	}
	assert.EqualError(t, consentDefaultPolicy().Check(nil, consentNow), "consent: no record")
}

func TestCurrentRecord(t *testing.T) {
	p := consentDefaultPolicy()
	older := consentExampleRecord()
	older.Updated = consentNow.Add(-48 * time.Hour)
	older.Method = MethodAcceptAll
	newer := consentExampleRecord()
	newer.Categories = []string{"necessary"}
	newer.Services = map[string][]string{}
	newer.Method = MethodRejectAll
	outdated := consentExampleRecord()
	outdated.Revision = 0 // encodes to a value DecodeRecord refuses
	bumped := consentExampleRecord()
	bumped.Updated = consentNow.Add(time.Hour)
	bumped.Revision = 7 // newest, but for another revision

	tests := []struct {
		desc       string
		values     []string
		wantMethod string // "" for no choice
		wantStale  bool
	}{
		{"§4: no consent cookie is no choice", nil, "", false},
		{"§4: one valid value is the choice, nothing to repair", []string{older.Encode()}, MethodAcceptAll, false},
		{"§4 repair: of two valid values (host-only and Domain=) the newest wins and the other is stale",
			[]string{older.Encode(), newer.Encode()}, MethodRejectAll, true},
		{"§4 repair: the newest wins whatever the order document.cookie lists them in",
			[]string{newer.Encode(), older.Encode()}, MethodRejectAll, true},
		{"§4 repair: garbage beside a valid value is stale", []string{"garbage", older.Encode()}, MethodAcceptAll, true},
		{"§4: a newer value for another revision is not valid, so the older valid one wins",
			[]string{bumped.Encode(), older.Encode()}, MethodAcceptAll, true},
		{"§4: only invalid values is no choice; the next write replaces them", []string{outdated.Encode(), "%"}, "", false},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			r, stale := p.CurrentRecord(tc.values, consentNow)
			if tc.wantMethod == "" {
				assert.Nil(t, r)
			} else if assert.NotNil(t, r) {
				assert.Equal(t, tc.wantMethod, r.Method)
			}
			assert.Equal(t, tc.wantStale, stale)
		})
	}
}

// zeroReader is a source of randomness that yields zero bytes: the UUID it gives shows
// only the version and variant bits.
type zeroReader struct{}

// Read fills b with zeros.
func (zeroReader) Read(b []byte) (int, error) {
	clear(b)
	return len(b), nil
}

func TestNewRecordFirstChoice(t *testing.T) {
	p := consentDefaultPolicy()
	now := consentNow.Add(123 * time.Millisecond).In(time.FixedZone("CET", 3600))
	r, err := p.NewRecord(nil, MethodAcceptAll, p.AcceptAll(), now, zeroReader{})
	require.NoError(t, err)
	assert.Equal(t, &Record{
		Version:    1,
		Revision:   1,
		Scope:      "0e55ba5d",
		ID:         "00000000-0000-4000-8000-000000000000", // RFC 9562: version 4, variant 10
		Created:    consentNow,                             // UTC, truncated to the second
		Updated:    consentNow,
		Method:     MethodAcceptAll,
		Categories: []string{"necessary", "statistics"},
		Services:   map[string][]string{"statistics": {"analytics"}},
	}, r)

	random := bytes.NewReader(bytes.Repeat([]byte{0xFF}, 16))
	r, err = p.NewRecord(nil, MethodRejectAll, p.RejectAll(), consentNow, random)
	require.NoError(t, err)
	assert.Equal(t, "ffffffff-ffff-4fff-bfff-ffffffffffff", r.ID)
	assert.True(t, isUUIDv4(r.ID))
	assert.Equal(t, []string{"necessary"}, r.Categories, "§4: a rejection still lists the required categories")
	assert.Empty(t, r.Services)
	assert.NoError(t, p.Check(r, consentNow), "§4: a rejection is stored and respected like an acceptance")
}

func TestNewRecordKeepsIDAndCreated(t *testing.T) {
	p := consentDefaultPolicy()
	prev := consentExampleRecord()
	later := consentNow.Add(72 * time.Hour)
	r, err := p.NewRecord(prev, MethodCustom, p.RejectAll(), later, nil) // no randomness needed
	require.NoError(t, err)
	assert.Equal(t, prev.ID, r.ID, "§4: id is kept across updates")
	assert.Equal(t, prev.Created, r.Created)
	assert.Equal(t, later, r.Updated)
	assert.Equal(t, []string{"statistics"}, ChangedCategories(p, prev, r))

	// A previous record with a damaged id gets a new one.
	prev.ID = "not-a-uuid"
	r, err = p.NewRecord(prev, MethodCustom, p.RejectAll(), later, zeroReader{})
	require.NoError(t, err)
	assert.Equal(t, "00000000-0000-4000-8000-000000000000", r.ID)
}

// failingReader is a source of randomness that fails, as crypto.getRandomValues may.
type failingReader struct{}

// Read always fails.
func (failingReader) Read([]byte) (int, error) { return 0, errors.New("no entropy") }

func TestNewRecordErrors(t *testing.T) {
	p := consentDefaultPolicy()
	_, err := p.NewRecord(nil, "yes", p.AcceptAll(), consentNow, zeroReader{})
	assert.EqualError(t, err, `consent: unknown method "yes"`)
	_, err = p.NewRecord(nil, MethodAcceptAll, p.AcceptAll(), consentNow, failingReader{})
	assert.EqualError(t, err, "consent: reading random bytes for the record id: no entropy")
	_, err = p.NewRecord(nil, MethodAcceptAll, p.AcceptAll(), consentNow, bytes.NewReader([]byte{1, 2, 3}))
	assert.EqualError(t, err, "consent: reading random bytes for the record id: unexpected EOF")
	_, err = p.NewRecord(nil, MethodAcceptAll, p.AcceptAll(), consentNow, nil)
	assert.EqualError(t, err, "consent: no source of random bytes for the record id")
}

func TestNewRecordChoices(t *testing.T) {
	// Written in the record's notation: the categories and services stored for a choice.
	tests := []struct {
		desc           string
		method         string
		choice         func(p *Policy) Choice
		wantCategories []string
		wantServices   map[string][]string
	}{
		{"§6 acceptAll(): every optional category with every consent-requiring service",
			MethodAcceptAll, (*Policy).AcceptAll,
			[]string{"necessary", "statistics", "marketing", "media"},
			map[string][]string{"statistics": {"analytics"}, "marketing": {"ads", "retargeting"}}},
		{"§6 rejectAll(): the required categories only",
			MethodRejectAll, (*Policy).RejectAll, []string{"necessary"}, map[string][]string{}},
		{"§3 respectGlobalPrivacyControl: GPC records a rejection with its own method",
			MethodGPC, (*Policy).RejectAll, []string{"necessary"}, map[string][]string{}},
		{"§6 acceptCategory(ids): a category without services is accepted as selected",
			MethodCustom, func(*Policy) Choice { return Choice{Categories: []string{"media"}} },
			[]string{"necessary", "media"}, map[string][]string{}},
		{"§6 acceptCategory(ids): a selected category without a services entry gets all its services",
			MethodCustom, func(*Policy) Choice { return Choice{Categories: []string{"marketing"}} },
			[]string{"necessary", "marketing"}, map[string][]string{"marketing": {"ads", "retargeting"}}},
		{"§3 services: a finer choice keeps the accepted services only, in policy order",
			MethodCustom, func(*Policy) Choice {
				return Choice{Categories: []string{"marketing"}, Services: map[string][]string{"marketing": {"retargeting"}}}
			},
			[]string{"necessary", "marketing"}, map[string][]string{"marketing": {"retargeting"}}},
		{"§4: a category whose consent-requiring services are all refused is refused",
			MethodCustom, func(*Policy) Choice {
				return Choice{Categories: []string{"statistics", "marketing"}, Services: map[string][]string{"marketing": {}, "statistics": {"audience"}}}
			},
			[]string{"necessary"}, map[string][]string{}},
		{"fail closed: services chosen in a category that is not selected accept nothing",
			MethodCustom, func(*Policy) Choice {
				return Choice{Services: map[string][]string{"marketing": {"ads"}}}
			},
			[]string{"necessary"}, map[string][]string{}},
		{"unknown ids are dropped and required ones cannot be refused or duplicated",
			MethodCustom, func(*Policy) Choice {
				return Choice{Categories: []string{"necessary", "social", "statistics", "statistics"}, Services: map[string][]string{"statistics": {"heatmaps", "analytics"}}}
			},
			[]string{"necessary", "statistics"}, map[string][]string{"statistics": {"analytics"}}},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			p := consentRichPolicy()
			r, err := p.NewRecord(nil, tc.method, tc.choice(p), consentNow, zeroReader{})
			require.NoError(t, err)
			assert.Equal(t, tc.method, r.Method)
			assert.Equal(t, tc.wantCategories, r.Categories)
			assert.Equal(t, tc.wantServices, r.Services)
			assert.NoError(t, p.Check(r, consentNow), "what the widget writes is valid")
			back, err := DecodeRecord(r.Encode())
			require.NoError(t, err)
			assert.Equal(t, r, back, "encode/decode round trip")
		})
	}
}

func TestPreferences(t *testing.T) {
	p := consentRichPolicy()
	r, err := p.NewRecord(nil, MethodCustom, Choice{
		Categories: []string{"marketing"},
		Services:   map[string][]string{"marketing": {"ads"}},
	}, consentNow, zeroReader{})
	require.NoError(t, err)
	assert.Equal(t, Preferences{
		Method:             MethodCustom,
		AcceptedCategories: []string{"necessary", "marketing"},
		RejectedCategories: []string{"statistics", "media"},
		AcceptedServices: map[string][]string{
			"necessary":  {"cdn"},      // §5: a required category always runs
			"statistics": {"audience"}, // §5: consentRequired: false runs without a choice
			"marketing":  {"ads"},
		},
		Revision: 1,
		ID:       "00000000-0000-4000-8000-000000000000",
		Created:  "2026-11-28T15:04:05Z",
		Updated:  "2026-11-28T15:04:05Z",
	}, p.Preferences(r))

	rejected, err := p.NewRecord(r, MethodRejectAll, p.RejectAll(), consentNow.Add(time.Hour), nil)
	require.NoError(t, err)
	prefs := p.Preferences(rejected)
	assert.Equal(t, []string{}, prefs.AcceptedServices["marketing"], "§6: an empty list, not null, when none is accepted")
	assert.Equal(t, "2026-11-28T16:04:05Z", prefs.Updated)
	assert.Equal(t, []string{"marketing"}, ChangedCategories(p, r, rejected))

	assert.Equal(t, Preferences{}, p.Preferences(nil), "§6: no choice (getUserPreferences() returns null)")
}

func TestChangedCategories(t *testing.T) {
	p := consentRichPolicy()
	record := func(c Choice) *Record {
		r, err := p.NewRecord(nil, MethodCustom, c, consentNow, zeroReader{})
		require.NoError(t, err)
		return r
	}
	all, none := record(p.AcceptAll()), record(p.RejectAll())
	adsOnly := record(Choice{Categories: []string{"statistics", "marketing", "media"}, Services: map[string][]string{"marketing": {"ads"}}})
	tests := []struct {
		desc     string
		old, new *Record
		want     []string
	}{
		{"§7 consentry:change: accepting everything changes every optional category", none, all, []string{"statistics", "marketing", "media"}},
		{"§7: the same choice changes nothing", all, all, []string{}},
		{"§7: a different set of accepted services changes the category", all, adsOnly, []string{"marketing"}},
		{"§7: a first choice compares with no choice (nothing accepted)", nil, adsOnly, []string{"statistics", "marketing", "media"}},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			assert.Equal(t, tc.want, ChangedCategories(p, tc.old, tc.new))
		})
	}
}

// consentExtremeJSON is a record at the edges of what DecodeRecord accepts: the largest
// revision JavaScript holds exactly, the first and last times RFC 3339 writes with four
// digits, ids that need JSON escapes, a lone surrogate (JSON.parse keeps it, the reader
// makes it U+FFFD), and a services object in another order than categories.
const consentExtremeJSON = `{"v":1,"revision":9007199254740992,"scope":"ffffffff","id":"ffffffff-ffff-4fff-bfff-ffffffffffff","created":"0000-01-01T00:00:00Z","updated":"9999-12-31T23:59:59Z","method":"accept-all","categories":["a\"b","\u00e9","\ud800"],"services":{"\u00e9":["<&>"," "],"a\"b":[]}}`

func TestDecodeRecordExtremes(t *testing.T) {
	r, err := DecodeRecord(pct(consentExtremeJSON))
	require.NoError(t, err)
	assert.Equal(t, 1<<53, r.Revision)
	assert.Equal(t, []string{`a"b`, "é", "\uFFFD"}, r.Categories)
	assert.Equal(t, map[string][]string{"é": {"<&>", " "}, `a"b`: {}}, r.Services)
	assert.Equal(t, "0000-01-01T00:00:00Z", formatRecordTime(r.Created))
	back, err := DecodeRecord(r.Encode())
	require.NoError(t, err)
	assert.Equal(t, r, back)
	// The services follow the order of the categories; <, > and & are escaped for HTML.
	json, err := decodeURIComponent(r.Encode())
	require.NoError(t, err)
	assert.True(t, strings.HasSuffix(json, `"services":{"a\"b":[],"é":["\u003c\u0026\u003e"," "]}}`), json)
}

func TestURIComponent(t *testing.T) {
	// Expected values are what a browser's encodeURIComponent returns.
	encodes := []struct{ in, want string }{
		{"abcXYZ019", "abcXYZ019"},
		{"-_.!~*'()", "-_.!~*'()"},
		{`{"a":[1, 2]}`, "%7B%22a%22%3A%5B1%2C%202%5D%7D"},
		{";,/?:@&=+$#%", "%3B%2C%2F%3F%3A%40%26%3D%2B%24%23%25"},
		{"é", "%C3%A9"},
		{"😀", "%F0%9F%98%80"},
	}
	for _, tc := range encodes {
		assert.Equal(t, tc.want, encodeURIComponent(tc.in), tc.in)
		back, err := decodeURIComponent(tc.want)
		assert.NoError(t, err)
		assert.Equal(t, tc.in, back)
	}
	// Expected values are what a browser's decodeURIComponent returns, or a URIError.
	decodes := []struct{ in, want string }{
		{"%c3%a9", "é"},
		{"a+b", "a+b"},
		{"%2B%20", "+ "},
		{"%", "error"},
		{"%4", "error"},
		{"%4G", "error"},
		{"%E9", "error"},       // Latin-1, not UTF-8
		{"%C0%AF", "error"},    // overlong "/"
		{"%ED%A0%80", "error"}, // a surrogate
		{"%F4%90%80%80", "error"},
		{"\xff", "error"}, // not possible in JavaScript; refused rather than repaired
	}
	for _, tc := range decodes {
		got, err := decodeURIComponent(tc.in)
		if tc.want == "error" {
			assert.Error(t, err, tc.in)
		} else {
			assert.NoError(t, err, tc.in)
			assert.Equal(t, tc.want, got)
		}
	}
}

func TestWithdrew(t *testing.T) {
	p := consentRichPolicy()
	record := func(c Choice) *Record {
		r, err := p.NewRecord(nil, MethodCustom, c, consentNow, zeroReader{})
		require.NoError(t, err)
		return r
	}
	all, none := record(p.AcceptAll()), record(p.RejectAll())
	adsOnly := record(Choice{Categories: []string{"statistics", "marketing", "media"}, Services: map[string][]string{"marketing": {"ads"}}})
	mediaOnly := record(Choice{Categories: []string{"media"}})
	tests := []struct {
		desc     string
		old, new *Record
		want     bool
	}{
		{"GDPR art. 7(3): refusing everything after accepting everything is a withdrawal", all, none, true},
		{"§5: un-ticking one service (retargeting) of an accepted category is a withdrawal", all, adsOnly, true},
		{"§5: un-ticking whole categories is a withdrawal", adsOnly, mediaOnly, true},
		{"accepting more is no withdrawal", none, all, false},
		{"accepting more services is no withdrawal", adsOnly, all, false},
		{"the same choice again is no withdrawal", all, all, false},
		{"a first choice withdraws nothing: nothing was accepted before", nil, none, false},
		{"§6 reset(): forgetting a choice that accepted something withdraws it", mediaOnly, nil, true},
		{"forgetting a refusal withdraws nothing", none, nil, false},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			assert.Equal(t, tc.want, p.Withdrew(tc.old, tc.new))
		})
	}
}

// TestRefusalKeptAsLongAsAcceptance: a refusal and an acceptance made at the same time
// expire at the same time (§4 "A rejection is stored and respected exactly like an
// acceptance"; CNIL-REC art. 2: both kept about six months).
func TestRefusalKeptAsLongAsAcceptance(t *testing.T) {
	p := consentDefaultPolicy()
	made := consentNow.Add(-182 * 24 * time.Hour)
	for _, c := range []struct {
		method string
		choice Choice
	}{{MethodAcceptAll, p.AcceptAll()}, {MethodRejectAll, p.RejectAll()}, {MethodGPC, p.RejectAll()}, {MethodCustom, p.RejectAll()}} {
		t.Run(c.method, func(t *testing.T) {
			r, err := p.NewRecord(nil, c.method, c.choice, made, zeroReader{})
			require.NoError(t, err)
			decoded, err := DecodeRecord(r.Encode())
			require.NoError(t, err)
			assert.NoError(t, p.Check(decoded, consentNow), "still valid exactly expiresAfterDays later")
			assert.ErrorContains(t, p.Check(decoded, consentNow.Add(time.Second)), "more than 182 days ago")
		})
	}
	p.Cookie.ExpiresAfterDays = 30
	r, err := p.NewRecord(nil, MethodRejectAll, p.RejectAll(), consentNow.Add(-31*24*time.Hour), zeroReader{})
	require.NoError(t, err)
	assert.ErrorContains(t, p.Check(r, consentNow), "more than 30 days ago", "§3: expiresAfterDays is the policy's")
}

// TestRecordRoundTrip is the round-trip property of the consent cookie: for every choice the
// widget can make (each subset of categories and services, each method), encoding the new
// record and decoding it gives the same record, which is a valid choice for the policy,
// and updating it keeps its id and creation time.
func TestRecordRoundTrip(t *testing.T) {
	p := consentRichPolicy()
	type item struct{ category, service string }
	var items []item
	for _, c := range p.Categories {
		if c.Required {
			continue
		}
		items = append(items, item{c.ID, ""})
		for _, s := range c.Services {
			items = append(items, item{c.ID, s.ID})
		}
	}
	methods := []string{MethodAcceptAll, MethodRejectAll, MethodCustom, MethodGPC}
	for mask := 0; mask < 1<<len(items); mask++ {
		choice := Choice{Services: map[string][]string{}}
		for i, it := range items {
			if mask&(1<<i) == 0 {
				continue
			}
			if it.service == "" {
				choice.Categories = append(choice.Categories, it.category)
			} else {
				choice.Services[it.category] = append(choice.Services[it.category], it.service)
			}
		}
		method := methods[mask%len(methods)]
		r, err := p.NewRecord(nil, method, choice, consentNow, zeroReader{})
		require.NoError(t, err)
		back, err := DecodeRecord(r.Encode())
		require.NoError(t, err, "mask %b", mask)
		require.Equal(t, r, back, "mask %b", mask)
		require.NoError(t, p.Check(back, consentNow), "mask %b", mask)
		require.Equal(t, r.Encode(), back.Encode())

		later := consentNow.Add(time.Hour)
		updated, err := p.NewRecord(back, MethodCustom, p.RejectAll(), later, failingReader{})
		require.NoError(t, err, "an update needs no new id")
		require.Equal(t, r.ID, updated.ID)
		require.Equal(t, r.Created, updated.Created)
		require.Equal(t, later, updated.Updated)
	}
}
