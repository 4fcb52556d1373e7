package widget

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestTabWrap(t *testing.T) {
	for _, tc := range []struct {
		name      string
		n, active int
		shift     bool
		want      int
	}{
		{"no controls", 0, -1, false, -1},
		{"Tab in the middle: the browser's", 3, 1, false, -1},
		{"Shift+Tab in the middle: the browser's", 3, 1, true, -1},
		{"Tab on the last wraps to the first", 3, 2, false, 0},
		{"Shift+Tab on the first wraps to the last", 3, 0, true, 2},
		{"Tab on the first: the browser's", 3, 0, false, -1},
		{"Shift+Tab on the last: the browser's", 3, 2, true, -1},
		{"Tab on no control: the first", 3, -1, false, 0},
		{"Shift+Tab on no control: the last", 3, -1, true, 2},
		{"one control, Tab", 1, 0, false, 0},
		{"one control, Shift+Tab", 1, 0, true, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, TabWrap(tc.n, tc.active, tc.shift))
		})
	}
}
