package distbuild

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
)

// The npm package (CONTRACT.md §1 lists what dist/ holds; 1.1 adds these two): the
// TypeScript declarations of window.Consentry and its events, and the package.json that
// `npm publish` run in dist/ would ship. The package is the deployable folder itself, to
// be served as it is (from node_modules, a CDN that mirrors npm, or a copy); its "exports"
// give bundlers and TypeScript the script, the policy and the types.
const (
	TypesName      = "consentry.d.ts"
	PackageName    = "package.json"
	PackageVersion = "1.1.0"
	// PackageLicense: the repository has no licence file yet, and npm's word for "no
	// licence granted" is UNLICENSED; change both together.
	PackageLicense = "UNLICENSED"
)

// packageJSON is dist/package.json.
type packageJSON struct {
	Name        string         `json:"name"`
	Version     string         `json:"version"`
	Description string         `json:"description"`
	License     string         `json:"license"`
	Browser     string         `json:"browser"`
	Types       string         `json:"types"`
	Exports     map[string]any `json:"exports"`
	Files       []string       `json:"files"`
	SideEffects bool           `json:"sideEffects"`
	Keywords    []string       `json:"keywords"`
}

// exportConditions are the conditions of the package's main export, "types" first, as
// TypeScript requires.
type exportConditions struct {
	Types   string `json:"types"`
	Default string `json:"default"`
}

// WritePackage copies the declarations (types, web/consentry.d.ts) into out and writes
// package.json naming exactly files (the folder's files written by Build) and the
// declarations. It returns the names it wrote.
func WritePackage(out, types string, res Result) ([]string, error) {
	src, err := os.ReadFile(types)
	if err != nil {
		return nil, fmt.Errorf("distbuild: %w", err)
	}
	files := append(slices.Clone(res.Files), TypesName)
	slices.Sort(files)
	pkg := packageJSON{
		Name:        "consentry",
		Version:     PackageVersion,
		Description: "A cookie-consent widget in Go and WebAssembly: one <script> tag, a policy.json, a banner and preferences that follow EU rules.",
		License:     PackageLicense,
		Browser:     "./" + ScriptName,
		Types:       "./" + TypesName,
		Exports: map[string]any{
			".":                 exportConditions{Types: "./" + TypesName, Default: "./" + ScriptName},
			"./" + ScriptName:   "./" + ScriptName,
			"./" + PolicyName:   "./" + PolicyName,
			"./" + TypesName:    "./" + TypesName,
			"./" + PackageName:  "./" + PackageName,
			"./" + res.WasmName: "./" + res.WasmName,
		},
		Files:       files,
		SideEffects: true, // consentry.js defines window.Consentry when it runs
		Keywords:    []string{"cookie", "consent", "gdpr", "eprivacy", "cnil", "cookie-banner", "webassembly"},
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(pkg); err != nil {
		return nil, fmt.Errorf("distbuild: %w", err)
	}
	data := buf.Bytes()
	for _, f := range []struct {
		name string
		data []byte
	}{{TypesName, src}, {PackageName, data}} {
		if err := writeFileAtomic(filepath.Join(out, f.name), f.data); err != nil {
			return nil, fmt.Errorf("distbuild: %w", err)
		}
	}
	return []string{PackageName, TypesName}, nil
}
