package widget

import "slices"

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
