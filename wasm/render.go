//go:build js && wasm

package main

import (
	"slices"

	"github.com/consentry/consentry/widget"
	"github.com/hack-pad/safejs"
)

// This file turns widget.Node views into DOM, patches a dialog already built, wires every
// control of the shadow root through one delegated listener set by the views' action
// names (widget.AttrAction), and moves focus where widget says. It decides nothing.

// materialise returns the DOM for a view, text as text nodes, never parsed as HTML.
// widget.AttrIndeterminate is the indeterminate property, not an attribute.
func (a *app) materialise(n *widget.Node) safejs.Value {
	if n.Tag == "" {
		return call(a.doc, "createTextNode", n.Text)
	}
	e := call(a.doc, "createElement", n.Tag)
	for _, at := range n.Attrs {
		if at.Name == widget.AttrIndeterminate {
			set(e, "indeterminate", true)
		} else {
			setAttr(e, at.Name, at.Value)
		}
	}
	for _, c := range n.Children {
		if c.Tag == "" {
			call(e, "append", c.Text) // a text node, in one call
		} else {
			call(e, "append", a.materialise(c))
		}
	}
	return e
}

// fill makes host, an element of the page, the view n: n's attributes, n's children.
func (a *app) fill(host safejs.Value, n *widget.Node) {
	call(host, "replaceChildren")
	for _, at := range n.Attrs {
		setAttr(host, at.Name, at.Value)
	}
	for _, c := range n.Children {
		call(host, "append", a.materialise(c))
	}
}

// patchSwitches shows sw in a dialog already built, each switch found by its
// data-category and data-service.
func (a *app) patchSwitches(dialog safejs.Value, sw widget.Switches) {
	for _, input := range list(call(dialog, "querySelectorAll", "input["+widget.AttrCategory+"]")) {
		category := attr(input, widget.AttrCategory)
		if hasAttr(input, widget.AttrService) {
			set(input, "checked", sw.Services[category][attr(input, widget.AttrService)])
			continue
		}
		set(input, "checked", sw.Categories[category] == widget.SwitchOn)
		set(input, "indeterminate", sw.Categories[category] == widget.SwitchPartlyOn) // "mixed"
	}
}

// listenForActions wires the shadow root's controls with one listener: clicks, switch
// changes, Esc, and the dialog's cancel (which does not bubble: heard on its way down).
func (a *app) listenForActions(shadow safejs.Value) {
	listener := a.listener("view listener", a.onViewEvent)
	for _, event := range []string{"click", "change", "keydown"} {
		call(shadow, "addEventListener", event, listener)
	}
	call(shadow, "addEventListener", "cancel", listener, true)
}

// onViewEvent hands an event of the shadow root to onAction: a button's or a switch's
// action, or a layer's escape action on Esc (unless taken already) or the dialog's cancel,
// so that state, events and focus go through one path. Tab stays in the modal dialog.
func (a *app) onViewEvent(ev safejs.Value) {
	target := get(ev, "target")
	if !truthy(target) || !truthy(get(target, "closest")) {
		return
	}
	typ := str(get(ev, "type"))
	if typ == "click" || typ == "change" {
		tag := map[string]string{"click": "button", "change": "input"}[typ]
		if control := call(target, "closest", tag+"["+widget.AttrAction+"]"); truthy(control) {
			a.onAction(attr(control, widget.AttrAction), control)
		}
		return
	}
	layer := call(target, "closest", "["+widget.AttrEscapeAction+"]")
	if !truthy(layer) || typ == "cancel" && !layer.Equal(target) {
		return
	}
	switch key := str(get(ev, "key")); {
	case typ == "cancel" || key == "Escape" && !truthy(get(ev, "defaultPrevented")):
		call(ev, "preventDefault")
		a.onAction(attr(layer, widget.AttrEscapeAction), layer)
	case key == "Tab" && layer.Equal(a.ui.dialog):
		a.trapFocus(ev)
	}
}

// trapFocus keeps Tab and Shift+Tab among the dialog's rendered controls (widget.TabWrap):
// the native modal dialog lets Tab leave for the browser's own controls.
func (a *app) trapFocus(ev safejs.Value) {
	var focusable []safejs.Value
	for _, e := range list(call(a.ui.dialog, "querySelectorAll", "button, input, summary, a[href]")) {
		if !truthy(get(e, "disabled")) && len(list(call(e, "getClientRects"))) > 0 {
			focusable = append(focusable, e) // rendered: not in a closed <details> or [hidden]
		}
	}
	active := get(a.ui.shadow, "activeElement")
	at := slices.IndexFunc(focusable, active.Equal)
	if to := widget.TabWrap(len(focusable), at, truthy(get(ev, "shiftKey"))); to >= 0 {
		call(ev, "preventDefault")
		call(focusable[to], "focus")
	}
}

// watchBannerFocus remembers the page element focus came from (a focusin's relatedTarget)
// when it entered the banner, unless it came from inside the widget.
func (a *app) watchBannerFocus(banner safejs.Value) {
	a.on(banner, "focusin", func(ev safejs.Value) {
		from := get(ev, "relatedTarget")
		if truthy(from) && !truthy(call(a.ui.root, "contains", from)) && !truthy(call(a.ui.shadow, "contains", from)) {
			a.ui.focusBefore = from
		}
	})
}

// bannerHasFocus reports whether focus is in the banner.
func (a *app) bannerHasFocus() bool {
	active := get(a.ui.shadow, "activeElement")
	return truthy(active) && truthy(call(a.ui.banner, "contains", active))
}

// restoreFocusAfterBanner carries out widget.FocusAfterBanner once the banner that had
// focus is hidden, never scrolling: an element that refuses focus counts as gone.
func (a *app) restoreFocusAfterBanner() {
	prev := a.ui.focusBefore
	a.ui.focusBefore = safejs.Undefined()
	main := call(a.doc, "querySelector", "main")
	target := widget.FocusAfterBanner(true, truthy(prev) && truthy(get(prev, "isConnected")), truthy(main))
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
	if !hasAttr(el, "tabindex") { // focusable by script for this once: the next Tab starts there
		setAttr(el, "tabindex", "-1")
		a.once(el, []string{"blur"}, func() { call(el, "removeAttribute", "tabindex") })
	}
	call(el, "focus", map[string]any{"preventScroll": true})
}
