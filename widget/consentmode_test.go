package widget

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// integrationPolicy is a policy with a required category and two optional ones, and the
// keys of CONTRACT.md §11 given by extra (JSON members, without braces).
func integrationPolicy(t *testing.T, extra string) *Policy {
	t.Helper()
	src := `{"revision":1,"defaultLanguage":"en","categories":[
  {"id":"necessary","required":true,"title":"Necessary"},
  {"id":"statistics","title":"Statistics"},
  {"id":"marketing","title":"Marketing"}]` + extra + `}`
	p, err := ParsePolicy([]byte(src))
	require.NoError(t, err)
	return p
}

// choiceOf is a stored choice accepting the categories listed (required ones included,
// as a record written by the widget holds them).
func choiceOf(categories ...string) *Record {
	return &Record{Version: 1, Revision: 1, Categories: categories}
}

// signals writes a consent state as "signal=state" pairs in Google's order, the notation
// of gtag's documentation, with the extra keys after them.
func signals(state map[string]any) string {
	var b []string
	for _, s := range ConsentSignals {
		b = append(b, s+"="+state[s].(string))
	}
	if w, ok := state["wait_for_update"]; ok {
		b = append(b, "wait_for_update="+strconv.Itoa(w.(int)))
	}
	if len(state) != len(b) {
		b = append(b, "(and other keys)")
	}
	return strings.Join(b, " ")
}

func TestConsentState(t *testing.T) {
	const mapping = `,"googleConsentMode":{
  "analytics_storage":["statistics"],
  "ad_storage":["marketing"],
  "ad_user_data":["marketing","statistics"],
  "security_storage":["necessary"],
  "functionality_storage":["necessary","statistics"]}`
	cases := []struct {
		desc   string
		choice *Record
		want   string
	}{
		{
			"§11: with no choice only the signals mapped to required categories alone are granted; unlisted ones are denied",
			nil,
			"ad_storage=denied ad_user_data=denied ad_personalization=denied analytics_storage=denied functionality_storage=denied personalization_storage=denied security_storage=granted",
		},
		{
			"§11: a refusal grants what required categories alone grant",
			choiceOf("necessary"),
			"ad_storage=denied ad_user_data=denied ad_personalization=denied analytics_storage=denied functionality_storage=denied personalization_storage=denied security_storage=granted",
		},
		{
			"§11: statistics accepted: a signal granted when every category it lists is accepted, a required one always is",
			choiceOf("necessary", "statistics"),
			"ad_storage=denied ad_user_data=denied ad_personalization=denied analytics_storage=granted functionality_storage=granted personalization_storage=denied security_storage=granted",
		},
		{
			"§11: marketing alone: ad_user_data lists statistics too, so it stays denied",
			choiceOf("necessary", "marketing"),
			"ad_storage=granted ad_user_data=denied ad_personalization=denied analytics_storage=denied functionality_storage=denied personalization_storage=denied security_storage=granted",
		},
		{
			"§11: everything accepted: the signals the policy does not list stay denied",
			choiceOf("necessary", "statistics", "marketing"),
			"ad_storage=granted ad_user_data=granted ad_personalization=denied analytics_storage=granted functionality_storage=granted personalization_storage=denied security_storage=granted",
		},
	}
	p := integrationPolicy(t, mapping)
	for _, c := range cases {
		t.Run(c.desc, func(t *testing.T) {
			assert.Equal(t, c.want, signals(p.ConsentState(c.choice)))
			update, event := p.GtagUpdate(c.choice)
			require.Len(t, update, 3)
			assert.Equal(t, []any{"consent", "update"}, update[:2])
			assert.Equal(t, c.want, signals(update[2].(map[string]any)), "the update names all seven signals")
			accepted := []any{"necessary"}
			if c.choice != nil {
				accepted = accepted[:0]
				for _, id := range c.choice.Categories {
					accepted = append(accepted, id)
				}
			}
			assert.Equal(t, map[string]any{"event": "consentry_consent", "acceptedCategories": accepted}, event)
		})
	}
}

func TestGtagDefaults(t *testing.T) {
	cases := []struct {
		desc, extra string
		want        [][]any
	}{
		{"§11: no googleConsentMode, no gtag call", ``, nil},
		{
			"§11: the default names all seven signals, granted only where required categories suffice",
			`,"googleConsentMode":{"security_storage":["necessary"],"analytics_storage":["statistics"]}`,
			[][]any{{"consent", "default", map[string]any{
				"ad_storage": Denied, "ad_user_data": Denied, "ad_personalization": Denied, "analytics_storage": Denied,
				"functionality_storage": Denied, "personalization_storage": Denied, "security_storage": Granted,
			}}},
		},
		{
			"§11: waitForUpdate becomes wait_for_update of the default; the two options are set after it when given",
			`,"googleConsentMode":{"ad_storage":["marketing"],"waitForUpdate":500,"adsDataRedaction":true,"urlPassthrough":false}`,
			[][]any{
				{"consent", "default", map[string]any{
					"ad_storage": Denied, "ad_user_data": Denied, "ad_personalization": Denied, "analytics_storage": Denied,
					"functionality_storage": Denied, "personalization_storage": Denied, "security_storage": Denied,
					"wait_for_update": 500,
				}},
				{"set", "ads_data_redaction", true},
				{"set", "url_passthrough", false},
			},
		},
		{
			"§11: an empty googleConsentMode still sends a default, everything denied",
			`,"googleConsentMode":{"urlPassthrough":true}`,
			[][]any{
				{"consent", "default", map[string]any{
					"ad_storage": Denied, "ad_user_data": Denied, "ad_personalization": Denied, "analytics_storage": Denied,
					"functionality_storage": Denied, "personalization_storage": Denied, "security_storage": Denied,
				}},
				{"set", "url_passthrough", true},
			},
		},
	}
	for _, c := range cases {
		t.Run(c.desc, func(t *testing.T) {
			assert.Equal(t, c.want, integrationPolicy(t, c.extra).GtagDefaults())
		})
	}
}

func TestConsentModeInvalid(t *testing.T) {
	cases := []struct{ desc, extra, want string }{
		{
			"§11: a mapping that names an unknown category is refused, naming the place",
			`,"googleConsentMode":{"ad_storage":["ads"]}`,
			`policy: googleConsentMode.ad_storage[0]: unknown category "ads": write the id of one of the policy's categories ("necessary", "statistics", "marketing")`,
		},
		{
			"§11: keys are Google's seven signals and the three options",
			`,"googleConsentMode":{"analytics":["statistics"]}`,
			`policy: googleConsentMode.analytics: unknown key; allowed keys: ad_storage, ad_user_data, ad_personalization, analytics_storage, functionality_storage, personalization_storage, security_storage, waitForUpdate, adsDataRedaction, urlPassthrough`,
		},
		{
			"§11: a signal lists at least one category (an empty list would grant it for everyone)",
			`,"googleConsentMode":{"ad_storage":[]}`,
			`policy: googleConsentMode.ad_storage: expected at least one category id, got an empty array (leave the signal out to keep it denied)`,
		},
		{
			"§11: a signal maps to an array, not a single id",
			`,"googleConsentMode":{"ad_storage":"marketing"}`,
			`policy: googleConsentMode.ad_storage: expected an array of category ids, got string`,
		},
		{
			"§11: waitForUpdate is a number of milliseconds, within bounds",
			`,"googleConsentMode":{"waitForUpdate":60000}`,
			`policy: googleConsentMode.waitForUpdate: expected an integer from 0 to 10000 (milliseconds), got 60000`,
		},
		{
			"§11: the options are booleans",
			`,"googleConsentMode":{"adsDataRedaction":"yes"}`,
			`policy: googleConsentMode.adsDataRedaction: expected a boolean (true or false), got string`,
		},
		{
			"§11: matomo names a category of the policy",
			`,"matomo":{"category":"stats"}`,
			`policy: matomo.category: unknown category "stats": write the id of one of the policy's categories ("necessary", "statistics", "marketing")`,
		},
		{
			"§11: matomo needs its category",
			`,"matomo":{"cookieless":true}`,
			`policy: matomo.category: required but missing`,
		},
		{
			"§11: matomo's keys are category and cookieless",
			`,"matomo":{"category":"statistics","siteId":1}`,
			`policy: matomo.siteId: unknown key; allowed keys: category, cookieless`,
		},
	}
	for _, c := range cases {
		t.Run(c.desc, func(t *testing.T) {
			src := `{"revision":1,"defaultLanguage":"en","categories":[
  {"id":"necessary","required":true,"title":"Necessary"},
  {"id":"statistics","title":"Statistics"},
  {"id":"marketing","title":"Marketing"}]` + c.extra + `}`
			_, err := ParsePolicy([]byte(src))
			require.Error(t, err)
			// The position is checked by the parser's own tests; here, the place and message.
			msg := err.Error()
			if i := strings.LastIndex(msg, " (line "); i >= 0 {
				msg = msg[:i]
			}
			assert.Equal(t, c.want, msg)
		})
	}
}
