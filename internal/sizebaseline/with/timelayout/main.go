//go:build js && wasm

// Command timelayout is the safejs baseline plus time.Parse and Time.Format with an RFC 3339 layout, so that `make size` shows what that
// import would add to the widget. The widget does without it.
package main

import (
	"time"

	"github.com/hack-pad/safejs"
)

func main() {
	body := must(must(safejs.Global().Get("document")).Get("body"))
	text := must(must(body.Get("textContent")).String())
	t := must(time.Parse(time.RFC3339, text))
	must(0, body.Set("textContent", t.Format(time.RFC3339)))
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
