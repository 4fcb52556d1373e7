package distbuild_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/consentry/consentry/internal/distbuild"
	"github.com/consentry/consentry/web"
	"github.com/consentry/consentry/widget"
)

// vectors is testdata/firstpaint-vectors.json: the rules the loader shares with the Go
// code, each case with the answer both must give.
type vectors struct {
	Fingerprint []struct {
		Text string `json:"text"`
		Want string `json:"want"`
	} `json:"fingerprint"`
	Trim []struct {
		Text string `json:"text"`
		Want string `json:"want"`
	} `json:"trim"`
	HasCookie []struct {
		Cookies string `json:"cookies"`
		Name    string `json:"name"`
		Want    bool   `json:"want"`
	} `json:"hasCookie"`
	Language []struct {
		Offered   []string `json:"offered"`
		Requested []string `json:"requested"`
		Want      string   `json:"want"`
	} `json:"language"`
	TabWrap []struct {
		N      int  `json:"n"`
		Active int  `json:"active"`
		Shift  bool `json:"shift"`
		Want   int  `json:"want"`
	} `json:"tabWrap"`
	FocusAfterBanner []struct {
		InBanner       bool   `json:"inBanner"`
		PreviousUsable bool   `json:"previousUsable"`
		HasMain        bool   `json:"hasMain"`
		Want           string `json:"want"`
	} `json:"focusAfterBanner"`
}

// focusTargets names widget's FocusTargets as the loader's focusAfterBanner does.
var focusTargets = map[widget.FocusTarget]string{
	widget.FocusStay: "stay", widget.FocusPrevious: "previous", widget.FocusMain: "main", widget.FocusDocument: "document",
}

func readVectors(t *testing.T) (vectors, []byte) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "..", "testdata", "firstpaint-vectors.json"))
	require.NoError(t, err)
	var v vectors
	require.NoError(t, json.Unmarshal(raw, &v))
	require.NotEmpty(t, v.Fingerprint)
	require.NotEmpty(t, v.Trim)
	require.NotEmpty(t, v.HasCookie)
	require.NotEmpty(t, v.Language)
	require.NotEmpty(t, v.TabWrap)
	require.Len(t, v.FocusAfterBanner, 8, "every combination of the three facts")
	return v, raw
}

// policyOffering is a policy whose Languages() are offered, the first being its default.
func policyOffering(offered []string) *widget.Policy {
	title := widget.Text{}
	for _, l := range offered {
		title[l] = "x"
	}
	return &widget.Policy{DefaultLanguage: offered[0], Texts: map[string]widget.Text{"bannerTitle": title}}
}

// TestFirstPaintVectorsGo holds the Go side to the table: distbuild's fingerprint and trim,
// widget.CookieValues (any value is a cookie), widget.Policy.NegotiateLanguage, and the
// view host's rules widget.TabWrap and widget.FocusAfterBanner.
func TestFirstPaintVectorsGo(t *testing.T) {
	v, _ := readVectors(t)
	for _, c := range v.Fingerprint {
		assert.Equal(t, c.Want, distbuild.PolicyFingerprint([]byte(c.Text)), "fingerprint of %q", c.Text)
	}
	for _, c := range v.Trim {
		assert.Equal(t, c.Want, string(distbuild.TrimPolicy([]byte(c.Text))), "trim %q", c.Text)
	}
	for _, c := range v.HasCookie {
		assert.Equal(t, c.Want, len(widget.CookieValues(c.Cookies, c.Name)) > 0, "cookie %q in %q", c.Name, c.Cookies)
	}
	for _, c := range v.Language {
		p := policyOffering(c.Offered)
		require.Equal(t, c.Offered, p.Languages(), "the case's offered list is in Languages order")
		assert.Equal(t, c.Want, p.NegotiateLanguage(c.Requested...), "%q among %q", c.Requested, c.Offered)
	}
	for _, c := range v.TabWrap {
		assert.Equal(t, c.Want, widget.TabWrap(c.N, c.Active, c.Shift), "TabWrap(%d, %d, %v)", c.N, c.Active, c.Shift)
	}
	for _, c := range v.FocusAfterBanner {
		got := focusTargets[widget.FocusAfterBanner(c.InBanner, c.PreviousUsable, c.HasMain)]
		assert.Equal(t, c.Want, got, "FocusAfterBanner(%v, %v, %v)", c.InBanner, c.PreviousUsable, c.HasMain)
	}
}

// TestFirstPaintVectorsLoader runs the loader's own functions (the region between the
// first-paint markers of web/loader.js) in node on the same table.
func TestFirstPaintVectorsLoader(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatalf("node: %v (make deps installs it)", err)
	}
	_, raw := readVectors(t)
	src, err := os.ReadFile(filepath.Join("..", "..", "web", "loader.js"))
	require.NoError(t, err)
	_, region, ok := strings.Cut(string(src), "// BEGIN first-paint rules\n")
	require.True(t, ok, "loader.js has no BEGIN first-paint rules marker")
	region, _, ok = strings.Cut(region, "// END first-paint rules\n")
	require.True(t, ok, "loader.js has no END first-paint rules marker")

	script := region + `
const v = JSON.parse(require("fs").readFileSync(0, "utf8"));
const out = [];
for (const c of v.fingerprint) out.push(["fingerprint " + JSON.stringify(c.text), policyFingerprint(c.text), c.want]);
for (const c of v.trim) out.push(["trim " + JSON.stringify(c.text), trimPolicy(c.text), c.want]);
for (const c of v.hasCookie) out.push(["cookie " + c.name + " in " + JSON.stringify(c.cookies), hasCookie(c.cookies, c.name), c.want]);
for (const c of v.language) out.push(["language " + JSON.stringify(c.requested) + " among " + JSON.stringify(c.offered),
  negotiateLanguage(c.requested, c.offered, c.offered[0]), c.want]);
for (const c of v.tabWrap) out.push(["tabWrap " + JSON.stringify(c), tabWrap(c.n, c.active, c.shift), c.want]);
for (const c of v.focusAfterBanner) out.push(["focusAfterBanner " + JSON.stringify(c),
  focusAfterBanner(c.inBanner, c.previousUsable, c.hasMain), c.want]);
process.stdout.write(JSON.stringify(out));
`
	cmd := exec.Command(node, "-e", script)
	cmd.Stdin = strings.NewReader(string(raw))
	out, err := cmd.Output()
	require.NoError(t, err, "node: %s", errOutput(err))
	var results [][3]any
	require.NoError(t, json.Unmarshal(out, &results))
	require.NotEmpty(t, results)
	for _, r := range results {
		assert.Equal(t, r[2], r[1], "loader.js: %v", r[0])
	}
}

func errOutput(err error) string {
	if ee, ok := err.(*exec.ExitError); ok {
		return string(ee.Stderr)
	}
	return ""
}

// TestBuildBakesTheFirstPaint: with a loader holding FirstPaintPlaceholder, consentry.js
// carries the banner of the policy in each of its languages exactly as widget's views build
// it, the stylesheet, and the policy's fingerprints; a policy the widget refuses stops the
// build, naming the place.
func TestBuildBakesTheFirstPaint(t *testing.T) {
	policy, err := os.ReadFile(filepath.Join("..", "..", "policy.json"))
	require.NoError(t, err)
	in := inputs(t, "\x00asm\x01\x00\x00\x00module", "var fp = "+distbuild.FirstPaintPlaceholder+"; load('__CONSENTRY_WASM__');\n")
	require.NoError(t, os.WriteFile(in.Policy, policy, 0o644))
	out := filepath.Join(t.TempDir(), "dist")
	_, err = distbuild.Build(out, in)
	require.NoError(t, err)
	script, err := os.ReadFile(filepath.Join(out, distbuild.ScriptName))
	require.NoError(t, err)
	_, baked, ok := strings.Cut(string(script), "var fp = ")
	require.True(t, ok)
	baked, _, ok = strings.Cut(baked, "; load(")
	require.True(t, ok)
	var fp struct {
		Policy          struct{ Exact, Trimmed string }
		Cookie          string
		GPC             bool
		Languages       []string
		DefaultLanguage string
		CSS             string
		Views           map[string]struct{ Frame, Banner, Status json.RawMessage }
	}
	require.NoError(t, json.Unmarshal([]byte(baked), &fp))

	p, err := widget.ParsePolicy(policy)
	require.NoError(t, err)
	assert.Equal(t, distbuild.PolicyFingerprint(policy), fp.Policy.Exact)
	assert.Equal(t, distbuild.PolicyFingerprint(distbuild.TrimPolicy(policy)), fp.Policy.Trimmed)
	assert.Equal(t, p.Cookie.Name, fp.Cookie)
	assert.Equal(t, p.RespectGPC, fp.GPC)
	assert.Equal(t, []string{"en", "fr"}, fp.Languages)
	assert.Equal(t, "en", fp.DefaultLanguage)
	assert.Equal(t, distbuild.CompactCSS(web.Stylesheet), fp.CSS)
	require.Len(t, fp.Views, 2)
	for _, lang := range fp.Languages {
		v := fp.Views[lang]
		assert.JSONEq(t, string(p.BannerView(lang).AppendCompactJSON(nil)), string(v.Banner), lang)
		assert.JSONEq(t, string(widget.StatusView().AppendCompactJSON(nil)), string(v.Status), lang)
		assert.JSONEq(t, string(widget.El("div", p.FrameAttrs(lang)).AppendCompactJSON(nil)), string(v.Frame), lang)
	}
	assert.Contains(t, string(fp.Views["fr"].Banner), "Tout accepter")

	bad, err := os.ReadFile(filepath.Join("..", "..", "policy.json"))
	require.NoError(t, err)
	bad = []byte(strings.Replace(string(bad), `"revision": 1`, `"revision": 0`, 1))
	require.NoError(t, os.WriteFile(in.Policy, bad, 0o644))
	_, err = distbuild.Build(out, in)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "revision")
}

// TestCompactCSS: the stylesheet loses its comments and indentation and nothing else.
func TestCompactCSS(t *testing.T) {
	assert.Equal(t, "a {\ncolor: red;\n}\nb{}\n", distbuild.CompactCSS("/* x */\na {\n  color: red; /* y\n z */\n}\n\n  b{}"))
	css := distbuild.CompactCSS(web.Stylesheet)
	assert.NotContains(t, css, "/*")
	assert.Equal(t, strings.Count(web.Stylesheet, "{"), strings.Count(css, "{"), "no rule lost (the stylesheet has no \"/*\" in a string)")
	assert.Less(t, len(css), len(web.Stylesheet)*3/4)
}
