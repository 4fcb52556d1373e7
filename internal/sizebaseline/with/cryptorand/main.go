//go:build js && wasm

// Command cryptorand is the safejs baseline plus crypto/rand (random bytes for an id), so that `make size` shows what that
// import would add to the widget. The widget does without it.
package main

import (
	"crypto/rand"

	"github.com/hack-pad/safejs"
)

func main() {
	body := must(must(safejs.Global().Get("document")).Get("body"))
	text := must(must(body.Get("textContent")).String())
	b := make([]byte, 16)
	must(rand.Read(b))
	must(0, body.Set("textContent", string(b)+text))
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
