package scan

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMarkRanBySrc pins when a request for a gated element's src counts as the element
// having run: only on the element's own page, and not when that page also loads the same
// src under a category that needs no consent.
func TestMarkRanBySrc(t *testing.T) {
	pol, err := parsePolicy([]byte(findingsPolicy))
	require.NoError(t, err)
	const (
		home  = "https://example.org/"
		other = "https://example.org/about"
		js    = "https://example.org/analytics.js"
	)
	stats := GatedElement{Page: other, Tag: "script", Category: "statistics", Service: "analytics", Src: js}
	tests := []struct {
		name   string
		phase  string
		gated  []GatedElement
		reqs   []srcRequest
		wantAt []bool // Ran, per gated element
	}{
		{"requested on its own page: it ran",
			PhaseInitial, []GatedElement{stats}, []srcRequest{{js, other, "parser"}}, []bool{true}},
		{"requested on its own page after Reject all: it ran",
			PhaseReject, []GatedElement{stats}, []srcRequest{{js, other, "parser"}}, []bool{true}},
		{"requested only on another page (loaded there under a required category): not this element",
			PhaseInitial, []GatedElement{{Page: home, Tag: "script", Category: "necessary", Src: js}, stats},
			[]srcRequest{{js, home, "parser"}}, []bool{true, false}},
		{"requested only on another page with no element for it (ungated there): not this element",
			PhaseInitial, []GatedElement{stats}, []srcRequest{{js, home, "parser"}}, []bool{false}},
		{"the same page loads the src under a required category too: the request is that element's",
			PhaseInitial, []GatedElement{{Page: other, Tag: "script", Category: "necessary", Src: js}, stats},
			[]srcRequest{{js, other, "parser"}}, []bool{true, false}},
		{"the same page loads the src for a consent-free service too: the request is that one's",
			PhaseInitial, []GatedElement{{Page: other, Tag: "script", Category: "statistics", Service: "anon", Src: js}, stats},
			[]srcRequest{{js, other, "parser"}}, []bool{true, false}},
		{"another src requested on the page: it did not run",
			PhaseInitial, []GatedElement{stats}, []srcRequest{{"https://example.org/other.js", other, "parser"}}, []bool{false}},
		{"after Accept all the category is accepted: requests mark nothing",
			PhaseAccept, []GatedElement{stats}, []srcRequest{{js, other, "parser"}}, []bool{false}},
		{"an element known to have run keeps how it is known",
			PhaseInitial, []GatedElement{{Page: other, Category: "statistics", Src: js, Ran: true, RanBy: "activated on the page"}},
			[]srcRequest{{js, other, "parser"}}, []bool{true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := append([]GatedElement(nil), tt.gated...)
			got := markRanBySrc(tt.gated, tt.reqs, tt.phase, pol)
			assert.Equal(t, in, tt.gated, "the input is left alone")
			require.Len(t, got, len(tt.wantAt))
			for i, g := range got {
				assert.Equal(t, tt.wantAt[i], g.Ran, "element %d (%s on %s)", i, g.Category, g.Page)
			}
		})
	}
	t.Run("evaluate reports only the element that ran", func(t *testing.T) {
		rules := func(g []GatedElement) (out []string) {
			for _, f := range evaluate(&Report{Phases: []*Phase{{ID: PhaseInitial, Gated: g}}}, pol, nil) {
				if f.Rule != RuleDeclaredNotSeen {
					out = append(out, f.Rule)
				}
			}
			return out
		}
		assert.Empty(t, rules(markRanBySrc([]GatedElement{{Page: home, Tag: "script", Category: "necessary", Src: js}, stats},
			[]srcRequest{{js, home, "parser"}}, PhaseInitial, pol)), "a script loaded under a required category on another page is no finding")
		assert.Equal(t, []string{RuleGatedRanBeforeConsent}, rules(markRanBySrc([]GatedElement{stats},
			[]srcRequest{{js, other, "parser"}}, PhaseInitial, pol)))
	})
}
