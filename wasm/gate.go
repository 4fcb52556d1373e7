//go:build js && wasm

package main

import (
	"fmt"

	"github.com/consentry/consentry/widget"
	"github.com/hack-pad/safejs"
)

// gate activates the host page's gated elements (CONTRACT.md §5) that the session names
// (widget.Session.Activates): a <script type="text/plain" data-category> becomes a live
// copy (widget.LiveScriptFor), an element's data-src becomes its src. Elements run in
// document order, and a script the copy says is ordered holds back the ones after it
// until it has loaded. Each element is marked when queued, so nothing runs twice.
//
// The gate fails closed: it stays shut until the loader opens it at the very end of a
// successful start (open), and shuts for good when the start failed (the loader's
// boot.failed), so a failure anywhere on the way activates nothing, not even elements that
// the MutationObserver finds later.
type gate struct {
	a       *app
	queue   []queued
	waiting bool          // an external script is loading and the queue waits for it
	opened  bool          // set by open, once the widget has started
	trusted *safejs.Value // the loader's Trusted Types policy; null where there is none
}

// queued is an element waiting to be activated.
type queued struct {
	el     safejs.Value
	script bool // a script, replaced by its live copy; else its data-src becomes its src
}

// open lets the gate activate elements, and activates those the session allows.
func (g *gate) open() {
	g.opened = true
	g.scan()
}

// shut reports whether the gate must not activate anything (yet).
func (g *gate) shut() bool {
	return !g.opened || truthy(get(g.a.boot, "failed"))
}

// trust converts a string for a Trusted Types sink of a script (REQUIREMENTS.md §6) with
// the loader's policy "consentry" (create is createScript or createScriptURL) where the
// page has it, as is where it has not (the browser then applies the page's own rules).
func (g *gate) trust(create, s string) any {
	if g.trusted == nil {
		v, err := g.a.boot.Get("trustedTypes")
		if err != nil {
			v = safejs.Null()
		}
		g.trusted = &v
	}
	if create != widget.TrustNone && truthy(*g.trusted) {
		return call(*g.trusted, create, s)
	}
	return s
}

// gatedSelector finds gated elements not yet handled. Elements inside the widget's shadow
// root are out of the document's reach, so its own switches are never matched.
const gatedSelector = "[" + widget.AttrCategory + "]:not([" + widget.AttrActivated + "])"

// scan queues every gated element the session names, in document order, and runs the queue.
func (g *gate) scan() {
	if g.shut() {
		return
	}
	for _, el := range list(call(g.a.doc, "querySelectorAll", gatedSelector)) {
		ge := widget.GatedElement{
			Tag: str(get(el, "tagName")), Type: attr(el, "type"), HasSrc: hasAttr(el, widget.AttrSrc),
			Category: attr(el, widget.AttrCategory), Service: attr(el, widget.AttrService),
		}
		if g.a.session.Activates(ge) {
			setAttr(el, widget.AttrActivated, "")
			g.queue = append(g.queue, queued{el, ge.IsScript()})
		}
	}
	g.run()
}

// run activates queued elements until the queue is empty or a script must be waited for.
func (g *gate) run() {
	for !g.shut() && !g.waiting && len(g.queue) > 0 {
		q := g.queue[0]
		g.queue = g.queue[1:]
		g.activate(q)
	}
}

// activate runs one queued element. An element the browser refuses (a Trusted Types or
// CSP rule of the page, a hostile attribute) stays inactive with a console warning: it
// must neither stop the elements after it nor the rest of the visitor's choice.
func (g *gate) activate(q queued) {
	defer func() {
		if r := recover(); r != nil {
			g.a.console("warn", fmt.Sprintf("Consentry: could not activate a gated element (%v); it stays off", r))
		}
	}()
	if q.script {
		g.runScript(q.el)
	} else {
		setAttr(q.el, "src", attr(q.el, widget.AttrSrc))
	}
}

// runScript replaces a gated script with its live copy. A script element only runs when
// it is created with a runnable type, so changing the old element's type would not do.
func (g *gate) runScript(old safejs.Value) {
	var attrs []widget.Attr
	for _, at := range list(get(old, "attributes")) {
		attrs = append(attrs, widget.Attr{Name: str(get(at, "name")), Value: str(get(at, "value"))})
	}
	live := widget.LiveScriptFor(attrs)
	s := call(g.a.doc, "createElement", "script")
	for _, at := range live.Attrs {
		call(s, "setAttribute", at.Name, g.trust(at.Trust, at.Value))
	}
	// The nonce attribute reads as "" once the browser has hidden it: take the property,
	// else the nonce of consentry.js itself.
	nonce := str(get(old, "nonce"))
	if nonce == "" {
		nonce = g.a.nonce
	}
	if nonce != "" {
		set(s, "nonce", nonce)
	}
	if !live.External {
		set(s, "text", g.trust(widget.TrustScript, str(get(old, "text"))))
	}
	if live.Ordered {
		set(s, "async", false) // scripts created by script are async by default; this one keeps its place
	}
	if parent := get(old, "parentNode"); truthy(parent) {
		call(old, "replaceWith", s)
	} else {
		call(get(g.a.doc, "head"), "append", s)
	}
	if live.Ordered {
		// Only once it is in the page: a script that failed to go in is never waited for.
		// Its load event comes in a later task, so the listener is in time.
		g.waiting = true
		g.a.once(s, []string{"load", "error"}, func() {
			g.waiting = false
			g.run()
		})
	}
}

// observe scans again whenever elements are added to the page (a single-page app, a
// late-loaded fragment), so gated elements added later are handled the same way.
func (g *gate) observe() {
	cb := g.a.callback("MutationObserver", func(_ safejs.Value, args []safejs.Value) any {
		if len(args) == 0 {
			return nil
		}
		for _, m := range list(args[0]) {
			if n, err := get(get(m, "addedNodes"), "length").Int(); err == nil && n > 0 {
				g.scan()
				break
			}
		}
		return nil
	})
	observer := must(get(g.a.win, "MutationObserver").New(cb))
	opts, err := safejs.ValueOf(map[string]any{"childList": true, "subtree": true})
	check(err)
	call(observer, "observe", get(g.a.doc, "documentElement"), opts)
}
