//go:build js && wasm

package main

import (
	"github.com/consentry/consentry/widget"
	"github.com/hack-pad/safejs"
)

// The views of widget (widget.Node) go to the view host of consentry.js (web/loader.js),
// which owns the widget's DOM: it builds the built-in banner of the first paint, and every
// view the session shows, from their compact form (widget.Node.AppendCompactJSON), hears
// every control through one listener, and hands each action back (api.go, _action). This
// file says what to show, hide, patch and announce, as the session's effects say. It
// decides nothing.

// view carries out one of the session's view effects.
func (a *app) view(e widget.Effect) {
	switch e := e.(type) {
	case widget.Render:
		a.lang = e.Lang
		a.host("frame", widget.El("div", a.policy.FrameAttrs(a.lang)), widget.StatusView(), e.Keep)
		// The page's data-consentry="cookie-table" elements (not in the shadow root: the
		// site's styles apply) are filled with the declaration.
		for n, el := range list(call(a.doc, "querySelectorAll", cookieTableSelector)) {
			a.host("fill", el, a.policy.DeclarationView(a.lang, n))
		}
	case widget.ShowView:
		var v any = "" // none for a layer in place: the kept first paint, a dialog shown again
		if built := a.built(e.View); !built && e.View == widget.ViewPreferences {
			v = a.policy.PreferencesView(a.lang, a.switches, e.GPCNotice)
		} else if !built {
			v = a.policy.BannerView(a.lang)
		}
		a.host("show", e.View, v, e.GPCNotice)
	case widget.HideView:
		a.host("hide", e.View, e.RestoreFocus)
	case widget.SetSwitches:
		a.switches = e.Switches // for the dialog when it is built, else patched now
		if a.built(widget.ViewPreferences) {
			a.host("patch", a.policy.PreferencesView(a.lang, e.Switches, false))
		}
	case widget.Announce:
		var msg any = ""
		if e.Text != "" {
			msg = widget.StatusMessage(e.Text)
		}
		a.host("announce", msg)
	}
}

// cookieTableSelector finds the page's cookie declaration tables.
const cookieTableSelector = "[" + widget.AttrHook + `="` + widget.HookCookieTable + `"]`

// built reports whether the view host has the layer in place (a view is made only for
// one still to build or patch).
func (a *app) built(layer string) bool {
	return truthy(call(get(a.boot, "view"), "built", layer))
}

// host calls the view host's method with args, a view as its compact JSON.
func (a *app) host(method string, args ...any) {
	for i, arg := range args {
		if n, ok := arg.(*widget.Node); ok {
			args[i] = string(n.AppendCompactJSON(nil))
		}
	}
	call(get(a.boot, "view"), method, args...)
}

// yieldWhileShown lets the browser run its tasks (paint, input) between parts of the start
// when the built-in banner is on screen (CONTRACT.md §9): the Go program's start would
// otherwise be one long task right after the banner appeared, during which a click on it
// would wait. A visitor without the built-in banner (a returning one) is not kept waiting.
// It may only be called from main's goroutine, never from a callback (which would deadlock).
func (a *app) yieldWhileShown() {
	if str(call(a.boot, "firstPaint")) == "" {
		return
	}
	done := make(chan struct{})
	call(a.win, "setTimeout", a.oneShot("setTimeout", func([]safejs.Value) { close(done) }), 0)
	<-done
}
