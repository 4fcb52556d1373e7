package main

import (
	"errors"
	"strconv"
	"strings"
)

// codeByPackage reads a WebAssembly module built without -ldflags=-s (so that it keeps its
// "name" custom section) and returns, for each Go package, the bytes of its functions'
// bodies in the code section, and those bodies concatenated (to estimate how they
// compress). The Go linker writes package paths with '/' as '_' ("github.com_hack-pad_safejs"):
// the keys are those mangled paths. Functions written in assembly, which have no package
// in their names, are counted under "(assembly)".
func codeByPackage(module []byte) (sizes map[string]int, bodies map[string][]byte, err error) {
	if len(module) < 8 || string(module[:4]) != "\x00asm" {
		return nil, nil, errors.New("not a WebAssembly module")
	}
	var (
		imported  int      // function imports come first in the function index space
		code      [][]byte // function bodies, by index after the imports
		names     = map[int]string{}
		haveNames bool
	)
	r := wasmReader{b: module[8:]}
	for !r.done() {
		id := r.byte()
		section := wasmReader{b: r.bytes(r.uint())}
		switch id {
		case 2: // imports
			for n := section.uint(); n > 0 && section.err == nil; n-- {
				section.bytes(section.uint()) // module
				section.bytes(section.uint()) // name
				switch kind := section.byte(); kind {
				case 0: // function: type index
					section.uint()
					imported++
				case 1: // table: element type, limits
					section.byte()
					section.limits()
				case 2: // memory: limits
					section.limits()
				case 3: // global: value type, mutability
					section.byte()
					section.byte()
				default:
					section.err = errors.New("unknown import kind")
				}
			}
		case 10: // code
			for n := section.uint(); n > 0 && section.err == nil; n-- {
				code = append(code, section.bytes(section.uint()))
			}
		case 0: // custom
			if string(section.bytes(section.uint())) != "name" {
				break
			}
			for !section.done() {
				sub := section.byte()
				body := wasmReader{b: section.bytes(section.uint())}
				if sub != 1 { // 1: function names
					continue
				}
				haveNames = true
				for n := body.uint(); n > 0 && body.err == nil; n-- {
					index := int(body.uint())
					names[index] = string(body.bytes(body.uint()))
				}
				if body.err != nil {
					section.err = body.err
				}
			}
		}
		if section.err != nil {
			return nil, nil, errors.New("section " + strconv.Itoa(int(id)) + ": " + section.err.Error())
		}
	}
	if r.err != nil {
		return nil, nil, r.err
	}
	if !haveNames {
		return nil, nil, errors.New("no function names: build it without -ldflags=-s")
	}
	sizes, bodies = map[string]int{}, map[string][]byte{}
	for i, body := range code {
		pkg := packageOf(names[imported+i])
		sizes[pkg] += len(body)
		bodies[pkg] = append(bodies[pkg], body...)
	}
	return sizes, bodies, nil
}

// packageOf returns the package part of a linker symbol name such as
// "github.com_consentry_consentry_widget.__Policy_.Check" or
// "slices.pdqsortOrdered_go.shape.string_".
func packageOf(symbol string) string {
	rest := symbol
	// A module path's first element holds dots of its own.
	for _, host := range []string{"github.com_", "golang.org_", "gopkg.in_", "google.golang.org_"} {
		if strings.HasPrefix(symbol, host) {
			rest = symbol[len(host):]
		}
	}
	i := strings.Index(rest, ".")
	if i < 0 {
		return "(assembly)"
	}
	return symbol[:len(symbol)-len(rest)+i]
}

// wasmReader reads the binary format's primitives; after the first error every read
// returns zero values and err stays set.
type wasmReader struct {
	b   []byte
	err error
}

func (r *wasmReader) done() bool { return len(r.b) == 0 || r.err != nil }

func (r *wasmReader) byte() byte {
	if r.err != nil || len(r.b) == 0 {
		r.fail()
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

// uint reads an unsigned LEB128 number of at most 32 bits.
func (r *wasmReader) uint() uint32 {
	var n uint32
	for shift := 0; shift < 35; shift += 7 {
		c := r.byte()
		n |= uint32(c&0x7f) << shift
		if c < 0x80 {
			return n
		}
	}
	r.fail()
	return 0
}

func (r *wasmReader) bytes(n uint32) []byte {
	if r.err != nil || uint64(n) > uint64(len(r.b)) {
		r.fail()
		return nil
	}
	b := r.b[:n]
	r.b = r.b[n:]
	return b
}

func (r *wasmReader) limits() {
	if r.byte()&1 != 0 {
		r.uint()
	}
	r.uint()
}

func (r *wasmReader) fail() {
	if r.err == nil {
		r.err = errors.New("truncated or malformed module")
	}
	r.b = nil
}
