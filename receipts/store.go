package receipts

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Entry is one stored receipt: the receipt's canonical JSON and what the server adds to it
// (when it arrived, the visitor's browser family, optionally a truncated network), linked
// into the store's hash chain.
type Entry struct {
	Seq        int64     // position in the chain, from 1, without gaps
	ReceiptID  string    // the receipt's receiptId: unique in the store
	ConsentID  string    // the receipt's consentId: the cookie's id
	Updated    time.Time // the receipt's updated time, for export by date range
	ReceivedAt time.Time // when the server received it, UTC, to the microsecond
	Browser    string    // the browser family (Chrome, Firefox, Safari…), never the full user agent
	Network    string    // a truncated client address ("192.0.2.0/24"), or "" (the default: no address)
	Body       []byte    // the receipt as canonical JSON
	Prev       []byte    // the hash of the row before it (the chain's anchor for the first row)
	Hash       []byte    // SHA-256 over Prev and every field above
}

// Filter selects receipts for export: updated in [From, To) when set, and one consent id
// when set.
type Filter struct {
	From, To  time.Time
	ConsentID string
}

// Chain is where a store's hash chain starts and ends. The anchor is the last row pruned
// (row 0 with a hash of zeros before any prune); the head is the last row appended.
type Chain struct {
	AnchorSeq  int64
	AnchorHash []byte
	HeadSeq    int64
	HeadHash   []byte
}

// Store keeps receipts durably. Both implementations (SQLite, the default, and PostgreSQL)
// pass the same conformance suite.
type Store interface {
	// Append stores the entries that are new, in order, linked into the chain, in one
	// transaction; it sets their Seq, Prev and Hash. fresh[i] reports whether entries[i]
	// was new (false: a receipt with that ReceiptID is already stored, or came earlier in
	// the batch). When Append returns nil, the new entries are committed durably.
	Append(ctx context.Context, entries []*Entry) (fresh []bool, err error)
	// PutPolicy stores the text of a policy revision once per digest.
	PutPolicy(ctx context.Context, rev *Revision) error
	// Policy returns the stored text of the policy with that digest, and its revision.
	Policy(ctx context.Context, digest string) (text []byte, revision int, err error)
	// Scan calls fn for each stored entry that f selects, in chain order.
	Scan(ctx context.Context, f Filter, fn func(*Entry) error) error
	// Chain returns the chain's anchor and head.
	Chain(ctx context.Context) (Chain, error)
	// Prune deletes the receipts received before the time given (a prefix of the chain:
	// it stops at the first one received later), moves the chain's anchor to the last one
	// deleted, and returns how many it deleted.
	Prune(ctx context.Context, before time.Time) (int64, error)
	Close() error
}

// ErrNotFound is returned by Store.Policy for an unknown digest.
var ErrNotFound = errors.New("receipts: not found")

// genesisHash is the anchor hash of a chain that was never pruned.
var genesisHash = make([]byte, sha256.Size)

// entryHash computes the chain hash of e linked to prev: SHA-256 over prev, the row number,
// the time received, and each field length-prefixed, so that no two different rows hash
// alike by moving bytes from one field to the next.
func entryHash(prev []byte, e *Entry) []byte {
	h := sha256.New()
	var n [8]byte
	h.Write(prev)
	binary.BigEndian.PutUint64(n[:], uint64(e.Seq))
	h.Write(n[:])
	binary.BigEndian.PutUint64(n[:], uint64(e.ReceivedAt.UnixMicro()))
	h.Write(n[:])
	for _, f := range [][]byte{[]byte(e.ReceiptID), []byte(e.ConsentID), []byte(e.Updated.UTC().Format(timeLayout)),
		[]byte(e.Browser), []byte(e.Network), e.Body} {
		binary.BigEndian.PutUint64(n[:], uint64(len(f)))
		h.Write(n[:])
		h.Write(f)
	}
	return h.Sum(nil)
}

// link sets e's Seq, Prev and Hash as the row after head, and returns the new head.
func link(head Chain, e *Entry) Chain {
	e.Seq = head.HeadSeq + 1
	e.Prev = head.HeadHash
	e.Hash = entryHash(e.Prev, e)
	head.HeadSeq, head.HeadHash = e.Seq, e.Hash
	return head
}

// TamperError names the first row of the chain found edited, inserted or deleted.
type TamperError struct {
	Seq       int64
	ReceiptID string // "" for a row that is missing
	Msg       string
}

func (e *TamperError) Error() string {
	if e.ReceiptID == "" {
		return fmt.Sprintf("row %d: %s", e.Seq, e.Msg)
	}
	return fmt.Sprintf("row %d (receipt %s): %s", e.Seq, e.ReceiptID, e.Msg)
}

// Verify walks the store's whole chain and returns how many rows it checked, and a
// *TamperError naming the first row edited (its content does not match its hash, or its
// hash was recomputed and the next row still links to the old one), inserted (outside the
// chain's anchor and head) or deleted (a gap in the row numbers, or a chain that ends
// before its head).
func Verify(ctx context.Context, s Store) (int64, error) {
	ch, err := s.Chain(ctx)
	if err != nil {
		return 0, err
	}
	prev, next := ch.AnchorHash, ch.AnchorSeq+1
	var prevID string
	var n int64
	var tamper *TamperError
	errStop := errors.New("stop")
	err = s.Scan(ctx, Filter{}, func(e *Entry) error {
		switch {
		case e.Seq <= ch.AnchorSeq:
			tamper = &TamperError{e.Seq, e.ReceiptID, fmt.Sprintf("inserted: before the chain's start (row %d, the last pruned)", ch.AnchorSeq)}
		case e.Seq > ch.HeadSeq:
			tamper = &TamperError{e.Seq, e.ReceiptID, fmt.Sprintf("inserted: after the chain's head (row %d)", ch.HeadSeq)}
		case e.Seq > next:
			tamper = &TamperError{next, "", fmt.Sprintf("deleted: row %d follows row %d", e.Seq, next-1)}
		case !bytes.Equal(entryHash(e.Prev, e), e.Hash):
			tamper = &TamperError{e.Seq, e.ReceiptID, "edited: its content does not match its hash"}
		case !bytes.Equal(e.Prev, prev) && e.Seq == ch.AnchorSeq+1:
			tamper = &TamperError{e.Seq, e.ReceiptID, "edited: it does not link to the chain's start"}
		case !bytes.Equal(e.Prev, prev):
			tamper = &TamperError{e.Seq - 1, prevID, fmt.Sprintf("edited: its hash was recomputed, and row %d links to the old one", e.Seq)}
		}
		if tamper != nil {
			return errStop
		}
		prev, next, prevID = e.Hash, e.Seq+1, e.ReceiptID
		n++
		return nil
	})
	if tamper != nil {
		return n, tamper
	}
	if err != nil {
		return n, err
	}
	if next-1 < ch.HeadSeq {
		return n, &TamperError{next, "", fmt.Sprintf("deleted: the chain's head is row %d, its last row is %d", ch.HeadSeq, next-1)}
	}
	if !bytes.Equal(prev, ch.HeadHash) {
		return n, &TamperError{ch.HeadSeq, prevID, "edited: its hash is not the chain's head"}
	}
	return n, nil
}

// OpenStore opens the store that dsn names: a postgres:// or postgresql:// URL for
// PostgreSQL, anything else an SQLite file.
func OpenStore(ctx context.Context, dsn string) (Store, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return OpenPostgres(ctx, dsn)
	}
	return OpenSQLite(ctx, dsn)
}
