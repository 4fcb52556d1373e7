package consentry_test

import (
	"testing"
)

// fourPurposesCategories are three optional categories added to the shipped policy's
// statistics, for a first layer that must name four purposes (CONTRACT.md §8, 1.1).
func fourPurposesCategories() []any {
	category := func(id, en, fr, descEN, descFR string) map[string]any {
		return map[string]any{
			"id": id, "required": false,
			"title":       map[string]any{"en": en, "fr": fr},
			"description": map[string]any{"en": descEN, "fr": descFR},
		}
	}
	videos := category("videos", "Embedded videos", "Vidéos intégrées",
		"Videos from another site, which may set their own cookies.",
		"Des vidéos d’un autre site, qui peut déposer ses propres cookies.")
	// A row with storage keys only (CONTRACT.md §3 cookies[].storage, 1.1), so that the
	// accessibility checks cover them in the declaration tables.
	videos["cookies"] = []any{map[string]any{
		"provider": "YouTube", "storage": []any{"yt-player-*", "ytidb::LAST_RESULT_ENTRY_KEY"},
		"function": map[string]any{"en": "Video player", "fr": "Lecteur vidéo"},
		"purpose":  map[string]any{"en": "To remember the player's settings", "fr": "Pour retenir les réglages du lecteur"},
	}}
	return []any{
		videos,
		category("advertising", "Advertising partners", "Partenaires publicitaires",
			"Advertisements chosen by our partners.",
			"Des publicités choisies par nos partenaires."),
		category("personalisation", "Personalised content", "Contenu personnalisé",
			"Content chosen from the pages you visited.",
			"Des contenus choisis d’après les pages que vous avez consultées."),
	}
}

// TestE2EFirstLayerPurposes: with four optional categories, the banner's first layer
// names the four titles in the visitor's language (CONTRACT.md §8, 1.1), right below its
// description, inside the banner region; with the shipped policy it names its one.
func TestE2EFirstLayerPurposes(t *testing.T) {
	t.Parallel() // its subtests each open their own browser context
	requireE2E(t)
	for _, c := range []struct {
		lang, variant, want string
	}{
		{"en", "purposes", "We ask your consent for: Statistics, Embedded videos, Advertising partners, Personalised content."},
		{"fr", "purposes", "Nous vous demandons votre consentement pour : Statistiques, Vidéos intégrées, Partenaires publicitaires, Contenu personnalisé."},
		{"en", "", "We ask your consent for: Statistics."},
		{"fr", "", "Nous vous demandons votre consentement pour : Statistiques."},
	} {
		t.Run(c.lang+"-"+c.variant, func(t *testing.T) {
			p := newPage(t)
			p.mustOpen(a11yPage("lang", c.lang, "variant", c.variant))
			p.expectVisible(selBanner, "banner")
			got := p.shadowText(selBanner + ` #consentry-banner-purposes`) // white space, the no-break space too, read as one space
			if got != c.want {
				t.Errorf("first layer's purposes = %q, want %q", got, c.want)
			}
			// Right below the description, and shown.
			where := evalJS[string](p, `((b) => {
  const d = b.querySelector('#consentry-banner-description'), s = b.querySelector('#consentry-banner-purposes');
  if (!d || !s) return 'missing';
  if (d.nextElementSibling !== s) return 'not right after the description';
  const r = s.getBoundingClientRect();
  return r.height > 0 && !s.hidden ? 'ok' : 'not shown';
})(`+shadowJS(selBanner)+`)`)
			if where != "ok" {
				t.Errorf("the purposes sentence is %s", where)
			}
			p.expectClean()
		})
	}
}
