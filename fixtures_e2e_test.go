package consentry_test

// The generated fixture pages of the end-to-end test server, in one place: each set adds
// its routes to the shared mux of e2e_helpers_test.go through extraRoutes, from init.
//
//   - /test/lifecycle/page.html?v=variant,… : testdata/pages/lifecycle-page.html with the
//     shipped policy.json changed as the variants say (lifecycleVariants), so that each test
//     states the policy it runs under; also served on www.consentry.test and over TLS.
//   - /harden/page/NAME.html : testdata/pages/harden-*.html, which can point the page at a
//     broken copy of the dist (?dist=), at another policy (?policy=, ?rule=) and be sent
//     under a Content-Security-Policy (?csp=, hardenCSP).
//   - /a11y/page.html?… : a page generated from the shipped policy.json with the theme,
//     layout, languages and variations a test asks for in its query (a11yPage).

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
)

func init() {
	extraRoutes = append(extraRoutes, func(mux *http.ServeMux) {
		mux.HandleFunc("/test/lifecycle/page.html", serveLifecyclePage)
	})
	// The https tests run against a TLS server with a self-signed certificate.
	extraBrowserFlags = append(extraBrowserFlags, chromedp.Flag("ignore-certificate-errors", true))
}

// lifecycleVariants are the changes to the shipped policy that the lifecycle page can be
// served with, by name.
var lifecycleVariants = map[string]func(p map[string]any){
	// A new revision asks every visitor again (§3 "revision").
	"rev2": func(p map[string]any) { p["revision"] = 2 },
	// An optional category without services is added: the scope changes (§4 "scope").
	"marketing": func(p map[string]any) {
		p["categories"] = append(p["categories"].([]any), map[string]any{
			"id": "marketing", "title": "Marketing",
			"cookies": []any{map[string]any{"provider": "Example", "names": []any{"_mkt*"}}},
		})
	},
	// A consent-requiring service is added to statistics: the scope changes.
	"heatmaps": func(p map[string]any) {
		stats := policyCategory(p, "statistics")
		stats["services"] = append(stats["services"].([]any), map[string]any{
			"id": "heatmaps", "title": "Heatmaps",
			"cookies": []any{map[string]any{"provider": "Example", "names": []any{"_hj*"}}},
		})
	},
	// The analytics service is removed (its cookies move to the category): the scope changes.
	"no-service": func(p map[string]any) {
		stats := policyCategory(p, "statistics")
		stats["cookies"] = stats["services"].([]any)[0].(map[string]any)["cookies"]
		delete(stats, "services")
	},
	// An anonymised audience count that needs no consent (§3 consentRequired: false).
	"exempt": func(p map[string]any) {
		stats := policyCategory(p, "statistics")
		stats["services"] = append(stats["services"].([]any), map[string]any{
			"id": "audience", "title": "Anonymised audience", "consentRequired": false,
			"cookies": []any{map[string]any{"provider": "Example", "names": []any{"_anon*"}}},
		})
	},
	// The same exempt service in the required category: accepted, always on (1.1 §4).
	"exempt-required": func(p map[string]any) {
		policyCategory(p, "necessary")["services"] = []any{map[string]any{
			"id": "audience", "title": "Anonymised audience", "consentRequired": false,
		}}
	},
	"reload":         func(p map[string]any) { p["reloadOnWithdraw"] = true },
	"no-gpc":         func(p map[string]any) { p["respectGlobalPrivacyControl"] = false },
	"domain":         func(p map[string]any) { policyCookie(p)["domain"] = ".consentry.test" },
	"foreign-domain": func(p map[string]any) { policyCookie(p)["domain"] = ".elsewhere.test" },
	"samesite-none":  func(p map[string]any) { policyCookie(p)["sameSite"] = "None" },
	"days30":         func(p map[string]any) { policyCookie(p)["expiresAfterDays"] = 30 },
}

// policyCategory returns the category with that id of a policy decoded as JSON.
func policyCategory(p map[string]any, id string) map[string]any {
	for _, c := range p["categories"].([]any) {
		if c := c.(map[string]any); c["id"] == id {
			return c
		}
	}
	panic("no category " + id)
}

// policyCookie returns the "cookie" object of a policy decoded as JSON.
func policyCookie(p map[string]any) map[string]any { return p["cookie"].(map[string]any) }

// serveLifecyclePage serves lifecycle-page.html with the shipped policy, changed by the
// variants named in ?v=a,b, inline.
func serveLifecyclePage(w http.ResponseWriter, r *http.Request) {
	src, err := os.ReadFile(filepath.Join(distDir(), "policy.json"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	var policy map[string]any
	if err := json.Unmarshal(src, &policy); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	for _, name := range strings.Split(r.URL.Query().Get("v"), ",") {
		if name == "" {
			continue
		}
		change, ok := lifecycleVariants[name]
		if !ok {
			http.Error(w, "unknown policy variant "+name, http.StatusBadRequest)
			return
		}
		change(policy)
	}
	text, err := json.Marshal(policy) // escapes <, > and &, so it cannot close the script
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	page, err := os.ReadFile(filepath.Join("testdata", "pages", "lifecycle-page.html"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Write([]byte(strings.Replace(string(page), "{{policy}}", string(text), 1)))
}

// lifecyclePath is the path of the lifecycle page under the named policy variants.
func lifecyclePath(variants ...string) string {
	return "/test/lifecycle/page.html?v=" + strings.Join(variants, ",")
}

// wwwHost is a test host name with a parent domain (consentry.test) that the browser maps
// to the test server, so that Domain= cookies are real.
const wwwHost = "www.consentry.test"

// hostURL is the URL of path on the test server reached under the host name host.
func hostURL(host, path string) string {
	u, err := url.Parse(e2e.baseURL)
	if err != nil {
		panic(err)
	}
	return "http://" + host + ":" + u.Port() + path
}

// lifecycleTLS is an https copy of the test server, started by the first test that needs it.
var lifecycleTLS struct {
	once sync.Once
	url  string
}

// tlsURL is the URL of path on the https test server.
func tlsURL(path string) string {
	lifecycleTLS.once.Do(func() {
		srv := httptest.NewTLSServer(newTestMux(nil))
		e2e.teardown = append(e2e.teardown, srv.Close)
		lifecycleTLS.url = srv.URL
	})
	return lifecycleTLS.url + path
}

// lifecycleInitJS counts the page loads of the tab and keeps the consentry:consent and
// consentry:change events in sessionStorage, so that they survive a reload.
const lifecycleInitJS = `(() => {
  try {
    sessionStorage.setItem('__loads', String(Number(sessionStorage.getItem('__loads') || 0) + 1));
  } catch (e) { return; }
  for (const name of ['consentry:consent', 'consentry:change']) {
    window.addEventListener(name, (e) => {
      const log = JSON.parse(sessionStorage.getItem('__events') || '[]');
      log.push({type: e.type, isCustomEvent: true, detail: JSON.parse(JSON.stringify(e.detail))});
      sessionStorage.setItem('__events', JSON.stringify(log));
    });
  }
})();`

// gpcOnJS makes navigator.globalPrivacyControl true, as a browser with the signal on does.
const gpcOnJS = `Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', {get: () => true, configurable: true});`

// newLifecyclePage is newPage with the load and event log of lifecycleInitJS.
func newLifecyclePage(t *testing.T, initScripts ...string) *page {
	t.Helper()
	return newPage(t, append([]string{lifecycleInitJS}, initScripts...)...)
}

func init() {
	extraRoutes = append(extraRoutes, hardenRoutes)
}

// hardenCSP are the Content-Security-Policy headers the tests run pages under, by name.
var hardenCSP = map[string]string{
	// The CSP the README recommends: nothing inline, wasm compiled from 'self'.
	"strict": "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; object-src 'none'; base-uri 'none'",
	// A nonce-based strict CSP (google/strict-csp): host allow-lists are ignored.
	"nonce": "script-src 'nonce-harden-nonce' 'strict-dynamic' 'wasm-unsafe-eval'; style-src 'self'; object-src 'none'; base-uri 'none'",
	// Trusted Types for every script sink, any policy name allowed.
	"tt": "require-trusted-types-for 'script'",
	// Trusted Types with an allow-list, which must name the widget's policy.
	"tt-allow": "require-trusted-types-for 'script'; trusted-types consentry",
	// A strict CSP that forgets 'wasm-unsafe-eval': the widget cannot be compiled.
	"no-wasm": "default-src 'self'; script-src 'self'; style-src 'self'",
	// Trusted Types with an allow-list that forgets the widget's policy.
	"tt-deny": "require-trusted-types-for 'script'; trusted-types other",
}

// hardenRoutes adds the test server's /harden/ routes.
func hardenRoutes(mux *http.ServeMux) {
	mux.HandleFunc("/harden/page/", serveHardenPage)
	mux.HandleFunc("/harden/dist/", serveHardenDist)
	mux.HandleFunc("/harden/rule/", serveRulePolicy)
	mux.HandleFunc("/harden/demo/", func(w http.ResponseWriter, r *http.Request) {
		// The demo portal under the strict CSP.
		w.Header().Set("Content-Security-Policy", hardenCSP["strict"])
		http.StripPrefix("/harden/demo", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !strings.HasSuffix(r.URL.Path, "/") && path.Ext(r.URL.Path) == "" {
				r.URL.Path += ".html"
			}
			http.FileServer(http.Dir(filepath.Join("web", "demo"))).ServeHTTP(w, r)
		})).ServeHTTP(w, r)
	})
}

// serveHardenPage serves testdata/pages/harden-NAME.html. ?dist=VARIANT loads consentry.js
// from /harden/dist/VARIANT/, ?policy=URL adds data-policy, ?csp=NAME sends hardenCSP[NAME].
func serveHardenPage(w http.ResponseWriter, r *http.Request) {
	name := path.Base(r.URL.Path)
	if !strings.HasPrefix(name, "harden-") || !strings.HasSuffix(name, ".html") {
		http.NotFound(w, r)
		return
	}
	src, err := os.ReadFile(filepath.Join("testdata", "pages", name))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	page := string(src)
	q := r.URL.Query()
	tag := `src="/consentry/consentry.js"`
	newTag := tag
	if d := q.Get("dist"); d != "" {
		newTag = `src="/harden/dist/` + html.EscapeString(d) + `/consentry.js"`
	}
	if p := q.Get("policy"); p != "" {
		newTag += ` data-policy="` + html.EscapeString(p) + `"`
	}
	page = strings.ReplaceAll(page, tag, newTag)
	if c := q.Get("csp"); c != "" {
		csp, ok := hardenCSP[c]
		if !ok {
			http.Error(w, "unknown csp "+c, http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Security-Policy", csp)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	fmt.Fprint(w, page)
}

// serveHardenDist serves the dist folder under /harden/dist/VARIANT/, with the wasm broken
// as VARIANT says: "ok" (as is), "wasm404" (missing), "notwasm" (an HTML error page sent as
// application/wasm), "mime" (the real wasm as application/octet-stream, which makes
// instantiateStreaming throw and the loader fall back to an ArrayBuffer).
func serveHardenDist(w http.ResponseWriter, r *http.Request) {
	rest := strings.TrimPrefix(r.URL.Path, "/harden/dist/")
	variant, name, ok := strings.Cut(rest, "/")
	if !ok || strings.Contains(name, "/") || strings.HasPrefix(name, ".") {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	isWasm := strings.HasSuffix(name, ".wasm")
	switch {
	case isWasm && variant == "wasm404":
		http.NotFound(w, r)
		return
	case isWasm && variant == "notwasm":
		w.Header().Set("Content-Type", "application/wasm")
		fmt.Fprint(w, "<!doctype html><title>Not found</title><p>The page you are looking for is not here.")
		return
	}
	data, err := os.ReadFile(filepath.Join(distDir(), name))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	switch {
	case isWasm && variant == "mime":
		w.Header().Set("Content-Type", "application/octet-stream")
	case isWasm:
		w.Header().Set("Content-Type", "application/wasm")
	case strings.HasSuffix(name, ".js"):
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	default:
		w.Header().Set("Content-Type", "application/json")
	}
	w.Write(data)
}

// policyRule is one case of testdata/pages/harden-policy-rules.json: a policy that breaks
// one rule of CONTRACT.md §3, which the widget, the linter and the JSON Schema must all
// refuse (the schema where JSON Schema can express the rule).
type policyRule struct {
	Name   string          `json:"name"`
	Rule   string          `json:"rule"`
	Path   string          `json:"path"`   // the place every refusal must name ("" for JSON syntax)
	Want   string          `json:"want"`   // a part of the message
	Schema bool            `json:"schema"` // the JSON Schema can express the rule
	Policy json.RawMessage `json:"policy"`
	Text   string          `json:"text"` // instead of policy: raw text (JSON syntax errors)
}

// loadPolicyRules reads the shared table of refused policies.
func loadPolicyRules(t *testing.T) []policyRule {
	t.Helper()
	rules, err := readPolicyRules()
	if err != nil {
		t.Fatal(err)
	}
	return rules
}

func readPolicyRules() ([]policyRule, error) {
	data, err := os.ReadFile(filepath.Join("testdata", "pages", "harden-policy-rules.json"))
	if err != nil {
		return nil, err
	}
	var file struct {
		Cases []policyRule `json:"cases"`
	}
	if err := json.Unmarshal(data, &file); err != nil {
		return nil, fmt.Errorf("harden-policy-rules.json: %w", err)
	}
	return file.Cases, nil
}

// body is the policy text of a rule case.
func (r policyRule) body() []byte {
	if r.Text != "" {
		return []byte(r.Text)
	}
	return r.Policy
}

// serveRulePolicy serves /harden/rule/NAME.json, the policy of that rule case.
func serveRulePolicy(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimSuffix(path.Base(r.URL.Path), ".json")
	rules, err := readPolicyRules()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	for _, rule := range rules {
		if rule.Name == name {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Cache-Control", "no-store")
			w.Write(rule.body())
			return
		}
	}
	http.NotFound(w, r)
}

// hardenPage is the URL of a harden-*.html fixture with query parameters as pairs.
func hardenPage(name string, params ...string) string {
	q := url.Values{}
	for i := 0; i+1 < len(params); i += 2 {
		q.Set(params[i], params[i+1])
	}
	u := "/harden/page/harden-" + name + ".html"
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	return u
}

func init() {
	extraRoutes = append(extraRoutes, func(mux *http.ServeMux) {
		mux.HandleFunc("/a11y/page.html", serveA11yPage)
	})
}

// a11yPage is the path of a generated fixture page; params are name, value pairs of its
// query: lang (of <html>), datalang (of the script tag), theme, layout, variant
// ("services" or "ar"), long=1 (forty links, for focus tests), table=1 (a cookie-table).
func a11yPage(params ...string) string {
	q := url.Values{}
	for i := 0; i+1 < len(params); i += 2 {
		q.Set(params[i], params[i+1])
	}
	return "/a11y/page.html?" + q.Encode()
}

// serveA11yPage writes the page a11yPage describes, with the policy inline.
func serveA11yPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	policy, err := a11yPolicy(q.Get("theme"), q.Get("layout"), q.Get("variant"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	var b strings.Builder
	b.WriteString("<!doctype html>\n<html")
	if lang := q.Get("lang"); lang != "" {
		fmt.Fprintf(&b, ` lang="%s"`, html.EscapeString(lang))
	}
	b.WriteString(">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
	b.WriteString("<title>Consentry accessibility fixture</title>\n")
	b.WriteString(`<style>body { margin: 0; font: 16px/1.5 sans-serif; } main { padding: 16px; } p { margin: 0 0 24px; }
  [data-consentry="cookie-table"] table { width: 100%; border-collapse: collapse; }
  [data-consentry="cookie-table"] :is(th, td) { border: 1px solid #888; padding: 4px; text-align: start; overflow-wrap: anywhere; }</style>` + "\n")
	b.WriteString(`<script src="/consentry/consentry.js"`)
	if dl := q.Get("datalang"); dl != "" {
		fmt.Fprintf(&b, ` data-lang="%s"`, html.EscapeString(dl))
	}
	b.WriteString(" async></script>\n<script type=\"application/json\" id=\"consentry-policy\">\n")
	b.Write(policy) // json.Marshal escapes <, > and &: nothing can close the script element
	b.WriteString("\n</script>\n</head>\n<body>\n<header><a href=\"#main\" id=\"first-link\">Skip to the content</a></header>\n")
	b.WriteString("<main id=\"main\">\n<h1>Air quality stations</h1>\n")
	if q.Get("long") == "1" {
		for i := 1; i <= 40; i++ {
			fmt.Fprintf(&b, "<p>Measurements of station %d. <a href=\"#s%d\" id=\"s%d\">Station %d details</a></p>\n", i, i, i, i)
		}
	}
	if q.Get("table") == "1" {
		b.WriteString("<h2>Cookies used on this portal</h2>\n<div data-consentry=\"cookie-table\"></div>\n")
	}
	b.WriteString("<p><a href=\"#\" data-consentry=\"show-preferences\" id=\"settings\">Cookie settings</a></p>\n</main>\n</body>\n</html>\n")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Write([]byte(b.String()))
}

// a11yPolicy is the shipped policy with the theme, the layout and a variant applied.
func a11yPolicy(theme, layout, variant string) ([]byte, error) {
	src, err := os.ReadFile(filepath.Join(distDir(), "policy.json"))
	if err != nil {
		return nil, err
	}
	var p map[string]any
	if err := json.Unmarshal(src, &p); err != nil {
		return nil, err
	}
	if theme != "" {
		p["theme"] = theme
	}
	if layout != "" {
		p["layout"] = layout
	}
	cats, _ := p["categories"].([]any)
	category := func(id string) map[string]any {
		for _, c := range cats {
			if m, ok := c.(map[string]any); ok && m["id"] == id {
				return m
			}
		}
		panic("a11yPolicy: no category " + id)
	}
	switch variant {
	case "":
	case "services":
		// Two services that need consent, so that one on and one off is a partial state,
		// and anonymised statistics that need none (CONTRACT.md §3, consentRequired).
		stats := category("statistics")
		services := stats["services"].([]any)
		stats["services"] = append(services,
			map[string]any{
				"id": "heatmaps", "title": map[string]any{"en": "Heat maps", "fr": "Cartes de chaleur"},
				"cookies": []any{map[string]any{
					"provider": "Opendatasoft", "names": []any{"_hm"},
					"function": map[string]any{"en": "Heat maps (front office)", "fr": "Cartes de chaleur (front office)"},
					"purpose":  map[string]any{"en": "To see where visitors click", "fr": "Pour voir où cliquent les visiteurs"},
				}},
			},
			map[string]any{
				"id": "audience", "title": map[string]any{"en": "Anonymised audience count", "fr": "Comptage anonyme de l’audience"},
				"consentRequired": false,
				"cookies": []any{map[string]any{
					"provider": "Opendatasoft", "names": []any{"_anon"},
					"function": map[string]any{"en": "Anonymised audience measurement", "fr": "Mesure d’audience anonymisée"},
					"purpose":  map[string]any{"en": "To count visits without tracing them to anyone", "fr": "Pour compter les visites sans remonter à personne"},
				}},
			})
	case "ar":
		// An Arabic translation of the categories and of some UI texts only: the other UI
		// texts fall back to English, and must say so with their own lang.
		addAr := func(m map[string]any, key, text string) {
			if t, ok := m[key].(map[string]any); ok {
				t["ar"] = text
			}
		}
		nec, stats := category("necessary"), category("statistics")
		addAr(nec, "title", "ملفات تعريف الارتباط الضرورية")
		addAr(nec, "description", "هذه الملفات ضرورية لعمل الموقع ولا تتطلب موافقة.")
		addAr(stats, "title", "الإحصاءات")
		addAr(stats, "description", "تقيس هذه الملفات جمهور الموقع، ولا تُستخدم إلا بموافقتك.")
		p["texts"] = map[string]any{
			"bannerTitle": map[string]any{"en": "Cookies on this site", "ar": "ملفات تعريف الارتباط على هذا الموقع"},
			"bannerDescription": map[string]any{
				"en": "This site uses cookies. Closing this banner or choosing “Continue without accepting” means you refuse.",
				"ar": "يستخدم هذا الموقع ملفات تعريف الارتباط لقياس جمهوره إذا وافقت. إغلاق هذا الشريط أو اختيار «المتابعة دون قبول» يعني الرفض.",
			},
			"acceptAll":                map[string]any{"en": "Accept all", "ar": "قبول الكل"},
			"rejectAll":                map[string]any{"en": "Reject all", "ar": "رفض الكل"},
			"customize":                map[string]any{"en": "Customise", "ar": "تخصيص"},
			"continueWithoutAccepting": map[string]any{"en": "Continue without accepting", "ar": "المتابعة دون قبول"},
		}
	case "purposes":
		// Four optional categories (CONTRACT.md §8, 1.1: the banner names each of them).
		p["categories"] = append(cats, fourPurposesCategories()...)
	default:
		return nil, fmt.Errorf("a11yPolicy: unknown variant %q", variant)
	}
	return json.Marshal(p)
}
