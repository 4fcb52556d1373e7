package widget

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestFocusAfterBanner: focus returns where it was, else to the top of main or the document,
// and never moves when it was not in the banner.
func TestFocusAfterBanner(t *testing.T) {
	tests := []struct {
		desc                              string
		inBanner, previousUsable, hasMain bool
		want                              FocusTarget
	}{
		{"focus elsewhere on the page stays there", false, true, true, FocusStay},
		{"focus nowhere stays nowhere", false, false, false, FocusStay},
		{"back to the element that had focus", true, true, true, FocusPrevious},
		{"back to the element even without main", true, true, false, FocusPrevious},
		{"no such element: the top of main", true, false, true, FocusMain},
		{"no such element, no main: the top of the document", true, false, false, FocusDocument},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			assert.Equal(t, tt.want, FocusAfterBanner(tt.inBanner, tt.previousUsable, tt.hasMain))
		})
	}
}
