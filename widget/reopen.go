package widget

// ReopenLinkSnippet is the markup a page adds to offer the way back to the choice that
// the banner promises (CNIL recommendation 2020-092, art. 2: withdrawing is as easy as
// consenting, at any time): an element with data-consentry="show-preferences" (§6).
const ReopenLinkSnippet = `<a href="#" ` + AttrHook + `="` + HookShowPrefs + `">Cookie settings</a>`

// MissingReopenLinkWarning is the console warning, given once per page load, when the
// page has no data-consentry="show-preferences" element once its DOM is loaded: the
// banner tells visitors they can change their choice at any time with such a link.
const MissingReopenLinkWarning = "Consentry: this page has no element with " + AttrHook + `="` + HookShowPrefs + `", ` +
	"but the banner tells visitors that they can change their choice at any time with a link. " +
	"Add one to every page, for example in the footer: " + ReopenLinkSnippet +
	" (Consentry.showPreferences() opens the preferences too)."
