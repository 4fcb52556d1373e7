package widget

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A service inside a required category is accepted and always on, like its category
// (CONTRACT.md §4): acceptedService answers as acceptedCategory does for that category,
// in the browser (Session) and on the server (Consent) alike.
func TestAcceptedServiceOfARequiredCategory(t *testing.T) {
	policyJSON := strings.Replace(sessionPolicyJSON,
		`{"id":"necessary","required":true,"title":{"en":"Necessary","fr":"Nécessaires"},"cookies":[{"provider":"Site","names":["sessionid"]}]}`,
		`{"id":"necessary","required":true,"title":"Necessary","services":[{"id":"login","title":"Login"}]}`, 1)
	require.NotEqual(t, sessionPolicyJSON, policyJSON, "the test policy changed: update the replacement")
	p, err := ParsePolicyOn([]byte(strings.Replace(strings.Replace(policyJSON, "%s", "", 1), "%s", "", 1)), "https://shop.example")
	require.NoError(t, err)

	tests := []struct {
		desc    string
		cookies string
		want    bool
	}{
		{"§4, §6: with a valid choice, even a refusal", expandCookies(t, p, "{reject-all}"), true},
		{"§6: without a choice, every query answers false (fail closed)", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			s := NewSession(p, sessionSignals(), zeroReader{})
			s.Start(page(tt.cookies))
			got, warning := s.AcceptedService("login", "necessary")
			assert.Equal(t, tt.want, got)
			assert.Empty(t, warning)
			category, _ := s.AcceptedCategory("necessary")
			assert.Equal(t, category, got, "the service answers as its required category")
			server := ConsentFromCookieHeader(p, tt.cookies, sessionNow)
			assert.Equal(t, got, server.AcceptedService("login", "necessary"), "the Go server reader answers the same")
		})
	}
}
