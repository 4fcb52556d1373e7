package widget

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBuiltinTextsComplete checks that every UI text key is built in, non-empty, in every
// built-in language, and that nothing else is.
func TestBuiltinTextsComplete(t *testing.T) {
	assert.Equal(t, []string{"en", "fr"}, BuiltinLanguages())
	keys := UITextKeys()
	assert.Len(t, keys, len(builtinTextTable), "builtinTexts has a key that UITextKeys lacks")
	// CONTRACT.md §8 lists these keys; the front end adds the rest.
	assert.Subset(t, keys, []string{"bannerTitle", "bannerDescription", "acceptAll", "rejectAll",
		"customize", "save", "close", "preferencesTitle", "preferencesDescription", "alwaysOn",
		"policyLink", "providerColumn", "functionColumn", "cookieNamesColumn", "purposeColumn"})
	for _, key := range keys {
		for _, lang := range BuiltinLanguages() {
			s := builtinTexts(key)[lang]
			assert.NotEmpty(t, strings.TrimSpace(s), "%s in %s", key, lang)
			// §3: texts are plain text, never HTML; links would need [label](url).
			assert.NotContains(t, s, "<", "%s in %s", key, lang)
			assert.Empty(t, linkURLs(s), "%s in %s", key, lang)
		}
		assert.Len(t, builtinTexts(key), len(BuiltinLanguages()), key)
	}
}

// linkURLs returns the URLs of the [label](url) links in s.
func linkURLs(s string) []string {
	var urls []string
	for _, seg := range SplitLinks(s) {
		if seg.Link {
			urls = append(urls, seg.URL)
		}
	}
	return urls
}

// TestBuiltinTextsCopy checks the built-in copy against the contract and the regulator's
// guidance, text by text.
func TestBuiltinTextsCopy(t *testing.T) {
	en := func(key string) string { return builtinTexts(key)["en"] }
	fr := func(key string) string { return builtinTexts(key)["fr"] }

	// CONTRACT.md §8 gives the English column names, and the ODS cookie tables the French.
	assert.Equal(t, "Service provider's name", en("providerColumn"))
	assert.Equal(t, "Function and location", en("functionColumn"))
	assert.Equal(t, "Cookie name(s)", en("cookieNamesColumn"))
	assert.Equal(t, "Purposes", en("purposeColumn"))
	assert.Equal(t, "Nom du fournisseur du service", fr("providerColumn"))
	assert.Equal(t, "Fonction et localisation", fr("functionColumn"))
	assert.Equal(t, "Nom(s) du cookie", fr("cookieNamesColumn"))
	assert.Equal(t, "Finalités", fr("purposeColumn"))
	assert.Equal(t, "Continue without accepting", en("continueWithoutAccepting"))
	assert.Equal(t, "Continuer sans accepter", fr("continueWithoutAccepting"))

	for _, lang := range BuiltinLanguages() {
		text := func(key string) string { return builtinTexts(key)[lang] }
		banner := text("bannerDescription")
		// CNIL recommendation 2020-092 art. 2: when closing or "continue without accepting"
		// means refusing, the banner says so, with the button's own words.
		assert.Contains(t, banner, text("continueWithoutAccepting"), lang)
		// CNIL art. 2: the banner names the purpose it asks consent for (the default
		// policy's optional purpose is audience statistics).
		assert.Contains(t, strings.ToLower(banner), map[string]string{"en": "audience", "fr": "audience"}[lang], lang)
		// CNIL art. 3 and GDPR art. 7(3): the choice can be changed at any time, from the
		// "Cookie settings" link, which opens the dialog of that name.
		assert.Contains(t, banner, text("preferencesTitle"), lang)
		assert.Contains(t, banner, map[string]string{"en": "at any time", "fr": "à tout moment"}[lang], lang)
		// Refusing is as easy as accepting: the two buttons say so plainly, in parallel.
		assert.NotEqual(t, text("acceptAll"), text("rejectAll"))
	}
	assert.Contains(t, en("bannerDescription"), "means you refuse")
	assert.Contains(t, fr("bannerDescription"), "vaut refus")
}

// TestFrenchTypography checks that the French texts use French typography: typographic
// apostrophes, and guillemets with no-break spaces inside.
func TestFrenchTypography(t *testing.T) {
	for _, key := range UITextKeys() {
		s := builtinTexts(key)["fr"]
		assert.NotContains(t, s, "'", "%s: write ’, not '", key)
		assert.NotContains(t, s, `"`, "%s: write « », not \"", key)
		assert.NotContains(t, s, "« ", "%s: a no-break space follows «", key)
		assert.NotContains(t, s, " »", "%s: a no-break space precedes »", key)
		assert.NotContains(t, s, " :", "%s: a no-break space precedes ':'", key)
	}
}

// TestUIText checks the precedence of UIText: the policy's override in the language, the
// built-in text in the language, the override in the defaultLanguage, the built-in text in
// the defaultLanguage, then English.
func TestUIText(t *testing.T) {
	p, err := ParsePolicy([]byte(`{"revision":1,"defaultLanguage":"en","texts":{
		"acceptAll":{"en":"OK for all","de":"Alle akzeptieren"},
		"rejectAll":{"en":"No thanks"},
		"save":{"en":"Save","fr":"Enregistrer"},
		"close":"×"},
		"categories":[{"id":"necessary","required":true,"title":"Necessary"}]}`))
	require.NoError(t, err)
	german, err := ParsePolicy([]byte(`{"revision":1,"defaultLanguage":"de","texts":{"customize":{"de":"Anpassen"}},"categories":[{"id":"necessary","required":true,"title":"Notwendig"}]}`))
	require.NoError(t, err)

	tests := []struct {
		desc      string
		p         *Policy
		key, lang string
		want      string
	}{
		{"§3: the policy's override in the language comes first", p, "acceptAll", "de", "Alle akzeptieren"},
		{"§3: the override in the defaultLanguage is used in that language", p, "acceptAll", "en", "OK for all"},
		{"the built-in text in the language beats the override in another language", p, "rejectAll", "fr", "Tout refuser"},
		{"without either, the override in the defaultLanguage", p, "rejectAll", "de", "No thanks"},
		{"without any override, the built-in text in the language", p, "customize", "fr", "Personnaliser"},
		{"without any override or built-in text in the language, the built-in defaultLanguage", p, "customize", "de", "Customise"},
		{"§3: a plain string override is the same in every language", p, "close", "fr", "×"},
		{"an override in the primary language serves a regional variant", p, "save", "fr-CA", "Enregistrer"},
		{"the built-in text in the primary language serves a regional variant", p, "alwaysOn", "fr-BE", "Toujours activés"},
		{"languages compare case-insensitively (RFC 5646 §2.1.1)", p, "alwaysOn", "FR", "Toujours activés"},
		{"an override in a defaultLanguage that is not built in", german, "customize", "it", "Anpassen"},
		{"last resort: the built-in English text", german, "save", "it", "Save my choices"},
		{"no language at all falls back the same way", german, "save", "", "Save my choices"},
		{"an unknown key has no text", p, "accept", "en", ""},
		{"without a policy, built-in texts still work", nil, "save", "fr", "Enregistrer mes choix"},
		{"without a policy, English is the last resort", nil, "save", "de", "Save my choices"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.p.UIText(tt.key, tt.lang))
		})
	}
}

// TestUITextLang checks that UITextLang gives UIText's text and the language it is really
// in, so that the front end can mark a fallback with its own lang (WCAG 2.2 SC 3.1.2).
func TestUITextLang(t *testing.T) {
	p, err := ParsePolicy([]byte(`{"revision":1,"defaultLanguage":"en","texts":{
		"acceptAll":{"en":"Accept all","ar":"قبول الكل"},
		"close":"×"},
		"categories":[{"id":"necessary","required":true,"title":{"en":"Necessary","ar":"ضرورية"}}]}`))
	require.NoError(t, err)
	tests := []struct {
		desc           string
		key, lang      string
		want, wantLang string
	}{
		{"an override in the language is in that language", "acceptAll", "ar", "قبول الكل", "ar"},
		{"a missing translation falls back to the built-in defaultLanguage text, in English", "rejectAll", "ar", "Reject all", "en"},
		{"a built-in text in a regional variant's primary language is in that language", "rejectAll", "fr-CA", "Tout refuser", "fr"},
		{"a plain-string override is taken to be in the language asked for", "close", "ar", "×", "ar"},
		{"the language as the text spells it, whatever the case asked for", "rejectAll", "FR", "Tout refuser", "fr"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			got, lang := p.UITextLang(tt.key, tt.lang)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, tt.wantLang, lang)
			assert.Equal(t, p.UIText(tt.key, tt.lang), got, "UIText and UITextLang agree")
		})
	}
	// A policy text falls back the same way.
	title := p.Categories[0].Title
	s, lang := title.InLang("fr", "en")
	assert.Equal(t, "Necessary", s)
	assert.Equal(t, "en", lang)
	s, lang = title.InLang("ar", "en")
	assert.Equal(t, "ضرورية", s)
	assert.Equal(t, "ar", lang)
	s, lang = Text{"": "Opendatasoft"}.InLang("fr", "en")
	assert.Equal(t, "Opendatasoft", s)
	assert.Equal(t, "fr", lang, "a plain text is in whatever language it is shown in")
}

// TestUITextKeysIsACopy checks that callers cannot change the package's key list.
func TestUITextKeysIsACopy(t *testing.T) {
	keys := UITextKeys()
	keys[0] = "changed"
	assert.Equal(t, "bannerTitle", UITextKeys()[0])
	langs := BuiltinLanguages()
	langs[0] = "changed"
	assert.Equal(t, "en", BuiltinLanguages()[0])
}

// TestSplitLinks checks the [label](url) link syntax of descriptions (§3).
func TestSplitLinks(t *testing.T) {
	tests := []struct {
		desc string
		in   string
		want []TextSegment
	}{
		{"plain text is one segment", "No links here.", []TextSegment{{Text: "No links here."}}},
		{"the empty text has no segment", "", nil},
		{"§3: a link between plain runs", "Read [our policy](/cookies) first.", []TextSegment{{Text: "Read "}, {Text: "our policy", URL: "/cookies", Link: true}, {Text: " first."}}},
		{"a link alone", "[policy](https://example.org)", []TextSegment{{Text: "policy", URL: "https://example.org", Link: true}}},
		{"two links", "[a](/a) and [b](/b)", []TextSegment{{Text: "a", URL: "/a", Link: true}, {Text: " and "}, {Text: "b", URL: "/b", Link: true}}},
		{"the URL runs to the first ')'", "[x](javascript:alert(1))", []TextSegment{{Text: "x", URL: "javascript:alert(1", Link: true}, {Text: ")"}}},
		{"an empty URL is still a link, so that ParsePolicy can refuse it", "[x]()", []TextSegment{{Text: "x", URL: "", Link: true}}},
		{"an empty label is not a link", "[](/a)", []TextSegment{{Text: "[](/a)"}}},
		{"brackets without parentheses are plain text", "[note] (see below)", []TextSegment{{Text: "[note] (see below)"}}},
		{"an unclosed URL is plain text", "[a](/b", []TextSegment{{Text: "[a](/b"}}},
		{"a '[' inside the label starts the label again", "[a [b](/c)", []TextSegment{{Text: "[a "}, {Text: "b", URL: "/c", Link: true}}},
		{"non-ASCII labels and URLs are kept", "[Politique de confidentialité](/données)", []TextSegment{{Text: "Politique de confidentialité", URL: "/données", Link: true}}},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			got := SplitLinks(tt.in)
			assert.Equal(t, tt.want, got)
			var joined strings.Builder
			for _, seg := range got {
				if seg.Link {
					joined.WriteString("[" + seg.Text + "](" + seg.URL + ")")
				} else {
					joined.WriteString(seg.Text)
				}
			}
			assert.Equal(t, tt.in, joined.String(), "the segments give back the text")
		})
	}
}
