package receipts

import (
	"crypto/rand"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/consentry/consentry/internal/pgtest"
	"github.com/stretchr/testify/require"
)

// postgres is the throwaway PostgreSQL server of this test binary, started by the first
// test that needs it and stopped after the last.
var postgres pgtest.Shared

func TestMain(m *testing.M) {
	code := m.Run()
	postgres.Stop()
	os.Exit(code)
}

// testRevision parses the repository's default policy.json: the receipts the tests post
// are checked against the policy the project ships.
func testRevision(t testing.TB) *Revision {
	t.Helper()
	text, err := os.ReadFile("../policy.json")
	require.NoError(t, err)
	rev, err := ParseRevision(text)
	require.NoError(t, err)
	return rev
}

func testPolicies(t testing.TB) *Policies {
	t.Helper()
	ps, err := NewPolicies(testRevision(t))
	require.NoError(t, err)
	return ps
}

// newUUID returns a random version 4 UUID.
func newUUID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// acceptAll returns a valid receipt of an "accept all" on the default policy at now.
func acceptAll(rev *Revision, now time.Time) *Receipt {
	now = now.UTC().Truncate(time.Second)
	return &Receipt{
		V: 1, ReceiptID: newUUID(), ConsentID: newUUID(), Event: EventConsent, Method: "accept-all",
		Revision: rev.Policy.Revision, Scope: rev.Policy.Scope(), PolicyDigest: rev.Digest, Language: "fr",
		Categories: []string{"necessary", "statistics"}, Services: map[string][]string{"statistics": {"analytics"}},
		Created: Time{now}, Updated: Time{now}, Page: "https://example.org/datasets/air",
	}
}
