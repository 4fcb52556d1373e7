package distbuild_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/consentry/consentry/internal/distbuild"
)

// inputs writes a small set of build inputs to a temporary folder: a wasm module is only
// checked for its magic number, so a header and a few bytes stand in for one.
func inputs(t *testing.T, wasm, loader string) distbuild.Inputs {
	t.Helper()
	dir := t.TempDir()
	in := distbuild.Inputs{
		WasmExec: filepath.Join(dir, "wasm_exec.js"),
		Loader:   filepath.Join(dir, "loader.js"),
		Policy:   filepath.Join(dir, "policy.json"),
		Wasm:     filepath.Join(dir, "consentry.wasm"),
	}
	for name, data := range map[string]string{
		in.WasmExec: "// runtime glue\n",
		in.Loader:   loader,
		in.Policy:   `{"revision": 1}`,
		in.Wasm:     wasm,
	} {
		require.NoError(t, os.WriteFile(name, []byte(data), 0o644))
	}
	return in
}

const loader = `load(new URL("__CONSENTRY_WASM__", base)); // __CONSENTRY_WASM__` + "\n"

func TestBuildWritesTheContractLayout(t *testing.T) {
	wasm := "\x00asm\x01\x00\x00\x00" + strings.Repeat("widget ", 1000)
	out := filepath.Join(t.TempDir(), "dist")
	res, err := distbuild.Build(out, inputs(t, wasm, loader))
	require.NoError(t, err)

	name := distbuild.WasmName([]byte(wasm))
	assert.Equal(t, name, res.WasmName)
	assert.True(t, distbuild.IsWasmName(name), name)
	want := []string{
		"consentry.js", "consentry.js.br", "consentry.js.gz",
		name, name + ".br", name + ".gz",
		"policy.json", "policy.json.br", "policy.json.gz",
		"SHA256SUMS",
	}
	assert.ElementsMatch(t, want, res.Files)
	assert.ElementsMatch(t, want, dirNames(t, out), "no temporary or other files are left")

	script := read(t, out, "consentry.js")
	// The glue and the loader, unchanged but for the wasm name, in one strict function scope.
	assert.True(t, strings.HasPrefix(script, "(function () {\n\"use strict\";\n"), script)
	assert.Contains(t, script, "// runtime glue\n\n"+strings.ReplaceAll(loader, distbuild.Placeholder, name))
	assert.True(t, strings.HasSuffix(script, "})();\n"), script)
	assert.Equal(t, wasm, read(t, out, name))
	assert.Equal(t, `{"revision": 1}`, read(t, out, "policy.json"))

	for _, f := range []string{"consentry.js", name, "policy.json"} {
		raw := read(t, out, f)
		assert.Equal(t, raw, gunzip(t, read(t, out, f+".gz")), f+".gz decodes to "+f)
		assert.Equal(t, raw, unbrotli(t, read(t, out, f+".br")), f+".br decodes to "+f)
	}
}

func TestBuildRemovesStaleWasmOnly(t *testing.T) {
	out := t.TempDir()
	first, err := distbuild.Build(out, inputs(t, "\x00asm\x01\x00\x00\x00first", loader))
	require.NoError(t, err)
	for _, name := range []string{"consentry.wasm", "consentry.wasm.br", "notes.txt"} {
		require.NoError(t, os.WriteFile(filepath.Join(out, name), nil, 0o644))
	}

	second, err := distbuild.Build(out, inputs(t, "\x00asm\x01\x00\x00\x00second", loader))
	require.NoError(t, err)
	assert.NotEqual(t, first.WasmName, second.WasmName)
	assert.ElementsMatch(t, []string{
		first.WasmName, first.WasmName + ".br", first.WasmName + ".gz",
		"consentry.wasm", "consentry.wasm.br",
	}, second.Removed)
	assert.Equal(t, []string{"notes.txt"}, second.Unexpected, "files the build does not own are reported, not deleted")
	assert.FileExists(t, filepath.Join(out, "notes.txt"))
	assert.NoFileExists(t, filepath.Join(out, first.WasmName))
	assert.Contains(t, read(t, out, "consentry.js"), second.WasmName)
}

func TestBuildRefusesBadInputs(t *testing.T) {
	tests := []struct {
		desc, wasm, loader, want string
	}{
		{"a loader without the placeholder could never find the wasm",
			"\x00asm\x01\x00\x00\x00", "load('consentry.wasm')", "does not contain __CONSENTRY_WASM__"},
		{"a file that is not WebAssembly is not shipped as the widget",
			"#!/bin/sh\n", loader, "is not a WebAssembly module"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "dist")
			_, err := distbuild.Build(out, inputs(t, tt.wasm, tt.loader))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			assert.True(t, strings.HasPrefix(err.Error(), "distbuild: "), err.Error())
			assert.NoDirExists(t, out, "nothing is written when an input is refused")
		})
	}
}

func TestIsWasmName(t *testing.T) {
	tests := map[string]bool{
		"consentry.0123456789.wasm":    true,
		"consentry.abcdef0123.wasm":    true,
		"consentry.ABCDEF0123.wasm":    false, // WasmName writes lower case
		"consentry.012345678.wasm":     false, // nine digits
		"consentry.0123456789.wasm.br": false,
		"consentry.wasm":               false,
		"other.0123456789.wasm":        false,
	}
	for name, want := range tests {
		assert.Equal(t, want, distbuild.IsWasmName(name), name)
	}
}

func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func read(t *testing.T, dir, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	require.NoError(t, err)
	return string(b)
}

func gunzip(t *testing.T, s string) string {
	t.Helper()
	r, err := gzip.NewReader(strings.NewReader(s))
	require.NoError(t, err)
	b, err := io.ReadAll(r)
	require.NoError(t, err)
	return string(b)
}

func unbrotli(t *testing.T, s string) string {
	t.Helper()
	b, err := io.ReadAll(brotli.NewReader(bytes.NewReader([]byte(s))))
	require.NoError(t, err)
	return string(b)
}
