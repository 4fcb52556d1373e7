package devserver_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/consentry/consentry/internal/devserver"
)

const wasmName = "consentry.0123456789.wasm"

// site lays out a build output and a demo folder the way `make dist` and web/demo do. Each
// file's content names the file, so a test can tell which one was sent. The demo's
// index.html.br is older than index.html, as when a page is edited after compressing it.
func site(t *testing.T) (dist, demo string) {
	t.Helper()
	root := t.TempDir()
	dist, demo = filepath.Join(root, "dist"), filepath.Join(root, "demo")
	old := time.Now().Add(-time.Hour)
	files := []struct {
		dir, name string
		mtime     time.Time
	}{
		{dist, "consentry.js", old}, {dist, "consentry.js.br", old}, {dist, "consentry.js.gz", old},
		{dist, wasmName, old}, {dist, wasmName + ".br", old}, {dist, wasmName + ".gz", old},
		{dist, "policy.json", old}, {dist, "policy.json.br", old}, {dist, "policy.json.gz", old},
		{demo, "index.html", time.Now()}, {demo, "index.html.br", old},
		{demo, "cookies-policy.html", old},
		{demo, "analytics.js", old},
		{demo, "demo.css", old},
		{demo, "app.0123456789.js", old},
		{demo, ".secret", old},
		{demo, "spa/index.html", old},
		{root, "outside.txt", old},
	}
	for _, f := range files {
		name := filepath.Join(f.dir, f.name)
		require.NoError(t, os.MkdirAll(filepath.Dir(name), 0o755))
		require.NoError(t, os.WriteFile(name, []byte("content of "+f.name), 0o644))
		require.NoError(t, os.Chtimes(name, f.mtime, f.mtime))
	}
	require.NoError(t, os.Symlink(filepath.Join(root, "outside.txt"), filepath.Join(demo, "link.txt")))
	return dist, demo
}

// get sends one request with the given Accept-Encoding, without the client's own
// transparent decompression, and returns the response with its body read.
func get(t *testing.T, srv *httptest.Server, method, path, acceptEncoding string, header ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, nil)
	require.NoError(t, err)
	if acceptEncoding != "" {
		req.Header.Set("Accept-Encoding", acceptEncoding)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	client := &http.Client{
		Transport:     &http.Transport{DisableCompression: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	resp, err := client.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, string(body)
}

func TestHandlerHeaders(t *testing.T) {
	const (
		wasmType = "application/wasm"
		jsType   = "text/javascript; charset=utf-8"
		jsonType = "application/json"
		htmlType = "text/html; charset=utf-8"
		cssType  = "text/css; charset=utf-8"
		forever  = "public, max-age=31536000, immutable"
		revalid  = "no-cache"
	)
	tests := []struct {
		desc                 string
		method, path, accept string
		status               int
		ctype, encoding      string
		cache                string
		body                 string // the file sent; "" for no body
	}{
		{"a browser gets the hashed wasm as brotli, cached for good",
			"GET", "/consentry/" + wasmName, "gzip, deflate, br, zstd",
			200, wasmType, "br", forever, wasmName + ".br"},
		{"a client without brotli gets gzip",
			"GET", "/consentry/" + wasmName, "gzip, deflate",
			200, wasmType, "gzip", forever, wasmName + ".gz"},
		{"a client that sends no Accept-Encoding gets the original",
			"GET", "/consentry/" + wasmName, "",
			200, wasmType, "", forever, wasmName},
		{"q=0 refuses a coding (RFC 9110 section 12.5.3)",
			"GET", "/consentry/" + wasmName, "br;q=0, gzip",
			200, wasmType, "gzip", forever, wasmName + ".gz"},
		{"a higher quality value wins over the preference for brotli",
			"GET", "/consentry/" + wasmName, "gzip;q=1, br;q=0.5",
			200, wasmType, "gzip", forever, wasmName + ".gz"},
		{"* accepts every coding, and brotli is preferred",
			"GET", "/consentry/" + wasmName, "*",
			200, wasmType, "br", forever, wasmName + ".br"},
		{"identity alone gets the original",
			"GET", "/consentry/" + wasmName, "identity",
			200, wasmType, "", forever, wasmName},
		{"HEAD has the headers of GET and no body",
			"HEAD", "/consentry/" + wasmName, "br",
			200, wasmType, "br", forever, ""},
		{"consentry.js names the current wasm, so it is revalidated",
			"GET", "/consentry/consentry.js", "br, gzip",
			200, jsType, "br", revalid, "consentry.js.br"},
		{"the policy is revalidated, so an edit shows at once",
			"GET", "/consentry/policy.json", "gzip",
			200, jsonType, "gzip", revalid, "policy.json.gz"},
		{"a brotli copy is not served under its own name",
			"GET", "/consentry/consentry.js.br", "br",
			404, "", "", "", ""},
		{"a gzip copy is not served under its own name",
			"GET", "/consentry/policy.json.gz", "",
			404, "", "", "", ""},
		{"the build output has no index",
			"GET", "/consentry/", "",
			404, "", "", "", ""},
		{"/ is the demo's index.html; its older brotli copy is stale and skipped",
			"GET", "/", "br",
			200, htmlType, "", revalid, "index.html"},
		{"an extensionless path finds name.html, as the demo policy's policyUrl needs",
			"GET", "/cookies-policy", "",
			200, htmlType, "", revalid, "cookies-policy.html"},
		{"demo scripts are JavaScript",
			"GET", "/analytics.js", "",
			200, jsType, "", revalid, "analytics.js"},
		{"stylesheets are CSS",
			"GET", "/demo.css", "",
			200, cssType, "", revalid, "demo.css"},
		{"a hash-like name outside the build output is not trusted to be immutable",
			"GET", "/app.0123456789.js", "",
			200, jsType, "", revalid, "app.0123456789.js"},
		{"a folder's index.html is served at its slash",
			"GET", "/spa/", "",
			200, htmlType, "", revalid, "spa/index.html"},
		{"dot files are never served",
			"GET", "/.secret", "",
			404, "", "", "", ""},
		{"dot-dot cannot leave the demo folder",
			"GET", "/%2e%2e/outside.txt", "",
			404, "", "", "", ""},
		{"dot-dot cannot leave the build output for the demo folder",
			"GET", "/consentry/%2e%2e/demo/index.html", "",
			404, "", "", "", ""},
		{"a symbolic link cannot leave the demo folder",
			"GET", "/link.txt", "",
			404, "", "", "", ""},
		{"the server only reads",
			"POST", "/", "",
			405, "", "", "", ""},
	}
	dist, demo := site(t)
	handler := devserver.Handler(dist, demo)
	srv := httptest.NewServer(handler)
	defer srv.Close()

	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			resp, body := get(t, srv, tt.method, tt.path, tt.accept)
			require.Equal(t, tt.status, resp.StatusCode)
			if tt.status != http.StatusOK {
				assert.Empty(t, resp.Header.Get("Content-Encoding"))
				assert.NotContains(t, body, "content of")
				return
			}
			h := resp.Header
			assert.Equal(t, tt.ctype, h.Get("Content-Type"))
			assert.Equal(t, tt.encoding, h.Get("Content-Encoding"))
			assert.Equal(t, tt.cache, h.Get("Cache-Control"))
			assert.Equal(t, "Accept-Encoding", h.Get("Vary"))
			assert.Equal(t, "nosniff", h.Get("X-Content-Type-Options"))
			assert.NotEmpty(t, h.Get("ETag"))
			assert.NotEmpty(t, h.Get("Last-Modified"))
			if tt.body != "" {
				assert.Equal(t, "content of "+tt.body, body)
			} else {
				assert.Empty(t, body)
			}
			sent := tt.body
			if sent == "" { // HEAD: the length of what GET would send
				sent = wasmName + ".br"
			}
			assert.Equal(t, strconv.Itoa(len("content of "+sent)), h.Get("Content-Length"))

			// net/http adds a Content-Length to small responses by itself; a recorder
			// shows that the handler sets it, as a large wasm needs.
			rec := httptest.NewRecorder()
			req := httptest.NewRequest(tt.method, tt.path, nil)
			req.Header.Set("Accept-Encoding", tt.accept)
			handler.ServeHTTP(rec, req)
			assert.Equal(t, strconv.Itoa(len("content of "+sent)), rec.Header().Get("Content-Length"))
		})
	}
}

func TestHandlerRedirectsFolderToSlash(t *testing.T) {
	dist, demo := site(t)
	srv := httptest.NewServer(devserver.Handler(dist, demo))
	defer srv.Close()

	resp, _ := get(t, srv, "GET", "/spa?lang=fr", "")
	assert.Equal(t, http.StatusMovedPermanently, resp.StatusCode)
	assert.Equal(t, "/spa/?lang=fr", resp.Header.Get("Location"))
}

// TestHandlerRevalidation checks that each representation has its own validator (RFC 9110
// section 8.8.3), so a cache holding the gzip copy never gets a 304 for the brotli one, and
// that ranges apply to the representation sent.
func TestHandlerRevalidation(t *testing.T) {
	dist, demo := site(t)
	srv := httptest.NewServer(devserver.Handler(dist, demo))
	defer srv.Close()

	br, _ := get(t, srv, "GET", "/consentry/consentry.js", "br")
	gz, _ := get(t, srv, "GET", "/consentry/consentry.js", "gzip")
	plain, _ := get(t, srv, "GET", "/consentry/consentry.js", "")
	etags := []string{br.Header.Get("ETag"), gz.Header.Get("ETag"), plain.Header.Get("ETag")}
	assert.Len(t, map[string]bool{etags[0]: true, etags[1]: true, etags[2]: true}, 3, "distinct ETags: %q", etags)

	resp, body := get(t, srv, "GET", "/consentry/consentry.js", "br", "If-None-Match", etags[0])
	assert.Equal(t, http.StatusNotModified, resp.StatusCode)
	assert.Empty(t, body)
	assert.Empty(t, resp.Header.Get("Content-Encoding"))

	resp, _ = get(t, srv, "GET", "/consentry/consentry.js", "gzip", "If-None-Match", etags[0])
	assert.Equal(t, http.StatusOK, resp.StatusCode, "the brotli ETag does not validate the gzip copy")

	resp, _ = get(t, srv, "GET", "/consentry/consentry.js", "br",
		"If-Modified-Since", br.Header.Get("Last-Modified"))
	assert.Equal(t, http.StatusNotModified, resp.StatusCode)

	resp, body = get(t, srv, "GET", "/consentry/consentry.js", "br", "Range", "bytes=0-6")
	assert.Equal(t, http.StatusPartialContent, resp.StatusCode)
	assert.Equal(t, "content", body)
	assert.Equal(t, "7", resp.Header.Get("Content-Length"))
	assert.Equal(t, "br", resp.Header.Get("Content-Encoding"))
}

func TestURL(t *testing.T) {
	tests := map[string]string{
		":8080":           "http://localhost:8080/",
		"0.0.0.0:8080":    "http://localhost:8080/",
		"[::]:8080":       "http://localhost:8080/",
		"127.0.0.1:18080": "http://127.0.0.1:18080/",
		"[::1]:9000":      "http://[::1]:9000/",
		"example.test:80": "http://example.test:80/",
	}
	for addr, want := range tests {
		assert.Equal(t, want, devserver.URL(addr), addr)
	}
}
