package widget

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// expandCookies turns the placeholders of a document.cookie string of the tables into
// consent cookies as a browser holds them: {accept-all}, {reject-all}, {gpc}, {stats} (the
// statistics category only), {ads} (marketing with its ads service only), each written an
// hour ago; {expired} an acceptance older than cookie.expiresAfterDays; {older} a
// rejection written a day ago (the stale twin of a repair).
func expandCookies(t testing.TB, p *Policy, s string) string {
	t.Helper()
	hourAgo := sessionNow.Add(-time.Hour)
	for placeholder, cookie := range map[string]func() string{
		"{accept-all}": func() string { return storedCookie(t, p, MethodAcceptAll, p.AcceptAll(), hourAgo) },
		"{reject-all}": func() string { return storedCookie(t, p, MethodRejectAll, p.RejectAll(), hourAgo) },
		"{gpc}":        func() string { return storedCookie(t, p, MethodGPC, p.RejectAll(), hourAgo) },
		"{stats}": func() string {
			return storedCookie(t, p, MethodCustom, Choice{Categories: []string{"statistics"}}, hourAgo)
		},
		"{ads}": func() string {
			return storedCookie(t, p, MethodCustom, Choice{Categories: []string{"marketing"}, Services: map[string][]string{"marketing": {"ads"}}}, hourAgo)
		},
		"{expired}": func() string {
			return storedCookie(t, p, MethodAcceptAll, p.AcceptAll(), sessionNow.AddDate(0, 0, -183))
		},
		"{older}": func() string {
			return storedCookie(t, p, MethodRejectAll, p.RejectAll(), sessionNow.AddDate(0, 0, -1))
		},
	} {
		if strings.Contains(s, placeholder) {
			s = strings.ReplaceAll(s, placeholder, cookie())
		}
	}
	return s
}

// step is one input of a case, on a page holding cookies (placeholders expanded).
type step struct {
	in      Input
	cookies string
}

// sessionCase is a page view: a policy (members added to the test policy), signals, the
// cookies at load, inputs; and the effects expected of the last input (of the start when
// there is none): exactly want when it is set, else lines starting with each of has and
// none starting with any of hasNot.
type sessionCase struct {
	desc              string
	cookieExtra       string
	extra             string
	signals           func(*Signals)
	cookies           string
	steps             []step
	want, has, hasNot []string
}

func (tc sessionCase) run(t *testing.T) {
	p := sessionPolicy(t, tc.cookieExtra, tc.extra)
	sig := sessionSignals()
	if tc.signals != nil {
		tc.signals(&sig)
	}
	s := NewSession(p, sig, zeroReader{})
	got := s.Start(page(expandCookies(t, p, tc.cookies)))
	for _, st := range tc.steps {
		got = s.Handle(page(expandCookies(t, p, st.cookies)), st.in)
	}
	lines := effectLines(p, got)
	if tc.want != nil {
		assert.Equal(t, tc.want, lines)
	}
	for _, h := range tc.has {
		assert.True(t, hasLine(lines, h), "missing %q in\n%s", h, strings.Join(lines, "\n"))
	}
	for _, h := range tc.hasNot {
		assert.False(t, hasLine(lines, h), "unexpected %q in\n%s", h, strings.Join(lines, "\n"))
	}
}

func runSessionCases(t *testing.T, cases []sessionCase) {
	for _, tc := range cases {
		t.Run(tc.desc, tc.run)
	}
}

const (
	acceptAllCookie = "cookie cp={accept-all necessary statistics marketing media marketing:[ads retargeting] statistics:[analytics]}; Path=/; Max-Age=15724800; SameSite=Lax; Secure"
	rejectAllCookie = "cookie cp={reject-all necessary}; Path=/; Max-Age=15724800; SameSite=Lax; Secure"
	gpcCookie       = "cookie cp={gpc necessary}; Path=/; Max-Age=15724800; SameSite=Lax; Secure"
)

// deleteCP are the lines that delete the consent cookie everywhere a script may have set
// it on https://shop.example/ (DeleteLines).
var deleteCP = []string{
	"cookie cp=; Max-Age=0; Path=/; Secure",
	"cookie cp=; Max-Age=0; Path=/; Domain=shop.example; Secure",
}

func TestSessionStart(t *testing.T) {
	runSessionCases(t, []sessionCase{
		{
			desc: "§7, §8: a first visit renders, is ready, and shows the banner; nothing is written",
			want: []string{"render en", "event consentry:ready", "show banner", `announce ""`, "event consentry:show banner"},
		},
		{
			desc:    "§4, §7: a valid stored acceptance is in force at load: consentry:consent, no banner",
			cookies: "a=1; {accept-all}",
			want:    []string{"render en", "event consentry:ready", "event consentry:consent accept-all [necessary statistics marketing media]"},
		},
		{
			desc:    "§4: a rejection is stored and respected exactly like an acceptance",
			cookies: "{reject-all}",
			want:    []string{"render en", "event consentry:ready", "event consentry:consent reject-all [necessary]"},
		},
		{
			desc:    "§4: an expired choice counts as no choice: the banner shows",
			cookies: "{expired}",
			has:     []string{"show banner"}, hasNot: []string{"event consentry:consent", "cookie "},
		},
		{
			desc:    "§4: garbage in the consent cookie counts as no choice, and nothing crashes",
			cookies: "cp=%7B%22v%22%3A1; cp={not json",
			has:     []string{"show banner"}, hasNot: []string{"event consentry:consent"},
		},
		{
			desc:    "§4: two consent cookies are repaired: both deleted everywhere, the newest valid one written back alone",
			cookies: "{older}; {accept-all}",
			want: append(append([]string{}, deleteCP...), "cookie cp={accept-all necessary statistics marketing media marketing:[ads retargeting] statistics:[analytics]}; Path=/; Max-Age=15724800; SameSite=Lax; Secure", "read-back",
				"render en", "event consentry:ready", "event consentry:consent accept-all [necessary statistics marketing media]"),
		},
		{
			desc:    "§3: a first visit with Global Privacy Control is a refusal, recorded with method gpc",
			signals: func(s *Signals) { s.GPC = true },
			want: []string{gpcCookie, "read-back", "render en", "event consentry:ready",
				"event consentry:consent gpc [necessary]"},
		},
		{
			desc:    "§3: Global Privacy Control never overrides a stored choice",
			signals: func(s *Signals) { s.GPC = true },
			cookies: "{accept-all}",
			hasNot:  []string{"cookie "}, has: []string{"event consentry:consent accept-all"},
		},
		{
			desc:    "§3: respectGlobalPrivacyControl false ignores the signal: the banner shows",
			extra:   `,"respectGlobalPrivacyControl":false`,
			signals: func(s *Signals) { s.GPC = true },
			hasNot:  []string{"cookie "}, has: []string{"show banner"},
		},
		{
			desc:        "§4: a page outside cookie.path writes the cookie without reading it back (RFC 6265 path-match)",
			signals:     func(s *Signals) { s.GPC = true; s.Location.Path = "/shopping" },
			cookieExtra: `,"path":"/shop"`,
			has:         []string{"cookie cp={gpc necessary}; Path=/shop;"}, hasNot: []string{"read-back"},
		},
		{
			desc:    "§6: a page without a show-preferences element is told so in the console",
			signals: func(s *Signals) { s.ReopenLink = false },
			has:     []string{"warn " + MissingReopenLinkWarning},
		},
		{
			desc:    "§2: the language is negotiated from the requested ones against the policy's",
			signals: func(s *Signals) { s.Languages = []string{"", "fr-CA", "en"} },
			has:     []string{"render fr"},
		},
		{
			desc:  "§11: Consent Mode defaults and the update for the stored choice come before the views, Matomo's requirement at the front of _paq",
			extra: `,"googleConsentMode":{"analytics_storage":["statistics"]},"matomo":{"category":"statistics"}`, cookies: "{stats}",
			want: []string{"gtag [consent default]", "gtag [consent update]", "dataLayer [necessary statistics]",
				"_paq front [[requireConsent] [setConsentGiven]]", "render en", "event consentry:ready",
				"event consentry:consent custom [necessary statistics]"},
		},
		{
			desc:  "§10: with receipts, a GPC refusal at start is queued and sent with the queue at the start's end",
			extra: `,"receipts":{"endpoint":"/consent"}`, signals: func(s *Signals) { s.GPC = true },
			has: []string{"queue-receipt consent gpc", "send-queued 1"},
		},
	})
}

func TestSessionChoices(t *testing.T) {
	runSessionCases(t, []sessionCase{
		{
			desc:  "§5, §7: accept all in the banner writes one cookie, closes the banner, activates, announces consentry:consent, says saved",
			steps: []step{{in: Action{Name: ActionAcceptAll}}},
			want: []string{acceptAllCookie, "read-back", "hide banner", "event consentry:hide banner", "scan",
				"event consentry:consent accept-all [necessary statistics marketing media]",
				`announce "Your preferences have been saved."`},
		},
		{
			desc:  "§8: continue without accepting is a refusal",
			steps: []step{{in: Action{Name: ActionContinue}}},
			has:   []string{rejectAllCookie, "event consentry:consent reject-all [necessary]"},
		},
		{
			desc:  "§6: acceptAll() through the API records the same choice, without the saved message",
			steps: []step{{in: Call{Method: "acceptAll"}}},
			has:   []string{acceptAllCookie}, hasNot: []string{"announce"},
		},
		{
			desc:    "§4, §7: a change of an existing choice replaces the cookie alone and raises consentry:change with the changed categories",
			cookies: "{stats}",
			steps:   []step{{in: Call{Method: "rejectAll"}, cookies: "{stats}; _pk_id.1=abc; _fbp=x"}},
			want: append(append([]string{}, deleteCP...), rejectAllCookie, "read-back",
				"cookie _pk_id.1=; Max-Age=0; Path=/; Secure", "cookie _pk_id.1=; Max-Age=0; Path=/; Domain=shop.example; Secure",
				"scan", "event consentry:change [statistics] reject-all"),
		},
		{
			desc:    "§7: a choice that changes nothing raises no consentry:change",
			cookies: "{reject-all}",
			steps:   []step{{in: Call{Method: "rejectAll"}, cookies: "{reject-all}"}},
			has:     []string{rejectAllCookie}, hasNot: []string{"event "},
		},
		{
			desc:    "§3 (reloadOnWithdraw): a withdrawal reloads the page after the change is announced",
			extra:   `,"reloadOnWithdraw":true`,
			cookies: "{stats}",
			steps:   []step{{in: Call{Method: "rejectAll"}, cookies: "{stats}"}},
			has:     []string{"event consentry:change [statistics]", "reload"},
		},
		{
			desc:    "§3 (reloadOnWithdraw): accepting more withdraws nothing and does not reload",
			extra:   `,"reloadOnWithdraw":true`,
			cookies: "{stats}",
			steps:   []step{{in: Call{Method: "acceptAll"}, cookies: "{stats}"}},
			hasNot:  []string{"reload"},
		},
		{
			desc:    "§5: withdrawing never deletes the consent cookie or a required category's cookie",
			cookies: "{accept-all}",
			steps:   []step{{in: Call{Method: "rejectAll"}, cookies: "{accept-all}; sessionid=1; _mkt=2; yt-x=3"}},
			has:     []string{"cookie _mkt=; Max-Age=0", "cookie yt-x=; Max-Age=0"}, hasNot: []string{"cookie sessionid="},
		},
		{
			desc:    "§6: reset() deletes the consent cookie, withdraws, shows the banner, announces nothing",
			cookies: "{accept-all}",
			steps:   []step{{in: Call{Method: "reset"}, cookies: "{accept-all}; _mkt=1"}},
			want: append(append([]string{}, deleteCP...), "show banner", `announce ""`, "event consentry:show banner",
				"cookie _mkt=; Max-Age=0; Path=/; Secure", "cookie _mkt=; Max-Age=0; Path=/; Domain=shop.example; Secure", "scan"),
		},
		{
			desc:    "§10: reset() sends a withdraw receipt",
			extra:   `,"receipts":{"endpoint":"/consent"}`,
			cookies: "{accept-all}",
			steps:   []step{{in: Call{Method: "reset"}, cookies: "{accept-all}"}},
			has:     []string{"send-receipt withdraw reject-all"},
		},
		{
			desc:  "§10: a first choice sends a consent receipt, a later one a change receipt",
			extra: `,"receipts":{"endpoint":"/consent"}`,
			steps: []step{{in: Call{Method: "acceptAll"}}, {in: Call{Method: "acceptAll"}}},
			has:   []string{"send-receipt change accept-all"},
		},
		{
			desc:  "§11: a choice updates Consent Mode and Matomo before the gate scans",
			extra: `,"googleConsentMode":{"analytics_storage":["statistics"]},"matomo":{"category":"statistics"}`,
			steps: []step{{in: Call{Method: "acceptAll"}}},
			has:   []string{"gtag [consent update]", "dataLayer [necessary statistics marketing media]", "_paq [[setConsentGiven]]"},
		},
		{
			desc:    "§11: withdrawing Matomo's category forgets its consent",
			extra:   `,"matomo":{"category":"statistics"}`,
			cookies: "{stats}",
			steps:   []step{{in: Call{Method: "rejectAll"}, cookies: "{stats}"}},
			has:     []string{"_paq [[forgetConsentGiven]]"},
		},
	})
}

func TestSessionStorageWithdrawal(t *testing.T) {
	p := sessionPolicy(t, "", "")
	s := NewSession(p, sessionSignals(), zeroReader{})
	s.Start(page(expandCookies(t, p, "{stats}")))
	pg := page(expandCookies(t, p, "{stats}"))
	pg.StorageKeys = []string{"_pk_ref", "app", "_pk_ses"}
	lines := effectLines(p, s.Handle(pg, Call{Method: "rejectAll"}))
	// §3 (1.1 storage): the keys of the withdrawn service go, in the order present; others stay.
	assert.Contains(t, lines, "remove-storage _pk_ref _pk_ses")
}

func TestSessionAcceptCategory(t *testing.T) {
	call := func(args ...any) []step { return []step{{in: Call{Method: "acceptCategory", Args: args}}} }
	runSessionCases(t, []sessionCase{
		{desc: "§6: a string records exactly that optional category", steps: call("media"),
			has: []string{"cookie cp={custom necessary media}"}},
		{desc: "§6: an array records exactly those categories, with all their services", steps: call([]any{"statistics", "marketing"}),
			has: []string{"cookie cp={custom necessary statistics marketing marketing:[ads retargeting] statistics:[analytics]}"}},
		{desc: "§6: an empty array records a refusal of every optional category", steps: call([]any{}),
			has: []string{"cookie cp={custom necessary}"}},
		{desc: "§6: a required category in the list is accepted anyway and changes nothing", steps: call([]any{"necessary"}),
			has: []string{"cookie cp={custom necessary}"}},
		{desc: "§6: one unknown id records nothing (all or nothing) and warns", steps: call([]any{"media", "nope"}),
			want: []string{`warn Consentry.acceptCategory: unknown category "nope"; nothing was recorded`}},
		{desc: "§6: an argument that is neither a string nor an array records nothing and warns", steps: call(nil),
			want: []string{"warn Consentry.acceptCategory: expected a category id or an array of ids; nothing was recorded"}},
		{desc: "§6: no argument records nothing and warns", steps: []step{{in: Call{Method: "acceptCategory"}}},
			want: []string{"warn Consentry.acceptCategory: expected a category id or an array of ids; nothing was recorded"}},
		{desc: "§6: array elements that are not strings are left out", steps: call([]any{"media", nil}),
			has: []string{"cookie cp={custom necessary media}"}},
	})
}

func TestSessionViews(t *testing.T) {
	runSessionCases(t, []sessionCase{
		{desc: "§6, §7: show() when the banner is shown already does nothing", steps: []step{{in: Call{Method: "show"}}}, want: []string{}},
		{desc: "§6, §7: hide() hides the banner, restoring focus, and says so",
			steps: []step{{in: Call{Method: "hide"}}}, want: []string{"hide banner", "event consentry:hide banner"}},
		{desc: "§6: show() after a choice shows the banner again", cookies: "{accept-all}",
			steps: []step{{in: Call{Method: "show"}}}, want: []string{"show banner", `announce ""`, "event consentry:show banner"}},
		{desc: "§8: customize opens the preferences on the choice in force, every switch off without one",
			steps: []step{{in: Action{Name: ActionCustomize}}},
			want:  []string{"switches marketing=off() media=off statistics=off()", "show preferences", `announce ""`, "event consentry:show preferences"}},
		{desc: "§8: the preferences show a partly-on category for one service of two", cookies: "{ads}",
			steps: []step{{in: Call{Method: "showPreferences"}}},
			has:   []string{"switches marketing=partly(ads) media=off statistics=off()"}},
		{desc: "§3, §8: a choice made by Global Privacy Control shows its notice in the preferences", cookies: "{gpc}",
			steps: []step{{in: Call{Method: "showPreferences"}}}, has: []string{"show preferences +gpc-notice"}},
		{desc: "§8: close hides the preferences without a choice",
			steps: []step{{in: Action{Name: ActionCustomize}}, {in: Action{Name: ActionClose}}},
			want:  []string{"hide preferences", "event consentry:hide preferences"}},
		{desc: "§8: a choice in the preferences closes them and the banner",
			steps: []step{{in: Action{Name: ActionCustomize}}, {in: Action{Name: ActionRejectAll}}},
			has:   []string{"hide preferences", "hide banner"}},
		{desc: "§6: setLanguage re-renders and shows again what was shown, with its events",
			steps: []step{{in: Call{Method: "setLanguage", Args: []any{"fr"}}}},
			want:  []string{"render fr", "show banner", `announce ""`, "event consentry:show banner"}},
		{desc: "§6: setLanguage without a language warns", steps: []step{{in: Call{Method: "setLanguage", Args: []any{""}}}},
			want: []string{`warn Consentry.setLanguage: expected a language code such as "fr"`}},
	})
}

func TestSessionSwitches(t *testing.T) {
	open := step{in: Action{Name: ActionCustomize}}
	toggle := func(cat, svc string) step {
		if svc == "" {
			return step{in: Action{Name: ActionToggleCategory, Category: cat}}
		}
		return step{in: Action{Name: ActionToggleService, Category: cat, Service: svc}}
	}
	save := step{in: Action{Name: ActionSave}}
	runSessionCases(t, []sessionCase{
		{desc: "§8: a category's switch turns all its services on", steps: []step{open, toggle("marketing", "")},
			want: []string{"switches marketing=on(ads,retargeting) media=off statistics=off()"}},
		{desc: "§8: one service of two on shows the category partly on", steps: []step{open, toggle("marketing", "ads")},
			want: []string{"switches marketing=partly(ads) media=off statistics=off()"}},
		{desc: "§8: a partly-on category's switch turns it all on", steps: []step{open, toggle("marketing", "ads"), toggle("marketing", "")},
			want: []string{"switches marketing=on(ads,retargeting) media=off statistics=off()"}},
		{desc: "§8: turning the last service off turns its category off", steps: []step{open, toggle("statistics", "analytics"), toggle("statistics", "analytics")},
			want: []string{"switches marketing=off() media=off statistics=off()"}},
		{desc: "§8: a toggle of a control that does not exist changes nothing", steps: []step{open, toggle("necessary", "")}, want: []string{}},
		{desc: "§4, §8: Save records the switches: one service of two", steps: []step{open, toggle("marketing", "ads"), save},
			has: []string{"cookie cp={custom necessary marketing marketing:[ads]}", `announce "Your preferences have been saved."`}},
		{desc: "§4, §8: Save with every switch off is a refusal", steps: []step{open, save},
			has: []string{"cookie cp={custom necessary}", "event consentry:consent custom [necessary]"}},
		{desc: "§8: Save with a category without services on", steps: []step{open, toggle("media", ""), save},
			has: []string{"cookie cp={custom necessary media}"}},
	})
}

func TestSessionCookiesBlocked(t *testing.T) {
	p := sessionPolicy(t, "", "")
	s := NewSession(p, sessionSignals(), zeroReader{})
	s.Start(page(""))
	written := s.Handle(page(""), Call{Method: "acceptAll"})[0].(WriteCookie).Line
	cookie, _, _ := strings.Cut(written, ";")
	// §4: the read-back finds the cookie: cookies work, nothing said.
	assert.Empty(t, s.Handle(page("a=1; "+cookie), CookieReadBack{}))
	// §4: a read-back without the value written: cookies are blocked, said once.
	s.Handle(page(""), Call{Method: "rejectAll"})
	blocked := effectLines(p, s.Handle(page(""), CookieReadBack{}))
	assert.Equal(t, []string{"warn Consentry: cookies are blocked; the choice holds for this page only."}, blocked)
	assert.Empty(t, s.Handle(page(""), CookieWriteFailed{}))
	// §4: where cookies are blocked, another tab's cookie says nothing: this page's choice stands.
	assert.Empty(t, s.Handle(page(""), TabVisible{}))
	assert.True(t, s.ValidConsent())

	// §4: document.cookie throwing at start counts as blocked for other tabs.
	s = NewSession(p, sessionSignals(), zeroReader{})
	s.Start(Page{Now: sessionNow})
	assert.Empty(t, s.Handle(page(expandCookies(t, p, "{accept-all}")), TabVisible{}))
	assert.Equal(t, []string{"warn Consentry: cookies are blocked; the choice holds for this page only."},
		effectLines(p, s.Handle(page(""), CookieWriteFailed{})))
}

func TestSessionOtherTab(t *testing.T) {
	runSessionCases(t, []sessionCase{
		{desc: "§4: another tab's choice takes effect when the page becomes visible: the banner goes, the gate scans, consentry:consent",
			steps: []step{{in: TabVisible{}, cookies: "{stats}"}},
			want: []string{"hide banner", "event consentry:hide banner", "scan",
				"event consentry:consent custom [necessary statistics]"}},
		{desc: "§4: an unchanged cookie changes nothing", cookies: "{stats}",
			steps: []step{{in: TabVisible{}, cookies: "{stats}"}}, want: []string{}},
		{desc: "§4: another tab's reset brings the banner back and withdraws", cookies: "{stats}",
			steps: []step{{in: TabVisible{}, cookies: "_pk_id.1=1"}},
			want: []string{"show banner", `announce ""`, "event consentry:show banner",
				"cookie _pk_id.1=; Max-Age=0; Path=/; Secure", "cookie _pk_id.1=; Max-Age=0; Path=/; Domain=shop.example; Secure", "scan"}},
		{desc: "§4: the preferences open show another tab's choice", cookies: "{stats}",
			steps: []step{{in: Action{Name: ActionCustomize}}, {in: TabVisible{}, cookies: "{accept-all}"}},
			has:   []string{"switches marketing=on(ads,retargeting) media=on statistics=on(analytics)", "event consentry:change [marketing media]"}},
	})
}

func TestSessionServerSetCookie(t *testing.T) {
	p := sessionPolicy(t, "", `,"receipts":{"endpoint":"/consent"}`)
	cookies := expandCookies(t, p, "{older}; {accept-all}")
	r, _ := p.CurrentRecord(CookieValues(cookies, "cp"), sessionNow)
	require.NotNil(t, r)
	q := ReceiptQueue{AckedConsentID: r.ID, AckedUpdated: r.Updated}
	pg := page(cookies)
	pg.ReceiptQueue = q.Encode()
	s := NewSession(p, sessionSignals(), zeroReader{})
	lines := effectLines(p, s.Start(pg))
	// §4, §10: two cookies whose newest one the site's server set after a receipt are not
	// repaired by a script write, which would bring back a browser's cap on script cookies.
	assert.False(t, hasLine(lines, "cookie "), strings.Join(lines, "\n"))
	// Without the acknowledgement they are.
	s = NewSession(p, sessionSignals(), zeroReader{})
	assert.True(t, hasLine(effectLines(p, s.Start(page(cookies))), "cookie cp={accept-all"))
}

func TestSessionQueries(t *testing.T) {
	p := sessionPolicy(t, "", "")
	s := NewSession(p, sessionSignals(), zeroReader{})
	s.Start(page(expandCookies(t, p, "{ads}")))
	server := ConsentFromCookieHeader(p, expandCookies(t, p, "{ads}"), sessionNow)
	tests := []struct {
		desc            string
		query           func() (bool, string)
		want            bool
		wantWarning     string
		serverAgreement func() bool
	}{
		{"§6: an accepted category", func() (bool, string) { return s.AcceptedCategory("marketing") }, true, "", func() bool { return server.Accepted("marketing") }},
		{"§6: a refused category", func() (bool, string) { return s.AcceptedCategory("media") }, false, "", func() bool { return server.Accepted("media") }},
		{"§6: a required category with a choice", func() (bool, string) { return s.AcceptedCategory("necessary") }, true, "", func() bool { return server.Accepted("necessary") }},
		{"§6: an unknown category answers false and warns", func() (bool, string) { return s.AcceptedCategory("nope") }, false,
			`Consentry.acceptedCategory: unknown category "nope"`, func() bool { return server.Accepted("nope") }},
		{"§6: an accepted service (serviceId, categoryId)", func() (bool, string) { return s.AcceptedService("ads", "marketing") }, true, "", func() bool { return server.AcceptedService("ads", "marketing") }},
		{"§6: a refused service", func() (bool, string) { return s.AcceptedService("retargeting", "marketing") }, false, "", func() bool { return server.AcceptedService("retargeting", "marketing") }},
		{"§6: arguments swapped: unknown, warned", func() (bool, string) { return s.AcceptedService("marketing", "ads") }, false,
			`Consentry.acceptedService: unknown service "marketing" in category "ads" (the arguments are serviceId, categoryId)`, func() bool { return false }},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			got, warning := tt.query()
			assert.Equal(t, tt.want, got)
			assert.Equal(t, tt.wantWarning, warning)
			assert.Equal(t, tt.serverAgreement(), got, "the Go server reader answers the same")
		})
	}
	assert.True(t, s.ValidConsent())
	prefs := s.UserPreferences().(map[string]any)
	assert.Equal(t, []any{"necessary", "marketing"}, prefs["acceptedCategories"])
	assert.Equal(t, []any{"statistics", "media"}, prefs["rejectedCategories"])
	assert.Equal(t, map[string]any{"statistics": []any{"anon"}, "marketing": []any{"ads"}}, prefs["acceptedServices"])

	s = NewSession(p, sessionSignals(), zeroReader{})
	s.Start(page(""))
	assert.False(t, s.ValidConsent(), "§6: no choice")
	assert.Nil(t, s.UserPreferences(), "§6: getUserPreferences() is null without a choice")
}

func TestSessionEarlyAction(t *testing.T) {
	// §9 (first paint): an action made before the start is a plain input; the banner it
	// answered is not shown again.
	p := sessionPolicy(t, "", "")
	s := NewSession(p, sessionSignals(), zeroReader{})
	lines := effectLines(p, s.Start(page(""), Action{Name: ActionRejectAll}))
	assert.Equal(t, []string{"render en", "event consentry:ready", rejectAllCookie, "read-back", "scan",
		"event consentry:consent reject-all [necessary]", `announce "Your preferences have been saved."`}, lines)
}
