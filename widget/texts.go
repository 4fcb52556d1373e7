package widget

import "strings"

// This file holds the widget's built-in UI texts (the keys of CONTRACT.md §8) in English
// and French, the rule that chooses between them and a policy's "texts" overrides (§3),
// and the [label](url) link syntax of descriptions. Texts are plain text: the front end
// sets them with textContent, never as HTML.
//
// The copy follows the CNIL's recommendation of 17 September 2020 (délibération
// 2020-092, article 2): refusing is offered with the same ease as accepting, the banner
// names the purpose it asks about (the default policy's only optional purpose is audience
// statistics; below the description, BannerPurposes names the title of every optional
// category of the policy, so a site with other purposes is never silent about them), says that closing
// it or continuing without accepting means refusing, and says where the choice can be
// changed later. French texts follow French typography: typographic apostrophes (’),
// guillemets and a no-break space (U+00A0) before ':' and inside guillemets. English texts
// keep the straight apostrophe of the contract's column names ("Service provider's name").

// uiTextKeys lists every UI text key, in the order of CONTRACT.md §8 and then the keys
// the front end adds.
var uiTextKeys = []string{
	"bannerTitle",
	"bannerDescription",
	"acceptAll",
	"rejectAll",
	"customize",
	"save",
	"close",
	"preferencesTitle",
	"preferencesDescription",
	"alwaysOn",
	"policyLink",
	"providerColumn",
	"functionColumn",
	"cookieNamesColumn",
	"purposeColumn",
	"continueWithoutAccepting",
	"durationColumn",
	"savedStatus",
	"exemptService",
	"cookieDetails",
	"gpcHonoured",
	"on",
	"off",
	"bannerPurposes",
	"storageKeys",
}

// builtinLanguages are the languages of builtinTexts, English first: the last resort.
var builtinLanguages = []string{"en", "fr"}

// builtinTextTable holds each UI text key's built-in texts. It is a table of constant
// strings rather than a map literal so that nothing runs at start-up to build it: the
// linker lays it out as data, and a lookup walks some twenty entries.
var builtinTextTable = [...]struct{ key, en, fr string }{
	{
		key: "bannerTitle",
		en:  "Cookies on this site",
		fr:  "Les cookies sur ce site",
	},
	{
		key: "bannerDescription",
		en: "This site uses cookies that are necessary for it to work; they need no consent. " +
			"With your consent, we would also use cookies to measure the site's audience " +
			"(statistics on how visitors use it). You can accept them, reject them, or choose " +
			"purpose by purpose. Closing this banner or choosing “Continue without accepting” " +
			"means you refuse. You can change your choice at any time with the “Cookie settings” link.",
		fr: "Ce site utilise des cookies nécessaires à son fonctionnement, qui ne demandent pas " +
			"de consentement. Avec votre accord, nous utiliserions aussi des cookies pour mesurer " +
			"l’audience du site (des statistiques sur la façon dont il est utilisé). Vous pouvez " +
			"les accepter, les refuser ou choisir finalité par finalité. Fermer ce bandeau ou " +
			"choisir «\u00a0Continuer sans accepter\u00a0» vaut refus. Vous pouvez modifier votre " +
			"choix à tout moment grâce au lien «\u00a0Paramètres des cookies\u00a0».",
	},
	{
		key: "acceptAll",
		en:  "Accept all",
		fr:  "Tout accepter",
	},
	{
		key: "rejectAll",
		en:  "Reject all",
		fr:  "Tout refuser",
	},
	{
		key: "customize",
		en:  "Customise",
		fr:  "Personnaliser",
	},
	{
		key: "save",
		en:  "Save my choices",
		fr:  "Enregistrer mes choix",
	},
	{
		key: "close",
		en:  "Close",
		fr:  "Fermer",
	},
	{
		key: "preferencesTitle",
		en:  "Cookie settings",
		fr:  "Paramètres des cookies",
	},
	{
		key: "preferencesDescription",
		en: "Choose which cookies this site may use. Necessary cookies are always on because " +
			"the site cannot work without them; they need no consent. The others stay off " +
			"unless you turn them on. Refusing them does not stop you from using the site, and " +
			"you can change your choice at any time.",
		fr: "Choisissez les cookies que ce site peut utiliser. Les cookies nécessaires sont " +
			"toujours activés, car le site ne peut pas fonctionner sans eux, et ne demandent pas " +
			"de consentement. Les autres restent désactivés tant que vous ne les activez pas. " +
			"Les refuser ne vous empêche pas d’utiliser le site, et vous pouvez modifier votre " +
			"choix à tout moment.",
	},
	{
		key: "alwaysOn",
		en:  "Always on",
		fr:  "Toujours activés",
	},
	{
		key: "policyLink",
		en:  "Cookie policy",
		fr:  "Politique relative aux cookies",
	},
	{
		key: "providerColumn",
		en:  "Service provider's name",
		fr:  "Nom du fournisseur du service",
	},
	{
		key: "functionColumn",
		en:  "Function and location",
		fr:  "Fonction et localisation",
	},
	{
		key: "cookieNamesColumn",
		en:  "Cookie name(s)",
		fr:  "Nom(s) du cookie",
	},
	{
		key: "purposeColumn",
		en:  "Purposes",
		fr:  "Finalités",
	},
	{
		key: "durationColumn",
		en:  "Duration",
		fr:  "Durée de conservation",
	},
	{
		key: "continueWithoutAccepting",
		en:  "Continue without accepting",
		fr:  "Continuer sans accepter",
	},
	{
		key: "savedStatus",
		en:  "Your preferences have been saved.",
		fr:  "Vos préférences ont été enregistrées.",
	},
	{
		key: "exemptService",
		en:  "Anonymised statistics: no consent needed",
		fr:  "Statistiques anonymisées\u00a0: aucun consentement requis",
	},
	{
		key: "cookieDetails",
		en:  "Cookies used",
		fr:  "Cookies utilisés",
	},
	{
		key: "gpcHonoured",
		en: "Your browser's Global Privacy Control signal was honoured: optional cookies are " +
			"off. You can still turn them on here.",
		fr: "Le signal Global Privacy Control de votre navigateur a été respecté\u00a0: les " +
			"cookies facultatifs sont désactivés. Vous pouvez tout de même les activer ici.",
	},
	{
		key: "on",
		en:  "On",
		fr:  "Activé",
	},
	{
		key: "off",
		en:  "Off",
		fr:  "Désactivé",
	},
	{
		// The lead-in of the first layer's list of purposes (BannerPurposes).
		key: "bannerPurposes",
		en:  "We ask your consent for:",
		fr:  "Nous vous demandons votre consentement pour\u00a0:",
	},
	{
		// Before the storage keys of a declaration (cookies[].storage), in its table.
		key: "storageKeys",
		en:  "Stored in the browser (localStorage, sessionStorage):",
		fr:  "Stockés dans le navigateur (localStorage, sessionStorage)\u00a0:",
	},
}

// builtinTexts returns key's built-in texts by (lower-case) language, or nil for a key that
// is not a UI text key.
func builtinTexts(key string) Text {
	for _, t := range builtinTextTable {
		if t.key == key {
			return Text{"en": t.en, "fr": t.fr}
		}
	}
	return nil
}

// BuiltinLanguages returns the languages in which every UI text is built in: "en" and
// "fr".
func BuiltinLanguages() []string {
	return append([]string(nil), builtinLanguages...)
}

// UITextKeys returns every UI text key a policy's "texts" may override (CONTRACT.md §3 and
// §8), in a fixed order.
func UITextKeys() []string {
	return append([]string(nil), uiTextKeys...)
}

// isUITextKey reports whether key is one of UITextKeys.
func isUITextKey(key string) bool {
	return builtinTexts(key) != nil
}

// UIText returns the UI text for key in lang. The first of these that exists wins:
//
//  1. the policy's override ("texts") in lang;
//  2. the built-in text in lang;
//  3. the policy's override in its defaultLanguage;
//  4. the built-in text in the defaultLanguage;
//  5. the built-in English text.
//
// "In lang" means for the tag itself, compared case-insensitively, then for its primary
// language: a "fr" text serves "fr-CA". An override written as a plain string is the same
// in every language, so it always wins at step 1. An unknown key yields "". p may be nil
// (no policy): steps 2 and 5 remain.
func (p *Policy) UIText(key, lang string) string {
	s, _ := p.UITextLang(key, lang)
	return s
}

// UITextLang is UIText that also says which language the text is in, so that a front end
// can mark a text that fell back to another language with its own lang attribute (WCAG
// 2.2 SC 3.1.2, Language of Parts). A plain-string override is taken to be in lang.
func (p *Policy) UITextLang(key, lang string) (text, textLang string) {
	var override Text
	if p != nil {
		override = p.Texts[key]
	}
	if s, l, ok := override.lookupLang(lang); ok {
		return s, l
	}
	builtin := builtinTexts(key)
	if s, l, ok := builtin.lookupLang(lang); ok {
		return s, l
	}
	if p != nil {
		if s, l, ok := override.lookupLang(p.DefaultLanguage); ok {
			return s, l
		}
		if s, l, ok := builtin.lookupLang(p.DefaultLanguage); ok {
			return s, l
		}
	}
	return builtin["en"], "en"
}

// InLang is In that also says which language the text is in: lang, fallback, or lang
// again for a plain (language-independent) text.
func (t Text) InLang(lang, fallback string) (text, textLang string) {
	if s, ok := t[lang]; ok {
		return s, lang
	}
	if s, ok := t[fallback]; ok {
		return s, fallback
	}
	return t[""], lang
}

// lookupLang returns the text in lang and the language it is in: the plain
// (language-independent) text when there is one, taken to be in lang; else the text for
// lang compared case-insensitively; else the text for lang's primary language subtag. The
// language is spelled as t's key spells it.
func (t Text) lookupLang(lang string) (string, string, bool) {
	if s, ok := t[""]; ok {
		return s, lang, true
	}
	if lang == "" {
		return "", "", false
	}
	if s, ok := t[lang]; ok {
		return s, lang, true
	}
	primary := primarySubtag(lang)
	var byPrimary, primaryKey string
	found := false
	for l, s := range t {
		if strings.EqualFold(l, lang) {
			return s, l, true
		}
		if !found && strings.EqualFold(l, primary) {
			byPrimary, primaryKey, found = s, l, true
		}
	}
	return byPrimary, primaryKey, found
}

// TextSegment is one piece of a text split by SplitLinks: a link to URL labelled Text when
// Link is true, else plain text.
type TextSegment struct {
	Text string
	URL  string
	Link bool
}

// SplitLinks splits a text into plain runs and links written [label](url), the only markup
// a description may contain (CONTRACT.md §3). A link's label is one or more characters
// other than '[' and ']'; its URL runs to the first ')' (write a ')' inside a URL as %29),
// and "[label]()" is a link with an empty URL. Anything else, such as a lone '[', is plain
// text. SplitLinks does not judge URLs: ParsePolicy refuses a policy with a link that fails
// SafeURL, and a renderer shows a link only when SafeURL(URL) holds.
func SplitLinks(s string) []TextSegment {
	var segments []TextSegment
	plainStart := 0
	for i := 0; i < len(s); i++ {
		if s[i] != '[' {
			continue
		}
		closeLabel := strings.IndexAny(s[i+1:], "[]")
		if closeLabel <= 0 || s[i+1+closeLabel] != ']' {
			continue // no label, an empty label, or a '[' inside it
		}
		labelEnd := i + 1 + closeLabel
		if labelEnd+1 >= len(s) || s[labelEnd+1] != '(' {
			continue
		}
		closeURL := strings.IndexByte(s[labelEnd+2:], ')')
		if closeURL < 0 {
			continue
		}
		urlEnd := labelEnd + 2 + closeURL
		if plainStart < i {
			segments = append(segments, TextSegment{Text: s[plainStart:i]})
		}
		segments = append(segments, TextSegment{Text: s[i+1 : labelEnd], URL: s[labelEnd+2 : urlEnd], Link: true})
		plainStart = urlEnd + 1
		i = urlEnd
	}
	if plainStart < len(s) {
		segments = append(segments, TextSegment{Text: s[plainStart:]})
	}
	return segments
}
