//go:build js && wasm

package main

import (
	"github.com/hack-pad/safejs"

	"github.com/consentry/consentry/widget"
)

// watchBannerFocus remembers the page element that had focus when focus entered the banner
// (a focusin's relatedTarget), so that focus can go back there when the banner closes.
// Focus coming from inside the widget (back from the preferences dialog) changes nothing.
func (a *app) watchBannerFocus(banner safejs.Value) {
	a.on(banner, "focusin", func(ev safejs.Value) {
		from := get(ev, "relatedTarget")
		if !truthy(from) || a.inWidget(from) {
			return
		}
		a.ui.focusBefore = from
	})
}

// inWidget reports whether node is the widget's host element or inside its shadow root.
func (a *app) inWidget(node safejs.Value) bool {
	return truthy(call(a.ui.root, "contains", node)) || truthy(call(a.ui.shadow, "contains", node))
}

// bannerHasFocus reports whether focus is in the banner.
func (a *app) bannerHasFocus() bool {
	active := get(a.ui.shadow, "activeElement")
	return truthy(active) && truthy(call(a.ui.banner, "contains", active))
}

// restoreFocusAfterBanner carries out widget.FocusAfterBanner once the banner that had
// focus is hidden: back to the element that had focus before, else the top of main or of
// the document, never scrolling. An element that refuses focus (disabled, hidden since)
// counts as gone.
func (a *app) restoreFocusAfterBanner() {
	prev := a.ui.focusBefore
	a.ui.focusBefore = safejs.Undefined()
	usable := truthy(prev) && truthy(get(prev, "isConnected"))
	main := call(a.doc, "querySelector", "main")
	target := widget.FocusAfterBanner(true, usable, truthy(main))
	if target == widget.FocusPrevious {
		call(prev, "focus", map[string]any{"preventScroll": true})
		if get(call(prev, "getRootNode"), "activeElement").Equal(prev) { // its own shadow root, if any
			return
		}
		target = widget.FocusAfterBanner(true, false, truthy(main))
	}
	el := main
	if target == widget.FocusDocument {
		el = get(a.doc, "body")
	}
	if !truthy(el) {
		return
	}
	if !hasAttr(el, "tabindex") {
		// Focusable by script only, for this once: the next Tab starts from its top.
		setAttr(el, "tabindex", "-1")
		a.once(el, []string{"blur"}, func() { call(el, "removeAttribute", "tabindex") })
	}
	call(el, "focus", map[string]any{"preventScroll": true})
}
