package consentry_test

// The npm package that `make dist` writes (dist/package.json, CONTRACT.md §1 plus 1.1):
// `npm pack` must ship exactly the deployable folder and the declarations.

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/consentry/consentry/internal/distbuild"
)

// TestNpmPackFiles runs `npm pack --dry-run --json` in the dist folder and checks the
// tarball's file list, name, version and the package.json fields a consumer relies on.
func TestNpmPackFiles(t *testing.T) {
	if _, err := exec.LookPath("npm"); err != nil {
		t.Fatalf("npm: %v (make deps needs it too)", err)
	}
	if os.Getenv("CONSENTRY_SKIP_DIST") != "1" && os.Getenv("CONSENTRY_DIST") == "" {
		if out, err := exec.Command("make", "-s", "dist").CombinedOutput(); err != nil {
			t.Fatalf("make -s dist: %v\n%s", err, out)
		}
	}
	dir := distDir()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var wasm string
	for _, e := range entries {
		if distbuild.IsWasmName(e.Name()) {
			wasm = e.Name()
		}
	}
	if wasm == "" {
		t.Fatalf("no consentry.<hash>.wasm in %s", dir)
	}

	cmd := exec.Command("npm", "pack", "--dry-run", "--json", "--ignore-scripts")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "npm_config_update_notifier=false")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("npm pack --dry-run --json in %s: %v\n%s", dir, err, out)
	}
	var packs []struct {
		Name    string `json:"name"`
		Version string `json:"version"`
		Files   []struct {
			Path string `json:"path"`
		} `json:"files"`
	}
	if err := json.Unmarshal(out, &packs); err != nil || len(packs) != 1 {
		t.Fatalf("npm pack --json: %v\n%s", err, out)
	}
	var got []string
	for _, f := range packs[0].Files {
		got = append(got, f.Path)
	}
	slices.Sort(got)
	want := []string{
		wasm, wasm + ".br", wasm + ".gz",
		"consentry.d.ts",
		"consentry.js", "consentry.js.br", "consentry.js.gz",
		"package.json",
		"policy.json", "policy.json.br", "policy.json.gz",
		"SHA256SUMS", // the checksums of every other file, the release's proof (1.1)
	}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("npm pack ships\n  %s\nwant exactly\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
	if packs[0].Name != "consentry" || packs[0].Version != distbuild.PackageVersion {
		t.Errorf("package %s@%s, want consentry@%s", packs[0].Name, packs[0].Version, distbuild.PackageVersion)
	}

	var pkg struct {
		Types   string                     `json:"types"`
		License string                     `json:"license"`
		Exports map[string]json.RawMessage `json:"exports"`
	}
	data, err := os.ReadFile(filepath.Join(dir, "package.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &pkg); err != nil {
		t.Fatal(err)
	}
	if pkg.Types != "./consentry.d.ts" || pkg.License == "" {
		t.Errorf("package.json: types %q, license %q", pkg.Types, pkg.License)
	}
	main := string(pkg.Exports["."])
	if !strings.Contains(main, `"types"`) || strings.Index(main, `"types"`) > strings.Index(main, `"default"`) {
		t.Errorf(`package.json exports["."] = %s: "types" must come first, then "default"`, main)
	}
	for _, sub := range []string{"./consentry.js", "./consentry.d.ts", "./policy.json"} {
		if _, ok := pkg.Exports[sub]; !ok {
			t.Errorf("package.json exports has no %q", sub)
		}
	}
}
