package widget

// The widget sorts short lists of ids and of policy problems. slices.Sort and
// slices.SortStableFunc would do, but each of their instantiations brings a
// pattern-defeating quicksort or a stable merge of about 12 KB of code into the
// WebAssembly build; this merge sort is a few hundred bytes per instantiation and, unlike
// an insertion sort, stays O(n log n) on a hostile policy with thousands of entries.

// stableSort sorts s so that less(s[i], s[i-1]) is never true, keeping the order of equal
// elements.
func stableSort[T any](s []T, less func(a, b T) bool) {
	buf := make([]T, len(s))
	for width := 1; width < len(s); width *= 2 {
		for lo := 0; lo < len(s)-width; lo += 2 * width {
			mid, hi := lo+width, min(lo+2*width, len(s))
			copy(buf[lo:hi], s[lo:hi])
			i, j := lo, mid
			for k := lo; k < hi; k++ {
				// Taking from the left run unless the right one is strictly less keeps
				// equal elements in order.
				if j >= hi || (i < mid && !less(buf[j], buf[i])) {
					s[k], i = buf[i], i+1
				} else {
					s[k], j = buf[j], j+1
				}
			}
		}
	}
}

// sortStrings sorts s in byte-wise order, as slices.Sort does.
func sortStrings(s []string) {
	stableSort(s, func(a, b string) bool { return a < b })
}

// sortProblemsByOffset sorts problems by offset, keeping the order of equal offsets.
func sortProblemsByOffset(problems []offsetProblem) {
	stableSort(problems, func(a, b offsetProblem) bool { return a.offset < b.offset })
}
