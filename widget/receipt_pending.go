package widget

import "slices"

// Pending returns what a page load sends at the end of its start: every receipt waiting
// in the queue, oldest first, then those of made that the queue could not keep (storage
// blocked or full), each once.
func (q *ReceiptQueue) Pending(made []ReceiptBody) []ReceiptBody {
	var all []ReceiptBody
	for _, r := range q.Receipts {
		all = append(all, ReceiptBody{ID: r.ID, Body: r.Body})
	}
	for _, r := range made {
		if !slices.Contains(all, r) {
			all = append(all, r)
		}
	}
	return all
}
