// The cross-engine journeys: each is written once, against the Session interface of
// drivers.mjs, and runs in Chromium, Firefox and WebKit (one *.test.mjs file per engine,
// so that node --test can run engines side by side). They check what a visitor and a
// regulator see: the banner, the consent cookie read as data from the browser's cookie
// store, what ran and in which order, focus and keys, CSP violations.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { engines, missing } from "./drivers.mjs";

// Where a real click lands, shared with the Go end-to-end tests (e2e_helpers_test.go).
const clickTargetJS = readFileSync(new URL("../testdata/click-target.js", import.meta.url), "utf8");

const ROOT_ID = "consentry-root";
const COOKIE = "cookies_preferences";
const part = (name) => `[part~="${name}"]`;
const sel = {
  banner: part("banner"),
  prefs: part("preferences"),
  acceptAll: `${part("banner")} ${part("accept-all")}`,
  rejectAll: `${part("banner")} ${part("reject-all")}`,
  customize: `${part("banner")} ${part("customize")}`,
  save: `${part("preferences")} ${part("save")}`,
  close: `${part("preferences")} ${part("close")}`,
  statsSwitch: `${part("preferences")} input[type="checkbox"][role="switch"][data-category="statistics"]`,
};
// The longest wait for a condition (polled every 25 ms, so a pass costs only the time it
// takes): generous, because the test machine may be shared and loaded many times over.
const WAIT_MS = 15000;

// The scope of the shipped policy (CONTRACT.md §4): its optional category and service.
const SHIPPED_SCOPE = createHash("sha256").update("statistics,statistics/analytics").digest("hex").slice(0, 8);
const DAY = 24 * 3600;

// shadow is a JavaScript expression for the first element matching s in the widget's
// open shadow root, or null.
const shadow = (s) => `((r) => r && r.shadowRoot ? r.shadowRoot.querySelector(${JSON.stringify(s)}) : null)(document.getElementById(${JSON.stringify(ROOT_ID)}))`;

// Page wraps a Session with the operations the journeys share.
class Page {
  constructor(session, base) {
    this.s = session;
    this.base = base;
  }
  // open navigates to path and waits for Consentry.ready to settle: "resolved" or
  // "rejected: <message>".
  async open(p) {
    await this.s.goto(this.base + p);
    return this.ready();
  }
  async reload() {
    await this.s.reload();
    return this.ready();
  }
  async ready() {
    const state = await this.s.eval(`new Promise((resolve) => {
  const deadline = Date.now() + 30000;
  const tick = () => {
    const c = window.Consentry;
    if (c && c.ready && typeof c.ready.then === 'function') {
      c.ready.then(() => resolve('resolved'), (e) => resolve('rejected: ' + (e && e.message !== undefined ? e.message : String(e))));
      return;
    }
    if (Date.now() > deadline) { resolve(c ? 'window.Consentry has no ready promise' : 'no window.Consentry'); return; }
    setTimeout(tick, 10);
  };
  tick();
})`);
    assert.ok(state === "resolved" || state.startsWith("rejected: "), `waiting for Consentry.ready: ${state}`);
    return state;
  }
  async mustOpen(p) {
    assert.equal(await this.open(p), "resolved", `open ${p}`);
  }
  eval(expr) {
    return this.s.eval(expr);
  }
  // waitFor polls a condition every 25 ms until it holds, for at most 5 s.
  async waitFor(cond, what) {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      if (await this.s.eval(`!!(${cond})`)) return;
      if (Date.now() > deadline) assert.fail(`timed out after ${WAIT_MS} ms waiting for ${what} (${cond.slice(0, 160)})`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  // state describes a shadow element: missing, hidden attribute, zero-size box,
  // visibility hidden or visible.
  state(s) {
    return this.s.eval(`((el) => {
  if (!el) return 'missing';
  if (el.hidden || el.closest('[hidden]')) return 'hidden attribute';
  const r = el.getBoundingClientRect();
  if (!(r.width > 0 && r.height > 0)) return 'zero-size box';
  const cs = getComputedStyle(el);
  if (cs.visibility === 'hidden' || cs.display === 'none') return 'visibility hidden';
  return 'visible';
})(${shadow(s)})`);
  }
  async expectVisible(s, what) {
    await this.waitFor(`((el) => el && !el.hidden && !el.closest('[hidden]') && el.getBoundingClientRect().width > 0 && el.getBoundingClientRect().height > 0 && getComputedStyle(el).visibility !== 'hidden')(${shadow(s)})`, `${what} visible`);
  }
  async expectHidden(s, what) {
    await this.waitFor(`((el) => !el || el.hidden || !!el.closest('[hidden]'))(${shadow(s)})`, `${what} hidden`);
  }
  // click clicks the shadow element s (or the host-page element for page: true) with real
  // mouse input at the centre of its box, after checking that a click there hits it.
  async click(s, { page = false } = {}) {
    const el = page ? `document.querySelector(${JSON.stringify(s)})` : shadow(s);
    const tg = await this.s.eval(`(${clickTargetJS})(${el})`);
    assert.ok(tg.ok, `click ${s}: ${tg.why}`);
    await this.s.click(tg.x, tg.y);
  }
  press(key, opts) {
    return this.s.press(key, opts);
  }
  order() {
    return this.s.eval(`window.__order || []`);
  }
  events(type) {
    return this.s.eval(`(window.__consentryEvents || []).filter((e) => e.type === ${JSON.stringify(type)})`);
  }
  async cookie(name) {
    return (await this.s.cookies()).find((c) => c.name === name);
  }
  // consent waits for the consent cookie and returns it with its decoded record.
  async consent() {
    let c;
    const deadline = Date.now() + WAIT_MS;
    while (!(c = await this.cookie(COOKIE))) {
      if (Date.now() > deadline) assert.fail(`no ${COOKIE} cookie after ${WAIT_MS} ms`);
      await new Promise((r) => setTimeout(r, 25));
    }
    let rec;
    assert.doesNotThrow(() => (rec = JSON.parse(decodeURIComponent(c.value))), `${COOKIE} is percent-encoded JSON: ${c.value}`);
    return { cookie: c, rec };
  }
  // activeIn tells where focus is: "dialog" (inside the preferences), or a
  // description of the focused element.
  activeIn() {
    return this.s.eval(`(() => {
  const host = document.getElementById(${JSON.stringify(ROOT_ID)});
  if (document.activeElement !== host) return document.activeElement ? (document.activeElement.id || document.activeElement.tagName) : 'nothing';
  const a = host.shadowRoot.activeElement;
  if (!a) return 'root';
  return a.closest(${JSON.stringify(sel.prefs)}) ? 'dialog' : 'shadow:' + (a.getAttribute('part') || a.tagName);
})()`);
  }
}

// checkRecord asserts the §4 shape of a consent record and its cookie's attributes.
function checkRecord({ cookie, rec }, { method, categories, services }) {
  assert.equal(rec.v, 1, "v");
  assert.equal(rec.revision, 1, "revision");
  assert.equal(rec.scope, SHIPPED_SCOPE, "scope");
  assert.match(rec.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, "id is a UUID v4");
  for (const k of ["created", "updated"]) {
    assert.match(rec[k], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/, `${k} is UTC RFC 3339`);
    assert.ok(Math.abs(Date.parse(rec[k]) - Date.now()) < 120000, `${k} is now: ${rec[k]}`);
  }
  assert.equal(rec.method, method, "method");
  assert.deepEqual(rec.categories, categories, "categories");
  assert.deepEqual(rec.services || {}, services, "services");
  assert.equal(cookie.path, "/", "cookie Path");
  assert.equal(cookie.sameSite, "Lax", "cookie SameSite");
  const left = cookie.expires - Date.now() / 1000;
  assert.ok(Math.abs(left - 182 * DAY) < 3600, `cookie Max-Age is 182 days, expires in ${(left / DAY).toFixed(2)} days`);
}

const ACCEPTED = { method: "accept-all", categories: ["necessary", "statistics"], services: { statistics: ["analytics"] } };
const REJECTED = { method: "reject-all", categories: ["necessary"], services: {} };

// expectFirstVisit asserts the state of a first visit: banner, nothing gated ran.
async function expectFirstVisit(p) {
  await p.expectVisible(sel.banner, "the banner");
  assert.deepEqual(await p.order(), [], "no gated script ran");
  assert.equal(await p.eval(`document.getElementById('frame').getAttribute('src')`), null, "the gated iframe has no src");
  assert.equal(await p.cookie(COOKIE), undefined, "no consent cookie");
}

// The journeys, in the order of the table.
export const journeys = [
  {
    name: "first visit",
    async run(p) {
      await p.mustOpen("/j/page.html");
      await expectFirstVisit(p);
      const dom = await p.eval(`(() => {
  const root = document.getElementById(${JSON.stringify(ROOT_ID)});
  const banner = root && root.shadowRoot && root.shadowRoot.querySelector(${JSON.stringify(sel.banner)});
  return {
    tag: root && root.tagName, first: !!root && document.body.firstElementChild === root,
    open: !!(root && root.shadowRoot), role: banner && banner.getAttribute('role'),
    labelled: !!(banner && root.shadowRoot.getElementById(banner.getAttribute('aria-labelledby'))),
    pageOK: window.pageOK === true, img: document.getElementById('pixel').getAttribute('src'),
  };
})()`);
      assert.deepEqual(dom, { tag: "DIV", first: true, open: true, role: "region", labelled: true, pageOK: true, img: null });
      // The banner is as tall as its content, a strip along the bottom of the page: at
      // 1280 px wide the shipped texts need about a quarter of the height. (WebKit once
      // stretched it to its max-height, 80%, covering the page: web/consentry.css.)
      const box = await p.eval(`((b) => { const r = b.getBoundingClientRect(); return {top: r.top, bottom: r.bottom, height: r.height, vh: innerHeight}; })(${shadow(sel.banner)})`);
      assert.ok(box.height < 0.35 * box.vh, `the banner covers ${Math.round((100 * box.height) / box.vh)}% of the viewport's height`);
      assert.ok(Math.abs(box.bottom - box.vh) < 1, `the banner sits at the bottom (bottom ${box.bottom}, viewport ${box.vh})`);
      const shows = await p.events("consentry:show");
      assert.deepEqual(shows.map((e) => e.detail), [{ view: "banner" }], "one consentry:show for the banner");
    },
  },
  {
    name: "accept all",
    async run(p) {
      await p.mustOpen("/j/page.html");
      await expectFirstVisit(p);
      await p.click(sel.acceptAll);
      checkRecord(await p.consent(), ACCEPTED);
      await p.expectHidden(sel.banner, "the banner");
      await p.waitFor(`(window.__order || []).length === 3`, "three gated scripts");
      assert.deepEqual(await p.order(), ["a", "b", "c"], "gated scripts ran in document order");
      assert.equal((await p.events("consentry:consent")).length, 1, "one consentry:consent");
    },
  },
  {
    // CONTRACT.md §9: the banner built into consentry.js shows while the module is held back
    // by the journey server; Accept all hides it at once and is recorded once the module
    // arrives, with the same cookie, events and gating as a click after it.
    name: "first paint, early accept",
    async run(p) {
      const key = `fp-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
      await p.s.goto(`${p.base}/held/${key}/j/page.html`);
      await p.expectVisible(sel.banner, "the built-in banner, before the module");
      const settled = `new Promise((r) => { let s = "pending"; Consentry.ready.then(() => (s = "resolved"), () => (s = "rejected")); setTimeout(() => r(s), 50); })`;
      assert.equal(await p.eval(settled), "pending", "the module is held back");
      await p.click(sel.acceptAll);
      await p.expectHidden(sel.banner, "the banner, hidden at once");
      assert.equal(await p.cookie(COOKIE), undefined, "no cookie before the module");
      assert.deepEqual(await p.order(), [], "nothing gated ran before the module");
      const released = await fetch(`${p.base}/release/${key}`);
      assert.equal(released.status, 204, "the module released");
      assert.equal(await p.ready(), "resolved");
      checkRecord(await p.consent(), ACCEPTED);
      await p.waitFor(`(window.__order || []).length === 3`, "three gated scripts");
      assert.deepEqual(await p.order(), ["a", "b", "c"], "gated scripts ran in document order");
      assert.equal((await p.events("consentry:consent")).length, 1, "one consentry:consent");
      const shows = await p.events("consentry:show");
      assert.deepEqual(shows.map((e) => e.detail), [{ view: "banner" }], "one consentry:show, from the built-in banner");
      await p.expectHidden(sel.banner, "no banner after the take-over");
    },
  },
  {
    name: "reject all and reload",
    async run(p) {
      await p.mustOpen("/j/page.html");
      await p.click(sel.rejectAll);
      checkRecord(await p.consent(), REJECTED);
      await p.expectHidden(sel.banner, "the banner");
      await p.reload();
      await p.expectHidden(sel.banner, "the banner after reload");
      assert.equal(await p.eval(`Consentry.validConsent()`), true, "the refusal is a valid choice");
      assert.deepEqual(await p.order(), [], "nothing gated ran");
      assert.equal(await p.eval(`document.getElementById('frame').getAttribute('src')`), null, "the iframe stays empty");
      checkRecord(await p.consent(), REJECTED);
    },
  },
  {
    name: "customise one category",
    async run(p) {
      await p.mustOpen("/j/page.html");
      await p.click(sel.customize);
      await p.expectVisible(sel.prefs, "the preferences dialog");
      assert.equal(await p.eval(`${shadow(sel.statsSwitch)}.checked`), false, "statistics starts off");
      await p.click(sel.statsSwitch);
      assert.equal(await p.eval(`${shadow(sel.statsSwitch)}.checked`), true, "statistics switched on");
      assert.deepEqual(await p.order(), [], "nothing runs before Save");
      await p.click(sel.save);
      checkRecord(await p.consent(), { method: "custom", categories: ["necessary", "statistics"], services: { statistics: ["analytics"] } });
      await p.expectHidden(sel.prefs, "the dialog after Save");
      await p.expectHidden(sel.banner, "the banner after Save");
      await p.waitFor(`(window.__order || []).length === 3`, "three gated scripts");
      assert.deepEqual(await p.order(), ["a", "b", "c"]);
    },
  },
  {
    name: "returning visitor",
    async run(p) {
      await p.mustOpen("/j/page.html");
      await p.click(sel.acceptAll);
      const first = await p.consent();
      await p.mustOpen("/j/page.html"); // a new page view
      await p.waitFor(`(window.__order || []).length === 3`, "three gated scripts at load");
      assert.deepEqual(await p.order(), ["a", "b", "c"], "gated scripts ran in document order at load");
      assert.equal(await p.state(sel.banner) === "visible", false, "no banner");
      await p.waitFor(`document.getElementById('frame').getAttribute('src') === '/j/frame.html'`, "the iframe's src");
      const consent = await p.events("consentry:consent");
      assert.equal(consent.length, 1, "consentry:consent at load");
      assert.equal(consent[0].detail.method, "accept-all");
      const again = await p.consent();
      assert.equal(again.rec.id, first.rec.id, "the same record");
    },
  },
  {
    name: "API and footer link reopen",
    async run(p) {
      await p.mustOpen("/j/page.html");
      await p.click(sel.rejectAll);
      await p.consent();
      await p.expectHidden(sel.banner, "the banner");
      await p.eval(`Consentry.showPreferences()`);
      await p.expectVisible(sel.prefs, "the dialog opened by Consentry.showPreferences()");
      await p.click(sel.close);
      await p.expectHidden(sel.prefs, "the dialog after close");
      await p.click("#settings", { page: true });
      await p.expectVisible(sel.prefs, "the dialog opened by the footer link");
      assert.equal(await p.eval(`location.hash`), "", "the link's default action is prevented");
      await p.eval(`Consentry.hidePreferences()`);
      await p.expectHidden(sel.prefs, "the dialog after Consentry.hidePreferences()");
    },
  },
  {
    name: "keyboard in the dialog",
    async run(p) {
      await p.mustOpen("/j/page.html");
      await p.click(sel.rejectAll);
      const before = await p.consent();
      await p.eval(`document.getElementById('settings').focus()`);
      assert.equal(await p.activeIn(), "settings", "focus on the footer link");
      await p.press("Enter");
      await p.expectVisible(sel.prefs, "the dialog opened with Enter");
      await p.waitFor(`document.activeElement && document.activeElement.id === ${JSON.stringify(ROOT_ID)}`, "focus moved into the widget");
      assert.equal(await p.activeIn(), "dialog", "focus inside the dialog");
      const n = await p.eval(`${shadow(sel.prefs)}.querySelectorAll('button, input, a[href], summary, [tabindex]').length`);
      assert.ok(n >= 4, `the dialog has ${n} focusable elements`);
      const seen = new Set();
      for (let i = 0; i < n + 2; i++) {
        await p.press("Tab");
        assert.equal(await p.activeIn(), "dialog", `Tab ${i + 1}: focus stays inside the dialog`);
        seen.add(await p.eval(`document.getElementById(${JSON.stringify(ROOT_ID)}).shadowRoot.activeElement.outerHTML.slice(0, 80)`));
      }
      assert.ok(seen.size >= 3, `Tab moves through the dialog (${seen.size} distinct elements)`);
      for (let i = 0; i < n + 2; i++) {
        await p.press("Tab", { shift: true });
        assert.equal(await p.activeIn(), "dialog", `Shift+Tab ${i + 1}: focus stays inside the dialog`);
      }
      await p.press("Escape");
      await p.expectHidden(sel.prefs, "the dialog after Esc");
      await p.waitFor(`document.activeElement && document.activeElement.id === 'settings'`, "focus back on the footer link");
      const afterEsc = await p.consent();
      assert.deepEqual(afterEsc.rec, before.rec, "Esc changed nothing");
    },
  },
  {
    name: "withdrawal deletes cookies",
    async run(p) {
      await p.mustOpen("/j/page.html");
      await p.click(sel.acceptAll);
      await p.consent();
      // What the statistics service would have set, and a necessary cookie.
      await p.eval(`(() => { document.cookie = '_pk_id.1.abcd=x; path=/'; document.cookie = '_pk_ses.1.abcd=y; path=/'; document.cookie = 'sessionid=s; path=/'; })()`);
      const names = async () => (await p.s.cookies()).map((c) => c.name).sort();
      assert.deepEqual(await names(), ["_pk_id.1.abcd", "_pk_ses.1.abcd", COOKIE, "sessionid"]);
      await p.eval(`Consentry.showPreferences()`);
      await p.expectVisible(sel.prefs, "the dialog");
      assert.equal(await p.eval(`${shadow(sel.statsSwitch)}.checked`), true, "statistics is on");
      await p.click(sel.statsSwitch);
      await p.click(sel.save);
      await p.waitFor(`(window.__consentryEvents || []).some((e) => e.type === 'consentry:change')`, "consentry:change");
      assert.deepEqual(await names(), [COOKIE, "sessionid"], "the statistics cookies are deleted, the necessary ones kept");
      const { rec } = await p.consent();
      assert.equal(rec.method, "custom");
      assert.deepEqual(rec.categories, ["necessary"]);
    },
  },
  {
    name: "strict CSP, no violation",
    async run(p) {
      await p.mustOpen("/j/csp.html");
      await p.expectVisible(sel.banner, "the banner");
      await p.click(sel.customize);
      await p.expectVisible(sel.prefs, "the dialog");
      await p.click(sel.close);
      await p.click(sel.acceptAll);
      checkRecord(await p.consent(), ACCEPTED);
      await p.waitFor(`(window.__order || []).length === 2`, "two gated scripts");
      assert.deepEqual(await p.order(), ["a", "b"]);
      await p.waitFor(`document.getElementById('frame').getAttribute('src') === '/j/frame.html'`, "the iframe's src");
      assert.equal(await p.eval(`window.pageOK`), true, "the page's own script ran");
      // The CSP applies: an inline script is refused, and the listener sees it.
      await p.eval(`(() => { const s = document.createElement('script'); s.textContent = 'window.inlineRan = true'; document.body.appendChild(s); })()`);
      await p.waitFor(`window.__cspViolations.length > 0`, "the control violation (an inline script)");
      const v = await p.eval(`window.__cspViolations`);
      assert.equal(await p.eval(`window.inlineRan === undefined`), true, "the inline script was blocked");
      assert.deepEqual(v.slice(0, -1), [], "no CSP violation before the control one");
      assert.match(v[v.length - 1].directive, /^script-src/);
    },
  },
  {
    name: "refused policy fails closed",
    async run(p) {
      const state = await p.open("/j/refused.html");
      assert.match(state, /^rejected: .*categories\[1\]\.id/s, "Consentry.ready rejects naming the place");
      const errors = await p.events("consentry:error");
      assert.equal(errors.length, 1, "one consentry:error");
      assert.match(errors[0].detail.message, /categories\[1\]\.id/);
      assert.equal(await p.eval(`window.pageOK`), true, "the host page keeps working");
      assert.notEqual(await p.state(sel.banner), "visible", "no banner");
      await p.eval(`Consentry.acceptAll()`);
      assert.deepEqual(await p.order(), [], "nothing gated ran, even after acceptAll()");
      assert.equal(await p.eval(`document.getElementById('frame').getAttribute('src')`), null, "the iframe stays empty");
      assert.equal(await p.eval(`Consentry.acceptedCategory('statistics')`), false);
      assert.equal(await p.cookie(COOKIE), undefined, "no consent cookie");
    },
  },
  {
    name: "data-src iframe and image",
    async run(p) {
      await p.mustOpen("/j/page.html");
      assert.equal(await p.eval(`document.getElementById('frame').getAttribute('src')`), null);
      await p.click(sel.acceptAll);
      await p.waitFor(`document.getElementById('frame').getAttribute('src') === '/j/frame.html'`, "the iframe's src");
      await p.waitFor(`(() => { try { return document.getElementById('frame').contentDocument.getElementById('framed') !== null; } catch (e) { return false; } })()`, "the iframe loaded");
      await p.waitFor(`document.getElementById('pixel').getAttribute('src') === '/j/pixel.svg'`, "the image's src");
      await p.waitFor(`document.getElementById('pixel').complete`, "the image loaded");
    },
  },
];

// Global Privacy Control exists in Firefox only (Chromium and WebKit have no
// navigator.globalPrivacyControl): the journey runs where it exists.
export const gpcJourney = {
  name: "Global Privacy Control",
  async run(p) {
    await p.mustOpen("/j/page.html");
    assert.equal(await p.eval(`navigator.globalPrivacyControl`), true, "GPC is on in this profile");
    checkRecord(await p.consent(), { method: "gpc", categories: ["necessary"], services: {} });
    assert.notEqual(await p.state(sel.banner), "visible", "no banner");
    assert.deepEqual(await p.order(), []);
  },
};

// screenshotJourney writes the banner and the dialog as this engine draws them
// (`make screenshots`, CONSENTRY_SCREENSHOTS=1).
const screenshotJourney = (engine) => ({
  name: "screenshots",
  async run(p) {
    const dir = path.join("build", "screenshots");
    mkdirSync(dir, { recursive: true });
    await p.mustOpen("/");
    await p.expectVisible(sel.banner, "the banner");
    await p.s.screenshot(path.join(dir, `${engine}-banner.png`));
    await p.click(sel.customize);
    await p.expectVisible(sel.prefs, "the dialog");
    await p.s.screenshot(path.join(dir, `${engine}-dialog.png`));
    console.log(`wrote ${dir}/${engine}-banner.png and ${engine}-dialog.png`);
  },
});

// suite declares the journeys of one engine as a node:test suite named after it.
export function suite(name) {
  const base = process.env.JOURNEYS_BASE_URL;
  const why = missing(name);
  describe(name, { concurrency: 1 }, () => {
    let browser;
    let startError;
    before(async () => {
      if (!base) throw new Error("JOURNEYS_BASE_URL is not set: run the journeys with `make engines` (journeys/run.mjs)");
      if (why) return;
      try {
        browser = await engines[name].start();
      } catch (e) {
        startError = e;
      }
    });
    after(async () => {
      if (!browser) return;
      console.log(`# engine ${name}: ${browser.version}`); // for the table (table.mjs)
      await browser.close();
    });
    const list = process.env.CONSENTRY_SCREENSHOTS === "1" ? [screenshotJourney(name)] : journeys.concat(name === "firefox" ? [gpcJourney] : []);
    for (const j of list) {
      test(`${j.name} [${name}]`, async (t) => {
        if (why) {
          if (process.env.CI === "true") throw new Error(`${name} is missing (${why}): install ${engines[name].debian}`);
          t.skip(`${name} is missing (${why}); make engines installs it`);
          return;
        }
        if (startError) throw startError;
        const session = await browser.newSession({ gpc: j === gpcJourney });
        try {
          await j.run(new Page(session, base));
        } finally {
          await session.close();
        }
      });
    }
  });
}
