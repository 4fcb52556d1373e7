package widget

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// receiptRandom is the random source of these tests: 16 bytes of 0x11 give the receipt id
// below, whose version and variant digits newUUIDv4 set.
func receiptRandom() *bytes.Reader { return bytes.NewReader(bytes.Repeat([]byte{0x11}, 16)) }

const receiptTestID = "11111111-1111-4111-9111-111111111111"

// receiptTestContext is where the receipts of these tests are made.
var receiptTestContext = ReceiptContext{
	PolicyDigest: strings.Repeat("ab", 32),
	Language:     "fr",
	Page:         "https://example.org/datasets/air",
	Widget:       "1.1.0+3f2a9c1",
}

func TestNewReceipt(t *testing.T) {
	p := consentDefaultPolicy()
	later := consentNow.Add(26 * time.Hour)
	rejected := consentExampleRecord()
	rejected.Method, rejected.Updated = MethodRejectAll, later
	rejected.Categories, rejected.Services = []string{"necessary"}, map[string][]string{}
	gpc := consentExampleRecord()
	gpc.Method, gpc.Categories, gpc.Services = MethodGPC, []string{"necessary"}, map[string][]string{}

	tests := []struct {
		desc   string
		event  string
		record *Record
		ctx    ReceiptContext
		want   string
	}{
		{
			`§10: the contract's example: every field of the cookie written, then the page's, "widget" last`,
			EventReceiptConsent, consentExampleRecord(), receiptTestContext,
			`{"v":1,"receiptId":"` + receiptTestID + `","consentId":"9b2f1c0e-5d3a-4f6b-8c7d-0e1f2a3b4c5d","event":"consent","method":"custom",` +
				`"revision":1,"scope":"0e55ba5d","policyDigest":"` + strings.Repeat("ab", 32) + `","language":"fr",` +
				`"categories":["necessary","statistics"],"services":{"statistics":["analytics"]},` +
				`"created":"2026-11-28T15:04:05Z","updated":"2026-11-28T15:04:05Z","page":"https://example.org/datasets/air","widget":"1.1.0+3f2a9c1"}`,
		},
		{
			`§10: "widget" is left out when the module has no build id (servers accept a receipt without it)`,
			EventReceiptConsent, gpc, ReceiptContext{PolicyDigest: strings.Repeat("0", 64), Language: "en", Page: "http://127.0.0.1:8080/"},
			`{"v":1,"receiptId":"` + receiptTestID + `","consentId":"9b2f1c0e-5d3a-4f6b-8c7d-0e1f2a3b4c5d","event":"consent","method":"gpc",` +
				`"revision":1,"scope":"0e55ba5d","policyDigest":"` + strings.Repeat("0", 64) + `","language":"en",` +
				`"categories":["necessary"],"services":{},` +
				`"created":"2026-11-28T15:04:05Z","updated":"2026-11-28T15:04:05Z","page":"http://127.0.0.1:8080/"}`,
		},
		{
			`§10: a change keeps the record's id and created; updated is the change's time`,
			EventReceiptChange, rejected, receiptTestContext,
			`{"v":1,"receiptId":"` + receiptTestID + `","consentId":"9b2f1c0e-5d3a-4f6b-8c7d-0e1f2a3b4c5d","event":"change","method":"reject-all",` +
				`"revision":1,"scope":"0e55ba5d","policyDigest":"` + strings.Repeat("ab", 32) + `","language":"fr",` +
				`"categories":["necessary"],"services":{},` +
				`"created":"2026-11-28T15:04:05Z","updated":"2026-11-29T17:04:05Z","page":"https://example.org/datasets/air","widget":"1.1.0+3f2a9c1"}`,
		},
		{
			`§10: a withdraw receipt: the forgotten record's id and created, required categories only, no services, reject-all, the withdrawal's time`,
			EventReceiptWithdraw, p.WithdrawnRecord(consentExampleRecord(), later.Add(500*time.Millisecond)), receiptTestContext,
			`{"v":1,"receiptId":"` + receiptTestID + `","consentId":"9b2f1c0e-5d3a-4f6b-8c7d-0e1f2a3b4c5d","event":"withdraw","method":"reject-all",` +
				`"revision":1,"scope":"0e55ba5d","policyDigest":"` + strings.Repeat("ab", 32) + `","language":"fr",` +
				`"categories":["necessary"],"services":{},` +
				`"created":"2026-11-28T15:04:05Z","updated":"2026-11-29T17:04:05Z","page":"https://example.org/datasets/air","widget":"1.1.0+3f2a9c1"}`,
		},
		{
			`RFC 8259: strings are escaped, so a hostile page URL cannot break the JSON`,
			EventReceiptConsent, gpc, ReceiptContext{PolicyDigest: "d", Language: "en", Page: `https://example.org/"},"x":"</script>`},
			`{"v":1,"receiptId":"` + receiptTestID + `","consentId":"9b2f1c0e-5d3a-4f6b-8c7d-0e1f2a3b4c5d","event":"consent","method":"gpc",` +
				`"revision":1,"scope":"0e55ba5d","policyDigest":"d","language":"en",` +
				`"categories":["necessary"],"services":{},` +
				`"created":"2026-11-28T15:04:05Z","updated":"2026-11-28T15:04:05Z","page":"https://example.org/\"},\"x\":\"\u003c/script\u003e"}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			r, err := NewReceipt(tt.event, tt.record, tt.ctx, receiptRandom())
			require.NoError(t, err)
			got := r.JSON()
			assert.Equal(t, tt.want, got)
			var decoded map[string]any
			require.NoError(t, json.Unmarshal([]byte(got), &decoded), "the body is JSON")
		})
	}
}

func TestNewReceiptErrors(t *testing.T) {
	_, err := NewReceipt("accept", consentExampleRecord(), receiptTestContext, receiptRandom())
	assert.EqualError(t, err, `receipt: unknown event "accept"`)
	_, err = NewReceipt(EventReceiptConsent, nil, receiptTestContext, receiptRandom())
	assert.EqualError(t, err, "receipt: no record")
	_, err = NewReceipt(EventReceiptConsent, consentExampleRecord(), receiptTestContext, bytes.NewReader([]byte{1}))
	assert.ErrorContains(t, err, "receipt: reading random bytes for the record id")
}

func TestNewReceiptIDsDiffer(t *testing.T) {
	// §10: "a new random UUID (v4) per receipt": the id comes from the random source.
	random := bytes.NewReader(append(bytes.Repeat([]byte{0x11}, 16), bytes.Repeat([]byte{0x22}, 16)...))
	a, err := NewReceipt(EventReceiptConsent, consentExampleRecord(), receiptTestContext, random)
	require.NoError(t, err)
	b, err := NewReceipt(EventReceiptChange, consentExampleRecord(), receiptTestContext, random)
	require.NoError(t, err)
	assert.NotEqual(t, a.ID, b.ID)
	assert.True(t, isUUIDv4(a.ID) && isUUIDv4(b.ID))
}

func TestReceiptEvent(t *testing.T) {
	assert.Equal(t, EventReceiptConsent, ReceiptEvent(nil), "§10: a first choice is consent")
	assert.Equal(t, EventReceiptChange, ReceiptEvent(consentExampleRecord()), "§10: a choice over another is change, even the same one")
}

func TestWithdrawnRecord(t *testing.T) {
	p := consentRichPolicy()
	accepted, err := p.NewRecord(nil, MethodAcceptAll, p.AcceptAll(), consentNow, zeroReader{})
	require.NoError(t, err)
	at := consentNow.Add(time.Hour + 300*time.Millisecond)
	w := p.WithdrawnRecord(accepted, at)
	assert.Equal(t, accepted.ID, w.ID)
	assert.Equal(t, accepted.Created, w.Created)
	assert.Equal(t, consentNow.Add(time.Hour), w.Updated, "updated: the withdrawal's time, to the second")
	assert.Equal(t, MethodRejectAll, w.Method)
	assert.Equal(t, []string{"necessary"}, w.Categories, "required categories only")
	assert.Empty(t, w.Services, "no services")
	assert.Equal(t, accepted.Revision, w.Revision)
	assert.Equal(t, accepted.Scope, w.Scope)
	assert.NoError(t, p.Check(w, at), "the state after withdrawal is a valid refusal of the policy")
}

func TestPolicyDigest(t *testing.T) {
	for _, policy := range []string{"", "{}", `{"revision":1,"defaultLanguage":"fr"}`, strings.Repeat("é", 1000)} {
		want := sha256.Sum256([]byte(policy))
		assert.Equal(t, hex.EncodeToString(want[:]), PolicyDigest([]byte(policy)), "§10: SHA-256, lower-case hex, of %q", policy)
	}
}

func TestReceiptPage(t *testing.T) {
	tests := []struct{ desc, href, want string }{
		{"§10: the query goes", "https://example.org/datasets/air?q=ozone", "https://example.org/datasets/air"},
		{"§10: the fragment goes", "https://example.org/datasets/air#map", "https://example.org/datasets/air"},
		{"a '?' inside the fragment is the fragment's", "https://example.org/a#b?c", "https://example.org/a"},
		{"user name and password are no part of the page's address", "https://user:secret@example.org/a?b", "https://example.org/a"},
		{"an '@' in the path is the path's", "https://example.org/@user/x", "https://example.org/@user/x"},
		{"a port stays", "http://127.0.0.1:8080/e2e/page.html", "http://127.0.0.1:8080/e2e/page.html"},
		{"a bare origin stays", "https://example.org", "https://example.org"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, ReceiptPage(tt.href), tt.desc)
	}
}
