//go:build js && wasm

package main

import (
	"fmt"

	"github.com/hack-pad/safejs"
)

// callback is the one place where Go functions are handed to JavaScript (event listeners,
// the JS API, observers). safejs does not recover panics inside callbacks, and a panic there
// would end the Go program for the rest of the page view; here it is recovered and reported
// through the widget's error path instead. A callback must never block: waiting on a
// channel, promise or timer inside it deadlocks the program.
func (a *app) callback(name string, fn func(this safejs.Value, args []safejs.Value) any) safejs.Func {
	f, err := safejs.FuncOf(func(this safejs.Value, args []safejs.Value) (result any) {
		defer func() {
			if r := recover(); r != nil {
				a.internalError(name, r)
				result = nil
			}
		}()
		return fn(this, args)
	})
	check(err)
	a.funcs = append(a.funcs, f)
	return f
}

// on adds an event listener.
func (a *app) on(target safejs.Value, event string, fn func(ev safejs.Value)) {
	f := a.callback(event+" listener", func(_ safejs.Value, args []safejs.Value) any {
		if len(args) > 0 {
			fn(args[0])
		}
		return nil
	})
	call(target, "addEventListener", event, f)
}

// once adds a listener for the first of several events on target, and releases it after,
// so one-shot listeners (a script's load or error) do not pile up.
func (a *app) once(target safejs.Value, events []string, fn func()) {
	var f safejs.Func
	f, err := safejs.FuncOf(func(safejs.Value, []safejs.Value) any {
		defer func() {
			if r := recover(); r != nil {
				a.internalError(events[0]+" listener", r)
			}
		}()
		for _, ev := range events {
			_, _ = target.Call("removeEventListener", ev, f)
		}
		f.Release()
		fn()
		return nil
	})
	check(err)
	for _, ev := range events {
		call(target, "addEventListener", ev, f)
	}
}

// internalError reports a recovered panic: a bug in the widget, not in the host page.
func (a *app) internalError(where string, r any) {
	msg := fmt.Sprint(r)
	a.console("error", "Consentry: internal error in "+where+": "+msg)
}

// console writes one line to the browser console; it must never fail.
func (a *app) console(level, msg string) {
	c, err := jsReflect.Call("get", a.win, "console") // a call: a throwing getter is caught
	if err == nil {
		_, _ = c.Call(level, msg)
	}
}
