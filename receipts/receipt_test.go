package receipts

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/consentry/consentry/widget"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The example of CONTRACT.md §10, with real ids and digest.
const contractExample = `{"v":1,"receiptId":"5f0c1b2a-7d3e-4c5b-9a8f-0e1d2c3b4a59","consentId":"9b2f1c0e-4a5b-4c6d-8e7f-0a1b2c3d4e5f","event":"consent","method":"custom",
 "revision":1,"scope":"0e55ba5d","policyDigest":"3be32220a2c9259642997c594ee571acc1209ee56c41f78b76e9d3370e1e2ebe","language":"fr",
 "categories":["necessary","statistics"],"services":{"statistics":["analytics"]},
 "created":"2026-11-28T15:04:05Z","updated":"2026-11-28T15:04:05Z",
 "page":"https://example.org/datasets/air"}`

func TestDecodeReceiptContractExample(t *testing.T) {
	rc, err := DecodeReceipt(strings.NewReader(contractExample))
	require.NoError(t, err)
	assert.Equal(t, "custom", rc.Method)
	assert.Equal(t, map[string][]string{"statistics": {"analytics"}}, rc.Services)
	assert.Equal(t, time.Date(2026, 11, 28, 15, 4, 5, 0, time.UTC), rc.Updated.Time)
	// canonical JSON decodes to the same receipt, and is stable.
	again, err := DecodeReceipt(bytes.NewReader(rc.canonical()))
	require.NoError(t, err)
	assert.Equal(t, rc, again)
	assert.Equal(t, rc.canonical(), again.canonical())
	// The widget field is optional (§10: servers accept a receipt without it).
	withWidget := strings.Replace(contractExample, `"v":1,`, `"v":1,"widget":"1.1.0+3be3222",`, 1)
	rc, err = DecodeReceipt(strings.NewReader(withWidget))
	require.NoError(t, err)
	assert.Equal(t, "1.1.0+3be3222", rc.Widget)
}

func TestDecodeReceiptRefuses(t *testing.T) {
	edit := func(old, new string) string {
		require.Contains(t, contractExample, old)
		return strings.Replace(contractExample, old, new, 1)
	}
	tests := []struct{ name, body, want string }{
		{"an array", `[]`, "expected a JSON object"},
		{"empty", ``, "not JSON: unexpected end of input"},
		{"a duplicate key (which value would count?)", edit(`"v":1,`, `"v":1,"v":1,`), "v: duplicate key"},
		{"a duplicate key written with an escape", edit(`"v":1,`, `"v":1,"\u0076":1,`), "v: duplicate key"},
		{"a duplicate service category", edit(`{"statistics":["analytics"]}`, `{"statistics":["analytics"],"statistics":[]}`), "services.statistics: duplicate key"},
		{"a string with escapes is read as JSON reads it", edit(`"language":"fr"`, `"language":"f\u0072-\n"`), `language: "fr-\n" is not`},
		{"an unknown key", edit(`"v":1,`, `"v":1,"ua":"x",`), "ua: unknown key"},
		{"v 2", edit(`"v":1,`, `"v":2,`), "v: format version 2"},
		{"v 1.0", edit(`"v":1,`, `"v":1.0,`), "v: 1.0, expected an integer"},
		{"revision 0", edit(`"revision":1`, `"revision":0`), "revision: 0"},
		{"a receiptId not a v4 UUID", edit(`5f0c1b2a-7d3e-4c5b`, `5f0c1b2a-7d3e-1c5b`), "receiptId:"},
		{"an upper-case consentId", edit(`9b2f1c0e-4a5b`, `9B2F1C0E-4a5b`), "consentId:"},
		{"an unknown event", edit(`"event":"consent"`, `"event":"accept"`), "event:"},
		{"an unknown method", edit(`"method":"custom"`, `"method":"all"`), "method:"},
		{"a short scope", edit(`"scope":"0e55ba5d"`, `"scope":"0e55ba5"`), "scope:"},
		{"a digest in upper case", edit(`"policyDigest":"3be3`, `"policyDigest":"3BE3`), "policyDigest:"},
		{"a language with a script tag", edit(`"language":"fr"`, `"language":"<script>"`), "language:"},
		{"a duplicate category", edit(`["necessary","statistics"]`, `["necessary","necessary"]`), `categories[1]: duplicate "necessary"`},
		{"a category id in capitals", edit(`["necessary","statistics"]`, `["Necessary"]`), "categories[0]:"},
		{"services of a category not accepted", edit(`["necessary","statistics"]`, `["necessary"]`), "services.statistics: category not in categories"},
		{"services not an object", edit(`{"statistics":["analytics"]}`, `[]`), "services: an array"},
		{"a time with an offset", edit(`"created":"2026-11-28T15:04:05Z"`, `"created":"2026-11-28T16:04:05+01:00"`), "created:"},
		{"a time with a fraction", edit(`"updated":"2026-11-28T15:04:05Z"`, `"updated":"2026-11-28T15:04:05.5Z"`), "updated:"},
		{"updated before created", edit(`"updated":"2026-11-28T15:04:05Z"`, `"updated":"2026-11-28T15:04:04Z"`), "updated: 2026-11-28T15:04:04Z is before created"},
		{"a page with a fragment", edit(`datasets/air"`, `datasets/air#x"`), "page:"},
		{"a page on another scheme", edit(`https://example.org`, `javascript://example.org`), "page:"},
		{"an empty widget", edit(`"v":1,`, `"v":1,"widget":"",`), "widget:"},
		{"trailing garbage", contractExample + `x`, "more than one JSON value"},
		{"over 8 KiB", edit(`datasets/air`, strings.Repeat("a", MaxBodySize)), "more than 8192 bytes"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DecodeReceipt(strings.NewReader(tc.body))
			var de *DecodeError
			require.ErrorAs(t, err, &de)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

// FuzzDecodeReceipt feeds the decoder hostile bodies: it must never panic, and what it
// accepts must survive a round trip through its canonical form unchanged.
func FuzzDecodeReceipt(f *testing.F) {
	f.Add([]byte(contractExample))
	f.Add([]byte(`{"v":1}`))
	f.Add([]byte(`{"services":{"a":[1]},"categories":["a"]}`))
	f.Add([]byte(`{"v":1,"v":2}`))
	f.Add([]byte("\xff{"))
	ps := testPolicies(f)
	now := time.Date(2026, 11, 28, 15, 4, 5, 0, time.UTC)
	f.Fuzz(func(t *testing.T, body []byte) {
		rc, err := DecodeReceipt(bytes.NewReader(body))
		if err == nil {
			err = ps.Check(rc, now) // the policy check must not panic either
			if err == nil {
				_ = CookieLine(ps.Current().Policy, rc.Record(), widget.Location{Host: "example.org"}, now)
			}
			err = nil
		}
		if err != nil {
			var de *DecodeError
			if !assert.ErrorAs(t, err, &de) {
				t.Fatalf("not a DecodeError: %v", err)
			}
			return
		}
		again, err := DecodeReceipt(bytes.NewReader(rc.canonical()))
		require.NoError(t, err, "the canonical form of an accepted receipt must decode")
		require.Equal(t, rc.canonical(), again.canonical())
		var m map[string]any
		require.NoError(t, json.Unmarshal(rc.canonical(), &m))
	})
}
