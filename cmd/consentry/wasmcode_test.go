package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testModule builds a WebAssembly module with one imported function and one body per
// name, named in a "name" section when named is true.
func testModule(named bool, bodies map[string]int) []byte {
	leb := func(n int) []byte {
		var b []byte
		for {
			c := byte(n & 0x7f)
			n >>= 7
			if n != 0 {
				b = append(b, c|0x80)
				continue
			}
			return append(b, c)
		}
	}
	str := func(s string) []byte { return append(leb(len(s)), s...) }
	section := func(id byte, content []byte) []byte {
		return append(append([]byte{id}, leb(len(content))...), content...)
	}
	module := []byte("\x00asm\x01\x00\x00\x00")
	imports := append(leb(1), str("go")...)
	imports = append(append(imports, str("debug")...), 0, 0) // a function of type 0
	module = append(module, section(2, imports)...)

	var names []string
	for name := range bodies {
		names = append(names, name)
	}
	code, nameMap := leb(len(names)), leb(len(names))
	for i, name := range names {
		code = append(append(code, leb(bodies[name])...), bytes.Repeat([]byte{0x01}, bodies[name])...)
		nameMap = append(append(nameMap, leb(i+1)...), str(name)...) // index 0 is the import
	}
	module = append(module, section(10, code)...)
	if named {
		custom := append(str("name"), 1)
		custom = append(append(custom, leb(len(nameMap))...), nameMap...)
		module = append(module, section(0, custom)...)
	}
	return module
}

func TestCodeByPackage(t *testing.T) {
	module := testModule(true, map[string]int{
		"github.com_consentry_consentry_widget.__Policy_.Check": 300,
		"github.com_consentry_consentry_widget.ParsePolicy":     200,
		"main.__app_.api.func12":                                50,
		"slices.pdqsortOrdered_go.shape.string_":                7,
		"runtime.gcStart":                                       40,
		"memeqbody":                                             3,
	})
	sizes, bodies, err := codeByPackage(module)
	require.NoError(t, err)
	assert.Equal(t, map[string]int{
		"github.com_consentry_consentry_widget": 500,
		"main":                                  50,
		"slices":                                7,
		"runtime":                               40,
		"(assembly)":                            3,
	}, sizes)
	assert.Len(t, bodies["github.com_consentry_consentry_widget"], 500)

	_, _, err = codeByPackage(testModule(false, map[string]int{"main.main": 10}))
	assert.ErrorContains(t, err, "without -ldflags=-s")
	_, _, err = codeByPackage(module[:len(module)-5])
	assert.ErrorContains(t, err, "malformed")
	_, _, err = codeByPackage([]byte("not wasm"))
	assert.ErrorContains(t, err, "not a WebAssembly module")
}

// TestSizeImportsAndCodeTables checks the two optional tables of `consentry size`.
func TestSizeImportsAndCodeTables(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		name = filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(name, data, 0o644))
		return name
	}
	dist := filepath.Join(dir, "dist")
	require.NoError(t, os.MkdirAll(dist, 0o755))
	write("dist/consentry.js", []byte("// glue"))
	write("dist/consentry.0123456789.wasm", []byte("\x00asm\x01\x00\x00\x00"))
	write("dist/policy.json", []byte("{}"))
	base := write("base.wasm", []byte("\x00asm\x01\x00\x00\x00"))
	json := write("json.wasm", []byte("\x00asm\x01\x00\x00\x00"+strings.Repeat("reflection ", 100)))
	widget := write("widget.names.wasm", testModule(true, map[string]int{"main.main": 2000, "runtime.gcStart": 50}))
	floor := write("floor.names.wasm", testModule(true, map[string]int{"main.main": 10, "runtime.gcStart": 50}))

	var stdout, stderr bytes.Buffer
	code := run([]string{"size", "-dist", dist, "-import-base", base, "-import", "encoding/json=" + json,
		"-code", widget, "-code-baseline", floor}, &stdout, &stderr)
	require.Equal(t, 0, code, stderr.String())
	out := stdout.String()
	assert.Regexp(t, `(?m)^ *encoding/json +\+1100 +\+\d+ +\+\d+ *$`, out)
	assert.Regexp(t, `(?m)^ *main +2000 +10 +\+1990 +[+-]\d+ *$`, out)
	assert.Regexp(t, `(?m)^ *all code +2050 +60 +\+1990 +[+-]\d+ *$`, out)

	stderr.Reset()
	assert.Equal(t, 1, run([]string{"size", "-dist", dist, "-import", "x=" + json}, &stdout, &stderr))
	assert.Contains(t, stderr.String(), "-import and -import-base go together")
}
