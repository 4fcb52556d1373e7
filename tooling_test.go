package consentry_test

// This file checks the repository's own rules, the ones a compiler cannot: the runtime glue
// matches the toolchain, the wasm layer is only built for the browser, the core never
// reaches the browser, policy data never goes through an HTML parser, and `make dist`
// writes exactly the build output of CONTRACT.md §1.

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"go/build/constraint"
	"go/parser"
	"go/scanner"
	"go/token"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
)

// TestWasmExecMatchesToolchain checks that wasm_exec.js, which consentry.js starts with, is
// the one of the Go that builds the wasm: the glue and the runtime change together, and a
// mismatch fails only in the browser.
func TestWasmExecMatchesToolchain(t *testing.T) {
	goroot := runtime.GOROOT()
	if goroot == "" { // a test binary built with -trimpath does not know it
		out, err := exec.Command("go", "env", "GOROOT").Output()
		if err != nil {
			t.Fatalf("go env GOROOT: %v", err)
		}
		goroot = strings.TrimSpace(string(out))
	}
	want, err := os.ReadFile(filepath.Join(goroot, "lib", "wasm", "wasm_exec.js"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("wasm_exec.js")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("wasm_exec.js differs from %s of the toolchain; update it from the repository root with:\n"+
			"\tcp \"$(go env GOROOT)/lib/wasm/wasm_exec.js\" .", filepath.Join(goroot, "lib", "wasm", "wasm_exec.js"))
	}
}

// TestWasmFilesHaveBuildTag checks that every Go file of wasm/ is built only for the
// browser: a file without the constraint would be compiled natively, where syscall/js does
// not exist, and break `go vet ./...` and `go test ./...` for everyone.
func TestWasmFilesHaveBuildTag(t *testing.T) {
	files := goFiles(t, "wasm")
	for _, name := range files {
		expr, err := buildConstraint(name)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if expr == nil || !impliesJSWasm(expr) {
			t.Errorf("%s: want the constraint //go:build js && wasm before the package clause", name)
		}
	}
}

// TestWidgetDoesNotImportJS checks the boundary between the core and the browser: widget/
// is plain Go, testable natively and usable by Go servers, so neither it nor anything it
// imports may use syscall/js or safejs. Natively, no dependency may be either. With
// GOOS=js the standard library itself uses syscall/js, so there no package outside the
// standard library (widget/ and what it imports) may import either.
func TestWidgetDoesNotImportJS(t *testing.T) {
	forbidden := func(pkg string) bool {
		return pkg == "syscall/js" || pkg == "github.com/hack-pad/safejs" || strings.HasPrefix(pkg, "github.com/hack-pad/safejs/")
	}
	out := goList(t, nil, "-deps", "./widget/...")
	for dep := range strings.FieldsSeq(out) {
		if forbidden(dep) {
			t.Errorf("go list -deps ./widget/... contains %s: widget/ must not reach the browser; move that code to wasm/", dep)
		}
	}
	js := []string{"GOOS=js", "GOARCH=wasm"}
	out = goList(t, js, "-deps", "-f", `{{if not .Standard}}{{.ImportPath}}:{{join .Imports " "}}{{end}}`, "./widget/...")
	for line := range strings.Lines(out) {
		pkg, imports, _ := strings.Cut(strings.TrimSpace(line), ":")
		for imp := range strings.FieldsSeq(imports) {
			if forbidden(imp) {
				t.Errorf("GOOS=js GOARCH=wasm: %s imports %s: widget/ must not reach the browser; move that code to wasm/", pkg, imp)
			}
		}
	}
}

// goList runs go list with args and extra environment variables, and returns its output.
func goList(t *testing.T, env []string, args ...string) string {
	t.Helper()
	cmd := exec.Command("go", append([]string{"list"}, args...)...)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("%s go list %s: %v\n%s", strings.Join(env, " "), strings.Join(args, " "), err, stderr)
	}
	return string(out)
}

// htmlSinks are the DOM members that parse a string as HTML (or as code): policy texts
// are shown as text, never as HTML (CONTRACT.md §3), and the widget runs under a strict
// Content-Security-Policy. A string literal containing one of them in wasm/ is refused.
var htmlSinks = []string{
	"innerHTML", "outerHTML", "insertAdjacentHTML", "srcdoc",
	"createContextualFragment", "parseHTMLUnsafe", "setHTMLUnsafe", "DOMParser",
}

// codeSinks are global functions that compile a string as JavaScript, or write it into
// the document's parser; a string literal exactly equal to one of them is refused.
var codeSinks = []string{"eval", "Function", "write", "writeln"}

// TestNoEvalThroughJS checks the Go string literals of wasm/, the names that reach
// JavaScript through Get, Call and Set, for code and HTML sinks. Comments may name them.
// Test files are not checked: they do not ship, and may read a subtree's HTML.
func TestNoEvalThroughJS(t *testing.T) {
	for _, name := range goFiles(t, "wasm") {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		fset := token.NewFileSet()
		file := fset.AddFile(name, -1, len(src))
		var s scanner.Scanner
		s.Init(file, src, func(pos token.Position, msg string) { t.Errorf("%s: %s", pos, msg) }, 0)
		for {
			pos, tok, lit := s.Scan()
			if tok == token.EOF {
				break
			}
			if tok != token.STRING {
				continue
			}
			value, err := strconv.Unquote(lit)
			if err != nil {
				continue
			}
			for _, sink := range htmlSinks {
				if strings.Contains(value, sink) {
					t.Errorf("%s: %s parses HTML; build the DOM with createElement and textContent", fset.Position(pos), sink)
				}
			}
			if slices.Contains(codeSinks, value) {
				t.Errorf("%s: %q runs a string as code; call the DOM API instead", fset.Position(pos), value)
			}
		}
	}
}

// wasmName is the content-hashed name of CONTRACT.md §1 that `make dist` writes.
var wasmName = regexp.MustCompile(`^consentry\.[0-9a-f]{10}\.wasm$`)

// TestDistLayout checks the output of `make dist` against CONTRACT.md §1: exactly
// consentry.js, consentry.<hash>.wasm and policy.json with their .br and .gz copies, and
// (1.1) the npm package's consentry.d.ts and package.json;
// consentry.js names the wasm by the hash of its content; every copy decodes to its file.
func TestDistLayout(t *testing.T) {
	const dist = "dist"
	entries, err := os.ReadDir(dist)
	if err != nil {
		if os.IsNotExist(err) && os.Getenv("CI") != "true" {
			t.Skip("dist/ does not exist: run `make dist` (or `make test`) to check the build output")
		}
		t.Fatalf("%v: `make dist` must run before the tests (make test does)", err)
	}

	var wasm string
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
		if wasmName.MatchString(e.Name()) {
			if wasm != "" {
				t.Errorf("dist/ holds two wasm files, %s and %s", wasm, e.Name())
			}
			wasm = e.Name()
		}
		if e.IsDir() {
			t.Errorf("dist/%s is a folder; the build output is flat", e.Name())
		}
	}
	if wasm == "" {
		t.Fatalf("dist/ has no consentry.<10 hex digits>.wasm; it holds %s", strings.Join(names, " "))
	}
	var want []string
	for _, f := range []string{"consentry.js", wasm, "policy.json"} {
		want = append(want, f, f+".br", f+".gz")
	}
	want = append(want, "SHA256SUMS")                     // the checksums of the others (1.1)
	want = append(want, "consentry.d.ts", "package.json") // 1.1: the npm package (npm_test.go)
	slices.Sort(want)
	if !slices.Equal(names, want) {
		t.Errorf("dist/ holds\n\t%s\nwant exactly\n\t%s", strings.Join(names, " "), strings.Join(want, " "))
	}

	read := func(name string) []byte {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(dist, name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	wasmBytes := read(wasm)
	sum := sha256.Sum256(wasmBytes)
	if hashed := "consentry." + hex.EncodeToString(sum[:])[:10] + ".wasm"; hashed != wasm {
		t.Errorf("dist/%s is named after a different content: its SHA-256 gives %s", wasm, hashed)
	}
	script := read("consentry.js")
	if !bytes.Contains(script, []byte(wasm)) {
		t.Errorf("dist/consentry.js does not name %s", wasm)
	}
	if bytes.Contains(script, []byte("__CONSENTRY_WASM__")) {
		t.Error("dist/consentry.js still holds the placeholder __CONSENTRY_WASM__")
	}
	if bytes.Contains(script, []byte("__CONSENTRY_BUILD__")) {
		t.Error("dist/consentry.js still holds the placeholder __CONSENTRY_BUILD__")
	}
	if glue, err := os.ReadFile("wasm_exec.js"); err != nil || !bytes.Contains(script, glue) {
		t.Errorf("dist/consentry.js does not hold wasm_exec.js unchanged (%v)", err)
	}
	if policy, err := os.ReadFile("policy.json"); err != nil || !bytes.Equal(read("policy.json"), policy) {
		t.Errorf("dist/policy.json is not a copy of policy.json (%v): run `make dist`", err)
	}

	for _, f := range []string{"consentry.js", wasm, "policy.json"} {
		raw := read(f)
		gz, err := gzip.NewReader(bytes.NewReader(read(f + ".gz")))
		if err == nil {
			var got []byte
			if got, err = io.ReadAll(gz); err == nil && !bytes.Equal(got, raw) {
				t.Errorf("dist/%s.gz does not decode to dist/%s", f, f)
			}
		}
		if err != nil {
			t.Errorf("dist/%s.gz: %v", f, err)
		}
		got, err := io.ReadAll(brotli.NewReader(bytes.NewReader(read(f + ".br"))))
		if err != nil {
			t.Errorf("dist/%s.br: %v", f, err)
		} else if !bytes.Equal(got, raw) {
			t.Errorf("dist/%s.br does not decode to dist/%s", f, f)
		}
	}
}

// goFiles returns the Go files under dir, failing t when there are none.
func goFiles(t *testing.T, dir string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(dir, func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && name != dir && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(name, ".go") {
			files = append(files, name)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no Go files under %s/", dir)
	}
	return files
}

// buildConstraint returns the //go:build expression of a Go file, nil if it has none. Only
// comments before the package clause count, as for the go command.
func buildConstraint(name string) (constraint.Expr, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, nil, parser.PackageClauseOnly|parser.ParseComments)
	if err != nil {
		return nil, err
	}
	for _, group := range f.Comments {
		if group.Pos() >= f.Package {
			break
		}
		for _, c := range group.List {
			if constraint.IsGoBuild(c.Text) {
				return constraint.Parse(c.Text)
			}
		}
	}
	return nil, nil
}

// impliesJSWasm reports whether expr can hold only when both js and wasm do, by trying
// every assignment of the tags it names (a build line names only a few).
func impliesJSWasm(expr constraint.Expr) bool {
	tags := constraintTags(expr, nil)
	if len(tags) > 16 || !slices.Contains(tags, "js") || !slices.Contains(tags, "wasm") {
		return false
	}
	for bits := 0; bits < 1<<len(tags); bits++ {
		set := func(tag string) bool { return bits&(1<<slices.Index(tags, tag)) != 0 }
		if expr.Eval(set) && !(set("js") && set("wasm")) {
			return false
		}
	}
	return true
}

// constraintTags appends the distinct tags that expr names to tags.
func constraintTags(expr constraint.Expr, tags []string) []string {
	switch e := expr.(type) {
	case *constraint.TagExpr:
		if !slices.Contains(tags, e.Tag) {
			tags = append(tags, e.Tag)
		}
	case *constraint.NotExpr:
		tags = constraintTags(e.X, tags)
	case *constraint.AndExpr:
		tags = constraintTags(e.Y, constraintTags(e.X, tags))
	case *constraint.OrExpr:
		tags = constraintTags(e.Y, constraintTags(e.X, tags))
	}
	return tags
}
