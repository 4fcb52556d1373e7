//go:build js && wasm

package main

import (
	"fmt"
	"strings"

	"github.com/consentry/consentry/widget"
	"github.com/hack-pad/safejs"
)

// gate activates the host page's gated elements (CONTRACT.md §5) once the widget's decision
// allows them: a <script type="text/plain" data-category> becomes a real script, an
// element's data-src becomes its src. Elements run in document order, and a classic external
// script without async holds back the ones after it until it has loaded, as the HTML parser
// would. Each element is marked when queued, so nothing runs twice.
//
// The gate fails closed: it stays shut until the loader opens it at the very end of a
// successful start (open), and shuts for good when the start failed (the loader's
// boot.failed), so a failure anywhere on the way activates nothing, not even elements that
// the MutationObserver finds later.
type gate struct {
	a       *app
	queue   []safejs.Value
	waiting bool          // an external script is loading and the queue waits for it
	opened  bool          // set by open, once the widget has started
	trusted *safejs.Value // the loader's Trusted Types policy; null where there is none
}

// open lets the gate activate elements, and activates those the current choice allows.
func (g *gate) open() {
	g.opened = true
	g.scan()
}

// shut reports whether the gate must not activate anything (yet).
func (g *gate) shut() bool {
	return !g.opened || truthy(get(g.a.boot, "failed"))
}

// trustedTypes returns the loader's Trusted Types policy "consentry", or null.
func (g *gate) trustedTypes() safejs.Value {
	if g.trusted == nil {
		v, err := g.a.boot.Get("trustedTypes")
		if err != nil {
			v = safejs.Null()
		}
		g.trusted = &v
	}
	return *g.trusted
}

// trust converts a string for a Trusted Types sink of a script (REQUIREMENTS.md §6):
// through the policy's create method (createScript or createScriptURL) where the page has
// the policy, as is where it has not (the browser then applies the page's own rules).
func (g *gate) trust(create, s string) any {
	if tt := g.trustedTypes(); truthy(tt) {
		return call(tt, create, s)
	}
	return s
}

// gatedSelector finds gated elements not yet handled. Elements inside the widget's shadow
// root are out of the document's reach, so its own switches are never matched.
const gatedSelector = "[" + widget.AttrCategory + "]:not([" + widget.AttrActivated + "])"

// scan queues every gated element the current choice allows, in document order, and runs
// the queue.
func (g *gate) scan() {
	if g.shut() {
		return
	}
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
	for !g.shut() && !g.waiting && len(g.queue) > 0 {
		el := g.queue[0]
		g.queue = g.queue[1:]
		g.activate(el)
	}
}

// activate runs one queued element. An element the browser refuses (a Trusted Types or
// CSP rule of the page, a hostile attribute) stays inactive with a console warning: it
// must neither stop the elements after it nor the rest of the visitor's choice.
func (g *gate) activate(el safejs.Value) {
	defer func() {
		if r := recover(); r != nil {
			g.a.console("warn", fmt.Sprintf("Consentry: could not activate a gated element (%v); it stays off", r))
		}
	}()
	if strings.EqualFold(str(get(el, "tagName")), "script") {
		g.runScript(el)
	} else {
		setAttr(el, "src", attr(el, widget.AttrSrc))
	}
}

// runScript replaces a gated script with a live copy. A script element only runs when it is
// created with a runnable type, so changing the old element's type would not do.
func (g *gate) runScript(old safejs.Value) {
	s := call(g.a.doc, "createElement", "script")
	for _, at := range list(get(old, "attributes")) {
		name := str(get(at, "name"))
		value := str(get(at, "value"))
		switch {
		case name == "type" || name == "nonce" || name == widget.AttrType:
			continue
		case name == "src":
			// A Trusted Types sink: a TrustedScriptURL where the page requires them.
			call(s, "setAttribute", name, g.trust("createScriptURL", value))
		case strings.HasPrefix(name, "on"):
			// An event handler attribute (onload, onerror) is script text.
			call(s, "setAttribute", name, g.trust("createScript", value))
		default:
			setAttr(s, name, value)
		}
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
		set(s, "text", g.trust("createScript", str(get(old, "text"))))
	}
	ordered := external && !hasAttr(old, "async")
	if ordered {
		// Scripts created by script are async by default; this one keeps its place.
		set(s, "async", false)
	}
	if parent := get(old, "parentNode"); truthy(parent) {
		call(old, "replaceWith", s)
	} else {
		call(get(g.a.doc, "head"), "append", s)
	}
	if ordered {
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
