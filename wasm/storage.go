//go:build js && wasm

package main

import (
	"github.com/consentry/consentry/widget"
	"github.com/hack-pad/safejs"
)

// deleteWithdrawnStorage deletes, from localStorage and sessionStorage, the keys declared
// ("storage", CONTRACT.md §3, 1.1) by what the choice in force no longer accepts since
// previous: widget decides which of the keys present go; this only lists and removes
// them. Storage that the browser blocks (a sandboxed frame, storage turned off) throws on
// access: there is then nothing to delete, and nothing is thrown into the page.
func (a *app) deleteWithdrawnStorage(previous *widget.Record) {
	for _, area := range []string{"localStorage", "sessionStorage"} {
		store, err := jsReflect.Call("get", a.win, area) // a call: a throwing getter is caught
		if err != nil || !truthy(store) {
			continue
		}
		for _, key := range a.policy.WithdrawnStorageKeys(previous, a.record, storageKeys(store)) {
			_, _ = store.Call("removeItem", key)
		}
	}
}

// storageKeys lists the keys of a Storage object, with Storage.key(i).
func storageKeys(store safejs.Value) []string {
	n, err := jsReflect.Call("get", store, "length")
	if err != nil || n.Type() != safejs.TypeNumber {
		return nil
	}
	count, err := n.Int()
	if err != nil {
		return nil
	}
	keys := make([]string, 0, count)
	for i := 0; i < count; i++ {
		k, err := store.Call("key", i)
		if err == nil && k.Type() == safejs.TypeString {
			keys = append(keys, str(k))
		}
	}
	return keys
}

// appendStorageKeys lists a declaration's storage keys in its cookie-names cell, after its
// cookie names and under the "storageKeys" label, so that visitors see every storage the
// row's provider uses (CONTRACT.md §3 cookies[].storage, 1.1).
func (a *app) appendStorageKeys(cell safejs.Value, keys []string) {
	if len(keys) == 0 {
		return
	}
	if truthy(get(cell, "firstChild")) {
		call(cell, "append", a.el("br", nil)) // after the cookie names
	}
	list := a.el("span", at("class", "storage"), a.tx("storageKeys"))
	for _, k := range keys {
		call(list, "append", a.el("br", nil), a.el("code", at("class", "names"), k))
	}
	call(cell, "append", list)
}
