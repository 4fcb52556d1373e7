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
