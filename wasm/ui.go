//go:build js && wasm

package main

import (
	"math"
	"strconv"

	"github.com/consentry/consentry/widget"
	"github.com/hack-pad/safejs"
)

// ui holds the rendered widget: a non-modal banner (the first layer) and a modal
// preferences dialog (the second layer), inside an open shadow root (CONTRACT.md §8).
type ui struct {
	root, shadow safejs.Value
	// The banner and the dialog are built on first use: a returning visitor needs neither,
	// and a first visit needs only the banner for its first paint.
	banner      safejs.Value
	dialog      safejs.Value
	status      safejs.Value
	switches    widget.Switches // what the dialog's switches show (the session's, SetSwitches)
	bannerShown bool
	dialogShown bool
	gpcNotice   safejs.Value // "your GPC signal was honoured", in the dialog
	resizes     safejs.Value // a ResizeObserver on the banner
	pageSpace   *pageSpace   // set while the banner reserves room below the page
	focusBefore safejs.Value // the page element that had focus before the banner (focus.go)
}

// pageSpace is what reserveSpace changed on the host page's <html>, to restore it exactly:
// its own inline padding-bottom and scroll-padding-bottom, and its computed padding-bottom.
type pageSpace struct {
	inlinePadding, inlineScrollPadding, computedPadding string
}

// ensureMounted mounts the widget the first time something is shown: a returning visitor
// who opens nothing never pays for the shadow root and its stylesheet.
func (a *app) ensureMounted() {
	if a.ui.shadow.IsUndefined() {
		a.mount()
		a.renderFrame()
	}
}

// unmount takes the widget out of the page after a failed start: a banner whose buttons
// could no longer take effect must not stay on screen. The ResizeObserver is disconnected
// in the same task, before it could reserve room below the page.
func (a *app) unmount() {
	if a.ui.root.IsUndefined() {
		return
	}
	_, _ = a.ui.resizes.Call("disconnect")
	_, _ = a.ui.root.Call("remove")
	a.ui = ui{}
}

// mount inserts #consentry-root as the first child of <body>, first in the keyboard and
// screen-reader order, and adopts the stylesheet into its shadow root.
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
	a.listenForActions(shadow) // every control of every view (render.go)
	a.ui.resizes = must(get(a.win, "ResizeObserver").New(a.callback("ResizeObserver",
		func(safejs.Value, []safejs.Value) any {
			a.reserveSpace()
			return nil
		})))
}

// reserveSpace keeps the end of the page reachable while the banner is shown: the banner
// overlays the page (it never pushes content, so nothing shifts), and <html> gets extra
// padding below everything, as tall as the banner, so the page can scroll past it. The
// matching scroll-padding keeps focused elements out from under the banner when the
// browser scrolls them into view (WCAG 2.2 SC 2.4.11, Focus Not Obscured). Both are set
// through the CSSOM, which a strict style-src allows.
func (a *app) reserveSpace() {
	style := get(get(a.doc, "documentElement"), "style")
	if !a.ui.bannerShown {
		if saved := a.ui.pageSpace; saved != nil {
			call(style, "setProperty", "padding-bottom", saved.inlinePadding)
			call(style, "setProperty", "scroll-padding-bottom", saved.inlineScrollPadding)
			a.ui.pageSpace = nil
		}
		return
	}
	if a.ui.pageSpace == nil {
		computed := call(a.win, "getComputedStyle", get(a.doc, "documentElement"))
		a.ui.pageSpace = &pageSpace{
			inlinePadding:       str(call(style, "getPropertyValue", "padding-bottom")),
			inlineScrollPadding: str(call(style, "getPropertyValue", "scroll-padding-bottom")),
			computedPadding:     str(call(computed, "getPropertyValue", "padding-bottom")),
		}
	}
	// The room the banner takes at the bottom of the window: its height, plus the gap
	// below it in the "box" layout.
	rect := call(a.ui.banner, "getBoundingClientRect")
	height, err := get(rect, "height").Float()
	check(err)
	bottom, err := get(rect, "bottom").Float()
	check(err)
	viewport, err := get(get(a.doc, "documentElement"), "clientHeight").Float()
	check(err)
	space := height + max(0, viewport-bottom)
	px := strconv.FormatFloat(math.Ceil(space), 'f', 0, 64) + "px"
	base := a.ui.pageSpace.computedPadding
	if base == "" {
		base = "0px"
	}
	call(style, "setProperty", "padding-bottom", "calc("+base+" + "+px+")")
	call(style, "setProperty", "scroll-padding-bottom", px)
}

// render shows the widget in the current language: the cookie declarations of the page at
// once, and, once the widget is mounted, its layers (see renderFrame).
func (a *app) render() {
	if !a.ui.shadow.IsUndefined() && !a.firstRender() { // the first paint's nodes stay (takeover.go)
		a.renderFrame()
	}
	a.renderCookieDeclarations()
}

// renderFrame resets the mounted widget to the current language: the layers are built
// again when they are next shown.
func (a *app) renderFrame() {
	u := &a.ui
	// The root carries the language of the texts (WCAG 2.2 SC 3.1.2), its direction, and
	// the policy's theme and layout, which the stylesheet draws from.
	for _, at := range a.policy.FrameAttrs(a.lang) {
		setAttr(u.root, at.Name, at.Value)
	}
	call(u.shadow, "replaceChildren")
	u.banner, u.dialog = safejs.Undefined(), safejs.Undefined()
	call(u.resizes, "disconnect")
	u.status = a.materialise(widget.StatusView())
	call(u.shadow, "append", u.status)
	// Every layer is hidden now; the session shows again what was shown (widget.Render).
	u.bannerShown, u.dialogShown = false, false
}

// renderCookieDeclarations fills every data-consentry="cookie-table" element of the host page
// with the full declaration, so a site's cookie-policy page stays in step with policy.json.
// It renders into the page itself (not a shadow root), so the site's own styles apply;
// each table is named by the heading of its category.
func (a *app) renderCookieDeclarations() {
	selector := "[" + widget.AttrHook + `="` + widget.HookCookieTable + `"]`
	for n, host := range list(call(a.doc, "querySelectorAll", selector)) {
		a.fill(host, a.policy.DeclarationView(a.lang, n))
	}
}

// announce puts a short message in the role="status" region, which screen readers read
// out without focus moving. The text node is replaced, so the same message said twice is
// a change too.
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

// dialog returns the preferences dialog, building it on first use, between the banner and
// the status region, with the switches of a.ui.switches and the GPC notice when gpc is
// set; a dialog built before is returned as it is. Building the dialog, its switches and
// its cookie tables up front made the banner appear later for every visitor, most of whom
// never open it.
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

// trapFocus keeps Tab and Shift+Tab inside the open dialog, wrapping at either end (WAI-ARIA
// APG, dialog (modal) pattern). The native modal dialog makes the page inert but lets Tab
// leave for the browser's own controls; this keeps it on the dialog's. When focus is on
// no control (the dialog itself, after a click on its text), Tab goes to the first and
// Shift+Tab to the last.
func (a *app) trapFocus(ev safejs.Value) {
	if str(get(ev, "key")) != "Tab" {
		return
	}
	var focusable []safejs.Value
	for _, e := range list(call(a.ui.dialog, "querySelectorAll", "button, input, summary, a[href]")) {
		if !truthy(get(e, "disabled")) && len(list(call(e, "getClientRects"))) > 0 {
			focusable = append(focusable, e) // rendered: not inside a closed <details> or [hidden]
		}
	}
	if len(focusable) == 0 {
		return
	}
	first, last := focusable[0], focusable[len(focusable)-1]
	active := get(a.ui.shadow, "activeElement")
	inside := false
	for _, e := range focusable {
		inside = inside || active.Equal(e)
	}
	shift := truthy(get(ev, "shiftKey"))
	switch {
	case shift && (active.Equal(first) || !inside):
		call(ev, "preventDefault")
		call(last, "focus")
	case !shift && (active.Equal(last) || !inside):
		call(ev, "preventDefault")
		call(first, "focus")
	}
}

// showView shows a layer; for the preferences, with or without the notice about Global
// Privacy Control.
func (a *app) showView(view string, gpcNotice bool) {
	if view == widget.ViewBanner {
		banner := a.banner()
		a.ui.bannerShown = true
		call(banner, "removeAttribute", "hidden")
		if truthy(get(banner, "showPopover")) {
			call(banner, "showPopover")
		}
		// The room below the page is reserved by the ResizeObserver on the banner, which the
		// browser calls after its layout and before it paints: measuring the banner here
		// would force a layout of the whole page in the middle of the start, and a second one.
		return
	}
	dialog, built := a.dialog(gpcNotice)
	if !built {
		if gpcNotice {
			call(a.ui.gpcNotice, "removeAttribute", "hidden")
		} else {
			setAttr(a.ui.gpcNotice, "hidden", "")
		}
	}
	call(dialog, "removeAttribute", "hidden")
	// showModal puts the dialog in the top layer, makes the page behind it inert, moves
	// focus inside, and remembers where focus was, to return it on close.
	call(dialog, "showModal")
	a.ui.dialogShown = true
}

// hideView hides a layer. When the banner had focus and restoreFocus is set, focus goes
// where widget.FocusAfterBanner says (focus.go), not to nowhere.
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
	a.ui.dialogShown = false
	call(a.ui.dialog, "close")
	setAttr(a.ui.dialog, "hidden", "")
}
