package receipts

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/consentry/consentry/widget"
)

// Options tune a Handler. The zero Options are the defaults.
type Options struct {
	// Now is the clock (default time.Now).
	Now func() time.Time
	// KeepNetwork stores the client's address truncated to its network (IPv4 /24, IPv6
	// /48). By default no address is stored at all.
	KeepNetwork bool
	// ClientIP returns the client's address, for the per-client rate limit (and
	// KeepNetwork). By default: the host of the request's RemoteAddr. Behind a reverse
	// proxy, read the header the proxy sets (HeaderClientIP).
	ClientIP func(*http.Request) string
	// ClientRate and ClientBurst limit the receipts per second of one client address
	// (default 20 a second, bursts of 100: a whole office behind one address); GlobalRate
	// and GlobalBurst limit the whole endpoint (default 20,000 a second, bursts of 40,000).
	// A negative rate turns that limit off.
	ClientRate  float64
	ClientBurst int
	GlobalRate  float64
	GlobalBurst int
	// Logf reports store errors (default: none).
	Logf func(format string, args ...any)
}

// HeaderClientIP returns a ClientIP function that reads the client's address from a
// header a reverse proxy sets (X-Real-IP), falling back to RemoteAddr when it is absent
// or not an address. Use it only behind a proxy that always overwrites that header.
func HeaderClientIP(name string) func(*http.Request) string {
	return func(r *http.Request) string {
		if v := strings.TrimSpace(r.Header.Get(name)); v != "" {
			if i := strings.IndexByte(v, ','); i >= 0 { // X-Forwarded-For: the first is the client
				v = strings.TrimSpace(v[:i])
			}
			if _, err := netip.ParseAddr(v); err == nil {
				return v
			}
		}
		return remoteHost(r)
	}
}

func remoteHost(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// Handler is the receipts endpoint of CONTRACT.md §10. It answers a POST of one receipt:
//
//   - 201 when it stored the receipt, 200 when it held that receiptId already, in both
//     cases only once the receipt is committed, with the consent cookie set by Set-Cookie
//     (see CookieLine); 503 when the store fails (the widget keeps the receipt and
//     sends it again later);
//   - 400 {"error": "…"} for a receipt that does not decode or that the policy revision it
//     names does not allow; 403 for a cross-origin request (http.CrossOriginProtection:
//     a cross-site form must not record "accept-all" for a visitor); 405 for another
//     method; 413 over 8 KiB; 415 for a body that is not application/json; 429 beyond the
//     per-client or global rate.
type Handler struct {
	writer   *Writer
	policies *Policies
	opts     Options
	client   *limiter
	global   *bucket
	inner    http.Handler
}

// NewHandler returns the endpoint writing through w and checking against ps.
func NewHandler(w *Writer, ps *Policies, opts Options) *Handler {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.ClientIP == nil {
		opts.ClientIP = remoteHost
	}
	if opts.ClientRate == 0 {
		opts.ClientRate, opts.ClientBurst = 20, 100
	}
	if opts.GlobalRate == 0 {
		opts.GlobalRate, opts.GlobalBurst = 20000, 40000
	}
	h := &Handler{writer: w, policies: ps, opts: opts}
	if opts.ClientRate > 0 {
		h.client = newLimiter(opts.ClientRate, opts.ClientBurst)
	}
	if opts.GlobalRate > 0 {
		h.global = newBucket(opts.GlobalRate, opts.GlobalBurst, opts.Now())
	}
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusForbidden, "cross-origin request refused: receipts are accepted from the site's own pages only")
	}))
	h.inner = cop.Handler(http.HandlerFunc(h.serve))
	return h
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.inner.ServeHTTP(w, r) }

func (h *Handler) serve(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeError(w, http.StatusMethodNotAllowed, "method "+r.Method+" not allowed: POST a receipt")
		return
	}
	now := h.opts.Now()
	ip := h.opts.ClientIP(r)
	if (h.client != nil && !h.client.allow(ip, now)) || (h.global != nil && !h.global.take(now)) {
		w.Header().Set("Retry-After", "1")
		writeError(w, http.StatusTooManyRequests, "too many receipts: try again later")
		return
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		writeError(w, http.StatusUnsupportedMediaType, "Content-Type must be application/json")
		return
	}
	if r.ContentLength > MaxBodySize {
		writeError(w, http.StatusRequestEntityTooLarge, "receipt larger than "+strconv.Itoa(MaxBodySize)+" bytes")
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodySize))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			writeError(w, http.StatusRequestEntityTooLarge, "receipt larger than "+strconv.Itoa(MaxBodySize)+" bytes")
			return
		}
		writeError(w, http.StatusBadRequest, "reading the body: "+err.Error())
		return
	}
	rc, err := decodeReceipt(body)
	if err == nil {
		err = h.policies.Check(rc, now)
	}
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	e := &Entry{
		ReceiptID: rc.ReceiptID,
		ConsentID: rc.ConsentID,
		Updated:   rc.Updated.Time,
		Browser:   BrowserFamily(r.UserAgent()),
		Body:      rc.canonical(),
	}
	if h.opts.KeepNetwork {
		e.Network = TruncateIP(ip)
	}
	fresh, err := h.writer.Append(r.Context(), e)
	if err != nil {
		if h.opts.Logf != nil {
			h.opts.Logf("receipts: storing %s: %v", rc.ReceiptID, err)
		}
		writeError(w, http.StatusServiceUnavailable, "the receipt could not be stored: try again later")
		return
	}
	if line := h.cookieLine(rc, r, now); line != "" {
		w.Header().Add("Set-Cookie", line)
	}
	w.Header().Set("Content-Type", "application/json")
	status := http.StatusOK
	if fresh {
		status = http.StatusCreated
	}
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"receiptId": rc.ReceiptID})
}

// cookieLine returns the Set-Cookie value for the choice the receipt reports, or "" when
// none is due: for a withdraw, or a choice that is not valid under the current policy
// (an older revision: the widget will ask again), or whose term is over.
func (h *Handler) cookieLine(rc *Receipt, r *http.Request, now time.Time) string {
	if rc.Event == EventWithdraw {
		return ""
	}
	return CookieLine(h.policies.Current().Policy, rc.Record(), requestLocation(r), now)
}

// CookieLine returns the Set-Cookie value that stores record rec in the consent cookie
// of policy p: the name, value and attributes the widget writes (CONTRACT.md §4, from
// widget.Policy.CookieLine), never HttpOnly (the widget reads it), with Max-Age = what
// remains at now of cookie.expiresAfterDays since rec.Updated. It returns "" when rec is
// not a valid choice for p at now (nothing remains, another revision or scope).
func CookieLine(p *widget.Policy, rec *widget.Record, loc widget.Location, now time.Time) string {
	if p.Check(rec, now) != nil {
		return ""
	}
	full := time.Duration(p.Cookie.ExpiresAfterDays) * 24 * time.Hour
	remaining := int64(rec.Updated.Add(full).Sub(now) / time.Second)
	if remaining <= 0 {
		return ""
	}
	if remaining > int64(full/time.Second) {
		remaining = int64(full / time.Second) // an updated time ahead of the server's clock
	}
	line, _ := p.CookieLine(rec.Encode(), loc)
	fullAttr := "; Max-Age=" + strconv.FormatInt(int64(full/time.Second), 10)
	return strings.Replace(line, fullAttr, "; Max-Age="+strconv.FormatInt(remaining, 10), 1)
}

// requestLocation describes the page's origin from the request, for the cookie's
// attributes: its host, and whether it is https (a TLS connection, an https Origin, or a
// proxy's X-Forwarded-Proto; a forged one only changes the sender's own cookie).
func requestLocation(r *http.Request) widget.Location {
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
		if strings.Contains(host, ":") {
			host = "[" + host + "]"
		}
	}
	secure := r.TLS != nil || strings.HasPrefix(r.Header.Get("Origin"), "https://") ||
		strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
	return widget.Location{Host: host, Secure: secure, Path: "/"}
}

// writeError answers status with {"error": msg}.
func writeError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"error": msg})
}

// TruncateIP returns the network of a client address: IPv4 to /24, IPv6 to /48, written
// "192.0.2.0/24"; "" for what is not an address. A network names a neighbourhood of
// subscribers, not one of them.
func TruncateIP(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return ""
	}
	a = a.Unmap()
	bits := 48
	if a.Is4() {
		bits = 24
	}
	p, _ := a.Prefix(bits)
	return p.String()
}

// BrowserFamily reduces a User-Agent to the browser's family name (Chrome, Edge, Firefox,
// Safari, Opera, Samsung Internet), or "other": enough to read a receipt ("accepted in
// Safari"), too little to single a visitor out. Neither versions nor the platform are kept.
func BrowserFamily(ua string) string {
	switch {
	case ua == "":
		return "none"
	case strings.Contains(ua, "Edg/") || strings.Contains(ua, "EdgA/") || strings.Contains(ua, "EdgiOS/"):
		return "Edge"
	case strings.Contains(ua, "OPR/") || strings.Contains(ua, "Opera"):
		return "Opera"
	case strings.Contains(ua, "SamsungBrowser/"):
		return "Samsung Internet"
	case strings.Contains(ua, "Firefox/") || strings.Contains(ua, "FxiOS/"):
		return "Firefox"
	case strings.Contains(ua, "HeadlessChrome/"):
		return "Chrome (headless)"
	case strings.Contains(ua, "Chrome/") || strings.Contains(ua, "CriOS/") || strings.Contains(ua, "Chromium/"):
		return "Chrome"
	case strings.Contains(ua, "Safari/") && strings.Contains(ua, "Version/"):
		return "Safari"
	case strings.Contains(ua, "AppleWebKit/"):
		return "WebKit"
	}
	return "other"
}
