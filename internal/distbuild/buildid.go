package distbuild

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"
)

// Version is the release of Consentry that this source tree builds. A build id adds the
// content hash of what the build ships (BuildID).
const Version = "1.1.0-dev"

// BuildPlaceholder is the string in web/loader.js that stands for the build id; Build
// replaces every occurrence. The loader reports the id as Consentry.version and hands it
// to the module, which puts it in consentry:ready's detail (and, for issue 12, in receipts).
const BuildPlaceholder = "__CONSENTRY_BUILD__"

// SumsName is the checksum file Build writes, in the format of GNU coreutils' sha256sum:
// `sha256sum -c SHA256SUMS` in the folder checks every file the build wrote.
const SumsName = "SHA256SUMS"

// buildHashLen is how many hex digits of the content hash go into a build id: 48 bits.
const buildHashLen = 12

// BuildID returns the id of a build: version, '+', then the first 12 hex digits of a
// SHA-256 over the code that runs in the visitor's browser — Go's runtime glue, the loader
// as written (with its placeholders, so that the id it will carry is not part of what it
// hashes, and without the policy, which a site changes without changing the code) and the
// WebAssembly module — each preceded by its length, so that no two different sets of
// inputs hash alike by moving bytes from one to the next. Like a semantic version's build
// metadata, the part after '+' names the exact bytes: the CNIL's recommendation on proof of
// consent suggests keeping a timestamped hash of the consent code of each version.
func BuildID(version string, wasmExec, loaderTemplate, wasm []byte) string {
	h := sha256.New()
	h.Write([]byte("consentry build v1\n"))
	for _, part := range [][]byte{wasmExec, loaderTemplate, wasm} {
		h.Write(strconv.AppendInt(nil, int64(len(part)), 10))
		h.Write([]byte{'\n'})
		h.Write(part)
	}
	return version + "+" + hex.EncodeToString(h.Sum(nil))[:buildHashLen]
}

// Checksums returns the content of a SHA256SUMS file for files (name → content): one line
// per file, sorted by name, "<64 hex digits>  <name>", as `sha256sum` writes it in text
// mode.
func Checksums(files map[string][]byte) []byte {
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	slices.Sort(names)
	var b bytes.Buffer
	for _, name := range names {
		sum := sha256.Sum256(files[name])
		b.WriteString(hex.EncodeToString(sum[:]))
		b.WriteString("  ")
		b.WriteString(name)
		b.WriteByte('\n')
	}
	return b.Bytes()
}
