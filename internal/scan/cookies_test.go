package scan

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestScanCookieDeletedOnLaterPage: a cookie the first page sets and the next page deletes
// was set all the same. The scanner reads the cookies after every page it visits, so the
// first visit reports it (and its cookie-before-consent), though it is gone at the end of
// the phase. This is what hid the demo's _pk_ cookies when its cookie policy page ran
// Matomo's requireCookieConsent without a page view.
func TestScanCookieDeletedOnLaterPage(t *testing.T) {
	requireChromium(t)
	mux := http.NewServeMux()
	page := func(body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write([]byte("<!doctype html><html lang=en><title>t</title><body>" + body + "</body></html>"))
		}
	}
	mux.HandleFunc("/{$}", page(`<a href="/next">next</a><script>document.cookie = "_ga=GA1.1.1; Path=/; Max-Age=3600";</script>`))
	mux.HandleFunc("/next", page(`<script>document.cookie = "_ga=; Path=/; Max-Age=0";</script>`))
	srv := httptest.NewServer(mux)
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	r, err := Run(ctx, Options{URL: srv.URL + "/", Pages: 1})
	require.NoError(t, err)
	var initial *Phase
	for _, ph := range r.Phases {
		if ph.ID == PhaseInitial {
			initial = ph
		}
	}
	require.NotNil(t, initial)
	assert.Equal(t, []string{srv.URL + "/", srv.URL + "/next"}, initial.Pages, "both pages visited")
	var names []string
	for _, c := range initial.Cookies {
		names = append(names, c.Name)
		if c.Name == "_ga" {
			assert.Contains(t, c.SetBy, "document.cookie in "+srv.URL+"/")
			assert.Positive(t, c.LifetimeDay)
		}
	}
	assert.Contains(t, names, "_ga", "the cookie set on / and deleted on /next is reported")
	var found bool
	for _, f := range r.Findings {
		if f.Rule == RuleCookieBeforeConsent && f.Evidence.Name == "_ga" {
			found = true
		}
	}
	assert.True(t, found, "cookie-before-consent for _ga; findings: %+v", r.Findings)
}
