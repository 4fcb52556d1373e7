package scan

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/consentry/consentry/widget"
)

// DraftPolicy builds a policy.json from what the scan observed, for a site adopting
// Consentry: every cookie seen (the consent cookie aside) is declared, in the category
// its current declaration or the Open Cookie Database suggests ("unknown" ones go to a
// "marketing"-like category a person must review), with the provider filled in and TODO
// texts where a person must write. The result passes `consentry validate`.
func (r *Report) DraftPolicy() ([]byte, error) {
	type row struct {
		Provider         string   `json:"provider"`
		Names            []string `json:"names"`
		Function         string   `json:"function"`
		Purpose          string   `json:"purpose"`
		ExpiresAfterDays *int     `json:"expiresAfterDays,omitempty"`
	}
	type category struct {
		ID          string `json:"id"`
		Required    bool   `json:"required"`
		Title       string `json:"title"`
		Description string `json:"description"`
		Cookies     []row  `json:"cookies"`
	}
	titles := map[string]string{
		"necessary":   "Necessary cookies",
		"preferences": "Preferences",
		"statistics":  "Statistics",
		"marketing":   "Marketing",
		"unknown":     "TODO: unclassified cookies",
	}
	order := []string{"necessary", "preferences", "statistics", "marketing", "unknown"}
	consent := widget.DefaultCookieName
	if r.pol != nil {
		consent = r.pol.consentCookie()
	}
	withExpiry := parserReadsDeclExpiry()
	cats := map[string]*category{}
	for _, id := range order {
		cats[id] = &category{ID: id, Required: id == "necessary", Title: titles[id],
			Description: "TODO: say in plain words what these cookies do and why."}
	}
	cats["necessary"].Cookies = append(cats["necessary"].Cookies, row{Provider: "TODO: your organisation", Names: []string{consent},
		Function: "Consent", Purpose: "To remember the visitor's cookie preferences"})
	seen := map[string]bool{consent: true}
	longest := map[string]float64{}
	for _, ph := range r.Phases {
		for _, c := range ph.Cookies {
			longest[c.Name] = max(longest[c.Name], c.LifetimeDay)
		}
	}
	for _, ph := range r.Phases {
		for _, c := range ph.Cookies {
			if seen[c.Name] {
				continue
			}
			seen[c.Name] = true
			cat, provider := c.Category, ""
			if cat == "" || cats[cat] == nil {
				cat, provider = suggestCategory(c.Name)
			}
			if k, ok := lookupCookie(c.Name); ok {
				provider = k.Platform
			}
			if provider == "" {
				provider = "TODO: who sets " + c.Name
				if c.ThirdParty {
					provider = "TODO: the provider of " + cookieHostOf(c.Domain)
				}
			}
			rw := row{Provider: provider, Names: []string{c.Name}, Function: "TODO: what " + c.Name + " does, and where",
				Purpose: "TODO: why it is set"}
			if withExpiry {
				days := min(int(longest[c.Name]+0.999), 3650)
				rw.ExpiresAfterDays = &days
			}
			if cats[cat] == nil {
				cat = "unknown"
			}
			cats[cat].Cookies = append(cats[cat].Cookies, rw)
		}
	}
	var out []*category
	for _, id := range order {
		if c := cats[id]; c.Required || len(c.Cookies) > 0 {
			slices.SortStableFunc(c.Cookies, func(a, b row) int { return strings.Compare(a.Provider, b.Provider) })
			out = append(out, c)
		}
	}
	doc := map[string]any{
		"revision":        1,
		"defaultLanguage": "en",
		"cookie":          map[string]any{"name": consent, "expiresAfterDays": 182},
		"policyUrl":       "/cookies-policy",
		"categories":      out,
	}
	data, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, err
	}
	if _, err := widget.ParsePolicy(data); err != nil {
		return nil, err
	}
	return append(data, '\n'), nil
}

// parserReadsDeclExpiry reports whether this build's widget reads cookies[].expiresAfterDays
// (a 1.1 key): the draft declares lifetimes only where the widget accepts them.
func parserReadsDeclExpiry() bool {
	_, err := widget.ParsePolicy([]byte(`{"revision":1,"defaultLanguage":"en","categories":[{"id":"necessary","required":true,` +
		`"title":"t","description":"d","cookies":[{"provider":"p","names":["n"],"function":"f","purpose":"p","expiresAfterDays":1}]}]}`))
	return err == nil
}
