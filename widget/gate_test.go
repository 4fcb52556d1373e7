package widget

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAllows(t *testing.T) {
	p := consentRichPolicy()
	// The consent cookie values a browser may hold, decoded: each names the choice it stores.
	records := map[string]*Record{"no choice": nil}
	for name, c := range map[string]Choice{
		"accept-all": p.AcceptAll(),
		"reject-all": p.RejectAll(),
		"ads only":   {Categories: []string{"marketing"}, Services: map[string][]string{"marketing": {"ads"}}},
	} {
		r, err := p.NewRecord(nil, MethodCustom, c, consentNow, zeroReader{})
		require.NoError(t, err)
		decoded, err := DecodeRecord(r.Encode()) // what the next page load reads
		require.NoError(t, err)
		require.NoError(t, p.Check(decoded, consentNow))
		records[name] = decoded
	}

	tests := []struct {
		desc     string
		choice   string // a key of records
		category string // data-category
		service  string // data-service
		want     bool
	}{
		{"§3: a required category is always on, even before any choice", "no choice", "necessary", "", true},
		{"§3: a required category is on whatever the choice", "reject-all", "necessary", "", true},
		{"§3: a required category's services run with it", "reject-all", "necessary", "cdn", true},
		{"§5: an optional category waits for a choice", "no choice", "statistics", "", false},
		{"§5: a gated script runs once its category is accepted", "accept-all", "statistics", "", true},
		{"§5: and its data-service too, when given", "accept-all", "statistics", "analytics", true},
		{"§4: a rejection is respected exactly like an acceptance", "reject-all", "statistics", "", false},
		{"§4: a rejection refuses the services too", "reject-all", "statistics", "analytics", false},
		{"§5: a service with consentRequired: false runs without a choice", "no choice", "statistics", "audience", true},
		{"§5: a service with consentRequired: false runs after a rejection", "reject-all", "statistics", "audience", true},
		{"§5: an accepted service runs", "ads only", "marketing", "ads", true},
		{"§5: a refused service of an accepted category does not run", "ads only", "marketing", "retargeting", false},
		{"§5: without data-service, an accepted category is enough", "ads only", "marketing", "", true},
		{"§5: a category without services runs when accepted", "accept-all", "media", "", true},
		{"§5: a category without services stays off when refused", "ads only", "media", "", false},
		{"fail closed: an unknown category never runs, whatever was accepted", "accept-all", "third-party", "", false},
		{"fail closed: an unknown category never runs, even with a known service name", "accept-all", "Statistics", "analytics", false},
		{"fail closed: an unknown service never runs, even in an accepted category", "accept-all", "statistics", "heatmaps", false},
		{"fail closed: an unknown service never runs, even in a required category", "no choice", "necessary", "heatmaps", false},
		{"fail closed: a service of another category does not count", "accept-all", "media", "ads", false},
		{"fail closed: no data-category at all never runs", "accept-all", "", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			r, ok := records[tc.choice]
			require.True(t, ok, tc.choice)
			assert.Equal(t, tc.want, p.Allows(r, tc.category, tc.service))
		})
	}
}

func TestAcceptedNilSafe(t *testing.T) {
	var r *Record
	assert.False(t, r.AcceptedCategory("necessary"), "§6: queries before a choice answer as if there were none")
	assert.False(t, r.AcceptedService("statistics", "analytics"))

	r = consentExampleRecord()
	assert.True(t, r.AcceptedCategory("statistics"))
	assert.True(t, r.AcceptedService("statistics", "analytics"))
	assert.False(t, r.AcceptedService("necessary", "analytics"))
	r.Categories = []string{"necessary"} // services listed for a category no longer accepted
	assert.False(t, r.AcceptedService("statistics", "analytics"))
}
