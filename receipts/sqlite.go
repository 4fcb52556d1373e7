package receipts

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"time"

	_ "modernc.org/sqlite" // the pure-Go SQLite driver: no cgo
)

// SQLite is the default Store: one file, written in WAL mode with synchronous=FULL, so a
// committed transaction survives a crash of the process and of the machine. The Writer
// in front of it is the one goroutine that writes, committing many receipts at once.
type SQLite struct {
	db   *sql.DB
	path string
}

const sqliteSchema = `
CREATE TABLE IF NOT EXISTS receipts (
	seq         INTEGER PRIMARY KEY,
	receipt_id  TEXT NOT NULL UNIQUE,
	consent_id  TEXT NOT NULL,
	updated     TEXT NOT NULL,
	received_at INTEGER NOT NULL,
	browser     TEXT NOT NULL,
	network     TEXT NOT NULL,
	body        TEXT NOT NULL,
	prev        BLOB NOT NULL,
	hash        BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS receipts_consent ON receipts (consent_id);
CREATE INDEX IF NOT EXISTS receipts_updated ON receipts (updated);
CREATE INDEX IF NOT EXISTS receipts_received ON receipts (received_at);
CREATE TABLE IF NOT EXISTS chain (
	id          INTEGER PRIMARY KEY CHECK (id = 1),
	anchor_seq  INTEGER NOT NULL,
	anchor_hash BLOB NOT NULL,
	head_seq    INTEGER NOT NULL,
	head_hash   BLOB NOT NULL
);
INSERT OR IGNORE INTO chain VALUES (1, 0, zeroblob(32), 0, zeroblob(32));
CREATE TABLE IF NOT EXISTS policies (
	digest    TEXT PRIMARY KEY,
	revision  INTEGER NOT NULL,
	text      BLOB NOT NULL,
	stored_at INTEGER NOT NULL
);
`

// OpenSQLite opens (creating it when missing) the SQLite store in the file at path.
func OpenSQLite(ctx context.Context, path string) (*SQLite, error) {
	q := url.Values{}
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(FULL)")
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "foreign_keys(ON)")
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("receipts: open %s: %w", path, err)
	}
	db.SetMaxOpenConns(4)
	if _, err := db.ExecContext(ctx, sqliteSchema); err != nil {
		db.Close()
		return nil, fmt.Errorf("receipts: open %s: %w", path, err)
	}
	return &SQLite{db: db, path: path}, nil
}

// Append implements Store.
func (s *SQLite) Append(ctx context.Context, entries []*Entry) ([]bool, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var head Chain
	if err := tx.QueryRowContext(ctx, `SELECT head_seq, head_hash FROM chain WHERE id = 1`).Scan(&head.HeadSeq, &head.HeadHash); err != nil {
		return nil, err
	}
	// A receipt already stored is skipped by the unique index on receipt_id: the row
	// number and hash computed for it are then dropped and the head stays where it was.
	insert, err := tx.PrepareContext(ctx, `INSERT INTO receipts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (receipt_id) DO NOTHING`)
	if err != nil {
		return nil, err
	}
	fresh := make([]bool, len(entries))
	for i, e := range entries {
		next := link(head, e)
		res, err := insert.ExecContext(ctx, e.Seq, e.ReceiptID, e.ConsentID, e.Updated.UTC().Format(timeLayout),
			e.ReceivedAt.UnixMicro(), e.Browser, e.Network, string(e.Body), e.Prev, e.Hash)
		if err != nil {
			return nil, err
		}
		if n, err := res.RowsAffected(); err != nil {
			return nil, err
		} else if n == 1 {
			head, fresh[i] = next, true
		} else {
			e.Seq, e.Prev, e.Hash = 0, nil, nil
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE chain SET head_seq = ?, head_hash = ? WHERE id = 1`, head.HeadSeq, head.HeadHash); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	return fresh, nil
}

// PutPolicy implements Store.
func (s *SQLite) PutPolicy(ctx context.Context, rev *Revision) error {
	_, err := s.db.ExecContext(ctx, `INSERT OR IGNORE INTO policies VALUES (?, ?, ?, ?)`,
		rev.Digest, rev.Policy.Revision, rev.Text, time.Now().UnixMicro())
	return err
}

// Policy implements Store.
func (s *SQLite) Policy(ctx context.Context, digest string) ([]byte, int, error) {
	var text []byte
	var rev int
	err := s.db.QueryRowContext(ctx, `SELECT text, revision FROM policies WHERE digest = ?`, digest).Scan(&text, &rev)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, 0, ErrNotFound
	}
	return text, rev, err
}

// Scan implements Store.
func (s *SQLite) Scan(ctx context.Context, f Filter, fn func(*Entry) error) error {
	q := `SELECT seq, receipt_id, consent_id, updated, received_at, browser, network, body, prev, hash FROM receipts WHERE 1 = 1`
	var args []any
	if !f.From.IsZero() {
		q += ` AND updated >= ?`
		args = append(args, f.From.UTC().Format(timeLayout))
	}
	if !f.To.IsZero() {
		q += ` AND updated < ?`
		args = append(args, f.To.UTC().Format(timeLayout))
	}
	if f.ConsentID != "" {
		q += ` AND consent_id = ?`
		args = append(args, f.ConsentID)
	}
	rows, err := s.db.QueryContext(ctx, q+` ORDER BY seq`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		e := &Entry{}
		var updated, body string
		var received int64
		if err := rows.Scan(&e.Seq, &e.ReceiptID, &e.ConsentID, &updated, &received, &e.Browser, &e.Network, &body, &e.Prev, &e.Hash); err != nil {
			return err
		}
		e.Updated, _ = time.Parse(timeLayout, updated) // a bad time fails the hash check
		e.ReceivedAt = time.UnixMicro(received).UTC()
		e.Body = []byte(body)
		if err := fn(e); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Chain implements Store.
func (s *SQLite) Chain(ctx context.Context) (Chain, error) {
	var c Chain
	err := s.db.QueryRowContext(ctx, `SELECT anchor_seq, anchor_hash, head_seq, head_hash FROM chain WHERE id = 1`).
		Scan(&c.AnchorSeq, &c.AnchorHash, &c.HeadSeq, &c.HeadHash)
	return c, err
}

// Prune implements Store.
func (s *SQLite) Prune(ctx context.Context, before time.Time) (int64, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	var c Chain
	if err := tx.QueryRowContext(ctx, `SELECT anchor_seq, head_seq FROM chain WHERE id = 1`).Scan(&c.AnchorSeq, &c.HeadSeq); err != nil {
		return 0, err
	}
	// The last row of the prefix received before the cut.
	var firstKept sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT min(seq) FROM receipts WHERE received_at >= ?`, before.UnixMicro()).Scan(&firstKept); err != nil {
		return 0, err
	}
	last := c.HeadSeq
	if firstKept.Valid {
		last = firstKept.Int64 - 1
	}
	if last <= c.AnchorSeq {
		return 0, nil
	}
	var hash []byte
	if err := tx.QueryRowContext(ctx, `SELECT hash FROM receipts WHERE seq = ?`, last).Scan(&hash); err != nil {
		return 0, fmt.Errorf("receipts: prune: row %d: %w (run verify)", last, err)
	}
	res, err := tx.ExecContext(ctx, `DELETE FROM receipts WHERE seq <= ?`, last)
	if err != nil {
		return 0, err
	}
	n, _ := res.RowsAffected()
	if _, err := tx.ExecContext(ctx, `UPDATE chain SET anchor_seq = ?, anchor_hash = ? WHERE id = 1`, last, hash); err != nil {
		return 0, err
	}
	return n, tx.Commit()
}

// Close implements Store.
func (s *SQLite) Close() error { return s.db.Close() }

// exec runs a statement on the database directly: the tamper tests edit rows with it.
func (s *SQLite) exec(ctx context.Context, query string, args ...any) error {
	_, err := s.db.ExecContext(ctx, query, args...)
	return err
}
