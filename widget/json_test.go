package widget

import (
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// canonicalJSON writes v back as compact JSON: numbers as written, strings through
// appendJSONString, members in source order. Parsing its output gives the same tree, which
// is the round-trip property the tests and FuzzParseJSON check.
func canonicalJSON(v *jsonValue) string {
	return string(appendCanonicalJSON(nil, v))
}

// appendCanonicalJSON appends canonicalJSON(v) to b.
func appendCanonicalJSON(b []byte, v *jsonValue) []byte {
	switch v.kind {
	case jsonNull:
		return append(b, "null"...)
	case jsonBool:
		return strconv.AppendBool(b, v.boolean)
	case jsonNumber:
		return append(b, v.number...)
	case jsonString:
		return appendJSONString(b, v.str)
	case jsonArray:
		b = append(b, '[')
		for i, e := range v.elems {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendCanonicalJSON(b, e)
		}
		return append(b, ']')
	}
	b = append(b, '{')
	for i, m := range v.members {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, m.key)
		b = append(b, ':')
		b = appendCanonicalJSON(b, m.value)
	}
	return append(b, '}')
}

// TestParseJSONValid checks values that RFC 8259 allows, written back canonically.
func TestParseJSONValid(t *testing.T) {
	tests := []struct {
		desc string
		in   string
		want string
	}{
		{"RFC 8259 §3: the literal names are values on their own", `true`, `true`},
		{"RFC 8259 §3: false", ` false `, `false`},
		{"RFC 8259 §3: null, with white space of all four kinds around it", " \t\r\nnull\n", `null`},
		{"RFC 8259 §6: a negative zero is a valid number", `-0`, `-0`},
		{"RFC 8259 §6: fraction and signed exponent, kept as written", `-12.5e+3`, `-12.5e+3`},
		{"RFC 8259 §6: capital E exponent", `1E-2`, `1E-2`},
		{"RFC 8259 §7: escapes decode, and '/' may be escaped", `"a\"b\\c\/d\b\f\n\r\t"`, `"a\"b\\c/d\u0008\u000c\n\r\t"`},
		{"RFC 8259 §7: \\u escapes decode, upper- or lower-case hex", `"\u00e9\u00C9"`, `"éÉ"`},
		{"RFC 8259 §7: a surrogate pair decodes to one character", `"\ud83d\ude00"`, `"😀"`},
		{"RFC 8259 §8.2: a lone high surrogate becomes U+FFFD", `"\ud800x"`, "\"\uFFFDx\""},
		{"RFC 8259 §8.2: a lone low surrogate becomes U+FFFD", `"\udc00"`, "\"\uFFFD\""},
		{"RFC 8259 §8.2: a high surrogate before a non-surrogate escape keeps both characters", `"\ud83d\u0041"`, "\"\uFFFDA\""},
		{"RFC 8259 §8.2: a reversed pair is two lone surrogates", `"\udc00\ud800"`, "\"\uFFFD\uFFFD\""},
		{"RFC 8259 §8.2: a high surrogate followed by another escape is not paired with what follows", `"\ud800\nabcd"`, "\"\uFFFD\\nabcd\""},
		{"RFC 8259 §8.1: UTF-8 text passes through unchanged", `"Français ✓ 😀"`, `"Français ✓ 😀"`},
		{"RFC 8259 §4: empty object", `{}`, `{}`},
		{"RFC 8259 §5: empty array", `[ ]`, `[]`},
		{"RFC 8259 §4: members keep their source order", `{"b": 1, "a": [true, null, {"c": "d"}]}`, `{"b":1,"a":[true,null,{"c":"d"}]}`},
		{"json.go: a UTF-8 byte order mark is skipped, as Windows editors write one", "\uFEFF{\"a\":1}", `{"a":1}`},
		{"json.go: 32 levels of nesting are allowed", strings.Repeat("[", 32) + strings.Repeat("]", 32), strings.Repeat("[", 32) + strings.Repeat("]", 32)},
		{"json.go: keys are compared after decoding, so distinct escapes of distinct keys pass", `{"a":1,"\u0062":2}`, `{"a":1,"b":2}`},
		{"json.go: many keys (past the set threshold) are accepted when distinct", jsonManyKeys(40, false), jsonManyKeys(40, false)},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			v, err := parseJSON([]byte(tt.in))
			require.NoError(t, err)
			assert.Equal(t, tt.want, canonicalJSON(v))
		})
	}
}

// jsonManyKeys returns an object with n distinct keys k0…k(n-1), and a repeat of k3 at the end
// when dup is set.
func jsonManyKeys(n int, dup bool) string {
	var b strings.Builder
	b.WriteString("{")
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`"k` + strconv.Itoa(i) + `":0`)
	}
	if dup {
		b.WriteString(`,"k3":1`)
	}
	b.WriteString("}")
	return b.String()
}

// TestParseJSONErrors checks each kind of syntax error with its exact position, counted as
// editors count: lines and columns from 1, columns in characters.
func TestParseJSONErrors(t *testing.T) {
	tests := []struct {
		desc string
		in   string
		want string // SyntaxError.Error()
	}{
		{"RFC 8259 §2: a JSON text is one value, so empty input is an error", ``, `line 1, column 1: unexpected end of input, expected a value`},
		{"RFC 8259 §2: white space alone is not a value", " \n ", `line 2, column 2: unexpected end of input, expected a value`},
		{"RFC 8259 §2: one value only, nothing after it", `{} x`, `line 1, column 4: unexpected 'x' after the end of the value`},
		{"RFC 8259 §3: literal names are lower-case", `True`, `line 1, column 1: unexpected 'T', expected a value`},
		{"RFC 8259 §3: a truncated literal is not a value", `[tru]`, `line 1, column 2: unexpected 't', expected a value`},
		{"RFC 8259 §4: a trailing comma in an object", `{"a":1,}`, `line 1, column 8: unexpected '}', expected a key in double quotes`},
		{"RFC 8259 §4: keys are strings", `{a:1}`, `line 1, column 2: unexpected 'a', expected a key in double quotes`},
		{"RFC 8259 §4: single quotes are not JSON", `{'a':1}`, `line 1, column 2: unexpected '\'', expected a key in double quotes`},
		{"RFC 8259 §4: a name is followed by a colon", `{"a" 1}`, `line 1, column 6: unexpected '1', expected ':' after the key`},
		{"RFC 8259 §4: members are separated by commas", `{"a":1 "b":2}`, `line 1, column 8: unexpected '"', expected ',' or '}'`},
		{"RFC 8259 §4: an unclosed object", `{"a":1`, `line 1, column 7: unexpected end of input, expected ',' or '}'`},
		{"RFC 8259 §4: a key without a value", `{"a":}`, `line 1, column 6: unexpected '}', expected a value`},
		{"RFC 8259 §5: a trailing comma in an array", `[1,]`, `line 1, column 4: unexpected ']', expected a value`},
		{"RFC 8259 §5: elements are separated by commas", `[1 2]`, `line 1, column 4: unexpected '2', expected ',' or ']'`},
		{"RFC 8259 §5: an unclosed array", `[`, `line 1, column 2: unexpected end of input, expected a value`},
		{"RFC 8259 §6: a minus sign needs digits", `-`, `line 1, column 2: invalid number: expected a digit`},
		{"RFC 8259 §6: no leading plus sign", `+1`, `line 1, column 1: unexpected '+', expected a value`},
		{"RFC 8259 §6: no leading zeros", `01`, `line 1, column 2: unexpected '1' after the end of the value`},
		{"RFC 8259 §6: a fraction needs digits", `1.`, `line 1, column 3: invalid number: expected a digit after '.'`},
		{"RFC 8259 §6: no bare fraction", `.5`, `line 1, column 1: unexpected '.', expected a value`},
		{"RFC 8259 §6: an exponent needs digits", `[1e+]`, `line 1, column 5: invalid number: expected a digit in the exponent`},
		{"RFC 8259 §7: an unclosed string", `"abc`, `line 1, column 5: unexpected end of input in a string`},
		{"RFC 8259 §7: input ending after a backslash", `"abc\`, `line 1, column 6: unexpected end of input in a string`},
		{"RFC 8259 §7: control characters must be escaped", "\"a\tb\"", `line 1, column 3: control character in string (write it as an escape)`},
		{"RFC 8259 §7: a raw newline in a string is a control character", "[\n\"a\nb\"]", `line 2, column 3: control character in string (write it as an escape)`},
		{"RFC 8259 §7: unknown escapes are errors", `"a\x"`, `line 1, column 3: invalid escape "\\x"`},
		{"RFC 8259 §7: \\u takes four hex digits", `"\u12g4"`, `line 1, column 2: invalid \u escape`},
		{"RFC 8259 §7: \\u at the end of input", `"\u12`, `line 1, column 2: invalid \u escape`},
		{"RFC 8259 §7: \\u digits are hex, not a signed number", `"\u+123"`, `line 1, column 2: invalid \u escape`},
		{"RFC 8259 §8.1: invalid UTF-8 is refused, not replaced", "\"a\xffb\"", `line 1, column 3: invalid UTF-8`},
		{"RFC 8259 §8.1: a truncated UTF-8 sequence is refused", "[\"é\", \"\xc3\"]", `line 1, column 8: invalid UTF-8`},
		{"json.go: columns count characters, not bytes", `["é😀", x]`, `line 1, column 8: unexpected 'x', expected a value`},
		{"json.go: lines count from 1, after each \\n (a \\r\\n counts once)", "{\r\n  \"a\": 1,\r\n  \"b\": }", `line 3, column 8: unexpected '}', expected a value`},
		{"json.go: a byte order mark takes no column", "\uFEFF}", `line 1, column 1: unexpected '}', expected a value`},
		{"json.go: a byte order mark is allowed only at the start", " \uFEFF{}", `line 1, column 2: unexpected '\ufeff', expected a value`},
		{"json.go, departing from RFC 8259 §4: duplicate keys are refused", `{"a":1,"a":2}`, `line 1, column 8: duplicate key "a"`},
		{"json.go: duplicate keys are compared after decoding escapes", `{"a":1,"\u0061":2}`, `line 1, column 8: duplicate key "a"`},
		{"json.go: duplicate keys are found among many keys too", jsonManyKeys(40, true), `line 1, column 312: duplicate key "k3"`},
		{"json.go: nesting deeper than 32 levels is refused", strings.Repeat("[", 33) + strings.Repeat("]", 33), `line 1, column 33: nested more than 32 levels deep`},
		{"json.go: the depth limit counts objects and arrays alike", strings.Repeat(`{"a":[`, 17), `line 1, column 97: nested more than 32 levels deep`},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			v, err := parseJSON([]byte(tt.in))
			assert.Nil(t, v)
			require.Error(t, err)
			var se *SyntaxError
			require.ErrorAs(t, err, &se)
			assert.Equal(t, tt.want, err.Error())
		})
	}
}

// TestJSONInteger checks jsonValue.integer, which accepts the integers JavaScript holds
// exactly.
func TestJSONInteger(t *testing.T) {
	tests := []struct {
		desc string
		in   string
		want int
		ok   bool
	}{
		{"a plain integer", `42`, 42, true},
		{"negative zero is zero", `-0`, 0, true},
		{"2^53 is the largest exact integer", `9007199254740992`, 1 << 53, true},
		{"-2^53 is the smallest", `-9007199254740992`, -(1 << 53), true},
		{"past 2^53 JavaScript rounds, so it is refused", `9007199254740993`, 0, false},
		{"a fraction is not an integer, even .0", `1.0`, 0, false},
		{"an exponent is not an integer, even 1e2", `1e2`, 0, false},
		{"a string is not an integer", `"1"`, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			v, err := parseJSON([]byte(tt.in))
			require.NoError(t, err)
			n, ok := v.integer()
			assert.Equal(t, tt.ok, ok)
			assert.Equal(t, tt.want, n)
		})
	}
}

// TestJSONOffsetsAndMembers checks that values keep the offset where they start, which
// the policy's error messages turn into lines and columns, and that member finds keys.
func TestJSONOffsetsAndMembers(t *testing.T) {
	data := []byte("{\n  \"a\": [1, \"x\"],\n  \"b\": {\"c\": null}\n}")
	v, err := parseJSON(data)
	require.NoError(t, err)
	assert.Equal(t, 0, v.offset)
	a := v.member("a")
	require.NotNil(t, a)
	assert.Equal(t, jsonArray, a.kind)
	line, column := LineColumn(data, a.elems[1].offset)
	assert.Equal(t, []int{2, 12}, []int{line, column})
	c := v.member("b").member("c")
	require.NotNil(t, c)
	line, column = LineColumn(data, c.offset)
	assert.Equal(t, []int{3, 14}, []int{line, column})
	assert.Nil(t, v.member("missing"))
}

// TestJSONKindNames checks the type names used in "expected a string, got number".
func TestJSONKindNames(t *testing.T) {
	assert.Equal(t,
		[]string{"null", "boolean", "number", "string", "array", "object"},
		[]string{jsonNull.String(), jsonBool.String(), jsonNumber.String(), jsonString.String(), jsonArray.String(), jsonObject.String()})
}

// TestAppendJSONString checks that appendJSONString writes what RFC 8259 §7 requires,
// escapes what is unsafe in HTML, and round-trips through parseJSON.
func TestAppendJSONString(t *testing.T) {
	tests := []struct {
		desc string
		in   string
		want string
	}{
		{"plain text is written as is", "Accept all", `"Accept all"`},
		{"RFC 8259 §7: quote and backslash are escaped", `a"b\c`, `"a\"b\\c"`},
		{"RFC 8259 §7: control characters are escaped, with short forms where they exist", "\n\r\t\x00\x1f", `"\n\r\t\u0000\u001f"`},
		{"json.go: <, > and & are escaped so the output is safe inside HTML", "<script>&", `"\u003cscript\u003e\u0026"`},
		{"json.go: U+2028 and U+2029 are escaped for old JavaScript parsers", "\u2028\u2029", `"\u2028\u2029"`},
		{"non-ASCII text is written as UTF-8", "Nécessaires 😀", `"Nécessaires 😀"`},
		{"invalid UTF-8 is written as U+FFFD, so the output is always valid", "a\xffb", "\"a\uFFFDb\""},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			got := appendJSONString([]byte("prefix:"), tt.in)
			assert.Equal(t, "prefix:"+tt.want, string(got))
			v, err := parseJSON(got[len("prefix:"):])
			require.NoError(t, err)
			assert.Equal(t, jsonString, v.kind)
			assert.Equal(t, strings.ToValidUTF8(tt.in, "\uFFFD"), v.str)
		})
	}
}

// FuzzParseJSON checks that parseJSON never panics, that its errors have a position, and
// that what it accepts round-trips: writing the tree back (canonicalJSON) and parsing that
// gives the same tree. Strings round-trip through appendJSONString on their own too.
func FuzzParseJSON(f *testing.F) {
	for _, seed := range []string{
		`{"a":[1,-2.5e+3,true,false,null,{"b":"c"}],"d":"\ud83d\ude00\u00e9\n"}`,
		`"\ud800"`, `"\udc00\ud800"`, "\uFEFF[]", `{"a":1,"a":2}`, `[1,]`, `01`, "\"\xff\"",
		strings.Repeat("[", 33), jsonManyKeys(20, true), `{"k":"<&>\u2028"}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := parseJSON(data)
		if err != nil {
			require.Nil(t, v)
			se, ok := err.(*SyntaxError)
			require.True(t, ok, "error %v is not a *SyntaxError", err)
			require.GreaterOrEqual(t, se.Line, 1)
			require.GreaterOrEqual(t, se.Column, 1)
			require.NotEmpty(t, se.Msg)
			return
		}
		canonical := canonicalJSON(v)
		require.True(t, utf8.ValidString(canonical))
		again, err := parseJSON([]byte(canonical))
		require.NoError(t, err, "canonical form %q", canonical)
		require.Equal(t, canonical, canonicalJSON(again))
		if v.kind == jsonString {
			s, err := parseJSON(appendJSONString(nil, v.str))
			require.NoError(t, err)
			require.Equal(t, v.str, s.str)
		}
	})
}
