package widget

// This file holds the second layer, the preferences dialog (CONTRACT.md §8), as a view
// (view.go).

// PreferencesView returns the preferences dialog in lang, showing the switches sw, hidden
// until the front end shows it. gpcNotice shows the paragraph that says the choice in force
// came from the Global Privacy Control signal, which the visitor can still override here
// (California's 11 CCR §7025(c)(6) asks to display it).
//
// Each switch is an <input type=checkbox> carrying ActionToggleCategory (with AttrCategory)
// or ActionToggleService (with AttrCategory and AttrService); its state is the checked
// attribute, and, for a category that is partly on, AttrIndeterminate instead, which a front
// end sets as the indeterminate property. A category that can be partly on is a plain
// checkbox, every other switch has role="switch" (Category.CategoryControlRole). The
// buttons carry ActionRejectAll, ActionAcceptAll, ActionSave and ActionClose, and Esc inside
// the dialog takes ActionClose (AttrEscapeAction): it closes without a change.
func (p *Policy) PreferencesView(lang string, sw Switches, gpcNotice bool) *Node {
	v := viewBuilder{p, lang}
	gpc := El("p", at("class", "intro gpc"), v.tx("gpcHonoured"))
	if !gpcNotice {
		gpc.SetAttr("hidden", "")
	}
	body := El("div", at("class", "body"),
		El("p", at("class", "intro", "id", "consentry-preferences-description"), v.tx("preferencesDescription")),
		gpc)
	for i := range p.Categories {
		body.Append(v.category(&p.Categories[i], sw))
	}
	return El("dialog", at(
		"part", PartPreferences, "class", "dialog", "role", "dialog",
		"aria-modal", "true", "aria-labelledby", PreferencesTitleID, "hidden", "",
		AttrEscapeAction, ActionClose),
		// Plain divs, not <header> and <footer>: outside a sectioning element those would
		// be a second banner and contentinfo landmark of the page.
		El("div", at("class", "head"),
			El("h2", at("id", PreferencesTitleID), v.tx("preferencesTitle")),
			v.closeButton()),
		body,
		El("div", at("class", "foot actions"),
			v.button(v.tx("rejectAll"), "button "+PartRejectAll, "btn", ActionRejectAll),
			v.button(v.tx("acceptAll"), "button "+PartAcceptAll, "btn", ActionAcceptAll),
			v.button(v.tx("save"), "button "+PartSave, "btn", ActionSave)),
	)
}

// closeButton is the dialog's close button: "×", named by the close text.
func (v viewBuilder) closeButton() *Node {
	return El("button", at("type", "button", "part", "button "+PartClose, "class", "close",
		"aria-label", v.t("close"), AttrAction, ActionClose), TextNode("×"))
}

// category renders one purpose: its title, a switch (or "always on"), its services, and
// its cookie declaration table.
func (v viewBuilder) category(c *Category, sw Switches) *Node {
	titleID := "consentry-category-" + c.ID
	head := El("div", at("class", "category-head"), El("h3", at("id", titleID), v.locx(c.Title)))
	if c.Required {
		// Shown as on, and not a control: nothing to change, nothing to focus.
		head.Append(El("span", at("class", "always-on"), v.tx("alwaysOn")))
	} else {
		input := El("input", at("type", "checkbox", "class", "switch",
			"part", PartSwitch, AttrCategory, c.ID, "aria-labelledby", titleID))
		if role := c.CategoryControlRole(); role != RoleCheckbox {
			input.SetAttr("role", role) // a checkbox is one natively, "mixed" when indeterminate
		}
		input.SetAttr(AttrAction, ActionToggleCategory)
		switch sw.Categories[c.ID] {
		case SwitchOn:
			input.SetAttr("checked", "")
		case SwitchPartlyOn:
			input.SetAttr(AttrIndeterminate, "")
		}
		head.Append(input)
	}
	section := El("section", at("class", "category", "aria-labelledby", titleID), head)
	if d, lang := c.Description.InLang(v.lang, v.p.DefaultLanguage); d != "" {
		section.Append(v.richText("p", d, lang))
	}
	if len(c.Services) > 0 {
		services := El("div", at("class", "services"))
		for i := range c.Services {
			services.Append(v.service(c, &c.Services[i], sw))
		}
		section.Append(services)
	}
	if rows := c.declarations(); len(rows) > 0 {
		summaryID := "consentry-cookies-" + c.ID
		section.Append(El("details", nil,
			El("summary", at("id", summaryID), v.tx("cookieDetails")),
			v.cookieTable(rows, summaryID+" "+titleID)))
	}
	return section
}

// service renders a service of a category: its title and its switch, or the "exempt" text
// for anonymised statistics that need no consent (consentRequired: false).
func (v viewBuilder) service(c *Category, s *Service, sw Switches) *Node {
	nameID := "consentry-service-" + c.ID + "-" + s.ID
	row := El("div", at("class", "service"), El("span", at("id", nameID), v.locx(s.Title)))
	wrap := El("div", nil, row)
	if d, lang := s.Description.InLang(v.lang, v.p.DefaultLanguage); d != "" {
		wrap.Append(v.richText("p", d, lang))
	}
	if !s.ConsentRequired {
		row.Append(El("span", at("class", "exempt"), v.tx("exemptService")))
		return wrap
	}
	if c.Required {
		return wrap
	}
	input := El("input", at("type", "checkbox", "role", "switch", "class", "switch",
		"part", PartSwitch, AttrCategory, c.ID, AttrService, s.ID,
		"aria-labelledby", nameID, AttrAction, ActionToggleService))
	if sw.Services[c.ID][s.ID] {
		input.SetAttr("checked", "")
	}
	row.Append(input)
	return wrap
}
