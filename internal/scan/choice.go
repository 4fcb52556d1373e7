package scan

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// choiceTimeout bounds the wait for a choice to be recorded.
const choiceTimeout = 10 * time.Second

// banner reports the first layer of the first visit: Consentry's (CONTRACT.md §8), or the
// other tool's -accept and -reject controls.
func (sc *scanner) banner(s *session) *Banner {
	if sc.tool == "selectors" {
		js := deepQueryJS + `
(() => ({shown: visible(deepQuery(` + strconv.Quote(sc.o.Accept) + `)) || visible(deepQuery(` + strconv.Quote(sc.o.Reject) + `)),
  acceptVisible: visible(deepQuery(` + strconv.Quote(sc.o.Accept) + `)),
  refusalVisible: visible(deepQuery(` + strconv.Quote(sc.o.Reject) + `))}))()`
		b, err := pollBanner(s, js)
		if err != nil {
			return &Banner{Detail: err.Error()}
		}
		return b
	}
	b, err := pollBanner(s, consentryBannerJS)
	if err != nil {
		return &Banner{Detail: err.Error()}
	}
	return b
}

// pollBanner evaluates js until it reports a banner, or choiceTimeout passes (a banner can
// come a moment after the load event), and returns the last state. The page has settled
// (Consentry.ready) before, so a banner shown is the banner the visitor gets.
func pollBanner(s *session, js string) (*Banner, error) {
	deadline := time.Now().Add(choiceTimeout)
	for {
		b, err := chromedp.Run(s.ctx, chromedp.Evaluate[Banner](js))
		if err != nil {
			return nil, err
		}
		if b.Shown || time.Now().After(deadline) {
			return &b, nil
		}
		if err := pause(s.ctx); err != nil {
			return nil, err
		}
	}
}

// pause waits one polling interval.
func pause(ctx context.Context) error {
	t := time.NewTimer(50 * time.Millisecond)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// choose makes the phase's choice on the first layer, "accept" or "reject": Consentry's
// accept-all or reject-all button (through the API when the page hides the button), or
// the -accept / -reject control of another tool, and waits until it is recorded.
func (sc *scanner) choose(s *session, choice string) error {
	if sc.tool == "selectors" {
		sel := sc.o.Accept
		if choice == "reject" {
			sel = sc.o.Reject
		}
		js := deepQueryJS + `
(() => { const el = deepQuery(` + strconv.Quote(sel) + `); if (!visible(el)) return false; el.click(); return true; })()`
		if err := pollTrue(s, js); err != nil {
			return fmt.Errorf("%s: no visible %q to click (%w)", choice, sel, err)
		}
		return s.settle()
	}
	part, api := "accept-all", "acceptAll"
	if choice == "reject" {
		part, api = "reject-all", "rejectAll"
	}
	js := `(() => {
  if (!window.Consentry) return false;
  const host = document.getElementById("consentry-root");
  const button = host && host.shadowRoot && host.shadowRoot.querySelector('[part~="banner"] [part~="` + part + `"]');
  if (button) button.click(); else Consentry.` + api + `();
  return true;
})()`
	if err := pollTrue(s, js); err != nil {
		return fmt.Errorf("%s: the page has no window.Consentry (give -accept and -reject for another consent tool) (%w)", choice, err)
	}
	if err := pollTrue(s, `!!(window.Consentry && Consentry.validConsent())`); err != nil {
		return fmt.Errorf("%s: no valid choice recorded (%w)", choice, err)
	}
	return s.settle()
}

// withdraw opens Consentry's preferences and presses their Reject all (CONTRACT.md §6, §8),
// then waits until the choice is a rejection.
func (sc *scanner) withdraw(s *session) error {
	js := `(() => {
  if (!window.Consentry) return false;
  Consentry.showPreferences();
  const host = document.getElementById("consentry-root");
  const button = host && host.shadowRoot && host.shadowRoot.querySelector('[part~="preferences"] [part~="reject-all"]');
  if (!button) return false;
  button.click();
  return true;
})()`
	if err := pollTrue(s, js); err != nil {
		return fmt.Errorf("withdraw: no Reject all in the preferences (%w)", err)
	}
	if err := pollTrue(s, `!!(window.Consentry && Consentry.getUserPreferences() && Consentry.getUserPreferences().method === "reject-all")`); err != nil {
		return fmt.Errorf("withdraw: the rejection was not recorded (%w)", err)
	}
	return s.settle()
}

// pollTrue evaluates js until it returns true, for at most choiceTimeout.
func pollTrue(s *session, js string) error {
	deadline := time.Now().Add(choiceTimeout)
	for {
		ok, err := chromedp.Run(s.ctx, chromedp.Evaluate[bool](js))
		if err == nil && ok {
			return nil
		}
		if time.Now().After(deadline) {
			if err != nil {
				return err
			}
			return fmt.Errorf("not after %v", choiceTimeout)
		}
		if err := pause(s.ctx); err != nil {
			return err
		}
	}
}

// fill turns what the session saw into the phase's report: cookies with their cause and
// declaration, storage entries, third-party requests, gated elements.
func (sc *scanner) fill(s *session, ph *Phase, seen *pageSeen, cookies []*network.Cookie, before map[string]string) {
	now := float64(time.Now().Unix())
	s.mu.Lock()
	defer s.mu.Unlock()
	pageHost := sc.start.Hostname()
	for _, c := range cookies {
		out := Cookie{Name: c.Name, Domain: c.Domain, Path: c.Path, HTTPOnly: c.HTTPOnly, Secure: c.Secure,
			SameSite: string(c.SameSite), Partitioned: c.PartitionKey != nil || c.PartitionKeyOpaque,
			ThirdParty: thirdParty(pageHost, cookieHostOf(c.Domain)), SetBy: s.cookieSet[c.Name]}
		if !c.Session && c.Expires > 0 {
			out.Expires = c.Expires
			out.LifetimeDay = roundDays((c.Expires - now) / 86400)
		}
		if before != nil {
			old, had := before[c.Name+"|"+c.Domain+"|"+c.Path]
			out.AfterChoice = !had || old != c.Value
		} else {
			out.AfterChoice = s.stage > stageBefore
		}
		if d, ptr := sc.pol.matchCookie(c.Name); d != nil {
			out.Category, out.Pointer = d.Category.ID, ptr
			if d.Service != nil {
				out.Service = d.Service.ID
			}
		} else if sc.pol != nil && c.Name == sc.pol.consentCookie() {
			out.Category, out.Pointer = "necessary", "/cookie/name"
		} else {
			out.Suggested, out.Provider = suggestCategory(c.Name)
		}
		ph.Cookies = append(ph.Cookies, out)
	}
	for _, k := range seen.sorder {
		e := seen.storage[k]
		if d, ptr := sc.pol.matchStorage(e.Key); d != nil {
			e.Category, e.Pointer = d.Category.ID, ptr
		}
		ph.Storage = append(ph.Storage, e)
	}
	for _, r := range s.order {
		u, err := url.Parse(r.url)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || !thirdParty(pageHost, u.Hostname()) {
			continue
		}
		ph.Requests = append(ph.Requests, Request{URL: r.url, Host: u.Hostname(), Type: r.typ, Initiator: r.initiator, Page: r.page,
			Allowed: allowedHost(sc.o.AllowHosts, u.Hostname()), AfterChoice: r.stage > stageBefore, AfterWithdrawal: r.stage == stageWithdrawn})
	}
	// A gated element whose src was requested on its page ran, whatever the page's markup
	// says now (markRanBySrc).
	reqs := make([]srcRequest, len(s.order))
	for i, r := range s.order {
		reqs[i] = srcRequest{url: r.url, page: r.page, initiator: r.initiator}
	}
	gated := make([]GatedElement, len(seen.order))
	for i, k := range seen.order {
		gated[i] = seen.gated[k]
	}
	ph.Gated = append(ph.Gated, markRanBySrc(gated, reqs, ph.ID, sc.pol)...)
}

// roundDays rounds a lifetime to a hundredth of a day, for reading.
func roundDays(d float64) float64 {
	return float64(int64(d*100+0.5)) / 100
}
