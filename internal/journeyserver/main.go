// Command journeyserver serves the cross-engine journeys (journeys/, `make engines`): the
// build output and the demo through the repository's own dev server (internal/devserver),
// plus the fixture pages of testdata/journeys under /j/. It listens on a free loopback
// port and prints its base URL as the first line of standard output, so that the suite
// that started it knows where to point the browsers; it stops when its standard input
// closes (when the suite exits, however it exits).
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/consentry/consentry/internal/devserver"
)

// strictCSP is the policy of the strict-CSP journey: no inline script, no inline style,
// WebAssembly compilation allowed (REQUIREMENTS.md, CSP).
const strictCSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'"

func main() {
	dist := flag.String("dist", "dist", "the build output, served under /consentry/")
	demo := flag.String("demo", "web/demo", "the demo pages, served at /")
	fixtures := flag.String("fixtures", filepath.Join("testdata", "journeys"), "the journey pages, served under /j/")
	flag.Parse()

	bad, err := badPolicy(filepath.Join(*dist, "policy.json"))
	if err != nil {
		log.Fatalf("journeyserver: %v", err)
	}
	mux := http.NewServeMux()
	mux.Handle("/", devserver.Handler(*dist, *demo))
	mux.Handle("/j/", http.StripPrefix("/j/", noStore(http.FileServer(http.Dir(*fixtures)))))
	mux.HandleFunc("/j/script.js", orderScript)
	mux.HandleFunc("/j/bad-policy.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		w.Write(bad)
	})
	mux.HandleFunc("/j/csp.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", strictCSP)
		w.Header().Set("Cache-Control", "no-store")
		http.ServeFile(w, r, filepath.Join(*fixtures, "csp.html"))
	})

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatalf("journeyserver: %v", err)
	}
	fmt.Printf("http://%s\n", ln.Addr())
	go func() {
		io.Copy(io.Discard, os.Stdin) // returns when the parent closes the pipe or exits
		os.Exit(0)
	}()
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatalf("journeyserver: %v", err)
	}
}

// noStore keeps the browsers from caching fixtures, so a reload re-runs everything.
func noStore(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		h.ServeHTTP(w, r)
	})
}

// orderScript answers /j/script.js?name=X&delay=MS with a script that appends X to
// window.__order after MS milliseconds (at most 5 s), so that a journey can tell whether
// gated scripts ran in document order even when the first one is the slowest to arrive.
func orderScript(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("name")
	delay, _ := strconv.Atoi(r.URL.Query().Get("delay"))
	delay = min(max(delay, 0), 5000)
	select {
	case <-time.After(time.Duration(delay) * time.Millisecond):
	case <-r.Context().Done():
		return
	}
	lit, _ := json.Marshal(name) // a JSON string is a JavaScript string literal
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	fmt.Fprintf(w, "(window.__order = window.__order || []).push(%s);\n", lit)
}

// badPolicy is the shipped policy with one fault: categories[1].id repeats
// categories[0].id, which the widget must refuse as a whole (CONTRACT.md §3).
func badPolicy(path string) ([]byte, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("bad policy: %w", err)
	}
	var p map[string]any
	if err := json.Unmarshal(src, &p); err != nil {
		return nil, fmt.Errorf("bad policy: %s: %w", path, err)
	}
	cats, _ := p["categories"].([]any)
	if len(cats) < 2 {
		return nil, fmt.Errorf("bad policy: %s has fewer than two categories", path)
	}
	first, ok0 := cats[0].(map[string]any)
	second, ok1 := cats[1].(map[string]any)
	if !ok0 || !ok1 {
		return nil, fmt.Errorf("bad policy: %s: categories are not objects", path)
	}
	second["id"] = first["id"]
	return json.MarshalIndent(p, "", "  ")
}
