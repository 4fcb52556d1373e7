package consentry_test

// End-to-end tests of consent receipts (CONTRACT.md §10) in Chromium: the widget of
// `make dist` on a page whose inline policy has receipts.endpoint, and the real endpoint
// of package receipts (its Handler over an SQLite store in a temporary directory) mounted
// on the same origin as the page, as a site mounts it. Each test has a site of its own
// under /receipts-e2e/<test>/, so that the tests run in parallel without seeing each
// other's receipts.

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/storage"
	"github.com/chromedp/chromedp"

	"github.com/consentry/consentry/receipts"
	"github.com/consentry/consentry/widget"
)

// receiptSitePrefix is where the test sites live on the shared test server.
const receiptSitePrefix = "/receipts-e2e/"

// receiptSites maps a site's name to its *receiptSite.
var receiptSites sync.Map

func init() {
	extraRoutes = append(extraRoutes, func(mux *http.ServeMux) {
		mux.HandleFunc(receiptSitePrefix, func(w http.ResponseWriter, r *http.Request) {
			name, rest, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, receiptSitePrefix), "/")
			site, ok := receiptSites.Load(name)
			if !ok {
				http.NotFound(w, r)
				return
			}
			site.(*receiptSite).serve(w, r, "/"+rest)
		})
	})
}

// receiptSite is one test's site: a page and its receipts endpoint.
type receiptSite struct {
	t        *testing.T
	name     string
	policy   []byte // the inline policy of the page, receipts.endpoint included
	endpoint string // its path
	store    receipts.Store
	handler  http.Handler

	mu          sync.Mutex
	unavailable bool             // answer 503 before the handler, as a proxy whose backend is down
	requests    []receiptRequest // every request to the endpoint, in order
	changed     chan struct{}    // closed and replaced on each request
}

// receiptRequest is one request the endpoint got and what it answered.
type receiptRequest struct {
	method, contentType, secFetchSite, cookie string
	body                                      string
	status                                    int
}

// newReceiptSite sets up a site for t whose policy is the shipped one with
// receipts.endpoint (extra, when not "", is added to the policy's members as JSON text).
func newReceiptSite(t *testing.T, extra string) *receiptSite {
	t.Helper()
	requireE2E(t)
	name := regexp.MustCompile(`[^A-Za-z0-9]+`).ReplaceAllString(t.Name(), "-")
	s := &receiptSite{t: t, name: name, endpoint: receiptSitePrefix + name + "/consent/receipts", changed: make(chan struct{})}
	shipped, err := os.ReadFile(filepath.Join(distDir(), "policy.json"))
	if err != nil {
		t.Fatal(err)
	}
	shipped = []byte(strings.TrimSpace(string(shipped)))
	members := `"receipts":{"endpoint":"` + s.endpoint + `"}`
	if extra != "" {
		members = extra
	}
	s.policy = append(shipped[:len(shipped)-1:len(shipped)-1], ","+members+"}"...)

	rev, err := receipts.ParseRevision(s.policy)
	if err != nil {
		t.Fatalf("the server refuses the test policy: %v", err)
	}
	policies, err := receipts.NewPolicies(rev)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	s.store, err = receipts.OpenSQLite(ctx, filepath.Join(t.TempDir(), "receipts.db"))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.store.PutPolicy(ctx, rev); err != nil {
		t.Fatal(err)
	}
	writer := receipts.NewWriter(s.store)
	s.handler = receipts.NewHandler(writer, policies, receipts.Options{Logf: t.Logf})
	t.Cleanup(func() {
		receiptSites.Delete(name)
		writer.Close()
		s.store.Close()
	})
	receiptSites.Store(name, s)
	return s
}

// pagePath is the path of the site's page.
func (s *receiptSite) pagePath() string { return receiptSitePrefix + s.name + "/page.html" }

// serve answers the site's requests: its page, and its receipts endpoint.
func (s *receiptSite) serve(w http.ResponseWriter, r *http.Request, path string) {
	switch path {
	case "/page.html":
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		fmt.Fprintf(w, `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Receipts</title>
<script type="application/json" id="%s">%s</script>
<script src="/consentry/consentry.js" async></script>
</head><body><h1>A page with consent receipts</h1></body></html>`, widget.InlinePolicyID, s.policy)
	case "/consent/receipts":
		body, _ := io.ReadAll(io.LimitReader(r.Body, 64<<10))
		r.Body = io.NopCloser(strings.NewReader(string(body)))
		s.mu.Lock()
		unavailable := s.unavailable
		s.mu.Unlock()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		if unavailable {
			http.Error(rec, "backend down", http.StatusServiceUnavailable)
		} else {
			s.handler.ServeHTTP(rec, r)
		}
		s.mu.Lock()
		s.requests = append(s.requests, receiptRequest{
			method: r.Method, contentType: r.Header.Get("Content-Type"), secFetchSite: r.Header.Get("Sec-Fetch-Site"),
			cookie: r.Header.Get("Cookie"), body: string(body), status: rec.status,
		})
		close(s.changed)
		s.changed = make(chan struct{})
		s.mu.Unlock()
	default:
		http.NotFound(w, r)
	}
}

// statusRecorder remembers the status a handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(status int) {
	r.status = status
	r.ResponseWriter.WriteHeader(status)
}

// setUnavailable makes the endpoint answer 503 (true) or reach the handler (false).
func (s *receiptSite) setUnavailable(down bool) {
	s.mu.Lock()
	s.unavailable = down
	s.mu.Unlock()
}

// waitRequests waits until the endpoint has had n requests, and returns them.
func (s *receiptSite) waitRequests(n int) []receiptRequest {
	s.t.Helper()
	deadline := time.After(waitTimeout)
	for {
		s.mu.Lock()
		got, changed := append([]receiptRequest(nil), s.requests...), s.changed
		s.mu.Unlock()
		if len(got) >= n {
			return got
		}
		select {
		case <-changed:
		case <-deadline:
			s.t.Fatalf("timed out waiting for request %d to the receipts endpoint; got %d", n, len(got))
		}
	}
}

// requestCount returns how many requests the endpoint had.
func (s *receiptSite) requestCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.requests)
}

// stored returns the receipts the store holds, decoded, in the order stored.
func (s *receiptSite) stored() []map[string]any {
	s.t.Helper()
	var out []map[string]any
	err := s.store.Scan(context.Background(), receipts.Filter{}, func(e *receipts.Entry) error {
		var m map[string]any
		if err := json.Unmarshal(e.Body, &m); err != nil {
			return err
		}
		out = append(out, m)
		return nil
	})
	if err != nil {
		s.t.Fatalf("scan the store: %v", err)
	}
	return out
}

// storedQueue is the widget's queue of unacknowledged receipts, as stored in the page's
// localStorage under widget.ReceiptQueueKey.
type storedQueue struct {
	V        int `json:"v"`
	Receipts []struct {
		ID     string `json:"id"`
		Queued string `json:"queued"`
		Body   string `json:"body"`
	} `json:"receipts"`
	Acked *struct {
		ConsentID string `json:"consentId"`
		Updated   string `json:"updated"`
	} `json:"acked"`
}

// receiptQueue reads the widget's queue from the page's localStorage; empty when there is
// none.
func (p *page) receiptQueue() storedQueue {
	p.t.Helper()
	text := evalJS[string](p, `localStorage.getItem(`+receiptJSString(widget.ReceiptQueueKey)+`) || ""`)
	var q storedQueue
	if text != "" {
		if err := json.Unmarshal([]byte(text), &q); err != nil {
			p.t.Fatalf("localStorage %s: %v: %s", widget.ReceiptQueueKey, err, text)
		}
	}
	return q
}

// waitAcknowledged waits until the widget has recorded a 2xx for every queued receipt.
func (p *page) waitAcknowledged() {
	p.t.Helper()
	p.waitFor(`(() => { const q = JSON.parse(localStorage.getItem(`+receiptJSString(widget.ReceiptQueueKey)+`) || "null");
		return q && q.receipts.length === 0 && q.acked; })()`, "the receipts to be acknowledged")
}

// receiptJSString is a JavaScript string literal.
func receiptJSString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// contextCookies returns the cookies of the page's browser context through the DevTools
// protocol's Storage.getCookies: every cookie the browser holds, with its path and expiry.
func (p *page) contextCookies() []*network.Cookie {
	p.t.Helper()
	res, err := chromedp.CallBrowser(p.ctx, storage.GetCookies, storage.GetCookiesParams{
		BrowserContextID: chromedp.FromContext(p.ctx).BrowserContextID,
	})
	if err != nil {
		p.t.Fatalf("Storage.getCookies: %v", err)
	}
	return res.Cookies
}

// consentCookiesWithPath returns the consent cookies whose Path is path.
func (p *page) consentCookiesWithPath(path string) []*network.Cookie {
	var out []*network.Cookie
	for _, c := range p.contextCookies() {
		if c.Name == widget.DefaultCookieName && c.Path == path {
			out = append(out, c)
		}
	}
	return out
}

// TestE2EReceiptsChoicePostsOne: a first choice posts exactly one receipt, with every field
// of §10, to the same-origin endpoint, which stores it; reading the stored choice on the
// next page load posts nothing.
func TestE2EReceiptsChoicePostsOne(t *testing.T) {
	site := newReceiptSite(t, "")
	p := newPage(t)
	p.mustOpen(site.pagePath() + "?utm_source=test#top")
	p.expectVisible(selBanner, "the banner on a first visit")
	p.click(selAcceptAll)
	p.expectHidden(selBanner, "the banner after Accept all")

	reqs := site.waitRequests(1)
	p.waitAcknowledged()
	req := reqs[0]
	if req.method != http.MethodPost || req.contentType != widget.ReceiptContentType || req.status != http.StatusCreated {
		t.Fatalf("request %s %q answered %d, want POST application/json answered 201", req.method, req.contentType, req.status)
	}
	if req.secFetchSite != "same-origin" {
		t.Errorf("Sec-Fetch-Site %q, want same-origin", req.secFetchSite)
	}
	cookie, rec := p.mustConsent()

	var sent map[string]any
	if err := json.Unmarshal([]byte(req.body), &sent); err != nil {
		t.Fatalf("the receipt is not JSON: %v: %s", err, req.body)
	}
	digest := sha256.Sum256(site.policy)
	want := map[string]any{
		"v": 1.0, "consentId": rec.ID, "event": widget.EventReceiptConsent, "method": widget.MethodAcceptAll,
		"revision": float64(rec.Revision), "scope": rec.Scope, "policyDigest": hex.EncodeToString(digest[:]),
		"language": "en", "categories": []any{"necessary", "statistics"},
		"services": map[string]any{"statistics": []any{"analytics"}},
		"created":  rec.Created, "updated": rec.Updated,
		"page": p.url(site.pagePath()),
	}
	id, _ := sent["receiptId"].(string)
	if !regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`).MatchString(id) {
		t.Errorf("receiptId %q is not a version 4 UUID", id)
	}
	delete(sent, "receiptId")
	if w, ok := sent["widget"]; ok { // the build id, once the build has one
		if s, _ := w.(string); s == "" {
			t.Errorf("widget %v: a build id string or left out", w)
		}
		delete(sent, "widget")
	}
	for k, v := range want {
		if got, _ := json.Marshal(sent[k]); string(got) != receiptJSON(t, v) {
			t.Errorf("receipt %s = %s, want %s", k, got, receiptJSON(t, v))
		}
		delete(sent, k)
	}
	if len(sent) > 0 {
		t.Errorf("receipt has fields §10 does not define: %v", sent)
	}
	if cookie.Value == "" {
		t.Fatal("no consent cookie")
	}

	stored := site.stored()
	if len(stored) != 1 || stored[0]["receiptId"] != id {
		t.Fatalf("the store holds %v, want the one receipt %s", stored, id)
	}

	// A stored choice read at page load posts nothing. Nothing waits in the queue, so a
	// post could only come from reading the choice, right after the start: once the widget
	// is ready and the page idle (no request in flight), the endpoint must have seen none.
	p.mustReload()
	if !p.consentValidNow() {
		t.Fatal("the choice is not valid after a reload")
	}
	p.idle()
	if n := site.requestCount(); n != 1 {
		t.Fatalf("reading the stored choice posted a receipt: %d requests", n)
	}
	p.expectClean()
}

// consentValidNow asks the widget whether a valid choice exists.
func (p *page) consentValidNow() bool {
	p.t.Helper()
	return evalJS[bool](p, `Consentry.validConsent()`)
}

// receiptJSON is v as JSON.
func receiptJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestE2EReceiptsQueuedWhileUnavailable: a receipt answered 503 stays queued in the
// browser; the next page load sends it again, unchanged, and the server stores it with the
// same receiptId.
func TestE2EReceiptsQueuedWhileUnavailable(t *testing.T) {
	site := newReceiptSite(t, "")
	site.setUnavailable(true)
	p := newPage(t)
	p.mustOpen(site.pagePath())
	p.click(selRejectAll)
	p.expectHidden(selBanner, "the banner after Reject all: a receipt never delays the choice")

	first := site.waitRequests(1)[0]
	if first.status != http.StatusServiceUnavailable {
		t.Fatalf("the endpoint answered %d, want the 503 of this test", first.status)
	}
	q := p.receiptQueue()
	if len(q.Receipts) != 1 || q.Receipts[0].Body != first.body {
		t.Fatalf("after a 503 the queue holds %+v, want the receipt sent", q)
	}
	if n := len(site.stored()); n != 0 {
		t.Fatalf("the store holds %d receipts", n)
	}

	site.setUnavailable(false)
	p.mustReload()
	again := site.waitRequests(2)[1]
	if again.body != first.body {
		t.Errorf("the receipt was not sent again unchanged:\n first %s\nagain %s", first.body, again.body)
	}
	if again.status != http.StatusCreated {
		t.Errorf("the retry was answered %d, want 201", again.status)
	}
	p.waitAcknowledged()
	stored := site.stored()
	if len(stored) != 1 || stored[0]["receiptId"] != q.Receipts[0].ID || stored[0]["method"] != widget.MethodRejectAll {
		t.Fatalf("the store holds %v, want receipt %s", stored, q.Receipts[0].ID)
	}
	// No expectClean: Chromium logs the 503 as a console error of its own.
}

// TestE2EReceiptsReplay: the same receipt posted again from the page is answered 200 and
// stored once.
func TestE2EReceiptsReplay(t *testing.T) {
	site := newReceiptSite(t, "")
	p := newPage(t)
	p.mustOpen(site.pagePath())
	p.click(selAcceptAll)
	first := site.waitRequests(1)[0]
	p.waitAcknowledged()

	status := evalJS[int](p, `fetch(`+receiptJSString(site.endpoint)+`, {method: "POST", credentials: "same-origin",
		headers: {"Content-Type": "application/json"}, body: `+receiptJSString(first.body)+`}).then((r) => r.status)`)
	if first.status != http.StatusCreated || status != http.StatusOK {
		t.Errorf("first post %d, replay %d; want 201 then 200", first.status, status)
	}
	if n := len(site.stored()); n != 1 {
		t.Errorf("the store holds %d receipts after a replay, want 1", n)
	}
}

// shiftedClockJS sets the page's clock (Date, which Go's runtime reads for time.Now) two
// hours behind the browser's, so that the widget's record says it was updated two hours
// ago: the cookie the server sets then lives two hours less than one the widget writes
// (Max-Age counts from the browser's own clock), and the two can be told apart.
const shiftedClockJS = `(() => {
  const shift = -2 * 3600 * 1000, Real = Date;
  class Shifted extends Real {
    constructor(...args) { if (args.length === 0) { super(Real.now() + shift); } else { super(...args); } }
    static now() { return Real.now() + shift; }
  }
  window.Date = Shifted;
})();`

// TestE2EReceiptsServerCookieKept: after a 2xx the consent cookie is the one the server
// set, with its Max-Age (what remains of expiresAfterDays since updated), and the widget
// does not write it again, even when it would repair a duplicate consent cookie.
func TestE2EReceiptsServerCookieKept(t *testing.T) {
	site := newReceiptSite(t, "")
	p := newPage(t, shiftedClockJS)
	p.mustOpen(site.pagePath())
	p.click(selAcceptAll)
	site.waitRequests(1)
	p.waitAcknowledged()

	_, rec := p.mustConsent()
	updated, err := time.Parse(time.RFC3339, rec.Updated)
	if err != nil {
		t.Fatal(err)
	}
	if lag := time.Since(updated); lag < 110*time.Minute || lag > 130*time.Minute {
		t.Fatalf("updated %s is %v ago; the page's clock should be two hours behind", rec.Updated, lag)
	}
	serverExpiry := updated.Add(182 * 24 * time.Hour) // the server's Max-Age counts from updated
	expectServerCookie := func(when string) {
		t.Helper()
		cs := p.consentCookiesWithPath("/")
		if len(cs) != 1 {
			t.Fatalf("%s: %d consent cookies at Path=/, want 1", when, len(cs))
		}
		got := time.Unix(int64(math.Round(cs[0].Expires)), 0)
		if d := got.Sub(serverExpiry); d < -time.Minute || d > time.Minute {
			t.Fatalf("%s: the consent cookie expires %s, want the server's %s (a cookie the widget wrote expires two hours later, %s)",
				when, got.UTC(), serverExpiry.UTC(), serverExpiry.Add(2*time.Hour).UTC())
		}
		if cs[0].HTTPOnly {
			t.Errorf("%s: the server's consent cookie is HttpOnly: the widget cannot read it", when)
		}
	}
	expectServerCookie("after the 2xx")

	// A second consent cookie on the page's path (left by an older widget, say) is a
	// duplicate that the widget repairs by writing the valid choice alone (§4); here that
	// write would replace the server's cookie by a script-written one.
	dir := receiptSitePrefix + site.name
	if _, err := chromedp.Call(p.ctx, network.SetCookie, network.SetCookieParams{
		Name: widget.DefaultCookieName, Value: "stale", URL: p.url(dir + "/"), Path: dir,
		Expires: 0,
	}); err != nil {
		t.Fatal(err)
	}
	p.mustReload()
	if !p.consentValidNow() {
		t.Fatal("the choice is not valid after the reload")
	}
	expectServerCookie("after a reload with a duplicate cookie")
	if len(p.consentCookiesWithPath(dir)) != 1 {
		t.Errorf("the duplicate was deleted: the widget rewrote the consent cookies")
	}
	if n := site.requestCount(); n != 1 {
		t.Errorf("%d receipts posted; reading the stored choice posts nothing", n)
	}
	p.expectClean()
}

// TestE2EReceiptsCrossOrigin: a POST to the endpoint from another origin's page (a form, as
// an attacker recording "accept-all" for a visitor would send it) is answered 403 and
// stores nothing; a policy whose endpoint is on another origin is refused in the browser.
func TestE2EReceiptsCrossOrigin(t *testing.T) {
	site := newReceiptSite(t, "")
	p := newPage(t)
	other := strings.Replace(e2e.baseURL, "127.0.0.1", "localhost", 1)
	if other == e2e.baseURL {
		t.Fatalf("the test server %s is not on 127.0.0.1", e2e.baseURL)
	}
	// A valid receipt as a text/plain form body: name + "=" + value.
	receipt := `{"v":1,"receiptId":"5f0c1b2a-3c4d-4e5f-8a9b-0c1d2e3f4a5b","consentId":"9b2f1c0e-5d3a-4f6b-8c7d-0e1f2a3b4c5d",` +
		`"event":"consent","method":"accept-all","revision":1,"scope":"` + defaultScope + `","policyDigest":"` + strings.Repeat("0", 64) + `",` +
		`"language":"en","categories":["necessary","statistics"],"services":{"statistics":["analytics"]},` +
		`"created":"` + time.Now().UTC().Format(time.RFC3339) + `","updated":"` + time.Now().UTC().Format(time.RFC3339) + `","page":"x","widget":"`
	if err := chromedp.Do(p.ctx, chromedp.Navigate(other+"/test/queue.html")); err != nil {
		t.Fatal(err)
	}
	p.do(`(() => {
		const f = document.createElement("form");
		f.method = "POST"; f.enctype = "text/plain"; f.action = ` + receiptJSString(p.url(site.endpoint)) + `;
		const i = document.createElement("input");
		i.name = ` + receiptJSString(receipt) + `; i.value = '"}';
		f.append(i); document.body.append(f); f.submit();
	})()`)
	req := site.waitRequests(1)[0]
	if req.status != http.StatusForbidden {
		t.Errorf("a cross-site form POST was answered %d, want 403 (Sec-Fetch-Site %q)", req.status, req.secFetchSite)
	}
	if n := len(site.stored()); n != 0 {
		t.Errorf("the store holds %d receipts", n)
	}

	// The widget refuses a policy naming another origin, as a whole, naming the place.
	refused := newReceiptSite(t, `"receipts":{"endpoint":"`+other+`/consent/receipts"}`)
	state := p.open(refused.pagePath())
	if !strings.HasPrefix(state, "rejected: ") || !strings.Contains(state, "receipts.endpoint") || !strings.Contains(state, "another origin") {
		t.Errorf("a policy with an endpoint on another origin: Consentry.ready %s, want a refusal naming receipts.endpoint", state)
	}
}

// TestE2EReceiptsWithdraw: reset() posts a withdraw receipt: the forgotten record's id and
// created, required categories only, no services, reject-all, updated the withdrawal's time.
func TestE2EReceiptsWithdraw(t *testing.T) {
	site := newReceiptSite(t, "")
	p := newPage(t)
	p.mustOpen(site.pagePath())
	p.click(selAcceptAll)
	site.waitRequests(1)
	p.waitAcknowledged()
	_, rec := p.mustConsent()

	p.do(`Consentry.reset()`)
	p.expectVisible(selBanner, "the banner after reset()")
	req := site.waitRequests(2)[1]
	if req.status != http.StatusCreated {
		t.Fatalf("the withdraw receipt was answered %d: %s", req.status, req.body)
	}
	var w map[string]any
	if err := json.Unmarshal([]byte(req.body), &w); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"event": widget.EventReceiptWithdraw, "consentId": rec.ID, "created": rec.Created,
		"method": widget.MethodRejectAll, "categories": []any{"necessary"}, "services": map[string]any{},
	}
	for k, v := range want {
		if got, want := receiptJSON(t, w[k]), receiptJSON(t, v); got != want {
			t.Errorf("withdraw receipt %s = %s, want %s", k, got, want)
		}
	}
	if u, _ := w["updated"].(string); u < rec.Updated {
		t.Errorf("withdraw updated %v is before the choice's %s", w["updated"], rec.Updated)
	}
	if n := len(site.stored()); n != 2 {
		t.Errorf("the store holds %d receipts, want the consent and the withdrawal", n)
	}
	if p.consentCookie() != nil {
		t.Errorf("reset() left a consent cookie; a withdraw sets none")
	}
	p.expectClean()
}

// TestE2EReceiptsGPC: a first visit with Global Privacy Control on records a refusal
// (method gpc) and posts its consent receipt.
func TestE2EReceiptsGPC(t *testing.T) {
	site := newReceiptSite(t, "")
	p := newPage(t, gpcOnJS)
	p.mustOpen(site.pagePath())
	req := site.waitRequests(1)[0]
	var r map[string]any
	if err := json.Unmarshal([]byte(req.body), &r); err != nil {
		t.Fatal(err)
	}
	if r["event"] != widget.EventReceiptConsent || r["method"] != widget.MethodGPC || req.status != http.StatusCreated {
		t.Errorf("GPC receipt %s answered %d, want event consent, method gpc, 201", req.body, req.status)
	}
	p.expectClean()
}

// storageBlockedJS makes window.localStorage throw, as it does where the visitor blocks
// site data.
const storageBlockedJS = `Object.defineProperty(window, 'localStorage', {configurable: true,
  get() { throw new DOMException('The operation is insecure.', 'SecurityError'); }});`

// TestE2EReceiptsWithoutStorage: where localStorage is blocked, receipts cannot wait for a
// later page load, but each is still sent once: the GPC refusal recorded during the start,
// and a later choice.
func TestE2EReceiptsWithoutStorage(t *testing.T) {
	site := newReceiptSite(t, "")
	p := newPage(t, gpcOnJS, storageBlockedJS)
	p.mustOpen(site.pagePath())
	first := site.waitRequests(1)[0]
	if !strings.Contains(first.body, `"method":"gpc"`) || first.status != http.StatusCreated {
		t.Errorf("GPC receipt %s answered %d, want method gpc, 201", first.body, first.status)
	}
	p.do(`Consentry.acceptAll()`)
	second := site.waitRequests(2)[1]
	if !strings.Contains(second.body, `"event":"change"`) || second.status != http.StatusCreated {
		t.Errorf("receipt %s answered %d, want a change, 201", second.body, second.status)
	}
	p.expectClean()
}
