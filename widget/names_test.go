package widget

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// These tests hold the loader (web/loader.js), the stylesheet (web/consentry.css) and the
// wasm layer to the names of names.go and texts.go, so that a mistyped UI text key, part
// name, event or API member fails here instead of rendering an empty label or an
// unthemeable control. They read the sources: no browser is needed.

// goSources parses the non-test Go files of dir (relative to widget/).
func goSources(t *testing.T, dir string) []*ast.File {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(dir, "*.go"))
	require.NoError(t, err)
	fset := token.NewFileSet()
	var files []*ast.File
	for _, p := range paths {
		if strings.HasSuffix(p, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, p, nil, 0)
		require.NoError(t, err)
		files = append(files, f)
	}
	require.NotEmpty(t, files, "no Go files in %s", dir)
	return files
}

// stringConsts maps the names of widget's string constants to their values.
func stringConsts(t *testing.T) map[string]string {
	consts := map[string]string{}
	for _, f := range goSources(t, ".") {
		ast.Inspect(f, func(n ast.Node) bool {
			vs, ok := n.(*ast.ValueSpec)
			if !ok {
				return true
			}
			for i, name := range vs.Names {
				if i < len(vs.Values) {
					if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
						consts[name.Name], _ = strconv.Unquote(lit.Value)
					}
				}
			}
			return true
		})
	}
	return consts
}

// constString evaluates a string expression made of literals, widget.X constants (X inside
// package widget) and +.
func constString(e ast.Expr, consts map[string]string) (string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		s, err := strconv.Unquote(e.Value)
		return s, e.Kind == token.STRING && err == nil
	case *ast.Ident: // a constant of package widget, named from inside it (view*.go)
		s, ok := consts[e.Name]
		return s, ok
	case *ast.SelectorExpr:
		if pkg, ok := e.X.(*ast.Ident); ok && pkg.Name == "widget" {
			s, ok := consts[e.Sel.Name]
			return s, ok
		}
	case *ast.BinaryExpr:
		if e.Op == token.ADD {
			l, ok1 := constString(e.X, consts)
			r, ok2 := constString(e.Y, consts)
			return l + r, ok1 && ok2
		}
	}
	return "", false
}

// calledName is the name of the function or method a call calls.
func calledName(c *ast.CallExpr) string {
	switch f := c.Fun.(type) {
	case *ast.Ident:
		return f.Name
	case *ast.SelectorExpr:
		return f.Sel.Name
	}
	return ""
}

// wasmNames are the UI text keys, part names and class names wasm/ and the views of
// widget/view*.go use, each with where.
type wasmNames struct {
	textKeys, parts, classes map[string]string // name → position
}

// readWasmNames walks wasm/ and widget/view*.go for the names it uses as constants (literals, widget.X and
// their concatenations); a name held in a variable is checked where it is written, if there.
func readWasmNames(t *testing.T) wasmNames {
	consts := stringConsts(t)
	names := wasmNames{map[string]string{}, map[string]string{}, map[string]string{}}
	fset := token.NewFileSet()
	paths, err := filepath.Glob(filepath.Join("..", "wasm", "*.go"))
	require.NoError(t, err)
	views, err := filepath.Glob("view*.go") // the views as data (view.go), which wasm/ renders
	require.NoError(t, err)
	paths = append(paths, views...)
	add := func(into map[string]string, e ast.Expr, split bool) {
		pos := fset.Position(e.Pos()).String()
		s, ok := constString(e, consts)
		if !ok {
			return // a variable: checked where its values are written, if anywhere
		}
		if !split {
			into[s] = pos
			return
		}
		for _, w := range strings.Fields(s) {
			into[w] = pos
		}
	}
	for _, p := range paths {
		if strings.HasSuffix(p, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, p, nil, 0)
		require.NoError(t, err)
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				switch calledName(n) {
				case "t", "tx", "UIText", "UITextLang":
					if len(n.Args) > 0 {
						add(names.textKeys, n.Args[0], false)
					}
				case "button": // a.button(label, part, class, onClick)
					if len(n.Args) == 4 {
						add(names.parts, n.Args[1], true)
						add(names.classes, n.Args[2], true)
					}
				case "at": // at(name, value, name, value…)
					for i := 0; i+1 < len(n.Args); i += 2 {
						switch k, _ := constString(n.Args[i], consts); k {
						case "part":
							add(names.parts, n.Args[i+1], true)
						case "class":
							add(names.classes, n.Args[i+1], true)
						}
					}
				case "append": // keys = append(keys, "durationColumn")
					if id, ok := n.Args[0].(*ast.Ident); ok && id.Name == "keys" {
						for _, e := range n.Args[1:] {
							add(names.textKeys, e, false)
						}
					}
				}
			case *ast.AssignStmt: // keys := []string{…}: the column keys of cookieTable
				if id, ok := n.Lhs[0].(*ast.Ident); ok && id.Name == "keys" && len(n.Rhs) == 1 {
					if cl, ok := n.Rhs[0].(*ast.CompositeLit); ok {
						for _, e := range cl.Elts {
							add(names.textKeys, e, false)
						}
					}
				}
			}
			return true
		})
	}
	return names
}

// TestNamesWasmTextKeys: every UI text key the wasm layer asks for is one of uiTextKeys,
// so a typo fails here rather than rendering an empty label.
func TestNamesWasmTextKeys(t *testing.T) {
	names := readWasmNames(t)
	require.Greater(t, len(names.textKeys), 10, "the scan found too few text keys: %v", names.textKeys)
	for key, pos := range names.textKeys {
		assert.Contains(t, uiTextKeys, key, "%s: unknown UI text key %q", pos, key)
	}
}

// TestNamesWasmParts: the wasm layer uses exactly the part names of CONTRACT.md §8.
func TestNamesWasmParts(t *testing.T) {
	names := readWasmNames(t)
	for part, pos := range names.parts {
		assert.Contains(t, Parts, part, "%s: part %q is not in widget.Parts (CONTRACT.md §8)", pos, part)
	}
	for _, part := range Parts {
		assert.Contains(t, names.parts, part, "part %q of widget.Parts is on no element", part)
	}
}

// cssSource is web/consentry.css without its comments.
func cssSource(t *testing.T) string {
	src, err := os.ReadFile(filepath.Join("..", "web", "consentry.css"))
	require.NoError(t, err)
	return regexp.MustCompile(`(?s)/\*.*?\*/`).ReplaceAllString(string(src), "")
}

// TestNamesStylesheet: every class the stylesheet styles is one the wasm layer sets, and
// the stylesheet does not select parts by a name outside CONTRACT.md §8.
func TestNamesStylesheet(t *testing.T) {
	names := readWasmNames(t)
	css := cssSource(t)
	// Class selectors: a dot and a name, outside declarations' values (which hold no dots
	// followed by a letter in this stylesheet: numbers are 0.15s, never .x).
	styled := map[string]bool{}
	for _, m := range regexp.MustCompile(`\.([A-Za-z][\w-]*)`).FindAllStringSubmatch(css, -1) {
		styled[m[1]] = true
	}
	require.NotEmpty(t, styled)
	for class := range styled {
		assert.Contains(t, names.classes, class, "consentry.css styles .%s, which no element of wasm/ has", class)
	}
	for _, m := range regexp.MustCompile(`part[~|^$*]?=\s*"?([\w-]+)`).FindAllStringSubmatch(css, -1) {
		assert.Contains(t, Parts, m[1], "consentry.css selects part %q, not in widget.Parts", m[1])
	}
	for _, m := range regexp.MustCompile(`::part\(([\w-]+)\)`).FindAllStringSubmatch(css, -1) {
		assert.Contains(t, Parts, m[1], "consentry.css selects ::part(%s), not in widget.Parts", m[1])
	}
}

// TestNamesLoader: the loader defines exactly widget.APIMethods on window.Consentry, each
// forwarded under its own name, and dispatches only events of widget.Events; the wasm
// layer answers the same methods.
func TestNamesLoader(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "web", "loader.js"))
	require.NoError(t, err)
	var loader []string
	for _, m := range regexp.MustCompile(`(?m)^\s*(\w+):\s*(?:action|query)\("(\w+)"`).FindAllStringSubmatch(string(src), -1) {
		assert.Equal(t, m[1], m[2], "loader.js: Consentry.%s forwards to %q", m[1], m[2])
		loader = append(loader, m[1])
	}
	assert.ElementsMatch(t, APIMethods, loader, "loader.js's Consentry methods")
	for _, m := range regexp.MustCompile(`"(consentry:[\w-]*)"`).FindAllStringSubmatch(string(src), -1) {
		assert.Contains(t, Events, m[1], "loader.js uses event %q, not in widget.Events", m[1])
	}

	api, err := os.ReadFile(filepath.Join("..", "wasm", "api.go"))
	require.NoError(t, err)
	var wasm []string
	if strings.Contains(string(api), "range widget.APICalls") {
		wasm = append(wasm, APICalls...) // each handed to the session as a Call
	}
	for _, m := range regexp.MustCompile(`method\("(\w+)"`).FindAllStringSubmatch(string(api), -1) {
		if !strings.HasPrefix(m[1], "_") { // internal hooks of the loader, not API members
			wasm = append(wasm, m[1])
		}
	}
	assert.ElementsMatch(t, APIMethods, wasm, "wasm/api.go's methods")
	assert.False(t, slices.ContainsFunc(APIMethods, func(s string) bool { return s == "ready" || s == "version" }))
}
