package widget

import (
	"strings"
	"testing"
	"time"
)

// FuzzSession feeds random sequences of inputs to a Session on a page whose cookie jar
// keeps what the session writes (another tab may replace it, cookies may be blocked) and
// holds its invariants after every input: it does not panic; nothing optional is activated
// without a valid choice accepting it; a choice writes exactly one consent cookie line, any
// other input at most one; a consentry:consent event carries a valid choice.
func FuzzSession(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19})
	f.Add([]byte{3, 7, 7, 8, 4, 16, 17, 0, 12, 19, 2})
	f.Add([]byte{18, 14, 15, 11, 1, 13, 5, 9})
	p := sessionPolicy(f, "", `,"reloadOnWithdraw":true,"receipts":{"endpoint":"/consent"},"googleConsentMode":{"analytics_storage":["statistics"]},"matomo":{"category":"statistics"}`)
	other := storedCookie(f, p, MethodCustom, Choice{Categories: []string{"marketing"}}, sessionNow.Add(-time.Hour))
	elements := []GatedElement{}
	for _, c := range p.Categories {
		elements = append(elements, GatedElement{Tag: "script", Type: "text/plain", Category: c.ID})
		for _, s := range c.Services {
			elements = append(elements, GatedElement{Tag: "iframe", HasSrc: true, Category: c.ID, Service: s.ID})
		}
	}
	f.Fuzz(func(t *testing.T, ops []byte) {
		if len(ops) == 0 {
			return
		}
		jar := "a=1"
		now := sessionNow
		blocked := ops[0]%5 == 0
		sig := sessionSignals()
		sig.GPC = ops[0]%3 == 0
		s := NewSession(p, sig, zeroReader{})
		pg := func() Page {
			return Page{Now: now, Cookies: jar, CookiesOK: !blocked, StorageKeys: []string{"_pk_x", "k"}}
		}
		check := func(in Input, effects []Effect) {
			writes := 0
			for _, e := range effects {
				switch e := e.(type) {
				case WriteCookie:
					name, rest, _ := strings.Cut(e.Line, "=")
					value, _, _ := strings.Cut(rest, ";")
					if name != p.Cookie.Name {
						continue
					}
					if strings.Contains(e.Line, "Max-Age=0") {
						jar = "a=1"
						continue
					}
					writes++
					if !blocked {
						jar = "a=1; " + name + "=" + value
					}
				case Dispatch:
					if e.Event == EventConsent && s.Record() == nil {
						t.Fatalf("consentry:consent without a choice after %#v", in)
					}
				}
			}
			choice := false
			switch in := in.(type) {
			case Action:
				choice = in.Name == ActionAcceptAll || in.Name == ActionRejectAll || in.Name == ActionContinue || in.Name == ActionSave
			case Call:
				choice = in.Method == "acceptAll" || in.Method == "rejectAll"
			}
			if (choice && writes != 1) || writes > 1 {
				t.Fatalf("%d consent cookie lines after %#v", writes, in)
			}
			r := s.Record()
			if r != nil && !blocked { // where cookies are blocked, the page's choice stands as made
				if err := p.Check(r, now); err != nil {
					t.Fatalf("the choice in force is not valid: %v", err)
				}
			}
			for _, el := range elements {
				if !s.Activates(el) {
					continue
				}
				c := p.Category(el.Category)
				svc := c.Service(el.Service)
				free := c.Required || (svc != nil && !svc.ConsentRequired)
				if !free && (r == nil || !p.Allows(r, el.Category, el.Service)) {
					t.Fatalf("%+v activated without a choice accepting it (%v)", el, r)
				}
			}
		}
		check(nil, s.Start(pg()))
		cats := []string{"statistics", "marketing", "media", "necessary", "nope"}
		svcs := []string{"analytics", "anon", "ads", "retargeting", ""}
		for i, op := range ops[1:] {
			var in Input
			arg := cats[int(op>>5)%len(cats)]
			switch op % 20 {
			case 0:
				in = Action{Name: ActionAcceptAll}
			case 1:
				in = Action{Name: ActionRejectAll}
			case 2:
				in = Action{Name: ActionContinue}
			case 3:
				in = Action{Name: ActionCustomize}
			case 4:
				in = Action{Name: ActionSave}
			case 5:
				in = Action{Name: ActionClose}
			case 6:
				in = Action{Name: ActionToggleCategory, Category: arg}
			case 7:
				in = Action{Name: ActionToggleService, Category: arg, Service: svcs[int(op>>5)%len(svcs)]}
			case 8:
				in = Call{Method: "acceptAll"}
			case 9:
				in = Call{Method: "rejectAll"}
			case 10:
				in = Call{Method: "acceptCategory", Args: []any{arg}}
			case 11:
				in = Call{Method: "acceptCategory", Args: []any{[]any{arg, "media"}}}
			case 12:
				in = Call{Method: "reset"}
			case 13:
				in = Call{Method: "show"}
			case 14:
				in = Call{Method: "showPreferences"}
			case 15:
				in = Call{Method: "setLanguage", Args: []any{"fr"}}
			case 16:
				jar = "a=1; " + other // another tab's choice
				in = TabVisible{}
			case 17:
				jar = "a=1; cp=garbage" // another tab's garbage
				in = TabVisible{}
			case 18:
				in = CookieReadBack{}
			case 19:
				now = now.Add(time.Duration(i) * 24 * time.Hour) // time passes; choices expire
				in = TabVisible{}
			}
			check(in, s.Handle(pg(), in))
		}
	})
}
