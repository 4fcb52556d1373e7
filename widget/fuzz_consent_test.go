package widget

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// FuzzDecodeRecord feeds DecodeRecord hostile consent cookie values (§4: "nothing
// crashes"). It must never panic, and whatever it accepts must survive Encode: decoding
// the re-encoded value gives an equal record, and re-encoding that gives the same bytes.
func FuzzDecodeRecord(f *testing.F) {
	for _, tc := range consentCookieCases() {
		f.Add(tc.value)
	}
	f.Add(pct(consentExtremeJSON))
	f.Add(pct(`{"v":1e0}`))
	f.Add(pct(`{"v":-0}`))
	f.Add("%F0%9F%98%80")
	f.Fuzz(func(t *testing.T, value string) {
		r, err := DecodeRecord(value)
		if err != nil {
			require.Nil(t, r)
			require.True(t, strings.HasPrefix(err.Error(), "consent: "), err.Error())
			return
		}
		encoded := r.Encode()
		back, err := DecodeRecord(encoded)
		require.NoError(t, err, "re-encoded %q as %q", value, encoded)
		assert.Equal(t, r, back)
		assert.Equal(t, encoded, back.Encode())
	})
}

// FuzzCookieValues checks that splitting any Cookie header or document.cookie string never
// panics and that every value it returns is trimmed and holds no ';' (RFC 6265 §5.4).
func FuzzCookieValues(f *testing.F) {
	f.Add("a=1; cookies_preferences=x; b=2", "cookies_preferences")
	f.Add(" \ta = 1 ;b=2\t;;=;x", "a")
	f.Add("lonely", "")
	f.Add("", "")
	f.Fuzz(func(t *testing.T, header, name string) {
		for _, v := range CookieValues(header, name) {
			assert.NotContains(t, v, ";")
			assert.Equal(t, trimCookieSpace(v), v)
		}
	})
}
