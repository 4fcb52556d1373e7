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
	strict := fs.Bool("strict", false, "fail (exit status 1) on warnings too")
	fs.Usage = func() {
		fmt.Fprint(stderr, "usage: consentry validate [-strict] [-origin https://example.org] policy.json...\n\n"+
			"Checks each policy as the widget would, prints every problem with its place\n"+
			"(file:line:column: path: message), and exits with status 1 if there is any.\n"+
			"Then warns about what the widget accepts but regulators advise against\n"+
			"(file:line:column: warning: path: message); warnings alone exit 0, unless -strict.\n"+
			"With -origin, an absolute receipts.endpoint must be on that origin, as the\n"+
			"widget checks on the site's pages. \"-\" reads the standard input.\n\n")
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
	warned := 0
	for _, name := range fs.Args() {
		problems, warnings, err := lintPolicy(name, *origin)
		if err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", name, err)
			invalid++
			continue
		}
		for _, p := range problems {
			fmt.Fprintln(stdout, formatProblem(name, p))
		}
		for _, w := range warnings {
			fmt.Fprintln(stdout, formatWarning(name, w))
		}
		switch {
		case len(problems) > 0:
			invalid++
		case len(warnings) > 0:
			warned++
			fmt.Fprintf(stdout, "%s: valid, with %d warning%s\n", name, len(warnings), plural(len(warnings)))
		default:
			fmt.Fprintf(stdout, "%s: valid\n", name)
		}
	}
	if invalid > 0 {
		return fmt.Errorf("%d of %d policies refused", invalid, fs.NArg())
	}
	if *strict && warned > 0 {
		return fmt.Errorf("%d of %d policies have warnings (-strict)", warned, fs.NArg())
	}
	return nil
}

// lintPolicy returns the problems of one policy file ("-" for the standard input) and,
// when it has none, its warnings (warnings.go), or an error when it cannot be read. origin,
// when not "", is the site's origin, against which the page-dependent rules are checked
// (widget.ParsePolicyOn).
func lintPolicy(name, origin string) (problems, warnings []widget.Problem, err error) {
	var data []byte
	if name == "-" {
		data, err = io.ReadAll(io.LimitReader(os.Stdin, widget.MaxPolicySize+1))
	} else {
		data, err = os.ReadFile(name)
	}
	if err != nil {
		return nil, nil, err
	}
	_, err = widget.ParsePolicyOn(data, origin)
	if err == nil {
		return nil, policyWarnings(data), nil
	}
	var pe *widget.PolicyError
	if errors.As(err, &pe) {
		return pe.Problems, nil, nil
	}
	return []widget.Problem{{Msg: err.Error()}}, nil, nil
}

// formatWarning writes a warning as file:line:column: warning: path: message.
func formatWarning(file string, w widget.Problem) string {
	return formatFinding(file, "warning: ", w)
}

// plural is "s" unless n is 1.
func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// formatProblem writes a problem as file:line:column: path: message, leaving out what it
// does not have.
func formatProblem(file string, p widget.Problem) string {
	return formatFinding(file, "", p)
}

// formatFinding writes file:line:column: kind path: message, the form editors and CI
// annotate, leaving out what p does not have.
func formatFinding(file, kind string, p widget.Problem) string {
	s := file
	if p.Line > 0 {
		s += ":" + strconv.Itoa(p.Line) + ":" + strconv.Itoa(p.Column)
	}
	s += ": " + kind
	if p.Path != "" {
		s += p.Path + ": "
	}
	return s + p.Msg
}
