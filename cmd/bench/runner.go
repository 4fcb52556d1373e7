package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/performance"
	"github.com/chromedp/chromedp"

	"github.com/consentry/consentry/internal/bench"
)

// Network conditions of the throttled pass: 150 ms latency, 1.6 Mbit/s down, 750 kbit/s
// up (bytes per second for the protocol).
const (
	throttleLatencyMS = 150
	throttleDown      = 1.6e6 / 8
	throttleUp        = 750e3 / 8
)

// afterBanner is how long the main-thread time is counted after the banner appears.
const afterBanner = time.Second

// afterGated is how long a returning visit is watched for a banner after its gated script
// ran.
const afterGated = 500 * time.Millisecond

// stored is what a contender keeps of an "accept all": cookies and localStorage.
type stored struct {
	cookies []*network.Cookie
	local   map[string]string
}

type runner struct {
	browserCtx context.Context
	base       string
	timeout    time.Duration
	verbose    bool
	stored     map[string]stored
}

// snapshot is what the page reports through window.__bench.
type snapshot struct {
	BannerAt  *float64     `json:"bannerAt"`
	GatedAt   *float64     `json:"gatedAt"`
	LongTasks [][2]float64 `json:"longTasks"`
	CLS       float64      `json:"cls"`
	Errors    []string     `json:"errors"`
	Now       float64      `json:"now"`
	Clicked   bool         `json:"clicked"`
	ClickAt   *float64     `json:"clickAt"`
	StoredAt  *float64     `json:"storedAt"`
	ReadyAt   *float64     `json:"readyAt"`
}

const snapshotJS = `({ bannerAt: window.__bench.bannerAt, gatedAt: window.__benchGatedAt === undefined ? null : window.__benchGatedAt,
  longTasks: window.__bench.longTasks, cls: window.__bench.cls, errors: window.__bench.errors, now: performance.now(),
  clickAt: window.__bench.clickAt, storedAt: window.__bench.storedAt, readyAt: window.__bench.readyAt })`

// tab opens a fresh tab in a new browser context (empty cache, cookies and storage), with
// the probe installed, and returns its context with the run's deadline.
func (r *runner) tab(name string, returning bool) (context.Context, context.CancelFunc, error) {
	return r.tabWith(bench.InitScript(bench.Probes[name], returning))
}

// tabWith is tab with the given probe script.
func (r *runner) tabWith(probe string) (context.Context, context.CancelFunc, error) {
	tabCtx, cancelTab := chromedp.NewContext(r.browserCtx, chromedp.WithNewBrowserContext())
	if err := chromedp.Do(tabCtx); err != nil {
		cancelTab()
		return nil, nil, fmt.Errorf("open tab: %w", err)
	}
	ctx, cancel := context.WithTimeout(tabCtx, r.timeout+30*time.Second)
	stop := func() { cancel(); cancelTab() }
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument,
		page.AddScriptToEvaluateOnNewDocumentParams{Source: probe}); err != nil {
		stop()
		return nil, nil, err
	}
	return ctx, stop, nil
}

// capture records what name stores when the visitor accepts all: in a throwaway context,
// open the page, wait for the banner, click its accept-all button, check that the gated
// script ran, and read the cookies and localStorage.
func (r *runner) capture(name string) error {
	if r.stored == nil {
		r.stored = map[string]stored{}
	}
	if name == bench.Static {
		return nil // nothing to store: its returning page has no banner
	}
	ctx, stop, err := r.tab(name, false)
	if err != nil {
		return err
	}
	defer stop()
	url := r.base + bench.FirstVisitPath(name)
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		return fmt.Errorf("%s: navigate: %w", name, err)
	}
	js := fmt.Sprintf(`Promise.race([window.__bench.seen, new Promise((r) => setTimeout(r, %d))]).then(async () => {
  const s = %s;
  if (s.bannerAt === null) return s;
  const b = (%s);
  s.clicked = !!b;
  if (b) b.click();
  await Promise.race([window.__bench.gated, new Promise((r) => setTimeout(r, 5000))]);
  await new Promise((r) => setTimeout(r, 300));
  return Object.assign(s, { gatedAt: window.__benchGatedAt === undefined ? null : window.__benchGatedAt });
})`, r.timeout.Milliseconds(), snapshotJS, bench.Probes[name].Accept)
	s, err := chromedp.Run(ctx, chromedp.Evaluate[snapshot](js, chromedp.EvalAwaitPromise))
	if err != nil {
		return fmt.Errorf("%s: accept all: %w", name, err)
	}
	switch {
	case s.BannerAt == nil:
		return fmt.Errorf("%s: no banner within %v at %s (probe errors: %q)", name, r.timeout, url, s.Errors)
	case !s.Clicked:
		return fmt.Errorf("%s: the banner has no accept-all button the benchmark can find", name)
	case s.GatedAt == nil:
		return fmt.Errorf("%s: the gated statistics script did not run after accept all: check the page's configuration", name)
	}
	cookies, err := chromedp.Call(ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{url}})
	if err != nil {
		return err
	}
	local, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]string](`Object.fromEntries(Object.entries(localStorage))`))
	if err != nil {
		return err
	}
	if len(cookies.Cookies) == 0 && len(local) == 0 {
		return fmt.Errorf("%s: accept all stored neither a cookie nor localStorage", name)
	}
	r.stored[name] = stored{cookies: cookies.Cookies, local: local}
	var names []string
	for _, c := range cookies.Cookies {
		names = append(names, "cookie "+c.Name)
	}
	for k := range local {
		names = append(names, "localStorage "+k)
	}
	fmt.Fprintf(os.Stderr, "bench:   %-22s stores %v\n", name, names)
	return nil
}

// runPass measures every contender p.Runs times in both scenarios, interleaved: run i
// starts with contender i mod n.
func (r *runner) runPass(p *pass) error {
	p.results = map[string]*series{}
	for _, name := range bench.Contenders {
		p.results[name] = &series{}
	}
	n := len(bench.Contenders)
	for i := range p.Runs {
		fmt.Fprintf(os.Stderr, "bench: %s run %d/%d\n", p.Name, i+1, p.Runs)
		for j := range n {
			name := bench.Contenders[(i+j)%n]
			first, err := r.measure(name, false, p.Throttled, coldCache)
			if err != nil {
				return fmt.Errorf("%s pass, run %d, %s: %w", p.Name, i+1, name, err)
			}
			p.results[name].first = append(p.results[name].first, first)
			ret, err := r.measure(name, true, p.Throttled, coldCache)
			if err != nil {
				return fmt.Errorf("%s pass, run %d, %s (returning visitor): %w", p.Name, i+1, name, err)
			}
			p.results[name].returning = append(p.results[name].returning, ret)
			warm, err := r.measure(name, true, p.Throttled, warmCache)
			if err != nil {
				return fmt.Errorf("%s pass, run %d, %s (warm returning visitor): %w", p.Name, i+1, name, err)
			}
			p.results[name].warm = append(p.results[name].warm, warm)
			if name == bench.Static {
				continue // no button to click
			}
			click, err := r.measureClick(name, p.Throttled)
			if err != nil {
				return fmt.Errorf("%s pass, run %d, %s (first click): %w", p.Name, i+1, name, err)
			}
			p.results[name].click = append(p.results[name].click, click)
		}
	}
	return nil
}

// measurement is one page load.
type measurement struct {
	wireBytes, rawBytes float64
	bannerMS            float64 // first visit: navigation start to the banner's first frame
	gatedMS             float64 // returning visit: navigation start to the gated script
	taskMS              float64 // main-thread task time, navigation to banner + 1 s
	longTasksAfter      int     // long tasks starting after the banner
	longTasks           int
	cls                 float64
	bannerPainted       bool // returning visit: a banner was shown (a failure)
	// The first click: navigation start to the choice being stored (a cookie or
	// localStorage written) when accept-all is clicked in the banner's first frame, and to
	// consentry:ready (Consentry only; -1 for the others).
	storedMS, readyMS float64
}

// Whether a returning visitor's measured load finds the files in the browser's caches.
const (
	coldCache = false // a fresh context: the first load of the context is measured
	warmCache = true  // the same page is loaded once first, in the same context
)

// measure loads name's page in a fresh browser context and measures that load, or, with
// warm, the second load of the page in that context: its files come from the HTTP cache
// (the server lets them be kept) and Chromium may reuse what it compiled the first time.
func (r *runner) measure(name string, returning, throttled, warm bool) (measurement, error) {
	var m measurement
	ctx, stop, err := r.tab(name, returning)
	if err != nil {
		return m, err
	}
	defer stop()
	if err := throttle(ctx, throttled); err != nil {
		return m, err
	}
	url := r.base + bench.FirstVisitPath(name)
	if returning {
		url = r.base + bench.ReturningPath(name)
		st := r.stored[name]
		var params []*network.CookieParam
		for _, c := range st.cookies {
			params = append(params, &network.CookieParam{
				Name: c.Name, Value: c.Value, URL: r.base + "/", Path: c.Path, SameSite: c.SameSite,
			})
		}
		if len(params) > 0 {
			if _, err := chromedp.Call(ctx, network.SetCookies, network.SetCookiesParams{Cookies: params}); err != nil {
				return m, fmt.Errorf("seed cookies: %w", err)
			}
		}
		if len(st.local) > 0 {
			items, _ := json.Marshal(st.local)
			src := fmt.Sprintf(`(() => { if (window.top !== window) return; for (const [k, v] of Object.entries(%s)) localStorage.setItem(k, v); })();`, items)
			if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument,
				page.AddScriptToEvaluateOnNewDocumentParams{Source: src}); err != nil {
				return m, err
			}
		}
	}
	if _, err := chromedp.Call(ctx, performance.Enable, performance.EnableParams{}); err != nil {
		return m, err
	}

	var mu sync.Mutex
	if err := chromedp.Listen(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch ev := ev.(type) {
		case *network.EventLoadingFinished:
			m.wireBytes += ev.EncodedDataLength
		case *network.EventDataReceived:
			m.rawBytes += float64(ev.DataLength)
		}
	}); err != nil {
		return m, err
	}
	if warm {
		if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
			return m, fmt.Errorf("navigate to %s (to warm the caches): %w", url, err)
		}
		warmUp := fmt.Sprintf(`Promise.race([window.__bench.gated, new Promise((r) => setTimeout(r, %d))]).then(
  () => new Promise((r) => setTimeout(r, %d))).then(() => { window.__bench.stop = true; return window.__benchGatedAt !== undefined; })`,
			r.timeout.Milliseconds(), afterGated.Milliseconds())
		ran, err := chromedp.Run(ctx, chromedp.Evaluate[bool](warmUp, chromedp.EvalAwaitPromise))
		if err != nil {
			return m, fmt.Errorf("warm-up load of %s: %w", url, err)
		}
		if !ran {
			return m, fmt.Errorf("the gated script did not run within %v in the warm-up load of %s", r.timeout, url)
		}
		mu.Lock()
		m.wireBytes, m.rawBytes = 0, 0 // only the measured load counts
		mu.Unlock()
	}
	task0, err := taskDuration(ctx)
	if err != nil {
		return m, err
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		return m, fmt.Errorf("navigate to %s: %w", url, err)
	}

	var js string
	if !returning {
		// Consentry's banner comes before its module (CONTRACT.md §9): the wait also covers
		// the module's download and start, until 1 s after consentry:ready, so that the
		// bytes, the main-thread time and the long tasks after the banner include them.
		module := "false"
		if bench.IsConsentry(name) {
			module = "true"
		}
		js = fmt.Sprintf(`(async () => {
  const B = window.__bench;
  const limit = %d - performance.now();
  await Promise.race([B.seen, new Promise((r) => setTimeout(r, Math.max(0, limit)))]);
  if (B.bannerAt !== null) await new Promise((r) => setTimeout(r, Math.max(0, B.bannerAt + %d - performance.now())));
  if (%s) {
    await Promise.race([B.ready, new Promise((r) => setTimeout(r, Math.max(0, %d - performance.now())))]);
    if (B.readyAt !== null) await new Promise((r) => setTimeout(r, Math.max(0, B.readyAt + %d - performance.now())));
  }
  return %s;
})()`, r.timeout.Milliseconds(), afterBanner.Milliseconds(), module, r.timeout.Milliseconds(), afterBanner.Milliseconds(), snapshotJS)
	} else {
		js = fmt.Sprintf(`(async () => {
  const B = window.__bench;
  const limit = %d - performance.now();
  await Promise.race([B.gated, new Promise((r) => setTimeout(r, Math.max(0, limit)))]);
  await new Promise((r) => setTimeout(r, %d));
  B.stop = true;
  return %s;
})()`, r.timeout.Milliseconds(), afterGated.Milliseconds(), snapshotJS)
	}
	s, err := chromedp.Run(ctx, chromedp.Evaluate[snapshot](js, chromedp.EvalAwaitPromise))
	if err != nil {
		return m, fmt.Errorf("wait on %s: %w", url, err)
	}
	task1, err := taskDuration(ctx)
	if err != nil {
		return m, err
	}
	mu.Lock()
	defer mu.Unlock()
	if task1 >= task0 {
		m.taskMS = (task1 - task0) * 1000
	} else {
		m.taskMS = task1 * 1000 // the navigation changed process: its counter started at 0
	}
	m.cls = s.CLS
	m.longTasks = len(s.LongTasks)
	if returning {
		if s.GatedAt == nil {
			return m, fmt.Errorf("the gated script did not run within %v for a returning visitor who accepted all (%s; probe errors %q)", r.timeout, url, s.Errors)
		}
		m.gatedMS = *s.GatedAt
		m.bannerPainted = s.BannerAt != nil
		if r.verbose {
			fmt.Fprintf(os.Stderr, "bench:   %-22s returning: gated script %6.0f ms  banner painted %v\n", name, m.gatedMS, m.bannerPainted)
		}
		return m, nil
	}
	if s.BannerAt == nil {
		return m, fmt.Errorf("no banner within %v at %s (probe errors %q)", r.timeout, url, s.Errors)
	}
	m.bannerMS = *s.BannerAt
	for _, lt := range s.LongTasks {
		if lt[0] >= m.bannerMS {
			m.longTasksAfter++
		}
	}
	if r.verbose {
		fmt.Fprintf(os.Stderr, "bench:   %-22s banner %6.0f ms  wire %7.1f kB  raw %7.1f kB  tasks %5.0f ms (TaskDuration %.3f -> %.3f s)  long tasks %v  CLS %.4f\n",
			name, m.bannerMS, m.wireBytes/1000, m.rawBytes/1000, m.taskMS, task0, task1, s.LongTasks, m.cls)
	}
	return m, nil
}

// taskDuration is the renderer's TaskDuration metric, in seconds.
func taskDuration(ctx context.Context) (float64, error) {
	res, err := chromedp.Call(ctx, performance.GetMetrics, cdp.Empty{})
	if err != nil {
		return 0, err
	}
	for _, m := range res.Metrics {
		if m.Name == "TaskDuration" {
			return m.Value, nil
		}
	}
	return 0, fmt.Errorf("Performance.getMetrics has no TaskDuration")
}

// throttle applies the throttled pass's network conditions to the tab, when on.
func throttle(ctx context.Context, on bool) error {
	if !on {
		return nil
	}
	if _, err := chromedp.Call(ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
		MatchedNetworkConditions: []*network.Conditions{{
			Latency: throttleLatencyMS, DownloadThroughput: throttleDown, UploadThroughput: throttleUp,
		}},
	}); err != nil {
		return fmt.Errorf("throttle: %w", err)
	}
	return nil
}

// measureClick is the "first click" scenario: a first visit in a fresh context where the
// visitor clicks accept-all in the first frame that shows the banner; it measures when the
// choice is stored, and when Consentry's module is ready.
func (r *runner) measureClick(name string, throttled bool) (measurement, error) {
	m := measurement{readyMS: -1}
	ctx, stop, err := r.tabWith(bench.FirstClickScript(bench.Probes[name]))
	if err != nil {
		return m, err
	}
	defer stop()
	if err := throttle(ctx, throttled); err != nil {
		return m, err
	}
	url := r.base + bench.FirstVisitPath(name)
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		return m, fmt.Errorf("navigate to %s: %w", url, err)
	}
	js := fmt.Sprintf(`(async () => {
  const B = window.__bench;
  await Promise.race([B.stored, new Promise((r) => setTimeout(r, Math.max(0, %d - performance.now())))]);
  return %s;
})()`, r.timeout.Milliseconds(), snapshotJS)
	s, err := chromedp.Run(ctx, chromedp.Evaluate[snapshot](js, chromedp.EvalAwaitPromise))
	if err != nil {
		return m, fmt.Errorf("wait on %s: %w", url, err)
	}
	switch {
	case s.BannerAt == nil:
		return m, fmt.Errorf("no banner within %v at %s (probe errors %q)", r.timeout, url, s.Errors)
	case s.ClickAt == nil:
		return m, fmt.Errorf("no accept-all button clicked at %s (probe errors %q)", url, s.Errors)
	case s.StoredAt == nil:
		return m, fmt.Errorf("accept-all clicked at %.0f ms stored no choice within %v at %s", *s.ClickAt, r.timeout, url)
	}
	m.bannerMS, m.storedMS = *s.BannerAt, *s.StoredAt
	if s.ReadyAt != nil {
		m.readyMS = *s.ReadyAt
	}
	if r.verbose {
		fmt.Fprintf(os.Stderr, "bench:   %-22s first click: banner %6.0f ms  stored %6.0f ms  module ready %6.0f ms\n", name, m.bannerMS, m.storedMS, m.readyMS)
	}
	return m, nil
}
