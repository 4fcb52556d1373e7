//go:build js && wasm

package main

import "github.com/consentry/consentry/widget"

// warnIfNoReopenLink tells the site owner, once, through the console, when the page has no
// data-consentry="show-preferences" element although the banner promises a way back to
// the choice (widget.MissingReopenLinkWarning). start calls it once the loader has waited
// for the document to be parsed. The API works either way.
func (a *app) warnIfNoReopenLink() {
	selector := "[" + widget.AttrHook + `="` + widget.HookShowPrefs + `"]`
	if !truthy(call(a.doc, "querySelector", selector)) {
		a.console("warn", widget.MissingReopenLinkWarning)
	}
}
