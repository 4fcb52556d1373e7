package distbuild

import (
	"bytes"
	"compress/gzip"

	"github.com/andybalholm/brotli"
)

// brotliWindow is the largest window the brotli format allows browsers to decode (RFC 7932
// section 9.1: WBITS up to 24, a 16 MiB window): a wasm module of a few MiB then fits in
// one window, which compresses it better than the library's default for quality 11.
const brotliWindow = 24

// Brotli compresses b at brotli's best quality (11), as the precompressed .br copies are
// made once and served many times.
func Brotli(b []byte) ([]byte, error) {
	var out bytes.Buffer
	w := brotli.NewWriterOptions(&out, brotli.WriterOptions{Quality: brotli.BestCompression, LGWin: brotliWindow})
	if _, err := w.Write(b); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// Gzip compresses b at gzip's best level. The header carries no name and no time, so the
// same input always gives the same bytes.
func Gzip(b []byte) ([]byte, error) {
	var out bytes.Buffer
	w, err := gzip.NewWriterLevel(&out, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(b); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}
