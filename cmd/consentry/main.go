// Command consentry builds, serves and measures Consentry's deployable folder.
//
// Usage:
//
//	consentry dist  [-o dist] [-wasm build/consentry.wasm]
//	consentry serve [-addr :8080] [-dist dist] [-demo web/demo]
//	consentry size  [-dist dist] [-baseline file.wasm]...
//	consentry validate policy.json...
//	consentry scan URL [-policy policy.json] [-pages N] [-format json|sarif|junit|html] [-o FILE] [-fail-on SEVERITY] [-allow-host HOST]...
//	consentry server [-addr :8080] [-policy policy.json] [-store consentry-receipts.db]
//	consentry receipts export|verify|prune -store S [flags]
//
// dist writes the build output of CONTRACT.md §1; serve runs the demo with the headers a
// production server should send; size prints raw, gzip and brotli sizes of the build
// output next to minimal wasm programs, so the cost of every import is visible.
//
// Run it from the repository root: the defaults are paths relative to it.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
)

// commands maps each subcommand to the function that runs it with its arguments.
var commands = map[string]func(args []string, stdout, stderr io.Writer) error{
	"dist":     runDist,
	"scan":     runScan,
	"serve":    runServe,
	"size":     runSize,
	"validate": runValidate,
	"server":   runServer,
	"receipts": runReceipts,
}

const usage = `usage: consentry <command> [flags]

commands:
  dist   write dist/: consentry.js, consentry.<hash>.wasm, policy.json, and .br/.gz copies
  scan   check a site against its policy.json in headless Chromium (CONTRACT §12)
  serve  serve dist/ under /consentry/ and the demo pages at /
  size   print raw, gzip and brotli sizes of dist/ against baseline wasm files
  validate  check policy.json files as the widget would, and print every problem
  server    receive consent receipts and set the consent cookie (see docs/receipts.md)
  receipts  export, verify or prune the stored receipts

Run "consentry <command> -h" for a command's flags.
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run executes the command line args and returns the process's exit status: 2 for a usage
// error, 1 for a failure.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "-help" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stderr, usage)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "consentry: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	if err := cmd(args[1:], stdout, stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		var status interface{ ExitStatus() int }
		if errors.As(err, &status) && status.ExitStatus() != 1 {
			if !errors.Is(err, errUsage) {
				fmt.Fprintf(stderr, "consentry %s: %v\n", args[0], err)
			}
			return status.ExitStatus()
		}
		if errors.Is(err, errUsage) {
			return 2
		}
		fmt.Fprintf(stderr, "consentry %s: %v\n", args[0], err)
		return 1
	}
	return 0
}

// errUsage reports a bad command line whose message the flag package already printed.
var errUsage = errors.New("usage")

// parse parses a subcommand's flags, printing errors and help to stderr, and refuses
// positional arguments, which no subcommand takes.
func parse(fs *flag.FlagSet, args []string, stderr io.Writer) error {
	fs.SetOutput(stderr)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "consentry %s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		fs.Usage()
		return errUsage
	}
	return nil
}
