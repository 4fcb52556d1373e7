package widget

// TabWrap says where Tab (or Shift+Tab with shift) goes inside a modal dialog whose
// focusable controls are n, in order, when the control at index active has focus (-1 when
// focus is on none of them, as on the dialog itself after a click on its text): the index
// to focus, wrapping at either end, or -1 to leave the key to the browser (WAI-ARIA APG,
// dialog (modal) pattern).
func TabWrap(n, active int, shift bool) int {
	switch {
	case n == 0:
		return -1
	case shift && (active == 0 || active < 0):
		return n - 1
	case !shift && (active == n-1 || active < 0):
		return 0
	}
	return -1
}
