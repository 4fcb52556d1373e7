package receipts

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Postgres is the Store for sites that outgrow one machine: several consentry servers
// may write to one database. Receipts live in monthly partitions of consentry_receipts
// (by the time received), so pruning drops whole partitions; batches go in with COPY.
// A receiptId is unique across partitions through the table consentry_receipt_ids (a
// unique index of a partitioned table must include the partition key, which would let
// the same receipt be stored once a month). Writers take turns on the chain's head row
// (SELECT … FOR UPDATE), which keeps the hash chain one line across servers.
type Postgres struct {
	pool *pgxpool.Pool

	mu     sync.Mutex
	months map[string]bool // partitions known to exist
}

const pgSchema = `
CREATE TABLE IF NOT EXISTS consentry_receipts (
	seq         bigint NOT NULL,
	receipt_id  text NOT NULL,
	consent_id  text NOT NULL,
	updated     timestamptz NOT NULL,
	received_at timestamptz NOT NULL,
	browser     text NOT NULL,
	network     text NOT NULL,
	body        text NOT NULL,
	prev        bytea NOT NULL,
	hash        bytea NOT NULL,
	PRIMARY KEY (seq, received_at)
) PARTITION BY RANGE (received_at);
CREATE INDEX IF NOT EXISTS consentry_receipts_consent ON consentry_receipts (consent_id);
CREATE INDEX IF NOT EXISTS consentry_receipts_updated ON consentry_receipts (updated);
CREATE TABLE IF NOT EXISTS consentry_receipt_ids (
	receipt_id text PRIMARY KEY,
	seq        bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS consentry_receipt_ids_seq ON consentry_receipt_ids (seq);
CREATE TABLE IF NOT EXISTS consentry_chain (
	id          int PRIMARY KEY CHECK (id = 1),
	anchor_seq  bigint NOT NULL,
	anchor_hash bytea NOT NULL,
	head_seq    bigint NOT NULL,
	head_hash   bytea NOT NULL
);
INSERT INTO consentry_chain VALUES (1, 0, decode(repeat('00', 32), 'hex'), 0, decode(repeat('00', 32), 'hex'))
	ON CONFLICT (id) DO NOTHING;
CREATE TABLE IF NOT EXISTS consentry_policies (
	digest    text PRIMARY KEY,
	revision  int NOT NULL,
	text      bytea NOT NULL,
	stored_at timestamptz NOT NULL DEFAULT now()
);
`

// pgSchemaLock is the advisory lock key that serialises schema creation between servers
// starting together.
const pgSchemaLock = 0x636f6e73 // "cons"

// OpenPostgres connects to the database that dsn (postgres://…) names and creates the
// tables when missing.
func OpenPostgres(ctx context.Context, dsn string) (*Postgres, error) {
	pool, err := pgxpool.New(ctx, dsn)
	if err != nil {
		return nil, fmt.Errorf("receipts: postgres: %w", err)
	}
	// The tables are created only when missing: DDL on tables that exist would still
	// take their locks, and wait for (or deadlock with) the transaction of a server that
	// was just killed and whose connection PostgreSQL has not yet closed.
	var ready bool
	err = pool.QueryRow(ctx, `SELECT to_regclass('consentry_receipts') IS NOT NULL AND to_regclass('consentry_receipt_ids') IS NOT NULL
		AND to_regclass('consentry_chain') IS NOT NULL AND to_regclass('consentry_policies') IS NOT NULL`).Scan(&ready)
	for attempt := 0; err == nil && !ready; attempt++ {
		err = pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, pgSchemaLock); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, pgSchema)
			return err
		})
		var pe *pgconn.PgError
		if err != nil && attempt < 5 && errors.As(err, &pe) && (pe.Code == "40P01" || pe.Code == "40001") {
			err = nil // a deadlock or serialization failure: try again
			continue
		}
		ready = true
	}
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("receipts: postgres: creating the tables: %w", err)
	}
	return &Postgres{pool: pool, months: map[string]bool{}}, nil
}

// partitionName returns the partition holding the month of t, and that month's bounds.
func partitionName(t time.Time) (name string, from, to time.Time) {
	t = t.UTC()
	from = time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
	to = from.AddDate(0, 1, 0)
	return fmt.Sprintf("consentry_receipts_y%04dm%02d", from.Year(), int(from.Month())), from, to
}

// ensurePartition creates the partition of t's month when missing.
func (s *Postgres) ensurePartition(ctx context.Context, t time.Time) error {
	name, from, to := partitionName(t)
	s.mu.Lock()
	known := s.months[name]
	s.mu.Unlock()
	if known {
		return nil
	}
	var exists bool
	if err := s.pool.QueryRow(ctx, `SELECT to_regclass($1) IS NOT NULL`, name).Scan(&exists); err != nil {
		return err
	}
	if exists {
		s.mu.Lock()
		s.months[name] = true
		s.mu.Unlock()
		return nil
	}
	_, err := s.pool.Exec(ctx, fmt.Sprintf(`CREATE TABLE IF NOT EXISTS %s PARTITION OF consentry_receipts FOR VALUES FROM ('%s') TO ('%s')`,
		name, from.Format(time.RFC3339), to.Format(time.RFC3339)))
	var pe *pgconn.PgError
	if err != nil && !(errors.As(err, &pe) && (pe.Code == "42P07" || pe.Code == "23505")) { // created by another server meanwhile
		return fmt.Errorf("receipts: postgres: partition %s: %w", name, err)
	}
	s.mu.Lock()
	s.months[name] = true
	s.mu.Unlock()
	return nil
}

// Append implements Store.
func (s *Postgres) Append(ctx context.Context, entries []*Entry) ([]bool, error) {
	for _, e := range entries {
		if err := s.ensurePartition(ctx, e.ReceivedAt); err != nil {
			return nil, err
		}
	}
	fresh := make([]bool, len(entries))
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var head Chain
		if err := tx.QueryRow(ctx, `SELECT head_seq, head_hash FROM consentry_chain WHERE id = 1 FOR UPDATE`).Scan(&head.HeadSeq, &head.HeadHash); err != nil {
			return err
		}
		ids := make([]string, len(entries))
		for i, e := range entries {
			ids[i] = e.ReceiptID
		}
		rows, err := tx.Query(ctx, `SELECT receipt_id FROM consentry_receipt_ids WHERE receipt_id = ANY($1)`, ids)
		if err != nil {
			return err
		}
		stored, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return err
		}
		seen := make(map[string]bool, len(entries))
		for _, id := range stored {
			seen[id] = true
		}
		var idRows, receiptRows [][]any
		for i, e := range entries {
			if seen[e.ReceiptID] {
				continue
			}
			seen[e.ReceiptID] = true
			fresh[i] = true
			head = link(head, e)
			idRows = append(idRows, []any{e.ReceiptID, e.Seq})
			receiptRows = append(receiptRows, []any{e.Seq, e.ReceiptID, e.ConsentID, e.Updated.UTC(), e.ReceivedAt.UTC(),
				e.Browser, e.Network, string(e.Body), e.Prev, e.Hash})
		}
		if len(idRows) == 0 {
			return nil
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"consentry_receipt_ids"}, []string{"receipt_id", "seq"}, pgx.CopyFromRows(idRows)); err != nil {
			return err
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"consentry_receipts"},
			[]string{"seq", "receipt_id", "consent_id", "updated", "received_at", "browser", "network", "body", "prev", "hash"},
			pgx.CopyFromRows(receiptRows)); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE consentry_chain SET head_seq = $1, head_hash = $2 WHERE id = 1`, head.HeadSeq, head.HeadHash)
		return err
	})
	if err != nil {
		// The entries' Seq and Hash were set for a transaction that did not commit.
		return nil, err
	}
	return fresh, nil
}

// PutPolicy implements Store.
func (s *Postgres) PutPolicy(ctx context.Context, rev *Revision) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO consentry_policies (digest, revision, text) VALUES ($1, $2, $3) ON CONFLICT (digest) DO NOTHING`,
		rev.Digest, rev.Policy.Revision, rev.Text)
	return err
}

// Policy implements Store.
func (s *Postgres) Policy(ctx context.Context, digest string) ([]byte, int, error) {
	var text []byte
	var rev int
	err := s.pool.QueryRow(ctx, `SELECT text, revision FROM consentry_policies WHERE digest = $1`, digest).Scan(&text, &rev)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, 0, ErrNotFound
	}
	return text, rev, err
}

// Scan implements Store.
func (s *Postgres) Scan(ctx context.Context, f Filter, fn func(*Entry) error) error {
	q := `SELECT seq, receipt_id, consent_id, updated, received_at, browser, network, body, prev, hash FROM consentry_receipts WHERE true`
	var args []any
	if !f.From.IsZero() {
		args = append(args, f.From.UTC())
		q += fmt.Sprintf(` AND updated >= $%d`, len(args))
	}
	if !f.To.IsZero() {
		args = append(args, f.To.UTC())
		q += fmt.Sprintf(` AND updated < $%d`, len(args))
	}
	if f.ConsentID != "" {
		args = append(args, f.ConsentID)
		q += fmt.Sprintf(` AND consent_id = $%d`, len(args))
	}
	rows, err := s.pool.Query(ctx, q+` ORDER BY seq`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		e := &Entry{}
		var body string
		if err := rows.Scan(&e.Seq, &e.ReceiptID, &e.ConsentID, &e.Updated, &e.ReceivedAt, &e.Browser, &e.Network, &body, &e.Prev, &e.Hash); err != nil {
			return err
		}
		e.Updated, e.ReceivedAt, e.Body = e.Updated.UTC(), e.ReceivedAt.UTC(), []byte(body)
		if err := fn(e); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Chain implements Store.
func (s *Postgres) Chain(ctx context.Context) (Chain, error) {
	var c Chain
	err := s.pool.QueryRow(ctx, `SELECT anchor_seq, anchor_hash, head_seq, head_hash FROM consentry_chain WHERE id = 1`).
		Scan(&c.AnchorSeq, &c.AnchorHash, &c.HeadSeq, &c.HeadHash)
	return c, err
}

// Prune implements Store: partitions whose rows all lie in the pruned prefix are dropped
// whole; the rest of the prefix is deleted row by row.
func (s *Postgres) Prune(ctx context.Context, before time.Time) (int64, error) {
	var n int64
	var dropped []string
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var c Chain
		if err := tx.QueryRow(ctx, `SELECT anchor_seq, head_seq FROM consentry_chain WHERE id = 1 FOR UPDATE`).Scan(&c.AnchorSeq, &c.HeadSeq); err != nil {
			return err
		}
		var firstKept *int64
		if err := tx.QueryRow(ctx, `SELECT min(seq) FROM consentry_receipts WHERE received_at >= $1`, before.UTC()).Scan(&firstKept); err != nil {
			return err
		}
		last := c.HeadSeq
		if firstKept != nil {
			last = *firstKept - 1
		}
		if last <= c.AnchorSeq {
			return nil
		}
		var hash []byte
		if err := tx.QueryRow(ctx, `SELECT hash FROM consentry_receipts WHERE seq = $1`, last).Scan(&hash); err != nil {
			return fmt.Errorf("receipts: prune: row %d: %w (run verify)", last, err)
		}
		rows, err := tx.Query(ctx, `SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
			WHERE i.inhparent = 'consentry_receipts'::regclass`)
		if err != nil {
			return err
		}
		parts, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return err
		}
		sort.Strings(parts)
		for _, p := range parts {
			var count int64
			var maxSeq *int64
			if err := tx.QueryRow(ctx, fmt.Sprintf(`SELECT count(*), max(seq) FROM %s`, pgx.Identifier{p}.Sanitize())).Scan(&count, &maxSeq); err != nil {
				return err
			}
			if maxSeq == nil || *maxSeq > last {
				continue // empty (the current month's, say), or holding rows that stay
			}
			if _, err := tx.Exec(ctx, `DROP TABLE `+pgx.Identifier{p}.Sanitize()); err != nil {
				return err
			}
			n += count
			dropped = append(dropped, p)
		}
		tag, err := tx.Exec(ctx, `DELETE FROM consentry_receipts WHERE seq <= $1`, last)
		if err != nil {
			return err
		}
		n += tag.RowsAffected()
		if _, err := tx.Exec(ctx, `DELETE FROM consentry_receipt_ids WHERE seq <= $1`, last); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE consentry_chain SET anchor_seq = $1, anchor_hash = $2 WHERE id = 1`, last, hash)
		return err
	})
	if err != nil {
		return 0, err
	}
	s.mu.Lock()
	for _, p := range dropped {
		delete(s.months, p)
	}
	s.mu.Unlock()
	return n, nil
}

// Close implements Store.
func (s *Postgres) Close() error {
	s.pool.Close()
	return nil
}

// exec runs a statement on the database directly: the tamper tests edit rows with it.
func (s *Postgres) exec(ctx context.Context, query string, args ...any) error {
	_, err := s.pool.Exec(ctx, strings.ReplaceAll(query, "receipts", "consentry_receipts"), args...)
	return err
}
