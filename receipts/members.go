package receipts

import (
	"bytes"
	"encoding/json"
	"errors"
)

// member is one key and raw value of a JSON object.
type member struct {
	key   string
	value json.RawMessage
}

// objectMembers returns the members of the JSON object data in document order, duplicate
// keys included (encoding/json would keep the last silently). It reports whether data is
// one valid JSON value, and whether it is an object; its values alias data.
func objectMembers(data []byte) (members []member, valid, object bool) {
	if !json.Valid(data) {
		return nil, false, false
	}
	i := skipSpace(data, 0)
	if data[i] != '{' {
		return nil, true, false
	}
	members = make([]member, 0, 16)
	i = skipSpace(data, i+1)
	for data[i] != '}' {
		end := stringEnd(data, i)
		rawKey := data[i:end]
		var key string
		if bytes.IndexByte(rawKey, '\\') < 0 {
			key = string(rawKey[1 : len(rawKey)-1])
		} else if json.Unmarshal(rawKey, &key) != nil {
			return nil, false, false // cannot happen in valid JSON
		}
		i = skipSpace(data, end)
		i = skipSpace(data, i+1) // the colon
		start := i
		i = valueEnd(data, i)
		members = append(members, member{key, data[start:i]})
		i = skipSpace(data, i)
		if data[i] == ',' {
			i = skipSpace(data, i+1)
		}
	}
	return members, true, true
}

func skipSpace(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r') {
		i++
	}
	return i
}

// stringEnd returns the index after the string that starts at data[i] ('"').
func stringEnd(data []byte, i int) int {
	for i++; i < len(data); i++ {
		switch data[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return i
}

// valueEnd returns the index after the value that starts at data[i], in valid JSON.
func valueEnd(data []byte, i int) int {
	depth := 0
	for i < len(data) {
		switch c := data[i]; c {
		case '"':
			i = stringEnd(data, i)
			if depth == 0 {
				return i
			}
			continue
		case '{', '[':
			depth++
		case '}', ']':
			if depth == 0 {
				return i
			}
			depth--
			if depth == 0 {
				return i + 1
			}
		case ',':
			if depth == 0 {
				return i
			}
		case ' ', '\t', '\n', '\r':
			if depth == 0 {
				return i
			}
		}
		i++
	}
	return i
}

// errNotObject is what objectMembers' callers report for valid JSON of another kind.
var errNotObject = errors.New("expected a JSON object")
