package widget

// FocusTarget is where keyboard focus goes when the banner closes.
type FocusTarget uint8

const (
	// FocusStay leaves focus where it is: it was not in the banner (a choice made through
	// the JavaScript API, or in another tab), so closing the banner loses nothing.
	FocusStay FocusTarget = iota
	// FocusPrevious returns focus to the page element that had it before focus entered the
	// banner, as a closing dialog does.
	FocusPrevious
	// FocusMain moves focus to the top of the page's main element, without scrolling.
	FocusMain
	// FocusDocument moves focus to the top of the document (its body), without scrolling.
	FocusDocument
)

// FocusAfterBanner decides where focus goes when the banner closes after a choice
// (WCAG 2.2 SC 2.4.3 Focus Order: a control that disappears must not drop focus to nowhere,
// where the next Tab would start from the end of the page or the browser's own controls).
// focusInBanner says whether focus was in the banner (on one of its buttons, or back on
// "Customize" after the preferences dialog closed); previousUsable whether the page element
// that had focus before the banner took it is still in the document; hasMain whether the
// page has a main element.
func FocusAfterBanner(focusInBanner, previousUsable, hasMain bool) FocusTarget {
	switch {
	case !focusInBanner:
		return FocusStay
	case previousUsable:
		return FocusPrevious
	case hasMain:
		return FocusMain
	}
	return FocusDocument
}
