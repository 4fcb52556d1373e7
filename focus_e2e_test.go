package consentry_test

import (
	"testing"
)

// TestE2EFocusAfterBannerChoice: after a choice made in the banner, which then closes,
// focus is not dropped to nowhere (WCAG 2.2 SC 2.4.3): it goes back to the page element
// that had it before the banner took it, else to the top of main, else to the top of the
// document, and the page does not scroll.
func TestE2EFocusAfterBannerChoice(t *testing.T) {
	requireE2E(t)
	t.Parallel()
	// A page taller than the window, scrolled down, so that a scroll would show.
	const scrolled = `(document.body.style.minHeight = '400vh', window.scrollTo(0, 600))`
	const noScroll = `window.scrollY === 600`

	t.Run("back to the element that had focus", func(t *testing.T) {
		p := newPage(t)
		p.mustOpen(a11yPage())
		p.expectVisible(selBanner, "banner")
		p.do(scrolled + `, document.getElementById('first-link').focus({preventScroll: true})`)
		p.waitFor(noScroll, "the page to scroll to 600")
		p.click(selAcceptAll)
		p.expectHidden(selBanner, "banner after Accept all")
		p.waitFor(`document.activeElement === document.getElementById('first-link')`, "focus back on the page's first link")
		if !evalJS[bool](p, noScroll) {
			t.Errorf("the page scrolled to %v", evalJS[float64](p, `window.scrollY`))
		}
		p.expectClean()
	})

	t.Run("back to the element that had focus, through the preferences dialog", func(t *testing.T) {
		p := newPage(t)
		p.mustOpen(a11yPage())
		p.expectVisible(selBanner, "banner")
		p.do(`document.getElementById('first-link').focus()`)
		p.click(selCustomize)
		p.expectVisible(selPreferences, "preferences dialog")
		p.click(selSave)
		p.expectHidden(selPreferences, "preferences dialog after Save")
		p.expectHidden(selBanner, "banner after Save")
		p.waitFor(`document.activeElement === document.getElementById('first-link')`, "focus back on the page's first link")
		p.expectClean()
	})

	t.Run("nothing had focus: the top of main, without scrolling", func(t *testing.T) {
		p := newPage(t)
		p.mustOpen(a11yPage())
		p.expectVisible(selBanner, "banner")
		p.do(scrolled)
		p.waitFor(noScroll, "the page to scroll to 600")
		p.click(selRejectAll)
		p.expectHidden(selBanner, "banner after Reject all")
		p.waitFor(`document.activeElement === document.querySelector('main')`, "focus on main")
		if !evalJS[bool](p, noScroll) {
			t.Errorf("the page scrolled to %v", evalJS[float64](p, `window.scrollY`))
		}
		// main was made focusable for this once only.
		p.do(`document.activeElement.blur()`)
		p.waitFor(`!document.querySelector('main').hasAttribute('tabindex')`, "main's temporary tabindex to go")
		p.expectClean()
	})

	t.Run("no main: the top of the document, without scrolling", func(t *testing.T) {
		p := newLifecyclePage(t)
		p.mustOpen(lifecyclePath())
		p.expectVisible(selBanner, "banner")
		p.do(scrolled)
		p.waitFor(noScroll, "the page to scroll to 600")
		p.click(selAcceptAll)
		p.expectHidden(selBanner, "banner after Accept all")
		p.waitFor(`document.activeElement === document.body && document.body.getAttribute('tabindex') === '-1'`, "focus on the body")
		if !evalJS[bool](p, noScroll) {
			t.Errorf("the page scrolled to %v", evalJS[float64](p, `window.scrollY`))
		}
		p.expectClean()
	})

	t.Run("a choice through the API leaves focus alone", func(t *testing.T) {
		p := newPage(t)
		p.mustOpen(a11yPage())
		p.expectVisible(selBanner, "banner")
		p.do(`document.getElementById('first-link').focus(), Consentry.acceptAll()`)
		p.expectHidden(selBanner, "banner after Consentry.acceptAll()")
		if !evalJS[bool](p, `document.activeElement === document.getElementById('first-link')`) {
			t.Error("focus moved away from the page's first link")
		}
		p.expectClean()
	})
}
