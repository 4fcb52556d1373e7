//go:build js && wasm

package main

import "github.com/hack-pad/safejs"

// storageAreas are the storages whose keys a policy may declare (CONTRACT.md §3, 1.1).
var storageAreas = [...]string{"localStorage", "sessionStorage"}

// storage returns window[area], or false where the browser blocks it (a sandboxed frame,
// storage turned off): reading it then throws, which Reflect.get catches.
func storage(area string) (safejs.Value, bool) {
	store, err := jsReflect.Call("get", safejs.Global(), area)
	return store, err == nil && truthy(store)
}

// removeStorage removes keys from both storages.
func removeStorage(keys []string) {
	for _, area := range storageAreas {
		if store, ok := storage(area); ok {
			for _, key := range keys {
				_, _ = store.Call("removeItem", key)
			}
		}
	}
}

// storageKeys lists the keys of a storage, with Storage.key(i).
func storageKeys(area string) []string {
	store, ok := storage(area)
	if !ok {
		return nil
	}
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
