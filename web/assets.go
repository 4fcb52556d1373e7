// Package web holds the files Consentry ships to browsers; the stylesheet is embedded into
// the WebAssembly build, which adopts it into the widget's shadow root.
package web

import _ "embed"

// Stylesheet is the widget's CSS. It is adopted as a constructed stylesheet, so it works
// under a strict Content-Security-Policy (style-src 'self', no 'unsafe-inline').
//
//go:embed consentry.css
var Stylesheet string
