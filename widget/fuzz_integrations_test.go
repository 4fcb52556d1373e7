package widget

import (
	"testing"
)

// FuzzIntegrationKeys parses policies with the keys of CONTRACT.md §11 and the declared
// lifetimes of §3 (1.1), and checks, for every policy the parser accepts, what the front
// end relies on: a default and an update name exactly the seven signals, each granted or
// denied; Matomo's calls are known names; a declared lifetime has words in both built-in
// languages.
func FuzzIntegrationKeys(f *testing.F) {
	head := `{"revision":1,"defaultLanguage":"en","categories":[{"id":"necessary","required":true,"title":"N","cookies":[{"provider":"P","names":["a"],"expiresAfterDays":`
	for _, seed := range []string{
		head + `0}]},{"id":"statistics","title":"S"}],"googleConsentMode":{"analytics_storage":["statistics"],"security_storage":["necessary"],"waitForUpdate":500,"adsDataRedaction":true},"matomo":{"category":"statistics","cookieless":true}}`,
		head + `395}]},{"id":"ads","title":"A"}],"googleConsentMode":{"ad_storage":["ads","necessary"],"urlPassthrough":false},"matomo":{"category":"ads"}}`,
		head + `3650}]}],"googleConsentMode":{"ad_storage":["nope"]}}`,
		head + `-1}]}],"matomo":{"category":1}}`,
		head + `1e3}]}],"googleConsentMode":{"ad_storage":[]}}`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, src string) {
		p, err := ParsePolicy([]byte(src))
		if err != nil {
			return
		}
		accepted := &Record{Categories: []string{}}
		for _, c := range p.Categories {
			accepted.Categories = append(accepted.Categories, c.ID)
			for _, d := range c.Cookies {
				if d.ExpiresAfterDays == nil {
					continue
				}
				if *d.ExpiresAfterDays < 0 || *d.ExpiresAfterDays > maxCookieLifetimeDays {
					t.Fatalf("lifetime %d accepted", *d.ExpiresAfterDays)
				}
				for _, lang := range []string{"en", "fr"} {
					if text, _ := d.Lifetime(lang); text == "" {
						t.Fatalf("no words for %d days in %s", *d.ExpiresAfterDays, lang)
					}
				}
			}
		}
		for _, r := range []*Record{nil, accepted} {
			if p.ConsentMode != nil {
				update, _ := p.GtagUpdate(r)
				state := update[2].(map[string]any)
				if len(state) != len(ConsentSignals) {
					t.Fatalf("update names %d signals: %v", len(state), state)
				}
				for _, s := range ConsentSignals {
					if v := state[s]; v != Granted && v != Denied {
						t.Fatalf("%s = %v", s, v)
					}
				}
				if d := p.GtagDefaults(); len(d) == 0 || d[0][1] != "default" {
					t.Fatalf("defaults %v", d)
				}
			}
			for _, prev := range []*Record{nil, accepted} {
				if c := p.MatomoConsent(prev, r); c != nil {
					switch c[0] {
					case "setCookieConsentGiven", "setConsentGiven", "forgetCookieConsentGiven", "forgetConsentGiven":
					default:
						t.Fatalf("Matomo call %v", c)
					}
				}
			}
		}
	})
}
