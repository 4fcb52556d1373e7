package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
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
	type importBuild struct{ name, file string }
	var imports []importBuild
	fs.Func("import", "`name=file`: a baseline built with one more import; its cost over -import-base is shown (repeatable)", func(s string) error {
		name, file, ok := strings.Cut(s, "=")
		if !ok || name == "" || file == "" {
			return errors.New("want name=file.wasm")
		}
		imports = append(imports, importBuild{name, file})
		return nil
	})
	importBase := fs.String("import-base", "", "the baseline `file` the -import builds extend")
	code := fs.String("code", "", "the widget's wasm built without -ldflags=-s (optional): `file` for the table by package")
	codeBaseline := fs.String("code-baseline", "", "a baseline built without -ldflags=-s: the `file` the -code table subtracts")
	if err := parse(fs, args, stderr); err != nil {
		return err
	}
	if (len(imports) == 0) != (*importBase == "") {
		return errors.New("-import and -import-base go together")
	}
	if (*code == "") != (*codeBaseline == "") {
		return errors.New("-code and -code-baseline go together")
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
		s, err := measure(b)
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
	if err := w.Flush(); err != nil {
		return err
	}
	if len(imports) > 0 {
		b, err := measure(*importBase)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "\nwhat one more import adds to %s (the widget does without these):\n", *importBase)
		w := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintf(w, "%-*s\tbytes\tgzip\tbrotli\t\n", width, "import")
		for _, imp := range imports {
			s, err := measure(imp.file)
			if err != nil {
				return err
			}
			fmt.Fprintf(w, "%-*s\t%+d\t%+d\t%+d\t\n", width, imp.name, s.raw-b.raw, s.gzip-b.gzip, s.brotli-b.brotli)
		}
		if err := w.Flush(); err != nil {
			return err
		}
	}
	if *code != "" {
		return printCodeByPackage(stdout, *code, *codeBaseline)
	}
	return nil
}

// printCodeByPackage prints what each package adds to the code of baseline in widget, two
// builds that kept their function names: the bytes of its function bodies, and an
// estimate of their brotli weight (the package's bodies compressed on their own, so only
// roughly what they add to the whole file). Packages whose code differs by less than 1 KB
// are summed in one row.
func printCodeByPackage(stdout io.Writer, widget, baseline string) error {
	read := func(name string) (map[string]int, map[string][]byte, error) {
		data, err := os.ReadFile(name)
		if err != nil {
			return nil, nil, err
		}
		sizes, bodies, err := codeByPackage(data)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", name, err)
		}
		return sizes, bodies, nil
	}
	wSizes, wBodies, err := read(widget)
	if err != nil {
		return err
	}
	bSizes, bBodies, err := read(baseline)
	if err != nil {
		return err
	}
	var rows []codeRow
	small, total := codeRow{pkg: "other packages (each under 1 KB)"}, codeRow{pkg: "all code"}
	for pkg := range merge(wSizes, bSizes) {
		r := codeRow{pkg: pkg, widget: wSizes[pkg], baseline: bSizes[pkg]}
		r.added = r.widget - r.baseline
		if r.added != 0 {
			wb, err := distbuild.Brotli(wBodies[pkg])
			if err != nil {
				return err
			}
			bb, err := distbuild.Brotli(bBodies[pkg])
			if err != nil {
				return err
			}
			r.brotli = len(wb) - len(bb)
		}
		total.add(r)
		if r.added > -1024 && r.added < 1024 {
			small.add(r)
			continue
		}
		rows = append(rows, r)
	}
	slices.SortFunc(rows, func(a, b codeRow) int { return b.added - a.added })
	rows = append(rows, small, total)

	fmt.Fprintf(stdout, "\ncode added over %s, by package (function bodies of builds that keep their names):\n", baseline)
	width := len("package")
	for _, r := range rows {
		width = max(width, len(r.pkg))
	}
	w := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(w, "%-*s\twidget\tbaseline\tadded\tbrotli≈\t\n", width, "package")
	for _, r := range rows {
		fmt.Fprintf(w, "%-*s\t%d\t%d\t%+d\t%+d\t\n", width, r.pkg, r.widget, r.baseline, r.added, r.brotli)
	}
	return w.Flush()
}

// codeRow is one package's line of the table by package, in bytes.
type codeRow struct {
	pkg                             string
	widget, baseline, added, brotli int
}

// add counts o's bytes in r, for the rows that sum others.
func (r *codeRow) add(o codeRow) {
	r.widget += o.widget
	r.baseline += o.baseline
	r.added += o.added
	r.brotli += o.brotli
}

// merge returns the union of the keys of a and b.
func merge(a, b map[string]int) map[string]bool {
	keys := map[string]bool{}
	for k := range a {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	return keys
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

// measure compresses the file name as the dist step does and returns the three sizes.
func measure(name string) (sizes, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return sizes{}, err
	}
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
