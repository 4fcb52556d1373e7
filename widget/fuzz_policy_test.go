package widget

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// FuzzParsePolicy checks that ParsePolicy never panics, refuses with a well-formed
// *PolicyError, and returns only policies that keep every rule of CONTRACT.md §3. Seeds:
// the shipped policy.json, the valid and invalid policies of the unit tests, and the files
// under testdata/fuzz/FuzzParsePolicy.
func FuzzParsePolicy(f *testing.F) {
	if data, err := os.ReadFile("../policy.json"); err == nil {
		f.Add(data)
	}
	f.Add([]byte(policyMinimal))
	f.Add([]byte(storagePolicy)) // storage keys, rows without cookies (1.1)
	f.Add([]byte(fourPurposesPolicy))
	for _, c := range policyInvalidCases() {
		f.Add([]byte(c.in))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParsePolicy(data)
		if err != nil {
			require.Nil(t, p)
			var pe *PolicyError
			require.True(t, errors.As(err, &pe), "error %T is not a *PolicyError", err)
			require.NotEmpty(t, pe.Problems)
			require.LessOrEqual(t, len(pe.Problems), maxProblems+1)
			lines := strings.Split(err.Error(), "\n")
			require.Len(t, lines, len(pe.Problems), "one line per problem")
			for i, line := range lines {
				require.True(t, strings.HasPrefix(line, "policy: "), "line %q", line)
				if i > 0 && pe.Problems[i].Line > 0 {
					prev := pe.Problems[i-1]
					require.True(t, prev.Line < pe.Problems[i].Line || prev.Line == pe.Problems[i].Line && prev.Column <= pe.Problems[i].Column, "problems in document order")
				}
			}
			return
		}
		require.NotNil(t, p)
		checkPolicyInvariants(t, p)
	})
}

// checkPolicyInvariants fails the test when p breaks a rule of CONTRACT.md §3 that
// ParsePolicy promises to hold for every policy it returns.
func checkPolicyInvariants(t *testing.T, p *Policy) {
	t.Helper()
	require.GreaterOrEqual(t, p.Revision, 1, "revision")
	require.True(t, validLanguageTag(p.DefaultLanguage), "defaultLanguage %q", p.DefaultLanguage)

	c := p.Cookie
	require.True(t, isCookieNameToken(c.Name), "cookie.name %q", c.Name)
	require.True(t, c.ExpiresAfterDays >= 1 && c.ExpiresAfterDays <= 395, "cookie.expiresAfterDays %d", c.ExpiresAfterDays)
	require.Empty(t, cookieDomainProblem(c.Domain), "cookie.domain")
	require.Empty(t, cookiePathProblem(c.Path), "cookie.path")
	require.Contains(t, []string{"Lax", "Strict", "None"}, c.SameSite)
	if p.PolicyURL != "" {
		require.True(t, SafeURL(p.PolicyURL), "policyUrl %q", p.PolicyURL)
	}

	checkText := func(where string, text Text, required bool) {
		if text == nil {
			require.False(t, required, "%s is required", where)
			return
		}
		_, plain := text[""]
		_, inDefault := text[p.DefaultLanguage]
		require.True(t, plain || inDefault, "%s has no %q text", where, p.DefaultLanguage)
		for lang, s := range text {
			require.True(t, lang == "" || validLanguageTag(lang), "%s: language %q", where, lang)
			require.NotEmpty(t, strings.TrimSpace(s), "%s: empty text", where)
			for _, seg := range SplitLinks(s) {
				require.True(t, !seg.Link || SafeURL(seg.URL), "%s: link %q", where, seg.URL)
			}
		}
	}
	for key, text := range p.Texts {
		require.True(t, isUITextKey(key), "texts key %q", key)
		checkText("texts."+key, text, true)
	}
	checkCookies := func(where string, cookies []CookieDeclaration) {
		for _, d := range cookies {
			checkText(where+" provider", d.Provider, true)
			checkText(where+" function", d.Function, false)
			checkText(where+" purpose", d.Purpose, false)
			require.True(t, len(d.Names) > 0 || len(d.Storage) > 0, "%s: a row declares cookies or storage keys", where)
			for _, name := range d.Names {
				require.True(t, isDeclaredCookieName(name), "%s: name %q", where, name)
			}
			for _, key := range d.Storage {
				require.True(t, isDeclaredStorageKey(key), "%s: storage key %q", where, key)
			}
		}
	}

	require.NotEmpty(t, p.Categories)
	required := 0
	categoryIDs := map[string]bool{}
	for _, cat := range p.Categories {
		require.True(t, validID(cat.ID), "category id %q", cat.ID)
		require.False(t, categoryIDs[cat.ID], "duplicate category id %q", cat.ID)
		categoryIDs[cat.ID] = true
		checkText(cat.ID+" title", cat.Title, true)
		checkText(cat.ID+" description", cat.Description, false)
		checkCookies(cat.ID, cat.Cookies)
		if cat.Required {
			required++
		}
		serviceIDs := map[string]bool{}
		for _, s := range cat.Services {
			require.True(t, validID(s.ID), "service id %q", s.ID)
			require.False(t, serviceIDs[s.ID], "duplicate service id %q in %q", s.ID, cat.ID)
			serviceIDs[s.ID] = true
			checkText(s.ID+" title", s.Title, true)
			checkText(s.ID+" description", s.Description, false)
			checkCookies(cat.ID+"/"+s.ID, s.Cookies)
		}
	}
	require.Positive(t, required, "no required category")

	langs := p.Languages()
	require.Equal(t, p.DefaultLanguage, langs[0])
	chosen := p.NegotiateLanguage("fr-CA", "en")
	require.Contains(t, langs, chosen)
	for _, key := range UITextKeys() {
		require.NotEmpty(t, p.UIText(key, chosen), "UI text %q in %q", key, chosen)
	}
}

// TestDefaultPolicyInvariants runs the fuzz test's invariants on the shipped policy, so that
// they are checked on every `go test`, not only while fuzzing.
func TestDefaultPolicyInvariants(t *testing.T) {
	data, err := os.ReadFile("../policy.json")
	require.NoError(t, err)
	p, err := ParsePolicy(data)
	require.NoError(t, err)
	checkPolicyInvariants(t, p)
}

// whatwgScheme returns the scheme a browser reads in the link target s, following the
// WHATWG URL Standard's basic URL parser: strip leading and trailing C0 controls and
// spaces, remove tabs and newlines, then an ASCII letter followed by letters, digits, '+',
// '-' or '.' up to a ':' is the scheme. Without one the URL is relative. It is the
// reference SafeURL is checked against.
func whatwgScheme(s string) (string, bool) {
	s = strings.TrimFunc(s, func(r rune) bool { return r <= ' ' })
	s = strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(s)
	for i := 0; i < len(s); i++ {
		c := s[i]
		letter := 'a' <= c|0x20 && c|0x20 <= 'z'
		switch {
		case letter:
		case i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'):
		case i > 0 && c == ':':
			return strings.ToLower(s[:i]), true
		default:
			return "", false
		}
	}
	return "", false
}

// FuzzPolicyValues puts fuzzed strings where a policy holds site-chosen values (the
// policyUrl, a link in a description, the cookie domain and path, a category id, a
// declared cookie name, a language) and checks that whatever ParsePolicy accepts keeps the
// rules of §3, and that SafeURL never lets through a scheme a browser would run.
func FuzzPolicyValues(f *testing.F) {
	f.Add("/cookies", "https://example.org", ".example.org", "/", "statistics", "_pk_id.*", "fr")
	f.Add("java\tscript:alert(1)", " JAVASCRIPT:x", "https://a.example", "/;x", "Stats", "a b", "en_US")
	f.Add("//evil.example", "\x00data:text/html,x", "xn--bcher-kva.example", "/données", "a", "*", "pt-BR")
	f.Fuzz(func(t *testing.T, policyURL, linkURL, domain, path, id, cookieName, lang string) {
		if scheme, ok := whatwgScheme(policyURL); ok && SafeURL(policyURL) {
			require.Contains(t, []string{"http", "https", "mailto"}, scheme, "SafeURL(%q)", policyURL)
		}
		str := func(s string) string { return string(appendJSONString(nil, s)) }
		doc := `{"revision":1,"defaultLanguage":"en","policyUrl":` + str(policyURL) +
			`,"cookie":{"domain":` + str(domain) + `,"path":` + str(path) + `},"categories":[` +
			`{"id":"necessary","required":true,"title":"Necessary","cookies":[{"provider":"P","names":[` + str(cookieName) + `]}]},` +
			`{"id":` + str(id) + `,"title":{"en":"T",` + str(lang) + `:"T"},"description":` + str("[policy]("+linkURL+")") + `}]}`
		p, err := ParsePolicy([]byte(doc))
		if err != nil {
			var pe *PolicyError
			require.True(t, errors.As(err, &pe))
			return
		}
		checkPolicyInvariants(t, p)
		require.Equal(t, policyURL, p.PolicyURL)
		require.Equal(t, domain, p.Cookie.Domain)
		require.Equal(t, path, p.Cookie.Path)
		require.Equal(t, id, p.Categories[1].ID)
		require.Equal(t, []string{cookieName}, p.Categories[0].Cookies[0].Names)
	})
}
