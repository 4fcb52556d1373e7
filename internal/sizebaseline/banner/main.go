//go:build js && wasm

// Command banner is the floor of `make bench`: the least a Go WebAssembly program built
// with github.com/hack-pad/safejs must do to show a cookie banner comparable to Consentry's,
// a fixed-position bottom bar with a paragraph and the buttons "Accept all" and
// "Reject all". A click stores the answer in the cookie bench_floor and removes the bar.
//
// For the returning-visitor scenario it does what any consent widget must do before a gated
// script may run: it reads the stored answer, and when it is "accepted" it records the
// moment the gated script would start (window.__benchGatedAt = performance.now()) instead
// of showing the banner. It has no policy, no texts to choose, no gating markup to scan:
// it is a lower bound, not a widget.
package main

import (
	"strings"

	"github.com/hack-pad/safejs"
)

// cookieName holds the floor's answer, "accepted" or "rejected".
const cookieName = "bench_floor"

func main() {
	if err := run(); err != nil {
		panic(err)
	}
	select {} // keep the click handlers alive
}

func run() error {
	win := safejs.Global()
	doc, err := win.Get("document")
	if err != nil {
		return err
	}
	cookies, err := doc.Get("cookie")
	if err != nil {
		return err
	}
	s, err := cookies.String()
	if err != nil {
		return err
	}
	for c := range strings.SplitSeq(s, ";") {
		if strings.TrimSpace(c) == cookieName+"=accepted" {
			return gatedRan()
		}
		if strings.TrimSpace(c) == cookieName+"=rejected" {
			return nil
		}
	}
	return render(doc)
}

// call calls a method for its effect.
func call(v safejs.Value, method string, args ...any) error {
	_, err := v.Call(method, args...)
	return err
}

// el creates an element with an inline style and a text.
func el(doc safejs.Value, tag, style, text string) (safejs.Value, error) {
	e, err := doc.Call("createElement", tag)
	if err != nil {
		return e, err
	}
	if style != "" {
		if err := call(e, "setAttribute", "style", style); err != nil {
			return e, err
		}
	}
	if text != "" {
		if err := e.Set("textContent", text); err != nil {
			return e, err
		}
	}
	return e, nil
}

// gatedRan stands for the gated statistics script: it records when it would run.
func gatedRan() error {
	win := safejs.Global()
	perf, err := win.Get("performance")
	if err != nil {
		return err
	}
	now, err := perf.Call("now")
	if err != nil {
		return err
	}
	return win.Set("__benchGatedAt", now)
}

func render(doc safejs.Value) error {
	banner, err := el(doc, "div", "position:fixed;left:0;right:0;bottom:0;z-index:2147483647;"+
		"background:#fff;color:#1a1a1a;border-top:1px solid #ccc;box-shadow:0 -2px 8px rgba(0,0,0,.15);"+
		"padding:16px 24px;font:16px/1.5 system-ui,sans-serif;display:flex;flex-wrap:wrap;"+
		"align-items:center;gap:12px", "")
	if err != nil {
		return err
	}
	if err := call(banner, "setAttribute", "id", "bench-floor-banner"); err != nil {
		return err
	}
	if err := call(banner, "setAttribute", "role", "region"); err != nil {
		return err
	}
	if err := call(banner, "setAttribute", "aria-label", "Cookies"); err != nil {
		return err
	}
	p, err := el(doc, "p", "margin:0;flex:1 1 400px",
		"We use cookies to make this site work and, with your consent, to measure its audience.")
	if err != nil {
		return err
	}
	if err := call(banner, "appendChild", p); err != nil {
		return err
	}
	const buttonStyle = "font:inherit;padding:8px 16px;border:1px solid #1a1a1a;border-radius:4px;" +
		"background:#1a1a1a;color:#fff;cursor:pointer;min-width:120px"
	for _, b := range []struct{ label, answer string }{{"Accept all", "accepted"}, {"Reject all", "rejected"}} {
		button, err := el(doc, "button", buttonStyle, b.label)
		if err != nil {
			return err
		}
		if err := call(button, "setAttribute", "type", "button"); err != nil {
			return err
		}
		if err := call(button, "setAttribute", "data-answer", b.answer); err != nil {
			return err
		}
		answer := b.answer
		click, err := safejs.FuncOf(func(safejs.Value, []safejs.Value) any {
			_ = doc.Set("cookie", cookieName+"="+answer+"; Path=/; Max-Age=15552000; SameSite=Lax")
			_, _ = banner.Call("remove")
			if answer == "accepted" {
				_ = gatedRan()
			}
			return nil
		})
		if err != nil {
			return err
		}
		if err := call(button, "addEventListener", "click", click.Value()); err != nil {
			return err
		}
		if err := call(banner, "appendChild", button); err != nil {
			return err
		}
	}
	body, err := doc.Get("body")
	if err != nil {
		return err
	}
	return call(body, "appendChild", banner)
}
