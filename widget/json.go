package widget

import (
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// This file holds a small JSON (RFC 8259) reader and writer. The widget does not use
// encoding/json: in the WebAssembly build it costs about 113 KB after brotli, which every
// visitor downloads, and its errors give a byte offset where site owners need a line, a
// column and the path of the offending key. The reader builds a tree of values that keep
// their source offset; policy.go and consent.go validate that tree.
//
// Departures from RFC 8259, all deliberate: duplicate object keys are refused (the RFC only
// says names SHOULD be unique), nesting deeper than maxJSONDepth is refused, invalid UTF-8
// is refused rather than replaced, and a leading UTF-8 byte order mark is skipped (section
// 8.1 lets a parser ignore it). These are also the only differences from encoding/json,
// which FuzzParseJSONAgainstStdlib checks: the same inputs accepted and the same values read.

// maxJSONDepth bounds nesting so that hostile input (a cookie, a policy) cannot exhaust the
// stack. A valid policy nests about 7 levels deep.
const maxJSONDepth = 32

// jsonKind is the type of a JSON value.
type jsonKind uint8

const (
	jsonNull jsonKind = iota
	jsonBool
	jsonNumber
	jsonString
	jsonArray
	jsonObject
)

// String names the kind as a site owner would, for error messages.
func (k jsonKind) String() string {
	switch k {
	case jsonNull:
		return "null"
	case jsonBool:
		return "boolean"
	case jsonNumber:
		return "number"
	case jsonString:
		return "string"
	case jsonArray:
		return "array"
	}
	return "object"
}

// jsonValue is one parsed JSON value with the byte offset where it starts.
type jsonValue struct {
	kind    jsonKind
	offset  int
	boolean bool
	number  string // the literal as written, validated against the RFC 8259 grammar
	str     string
	elems   []*jsonValue
	members []jsonMember // in source order
}

// jsonMember is one "key": value pair of an object.
type jsonMember struct {
	key   string
	value *jsonValue
}

// member returns the value stored under key, or nil.
func (v *jsonValue) member(key string) *jsonValue {
	for _, m := range v.members {
		if m.key == key {
			return m.value
		}
	}
	return nil
}

// integer returns the number as an int when it is written as an integer (no fraction, no
// exponent) that fits in 53 bits, the range JavaScript represents exactly.
func (v *jsonValue) integer() (int, bool) {
	if v.kind != jsonNumber {
		return 0, false
	}
	n, err := strconv.ParseInt(v.number, 10, 64)
	if err != nil || n > 1<<53 || n < -(1<<53) {
		return 0, false
	}
	return int(n), true
}

// SyntaxError reports malformed JSON with its position, counted the way editors count:
// lines from 1, columns from 1 in characters (not bytes).
type SyntaxError struct {
	Line, Column int
	Msg          string
}

// Error formats the position first, as compilers and editors do, so it can be jumped to.
func (e *SyntaxError) Error() string {
	return "line " + strconv.Itoa(e.Line) + ", column " + strconv.Itoa(e.Column) + ": " + e.Msg
}

// LineColumn converts a byte offset into a 1-based line and character column. A leading
// UTF-8 byte order mark takes no column: editors do not show it.
func LineColumn(data []byte, offset int) (line, column int) {
	line, column = 1, 1
	i := 0
	if len(data) >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF {
		i = 3
	}
	for i < offset && i < len(data) {
		r, size := utf8.DecodeRune(data[i:])
		if r == '\n' {
			line++
			column = 1
		} else {
			column++
		}
		i += size
	}
	return line, column
}

// jsonParser is the state of one parse.
type jsonParser struct {
	data  []byte
	pos   int
	depth int
}

// parseJSON parses exactly one JSON value, surrounded by optional white space.
func parseJSON(data []byte) (*jsonValue, error) {
	p := &jsonParser{data: data}
	if len(data) >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF {
		p.pos = 3 // a UTF-8 byte order mark, which some Windows editors write
	}
	if !utf8.Valid(data) {
		return nil, p.errorAt(firstInvalidUTF8(data), "invalid UTF-8")
	}
	p.skipSpace()
	v, err := p.value()
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.pos < len(p.data) {
		return nil, p.errorAt(p.pos, "unexpected "+p.describe()+" after the end of the value")
	}
	return v, nil
}

// firstInvalidUTF8 returns the offset of the first byte that is not valid UTF-8
// (RFC 8259 section 8.1 requires UTF-8), or len(data).
func firstInvalidUTF8(data []byte) int {
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return len(data)
}

// errorAt makes a *SyntaxError for the given byte offset.
func (p *jsonParser) errorAt(offset int, msg string) error {
	line, column := LineColumn(p.data, offset)
	return &SyntaxError{Line: line, Column: column, Msg: msg}
}

// describe names the byte at the current position for an error message.
func (p *jsonParser) describe() string {
	if p.pos >= len(p.data) {
		return "end of input"
	}
	r, _ := utf8.DecodeRune(p.data[p.pos:])
	return strconv.QuoteRune(r)
}

// skipSpace skips the four white-space characters of RFC 8259 section 2, and no others.
func (p *jsonParser) skipSpace() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

// value reads any JSON value at the current position (RFC 8259 section 3).
func (p *jsonParser) value() (*jsonValue, error) {
	if p.pos >= len(p.data) {
		return nil, p.errorAt(p.pos, "unexpected end of input, expected a value")
	}
	start := p.pos
	switch c := p.data[p.pos]; {
	case c == '{':
		return p.object()
	case c == '[':
		return p.array()
	case c == '"':
		s, err := p.string()
		if err != nil {
			return nil, err
		}
		return &jsonValue{kind: jsonString, offset: start, str: s}, nil
	case c == '-' || ('0' <= c && c <= '9'):
		return p.numberValue()
	case p.literal("true"):
		return &jsonValue{kind: jsonBool, offset: start, boolean: true}, nil
	case p.literal("false"):
		return &jsonValue{kind: jsonBool, offset: start}, nil
	case p.literal("null"):
		return &jsonValue{kind: jsonNull, offset: start}, nil
	}
	return nil, p.errorAt(p.pos, "unexpected "+p.describe()+", expected a value")
}

// literal consumes word (true, false or null) when the input continues with it.
func (p *jsonParser) literal(word string) bool {
	if len(p.data)-p.pos >= len(word) && string(p.data[p.pos:p.pos+len(word)]) == word {
		p.pos += len(word)
		return true
	}
	return false
}

// enter counts one more level of nesting and refuses to go past maxJSONDepth.
func (p *jsonParser) enter() error {
	p.depth++
	if p.depth > maxJSONDepth {
		return p.errorAt(p.pos, "nested more than "+strconv.Itoa(maxJSONDepth)+" levels deep")
	}
	return nil
}

// object reads an object (RFC 8259 section 4), refusing duplicate keys.
func (p *jsonParser) object() (*jsonValue, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	v := &jsonValue{kind: jsonObject, offset: p.pos}
	p.pos++ // {
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == '}' {
		p.pos++
		p.depth--
		return v, nil
	}
	var keys map[string]struct{} // the keys seen, once there are many
	for {
		p.skipSpace()
		if p.pos >= len(p.data) || p.data[p.pos] != '"' {
			return nil, p.errorAt(p.pos, "unexpected "+p.describe()+", expected a key in double quotes")
		}
		keyOffset := p.pos
		key, err := p.string()
		if err != nil {
			return nil, err
		}
		if keys == nil && len(v.members) >= 16 {
			// Past a few keys, a set keeps the duplicate check linear: a 256 KiB object
			// of short keys took seconds with the linear scan alone.
			keys = make(map[string]struct{}, 2*len(v.members))
			for _, m := range v.members {
				keys[m.key] = struct{}{}
			}
		}
		duplicate := false
		if keys != nil {
			_, duplicate = keys[key]
			keys[key] = struct{}{}
		} else {
			duplicate = v.member(key) != nil
		}
		if duplicate {
			return nil, p.errorAt(keyOffset, "duplicate key "+strconv.Quote(key))
		}
		p.skipSpace()
		if p.pos >= len(p.data) || p.data[p.pos] != ':' {
			return nil, p.errorAt(p.pos, "unexpected "+p.describe()+", expected ':' after the key")
		}
		p.pos++
		p.skipSpace()
		elem, err := p.value()
		if err != nil {
			return nil, err
		}
		v.members = append(v.members, jsonMember{key: key, value: elem})
		p.skipSpace()
		if p.pos < len(p.data) && p.data[p.pos] == ',' {
			p.pos++
			continue
		}
		if p.pos < len(p.data) && p.data[p.pos] == '}' {
			p.pos++
			p.depth--
			return v, nil
		}
		return nil, p.errorAt(p.pos, "unexpected "+p.describe()+", expected ',' or '}'")
	}
}

// array reads an array (RFC 8259 section 5).
func (p *jsonParser) array() (*jsonValue, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	v := &jsonValue{kind: jsonArray, offset: p.pos}
	p.pos++ // [
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == ']' {
		p.pos++
		p.depth--
		return v, nil
	}
	for {
		p.skipSpace()
		elem, err := p.value()
		if err != nil {
			return nil, err
		}
		v.elems = append(v.elems, elem)
		p.skipSpace()
		if p.pos < len(p.data) && p.data[p.pos] == ',' {
			p.pos++
			continue
		}
		if p.pos < len(p.data) && p.data[p.pos] == ']' {
			p.pos++
			p.depth--
			return v, nil
		}
		return nil, p.errorAt(p.pos, "unexpected "+p.describe()+", expected ',' or ']'")
	}
}

// numberValue reads a number per the grammar of RFC 8259 section 6.
func (p *jsonParser) numberValue() (*jsonValue, error) {
	start := p.pos
	digits := func() int {
		n := 0
		for p.pos < len(p.data) && '0' <= p.data[p.pos] && p.data[p.pos] <= '9' {
			p.pos++
			n++
		}
		return n
	}
	if p.data[p.pos] == '-' {
		p.pos++
	}
	if p.pos < len(p.data) && p.data[p.pos] == '0' {
		p.pos++
	} else if digits() == 0 {
		return nil, p.errorAt(p.pos, "invalid number: expected a digit")
	}
	if p.pos < len(p.data) && p.data[p.pos] == '.' {
		p.pos++
		if digits() == 0 {
			return nil, p.errorAt(p.pos, "invalid number: expected a digit after '.'")
		}
	}
	if p.pos < len(p.data) && (p.data[p.pos] == 'e' || p.data[p.pos] == 'E') {
		p.pos++
		if p.pos < len(p.data) && (p.data[p.pos] == '+' || p.data[p.pos] == '-') {
			p.pos++
		}
		if digits() == 0 {
			return nil, p.errorAt(p.pos, "invalid number: expected a digit in the exponent")
		}
	}
	return &jsonValue{kind: jsonNumber, offset: start, number: string(p.data[start:p.pos])}, nil
}

// string reads a quoted string per RFC 8259 section 7, decoding escapes. A lone surrogate
// escape decodes to U+FFFD, as JavaScript's JSON.parse would keep it unpaired.
func (p *jsonParser) string() (string, error) {
	p.pos++ // opening quote
	start := p.pos
	// Fast path: no escapes.
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		if c == '"' {
			s := string(p.data[start:p.pos])
			p.pos++
			return s, nil
		}
		if c == '\\' || c < 0x20 {
			break
		}
		p.pos++
	}
	buf := append([]byte(nil), p.data[start:p.pos]...)
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		switch {
		case c == '"':
			p.pos++
			return string(buf), nil
		case c < 0x20:
			return "", p.errorAt(p.pos, "control character in string (write it as an escape)")
		case c != '\\':
			buf = append(buf, c)
			p.pos++
			continue
		}
		escapeAt := p.pos
		p.pos++
		if p.pos >= len(p.data) {
			break
		}
		switch e := p.data[p.pos]; e {
		case '"', '\\', '/':
			buf = append(buf, e)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			r, ok := p.hex4(p.pos + 1)
			if !ok {
				return "", p.errorAt(escapeAt, `invalid \u escape`)
			}
			p.pos += 4
			if utf16.IsSurrogate(r) {
				if r2, ok := p.hex4(p.pos + 3); ok && p.data[p.pos+1] == '\\' && p.data[p.pos+2] == 'u' {
					if pair := utf16.DecodeRune(r, r2); pair != utf8.RuneError {
						r = pair
						p.pos += 6
					} else {
						r = utf8.RuneError
					}
				} else {
					r = utf8.RuneError
				}
			}
			buf = utf8.AppendRune(buf, r)
		default:
			return "", p.errorAt(escapeAt, "invalid escape "+strconv.Quote(string([]byte{'\\', e})))
		}
		p.pos++
	}
	return "", p.errorAt(p.pos, "unexpected end of input in a string")
}

// hex4 decodes the four hex digits at offset i.
func (p *jsonParser) hex4(i int) (rune, bool) {
	if i+4 > len(p.data) {
		return 0, false
	}
	n, err := strconv.ParseUint(string(p.data[i:i+4]), 16, 16)
	return rune(n), err == nil
}

// appendJSONString appends s as a JSON string literal. It escapes what RFC 8259 requires
// plus <, > and & (as encoding/json does), so the output is also safe inside HTML.
func appendJSONString(b []byte, s string) []byte {
	const hexDigits = "0123456789abcdef"
	b = append(b, '"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b = append(b, '\\', byte(r))
		case r == '\n':
			b = append(b, '\\', 'n')
		case r == '\r':
			b = append(b, '\\', 'r')
		case r == '\t':
			b = append(b, '\\', 't')
		case r < 0x20 || r == '<' || r == '>' || r == '&' || r == '\u2028' || r == '\u2029':
			b = append(b, '\\', 'u', hexDigits[r>>12&0xF], hexDigits[r>>8&0xF], hexDigits[r>>4&0xF], hexDigits[r&0xF])
		default:
			b = utf8.AppendRune(b, r)
		}
	}
	return append(b, '"')
}
