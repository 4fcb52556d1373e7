package widget

import (
	"slices"
	"strings"
)

// This file holds the gating decision of CONTRACT.md §5: whether an element marked
// data-category (and data-service) may run under the visitor's current choice.

// Allows reports whether an element with data-category=category and, when service is not
// "", data-service=service may run under r, the valid current record (nil when there is
// no valid choice). It fails closed (§5, §3 "A refused policy fails closed"):
//
//   - an unknown category, or a service unknown in that category, never runs: a typo in
//     the markup must not run a script the visitor was never asked about;
//   - a required category always runs, with any of its services;
//   - a service with consentRequired: false runs without a choice (§5 "Services with
//     consentRequired: false run without a choice");
//   - otherwise the category must be accepted in r and, when service is given, that
//     service accepted too.
func (p *Policy) Allows(r *Record, category, service string) bool {
	c := p.Category(category)
	if c == nil {
		return false
	}
	var s *Service
	if service != "" {
		if s = c.Service(service); s == nil {
			return false
		}
	}
	switch {
	case c.Required:
		return true
	case s != nil && !s.ConsentRequired:
		return true
	case s != nil:
		return r.AcceptedService(category, service)
	}
	return r.AcceptedCategory(category)
}

// AcceptedCategory reports whether r lists category id as accepted. It is false for a nil
// record (no choice). It reads the record only: use Policy.Allows for a gating decision,
// which also knows required categories.
func (r *Record) AcceptedCategory(id string) bool {
	return r != nil && slices.Contains(r.Categories, id)
}

// AcceptedService reports whether r lists the service of that category as accepted: the
// category is accepted and the service is in its Services entry. It is false for a nil
// record. Services that need no consent and those of required categories are never
// listed (see Record.Services): use Policy.Allows for a gating decision.
func (r *Record) AcceptedService(category, service string) bool {
	return r.AcceptedCategory(category) && slices.Contains(r.Services[category], service)
}

// GatedElement is what the gate reads of an element of the page marked data-category
// (CONTRACT.md §5).
type GatedElement struct {
	Tag      string // tagName, any case
	Type     string // its type attribute
	HasSrc   bool   // it has a data-src attribute
	Category string // data-category
	Service  string // data-service, "" when absent
}

// Gateable reports whether the gate handles el: a <script type="text/plain"> (any case),
// or another element with data-src. A live script that merely carries a category, and an
// element without data-src, are left alone.
func (el GatedElement) Gateable() bool {
	if el.IsScript() {
		return strings.EqualFold(el.Type, GatedScriptType)
	}
	return el.HasSrc
}

// IsScript reports whether el is a script, activated by a live copy (LiveScriptFor), as
// opposed to an element whose data-src becomes its src.
func (el GatedElement) IsScript() bool { return strings.EqualFold(el.Tag, "script") }

// How a script attribute's value must pass a Trusted Types policy (REQUIREMENTS.md §6).
const (
	TrustNone      = ""
	TrustScriptURL = "createScriptURL" // src
	TrustScript    = "createScript"    // an event handler attribute (onload, onerror), and inline text
)

// LiveAttr is an attribute of the live copy of a gated script, and how its value is trusted.
type LiveAttr struct {
	Name, Value string
	Trust       string // TrustNone, TrustScriptURL or TrustScript
}

// LiveScript describes the live copy of a gated script (§5): it keeps every attribute of
// the gated one but type, nonce (taken from the property, which the browser hides) and
// data-type, which becomes its type. Ordered is set for a classic external script without
// async, which keeps its place: the ones after it wait for it to load, as the HTML parser
// would.
type LiveScript struct {
	Attrs    []LiveAttr
	External bool
	Ordered  bool
}

// LiveScriptFor returns the live copy of the gated script with attributes attrs.
func LiveScriptFor(attrs []Attr) LiveScript {
	var ls LiveScript
	var liveType string
	async := false
	for _, a := range attrs {
		switch name := strings.ToLower(a.Name); {
		case name == "type" || name == "nonce":
			continue
		case name == AttrType:
			liveType = a.Value
			continue
		case name == "src":
			ls.External = true
			ls.Attrs = append(ls.Attrs, LiveAttr{a.Name, a.Value, TrustScriptURL})
		case strings.HasPrefix(name, "on"):
			ls.Attrs = append(ls.Attrs, LiveAttr{a.Name, a.Value, TrustScript})
		default:
			async = async || name == "async"
			ls.Attrs = append(ls.Attrs, LiveAttr{a.Name, a.Value, TrustNone})
		}
	}
	if liveType != "" {
		ls.Attrs = append(ls.Attrs, LiveAttr{"type", liveType, TrustNone})
	}
	ls.Ordered = ls.External && !async
	return ls
}
