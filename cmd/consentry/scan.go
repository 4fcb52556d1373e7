package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/consentry/consentry/internal/scan"
)

// exitStatus is an error that carries the process's exit status: `consentry scan` exits 1
// for findings and 2 when the scan could not run (CONTRACT.md §12).
type exitStatus struct {
	code int
	err  error
}

func (e *exitStatus) Error() string   { return e.err.Error() }
func (e *exitStatus) Unwrap() error   { return e.err }
func (e *exitStatus) ExitStatus() int { return e.code }

// hosts is a repeatable flag.
type hosts []string

func (h *hosts) String() string     { return strings.Join(*h, ",") }
func (h *hosts) Set(v string) error { *h = append(*h, v); return nil }

// runScan is the compliance scanner of CONTRACT.md §12: it scans a site in headless
// Chromium, writes the report, and fails when a finding reaches -fail-on.
func runScan(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("scan", flag.ContinueOnError)
	policy := fs.String("policy", "", "policy.json to compare with (default: the one the page uses)")
	pages := fs.Int("pages", 3, "same-site links to follow in each phase")
	format := fs.String("format", "json", "report format: json, sarif, junit or html")
	out := fs.String("o", "", "write the report to this `file` (default: standard output)")
	failOn := fs.String("fail-on", "error", "exit 1 when a finding is at or above this severity: error, warning or info")
	accept := fs.String("accept", "", "CSS `selector` of another consent tool's accept button (shadow roots searched)")
	reject := fs.String("reject", "", "CSS `selector` of another consent tool's reject button")
	draft := fs.String("draft-policy", "", "also write a draft policy.json of what was observed to this `file`")
	chromium := fs.String("chromium", scan.DefaultChromium, "Chromium's `path`")
	var allow hosts
	fs.Var(&allow, "allow-host", "a third-party `host` allowed before consent (repeatable; .example.com for its subdomains)")
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, "usage: consentry scan URL [-policy policy.json] [-pages N] [-format json|sarif|junit|html]\n"+
			"                      [-o FILE] [-fail-on SEVERITY] [-allow-host HOST]... [-accept SEL -reject SEL]\n"+
			"                      [-draft-policy FILE]\n\n"+
			"Visits URL in headless Chromium in four fresh profiles (first visit, Reject all, Accept all,\n"+
			"withdrawal), reports every cookie, storage entry and third-party request with its cause,\n"+
			"and checks them against policy.json. Exit status: 0 no finding at or above -fail-on,\n"+
			"1 findings, 2 the scan could not run.\n\nflags:\n")
		fs.PrintDefaults()
	}
	// The URL comes first, as in the contract's synopsis; flags may follow it.
	var target string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		target, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return &exitStatus{2, errUsage}
	}
	if target == "" && fs.NArg() > 0 {
		target = fs.Arg(0)
	} else if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "consentry scan: unexpected argument %q\n", fs.Arg(0))
		return &exitStatus{2, errUsage}
	}
	if target == "" {
		fs.Usage()
		return &exitStatus{2, errUsage}
	}
	min, err := scan.ParseSeverity(*failOn)
	if err != nil {
		return &exitStatus{2, err}
	}
	write, ok := map[string]func(*scan.Report, io.Writer) error{
		"json": (*scan.Report).WriteJSON, "sarif": (*scan.Report).WriteSARIF,
		"junit": (*scan.Report).WriteJUnit, "html": (*scan.Report).WriteHTML,
	}[*format]
	if !ok {
		return &exitStatus{2, fmt.Errorf("-format %q: want json, sarif, junit or html", *format)}
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	rep, err := scan.Run(ctx, scan.Options{URL: target, Policy: *policy, Pages: *pages, Accept: *accept, Reject: *reject,
		AllowHosts: allow, Chromium: *chromium, Progress: stderr, Screenshots: *format == "html"})
	if err != nil {
		return &exitStatus{2, err}
	}
	w := stdout
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			return &exitStatus{2, err}
		}
		defer f.Close()
		w = f
	}
	if err := write(rep, w); err != nil {
		return &exitStatus{2, fmt.Errorf("write the report: %w", err)}
	}
	if *draft != "" {
		data, err := rep.DraftPolicy()
		if err == nil {
			err = os.WriteFile(*draft, data, 0o644)
		}
		if err != nil {
			return &exitStatus{2, fmt.Errorf("draft policy: %w", err)}
		}
		fmt.Fprintf(stderr, "scan: draft policy written to %s (fill in the TODO texts, then run consentry validate)\n", *draft)
	}
	fmt.Fprintf(stderr, "scan: %s: %d errors, %d warnings, %d notes in %.1fs\n", rep.URL, rep.Summary.Errors, rep.Summary.Warnings, rep.Summary.Infos, float64(rep.DurationMS)/1000)
	if n := rep.Count(min); n > 0 {
		return &exitStatus{1, fmt.Errorf("%d finding(s) at or above %s", n, min)}
	}
	return nil
}
