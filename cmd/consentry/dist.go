package main

import (
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/consentry/consentry/internal/distbuild"
)

// runDist writes the deployable folder from the built wasm and the repository's
// wasm_exec.js, web/loader.js and policy.json.
func runDist(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("dist", flag.ContinueOnError)
	out := fs.String("o", "dist", "output `folder`")
	wasm := fs.String("wasm", filepath.Join("build", "consentry.wasm"), "the widget built with GOOS=js GOARCH=wasm (`file`)")
	if err := parse(fs, args, stderr); err != nil {
		return err
	}
	res, err := distbuild.Build(*out, distbuild.Inputs{
		WasmExec: "wasm_exec.js",
		Loader:   filepath.Join("web", "loader.js"),
		Policy:   "policy.json",
		Wasm:     *wasm,
		Types:    filepath.Join("web", distbuild.TypesName),
	})
	if err != nil {
		return err
	}
	for _, name := range res.Removed {
		fmt.Fprintf(stdout, "removed stale %s\n", filepath.Join(*out, name))
	}
	fmt.Fprintf(stdout, "wrote %s: %s\n", *out, strings.Join(res.Files, " "))
	fmt.Fprintf(stdout, "build id: %s\n", res.BuildID)
	if len(res.Unexpected) > 0 {
		fmt.Fprintf(stderr, "consentry dist: warning: %s also holds %s, which the build did not write; remove them before deploying\n",
			*out, strings.Join(res.Unexpected, " "))
	}
	return nil
}
