package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/consentry/consentry/widget"
)

// warnBase is a policy with no warning, which each case below changes in one place.
const warnBase = `{
  "revision": 1,
  "defaultLanguage": "en",
  "cookie": {"expiresAfterDays": 182, "domain": ".consentry.example"},
  "categories": [
    {"id": "necessary", "required": true, "title": "Necessary",
     "cookies": [{"provider": "Site", "names": ["sessionid"]}]},
    {"id": "statistics", "title": "Statistics",
     "services": [{"id": "analytics", "title": "Analytics",
                   "cookies": [{"provider": "Matomo", "names": ["_pk_id.*"]}]}]},
    {"id": "videos", "title": "Videos",
     "cookies": [{"provider": "YouTube", "storage": ["yt-player-*"]}]}
  ]
}`

// TestPolicyWarnings checks each warning of consentry validate: where it points (path,
// line, column) and what it says, and that a policy within the advice has none.
func TestPolicyWarnings(t *testing.T) {
	for _, tc := range []struct {
		desc     string
		from, to string // replaced in warnBase
		want     []string
	}{
		// statistics declares its cookies through its service only: that counts.
		{"no warning for a policy within the advice", "", "", nil},
		{"CNIL 2020-092 art. 2: the choice is kept about 6 months; 183 days is still within",
			`"expiresAfterDays": 182`, `"expiresAfterDays": 183`, nil},
		{"CNIL 2020-092 art. 2: a choice kept longer than 183 days",
			`"expiresAfterDays": 182`, `"expiresAfterDays": 184`,
			[]string{`4:34: cookie.expiresAfterDays: the choice is kept 184 days: the CNIL recommends asking again after about 6 months`}},
		{"RFC 6265 §5.3: cookie.domain a public suffix of the Public Suffix List (ICANN)",
			`"domain": ".consentry.example"`, `"domain": ".co.uk"`,
			[]string{`4:49: cookie.domain: ".co.uk" is a public suffix`}},
		{"RFC 6265 §5.3: cookie.domain a private public suffix, which the widget's short list lacks",
			`"domain": ".consentry.example"`, `"domain": "blogspot.com"`,
			[]string{`4:49: cookie.domain: "blogspot.com" is a public suffix`}},
		{"a registrable domain under a public suffix is fine",
			`"domain": ".consentry.example"`, `"domain": ".example.co.uk"`, nil},
		{"CONTRACT §4: a service inside a required category is accepted, and warned about",
			`"cookies": [{"provider": "Site", "names": ["sessionid"]}]},`,
			`"cookies": [{"provider": "Site", "names": ["sessionid"]}], "services": [{"id": "auth", "title": "Login"}]},`,
			[]string{`7:78: categories[0].services[0]: a service inside the required category "necessary" is always on`}},
		{"EDPB 2/2023: an optional category that declares nothing stored",
			`"cookies": [{"provider": "YouTube", "storage": ["yt-player-*"]}]}`, `"description": "Videos"}`,
			[]string{`11:5: categories[2]: the optional category "videos" declares no cookie and no storage key`}},
		{"CNIL 2020-091 art. 5: exempt cookies without a declared lifetime",
			`{"id": "analytics", "title": "Analytics",`, `{"id": "analytics", "title": "Analytics", "consentRequired": false,`,
			[]string{`10:32: categories[1].services[0].cookies[0]: these cookies are exempt from consent (consentRequired: false), but their lifetime is not declared`}},
		{"CNIL 2020-091 art. 5: exempt cookies that live longer than 13 months (expiresAfterDays of 1.1, read without the parser)",
			`{"id": "analytics", "title": "Analytics",
                   "cookies": [{"provider": "Matomo", "names": ["_pk_id.*"]}]}`,
			`{"id": "analytics", "title": "Analytics", "consentRequired": false,
                   "cookies": [{"provider": "Matomo", "names": ["_pk_id.*"], "expiresAfterDays": 396}]}`,
			[]string{`10:98: categories[1].services[0].cookies[0].expiresAfterDays: these cookies are exempt from consent (consentRequired: false) but live 396 days`}},
		{"CNIL 2020-091 art. 5: exempt cookies declared for 13 months at most",
			`{"id": "analytics", "title": "Analytics",
                   "cookies": [{"provider": "Matomo", "names": ["_pk_id.*"]}]}`,
			`{"id": "analytics", "title": "Analytics", "consentRequired": false,
                   "cookies": [{"provider": "Matomo", "names": ["_pk_id.*"], "expiresAfterDays": 395}]}`,
			nil},
	} {
		t.Run(tc.desc, func(t *testing.T) {
			src := strings.Replace(warnBase, tc.from, tc.to, 1)
			require.True(t, tc.from == "" || src != warnBase, "the case changes nothing")
			var got []string
			for _, w := range policyWarnings([]byte(src)) {
				got = append(got, formatWarning("p.json", w))
			}
			require.Len(t, got, len(tc.want), "%q", got)
			for i, want := range tc.want {
				assert.True(t, strings.HasPrefix(got[i], "p.json:"+strings.Replace(want, ": ", ": warning: ", 1)),
					"got  %s\nwant p.json:%s…", got[i], want)
			}
		})
	}
}

// TestValidateWarningsExitStatus: warnings are printed as file:line:column: warning: …;
// alone they exit 0, and 1 with -strict; a refused policy exits 1 and gets no warnings;
// the shipped policy has none.
func TestValidateWarningsExitStatus(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) string {
		f := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(f, []byte(data), 0o644))
		return f
	}
	warned := write("warned.json", strings.Replace(warnBase, `"expiresAfterDays": 182`, `"expiresAfterDays": 300`, 1))
	clean := write("clean.json", warnBase)
	refused := write("refused.json", strings.Replace(warnBase, `"expiresAfterDays": 182`, `"expiresAfterDays": 400`, 1))

	var out, errOut bytes.Buffer
	code := run([]string{"validate", warned}, &out, &errOut)
	assert.Equal(t, 0, code, "warnings alone: %s%s", out.String(), errOut.String())
	assert.Contains(t, out.String(), warned+":4:34: warning: cookie.expiresAfterDays: the choice is kept 300 days")
	assert.Contains(t, out.String(), warned+": valid, with 1 warning\n")

	out.Reset()
	errOut.Reset()
	code = run([]string{"validate", "-strict", warned, clean}, &out, &errOut)
	assert.Equal(t, 1, code, "-strict fails on warnings")
	assert.Contains(t, out.String(), warned+":4:34: warning: ")
	assert.Contains(t, out.String(), clean+": valid\n")
	assert.Contains(t, errOut.String(), "1 of 2 policies have warnings (-strict)")

	out.Reset()
	code = run([]string{"validate", "-strict", clean, filepath.Join("..", "..", "policy.json")}, &out, &errOut)
	assert.Equal(t, 0, code, "-strict passes a policy without warnings: %s", out.String())
	assert.NotContains(t, out.String(), "warning")

	out.Reset()
	code = run([]string{"validate", refused}, &out, &errOut)
	assert.Equal(t, 1, code)
	assert.Contains(t, out.String(), refused+":4:34: cookie.expiresAfterDays: ")
	assert.NotContains(t, out.String(), "warning", "a refused policy is fixed first")
}

// TestJSONPlaces checks the offsets of values, which place the warnings.
func TestJSONPlaces(t *testing.T) {
	doc := []byte(`{"a": [1, {"b" : "x"}], "c":true}`)
	places := jsonPlaces(doc)
	for path, want := range map[string]string{"": `{"a"`, "a": `[1,`, "a[0]": `1,`, "a[1]": `{"b"`, "a[1].b": `"x"`, "c": `true`} {
		off, ok := places[path]
		require.True(t, ok, path)
		assert.True(t, bytes.HasPrefix(doc[off:], []byte(want)), "%s at %d: %q", path, off, doc[off:])
	}
	// Columns count characters, as the parser's do.
	line, col := widget.LineColumn([]byte("\xEF\xBB\xBF{\n  \"é\": 1}"), len("\xEF\xBB\xBF{\n  \"é\": "))
	assert.Equal(t, [2]int{2, 8}, [2]int{line, col})
}

// FuzzPolicyWarnings checks that the warnings never panic on a policy the widget accepts,
// and that each one has a place inside the document and a message.
func FuzzPolicyWarnings(f *testing.F) {
	f.Add([]byte(warnBase))
	f.Add([]byte(strings.Replace(warnBase, `"expiresAfterDays": 182`, `"expiresAfterDays": 300`, 1)))
	if data, err := os.ReadFile(filepath.Join("..", "..", "policy.json")); err == nil {
		f.Add(data)
	}
	f.Add([]byte("\xEF\xBB\xBF" + warnBase))
	f.Fuzz(func(t *testing.T, data []byte) {
		if _, err := widget.ParsePolicy(data); err != nil {
			return // validate prints the problems of a refused policy, and no warning
		}
		lines := bytes.Count(data, []byte("\n")) + 1
		for _, w := range policyWarnings(data) {
			require.NotEmpty(t, w.Msg)
			require.True(t, w.Line >= 1 && w.Line <= lines && w.Column >= 1, "%+v", w)
		}
	})
}
