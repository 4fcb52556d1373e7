package receipts

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseRevisionReadsTheEndpoint(t *testing.T) {
	text, err := os.ReadFile("../policy.json")
	require.NoError(t, err)
	rev, err := ParseRevision(text)
	require.NoError(t, err)
	assert.Equal(t, DefaultEndpoint, rev.Endpoint, "no receipts key: the contract's default path")
	assert.Len(t, rev.Digest, 64)

	with := strings.Replace(string(text), `"revision": 1,`, `"revision": 1, "receipts": {"endpoint": "/api/consent"},`, 1)
	require.NotEqual(t, string(text), with)
	rev, err = ParseRevision([]byte(with))
	require.NoError(t, err)
	assert.Equal(t, "/api/consent", rev.Endpoint)
	assert.Equal(t, 1, rev.Policy.Revision)

	// The widget posts to the endpoint as written, query included; the server routes by
	// its path, so a policy the widget accepts is never refused here.
	for endpoint, path := range map[string]string{
		"/api/consent?site=7":                    "/api/consent",
		"https://example.org/api/consent?site=7": "/api/consent",
		"https://example.org/consent/receipts":   "/consent/receipts",
	} {
		rev, err = ParseRevision([]byte(strings.Replace(with, `/api/consent"`, endpoint+`"`, 1)))
		require.NoError(t, err, endpoint)
		assert.Equal(t, path, rev.Endpoint, endpoint)
	}

	// The widget's parser checks the whole policy, receipts.endpoint's form included.
	bad := strings.Replace(with, `"revision": 1,`, `"revision": 0,`, 1)
	_, err = ParseRevision([]byte(bad))
	assert.ErrorContains(t, err, "revision")
	_, err = ParseRevision([]byte(strings.Replace(with, `/api/consent`, `api/consent`, 1)))
	assert.ErrorContains(t, err, "receipts.endpoint")
}

func TestPoliciesCheckAgainstTheRevisionNamed(t *testing.T) {
	text, err := os.ReadFile("../policy.json")
	require.NoError(t, err)
	r1, err := ParseRevision(text)
	require.NoError(t, err)
	// Revision 2 asks the same questions in a new text.
	text2 := strings.Replace(string(text), `"revision": 1,`, `"revision": 2,`, 1)
	r2, err := ParseRevision([]byte(text2))
	require.NoError(t, err)
	ps, err := NewPolicies(r1, r2)
	require.NoError(t, err)
	assert.Equal(t, 2, ps.Current().Policy.Revision)
	now := time.Date(2026, 11, 28, 15, 4, 5, 0, time.UTC)

	old := acceptAll(r1, now) // a receipt queued under revision 1
	require.NoError(t, ps.Check(old, now))
	assert.Empty(t, CookieLine(ps.Current().Policy, old.Record(), requestLocationFor("example.org"), now),
		"no cookie for a choice the current revision asks again")

	mixed := acceptAll(r1, now)
	mixed.PolicyDigest = r2.Digest
	assert.ErrorContains(t, ps.Check(mixed, now), "policyDigest: names a policy of revision 2, not 1")

	// A digest the server does not know (an inline policy with other white space) is
	// accepted when the revision is known: the revision's rules decide.
	unknown := acceptAll(r2, now)
	unknown.PolicyDigest = strings.Repeat("ab", 32)
	assert.NoError(t, ps.Check(unknown, now))

	// Two texts of one revision that ask different questions are refused.
	renamed := strings.Replace(string(text), `"id": "analytics"`, `"id": "matomo"`, 1)
	r1b, err := ParseRevision([]byte(renamed))
	require.NoError(t, err)
	_, err = NewPolicies(r1, r1b)
	assert.ErrorContains(t, err, "two policies of revision 1 ask different questions")
}
