package widget

import (
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
	assert.Equal(t, "until you close the browser", rows[0].Lifetime("en"))
	assert.Equal(t, "13\u00a0mois", rows[1].Lifetime("fr"))
	assert.Nil(t, rows[2].ExpiresAfterDays, "§3: optional")
	assert.Equal(t, "", rows[2].Lifetime("en"), "no lifetime declared, nothing shown")

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
