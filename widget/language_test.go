package widget

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestValidLanguageTag checks the form of language codes accepted in a policy.
func TestValidLanguageTag(t *testing.T) {
	tests := []struct {
		desc string
		tag  string
		want bool
	}{
		{"RFC 5646 §2.2.1: a two-letter language", "en", true},
		{"RFC 5646 §2.2.1: a three-letter language", "ckb", true},
		{"RFC 5646 §2.2.4: language and region", "pt-BR", true},
		{"RFC 5646 §2.2.3: language and script", "zh-Hant", true},
		{"RFC 5646 §2.2.4: a numeric region", "es-419", true},
		{"RFC 5646 §2.1.1: case does not matter", "EN-gb", true},
		{"RFC 5646 §2.2.7: private use", "en-x-ods", true},
		{"RFC 5646 §4.4.1: 35 characters are accepted", "zh-Hant-CN-x-private1-private2-abcd", true},
		{"longer than 35 characters", "zh-Hant-CN-x-private1-private2-abcde", false},
		{"one letter is not a language", "e", false},
		{"the empty string is not a language", "", false},
		{"an underscore is not a BCP 47 separator", "en_US", false},
		{"no empty subtags", "en--US", false},
		{"no trailing hyphen", "fr-", false},
		{"subtags have at most 8 characters", "en-abcdefghi", false},
		{"the language subtag is letters only", "e1", false},
		{"no spaces", "en US", false},
		{"ASCII only", "français", false},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			assert.Equal(t, tt.want, validLanguageTag(tt.tag), "%q", tt.tag)
		})
	}
}

// TestTruncateLanguageTag checks the fallback of RFC 4647 §3.4 lookup.
func TestTruncateLanguageTag(t *testing.T) {
	var got []string
	for tag := "zh-Hant-CN-x-private1"; tag != ""; tag = truncateLanguageTag(tag) {
		got = append(got, tag)
	}
	assert.Equal(t, []string{"zh-Hant-CN-x-private1", "zh-Hant-CN", "zh-Hant", "zh"}, got)
}

// languagePolicy parses a policy offering en (the default), fr, pt-BR and zh-Hant.
func languagePolicy(t *testing.T) *Policy {
	t.Helper()
	p, err := ParsePolicy([]byte(`{"revision":1,"defaultLanguage":"en","categories":[{"id":"necessary","required":true,
		"title":{"en":"Necessary","fr":"Nécessaires","pt-BR":"Necessários","zh-Hant":"必要"}}]}`))
	require.NoError(t, err)
	return p
}

// TestNegotiateLanguage checks the choice of language (CONTRACT.md §2: data-lang, then
// <html lang>, then navigator.languages, then the policy's defaultLanguage).
func TestNegotiateLanguage(t *testing.T) {
	p := languagePolicy(t)
	enOnly, err := ParsePolicy([]byte(policyMinimal))
	require.NoError(t, err)
	both, err := ParsePolicy([]byte(`{"revision":1,"defaultLanguage":"pt-BR","categories":[{"id":"necessary","required":true,"title":{"pt-BR":"Necessários","pt":"Necessários"}}]}`))
	require.NoError(t, err)

	tests := []struct {
		desc      string
		p         *Policy
		requested []string
		want      string
	}{
		{"§2: nothing requested gives the defaultLanguage", p, nil, "en"},
		{"an offered language is chosen", p, []string{"fr"}, "fr"},
		{"RFC 5646 §2.1.1: case-insensitively", p, []string{"FR"}, "fr"},
		{"RFC 4647 §3.4: a regional variant falls back to its language", p, []string{"fr-CA"}, "fr"},
		{"an underscore, as some systems write, is read as a hyphen", p, []string{"fr_FR"}, "fr"},
		{"§2: empty candidates (no data-lang, no <html lang>) are skipped", p, []string{"", "", "fr"}, "fr"},
		{"the wildcard of Accept-Language means nothing here", p, []string{"*", "fr"}, "fr"},
		{"§2: the first candidate that matches wins, in priority order", p, []string{"de", "fr", "en"}, "fr"},
		{"a regional variant of an earlier candidate beats a later exact match", p, []string{"en-GB", "fr"}, "en"},
		{"a language matches a regional variant that is offered alone", p, []string{"pt"}, "pt-BR"},
		{"another region of that language too", p, []string{"pt-PT"}, "pt-BR"},
		{"RFC 4647 §3.4: subtags are removed one by one", p, []string{"zh-Hant-TW"}, "zh-Hant"},
		{"a language matches its script variant", p, []string{"zh"}, "zh-Hant"},
		{"§2: nothing offered gives the defaultLanguage", p, []string{"de", "it"}, "en"},
		{"built-in French UI texts do not make French offered when the policy has none", enOnly, []string{"fr"}, "en"},
		{"the result is spelled as the policy spells it", both, []string{"PT-br"}, "pt-BR"},
		{"an exact language beats a regional variant", both, []string{"pt"}, "pt"},
		{"truncation reaches the language before trying a sibling region", both, []string{"pt-PT"}, "pt"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.p.NegotiateLanguage(tt.requested...))
		})
	}
	assert.Equal(t, "", (*Policy)(nil).NegotiateLanguage("fr"), "no policy, no language")
}

// TestIsRightToLeft checks the direction of the widget's text.
func TestIsRightToLeft(t *testing.T) {
	tests := []struct {
		lang string
		want bool
	}{
		{"ar", true}, {"ar-EG", true}, {"he", true}, {"iw", true}, {"fa", true}, {"ur", true},
		{"ps", true}, {"sd", true}, {"ug", true}, {"yi", true}, {"dv", true}, {"ckb", true},
		{"AR", true}, {"he_IL", true},
		{"ku-Arab", true}, {"ku", false}, {"ku-Latn", false},
		{"sd-Deva", false}, {"az-Arab", true}, {"ar-Latn", false},
		{"en", false}, {"fr-CA", false}, {"zh-Hant", false}, {"", false}, {"arab", false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, IsRightToLeft(tt.lang), "%q: RFC 5646 §2.2.3, a script subtag decides, else the language", tt.lang)
	}
}

// TestSameLanguage checks that language tags compare case-insensitively (RFC 5646 section
// 2.1.1), with "_" read as "-", and that a regional variant is another tag.
func TestSameLanguage(t *testing.T) {
	assert.True(t, SameLanguage("fr", "FR"))
	assert.True(t, SameLanguage("pt-BR", "pt_br"))
	assert.False(t, SameLanguage("fr", "fr-CA"))
	assert.False(t, SameLanguage("en", "ar"))
}
