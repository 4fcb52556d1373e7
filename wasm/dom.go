//go:build js && wasm

package main

import (
	"github.com/hack-pad/safejs"
)

// The helpers below are the whole seam to the browser's DOM. A JavaScript exception inside
// one of them becomes a Go panic, which the callback choke point (callbacks.go) and start-up
// (main.go) recover and report: DOM calls on elements the widget built itself fail only on a
// programming error, and threading an error through every line of rendering would hide the
// logic without handling anything better.

// must returns v, or panics with err.
func must(v safejs.Value, err error) safejs.Value {
	if err != nil {
		panic(err)
	}
	return v
}

// check panics with err when it is not nil.
func check(err error) {
	if err != nil {
		panic(err)
	}
}

// jsReflect is the global Reflect. Property reads and writes go through Reflect.get and
// Reflect.set as calls: Go's wasm_exec.js catches a JavaScript exception thrown in a call
// (it becomes an error, then a recoverable panic), but not in a plain property read or
// write, where an exception (a throwing getter of the host page, a setter refused by
// Trusted Types) unwinds through the Go program and leaves it broken for the rest of the
// page view.
var jsReflect = safejs.Global()

func init() {
	if r, err := jsReflect.Get("Reflect"); err == nil {
		jsReflect = r
	}
}

func get(v safejs.Value, property string) safejs.Value { return call(jsReflect, "get", v, property) }

func set(v safejs.Value, property string, x any) { call(jsReflect, "set", v, property, x) }

func call(v safejs.Value, method string, args ...any) safejs.Value {
	return must(v.Call(method, args...))
}

// str returns a JavaScript string's value, and "" for anything else (null, undefined, a
// number): the widget reads attributes and host-provided values that may be missing.
func str(v safejs.Value) string {
	if v.Type() != safejs.TypeString {
		return ""
	}
	s, err := v.String()
	if err != nil {
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

func setAttr(el safejs.Value, name, value string) { call(el, "setAttribute", name, value) }

func hasAttr(el safejs.Value, name string) bool { return truthy(call(el, "hasAttribute", name)) }

// list returns the elements of an array-like JavaScript value (NodeList, Array).
func list(v safejs.Value) []safejs.Value {
	if t := v.Type(); t != safejs.TypeObject && t != safejs.TypeFunction {
		return nil
	}
	length, err := jsReflect.Call("get", v, "length")
	if err != nil || length.Type() != safejs.TypeNumber {
		return nil
	}
	n, err := length.Int()
	if err != nil || n < 0 {
		return nil
	}
	out := make([]safejs.Value, 0, n)
	for i := 0; i < n; i++ {
		out = append(out, call(jsReflect, "get", v, i))
	}
	return out
}

// strings returns the string elements of an array-like JavaScript value.
func stringList(v safejs.Value) []string {
	var out []string
	for _, e := range list(v) {
		if e.Type() == safejs.TypeString {
			out = append(out, str(e))
		}
	}
	return out
}
