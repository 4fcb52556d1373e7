package receipts

import (
	"bytes"
	"testing"
	"time"
)

// The CPU cost of the steps of one receipt, without I/O (make bench-receipts measures the
// whole endpoint over loopback).
func BenchmarkDecodeReceipt(b *testing.B) {
	body := []byte(contractExample)
	for b.Loop() {
		if _, err := DecodeReceipt(bytes.NewReader(body)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCheckAndCanonical(b *testing.B) {
	ps := testPolicies(b)
	rc, err := DecodeReceipt(bytes.NewReader([]byte(contractExample)))
	if err != nil {
		b.Fatal(err)
	}
	now := rc.Updated.Add(time.Hour)
	for b.Loop() {
		if err := ps.Check(rc, now); err != nil {
			b.Fatal(err)
		}
		rc.canonical()
		entryHash(genesisHash, &Entry{Body: rc.canonical()})
	}
}
