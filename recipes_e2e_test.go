package consentry_test

// End-to-end tests of the README's recipes that consentmode_e2e_test.go and
// matomo_e2e_test.go do not already load: Plausible as an exempt service, and a YouTube
// video in an iframe with data-src and a placeholder (testdata/pages/recipes).

import "testing"

// TestE2ERecipePlausible: a cookieless audience measurement declared with
// "consentRequired": false runs on a first visit, with the banner still up (§3, §5).
func TestE2ERecipePlausible(t *testing.T) {
	p := newPage(t, recorderJS)
	p.mustOpen("/test/recipes/plausible.html")
	p.expectVisible(selBanner, "banner")
	p.waitFor(`(window.__log || []).some((e) => e.name === 'plausible')`, "the exempt Plausible script")
	if evalJS[bool](p, `Consentry.validConsent()`) {
		t.Error("a choice exists, yet nobody chose")
	}
	p.expectClean()
}

// TestE2ERecipeVideo: the video iframe has no src and its placeholder shows until
// "videos" is accepted, from the placeholder's own button; then the iframe loads and the
// placeholder goes (§5 data-src).
func TestE2ERecipeVideo(t *testing.T) {
	p := newPage(t)
	google := interceptGoogle(p) // YouTube is intercepted too: nothing leaves the machine
	p.mustOpen("/test/recipes/video.html")
	p.idle()
	if evalJS[bool](p, `document.querySelector('iframe').hasAttribute('src')`) {
		t.Fatal("the iframe has a src before consent")
	}
	if r := google.requests(); len(r) > 0 {
		t.Fatalf("requests to YouTube before consent: %v", r)
	}
	placeholderShown := `getComputedStyle(document.querySelector('.placeholder')).display !== 'none'`
	if !evalJS[bool](p, placeholderShown) {
		t.Fatal("the placeholder is hidden before consent")
	}
	p.clickPage(`.placeholder button`)
	p.expectVisible(selPreferences, "preferences from the placeholder's button")
	p.click(switchSel("videos"))
	p.click(selSave)
	p.waitFor(`document.querySelector('iframe').src === 'https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ'`, "the iframe's src")
	if evalJS[bool](p, placeholderShown) {
		t.Error("the placeholder still shows after consent")
	}
	p.expectClean()
}
