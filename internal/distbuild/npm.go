package distbuild

import (
	"bytes"
	"encoding/json"
	"fmt"
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

// packageJSONFor returns dist/package.json for a folder holding files (every file of the
// build but package.json itself, which npm always ships) with the wasm named wasmName.
func packageJSONFor(wasmName string, files []string) ([]byte, error) {
	files = slices.Sorted(slices.Values(files))
	pkg := packageJSON{
		Name:        "consentry",
		Version:     PackageVersion,
		Description: "A cookie-consent widget in Go and WebAssembly: one <script> tag, a policy.json, a banner and preferences that follow EU rules.",
		License:     PackageLicense,
		Browser:     "./" + ScriptName,
		Types:       "./" + TypesName,
		Exports: map[string]any{
			".":                exportConditions{Types: "./" + TypesName, Default: "./" + ScriptName},
			"./" + ScriptName:  "./" + ScriptName,
			"./" + PolicyName:  "./" + PolicyName,
			"./" + TypesName:   "./" + TypesName,
			"./" + PackageName: "./" + PackageName,
			"./" + wasmName:    "./" + wasmName,
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
	return buf.Bytes(), nil
}
