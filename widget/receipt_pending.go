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

// Answered records the server's answer to the receipt with that id (status 0 for a network
// error): a 2xx acknowledges it (Acknowledge). It reports whether the queue changed.
func (q *ReceiptQueue) Answered(id string, status int) bool {
	return status >= 200 && status < 300 && q.Acknowledge(id)
}
