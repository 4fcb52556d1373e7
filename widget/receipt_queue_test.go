package widget

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// queueID returns the i-th receipt id of these tests, a valid version 4 UUID.
func queueID(i int) string {
	s := strconv.Itoa(1000 + i)
	return "00000000-0000-4000-8000-00000000" + s
}

// queued returns a receipt as the queue holds it, made at queued, of event for the record
// (consent id, updated).
func queued(i int, at time.Time, event, consentID string, updated time.Time) QueuedReceipt {
	r := &Receipt{ID: queueID(i), ConsentID: consentID, Event: event, Method: MethodAcceptAll, Revision: 1, Scope: "0e55ba5d",
		Categories: []string{"necessary", "statistics"}, Services: map[string][]string{}, Created: updated, Updated: updated}
	return QueuedReceipt{ID: r.ID, Queued: at, Body: r.JSON()}
}

// ids lists the ids of the queued receipts, by their number in queueID.
func ids(q ReceiptQueue) []int {
	var out []int
	for _, r := range q.Receipts {
		n, _ := strconv.Atoi(r.ID[len(r.ID)-4:])
		out = append(out, n-1000)
	}
	return out
}

func TestReceiptQueueAdd(t *testing.T) {
	day := 24 * time.Hour
	consent := "9b2f1c0e-5d3a-4f6b-8c7d-0e1f2a3b4c5d"
	tests := []struct {
		desc  string
		queue []QueuedReceipt
		add   time.Time // the new receipt (number 99) is made then
		want  []int
	}{
		{"§10: a receipt waits in the queue", nil, consentNow, []int{99}},
		{"§10: receipts are sent again in the order they were made: the new one last",
			[]QueuedReceipt{queued(1, consentNow.Add(-2*day), EventReceiptConsent, consent, consentNow), queued(2, consentNow.Add(-day), EventReceiptChange, consent, consentNow)},
			consentNow, []int{1, 2, 99}},
		{"§10: at most 30 days: one queued exactly 30 days ago stays, one a second older goes",
			[]QueuedReceipt{queued(1, consentNow.Add(-MaxReceiptAge-time.Second), EventReceiptConsent, consent, consentNow), queued(2, consentNow.Add(-MaxReceiptAge), EventReceiptChange, consent, consentNow)},
			consentNow, []int{2, 99}},
		{"a receipt queued more than a day in the future (a clock set back) goes: it would never expire",
			[]QueuedReceipt{queued(1, consentNow.Add(day+time.Second), EventReceiptConsent, consent, consentNow), queued(2, consentNow.Add(day), EventReceiptChange, consent, consentNow)},
			consentNow, []int{2, 99}},
		{"§10: at most 20, the oldest dropped first", queuedRun(20, consentNow.Add(-time.Hour)), consentNow,
			[]int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 99}},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			q := ReceiptQueue{Receipts: tt.queue}
			r := &Receipt{ID: queueID(99), ConsentID: consent, Event: EventReceiptConsent, Categories: []string{}, Services: map[string][]string{}}
			q.Add(r, tt.add)
			assert.Equal(t, tt.want, ids(q))
			last := q.Receipts[len(q.Receipts)-1]
			assert.Equal(t, r.JSON(), last.Body, "§10: the body is kept to be sent again unchanged")
			assert.Equal(t, tt.add, last.Queued)
		})
	}
}

// queuedRun returns n receipts numbered 0 to n-1, queued a minute apart up to at.
func queuedRun(n int, at time.Time) []QueuedReceipt {
	var list []QueuedReceipt
	for i := range n {
		list = append(list, queued(i, at.Add(time.Duration(i-n+1)*time.Minute), EventReceiptConsent, "9b2f1c0e-5d3a-4f6b-8c7d-0e1f2a3b4c5d", at))
	}
	return list
}

func TestReceiptQueueAcknowledge(t *testing.T) {
	consent, other := "9b2f1c0e-5d3a-4f6b-8c7d-0e1f2a3b4c5d", "0f0f0f0f-0000-4000-8000-000000000000"
	first, second := consentNow, consentNow.Add(time.Hour)
	q := ReceiptQueue{Receipts: []QueuedReceipt{
		queued(1, first, EventReceiptConsent, consent, first),
		queued(2, second, EventReceiptChange, consent, second),
		queued(3, second, EventReceiptWithdraw, consent, second.Add(time.Minute)),
		queued(4, second, EventReceiptConsent, other, first),
	}}
	record := func(id string, updated time.Time) *Record { return &Record{ID: id, Updated: updated} }

	assert.False(t, q.KeepsServerCookie(record(consent, second)), "nothing acknowledged yet: the widget may repair the cookie")
	assert.True(t, q.Acknowledge(queueID(2)))
	assert.Equal(t, []int{1, 3, 4}, ids(q), "a 2xx takes the receipt out of the queue")
	assert.True(t, q.KeepsServerCookie(record(consent, second)), "§10: after a 2xx the server set the cookie of that choice: the widget does not write it again")
	assert.False(t, q.KeepsServerCookie(record(consent, first)), "an older state of the choice was not what the server set last")
	assert.False(t, q.KeepsServerCookie(nil))

	assert.True(t, q.Acknowledge(queueID(1)))
	assert.True(t, q.KeepsServerCookie(record(consent, second)), "a late 2xx for an older receipt does not move the acknowledgement back")
	assert.True(t, q.Acknowledge(queueID(3)))
	assert.True(t, q.KeepsServerCookie(record(consent, second)), "§10: a withdraw sets no cookie: nothing new was set by the server")
	assert.False(t, q.Acknowledge(queueID(3)), "already delivered (by another tab, say)")

	assert.True(t, q.Acknowledge(queueID(4)))
	assert.True(t, q.KeepsServerCookie(record(other, first)), "a new choice (another consent id) acknowledged replaces the old one")
	assert.False(t, q.KeepsServerCookie(record(consent, second)))
	assert.Empty(t, q.Receipts)
}

func TestSendNextAfter(t *testing.T) {
	tests := []struct {
		status int
		want   bool
		why    string
	}{
		{200, true, "§10: a replay it already holds"},
		{201, true, "§10: stored"},
		{400, true, "§10: this receipt is refused; the next may be fine, and this one is kept and sent again later"},
		{403, true, "a refusal of this request"},
		{413, true, "too large: this receipt only"},
		{408, false, "the server timed out: try on a later page load"},
		{429, false, "§10: too many requests: slow down until a later page load"},
		{500, false, "the server failed"},
		{503, false, "the server is unavailable"},
		{0, false, "a network error"},
		{302, false, "a redirect (fetch follows them; one left is not a delivery)"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, SendNextAfter(tt.status), "%d: %s", tt.status, tt.why)
	}
}

func TestReceiptQueueRoundTrip(t *testing.T) {
	q := ReceiptQueue{Receipts: queuedRun(3, consentNow)}
	q.AckedConsentID, q.AckedUpdated = "9b2f1c0e-5d3a-4f6b-8c7d-0e1f2a3b4c5d", consentNow
	got, err := ParseReceiptQueue(q.Encode(), consentNow)
	require.NoError(t, err)
	assert.Equal(t, q, got)

	empty := ReceiptQueue{}
	assert.Equal(t, `{"v":1,"receipts":[]}`, empty.Encode())
	got, err = ParseReceiptQueue(empty.Encode(), consentNow)
	require.NoError(t, err)
	assert.Empty(t, got.Receipts)
}

func TestParseReceiptQueue(t *testing.T) {
	good := queued(1, consentNow, EventReceiptConsent, "9b2f1c0e-5d3a-4f6b-8c7d-0e1f2a3b4c5d", consentNow)
	item := func(id, at, body string) string {
		return `{"id":` + string(appendJSONString(nil, id)) + `,"queued":` + string(appendJSONString(nil, at)) + `,"body":` + string(appendJSONString(nil, body)) + `}`
	}
	goodItem := item(good.ID, "2026-11-28T15:04:05Z", good.Body)
	doc := func(items ...string) string { return `{"v":1,"receipts":[` + strings.Join(items, ",") + `]}` }

	tests := []struct {
		desc, stored string
		want         []int  // the receipts kept
		err          string // "" for none
	}{
		{"no entry: an empty queue", "", nil, ""},
		{"what Encode writes", doc(goodItem), []int{1}, ""},
		{"not JSON: dropped whole", `{"v":1,`, nil, "receipts: stored queue: line 1, column 8: unexpected end of input, expected a key in double quotes; dropped"},
		{"not an object", `[]`, nil, "receipts: stored queue is a JSON array, expected an object; dropped"},
		{"another format version", `{"v":2,"receipts":[]}`, nil, "receipts: stored queue: v is not 1; dropped"},
		{"no version", `{"receipts":[]}`, nil, "receipts: stored queue: v is missing; dropped"},
		{"receipts missing", `{"v":1}`, nil, "receipts: stored queue: receipts is not an array; dropped"},
		{"an item that is not an object goes, the others stay", doc(`1`, goodItem), []int{1}, `receipts: stored queue: receipts[0]: expected an object with "id", "queued" and "body"; dropped`},
		{"an extra key: not an item the widget wrote", doc(`{"id":"x","queued":"x","body":"x","more":1}`, goodItem), []int{1}, `receipts: stored queue: receipts[0]: expected an object with "id", "queued" and "body"; dropped`},
		{"a bad id", doc(item("1", "2026-11-28T15:04:05Z", good.Body)), nil, "receipts: stored queue: receipts[0]: id is not a version 4 UUID; dropped"},
		{"a bad time", doc(item(good.ID, "yesterday", good.Body)), nil, "receipts: stored queue: receipts[0]: queued is not a time; dropped"},
		{"a body that is not JSON", doc(item(good.ID, "2026-11-28T15:04:05Z", "{")), nil, "receipts: stored queue: receipts[0]: body is not a JSON object; dropped"},
		{"a body of another receipt: sending it would not be sending this one again", doc(item(queueID(2), "2026-11-28T15:04:05Z", good.Body)), nil, "receipts: stored queue: receipts[0]: body's receiptId is not its id; dropped"},
		{"§10: a body the server would refuse as too large (413) could never be delivered",
			doc(item(good.ID, "2026-11-28T15:04:05Z", `{"receiptId":"`+good.ID+`","pad":"`+strings.Repeat("x", MaxReceiptSize)+`"}`)), nil,
			"receipts: stored queue: receipts[0]: body of 8253 bytes, more than the server accepts; dropped"},
		{"a duplicate id is sent once", doc(goodItem, goodItem), []int{1}, `receipts: stored queue: receipts[1]: duplicate id "` + good.ID + `"; dropped`},
		{"§10: expired receipts go without an error", doc(item(good.ID, "2026-10-01T00:00:00Z", good.Body)), nil, ""},
		{"a bad acknowledgement is forgotten, the receipts stay", `{"v":1,"receipts":[` + goodItem + `],"acked":{"consentId":"x","updated":"y"}}`, []int{1},
			"receipts: stored queue: acked: not a consent id and an updated time; dropped"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			q, err := ParseReceiptQueue(tt.stored, consentNow)
			if tt.err == "" {
				assert.NoError(t, err)
			} else {
				assert.EqualError(t, err, tt.err)
			}
			assert.Equal(t, tt.want, ids(q))
			assert.Empty(t, q.AckedConsentID)
		})
	}
}

func TestParseReceiptQueueTooMany(t *testing.T) {
	// §10: at most 20: a stored queue with more (written by another script) keeps the newest.
	q := ReceiptQueue{Receipts: queuedRun(25, consentNow)}
	got, err := ParseReceiptQueue(q.Encode(), consentNow)
	require.NoError(t, err)
	assert.Equal(t, []int{5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24}, ids(got))
}

// FuzzParseReceiptQueue: the stored queue is untrusted (any script of the origin writes
// localStorage). Whatever it holds, parsing never panics, keeps the queue's rules, and what
// it keeps survives being written and read back unchanged.
func FuzzParseReceiptQueue(f *testing.F) {
	q := ReceiptQueue{Receipts: queuedRun(3, consentNow), AckedConsentID: "9b2f1c0e-5d3a-4f6b-8c7d-0e1f2a3b4c5d", AckedUpdated: consentNow}
	f.Add(q.Encode())
	f.Add(`{"v":1,"receipts":[]}`)
	f.Add(`{"v":1,"receipts":[1,{"id":"x"}],"acked":null}`)
	f.Add(`{"v":1.0,"receipts":{}}`)
	f.Add("")
	f.Fuzz(func(t *testing.T, stored string) {
		q, _ := ParseReceiptQueue(stored, consentNow)
		require.LessOrEqual(t, len(q.Receipts), MaxQueuedReceipts)
		seen := map[string]bool{}
		for _, r := range q.Receipts {
			require.True(t, isUUIDv4(r.ID))
			require.False(t, seen[r.ID], "duplicate id")
			seen[r.ID] = true
			require.LessOrEqual(t, len(r.Body), MaxReceiptSize)
			require.False(t, consentNow.After(r.Queued.Add(MaxReceiptAge)), "expired receipt kept")
		}
		again, err := ParseReceiptQueue(q.Encode(), consentNow)
		require.NoError(t, err)
		require.Equal(t, q.Receipts == nil, again.Receipts == nil || len(again.Receipts) == 0)
		if len(q.Receipts) > 0 {
			require.Equal(t, q.Receipts, again.Receipts)
		}
		require.Equal(t, q.AckedConsentID, again.AckedConsentID)
		require.True(t, q.AckedUpdated.Equal(again.AckedUpdated))
	})
}
