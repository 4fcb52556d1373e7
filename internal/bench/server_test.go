package bench

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestNewServerServesADistAsMakeDistWritesIt builds the server over a dist folder with every
// kind of file `make dist` writes (SHA256SUMS and consentry.d.ts included, which no page
// loads): the benchmark must start, and serve the files a page does load.
func TestNewServerServesADistAsMakeDistWritesIt(t *testing.T) {
	dir := t.TempDir()
	write := func(rel, content string) string {
		p := filepath.Join(dir, rel)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
		return p
	}
	for name, content := range map[string]string{
		"consentry.js": "/* loader */", "consentry.js.br": "x", "consentry.0123456789.wasm": "\x00asm",
		"policy.json": "{}", "SHA256SUMS": "abc  consentry.js\n", "consentry.d.ts": "export {}",
		"package.json": "{}",
	} {
		write(filepath.Join("dist", name), content)
	}
	for _, f := range []string{"vanilla-cookieconsent/dist/cookieconsent.umd.js", "vanilla-cookieconsent/dist/cookieconsent.css",
		"klaro/dist/klaro-no-css.js", "klaro/dist/klaro.min.css"} {
		write(filepath.Join("node_modules", f), "/* contender */")
	}
	s, err := NewServer(Config{
		Dist:        filepath.Join(dir, "dist"),
		FloorWasm:   write("banner.wasm", "\x00asm"),
		WasmExec:    write("wasm_exec.js", "/* go */"),
		NodeModules: filepath.Join(dir, "node_modules"),
	})
	require.NoError(t, err)
	for path, status := range map[string]int{
		"/consentry/consentry.js": http.StatusOK, "/consentry/policy.json": http.StatusOK,
		"/consentry/consentry.0123456789.wasm": http.StatusOK, "/consentry/SHA256SUMS": http.StatusNotFound,
	} {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		require.Equal(t, status, rec.Code, path)
	}
}
