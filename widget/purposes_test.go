package widget

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fourPurposesPolicy is a policy with a required category and four optional ones, one of
// them with an English title only.
const fourPurposesPolicy = `{
  "revision": 1, "defaultLanguage": "en",
  "categories": [
    {"id": "necessary", "required": true, "title": {"en": "Necessary cookies", "fr": "Cookies nécessaires"}},
    {"id": "statistics", "title": {"en": "Statistics", "fr": "Statistiques"}},
    {"id": "videos", "title": {"en": "Embedded videos", "fr": "Vidéos intégrées"}},
    {"id": "ads", "title": {"en": "Advertising", "fr": "Publicité"}},
    {"id": "chat", "title": {"en": "Support chat"}}
  ]
}`

// joinPieces renders BannerPurposes as plain text, each piece that is not in lang marked
// [lang:…], the way a front end marks it with its own lang attribute.
func joinPieces(pieces []LangText, lang string) string {
	var b strings.Builder
	for _, p := range pieces {
		if p.Lang != lang {
			b.WriteString("[" + p.Lang + ":" + p.Text + "]")
			continue
		}
		b.WriteString(p.Text)
	}
	return b.String()
}

// TestBannerPurposes checks the first layer's sentence that names every optional category
// (CONTRACT.md §8, 1.1), in both built-in languages, with a site's own lead-in, and for a
// policy that asks for nothing.
func TestBannerPurposes(t *testing.T) {
	for _, c := range []struct {
		desc, policy, lang, want string
	}{
		{"§8 1.1: the default policy's only optional purpose, in English",
			"", "en", "We ask your consent for: Statistics."},
		{"§8 1.1: the same in French, with French typography (no-break space before ':')",
			"", "fr", "Nous vous demandons votre consentement pour\u00a0: Statistiques."},
		{"§8 1.1: four optional categories, in policy order; the required one is not a purpose asked for",
			fourPurposesPolicy, "en", "We ask your consent for: Statistics, Embedded videos, Advertising, Support chat."},
		{"§8 1.1: a title without a French text falls back to the default language and says so",
			fourPurposesPolicy, "fr", "Nous vous demandons votre consentement pour\u00a0: Statistiques, Vidéos intégrées, Publicité, [en:Support chat]."},
		{"§3 texts: a site's own lead-in wins",
			`{"revision": 1, "defaultLanguage": "en", "texts": {"bannerPurposes": {"en": "Optional uses:", "fr": "Usages facultatifs :"}},
			  "categories": [{"id": "n", "required": true, "title": "N"}, {"id": "maps", "title": {"en": "Maps", "fr": "Cartes"}}]}`,
			"fr", "Usages facultatifs : Cartes."},
		{"§8: a policy with no optional category asks for nothing: no sentence",
			`{"revision": 1, "defaultLanguage": "en", "categories": [{"id": "n", "required": true, "title": "N"}]}`,
			"en", ""},
	} {
		t.Run(c.desc, func(t *testing.T) {
			src := c.policy
			if src == "" {
				src = readDefaultPolicy(t)
			}
			p, err := ParsePolicy([]byte(src))
			require.NoError(t, err)
			assert.Equal(t, c.want, joinPieces(p.BannerPurposes(c.lang), c.lang))
		})
	}
}

// readDefaultPolicy returns the shipped policy.json.
func readDefaultPolicy(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile("../policy.json")
	require.NoError(t, err)
	return string(data)
}
