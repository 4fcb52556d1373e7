package consentry_test

// The TypeScript declarations of the browser interface (web/consentry.d.ts, shipped as
// dist/consentry.d.ts) are checked twice: tsc --strict compiles a page script that uses
// every member and event (testdata/types/usage.ts), and the declarations are compared with
// the interface as the code defines it, so that a member, a preferences field or an event
// added to the code without its declaration fails here.

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/consentry/consentry/widget"
)

// TestTypeScriptCompiles runs tsc --strict (the npm devDependency typescript, installed
// by `make deps`) over the declarations and the usage file.
func TestTypeScriptCompiles(t *testing.T) {
	tsc := filepath.Join("node_modules", ".bin", "tsc")
	if _, err := os.Stat(tsc); err != nil {
		t.Fatalf("%s: %v (run `make deps`, which runs npm ci)", tsc, err)
	}
	out, err := exec.Command(tsc, "-p", filepath.Join("testdata", "types", "tsconfig.json")).CombinedOutput()
	if err != nil {
		t.Fatalf("tsc --strict over web/consentry.d.ts and testdata/types/usage.ts: %v\n%s", err, out)
	}
}

// block returns the text of the first "{ … }" block after the line matching start.
func block(t *testing.T, src, start string) string {
	t.Helper()
	i := strings.Index(src, start)
	if i < 0 {
		t.Fatalf("no %q", start)
	}
	rest := src[i:]
	open := strings.IndexByte(rest, '{')
	depth := 0
	for j := open; j < len(rest); j++ {
		switch rest[j] {
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return rest[open : j+1]
			}
		}
	}
	t.Fatalf("unbalanced block after %q", start)
	return ""
}

// matches returns the first group of every match of re in s, without those starting
// with '_' (private hand-over members), sorted and unique.
func matches(re string, s string) []string {
	var out []string
	for _, m := range regexp.MustCompile(re).FindAllStringSubmatch(s, -1) {
		if !strings.HasPrefix(m[1], "_") {
			out = append(out, m[1])
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestTypeScriptCoversAPI: every public member of window.Consentry (the loader's stub and
// the Go implementation behind it), every field of the preferences object and every event
// of package widget is declared.
func TestTypeScriptCoversAPI(t *testing.T) {
	dts := readFile(t, filepath.Join("web", "consentry.d.ts"))
	declared := matches(`(?m)^\s*(?:readonly\s+)?(\w+)\s*[(:]`, block(t, dts, "interface Consentry {"))
	declaredPrefs := matches(`(?m)^\s*(\w+)\s*:`, block(t, dts, "interface ConsentryPreferences {"))
	declaredEvents := matches(`"(consentry:[a-z]+)"`, block(t, dts, "interface WindowEventMap {"))

	loader := readFile(t, filepath.Join("web", "loader.js"))
	stub := matches(`(?m)^\s*(\w+): (?:action|query)\(`, block(t, loader, "var api = {"))
	stub = append(stub, matches(`Object\.defineProperty\(api, "(\w+)"`, loader)...)
	// wasm/api.go hands each of widget.APICalls to the session and answers the queries
	// itself (method("name", …)); the session builds getUserPreferences()'s object.
	api := readFile(t, filepath.Join("wasm", "api.go"))
	impl := matches(`method\("([a-zA-Z]\w*)"`, block(t, api, "func (a *app) api() safejs.Value {"))
	if strings.Contains(api, "range widget.APICalls") {
		impl = append(impl, widget.APICalls...)
	}
	session := readFile(t, filepath.Join("widget", "session.go"))
	prefs := matches(`(?m)^\s*"(\w+)":`, block(t, session, "return map[string]any{\n\t\t\"method\""))

	if len(stub) < 10 || len(impl) < 10 || len(prefs) < 5 {
		t.Fatalf("the API was not found where this test looks: stub %v, implementation %v, preferences %v", stub, impl, prefs)
	}
	for _, m := range append(stub, impl...) {
		if !slices.Contains(declared, m) {
			t.Errorf("window.Consentry.%s is not declared in web/consentry.d.ts (interface Consentry)", m)
		}
	}
	for _, f := range prefs {
		if !slices.Contains(declaredPrefs, f) {
			t.Errorf("the preferences field %q is not declared in web/consentry.d.ts (interface ConsentryPreferences)", f)
		}
	}
	for _, e := range widgetEvents(t) {
		if !slices.Contains(declaredEvents, e) {
			t.Errorf("the event %q is not declared in web/consentry.d.ts (WindowEventMap)", e)
		}
	}
	// And nothing declared that the code lacks.
	for _, m := range declared {
		if !slices.Contains(stub, m) {
			t.Errorf("web/consentry.d.ts declares Consentry.%s, which the loader does not define", m)
		}
	}
}

// widgetEvents returns the values of the Event* constants of widget/names.go.
func widgetEvents(t *testing.T) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), filepath.Join("widget", "names.go"), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var events []string
	ast.Inspect(f, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok {
			return true
		}
		for i, name := range vs.Names {
			if strings.HasPrefix(name.Name, "Event") && i < len(vs.Values) {
				if lit, ok := vs.Values[i].(*ast.BasicLit); ok {
					if s, err := strconv.Unquote(lit.Value); err == nil {
						events = append(events, s)
					}
				}
			}
		}
		return true
	})
	if len(events) < 6 {
		t.Fatalf("found only %v in widget/names.go", events)
	}
	return events
}
