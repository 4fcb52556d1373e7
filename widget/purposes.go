package widget

// This file holds the first layer's list of purposes (CONTRACT.md §8, 1.1): the banner
// names the title of every optional category of the policy, so that a policy that adds a
// purpose never shows a banner that is silent about it (CNIL recommendation 2020-092,
// art. 2: the first layer states every purpose it asks consent for).

// LangText is a piece of text and the language it is in, for a front end that marks a
// piece that fell back to another language with its own lang attribute (WCAG 2.2 SC 3.1.2).
type LangText struct {
	Text string
	Lang string
}

// BannerPurposes returns the sentence that names the purposes of the first layer, in lang,
// as pieces to render one after the other: the lead-in (UI text key "bannerPurposes",
// "We ask your consent for:"), then the title of each optional category in policy order,
// separated by ", " and ended with "." — "We ask your consent for: Statistics, Embedded
// videos." A title keeps the language it is written in (a fallback to the policy's
// defaultLanguage says so). A policy without optional categories asks for nothing: the
// result is nil, and the banner shows no such sentence.
func (p *Policy) BannerPurposes(lang string) []LangText {
	var titles []LangText
	for i := range p.Categories {
		c := &p.Categories[i]
		if c.Required {
			continue
		}
		text, textLang := c.Title.InLang(lang, p.DefaultLanguage)
		titles = append(titles, LangText{Text: text, Lang: textLang})
	}
	if len(titles) == 0 {
		return nil
	}
	lead, leadLang := p.UITextLang("bannerPurposes", lang)
	pieces := make([]LangText, 0, 2*len(titles)+1)
	pieces = append(pieces, LangText{Text: lead + " ", Lang: leadLang})
	for i, t := range titles {
		if i > 0 {
			pieces = append(pieces, LangText{Text: ", ", Lang: lang})
		}
		pieces = append(pieces, t)
	}
	return append(pieces, LangText{Text: ".", Lang: lang})
}
