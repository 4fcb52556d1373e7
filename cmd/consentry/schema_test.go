package main

// These tests hold the three judges of a policy.json to one another: the widget's parser
// (widget.ParsePolicy, which the browser runs), the linter (consentry validate, which runs
// the same parser), and the JSON Schema policy.schema.json that editors use. Each rule of
// CONTRACT.md §3 has a policy that breaks it in testdata/pages/harden-policy-rules.json,
// which the end-to-end test TestE2EHardenPolicyRules also feeds to the widget in Chromium.
//
// No JSON Schema validator is a dependency of the module, so the schema is checked by
// schemaChecker below, which implements the subset of JSON Schema 2020-12 that
// policy.schema.json uses, and fails on any other keyword, so the subset cannot drift.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/consentry/consentry/widget"
)

// rulesFile is the table of refused policies shared with the end-to-end tests.
var rulesFile = filepath.Join("..", "..", "testdata", "pages", "harden-policy-rules.json")

// policyRule is one refused policy of rulesFile.
type policyRule struct {
	Name   string          `json:"name"`
	Rule   string          `json:"rule"`
	Path   string          `json:"path"`
	Want   string          `json:"want"`
	Schema bool            `json:"schema"`
	Policy json.RawMessage `json:"policy"`
	Text   string          `json:"text"`
}

func (r policyRule) body() []byte {
	if r.Text != "" {
		return []byte(r.Text)
	}
	return r.Policy
}

// loadRules reads rulesFile: the valid base policy and the cases.
func loadRules(t *testing.T) (json.RawMessage, []policyRule) {
	t.Helper()
	data, err := os.ReadFile(rulesFile)
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Valid json.RawMessage `json:"valid"`
		Cases []policyRule    `json:"cases"`
	}
	if err := json.Unmarshal(data, &file); err != nil {
		t.Fatalf("%s: %v", rulesFile, err)
	}
	if len(file.Cases) < 30 {
		t.Fatalf("%s has %d cases; it should cover every rule of CONTRACT.md §3", rulesFile, len(file.Cases))
	}
	return file.Valid, file.Cases
}

// loadSchema reads policy.schema.json.
func loadSchema(t *testing.T) *schemaChecker {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "policy.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	var root map[string]any
	if err := json.Unmarshal(data, &root); err != nil {
		t.Fatalf("policy.schema.json: %v", err)
	}
	if root["$schema"] != "https://json-schema.org/draft/2020-12/schema" {
		t.Errorf("policy.schema.json: $schema = %v, want draft 2020-12", root["$schema"])
	}
	return &schemaChecker{root: root}
}

// decodeJSON decodes a JSON document with numbers kept as json.Number.
func decodeJSON(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

// TestSchemaAgreesWithParser: the valid policies pass both the parser and the schema; each
// refused policy is refused by the parser at its place, and by the schema at the same place
// exactly when the rule is one JSON Schema can express (schema: true in the table). For the
// others (duplicate ids, the defaultLanguage text, link URLs inside texts) the schema
// accepts the policy: the table says so, and this test keeps it true.
func TestSchemaAgreesWithParser(t *testing.T) {
	sc := loadSchema(t)
	validBase, rules := loadRules(t)
	shipped, err := os.ReadFile(filepath.Join("..", "..", "policy.json"))
	if err != nil {
		t.Fatal(err)
	}
	for name, doc := range map[string][]byte{"policy.json": shipped, "the rules' valid base": validBase} {
		if _, err := widget.ParsePolicy(doc); err != nil {
			t.Errorf("%s: the parser refuses it: %v", name, err)
		}
		v, err := decodeJSON(doc)
		if err != nil {
			t.Fatal(err)
		}
		if errs := sc.validate(v); len(errs) > 0 {
			t.Errorf("%s: the schema refuses it: %q", name, errs)
		}
	}
	for _, r := range rules {
		t.Run(r.Name, func(t *testing.T) {
			_, err := widget.ParsePolicy(r.body())
			if err == nil || !strings.Contains(err.Error(), r.Path) || !strings.Contains(err.Error(), r.Want) {
				t.Errorf("%s: the parser says %v, want a refusal naming %q and %q", r.Rule, err, r.Path, r.Want)
			}
			v, jerr := decodeJSON(r.body())
			if jerr != nil {
				if r.Text == "" {
					t.Fatalf("the case is not JSON: %v", jerr)
				}
				return // not JSON: no schema applies, every editor flags it
			}
			errs := sc.validate(v)
			switch {
			case r.Schema && !slices.ContainsFunc(errs, func(e schemaError) bool { return e.path == r.Path }):
				t.Errorf("%s: the schema should refuse it at %q; it says %q", r.Rule, r.Path, errs)
			case !r.Schema && len(errs) > 0:
				t.Errorf("%s: marked as beyond JSON Schema, but the schema refuses it: %q (set schema: true)", r.Rule, errs)
			}
		})
	}
}

// TestSchemaKeysMatchParser: every object of the schema lists exactly the keys the parser
// allows there (the parser names them in its "unknown key" message).
func TestSchemaKeysMatchParser(t *testing.T) {
	sc := loadSchema(t)
	validBase, _ := loadRules(t)
	objects := []struct {
		where, schemaRef string
		mutate           func(p map[string]any, unknown string)
	}{
		{"the policy", "", func(p map[string]any, k string) { p[k] = 1 }},
		{"cookie", "#/properties/cookie", func(p map[string]any, k string) { p["cookie"].(map[string]any)[k] = 1 }},
		{"texts", "#/properties/texts", func(p map[string]any, k string) { p["texts"].(map[string]any)[k] = "x" }},
		{"a category", "#/$defs/category", func(p map[string]any, k string) { category(p, 1)[k] = 1 }},
		{"a service", "#/$defs/service", func(p map[string]any, k string) {
			category(p, 1)["services"].([]any)[0].(map[string]any)[k] = 1
		}},
		{"a cookie declaration", "#/$defs/declaration", func(p map[string]any, k string) {
			category(p, 0)["cookies"].([]any)[0].(map[string]any)[k] = 1
		}},
		{"receipts", "#/properties/receipts", func(p map[string]any, k string) {
			p["receipts"] = map[string]any{"endpoint": "/consent/receipts", k: 1}
		}},
		{"googleConsentMode", "#/properties/googleConsentMode", func(p map[string]any, k string) {
			p["googleConsentMode"] = map[string]any{k: 1}
		}},
		{"matomo", "#/properties/matomo", func(p map[string]any, k string) {
			p["matomo"] = map[string]any{"category": "statistics", k: 1}
		}},
	}
	allowed := regexp.MustCompile(`unknown key; allowed keys: ([^(\n]*)`)
	for _, o := range objects {
		var p map[string]any
		if err := json.Unmarshal(validBase, &p); err != nil {
			t.Fatal(err)
		}
		o.mutate(p, "zzUnknown")
		doc, _ := json.Marshal(p)
		_, err := widget.ParsePolicy(doc)
		m := allowed.FindStringSubmatch(fmt.Sprint(err))
		if m == nil {
			t.Errorf("%s: the parser did not list the allowed keys: %v", o.where, err)
			continue
		}
		parserKeys := strings.Split(strings.TrimSpace(m[1]), ", ")
		node := sc.root
		if o.schemaRef != "" {
			node = sc.resolve(o.schemaRef)
		}
		props, _ := node["properties"].(map[string]any)
		var schemaKeys []string
		for k := range props {
			schemaKeys = append(schemaKeys, k)
		}
		sort.Strings(parserKeys)
		sort.Strings(schemaKeys)
		if !slices.Equal(parserKeys, schemaKeys) {
			t.Errorf("%s: the parser allows %q, the schema %q", o.where, parserKeys, schemaKeys)
		}
		if node["additionalProperties"] != false {
			t.Errorf("%s: the schema allows other keys; the parser refuses them", o.where)
		}
	}
}

// category returns categories[i] of a decoded policy.
func category(p map[string]any, i int) map[string]any {
	return p["categories"].([]any)[i].(map[string]any)
}

// TestValidateCommand: `consentry validate` prints every problem of each rule's policy with
// file, line, column and place, and exits 1; a valid policy passes with status 0.
func TestValidateCommand(t *testing.T) {
	validBase, rules := loadRules(t)
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		f := filepath.Join(dir, name)
		if err := os.WriteFile(f, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return f
	}
	validFile := write("valid.json", validBase)
	var out, errOut bytes.Buffer
	if code := run([]string{"validate", validFile, filepath.Join("..", "..", "policy.json")}, &out, &errOut); code != 0 {
		t.Errorf("validate of valid policies: exit %d, want 0\n%s%s", code, out.String(), errOut.String())
	}
	for _, r := range rules {
		f := write(r.Name+".json", r.body())
		out.Reset()
		errOut.Reset()
		code := run([]string{"validate", f}, &out, &errOut)
		if code != 1 {
			t.Errorf("%s: exit %d, want 1", r.Name, code)
		}
		want := regexp.QuoteMeta(r.Path) + `.*` + regexp.QuoteMeta(r.Want)
		if r.Path == "" {
			want = "" // JSON syntax: the place is the line and column themselves
		}
		line := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(f) + `:[0-9]+:[0-9]+: ` + want)
		if !line.MatchString(out.String()) {
			t.Errorf("%s (%s): output\n%s\nhas no line %s:LINE:COLUMN: %s…%s", r.Name, r.Rule, out.String(), f, r.Path, r.Want)
		}
	}
	// Several files: every one is checked, and the status says whether any failed.
	out.Reset()
	errOut.Reset()
	bad := filepath.Join(dir, rules[1].Name+".json")
	if code := run([]string{"validate", bad, validFile}, &out, &errOut); code != 1 || !strings.Contains(out.String(), validFile+": valid") {
		t.Errorf("validate bad valid: exit %d, output %q", code, out.String())
	}
	if code := run([]string{"validate", filepath.Join(dir, "missing.json")}, &out, &errOut); code != 1 {
		t.Errorf("validate of a missing file: exit %d, want 1", code)
	}
	if code := run([]string{"validate"}, &out, &errOut); code != 2 {
		t.Errorf("validate without a file: exit %d, want 2 (usage)", code)
	}
}

// schemaChecker validates JSON values against policy.schema.json: the keywords below, of
// JSON Schema 2020-12, and nothing else.
type schemaChecker struct {
	root map[string]any
}

// schemaError is one failed assertion, at a place written as the parser writes it.
type schemaError struct {
	path, msg string
}

func (e schemaError) String() string { return e.path + ": " + e.msg }

// annotations are keywords that assert nothing.
var annotations = []string{"$schema", "$id", "$comment", "title", "description", "markdownDescription", "default", "examples", "deprecated"}

// assertions are the keywords the checker implements.
var assertions = []string{"$ref", "type", "enum", "const", "properties", "additionalProperties", "required",
	"propertyNames", "minProperties", "items", "minItems", "maxItems", "contains", "pattern", "minLength",
	"maxLength", "minimum", "maximum", "allOf", "anyOf", "oneOf", "not", "if", "then", "else", "$defs"}

func (sc *schemaChecker) validate(v any) []schemaError {
	return sc.check(sc.root, v, "")
}

// resolve follows a local reference such as #/$defs/text or #/properties/cookie.
func (sc *schemaChecker) resolve(ref string) map[string]any {
	node := any(sc.root)
	for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
		m, _ := node.(map[string]any)
		node = m[part]
	}
	m, ok := node.(map[string]any)
	if !ok {
		panic("policy.schema.json: unresolvable $ref " + ref)
	}
	return m
}

// memberPath and elemPath write places as the parser does (widget/policy_parse.go).
func memberPath(path, key string) string {
	if !regexp.MustCompile(`^[A-Za-z_$][A-Za-z0-9_$]*$`).MatchString(key) {
		return path + "[" + strconv.Quote(key) + "]"
	}
	if path == "" {
		return key
	}
	return path + "." + key
}

func elemPath(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

// jsonType names v's JSON type; an integer is a number without a fraction.
func jsonType(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case json.Number:
		if _, err := v.Int64(); err == nil {
			return "integer"
		}
		if f, err := v.Float64(); err == nil && f == float64(int64(f)) {
			return "integer"
		}
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	}
	return "object"
}

func (sc *schemaChecker) check(s map[string]any, v any, path string) []schemaError {
	var errs []schemaError
	fail := func(p, msg string) { errs = append(errs, schemaError{p, msg}) }
	for k := range s {
		if !slices.Contains(assertions, k) && !slices.Contains(annotations, k) {
			panic("policy.schema.json uses " + k + ", which schemaChecker does not implement")
		}
	}
	if ref, ok := s["$ref"].(string); ok {
		errs = append(errs, sc.check(sc.resolve(ref), v, path)...)
	}
	if t, ok := s["type"].(string); ok {
		got := jsonType(v)
		if got != t && !(t == "number" && got == "integer") {
			fail(path, "expected "+t+", got "+got)
			return errs
		}
	}
	if enum, ok := s["enum"].([]any); ok && !slices.ContainsFunc(enum, func(e any) bool { return sameJSON(e, v) }) {
		fail(path, fmt.Sprintf("not one of %v", enum))
	}
	if c, ok := s["const"]; ok && !sameJSON(c, v) {
		fail(path, fmt.Sprintf("not %v", c))
	}
	switch v := v.(type) {
	case map[string]any:
		props, _ := s["properties"].(map[string]any)
		for _, k := range sortedKeys(v) {
			if ps, ok := props[k].(map[string]any); ok {
				errs = append(errs, sc.check(ps, v[k], memberPath(path, k))...)
			} else if ap, ok := s["additionalProperties"]; ok {
				if ap == false {
					fail(memberPath(path, k), "unknown key")
				} else if aps, ok := ap.(map[string]any); ok {
					errs = append(errs, sc.check(aps, v[k], memberPath(path, k))...)
				}
			}
			if pn, ok := s["propertyNames"].(map[string]any); ok {
				for _, e := range sc.check(pn, k, memberPath(path, k)) {
					fail(memberPath(path, k), "key "+e.msg)
				}
			}
		}
		if req, ok := s["required"].([]any); ok {
			for _, r := range req {
				if _, ok := v[r.(string)]; !ok {
					fail(memberPath(path, r.(string)), "required but missing")
				}
			}
		}
		if n, ok := s["minProperties"].(float64); ok && len(v) < int(n) {
			fail(path, "too few members")
		}
	case []any:
		if items, ok := s["items"].(map[string]any); ok {
			for i, e := range v {
				errs = append(errs, sc.check(items, e, elemPath(path, i))...)
			}
		}
		if n, ok := s["minItems"].(float64); ok && len(v) < int(n) {
			fail(path, "too few items")
		}
		if n, ok := s["maxItems"].(float64); ok && len(v) > int(n) {
			fail(path, "too many items")
		}
		if c, ok := s["contains"].(map[string]any); ok && !slices.ContainsFunc(v, func(e any) bool { return len(sc.check(c, e, "")) == 0 }) {
			fail(path, "no item matches contains")
		}
	case string:
		if p, ok := s["pattern"].(string); ok && !regexp.MustCompile(p).MatchString(v) {
			fail(path, "does not match "+p)
		}
		if n, ok := s["minLength"].(float64); ok && utf8.RuneCountInString(v) < int(n) {
			fail(path, "too short")
		}
		if n, ok := s["maxLength"].(float64); ok && utf8.RuneCountInString(v) > int(n) {
			fail(path, "too long")
		}
	case json.Number:
		f, _ := v.Float64()
		if m, ok := s["minimum"].(float64); ok && f < m {
			fail(path, "below the minimum")
		}
		if m, ok := s["maximum"].(float64); ok && f > m {
			fail(path, "above the maximum")
		}
	}
	if all, ok := s["allOf"].([]any); ok {
		for _, sub := range all {
			errs = append(errs, sc.check(sub.(map[string]any), v, path)...)
		}
	}
	if anyOf, ok := s["anyOf"].([]any); ok {
		var subErrs []schemaError
		matched := false
		for _, sub := range anyOf {
			e := sc.check(sub.(map[string]any), v, path)
			if len(e) == 0 {
				matched = true
				break
			}
			subErrs = append(subErrs, e...)
		}
		if !matched {
			errs = append(errs, subErrs...)
		}
	}
	if oneOf, ok := s["oneOf"].([]any); ok {
		n := 0
		for _, sub := range oneOf {
			if len(sc.check(sub.(map[string]any), v, path)) == 0 {
				n++
			}
		}
		if n != 1 {
			fail(path, fmt.Sprintf("matches %d of oneOf, want 1", n))
		}
	}
	if not, ok := s["not"].(map[string]any); ok && len(sc.check(not, v, path)) == 0 {
		fail(path, "matches not")
	}
	if cond, ok := s["if"].(map[string]any); ok {
		if len(sc.check(cond, v, path)) == 0 {
			if then, ok := s["then"].(map[string]any); ok {
				errs = append(errs, sc.check(then, v, path)...)
			}
		} else if els, ok := s["else"].(map[string]any); ok {
			errs = append(errs, sc.check(els, v, path)...)
		}
	}
	return errs
}

// sameJSON compares two decoded JSON values; numbers by value.
func sameJSON(a, b any) bool {
	if n, ok := b.(json.Number); ok {
		f, _ := n.Float64()
		b = f
	}
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return bytes.Equal(ja, jb)
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
