//go:build js && wasm

package main

import (
	"slices"

	"github.com/consentry/consentry/widget"
	"github.com/hack-pad/safejs"
)

// gate activates the page's gated elements (CONTRACT.md §5) that the session names
// (widget.Session.Activates), in document order, each marked when queued so nothing runs
// twice: a gated script becomes its live copy (widget.LiveScriptFor), an ordered one
// holding back those after it until loaded; a data-src becomes the src. It fails closed:
// shut until the loader opens it at the end of a successful start, and for good once the
// start failed (boot.failed).
type gate struct {
	a       *app
	queue   []queued
	waiting bool // an external script is loading and the queue waits for it
	opened  bool // set by open, once the widget has started
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

// trust converts s for a script's Trusted Types sink (REQUIREMENTS.md §6) with the
// loader's policy (create is createScript or createScriptURL), where there is one.
func (g *gate) trust(create, s string) any {
	if tt, err := g.a.boot.Get("trustedTypes"); err == nil && create != widget.TrustNone && truthy(tt) {
		return call(tt, create, s)
	}
	return s
}

// gatedSelector finds gated elements not yet handled (never the widget's own switches,
// which its shadow root hides from the document).
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

// activate runs one queued element; one the browser refuses (Trusted Types, CSP) stays
// off with a warning and stops nothing else.
func (g *gate) activate(q queued) {
	defer func() {
		if r := recover(); r != nil {
			g.a.console("warn", "Consentry: could not activate a gated element ("+panicText(r)+"); it stays off")
		}
	}()
	if q.script {
		g.runScript(q.el)
	} else {
		setAttr(q.el, "src", attr(q.el, widget.AttrSrc))
	}
}

// runScript replaces a gated script with a new element, its live copy: a script only
// runs when created with a runnable type.
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
	// The nonce attribute reads "" once hidden: the property, else consentry.js's own.
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
		// Once it is in the page; its load event comes in a later task.
		g.waiting = true
		g.a.once(s, []string{"load", "error"}, func() {
			g.waiting = false
			g.run()
		})
	}
}

// observe scans again whenever elements are added to the page (a single-page app).
func (g *gate) observe() {
	observer := must(get(g.a.win, "MutationObserver").New(g.a.callback("MutationObserver", func(_ safejs.Value, args []safejs.Value) any {
		if slices.ContainsFunc(list(args[0]), func(m safejs.Value) bool { return truthy(get(get(m, "addedNodes"), "length")) }) {
			g.scan()
		}
		return nil
	})))
	opts, err := safejs.ValueOf(map[string]any{"childList": true, "subtree": true})
	check(err)
	call(observer, "observe", get(g.a.doc, "documentElement"), opts)
}
