package widget

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestGateable(t *testing.T) {
	tests := []struct {
		desc string
		el   GatedElement
		want bool
	}{
		{"§5: a gated script is type text/plain", GatedElement{Tag: "SCRIPT", Type: "text/plain"}, true},
		{"§5: the type is compared without case", GatedElement{Tag: "script", Type: "Text/Plain"}, true},
		{"§5: a live script that merely carries a category is left alone", GatedElement{Tag: "SCRIPT", Type: "module"}, false},
		{"§5: a script without type is live already", GatedElement{Tag: "SCRIPT"}, false},
		{"§5: an iframe with data-src is gated", GatedElement{Tag: "IFRAME", HasSrc: true}, true},
		{"§5: an img without data-src has nothing to activate", GatedElement{Tag: "IMG"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) { assert.Equal(t, tt.want, tt.el.Gateable()) })
	}
}

func TestSessionActivates(t *testing.T) {
	p := sessionPolicy(t, "", "")
	s := NewSession(p, sessionSignals(), zeroReader{})
	s.Start(page(expandCookies(t, p, "{ads}")))
	script := func(cat, svc string) GatedElement {
		return GatedElement{Tag: "SCRIPT", Type: "text/plain", Category: cat, Service: svc}
	}
	tests := []struct {
		desc string
		el   GatedElement
		want bool
	}{
		{"§5: an accepted category's script runs", script("marketing", ""), true},
		{"§5: an accepted service runs", script("marketing", "ads"), true},
		{"§5: a refused service of an accepted category does not", script("marketing", "retargeting"), false},
		{"§5: a refused category's script does not", script("media", ""), false},
		{"§5: a service with consentRequired false runs without consent", script("statistics", "anon"), true},
		{"§5: a required category runs", script("necessary", ""), true},
		{"§5: an unknown category never runs", script("nope", ""), false},
		{"§5: an accepted category's live script is not activated again", GatedElement{Tag: "SCRIPT", Category: "marketing"}, false},
		{"§5: an accepted category's iframe with data-src runs", GatedElement{Tag: "IFRAME", HasSrc: true, Category: "marketing"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) { assert.Equal(t, tt.want, s.Activates(tt.el)) })
	}
}

func TestLiveScriptFor(t *testing.T) {
	tests := []struct {
		desc  string
		attrs []Attr
		want  LiveScript
	}{
		{
			"§5: every other attribute is kept, data-type becomes the type, type and nonce are left to the shell",
			[]Attr{{"type", "text/plain"}, {"data-category", "statistics"}, {"data-type", "module"}, {"nonce", ""}, {"src", "m.js"}, {"integrity", "sha384-x"}},
			LiveScript{Attrs: []LiveAttr{{"data-category", "statistics", TrustNone}, {"src", "m.js", TrustScriptURL},
				{"integrity", "sha384-x", TrustNone}, {"type", "module", TrustNone}}, External: true, Ordered: true},
		},
		{
			"§5: an external script with async does not hold back the ones after it",
			[]Attr{{"type", "text/plain"}, {"src", "a.js"}, {"async", ""}},
			LiveScript{Attrs: []LiveAttr{{"src", "a.js", TrustScriptURL}, {"async", "", TrustNone}}, External: true},
		},
		{
			"§5: an inline script is not waited for; an event handler attribute is script text (Trusted Types)",
			[]Attr{{"type", "text/plain"}, {"onload", "go()"}, {"defer", ""}},
			LiveScript{Attrs: []LiveAttr{{"onload", "go()", TrustScript}, {"defer", "", TrustNone}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) { assert.Equal(t, tt.want, LiveScriptFor(tt.attrs)) })
	}
}
