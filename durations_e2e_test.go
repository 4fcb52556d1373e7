package consentry_test

// End-to-end test of cookie lifetimes (CONTRACT.md §3, 1.1: cookies[].expiresAfterDays)
// in the declaration tables of the preferences dialog and of the host page's
// data-consentry="cookie-table", in English and in French.

import (
	"slices"
	"strings"
	"testing"
)

// tableRowsJS lists, for every declaration table under root, its header and rows, each
// as its cells' texts joined by " | ".
const tableRowsJS = `((root) => [...root.querySelectorAll('table')].flatMap((t) =>
  [...t.querySelectorAll('tr')].map((tr) => [...tr.children].map((c) => c.textContent.trim()).join(' | '))))`

// TestE2ECookieDurations: the default policy's lifetimes show in a Duration column, in
// the visitor's language, in the dialog and in the host page's table.
func TestE2ECookieDurations(t *testing.T) {
	p := newPage(t)
	p.mustOpen("/cookies-policy.html")
	p.do(`Consentry.showPreferences()`)
	p.expectVisible(selPreferences, "preferences")

	host := tableRowsJS + `(document.querySelector('[data-consentry="cookie-table"]'))`
	dialog := tableRowsJS + `(document.getElementById('consentry-root').shadowRoot)`
	expect := func(where, js string, want []string) {
		t.Helper()
		rows := evalJS[[]string](p, js)
		for _, w := range want {
			if !slices.Contains(rows, w) {
				t.Errorf("%s: no row %q in\n  %s", where, w, strings.Join(rows, "\n  "))
			}
		}
	}
	english := []string{
		"Service provider's name | Function and location | Cookie name(s) | Purposes | Duration",
		"Opendatasoft | Authentication (front and back office) | sessionid | To remember the user from one page to another | 2 weeks",
		"Opendatasoft | Choices related to your cookie preferences | cookies_preferences | To remember the visitor's cookie preferences | 6 months",
		"Opendatasoft | Web analytics (front office) | _pk_id.*_pk_ses.* | To count visits and see how visitors use the portal | 13 months",
	}
	expect("host page, English", host, english)
	expect("dialog, English", dialog, english)

	p.do(`Consentry.setLanguage('fr')`)
	p.waitFor(`document.querySelector('[data-consentry="cookie-table"]').textContent.includes('Durée de conservation')`, "the French table")
	french := []string{
		"Nom du fournisseur du service | Fonction et localisation | Nom(s) du cookie | Finalités | Durée de conservation",
		"Opendatasoft | Authentification (front et back office) | sessionid | Pour se souvenir de l’utilisateur d’une page à l’autre | 2\u00a0semaines",
		"Opendatasoft | Mesure d’audience (front office) | _pk_id.*_pk_ses.* | Pour compter les visites et comprendre comment les visiteurs utilisent le portail | 13\u00a0mois",
	}
	expect("host page, French", host, french)
	expect("dialog, French", dialog, french)
	p.expectClean()
}

// TestE2ESessionCookieDuration: a session cookie (expiresAfterDays 0) reads "until you
// close the browser" (recipe policy, testdata/pages/recipes/policy.json).
func TestE2ESessionCookieDuration(t *testing.T) {
	p := newPage(t)
	p.mustOpen("/test/recipes/plausible.html")
	p.do(`Consentry.showPreferences()`)
	p.expectVisible(selPreferences, "preferences")
	rows := evalJS[[]string](p, tableRowsJS+`(document.getElementById('consentry-root').shadowRoot)`)
	want := "This site |  | sessionid | To keep you signed in | until you close the browser"
	if !slices.Contains(rows, want) {
		t.Errorf("no row %q in\n  %s", want, strings.Join(rows, "\n  "))
	}
	p.expectClean()
}
