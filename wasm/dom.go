//go:build js && wasm

package main

import (
	"github.com/hack-pad/safejs"
)

// The helpers below are the whole seam to the browser. A JavaScript exception in one
// becomes a Go panic, which callback (below) and start (main.go) recover and report: on
// elements the widget built itself a DOM call fails only on a programming error.

// must returns v, or panics with err.
func must(v safejs.Value, err error) safejs.Value {
	check(err)
	return v
}

// check panics with err when it is not nil.
func check(err error) {
	if err != nil {
		panic(err)
	}
}

// jsReflect is the global Reflect (ES2015, older than WebAssembly). Property reads and
// writes are Reflect.get and Reflect.set calls: wasm_exec.js catches an exception thrown in
// a call, not one thrown by a getter or setter of a plain property access, which would
// break the Go program.
var jsReflect = must(safejs.Global().Get("Reflect"))

// get reads v[property].
func get(v safejs.Value, property string) safejs.Value { return call(jsReflect, "get", v, property) }

// set writes v[property].
func set(v safejs.Value, property string, x any) { call(jsReflect, "set", v, property, x) }

// call calls v[method](args...).
func call(v safejs.Value, method string, args ...any) safejs.Value {
	return must(v.Call(method, args...))
}

// str returns a JavaScript string's value, "" for anything else.
func str(v safejs.Value) string {
	s, err := v.String()
	if v.Type() != safejs.TypeString || err != nil {
		return ""
	}
	return s
}

// truthy reports JavaScript truthiness, false on error.
func truthy(v safejs.Value) bool {
	b, err := v.Truthy()
	return err == nil && b
}

// attr returns an element's attribute, "" when absent.
func attr(el safejs.Value, name string) string { return str(call(el, "getAttribute", name)) }

// setAttr sets an element's attribute.
func setAttr(el safejs.Value, name, value string) { call(el, "setAttribute", name, value) }

// hasAttr reports whether an element has the attribute.
func hasAttr(el safejs.Value, name string) bool { return truthy(call(el, "hasAttribute", name)) }

// list returns the elements of an array-like JavaScript value (NodeList, Array).
func list(v safejs.Value) []safejs.Value {
	if t := v.Type(); t != safejs.TypeObject && t != safejs.TypeFunction {
		return nil
	}
	length, err := jsReflect.Call("get", v, "length")
	n, err2 := length.Int()
	if err != nil || length.Type() != safejs.TypeNumber || err2 != nil || n < 0 {
		return nil
	}
	out := make([]safejs.Value, 0, n)
	for i := 0; i < n; i++ {
		out = append(out, call(jsReflect, "get", v, i))
	}
	return out
}

// stringList returns the string elements of an array-like JavaScript value.
func stringList(v safejs.Value) []string {
	var out []string
	for _, e := range list(v) {
		if e.Type() == safejs.TypeString {
			out = append(out, str(e))
		}
	}
	return out
}

// callback is the one place where Go functions are handed to JavaScript; syscall/js keeps
// each until it is released. A panic inside is recovered and reported (safejs would let it
// end the program). A callback must never block on a channel, promise or timer: that
// deadlocks the program.
func (a *app) callback(name string, fn func(this safejs.Value, args []safejs.Value) any) safejs.Func {
	f, err := safejs.FuncOf(func(this safejs.Value, args []safejs.Value) (result any) {
		defer func() {
			if r := recover(); r != nil {
				a.console("error", "Consentry: internal error in "+name+": "+panicText(r))
				result = nil
			}
		}()
		return fn(this, args)
	})
	check(err)
	return f
}

// oneShot is a callback that releases itself once called, for one-shot listeners and
// answers, which must not pile up.
func (a *app) oneShot(name string, fn func(args []safejs.Value)) safejs.Func {
	var f safejs.Func
	f = a.callback(name, func(_ safejs.Value, args []safejs.Value) any {
		f.Release()
		fn(args)
		return nil
	})
	return f
}

// once calls fn on the first of events on target, then removes the listener.
func (a *app) once(target safejs.Value, events []string, fn func()) {
	var f safejs.Func
	f = a.oneShot(events[0]+" listener", func([]safejs.Value) {
		for _, ev := range events {
			_, _ = target.Call("removeEventListener", ev, f)
		}
		fn()
	})
	for _, ev := range events {
		call(target, "addEventListener", ev, f)
	}
}

// console writes one line to the browser console; it never fails.
func (a *app) console(level, msg string) {
	if c, err := jsReflect.Call("get", a.win, "console"); err == nil {
		_, _ = c.Call(level, msg)
	}
}

// panicText is the text of a recovered panic value for the console. The wasm does without
// fmt (with reflect and os, over 70 KB brotli: see third_party/safejs/CONSENTRY.md), and
// what reaches a recover here is a JavaScript exception (an error), a runtime error or a
// string from the widget's own code.
func panicText(r any) string {
	switch v := r.(type) {
	case error:
		return v.Error()
	case string:
		return v
	default:
		return "unexpected panic"
	}
}
