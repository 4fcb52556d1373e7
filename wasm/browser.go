//go:build js && wasm

package main

import (
	"github.com/consentry/consentry/widget"
	"github.com/hack-pad/safejs"
)

// readCookies returns document.cookie, and false where reading it throws (a sandboxed
// frame throws a SecurityError with cookies blocked).
//
// The property is read through Reflect.get, a function call: wasm_exec.js catches a
// JavaScript exception thrown by a call and safejs returns it as an error, but an
// exception thrown by a getter during a plain property read (syscall/js valueGet) is not
// caught and would end the Go program.
func (a *app) readCookies() (string, bool) {
	v, err := jsReflect.Call("get", a.doc, "cookie")
	return str(v), err == nil
}

// writeCookie assigns one line to document.cookie, through Reflect like readCookies, so
// that a throwing setter is caught; the session hears of it (CONTRACT.md §4).
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

// requestedLanguages lists the visitor's languages in the order of CONTRACT.md §2:
// data-lang, then <html lang>, then navigator.languages.
func (a *app) requestedLanguages(dataLang string) []string {
	langs := []string{dataLang, str(get(get(a.doc, "documentElement"), "lang"))}
	nav := get(a.win, "navigator")
	if l := get(nav, "languages"); truthy(l) {
		langs = append(langs, stringList(l)...)
	} else {
		langs = append(langs, str(get(nav, "language")))
	}
	return langs
}

// globalPrivacyControl reports navigator.globalPrivacyControl === true; only the exact
// value true counts (W3C GPC §4). Extensions and pages define the property themselves, so
// it is read through Reflect.get: a getter that throws counts as no signal instead of
// ending the Go program (see readCookies).
func (a *app) globalPrivacyControl() bool {
	v, err := jsReflect.Call("get", get(a.win, "navigator"), "globalPrivacyControl")
	if err != nil || v.Type() != safejs.TypeBoolean {
		return false
	}
	b, _ := v.Bool()
	return b
}

// cryptoReader reads random bytes from crypto.getRandomValues, so the widget needs no
// crypto/rand (about 44 KB of wasm after brotli).
type cryptoReader struct {
	crypto safejs.Value
	array  safejs.Value // Uint8Array constructor
}

func (r cryptoReader) Read(p []byte) (int, error) {
	const maxRequest = 65536 // getRandomValues refuses more at once
	n := 0
	for n < len(p) {
		chunk := min(len(p)-n, maxRequest)
		buf, err := r.array.New(chunk)
		if err != nil {
			return n, err
		}
		if _, err := r.crypto.Call("getRandomValues", buf); err != nil {
			return n, err
		}
		m, err := safejs.CopyBytesToGo(p[n:n+chunk], buf)
		if err != nil {
			return n, err
		}
		n += m
	}
	return n, nil
}
