package widget

// The strings below are part of Consentry's public contract (CONTRACT.md): host pages,
// their scripts and their tooling depend on them. The wasm layer and the end-to-end tests
// use these constants, so renaming one is a compile error rather than a silent break.

// DefaultCookieName is the consent cookie's name when the policy does not set one (§4).
const DefaultCookieName = "cookies_preferences"

// Values of the consent record's "method" field (§4).
const (
	MethodAcceptAll = "accept-all"
	MethodRejectAll = "reject-all"
	MethodCustom    = "custom"
	MethodGPC       = "gpc"
)

// Markup and attributes of the host page (§2, §5, §8).
const (
	InlinePolicyID  = "consentry-policy" // <script type="application/json" id=…>
	AttrPolicy      = "data-policy"      // on the script tag
	AttrLang        = "data-lang"        // on the script tag
	AttrCategory    = "data-category"    // on a gated element
	AttrService     = "data-service"     // on a gated element
	AttrType        = "data-type"        // a gated script's real type
	AttrSrc         = "data-src"         // a gated iframe's or img's real src
	AttrHook        = "data-consentry"   // data-consentry="show-preferences"
	HookShowPrefs   = "show-preferences"
	HookCookieTable = "cookie-table" // filled with the cookie declaration
	GatedScriptType = "text/plain"
	RootID          = "consentry-root"
	GlobalName      = "Consentry" // window.Consentry
	AttrActivated   = "data-consentry-activated"
)

// Events dispatched on window (§7).
const (
	EventReady   = "consentry:ready"
	EventConsent = "consentry:consent"
	EventChange  = "consentry:change"
	EventShow    = "consentry:show"
	EventHide    = "consentry:hide"
	EventError   = "consentry:error"
)

// Views named in the detail of show and hide events (§7).
const (
	ViewBanner      = "banner"
	ViewPreferences = "preferences"
)

// Part names for ::part() theming (§8).
const (
	PartBanner      = "banner"
	PartPreferences = "preferences"
	PartButton      = "button"
	PartAcceptAll   = "accept-all"
	PartRejectAll   = "reject-all"
	PartCustomize   = "customize"
	PartSave        = "save"
	PartSwitch      = "switch"
	PartClose       = "close"    // the dialog's close button (1.1)
	PartContinue    = "continue" // "Continue without accepting" (1.1)
)

// Actions name what a control of a view does (1.1): each control of the banner and the
// preferences carries one in AttrAction, and one delegated listener per view hands it to
// the session, whether the view was built by the module or baked into consentry.js (§9).
const (
	AttrAction = "data-consentry-action" // on a control of a view
	// AttrEscapeAction on a layer names the action Esc takes inside it: a refusal in the
	// banner (§8), closing without a change in the dialog.
	AttrEscapeAction = "data-consentry-escape"

	ActionAcceptAll      = "accept-all"
	ActionRejectAll      = "reject-all"
	ActionContinue       = "continue" // "Continue without accepting": a refusal (§8)
	ActionCustomize      = "customize"
	ActionSave           = "save"
	ActionClose          = "close"
	ActionToggleCategory = "toggle-category" // a category's switch, named by AttrCategory
	ActionToggleService  = "toggle-service"  // a service's switch, AttrCategory and AttrService
)

// The names above as lists, the one place tests hold the loader, the stylesheet and the
// wasm layer to (widget/names_test.go).
var (
	// Parts lists every part name of §8.
	Parts = []string{PartBanner, PartPreferences, PartButton, PartAcceptAll, PartRejectAll,
		PartCustomize, PartSave, PartSwitch, PartClose, PartContinue}
	// Events lists every event of §7.
	Events = []string{EventReady, EventConsent, EventChange, EventShow, EventHide, EventError}
	// Actions lists every action name a view may carry.
	Actions = []string{ActionAcceptAll, ActionRejectAll, ActionContinue, ActionCustomize,
		ActionSave, ActionClose, ActionToggleCategory, ActionToggleService}
	// APIMethods lists the methods of window.Consentry (§6); ready and version are properties.
	APIMethods = []string{"show", "hide", "showPreferences", "hidePreferences", "acceptAll",
		"rejectAll", "acceptCategory", "acceptedCategory", "acceptedService", "validConsent",
		"getUserPreferences", "setLanguage", "reset"}
	// APICalls lists the methods of APIMethods that change something: each is handed to
	// the session as a Call; the others are its queries.
	APICalls = []string{"show", "hide", "showPreferences", "hidePreferences", "acceptAll", "rejectAll",
		"acceptCategory", "setLanguage", "reset"}
)
