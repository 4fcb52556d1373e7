package widget

import (
	"strings"
)

// This file decides which language the widget speaks. Language codes are BCP 47 language
// tags (RFC 5646), compared case-insensitively as section 2.1.1 requires. Choosing among
// them is a simplified form of the "lookup" scheme of RFC 4647 section 3.4: the visitor's
// languages are tried in order of preference, each one first as written and then with
// subtags removed from the end, and the first language the policy offers wins.

// maxLanguageTagLength is the longest language tag accepted. RFC 5646 section 4.4.1 asks
// implementations to handle tags of at least 35 characters; nothing useful is longer.
const maxLanguageTagLength = 35

// validLanguageTag reports whether s is written like a BCP 47 language tag (RFC 5646
// section 2.1): 2 to 35 ASCII letters, digits and hyphens, in subtags of 1 to 8
// characters separated by single hyphens, the first subtag being 2 to 8 letters. It checks
// the form only, not the IANA registry, so "xx" passes and "en_US" or "en-" do not.
func validLanguageTag(s string) bool {
	if len(s) < 2 || len(s) > maxLanguageTagLength {
		return false
	}
	for i, subtag := range strings.Split(s, "-") {
		if len(subtag) < 1 || len(subtag) > 8 {
			return false
		}
		for j := 0; j < len(subtag); j++ {
			c := subtag[j]
			isLetter := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
			isDigit := '0' <= c && c <= '9'
			if !isLetter && (i == 0 || !isDigit) {
				return false
			}
		}
		if i == 0 && len(subtag) < 2 {
			return false
		}
	}
	return true
}

// primarySubtag returns the language subtag of tag (RFC 5646 section 2.2.1), lower-cased:
// "pt" for "pt-BR".
func primarySubtag(tag string) string {
	if i := strings.IndexByte(tag, '-'); i >= 0 {
		tag = tag[:i]
	}
	return strings.ToLower(tag)
}

// truncateLanguageTag removes the last subtag of tag, and with it a single-character
// subtag left at the end (an extension or private-use singleton), as the lookup
// fallback of RFC 4647 section 3.4 does: "zh-Hant-CN-x-private1" becomes "zh-Hant-CN",
// then "zh-Hant", then "zh", then "".
func truncateLanguageTag(tag string) string {
	i := strings.LastIndexByte(tag, '-')
	if i < 0 {
		return ""
	}
	tag = tag[:i]
	if j := strings.LastIndexByte(tag, '-'); j >= 0 && j == len(tag)-2 {
		tag = tag[:j]
	}
	return tag
}

// Languages returns the languages the policy offers: its defaultLanguage first, then every
// other language code used as a key of a localized text anywhere in the policy (titles,
// descriptions, cookie declarations, text overrides), sorted. Codes are returned as the
// policy writes them.
func (p *Policy) Languages() []string {
	if p == nil {
		return nil
	}
	seen := map[string]bool{p.DefaultLanguage: true}
	var others []string
	add := func(t Text) {
		for lang := range t {
			if lang != "" && !seen[lang] {
				seen[lang] = true
				others = append(others, lang)
			}
		}
	}
	addCookies := func(cookies []CookieDeclaration) {
		for _, d := range cookies {
			add(d.Provider)
			add(d.Function)
			add(d.Purpose)
		}
	}
	for _, t := range p.Texts {
		add(t)
	}
	for _, c := range p.Categories {
		add(c.Title)
		add(c.Description)
		addCookies(c.Cookies)
		for _, s := range c.Services {
			add(s.Title)
			add(s.Description)
			addCookies(s.Cookies)
		}
	}
	sortStrings(others)
	return append([]string{p.DefaultLanguage}, others...)
}

// NegotiateLanguage chooses the language to show the policy in. requested holds the
// visitor's languages in order of priority (the wasm front end passes the script's
// data-lang, then <html lang>, then navigator.languages: CONTRACT.md §2); empty strings
// and "*" are skipped, and "_" is read as "-" because some systems write "fr_FR".
//
// A language is offered when it is the policy's defaultLanguage or a key of one of its
// localized texts (see Languages); the built-in UI texts then fill in the buttons and
// labels, in that language when built in and in the defaultLanguage otherwise (see UIText).
// English and French being built in does not make them offered: a policy written only in
// English is shown in English, never with French buttons around English descriptions.
//
// Each requested tag is matched case-insensitively against the offered ones: first as
// written, then shortened subtag by subtag ("fr-CA" matches an offered "fr"), then, when
// nothing else matched, against an offered tag of the same primary language ("pt" matches
// "pt-BR" when "pt" itself is not offered; the first such tag in Languages order wins). The
// first requested tag that matches decides; when none does, the result is the
// defaultLanguage. The result is always spelled as the policy spells it.
func (p *Policy) NegotiateLanguage(requested ...string) string {
	if p == nil {
		return ""
	}
	offered := p.Languages()
	for _, tag := range requested {
		tag = strings.TrimSpace(strings.ReplaceAll(tag, "_", "-"))
		if tag == "" || tag == "*" {
			continue
		}
		if lang, ok := matchLanguage(tag, offered); ok {
			return lang
		}
	}
	return p.DefaultLanguage
}

// matchLanguage finds the offered language that best serves one requested tag, by the
// steps NegotiateLanguage describes.
func matchLanguage(tag string, offered []string) (string, bool) {
	for t := tag; t != ""; t = truncateLanguageTag(t) {
		for _, o := range offered {
			if strings.EqualFold(o, t) {
				return o, true
			}
		}
	}
	primary := primarySubtag(tag)
	for _, o := range offered {
		if primarySubtag(o) == primary {
			return o, true
		}
	}
	return "", false
}

// isRightToLeftLanguage reports whether lang, a lower-case primary language subtag, is
// written right to left in its usual script (CLDR's character order for the language's
// default script), including the deprecated codes iw (Hebrew) and ji (Yiddish) that some
// browsers still send. A switch rather than a map: nothing to build at start-up.
func isRightToLeftLanguage(lang string) bool {
	switch lang {
	case "ar", "he", "iw", "fa", "ur", "ps", "sd", "ug", "yi", "ji", "dv", "ckb":
		return true
	}
	return false
}

// isRightToLeftScript reports whether script, a lower-case ISO 15924 code, is written
// right to left: the scripts a language tag may name explicitly (as in "ku-Arab").
func isRightToLeftScript(script string) bool {
	switch script {
	case "arab", "hebr", "syrc", "thaa", "nkoo", "adlm", "rohg":
		return true
	}
	return false
}

// IsRightToLeft reports whether text in lang is written right to left, for the dir
// attribute of the widget's root. A script subtag decides when the tag has one (RFC 5646
// section 2.2.3: "ku-Arab" is right to left, "sd-Deva" is not); otherwise the primary
// language does (ar, he, fa, ur, ps, sd, ug, yi, dv, ckb).
func IsRightToLeft(lang string) bool {
	subtags := strings.Split(strings.ToLower(strings.ReplaceAll(lang, "_", "-")), "-")
	for _, s := range subtags[1:] {
		if len(s) == 3 && isASCIILetters(s) {
			continue // an extended language subtag (section 2.2.2) comes before the script
		}
		if len(s) == 4 && isASCIILetters(s) {
			return isRightToLeftScript(s)
		}
		break
	}
	return isRightToLeftLanguage(subtags[0])
}

// isASCIILetters reports whether s is made only of ASCII letters.
func isASCIILetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i] | 0x20; c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

// SameLanguage reports whether two language tags are the same tag, compared
// case-insensitively (RFC 5646 section 2.1.1), reading "_" as "-". "fr" and "fr-CA" are
// different tags: a text in "fr" inside a widget in "fr-CA" is marked as "fr".
func SameLanguage(a, b string) bool {
	return strings.EqualFold(strings.ReplaceAll(a, "_", "-"), strings.ReplaceAll(b, "_", "-"))
}
