package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/consentry/consentry/internal/distbuild"
)

// TestDistPrintsBuildID: `consentry dist` (what `make dist` runs) prints the build id of
// what it wrote, distbuild.BuildID of the repository's glue, loader template and the wasm,
// and consentry.js carries that id (TestE2EBuildID checks that the widget reports it).
func TestDistPrintsBuildID(t *testing.T) {
	out, wasm := filepath.Join(t.TempDir(), "dist"), filepath.Join(t.TempDir(), "w.wasm")
	module := []byte("\x00asm\x01\x00\x00\x00a stand-in module")
	require.NoError(t, os.WriteFile(wasm, module, 0o644))
	t.Chdir(filepath.Join("..", ".."))

	var stdout, stderr bytes.Buffer
	require.Equal(t, 0, run([]string{"dist", "-o", out, "-wasm", wasm}, &stdout, &stderr), stderr.String())
	m := regexp.MustCompile(`(?m)^build id: (\S+)$`).FindStringSubmatch(stdout.String())
	require.NotNil(t, m, "no build id in %q", stdout.String())

	glue, err := os.ReadFile("wasm_exec.js")
	require.NoError(t, err)
	loader, err := os.ReadFile(filepath.Join("web", "loader.js"))
	require.NoError(t, err)
	assert.Equal(t, distbuild.BuildID(distbuild.Version, glue, loader, module), m[1])
	script, err := os.ReadFile(filepath.Join(out, distbuild.ScriptName))
	require.NoError(t, err)
	assert.Contains(t, string(script), `var buildID = "`+m[1]+`";`)
}
