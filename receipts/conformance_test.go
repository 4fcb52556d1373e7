package receipts

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// rawStore is a Store whose rows the tamper tests can edit behind its back. SQL names the
// table "receipts" in both stores (PostgreSQL's exec renames it).
type rawStore interface {
	Store
	exec(ctx context.Context, query string, args ...any) error
}

// The conformance suite: every Store implementation must pass each of these.
func TestSQLiteStore(t *testing.T) {
	runConformance(t, func(t *testing.T) rawStore {
		s, err := OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "receipts.db"))
		require.NoError(t, err)
		t.Cleanup(func() { s.Close() })
		return s
	})
}

func TestPostgresStore(t *testing.T) {
	runConformance(t, func(t *testing.T) rawStore {
		s, err := OpenPostgres(context.Background(), postgres.Database(t))
		require.NoError(t, err)
		t.Cleanup(func() { s.Close() })
		return s
	})
}

// entry returns a new entry for a receipt received at t.
func entry(rev *Revision, t time.Time) *Entry {
	rc := acceptAll(rev, t)
	return &Entry{ReceiptID: rc.ReceiptID, ConsentID: rc.ConsentID, Updated: rc.Updated.Time,
		ReceivedAt: t.UTC().Truncate(time.Microsecond), Browser: "Firefox", Body: rc.canonical()}
}

// appendAll stores entries and returns which were new.
func appendAll(t *testing.T, s Store, entries ...*Entry) []bool {
	t.Helper()
	fresh, err := s.Append(context.Background(), entries)
	require.NoError(t, err)
	return fresh
}

func scanAll(t *testing.T, s Store, f Filter) []*Entry {
	t.Helper()
	var out []*Entry
	require.NoError(t, s.Scan(context.Background(), f, func(e *Entry) error { out = append(out, e); return nil }))
	return out
}

func runConformance(t *testing.T, open func(t *testing.T) rawStore) {
	rev := testRevision(t)
	ctx := context.Background()
	base := time.Date(2026, 3, 30, 12, 0, 0, 0, time.UTC)

	t.Run("append stores in order and links the chain", func(t *testing.T) {
		s := open(t)
		a, b := entry(rev, base), entry(rev, base.Add(time.Second))
		assert.Equal(t, []bool{true, true}, appendAll(t, s, a, b))
		got := scanAll(t, s, Filter{})
		require.Len(t, got, 2)
		assert.Equal(t, int64(1), got[0].Seq)
		assert.Equal(t, int64(2), got[1].Seq)
		assert.Equal(t, a.Body, got[0].Body)
		assert.Equal(t, a.ReceivedAt, got[0].ReceivedAt)
		assert.Equal(t, got[0].Hash, got[1].Prev)
		n, err := Verify(ctx, s)
		require.NoError(t, err)
		assert.Equal(t, int64(2), n)
	})

	t.Run("a receiptId is stored once, within a batch and across batches and months", func(t *testing.T) {
		s := open(t)
		a := entry(rev, base)
		again := *a
		assert.Equal(t, []bool{true, false}, appendAll(t, s, a, &again))
		// The same receipt a month later (another PostgreSQL partition) is a replay too.
		later := entry(rev, base.AddDate(0, 1, 0))
		later.ReceiptID = a.ReceiptID
		other := entry(rev, base.AddDate(0, 1, 0))
		assert.Equal(t, []bool{false, true}, appendAll(t, s, later, other))
		assert.Len(t, scanAll(t, s, Filter{}), 2)
		_, err := Verify(ctx, s)
		require.NoError(t, err)
	})

	t.Run("export filters by updated time and consent id", func(t *testing.T) {
		s := open(t)
		var es []*Entry
		for i := range 4 {
			es = append(es, entry(rev, base.Add(time.Duration(i)*time.Hour)))
		}
		appendAll(t, s, es...)
		got := scanAll(t, s, Filter{From: base.Add(time.Hour), To: base.Add(3 * time.Hour)})
		require.Len(t, got, 2)
		assert.Equal(t, es[1].ReceiptID, got[0].ReceiptID)
		assert.Equal(t, es[2].ReceiptID, got[1].ReceiptID)
		got = scanAll(t, s, Filter{ConsentID: es[3].ConsentID})
		require.Len(t, got, 1)
		assert.Equal(t, es[3].ReceiptID, got[0].ReceiptID)
	})

	t.Run("a policy text is stored once per digest", func(t *testing.T) {
		s := open(t)
		require.NoError(t, s.PutPolicy(ctx, rev))
		require.NoError(t, s.PutPolicy(ctx, rev))
		text, n, err := s.Policy(ctx, rev.Digest)
		require.NoError(t, err)
		assert.Equal(t, rev.Text, text)
		assert.Equal(t, rev.Policy.Revision, n)
		_, _, err = s.Policy(ctx, "00")
		assert.ErrorIs(t, err, ErrNotFound)
	})

	t.Run("concurrent appends through the writer keep one chain", func(t *testing.T) {
		s := open(t)
		w := NewWriter(s)
		var wg sync.WaitGroup
		var mu sync.Mutex
		created := 0
		for i := range 200 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				e := entry(rev, base)
				fresh, err := w.Append(ctx, e)
				assert.NoError(t, err)
				if i%10 == 0 { // a client that sends its receipt twice
					again, err := w.Append(ctx, &Entry{ReceiptID: e.ReceiptID, ConsentID: e.ConsentID, Updated: e.Updated, Body: e.Body})
					assert.NoError(t, err)
					assert.False(t, again)
				}
				mu.Lock()
				if fresh {
					created++
				}
				mu.Unlock()
			}()
		}
		wg.Wait()
		require.NoError(t, w.Close())
		assert.Equal(t, 200, created)
		n, err := Verify(ctx, s)
		require.NoError(t, err)
		assert.Equal(t, int64(200), n)
		_, err = w.Append(ctx, entry(rev, base))
		assert.ErrorIs(t, err, ErrClosed)
	})

	t.Run("prune deletes a prefix and verify still passes", func(t *testing.T) {
		s := open(t)
		var es []*Entry
		for i := range 6 { // two receipts a month: March, April, May
			es = append(es, entry(rev, base.AddDate(0, i/2, 0).Add(time.Duration(i)*time.Minute)))
		}
		appendAll(t, s, es...)
		n, err := s.Prune(ctx, es[3].ReceivedAt)
		require.NoError(t, err)
		assert.Equal(t, int64(3), n)
		got := scanAll(t, s, Filter{})
		require.Len(t, got, 3)
		assert.Equal(t, int64(4), got[0].Seq)
		_, err = Verify(ctx, s)
		require.NoError(t, err)
		// Appending after a prune continues the chain.
		appendAll(t, s, entry(rev, base.AddDate(0, 3, 0)))
		n2, err := Verify(ctx, s)
		require.NoError(t, err)
		assert.Equal(t, int64(4), n2)
		// A pruned receipt's id may come again: it is then a new receipt.
		again := entry(rev, base.AddDate(0, 3, 0))
		again.ReceiptID = es[0].ReceiptID
		assert.Equal(t, []bool{true}, appendAll(t, s, again))
		// Nothing before the first receipt: nothing to prune.
		n, err = s.Prune(ctx, base.AddDate(-1, 0, 0))
		require.NoError(t, err)
		assert.Zero(t, n)
	})

	// Tamper evidence: one row edited, inserted or deleted behind the store's back makes
	// Verify fail naming that row.
	tamper := []struct {
		name    string
		edit    func(s rawStore, es []*Entry) error
		wantSeq int64
		wantMsg string
	}{
		{"a row's receipt edited", func(s rawStore, es []*Entry) error {
			body := string(es[2].Body)
			edited := []byte(body[:len(body)-1] + `,"x":1}`)
			return s.exec(ctx, `UPDATE receipts SET body = $1 WHERE seq = 3`, string(edited))
		}, 3, "edited"},
		{"a row's consent id edited", func(s rawStore, es []*Entry) error {
			return s.exec(ctx, `UPDATE receipts SET consent_id = $1 WHERE seq = 2`, newUUID())
		}, 2, "edited"},
		{"a row edited and its hash recomputed", func(s rawStore, es []*Entry) error {
			e := *es[1]
			e.Browser = "Safari"
			return s.exec(ctx, `UPDATE receipts SET browser = 'Safari', hash = $1 WHERE seq = 2`, entryHash(e.Prev, &e))
		}, 2, "hash was recomputed"},
		{"a row deleted in the middle", func(s rawStore, es []*Entry) error {
			return s.exec(ctx, `DELETE FROM receipts WHERE seq = 3`)
		}, 3, "deleted"},
		{"the last row deleted", func(s rawStore, es []*Entry) error {
			return s.exec(ctx, `DELETE FROM receipts WHERE seq = 5`)
		}, 5, "deleted"},
		{"a row inserted after the head", func(s rawStore, es []*Entry) error {
			e := entry(rev, base)
			e.Seq, e.Prev = 6, es[4].Hash
			e.Hash = entryHash(e.Prev, e)
			return s.exec(ctx, `INSERT INTO receipts (seq, receipt_id, consent_id, updated, received_at, browser, network, body, prev, hash)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, e.Seq, e.ReceiptID, e.ConsentID, timeArg(s, e.Updated, false), timeArg(s, e.ReceivedAt, true), e.Browser, e.Network, string(e.Body), e.Prev, e.Hash)
		}, 6, "inserted"},
	}
	for _, tc := range tamper {
		t.Run("verify names "+tc.name, func(t *testing.T) {
			s := open(t)
			var es []*Entry
			for i := range 5 {
				es = append(es, entry(rev, base.Add(time.Duration(i)*time.Second)))
			}
			appendAll(t, s, es...)
			_, err := Verify(ctx, s)
			require.NoError(t, err)
			require.NoError(t, tc.edit(s, es))
			_, err = Verify(ctx, s)
			var te *TamperError
			require.ErrorAs(t, err, &te, "verify must fail")
			assert.Equal(t, tc.wantSeq, te.Seq, err.Error())
			assert.Contains(t, te.Msg, tc.wantMsg)
			assert.Contains(t, err.Error(), fmt.Sprintf("row %d", tc.wantSeq))
		})
	}

	t.Run("the stored body is the receipt's canonical JSON", func(t *testing.T) {
		s := open(t)
		e := entry(rev, base)
		appendAll(t, s, e)
		got := scanAll(t, s, Filter{})[0]
		var rc Receipt
		require.NoError(t, json.Unmarshal(got.Body, &rc))
		assert.Equal(t, e.ReceiptID, rc.ReceiptID)
		assert.Equal(t, string(rc.canonical()), string(got.Body))
	})
}

// timeArg is a time as each store's column holds it: SQLite keeps updated as text and
// received_at in microseconds; PostgreSQL keeps timestamps.
func timeArg(s rawStore, t time.Time, received bool) any {
	if _, ok := s.(*SQLite); !ok {
		return t.UTC()
	}
	if received {
		return t.UnixMicro()
	}
	return t.UTC().Format(timeLayout)
}

// In PostgreSQL, pruning drops the monthly partitions that hold only pruned receipts.
func TestPostgresPruneDropsPartitions(t *testing.T) {
	ctx := context.Background()
	s, err := OpenPostgres(ctx, postgres.Database(t))
	require.NoError(t, err)
	defer s.Close()
	rev := testRevision(t)
	base := time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC)
	var es []*Entry
	for m := range 4 { // January to April
		es = append(es, entry(rev, base.AddDate(0, m, 0)), entry(rev, base.AddDate(0, m, 1)))
	}
	_, err = s.Append(ctx, es)
	require.NoError(t, err)
	partitions := func() []string {
		rows, err := s.pool.Query(ctx, `SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
			WHERE i.inhparent = 'consentry_receipts'::regclass ORDER BY 1`)
		require.NoError(t, err)
		var names []string
		for rows.Next() {
			var n string
			require.NoError(t, rows.Scan(&n))
			names = append(names, n)
		}
		return names
	}
	assert.Equal(t, []string{"consentry_receipts_y2026m01", "consentry_receipts_y2026m02", "consentry_receipts_y2026m03", "consentry_receipts_y2026m04"}, partitions())
	// Up to the middle of March: January and February are dropped, March loses one row.
	n, err := s.Prune(ctx, base.AddDate(0, 2, 1))
	require.NoError(t, err)
	assert.Equal(t, int64(5), n)
	assert.Equal(t, []string{"consentry_receipts_y2026m03", "consentry_receipts_y2026m04"}, partitions())
	_, err = Verify(ctx, s)
	require.NoError(t, err)
	// A receipt in a dropped month's partition gets it back.
	_, err = s.Append(ctx, []*Entry{entry(rev, base)})
	require.NoError(t, err)
	_, err = Verify(ctx, s)
	require.NoError(t, err)
}
