//go:build js && wasm

// Command regexp is the safejs baseline plus regexp (compiling and matching one expression), so that `make size` shows what that
// import would add to the widget. The widget does without it.
package main

import (
	"regexp"

	"github.com/hack-pad/safejs"
)

func main() {
	body := must(must(safejs.Global().Get("document")).Get("body"))
	text := must(must(body.Get("textContent")).String())
	re := regexp.MustCompile(text)
	must(0, body.Set("textContent", re.FindString(text)))
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
