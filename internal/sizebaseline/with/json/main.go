//go:build js && wasm

// Command json is the safejs baseline plus encoding/json (reading and writing JSON by reflection), so that `make size` shows what that
// import would add to the widget. The widget does without it.
package main

import (
	"encoding/json"

	"github.com/hack-pad/safejs"
)

func main() {
	body := must(must(safejs.Global().Get("document")).Get("body"))
	text := must(must(body.Get("textContent")).String())
	var v map[string]any
	if err := json.Unmarshal([]byte(text), &v); err != nil {
		panic(err)
	}
	out := must(json.Marshal(v))
	must(0, body.Set("textContent", string(out)))
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
