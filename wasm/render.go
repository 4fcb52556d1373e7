//go:build js && wasm

package main

import (
	"github.com/consentry/consentry/widget"
	"github.com/hack-pad/safejs"
)

// This file turns the views of package widget (widget.Node trees: the banner, the
// preferences dialog, the cookie declaration) into DOM, patches a dialog already on the
// page, and wires every control of the widget's shadow root through one delegated listener
// set, by the action names the views carry (widget.AttrAction). It decides nothing: what
// the views hold is widget's, what an action does is onAction's (actions.go).

// materialise returns the DOM for a view: elements with createElement and setAttribute,
// text with text nodes, never parsed as HTML. widget.AttrIndeterminate is the
// indeterminate property, not an attribute.
func (a *app) materialise(n *widget.Node) safejs.Value {
	if n.Tag == "" {
		return call(a.doc, "createTextNode", n.Text)
	}
	e := call(a.doc, "createElement", n.Tag)
	for _, at := range n.Attrs {
		if at.Name == widget.AttrIndeterminate {
			set(e, "indeterminate", true)
			continue
		}
		setAttr(e, at.Name, at.Value)
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

// fill makes host, an element of the host page, the view n stands for: n's attributes set
// on it, its children replaced by n's.
func (a *app) fill(host safejs.Value, n *widget.Node) {
	call(host, "replaceChildren")
	for _, at := range n.Attrs {
		setAttr(host, at.Name, at.Value)
	}
	for _, c := range n.Children {
		call(host, "append", a.materialise(c))
	}
}

// patchSwitches shows sw in a preferences dialog already built: each switch, found by its
// data-category and data-service, gets its checked and indeterminate properties.
func (a *app) patchSwitches(dialog safejs.Value, sw widget.Switches) {
	selector := "input[" + widget.AttrCategory + "]"
	for _, input := range list(call(dialog, "querySelectorAll", selector)) {
		category := attr(input, widget.AttrCategory)
		if hasAttr(input, widget.AttrService) {
			set(input, "checked", sw.Services[category][attr(input, widget.AttrService)])
			continue
		}
		state := sw.Categories[category]
		set(input, "checked", state == widget.SwitchOn)
		set(input, "indeterminate", state == widget.SwitchPartlyOn) // exposed as "mixed"
	}
}

// listenForActions wires the controls of the shadow root, whichever view built them, with
// one listener: a click on a button with an action, a change of a switch, Esc inside an
// element with an escape action (unless the page or the browser took the key already),
// and the dialog's cancel (the browser's own close request, which does not bubble and is
// heard on its way down), replaced by the dialog's escape action so that state, events
// and focus go through one path. Tab inside the modal dialog stays in it (trapFocus).
func (a *app) listenForActions(shadow safejs.Value) {
	listener := a.callback("view listener", func(_ safejs.Value, args []safejs.Value) any {
		if len(args) > 0 {
			a.onViewEvent(args[0])
		}
		return nil
	})
	for _, event := range []string{"click", "change", "keydown"} {
		call(shadow, "addEventListener", event, listener)
	}
	call(shadow, "addEventListener", "cancel", listener, true)
}

// onViewEvent hands an event of the shadow root to onAction (see listenForActions).
func (a *app) onViewEvent(ev safejs.Value) {
	target := get(ev, "target")
	if !truthy(target) || !truthy(get(target, "closest")) {
		return
	}
	typ := str(get(ev, "type"))
	if typ == "click" || typ == "change" {
		selector := "button[" + widget.AttrAction + "]"
		if typ == "change" {
			selector = "input[" + widget.AttrAction + "]"
		}
		if control := call(target, "closest", selector); truthy(control) {
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
