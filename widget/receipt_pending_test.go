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
