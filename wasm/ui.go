//go:build js && wasm

package main

import (
	"github.com/consentry/consentry/widget"
	"github.com/hack-pad/safejs"
)

// ui holds the rendered widget: a non-modal banner and a modal preferences dialog, inside
// an open shadow root (CONTRACT.md §8). Both are built on first use.
type ui struct {
	root, shadow safejs.Value
	banner       safejs.Value
	dialog       safejs.Value
	status       safejs.Value
	switches     widget.Switches // what the dialog's switches show (the session's, SetSwitches)
	bannerShown  bool
	gpcNotice    safejs.Value // "your GPC signal was honoured", in the dialog
	resizes      safejs.Value // a ResizeObserver on the banner
	pageSpace    safejs.Value // the page's values the loader's reserveSpace saved; undefined when none
	focusBefore  safejs.Value // the page element that had focus before the banner (render.go)
}

// ensureMounted mounts the widget the first time something is shown.
func (a *app) ensureMounted() {
	if a.ui.shadow.IsUndefined() {
		a.mount()
		a.renderFrame()
	}
}

// unmount takes the widget out of the page after a failed start, its ResizeObserver
// disconnected in the same task.
func (a *app) unmount() {
	if a.ui.root.IsUndefined() {
		return
	}
	_, _ = a.ui.resizes.Call("disconnect")
	_, _ = a.ui.root.Call("remove")
	a.ui = ui{}
}

// mount inserts #consentry-root as the first child of <body> and adopts the stylesheet
// into its shadow root.
func (a *app) mount() {
	a.unmount() // what a failed earlier attempt left
	root := a.materialise(widget.El("div", []widget.Attr{{Name: "id", Value: widget.RootID}}))
	call(get(a.doc, "body"), "prepend", root)
	a.ui.root = root
	opts, err := safejs.ValueOf(map[string]any{"mode": "open"})
	check(err)
	shadow := call(root, "attachShadow", opts)
	sheet := a.stylesheet() // the loader's (takeover.go)
	set(shadow, "adoptedStyleSheets", call(get(a.win, "Array"), "of", sheet))
	a.ui.shadow = shadow
	a.wireShadow(shadow)
}

// wireShadow listens to every control of every view in shadow (render.go) and prepares the
// ResizeObserver that keeps room below the page as tall as the banner: for a shadow root
// mounted here or adopted from the first paint (takeover.go).
func (a *app) wireShadow(shadow safejs.Value) {
	a.listenForActions(shadow)
	a.ui.resizes = must(get(a.win, "ResizeObserver").New(a.callback("ResizeObserver",
		func(safejs.Value, []safejs.Value) any {
			a.reserveSpace()
			return nil
		})))
}

// reserveSpace keeps the end of the page reachable under the shown banner with the
// loader's reserveSpace (web/loader.js), or restores the page's own values once hidden.
func (a *app) reserveSpace() {
	if a.ui.bannerShown {
		a.ui.pageSpace = call(a.boot, "reserveSpace", a.ui.banner, a.ui.pageSpace)
	} else if truthy(a.ui.pageSpace) {
		call(a.boot, "releaseSpace", a.ui.pageSpace)
		a.ui.pageSpace = safejs.Undefined()
	}
}

// render shows the widget in the current language: the page's cookie declarations, and
// the layers once mounted (renderFrame).
func (a *app) render() {
	if !a.ui.shadow.IsUndefined() && !a.firstRender() { // the first paint's nodes stay (takeover.go)
		a.renderFrame()
	}
	a.renderCookieDeclarations()
}

// renderFrame resets the mounted widget to the current language; the layers are built
// again when next shown, which the session does (widget.Render).
func (a *app) renderFrame() {
	u := &a.ui
	for _, at := range a.policy.FrameAttrs(a.lang) { // lang, dir, theme, layout
		setAttr(u.root, at.Name, at.Value)
	}
	call(u.shadow, "replaceChildren")
	u.banner, u.dialog = safejs.Undefined(), safejs.Undefined()
	call(u.resizes, "disconnect")
	u.status = a.materialise(widget.StatusView())
	call(u.shadow, "append", u.status)
	u.bannerShown = false
}

// renderCookieDeclarations fills every data-consentry="cookie-table" element of the page
// (not a shadow root: the site's styles apply) with the declaration.
func (a *app) renderCookieDeclarations() {
	selector := "[" + widget.AttrHook + `="` + widget.HookCookieTable + `"]`
	for n, host := range list(call(a.doc, "querySelectorAll", selector)) {
		a.fill(host, a.policy.DeclarationView(a.lang, n))
	}
}

// announce puts msg in the role="status" region, as a new text node, so the same message
// said twice is read twice.
func (a *app) announce(msg string) {
	if a.ui.status.IsUndefined() {
		return // nothing is mounted: nothing to say it in
	}
	call(a.ui.status, "replaceChildren")
	if msg != "" {
		call(a.ui.status, "append", a.materialise(widget.StatusMessage(msg)))
	}
}

// banner returns the banner, building it on first use, first in the shadow root.
func (a *app) banner() safejs.Value {
	a.ensureMounted()
	if a.ui.banner.IsUndefined() {
		a.ui.banner = a.materialise(a.policy.BannerView(a.lang))
		call(a.ui.shadow, "prepend", a.ui.banner)
		call(a.ui.resizes, "observe", a.ui.banner)
		a.watchBannerFocus(a.ui.banner)
	}
	return a.ui.banner
}

// dialog returns the preferences dialog, building it on first use (with the GPC notice
// when gpc is set) before the status region; built reports whether it was built now.
func (a *app) dialog(gpc bool) (dialog safejs.Value, built bool) {
	a.ensureMounted()
	if !a.ui.dialog.IsUndefined() {
		return a.ui.dialog, false
	}
	a.ui.dialog = a.materialise(a.policy.PreferencesView(a.lang, a.ui.switches, gpc))
	a.ui.gpcNotice = call(a.ui.dialog, "querySelector", ".gpc")
	call(a.ui.shadow, "insertBefore", a.ui.dialog, a.ui.status)
	return a.ui.dialog, true
}

// setSwitches shows the session's switches in the dialog, or keeps them for when it is built.
func (a *app) setSwitches(sw widget.Switches) {
	a.ui.switches = sw
	if !a.ui.dialog.IsUndefined() {
		a.patchSwitches(a.ui.dialog, sw)
	}
}

// showView shows a layer; the preferences with or without the GPC notice. The banner's
// room below the page is reserved by its ResizeObserver, after layout, before paint.
func (a *app) showView(view string, gpcNotice bool) {
	if view == widget.ViewBanner {
		banner := a.banner()
		a.ui.bannerShown = true
		call(banner, "removeAttribute", "hidden")
		if truthy(get(banner, "showPopover")) {
			call(banner, "showPopover")
		}
		return
	}
	dialog, built := a.dialog(gpcNotice)
	if !built {
		call(a.ui.gpcNotice, "toggleAttribute", "hidden", !gpcNotice)
	}
	call(dialog, "removeAttribute", "hidden")
	call(dialog, "showModal") // top layer, page inert, focus inside and back on close
}

// hideView hides a layer. When the banner had focus and restoreFocus is set, focus goes
// where widget.FocusAfterBanner says (render.go).
func (a *app) hideView(view string, restoreFocus bool) {
	if view == widget.ViewBanner {
		a.ui.bannerShown = false
		hadFocus := a.bannerHasFocus()
		if truthy(get(a.ui.banner, "hidePopover")) && truthy(call(a.ui.banner, "matches", ":popover-open")) {
			call(a.ui.banner, "hidePopover")
		}
		setAttr(a.ui.banner, "hidden", "")
		if hadFocus && restoreFocus {
			a.restoreFocusAfterBanner()
		}
		a.reserveSpace()
		return
	}
	call(a.ui.dialog, "close")
	setAttr(a.ui.dialog, "hidden", "")
}
