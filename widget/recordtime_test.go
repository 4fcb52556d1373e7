package widget

import (
	"crypto/sha256"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestRecordTimeMatchesPackageTime(t *testing.T) {
	times := []time.Time{
		consentNow,
		time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC),
		time.Date(2024, 2, 29, 12, 0, 0, 0, time.UTC),
		time.Date(2026, 3, 29, 1, 30, 0, 999_999_999, time.FixedZone("CEST", 2*3600)),
		time.Unix(0, 0),
	}
	for _, tm := range times {
		want := tm.UTC().Format(recordTimeLayout)
		assert.Equal(t, want, formatRecordTime(tm), "format %v", tm)
		got, ok := parseRecordTime(want)
		if assert.True(t, ok, want) {
			assert.True(t, got.Equal(tm.UTC().Truncate(time.Second)), "parse %s: %v", want, got)
			assert.Equal(t, time.UTC, got.Location())
		}
	}
}

func TestParseRecordTimeRefuses(t *testing.T) {
	for _, s := range []string{
		"",
		"2026-11-28T15:04:05",
		"2026-11-28T15:04:05z",
		"2026-11-28 15:04:05Z",
		"2026-11-28T15:04:05+00:00",
		"2026-11-28T15:04:05.0Z",
		"2026-02-29T00:00:00Z", // not a leap year
		"2026-04-31T00:00:00Z",
		"2026-13-01T00:00:00Z",
		"2026-00-01T00:00:00Z",
		"2026-11-00T00:00:00Z",
		"2026-11-28T24:00:00Z",
		"2026-11-28T23:60:00Z",
		"2026-11-28T23:59:60Z", // leap seconds are not written
		"2026-1a-28T15:04:05Z",
		"+026-11-28T15:04:05Z",
		"2026-11-28T15:04:0５Z",
	} {
		_, ok := parseRecordTime(s)
		assert.False(t, ok, "%q", s)
		_, err := time.Parse(recordTimeLayout, s)
		if err == nil {
			// package time is laxer in places; it must at least not write s back.
			tm, _ := time.Parse(recordTimeLayout, s)
			assert.NotEqual(t, s, tm.Format(recordTimeLayout), "%q", s)
		}
	}
}

func FuzzRecordTime(f *testing.F) {
	f.Add("2026-11-28T15:04:05Z")
	f.Add("2024-02-29T23:59:59Z")
	f.Add("2026-04-31T00:00:00Z")
	f.Fuzz(func(t *testing.T, s string) {
		tm, ok := parseRecordTime(s)
		ref, err := time.Parse(recordTimeLayout, s)
		refOK := err == nil && ref.Format(recordTimeLayout) == s
		if ok != refOK {
			t.Fatalf("parseRecordTime(%q) ok=%v, package time says %v", s, ok, refOK)
		}
		if ok && (!tm.Equal(ref) || formatRecordTime(tm) != s) {
			t.Fatalf("parseRecordTime(%q) = %v, package time %v", s, tm, ref)
		}
	})
}

func TestSum256MatchesCryptoSHA256(t *testing.T) {
	data := make([]byte, 300)
	for i := range data {
		data[i] = byte(i * 7)
	}
	// Every length around the block and padding boundaries (55, 56, 63, 64, 119, 120…).
	for n := 0; n <= len(data); n++ {
		assert.Equal(t, sha256.Sum256(data[:n]), sum256(data[:n]), "length %d", n)
	}
}

func FuzzSum256(f *testing.F) {
	f.Add([]byte("statistics,statistics/analytics"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if sha256.Sum256(data) != sum256(data) {
			t.Fatalf("sum256(%x) differs from crypto/sha256", data)
		}
	})
}

func TestCivilDaysMatchPackageTime(t *testing.T) {
	// Every day from year -400 to year 10400: several 400-year eras on both sides of 1970.
	first := time.Date(-400, 1, 1, 0, 0, 0, 0, time.UTC).Unix() / secondsPerDay
	last := time.Date(10400, 12, 31, 0, 0, 0, 0, time.UTC).Unix() / secondsPerDay
	for days := first; days <= last; days++ {
		want := time.Unix(days*secondsPerDay, 0).UTC()
		year, month, day := civilFromDays(days)
		if int(year) != want.Year() || month != int(want.Month()) || day != want.Day() {
			t.Fatalf("civilFromDays(%d) = %d-%d-%d, want %v", days, year, month, day, want)
		}
		if got := daysFromCivil(year, month, day); got != days {
			t.Fatalf("daysFromCivil(%d, %d, %d) = %d, want %d", year, month, day, got, days)
		}
		if day == 1 && daysIn(int(year), month) != time.Date(int(year), time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day() {
			t.Fatalf("daysIn(%d, %d) = %d", year, month, daysIn(int(year), month))
		}
	}
}
