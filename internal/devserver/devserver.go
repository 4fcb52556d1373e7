// Package devserver serves Consentry's build output and demo pages the way a production
// server should: precompressed copies negotiated by Accept-Encoding (RFC 9110 section
// 12.5.3), and caching per RFC 9111, immutable for content-hashed files and revalidated for
// everything else.
package devserver

import (
	"errors"
	"io/fs"
	"log"
	"mime"
	"net"
	"net/http"
	"os"
	"path"
	"regexp"
	"strconv"
	"strings"
	"syscall"
)

// DistPrefix is the URL path under which the build output is served, as in the script tag
// of CONTRACT.md §2.
const DistPrefix = "/consentry/"

// Cache-Control values. A content-hashed name changes whenever its content does, so it can
// be cached for a year (the longest RFC 9111 section 5.2.2.1 asks caches to honour) without
// ever being revalidated; every other file must be revalidated on each use, so a new build
// of consentry.js, which names the new wasm, is seen at once.
const (
	cacheImmutable   = "public, max-age=31536000, immutable"
	cacheRevalidated = "no-cache"
)

// hashedName matches names that carry a hash of their content, like
// consentry.0123456789.wasm.
var hashedName = regexp.MustCompile(`^[A-Za-z0-9_-]+\.[0-9a-f]{10,64}\.[A-Za-z0-9]+$`)

// contentTypes fixes the types a browser is strict about: WebAssembly streaming
// compilation needs application/wasm, module scripts need a JavaScript type, and the
// system's MIME tables vary between machines.
var contentTypes = map[string]string{
	".wasm": "application/wasm",
	".js":   "text/javascript; charset=utf-8",
	".mjs":  "text/javascript; charset=utf-8",
	".json": "application/json",
	".map":  "application/json",
	".html": "text/html; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".svg":  "image/svg+xml",
	".txt":  "text/plain; charset=utf-8",
	".png":  "image/png",
	".ico":  "image/x-icon",
}

// encodings lists the precompressed copies the server looks for, in order of preference
// when the client accepts several equally: brotli is smaller.
var encodings = []struct {
	token, ext string
}{
	{"br", ".br"},
	{"gzip", ".gz"},
}

// Handler serves distDir under DistPrefix and demoDir at the root, with index.html for a
// folder and name.html for an extensionless name (so the demo policy's "/cookies-policy"
// works). Precompressed name.br and name.gz copies are served in place of name when the
// request accepts them and they are not older than name; they are never served under
// their own names. Names starting with a dot are never served, and files are opened with
// os.OpenInRoot, so neither "..", nor a symbolic link, can reach outside the two folders.
// The folders are read on every request, so a new build is served without a restart.
func Handler(distDir, demoDir string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "405 method not allowed", http.StatusMethodNotAllowed)
			return
		}
		dir, name, inDist := demoDir, r.URL.Path, false
		if rest, ok := strings.CutPrefix(name, DistPrefix); ok {
			dir, name, inDist = distDir, "/"+rest, true
		}
		serve(w, r, dir, name, inDist)
	})
}

// serve answers r with the file at urlPath inside dir. Content-hashed names are cached as
// immutable only when trustHashes is set, for the build output, where the dist step named
// the file after its content.
func serve(w http.ResponseWriter, r *http.Request, dir, urlPath string, trustHashes bool) {
	name, ok := fileName(urlPath)
	if !ok {
		http.NotFound(w, r)
		return
	}
	f, info, err := open(dir, name)
	if errors.Is(err, fs.ErrNotExist) && path.Ext(name) == "" && !strings.HasSuffix(urlPath, "/") {
		name += ".html"
		f, info, err = open(dir, name)
	}
	if err != nil {
		notFoundOrError(w, r, err)
		return
	}
	if info.IsDir() {
		f.Close()
		if !strings.HasSuffix(urlPath, "/") {
			// Relative links in the folder's index.html need the slash.
			target := r.URL.EscapedPath() + "/"
			if r.URL.RawQuery != "" {
				target += "?" + r.URL.RawQuery
			}
			http.Redirect(w, r, target, http.StatusMovedPermanently)
			return
		}
		name = path.Join(name, "index.html")
		if f, info, err = open(dir, name); err != nil {
			notFoundOrError(w, r, err)
			return
		}
	}
	defer func() { f.Close() }()

	h := w.Header()
	ext := path.Ext(name)
	ctype, known := contentTypes[ext]
	if !known {
		ctype = mime.TypeByExtension(ext)
	}
	if ctype == "" {
		// Never let ServeContent sniff: with a Content-Encoding it would sniff compressed
		// bytes.
		ctype = "application/octet-stream"
	}
	h.Set("Content-Type", ctype)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Add("Vary", "Accept-Encoding")
	if trustHashes && hashedName.MatchString(path.Base(name)) {
		h.Set("Cache-Control", cacheImmutable)
	} else {
		h.Set("Cache-Control", cacheRevalidated)
	}

	encoding := ""
	for _, enc := range accepted(r.Header.Values("Accept-Encoding")) {
		cf, cinfo, err := open(dir, name+enc.ext)
		if err != nil {
			continue
		}
		if cinfo.IsDir() || cinfo.ModTime().Before(info.ModTime()) {
			// A copy older than its original is stale: serve the original.
			cf.Close()
			continue
		}
		f.Close()
		f, info, encoding = cf, cinfo, enc.token
		break
	}
	// The ETag names the representation actually sent (RFC 9110 section 8.8.3): the brotli
	// and gzip copies and the original are different byte sequences.
	etag := strconv.FormatInt(info.ModTime().UnixNano(), 36) + "-" + strconv.FormatInt(info.Size(), 36)
	if encoding != "" {
		h.Set("Content-Encoding", encoding)
		etag += "-" + encoding
		// ServeContent leaves Content-Length out when a Content-Encoding is set.
		w = &lengthWriter{ResponseWriter: w, length: info.Size()}
	}
	h.Set("ETag", `"`+etag+`"`)
	http.ServeContent(w, r, name, info.ModTime(), f)
}

// fileName turns a URL path into a slash-separated name relative to the served folder, or
// reports false for a path that must not be served: a precompressed copy asked for by its
// own name (it would go out with its original's type and no Content-Encoding), or a name
// starting with a dot (temporary files of the dist step, .git, editor files).
func fileName(urlPath string) (string, bool) {
	name := strings.TrimPrefix(path.Clean("/"+urlPath), "/")
	if name == "" {
		return "index.html", true
	}
	for _, enc := range encodings {
		if strings.HasSuffix(name, enc.ext) {
			return "", false
		}
	}
	for part := range strings.SplitSeq(name, "/") {
		if strings.HasPrefix(part, ".") {
			return "", false
		}
	}
	if strings.HasSuffix(urlPath, "/") {
		name += "/"
	}
	return name, true
}

// open opens name inside dir without following any path out of dir.
func open(dir, name string) (*os.File, fs.FileInfo, error) {
	f, err := os.OpenInRoot(dir, strings.TrimSuffix(name, "/"))
	if err != nil {
		return nil, nil, err
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return f, info, nil
}

// notFoundOrError answers 404 for a file that cannot be opened: missing, outside the
// folder through a symbolic link, or unreadable. Anything but a missing file is logged, as
// it is a problem of the folder the developer wants to hear about, not of the request.
func notFoundOrError(w http.ResponseWriter, r *http.Request, err error) {
	if !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, syscall.ENOTDIR) {
		log.Printf("devserver: %s: %v", r.URL.Path, err)
	}
	http.NotFound(w, r)
}

// accepted returns the precompressed encodings the Accept-Encoding field values allow, in
// the order to try them: highest quality value first, brotli before gzip on a tie. A coding
// with q=0 is refused; "*" stands for every coding not listed; "x-gzip" is gzip (RFC 9110
// section 12.5.3).
func accepted(fields []string) []struct{ token, ext string } {
	q := map[string]float64{}
	for _, field := range fields {
		for item := range strings.SplitSeq(field, ",") {
			coding, params, _ := strings.Cut(item, ";")
			coding = strings.ToLower(strings.TrimSpace(coding))
			if coding == "x-gzip" {
				coding = "gzip"
			}
			if coding == "" {
				continue
			}
			weight := 1.0
			for param := range strings.SplitSeq(params, ";") {
				k, v, _ := strings.Cut(strings.TrimSpace(param), "=")
				if strings.EqualFold(strings.TrimSpace(k), "q") {
					if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil && f >= 0 && f <= 1 {
						weight = f
					} else {
						weight = 0
					}
				}
			}
			q[coding] = weight
		}
	}
	var out []struct{ token, ext string }
	var weights []float64
	for _, enc := range encodings {
		w, ok := q[enc.token]
		if !ok {
			w = q["*"]
		}
		if w <= 0 {
			continue
		}
		// Insert by descending weight, keeping the preference order on ties.
		i := len(out)
		for i > 0 && weights[i-1] < w {
			i--
		}
		out = append(out[:i], append([]struct{ token, ext string }{enc}, out[i:]...)...)
		weights = append(weights[:i], append([]float64{w}, weights[i:]...)...)
	}
	return out
}

// lengthWriter sets Content-Length on a full (200) response, which http.ServeContent omits
// when a Content-Encoding is set; partial, not-modified and error responses set their own.
type lengthWriter struct {
	http.ResponseWriter
	length int64
}

// WriteHeader adds the Content-Length of a full response before sending the header.
func (w *lengthWriter) WriteHeader(code int) {
	if code == http.StatusOK && w.Header().Get("Content-Length") == "" {
		w.Header().Set("Content-Length", strconv.FormatInt(w.length, 10))
	}
	w.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *lengthWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// URL returns the address a person opens for a server listening on addr (host:port): a
// wildcard host becomes localhost.
func URL(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://" + addr + "/"
	}
	switch host {
	case "", "0.0.0.0", "::":
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port) + "/"
}
