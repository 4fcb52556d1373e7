package widget

import "time"

// This file lists what goes into a Session: the page's signals at the start, a snapshot of
// the page with each input, and the inputs themselves.

// Signals are what the page says about itself and its visitor at the start.
type Signals struct {
	GPC        bool     // navigator.globalPrivacyControl === true
	Languages  []string // requested languages, in order: data-lang, <html lang>, navigator.languages
	Location   Location // for the attributes of cookie lines
	Href       string   // location.href, for receipts (ReceiptPage)
	Build      string   // the widget's build id (Consentry.version)
	PolicyText string   // the policy as read, for receipts' policyDigest
	ReopenLink bool     // the page has a data-consentry="show-preferences" element
	// FirstPaintLang is the language of the built-in banner consentry.js showed before the
	// module (§9), on screen and announced with consentry:show; "" when it showed none.
	FirstPaintLang string
}

// Page is what the shell reads from the page with each input, as it is at that moment.
type Page struct {
	Now          time.Time
	Cookies      string   // document.cookie
	CookiesOK    bool     // reading document.cookie did not throw
	StorageKeys  []string // the keys of localStorage and sessionStorage
	ReceiptQueue string   // localStorage[ReceiptQueueKey], "" when none
}

// Input is one thing that happened to the page. The concrete types below are all of them.
type Input interface{ input() }

// Action is a control of a view used by the visitor, by its action name (Action* in
// names.go), with the category and service of a switch. Esc in a layer is the action its
// AttrEscapeAction names. An action made on a first paint before the widget started is
// handed to Session.Start.
type Action struct {
	Name     string
	Category string
	Service  string
}

// Call is a call of a method of window.Consentry that changes something (§6), with its
// arguments decoded: a JavaScript string is a string, an array an []any of its elements
// decoded the same way, anything else nil. A click on a data-consentry="show-preferences"
// element is Call{Method: "showPreferences"}.
type Call struct {
	Method string
	Args   []any
}

// TabVisible is the page becoming visible again (visibilitychange): another tab of the
// site may have changed the consent cookie, which the Page with it holds.
type TabVisible struct{}

// CookieReadBack hands back document.cookie (in the Page with it) as read right after
// ReadBackCookie.
type CookieReadBack struct{}

// CookieWriteFailed reports that an assignment to document.cookie threw.
type CookieWriteFailed struct{}

func (Action) input()            {}
func (Call) input()              {}
func (TabVisible) input()        {}
func (CookieReadBack) input()    {}
func (CookieWriteFailed) input() {}
