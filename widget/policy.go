package widget

// Policy is a site's consent policy, parsed and validated from policy.json (CONTRACT.md §3).
// A *Policy returned by ParsePolicy is valid: every rule of §3 holds, defaults are filled in.
type Policy struct {
	Schema          string // "$schema": ignored by the widget, kept for round trips
	Revision        int
	DefaultLanguage string
	Cookie          CookieSettings
	// RespectGPC is respectGlobalPrivacyControl (default true).
	RespectGPC bool
	// ReloadOnWithdraw reloads the page after a withdrawal, so that scripts already running
	// stop (default false).
	ReloadOnWithdraw bool
	PolicyURL        string
	Theme            string // ThemeAuto (default: follows prefers-color-scheme), ThemeLight or ThemeDark
	Layout           string // LayoutBar (default: a bar along the bottom) or LayoutBox (a box in a corner)
	// Texts overrides the built-in UI texts, keyed by UI text key (bannerTitle, acceptAll…).
	Texts      map[string]Text
	Categories []Category
	Receipts   Receipts // "receipts" (CONTRACT.md §10); the zero value sends none
	// ConsentMode is googleConsentMode (§11); nil when the policy has none.
	ConsentMode *ConsentMode
	// Matomo is the policy's matomo key (§11); nil when the policy has none.
	Matomo *Matomo
}

// Values of the policy's "theme" and "layout" keys.
const (
	ThemeAuto  = "auto"
	ThemeLight = "light"
	ThemeDark  = "dark"
	LayoutBar  = "bar"
	LayoutBox  = "box"
)

// CookieSettings says how the consent cookie is written (§3 "cookie").
type CookieSettings struct {
	Name             string // default DefaultCookieName
	ExpiresAfterDays int    // default 182; 1 to 395
	Domain           string // "" = host-only
	Path             string // default "/"
	SameSite         string // "Lax" (default), "Strict" or "None"
}

// Category is a purpose the visitor accepts or refuses as a whole.
type Category struct {
	ID          string
	Required    bool
	Title       Text
	Description Text
	Cookies     []CookieDeclaration
	Services    []Service
}

// Service is an optional finer grain inside a category.
type Service struct {
	ID          string
	Title       Text
	Description Text
	// ConsentRequired is false for anonymised statistics that need no consent (default true).
	ConsentRequired bool
	Cookies         []CookieDeclaration
}

// CookieDeclaration is one row of the cookie declaration table.
type CookieDeclaration struct {
	Provider Text
	Names    []string // cookie names; '*' is a wildcard
	// Storage holds the localStorage and sessionStorage keys the row's provider writes
	// ("storage", 1.1); '*' is a wildcard. They are deleted on withdrawal like Names.
	Storage  []string
	Function Text
	Purpose  Text
	// ExpiresAfterDays is how long the cookies live, in days (§3, 1.1): 0 for a session
	// cookie ("until the browser closes"), nil when the policy does not say.
	ExpiresAfterDays *int
}

// Text is a localized text: language code → text. A plain JSON string in policy.json
// (the same in every language) is stored under the empty key.
type Text map[string]string

// In returns the text in lang, else in fallback, else the plain (language-independent) text.
func (t Text) In(lang, fallback string) string {
	if s, ok := t[lang]; ok {
		return s
	}
	if s, ok := t[fallback]; ok {
		return s
	}
	return t[""]
}

// Category returns the category with that id, or nil.
func (p *Policy) Category(id string) *Category {
	for i := range p.Categories {
		if p.Categories[i].ID == id {
			return &p.Categories[i]
		}
	}
	return nil
}

// Service returns the service with that id, or nil.
func (c *Category) Service(id string) *Service {
	for i := range c.Services {
		if c.Services[i].ID == id {
			return &c.Services[i]
		}
	}
	return nil
}
