package widget

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestSessionFirstPaint: with the banner shown by consentry.js before the module (§9,
// Signals.FirstPaint), the start does not show it again nor send consentry:show a second
// time; a choice made on it before the module is ready is the start's early input,
// recorded after consentry:ready, and it hides the banner; Customise opens the preferences
// over it; a choice stored meanwhile (another tab) hides it.
func TestSessionFirstPaint(t *testing.T) {
	p := sessionPolicy(t, "", "")
	start := func(cookies string, early ...Input) []string {
		sig := sessionSignals()
		sig.FirstPaintLang = "en"
		s := NewSession(p, sig, zeroReader{})
		assert.True(t, s.TakesOverFirstPaint())
		return effectLines(p, s.Start(page(expandCookies(t, p, cookies)), early...))
	}

	assert.Equal(t, []string{"render en (kept)", "event consentry:ready"}, start(""), "taken over: no second show")

	for _, tc := range []struct{ action, method string }{
		{ActionAcceptAll, MethodAcceptAll}, {ActionRejectAll, MethodRejectAll}, {ActionContinue, MethodRejectAll},
	} {
		lines := start("", Action{Name: tc.action})
		assert.Equal(t, []string{"render en (kept)", "event consentry:ready"}, lines[:2], tc.action)
		assert.True(t, hasLine(lines, "cookie cp={"+tc.method), "%s records %s:\n%q", tc.action, tc.method, lines)
		assert.True(t, hasLine(lines, "hide banner"), "%s hides the banner: %q", tc.action, lines)
		assert.True(t, hasLine(lines, "event consentry:hide banner"), tc.action)
		assert.True(t, hasLine(lines, "event consentry:consent "+tc.method), tc.action)
		assert.False(t, hasLine(lines, "show banner"), tc.action)
		assert.False(t, hasLine(lines, "event consentry:show"), tc.action)
	}

	lines := start("", Action{Name: ActionCustomize})
	assert.True(t, hasLine(lines, "show preferences"), "%q", lines)
	assert.False(t, hasLine(lines, "hide banner"), "%q", lines)
	assert.False(t, hasLine(lines, "event consentry:show banner"), "%q", lines)

	other := sessionSignals()
	other.FirstPaintLang = "fr" // the loader's language rule disagreed with the module's
	s := NewSession(p, other, zeroReader{})
	assert.False(t, s.TakesOverFirstPaint(), "a banner in another language is not taken over")
	lines = effectLines(p, s.Start(page(expandCookies(t, p, ""))))
	assert.True(t, hasLine(lines, "show banner"), "the session shows its own: %q", lines)
	assert.True(t, hasLine(lines, "render en"), "rendered again, not kept: %q", lines)
	assert.True(t, hasLine(lines, "warn Consentry: the built-in banner was in fr, the widget speaks en; shown again"), "%q", lines)

	lines = start("{accept-all}")
	assert.True(t, hasLine(lines, "hide banner"), "a stored choice hides the first paint: %q", lines)
	assert.True(t, hasLine(lines, "event consentry:consent accept-all"), "%q", lines)
}
