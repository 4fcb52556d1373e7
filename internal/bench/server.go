// Package bench holds the pages, the server and the in-page probe of `make bench`
// (cmd/bench), which compares the page-load cost of Consentry with a static banner, a
// minimal safejs WebAssembly banner and two JavaScript consent managers.
//
// Every contender is served by one handler, under its own path prefix, the same way: from
// memory, brotli-compressed when the request accepts it (at quality 11, so every
// contender gets the same transport), with its Content-Type and Content-Length. Pages are
// never cached (Cache-Control: no-store); every other file may be kept for a year, as a
// site serves a content-hashed wasm, so that the warm returning visitor's second load
// finds them in the cache. Every other measurement starts from an empty cache.
package bench

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/andybalholm/brotli"
)

//go:embed pages
var pages embed.FS

// Contender names, in the order of the tables.
const (
	Static    = "static"
	Floor     = "floor"
	Consentry = "consentry"
	// ConsentryOneTag is Consentry with nothing but its script tag: no preload of the
	// policy, so the first paint waits for consentry.js before the policy is even asked for.
	ConsentryOneTag = "consentry-one-tag"
	Vanilla   = "vanilla-cookieconsent"
	Klaro     = "klaro"
)

// Contenders lists every contender, in the order of the tables.
var Contenders = []string{Static, Floor, Consentry, ConsentryOneTag, Vanilla, Klaro}

// IsConsentry reports whether a contender is Consentry (with or without the preload).
func IsConsentry(name string) bool { return name == Consentry || name == ConsentryOneTag }

// Config names the files the server reads at start.
type Config struct {
	Dist        string // Consentry's dist folder (make dist)
	FloorWasm   string // build/banner.wasm, from internal/sizebaseline/banner
	WasmExec    string // Go's wasm_exec.js, as shipped inside consentry.js
	NodeModules string // node_modules with vanilla-cookieconsent and klaro
}

// asset is one file, ready to serve.
type asset struct {
	ctype string
	raw   []byte
	br    []byte // nil: served as is
}

// Server serves every contender's page and files.
type Server struct {
	assets map[string]*asset
}

// FirstVisitPath returns the path of a contender's page.
func FirstVisitPath(name string) string { return "/" + name + "/" }

// ReturningPath returns the path of the page of the returning-visitor scenario: the same
// page for every contender but static, whose returning page has no banner and runs the
// script ungated (there is nothing to decide).
func ReturningPath(name string) string {
	if name == Static {
		return "/static/returning.html"
	}
	return FirstVisitPath(name)
}

// contentTypes are the types the browser is strict about.
var contentTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".json": "application/json",
	".wasm": "application/wasm",
}

// NewServer reads and compresses every file. It fails when one is missing, naming it and
// the command that makes it.
func NewServer(cfg Config) (*Server, error) {
	s := &Server{assets: map[string]*asset{}}
	page := func(urlPath, name string) error {
		b, err := pages.ReadFile("pages/" + name)
		if err != nil {
			return err
		}
		return s.add(urlPath, b, nil)
	}
	file := func(urlPath, name, hint string) error {
		b, err := os.ReadFile(name)
		if err != nil {
			return fmt.Errorf("%w (%s)", err, hint)
		}
		return s.add(urlPath, b, nil)
	}

	// static: the lower bound, no script at all.
	if err := page("/static/index.html", "static.html"); err != nil {
		return nil, err
	}
	if err := page("/static/returning.html", "static-returning.html"); err != nil {
		return nil, err
	}

	// floor: wasm_exec.js and a tiny loader in one script, as consentry.js is.
	if err := page("/floor/index.html", "floor.html"); err != nil {
		return nil, err
	}
	wasmExec, err := os.ReadFile(cfg.WasmExec)
	if err != nil {
		return nil, err
	}
	loader, err := pages.ReadFile("pages/floor-loader.js")
	if err != nil {
		return nil, err
	}
	floorJS := slices.Concat(wasmExec, []byte("\n"), loader)
	if err := s.add("/floor/floor.js", floorJS, nil); err != nil {
		return nil, err
	}
	if err := file("/floor/banner.wasm", cfg.FloorWasm, "run `make build/banner.wasm`"); err != nil {
		return nil, err
	}

	// consentry: the dist folder as make dist wrote it, with its own .br copies.
	if err := page("/consentry/index.html", "consentry.html"); err != nil {
		return nil, err
	}
	if err := page("/"+ConsentryOneTag+"/index.html", ConsentryOneTag+".html"); err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(cfg.Dist)
	if err != nil {
		return nil, fmt.Errorf("%w (run `make dist`)", err)
	}
	found := map[string]bool{}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || strings.HasPrefix(name, ".") || strings.HasSuffix(name, ".br") || strings.HasSuffix(name, ".gz") {
			continue
		}
		if _, served := contentTypes[path.Ext(name)]; !served {
			continue // SHA256SUMS, consentry.d.ts: for the site's build, never loaded by a page
		}
		raw, err := os.ReadFile(filepath.Join(cfg.Dist, name))
		if err != nil {
			return nil, err
		}
		br, err := os.ReadFile(filepath.Join(cfg.Dist, name+".br"))
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		if err := s.add("/consentry/"+name, raw, br); err != nil {
			return nil, err
		}
		switch {
		case name == "consentry.js", name == "policy.json":
			found[name] = true
		case strings.HasSuffix(name, ".wasm"):
			found["wasm"] = true
		}
	}
	for _, want := range []string{"consentry.js", "policy.json", "wasm"} {
		if !found[want] {
			return nil, fmt.Errorf("%s has no %s: run `make dist`", cfg.Dist, want)
		}
	}

	// vanilla-cookieconsent and klaro: their dist builds, JS and CSS.
	hint := "run `npm ci` (make deps)"
	for _, f := range []struct{ urlPath, file string }{
		{"/vanilla-cookieconsent/cookieconsent.umd.js", "vanilla-cookieconsent/dist/cookieconsent.umd.js"},
		{"/vanilla-cookieconsent/cookieconsent.css", "vanilla-cookieconsent/dist/cookieconsent.css"},
		{"/klaro/klaro-no-css.js", "klaro/dist/klaro-no-css.js"},
		{"/klaro/klaro.min.css", "klaro/dist/klaro.min.css"},
	} {
		if err := file(f.urlPath, filepath.Join(cfg.NodeModules, f.file), hint); err != nil {
			return nil, err
		}
	}
	if err := page("/vanilla-cookieconsent/index.html", "vanilla-cookieconsent.html"); err != nil {
		return nil, err
	}
	if err := page("/klaro/index.html", "klaro.html"); err != nil {
		return nil, err
	}
	return s, nil
}

// add stores a file, compressing it with brotli at quality 11 unless br is given.
func (s *Server) add(urlPath string, raw, br []byte) error {
	ctype, ok := contentTypes[path.Ext(urlPath)]
	if !ok {
		return fmt.Errorf("bench: no content type for %s", urlPath)
	}
	if br == nil {
		var b bytes.Buffer
		w := brotli.NewWriterOptions(&b, brotli.WriterOptions{Quality: brotli.BestCompression, LGWin: 24})
		if _, err := w.Write(raw); err != nil {
			return err
		}
		if err := w.Close(); err != nil {
			return err
		}
		br = b.Bytes()
	}
	s.assets[urlPath] = &asset{ctype: ctype, raw: raw, br: br}
	return nil
}

// ServeHTTP answers GET and HEAD from memory; a path ending in / is its index.html.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "405 method not allowed", http.StatusMethodNotAllowed)
		return
	}
	p := r.URL.Path
	if strings.HasSuffix(p, "/") {
		p += "index.html"
	}
	a, ok := s.assets[p]
	if !ok {
		w.Header().Set("Cache-Control", "no-store")
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", a.ctype)
	if strings.HasSuffix(p, ".html") {
		h.Set("Cache-Control", "no-store")
	} else {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	}
	h.Set("Vary", "Accept-Encoding")
	h.Set("X-Content-Type-Options", "nosniff")
	body := a.raw
	if acceptsBrotli(r.Header.Values("Accept-Encoding")) {
		h.Set("Content-Encoding", "br")
		body = a.br
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodGet {
		w.Write(body)
	}
}

// acceptsBrotli reports whether Accept-Encoding lists br (or *) with a non-zero weight.
func acceptsBrotli(fields []string) bool {
	for _, field := range fields {
		for item := range strings.SplitSeq(field, ",") {
			coding, params, _ := strings.Cut(item, ";")
			coding = strings.ToLower(strings.TrimSpace(coding))
			if coding != "br" && coding != "*" {
				continue
			}
			k, v, _ := strings.Cut(strings.TrimSpace(params), "=")
			if strings.EqualFold(strings.TrimSpace(k), "q") {
				if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err != nil || f <= 0 {
					continue
				}
			}
			return true
		}
	}
	return false
}
