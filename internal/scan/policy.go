package scan

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/consentry/consentry/widget"
)

// policy is the site's policy.json as the scanner reads it: the widget's own parse (so
// that names match as the widget reads them) plus the declaration rows in JSON-pointer
// form, with the 1.1 keys the scanner needs read from the raw JSON.
type policy struct {
	p     *widget.Policy
	raw   []byte
	decls []*declaration
}

// declaration is one row of a cookie declaration table.
type declaration struct {
	Pointer  string // JSON pointer of the row, e.g. /categories/1/services/0/cookies/0
	Category *widget.Category
	Service  *widget.Service // nil for a category's own rows
	Names    []string
	Storage  []string // cookies[].storage (1.1), read from the raw JSON
	// ExpiresAfterDays is cookies[].expiresAfterDays (1.1), -1 when not declared.
	ExpiresAfterDays int
	Provider         string
}

// optional reports whether what the row declares needs consent: an optional category's
// cookie, unless its service is consent-free (CONTRACT.md §3 consentRequired).
func (d *declaration) optional() bool {
	if d.Category.Required {
		return false
	}
	return d.Service == nil || d.Service.ConsentRequired
}

// laterKeys are keys of version 1.1 that other parts of the project add to the widget's
// parser: a policy that has them is read even by a parser that does not know them yet,
// so the scanner reads tomorrow's policies today. The scanner reads the ones it needs
// (expiresAfterDays, storage) from the raw JSON itself.
var (
	laterTopKeys  = []string{"receipts", "googleConsentMode", "matomo"}
	laterDeclKeys = []string{"expiresAfterDays", "storage"}
)

// parsePolicy reads policy.json with the widget's parser. A policy the widget refuses is
// refused here too, with the widget's message naming the place.
func parsePolicy(data []byte) (*policy, error) {
	p, err := widget.ParsePolicy(data)
	if err != nil {
		// Retry without the 1.1 keys, in case this build's parser predates them.
		if stripped, serr := stripLaterKeys(data); serr == nil {
			if p2, err2 := widget.ParsePolicy(stripped); err2 == nil {
				p, err = p2, nil
			}
		}
	}
	if err != nil {
		return nil, err
	}
	var raw struct {
		Categories []struct {
			Cookies  []rawDecl `json:"cookies"`
			Services []struct {
				Cookies []rawDecl `json:"cookies"`
			} `json:"services"`
		} `json:"categories"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("policy: %w", err)
	}
	pol := &policy{p: p, raw: data}
	for i := range p.Categories {
		c := &p.Categories[i]
		for j, d := range c.Cookies {
			pol.decls = append(pol.decls, newDeclaration(fmt.Sprintf("/categories/%d/cookies/%d", i, j), c, nil, d, rawAt(raw.Categories, i, -1, j)))
		}
		for k := range c.Services {
			s := &c.Services[k]
			for j, d := range s.Cookies {
				pol.decls = append(pol.decls, newDeclaration(fmt.Sprintf("/categories/%d/services/%d/cookies/%d", i, k, j), c, s, d, rawAt(raw.Categories, i, k, j)))
			}
		}
	}
	return pol, nil
}

// rawDecl holds the 1.1 keys of a declaration row.
type rawDecl struct {
	ExpiresAfterDays *int     `json:"expiresAfterDays"`
	Storage          []string `json:"storage"`
}

// rawAt returns the raw row of category i (service k, or -1 for the category's own
// cookies), row j.
func rawAt(cats []struct {
	Cookies  []rawDecl `json:"cookies"`
	Services []struct {
		Cookies []rawDecl `json:"cookies"`
	} `json:"services"`
}, i, k, j int) rawDecl {
	if i >= len(cats) {
		return rawDecl{}
	}
	rows := cats[i].Cookies
	if k >= 0 {
		if k >= len(cats[i].Services) {
			return rawDecl{}
		}
		rows = cats[i].Services[k].Cookies
	}
	if j >= len(rows) {
		return rawDecl{}
	}
	return rows[j]
}

// newDeclaration builds the scanner's view of one row.
func newDeclaration(ptr string, c *widget.Category, s *widget.Service, d widget.CookieDeclaration, raw rawDecl) *declaration {
	decl := &declaration{Pointer: ptr, Category: c, Service: s, Names: d.Names, Storage: raw.Storage, ExpiresAfterDays: -1}
	if raw.ExpiresAfterDays != nil {
		decl.ExpiresAfterDays = *raw.ExpiresAfterDays
	}
	decl.Provider = d.Provider.In("en", "")
	return decl
}

// stripLaterKeys returns data without the 1.1 keys of laterTopKeys and laterDeclKeys.
func stripLaterKeys(data []byte) ([]byte, error) {
	var top map[string]any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&top); err != nil {
		return nil, err
	}
	for _, k := range laterTopKeys {
		delete(top, k)
	}
	stripRows := func(v any) {
		rows, _ := v.([]any)
		for _, r := range rows {
			if m, ok := r.(map[string]any); ok {
				for _, k := range laterDeclKeys {
					delete(m, k)
				}
			}
		}
	}
	cats, _ := top["categories"].([]any)
	for _, c := range cats {
		cm, _ := c.(map[string]any)
		stripRows(cm["cookies"])
		svcs, _ := cm["services"].([]any)
		for _, s := range svcs {
			sm, _ := s.(map[string]any)
			stripRows(sm["cookies"])
		}
	}
	return json.Marshal(top)
}

// consentCookie returns the consent cookie's name.
func (pol *policy) consentCookie() string {
	if pol.p.Cookie.Name != "" {
		return pol.p.Cookie.Name
	}
	return widget.DefaultCookieName
}

// matchCookie returns the row that declares a cookie name, and the pointer of the
// matching name in it; nil when none does. Rows are tried in policy order, as the widget
// reads them, with widget.MatchCookieName's wildcards.
func (pol *policy) matchCookie(name string) (*declaration, string) {
	return pol.match(name, "names", func(d *declaration) []string { return d.Names })
}

// matchStorage returns the row whose cookies[].storage declares a storage key, matched
// like cookie names.
func (pol *policy) matchStorage(key string) (*declaration, string) {
	return pol.match(key, "storage", func(d *declaration) []string { return d.Storage })
}

// match returns the first row, in policy order, one of whose patterns (the row's list
// named field) matches name, and the pointer of that pattern; nil when none does.
func (pol *policy) match(name, field string, patterns func(*declaration) []string) (*declaration, string) {
	if pol == nil {
		return nil, ""
	}
	for _, d := range pol.decls {
		for i, pattern := range patterns(d) {
			if widget.MatchCookieName(pattern, name) {
				return d, d.Pointer + "/" + field + "/" + strconv.Itoa(i)
			}
		}
	}
	return nil, ""
}

// categoryOptional reports whether gated elements of category (and service) need consent.
func (pol *policy) categoryOptional(category, service string) bool {
	if pol == nil {
		return true
	}
	c := pol.p.Category(category)
	if c == nil {
		return true // an unknown category is never accepted: the widget keeps it off
	}
	if c.Required {
		return false
	}
	if service != "" {
		if s := c.Service(service); s != nil && !s.ConsentRequired {
			return false
		}
	}
	return true
}

// widgetOwnStorage reports whether a storage key is the widget's own (CONTRACT.md §12:
// "the widget's own entries aside"): its keys start with "consentry".
func widgetOwnStorage(key string) bool {
	return strings.HasPrefix(strings.ToLower(key), "consentry")
}

// errPointerNotFound reports a JSON pointer with no value in the document.
var errPointerNotFound = errors.New("pointer not found")

// pointerPosition returns the 1-based line and column of the value a JSON pointer
// (RFC 6901) names in data, for SARIF regions.
func pointerPosition(data []byte, pointer string) (line, col int, err error) {
	var want []string
	if pointer != "" {
		for _, tok := range strings.Split(strings.TrimPrefix(pointer, "/"), "/") {
			want = append(want, strings.NewReplacer("~1", "/", "~0", "~").Replace(tok))
		}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	offset, err := findPointer(dec, want)
	if err != nil {
		return 0, 0, err
	}
	// Skip white space and a colon before the value.
	for offset < len(data) && strings.ContainsRune(" \t\r\n:,", rune(data[offset])) {
		offset++
	}
	line, col = 1, 1
	for _, b := range data[:offset] {
		if b == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	return line, col, nil
}

// findPointer walks the decoder's next value down the path and returns the input offset
// just before the value the path names.
func findPointer(dec *json.Decoder, path []string) (int, error) {
	if len(path) == 0 {
		return int(dec.InputOffset()), nil
	}
	tok, err := dec.Token()
	if err != nil {
		return 0, err
	}
	switch tok {
	case json.Delim('{'):
		for dec.More() {
			k, err := dec.Token()
			if err != nil {
				return 0, err
			}
			if k == path[0] {
				return findPointer(dec, path[1:])
			}
			if err := skipValue(dec); err != nil {
				return 0, err
			}
		}
	case json.Delim('['):
		idx, err := strconv.Atoi(path[0])
		if err != nil {
			return 0, errPointerNotFound
		}
		for i := 0; dec.More(); i++ {
			if i == idx {
				return findPointer(dec, path[1:])
			}
			if err := skipValue(dec); err != nil {
				return 0, err
			}
		}
	}
	return 0, errPointerNotFound
}

// skipValue reads one whole value from dec.
func skipValue(dec *json.Decoder) error {
	var v json.RawMessage
	return dec.Decode(&v)
}
