package consentry_test

// This file proves, in headless Chromium, that both layers of the widget meet WCAG 2.2 AA
// (docs/accessibility.md maps each success criterion to the tests below): axe-core from
// npm (package.json pins it; `make deps` runs npm ci) over the open shadow root in 16
// configurations and more, and the keyboard paths of the WAI-ARIA modal dialog pattern
// driven with real key events (Input.dispatchKeyEvent), checked against the accessibility
// tree that Chromium gives screen readers (the Accessibility domain).
//
// The pages come from /a11y/page.html (fixtures_e2e_test.go), generated from the shipped policy.json with the
// variations a test asks for in its query: the theme, the layout, the page's language, a
// data-lang, a category with several services (one of them exempt), an Arabic translation,
// a long page, a cookie-table element. Using the shipped policy keeps these tests about
// what ships.

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/accessibility"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/consentry/consentry/widget"
)

// Selectors of the widget's parts used below.
var (
	selContinue = partSel(widget.PartBanner) + ` [part~="continue"]`
	selClose    = partSel(widget.PartPreferences) + ` [part~="close"]`
	selStatus   = `[role="status"]`
)

// key presses one key with real keyboard input (Input.dispatchKeyEvent), with Shift when
// shift is set, as a keyboard sends it: a raw key down, the character for keys that type
// one (Enter, Space), and the key up. (chromedp.KeyEvent sends "keyDown", which Chromium
// turns into a key down and a key press of its own: with the char event after it, Enter
// on a link activated it twice.)
func (p *page) key(k string, shift bool) {
	p.t.Helper()
	err := chromedp.Do(p.ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		for _, r := range k {
			for _, ev := range kb.Encode(r) {
				if ev.Type == input.DispatchKeyEventTypeKeyDown {
					ev.Type = input.DispatchKeyEventTypeRawKeyDown
				}
				if shift {
					ev.Modifiers |= int64(chromedp.ModifierShift)
				}
				if _, err := cdp.Call(ctx, tg, input.DispatchKeyEvent, *ev); err != nil {
					return err
				}
			}
		}
		return nil
	}))
	if err != nil {
		p.t.Fatalf("press %q: %v", k, err)
	}
}

// focused describes the element that has focus, looking into shadow roots: where it is
// ("banner", "dialog", "page" or "none") and what it is (its part, id or tag, and its
// accessible text).
type focused struct {
	Where string `json:"where"`
	What  string `json:"what"`
}

func (f focused) String() string { return f.Where + ": " + f.What }

func (p *page) focused() focused {
	p.t.Helper()
	return evalJS[focused](p, `(() => {
  let a = document.activeElement;
  while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;
  if (!a || a === document.body || a === document.documentElement) return {where: 'none', what: ''};
  const label = (a.getAttribute('aria-label') || a.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 40);
  const what = (a.getAttribute('part') || a.id || a.tagName.toLowerCase()) + ' "' + label + '"';
  const where = a.closest('[part~="banner"]') ? 'banner' : a.closest('[part~="preferences"]') ? 'dialog' :
    a.getRootNode() === document ? 'page' : 'widget';
  return {where, what};
})()`)
}

// emulateMedia sets CSS media features for the tab, such as prefers-color-scheme: dark.
func (p *page) emulateMedia(features ...string) {
	p.t.Helper()
	var fs []*emulation.MediaFeature
	for i := 0; i+1 < len(features); i += 2 {
		fs = append(fs, &emulation.MediaFeature{Name: features[i], Value: features[i+1]})
	}
	if _, err := chromedp.Call(p.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Features: fs}); err != nil {
		p.t.Fatalf("Emulation.setEmulatedMedia: %v", err)
	}
}

// axeTags are the rule sets that the widget must pass (REQUIREMENTS.md §7, item 41).
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"}

// axeResult is what runAxe keeps of an axe-core run.
type axeResult struct {
	Violations []axeViolation `json:"violations"`
	Passes     []string       `json:"passes"`
	Incomplete []string       `json:"incomplete"`
	Version    string         `json:"version"`
}

type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	URL    string `json:"helpUrl"`
	Nodes  []struct {
		Target  string `json:"target"`
		HTML    string `json:"html"`
		Summary string `json:"summary"`
	} `json:"nodes"`
}

func (v axeViolation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s): %s\n  %s", v.ID, v.Impact, v.Help, v.URL)
	for _, n := range v.Nodes {
		fmt.Fprintf(&b, "\n  - %s\n    %s\n    %s", n.Target, n.HTML, strings.ReplaceAll(n.Summary, "\n", "\n    "))
	}
	return b.String()
}

// axeSource is node_modules/axe-core/axe.min.js, read once.
var axeSource = sync.OnceValues(func() (string, error) {
	src, err := os.ReadFile(filepath.Join("node_modules", "axe-core", "axe.min.js"))
	return string(src), err
})

// runAxe injects axe-core into the page through Runtime.evaluate (which a page's CSP does
// not block) and runs it over the widget's root and its open shadow root, with the rule
// sets of axeTags and the target-size rule turned on.
func (p *page) runAxe() axeResult {
	p.t.Helper()
	src, err := axeSource()
	if err != nil {
		if os.Getenv("CI") == "true" {
			p.t.Fatalf("axe-core: %v (make deps runs npm ci)", err)
		}
		p.t.Skipf("axe-core is not installed (%v): run `npm ci`", err)
	}
	if !evalJS[bool](p, `typeof window.axe === 'object'`) {
		evalJS[chromedp.Void](p, src+"\n;void 0")
	}
	tags, _ := json.Marshal(axeTags)
	return evalJS[axeResult](p, `axe.run({include: [['#`+widget.RootID+`']]}, {
  runOnly: {type: 'tag', values: `+string(tags)+`},
  rules: {'target-size': {enabled: true}},
}).then((r) => ({
  version: r.testEngine.version,
  passes: r.passes.map((x) => x.id),
  incomplete: r.incomplete.map((x) => x.id + ' ' + JSON.stringify(x.nodes.map((n) => n.target.join(' ') + ': ' + n.failureSummary.split('\n').slice(1).join(' ').slice(0, 120)))),
  violations: r.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({target: JSON.stringify(n.target), html: n.html, summary: n.failureSummary}))})),
}))`)
}

// expectNoAxeViolations runs axe and fails t with every violation in full.
func (p *page) expectNoAxeViolations(what string) {
	p.t.Helper()
	res := p.runAxe()
	p.t.Logf("axe-core %s on %s: %d violations, %d rules passed, incomplete (needs review): %v",
		res.Version, what, len(res.Violations), len(res.Passes), res.Incomplete)
	for _, v := range res.Violations {
		p.t.Errorf("axe violation on %s: %s", what, v)
	}
	if len(res.Passes) == 0 {
		p.t.Errorf("axe passed no rule on %s: did it see the shadow root?", what)
	}
}

// openAllDetails opens every cookie table of the dialog, so that checks cover them.
func (p *page) openAllDetails() {
	p.t.Helper()
	p.do(`document.getElementById('` + widget.RootID + `').shadowRoot.querySelectorAll('details').forEach((d) => { d.open = true; })`)
}

// TestE2EA11yAxe runs axe-core over the banner and the open dialog in the 16
// configurations of {banner, dialog} × {light, dark} × {English, French} × {1280, 320 px
// wide}: zero violations of WCAG 2.0–2.2 A and AA and of axe's best practices, target
// size included. Dark is the visitor's prefers-color-scheme with the policy's theme
// "auto". One page serves a scheme and a width: the banner and then the dialog in English,
// then both again after setLanguage('fr'), to keep the run short; each layer is its own
// subtest. The same pages check that theme "auto" follows the scheme (the stylesheet's
// part of TestE2EA11yThemes' cases), that the default "bar" layout spans the bottom of
// the window at 1280 px, and that both layers reflow at 320 px (TestE2EA11yReflow).
func TestE2EA11yAxe(t *testing.T) {
	requireE2E(t)
	t.Parallel()
	for _, scheme := range []string{"light", "dark"} {
		for _, width := range []int64{1280, 320} {
			t.Run(fmt.Sprintf("%s/%d", scheme, width), func(t *testing.T) {
				p := newPage(t)
				p.emulateMedia("prefers-color-scheme", scheme)
				p.setViewport(width, 800)
				p.mustOpen(a11yPage("lang", "en", "table", "1"))
				p.expectVisible(selBanner, "banner")
				expectTheme(p, widget.ThemeAuto, scheme == "dark")
				var after func(p *page, layer string)
				if width == 320 {
					after = expectReflow
				} else {
					expectLayout(p, "bar")
				}
				for _, lang := range []string{"en", "fr"} {
					t.Run(lang, func(t *testing.T) {
						if lang != "en" {
							p.do(`Consentry.hidePreferences()`)
							p.expectHidden(selPreferences, "preferences dialog")
							p.do(`Consentry.setLanguage(` + strconv.Quote(lang) + `)`)
							p.waitFor(shadowJS(selAcceptAll)+`.textContent.trim() === 'Tout accepter'`, "the banner in French")
						}
						checkAxeLayers(t, p, fmt.Sprintf("%s/%s/%d", scheme, lang, width), nil, after)
					})
				}
			})
		}
	}
}

// checkAxeLayers runs axe over the banner, then over the dialog (with before run once
// the dialog is open), each in a subtest of t; after, when set, checks more of each layer
// in the same state (its selector).
func checkAxeLayers(t *testing.T, p *page, name string, before func(p *page), after func(p *page, layer string)) {
	t.Helper()
	parent := p.t
	defer func() { p.t = parent }()
	for _, layer := range []string{"banner", "dialog"} {
		t.Run(layer, func(t *testing.T) {
			p.t = t
			p.expectVisible(selBanner, "banner")
			sel := selBanner
			if layer == "dialog" {
				sel = selPreferences
				p.do(`Consentry.showPreferences()`)
				p.expectVisible(selPreferences, "preferences dialog")
				if before != nil {
					before(p)
				}
				p.openAllDetails()
			}
			p.waitAnimations()
			p.expectNoAxeViolations(layer + "/" + name)
			if after != nil {
				after(p, sel)
			}
		})
	}
}

// TestE2EA11yAxeMore runs axe-core, banner and dialog, in the configurations beyond the
// 16: the policy's theme "dark" (whatever the visitor's scheme) and "light" under a dark
// scheme, the "box" layout (light, and dark at 320 px), a right-to-left language with
// fallbacks, a category with several services in a partial state and an exempt service,
// and the text at 200 % (the visitor's default font size doubled). The same pages check
// the themes' colours and data-theme (TestE2EA11yThemes' cases "dark" and "light" under a
// dark scheme), the box's place (TestE2EA11yLayouts' "box"), and reflow (TestE2EA11yReflow's
// box at 320 px, 200 % text, and four purposes in French at 320 px).
func TestE2EA11yAxeMore(t *testing.T) {
	requireE2E(t)
	t.Parallel()
	partial := func(p *page) { p.click(serviceSwitchSel("statistics", "analytics")) } // one service on, one off
	for _, c := range []struct {
		name   string
		path   string
		width  int64
		height int64 // 800 unless set
		setup  func(p *page)
		before func(p *page)
		check  func(p *page) // on the banner, before axe
		reflow bool          // check both layers as TestE2EA11yReflow does
	}{
		{name: "theme-dark", path: a11yPage("theme", "dark", "lang", "fr"), width: 1280,
			check: func(p *page) { expectTheme(p, widget.ThemeDark, true) }},
		{name: "theme-light-under-dark-scheme", path: a11yPage("theme", "light"), width: 1280,
			setup: func(p *page) { p.emulateMedia("prefers-color-scheme", "dark") },
			check: func(p *page) { expectTheme(p, widget.ThemeLight, false) }},
		{name: "box", path: a11yPage("layout", "box"), width: 1280,
			check: func(p *page) { expectLayout(p, "box") }},
		{name: "box-dark-320", path: a11yPage("layout", "box", "theme", "dark"), width: 320, height: 640, reflow: true},
		{name: "rtl-ar", path: a11yPage("lang", "ar", "variant", "ar", "table", "1"), width: 1280},
		{name: "services", path: a11yPage("variant", "services"), width: 1280, before: partial},
		{name: "text-200", path: a11yPage("lang", "fr", "table", "1"), width: 1280, setup: func(p *page) { p.setFontSize(32) }, reflow: true},
		// Four purposes on the first layer, and storage keys in the declaration tables (1.1).
		{name: "purposes-fr-320", path: a11yPage("lang", "fr", "variant", "purposes", "table", "1"), width: 320, height: 640, reflow: true},
		{name: "purposes-1280", path: a11yPage("variant", "purposes", "table", "1"), width: 1280},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := newPage(t)
			if c.setup != nil {
				c.setup(p)
			}
			p.setViewport(c.width, cmp.Or(c.height, 800))
			p.mustOpen(c.path)
			if c.check != nil {
				p.expectVisible(selBanner, "banner")
				c.check(p)
			}
			var after func(p *page, layer string)
			if c.reflow {
				after = expectReflow
			}
			checkAxeLayers(t, p, c.name, c.before, after)
		})
	}
}

// setFontSize sets the browser's default font size, as a visitor who enlarges text does
// (16 px is 100 %).
func (p *page) setFontSize(px int64) {
	p.t.Helper()
	if _, err := chromedp.Call(p.ctx, cdppage.SetFontSizes, cdppage.SetFontSizesParams{
		FontSizes: &cdppage.FontSizes{Standard: px},
	}); err != nil {
		p.t.Fatalf("Page.setFontSizes: %v", err)
	}
}

// serviceSwitchSel selects the switch of a service in the dialog.
func serviceSwitchSel(category, service string) string {
	return fmt.Sprintf(`%s input[role="switch"][%s=%q][%s=%q]`, selPreferences,
		widget.AttrCategory, category, widget.AttrService, service)
}

// bannerTabOrder is the banner's controls in keyboard order (CONTRACT.md §8: first in the
// page's order), by part, or "a" for the policy link.
var bannerTabOrder = []string{"banner: continue", "banner: a", "banner: button reject-all",
	"banner: button accept-all", "banner: button customize"}

// TestE2EA11yBannerKeyboard: the banner comes first in the keyboard order and is not modal:
// Tab from the top of the page goes through its controls, then on into the page; Shift+Tab
// comes back into it. Nothing is recorded by moving around.
func TestE2EA11yBannerKeyboard(t *testing.T) {
	p := newPage(t)
	p.mustOpen(a11yPage())
	p.expectVisible(selBanner, "banner")
	if f := p.focused(); f.Where != "none" {
		t.Fatalf("something has focus at load: %s", f)
	}
	if m, ok := p.shadowAttr(selBanner, "aria-modal"); ok {
		t.Errorf("the banner has aria-modal=%q; it must not block the page", m)
	}
	if role, _ := p.shadowAttr(selBanner, "role"); role != "region" {
		t.Errorf("banner role = %q, want region (§8)", role)
	}
	var got []string
	for range bannerTabOrder {
		p.key(kb.Tab, false)
		f := p.focused()
		what := f.What
		if i := strings.Index(what, ` "`); i >= 0 {
			what = what[:i]
		}
		got = append(got, f.Where+": "+what)
	}
	if !slices.Equal(got, bannerTabOrder) {
		t.Errorf("Tab from the top of the page went through %q, want %q", got, bannerTabOrder)
	}
	p.key(kb.Tab, false)
	if f := p.focused(); f.Where != "page" || !strings.HasPrefix(f.What, "first-link") {
		t.Errorf("Tab after the banner's last control went to %s, want the page's first link (the banner is not a trap)", f)
	}
	p.key(kb.Tab, true)
	if f := p.focused(); f.Where != "banner" || !strings.Contains(f.What, widget.PartCustomize) {
		t.Errorf("Shift+Tab from the page's first link went to %s, want the banner's Customise", f)
	}
	if c := p.consentCookie(); c != nil {
		t.Errorf("moving through the banner wrote the cookie: %q", c.Value)
	}
	p.expectVisible(selBanner, "banner after tabbing through it")
	p.expectClean()
}

// TestE2EA11yBannerEscapeRefuses: Esc in the banner closes it, and closing is refusing, as
// its text says (CNIL recommendation 2020-092, art. 2; REQUIREMENTS.md §7, item 32); so
// does "Continue without accepting" pressed with Enter.
func TestE2EA11yBannerEscapeRefuses(t *testing.T) {
	t.Parallel() // its subtests each open their own browser context
	t.Run("Esc", func(t *testing.T) {
		p := newPage(t)
		p.mustOpen(a11yPage())
		p.expectVisible(selBanner, "banner")
		p.key(kb.Tab, false)
		if f := p.focused(); f.Where != "banner" {
			t.Fatalf("Tab went to %s, want the banner", f)
		}
		p.pressEscape()
		p.expectHidden(selBanner, "banner after Esc")
		expectConsent(p, defaultWant(widget.MethodRejectAll, onlyNecessary, nil))
		p.expectClean()
	})
	t.Run("Continue without accepting", func(t *testing.T) {
		p := newPage(t)
		p.mustOpen(a11yPage("lang", "fr"))
		p.expectVisible(selBanner, "banner")
		if got := p.shadowText(selContinue); got != "Continuer sans accepter" {
			t.Errorf("continue control says %q", got)
		}
		if tag := evalJS[string](p, shadowJS(selContinue)+`.tagName`); tag != "BUTTON" {
			t.Errorf("continue control is a %s, want a button (an action, not a link)", tag)
		}
		p.key(kb.Tab, false)
		p.key(kb.Enter, false)
		p.expectHidden(selBanner, "banner after Continue without accepting")
		expectConsent(p, defaultWant(widget.MethodRejectAll, onlyNecessary, nil))
		p.expectClean()
	})
}

// TestE2EA11yDialogKeyboard: the preferences dialog after the WAI-ARIA modal dialog
// pattern, with real keys only: Enter on Customise opens it and moves focus inside; Tab
// and Shift+Tab cycle through its controls and never leave it; Esc closes it without
// changing anything and returns focus to Customise, in the banner, which is still there.
func TestE2EA11yDialogKeyboard(t *testing.T) {
	t.Parallel() // its subtests each open their own browser context
	for _, width := range []int64{1280, 320} {
		t.Run(strconv.FormatInt(width, 10), func(t *testing.T) {
			p := newPage(t)
			p.setViewport(width, 800)
			p.mustOpen(a11yPage("variant", "services"))
			p.expectVisible(selBanner, "banner")
			for range bannerTabOrder {
				p.key(kb.Tab, false)
			}
			if f := p.focused(); !strings.Contains(f.What, widget.PartCustomize) {
				t.Fatalf("focus is on %s, want Customise", f)
			}
			p.key(kb.Enter, false)
			p.expectVisible(selPreferences, "preferences dialog after Enter on Customise")
			expectDialogSemantics(p)
			first := p.focused()
			if first.Where != "dialog" {
				t.Fatalf("opening the dialog left focus on %s", first)
			}
			// Every control of the dialog, in order, as the trap must cycle through them.
			n := evalJS[int](p, `Array.from(`+shadowJS(selPreferences)+`.querySelectorAll('button, input, summary, a[href]')).filter((e) => e.getClientRects().length).length`)
			if n < 8 {
				t.Fatalf("only %d controls in the dialog", n)
			}
			var forward []string
			for i := 0; i < n; i++ {
				p.key(kb.Tab, false)
				f := p.focused()
				if f.Where != "dialog" {
					t.Fatalf("Tab %d left the dialog for %s (after %q)", i+1, f, forward)
				}
				forward = append(forward, f.What)
			}
			if forward[n-1] != first.What {
				t.Errorf("after %d Tabs focus is on %q, want back on the first control %q: %q", n, forward[n-1], first.What, forward)
			}
			if !strings.Contains(forward[n-2], widget.PartSave) {
				t.Errorf("the last control before wrapping is %q, want Save", forward[n-2])
			}
			var backward []string
			for i := 0; i < n; i++ {
				p.key(kb.Tab, true)
				f := p.focused()
				if f.Where != "dialog" {
					t.Fatalf("Shift+Tab %d left the dialog for %s", i+1, f)
				}
				backward = append(backward, f.What)
			}
			if backward[0] != forward[n-2] {
				t.Errorf("Shift+Tab from the first control went to %q, want the last, %q", backward[0], forward[n-2])
			}
			// Change a switch with the keyboard, then leave with Esc: nothing is recorded.
			for p.focused().What != first.What {
				p.key(kb.Tab, false)
			}
			for i := 0; i < n && !strings.Contains(p.focused().What, widget.PartSwitch); i++ {
				p.key(kb.Tab, false) // to the first switch: the statistics category's
			}
			if f := p.focused(); !strings.Contains(f.What, widget.PartSwitch) {
				t.Fatalf("focus is on %s, want the statistics switch", f)
			}
			p.key(" ", false)
			p.waitFor(shadowJS(switchSel("statistics"))+`.checked`, "Space to turn the switch on")
			p.pressEscape()
			p.expectHidden(selPreferences, "preferences dialog after Esc")
			p.expectVisible(selBanner, "banner after Esc in the dialog (no choice yet)")
			if f := p.focused(); f.Where != "banner" || !strings.Contains(f.What, widget.PartCustomize) {
				t.Errorf("after Esc focus is on %s, want back on Customise", f)
			}
			p.idle()
			if c := p.consentCookie(); c != nil {
				t.Errorf("Esc in the dialog wrote the cookie: %q", c.Value)
			}
			p.expectClean()
		})
	}
}

// TestE2EA11yInertBehindDialog: while the dialog is open the page behind it is inert:
// its links cannot take focus, and the accessibility tree that screen readers read leaves
// them out; the banner behind the dialog is out of reach too. Once it closes, the page is
// back.
func TestE2EA11yInertBehindDialog(t *testing.T) {
	p := newPage(t)
	p.mustOpen(a11yPage())
	p.do(`Consentry.showPreferences()`)
	p.expectVisible(selPreferences, "preferences dialog")
	tryFocus := `(() => { const l = document.getElementById('first-link'); l.focus(); return document.activeElement === l; })()`
	if evalJS[bool](p, tryFocus) {
		t.Error("a page link took focus while the modal dialog was open")
	}
	if evalJS[bool](p, `(() => { const b = `+shadowJS(selAcceptAll)+`; b.focus(); return b.getRootNode().activeElement === b; })()`) {
		t.Error("the banner behind the dialog took focus")
	}
	nodes := p.axNodes()
	link := findAX(nodes, "link", "Skip to the content")
	if link != nil && !link.Ignored {
		t.Error("the page's link is in the accessibility tree while the modal dialog is open")
	}
	if d := findAX(nodes, "dialog", "Cookie settings"); d == nil || d.Ignored {
		t.Error("no dialog named \"Cookie settings\" in the accessibility tree")
	}
	p.do(`Consentry.hidePreferences()`)
	p.expectHidden(selPreferences, "preferences dialog")
	if !evalJS[bool](p, tryFocus) {
		t.Error("the page's link cannot take focus after the dialog closed")
	}
	if link := findAX(p.axNodes(), "link", "Skip to the content"); link == nil || link.Ignored {
		t.Error("the page's link is not back in the accessibility tree after the dialog closed")
	}
	p.expectClean()
}

// axNodes returns the tab's full accessibility tree.
func (p *page) axNodes() []*accessibility.Node {
	p.t.Helper()
	res, err := chromedp.Call(p.ctx, accessibility.GetFullAXTree, accessibility.GetFullAXTreeParams{})
	if err != nil {
		p.t.Fatalf("Accessibility.getFullAXTree: %v", err)
	}
	return res.Nodes
}

// axString is the string in an accessibility value, "" when there is none.
func axString(v *accessibility.Value) string {
	if v == nil {
		return ""
	}
	var s string
	if json.Unmarshal(v.Value, &s) == nil {
		return s
	}
	return strings.Trim(string(v.Value), `"`)
}

// axProp returns a property of an accessibility node, as a string ("" when absent).
func axProp(n *accessibility.Node, name accessibility.PropertyName) string {
	for _, pr := range n.Properties {
		if pr.Name == name {
			return axString(pr.Value)
		}
	}
	return ""
}

// findAX returns the first node with that role and name, or nil.
func findAX(nodes []*accessibility.Node, role, name string) *accessibility.Node {
	for _, n := range nodes {
		if axString(n.Role) == role && axString(n.Name) == name {
			return n
		}
	}
	return nil
}

// TestE2EA11ySwitchesInAXTree: every switch is in the accessibility tree as a switch,
// named by its visible title and with its state, which follows the keyboard; a category
// switch sets its services; one service on and one off shows the category as partly on,
// which a switch cannot say (aria-checked="mixed" is undefined for role=switch), so the
// control of a category with several services is a checkbox, announced as "mixed";
// the exempt service has no switch; the required category has none either and says it is
// always on. Toggling a switch records nothing (WCAG 3.2.2).
func TestE2EA11ySwitchesInAXTree(t *testing.T) {
	p := newPage(t)
	p.mustOpen(a11yPage("variant", "services"))
	p.do(`Consentry.showPreferences()`)
	p.expectVisible(selPreferences, "preferences dialog")
	state := func() map[string]string {
		out := map[string]string{}
		for _, n := range p.axNodes() {
			if role := axString(n.Role); (role == "switch" || role == "checkbox") && !n.Ignored {
				out[axString(n.Name)] = role + " " + axProp(n, accessibility.PropertyNameChecked)
			}
		}
		return out
	}
	want := map[string]string{"Statistics": "checkbox false", "Web analytics": "switch false", "Heat maps": "switch false"}
	if got := state(); !mapsEqual(got, want) {
		t.Fatalf("switches in the accessibility tree: %v, want %v", got, want)
	}
	// The category switch, with Space: every service follows.
	p.do(shadowJS(switchSel("statistics")) + `.focus()`)
	p.key(" ", false)
	want = map[string]string{"Statistics": "checkbox true", "Web analytics": "switch true", "Heat maps": "switch true"}
	waitAX(p, state, want)
	// One service off: the category is partly on.
	p.do(shadowJS(serviceSwitchSel("statistics", "heatmaps")) + `.focus()`)
	p.key(" ", false)
	want = map[string]string{"Statistics": "checkbox mixed", "Web analytics": "switch true", "Heat maps": "switch false"}
	waitAX(p, state, want)
	if !evalJS[bool](p, shadowJS(switchSel("statistics"))+`.indeterminate`) {
		t.Error("the statistics switch is not drawn as partly on (indeterminate)")
	}
	// The exempt service is listed, without a switch; the required category says always on.
	nodes := p.axNodes()
	if findAX(nodes, "StaticText", "Anonymised audience count") == nil {
		t.Error("the exempt service is not listed")
	}
	if findAX(nodes, "StaticText", "Anonymised statistics: no consent needed") == nil {
		t.Error("the exempt service is not said to need no consent")
	}
	if findAX(nodes, "StaticText", "Always on") == nil {
		t.Error("the required category does not say it is always on")
	}
	if c := p.consentCookie(); c != nil {
		t.Errorf("toggling switches wrote the cookie: %q", c.Value)
	}
	// Save: exactly the services left on.
	p.click(selSave)
	p.expectHidden(selPreferences, "dialog after Save")
	expectConsent(p, wantConsent{revision: 1, scope: scopeOf("statistics", "statistics/analytics", "statistics/heatmaps"),
		method: widget.MethodCustom, categories: acceptedStats,
		services: map[string][]string{"statistics": {"analytics"}}})
	p.expectClean()
}

// waitAX polls the accessibility tree until state() is want.
func waitAX(p *page, state func() map[string]string, want map[string]string) {
	p.t.Helper()
	var got map[string]string
	// A poll of a condition: the accessibility tree raises no event the test could await.
	for deadline := time.Now().Add(waitTimeout); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if got = state(); mapsEqual(got, want) {
			return
		}
	}
	p.t.Fatalf("switches in the accessibility tree: %v, want %v", got, want)
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// TestE2EA11yStatusAnnounced: saving from the dialog puts a short message in a
// role="status" live region (polite), which screen readers announce without focus moving
// to it: focus returns to the link that opened the dialog.
func TestE2EA11yStatusAnnounced(t *testing.T) {
	p := newPage(t)
	p.mustOpen(a11yPage())
	p.do(`document.getElementById('settings').focus()`)
	p.key(kb.Enter, false)
	p.expectVisible(selPreferences, "preferences dialog after Enter on the settings link")
	p.do(shadowJS(selSave) + `.focus()`)
	p.key(kb.Enter, false)
	p.expectHidden(selPreferences, "dialog after Save")
	p.waitFor(`(`+shadowJS(selStatus)+` || {}).textContent === "Your preferences have been saved."`, "the status message")
	if f := p.focused(); f.Where != "page" || !strings.HasPrefix(f.What, "settings") {
		t.Errorf("after Save focus is on %s, want back on the settings link (not on the message)", f)
	}
	var status *accessibility.Node
	for _, n := range p.axNodes() {
		if axString(n.Role) == "status" && !n.Ignored {
			status = n
		}
	}
	if status == nil {
		t.Fatal("no status node in the accessibility tree")
	}
	if live := axProp(status, accessibility.PropertyNameLive); live != "polite" {
		t.Errorf("status live = %q, want polite", live)
	}
	expectConsent(p, defaultWant(widget.MethodCustom, onlyNecessary, nil))
	p.expectClean()
}

// TestE2EA11yFocusNotObscured proves WCAG 2.2 SC 2.4.11 for the non-modal banner: Tab
// through a long page, banner shown, and every focused element of the page is scrolled
// clear of the banner (reserveSpace's scroll-padding-bottom), never hidden under it; and
// the end of the page can be scrolled above it.
func TestE2EA11yFocusNotObscured(t *testing.T) {
	t.Parallel() // its subtests each open their own browser context
	for _, c := range []struct {
		name   string
		width  int64
		height int64
		layout string
	}{{"bar-1280", 1280, 800, "bar"}, {"bar-320", 320, 700, "bar"}, {"box-1280", 1280, 800, "box"},
		{"bar-320-purposes", 320, 700, "bar"}} {
		t.Run(c.name, func(t *testing.T) {
			p := newPage(t)
			p.setViewport(c.width, c.height)
			variant := ""
			if strings.HasSuffix(c.name, "-purposes") {
				variant = "purposes" // four optional categories named on the first layer
			}
			p.mustOpen(a11yPage("long", "1", "layout", c.layout, "variant", variant))
			p.expectVisible(selBanner, "banner")
			p.waitAnimations()
			for range bannerTabOrder {
				p.key(kb.Tab, false)
			}
			seen := 0
			for i := 0; i < 45; i++ {
				p.key(kb.Tab, false)
				f := p.focused()
				if f.Where != "page" {
					break
				}
				seen++
				r := evalJS[struct {
					Top, Bottom, BannerTop float64
				}](p, `(() => {
  const a = document.activeElement.getBoundingClientRect();
  const b = `+shadowJS(selBanner)+`.getBoundingClientRect();
  return {top: a.top, bottom: a.bottom, bannertop: b.top};
})()`)
				if r.Bottom > r.BannerTop+0.5 || r.Top < 0 {
					t.Errorf("%s is at %.0f–%.0f px, the banner starts at %.0f px: hidden under it", f, r.Top, r.Bottom, r.BannerTop)
				}
			}
			if seen < 40 {
				t.Errorf("Tab reached only %d of the page's links", seen)
			}
			if sp := evalJS[string](p, `document.documentElement.style.scrollPaddingBottom`); !strings.HasSuffix(sp, "px") {
				t.Errorf("<html> scroll-padding-bottom = %q while the banner is shown", sp)
			}
			p.expectClean()
		})
	}
}

// TestE2EA11yReflow: at 320 CSS px wide (WCAG 1.4.10, what 400 % zoom gives on a
// 1280 px window), at 200 % text (1.4.4: the browser's default font size doubled), and
// at 320×256, both layers fit: no horizontal scrolling, no control outside the window,
// no text cut off by its box; long content scrolls vertically inside the layer. The pages
// of the axe tests check the same at 320 px in English and French, light and dark
// (TestE2EA11yAxe), and for the box at 320 px, 200 % text and four purposes in French at
// 320×640 (TestE2EA11yAxeMore); these are the configurations no axe test has.
func TestE2EA11yReflow(t *testing.T) {
	t.Parallel() // its subtests each open their own browser context
	for _, c := range []struct {
		name   string
		w, h   int64
		font   int64
		params []string
	}{
		{"320x256", 320, 256, 16, []string{"lang", "fr"}},
		{"rtl-320", 320, 640, 16, []string{"lang", "ar", "variant", "ar"}},
		{"purposes-text-200", 1280, 800, 32, []string{"lang", "en", "variant", "purposes"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := newPage(t)
			p.setViewport(c.w, c.h)
			if c.font != 16 {
				p.setFontSize(c.font)
			}
			p.mustOpen(a11yPage(c.params...))
			p.expectVisible(selBanner, "banner")
			p.waitAnimations()
			expectReflow(p, selBanner)
			p.do(`Consentry.showPreferences()`)
			p.expectVisible(selPreferences, "preferences dialog")
			p.openAllDetails()
			p.waitAnimations()
			expectReflow(p, selPreferences)
			p.expectClean()
		})
	}
}

// expectReflow fails t when the layer sel scrolls sideways, sticks out of the window, or
// has an element whose text overflows its box sideways.
func expectReflow(p *page, sel string) {
	p.t.Helper()
	problems := evalJS[[]string](p, `((layer) => {
  const out = [];
  const vw = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth > vw) out.push('the page scrolls sideways: ' + document.documentElement.scrollWidth + ' > ' + vw);
  const describe = (e) => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '') + ' "' + (e.textContent || '').trim().slice(0, 30) + '"';
  for (const e of [layer, ...layer.querySelectorAll('*')]) {
    if (!e.getClientRects().length) continue;
    const r = e.getBoundingClientRect();
    if (r.width <= 1 && r.height <= 1) continue; // visually hidden on purpose, for screen readers
    if (r.left < -0.5 || r.right > vw + 0.5) out.push(describe(e) + ' sticks out of the window: ' + Math.round(r.left) + '–' + Math.round(r.right));
    if (e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'visible') out.push(describe(e) + ' scrolls or clips sideways: ' + e.scrollWidth + ' > ' + e.clientWidth);
  }
  return out.slice(0, 20);
})(`+shadowJS(sel)+`)`)
	for _, pr := range problems {
		p.t.Errorf("%s: %s", sel, pr)
	}
}

// TestE2EA11yTargetsAndFocusRing: every control of both layers is at least 24×24 CSS px
// (WCAG 2.5.8), and shows, when reached with the keyboard, a focus ring of at least 2 px
// whose colour has at least 3:1 contrast with the layer's background (2.4.7, 1.4.11); in
// both themes.
func TestE2EA11yTargetsAndFocusRing(t *testing.T) {
	t.Parallel() // its subtests each open their own browser context
	for _, theme := range []string{"light", "dark"} {
		t.Run(theme, func(t *testing.T) {
			p := newPage(t)
			p.mustOpen(a11yPage("theme", theme, "variant", "services"))
			p.expectVisible(selBanner, "banner")
			p.key(kb.Tab, false) // from the top of the page onto the banner's first control
			checkControls(p, selBanner)
			p.do(shadowJS(selCustomize) + `.focus()`)
			p.key(kb.Enter, false) // the dialog opens with focus on its first control
			p.expectVisible(selPreferences, "preferences dialog")
			checkControls(p, selPreferences)
			p.expectClean()
		})
	}
}

// checkControls checks the size and the focus ring of each control of a layer, from the
// first, which has focus, on with Tab.
func checkControls(p *page, layer string) {
	p.t.Helper()
	n := evalJS[int](p, `Array.from(`+shadowJS(layer)+`.querySelectorAll('button, input, summary, a[href]')).filter((e) => e.getClientRects().length).length`)
	for i := 0; i < n; i++ {
		c := evalJS[struct {
			What         string
			Inline       bool
			W, H         float64
			Style        string
			Width        float64
			Color, Layer string
		}](p, `(() => {
  let a = document.activeElement;
  while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;
  const r = a.getBoundingClientRect(), cs = getComputedStyle(a);
  const layer = a.closest('.banner, .dialog');
  return {what: (a.getAttribute('part') || a.tagName) + ' "' + (a.getAttribute('aria-label') || a.textContent).trim().slice(0, 30) + '"',
    inline: a.tagName === 'A' && a.closest('p') !== null,
    w: r.width, h: r.height, style: cs.outlineStyle, width: parseFloat(cs.outlineWidth),
    color: cs.outlineColor, layer: layer ? getComputedStyle(layer).backgroundColor : 'not in the layer'};
})()`)
		// Links inside a sentence are exempt from the size (WCAG 2.5.8, "inline").
		if !c.Inline && (c.W < 24 || c.H < 24) {
			p.t.Errorf("%s is %.0f×%.0f px, under 24×24", c.What, c.W, c.H)
		}
		if c.Style == "none" || c.Width < 2 {
			p.t.Errorf("%s shows no focus ring (outline %s %.1fpx)", c.What, c.Style, c.Width)
		} else if ratio := contrast(c.Color, c.Layer); !(ratio >= 3) {
			p.t.Errorf("%s: focus ring %s on %s is %.2f:1, under 3:1", c.What, c.Color, c.Layer, ratio)
		}
		p.key(kb.Tab, false)
	}
}

// TestE2EA11yNonTextContrast measures, from the computed styles, the contrast of what
// identifies the controls against the layer's background (WCAG 1.4.11, ≥ 3:1): the main
// buttons' fill, the close button's and the switch's border, the switch's thumb on and
// off; in both themes.
func TestE2EA11yNonTextContrast(t *testing.T) {
	t.Parallel() // its subtests each open their own browser context
	for _, theme := range []string{"light", "dark"} {
		t.Run(theme, func(t *testing.T) {
			p := newPage(t)
			p.emulateMedia("prefers-reduced-motion", "reduce") // no transition: read the end state
			p.mustOpen(a11yPage("theme", theme))
			p.do(`Consentry.showPreferences()`)
			p.expectVisible(selPreferences, "preferences dialog")
			c := evalJS[map[string]string](p, `((root) => {
  const cs = (sel, pseudo) => getComputedStyle(root.querySelector(sel), pseudo || null);
  const sw = root.querySelector('[part~="preferences"] input[part~="switch"]');
  const off = {border: getComputedStyle(sw).borderTopColor, thumb: getComputedStyle(sw, '::before').backgroundColor};
  sw.checked = true;
  const on = {track: getComputedStyle(sw).backgroundColor, thumb: getComputedStyle(sw, '::before').backgroundColor};
  sw.checked = false;
  return {
    bg: cs('.dialog').backgroundColor, bannerBg: cs('.banner').backgroundColor,
    button: cs('[part~="preferences"] [part~="accept-all"]').backgroundColor,
    buttonText: cs('[part~="preferences"] [part~="accept-all"]').color,
    bannerButton: cs('[part~="banner"] [part~="reject-all"]').backgroundColor,
    close: cs('[part~="close"]').borderTopColor,
    switchBorder: off.border, thumbOff: off.thumb, trackOn: on.track, thumbOn: on.thumb,
  };
})(document.getElementById('`+widget.RootID+`').shadowRoot)`)
			for _, pair := range []struct{ what, fg, bg string }{
				{"main button fill on the dialog", c["button"], c["bg"]},
				{"main button fill on the banner", c["bannerButton"], c["bannerBg"]},
				{"main button text on its fill", c["buttonText"], c["button"]},
				{"close button border", c["close"], c["bg"]},
				{"switch border (off)", c["switchBorder"], c["bg"]},
				{"switch thumb (off)", c["thumbOff"], c["bg"]},
				{"switch track (on)", c["trackOn"], c["bg"]},
				{"switch thumb (on) on its track", c["thumbOn"], c["trackOn"]},
			} {
				ratio := contrast(pair.fg, pair.bg)
				t.Logf("%s: %s on %s = %.2f:1", pair.what, pair.fg, pair.bg, ratio)
				if ratio < 3 {
					t.Errorf("%s: %s on %s = %.2f:1, under 3:1", pair.what, pair.fg, pair.bg, ratio)
				}
			}
			if theme == "dark" && luminance(c["bg"]) > 0.2 {
				t.Errorf("theme dark: the dialog's background is %s", c["bg"])
			}
			if theme == "light" && luminance(c["bg"]) < 0.8 {
				t.Errorf("theme light: the dialog's background is %s", c["bg"])
			}
			p.expectClean()
		})
	}
}

// rgbPattern reads the rgb() and rgba() colours that getComputedStyle returns.
var rgbPattern = regexp.MustCompile(`rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)`)

// luminance is the relative luminance of a CSS rgb() colour (WCAG 2.2, definitions).
func luminance(css string) float64 {
	m := rgbPattern.FindStringSubmatch(css)
	if m == nil {
		return math.NaN()
	}
	var l [3]float64
	for i := range l {
		c, _ := strconv.ParseFloat(m[i+1], 64)
		c /= 255
		if c <= 0.04045 {
			l[i] = c / 12.92
		} else {
			l[i] = math.Pow((c+0.055)/1.055, 2.4)
		}
	}
	return 0.2126*l[0] + 0.7152*l[1] + 0.0722*l[2]
}

// contrast is the WCAG contrast ratio of two CSS rgb() colours (NaN when one is not).
func contrast(a, b string) float64 {
	la, lb := luminance(a), luminance(b)
	return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
}

// expectTheme fails t unless the root carries data-theme want and the banner's background
// is dark exactly when dark is set: theme "auto" follows prefers-color-scheme, "light" and
// "dark" do not. TestE2EA11yAxe (auto, light and dark schemes) and TestE2EA11yAxeMore
// ("dark" under a light scheme, "light" under a dark one) check it on their pages.
func expectTheme(p *page, want string, dark bool) {
	p.t.Helper()
	bg := evalJS[string](p, `getComputedStyle(`+shadowJS(selBanner)+`).backgroundColor`)
	if luminance(bg) < 0.2 != dark {
		p.t.Errorf("banner background %s, want dark=%v", bg, dark)
	}
	if got := evalJS[string](p, `document.getElementById('`+widget.RootID+`').dataset.theme`); got != want {
		p.t.Errorf("root data-theme = %q, want %q", got, want)
	}
}

// TestE2EA11yLayouts: "bar" spans the bottom of the window; "box" is a box in the corner
// where the text starts (bottom left, bottom right in a right-to-left language), with the
// three choices still the same size. The axe pages check "bar" (TestE2EA11yAxe at 1280 px)
// and "box" (TestE2EA11yAxeMore/box) with expectLayout; this test has the right-to-left box.
func TestE2EA11yLayouts(t *testing.T) {
	p := newPage(t)
	p.mustOpen(a11yPage("layout", "box", "lang", "ar", "variant", "ar"))
	p.expectVisible(selBanner, "banner")
	expectLayout(p, "box-rtl")
	p.expectClean()
}

// layoutChecks say where the banner of each layout must be, from its box and the window's
// size, or what is wrong.
var layoutChecks = map[string]func(r rect, vw, vh float64) string{
	"bar": func(r rect, vw, vh float64) string {
		if r.Left > 0.5 || r.Right < vw-0.5 || math.Abs(r.Bottom-vh) > 0.5 {
			return "the bar does not span the bottom of the window"
		}
		return ""
	},
	"box": func(r rect, vw, vh float64) string {
		if r.Left < 8 || r.Left > 24 || r.Width > 480 || vh-r.Bottom < 8 {
			return "the box is not in the bottom left corner"
		}
		return ""
	},
	"box-rtl": func(r rect, vw, vh float64) string {
		if vw-r.Right < 8 || vw-r.Right > 24 || r.Width > 480 {
			return "the box is not in the bottom right corner"
		}
		return ""
	},
}

// expectLayout fails t unless the visible banner sits where the layout (a key of
// layoutChecks) puts it, with its three choices of the same size.
func expectLayout(p *page, layout string) {
	p.t.Helper()
	p.waitAnimations()
	r := evalJS[rect](p, `(() => { const r = `+shadowJS(selBanner)+`.getBoundingClientRect(); return {left: r.left, right: r.right, bottom: r.bottom, width: r.width}; })()`)
	vw := evalJS[float64](p, `document.documentElement.clientWidth`)
	vh := evalJS[float64](p, `document.documentElement.clientHeight`)
	if msg := layoutChecks[layout](r, vw, vh); msg != "" {
		p.t.Errorf("%s: banner at %+v in %.0f×%.0f", msg, r, vw, vh)
	}
	expectSameSize(p, selBanner)
}

type rect struct{ Left, Right, Bottom, Width float64 }

// expectSameSize fails t unless reject, accept and customise in the layer have the same
// size, font and colours (CNIL recommendation 2020-092, art. 2; EDPB taskforce, type D).
func expectSameSize(p *page, layer string) {
	p.t.Helper()
	looks := evalJS[[]string](p, `Array.from(`+shadowJS(layer)+`.querySelectorAll('[part~="reject-all"], [part~="accept-all"], [part~="customize"]')).map((b) => {
  const r = b.getBoundingClientRect(), cs = getComputedStyle(b);
  return [Math.round(r.width), Math.round(r.height), cs.fontSize, cs.fontWeight, cs.color, cs.backgroundColor, cs.borderTopColor].join(' ');
})`)
	if len(looks) != 3 || looks[0] != looks[1] || looks[1] != looks[2] {
		p.t.Errorf("the banner's three choices differ: %q", looks)
	}
}

// TestE2EA11yReducedMotion: under prefers-reduced-motion: reduce nothing moves; without
// it the switch slides (WCAG 2.3.3, technique C39).
func TestE2EA11yReducedMotion(t *testing.T) {
	t.Parallel() // its subtests each open their own browser context
	for _, c := range []struct {
		motion string
		want   string
	}{{"reduce", "0s"}, {"no-preference", "0.15s"}} {
		t.Run(c.motion, func(t *testing.T) {
			p := newPage(t)
			p.emulateMedia("prefers-reduced-motion", c.motion)
			p.mustOpen(a11yPage())
			p.do(`Consentry.showPreferences()`)
			p.expectVisible(selPreferences, "preferences dialog")
			got := evalJS[string](p, `getComputedStyle(`+shadowJS(switchSel("statistics"))+`, '::before').transitionDuration`)
			if got != c.want {
				t.Errorf("switch transition-duration = %q, want %q", got, c.want)
			}
			if c.motion == "reduce" {
				anims := evalJS[int](p, `document.getElementById('`+widget.RootID+`').shadowRoot.getAnimations().length`)
				if anims != 0 {
					t.Errorf("%d animations running under prefers-reduced-motion: reduce", anims)
				}
			}
			p.expectClean()
		})
	}
}

// TestE2EA11yLanguages: the language comes from data-lang, then <html lang>, then
// navigator.languages, then the policy's defaultLanguage (CONTRACT.md §2); the root
// carries it (WCAG 3.1.2); setLanguage re-renders both layers and the page's cookie
// declaration. The page gives the requested languages (each source is read in the
// browser, one subtest each); the negotiation against the policy's languages, the
// fallback to defaultLanguage included, is table-tested natively in
// widget/language_test.go TestNegotiateLanguage.
func TestE2EA11yLanguages(t *testing.T) {
	t.Parallel() // its subtests each open their own browser context
	for _, c := range []struct {
		name      string
		params    []string
		languages []string // navigator.languages
		want      string
		accept    string
	}{
		{"data-lang wins", []string{"lang", "en", "datalang", "fr"}, []string{"en"}, "fr", "Tout accepter"},
		{"html lang", []string{"lang", "fr-FR"}, []string{"en"}, "fr", "Tout accepter"},
		{"navigator.languages", nil, []string{"de-DE", "fr-CA", "en"}, "fr", "Tout accepter"},
	} {
		t.Run(c.name, func(t *testing.T) {
			langs, _ := json.Marshal(c.languages)
			p := newPage(t, `Object.defineProperty(Navigator.prototype, 'languages', {get: () => `+string(langs)+`, configurable: true});`)
			p.mustOpen(a11yPage(c.params...))
			p.expectVisible(selBanner, "banner")
			if got := evalJS[string](p, `document.getElementById('`+widget.RootID+`').lang`); got != c.want {
				t.Errorf("root lang = %q, want %q", got, c.want)
			}
			if got := p.shadowText(selAcceptAll); got != c.accept {
				t.Errorf("accept-all says %q, want %q", got, c.accept)
			}
			p.expectClean()
		})
	}
	t.Run("setLanguage", func(t *testing.T) {
		p := newPage(t)
		p.mustOpen(a11yPage("lang", "en", "table", "1"))
		p.do(`Consentry.showPreferences()`)
		p.expectVisible(selPreferences, "preferences dialog")
		p.do(`Consentry.setLanguage('fr')`)
		p.waitFor(shadowJS(selPrefsAccept)+`.textContent === 'Tout accepter'`, "the dialog in French")
		p.expectVisible(selPreferences, "preferences dialog, still open after setLanguage")
		if got := evalJS[string](p, `document.getElementById('`+widget.RootID+`').lang`); got != "fr" {
			t.Errorf("root lang = %q after setLanguage('fr')", got)
		}
		if got := p.shadowText(`#consentry-category-statistics`); got != "Statistiques" {
			t.Errorf("category title %q after setLanguage('fr')", got)
		}
		if f := p.focused(); f.Where != "dialog" {
			t.Errorf("after setLanguage focus is on %s, want inside the dialog", f)
		}
		if got := evalJS[string](p, `document.querySelector('[data-consentry="cookie-table"] th').textContent`); got != "Nom du fournisseur du service" {
			t.Errorf("the page's declaration says %q after setLanguage('fr')", got)
		}
		p.expectClean()
	})
}

// TestE2EA11yRightToLeft: a policy with an Arabic translation, on an Arabic page, renders
// right to left, mirrored: the root has lang="ar" dir="rtl", reject is to the right of
// accept, "continue without accepting" sits at the left end; UI texts the policy does not
// translate fall back to the default language, marked lang="en" dir="ltr".
func TestE2EA11yRightToLeft(t *testing.T) {
	p := newPage(t)
	p.mustOpen(a11yPage("lang", "ar", "variant", "ar"))
	p.expectVisible(selBanner, "banner")
	root := evalJS[map[string]string](p, `(() => { const r = document.getElementById('`+widget.RootID+`'); return {lang: r.lang, dir: r.dir}; })()`)
	if root["lang"] != "ar" || root["dir"] != "rtl" {
		t.Errorf("root lang=%q dir=%q, want ar and rtl", root["lang"], root["dir"])
	}
	if got := p.shadowText(selAcceptAll); got != "قبول الكل" {
		t.Errorf("accept-all says %q", got)
	}
	x := func(sel string) float64 {
		return evalJS[float64](p, shadowJS(sel)+`.getBoundingClientRect().left`)
	}
	if x(selRejectAll) <= x(selAcceptAll) {
		t.Error("reject-all is not to the right of accept-all: the banner is not mirrored")
	}
	if x(selContinue) > 200 {
		t.Error("continue without accepting is not at the left end: the banner is not mirrored")
	}
	p.do(`Consentry.showPreferences()`)
	p.expectVisible(selPreferences, "preferences dialog")
	save := evalJS[map[string]string](p, `((b) => { const s = b.querySelector('span'); return s ? {text: s.textContent, lang: s.lang, dir: s.dir} : {}; })(`+shadowJS(selSave)+`)`)
	if save["text"] != "Save my choices" || save["lang"] != "en" || save["dir"] != "ltr" {
		t.Errorf("untranslated Save = %v, want English marked lang=en dir=ltr", save)
	}
	if got := p.shadowText(`#consentry-category-statistics`); got != "الإحصاءات" {
		t.Errorf("category title %q", got)
	}
	p.expectClean()
}

// TestE2EA11yCookieDeclaration: a data-consentry="cookie-table" element of the page gets
// the full declaration, every category and every cookie of the policy, in the page's
// language, as tables with column headers (th scope=col) named by their category's
// heading: the demo's cookie-policy page in English, a French page in French.
func TestE2EA11yCookieDeclaration(t *testing.T) {
	t.Parallel() // its subtests each open their own browser context
	for _, c := range []struct {
		name, path string
		lang       string
		headers    []string
	}{
		{"demo", "/cookies-policy.html", "en", []string{"Service provider's name", "Function and location", "Cookie name(s)", "Purposes", "Duration"}},
		{"fr", a11yPage("lang", "fr", "table", "1"), "fr", []string{"Nom du fournisseur du service", "Fonction et localisation", "Nom(s) du cookie", "Finalités", "Durée de conservation"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := newPage(t)
			p.mustOpen(c.path)
			type table struct {
				Name    string     `json:"name"`
				Headers []string   `json:"headers"`
				Scopes  []string   `json:"scopes"`
				Rows    [][]string `json:"rows"`
			}
			decl := evalJS[struct {
				Lang   string  `json:"lang"`
				Tables []table `json:"tables"`
			}](p, `((host) => ({lang: host.lang, tables: Array.from(host.querySelectorAll('table')).map((t) => ({
  name: (t.getAttribute('aria-labelledby') || '').split(' ').map((id) => document.getElementById(id).textContent).join(' '),
  headers: Array.from(t.querySelectorAll('th')).map((th) => th.textContent),
  scopes: Array.from(t.querySelectorAll('th')).map((th) => th.getAttribute('scope')),
  rows: Array.from(t.tBodies[0].rows).map((r) => Array.from(r.cells).map((td) => td.textContent)),
}))}))(document.querySelector('[data-consentry="cookie-table"]'))`)
			if decl.Lang != c.lang {
				t.Errorf("declaration lang = %q, want %q", decl.Lang, c.lang)
			}
			if len(decl.Tables) != 2 {
				t.Fatalf("%d tables, want one per category with cookies (2)", len(decl.Tables))
			}
			var names []string
			for _, tb := range decl.Tables {
				if tb.Name == "" {
					t.Error("a table has no name")
				}
				if !slices.Equal(tb.Headers, c.headers) {
					t.Errorf("headers %q, want %q", tb.Headers, c.headers)
				}
				for _, s := range tb.Scopes {
					if s != "col" {
						t.Errorf("a column header has scope=%q", s)
					}
				}
				for _, r := range tb.Rows {
					if len(r) != 5 || r[0] != "Opendatasoft" || r[1] == "" || r[3] == "" || r[4] == "" {
						t.Errorf("row %q", r)
					}
					names = append(names, r[2])
				}
			}
			want := []string{"sessionid", "django_language", "csrftoken", "cookies_preferences", "_pk_id.*_pk_ses.*"}
			if !slices.Equal(names, want) {
				t.Errorf("cookie names %q, want %q", names, want)
			}
			// The declaration is part of the page, so the page's tools can check it too.
			if evalJS[bool](p, `!!document.querySelector('[data-consentry="cookie-table"] h3')`) != true {
				t.Error("no category heading in the declaration")
			}
			p.expectClean()
		})
	}
}

// TestE2EA11yFirstLayerContent: the first layer has a title that names it, a description
// that names the purpose and says that closing means refusing, the policy link, and the
// three choices with identical size and styling, in English and French.
func TestE2EA11yFirstLayerContent(t *testing.T) {
	t.Parallel() // its subtests each open their own browser context
	for _, c := range []struct{ lang, purpose, refusal, policy string }{
		{"en", "audience", "means you refuse", "Cookie policy"},
		{"fr", "audience", "vaut refus", "Politique relative aux cookies"},
	} {
		t.Run(c.lang, func(t *testing.T) {
			p := newPage(t)
			p.mustOpen(a11yPage("lang", c.lang))
			p.expectVisible(selBanner, "banner")
			named := evalJS[string](p, `((b) => b.getRootNode().getElementById(b.getAttribute('aria-labelledby')).textContent)(`+shadowJS(selBanner)+`)`)
			if named == "" {
				t.Error("the banner is not named by its title")
			}
			desc := p.shadowText(`#consentry-banner-description`)
			for _, s := range []string{c.purpose, c.refusal, c.policy} {
				if !strings.Contains(desc, s) {
					t.Errorf("the banner's description lacks %q: %q", s, desc)
				}
			}
			if href, _ := p.shadowAttr(`#consentry-banner-description a`, "href"); href == "" {
				t.Error("no policy link")
			}
			expectSameSize(p, selBanner)
			p.expectClean()
		})
	}
}
