package widget

import "strconv"

// The queries of window.Consentry (CONTRACT.md §6), answered from the choice in force with
// the code a Go server reads a request with (Consent). A query made with an id the policy
// does not know answers false and returns the console warning to give.

// AcceptedCategory answers acceptedCategory(id).
func (s *Session) AcceptedCategory(id string) (accepted bool, warning string) {
	if s.policy.Category(id) == nil {
		return false, "Consentry.acceptedCategory: unknown category " + strconv.Quote(id)
	}
	return s.consent.Accepted(id), ""
}

// AcceptedService answers acceptedService(serviceId, categoryId), in that argument order.
func (s *Session) AcceptedService(service, category string) (accepted bool, warning string) {
	if c := s.policy.Category(category); c == nil || c.Service(service) == nil {
		return false, "Consentry.acceptedService: unknown service " + strconv.Quote(service) +
			" in category " + strconv.Quote(category) + " (the arguments are serviceId, categoryId)"
	}
	return s.consent.AcceptedService(service, category), ""
}

// ValidConsent answers validConsent().
func (s *Session) ValidConsent() bool { return s.consent.Valid() }

// UserPreferences answers getUserPreferences(): the choice as plain values, or nil (null)
// when there is none.
func (s *Session) UserPreferences() any {
	if !s.consent.Valid() {
		return nil
	}
	return s.preferences()
}

// Activates reports whether the gated element el may be activated now (§5): it is one the
// gate handles (Gateable) and the choice in force allows it (Policy.Allows).
func (s *Session) Activates(el GatedElement) bool {
	return el.Gateable() && s.consent.Allows(el.Category, el.Service)
}
