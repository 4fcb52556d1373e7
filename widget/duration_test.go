package widget

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCookieLifetime(t *testing.T) {
	cases := []struct {
		desc   string
		days   int
		en, fr string
	}{
		{"§3: 0 is a session cookie, dropped when the browser closes", 0, "until you close the browser", "jusqu’à la fermeture du navigateur"},
		{"one day, singular", 1, "1 day", "1\u00a0jour"},
		{"days that make no whole week", 3, "3 days", "3\u00a0jours"},
		{"Opendatasoft's sessionid: 2 weeks", 14, "2 weeks", "2\u00a0semaines"},
		{"whole weeks under four weeks", 21, "3 weeks", "3\u00a0semaines"},
		{"a month", 30, "1 month", "1\u00a0mois"},
		{"45 days is no whole month", 45, "45 days", "45\u00a0jours"},
		{"CNIL's six months of the consent cookie", 182, "6 months", "6\u00a0mois"},
		{"a year", 365, "1 year", "1\u00a0an"},
		{"CNIL's 13 months for exempt audience measurement", 395, "13 months", "13\u00a0mois"},
		{"Matomo's _pk_id: 393 days, within three days of 13 months", 393, "13 months", "13\u00a0mois"},
		{"Google Analytics' _ga: 2 years", 730, "2 years", "2\u00a0ans"},
		{"the largest allowed", 3650, "10 years", "10\u00a0ans"},
	}
	for _, c := range cases {
		t.Run(c.desc, func(t *testing.T) {
			assert.Equal(t, c.en, CookieLifetime(c.days, "en"))
			assert.Equal(t, c.fr, CookieLifetime(c.days, "fr"))
			assert.Equal(t, c.fr, CookieLifetime(c.days, "fr-CA"), "a French variant reads French")
			assert.Equal(t, c.en, CookieLifetime(c.days, "de"), "a language without built-in words reads English")
		})
	}
}

func TestDeclarationLifetimeParse(t *testing.T) {
	parse := func(row string) (*Policy, error) {
		return ParsePolicy([]byte(`{"revision":1,"defaultLanguage":"en","categories":[
  {"id":"necessary","required":true,"title":"Necessary","cookies":[` + row + `]}]}`))
	}
	p, err := parse(`{"provider":"Us","names":["a"],"expiresAfterDays":0},{"provider":"Us","names":["b"],"expiresAfterDays":395},{"provider":"Us","names":["c"]}`)
	require.NoError(t, err)
	rows := p.Categories[0].Cookies
	lifetime := func(d CookieDeclaration, lang string) string {
		text, textLang := d.Lifetime(lang)
		return textLang + ":" + text
	}
	assert.Equal(t, "en:until you close the browser", lifetime(rows[0], "en"))
	assert.Equal(t, "fr:13\u00a0mois", lifetime(rows[1], "fr-BE"))
	assert.Equal(t, "en:13 months", lifetime(rows[1], "de"), "no German words built in: English, said to be English")
	assert.Nil(t, rows[2].ExpiresAfterDays, "§3: optional")
	assert.Equal(t, ":", lifetime(rows[2], "en"), "no lifetime declared, nothing shown")

	for _, bad := range []struct{ value, want string }{
		{`-1`, `policy: categories[0].cookies[0].expiresAfterDays: expected an integer from 0 (until the browser closes) to 3650 days, got -1`},
		{`3651`, `policy: categories[0].cookies[0].expiresAfterDays: expected an integer from 0 (until the browser closes) to 3650 days, got 3651`},
		{`1.5`, `policy: categories[0].cookies[0].expiresAfterDays: expected an integer from 0 (until the browser closes) to 3650 days, got 1.5`},
		{`"13 months"`, `policy: categories[0].cookies[0].expiresAfterDays: expected an integer from 0 (until the browser closes) to 3650 days, got string`},
	} {
		_, err := parse(`{"provider":"Us","names":["a"],"expiresAfterDays":` + bad.value + `}`)
		require.Error(t, err, bad.value)
		msg := err.Error()
		assert.Equal(t, bad.want, msg[:strings.LastIndex(msg, " (line ")], bad.value)
	}
}

// TestDefaultPolicyLifetimes: the shipped policy declares the lifetime of every cookie
// (Planet49), the consent cookie's being the policy's own cookie.expiresAfterDays, and
// says which Matomo setup it runs (§11).
func TestDefaultPolicyLifetimes(t *testing.T) {
	data, err := os.ReadFile("../policy.json")
	require.NoError(t, err)
	p, err := ParsePolicy(data)
	require.NoError(t, err)
	got := map[string]string{}
	for _, c := range p.Categories {
		rows := slices.Clone(c.Cookies)
		for _, s := range c.Services {
			rows = append(rows, s.Cookies...)
		}
		for _, d := range rows {
			require.NotNil(t, d.ExpiresAfterDays, "%v has no expiresAfterDays", d.Names)
			text, _ := d.Lifetime("en")
			got[strings.Join(d.Names, " ")] = text
			if slices.Contains(d.Names, p.Cookie.Name) {
				assert.Equal(t, p.Cookie.ExpiresAfterDays, *d.ExpiresAfterDays, "the consent cookie's row follows cookie.expiresAfterDays")
			}
		}
	}
	assert.Equal(t, map[string]string{
		"sessionid":           "2 weeks",
		"django_language":     "1 year",
		"csrftoken":           "1 year",
		"cookies_preferences": "6 months",
		"_pk_id.* _pk_ses.*":  "13 months",
	}, got)
	assert.Equal(t, &Matomo{Category: "statistics", Cookieless: true}, p.Matomo)
	assert.Nil(t, p.ConsentMode, "the default policy runs no Google tag")
}
