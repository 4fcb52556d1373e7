package widget

import "strconv"

// This file holds the storage keys of the cookie declarations (CONTRACT.md §3
// "cookies[].storage", 1.1): the ePrivacy rule on consent covers any information stored in
// the visitor's browser, not only cookies (EDPB guidelines 2/2023 on the technical scope of
// art. 5(3)), so a withdrawal deletes the localStorage and sessionStorage keys declared by
// what was withdrawn, as it deletes its cookies (§5).

// isDeclaredStorageKey reports whether s can be a storage key declared in the policy, '*'
// standing for any run of characters. Web Storage keys may be any string; the policy only
// refuses the empty key and control characters, which no real key is made of and which a
// declaration table could not show.
func isDeclaredStorageKey(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < ' ' || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return false
		}
	}
	return true
}

// storageKeys validates the "storage" of a declaration: a non-empty array of storage keys,
// '*' being a wildcard (see isDeclaredStorageKey).
func (pp *policyParser) storageKeys(v *jsonValue, path string) []string {
	if v.kind != jsonArray {
		pp.wrongType(v, path, "an array of localStorage or sessionStorage keys")
		return nil
	}
	if len(v.elems) == 0 {
		pp.report(path, v.offset, "expected at least one storage key, got an empty array (leave \"storage\" out instead)")
		return nil
	}
	keys := make([]string, 0, len(v.elems))
	for i, e := range v.elems {
		keyPath := elemPath(path, i)
		s, ok := pp.str(e, keyPath)
		if !ok {
			continue
		}
		if !isDeclaredStorageKey(s) {
			pp.report(keyPath, e.offset, strconv.Quote(s)+" is not a storage key: it must not be empty or contain control characters")
			continue
		}
		keys = append(keys, s)
	}
	return keys
}

// WithdrawnStorageKeys returns which of present, the keys found in one Web Storage area
// (localStorage or sessionStorage), to delete when the choice goes from old to new: the
// keys that match a "storage" pattern of what old accepted and new does not, unless they
// also match one of something that still runs under new (a required category, a service
// that needs no consent, a category or service still accepted), as WithdrawnCookieLines
// decides for cookies. Each key is returned once, in the order of present. A nil old means
// nothing was accepted; a nil new means everything optional is withdrawn (a reset).
// Patterns match with MatchCookieName's rule: '*' is any run of characters.
func (p *Policy) WithdrawnStorageKeys(old, new *Record, present []string) []string {
	withdrawn, kept := p.withdrawnPatterns(old, new, func(d CookieDeclaration) []string { return d.Storage })
	if len(withdrawn) == 0 {
		return nil
	}
	var keys []string
	for _, k := range present {
		if matchAnyCookieName(withdrawn, k) && !matchAnyCookieName(kept, k) && !containsString(keys, k) {
			keys = append(keys, k)
		}
	}
	return keys
}
