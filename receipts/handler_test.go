package receipts

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/consentry/consentry/widget"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// endpoint is a receipts endpoint on a real loopback HTTP server, backed by an SQLite
// store in a temporary file, with a fixed clock.
type endpoint struct {
	url    string
	store  Store
	writer *Writer
	rev    *Revision
	now    time.Time
}

func newEndpoint(t *testing.T, opts Options) *endpoint {
	t.Helper()
	st, err := OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "r.db"))
	require.NoError(t, err)
	ps := testPolicies(t)
	e := &endpoint{store: st, writer: NewWriter(st), rev: ps.Current(), now: time.Date(2026, 11, 28, 15, 4, 5, 0, time.UTC)}
	if opts.Now == nil {
		opts.Now = func() time.Time { return e.now }
	}
	srv := httptest.NewServer(NewHandler(e.writer, ps, opts))
	t.Cleanup(func() { srv.Close(); e.writer.Close(); st.Close() })
	e.url = srv.URL + DefaultEndpoint
	return e
}

// post sends body as a same-origin fetch would, with extra headers, and returns the
// response with its body read.
func (e *endpoint) post(t *testing.T, body []byte, header ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.url, bytes.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("User-Agent", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15")
	for i := 0; i+1 < len(header); i += 2 {
		if header[i+1] == "" {
			req.Header.Del(header[i])
		} else {
			req.Header.Set(header[i], header[i+1])
		}
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, string(b)
}

func (e *endpoint) count(t *testing.T) int {
	return len(scanAll(t, e.store, Filter{}))
}

func TestHandlerStoresAndSetsTheCookie(t *testing.T) {
	e := newEndpoint(t, Options{})
	rc := acceptAll(e.rev, e.now.Add(-10*24*time.Hour)) // chosen 10 days ago, sent now from the queue
	resp, body := e.post(t, rc.canonical(), "Origin", "")
	require.Equal(t, http.StatusCreated, resp.StatusCode, body)
	assert.JSONEq(t, `{"receiptId":"`+rc.ReceiptID+`"}`, body)

	lines := resp.Header.Values("Set-Cookie")
	require.Len(t, lines, 1)
	// The attributes of §4, with Max-Age = 182 days less the 10 already gone, never HttpOnly.
	wantValue := rc.Record().Encode()
	assert.Equal(t, "cookies_preferences="+wantValue+"; Path=/; Max-Age="+strconv.Itoa(172*86400)+"; SameSite=Lax", lines[0])
	c, err := http.ParseSetCookie(lines[0])
	require.NoError(t, err)
	assert.False(t, c.HttpOnly)
	rec, err := widget.DecodeRecord(c.Value)
	require.NoError(t, err)
	require.NoError(t, e.rev.Policy.Check(rec, e.now), "the server's cookie is a valid choice for the widget")

	// The same receipt again (the widget retrying after a lost answer): 200, stored once.
	resp, body = e.post(t, rc.canonical())
	assert.Equal(t, http.StatusOK, resp.StatusCode, body)
	assert.Len(t, resp.Header.Values("Set-Cookie"), 1)
	assert.Equal(t, 1, e.count(t))

	stored := scanAll(t, e.store, Filter{})[0]
	assert.Equal(t, "Safari", stored.Browser)
	assert.Empty(t, stored.Network, "no address is stored by default")
	assert.Equal(t, string(rc.canonical()), string(stored.Body))
}

func TestHandlerCookieAttributes(t *testing.T) {
	e := newEndpoint(t, Options{})
	rc := acceptAll(e.rev, e.now)
	resp, body := e.post(t, rc.canonical(), "Origin", "https://"+strings.TrimPrefix(strings.TrimSuffix(e.url, DefaultEndpoint), "http://"))
	require.Equal(t, http.StatusCreated, resp.StatusCode, body)
	line := resp.Header.Get("Set-Cookie")
	assert.True(t, strings.HasSuffix(line, "; Max-Age=15724800; SameSite=Lax; Secure"), line)

	// A withdraw sets no cookie: the widget deleted it.
	w := acceptAll(e.rev, e.now)
	w.Event, w.Method, w.Categories, w.Services = EventWithdraw, widget.MethodRejectAll, []string{"necessary"}, map[string][]string{}
	resp, body = e.post(t, w.canonical())
	require.Equal(t, http.StatusCreated, resp.StatusCode, body)
	assert.Empty(t, resp.Header.Values("Set-Cookie"))

	// A choice whose term is over gets no cookie (nothing remains of it).
	old := acceptAll(e.rev, e.now)
	assert.Empty(t, CookieLine(e.rev.Policy, old.Record(), widget.Location{Host: "example.org"}, old.Updated.Add(182*24*time.Hour+time.Second)))
	assert.Contains(t, CookieLine(e.rev.Policy, old.Record(), widget.Location{Host: "example.org"}, old.Updated.Add(182*24*time.Hour-time.Second)), "; Max-Age=1;")
}

func TestHandlerRefuses(t *testing.T) {
	e := newEndpoint(t, Options{ClientRate: -1})
	rev := e.rev
	valid := func(edit func(m map[string]any)) []byte {
		var m map[string]any
		require.NoError(t, json.Unmarshal(acceptAll(rev, e.now).canonical(), &m))
		edit(m)
		b, _ := json.Marshal(m)
		return b
	}
	tests := []struct {
		name    string
		body    []byte
		header  []string
		status  int
		errPart string
	}{
		{"format version 2 (§10: v not 1)", valid(func(m map[string]any) { m["v"] = 2 }), nil, 400, "v: format version 2"},
		{"a field missing", valid(func(m map[string]any) { delete(m, "scope") }), nil, 400, "scope: missing"},
		{"a field of the wrong type", valid(func(m map[string]any) { m["revision"] = "1" }), nil, 400, "revision: a string, expected an integer"},
		{"null for a list", valid(func(m map[string]any) { m["categories"] = nil }), nil, 400, "categories: null"},
		{"an unknown key", valid(func(m map[string]any) { m["ip"] = "192.0.2.1" }), nil, 400, "ip: unknown key"},
		{"a category the revision does not have", valid(func(m map[string]any) { m["categories"] = []string{"necessary", "statistics", "marketing"} }), nil, 400, `unknown category "marketing"`},
		{"a service the revision does not have", valid(func(m map[string]any) { m["services"] = map[string]any{"statistics": []string{"heatmaps"}} }), nil, 400, `unknown service "statistics/heatmaps"`},
		{"a wrong scope", valid(func(m map[string]any) { m["scope"] = "00000000" }), nil, 400, "scope: 00000000, but revision 1's is"},
		{"a revision the server does not know", valid(func(m map[string]any) { m["revision"] = 7 }), nil, 400, "revision: 7 is not a revision"},
		{"a required category missing", valid(func(m map[string]any) { m["categories"] = []string{"statistics"} }), nil, 400, `required category "necessary" missing`},
		{"updated two days ahead", valid(func(m map[string]any) {
			m["updated"] = e.now.Add(48 * time.Hour).Format(timeLayout)
		}), nil, 400, "more than a day ahead"},
		{"updated 40 days ago", valid(func(m map[string]any) {
			m["created"] = e.now.Add(-40 * 24 * time.Hour).Format(timeLayout)
			m["updated"] = e.now.Add(-40 * 24 * time.Hour).Format(timeLayout)
		}), nil, 400, "more than 31 days old"},
		{"a withdraw that keeps statistics", valid(func(m map[string]any) { m["event"] = "withdraw" }), nil, 400, "withdraw"},
		{"a page with a query", valid(func(m map[string]any) { m["page"] = "https://example.org/?email=a@b" }), nil, 400, "page:"},
		{"not JSON", []byte(`{"v":1,`), nil, 400, "not JSON"},
		{"two JSON values", append(acceptAll(rev, e.now).canonical(), []byte(`{}`)...), nil, 400, "more than one JSON value"},
		{"a cross-site request (Sec-Fetch-Site)", acceptAll(rev, e.now).canonical(), []string{"Sec-Fetch-Site", "cross-site"}, 403, "cross-origin"},
		{"a cross-origin request (Origin, older browsers)", acceptAll(rev, e.now).canonical(), []string{"Sec-Fetch-Site", "", "Origin", "https://evil.example"}, 403, "cross-origin"},
		{"a form post (text/plain)", acceptAll(rev, e.now).canonical(), []string{"Content-Type", "text/plain"}, 415, "application/json"},
		{"a form post (urlencoded)", []byte("v=1"), []string{"Content-Type", "application/x-www-form-urlencoded"}, 415, "application/json"},
		{"over 8 KiB", valid(func(m map[string]any) { m["page"] = "https://example.org/" + strings.Repeat("a", 9000) }), nil, 413, "larger than 8192"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := e.post(t, tc.body, tc.header...)
			assert.Equal(t, tc.status, resp.StatusCode, body)
			var m map[string]string
			require.NoError(t, json.Unmarshal([]byte(body), &m), body)
			assert.Contains(t, m["error"], tc.errPart)
			assert.Empty(t, resp.Header.Values("Set-Cookie"))
		})
	}
	assert.Equal(t, 0, e.count(t), "nothing refused is stored")

	resp, err := http.Get(e.url)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)
}

func TestHandlerRateLimits(t *testing.T) {
	e := newEndpoint(t, Options{ClientRate: 1, ClientBurst: 3, GlobalRate: 1, GlobalBurst: 5, ClientIP: HeaderClientIP("X-Real-IP")})
	// One client: 3 receipts pass, the 4th is refused with 429.
	for i := range 4 {
		resp, body := e.post(t, acceptAll(e.rev, e.now).canonical(), "X-Real-IP", "192.0.2.1")
		if i < 3 {
			assert.Equal(t, http.StatusCreated, resp.StatusCode, body)
		} else {
			assert.Equal(t, http.StatusTooManyRequests, resp.StatusCode, body)
			assert.Equal(t, "1", resp.Header.Get("Retry-After"))
		}
	}
	// Other clients share the global budget of 5: two more pass, then 429.
	for i := range 3 {
		resp, body := e.post(t, acceptAll(e.rev, e.now).canonical(), "X-Real-IP", "198.51.100."+strconv.Itoa(i+1))
		if i < 2 {
			assert.Equal(t, http.StatusCreated, resp.StatusCode, body)
		} else {
			assert.Equal(t, http.StatusTooManyRequests, resp.StatusCode, body)
		}
	}
	// A second later the buckets have refilled by one.
	e.now = e.now.Add(time.Second)
	resp, body := e.post(t, acceptAll(e.rev, e.now).canonical(), "X-Real-IP", "192.0.2.1")
	assert.Equal(t, http.StatusCreated, resp.StatusCode, body)
	assert.Equal(t, 6, e.count(t))
}

func TestHandlerKeepsANetworkOnlyWhenAsked(t *testing.T) {
	e := newEndpoint(t, Options{KeepNetwork: true, ClientIP: HeaderClientIP("X-Real-IP")})
	resp, body := e.post(t, acceptAll(e.rev, e.now).canonical(), "X-Real-IP", "203.0.113.77")
	require.Equal(t, http.StatusCreated, resp.StatusCode, body)
	assert.Equal(t, "203.0.113.0/24", scanAll(t, e.store, Filter{})[0].Network)
}

func TestHandlerStoreDown(t *testing.T) {
	e := newEndpoint(t, Options{})
	e.writer.Close()
	resp, body := e.post(t, acceptAll(e.rev, e.now).canonical())
	assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode, body)
	assert.Empty(t, resp.Header.Values("Set-Cookie"), "no cookie without a stored receipt")
}

func TestReissueCookie(t *testing.T) {
	rev := testRevision(t)
	now := time.Date(2026, 11, 28, 15, 4, 5, 0, time.UTC)
	rc := acceptAll(rev, now.Add(-100*24*time.Hour))
	valid := rev.Policy.Cookie.Name + "=" + rc.Record().Encode()
	page := func(ct, cc string) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if ct != "" {
				w.Header().Set("Content-Type", ct)
			}
			if cc != "" {
				w.Header().Set("Cache-Control", cc)
			}
			io.WriteString(w, "<!doctype html><title>page</title>")
		})
	}
	tests := []struct {
		name    string
		handler http.Handler
		cookie  string
		method  string
		want    string // the Set-Cookie expected, "" for none
	}{
		{"an HTML page and a valid choice: the cookie again, for what remains of its term", page("text/html; charset=utf-8", ""), valid, "GET",
			valid + "; Path=/; Max-Age=" + strconv.Itoa(82*86400) + "; SameSite=Lax"},
		{"HTML sniffed by net/http", page("", ""), valid, "GET", valid + "; Path=/; Max-Age=" + strconv.Itoa(82*86400) + "; SameSite=Lax"},
		{"no choice", page("text/html", ""), "", "GET", ""},
		{"a garbage cookie", page("text/html", ""), "cookies_preferences=%7Bnope", "GET", ""},
		{"not HTML", page("application/json", ""), valid, "GET", ""},
		{"a page a shared cache may keep", page("text/html", "public, max-age=60"), valid, "GET", ""},
		{"a POST", page("text/html", ""), valid, "POST", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(reissueCookie(rev.Policy, tc.handler, func() time.Time { return now }))
			defer srv.Close()
			req, _ := http.NewRequest(tc.method, srv.URL+"/datasets", nil)
			if tc.cookie != "" {
				req.Header.Set("Cookie", "sessionid=1; "+tc.cookie)
			}
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			resp.Body.Close()
			assert.Equal(t, tc.want, resp.Header.Get("Set-Cookie"))
			if tc.want != "" {
				assert.Contains(t, resp.Header.Get("Cache-Control"), "private")
			}
		})
	}
}

func TestAdminHandler(t *testing.T) {
	e := newEndpoint(t, Options{})
	rc := acceptAll(e.rev, e.now)
	resp, _ := e.post(t, rc.canonical())
	require.Equal(t, http.StatusCreated, resp.StatusCode)
	srv := httptest.NewServer(AdminHandler(e.store, "s3cret-token"))
	defer srv.Close()
	get := func(path, token string) (int, string) {
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	code, _ := get("/_consentry/admin/export", "")
	assert.Equal(t, http.StatusUnauthorized, code)
	code, _ = get("/_consentry/admin/export", "s3cret-tokeN")
	assert.Equal(t, http.StatusUnauthorized, code)
	code, body := get("/_consentry/admin/export?consent="+url.QueryEscape(rc.ConsentID), "s3cret-token")
	assert.Equal(t, http.StatusOK, code)
	var line ExportLine
	require.NoError(t, json.Unmarshal([]byte(body), &line))
	assert.JSONEq(t, string(rc.canonical()), string(line.Receipt))
	code, body = get("/_consentry/admin/verify", "s3cret-token")
	assert.Equal(t, http.StatusOK, code)
	assert.JSONEq(t, `{"ok":true,"rows":1}`, body)

	disabled := httptest.NewServer(AdminHandler(e.store, ""))
	defer disabled.Close()
	resp, err := http.Get(disabled.URL + "/_consentry/admin/export")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
}

func TestBrowserFamilyAndTruncateIP(t *testing.T) {
	for ua, want := range map[string]string{
		"Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1": "Safari",
		"Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0":                                                                  "Firefox",
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36":                         "Chrome",
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0":           "Edge",
		"Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0 Mobile/15E148 Safari/604.1":  "Chrome",
		"curl/8.5.0": "other",
		"":           "none",
	} {
		assert.Equal(t, want, BrowserFamily(ua), ua)
	}
	for ip, want := range map[string]string{
		"192.0.2.201":         "192.0.2.0/24",
		"2001:db8:abcd:12::1": "2001:db8:abcd::/48",
		"::ffff:192.0.2.9":    "192.0.2.0/24",
		"not an address":      "",
	} {
		assert.Equal(t, want, TruncateIP(ip), ip)
	}
}

// requestLocationFor is the Location of an http page on host.
func requestLocationFor(host string) widget.Location { return widget.Location{Host: host, Path: "/"} }
