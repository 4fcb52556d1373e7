package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/net/publicsuffix"

	"github.com/consentry/consentry/widget"
)

// This file holds the warnings of `consentry validate`: rules stricter than CONTRACT.md,
// which a policy may break and still be accepted by the widget (§4: "a policy that this
// file allows is never refused by the widget: a rule stricter than this file is a warning
// of consentry validate, not a refusal in the browser"). They live here, on the command's
// side, not in package widget: every byte of widget is downloaded by every visitor, and
// the Public Suffix List alone is larger than the rules it serves.

// Limits of the warnings, in days.
const (
	// maxAdvisedConsentDays is about 6 months: the CNIL recommends asking again after
	// that (recommendation 2020-092 of 17 September 2020, art. 2: "six mois").
	maxAdvisedConsentDays = 183
	// maxExemptCookieDays is 13 months: the CNIL exempts audience measurement from consent
	// only when its cookies last no longer (guidelines 2020-091, art. 5).
	maxExemptCookieDays = 395
)

// policyWarnings returns the warnings of a policy, in document order, placed like the
// parser's problems. data is the policy's text, which the widget accepts; it is read as
// raw JSON, so that a key the widget on this branch does not know yet (a declaration's
// expiresAfterDays) is read when present and never validated here.
func policyWarnings(data []byte) []widget.Problem {
	text := data
	base := 0
	if bytes.HasPrefix(text, []byte("\xEF\xBB\xBF")) {
		text, base = text[3:], 3
	}
	dec := json.NewDecoder(bytes.NewReader(text))
	dec.UseNumber()
	var root any
	if err := dec.Decode(&root); err != nil {
		return nil // the parser reports it
	}
	places := jsonPlaces(text)
	w := warner{places: places}
	policy, _ := root.(map[string]any)
	w.consentCookie(policy)
	categories, _ := policy["categories"].([]any)
	for i, c := range categories {
		w.category(indexPath("categories", i), c)
	}
	sort.SliceStable(w.found, func(i, j int) bool { return w.found[i].offset < w.found[j].offset })
	out := make([]widget.Problem, 0, len(w.found))
	for _, f := range w.found {
		line, col := widget.LineColumn(data, base+f.offset)
		out = append(out, widget.Problem{Path: f.path, Line: line, Column: col, Msg: f.msg})
	}
	return out
}

// warner collects warnings with the offsets of the values they are about.
type warner struct {
	places map[string]int
	found  []struct {
		path, msg string
		offset    int
	}
}

// warn records a warning about the value at path (or, when that has no place, the
// closest enclosing value that has one).
func (w *warner) warn(path, msg string) {
	at := path
	off, ok := w.places[at]
	for !ok && at != "" {
		if i := strings.LastIndexAny(at, ".["); i > 0 {
			at = at[:i]
		} else {
			at = ""
		}
		off, ok = w.places[at]
	}
	w.found = append(w.found, struct {
		path, msg string
		offset    int
	}{path, msg, off})
}

// consentCookie warns about the consent cookie: kept longer than about 6 months, or shared
// with a public suffix, for which browsers refuse cookies (RFC 6265 section 5.3 step 5).
// The widget knows a few suffixes, and writes a host-only cookie for them; this checks
// the whole Public Suffix List, which is too large to send to every visitor.
func (w *warner) consentCookie(policy map[string]any) {
	cookie, _ := policy["cookie"].(map[string]any)
	if days, ok := integer(cookie["expiresAfterDays"]); ok && days > maxAdvisedConsentDays {
		w.warn("cookie.expiresAfterDays", fmt.Sprintf(
			"the choice is kept %d days: the CNIL recommends asking again after about 6 months (%d days at most)",
			days, maxAdvisedConsentDays))
	}
	if domain, ok := cookie["domain"].(string); ok && domain != "" {
		d := strings.ToLower(strings.TrimSuffix(strings.TrimPrefix(domain, "."), "."))
		if suffix, _ := publicsuffix.PublicSuffix(d); suffix == d {
			w.warn("cookie.domain", strconv.Quote(domain)+
				" is a public suffix (Public Suffix List): browsers refuse cookies for it, so the choice is not shared as meant (the widget writes a host-only cookie for the suffixes it knows, and for others the browser drops it); use your own domain, like \".example.com\", or leave it empty")
		}
	}
}

// category warns about a service inside a required category (always on: the visitor is
// never asked), about an optional category that declares no cookie and no storage key
// (the visitor is asked about a purpose without being told what it stores), and about
// services that need no consent without a declared lifetime of at most 13 months.
func (w *warner) category(path string, v any) {
	c, _ := v.(map[string]any)
	required, _ := c["required"].(bool)
	id, _ := c["id"].(string)
	declares := declaresSomething(c["cookies"])
	services, _ := c["services"].([]any)
	for j, sv := range services {
		sPath := indexPath(path+".services", j)
		s, _ := sv.(map[string]any)
		declares = declares || declaresSomething(s["cookies"])
		if required {
			w.warn(sPath, fmt.Sprintf("a service inside the required category %q is always on, and the visitor is never asked about it: "+
				"declare its cookies in the category's own \"cookies\", or move it to an optional category", id))
			continue
		}
		if exempt, ok := s["consentRequired"].(bool); ok && !exempt {
			w.exemptLifetimes(sPath, s)
		}
	}
	if !required && !declares {
		w.warn(path, fmt.Sprintf("the optional category %q declares no cookie and no storage key: "+
			"the visitor is asked to consent without being told what is stored (add its \"cookies\", with \"names\" or \"storage\")", id))
	}
}

// exemptLifetimes warns about each cookie declaration of a service that needs no consent
// (consentRequired: false) whose lifetime is not declared, or is over 13 months: the
// CNIL's exemption of audience measurement holds only for cookies that last no longer.
// The lifetime is the declaration's expiresAfterDays (CONTRACT.md §3, 1.1), read here as an
// optional number.
func (w *warner) exemptLifetimes(path string, s map[string]any) {
	rows, _ := s["cookies"].([]any)
	for k, rv := range rows {
		row, _ := rv.(map[string]any)
		if names, _ := row["names"].([]any); len(names) == 0 {
			continue // storage keys only: no cookie lifetime to declare
		}
		rowPath := indexPath(path+".cookies", k)
		days, ok := integer(row["expiresAfterDays"])
		switch {
		case !ok:
			w.warn(rowPath, fmt.Sprintf("these cookies are exempt from consent (consentRequired: false), but their lifetime is not declared: "+
				"add \"expiresAfterDays\" (at most %d, 13 months, for the CNIL's audience-measurement exemption)", maxExemptCookieDays))
		case days > maxExemptCookieDays:
			w.warn(rowPath+".expiresAfterDays", fmt.Sprintf("these cookies are exempt from consent (consentRequired: false) but live %d days: "+
				"the CNIL's audience-measurement exemption needs %d days (13 months) at most", days, maxExemptCookieDays))
		}
	}
}

// declaresSomething reports whether a "cookies" array has a row with a cookie name or a
// storage key.
func declaresSomething(v any) bool {
	rows, _ := v.([]any)
	for _, rv := range rows {
		row, _ := rv.(map[string]any)
		names, _ := row["names"].([]any)
		storage, _ := row["storage"].([]any)
		if len(names) > 0 || len(storage) > 0 {
			return true
		}
	}
	return false
}

// integer returns v as an int when it is a JSON integer.
func integer(v any) (int, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, false
	}
	i, err := strconv.Atoi(n.String())
	return i, err == nil
}

// indexPath writes the path of element i of the array at path, as the widget's parser does.
func indexPath(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

// jsonPlaces maps the path of every value of a JSON document ("" for the document,
// "cookie.domain", "categories[1].services[0]") to the byte offset where the value starts.
// The document must be valid JSON.
func jsonPlaces(data []byte) map[string]int {
	places := map[string]int{}
	dec := json.NewDecoder(bytes.NewReader(data))
	// start returns the offset of the next value: past white space and the ':' or ','
	// before it.
	start := func() int {
		off := int(dec.InputOffset())
		for off < len(data) && strings.IndexByte(" \t\r\n:,", data[off]) >= 0 {
			off++
		}
		return off
	}
	var value func(path string) bool
	value = func(path string) bool {
		places[path] = start()
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		switch tok {
		case json.Delim('{'):
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return false
				}
				key, _ := kt.(string)
				child := key
				if path != "" {
					child = path + "." + key
				}
				if !value(child) {
					return false
				}
			}
			_, err = dec.Token() // '}'
		case json.Delim('['):
			for i := 0; dec.More(); i++ {
				if !value(indexPath(path, i)) {
					return false
				}
			}
			_, err = dec.Token() // ']'
		}
		return err == nil
	}
	value("")
	return places
}
