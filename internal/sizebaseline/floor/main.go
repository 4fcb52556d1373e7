//go:build js && wasm

// Command floor is the smallest useful syscall/js program: it writes one text into the
// page, as the widget does, and exits. `make size` measures the widget against it, so the
// table shows what the widget costs beyond the Go runtime.
package main

import "syscall/js"

func main() {
	js.Global().Get("document").Get("body").Set("textContent", "Consentry size floor")
}
