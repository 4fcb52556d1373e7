// Command bench-receipts measures the consent receipts endpoint: receipts a second through
// the real HTTP handler on loopback (client and server in one process), with p50 and p99
// latency, for each store: SQLite in a temporary file, and PostgreSQL started from
// Debian's binaries in a temporary data directory (internal/pgtest). Each run posts a
// bounded number of receipts; the table shows the median of the runs.
//
//	go run ./cmd/bench-receipts [-n 20000] [-runs 3] [-c 32] [-stores sqlite,postgres]
package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/consentry/consentry/internal/pgtest"
	"github.com/consentry/consentry/receipts"
)

func main() {
	n := flag.Int("n", 20000, "receipts a run")
	runs := flag.Int("runs", 3, "runs a store (the median is shown)")
	conc := flag.Int("c", 32, "concurrent clients")
	stores := flag.String("stores", "sqlite,postgres", "stores to measure")
	policy := flag.String("policy", "policy.json", "policy the receipts are checked against")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the whole run to this `file`")
	flag.Parse()
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err == nil && pprof.StartCPUProfile(f) == nil {
			defer pprof.StopCPUProfile()
		}
	}
	if err := run(*n, *runs, *conc, strings.Split(*stores, ","), *policy); err != nil {
		fmt.Fprintln(os.Stderr, "bench-receipts:", err)
		pprof.StopCPUProfile()
		os.Exit(1)
	}
}

type result struct {
	perSec   float64
	p50, p99 time.Duration
	// cpuPer is the CPU time this process (client, handler and, for SQLite, the store)
	// spent per receipt: on a machine shared with other work, the figure that does not
	// depend on how much of the CPUs the run got.
	cpuPer time.Duration
}

// cpuTime returns the user and system CPU time of this process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func run(n, runs, conc int, stores []string, policyPath string) error {
	text, err := os.ReadFile(policyPath)
	if err != nil {
		return err
	}
	rev, err := receipts.ParseRevision(text)
	if err != nil {
		return err
	}
	ps, err := receipts.NewPolicies(rev)
	if err != nil {
		return err
	}
	load, _ := os.ReadFile("/proc/loadavg")
	fmt.Printf("%d receipts a run, %d concurrent clients, median of %d runs; %d CPUs, load average %s, %s\n\n",
		n, conc, runs, runtime.NumCPU(), strings.Join(strings.Fields(string(load))[:3], " "), runtime.Version())
	fmt.Println("| store | receipts/s | p50 | p99 | CPU of this process per receipt | runs (receipts/s) |")
	fmt.Println("|---|---:|---:|---:|---:|---|")
	for _, name := range stores {
		var results []result
		var pg *pgtest.Server
		if name == "postgres" {
			if pg, err = pgtest.Start(); err != nil {
				return err
			}
		}
		for i := 0; i < runs; i++ {
			st, cleanup, err := openStore(name, pg)
			if err != nil {
				return err
			}
			r, err := measure(st, ps, rev, n, conc)
			cleanup()
			if err != nil {
				return err
			}
			results = append(results, r)
		}
		if pg != nil {
			pg.Stop()
		}
		slices.SortFunc(results, func(a, b result) int { return int(a.perSec - b.perSec) })
		var each []string
		for _, r := range results {
			each = append(each, fmt.Sprintf("%.0f", r.perSec))
		}
		med := results[len(results)/2]
		fmt.Printf("| %s | %.0f | %.1f ms | %.1f ms | %d µs | %s |\n", name, med.perSec,
			float64(med.p50.Microseconds())/1000, float64(med.p99.Microseconds())/1000, med.cpuPer.Microseconds(), strings.Join(each, ", "))
	}
	return nil
}

func openStore(name string, pg *pgtest.Server) (receipts.Store, func(), error) {
	ctx := context.Background()
	switch name {
	case "sqlite":
		dir, err := os.MkdirTemp("", "consentry-bench-")
		if err != nil {
			return nil, nil, err
		}
		st, err := receipts.OpenSQLite(ctx, filepath.Join(dir, "receipts.db"))
		return st, func() { st.Close(); os.RemoveAll(dir) }, err
	case "postgres":
		dsn, err := pg.NewDatabase(ctx)
		if err != nil {
			return nil, nil, err
		}
		st, err := receipts.OpenPostgres(ctx, dsn)
		return st, func() { st.Close() }, err
	}
	return nil, nil, fmt.Errorf("unknown store %q", name)
}

func uuid() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// measure posts n receipts from conc clients to a loopback server and times each.
func measure(st receipts.Store, ps *receipts.Policies, rev *receipts.Revision, n, conc int) (result, error) {
	w := receipts.NewWriter(st)
	defer w.Close()
	h := receipts.NewHandler(w, ps, receipts.Options{ClientRate: -1, GlobalRate: -1})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return result{}, err
	}
	srv := &http.Server{Handler: h}
	go srv.Serve(ln)
	defer srv.Close()
	url := "http://" + ln.Addr().String() + receipts.DefaultEndpoint

	now := time.Now().UTC().Truncate(time.Second)
	bodies := make([][]byte, n)
	for i := range bodies {
		rc := receipts.Receipt{
			V: 1, ReceiptID: uuid(), ConsentID: uuid(), Event: receipts.EventConsent, Method: "accept-all",
			Revision: rev.Policy.Revision, Scope: rev.Policy.Scope(), PolicyDigest: rev.Digest, Language: "fr",
			Categories: []string{"necessary", "statistics"}, Services: map[string][]string{"statistics": {"analytics"}},
			Created: receipts.Time{Time: now}, Updated: receipts.Time{Time: now}, Page: "https://example.org/datasets/air",
		}
		bodies[i], _ = json.Marshal(rc)
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: conc, MaxConnsPerHost: conc}}
	jobs := make(chan int, n)
	for i := range n {
		jobs <- i
	}
	close(jobs)
	lat := make([]time.Duration, n)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	cpu0 := cpuTime()
	start := time.Now()
	for range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				t0 := time.Now()
				req, _ := http.NewRequest("POST", url, bytes.NewReader(bodies[i]))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Sec-Fetch-Site", "same-origin")
				resp, err := client.Do(req)
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != http.StatusCreated {
						err = fmt.Errorf("status %d", resp.StatusCode)
					}
				}
				lat[i] = time.Since(t0)
				if err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					return
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	cpu := cpuTime() - cpu0
	if firstErr != nil {
		return result{}, firstErr
	}
	slices.Sort(lat)
	if got, err := receipts.Verify(context.Background(), st); err != nil || got != int64(n) {
		return result{}, fmt.Errorf("after the run: %d receipts stored, want %d (%v)", got, n, err)
	}
	return result{perSec: float64(n) / elapsed.Seconds(), p50: lat[n/2], p99: lat[n*99/100], cpuPer: cpu / time.Duration(n)}, nil
}
