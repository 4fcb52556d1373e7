package consentry_test

import (
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/consentry/consentry/internal/devserver"
	"github.com/consentry/consentry/internal/distbuild"
)

// The README recommends, for sites that can, preloading the wasm and the policy with
// <link rel="preload" as="fetch" crossorigin>. These tests check that the loader's own
// requests then reuse the preloaded responses, and that without crossorigin they do not
// (the reason the README insists on it).

// preloadHits counts the requests for each path under /preload-N/, where N names the page
// that made them, so that parallel tests do not see each other's requests.
var preloadHits = struct {
	sync.Mutex
	n map[string]int
}{n: map[string]int{}}

func init() {
	extraRoutes = append(extraRoutes, func(mux *http.ServeMux) {
		dist := devserver.Handler(distDir(), "web/demo")
		for _, variant := range []string{"with-crossorigin", "without-crossorigin"} {
			prefix := "/preload-" + variant + "/"
			mux.HandleFunc(prefix, func(w http.ResponseWriter, r *http.Request) {
				preloadHits.Lock()
				preloadHits.n[r.URL.Path]++
				preloadHits.Unlock()
				// The dev server's files, but nothing from the HTTP cache: a preload that is
				// not matched must show as a second request.
				r.URL.Path = devserver.DistPrefix + strings.TrimPrefix(r.URL.Path, prefix)
				dist.ServeHTTP(noStoreWriter{w}, r)
			})
			mux.HandleFunc("/test/preload-"+variant+".html", func(w http.ResponseWriter, r *http.Request) {
				wasm, err := distWasmName()
				if err != nil {
					http.Error(w, err.Error(), http.StatusInternalServerError)
					return
				}
				cross := ""
				if variant == "with-crossorigin" {
					cross = " crossorigin"
				}
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				w.Header().Set("Cache-Control", "no-store")
				fmt.Fprintf(w, `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Preload</title>
<link rel="preload" href="%[1]s%[2]s" as="fetch" type="application/wasm"%[3]s>
<link rel="preload" href="%[1]spolicy.json" as="fetch"%[3]s>
<script src="%[1]sconsentry.js" async></script>
</head><body><p>A page that preloads the widget's files.</p></body></html>`, prefix, wasm, cross)
			})
		}
	})
}

// noStoreWriter replaces whatever Cache-Control the dev server sets with no-store.
type noStoreWriter struct{ http.ResponseWriter }

func (w noStoreWriter) WriteHeader(code int) {
	w.Header().Set("Cache-Control", "no-store")
	w.ResponseWriter.WriteHeader(code)
}

func (w noStoreWriter) Write(b []byte) (int, error) {
	if w.Header().Get("Cache-Control") != "no-store" {
		w.Header().Set("Cache-Control", "no-store")
	}
	return w.ResponseWriter.Write(b)
}

// distWasmName is the content-hashed wasm of the dist folder under test.
func distWasmName() (string, error) {
	entries, err := os.ReadDir(distDir())
	if err != nil {
		return "", err
	}
	for _, e := range entries {
		if distbuild.IsWasmName(e.Name()) {
			return e.Name(), nil
		}
	}
	return "", fmt.Errorf("no consentry.<hash>.wasm in %s", distDir())
}

func TestE2EDeliveryPreloadIsReused(t *testing.T) {
	t.Parallel() // its subtests each open their own browser context
	requireE2E(t)
	wasm, err := distWasmName()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		variant  string
		requests int // of the wasm and of the policy each
	}{
		{"with-crossorigin", 1},
		// Without crossorigin the preload is a no-cors request and the loader's cors fetch
		// cannot use it: both files are downloaded twice.
		{"without-crossorigin", 2},
	} {
		t.Run(tc.variant, func(t *testing.T) {
			p := newPage(t)
			p.mustOpen("/test/preload-" + tc.variant + ".html")
			p.expectVisible(partSel("banner"), "the banner")
			prefix := "/preload-" + tc.variant + "/"
			preloadHits.Lock()
			wasmHits, policyHits := preloadHits.n[prefix+wasm], preloadHits.n[prefix+"policy.json"]
			preloadHits.Unlock()
			assert.Equal(t, tc.requests, wasmHits, "requests for the wasm")
			assert.Equal(t, tc.requests, policyHits, "requests for the policy")
		})
	}
}
