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

func get(v safejs.Value, property string) safejs.Value { return must(v.Get(property)) }

func set(v safejs.Value, property string, x any) { check(v.Set(property, x)) }

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

// el creates an element with attributes given as name, value pairs, and children, which are
// elements or strings (appended as text nodes, never parsed as HTML).
func (a *app) el(tag string, attrs []string, children ...any) safejs.Value {
	e := call(a.doc, "createElement", tag)
	for i := 0; i+1 < len(attrs); i += 2 {
		setAttr(e, attrs[i], attrs[i+1])
	}
	for _, c := range children {
		switch c := c.(type) {
		case string:
			call(e, "append", c)
		case safejs.Value:
			call(e, "append", c)
		}
	}
	return e
}

// at is shorthand for an attribute list.
func at(pairs ...string) []string { return pairs }

// list returns the elements of an array-like JavaScript value (NodeList, Array).
func list(v safejs.Value) []safejs.Value {
	n, err := v.Length()
	if err != nil {
		return nil
	}
	out := make([]safejs.Value, 0, n)
	for i := 0; i < n; i++ {
		out = append(out, must(v.Index(i)))
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

// anyList converts strings for safejs.ValueOf, which takes []any, not []string.
func anyList(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
