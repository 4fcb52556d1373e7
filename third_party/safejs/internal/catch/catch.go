// Modified for Consentry: no fmt (see CONSENTRY.md at the root of this copy).

//go:build js && wasm

// Package catch runs functions and returns panic values as errors instead.
package catch

import (
	"errors"
	"strconv"
	"syscall/js"

	"github.com/hack-pad/safejs/internal/stackerr"
)

// Try runs fn and returns the result. If fn panicked, the panic value is returned as an error instead.
func Try[Result any](fn func() Result) (result Result, err error) {
	defer recoverErr(&err)
	result = fn()
	return
}

// TrySideEffect is like Try, but does not have a return value.
func TrySideEffect(fn func()) (err error) {
	defer recoverErr(&err)
	fn()
	return
}

func recoverErr(err *error) {
	value := recover()
	valueErr := recoverValueToError(value)
	if valueErr != nil {
		*err = stackerr.WithStack(valueErr)
	}
}

func recoverValueToError(value any) error {
	if value == nil {
		return nil
	}
	switch value := value.(type) {
	case error:
		return value
	case js.Value:
		return js.Error{Value: value}
	default:
		return errors.New(panicText(value))
	}
}

// panicText describes a panic value that is neither an error nor a JavaScript value
// without fmt (see ../../CONSENTRY.md): strings and Stringers keep their text, integers
// their digits; other values (which fmt would print with %+v) get a fixed text.
func panicText(value any) string {
	switch value := value.(type) {
	case string:
		return value
	case interface{ String() string }:
		return value.String()
	case int:
		return strconv.Itoa(value)
	}
	return "panic with a value that is not a string, an integer or a Stringer"
}
