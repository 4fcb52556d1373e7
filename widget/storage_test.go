package widget

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// storagePolicy declares storage keys in a required category, in optional categories, in
// a consent-requiring service and in a service that needs no consent.
const storagePolicy = `{
  "revision": 1, "defaultLanguage": "en",
  "categories": [
    {"id": "necessary", "required": true, "title": "Necessary",
     "cookies": [{"provider": "Site", "names": ["sessionid"], "storage": ["app:*", "_pk_testcookie"]}]},
    {"id": "statistics", "title": "Statistics",
     "cookies": [{"provider": "Matomo", "names": ["_pk_id.*"], "storage": ["_pk_*"]}],
     "services": [{"id": "audience", "title": "Anonymised count", "consentRequired": false,
                   "cookies": [{"provider": "Site", "storage": ["_pk_anon*"]}]}]},
    {"id": "videos", "title": "Videos",
     "cookies": [{"provider": "YouTube", "storage": ["yt-player-*", "ytidb::LAST_RESULT_ENTRY_KEY"]}]},
    {"id": "ads", "title": "Advertising",
     "services": [
       {"id": "retarget", "title": "Retargeting", "cookies": [{"provider": "Ads", "storage": ["_rt*"]}]},
       {"id": "other", "title": "Other", "cookies": [{"provider": "Ads", "storage": ["_ot"]}]}
     ]}
  ]
}`

// TestWithdrawnStorageKeys checks which localStorage or sessionStorage keys a withdrawal
// deletes (CONTRACT.md §3 cookies[].storage, 1.1): as for cookies (§5), the keys declared
// by what was withdrawn, '*' matching, unless something still running declares them too.
func TestWithdrawnStorageKeys(t *testing.T) {
	p, err := ParsePolicy([]byte(storagePolicy))
	require.NoError(t, err)
	now := time.Date(2026, 11, 28, 15, 4, 5, 0, time.UTC)
	record := func(categories []string, services map[string][]string) *Record {
		if categories == nil {
			return nil
		}
		r, err := p.NewRecord(nil, MethodCustom, Choice{Categories: categories, Services: services}, now, zeroReader{})
		require.NoError(t, err)
		return r
	}
	all := []string{"statistics", "videos", "ads"}
	present := []string{"app:theme", "_pk_testcookie", "_pk_ses.1", "_pk_anon_x", "yt-player-volume",
		"ytidb::LAST_RESULT_ENTRY_KEY", "_rt_1", "_ot", "undeclared", "_pk_ses.1"}
	for _, tc := range []struct {
		desc             string
		oldCats, newCats []string
		oldSvcs, newSvcs map[string][]string
		want             []string
	}{
		{"§5 1.1: rejecting everything deletes every optional key present, wildcards matching, each once, in the order found; required, exempt and undeclared keys stay",
			all, []string{}, nil, nil,
			[]string{"_pk_ses.1", "yt-player-volume", "ytidb::LAST_RESULT_ENTRY_KEY", "_rt_1", "_ot"}},
		{"§6 reset(): no choice any more withdraws everything optional",
			all, nil, nil, nil,
			[]string{"_pk_ses.1", "yt-player-volume", "ytidb::LAST_RESULT_ENTRY_KEY", "_rt_1", "_ot"}},
		{"§5: withdrawing one category deletes its keys only",
			all, []string{"statistics", "ads"}, nil, nil,
			[]string{"yt-player-volume", "ytidb::LAST_RESULT_ENTRY_KEY"}},
		{"§5: withdrawing one service deletes its keys, not its sibling's",
			all, []string{"ads"}, nil, map[string][]string{"ads": {"other"}},
			[]string{"_pk_ses.1", "yt-player-volume", "ytidb::LAST_RESULT_ENTRY_KEY", "_rt_1"}},
		{"§5: a first choice withdraws nothing", nil, []string{}, nil, nil, nil},
		{"§5: nothing withdrawn, nothing deleted", all, all, nil, nil, nil},
	} {
		t.Run(tc.desc, func(t *testing.T) {
			got := p.WithdrawnStorageKeys(record(tc.oldCats, tc.oldSvcs), record(tc.newCats, tc.newSvcs), present)
			assert.Equal(t, tc.want, got)
		})
	}
	assert.Nil(t, p.WithdrawnStorageKeys(record(all, nil), nil, nil), "no key present, nothing to delete")
}

// TestParsePolicyStorage checks the policy side of cookies[].storage (CONTRACT.md §3, 1.1):
// a row may declare storage keys only, or both, and the keys are kept as written.
func TestParsePolicyStorage(t *testing.T) {
	p, err := ParsePolicy([]byte(storagePolicy))
	require.NoError(t, err)
	assert.Equal(t, []string{"sessionid"}, p.Categories[0].Cookies[0].Names)
	assert.Equal(t, []string{"app:*", "_pk_testcookie"}, p.Categories[0].Cookies[0].Storage)
	assert.Empty(t, p.Categories[2].Cookies[0].Names, "a row with storage keys only")
	assert.Equal(t, []string{"yt-player-*", "ytidb::LAST_RESULT_ENTRY_KEY"}, p.Categories[2].Cookies[0].Storage)
}

// TestRequiredCategoryServicesAccepted: a service inside a required category is allowed by
// CONTRACT.md §3 and so is not refused (§4: "a rule stricter than this file (a service inside
// a required category, say) is a warning of consentry validate, not a refusal"); it is
// always on, like its category, and the visitor is not asked about it.
func TestRequiredCategoryServicesAccepted(t *testing.T) {
	p, err := ParsePolicy([]byte(`{"revision": 1, "defaultLanguage": "en", "categories": [
	  {"id": "necessary", "required": true, "title": "Necessary", "services": [{"id": "auth", "title": "Login"}]},
	  {"id": "statistics", "title": "Statistics"}]}`))
	require.NoError(t, err)
	assert.True(t, p.Allows(nil, "necessary", "auth"), "always on, with no choice")
	r, err := p.NewRecord(nil, MethodRejectAll, p.RejectAll(), time.Now(), zeroReader{})
	require.NoError(t, err)
	assert.True(t, p.Allows(r, "necessary", "auth"), "always on after a refusal")
	assert.Equal(t, scopeOfIDs("statistics"), p.Scope(), "not part of what the visitor is asked")
	require.NoError(t, p.Check(r, time.Now()))
}

// scopeOfIDs is the §4 scope of these (already sorted) ids.
func scopeOfIDs(ids string) string {
	sum := sum256([]byte(ids))
	return string(appendHex(nil, sum[:4]))
}
