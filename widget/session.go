package widget

import (
	"io"
	"slices"
	"strconv"
)

// Session is the widget on one page view: the visitor's choice in force and what the page
// shows of it. It is a functional core (STYLE.md, "The session"): it never touches the
// browser. Start it with Start, hand it every input with Handle, and carry out the effects
// each returns, in order; its queries (AcceptedCategory, UserPreferences, …) answer the JS
// API with the code a Go server reads a request with (Consent).
//
// A Session is not safe for concurrent use; the browser's one thread calls it.
type Session struct {
	policy  *Policy
	signals Signals
	random  io.Reader
	lang    string
	consent Consent // the valid choice in force; its record is nil when there is none

	// cookiesOff is set once cookies are known not to work on this page: reading
	// document.cookie threw, or a consent cookie written could not be read back. The
	// choice then holds for the page view only, and the cookie says nothing about other
	// tabs. cookiesWarned: the console was told.
	cookiesOff, cookiesWarned bool
	readBack                  string // the consent cookie value written last, to read back

	bannerShown, dialogShown bool
	switches                 Switches // the preferences dialog's controls

	// Receipts (§10): the policy's endpoint, the digest of its text, whether the start is
	// over (receipts are then sent as they are made), and those made during the start.
	endpoint, digest string
	started          bool
	early            []ReceiptBody
}

// NewSession returns the session of a page view under policy p, with the page's signals
// and a random source for record and receipt ids (crypto.getRandomValues in a browser).
// Start it before handing it inputs.
func NewSession(p *Policy, signals Signals, random io.Reader) *Session {
	s := &Session{policy: p, signals: signals, random: random, consent: Consent{policy: p}}
	s.lang = p.NegotiateLanguage(signals.Languages...)
	s.endpoint = p.Receipts.Endpoint
	if s.endpoint != "" {
		s.digest = PolicyDigest([]byte(signals.PolicyText))
	}
	return s
}

// Lang returns the language of the widget's texts.
func (s *Session) Lang() string { return s.lang }

// TakesOverFirstPaint reports whether the banner consentry.js showed (Signals.FirstPaintLang)
// is the session's own, to keep as it is (§9): it is in the session's language. One in
// another language (the loader's language rule and NegotiateLanguage disagree, which their
// shared test vectors rule out) is rendered again (Render without Keep, and a warning); the
// session shows its own.
func (s *Session) TakesOverFirstPaint() bool {
	return s.signals.FirstPaintLang != "" && s.signals.FirstPaintLang == s.lang
}

// Record returns the choice in force, nil when there is none. Do not modify it.
func (s *Session) Record() *Record { return s.consent.record }

// Switches returns the state of the preferences dialog's controls.
func (s *Session) Switches() Switches { return s.switches }

// out collects the effects of one input, in order.
type out []Effect

func (o *out) add(e ...Effect) { *o = append(*o, e...) }

func (o *out) warn(msg string) { o.add(Warn{Message: msg}) }

// Start reads the choice stored in the page's cookie and returns what the page does at
// load (CONTRACT.md §3–§7): a duplicate consent cookie repaired; a first visit with Global
// Privacy Control refused; Consent Mode's defaults and Matomo's requirement before anything
// gated runs; the views rendered; consentry:ready; then consentry:consent for a stored
// choice, or the banner. early are inputs that came before the start (an action on a
// first paint baked into consentry.js): they are handled after consentry:ready, and the
// banner shows only when no choice exists after them.
func (s *Session) Start(page Page, early ...Input) []Effect {
	var o out
	s.cookiesOff = !page.CookiesOK
	s.bannerShown = s.TakesOverFirstPaint() // shown, and announced, by consentry.js (§9)
	record, stale := s.policy.CurrentRecord(CookieValues(page.Cookies, s.policy.Cookie.Name), page.Now)
	s.consent.record = record
	if stale && !s.keepsServerCookie(page, record) {
		s.writeRecord(&o, page, record)
	}
	if record == nil && s.policy.RespectGPC && s.signals.GPC {
		// A first visit with Global Privacy Control on is a refusal (§3); an explicit
		// choice, stored above, is never overridden by the signal.
		previous := s.store(&o, page, MethodGPC, s.policy.RejectAll())
		s.receipt(&o, page, ReceiptEvent(previous), s.consent.record)
	}
	// Google Consent Mode and Matomo hear the defaults, and the choice at load, before the
	// gate opens, so before any gated element runs, consent-free ones included (§11).
	for _, args := range s.policy.GtagDefaults() {
		o.add(Gtag{Args: args})
	}
	if s.consent.record != nil {
		s.consentUpdate(&o)
	}
	if require := s.policy.MatomoRequire(); require != nil {
		calls := []any{require}
		if c := s.policy.MatomoConsent(nil, s.consent.record); c != nil {
			calls = append(calls, c)
		}
		o.add(PushMatomo{Calls: calls, AtFront: true})
	}
	if fp := s.signals.FirstPaintLang; fp != "" && !s.TakesOverFirstPaint() {
		o.warn("Consentry: the built-in banner was in " + fp + ", the widget speaks " + s.lang + "; shown again")
	}
	o.add(Render{Lang: s.lang, Keep: s.TakesOverFirstPaint()})
	if !s.signals.ReopenLink {
		o.warn(MissingReopenLinkWarning)
	}
	o.add(Dispatch{Event: EventReady, Detail: map[string]any{"version": s.signals.Build}})
	if s.consent.record != nil {
		o.add(Dispatch{Event: EventConsent, Detail: s.preferences()})
	}
	for _, in := range early {
		o.add(s.Handle(page, in)...)
	}
	if s.consent.record == nil {
		s.showBanner(&o)
	} else {
		s.hideBanner(&o) // a first paint's banner, when a choice exists after all
	}
	if s.endpoint != "" {
		s.started = true
		o.add(SendQueuedReceipts{Endpoint: s.endpoint, Made: s.early})
		s.early = nil
	}
	return o
}

// Handle returns the effects of one input on the page as it is now.
func (s *Session) Handle(page Page, in Input) []Effect {
	var o out
	switch in := in.(type) {
	case Action:
		s.action(&o, page, in)
	case Call:
		s.call(&o, page, in)
	case TabVisible:
		s.syncFromCookie(&o, page)
	case CookieReadBack:
		if !page.CookiesOK {
			s.cookiesOff = true
		}
		if s.policy.ConsentCookieVisible(s.signals.Location) &&
			!slices.Contains(CookieValues(page.Cookies, s.policy.Cookie.Name), s.readBack) {
			s.cookiesBlocked(&o)
		}
	case CookieWriteFailed:
		s.cookiesBlocked(&o)
	}
	return o
}

// action carries out a control of a view.
func (s *Session) action(o *out, page Page, a Action) {
	switch a.Name {
	case ActionAcceptAll:
		s.choose(o, page, MethodAcceptAll, s.policy.AcceptAll())
		o.add(Announce{Text: s.policy.UIText("savedStatus", s.lang)})
	case ActionRejectAll, ActionContinue:
		// "Continue without accepting" is a refusal, and the banner says so (§8).
		s.choose(o, page, MethodRejectAll, s.policy.RejectAll())
		o.add(Announce{Text: s.policy.UIText("savedStatus", s.lang)})
	case ActionCustomize:
		s.showPreferences(o)
	case ActionClose:
		s.hidePreferences(o)
	case ActionSave:
		s.choose(o, page, MethodCustom, s.switches.Choice(s.policy))
		o.add(Announce{Text: s.policy.UIText("savedStatus", s.lang)})
	case ActionToggleCategory:
		if s.switches.ToggleCategory(a.Category) {
			o.add(SetSwitches{Switches: s.switches.Clone()})
		}
	case ActionToggleService:
		if s.switches.ToggleService(a.Category, a.Service) {
			o.add(SetSwitches{Switches: s.switches.Clone()})
		}
	default:
		o.warn("Consentry: unknown action " + strconv.Quote(a.Name))
	}
}

// call carries out a method of window.Consentry (§6).
func (s *Session) call(o *out, page Page, c Call) {
	switch c.Method {
	case "show":
		s.showBanner(o)
	case "hide":
		s.hideBanner(o)
	case "showPreferences":
		s.showPreferences(o)
	case "hidePreferences":
		s.hidePreferences(o)
	case "acceptAll":
		s.choose(o, page, MethodAcceptAll, s.policy.AcceptAll())
	case "rejectAll":
		s.choose(o, page, MethodRejectAll, s.policy.RejectAll())
	case "acceptCategory":
		if choice, ok := s.acceptCategoryChoice(o, c.Args); ok {
			s.choose(o, page, MethodCustom, choice)
		}
	case "setLanguage":
		lang, _ := arg(c.Args, 0).(string)
		if lang == "" {
			o.warn(`Consentry.setLanguage: expected a language code such as "fr"`)
			return
		}
		s.lang = s.policy.NegotiateLanguage(lang)
		s.render(o)
	case "reset":
		s.reset(o, page)
	default:
		o.warn("Consentry: unknown method " + strconv.Quote(c.Method))
	}
}

// arg returns args[i], nil when there is none.
func arg(args []any, i int) any {
	if i < len(args) {
		return args[i]
	}
	return nil
}

// acceptCategoryChoice returns the choice of acceptCategory(ids): exactly the given
// optional categories, from a string or an array of strings (elements that are not strings
// are left out). Anything else, or an unknown id, is warned about and records nothing: an
// unknown id is a mistake in the site's code, and recording the rest would store a choice
// the visitor did not make.
func (s *Session) acceptCategoryChoice(o *out, args []any) (Choice, bool) {
	var ids []string
	switch v := arg(args, 0).(type) {
	case string:
		ids = []string{v}
	case []any:
		for _, e := range v {
			if id, ok := e.(string); ok {
				ids = append(ids, id)
			}
		}
	default:
		o.warn("Consentry.acceptCategory: expected a category id or an array of ids; nothing was recorded")
		return Choice{}, false
	}
	choice := Choice{}
	for _, id := range ids {
		c := s.policy.Category(id)
		if c == nil {
			o.warn("Consentry.acceptCategory: unknown category " + strconv.Quote(id) + "; nothing was recorded")
			return Choice{}, false
		}
		if !c.Required {
			choice.Categories = append(choice.Categories, id)
		}
	}
	return choice, true
}

// render builds the views again in the session's language and shows again what was shown.
func (s *Session) render(o *out) {
	o.add(Render{Lang: s.lang})
	if s.bannerShown {
		s.bannerShown = false
		s.showBanner(o)
	}
	if s.dialogShown {
		s.dialogShown = false
		s.showPreferences(o)
	}
}

func (s *Session) showBanner(o *out) {
	if s.bannerShown {
		return
	}
	s.bannerShown = true
	o.add(ShowView{View: ViewBanner},
		Announce{}, // a new question: the last "saved" message is history
		Dispatch{Event: EventShow, Detail: map[string]any{"view": ViewBanner}})
}

func (s *Session) hideBanner(o *out) {
	if !s.bannerShown {
		return
	}
	s.bannerShown = false
	o.add(HideView{View: ViewBanner, RestoreFocus: true},
		Dispatch{Event: EventHide, Detail: map[string]any{"view": ViewBanner}})
}

// showPreferences opens the dialog on the choice in force; with no choice every optional
// switch is off (consent is never pre-ticked: EDPB cookie banner taskforce, type B). The
// notice about Global Privacy Control shows while the choice in force came from it, which
// the visitor can still override (California's 11 CCR §7025(c)(6) asks to display it).
func (s *Session) showPreferences(o *out) {
	if s.dialogShown {
		return
	}
	s.dialogShown = true
	s.switches = SwitchesFor(s.policy, s.consent.record)
	r := s.consent.record
	o.add(SetSwitches{Switches: s.switches.Clone()},
		ShowView{View: ViewPreferences, GPCNotice: r != nil && r.Method == MethodGPC},
		Announce{},
		Dispatch{Event: EventShow, Detail: map[string]any{"view": ViewPreferences}})
}

func (s *Session) hidePreferences(o *out) {
	if !s.dialogShown {
		return
	}
	s.dialogShown = false
	o.add(HideView{View: ViewPreferences},
		Dispatch{Event: EventHide, Detail: map[string]any{"view": ViewPreferences}})
}

// choose records a visitor's choice and applies it: layers closed, newly accepted elements
// activated, cookies of withdrawn purposes deleted, events dispatched (§5, §7), a receipt.
func (s *Session) choose(o *out, page Page, method string, choice Choice) {
	previous := s.store(o, page, method, choice)
	s.hidePreferences(o)
	s.hideBanner(o)
	s.apply(o, page, previous)
	s.receipt(o, page, ReceiptEvent(previous), s.consent.record)
}

// store makes and writes a new record for the choice and returns the one it replaces.
func (s *Session) store(o *out, page Page, method string, choice Choice) (previous *Record) {
	record, err := s.policy.NewRecord(s.consent.record, method, choice, page.Now, s.random)
	if err != nil {
		panic(err) // only a broken random source gets here
	}
	previous, s.consent.record = s.consent.record, record
	s.writeRecord(o, page, record)
	return previous
}

// writeRecord stores r in the consent cookie, alone: any other cookie of that name
// (host-only or Domain=, on any path, left by an earlier cookie.domain) is deleted first,
// so that after a write exactly one remains (§4 "repaired"). A script cannot see a
// cookie's Domain, so every place it could be is overwritten with Max-Age=0. The cookie is
// read back where the page can see it (RFC 6265 path-match): a browser that blocks cookies
// may drop the write silently.
func (s *Session) writeRecord(o *out, page Page, r *Record) {
	if len(CookieValues(page.Cookies, s.policy.Cookie.Name)) > 0 {
		s.deleteConsentCookies(o)
	}
	value := r.Encode()
	line, warnings := s.policy.CookieLine(value, s.signals.Location)
	for _, w := range warnings {
		o.warn("Consentry: " + w)
	}
	o.add(WriteCookie{Line: line})
	if s.policy.ConsentCookieVisible(s.signals.Location) {
		s.readBack = value
		o.add(ReadBackCookie{})
	}
}

// deleteConsentCookies deletes the consent cookie everywhere it could be.
func (s *Session) deleteConsentCookies(o *out) {
	for _, line := range DeleteLines(s.policy.Cookie.Name, s.signals.Location, s.policy.Cookie.Domain) {
		o.add(WriteCookie{Line: line})
	}
}

// cookiesBlocked notes that cookies do not work on this page and says so, once.
func (s *Session) cookiesBlocked(o *out) {
	if s.cookiesOff && s.cookiesWarned {
		return
	}
	s.cookiesOff, s.cookiesWarned = true, true
	o.warn("Consentry: cookies are blocked; the choice holds for this page only.")
}

// apply puts the record in force after previous: it deletes the cookies and storage keys
// of what was withdrawn (those present on the page before the change), tells Consent Mode
// and Matomo, activates what is newly accepted, dispatches consentry:consent for a first
// choice or consentry:change with the changed categories, and reloads the page after a
// withdrawal when the policy asks for it (reloadOnWithdraw), since scripts already running
// cannot be stopped otherwise.
func (s *Session) apply(o *out, page Page, previous *Record) {
	current := s.consent.record
	for _, line := range s.policy.WithdrawnCookieLines(previous, current, page.Cookies, s.signals.Location) {
		o.add(WriteCookie{Line: line})
	}
	if keys := s.policy.WithdrawnStorageKeys(previous, current, page.StorageKeys); len(keys) > 0 {
		o.add(RemoveStorage{Keys: keys})
	}
	s.consentUpdate(o) // before the elements this choice activates (§11)
	if c := s.policy.MatomoConsent(previous, current); c != nil {
		o.add(PushMatomo{Calls: []any{c}})
	}
	o.add(ScanGate{})
	switch {
	case current == nil:
		// The choice is gone (a reset, another tab's reset, an expiry): nothing to announce.
	case previous == nil:
		o.add(Dispatch{Event: EventConsent, Detail: s.preferences()})
	default:
		if changed := ChangedCategories(s.policy, previous, current); len(changed) > 0 {
			o.add(Dispatch{Event: EventChange, Detail: map[string]any{
				"preferences":       s.preferences(),
				"changedCategories": anyStrings(changed),
			}})
		}
	}
	if s.policy.ReloadOnWithdraw && s.policy.Withdrew(previous, current) {
		o.add(Reload{})
	}
}

// consentUpdate tells Google's tags the choice in force and pushes consentry_consent.
func (s *Session) consentUpdate(o *out) {
	if update, event := s.policy.GtagUpdate(s.consent.record); update != nil {
		o.add(Gtag{Args: update}, PushDataLayer{Event: event})
	}
}

// reset forgets the choice: the consent cookie is deleted and the banner shown again.
// Forgetting a choice withdraws what it accepted: its cookies go, and the page reloads
// when the policy asks for it, exactly as after un-ticking the categories.
func (s *Session) reset(o *out, page Page) {
	s.deleteConsentCookies(o)
	previous := s.consent.record
	s.consent.record = nil
	s.hidePreferences(o)
	s.showBanner(o)
	s.apply(o, page, previous)
	if previous != nil {
		s.receipt(o, page, EventReceiptWithdraw, s.policy.WithdrawnRecord(previous, page.Now))
	}
}

// syncFromCookie applies a choice made in another tab of the same site: the consent cookie
// is shared, the page state is not. Newly accepted elements run, the banner goes once a
// valid choice exists, and a withdrawal deletes the withdrawn cookies (and reloads, with
// reloadOnWithdraw) as in the tab where it was made. A choice that has disappeared (reset
// or expired elsewhere) is forgotten here too, and the banner comes back. Where cookies do
// not persist, the cookie says nothing about other tabs, and this page's choice stands.
func (s *Session) syncFromCookie(o *out, page Page) {
	if s.cookiesOff {
		return
	}
	record, stale := s.policy.CurrentRecord(CookieValues(page.Cookies, s.policy.Cookie.Name), page.Now)
	if sameRecord(record, s.consent.record) {
		return
	}
	previous := s.consent.record
	s.consent.record = record
	if stale && !s.keepsServerCookie(page, record) {
		s.writeRecord(o, page, record)
	}
	if record != nil {
		s.hideBanner(o)
	} else {
		s.showBanner(o)
	}
	if s.dialogShown {
		s.switches = SwitchesFor(s.policy, record)
		o.add(SetSwitches{Switches: s.switches.Clone()})
	}
	s.apply(o, page, previous)
}

// sameRecord reports whether two records (either may be nil) hold the same choice, as stored.
func sameRecord(x, y *Record) bool {
	if x == nil || y == nil {
		return x == y
	}
	return x.Encode() == y.Encode()
}

// keepsServerCookie reports whether the consent cookie holding r was set by the site's
// server after a receipt (§10), so that a script write must not replace it.
func (s *Session) keepsServerCookie(page Page, r *Record) bool {
	if s.endpoint == "" {
		return false
	}
	q, _ := ParseReceiptQueue(page.ReceiptQueue, page.Now)
	return q.KeepsServerCookie(r)
}

// receipt makes the receipt of event for r (§10): sent at once, or, during the start,
// queued and sent at its end.
func (s *Session) receipt(o *out, page Page, event string, r *Record) {
	if s.endpoint == "" || r == nil {
		return
	}
	ctx := ReceiptContext{PolicyDigest: s.digest, Language: s.lang, Page: ReceiptPage(s.signals.Href), Widget: s.signals.Build}
	rc, err := NewReceipt(event, r, ctx, s.random)
	if err != nil {
		o.warn("Consentry: " + err.Error())
		return
	}
	body := ReceiptBody{ID: rc.ID, Body: rc.JSON()}
	if !s.started {
		s.early = append(s.early, body)
		o.add(QueueReceipt{Receipt: body})
		return
	}
	o.add(SendReceipt{Endpoint: s.endpoint, Receipt: body})
}

// preferences is getUserPreferences() for the choice in force, as plain values.
func (s *Session) preferences() map[string]any {
	p, _ := s.consent.Preferences()
	services := map[string]any{}
	for cat, ids := range p.AcceptedServices {
		services[cat] = anyStrings(ids)
	}
	return map[string]any{
		"method":             p.Method,
		"acceptedCategories": anyStrings(p.AcceptedCategories),
		"rejectedCategories": anyStrings(p.RejectedCategories),
		"acceptedServices":   services,
		"revision":           p.Revision,
		"id":                 p.ID,
		"created":            p.Created,
		"updated":            p.Updated,
	}
}

// anyStrings converts strings for JavaScript values ([]any, not []string).
func anyStrings(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
