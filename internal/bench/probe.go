package bench

import (
	"encoding/json"
	"fmt"
)

// Probe is how the benchmark finds a contender's banner and its accept-all button.
type Probe struct {
	Banner string // JavaScript expression: the banner's root element, or null
	Accept string // JavaScript expression: the banner's accept-all button, or null
}

// consentryShadow is the element matching sel in Consentry's open shadow root
// (CONTRACT.md §8: #consentry-root, part names).
func consentryShadow(sel string) string {
	s, _ := json.Marshal(sel)
	return fmt.Sprintf(`((r) => r && r.shadowRoot ? r.shadowRoot.querySelector(%s) : null)(document.getElementById("consentry-root"))`, s)
}

// Probes maps each contender to its probe.
var Probes = map[string]Probe{
	Static: {
		Banner: `document.getElementById("bench-static-banner")`,
		Accept: `null`,
	},
	Floor: {
		Banner: `document.getElementById("bench-floor-banner")`,
		Accept: `document.querySelector('#bench-floor-banner button[data-answer="accepted"]')`,
	},
	Consentry: {
		Banner: consentryShadow(`[part~="banner"]`),
		Accept: consentryShadow(`[part~="banner"] [part~="accept-all"]`),
	},
	ConsentryOneTag: {
		Banner: consentryShadow(`[part~="banner"]`),
		Accept: consentryShadow(`[part~="banner"] [part~="accept-all"]`),
	},
	Vanilla: {
		Banner: `document.querySelector("#cc-main .cm")`,
		Accept: `document.querySelector('#cc-main .cm [data-role="all"]')`,
	},
	Klaro: {
		Banner: `document.querySelector("#klaro .cookie-notice:not(.cookie-notice-hidden)")`,
		Accept: `document.querySelector("#klaro .cookie-notice .cm-btn-success")`,
	},
}

// InitScript is evaluated in every document before the page's own scripts
// (Page.addScriptToEvaluateOnNewDocument). It keeps window.__bench up to date:
//
//   - bannerAt: performance.now() (ms since navigation start) in the first animation frame
//     in which the banner is connected, has a non-empty box, and passes
//     checkVisibility({opacityProperty, visibilityProperty}) (so neither it nor an
//     ancestor is display:none, visibility:hidden, opacity:0 or [hidden]);
//   - longTasks: [startTime, duration] of every longtask entry (buffered observer);
//   - cls: the sum of the layout-shift values without recent input (buffered observer);
//   - seen and gated: promises resolved with bannerAt, and with the value the gated script
//     assigns to window.__benchGatedAt (its performance.now()), so that the benchmark waits
//     for them without polling the page.
//
// With keepWatching false the frame loop stops at the banner, so it costs nothing
// afterwards; with true it runs until window.__bench.stop is set (the returning visitor,
// where a banner must never appear).
func InitScript(p Probe, keepWatching bool) string {
	return initScript(p, keepWatching, false)
}

// FirstClickScript is InitScript for the "first click" scenario: in the frame in which the
// banner is first seen, the probe clicks its accept-all button (clickAt), and records when
// the choice is first stored (storedAt: the first write of a cookie, or of localStorage,
// after the click that is not a deletion) and when Consentry's module is ready (readyAt:
// consentry:ready). stored is a promise resolved with storedAt.
func FirstClickScript(p Probe) string {
	return initScript(p, false, true)
}

func initScript(p Probe, keepWatching, click bool) string {
	keep := "false"
	if keepWatching {
		keep = "true"
	}
	clickJS := "false"
	if click {
		clickJS = "true"
	}
	return `(() => {
  if (window.top !== window) return;
  const B = window.__bench = { bannerAt: null, longTasks: [], cls: 0, stop: false, errors: [], clickAt: null, storedAt: null, readyAt: null };
  B.seen = new Promise((resolve) => { B.onSeen = resolve; });
  B.stored = new Promise((resolve) => { B.onStored = resolve; });
  const click = ` + clickJS + `;
  B.ready = new Promise((resolve) => { B.onReady = resolve; });
  window.addEventListener("consentry:ready", () => { if (B.readyAt === null) { B.readyAt = performance.now(); B.onReady(B.readyAt); } });
  if (click) {
    const stored = (v) => {
      if (B.clickAt !== null && B.storedAt === null && !/max-age=0|expires=thu, 01 jan 1970/i.test(String(v))) {
        B.storedAt = performance.now();
        B.onStored(B.storedAt);
      }
    };
    const cookie = Object.getOwnPropertyDescriptor(Document.prototype, "cookie");
    Object.defineProperty(Document.prototype, "cookie", { configurable: true, enumerable: cookie.enumerable, get: cookie.get,
      set(v) { cookie.set.call(this, v); stored(v); } });
    const setItem = Storage.prototype.setItem;
    Storage.prototype.setItem = function (k, v) { const r = setItem.call(this, k, v); if (this === window.localStorage) stored(""); return r; };
  }
  B.gated = new Promise((resolve) => { B.onGated = resolve; });
  let gatedAt;
  Object.defineProperty(window, "__benchGatedAt", {
    configurable: true,
    get() { return gatedAt; },
    set(v) { if (gatedAt === undefined) { gatedAt = v; B.onGated(v); } },
  });
  const keep = ` + keep + `;
  const find = () => (` + p.Banner + `);
  const visible = (el) => {
    if (!el || !el.isConnected) return false;
    const r = el.getBoundingClientRect();
    if (!(r.width > 0 && r.height > 0)) return false;
    return el.checkVisibility({ opacityProperty: true, visibilityProperty: true });
  };
  const tick = () => {
    if (B.bannerAt === null) {
      try {
        if (visible(find())) {
          B.bannerAt = performance.now();
          B.onSeen(B.bannerAt);
          if (click) {
            const a = (` + p.Accept + `);
            if (a) { B.clickAt = performance.now(); a.click(); } else B.errors.push("no accept-all button");
          }
        }
      } catch (e) {
        if (B.errors.length < 5) B.errors.push(String(e));
      }
    }
    if (!B.stop && (keep || B.bannerAt === null)) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) B.longTasks.push([e.startTime, e.duration]);
    }).observe({ type: "longtask", buffered: true });
  } catch (e) { B.errors.push("longtask: " + e); }
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (!e.hadRecentInput) B.cls += e.value;
    }).observe({ type: "layout-shift", buffered: true });
  } catch (e) { B.errors.push("layout-shift: " + e); }
})();`
}
