package widget

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The session's tests write effects in a short text notation, one line each, so that a
// table row reads like what a page does: "cookie cp={accept-all necessary statistics
// statistics:[analytics]}", "event consentry:consent", "show banner". See effectLine.

// sessionPolicyJSON is the policy of the session tests: a required category, statistics
// with one consent-requiring service and an exempt one, marketing with two services (a
// tri-state control), media without services; storage keys declared by statistics. The
// extra members (reloadOnWithdraw, receipts, googleConsentMode, matomo, cookie) are
// spliced in by sessionPolicy.
const sessionPolicyJSON = `{"revision":1,"defaultLanguage":"en","cookie":{"name":"cp"%s},
"categories":[
 {"id":"necessary","required":true,"title":{"en":"Necessary","fr":"Nécessaires"},"cookies":[{"provider":"Site","names":["sessionid"]}]},
 {"id":"statistics","title":"Statistics","services":[
   {"id":"analytics","title":"Analytics","cookies":[{"provider":"Matomo","names":["_pk_id.*"],"storage":["_pk_*"]}]},
   {"id":"anon","title":"Anonymous","consentRequired":false}]},
 {"id":"marketing","title":"Marketing","cookies":[{"provider":"Ads","names":["_mkt"]}],"services":[
   {"id":"ads","title":"Ads","cookies":[{"provider":"Ads","names":["_fbp"]}]},
   {"id":"retargeting","title":"Retargeting"}]},
 {"id":"media","title":"Media","cookies":[{"provider":"Video","names":["yt-*"]}]}
]%s}`

// sessionPolicy parses the test policy with cookie members and top-level members added
// (each "" or starting with a comma).
func sessionPolicy(t testing.TB, cookieExtra, extra string) *Policy {
	t.Helper()
	p, err := ParsePolicyOn([]byte(fmt.Sprintf(sessionPolicyJSON, cookieExtra, extra)), "https://shop.example")
	require.NoError(t, err)
	return p
}

// sessionNow is the clock of the session tests.
var sessionNow = time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)

// sessionSignals are the signals of a plain https page, with a reopen link.
func sessionSignals() Signals {
	return Signals{
		Languages:  []string{"en"},
		Location:   Location{Host: "shop.example", Secure: true, Path: "/"},
		Href:       "https://shop.example/",
		Build:      "1.1.0-test",
		ReopenLink: true,
	}
}

// page is the page at sessionNow holding the cookies given (a document.cookie string).
func page(cookies string) Page {
	return Page{Now: sessionNow, Cookies: cookies, CookiesOK: true}
}

// storedCookie returns "cp=<value>" for a record of the choice, made at updated, as a
// browser holds it after an earlier page view.
func storedCookie(t testing.TB, p *Policy, method string, c Choice, updated time.Time) string {
	t.Helper()
	r, err := p.NewRecord(nil, method, c, updated, zeroReader{})
	require.NoError(t, err)
	return p.Cookie.Name + "=" + r.Encode()
}

// effectLines writes effects in the notation of the tests.
func effectLines(p *Policy, effects []Effect) []string {
	lines := make([]string, 0, len(effects))
	for _, e := range effects {
		lines = append(lines, effectLine(p, e))
	}
	return lines
}

// effectLine writes one effect: the consent cookie's value as the choice it holds, an
// event with the part of its detail that matters, and so on.
func effectLine(p *Policy, e Effect) string {
	switch e := e.(type) {
	case WriteCookie:
		name, rest, _ := strings.Cut(e.Line, "=")
		value, attrs, _ := strings.Cut(rest, ";")
		if r, err := DecodeRecord(value); err == nil && name == p.Cookie.Name {
			value = recordNotation(r)
		}
		return "cookie " + name + "=" + value + ";" + attrs
	case ReadBackCookie:
		return "read-back"
	case RemoveStorage:
		return "remove-storage " + strings.Join(e.Keys, " ")
	case Dispatch:
		switch d := e.Detail.(type) {
		case map[string]any:
			if v, ok := d["view"]; ok {
				return "event " + e.Event + " " + v.(string)
			}
			if c, ok := d["changedCategories"]; ok {
				return fmt.Sprintf("event %s %v %s", e.Event, c, d["preferences"].(map[string]any)["method"])
			}
			if m, ok := d["method"]; ok {
				return fmt.Sprintf("event %s %s %v", e.Event, m, d["acceptedCategories"])
			}
		}
		return "event " + e.Event
	case ShowView:
		if e.GPCNotice {
			return "show " + e.View + " +gpc-notice"
		}
		return "show " + e.View
	case HideView:
		return "hide " + e.View
	case Render:
		if e.Keep {
			return "render " + e.Lang + " (kept)"
		}
		return "render " + e.Lang
	case SetSwitches:
		return "switches " + switchesNotation(e.Switches)
	case Announce:
		return fmt.Sprintf("announce %q", e.Text)
	case ScanGate:
		return "scan"
	case Gtag:
		return fmt.Sprintf("gtag %v", e.Args[:2])
	case PushDataLayer:
		return fmt.Sprintf("dataLayer %v", e.Event["acceptedCategories"])
	case PushMatomo:
		if e.AtFront {
			return fmt.Sprintf("_paq front %v", e.Calls)
		}
		return fmt.Sprintf("_paq %v", e.Calls)
	case QueueReceipt:
		return "queue-receipt " + receiptNotation(e.Receipt)
	case SendReceipt:
		return "send-receipt " + receiptNotation(e.Receipt)
	case SendQueuedReceipts:
		return fmt.Sprintf("send-queued %d", len(e.Made))
	case Reload:
		return "reload"
	case Warn:
		return "warn " + e.Message
	}
	return fmt.Sprintf("unknown %T", e)
}

// recordNotation writes a record as {method categories… category:[services]…}.
func recordNotation(r *Record) string {
	parts := append([]string{r.Method}, r.Categories...)
	cats := make([]string, 0, len(r.Services))
	for c := range r.Services {
		cats = append(cats, c)
	}
	sort.Strings(cats)
	for _, c := range cats {
		parts = append(parts, c+":"+fmt.Sprint(r.Services[c]))
	}
	return "{" + strings.Join(parts, " ") + "}"
}

// switchesNotation writes switches as marketing=partly(ads) media=off statistics=on(analytics).
func switchesNotation(sw Switches) string {
	cats := make([]string, 0, len(sw.Categories))
	for c := range sw.Categories {
		cats = append(cats, c)
	}
	sort.Strings(cats)
	names := [...]string{SwitchOff: "off", SwitchOn: "on", SwitchPartlyOn: "partly"}
	var parts []string
	for _, c := range cats {
		s := c + "=" + names[sw.Categories[c]]
		var on []string
		for svc, v := range sw.Services[c] {
			if v {
				on = append(on, svc)
			}
		}
		sort.Strings(on)
		if _, ok := sw.Services[c]; ok {
			s += "(" + strings.Join(on, ",") + ")"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

// started returns a session started on a page with cookies, and the start's effects.
func started(t testing.TB, p *Policy, sig Signals, cookies string) (*Session, []Effect) {
	t.Helper()
	s := NewSession(p, sig, zeroReader{})
	return s, s.Start(page(cookies))
}

// hasLine reports whether lines holds a line starting with prefix.
func hasLine(lines []string, prefix string) bool {
	for _, l := range lines {
		if strings.HasPrefix(l, prefix) {
			return true
		}
	}
	return false
}

// receiptNotation writes a receipt as its event and method.
func receiptNotation(r ReceiptBody) string {
	var v struct{ Event, Method string }
	if err := json.Unmarshal([]byte(r.Body), &v); err != nil {
		return "bad " + err.Error()
	}
	return v.Event + " " + v.Method
}
