//go:build js && wasm

package main

import (
	"github.com/consentry/consentry/widget"
	"github.com/hack-pad/safejs"
)

// This file reads the page's signals and storage for the session. Values the page or an
// extension may define are read through Reflect.get, a call: a getter that throws (a
// sandboxed frame's SecurityError) is then an error, not the end of the Go program.

// readCookies returns document.cookie, and false where reading it throws.
func (a *app) readCookies() (string, bool) {
	v, err := jsReflect.Call("get", a.doc, "cookie")
	return str(v), err == nil
}

// writeCookie assigns one line to document.cookie; the session hears of a throwing setter
// (CONTRACT.md §4).
func (a *app) writeCookie(line string) {
	if _, err := jsReflect.Call("set", a.doc, "cookie", line); err != nil {
		a.input(widget.CookieWriteFailed{})
	}
}

// location describes the page for cookie attributes.
func (a *app) location() widget.Location {
	loc := get(a.win, "location")
	return widget.Location{
		Host:   str(get(loc, "hostname")),
		Secure: str(get(loc, "protocol")) == "https:",
		Path:   str(get(loc, "pathname")),
	}
}

// storage returns window[area], or false where the browser blocks it.
func storage(area string) (safejs.Value, bool) {
	store, err := jsReflect.Call("get", safejs.Global(), area)
	return store, err == nil && truthy(store)
}

// removeStorage removes keys from localStorage and sessionStorage.
func removeStorage(keys []string) {
	for _, area := range []string{"localStorage", "sessionStorage"} {
		if store, ok := storage(area); ok {
			for _, key := range keys {
				_, _ = store.Call("removeItem", key)
			}
		}
	}
}

// storageKeys lists the keys of a storage (the areas a policy may declare, §3).
func storageKeys(area string) []string {
	if store, ok := storage(area); ok {
		if keys, err := jsReflect.Call("ownKeys", store); err == nil {
			return stringList(keys)
		}
	}
	return nil
}

// cryptoReader reads random bytes from crypto.getRandomValues, so the widget needs no
// crypto/rand (about 44 KB of wasm after brotli).
type cryptoReader struct {
	crypto safejs.Value
	array  safejs.Value // Uint8Array constructor
}

// Read fills p, at most 65536 bytes at a time (getRandomValues refuses more).
func (r cryptoReader) Read(p []byte) (int, error) {
	buf, err := r.array.New(min(len(p), 65536))
	if err == nil {
		_, err = r.crypto.Call("getRandomValues", buf)
	}
	if err != nil {
		return 0, err
	}
	return safejs.CopyBytesToGo(p, buf)
}
