//go:build js && wasm

package main

import (
	"github.com/consentry/consentry/widget"
	"github.com/hack-pad/safejs"
)

// onAction hands the session the action of a control of a view (widget.AttrAction), or
// the escape action of a layer (widget.AttrEscapeAction); target is the control or the
// layer, whose data-category and data-service name a switch. Every control of the widget
// comes here, from the one delegated listener set of render.go.
func (a *app) onAction(action string, target safejs.Value) {
	a.input(widget.Action{Name: action, Category: attr(target, widget.AttrCategory), Service: attr(target, widget.AttrService)})
}
