//go:build js && wasm

package main

import (
	"github.com/consentry/consentry/widget"
	"github.com/hack-pad/safejs"
)

// api returns the implementation behind window.Consentry (CONTRACT.md §6), which the
// loader's stub forwards to after checking the arguments' types: each method turns its
// arguments into a session input or query. Nothing throws: wrong arguments get the
// session's warning and a fail-closed answer. _open is the loader's: it opens the gate.
func (a *app) api() safejs.Value {
	impl := must(get(a.win, "Object").New())
	method := func(name string, fn func(args []safejs.Value) any) {
		// safejs.ValueOf does not unwrap safejs.Func inside a map: set each property instead.
		set(impl, name, a.callback("Consentry."+name, func(_ safejs.Value, args []safejs.Value) any { return fn(args) }))
	}
	for _, name := range widget.APICalls {
		method(name, func(args []safejs.Value) any {
			a.input(widget.Call{Method: name, Args: a.decodeArgs(args)})
			return nil
		})
	}
	method("_open", func([]safejs.Value) any { a.gate.open(); return nil })
	// The action of a view's control or a layer's escape action, from the view host's one
	// listener, with the control's data-category and data-service (view.go).
	method("_action", func(args []safejs.Value) any {
		a.input(widget.Action{Name: stringArg(args, 0), Category: stringArg(args, 1), Service: stringArg(args, 2)})
		return nil
	})
	// The page visible again: another tab may have changed the cookie.
	method("_visible", func([]safejs.Value) any { a.input(widget.TabVisible{}); return nil })
	method("acceptedCategory", func(args []safejs.Value) any {
		return a.answer(a.session.AcceptedCategory(stringArg(args, 0)))
	})
	method("acceptedService", func(args []safejs.Value) any {
		return a.answer(a.session.AcceptedService(stringArg(args, 0), stringArg(args, 1)))
	})
	method("validConsent", func([]safejs.Value) any { return a.session.ValidConsent() })
	method("getUserPreferences", func([]safejs.Value) any { return a.session.UserPreferences() })
	return impl
}

// answer returns a query's answer after giving its warning, if any.
func (a *app) answer(accepted bool, warning string) bool {
	if warning != "" {
		a.console("warn", warning)
	}
	return accepted
}

// stringArg returns args[i] when it is a string, else "".
func stringArg(args []safejs.Value, i int) string {
	if i >= len(args) {
		return ""
	}
	return str(args[i])
}

// decodeArgs converts arguments for widget.Call: a string is a string, an array an []any
// of its elements converted the same way, anything else nil.
func (a *app) decodeArgs(args []safejs.Value) []any {
	out := make([]any, len(args))
	for i, v := range args {
		if v.Type() == safejs.TypeString {
			out[i] = str(v)
		} else if v.Type() == safejs.TypeObject && truthy(call(get(a.win, "Array"), "isArray", v)) {
			out[i] = a.decodeArgs(list(v))
		}
	}
	return out
}
