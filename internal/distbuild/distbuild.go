// Package distbuild assembles Consentry's deployable folder, the build output of
// CONTRACT.md §1: consentry.js, a content-hashed consentry.<hash>.wasm, policy.json, a
// brotli and a gzip copy of each, and SHA256SUMS, the checksums of them all.
package distbuild

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
)

// Placeholder is the string in web/loader.js that stands for the wasm file's name; Build
// replaces every occurrence with the content-hashed name.
const Placeholder = "__CONSENTRY_WASM__"

// Names of the files Build writes (CONTRACT.md §1). The wasm file's name is WasmName(wasm).
const (
	ScriptName = "consentry.js"
	PolicyName = "policy.json"
)

// Extensions of the precompressed copies Build writes next to each file.
const (
	BrotliExt = ".br"
	GzipExt   = ".gz"
)

// hashLen is how many hex digits of the wasm's SHA-256 go into its name: 40 bits, so two
// builds that collide are not a practical worry, and the name stays short.
const hashLen = 10

// hashedWasm matches a content-hashed wasm name and its precompressed copies, as written by
// this and earlier builds, so stale ones can be removed.
var hashedWasm = regexp.MustCompile(`^consentry\.[0-9a-f]+\.wasm(\.br|\.gz)?$`)

// plainWasm matches the unhashed name that CONTRACT.md §1 also allows, and its copies: a
// folder deployed by another tool may hold it, and consentry.js would never load it.
var plainWasm = regexp.MustCompile(`^consentry\.wasm(\.br|\.gz)?$`)

// Inputs names the files Build reads.
type Inputs struct {
	WasmExec string // Go's wasm_exec.js runtime glue, byte-identical to the toolchain's
	Loader   string // web/loader.js, containing Placeholder
	Policy   string // the default policy.json
	Wasm     string // the widget, built with GOOS=js GOARCH=wasm
	// Types is web/consentry.d.ts; when set, the folder is also an npm package: the
	// declarations and a package.json naming every file (1.1).
	Types string
}

// Result tells what Build wrote and removed.
type Result struct {
	BuildID    string   // Version+content hash (BuildID), reported by the widget as Consentry.version
	WasmName   string   // consentry.<hash>.wasm
	Files      []string // every file now in the output folder that Build wrote, sorted
	Removed    []string // stale files of earlier builds that Build deleted
	Unexpected []string // other entries in the output folder, left alone
}

// WasmName returns the content-hashed file name of a wasm module: "consentry." followed by
// the first 10 hex digits of its SHA-256 and ".wasm", so it can be cached forever.
func WasmName(wasm []byte) string {
	sum := sha256.Sum256(wasm)
	return "consentry." + hex.EncodeToString(sum[:])[:hashLen] + ".wasm"
}

// IsWasmName reports whether name has the form WasmName produces.
func IsWasmName(name string) bool {
	digits, ok := strings.CutPrefix(name, "consentry.")
	if !ok {
		return false
	}
	digits, ok = strings.CutSuffix(digits, ".wasm")
	if !ok || len(digits) != hashLen {
		return false
	}
	for _, c := range digits {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// Script returns consentry.js: the runtime glue, unchanged, then the loader with every
// Placeholder replaced by wasmName and its comment-only lines dropped (withoutLineComments),
// both inside one function scope. The loader must contain
// the placeholder, or the script would look for a file that is not there.
//
// wasm_exec.js assigns globalThis.Go. The wrapper saves the page's own Go (a page may well
// have one: a `var Go` of its own, another Go program) before the glue runs, and puts it
// back once the loader has taken the runtime for itself, so the page never loses it.
func Script(wasmExec, loader []byte, wasmName string) ([]byte, error) {
	if !bytes.Contains(loader, []byte(Placeholder)) {
		return nil, fmt.Errorf("distbuild: loader does not contain %s, so consentry.js could not find the wasm", Placeholder)
	}
	var b bytes.Buffer
	b.WriteString(scriptPrologue)
	b.Write(wasmExec)
	b.WriteByte('\n')
	b.Write(withoutLineComments(bytes.ReplaceAll(loader, []byte(Placeholder), []byte(wasmName))))
	b.WriteString(scriptEpilogue)
	return b.Bytes(), nil
}

// withoutLineComments drops the lines of the loader that hold only a // comment: they are
// for its readers, and every visitor would download them (about 3 KB of brotli). A
// comment after code stays, and nothing else is touched.
func withoutLineComments(src []byte) []byte {
	var out []byte
	for line := range bytes.SplitAfterSeq(src, []byte("\n")) {
		if !bytes.HasPrefix(bytes.TrimLeft(line, " \t"), []byte("//")) {
			out = append(out, line...)
		}
	}
	return out
}

// scriptPrologue and scriptEpilogue wrap consentry.js; see Script.
const (
	scriptPrologue = "(function () {\n\"use strict\";\n" +
		"var consentryPageGo = Object.getOwnPropertyDescriptor(globalThis, \"Go\");\n"
	scriptEpilogue = "\nif (consentryPageGo) {\n" +
		"  try { Object.defineProperty(globalThis, \"Go\", consentryPageGo); } catch (e) { /* a page's frozen global */ }\n" +
		"}\n})();\n"
)

// Build writes the deployable folder out from in, creating out if needed. Every file is
// written to a temporary name and renamed, in an order that keeps a server running on out
// consistent: the new wasm and policy before the consentry.js that names them, each file
// before its compressed copies, and stale wasm files removed last. Other entries of out
// are left alone and reported in Result.Unexpected.
func Build(out string, in Inputs) (Result, error) {
	var res Result
	var wasmExec, loader, policy, wasm []byte
	for _, src := range []struct {
		dst  *[]byte
		name string
	}{{&wasmExec, in.WasmExec}, {&loader, in.Loader}, {&policy, in.Policy}, {&wasm, in.Wasm}} {
		b, err := os.ReadFile(src.name)
		if err != nil {
			return res, fmt.Errorf("distbuild: %w", err)
		}
		*src.dst = b
	}
	// A policy that is not even JSON would make every visitor's widget fail closed; the
	// widget's own checks (CONTRACT.md §3) run in the browser and in its tests.
	if !json.Valid(policy) {
		return res, fmt.Errorf("distbuild: %s is not valid JSON", in.Policy)
	}
	if !bytes.HasPrefix(wasm, []byte("\x00asm")) {
		return res, fmt.Errorf("distbuild: %s is not a WebAssembly module", in.Wasm)
	}
	res.WasmName = WasmName(wasm)
	res.BuildID = BuildID(Version, wasmExec, loader, wasm)
	loader = bytes.ReplaceAll(loader, []byte(BuildPlaceholder), []byte(res.BuildID))
	if bytes.Contains(loader, []byte(FirstPaintPlaceholder)) { // the banner built in (CONTRACT.md §9, firstpaint.go)
		fp, err := FirstPaint(policy)
		if err != nil {
			return res, fmt.Errorf("distbuild: %s: %w", in.Policy, err)
		}
		loader = bytes.Replace(loader, []byte(FirstPaintPlaceholder), fp, 1)
	}
	script, err := Script(wasmExec, loader, res.WasmName)
	if err != nil {
		return res, err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return res, fmt.Errorf("distbuild: %w", err)
	}

	// The order matters; see the doc comment.
	files := []struct {
		name string
		data []byte
	}{
		{res.WasmName, wasm},
		{PolicyName, policy},
		{ScriptName, script},
	}
	// Compress all three at once: brotli's best quality on the wasm dominates the time.
	compressed := make([][2][]byte, len(files))
	errs := make([]error, len(files))
	var wg sync.WaitGroup
	for i, f := range files {
		wg.Go(func() {
			var br, gz []byte
			br, errs[i] = Brotli(f.data)
			if errs[i] == nil {
				gz, errs[i] = Gzip(f.data)
			}
			compressed[i] = [2][]byte{br, gz}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return res, fmt.Errorf("distbuild: %w", err)
	}
	written := map[string][]byte{} // what SHA256SUMS lists
	for i, f := range files {
		for _, w := range []struct {
			name string
			data []byte
		}{
			{f.name, f.data},
			{f.name + BrotliExt, compressed[i][0]},
			{f.name + GzipExt, compressed[i][1]},
		} {
			if err := writeFileAtomic(filepath.Join(out, w.name), w.data); err != nil {
				return res, fmt.Errorf("distbuild: %w", err)
			}
			res.Files = append(res.Files, w.name)
			written[w.name] = w.data
		}
	}
	// The npm package (npm.go): the declarations, then the package.json that names every
	// file of the folder, the checksums included.
	if in.Types != "" {
		types, err := os.ReadFile(in.Types)
		if err != nil {
			return res, fmt.Errorf("distbuild: %w", err)
		}
		pkg, err := packageJSONFor(res.WasmName, append(slices.Clone(res.Files), TypesName, SumsName))
		if err != nil {
			return res, err
		}
		for _, f := range []struct {
			name string
			data []byte
		}{{TypesName, types}, {PackageName, pkg}} {
			if err := writeFileAtomic(filepath.Join(out, f.name), f.data); err != nil {
				return res, fmt.Errorf("distbuild: %w", err)
			}
			res.Files = append(res.Files, f.name)
			written[f.name] = f.data
		}
	}
	// Last: the checksums of the files above, so a reader never sees it list a file that is
	// not written yet.
	if err := writeFileAtomic(filepath.Join(out, SumsName), Checksums(written)); err != nil {
		return res, fmt.Errorf("distbuild: %w", err)
	}
	res.Files = append(res.Files, SumsName)
	slices.Sort(res.Files)

	entries, err := os.ReadDir(out)
	if err != nil {
		return res, fmt.Errorf("distbuild: %w", err)
	}
	for _, e := range entries {
		name := e.Name()
		switch {
		case slices.Contains(res.Files, name):
		case !e.IsDir() && (hashedWasm.MatchString(name) || plainWasm.MatchString(name)):
			if err := os.Remove(filepath.Join(out, name)); err != nil {
				return res, fmt.Errorf("distbuild: removing stale %w", err)
			}
			res.Removed = append(res.Removed, name)
		default:
			res.Unexpected = append(res.Unexpected, name)
		}
	}
	return res, nil
}

// writeFileAtomic writes data to name through a temporary file in the same folder, so a
// reader sees either the old file or the new one, never a partial one. The temporary name
// starts with a dot, which the dev server never serves.
func writeFileAtomic(name string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".tmp*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(0o644)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, name)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}
