//go:build js && wasm

// Command safejs does what the floor program does through github.com/hack-pad/safejs, so
// `make size` shows what that package adds to a build.
package main

import "github.com/hack-pad/safejs"

func main() {
	doc, err := safejs.Global().Get("document")
	if err != nil {
		panic(err)
	}
	body, err := doc.Get("body")
	if err != nil {
		panic(err)
	}
	if err := body.Set("textContent", "Consentry size floor (safejs)"); err != nil {
		panic(err)
	}
}
