//go:build js && wasm

package main

// buildID returns the build id of this widget, version+content hash (internal/distbuild
// BuildID), as the loader hands it over: the same string as Consentry.version. It is what
// the visitor was shown, for consentry:ready's detail and the "widget" field of receipts
// (CONTRACT.md §10). The loader carries it rather than the module, whose own bytes are
// part of what the hash covers.
func (a *app) buildID() string { return str(get(a.boot, "build")) }
