package widget

import (
	"slices"
	"strconv"
)

// This file holds the cookie declaration (CONTRACT.md §3 cookies, §5 cookie-table) as a
// view (view.go): the table of each category in the preferences dialog, and the content of
// the host page's data-consentry="cookie-table" elements.

// DeclarationView returns the content of the host page's n-th (from 0) element marked
// data-consentry="cookie-table", in lang: the full declaration, category by category, so
// that a site's cookie-policy page stays in step with policy.json. The returned node stands
// for that host element: a front end sets its attributes (lang, dir) on the host and
// replaces the host's children with its children; its tag is not used. The content goes
// into the page itself, not a shadow root, so the site's own styles apply; each table is
// named by the heading of its category, whose id includes n.
func (p *Policy) DeclarationView(lang string, n int) *Node {
	v := viewBuilder{p, lang}
	host := El("div", at("lang", lang, "dir", textDirection(lang)))
	for i := range p.Categories {
		c := &p.Categories[i]
		headingID := "consentry-declaration-" + strconv.Itoa(n) + "-" + c.ID
		host.Append(El("h3", at("id", headingID), v.locx(c.Title)))
		if d, lang := c.Description.InLang(v.lang, p.DefaultLanguage); d != "" {
			host.Append(v.richText("p", d, lang))
		}
		if rows := c.declarations(); len(rows) > 0 {
			host.Append(v.cookieTable(rows, headingID))
		}
	}
	return host
}

// declarations returns the rows of the category's declaration: its own, then its
// services'.
func (c *Category) declarations() []CookieDeclaration {
	rows := append([]CookieDeclaration(nil), c.Cookies...)
	for _, s := range c.Services {
		rows = append(rows, s.Cookies...)
	}
	return rows
}

// cookieTable renders the declaration table with the columns of the platform's policy,
// named by the elements whose ids labelledBy lists. The explicit roles keep the table a
// table for assistive technology when narrow windows restyle its rows as blocks, and each
// cell carries its column's name for the label shown then.
func (v viewBuilder) cookieTable(rows []CookieDeclaration, labelledBy string) *Node {
	keys := []string{"providerColumn", "functionColumn", "cookieNamesColumn", "purposeColumn"}
	withDuration := slices.ContainsFunc(rows, func(r CookieDeclaration) bool { return r.ExpiresAfterDays != nil })
	if withDuration {
		keys = append(keys, "durationColumn") // (1.1) only where the policy declares lifetimes
	}
	head := El("tr", at("role", "row"))
	for _, key := range keys {
		head.Append(El("th", at("scope", "col", "role", "columnheader"), v.tx(key)))
	}
	tbody := El("tbody", at("role", "rowgroup"))
	for _, r := range rows {
		names := El("td", nil)
		for i, n := range r.Names {
			if i > 0 {
				names.Append(El("br", nil))
			}
			names.Append(El("code", at("class", "names"), TextNode(n)))
		}
		v.storageKeys(names, r.Storage)
		cells := []*Node{
			El("td", nil, v.locx(r.Provider)), El("td", nil, v.locx(r.Function)),
			names, El("td", nil, v.locx(r.Purpose)),
		}
		if withDuration {
			cells = append(cells, El("td", nil, v.inLang(r.Lifetime(v.lang))))
		}
		tr := El("tr", at("role", "row"))
		for i, td := range cells {
			td.Attrs = append(td.Attrs, at("role", "cell", "data-label", v.t(keys[i]))...)
			tr.Append(td)
		}
		tbody.Append(tr)
	}
	return El("table", at("role", "table", "aria-labelledby", labelledBy),
		El("thead", at("role", "rowgroup"), head), tbody)
}

// storageKeys lists a declaration's storage keys in its cookie-names cell, after its cookie
// names and under the "storageKeys" label, so that visitors see every storage the row's
// provider uses (CONTRACT.md §3 cookies[].storage, 1.1).
func (v viewBuilder) storageKeys(cell *Node, keys []string) {
	if len(keys) == 0 {
		return
	}
	if len(cell.Children) > 0 {
		cell.Append(El("br", nil)) // after the cookie names
	}
	list := El("span", at("class", "storage"), v.tx("storageKeys"))
	for _, k := range keys {
		list.Append(El("br", nil), El("code", at("class", "names"), TextNode(k)))
	}
	cell.Append(list)
}
