package receipts

import (
	"context"
	"errors"
	"sync"
	"time"
)

// Writer is the one goroutine that writes to a Store: it gathers the receipts that arrive
// while a commit is in flight and commits them together (group commit), so one fsync
// serves many requests. Append returns only once the receipt's transaction is committed.
type Writer struct {
	store    Store
	reqs     chan *writeReq
	done     chan struct{}
	maxBatch int
	now      func() time.Time

	mu     sync.RWMutex
	closed bool
}

type writeReq struct {
	e   *Entry
	res chan writeRes
}

type writeRes struct {
	fresh bool
	err   error
}

// maxBatch bounds the receipts one transaction commits.
const maxBatch = 1024

// ErrClosed is returned by Append after Close.
var ErrClosed = errors.New("receipts: writer closed")

// NewWriter starts the writer goroutine of s.
func NewWriter(s Store) *Writer {
	w := &Writer{store: s, reqs: make(chan *writeReq, maxBatch), done: make(chan struct{}), maxBatch: maxBatch, now: time.Now}
	go w.loop()
	return w
}

// Store returns the store the writer writes to.
func (w *Writer) Store() Store { return w.store }

// Append stores e (its ReceivedAt is set to the time of the commit's batch) and reports
// whether it was new; a receipt whose ReceiptID is stored already is not stored again.
// A nil error means the receipt is committed durably.
func (w *Writer) Append(ctx context.Context, e *Entry) (fresh bool, err error) {
	req := &writeReq{e: e, res: make(chan writeRes, 1)}
	w.mu.RLock()
	if w.closed {
		w.mu.RUnlock()
		return false, ErrClosed
	}
	select {
	case w.reqs <- req:
		w.mu.RUnlock()
	case <-ctx.Done():
		w.mu.RUnlock()
		return false, ctx.Err()
	}
	// Once queued, the receipt may be committed whether or not the client waits: a
	// client that retries gets 200 for it.
	select {
	case r := <-req.res:
		return r.fresh, r.err
	case <-ctx.Done():
		return false, ctx.Err()
	}
}

// loop commits batches until the request channel is closed.
func (w *Writer) loop() {
	defer close(w.done)
	batch := make([]*writeReq, 0, w.maxBatch)
	entries := make([]*Entry, 0, w.maxBatch)
	for first := range w.reqs {
		batch = append(batch[:0], first)
	gather:
		for len(batch) < w.maxBatch {
			select {
			case r, ok := <-w.reqs:
				if !ok {
					break gather
				}
				batch = append(batch, r)
			default:
				break gather
			}
		}
		now := w.now().UTC().Truncate(time.Microsecond)
		entries = entries[:0]
		for _, r := range batch {
			r.e.ReceivedAt = now
			entries = append(entries, r.e)
		}
		fresh, err := w.store.Append(context.Background(), entries)
		for i, r := range batch {
			if err != nil {
				r.res <- writeRes{err: err}
			} else {
				r.res <- writeRes{fresh: fresh[i]}
			}
		}
	}
}

// Close stops accepting receipts, waits for those queued to be committed, and returns.
// It does not close the store.
func (w *Writer) Close() error {
	w.mu.Lock()
	if !w.closed {
		w.closed = true
		close(w.reqs)
	}
	w.mu.Unlock()
	<-w.done
	return nil
}
