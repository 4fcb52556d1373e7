//go:build js && wasm

package main

import (
	"github.com/consentry/consentry/widget"
	"github.com/hack-pad/safejs"
)

// The first paint (CONTRACT.md §9): consentry.js may have shown the banner of the built-in
// policy before this module was ready, and the visitor may have answered it already. The
// loader hands over, through the boot object, the nodes it showed (boot.firstPaint), the
// action taken on them ("" or an action name of widget/names.go: boot.intent, possibly
// carried from another page of the tab) and the stylesheet it adopted (boot.sheet).

// stylesheet is the widget's constructed stylesheet: the loader's, which it built from the
// CSS baked into consentry.js, so the module carries no copy of its own.
func (a *app) stylesheet() safejs.Value { return call(a.boot, "sheet") }

// takeOverFirstPaint adopts the banner the loader showed, if any: the same nodes in the
// same root, so focus, scroll position and layout stay as they are and consentry:show is
// not sent again. It returns what is left to do once the module is ready (nil: nothing,
// and the banner is shown as usual): record the choice made before, as if its control had
// been clicked now, or open the preferences that Customise asked for.
func (a *app) takeOverFirstPaint() (replay func()) {
	intent := str(get(a.boot, "intent"))
	if fp := get(a.boot, "firstPaint"); truthy(fp) {
		a.adoptBanner(fp)
	}
	if intent == "" {
		if a.record != nil && a.ui.bannerShown {
			return a.hideBanner // a choice came meanwhile (another tab): the banner goes
		}
		return nil
	}
	return func() {
		if a.record != nil {
			// A choice recorded meanwhile (another tab) stands; the banner goes.
			a.hideBanner()
			return
		}
		a.onEarlyAction(intent)
	}
}

// onEarlyAction carries out an action of the built-in banner as its click would have. A
// choice carried from another page, where nothing is mounted, is recorded without the
// status message, which no one would hear.
func (a *app) onEarlyAction(action string) {
	decide := a.decide
	if a.ui.status.IsUndefined() {
		decide = func(choose func()) func() { return choose }
	}
	switch action {
	case widget.ActionAcceptAll:
		decide(a.acceptAll)()
	case widget.ActionRejectAll, widget.ActionContinue:
		decide(a.rejectAll)() // Continue and Esc are refusals (§8)
	case widget.ActionCustomize:
		a.showPreferences()
	}
}

// adoptBanner makes the loader's root, shadow root, banner and status region the
// widget's own, as mount and renderFrame would have built them. A banner in another
// language than the module's (the loader and widget.NegotiateLanguage disagree, which
// their shared test vectors rule out) is removed, and the module renders its own.
func (a *app) adoptBanner(fp safejs.Value) {
	root := get(fp, "root")
	if !truthy(get(root, "isConnected")) {
		return
	}
	if str(get(fp, "lang")) != a.lang {
		a.console("warn", "Consentry: the built-in banner was in "+str(get(fp, "lang"))+", the widget speaks "+a.lang+"; shown again")
		call(root, "remove")
		return
	}
	u := &a.ui
	u.root = root
	u.shadow = get(root, "shadowRoot")
	u.banner = get(fp, "banner")
	u.status = get(fp, "status")
	u.dialog = safejs.Undefined()
	u.categories = map[string]safejs.Value{}
	u.services = map[string]map[string]safejs.Value{}
	u.resizes = must(get(a.win, "ResizeObserver").New(a.callback("ResizeObserver",
		func(safejs.Value, []safejs.Value) any {
			a.reserveSpace()
			return nil
		})))
	if space := get(fp, "space"); truthy(space) {
		// The room the loader reserved below the page, with the page's own values to restore.
		u.pageSpace = &pageSpace{
			inlinePadding:       str(get(space, "inlinePadding")),
			inlineScrollPadding: str(get(space, "inlineScrollPadding")),
			computedPadding:     str(get(space, "computedPadding")),
		}
	}
	call(u.resizes, "observe", u.banner)
	a.watchBannerFocus(u.banner)
	a.bindBannerActions(u.banner)
	u.bannerShown = true // hidden since, when the visitor chose: the replay hides it for good
}

// bindBannerActions wires the adopted banner's controls through their action names
// (widget.AttrAction), one delegated listener, and Esc through widget.AttrEscapeAction.
func (a *app) bindBannerActions(banner safejs.Value) {
	a.on(banner, "click", func(ev safejs.Value) {
		target := get(ev, "target")
		if !truthy(target) || !truthy(get(target, "closest")) {
			return
		}
		if control := call(target, "closest", "["+widget.AttrAction+"]"); truthy(control) {
			a.onEarlyAction(attr(control, widget.AttrAction))
		}
	})
	a.on(banner, "keydown", func(ev safejs.Value) {
		if str(get(ev, "key")) == "Escape" && !truthy(get(ev, "defaultPrevented")) {
			call(ev, "preventDefault")
			a.onEarlyAction(attr(banner, widget.AttrEscapeAction))
		}
	})
}

// yieldWhileShown lets the browser run its tasks (paint, input) between parts of the start
// when the built-in banner is on screen: the Go program's start would otherwise be one long
// task right after the banner appeared, during which a click on it would wait. A visitor
// without the built-in banner (a returning one) is not kept waiting. It may only be
// called from main's goroutine, never from a callback (which would deadlock).
func (a *app) yieldWhileShown() {
	if !truthy(get(a.boot, "firstPaint")) {
		return
	}
	done := make(chan struct{})
	resume, err := safejs.FuncOf(func(safejs.Value, []safejs.Value) any {
		close(done)
		return nil
	})
	if err != nil {
		return
	}
	if _, err := a.win.Call("setTimeout", resume, 0); err != nil {
		resume.Release()
		return
	}
	<-done
	resume.Release()
}
