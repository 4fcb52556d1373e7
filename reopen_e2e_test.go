package consentry_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/consentry/consentry/widget"
)

func init() {
	extraRoutes = append(extraRoutes, func(mux *http.ServeMux) {
		mux.HandleFunc("/reopen/page.html", serveReopenPage)
	})
}

// serveReopenPage writes a page with the shipped policy and, with link=1, a "Cookie
// settings" link, written after the script tag, as footers are.
func serveReopenPage(w http.ResponseWriter, r *http.Request) {
	link := ""
	if r.URL.Query().Get("link") == "1" {
		link = `<footer><a href="#" data-consentry="show-preferences" id="settings">Cookie settings</a></footer>`
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	fmt.Fprintf(w, `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Reopen link</title>
<script src="/consentry/consentry.js" async></script>
</head><body><main><h1>A page</h1></main>%s</body></html>
`, link)
}

// TestE2EReopenLinkHint: a page without a data-consentry="show-preferences" element gets
// one console warning that names the snippet to add, and the API still opens the
// preferences; a page with one gets no such warning, and its link opens them.
func TestE2EReopenLinkHint(t *testing.T) {
	t.Parallel() // its subtests each open their own browser context
	requireE2E(t)
	count := func(p *page) int {
		n := 0
		for _, m := range p.logged() {
			if strings.Contains(m, `has no element with data-consentry="show-preferences"`) {
				n++
				if !strings.Contains(m, widget.ReopenLinkSnippet) {
					t.Errorf("the warning lacks the snippet to add: %q", m)
				}
			}
		}
		return n
	}
	t.Run("without", func(t *testing.T) {
		p := newPage(t)
		p.mustOpen("/reopen/page.html")
		p.expectVisible(selBanner, "banner")
		p.do(`Consentry.rejectAll()`)
		p.do(`Consentry.showPreferences()`)
		p.expectVisible(selPreferences, "preferences dialog")
		p.do(`Consentry.setLanguage('fr')`) // renders again: still one warning
		if n := count(p); n != 1 {
			t.Errorf("%d warnings about the missing link, want 1: %q", n, p.logged())
		}
		p.expectClean()
	})
	t.Run("with", func(t *testing.T) {
		p := newPage(t)
		p.mustOpen("/reopen/page.html?link=1")
		p.expectVisible(selBanner, "banner")
		p.do(`Consentry.rejectAll()`)
		p.clickPage("#settings")
		p.expectVisible(selPreferences, "preferences dialog")
		if n := count(p); n != 0 {
			t.Errorf("%d warnings about a missing link on a page that has one: %q", n, p.logged())
		}
		p.expectClean()
	})
}
