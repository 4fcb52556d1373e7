package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"github.com/consentry/consentry/internal/distbuild"
)

// sizes are a file's byte counts as stored and as sent with each encoding.
type sizes struct {
	raw, gzip, brotli int64
}

// runSize prints the ablation table: the size of each file of the build output, their
// total (what a first visit downloads), each baseline program, and how much bigger the
// widget's wasm is than each baseline.
func runSize(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("size", flag.ContinueOnError)
	dist := fs.String("dist", "dist", "build output `folder`")
	var baselines []string
	fs.Func("baseline", "a minimal wasm `file` to compare the widget with (repeatable)", func(s string) error {
		baselines = append(baselines, s)
		return nil
	})
	if err := parse(fs, args, stderr); err != nil {
		return err
	}

	entries, err := os.ReadDir(*dist)
	if err != nil {
		return fmt.Errorf("%w (run `make dist` first)", err)
	}
	wasmName := ""
	for _, e := range entries {
		if distbuild.IsWasmName(e.Name()) {
			if wasmName != "" {
				return fmt.Errorf("%s holds both %s and %s (run `make dist` again)", *dist, wasmName, e.Name())
			}
			wasmName = e.Name()
		}
	}
	if wasmName == "" {
		return fmt.Errorf("no consentry.<hash>.wasm in %s (run `make dist` first)", *dist)
	}

	type row struct {
		name   string
		s      sizes
		signed bool
	}
	var rows []row
	var total, wasm sizes
	for _, name := range []string{distbuild.ScriptName, wasmName, distbuild.PolicyName} {
		s, err := servedSizes(filepath.Join(*dist, name))
		if err != nil {
			return err
		}
		rows = append(rows, row{name, s, false})
		total.raw, total.gzip, total.brotli = total.raw+s.raw, total.gzip+s.gzip, total.brotli+s.brotli
		if name == wasmName {
			wasm = s
		}
	}
	rows = append(rows, row{"first visit (all three)", total, false})
	for _, b := range baselines {
		data, err := os.ReadFile(b)
		if err != nil {
			return err
		}
		s, err := measure(data)
		if err != nil {
			return err
		}
		rows = append(rows,
			row{filepath.Base(b) + " (baseline)", s, false},
			row{"widget wasm − " + strings.TrimSuffix(filepath.Base(b), ".wasm"),
				sizes{wasm.raw - s.raw, wasm.gzip - s.gzip, wasm.brotli - s.brotli}, true})
	}

	// tabwriter right-aligns every column; the names are padded to the left by hand.
	width := len("file")
	for _, r := range rows {
		width = max(width, utf8.RuneCountInString(r.name))
	}
	pad := func(name string) string {
		return name + strings.Repeat(" ", width-utf8.RuneCountInString(name))
	}
	w := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(w, "%s\tbytes\tgzip\tbrotli\t\n", pad("file"))
	for _, r := range rows {
		f := func(n int64) string {
			if r.signed && n >= 0 {
				return "+" + strconv.FormatInt(n, 10)
			}
			return strconv.FormatInt(n, 10)
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t\n", pad(r.name), f(r.s.raw), f(r.s.gzip), f(r.s.brotli))
	}
	return w.Flush()
}

// servedSizes returns the sizes of a file of the build output, taking the compressed sizes
// from its .gz and .br copies, which are what a server sends; a missing copy is computed.
func servedSizes(name string) (sizes, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return sizes{}, err
	}
	s := sizes{raw: int64(len(data))}
	for _, c := range []struct {
		ext      string
		dst      *int64
		compress func([]byte) ([]byte, error)
	}{
		{distbuild.GzipExt, &s.gzip, distbuild.Gzip},
		{distbuild.BrotliExt, &s.brotli, distbuild.Brotli},
	} {
		info, err := os.Stat(name + c.ext)
		if err == nil {
			*c.dst = info.Size()
			continue
		}
		if !errors.Is(err, os.ErrNotExist) {
			return sizes{}, err
		}
		b, err := c.compress(data)
		if err != nil {
			return sizes{}, err
		}
		*c.dst = int64(len(b))
	}
	return s, nil
}

// measure compresses data as the dist step does and returns the three sizes.
func measure(data []byte) (sizes, error) {
	gz, err := distbuild.Gzip(data)
	if err != nil {
		return sizes{}, err
	}
	br, err := distbuild.Brotli(data)
	if err != nil {
		return sizes{}, err
	}
	return sizes{int64(len(data)), int64(len(gz)), int64(len(br))}, nil
}
