package main

import (
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/consentry/consentry/internal/bench"
)

// environment is what the report says about the run.
type environment struct {
	Chromium, Go, CPU string
	Cores             int
	Load              string // load averages when the run started
	Date              time.Time
	Runs, Throttle    int
	Elapsed           time.Duration
}

// pass is one set of interleaved runs, with or without throttling.
type pass struct {
	Name      string
	Runs      int
	Throttled bool
	results   map[string]*series
}

// series holds one contender's measurements in a pass.
type series struct {
	first, returning, warm []measurement
	click                  []measurement // the first click (none for static)
}

// failures lists the returning visits that painted a banner.
func (p *pass) failures() []string {
	var out []string
	for _, name := range bench.Contenders {
		s, n := p.results[name], 0
		for _, m := range append(slices.Clone(s.returning), s.warm...) {
			if m.bannerPainted {
				n++
			}
		}
		if n > 0 {
			out = append(out, fmt.Sprintf("%s painted a banner for a returning visitor who had accepted, in %d of %d loads", name, n, len(s.returning)+len(s.warm)))
		}
	}
	return out
}

// quantile is the q-quantile of xs, interpolated linearly between the closest ranks.
func quantile(xs []float64, q float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	pos := q * float64(len(s)-1)
	lo := int(math.Floor(pos))
	hi := int(math.Ceil(pos))
	return s[lo] + (s[hi]-s[lo])*(pos-float64(lo))
}

func field(ms []measurement, f func(measurement) float64) []float64 {
	out := make([]float64, len(ms))
	for i, m := range ms {
		out[i] = f(m)
	}
	return out
}

func spread(xs []float64) string {
	return fmt.Sprintf("%.0f (%.0f–%.0f)", quantile(xs, .5), quantile(xs, .25), quantile(xs, .75))
}

// row is one line of a table, as strings.
type row []string

var header = row{"contender", "wire KB (br)", "raw KB", "banner ms, median (p25–p75)", "returning: gated script ms, median (p25–p75)",
	"warm returning: gated script ms, median (p25–p75)", "main-thread task ms, median", "long tasks after banner, max (all)", "CLS, max"}

// ratioHeader heads the table of ratios: each median of the first table divided by the
// floor's, vanilla-cookieconsent's and klaro's.
var ratioHeader = row{"contender", "wire (br) ÷ floor / vanilla / klaro", "banner ÷ floor / vanilla / klaro",
	"returning ÷ floor / vanilla / klaro", "warm returning ÷ floor / vanilla / klaro", "task ms ÷ floor / vanilla / klaro"}

// ratioRows divides each contender's medians by those of the floor and of the two
// JavaScript widgets.
func (p *pass) ratioRows() []row {
	figures := []func(s *series) float64{
		func(s *series) float64 {
			return quantile(field(s.first, func(m measurement) float64 { return m.wireBytes }), .5)
		},
		func(s *series) float64 {
			return quantile(field(s.first, func(m measurement) float64 { return m.bannerMS }), .5)
		},
		func(s *series) float64 {
			return quantile(field(s.returning, func(m measurement) float64 { return m.gatedMS }), .5)
		},
		func(s *series) float64 {
			return quantile(field(s.warm, func(m measurement) float64 { return m.gatedMS }), .5)
		},
		func(s *series) float64 {
			return quantile(field(s.first, func(m measurement) float64 { return m.taskMS }), .5)
		},
	}
	var rows []row
	for _, name := range bench.Contenders {
		r := row{name}
		for _, f := range figures {
			var cells []string
			for _, to := range []string{bench.Floor, bench.Vanilla, bench.Klaro} {
				cells = append(cells, fmt.Sprintf("%.2f×", f(p.results[name])/f(p.results[to])))
			}
			r = append(r, strings.Join(cells, " / "))
		}
		rows = append(rows, r)
	}
	return rows
}

func (p *pass) rows() []row {
	var rows []row
	for _, name := range bench.Contenders {
		s := p.results[name]
		maxLT, maxAll, maxCLS := 0, 0, 0.0
		for _, m := range s.first {
			maxLT = max(maxLT, m.longTasksAfter)
			maxAll = max(maxAll, m.longTasks)
			maxCLS = max(maxCLS, m.cls)
		}
		gated := func(loads []measurement) string {
			painted := 0
			for _, m := range loads {
				if m.bannerPainted {
					painted++
				}
			}
			text := spread(field(loads, func(m measurement) float64 { return m.gatedMS }))
			if name == bench.Static {
				text += " ¹"
			}
			if painted > 0 {
				return text + fmt.Sprintf(" FAIL: banner painted in %d/%d", painted, len(loads))
			}
			return text + ", no banner"
		}
		rows = append(rows, row{
			name,
			fmt.Sprintf("%.1f", quantile(field(s.first, func(m measurement) float64 { return m.wireBytes }), .5)/1000),
			fmt.Sprintf("%.1f", quantile(field(s.first, func(m measurement) float64 { return m.rawBytes }), .5)/1000),
			spread(field(s.first, func(m measurement) float64 { return m.bannerMS })),
			gated(s.returning),
			gated(s.warm),
			fmt.Sprintf("%.0f", quantile(field(s.first, func(m measurement) float64 { return m.taskMS }), .5)),
			fmt.Sprintf("%d (%d)", maxLT, maxAll),
			fmt.Sprintf("%.4f", maxCLS),
		})
	}
	return rows
}

// clickHeader heads the table of the first click (1.1): what a visitor who answers the
// banner at once waits for.
var clickHeader = row{"contender", "first click: banner ms, median", "module ready ms, median (p25–p75)",
	"first click: choice stored ms, median (p25–p75)", "banner ÷ vanilla", "choice stored ÷ floor / vanilla / klaro"}

// clickRows are the first-click scenario's medians; the module-ready column is Consentry's
// consentry:ready ("—" for the others, which have no module apart from their banner).
func (p *pass) clickRows() []row {
	med := func(ms []measurement, f func(measurement) float64) float64 { return quantile(field(ms, f), .5) }
	stored := func(m measurement) float64 { return m.storedMS }
	var rows []row
	for _, name := range bench.Contenders {
		s := p.results[name]
		if len(s.click) == 0 {
			continue
		}
		ready := "—"
		if s.click[0].readyMS >= 0 {
			ready = spread(field(s.click, func(m measurement) float64 { return m.readyMS }))
		}
		var ratios []string
		for _, to := range []string{bench.Floor, bench.Vanilla, bench.Klaro} {
			ratios = append(ratios, fmt.Sprintf("%.2f×", med(s.click, stored)/med(p.results[to].click, stored)))
		}
		banner := func(m measurement) float64 { return m.bannerMS }
		rows = append(rows, row{
			name,
			fmt.Sprintf("%.0f", med(s.click, banner)),
			ready,
			spread(field(s.click, stored)),
			fmt.Sprintf("%.2f×", med(s.first, banner)/med(p.results[bench.Vanilla].first, banner)),
			strings.Join(ratios, " / "),
		})
	}
	return rows
}

// tables are the pass's tables, header first.
func (p *pass) tables() [][]row {
	return [][]row{append([]row{header}, p.rows()...), append([]row{ratioHeader}, p.ratioRows()...),
		append([]row{clickHeader}, p.clickRows()...)}
}

func (p *pass) title() string {
	if p.Throttled {
		return fmt.Sprintf("Throttled (latency %d ms, %.1f Mbit/s down, %.0f kbit/s up), N = %d", throttleLatencyMS, throttleDown*8/1e6, throttleUp*8/1e3, p.Runs)
	}
	return fmt.Sprintf("Unthrottled (local server, no network emulation), N = %d", p.Runs)
}

const staticNote = "¹ static's returning page has no banner and runs the same script ungated: the lower bound."

func textReport(env environment, passes []*pass) string {
	var b strings.Builder
	fmt.Fprintf(&b, "\nmake bench: %s\n", env.Date.Format("2006-01-02 15:04 MST"))
	fmt.Fprintf(&b, "Chromium:   %s (headless)\nGo:         %s\nCPU:        %s, %d cores, load average %s at start\nN:          %d unthrottled, %d throttled runs per contender and scenario (took %s)\n",
		env.Chromium, env.Go, env.CPU, env.Cores, env.Load, env.Runs, env.Throttle, env.Elapsed.Round(time.Second))
	for _, p := range passes {
		fmt.Fprintf(&b, "\n%s\n", p.title())
		for _, table := range p.tables() {
			tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
			for _, r := range table {
				fmt.Fprintln(tw, strings.Join(r, "\t")+"\t")
			}
			tw.Flush()
			b.WriteString("\n")
		}
	}
	fmt.Fprintf(&b, "\n%s\n", staticNote)
	return b.String()
}

func markdownReport(env environment, passes []*pass, reading string) string {
	var b strings.Builder
	b.WriteString("# Performance: Consentry against the floor, a static page and two JavaScript consent managers\n\n")
	b.WriteString("Written by `make bench` (`go run ./cmd/bench -o docs/performance.md`); run it again to refresh the numbers.\n\n")
	fmt.Fprintf(&b, "- Date: %s\n", env.Date.Format("2006-01-02 15:04 MST"))
	fmt.Fprintf(&b, "- Machine: %s, %d cores, load average %s (1, 5, 15 min) at start\n", env.CPU, env.Cores, env.Load)
	fmt.Fprintf(&b, "- Browser: %s, headless, one browser for the whole run\n", env.Chromium)
	fmt.Fprintf(&b, "- Go: %s\n", env.Go)
	fmt.Fprintf(&b, "- Runs: N = %d per contender and scenario unthrottled, %d throttled (the whole run took %s)\n\n", env.Runs, env.Throttle, env.Elapsed.Round(time.Second))
	for _, p := range passes {
		fmt.Fprintf(&b, "## %s\n\n", p.title())
		for _, table := range p.tables() {
			b.WriteString("| " + strings.Join(table[0], " | ") + " |\n")
			b.WriteString("|" + strings.Repeat(" --- |", len(table[0])) + "\n")
			for _, r := range table[1:] {
				b.WriteString("| " + strings.Join(r, " | ") + " |\n")
			}
			b.WriteString("\n")
		}
	}
	b.WriteString(staticNote + "\n\n")
	b.WriteString(methodSection)
	b.WriteString("\n" + readingHeading + "\n\n" + reading)
	return b.String()
}

// readingHeading starts the part of docs/performance.md written by hand: a new report keeps
// it, so that refreshing the numbers does not erase their reading (which then needs
// checking against them).
const readingHeading = "## Reading"

// keptReading returns what follows readingHeading in the report at path, or a placeholder.
func keptReading(path string) string {
	b, err := os.ReadFile(path)
	if err == nil {
		if _, after, ok := strings.Cut(string(b), "\n"+readingHeading+"\n"); ok {
			return strings.TrimLeft(after, "\n")
		}
	}
	return "<!-- To be written: what these numbers say about Consentry. -->\n"
}

const methodSection = `## Method

The contenders, each served by one local HTTP server (plain http on 127.0.0.1) under its own
path prefix, from memory, brotli-compressed (quality 11) when the browser accepts it, with
its Content-Type (application/wasm for WebAssembly) and Content-Length; pages are sent
with Cache-Control: no-store, every other file may be cached for a year (only the warm
returning visitor's second load can use that). Every page has the same body (a heading and three paragraphs) and
a data: favicon, so the only difference is the consent banner.

- **static**: the banner written in the HTML, no script: the lower bound.
- **floor**: ` + "`internal/sizebaseline/banner`" + `, a Go WebAssembly program that uses only
  github.com/hack-pad/safejs to add a fixed bottom bar with a paragraph and two buttons
  ("Accept all", "Reject all"), built with the flags of ` + "`make size`" + `'s baselines
  (` + "`-trimpath -ldflags='-s -w'`" + `; the widget is also built with ` + "`-gcflags=all=-l`" + `). It is loaded as
  Consentry is: one async script made of Go's wasm_exec.js and a loader that calls
  ` + "`WebAssembly.instantiateStreaming(fetch(wasm), go.importObject)`" + `. For a returning
  visitor it reads its cookie and, instead of the banner, sets the gated script's
  timestamp: the least any Go widget must do before a gated script may run.
- **consentry**: the ` + "`make dist`" + ` folder (consentry.js, the hashed wasm, policy.json and their
  own .br copies) with the script tag of CONTRACT.md §2 and the default policy (a required
  ` + "`necessary`" + ` and an optional ` + "`statistics`" + ` category), and one gated
  ` + "`<script type=\"text/plain\" data-category=\"statistics\">`" + `, after the README's
  ` + "`<link rel=\"preload\" href=\"…/policy.json\" as=\"fetch\" crossorigin>`" + `: the
  recommended integration, where the policy downloads alongside consentry.js.
- **consentry-one-tag**: the same page with the script tag alone: the built-in banner
  (CONTRACT.md §9) then waits one more round trip, for the policy consentry.js asks for.
- **vanilla-cookieconsent** 3.1.0 and **klaro** 0.7.22: their dist builds from node_modules
  (cookieconsent.umd.js + cookieconsent.css; klaro-no-css.js + klaro.min.css), configured
  alike: a required "necessary" category and an optional statistics/analytics category,
  English texts, "Accept all" and "Reject all" on the banner, a bottom bar, shown on the
  first visit, and one gated script in each library's own markup
  (` + "`type=\"text/plain\" data-category=\"analytics\"`" + `; ` + "`type=\"text/plain\" data-type=\"text/javascript\" data-name=\"analytics\"`" + `).

Each measurement opens a new tab in a new incognito browser context (empty cache, cookies
and storage) and navigates to the contender's page. Runs are interleaved: run i measures
every contender, starting with a different one each run: first visit, returning visit,
warm returning visit.
An injected script (Page.addScriptToEvaluateOnNewDocument, before any script of the page)
does the in-page measurements.

| column | what it measures, and how |
| --- | --- |
| wire KB (br) | median over the runs of the sum of ` + "`encodedDataLength`" + ` of Network.loadingFinished for every response of the first visit (headers included), in kB (1000 bytes) |
| raw KB | the same for the decoded bodies: the sum of ` + "`dataLength`" + ` of Network.dataReceived |
| banner ms | performance.now() (ms since navigation start) in the first requestAnimationFrame callback in which the contender's banner root (static and floor: their div; Consentry: ` + "`[part~=banner]`" + ` in the shadow root of ` + "`#consentry-root`" + `; vanilla-cookieconsent: ` + "`#cc-main .cm`" + `; klaro: ` + "`#klaro .cookie-notice`" + ` without ` + "`cookie-notice-hidden`" + `) is connected, has a non-empty box and passes ` + "`checkVisibility({opacityProperty: true, visibilityProperty: true})`" + `; median and 25th–75th percentiles |
| returning: gated script ms | a second scenario: the stored consent of an "accept all" is seeded before navigation (cookies through Network.setCookies, localStorage through an injected script), as recorded once, at the start of the benchmark, in a throwaway context by clicking the banner's accept-all button (the run stops if the gated script does not run after that click); ms from navigation start to the moment the gated script runs (it sets ` + "`window.__benchGatedAt = performance.now()`" + `). The frame loop keeps looking for the banner until 500 ms after that; a banner seen is reported as a failure and makes the run exit non-zero |
| warm returning: gated script ms | the same as the returning visitor, but the measured load is the second of the page in its context: the first (not measured) filled the HTTP cache, which may keep every file but the pages (the server sends ` + "`Cache-Control: public, max-age=31536000, immutable`" + ` for them, as a site should for a content-hashed wasm), and Chromium may reuse the code it compiled; wire KB of the other columns are those of the first visit |
| main-thread task ms | Performance.getMetrics ` + "`TaskDuration`" + ` (renderer main thread) after the wait minus before the navigation; the wait ends 1 s after the banner, or at the load event if that is later (for Consentry, whose banner may now come before its module, 1 s after ` + "`consentry:ready`" + ` if that is later, so that the module's download and start are counted in this column, in wire and raw KB and in the long tasks) |
| long tasks after banner (all) | the largest number, over the runs, of ` + "`longtask`" + ` entries (tasks over 50 ms; PerformanceObserver, buffered, registered by the injected script) that start after the banner and before the end of the wait; in brackets the largest number of long tasks of the whole load, before the banner included |
| CLS | the largest, over the runs, of the sum of ` + "`layout-shift`" + ` values without recent input (PerformanceObserver, buffered) until the end of the wait |
| … ÷ floor / vanilla / klaro | the second table: the contender's median of that column divided by the same median of the floor, of vanilla-cookieconsent and of klaro |
| first click: choice stored ms | (1.1) the third table, a fourth scenario (a first visit, all but static): the injected script clicks the banner's accept-all button in the first frame that shows the banner, and records when the choice is first stored: the first write of a cookie (Document.prototype.cookie's setter, wrapped) or of localStorage after the click that is not a deletion; median and 25th–75th percentiles. Consentry's built-in banner (CONTRACT.md §9) keeps the click until its module is ready, so this is when the choice takes effect |
| module ready ms | in the same loads, Consentry's ` + "`consentry:ready`" + ` event: when its module has started, taken the banner over and (for the first click) recorded the choice |
| first click: banner ms, banner ÷ vanilla | the banner in the first-click loads, and the first visit's banner median divided by vanilla-cookieconsent's |

The throttled pass repeats everything with Network.emulateNetworkConditionsByRule (the
non-deprecated form of Network.emulateNetworkConditions) for every request: 150 ms latency,
1.6 Mbit/s down, 750 kbit/s up. CPU is not throttled.
`
