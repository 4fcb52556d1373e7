package widget

import (
	"slices"
	"strconv"
	"strings"
)

// This file implements Google Consent Mode v2 (CONTRACT.md §11, REQUIREMENTS.md §3): the
// policy key googleConsentMode maps each of Google's seven consent signals to category
// ids, and the widget tells the page's gtag the state of every signal, "default" before
// anything gated runs and "update" for each choice. It only decides: the front end calls
// gtag with the arguments returned here, in order.

// ConsentSignals are Google's consent types of Consent Mode v2, in the order of Google's
// documentation ("Set up consent mode on websites", developers.google.com/tag-platform/
// security/guides/consent). Every default and update names all seven (§11).
var ConsentSignals = [...]string{
	"ad_storage",
	"ad_user_data",
	"ad_personalization",
	"analytics_storage",
	"functionality_storage",
	"personalization_storage",
	"security_storage",
}

// Google's consent states.
const (
	Granted = "granted"
	Denied  = "denied"
)

// ConsentModeEvent is the dataLayer event pushed after each update, for Tag Manager
// triggers (§11).
const ConsentModeEvent = "consentry_consent"

// maxWaitForUpdate bounds waitForUpdate: Google's tag waits that long for an update
// before it sends anything; ten seconds is already far past any page view's patience.
const maxWaitForUpdate = 10000

// ConsentMode is the policy's googleConsentMode (§11).
type ConsentMode struct {
	// Signals maps a signal of ConsentSignals to the ids of the categories it needs, all
	// of them accepted; a signal absent from the map is always denied.
	Signals map[string][]string
	// WaitForUpdate is wait_for_update in milliseconds; 0 leaves it out.
	WaitForUpdate int
	// AdsDataRedaction and URLPassthrough are gtag("set", …) options, sent only when the
	// policy sets them (nil: not set).
	AdsDataRedaction, URLPassthrough *bool
}

// consentModeKeys are the keys googleConsentMode may hold: the signals and the options.
var consentModeKeys = append(ConsentSignals[:len(ConsentSignals):len(ConsentSignals)], "waitForUpdate", "adsDataRedaction", "urlPassthrough")

// consentMode validates googleConsentMode against the categories already parsed: every
// signal lists at least one category id, each of them a category of the policy (§11: a
// mapping that names an unknown category is refused like any invalid policy).
func (pp *policyParser) consentMode(v *jsonValue, categories []Category) *ConsentMode {
	const path = "googleConsentMode"
	if !pp.object(v, path, consentModeKeys) {
		return nil
	}
	m := &ConsentMode{Signals: map[string][]string{}}
	for _, member := range v.members {
		mp := memberPath(path, member.key)
		switch member.key {
		case "waitForUpdate":
			m.WaitForUpdate = pp.integerIn(member.value, mp, 0, maxWaitForUpdate, 0, "an integer from 0 to 10000 (milliseconds)")
		case "adsDataRedaction", "urlPassthrough":
			b := pp.boolean(member.value, mp, false)
			if member.key == "adsDataRedaction" {
				m.AdsDataRedaction = &b
			} else {
				m.URLPassthrough = &b
			}
		default:
			if slices.Contains(ConsentSignals[:], member.key) {
				m.Signals[member.key] = pp.categoryRefs(member.value, mp, categories)
			}
		}
	}
	return m
}

// categoryRefs validates a non-empty array of category ids, each naming a category of the
// policy.
func (pp *policyParser) categoryRefs(v *jsonValue, path string, categories []Category) []string {
	if v.kind != jsonArray {
		pp.wrongType(v, path, "an array of category ids")
		return nil
	}
	if len(v.elems) == 0 {
		pp.report(path, v.offset, "expected at least one category id, got an empty array (leave the signal out to keep it denied)")
		return nil
	}
	ids := make([]string, 0, len(v.elems))
	for i, e := range v.elems {
		if id, ok := pp.categoryRef(e, elemPath(path, i), categories); ok {
			ids = append(ids, id)
		}
	}
	return ids
}

// categoryRef validates a string naming one of the policy's categories.
func (pp *policyParser) categoryRef(v *jsonValue, path string, categories []Category) (string, bool) {
	id, ok := pp.str(v, path)
	if !ok {
		return "", false
	}
	if !slices.ContainsFunc(categories, func(c Category) bool { return c.ID == id }) {
		pp.report(path, v.offset, "unknown category "+strconv.Quote(id)+": write the id of one of the policy's categories ("+categoryIDList(categories)+")")
		return "", false
	}
	return id, true
}

// categoryIDList is the policy's category ids, quoted and comma-separated, for messages.
func categoryIDList(categories []Category) string {
	quoted := make([]string, 0, len(categories))
	for _, c := range categories {
		quoted = append(quoted, strconv.Quote(c.ID))
	}
	return strings.Join(quoted, ", ")
}

// ConsentState returns the state of each of the seven signals for the choice r (nil: no
// choice yet): granted when every category the signal lists is accepted, a required
// category always being accepted; denied otherwise, and for signals the policy does not
// list (§11). It returns nil when the policy has no googleConsentMode.
func (p *Policy) ConsentState(r *Record) map[string]any {
	if p.ConsentMode == nil {
		return nil
	}
	state := make(map[string]any, len(ConsentSignals))
	for _, signal := range ConsentSignals {
		ids, listed := p.ConsentMode.Signals[signal]
		granted := listed && len(ids) > 0
		for _, id := range ids {
			granted = granted && p.Allows(r, id, "")
		}
		if granted {
			state[signal] = Granted
		} else {
			state[signal] = Denied
		}
	}
	return state
}

// GtagDefaults returns the gtag calls to make before anything gated runs, each as the
// arguments of one call: gtag("consent", "default", {…}) with the state of no choice and
// wait_for_update when set, then gtag("set", "ads_data_redaction", …) and
// gtag("set", "url_passthrough", …) when the policy sets them. It returns nil when the
// policy has no googleConsentMode.
func (p *Policy) GtagDefaults() [][]any {
	m := p.ConsentMode
	if m == nil {
		return nil
	}
	state := p.ConsentState(nil)
	if m.WaitForUpdate > 0 {
		state["wait_for_update"] = m.WaitForUpdate
	}
	calls := [][]any{{"consent", "default", state}}
	if m.AdsDataRedaction != nil {
		calls = append(calls, []any{"set", "ads_data_redaction", *m.AdsDataRedaction})
	}
	if m.URLPassthrough != nil {
		calls = append(calls, []any{"set", "url_passthrough", *m.URLPassthrough})
	}
	return calls
}

// GtagUpdate returns the arguments of gtag("consent", "update", {…}) for the choice r and
// the dataLayer event pushed right after it, {"event": "consentry_consent",
// "acceptedCategories": […]} (§11). Both are nil when the policy has no googleConsentMode.
func (p *Policy) GtagUpdate(r *Record) (update []any, event map[string]any) {
	if p.ConsentMode == nil {
		return nil, nil
	}
	accepted := []any{}
	for _, c := range p.Categories {
		if p.Allows(r, c.ID, "") {
			accepted = append(accepted, c.ID)
		}
	}
	return []any{"consent", "update", p.ConsentState(r)},
		map[string]any{"event": ConsentModeEvent, "acceptedCategories": accepted}
}
