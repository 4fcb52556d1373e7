package widget

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestSortStringsMatchesSlicesSort(t *testing.T) {
	for _, in := range [][]string{
		nil,
		{"a"},
		{"statistics/analytics", "statistics", "marketing", "Z", "é", "", "a"},
		{"b", "a", "b", "a"},
	} {
		got, want := slices.Clone(in), slices.Clone(in)
		sortStrings(got)
		slices.Sort(want)
		assert.Equal(t, want, got)
	}
}

func TestSortProblemsByOffsetIsAStableSort(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for n := range 70 {
		problems := make([]offsetProblem, n)
		for i := range problems {
			// Few distinct offsets, so that stability is tested; msg records the input order.
			problems[i] = offsetProblem{offset: r.IntN(8), msg: string(rune('0' + i))}
		}
		want := slices.Clone(problems)
		slices.SortStableFunc(want, func(a, b offsetProblem) int { return a.offset - b.offset })
		sortProblemsByOffset(problems)
		assert.Equal(t, want, problems, "n=%d", n)
	}
}
