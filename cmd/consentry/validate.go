package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/consentry/consentry/widget"
)

// runValidate is the policy linter for site owners: it checks each policy.json named on the
// command line with the widget's own parser (CONTRACT.md §3), so it refuses exactly what the
// widget would refuse, and prints every problem as file:line:column: path: message, the form
// editors and CI annotate. It fails when any file has a problem.
func runValidate(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	origin := fs.String("origin", "", "the site's origin (https://example.org): also check that receipts.endpoint is on it")
	fs.Usage = func() {
		fmt.Fprint(stderr, "usage: consentry validate [-origin https://example.org] policy.json...\n\n"+
			"Checks each policy as the widget would, prints every problem with its place\n"+
			"(file:line:column: path: message), and exits with status 1 if there is any.\n"+
			"\"-\" reads the standard input. With -origin, an absolute receipts.endpoint\n"+
			"must be on that origin, as the widget checks on the site's pages.\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return errUsage
	}
	invalid := 0
	for _, name := range fs.Args() {
		problems, err := lintPolicy(name, *origin)
		if err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", name, err)
			invalid++
			continue
		}
		for _, p := range problems {
			fmt.Fprintln(stdout, formatProblem(name, p))
		}
		if len(problems) > 0 {
			invalid++
		} else {
			fmt.Fprintf(stdout, "%s: valid\n", name)
		}
	}
	if invalid > 0 {
		return fmt.Errorf("%d of %d policies refused", invalid, fs.NArg())
	}
	return nil
}

// lintPolicy returns the problems of one policy file ("-" for the standard input), or an
// error when it cannot be read. origin, when not "", is the site's origin, against which
// the page-dependent rules are checked (widget.ParsePolicyOn).
func lintPolicy(name, origin string) ([]widget.Problem, error) {
	var data []byte
	var err error
	if name == "-" {
		data, err = io.ReadAll(io.LimitReader(os.Stdin, widget.MaxPolicySize+1))
	} else {
		data, err = os.ReadFile(name)
	}
	if err != nil {
		return nil, err
	}
	_, err = widget.ParsePolicyOn(data, origin)
	if err == nil {
		return nil, nil
	}
	var pe *widget.PolicyError
	if errors.As(err, &pe) {
		return pe.Problems, nil
	}
	return []widget.Problem{{Msg: err.Error()}}, nil
}

// formatProblem writes a problem as file:line:column: path: message, leaving out what it
// does not have.
func formatProblem(file string, p widget.Problem) string {
	s := file
	if p.Line > 0 {
		s += ":" + strconv.Itoa(p.Line) + ":" + strconv.Itoa(p.Column)
	}
	s += ": "
	if p.Path != "" {
		s += p.Path + ": "
	}
	return s + p.Msg
}
