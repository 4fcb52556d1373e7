package widget

// This file lists what a Session asks its shell (the wasm front end, or a test) to do: the
// effects, carried out in the order a Session returns them. They are plain values: the
// shell decides nothing about them, it only knows how each is done in a browser.

// Effect is one thing for the shell to carry out. The concrete types below are all of them.
type Effect interface{ effect() }

// WriteCookie assigns Line to document.cookie: the consent cookie, or a deletion
// (Max-Age=0) of it or of a withdrawn cookie. A write that throws is reported back with the
// input CookieWriteFailed.
type WriteCookie struct{ Line string }

// ReadBackCookie asks the shell to read document.cookie right away and hand it back with
// the input CookieReadBack: a browser that blocks cookies may drop a write silently.
type ReadBackCookie struct{}

// RemoveStorage removes Keys from localStorage and from sessionStorage: the storage
// declared by what the visitor withdrew (CONTRACT.md §3 cookies[].storage, 1.1).
type RemoveStorage struct{ Keys []string }

// Dispatch sends the CustomEvent Event on window with Detail, a value of plain maps,
// slices of any, strings, numbers and booleans (§7).
type Dispatch struct {
	Event  string
	Detail any
}

// ShowView shows View (ViewBanner or ViewPreferences). For the preferences, GPCNotice says
// whether the "your Global Privacy Control signal was honoured" notice is shown.
type ShowView struct {
	View      string
	GPCNotice bool
}

// HideView hides View. RestoreFocus asks, for the banner, that focus which was inside it go
// where FocusAfterBanner says (WCAG 2.2 SC 2.4.3), since the control that had it vanishes.
type HideView struct {
	View         string
	RestoreFocus bool
}

// Render builds the widget's views again in Lang, every layer hidden, and fills the page's
// cookie declaration tables (§6); the Session shows again, with ShowView, what was shown.
// Keep says that the banner consentry.js showed is this render (Session.TakesOverFirstPaint):
// its nodes stay as they are, so focus, scroll position and layout do not change (§9).
type Render struct {
	Lang string
	Keep bool
}

// SetSwitches shows Switches on the controls of the preferences dialog.
type SetSwitches struct{ Switches Switches }

// Announce puts Text in the widget's role="status" region (WCAG 2.2 SC 4.1.3); "" empties it.
type Announce struct{ Text string }

// ScanGate looks for gated elements (§5) and activates those the Session's Activates names.
type ScanGate struct{}

// Gtag calls the page's gtag with Args (Google Consent Mode, §11), installing the standard
// dataLayer and gtag when the page has none.
type Gtag struct{ Args []any }

// PushDataLayer pushes Event to window.dataLayer (§11).
type PushDataLayer struct{ Event map[string]any }

// PushMatomo pushes Calls, each the arguments of one call, to window._paq (§11). AtFront
// puts them before the calls the page queued while Matomo has not loaded yet.
type PushMatomo struct {
	Calls   []any
	AtFront bool
}

// ReceiptBody is a receipt as sent: its id and its JSON body (Receipt.JSON). Effects carry
// receipts in this form, without time.Time fields: a time.Time inside an effect would keep
// the time package's formatting code in the wasm (about 14 KB after brotli).
type ReceiptBody struct{ ID, Body string }

// QueueReceipt adds a receipt made during the start to the receipt queue in localStorage
// (§10): SendQueuedReceipts sends it at the start's end.
type QueueReceipt struct{ Receipt ReceiptBody }

// SendReceipt adds a receipt to the queue and POSTs it to Endpoint at once, in the
// background; a 2xx takes it out of the queue.
type SendReceipt struct {
	Endpoint string
	Receipt  ReceiptBody
}

// SendQueuedReceipts sends, in the background, every receipt waiting in the queue, then
// those of Made that the queue could not keep (storage blocked), in order, stopping when
// SendNextAfter says the server is unavailable.
type SendQueuedReceipts struct {
	Endpoint string
	Made     []ReceiptBody
}

// Reload reloads the page: a withdrawal with reloadOnWithdraw stops scripts already running.
type Reload struct{}

// Warn writes Message to the console as a warning.
type Warn struct{ Message string }

func (WriteCookie) effect()        {}
func (ReadBackCookie) effect()     {}
func (RemoveStorage) effect()      {}
func (Dispatch) effect()           {}
func (ShowView) effect()           {}
func (HideView) effect()           {}
func (Render) effect()             {}
func (SetSwitches) effect()        {}
func (Announce) effect()           {}
func (ScanGate) effect()           {}
func (Gtag) effect()               {}
func (PushDataLayer) effect()      {}
func (PushMatomo) effect()         {}
func (QueueReceipt) effect()       {}
func (SendReceipt) effect()        {}
func (SendQueuedReceipts) effect() {}
func (Reload) effect()             {}
func (Warn) effect()               {}
