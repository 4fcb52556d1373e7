package consentry_test

// End-to-end tests of Google Consent Mode v2 (CONTRACT.md §11) on the recipe pages of
// testdata/pages/recipes: a recorder of window.dataLayer, installed before any script of
// the page, logs every gtag call (and whether it came as an Arguments object, which
// gtag.js requires), every other push and every gated tag that runs; every request to a
// Google host is intercepted with the DevTools Fetch domain, recorded, and answered by a
// stand-in script that logs itself, so that no request ever leaves the machine and the
// test knows exactly when one was made.

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/chromedp"

	"github.com/consentry/consentry/widget"
)

func init() {
	extraRoutes = append(extraRoutes, func(mux *http.ServeMux) {
		// A gated tag of the recipe pages: it logs its name when it runs.
		mux.HandleFunc("/test/recipes/tag.js", func(w http.ResponseWriter, r *http.Request) {
			name, _ := json.Marshal(r.URL.Query().Get("name"))
			w.Header().Set("Content-Type", "text/javascript")
			w.Header().Set("Cache-Control", "no-store")
			fmt.Fprintf(w, "(window.__log = window.__log || []).push({kind: 'tag', name: %s});\n", name)
		})
	})
}

// recorderJS logs, in window.__log, every item pushed to window.dataLayer (whoever creates
// it, the page or the widget) and marks whether a gtag call came as an Arguments object.
const recorderJS = `(() => {
  const log = window.__log = window.__log || [];
  const copy = (v) => { try { return JSON.parse(JSON.stringify(v)); } catch (e) { return String(v); } };
  const wrap = (arr) => {
    const push = arr.push;
    arr.push = function (...items) {
      for (const it of items) {
        if (Object.prototype.toString.call(it) === '[object Arguments]') {
          log.push({kind: 'gtag', args: copy(Array.from(it))});
        } else if (Array.isArray(it)) {
          log.push({kind: 'array', args: copy(it)});
        } else {
          log.push({kind: 'push', obj: copy(it)});
        }
      }
      return push.apply(this, items);
    };
    return arr;
  };
  let dl;
  Object.defineProperty(window, 'dataLayer', {
    configurable: true,
    get() { return dl; },
    set(v) { dl = Array.isArray(v) && !v.__recorded ? wrap(v) : v; if (dl) dl.__recorded = true; },
  });
})();`

// googleTraffic intercepts every request of a page to a Google host and answers it with a
// script that logs "google:<path>" to window.__log.
type googleTraffic struct {
	mu   sync.Mutex
	urls []string
}

// interceptGoogle starts the interception on p's tab and returns the record of requests.
func interceptGoogle(p *page) *googleTraffic {
	p.t.Helper()
	g := &googleTraffic{}
	p.mu.Lock()
	p.hooks = append(p.hooks, func(ev any) {
		e, ok := ev.(*fetch.EventRequestPaused)
		if !ok {
			return
		}
		g.mu.Lock()
		g.urls = append(g.urls, e.Request.URL)
		g.mu.Unlock()
		path := e.Request.URL
		if i := strings.Index(path, "://"); i >= 0 {
			path = path[i+3:]
		}
		lit, _ := json.Marshal("google:" + path)
		body := fmt.Sprintf("(window.__log = window.__log || []).push({kind: 'tag', name: %s});\n", lit)
		// A listener must not wait on the browser: answer from another goroutine.
		go func() {
			_, err := chromedp.Call(p.ctx, fetch.FulfillRequest, fetch.FulfillRequestParams{
				RequestID:       e.RequestID,
				ResponseCode:    200,
				ResponseHeaders: []*fetch.HeaderEntry{{Name: "Content-Type", Value: "text/javascript"}},
				Body:            []byte(body),
			})
			if err != nil && p.ctx.Err() == nil {
				p.t.Logf("Fetch.fulfillRequest %s: %v", e.Request.URL, err)
			}
		}()
	})
	p.mu.Unlock()
	patterns := []*fetch.RequestPattern{}
	// Host patterns only: the pages' own paths may contain "google".
	for _, host := range []string{"*://*.google*", "*://google*", "*://*.doubleclick.net/*", "*://*.youtube*", "*://*.vimeo*"} {
		patterns = append(patterns, &fetch.RequestPattern{URLPattern: host})
	}
	if _, err := chromedp.Call(p.ctx, fetch.Enable, fetch.EnableParams{Patterns: patterns}); err != nil {
		p.t.Fatalf("Fetch.enable: %v", err)
	}
	return g
}

// requests returns the URLs requested so far.
func (g *googleTraffic) requests() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return slices.Clone(g.urls)
}

// logEntry is one line of window.__log.
type logEntry struct {
	Kind string         `json:"kind"`
	Args []any          `json:"args"`
	Obj  map[string]any `json:"obj"`
	Name string         `json:"name"`
}

// String writes the entry in the notation of the tests: `consent default ad_storage=denied
// …` for a gtag call (signals in Google's order, then other keys), `event consentry_consent
// [necessary statistics]` for the widget's event, `tag NAME` for a tag that ran.
func (e logEntry) String() string {
	switch e.Kind {
	case "tag":
		return "tag " + e.Name
	case "push":
		if ev, ok := e.Obj["event"]; ok {
			return fmt.Sprintf("event %v %v", ev, e.Obj["acceptedCategories"])
		}
		return fmt.Sprintf("push %v", e.Obj)
	case "gtag", "array":
		var parts []string
		if e.Kind == "array" {
			parts = append(parts, "ARRAY") // gtag.js would ignore it
		}
		for _, a := range e.Args {
			m, ok := a.(map[string]any)
			if !ok {
				parts = append(parts, fmt.Sprint(a))
				continue
			}
			var kv []string
			for _, s := range widget.ConsentSignals {
				if v, ok := m[s]; ok {
					kv = append(kv, s+"="+fmt.Sprint(v))
				}
			}
			var rest []string
			for k, v := range m {
				if !slices.Contains(widget.ConsentSignals[:], k) {
					rest = append(rest, k+"="+fmt.Sprint(v))
				}
			}
			slices.Sort(rest)
			parts = append(parts, strings.Join(append(kv, rest...), " "))
		}
		return strings.Join(parts, " ")
	}
	return e.Kind
}

// gtagLog returns window.__log in the notation of logEntry.String.
func gtagLog(p *page) []string {
	p.t.Helper()
	var out []string
	for _, e := range evalJS[[]logEntry](p, `window.__log || []`) {
		out = append(out, e.String())
	}
	return out
}

// Consent states of the recipe policy (testdata/pages/recipes/policy.json), in Google's
// order of the signals.
const (
	gcmNoChoice = "ad_storage=denied ad_user_data=denied ad_personalization=denied analytics_storage=denied functionality_storage=granted personalization_storage=denied security_storage=granted"
	gcmStats    = "ad_storage=denied ad_user_data=denied ad_personalization=denied analytics_storage=granted functionality_storage=granted personalization_storage=denied security_storage=granted"
	gcmAll      = "ad_storage=granted ad_user_data=granted ad_personalization=granted analytics_storage=granted functionality_storage=granted personalization_storage=denied security_storage=granted"
)

// expectLog fails t unless the log, from its start, is exactly want, with the lines of
// unordered (tags of one activation that load in parallel) in any order after it.
func expectLog(t *testing.T, what string, got, want []string, unordered ...string) {
	t.Helper()
	if len(got) < len(want) || !slices.Equal(got[:len(want)], want) {
		t.Fatalf("%s: dataLayer and tags in this order:\n  %s\nwant it to start with:\n  %s", what,
			strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
	rest := slices.Clone(got[len(want):])
	slices.Sort(rest)
	u := slices.Clone(unordered)
	slices.Sort(u)
	if !slices.Equal(rest, u) {
		t.Fatalf("%s: after the ordered part got\n  %s\nwant, in any order,\n  %s\n(whole log:\n  %s)", what,
			strings.Join(rest, "\n  "), strings.Join(u, "\n  "), strings.Join(got, "\n  "))
	}
}

// TestE2EConsentModeBasic: the Google tag gated (basic mode): on a first visit the
// default precedes everything and no request reaches Google; each way of choosing gives
// one update with all seven signals and the consentry_consent event, before the tags
// that choice allows; a returning visitor gets default, update, event, then the tags; a
// change of mind sends a new update (§11).
func TestE2EConsentModeBasic(t *testing.T) {
	t.Parallel() // its subtests each open their own browser context
	const basicPage = "/test/recipes/google-basic.html"
	start := []string{"consent default " + gcmNoChoice, "tag exempt"}
	cases := []struct {
		name   string
		choose func(p *page)
		state  string
		cats   string
		tags   []string // the tags this choice runs, in any order
	}{
		{"accept all", func(p *page) { p.click(selAcceptAll) }, gcmAll, "[necessary statistics marketing videos]",
			[]string{"tag google:www.googletagmanager.com/gtag/js?id=G-TEST000000", "js", "config G-TEST000000", "tag ads"}},
		{"reject all", func(p *page) { p.click(selRejectAll) }, gcmNoChoice, "[necessary]", nil},
		{"customise: statistics only", func(p *page) {
			p.click(selCustomize)
			p.expectVisible(selPreferences, "preferences")
			p.click(switchSel("statistics"))
			p.click(selSave)
		}, gcmStats, "[necessary statistics]",
			[]string{"tag google:www.googletagmanager.com/gtag/js?id=G-TEST000000", "js", "config G-TEST000000"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := newPage(t, recorderJS)
			google := interceptGoogle(p)
			p.mustOpen(basicPage)
			p.expectVisible(selBanner, "banner on a first visit")
			p.waitFor(`(window.__log || []).some((e) => e.name === 'exempt')`, "the consent-free tag")
			p.idle() // for a request to Google that must not come
			expectLog(t, "first visit before a choice", gtagLog(p), start)
			if r := google.requests(); len(r) > 0 {
				t.Fatalf("requests to Google before consent: %v", r)
			}
			c.choose(p)
			want := append(slices.Clone(start), "consent update "+c.state, "event consentry_consent "+c.cats)
			if len(c.tags) > 0 {
				p.waitFor(fmt.Sprintf(`(window.__log || []).length >= %d`, len(want)+len(c.tags)), "the tags of the choice")
			}
			p.idle()
			got := gtagLog(p)
			// The page's own gtag calls: "js <date>" is written "js" here.
			for i, l := range got {
				if strings.HasPrefix(l, "js ") {
					got[i] = "js"
				}
			}
			expectLog(t, c.name, got, want, c.tags...)
			if len(c.tags) == 0 {
				if r := google.requests(); len(r) > 0 {
					t.Fatalf("requests to Google after %s: %v", c.name, r)
				}
			}
			p.expectClean()
		})
	}

	t.Run("returning visitor, then a change of mind", func(t *testing.T) {
		p := newPage(t, recorderJS)
		google := interceptGoogle(p)
		p.mustOpen(basicPage)
		p.click(selAcceptAll)
		p.waitFor(`(window.__log || []).some((e) => e.name === 'ads')`, "the tags after Accept all")
		p.mustReload()
		p.waitFor(`(window.__log || []).filter((e) => e.kind === 'tag').length >= 3`, "the tags of a returning visitor")
		p.idle()
		got := gtagLog(p)
		for i, l := range got {
			if strings.HasPrefix(l, "js ") {
				got[i] = "js"
			}
		}
		expectLog(t, "returning visitor", got,
			[]string{"consent default " + gcmNoChoice, "consent update " + gcmAll, "event consentry_consent [necessary statistics marketing videos]"},
			"tag exempt", "tag google:www.googletagmanager.com/gtag/js?id=G-TEST000000", "js", "config G-TEST000000", "tag ads")
		if n := len(google.requests()); n != 2 {
			t.Errorf("requests to Google: %v, want gtag.js once per page view", google.requests())
		}

		// A change of mind: marketing withdrawn in the preferences.
		before := len(got)
		p.do(`Consentry.showPreferences()`)
		p.expectVisible(selPreferences, "preferences")
		p.click(switchSel("marketing"))
		p.click(selSave)
		p.waitFor(fmt.Sprintf(`(window.__log || []).length >= %d`, before+2), "the update of the change")
		got = gtagLog(p)[before:]
		want := []string{"consent update " + gcmStats, "event consentry_consent [necessary statistics videos]"}
		if !slices.Equal(got, want) {
			t.Errorf("after withdrawing marketing:\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
		}
		p.expectClean()
	})
}

// TestE2EConsentModeOptions: waitForUpdate, adsDataRedaction and urlPassthrough are sent
// with the default, through the page's own gtag when it has one (§11).
func TestE2EConsentModeOptions(t *testing.T) {
	p := newPage(t, recorderJS)
	google := interceptGoogle(p)
	p.mustOpen("/test/recipes/google-options.html")
	p.expectVisible(selBanner, "banner")
	p.idle()
	expectLog(t, "defaults with options", gtagLog(p), []string{
		"consent default " + gcmNoChoice + " wait_for_update=500",
		"set ads_data_redaction true",
		"set url_passthrough true",
	})
	if !evalJS[bool](p, `window.gtag === window.pageGtag`) {
		t.Error("the widget replaced the page's own gtag")
	}
	if r := google.requests(); len(r) > 0 {
		t.Fatalf("requests to Google before consent: %v", r)
	}
	p.expectClean()
}

// TestE2EConsentModeAdvancedAndTagManager: in advanced mode (the tag gated with the
// required category) the tag loads on a first visit, after the default; with Tag Manager
// gated like the Google tag, the container loads after the update and the event (§11).
func TestE2EConsentModeAdvancedAndTagManager(t *testing.T) {
	t.Parallel() // its subtests each open their own browser context
	t.Run("advanced", func(t *testing.T) {
		p := newPage(t, recorderJS)
		interceptGoogle(p)
		p.mustOpen("/test/recipes/google-advanced.html")
		p.waitFor(`(window.__log || []).some((e) => e.kind === 'tag')`, "the Google tag in advanced mode")
		p.waitFor(`(window.__log || []).some((e) => e.kind === 'gtag' && e.args[0] === 'config')`, "the page's config call")
		got := gtagLog(p)
		if len(got) == 0 || got[0] != "consent default "+gcmNoChoice {
			t.Fatalf("the first dataLayer entry is not the default: %v", got)
		}
		p.expectClean()
	})
	t.Run("tag manager", func(t *testing.T) {
		p := newPage(t, recorderJS)
		google := interceptGoogle(p)
		p.mustOpen("/test/recipes/gtm.html")
		p.idle()
		if r := google.requests(); len(r) > 0 {
			t.Fatalf("requests to Google before consent: %v", r)
		}
		p.click(selAcceptAll)
		p.waitFor(`(window.__log || []).some((e) => e.kind === 'tag')`, "the container")
		expectLog(t, "tag manager", gtagLog(p), []string{
			"consent default " + gcmNoChoice,
			"consent update " + gcmAll,
			"event consentry_consent [necessary statistics marketing videos]",
			"tag google:www.googletagmanager.com/gtm.js?id=GTM-TEST00",
		})
		p.expectClean()
	})
}
