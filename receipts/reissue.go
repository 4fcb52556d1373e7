package receipts

import (
	"net/http"
	"strings"
	"time"

	"github.com/consentry/consentry/widget"
)

// ReissueCookie wraps a site's handler: on every HTML response to a GET or HEAD whose
// request carries a valid consent cookie of policy p (read by widget.ReadConsent, the
// widget's own rules), it sets the same cookie again with Set-Cookie and Max-Age = what
// remains of its term (CookieLine). A choice made in a browser that caps script-written
// cookies (Safari: 7 days), even before the receipts endpoint existed, then lasts its
// full term. Responses that a shared cache may store (Cache-Control public or s-maxage)
// are left alone, so one visitor's cookie never reaches another; so are responses that
// set the consent cookie themselves.
func ReissueCookie(p *widget.Policy, next http.Handler) http.Handler {
	return reissueCookie(p, next, time.Now)
}

func reissueCookie(p *widget.Policy, next http.Handler, now func() time.Time) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			next.ServeHTTP(w, r)
			return
		}
		t := now()
		c := widget.ReadConsent(p, r.Header, t)
		if !c.Valid() {
			next.ServeHTTP(w, r)
			return
		}
		line := CookieLine(p, c.Record(), requestLocation(r), t)
		if line == "" {
			next.ServeHTTP(w, r)
			return
		}
		rw := &reissueWriter{ResponseWriter: w, line: line, name: line[:strings.IndexByte(line, '=')+1]}
		next.ServeHTTP(rw, r)
	})
}

// reissueWriter adds the Set-Cookie line when the response's header is written, if the
// response is HTML.
type reissueWriter struct {
	http.ResponseWriter
	line, name  string // the Set-Cookie value; the cookie's "name="
	wroteHeader bool
}

func (rw *reissueWriter) WriteHeader(code int) {
	if !rw.wroteHeader {
		rw.wroteHeader = true
		rw.maybeAdd(code, nil)
	}
	rw.ResponseWriter.WriteHeader(code)
}

func (rw *reissueWriter) Write(b []byte) (int, error) {
	if !rw.wroteHeader {
		rw.wroteHeader = true
		rw.maybeAdd(http.StatusOK, b)
	}
	return rw.ResponseWriter.Write(b)
}

// maybeAdd adds the line to a 2xx HTML response that no shared cache may keep. The type is
// the one set, or else what net/http will sniff from the first bytes written.
func (rw *reissueWriter) maybeAdd(code int, first []byte) {
	h := rw.Header()
	if code < 200 || code > 299 {
		return
	}
	ct := h.Get("Content-Type")
	if ct == "" && first != nil && h.Get("X-Content-Type-Options") != "nosniff" {
		ct = http.DetectContentType(first)
	}
	if !strings.HasPrefix(strings.ToLower(ct), "text/html") {
		return
	}
	cc := strings.ToLower(strings.Join(h.Values("Cache-Control"), ","))
	if strings.Contains(cc, "public") || strings.Contains(cc, "s-maxage") {
		return
	}
	for _, v := range h.Values("Set-Cookie") {
		if strings.HasPrefix(v, rw.name) {
			return
		}
	}
	h.Add("Set-Cookie", rw.line)
	if !strings.Contains(cc, "private") && !strings.Contains(cc, "no-store") {
		h.Add("Cache-Control", "private")
	}
}

// Unwrap lets http.ResponseController reach the underlying writer (Flush, deadlines).
func (rw *reissueWriter) Unwrap() http.ResponseWriter { return rw.ResponseWriter }

// Flush implements http.Flusher when the underlying writer does.
func (rw *reissueWriter) Flush() {
	if !rw.wroteHeader {
		rw.WriteHeader(http.StatusOK)
	}
	if f, ok := rw.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}
