package widget

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestReceiptQueuePending(t *testing.T) {
	a, b, c := ReceiptBody{"a", `{"a":1}`}, ReceiptBody{"b", `{"b":1}`}, ReceiptBody{"c", `{"c":1}`}
	queued := ReceiptQueue{Receipts: []QueuedReceipt{{ID: "a", Body: a.Body}, {ID: "b", Body: b.Body}}}
	for _, tc := range []struct {
		name  string
		queue ReceiptQueue
		made  []ReceiptBody
		want  []ReceiptBody
	}{
		{"nothing", ReceiptQueue{}, nil, nil},
		{"queue only, oldest first", queued, nil, []ReceiptBody{a, b}},
		{"made and kept by the queue: sent once", queued, []ReceiptBody{b}, []ReceiptBody{a, b}},
		{"made but not kept (storage blocked)", ReceiptQueue{}, []ReceiptBody{c, a}, []ReceiptBody{c, a}},
		{"both", queued, []ReceiptBody{c}, []ReceiptBody{a, b, c}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.queue.Pending(tc.made))
		})
	}
}

func TestReceiptQueueAnswered(t *testing.T) {
	for _, tc := range []struct {
		name    string
		id      string
		status  int
		changed bool
		left    int
	}{
		{"200 acknowledges", "a", 200, true, 1},
		{"204 acknowledges", "a", 204, true, 1},
		{"network error keeps it", "a", 0, false, 2},
		{"3xx keeps it", "a", 302, false, 2},
		{"400 keeps it", "a", 400, false, 2},
		{"503 keeps it", "a", 503, false, 2},
		{"2xx for a receipt no longer queued", "x", 200, false, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := ReceiptQueue{Receipts: []QueuedReceipt{{ID: "a", Body: `{}`}, {ID: "b", Body: `{}`}}}
			assert.Equal(t, tc.changed, q.Answered(tc.id, tc.status))
			assert.Len(t, q.Receipts, tc.left)
		})
	}
}
