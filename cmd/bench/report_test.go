package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/consentry/consentry/internal/bench"
)

func TestQuantile(t *testing.T) {
	xs := []float64{40, 10, 30, 20}
	assert.Equal(t, 10.0, quantile(xs, 0))
	assert.Equal(t, 25.0, quantile(xs, .5))
	assert.Equal(t, 17.5, quantile(xs, .25))
	assert.Equal(t, 40.0, quantile(xs, 1))
	assert.Equal(t, []float64{40, 10, 30, 20}, xs, "the input is not reordered")
}

// testPass builds a pass in which each contender's every figure is its index + 1 times
// base, so that every ratio is known.
func testPass() *pass {
	p := &pass{Name: "unthrottled", Runs: 2, results: map[string]*series{}}
	for i, name := range bench.Contenders {
		k := float64(i + 1)
		m := measurement{wireBytes: 1000 * k, rawBytes: 4000 * k, bannerMS: 100 * k, gatedMS: 50 * k, taskMS: 80 * k}
		w := m
		w.gatedMS = 20 * k
		c := m
		c.storedMS, c.readyMS = 200*k, -1
		if bench.IsConsentry(name) {
			c.readyMS = 250
		}
		p.results[name] = &series{first: []measurement{m, m}, returning: []measurement{m, m}, warm: []measurement{w, w}, click: []measurement{c, c}}
	}
	return p
}

func TestRatioRows(t *testing.T) {
	rows := testPass().ratioRows()
	require.Len(t, rows, len(bench.Contenders))
	// Contenders: static 1, floor 2, consentry 3, consentry-one-tag 4, vanilla 5, klaro 6.
	consentry := rows[2]
	assert.Equal(t, "consentry", consentry[0])
	for _, cell := range consentry[1:] {
		assert.Equal(t, "1.50× / 0.60× / 0.50×", cell)
	}
}

func TestMarkdownReportKeepsTheReading(t *testing.T) {
	path := filepath.Join(t.TempDir(), "performance.md")
	assert.Contains(t, keptReading(path), "To be written", "no report yet: a placeholder")

	env := environment{Chromium: "Chrome/1", Go: "go1", CPU: "cpu", Cores: 2, Load: "1, 1, 1", Date: time.Date(2026, 11, 28, 20, 0, 0, 0, time.UTC), Runs: 2}
	reading := "Consentry is slower than the floor.\n"
	require.NoError(t, os.WriteFile(path, []byte(markdownReport(env, []*pass{testPass()}, reading)), 0o644))
	assert.Equal(t, reading, keptReading(path))

	md := markdownReport(env, []*pass{testPass()}, keptReading(path))
	assert.True(t, strings.HasSuffix(md, "\n## Reading\n\n"+reading), md)
	assert.Contains(t, md, "| consentry | 3.0 | 12.0 | 300 (300–300) | 150 (150–150), no banner | 60 (60–60), no banner | 240 | 0 (0) | 0.0000 |")
	assert.Contains(t, md, "| consentry | 1.50× / 0.60× / 0.50× |")
	assert.Contains(t, md, "| consentry | 300 | 250 (250–250) | 600 (600–600) | 0.60× | 1.50× / 0.60× / 0.50× |")
	assert.Contains(t, md, "| consentry-one-tag | 400 | 250 (250–250) | 800 (800–800) | 0.80× | 2.00× / 0.80× / 0.67× |")
	assert.Contains(t, md, "| vanilla-cookieconsent | 500 | — | 1000 (1000–1000) | 1.00× | 2.50× / 1.00× / 0.83× |")
}
