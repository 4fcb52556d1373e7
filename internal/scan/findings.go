package scan

import (
	"fmt"
	"math"
	"slices"

	"github.com/consentry/consentry/widget"
)

// expirySlack is how much longer than declared a cookie may live before
// expiry-over-declared: the time between a cookie's write and the moment it is read.
const expirySlack = 3600.0 // seconds

// evaluate applies the rules of CONTRACT.md §12 to what the phases saw.
func evaluate(rep *Report, pol *policy, allow []string) []Finding {
	out := []Finding{} // an empty list, never null, in the JSON report
	add := func(rule, phase, msg string, ev Evidence, ptr string) {
		out = append(out, Finding{Rule: rule, Severity: ruleInfo(rule).Severity, Phase: phase, Message: msg, Evidence: ev, PolicyPointer: ptr})
	}
	undeclaredSeen := map[string]bool{}
	expirySeen := map[string]bool{}
	gatedSrc := map[string]GatedElement{} // src → gated element of an optional category
	freeSrc := map[string]bool{}          // src → some page loads it under a category needing no consent
	for _, ph := range rep.Phases {
		for _, g := range ph.Gated {
			if g.Src != "" && pol.categoryOptional(g.Category, g.Service) {
				gatedSrc[g.Src] = g
			} else if g.Src != "" {
				freeSrc[g.Src] = true
			}
		}
	}
	// A script the site also loads where no consent is needed is not known to be the
	// optional element's: what it sets is judged by its declaration alone (as markRanBySrc).
	for src := range freeSrc {
		delete(gatedSrc, src)
	}
	for _, ph := range rep.Phases {
		if ph.Skipped != "" {
			continue
		}
		if ph.ID == PhaseInitial && ph.Banner != nil {
			b := ph.Banner
			switch {
			case !b.Shown:
				add(RuleBannerMissing, ph.ID, "no consent banner was shown on a first visit", Evidence{Kind: "banner", Page: rep.URL, Detail: b.Detail}, "")
			case !b.RefusalVisible:
				add(RuleBannerMissing, ph.ID, "the banner's first layer has no visible refusal control (Reject all, or Continue without accepting)", Evidence{Kind: "banner", Page: rep.URL, Detail: "reject-all and continue are hidden or missing"}, "")
			}
		}
		for _, c := range ph.Cookies {
			d, _ := pol.matchCookie(c.Name)
			consent := pol != nil && c.Name == pol.consentCookie()
			undeclared := d == nil && !consent
			optional := undeclared || (d != nil && d.optional())
			ev := Evidence{Kind: "cookie", Name: c.Name, Domain: c.Domain, SetBy: c.SetBy, Suggests: c.Suggested}
			what := "an undeclared cookie"
			if !undeclared {
				what = fmt.Sprintf("a cookie of the optional category %q", c.Category)
			}
			switch ph.ID {
			case PhaseInitial:
				if optional {
					add(RuleCookieBeforeConsent, ph.ID, fmt.Sprintf("%s, %s (%s), is set before any choice%s", what, c.Name, c.Domain, by(c.SetBy)), ev, c.Pointer)
				}
			case PhaseReject:
				if optional && c.AfterChoice {
					add(RuleRejectNotHonoured, ph.ID, fmt.Sprintf("after Reject all, %s, %s (%s), is set%s", what, c.Name, c.Domain, by(c.SetBy)), ev, c.Pointer)
				}
			case PhaseWithdraw:
				setByGated := false
				for src, g := range gatedSrc {
					if c.SetBy == "Set-Cookie from "+src || c.SetBy == "document.cookie in "+src {
						setByGated = true
						if c.Category == "" {
							c.Category = g.Category
						}
					}
				}
				if (d != nil && d.optional()) || (setByGated && !consent && (d == nil || d.optional())) {
					add(RuleWithdrawNotHonoured, ph.ID, fmt.Sprintf("after withdrawal, the cookie %s (%s) of category %q remains%s", c.Name, c.Domain, c.Category, by(c.SetBy)), ev, c.Pointer)
				}
			}
			if undeclared && !undeclaredSeen[c.Name] {
				undeclaredSeen[c.Name] = true
				msg := fmt.Sprintf("the cookie %s (%s) is not declared in policy.json; suggested category: %s", c.Name, c.Domain, c.Suggested)
				if c.Provider != "" {
					msg += " (" + c.Provider + ", Open Cookie Database)"
				}
				add(RuleUndeclaredCookie, ph.ID, msg, ev, "/categories")
			}
			if c.Expires > 0 && !expirySeen[c.Name] {
				days, ptr := -1, ""
				switch {
				case consent:
					days, ptr = pol.p.Cookie.ExpiresAfterDays, "/cookie/expiresAfterDays"
				case d != nil && d.ExpiresAfterDays >= 0:
					days, ptr = d.ExpiresAfterDays, d.Pointer+"/expiresAfterDays"
				}
				if days >= 0 && c.LifetimeDay*86400 > float64(days)*86400+expirySlack {
					expirySeen[c.Name] = true
					ev := ev
					ev.Detail = fmt.Sprintf("lives %.0f days, declared %d", math.Round(c.LifetimeDay), days)
					add(RuleExpiryOverDeclared, ph.ID, fmt.Sprintf("the cookie %s lives %.0f days, longer than the %d declared", c.Name, math.Round(c.LifetimeDay), days), ev, ptr)
				}
			}
		}
		for _, e := range ph.Storage {
			if widgetOwnStorage(e.Key) {
				continue
			}
			d, _ := pol.matchStorage(e.Key)
			optional := d == nil || d.optional()
			ev := Evidence{Kind: "storage", Name: e.Key, Domain: e.Origin, SetBy: e.SetBy, Detail: e.Kind}
			switch {
			case ph.ID == PhaseInitial && optional:
				add(RuleStorageBeforeConsent, ph.ID, fmt.Sprintf("the %s entry %q (%s) is written before any choice%s", e.Kind, e.Key, e.Origin, by(e.SetBy)), ev, e.Pointer)
			case ph.ID == PhaseReject && optional && e.AfterChoice:
				add(RuleRejectNotHonoured, ph.ID, fmt.Sprintf("after Reject all, the %s entry %q (%s) is written%s", e.Kind, e.Key, e.Origin, by(e.SetBy)), ev, e.Pointer)
			case ph.ID == PhaseWithdraw && d != nil && d.optional():
				add(RuleWithdrawNotHonoured, ph.ID, fmt.Sprintf("after withdrawal, the %s entry %q (%s) remains", e.Kind, e.Key, e.Origin), ev, e.Pointer)
			}
		}
		reported := map[string]bool{}
		for _, r := range ph.Requests {
			if r.Allowed {
				continue
			}
			ev := Evidence{Kind: "request", URL: r.URL, Domain: r.Host, Page: r.Page, SetBy: r.Initiator, Detail: r.Type}
			key := r.URL
			switch {
			case ph.ID == PhaseInitial && !reported[key]:
				add(RuleRequestBeforeConsent, ph.ID, fmt.Sprintf("a %s request to the third party %s is sent before any choice (%s)", r.Type, r.Host, r.Initiator), ev, "")
			case ph.ID == PhaseReject && r.AfterChoice && !reported[key]:
				add(RuleRejectNotHonoured, ph.ID, fmt.Sprintf("after Reject all, a %s request goes to the third party %s (%s)", r.Type, r.Host, r.Initiator), ev, "")
			case ph.ID == PhaseWithdraw && r.AfterChoice && !reported[key] && r.AfterWithdrawal:
				add(RuleWithdrawNotHonoured, ph.ID, fmt.Sprintf("after withdrawal, a %s request still goes to the third party %s (%s)", r.Type, r.Host, r.Initiator), ev, "")
			default:
				continue
			}
			reported[key] = true
		}
		if ph.ID == PhaseInitial || ph.ID == PhaseReject {
			for _, g := range ph.Gated {
				if !g.Ran || !pol.categoryOptional(g.Category, g.Service) {
					continue
				}
				ev := Evidence{Kind: "element", Name: g.Tag, URL: g.Src, Page: g.Page, Detail: g.RanBy}
				when := "before any choice"
				if ph.ID == PhaseReject {
					when = "after Reject all"
				}
				add(RuleGatedRanBeforeConsent, ph.ID, fmt.Sprintf("the gated <%s data-category=%q> %s ran %s: %s", g.Tag, g.Category, g.Src, when, g.RanBy), ev, categoryPointer(pol, g.Category))
			}
		}
	}
	if pol != nil {
		for _, d := range pol.decls {
			for i, pattern := range d.Names {
				if pattern == pol.consentCookie() || seenCookie(rep, pattern) {
					continue
				}
				add(RuleDeclaredNotSeen, PhaseAccept, fmt.Sprintf("the declared cookie %s (category %q) was never seen", pattern, d.Category.ID),
					Evidence{Kind: "cookie", Name: pattern}, fmt.Sprintf("%s/names/%d", d.Pointer, i))
			}
		}
	}
	return out
}

// seenCookie reports whether any phase saw a cookie that pattern matches.
func seenCookie(rep *Report, pattern string) bool {
	for _, ph := range rep.Phases {
		if slices.ContainsFunc(ph.Cookies, func(c Cookie) bool { return widget.MatchCookieName(pattern, c.Name) }) {
			return true
		}
	}
	return false
}

// categoryPointer returns the JSON pointer of a category in the policy, or "".
func categoryPointer(pol *policy, id string) string {
	if pol == nil {
		return ""
	}
	for i, c := range pol.p.Categories {
		if c.ID == id {
			return fmt.Sprintf("/categories/%d", i)
		}
	}
	return ""
}

// by says what set something, for messages.
func by(setBy string) string {
	if setBy == "" {
		return ""
	}
	return ", by " + setBy
}
