package widget

// This file holds the frame of the widget (#consentry-root and its status region) and the
// first layer, the banner (CONTRACT.md §8), as views (view.go).

// Ids of the elements of the views that others refer to (aria-labelledby, tests).
const (
	BannerTitleID       = "consentry-banner-title"
	BannerDescriptionID = "consentry-banner-description"
	BannerPurposesID    = "consentry-banner-purposes"
	PreferencesTitleID  = "consentry-preferences-title"
)

// FrameAttrs returns the attributes of #consentry-root, the host of the widget's shadow
// root, for the view in lang: the language of its texts (WCAG 2.2 SC 3.1.2) and its
// direction (a right-to-left language mirrors the layout, which uses logical properties
// only), and the policy's theme and layout, which the stylesheet draws from.
func (p *Policy) FrameAttrs(lang string) []Attr {
	theme, layout := p.Theme, p.Layout
	if theme == "" {
		theme = ThemeAuto
	}
	if layout == "" {
		layout = LayoutBar
	}
	return at("lang", lang, "dir", textDirection(lang), "data-theme", theme, "data-layout", layout)
}

// StatusView returns the widget's role="status" region, last in its shadow root, which
// screen readers read out without focus moving (WCAG 2.2 SC 4.1.3). It starts empty; a
// message is StatusMessage(text) inside it.
func StatusView() *Node { return El("div", at("role", "status", "class", "status")) }

// StatusMessage returns the content of the status region that says msg.
func StatusMessage(msg string) *Node { return El("p", nil, TextNode(msg)) }

// BannerView returns the banner in lang: a non-modal region, hidden until the front end
// shows it (hidden, and a manual popover where the browser has them). Its controls carry
// their actions; Esc inside it takes ActionContinue (AttrEscapeAction), a refusal, as its
// text says.
func (p *Policy) BannerView(lang string) *Node {
	v := viewBuilder{p, lang}
	text := El("p", at("id", BannerDescriptionID), v.tx("bannerDescription"))
	if p.PolicyURL != "" {
		text.Append(TextNode(" "), El("a", at("href", p.PolicyURL), v.tx("policyLink")))
	}
	return El("section", at(
		"part", PartBanner, "class", "banner", "role", "region",
		"aria-labelledby", BannerTitleID, "hidden", "", "popover", "manual",
		AttrEscapeAction, ActionContinue),
		// "Continue without accepting" is a refusal, and the description says so (CNIL
		// recommendation 2020-092, art. 2).
		v.button(v.tx("continueWithoutAccepting"), PartContinue, "continue", ActionContinue),
		El("div", nil,
			El("h2", at("id", BannerTitleID), v.tx("bannerTitle")),
			text, v.purposes()),
		// Reject comes first and all three share one style: refusing is as easy as
		// accepting (CNIL recommendation 2020-092, art. 2).
		El("div", at("class", "actions"),
			v.button(v.tx("rejectAll"), "button "+PartRejectAll, "btn", ActionRejectAll),
			v.button(v.tx("acceptAll"), "button "+PartAcceptAll, "btn", ActionAcceptAll),
			v.button(v.tx("customize"), "button "+PartCustomize, "btn", ActionCustomize)),
	)
}

// purposes is the sentence that names every purpose the banner asks consent for
// (CONTRACT.md §8, 1.1), below the description; a piece in another language than the
// view's gets its own lang. With no optional category it is an empty, hidden paragraph.
func (v viewBuilder) purposes() *Node {
	p := El("p", at("id", BannerPurposesID, "class", "purposes"))
	pieces := v.p.BannerPurposes(v.lang)
	if len(pieces) == 0 {
		p.SetAttr("hidden", "")
	}
	for _, piece := range pieces {
		p.Append(v.inLang(piece.Text, piece.Lang))
	}
	return p
}
