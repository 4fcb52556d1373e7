//go:build js && wasm

// Command sha256 is the safejs baseline plus crypto/sha256 (one digest), so that `make size` shows what that
// import would add to the widget. The widget does without it.
package main

import (
	"crypto/sha256"

	"github.com/hack-pad/safejs"
)

func main() {
	body := must(must(safejs.Global().Get("document")).Get("body"))
	text := must(must(body.Get("textContent")).String())
	sum := sha256.Sum256([]byte(text))
	must(0, body.Set("textContent", string(sum[:])))
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
