// Command bench compares, in headless Chromium, the page-load cost of Consentry with a
// static HTML banner (the lower bound), a minimal safejs WebAssembly banner (the floor of
// any Go widget), vanilla-cookieconsent and klaro. It is what `make bench` runs; see
// docs/performance.md for what each column measures.
//
//	go run ./cmd/bench -dist dist -floor build/banner.wasm [-runs 15] [-throttled-runs 5] [-o docs/performance.md]
//	go run ./cmd/bench -serve [-addr 127.0.0.1:8090]   # only serve the pages, print their URLs
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/chromedp"

	"github.com/consentry/consentry/internal/bench"
	"github.com/consentry/consentry/internal/headless"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

type options struct {
	dist, floor, wasmExec, nodeModules string
	chromium                           string
	runs, throttledRuns                int
	timeout                            time.Duration
	out                                string
	serve, verbose                     bool
	addr                               string
}

func run() error {
	var o options
	flag.StringVar(&o.dist, "dist", "dist", "Consentry's dist folder, from `make dist`")
	flag.StringVar(&o.floor, "floor", "build/banner.wasm", "the floor's wasm, from `make build/banner.wasm`")
	flag.StringVar(&o.wasmExec, "wasm-exec", "wasm_exec.js", "Go's wasm_exec.js, put in front of the floor's loader")
	flag.StringVar(&o.nodeModules, "node-modules", "node_modules", "node_modules with vanilla-cookieconsent and klaro (`npm ci`)")
	flag.StringVar(&o.chromium, "chromium", "/usr/bin/chromium", "the Chromium to drive")
	flag.IntVar(&o.runs, "runs", 15, "measurements of each contender and scenario without throttling (medians need at least 15)")
	flag.IntVar(&o.throttledRuns, "throttled-runs", 5, "measurements of each contender and scenario under network throttling (0: skip the pass)")
	flag.DurationVar(&o.timeout, "timeout", 20*time.Second, "how long a banner (or a returning visitor's gated script) may take before the run fails")
	flag.StringVar(&o.out, "o", "", "also write the report as Markdown to this file (e.g. docs/performance.md)")
	flag.BoolVar(&o.serve, "serve", false, "only serve the pages and print their URLs, until interrupted")
	flag.BoolVar(&o.verbose, "v", false, "print every measurement to stderr")
	flag.StringVar(&o.addr, "addr", "127.0.0.1:0", "address of the local server")
	flag.Parse()
	if flag.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", flag.Args())
	}
	if o.runs < 1 || o.throttledRuns < 0 {
		return errors.New("-runs must be at least 1 and -throttled-runs at least 0")
	}

	fmt.Fprintln(os.Stderr, "bench: reading and compressing the contenders' files")
	srv, err := bench.NewServer(bench.Config{Dist: o.dist, FloorWasm: o.floor, WasmExec: o.wasmExec, NodeModules: o.nodeModules})
	if err != nil {
		return err
	}
	addr := o.addr
	if o.serve && addr == "127.0.0.1:0" {
		addr = "127.0.0.1:8090"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	go hs.Serve(ln)
	defer hs.Close()
	base := "http://" + ln.Addr().String()

	if o.serve {
		for _, name := range bench.Contenders {
			fmt.Printf("%-22s %s%s\n", name, base, bench.FirstVisitPath(name))
		}
		fmt.Printf("%-22s %s%s\n", "static (returning)", base, bench.ReturningPath(bench.Static))
		fmt.Fprintln(os.Stderr, "bench: serving; interrupt to stop")
		sig := make(chan os.Signal, 1)
		signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
		<-sig
		return nil
	}

	if _, err := os.Stat(o.chromium); err != nil {
		return fmt.Errorf("no Chromium at %s (%v): run `make deps`", o.chromium, err)
	}
	profile, err := os.MkdirTemp("", "consentry-bench-chromium-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(profile)
	opts := headless.Options(o.chromium, profile)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	browserCtx, cancelBrowser := chromedp.NewContext(allocCtx)
	defer cancelBrowser()
	defer chromedp.Cancel(browserCtx)
	if err := chromedp.Do(browserCtx); err != nil {
		return fmt.Errorf("start Chromium: %w", err)
	}
	version, err := chromedp.CallBrowser(browserCtx, browser.GetVersion, cdp.Empty{})
	if err != nil {
		return err
	}

	r := &runner{browserCtx: browserCtx, base: base, timeout: o.timeout, verbose: o.verbose}
	env := environment{
		Chromium: version.Product,
		Go:       runtime.Version(),
		CPU:      cpuModel(),
		Cores:    runtime.NumCPU(),
		Date:     time.Now().UTC(),
		Load:     loadAverage(),
		Runs:     o.runs,
		Throttle: o.throttledRuns,
	}

	fmt.Fprintln(os.Stderr, "bench: recording each contender's stored consent (accept all, in a throwaway context)")
	for _, name := range bench.Contenders {
		if err := r.capture(name); err != nil {
			return err
		}
	}

	start := time.Now()
	passes := []*pass{{Name: "unthrottled", Runs: o.runs}}
	if o.throttledRuns > 0 {
		passes = append(passes, &pass{Name: "throttled", Runs: o.throttledRuns, Throttled: true})
	}
	for _, p := range passes {
		if err := r.runPass(p); err != nil {
			return err
		}
	}
	env.Elapsed = time.Since(start)

	report := textReport(env, passes)
	fmt.Print(report)
	if o.out != "" {
		if err := os.WriteFile(o.out, []byte(markdownReport(env, passes, keptReading(o.out))), 0o644); err != nil {
			return err
		}
		fmt.Fprintln(os.Stderr, "bench: wrote", o.out)
	}
	for _, p := range passes {
		if f := p.failures(); len(f) > 0 {
			return fmt.Errorf("%s pass: %s", p.Name, strings.Join(f, "; "))
		}
	}
	return nil
}

// loadAverage is the 1, 5 and 15 minute load averages of /proc/loadavg: a shared machine
// makes every number slower and noisier.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], ", ")
}

// cpuModel is the first "model name" of /proc/cpuinfo.
func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown"
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}
