package widget

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
)

// This file holds parseJSON to encoding/json, the reference reader of the standard library.
// encoding/json is used here only, in a _test file: the widget itself must not link it
// (see json.go for why).

// stdlibValue turns a parseJSON tree into the value encoding/json.Unmarshal produces into
// an interface{} with UseNumber: map[string]any, []any, json.Number, string, bool or nil.
func stdlibValue(v *jsonValue) any {
	switch v.kind {
	case jsonNull:
		return nil
	case jsonBool:
		return v.boolean
	case jsonNumber:
		return json.Number(v.number)
	case jsonString:
		return v.str
	case jsonArray:
		elems := make([]any, 0, len(v.elems))
		for _, e := range v.elems {
			elems = append(elems, stdlibValue(e))
		}
		return elems
	}
	members := make(map[string]any, len(v.members))
	for _, m := range v.members {
		members[m.key] = stdlibValue(m.value)
	}
	return members
}

// stdlibDecode decodes data the way encoding/json does: json.Valid makes the accept/refuse
// decision (Unmarshal into an interface{} would also refuse numbers such as 1e400 that do
// not fit a float64, which is not a syntax error), and a Decoder with UseNumber reads the
// value, numbers kept as written.
func stdlibDecode(data []byte) (any, error) {
	if !json.Valid(data) {
		var v any
		err := json.Unmarshal(data, &v)
		if err == nil {
			err = errors.New("json.Valid refuses it")
		}
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

// jsonShape walks data, which encoding/json accepted, and reports how deeply it nests and
// whether some object repeats a key: the two things parseJSON refuses on purpose.
func jsonShape(t *testing.T, data []byte) (depth int, duplicateKey bool) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	type frame struct {
		object bool
		keys   map[string]bool
		key    bool // the next string token in this object is a key
	}
	var stack []*frame
	for {
		tok, err := dec.Token()
		if err != nil {
			return depth, duplicateKey // io.EOF after the one value
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if top != nil && top.object && top.key {
			if d, ok := tok.(json.Delim); ok && d == '}' {
				stack = stack[:len(stack)-1]
				continue
			}
			k, ok := tok.(string)
			require.True(t, ok, "key token %#v", tok)
			if top.keys[k] {
				duplicateKey = true
			}
			top.keys[k] = true
			top.key = false
			continue
		}
		if top != nil && top.object {
			top.key = true // this token is the value; the next one is a key
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, &frame{object: true, keys: map[string]bool{}, key: true})
		case json.Delim('['):
			stack = append(stack, &frame{})
		case json.Delim(']'), json.Delim('}'):
			stack = stack[:len(stack)-1]
		}
		depth = max(depth, len(stack))
	}
}

// checkAgainstStdlib asserts that parseJSON and encoding/json make the same decision about
// data and read the same value, within the departures listed in json.go's doc comment.
func checkAgainstStdlib(t *testing.T, data []byte) {
	ours, ourErr := parseJSON(data)
	if ourErr != nil {
		require.Nil(t, ours)
		_, ok := ourErr.(*SyntaxError)
		require.True(t, ok, "error %v is not a *SyntaxError", ourErr)
	}
	ref := data
	if bytes.HasPrefix(ref, []byte("\uFEFF")) {
		ref = ref[3:] // departure: a leading UTF-8 byte order mark is skipped
	}
	theirs, theirErr := stdlibDecode(ref)
	switch {
	case theirErr != nil:
		require.Error(t, ourErr, "parseJSON accepts %q, which encoding/json refuses: %v", data, theirErr)
	case !utf8.Valid(data):
		require.Error(t, ourErr, "parseJSON accepts invalid UTF-8 %q", data)
	case ourErr != nil:
		depth, duplicate := jsonShape(t, ref)
		require.True(t, depth > maxJSONDepth || duplicate,
			"parseJSON refuses %q (%v), which encoding/json accepts (depth %d, no duplicate key)", data, ourErr, depth)
	default:
		depth, duplicate := jsonShape(t, ref)
		require.LessOrEqual(t, depth, maxJSONDepth, "parseJSON accepts %q nested too deep", data)
		require.False(t, duplicate, "parseJSON accepts a duplicate key in %q", data)
		require.Equal(t, theirs, stdlibValue(ours), "different values for %q", data)
	}
}

// TestParseJSONAgainstStdlib runs the comparison on inputs each departure or tricky part
// of the grammar is about, so that a regression fails without the fuzzer.
func TestParseJSONAgainstStdlib(t *testing.T) {
	for _, in := range []string{
		`{"a":[1,-2.5e+3,true,false,null,{"b":"c"}],"d":"\ud83d\ude00\u00e9\n"}`,
		`"\ud800"`, `"\udc00\ud800"`, `"\ud800\u0041"`, `"\ud800\ud800\udc00"`, "\uFEFF[]",
		`{"a":1,"a":2}`, `[1,]`, `01`, `-`, `1.`, `1e`, `-0.0e-0`, "\"\xff\"", "[\x00]",
		string(bytes.Repeat([]byte("["), 33)) + string(bytes.Repeat([]byte("]"), 33)),
		string(bytes.Repeat([]byte("["), 32)) + string(bytes.Repeat([]byte("]"), 32)),
		" \t\r\n[ ] ", "\f[]", "[]\v", `"\/\b\f"`, `"\x"`, `"\u12"`, `"\u12G4"`, "\"a\tb\"",
		`{"":0}`, `1e400`, `[-1e-400]`, `{"a":1,"\u0061":2}`, `{"\ud800":1,"\udc00":2}`, `{"a":{"b":{}},"b":[]}`, `[1 2]`, `{"a" 1}`, `truefalse`, `nul`, `[] []`,
	} {
		t.Run(in, func(t *testing.T) { checkAgainstStdlib(t, []byte(in)) })
	}
}

// FuzzParseJSONAgainstStdlib fuzzes parseJSON against encoding/json: the same inputs
// accepted and refused, the same values read, except for the departures listed in
// json.go's doc comment (duplicate keys, nesting deeper than maxJSONDepth and invalid
// UTF-8 refused; a leading byte order mark skipped).
func FuzzParseJSONAgainstStdlib(f *testing.F) {
	for _, seed := range []string{
		`{"a":[1,-2.5e+3,true,false,null,{"b":"c"}],"d":"\ud83d\ude00\u00e9\n"}`,
		`"\ud800"`, `"\udc00\ud800"`, `"\ud800\u0041"`, "\uFEFF[]", `{"a":1,"a":2}`, `[1,]`,
		`01`, "\"\xff\"", jsonManyKeys(20, true), `{"k":"<&>\u2028"}`, `[[[[]]]]`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(checkAgainstStdlib)
}
