package receipts

import (
	"bufio"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"time"
)

// ExportLine is one line of an export: the receipt as the visitor's browser sent it, and
// what the server recorded about it.
type ExportLine struct {
	Seq        int64           `json:"seq"`
	ReceivedAt string          `json:"receivedAt"`
	Browser    string          `json:"browser"`
	Network    string          `json:"network,omitempty"`
	Receipt    json.RawMessage `json:"receipt"`
}

// Export writes the receipts that f selects to w as NDJSON, one receipt a line, in the
// order they were stored, and returns how many it wrote.
func Export(ctx context.Context, s Store, f Filter, w io.Writer) (int64, error) {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	var n int64
	err := s.Scan(ctx, f, func(e *Entry) error {
		n++
		return enc.Encode(ExportLine{
			Seq:        e.Seq,
			ReceivedAt: e.ReceivedAt.UTC().Format(time.RFC3339Nano),
			Browser:    e.Browser,
			Network:    e.Network,
			Receipt:    json.RawMessage(e.Body),
		})
	})
	if err != nil {
		return n, err
	}
	return n, bw.Flush()
}

// AdminHandler serves the export and the chain check over HTTP to whoever presents token
// (Authorization: Bearer <token>, compared in constant time):
//
//	GET …/export?from=2026-01-01T00:00:00Z&to=…&consent=<id>   NDJSON, as Export
//	GET …/verify                                             {"ok":true,"rows":N} or {"ok":false,"error":"row 17 …"}
//
// An empty token disables it: every request gets 404. Mount it on an address or path
// that the site's reverse proxy does not expose.
func AdminHandler(s Store, token string) http.Handler {
	want := sha256.Sum256([]byte(token))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if token == "" {
			http.NotFound(w, r)
			return
		}
		got := sha256.Sum256([]byte(strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")))
		if !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") || subtle.ConstantTimeCompare(got[:], want[:]) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="consentry"`)
			writeError(w, http.StatusUnauthorized, "a valid admin token is needed")
			return
		}
		if r.Method != http.MethodGet {
			writeError(w, http.StatusMethodNotAllowed, "GET only")
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		switch {
		case strings.HasSuffix(r.URL.Path, "/export"):
			var f Filter
			var err error
			q := r.URL.Query()
			if v := q.Get("from"); v != "" {
				if f.From, err = time.Parse(time.RFC3339, v); err != nil {
					writeError(w, http.StatusBadRequest, "from: "+err.Error())
					return
				}
			}
			if v := q.Get("to"); v != "" {
				if f.To, err = time.Parse(time.RFC3339, v); err != nil {
					writeError(w, http.StatusBadRequest, "to: "+err.Error())
					return
				}
			}
			f.ConsentID = q.Get("consent")
			w.Header().Set("Content-Type", "application/x-ndjson")
			Export(r.Context(), s, f, w)
		case strings.HasSuffix(r.URL.Path, "/verify"):
			n, err := Verify(r.Context(), s)
			w.Header().Set("Content-Type", "application/json")
			if err != nil {
				w.WriteHeader(http.StatusConflict)
				json.NewEncoder(w).Encode(map[string]any{"ok": false, "rows": n, "error": err.Error()})
				return
			}
			json.NewEncoder(w).Encode(map[string]any{"ok": true, "rows": n})
		default:
			http.NotFound(w, r)
		}
	})
}
