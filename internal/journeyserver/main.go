// Command journeyserver serves the cross-engine journeys (journeys/, `make engines`): the
// build output and the demo through the repository's own dev server (internal/devserver),
// plus the fixture pages of testdata/journeys under /j/, and the same under /held/<key>/
// with the WebAssembly module held back until /release/<key> (the first paint). It listens on a free loopback
// port and prints its base URL as the first line of standard output, so that the suite
// that started it knows where to point the browsers; it stops when its standard input
// closes (when the suite exits, however it exits).
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/consentry/consentry/internal/devserver"
	"github.com/consentry/consentry/internal/fixture"
)

// strictCSP is the policy of the strict-CSP journey: no inline script, no inline style,
// WebAssembly compilation allowed (REQUIREMENTS.md, CSP).
const strictCSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'"

func main() {
	dist := flag.String("dist", "dist", "the build output, served under /consentry/")
	demo := flag.String("demo", "web/demo", "the demo pages, served at /")
	fixtures := flag.String("fixtures", filepath.Join("testdata", "journeys"), "the journey pages, served under /j/")
	flag.Parse()

	bad, err := fixture.BadPolicy(filepath.Join(*dist, "policy.json"))
	if err != nil {
		log.Fatalf("journeyserver: %v", err)
	}
	mux := http.NewServeMux()
	mux.Handle("/", devserver.Handler(*dist, *demo))
	mux.Handle("/j/", http.StripPrefix("/j/", fixture.NoStore(http.FileServer(http.Dir(*fixtures)))))
	mux.HandleFunc("/j/script.js", fixture.OrderScript)
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

	// The first paint (CONTRACT.md §9): /held/<key>/j/page.html and the consentry/… files
	// it loads (relatively), the .wasm answered only once a journey asks for /release/<key>.
	var held fixture.WasmHold
	heldSite := http.NewServeMux()
	heldSite.Handle("/consentry/", devserver.Handler(*dist, *demo))
	heldSite.Handle("/j/", http.StripPrefix("/j/", http.FileServer(http.Dir(*fixtures))))
	mux.Handle("/held/", http.StripPrefix("/held", fixture.NoStore(held.Handler(heldSite))))
	mux.HandleFunc("/release/", func(w http.ResponseWriter, r *http.Request) {
		held.Release(strings.TrimPrefix(r.URL.Path, "/release/"))
		w.WriteHeader(http.StatusNoContent)
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
