//go:build js && wasm

package main

import (
	"strings"

	"github.com/consentry/consentry/widget"
	"github.com/hack-pad/safejs"
)

// gate activates the host page's gated elements (CONTRACT.md §5) once the widget's decision
// allows them: a <script type="text/plain" data-category> becomes a real script, an
// element's data-src becomes its src. Elements run in document order, and a classic external
// script without async holds back the ones after it until it has loaded, as the HTML parser
// would. Each element is marked when queued, so nothing runs twice.
type gate struct {
	a       *app
	queue   []safejs.Value
	waiting bool // an external script is loading and the queue waits for it
}

// gatedSelector finds gated elements not yet handled. Elements inside the widget's shadow
// root are out of the document's reach, so its own switches are never matched.
const gatedSelector = "[" + widget.AttrCategory + "]:not([" + widget.AttrActivated + "])"

// scan queues every gated element the current choice allows, in document order, and runs
// the queue.
func (g *gate) scan() {
	for _, el := range list(call(g.a.doc, "querySelectorAll", gatedSelector)) {
		isScript := strings.EqualFold(str(get(el, "tagName")), "script")
		if isScript && !strings.EqualFold(attr(el, "type"), widget.GatedScriptType) {
			continue // already a live script that merely carries a category
		}
		if !isScript && !hasAttr(el, widget.AttrSrc) {
			continue
		}
		if !g.a.policy.Allows(g.a.record, attr(el, widget.AttrCategory), attr(el, widget.AttrService)) {
			continue
		}
		setAttr(el, widget.AttrActivated, "")
		g.queue = append(g.queue, el)
	}
	g.run()
}

// run activates queued elements until the queue is empty or a script must be waited for.
func (g *gate) run() {
	for !g.waiting && len(g.queue) > 0 {
		el := g.queue[0]
		g.queue = g.queue[1:]
		if strings.EqualFold(str(get(el, "tagName")), "script") {
			g.runScript(el)
		} else {
			setAttr(el, "src", attr(el, widget.AttrSrc))
		}
	}
}

// runScript replaces a gated script with a live copy. A script element only runs when it is
// created with a runnable type, so changing the old element's type would not do.
func (g *gate) runScript(old safejs.Value) {
	s := call(g.a.doc, "createElement", "script")
	for _, at := range list(get(old, "attributes")) {
		name := str(get(at, "name"))
		switch name {
		case "type", "nonce", widget.AttrType:
			continue
		}
		setAttr(s, name, str(get(at, "value")))
	}
	if t := attr(old, widget.AttrType); t != "" {
		setAttr(s, "type", t)
	}
	// The nonce attribute reads as "" once the browser has hidden it: take the property,
	// else the nonce of consentry.js itself.
	if nonce := str(get(old, "nonce")); nonce != "" {
		set(s, "nonce", nonce)
	} else if g.a.nonce != "" {
		set(s, "nonce", g.a.nonce)
	}
	external := hasAttr(old, "src")
	if !external {
		set(s, "text", str(get(old, "text")))
	}
	if external && !hasAttr(old, "async") {
		// Scripts created by script are async by default; this one keeps its place.
		set(s, "async", false)
		g.waiting = true
		g.a.once(s, []string{"load", "error"}, func() {
			g.waiting = false
			g.run()
		})
	}
	if parent := get(old, "parentNode"); truthy(parent) {
		call(old, "replaceWith", s)
	} else {
		call(get(g.a.doc, "head"), "append", s)
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
			if n, err := get(m, "addedNodes").Length(); err == nil && n > 0 {
				g.scan()
				break
			}
		}
		return nil
	})
	observer := must(must(g.a.win.Get("MutationObserver")).New(cb))
	opts, err := safejs.ValueOf(map[string]any{"childList": true, "subtree": true})
	check(err)
	call(observer, "observe", get(g.a.doc, "documentElement"), opts)
}
