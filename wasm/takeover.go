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
// carried from another page of the tab) and the stylesheet it adopted (boot.sheet). The
// session is told that the banner is on screen (widget.Signals.FirstPaint), and the action
// enters it as an early input of its start (earlyChoice).

// stylesheet is the widget's constructed stylesheet: the loader's, which it built from the
// CSS baked into consentry.js, so the module carries no copy of its own.
func (a *app) stylesheet() safejs.Value { return call(a.boot, "sheet") }

// earlyChoice is the action taken on the built-in banner before the module was ready, as
// the session's early input: recorded first, as a click on its control would be.
func (a *app) earlyChoice() []widget.Input {
	if action := str(get(a.boot, "intent")); action != "" {
		return []widget.Input{widget.Action{Name: action}}
	}
	return nil
}

// firstPaintLang is the language of the banner consentry.js showed and left on the page,
// "" when there is none.
func (a *app) firstPaintLang() string {
	fp := get(a.boot, "firstPaint")
	if !truthy(fp) || !truthy(get(get(fp, "root"), "isConnected")) {
		return ""
	}
	return str(get(fp, "lang"))
}

// adoptFirstPaint makes the loader's root, shadow root, banner and status region the
// widget's own, as mount and renderFrame would have built them, when the session takes the
// first paint over: the same nodes stay, so focus, scroll position and layout do not
// change. One the session does not take over (another language) is removed, and the
// session shows its own banner.
func (a *app) adoptFirstPaint() {
	lang := a.firstPaintLang()
	if lang == "" {
		return
	}
	fp := get(a.boot, "firstPaint")
	if !a.session.TakesOverFirstPaint() {
		a.console("warn", "Consentry: the built-in banner was in "+lang+", the widget speaks "+a.session.Lang()+"; shown again")
		call(get(fp, "root"), "remove")
		return
	}
	a.lang = lang
	u := &a.ui
	u.root = get(fp, "root")
	u.shadow = get(u.root, "shadowRoot")
	u.banner = get(fp, "banner")
	u.status = get(fp, "status")
	u.dialog = safejs.Undefined()
	a.wireShadow(u.shadow)
	if space := get(fp, "space"); truthy(space) {
		// The room the loader reserved below the page, with the page's own values to restore.
		u.pageSpace = space
	}
	call(u.resizes, "observe", u.banner)
	a.watchBannerFocus(u.banner)
	u.bannerShown = true // hidden since, when the visitor chose: the session hides it for good
	a.keepFirstPaint = true
}

// firstRender reports whether a Render of the session finds the adopted first paint in
// its language, the first time only: its nodes are kept, not built again (a later Render,
// after setLanguage, builds the views as usual).
func (a *app) firstRender() bool {
	keep := a.keepFirstPaint && !a.ui.shadow.IsUndefined()
	a.keepFirstPaint = false
	return keep
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
