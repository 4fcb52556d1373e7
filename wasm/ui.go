//go:build js && wasm

package main

import (
	"math"
	"slices"
	"strconv"

	"github.com/consentry/consentry/widget"
	"github.com/hack-pad/safejs"
)

// ui holds the rendered widget: a non-modal banner (the first layer) and a modal
// preferences dialog (the second layer), inside an open shadow root (CONTRACT.md §8).
type ui struct {
	root, shadow safejs.Value
	// The banner and the dialog are built on first use: a returning visitor needs neither,
	// and a first visit needs only the banner for its first paint.
	banner      safejs.Value
	dialog      safejs.Value
	status      safejs.Value
	categories  map[string]safejs.Value            // optional category id → its switch
	services    map[string]map[string]safejs.Value // category id → service id → switch
	bannerShown bool
	dialogShown bool
	gpcNotice   safejs.Value // "your GPC signal was honoured", in the dialog
	resizes     safejs.Value // a ResizeObserver on the banner
	pageSpace   *pageSpace   // set while the banner reserves room below the page
	focusBefore safejs.Value // the page element that had focus before the banner (focus.go)
}

// pageSpace is what reserveSpace changed on the host page's <html>, to restore it exactly:
// its own inline padding-bottom and scroll-padding-bottom, and its computed padding-bottom.
type pageSpace struct {
	inlinePadding, inlineScrollPadding, computedPadding string
}

// ensureMounted mounts the widget the first time something is shown: a returning visitor
// who opens nothing never pays for the shadow root and its stylesheet.
func (a *app) ensureMounted() {
	if a.ui.shadow.IsUndefined() {
		a.mount()
		a.renderFrame()
	}
}

// unmount takes the widget out of the page after a failed start: a banner whose buttons
// could no longer take effect must not stay on screen. The ResizeObserver is disconnected
// in the same task, before it could reserve room below the page.
func (a *app) unmount() {
	if a.ui.root.IsUndefined() {
		return
	}
	_, _ = a.ui.resizes.Call("disconnect")
	_, _ = a.ui.root.Call("remove")
	a.ui = ui{}
}

// mount inserts #consentry-root as the first child of <body>, first in the keyboard and
// screen-reader order, and adopts the stylesheet into its shadow root.
func (a *app) mount() {
	a.unmount() // what a failed earlier attempt left
	root := a.el("div", at("id", widget.RootID))
	call(get(a.doc, "body"), "prepend", root)
	a.ui.root = root
	opts, err := safejs.ValueOf(map[string]any{"mode": "open"})
	check(err)
	shadow := call(root, "attachShadow", opts)
	sheet := a.stylesheet() // the loader's (takeover.go)
	set(shadow, "adoptedStyleSheets", call(get(a.win, "Array"), "of", sheet))
	a.ui.shadow = shadow
	a.ui.resizes = must(get(a.win, "ResizeObserver").New(a.callback("ResizeObserver",
		func(safejs.Value, []safejs.Value) any {
			a.reserveSpace()
			return nil
		})))
}

// reserveSpace keeps the end of the page reachable while the banner is shown: the banner
// overlays the page (it never pushes content, so nothing shifts), and <html> gets extra
// padding below everything, as tall as the banner, so the page can scroll past it. The
// matching scroll-padding keeps focused elements out from under the banner when the
// browser scrolls them into view (WCAG 2.2 SC 2.4.11, Focus Not Obscured). Both are set
// through the CSSOM, which a strict style-src allows.
func (a *app) reserveSpace() {
	style := get(get(a.doc, "documentElement"), "style")
	if !a.ui.bannerShown {
		if saved := a.ui.pageSpace; saved != nil {
			call(style, "setProperty", "padding-bottom", saved.inlinePadding)
			call(style, "setProperty", "scroll-padding-bottom", saved.inlineScrollPadding)
			a.ui.pageSpace = nil
		}
		return
	}
	if a.ui.pageSpace == nil {
		computed := call(a.win, "getComputedStyle", get(a.doc, "documentElement"))
		a.ui.pageSpace = &pageSpace{
			inlinePadding:       str(call(style, "getPropertyValue", "padding-bottom")),
			inlineScrollPadding: str(call(style, "getPropertyValue", "scroll-padding-bottom")),
			computedPadding:     str(call(computed, "getPropertyValue", "padding-bottom")),
		}
	}
	// The room the banner takes at the bottom of the window: its height, plus the gap
	// below it in the "box" layout.
	rect := call(a.ui.banner, "getBoundingClientRect")
	height, err := get(rect, "height").Float()
	check(err)
	bottom, err := get(rect, "bottom").Float()
	check(err)
	viewport, err := get(get(a.doc, "documentElement"), "clientHeight").Float()
	check(err)
	space := height + max(0, viewport-bottom)
	px := strconv.FormatFloat(math.Ceil(space), 'f', 0, 64) + "px"
	base := a.ui.pageSpace.computedPadding
	if base == "" {
		base = "0px"
	}
	call(style, "setProperty", "padding-bottom", "calc("+base+" + "+px+")")
	call(style, "setProperty", "scroll-padding-bottom", px)
}

// t returns a UI text in the widget's language, for attributes (aria-label).
func (a *app) t(key string) string { return a.policy.UIText(key, a.lang) }

// tx returns a UI text as a child for el: the text itself when it is in the widget's
// language, else a span carrying the language it fell back to (WCAG 2.2 SC 3.1.2), so
// that a screen reader reads an English button in an Arabic banner in English.
func (a *app) tx(key string) any { return a.inLang(a.policy.UITextLang(key, a.lang)) }

// locx is tx for a policy text.
func (a *app) locx(text widget.Text) any {
	return a.inLang(text.InLang(a.lang, a.policy.DefaultLanguage))
}

// inLang wraps text in <span lang dir> when its language is not the widget's.
func (a *app) inLang(text, lang string) any {
	if lang == "" || widget.SameLanguage(lang, a.lang) {
		return text
	}
	return a.el("span", at("lang", lang, "dir", direction(lang)), text)
}

// direction is the dir attribute for text in lang.
func direction(lang string) string {
	if widget.IsRightToLeft(lang) {
		return "rtl"
	}
	return "ltr"
}

// render shows the widget in the current language: the cookie declarations of the page at
// once, and, once the widget is mounted, its layers (see renderFrame).
func (a *app) render() {
	if !a.ui.shadow.IsUndefined() {
		a.renderFrame()
	}
	a.renderCookieDeclarations()
}

// renderFrame resets the mounted widget to the current language: the layers on screen are
// built again at once, the others when they are first shown.
func (a *app) renderFrame() {
	u := &a.ui
	// The root carries the language of the texts (WCAG 2.2 SC 3.1.2) and its direction:
	// a right-to-left language mirrors the layout, which uses logical properties only.
	setAttr(u.root, "lang", a.lang)
	setAttr(u.root, "dir", direction(a.lang))
	// The stylesheet draws the theme and the layout from these (policy "theme", "layout").
	theme, layout := a.policy.Theme, a.policy.Layout
	if theme == "" {
		theme = widget.ThemeAuto
	}
	if layout == "" {
		layout = widget.LayoutBar
	}
	setAttr(u.root, "data-theme", theme)
	setAttr(u.root, "data-layout", layout)
	call(u.shadow, "replaceChildren")
	u.categories = map[string]safejs.Value{}
	u.services = map[string]map[string]safejs.Value{}
	u.banner, u.dialog = safejs.Undefined(), safejs.Undefined()
	call(u.resizes, "disconnect")
	u.status = a.el("div", at("role", "status", "class", "status"))
	call(u.shadow, "append", u.status)
	if u.bannerShown {
		u.bannerShown = false
		a.showBanner()
	}
	if u.dialogShown {
		u.dialogShown = false
		a.showPreferences()
	}
}

// renderCookieDeclarations fills every data-consentry="cookie-table" element of the host page
// with the full declaration, so a site's cookie-policy page stays in step with policy.json.
// It renders into the page itself (not a shadow root), so the site's own styles apply;
// each table is named by the heading of its category.
func (a *app) renderCookieDeclarations() {
	selector := "[" + widget.AttrHook + `="` + widget.HookCookieTable + `"]`
	for n, host := range list(call(a.doc, "querySelectorAll", selector)) {
		call(host, "replaceChildren")
		setAttr(host, "lang", a.lang)
		setAttr(host, "dir", direction(a.lang))
		for i := range a.policy.Categories {
			c := &a.policy.Categories[i]
			rows := append([]widget.CookieDeclaration(nil), c.Cookies...)
			for _, s := range c.Services {
				rows = append(rows, s.Cookies...)
			}
			headingID := "consentry-declaration-" + strconv.Itoa(n) + "-" + c.ID
			call(host, "append", a.el("h3", at("id", headingID), a.locx(c.Title)))
			if d, lang := c.Description.InLang(a.lang, a.policy.DefaultLanguage); d != "" {
				call(host, "append", a.richText("p", d, lang))
			}
			if len(rows) > 0 {
				call(host, "append", a.cookieTable(rows, headingID))
			}
		}
	}
}

// richText renders a description, in language lang, in which links are written
// [label](url). Only URLs that pass widget.SafeURL become links; anything else stays text
// (ParsePolicy has refused such a policy already: this is the second line of defence).
func (a *app) richText(tag, s, lang string) safejs.Value {
	e := a.el(tag, nil)
	if lang != "" && !widget.SameLanguage(lang, a.lang) {
		setAttr(e, "lang", lang)
		setAttr(e, "dir", direction(lang))
	}
	for _, seg := range widget.SplitLinks(s) {
		if seg.Link && widget.SafeURL(seg.URL) {
			call(e, "append", a.el("a", at("href", seg.URL), seg.Text))
		} else {
			call(e, "append", seg.Text)
		}
	}
	return e
}

// button makes a <button type=button> with part names and a click handler. Its label is
// a string or the element tx gives.
func (a *app) button(label any, part, class string, onClick func()) safejs.Value {
	b := a.el("button", at("type", "button", "part", part, "class", class), label)
	a.on(b, "click", func(safejs.Value) { onClick() })
	return b
}

// decide returns a click handler that records a choice made with one of the widget's
// buttons and says so in the status region (WCAG 2.2 SC 4.1.3).
func (a *app) decide(choose func()) func() {
	return func() {
		choose()
		a.announce(a.t("savedStatus"))
	}
}

// announce puts a short message in the role="status" region, which screen readers read
// out without focus moving. The text node is replaced, so the same message said twice is
// a change too.
func (a *app) announce(msg string) {
	call(a.ui.status, "replaceChildren")
	if msg != "" {
		call(a.ui.status, "append", a.el("p", nil, msg))
	}
}

func (a *app) renderBanner() safejs.Value {
	text := a.el("p", at("id", "consentry-banner-description"), a.tx("bannerDescription"))
	if a.policy.PolicyURL != "" {
		call(text, "append", " ", a.el("a", at("href", a.policy.PolicyURL), a.tx("policyLink")))
	}
	banner := a.el("section", at(
		"part", widget.PartBanner, "class", "banner", "role", "region",
		"aria-labelledby", "consentry-banner-title", "hidden", "", "popover", "manual"),
		// "Continue without accepting" is a refusal, and the description says so (CNIL
		// recommendation 2020-092, art. 2).
		a.button(a.tx("continueWithoutAccepting"), widget.PartContinue, "continue", a.decide(a.rejectAll)),
		a.el("div", nil,
			a.el("h2", at("id", "consentry-banner-title"), a.tx("bannerTitle")),
			text, a.renderPurposes()),
		// Reject comes first and all three share one style: refusing is as easy as
		// accepting (CNIL recommendation 2020-092, art. 2).
		a.el("div", at("class", "actions"),
			a.button(a.tx("rejectAll"), "button "+widget.PartRejectAll, "btn", a.decide(a.rejectAll)),
			a.button(a.tx("acceptAll"), "button "+widget.PartAcceptAll, "btn", a.decide(a.acceptAll)),
			a.button(a.tx("customize"), "button "+widget.PartCustomize, "btn", a.showPreferences)),
	)
	// Esc in the banner closes it, and closing it is refusing, as its text says.
	a.on(banner, "keydown", func(ev safejs.Value) {
		if str(get(ev, "key")) == "Escape" && !truthy(get(ev, "defaultPrevented")) {
			call(ev, "preventDefault")
			a.decide(a.rejectAll)()
		}
	})
	return banner
}

// renderPurposes renders the sentence that names every purpose the banner asks consent
// for (CONTRACT.md §8, 1.1), below the description; a piece in another language than the
// widget's gets its own lang. With no optional category it is an empty, hidden paragraph.
func (a *app) renderPurposes() safejs.Value {
	p := a.el("p", at("id", "consentry-banner-purposes", "class", "purposes"))
	pieces := a.policy.BannerPurposes(a.lang)
	if len(pieces) == 0 {
		setAttr(p, "hidden", "")
	}
	for _, piece := range pieces {
		call(p, "append", a.inLang(piece.Text, piece.Lang))
	}
	return p
}

// banner returns the banner, building it on first use, first in the shadow root.
func (a *app) banner() safejs.Value {
	a.ensureMounted()
	if a.ui.banner.IsUndefined() {
		a.ui.banner = a.renderBanner()
		call(a.ui.shadow, "prepend", a.ui.banner)
		call(a.ui.resizes, "observe", a.ui.banner)
		a.watchBannerFocus(a.ui.banner)
	}
	return a.ui.banner
}

// dialog returns the preferences dialog, building it on first use, between the banner and
// the status region. Building the dialog, its switches and its cookie tables up front made
// the banner appear later for every visitor, most of whom never open it.
func (a *app) dialog() safejs.Value {
	a.ensureMounted()
	if a.ui.dialog.IsUndefined() {
		a.ui.dialog = a.renderDialog()
		call(a.ui.shadow, "insertBefore", a.ui.dialog, a.ui.status)
	}
	return a.ui.dialog
}

func (a *app) renderDialog() safejs.Value {
	body := a.el("div", at("class", "body"),
		a.el("p", at("class", "intro", "id", "consentry-preferences-description"), a.tx("preferencesDescription")))
	// Shown while the choice in force came from the Global Privacy Control signal, which the
	// visitor can still override here (California's 11 CCR §7025(c)(6) asks to display it).
	a.ui.gpcNotice = a.el("p", at("class", "intro gpc", "hidden", ""), a.tx("gpcHonoured"))
	call(body, "append", a.ui.gpcNotice)
	for i := range a.policy.Categories {
		call(body, "append", a.renderCategory(&a.policy.Categories[i]))
	}
	dialog := a.el("dialog", at(
		"part", widget.PartPreferences, "class", "dialog", "role", "dialog",
		"aria-modal", "true", "aria-labelledby", "consentry-preferences-title", "hidden", ""),
		// Plain divs, not <header> and <footer>: outside a sectioning element those would
		// be a second banner and contentinfo landmark of the page.
		a.el("div", at("class", "head"),
			a.el("h2", at("id", "consentry-preferences-title"), a.tx("preferencesTitle")),
			a.closeButton()),
		body,
		a.el("div", at("class", "foot actions"),
			a.button(a.tx("rejectAll"), "button "+widget.PartRejectAll, "btn", a.decide(a.rejectAll)),
			a.button(a.tx("acceptAll"), "button "+widget.PartAcceptAll, "btn", a.decide(a.acceptAll)),
			a.button(a.tx("save"), "button "+widget.PartSave, "btn", a.saveFromDialog)),
	)
	// Esc closes the dialog without changing the choice (§8). The browser's own close on
	// Esc is replaced so that state, events and focus go through one path.
	a.on(dialog, "cancel", func(ev safejs.Value) {
		call(ev, "preventDefault")
		a.hidePreferences()
	})
	a.on(dialog, "keydown", func(ev safejs.Value) { a.trapFocus(ev) })
	return dialog
}

// closeButton is the dialog's close button: "×", named by the close text.
func (a *app) closeButton() safejs.Value {
	b := a.button("×", "button "+widget.PartClose, "close", a.hidePreferences)
	setAttr(b, "aria-label", a.t("close"))
	return b
}

// renderCategory renders one purpose: its title, a switch (or "always on"), its services,
// and its cookie declaration table.
func (a *app) renderCategory(c *widget.Category) safejs.Value {
	titleID := "consentry-category-" + c.ID
	head := a.el("div", at("class", "category-head"), a.el("h3", at("id", titleID), a.locx(c.Title)))
	if c.Required {
		// Shown as on, and not a control: nothing to change, nothing to focus.
		call(head, "append", a.el("span", at("class", "always-on"), a.tx("alwaysOn")))
	} else {
		sw := a.el("input", at("type", "checkbox", "class", "switch",
			"part", widget.PartSwitch, widget.AttrCategory, c.ID, "aria-labelledby", titleID))
		if role := c.CategoryControlRole(); role != widget.RoleCheckbox {
			setAttr(sw, "role", role) // a checkbox is one natively, "mixed" when indeterminate
		}
		a.ui.categories[c.ID] = sw
		a.on(sw, "change", func(safejs.Value) { a.categorySwitched(c) })
		call(head, "append", sw)
	}
	section := a.el("section", at("class", "category", "aria-labelledby", titleID), head)
	if d, lang := c.Description.InLang(a.lang, a.policy.DefaultLanguage); d != "" {
		call(section, "append", a.richText("p", d, lang))
	}
	rows := append([]widget.CookieDeclaration(nil), c.Cookies...)
	if len(c.Services) > 0 {
		services := a.el("div", at("class", "services"))
		for i := range c.Services {
			s := &c.Services[i]
			rows = append(rows, s.Cookies...)
			call(services, "append", a.renderService(c, s))
		}
		call(section, "append", services)
	}
	if len(rows) > 0 {
		summaryID := "consentry-cookies-" + c.ID
		call(section, "append", a.el("details", nil,
			a.el("summary", at("id", summaryID), a.tx("cookieDetails")),
			a.cookieTable(rows, summaryID+" "+titleID)))
	}
	return section
}

// renderService renders a service of a category: its title and its switch, or the
// "exempt" text for anonymised statistics that need no consent (consentRequired: false).
func (a *app) renderService(c *widget.Category, s *widget.Service) safejs.Value {
	nameID := "consentry-service-" + c.ID + "-" + s.ID
	row := a.el("div", at("class", "service"), a.el("span", at("id", nameID), a.locx(s.Title)))
	wrap := a.el("div", nil, row)
	if d, lang := s.Description.InLang(a.lang, a.policy.DefaultLanguage); d != "" {
		call(wrap, "append", a.richText("p", d, lang))
	}
	if !s.ConsentRequired {
		call(row, "append", a.el("span", at("class", "exempt"), a.tx("exemptService")))
		return wrap
	}
	if c.Required {
		return wrap
	}
	sw := a.el("input", at("type", "checkbox", "role", "switch", "class", "switch",
		"part", widget.PartSwitch, widget.AttrCategory, c.ID, widget.AttrService, s.ID,
		"aria-labelledby", nameID))
	if a.ui.services[c.ID] == nil {
		a.ui.services[c.ID] = map[string]safejs.Value{}
	}
	a.ui.services[c.ID][s.ID] = sw
	a.on(sw, "change", func(safejs.Value) { a.serviceSwitched(c) })
	call(row, "append", sw)
	return wrap
}

// cookieTable renders the declaration table with the columns of the platform's policy,
// named by the elements whose ids labelledBy lists. The explicit roles keep the table a
// table for assistive technology when narrow windows restyle its rows as blocks, and each
// cell carries its column's name for the label shown then.
func (a *app) cookieTable(rows []widget.CookieDeclaration, labelledBy string) safejs.Value {
	keys := []string{"providerColumn", "functionColumn", "cookieNamesColumn", "purposeColumn"}
	withDuration := slices.ContainsFunc(rows, func(r widget.CookieDeclaration) bool { return r.ExpiresAfterDays != nil })
	if withDuration {
		keys = append(keys, "durationColumn") // (1.1) only where the policy declares lifetimes
	}
	head := a.el("tr", at("role", "row"))
	for _, key := range keys {
		call(head, "append", a.el("th", at("scope", "col", "role", "columnheader"), a.tx(key)))
	}
	tbody := a.el("tbody", at("role", "rowgroup"))
	for _, r := range rows {
		names := a.el("td", nil)
		for i, n := range r.Names {
			if i > 0 {
				call(names, "append", a.el("br", nil))
			}
			call(names, "append", a.el("code", at("class", "names"), n))
		}
		a.appendStorageKeys(names, r.Storage)
		cells := []safejs.Value{
			a.el("td", nil, a.locx(r.Provider)), a.el("td", nil, a.locx(r.Function)),
			names, a.el("td", nil, a.locx(r.Purpose)),
		}
		if withDuration {
			cells = append(cells, a.el("td", nil, a.inLang(r.Lifetime(a.lang))))
		}
		tr := a.el("tr", at("role", "row"))
		for i, td := range cells {
			setAttr(td, "role", "cell")
			setAttr(td, "data-label", a.t(keys[i]))
			call(tr, "append", td)
		}
		call(tbody, "append", tr)
	}
	return a.el("table", at("role", "table", "aria-labelledby", labelledBy),
		a.el("thead", at("role", "rowgroup"), head), tbody)
}

// categorySwitched sets every service of a category to the category's switch.
func (a *app) categorySwitched(c *widget.Category) {
	on := truthy(get(a.ui.categories[c.ID], "checked"))
	for _, sw := range a.ui.services[c.ID] {
		set(sw, "checked", on)
	}
	set(a.ui.categories[c.ID], "indeterminate", false)
}

// serviceSwitched shows a category as on, off or partly on after one of its services
// changed.
func (a *app) serviceSwitched(c *widget.Category) {
	onCount := 0
	for _, sw := range a.ui.services[c.ID] {
		if truthy(get(sw, "checked")) {
			onCount++
		}
	}
	all := len(a.ui.services[c.ID])
	cat := a.ui.categories[c.ID]
	set(cat, "checked", onCount == all && all > 0)
	set(cat, "indeterminate", onCount > 0 && onCount < all) // exposed as "mixed"
}

// syncSwitches shows the current choice in the dialog; with no choice every optional
// switch is off (consent is never pre-ticked: EDPB cookie banner taskforce, type B).
func (a *app) syncSwitches() {
	for id, sw := range a.ui.categories {
		set(sw, "checked", a.record.AcceptedCategory(id))
		set(sw, "indeterminate", false)
	}
	for catID, services := range a.ui.services {
		for svcID, sw := range services {
			set(sw, "checked", a.record.AcceptedService(catID, svcID))
		}
		a.serviceSwitched(a.policy.Category(catID))
	}
}

// dialogChoice reads the switches.
func (a *app) dialogChoice() widget.Choice {
	choice := widget.Choice{Services: map[string][]string{}}
	for i := range a.policy.Categories {
		c := &a.policy.Categories[i]
		sw, ok := a.ui.categories[c.ID]
		if !ok {
			continue
		}
		services, hasServices := a.ui.services[c.ID]
		if !hasServices {
			if truthy(get(sw, "checked")) {
				choice.Categories = append(choice.Categories, c.ID)
			}
			continue
		}
		accepted := []string{}
		for _, s := range c.Services {
			if sw, ok := services[s.ID]; ok && truthy(get(sw, "checked")) {
				accepted = append(accepted, s.ID)
			}
		}
		if len(accepted) > 0 {
			choice.Categories = append(choice.Categories, c.ID)
		}
		choice.Services[c.ID] = accepted
	}
	return choice
}

// trapFocus keeps Tab and Shift+Tab inside the open dialog, wrapping at either end (WAI-ARIA
// APG, dialog (modal) pattern). The native modal dialog makes the page inert but lets Tab
// leave for the browser's own controls; this keeps it on the dialog's. When focus is on
// no control (the dialog itself, after a click on its text), Tab goes to the first and
// Shift+Tab to the last.
func (a *app) trapFocus(ev safejs.Value) {
	if str(get(ev, "key")) != "Tab" {
		return
	}
	var focusable []safejs.Value
	for _, e := range list(call(a.ui.dialog, "querySelectorAll", "button, input, summary, a[href]")) {
		if !truthy(get(e, "disabled")) && len(list(call(e, "getClientRects"))) > 0 {
			focusable = append(focusable, e) // rendered: not inside a closed <details> or [hidden]
		}
	}
	if len(focusable) == 0 {
		return
	}
	first, last := focusable[0], focusable[len(focusable)-1]
	active := get(a.ui.shadow, "activeElement")
	inside := false
	for _, e := range focusable {
		inside = inside || active.Equal(e)
	}
	shift := truthy(get(ev, "shiftKey"))
	switch {
	case shift && (active.Equal(first) || !inside):
		call(ev, "preventDefault")
		call(last, "focus")
	case !shift && (active.Equal(last) || !inside):
		call(ev, "preventDefault")
		call(first, "focus")
	}
}

func (a *app) showBanner() {
	if a.ui.bannerShown {
		return
	}
	banner := a.banner()
	a.ui.bannerShown = true
	a.announce("") // a new question: the last "saved" message is history
	call(banner, "removeAttribute", "hidden")
	if truthy(get(banner, "showPopover")) {
		call(banner, "showPopover")
	}
	// The room below the page is reserved by the ResizeObserver on the banner, which the
	// browser calls after its layout and before it paints: measuring the banner here would
	// force a layout of the whole page in the middle of the start, and a second one after.
	a.dispatch(widget.EventShow, map[string]any{"view": widget.ViewBanner})
}

func (a *app) hideBanner() {
	if !a.ui.bannerShown {
		return
	}
	a.ui.bannerShown = false
	hadFocus := a.bannerHasFocus()
	if truthy(get(a.ui.banner, "hidePopover")) && truthy(call(a.ui.banner, "matches", ":popover-open")) {
		call(a.ui.banner, "hidePopover")
	}
	setAttr(a.ui.banner, "hidden", "")
	if hadFocus {
		a.restoreFocusAfterBanner() // not to nowhere (focus.go)
	}
	a.reserveSpace()
	a.dispatch(widget.EventHide, map[string]any{"view": widget.ViewBanner})
}

func (a *app) showPreferences() {
	if a.ui.dialogShown {
		return
	}
	dialog := a.dialog()
	a.announce("")
	a.syncSwitches()
	if a.record != nil && a.record.Method == widget.MethodGPC {
		call(a.ui.gpcNotice, "removeAttribute", "hidden")
	} else {
		setAttr(a.ui.gpcNotice, "hidden", "")
	}
	call(dialog, "removeAttribute", "hidden")
	// showModal puts the dialog in the top layer, makes the page behind it inert, moves
	// focus inside, and remembers where focus was, to return it on close.
	call(dialog, "showModal")
	// Only now: if anything above failed, the next call must try again.
	a.ui.dialogShown = true
	a.dispatch(widget.EventShow, map[string]any{"view": widget.ViewPreferences})
}

func (a *app) hidePreferences() {
	if !a.ui.dialogShown {
		return
	}
	a.ui.dialogShown = false
	call(a.ui.dialog, "close")
	setAttr(a.ui.dialog, "hidden", "")
	a.dispatch(widget.EventHide, map[string]any{"view": widget.ViewPreferences})
}

// saveFromDialog records the switches as they are, and says so in the status region
// without moving focus (WCAG 2.2 SC 4.1.3).
func (a *app) saveFromDialog() {
	a.choose(widget.MethodCustom, a.dialogChoice())
	a.announce(a.t("savedStatus"))
}
