package widget

// This file implements the policy key matomo (CONTRACT.md §11): the calls of Matomo's
// consent API ("Implementing tracking or cookie consent with the Matomo JavaScript
// Tracking Client", matomo.org/faq/new-to-piwik/how-do-i-use-matomo-analytics-without-
// consent-or-cookie-banner and developer.matomo.org/guides/tracking-consent) that the
// widget pushes to window._paq. It only decides; the front end pushes.

// Matomo is the policy's matomo key.
type Matomo struct {
	Category string // the category whose acceptance is Matomo's consent
	// Cookieless asks Matomo to measure without cookies until consent
	// (requireCookieConsent, the CNIL-exempt setup); false asks it not to measure at all
	// until consent (requireConsent).
	Cookieless bool
}

// matomoKeys are the keys the matomo object may hold.
var matomoKeys = []string{"category", "cookieless"}

// matomo validates the matomo object against the categories already parsed.
func (pp *policyParser) matomo(v *jsonValue, categories []Category) *Matomo {
	const path = "matomo"
	if !pp.object(v, path, matomoKeys) {
		return nil
	}
	m := &Matomo{}
	if cv := pp.required(v, path, "category"); cv != nil {
		m.Category, _ = pp.categoryRef(cv, memberPath(path, "category"), categories)
	}
	if cv := v.member("cookieless"); cv != nil {
		m.Cookieless = pp.boolean(cv, memberPath(path, "cookieless"), false)
	}
	return m
}

// MatomoRequire returns the call that makes Matomo wait for consent, to put ahead of any
// call the page queued: ["requireCookieConsent"] when cookieless, else
// ["requireConsent"]; nil when the policy has no matomo key.
func (p *Policy) MatomoRequire() []any {
	switch {
	case p.Matomo == nil:
		return nil
	case p.Matomo.Cookieless:
		return []any{"requireCookieConsent"}
	}
	return []any{"requireConsent"}
}

// MatomoConsent returns the consent call to push when the choice goes from previous to
// current (nil: no choice): set…ConsentGiven when Matomo's category is accepted in
// current but not in previous (at page load previous is nil, so a stored acceptance gives
// the call on every page view, which is what Matomo asks: the call lasts one page view),
// forget…ConsentGiven when it was accepted and no longer is (a withdrawal, reset()
// included), and nil otherwise or without a matomo key.
func (p *Policy) MatomoConsent(previous, current *Record) []any {
	m := p.Matomo
	if m == nil {
		return nil
	}
	was, is := p.Allows(previous, m.Category, ""), p.Allows(current, m.Category, "")
	name := "ConsentGiven"
	if m.Cookieless {
		name = "CookieConsentGiven"
	}
	switch {
	case is && (!was || previous == nil):
		return []any{"set" + name}
	case was && !is:
		return []any{"forget" + name}
	}
	return nil
}
