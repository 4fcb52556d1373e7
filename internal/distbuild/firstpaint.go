package distbuild

import (
	"bytes"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"strings"

	"github.com/consentry/consentry/web"
	"github.com/consentry/consentry/widget"
)

// FirstPaintPlaceholder is the expression in web/loader.js that Build replaces with the
// first paint (CONTRACT.md §9): a comment and null, so the loader is valid JavaScript, and
// a loader built without it shows nothing before the module.
const FirstPaintPlaceholder = "/*__CONSENTRY_FIRST_PAINT__*/ null"

// firstPaint is what consentry.js carries so that the loader can show the banner of the
// policy the build ships before the module is ready, and decide alone when to. The loader
// reads these fields by name (web/loader.js, "The first paint").
type firstPaint struct {
	// Policy identifies the built-in policy's text (PolicyFingerprint): Exact for the
	// bytes of a fetched policy, Trimmed for an inline one, whose surrounding white space
	// does not count (§9).
	Policy struct {
		Exact   string `json:"exact"`
		Trimmed string `json:"trimmed"`
	} `json:"policy"`
	Cookie          string   `json:"cookie"`    // the consent cookie's name: any cookie of that name, and the loader steps aside
	GPC             bool     `json:"gpc"`       // respectGlobalPrivacyControl: a first visit with GPC shows no banner
	Languages       []string `json:"languages"` // widget.Policy.Languages, in its order
	DefaultLanguage string   `json:"defaultLanguage"`
	CSS             string   `json:"css"` // web.Stylesheet, adopted by the loader and handed to the module
	// Views holds, for each offered language, the banner as widget's views build it.
	Views map[string]bakedView `json:"views"`
}

// bakedView is one language's first layer, as node trees in the compact JSON form of
// widget.Node: #consentry-root (its attributes), the banner and the status region.
type bakedView struct {
	Frame  json.RawMessage `json:"frame"`
	Banner json.RawMessage `json:"banner"`
	Status json.RawMessage `json:"status"`
}

// PolicyFingerprint identifies a policy's bytes the way the loader does (policyFingerprint
// in web/loader.js; testdata/firstpaint-vectors.json holds both to the same answers): the
// FNV-1a, 32 bits, of the bytes in 8 lowercase hex digits, "-", and their number. It tells
// an edited policy from the built-in one; it is not a defence against anyone, who could
// just as well edit consentry.js.
func PolicyFingerprint(b []byte) string {
	h := fnv.New32a()
	h.Write(b)
	return fmt.Sprintf("%08x-%d", h.Sum32(), len(b))
}

// TrimPolicy removes JSON white space (space, tab, CR, LF) at both ends of a policy's text.
func TrimPolicy(b []byte) []byte { return bytes.Trim(b, " \t\r\n") }

// FirstPaint returns the JavaScript expression that replaces FirstPaintPlaceholder: the
// banner of policy in every language it offers, built by package widget's views (the code
// the module renders with), the stylesheet, and what the loader decides with. A policy the
// widget refuses is an error naming the place: every visitor's widget would fail closed.
func FirstPaint(policy []byte) ([]byte, error) {
	p, err := widget.ParsePolicy(policy)
	if err != nil {
		return nil, fmt.Errorf("the policy is refused, so no visitor would see a banner:\n%w", err)
	}
	fp := firstPaint{
		Cookie:          p.Cookie.Name,
		GPC:             p.RespectGPC,
		Languages:       p.Languages(),
		DefaultLanguage: p.DefaultLanguage,
		CSS:             CompactCSS(web.Stylesheet),
		Views:           map[string]bakedView{},
	}
	fp.Policy.Exact = PolicyFingerprint(policy)
	fp.Policy.Trimmed = PolicyFingerprint(TrimPolicy(policy))
	for _, lang := range fp.Languages {
		fp.Views[lang] = bakeView(p, lang)
	}
	b, err := json.Marshal(fp)
	if err != nil {
		return nil, err
	}
	return b, nil
}

// CompactCSS drops the comments, indentation and blank lines of a stylesheet: every visitor
// downloads it in consentry.js. It knows no CSS beyond that, so the stylesheet must not hold
// "/*" inside a string (TestCompactCSS holds web/consentry.css to it).
func CompactCSS(css string) string {
	var b strings.Builder
	for {
		start := strings.Index(css, "/*")
		if start < 0 {
			break
		}
		end := strings.Index(css[start+2:], "*/")
		if end < 0 {
			break
		}
		b.WriteString(css[:start])
		css = css[start+2+end+2:]
	}
	b.WriteString(css)
	var out strings.Builder
	for line := range strings.SplitSeq(b.String(), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			out.WriteString(line)
			out.WriteByte('\n')
		}
	}
	return out.String()
}
