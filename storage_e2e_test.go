package consentry_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func init() {
	extraRoutes = append(extraRoutes, func(mux *http.ServeMux) {
		mux.HandleFunc("/storage/page.html", serveStoragePage)
	})
}

// storagePolicy is the shipped policy with storage keys declared (CONTRACT.md §3
// cookies[].storage, 1.1): the necessary category's app:* keys, the analytics service's
// _pk_* keys, and a videos category that stores only in Web Storage (yt-player-*).
func storagePolicy() ([]byte, error) {
	src, err := os.ReadFile(filepath.Join(distDir(), "policy.json"))
	if err != nil {
		return nil, err
	}
	var p map[string]any
	if err := json.Unmarshal(src, &p); err != nil {
		return nil, err
	}
	cats := p["categories"].([]any)
	for _, c := range cats {
		m := c.(map[string]any)
		switch m["id"] {
		case "necessary":
			rows := m["cookies"].([]any)
			rows[0].(map[string]any)["storage"] = []any{"app:*"}
		case "statistics":
			svc := m["services"].([]any)[0].(map[string]any)
			rows := svc["cookies"].([]any)
			rows[0].(map[string]any)["storage"] = []any{"_pk_*", "matomo_sessid"}
		}
	}
	p["categories"] = append(cats, map[string]any{
		"id": "videos", "title": map[string]any{"en": "Embedded videos", "fr": "Vidéos intégrées"},
		"cookies": []any{map[string]any{
			"provider": "YouTube", "storage": []any{"yt-player-*"},
			"function": "Video player", "purpose": "To remember the player's volume",
		}},
	})
	return json.Marshal(p)
}

// serveStoragePage writes a page with storagePolicy inline and a cookie-table.
func serveStoragePage(w http.ResponseWriter, r *http.Request) {
	policy, err := storagePolicy()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	fmt.Fprintf(w, `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Storage keys</title>
<script src="/consentry/consentry.js" async></script>
<script type="application/json" id="consentry-policy">%s</script>
</head><body><main><h1>Cookie policy</h1><div data-consentry="cookie-table"></div>
<p><a href="#" data-consentry="show-preferences">Cookie settings</a></p></main></body></html>
`, policy)
}

// storageSeedJS writes declared and undeclared keys into both storages.
const storageSeedJS = `(() => {
  for (const s of [localStorage, sessionStorage]) {
    for (const k of ['app:theme', '_pk_ses.1.ab12', 'matomo_sessid', 'yt-player-volume', 'undeclared', 'yt-playerless']) s.setItem(k, '1');
  }
})()`

// storageKeysJS lists the keys of both storages, "local:key" and "session:key", sorted.
const storageKeysJS = `(() => {
  const out = [];
  for (const [name, s] of [['local', localStorage], ['session', sessionStorage]]) {
    for (let i = 0; i < s.length; i++) out.push(name + ':' + s.key(i));
  }
  return out.sort();
})()`

// TestE2EStorageKeysDeletedOnWithdrawal: the localStorage and sessionStorage keys declared
// by a withdrawn category (wildcards too) are deleted on withdrawal and on reset(), as its
// cookies are (CONTRACT.md §3 cookies[].storage, 1.1, and §5); keys of a required
// category and undeclared keys are kept.
func TestE2EStorageKeysDeletedOnWithdrawal(t *testing.T) {
	t.Parallel() // its subtests each open their own browser context
	requireE2E(t)
	kept := []string{"app:theme", "undeclared", "yt-playerless"}
	both := func(keys ...string) []string {
		var out []string
		for _, k := range keys {
			out = append(out, "local:"+k, "session:"+k)
		}
		slices.Sort(out)
		return out
	}
	for _, c := range []struct {
		name, withdraw string
		want           []string
	}{
		{"reject-all", `Consentry.rejectAll()`, both(kept...)},
		{"reset", `Consentry.reset()`, both(kept...)},
		// Withdrawing only the videos keeps the statistics keys, still accepted.
		{"one-category", `Consentry.acceptCategory(['statistics'])`, both(append(kept, "_pk_ses.1.ab12", "matomo_sessid")...)},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := newPage(t)
			p.mustOpen("/storage/page.html")
			p.do(`Consentry.acceptAll()`)
			p.waitFor(`Consentry.acceptedCategory('videos')`, "the acceptance")
			p.do(storageSeedJS)
			all := both("app:theme", "_pk_ses.1.ab12", "matomo_sessid", "yt-player-volume", "undeclared", "yt-playerless")
			if got := evalJS[[]string](p, storageKeysJS); !slices.Equal(got, all) {
				t.Fatalf("seeded keys = %v, want %v", got, all)
			}
			p.do(c.withdraw)
			if got := evalJS[[]string](p, storageKeysJS); !slices.Equal(got, c.want) {
				t.Errorf("after %s, keys = %v, want %v", c.withdraw, got, c.want)
			}
			p.expectClean()
		})
	}
}

// TestE2EStorageKeysListed: the declaration tables, the page's data-consentry="cookie-table"
// and the dialog's, list each row's storage keys under their label (CONTRACT.md §3
// cookies[].storage, 1.1), after its cookie names.
func TestE2EStorageKeysListed(t *testing.T) {
	requireE2E(t)
	p := newPage(t)
	p.mustOpen("/storage/page.html")
	page := evalJS[string](p, `document.querySelector('[data-consentry="cookie-table"]').textContent.replace(/\s+/g, ' ')`)
	for _, s := range []string{"sessionid", "app:*", "_pk_id.*", "_pk_*", "matomo_sessid", "yt-player-*", "Stored in the browser (localStorage, sessionStorage):"} {
		if !strings.Contains(page, s) {
			t.Errorf("the page's cookie table lacks %q: %q", s, page)
		}
	}
	p.do(`Consentry.showPreferences()`)
	p.expectVisible(selPreferences, "preferences dialog")
	dialog := p.shadowText(selPreferences)
	for _, s := range []string{"app:*", "_pk_*", "yt-player-*", "Stored in the browser"} {
		if !strings.Contains(dialog, s) {
			t.Errorf("the dialog's cookie tables lack %q", s)
		}
	}
	// In the videos row, the storage key sits in the cookie-names cell, which has no cookie.
	cell := evalJS[string](p, `(() => {
  const rows = [...document.querySelectorAll('[data-consentry="cookie-table"] tbody tr')];
  const row = rows.find((r) => r.textContent.includes('YouTube'));
  return row ? row.cells[2].textContent : 'no row';
})()`)
	if cell != "Stored in the browser (localStorage, sessionStorage):yt-player-*" {
		t.Errorf("videos row's names cell = %q", cell)
	}
	p.expectClean()
}
