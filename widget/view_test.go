package widget

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// update rewrites the golden view transcripts: go test ./widget -run TestViews -update
var update = flag.Bool("update", false, "rewrite the golden files of testdata/views")

// viewPolicies are the policies the view tests render, by name. "default" is the shipped
// policy.json.
var viewPolicies = map[string]string{
	// Right-to-left: an Arabic page where only some texts exist in Arabic, so the others
	// fall back to English and say so (span lang dir).
	"arabic": `{"revision": 1, "defaultLanguage": "en", "policyUrl": "/privacy",
	  "texts": {"bannerTitle": {"en": "Cookies here", "ar": "ملفات تعريف الارتباط"}, "acceptAll": {"en": "Accept all", "ar": "قبول الكل"}},
	  "categories": [
	    {"id": "necessary", "required": true, "title": {"en": "Necessary", "ar": "ضرورية"},
	     "cookies": [{"provider": "Site", "names": ["sid"], "function": "Session", "purpose": "To keep you signed in"}]},
	    {"id": "statistics", "title": {"en": "Statistics", "ar": "إحصاءات"}, "description": "Audience measurement."}]}`,
	// Services: a category with two services that need consent (so it can be partly on)
	// and one exempt service, a category without services, durations, storage keys and a
	// description with a link; the dark theme and the box layout.
	"services": `{"revision": 1, "defaultLanguage": "en", "theme": "dark", "layout": "box",
	  "categories": [
	    {"id": "necessary", "required": true, "title": {"en": "Necessary", "fr": "Nécessaires"},
	     "description": {"en": "Needed for the site to work. See [our policy](/cookies).", "fr": "Indispensables. Voir [notre politique](/cookies)."},
	     "cookies": [{"provider": "Site", "names": ["sid", "csrf"], "expiresAfterDays": 0, "function": "Session", "purpose": "Sign-in"}]},
	    {"id": "statistics", "title": {"en": "Statistics", "fr": "Statistiques"},
	     "services": [
	       {"id": "matomo", "title": "Matomo", "description": {"en": "Self-hosted analytics."},
	        "cookies": [{"provider": "Site", "names": ["_pk_id.*"], "expiresAfterDays": 393, "function": "Analytics", "purpose": "Counting visits"}]},
	       {"id": "hotjar", "title": "Hotjar",
	        "cookies": [{"provider": "Hotjar", "names": ["_hj*"], "storage": ["hjViewportId"], "expiresAfterDays": 365, "function": "Heatmaps", "purpose": "Seeing clicks"}]},
	       {"id": "counter", "title": {"en": "Anonymous counter", "fr": "Compteur anonyme"}, "consentRequired": false}]},
	    {"id": "videos", "title": {"en": "Embedded videos"}, "description": "Videos from YouTube.",
	     "cookies": [{"provider": "YouTube", "storage": ["yt-remote-*"], "function": "Video", "purpose": "Playing videos"}]}]}`,
	// No optional category: nothing to ask, so the purposes sentence is hidden; the light
	// theme.
	"required-only": `{"revision": 1, "defaultLanguage": "en", "theme": "light",
	  "categories": [{"id": "necessary", "required": true, "title": "Necessary"}]}`,
}

// parseViewPolicy returns the view test policy of that name.
func parseViewPolicy(t *testing.T, name string) *Policy {
	t.Helper()
	src, ok := viewPolicies[name]
	if name == "default" {
		src, ok = readDefaultPolicy(t), true
	}
	require.True(t, ok, "no view test policy %q", name)
	p, err := ParsePolicy([]byte(src))
	require.NoError(t, err)
	return p
}

// viewCase is one golden transcript: a policy in a language, in a state.
type viewCase struct {
	name, desc string
	policy     string
	lang       string
	switches   func(p *Policy) Switches // nil: every switch off
	gpc        bool                     // the choice in force came from GPC
}

// viewCases are the golden transcripts of testdata/views.
var viewCases = []viewCase{
	{name: "default-en", desc: "the shipped policy in English: auto theme, bar layout", policy: "default", lang: "en"},
	{name: "default-fr", desc: "the shipped policy in French, the other built-in language", policy: "default", lang: "fr"},
	{name: "arabic-rtl", desc: "right to left, texts that fall back to English in spans with lang and dir", policy: "arabic", lang: "ar"},
	{name: "services-en", desc: "services, an exempt service, storage keys, durations; dark theme, box layout", policy: "services", lang: "en"},
	{name: "services-fr-fallback", desc: "French, with titles and descriptions that fall back to English", policy: "services", lang: "fr"},
	{name: "required-only", desc: "no optional category: no purposes sentence; light theme", policy: "required-only", lang: "en"},
	{name: "services-partly-on", desc: "statistics partly on (one of its two services on), videos on", policy: "services", lang: "en",
		switches: func(*Policy) Switches {
			return Switches{
				Categories: map[string]SwitchState{"statistics": SwitchPartlyOn, "videos": SwitchOn},
				Services:   map[string]map[string]bool{"statistics": {"matomo": true, "hotjar": false}},
			}
		}},
	{name: "default-gpc", desc: "the choice in force came from Global Privacy Control: the notice is shown", policy: "default", lang: "en", gpc: true},
	{name: "default-fr-accepted", desc: "everything accepted, in French", policy: "default", lang: "fr",
		switches: func(p *Policy) Switches {
			return Switches{
				Categories: map[string]SwitchState{"statistics": SwitchOn},
				Services:   map[string]map[string]bool{"statistics": {"analytics": true}},
			}
		}},
}

// frameView returns what the widget shows for c: #consentry-root with its attributes and,
// as its children, the layers of its shadow root.
func (c viewCase) frameView(t *testing.T) *Node {
	p := parseViewPolicy(t, c.policy)
	root := El("div", append(at("id", RootID), p.FrameAttrs(c.lang)...))
	var sw Switches
	if c.switches != nil {
		sw = c.switches(p)
	}
	root.Append(p.BannerView(c.lang), p.PreferencesView(c.lang, sw, c.gpc), StatusView())
	return root
}

// TestViews compares the view transcripts with testdata/views/*.txt.
func TestViews(t *testing.T) {
	for _, lang := range BuiltinLanguages() {
		assert.True(t, slices.ContainsFunc(viewCases, func(c viewCase) bool { return c.policy == "default" && c.lang == lang }),
			"no golden transcript of the shipped policy in the built-in language %q", lang)
	}
	for _, c := range viewCases {
		t.Run(c.name, func(t *testing.T) {
			got := "# " + c.desc + "\n# policy " + c.policy + ", language " + c.lang + "\n" +
				c.frameView(t).Transcript() +
				"# the host page's first data-consentry=\"cookie-table\" element\n" +
				parseViewPolicy(t, c.policy).DeclarationView(c.lang, 0).Transcript()
			checkGolden(t, filepath.Join("testdata", "views", c.name+".txt"), got)
		})
	}
}

// checkGolden compares got with the golden file want, rewriting it with -update. On a
// mismatch it writes got next to it and prints how to accept it.
func checkGolden(t *testing.T, want, got string) {
	t.Helper()
	if *update {
		require.NoError(t, os.WriteFile(want, []byte(got), 0o644))
		return
	}
	data, err := os.ReadFile(want)
	if err == nil && string(data) == got {
		return
	}
	gotFile := strings.TrimSuffix(want, ".txt") + ".got.txt"
	require.NoError(t, os.WriteFile(gotFile, []byte(got), 0o644))
	if err != nil {
		t.Errorf("%s: %v\nto create it: mv widget/%s widget/%s\n(or: go test ./widget -run TestViews -update)", want, err, gotFile, want)
		return
	}
	assert.Equal(t, string(data), got, "%s is out of date\nto accept the new transcript: mv widget/%s widget/%s\n(or: go test ./widget -run TestViews -update)", want, gotFile, want)
}

// TestViewCompactJSON: the compact form decodes, as JSON, to the same tree, always with an
// attribute object, and holds no character that could end a script or a <script> element.
func TestViewCompactJSON(t *testing.T) {
	tricky := El("p", at("title", `a "quoted" <b> & \ `+"\u2028\u2029\t\x01\x7f"),
		TextNode("</script><!-- \u2028 é 日本 \xff"), El("br", nil))
	for _, c := range append([]struct {
		name string
		node *Node
	}{{"tricky", tricky}}, viewNodes(t)...) {
		t.Run(c.name, func(t *testing.T) {
			b := c.node.AppendCompactJSON(nil)
			for _, bad := range []string{"<", ">", "&", "\u2028", "\u2029"} {
				assert.NotContains(t, string(b), bad)
			}
			var decoded any
			require.NoError(t, json.Unmarshal(b, &decoded), "%s", b)
			assertSameTree(t, c.node, decoded)
		})
	}
}

// viewNodes returns the top-level nodes of every view case, by name.
func viewNodes(t *testing.T) []struct {
	name string
	node *Node
} {
	var out []struct {
		name string
		node *Node
	}
	for _, c := range viewCases {
		for _, n := range c.frameView(t).Children {
			out = append(out, struct {
				name string
				node *Node
			}{c.name + "/" + n.Tag, n})
		}
		out = append(out, struct {
			name string
			node *Node
		}{c.name + "/declaration", parseViewPolicy(t, c.policy).DeclarationView(c.lang, 1)})
	}
	return out
}

// assertSameTree checks a decoded compact form against the tree it came from.
func assertSameTree(t *testing.T, n *Node, decoded any) {
	t.Helper()
	if n.Tag == "" {
		assert.Equal(t, validUTF8(n.Text), decoded)
		return
	}
	arr, ok := decoded.([]any)
	require.True(t, ok, "an element is an array: %v", decoded)
	require.GreaterOrEqual(t, len(arr), 2, "tag and attributes are always there")
	assert.Equal(t, n.Tag, arr[0])
	attrs, ok := arr[1].(map[string]any)
	require.True(t, ok, "the second item is the attribute object: %v", arr[1])
	require.Len(t, attrs, len(n.Attrs))
	for _, a := range n.Attrs {
		assert.Equal(t, validUTF8(a.Value), attrs[a.Name], "attribute %s", a.Name)
	}
	require.Len(t, arr[2:], len(n.Children))
	for i, c := range n.Children {
		assertSameTree(t, c, arr[2+i])
	}
}

// TestViewTranscript: the transcript's own format, on a small tree.
func TestViewTranscript(t *testing.T) {
	n := El("section", at("part", "banner", "hidden", ""),
		El("h2", at("id", "t"), TextNode("Hi \"you\"")), TextNode("x"))
	assert.Equal(t, "<section part=\"banner\" hidden>\n  <h2 id=\"t\">\n    \"Hi \\\"you\\\"\"\n  \"x\"\n", n.Transcript())
	assert.Equal(t, `["section",{"part":"banner","hidden":""},["h2",{"id":"t"},"Hi \"you\""],"x"]`,
		string(n.AppendCompactJSON(nil)))
}

// FuzzViewCompactJSON: any text and attribute value comes out of AppendCompactJSON as JSON
// that decodes to the same strings (invalid UTF-8 as U+FFFD), with nothing that could end a
// script.
func FuzzViewCompactJSON(f *testing.F) {
	f.Add("</script>", "a\"b", "\u2028")
	f.Add("\xff\xfe", "<!--", "\\u0000")
	f.Fuzz(func(t *testing.T, text, value, tag string) {
		n := El("p", []Attr{{"title", value}, {"data-" + tag, text}}, TextNode(text), El("b", nil, TextNode(value)))
		b := n.AppendCompactJSON(nil)
		for _, bad := range []string{"<", ">", "&", "\u2028", "\u2029"} {
			if strings.Contains(string(b), bad) {
				t.Fatalf("%q in %s", bad, b)
			}
		}
		var decoded []any
		require.NoError(t, json.Unmarshal(b, &decoded), "%s", b)
		require.Len(t, decoded, 4)
		attrs := decoded[1].(map[string]any)
		assert.Equal(t, validUTF8(value), attrs["title"])
		assert.Equal(t, validUTF8(text), decoded[2])
		assert.Equal(t, []any{"b", map[string]any{}, validUTF8(value)}, decoded[3])
	})
}

// validUTF8 is s with each invalid byte replaced by U+FFFD, as appendJSONString writes it.
func validUTF8(s string) string { return string([]rune(s)) }

// Benchmarks of the views, on the shipped policy: what the wasm builds before the first
// paint (the banner) and when the dialog opens, and the compact form of the banner.
func BenchmarkBannerView(b *testing.B) {
	p := benchPolicy(b)
	for b.Loop() {
		p.BannerView("en")
	}
}

func BenchmarkPreferencesView(b *testing.B) {
	p := benchPolicy(b)
	for b.Loop() {
		p.PreferencesView("en", Switches{}, false)
	}
}

func BenchmarkBannerCompactJSON(b *testing.B) {
	n := benchPolicy(b).BannerView("en")
	var buf []byte
	for b.Loop() {
		buf = n.AppendCompactJSON(buf[:0])
	}
}

func benchPolicy(b *testing.B) *Policy {
	data, err := os.ReadFile("../policy.json")
	require.NoError(b, err)
	p, err := ParsePolicy(data)
	require.NoError(b, err)
	return p
}
