package consentry_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/consentry/consentry/widget"
)

func init() {
	// cookie.path is a string prefix of the lifecycle page's path (/test/lifecycle/…) that
	// stops inside a segment: RFC 6265 section 5.1.4 says the page does not path-match it.
	lifecycleVariants["path-prefix"] = func(p map[string]any) { policyCookie(p)["path"] = "/test/life" }
	// cookie.path is the page's directory: the page path-matches it.
	lifecycleVariants["path-dir"] = func(p map[string]any) { policyCookie(p)["path"] = "/test/lifecycle" }
}

// TestE2ECookiePathNotBlocked: a page outside cookie.path cannot read the consent cookie
// back, which is not a sign of blocked cookies; "outside" is the path-match of RFC 6265
// section 5.1.4, not a string prefix (Path=/test/life does not cover /test/lifecycle/…).
// Where the page is inside cookie.path, the read-back works and nothing is said either.
func TestE2ECookiePathNotBlocked(t *testing.T) {
	tests := []struct {
		variant    string
		cookiePath string
	}{
		{"path-prefix", "/test/life"},
		{"path-dir", "/test/lifecycle"},
	}
	requireE2E(t)
	t.Parallel()
	for _, tt := range tests {
		t.Run(tt.variant, func(t *testing.T) {
			p := newLifecyclePage(t)
			p.mustOpen(lifecyclePath(tt.variant))
			p.expectVisible(selBanner, "banner")
			p.click(selAcceptAll)
			p.waitFor(`Consentry.validConsent()`, "the choice")

			// The browser did store the cookie, on the policy's path: cookies work.
			res, err := chromedp.Call(p.ctx, network.GetCookies,
				network.GetCookiesParams{URLs: []string{p.url(tt.cookiePath + "/x")}})
			if err != nil {
				t.Fatalf("Network.getCookies: %v", err)
			}
			stored := false
			for _, c := range res.Cookies {
				if c.Name == widget.DefaultCookieName {
					stored = true
					if c.Path != tt.cookiePath {
						t.Errorf("consent cookie Path = %q, want %q", c.Path, tt.cookiePath)
					}
				}
			}
			if !stored {
				t.Fatalf("no consent cookie stored for %s", tt.cookiePath)
			}

			// Every console message of the click has arrived once a later one has.
			p.do(`console.warn('cookiepath-e2e-marker')`)
			for deadline := time.Now().Add(10 * time.Second); !p.warned("cookiepath-e2e-marker"); {
				if time.Now().After(deadline) {
					t.Fatal("the marker warning never reached the test")
				}
			}
			for _, m := range p.logged() {
				if strings.Contains(m, "cookies are blocked") {
					t.Errorf("warned about blocked cookies although the browser stored the cookie: %q", m)
				}
			}
		})
	}
}
