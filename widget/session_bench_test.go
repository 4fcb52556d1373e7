package widget

import "testing"

// BenchmarkSessionStart measures the session's part of a page load: a first visit (the
// banner) and a returning visitor (a stored choice, consentry:consent).
func BenchmarkSessionStart(b *testing.B) {
	p := sessionPolicy(b, "", "")
	for _, bc := range []struct{ name, cookies string }{
		{"first-visit", "a=1"},
		{"returning", "a=1; " + expandCookies(b, p, "{stats}")},
	} {
		b.Run(bc.name, func(b *testing.B) {
			pg := page(bc.cookies)
			for b.Loop() {
				NewSession(p, sessionSignals(), zeroReader{}).Start(pg)
			}
		})
	}
}

// BenchmarkSessionChoice measures a choice in the banner: accept all, then its effects.
func BenchmarkSessionChoice(b *testing.B) {
	p := sessionPolicy(b, "", "")
	pg := page("a=1")
	for b.Loop() {
		s := NewSession(p, sessionSignals(), zeroReader{})
		s.Start(pg)
		s.Handle(pg, Action{Name: ActionAcceptAll})
	}
}
