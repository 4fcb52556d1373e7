package scan

// bindingName is the function the hook calls to report a write; the DevTools protocol
// turns each call into a Runtime.bindingCalled event (runtime.AddBinding).
const bindingName = "__consentryScanRecord"

// hookJS runs in every document before the page's own scripts
// (page.AddScriptToEvaluateOnNewDocument). It wraps document.cookie's setter,
// Storage.prototype.setItem and indexedDB.open so that each write is reported with the URL
// of the script that made it, read from the stack: the first http(s) frame below the hook
// (the hook itself has no URL). The page sees the same behaviour as without it.
const hookJS = `(() => {
  "use strict";
  const report = window[` + "`" + bindingName + "`" + `];
  if (typeof report !== "function") return;
  const caller = () => {
    const lines = String(new Error().stack || "").split("\n").slice(3);
    for (const line of lines) {
      const m = line.match(/(https?:\/\/[^\s()]+?):\d+:\d+/);
      if (m) return m[1];
    }
    return location.href;
  };
  const rec = (kind, key, line) => {
    try { report(JSON.stringify({kind, key: String(key), line: String(line || ""), script: caller(), page: location.href})); } catch (e) {}
  };
  const d = Object.getOwnPropertyDescriptor(Document.prototype, "cookie");
  if (d && d.set && d.get) {
    Object.defineProperty(Document.prototype, "cookie", {
      configurable: true, enumerable: d.enumerable,
      get() { return d.get.call(this); },
      set(v) { const s = String(v); rec("cookie", s.split(";")[0].split("=")[0].trim(), s); d.set.call(this, v); },
    });
  }
  const setItem = Storage.prototype.setItem;
  Storage.prototype.setItem = function (k, v) {
    let kind = "sessionStorage";
    try { if (this === window.localStorage) kind = "localStorage"; } catch (e) {}
    rec(kind, k);
    return setItem.apply(this, arguments);
  };
  if (window.IDBFactory) {
    const open = IDBFactory.prototype.open;
    IDBFactory.prototype.open = function (name) { rec("indexedDB", name); return open.apply(this, arguments); };
  }
})();`

// storageJS lists the document's localStorage and sessionStorage keys and IndexedDB
// databases, with its origin.
const storageJS = `(async () => {
  const entries = [];
  const keys = (kind, get) => { try { const s = get(); for (let i = 0; i < s.length; i++) entries.push({kind, key: s.key(i)}); } catch (e) {} };
  keys("localStorage", () => window.localStorage);
  keys("sessionStorage", () => window.sessionStorage);
  try { if (indexedDB.databases) for (const db of await indexedDB.databases()) entries.push({kind: "indexedDB", key: db.name}); } catch (e) {}
  return {origin: location.origin, entries};
})()`

// gatedJS lists the page's gated elements (CONTRACT.md §5) and whether each ran: a script
// that is no longer text/plain, an element whose src is set, or one the widget marked.
const gatedJS = `(() => [...document.querySelectorAll("[data-category]")].map(e => {
  const tag = e.tagName.toLowerCase();
  const raw = e.getAttribute("data-src") || e.getAttribute("src") || "";
  let src = "";
  try { if (raw) src = new URL(raw, document.baseURI).href; } catch (e) {}
  const type = (e.getAttribute("type") || "").toLowerCase();
  const ran = e.hasAttribute("data-consentry-activated") ||
    (tag === "script" ? type !== "text/plain" : e.hasAttribute("src") && !!e.getAttribute("src"));
  return {tag, category: e.getAttribute("data-category") || "", service: e.getAttribute("data-service") || "", src, ran};
}))()`

// linksJS lists the page's link targets.
const linksJS = `[...document.querySelectorAll("a[href]")].map(a => a.href)`

// deepQueryJS defines a function that finds the first element matching a CSS selector in
// the document or in any open shadow root, for -accept and -reject.
const deepQueryJS = `function deepQuery(sel, root) {
  root = root || document;
  const hit = root.querySelector(sel);
  if (hit) return hit;
  for (const el of root.querySelectorAll("*")) {
    if (el.shadowRoot) { const f = deepQuery(sel, el.shadowRoot); if (f) return f; }
  }
  return null;
}
function visible(el) {
  if (!el) return false;
  const r = el.getBoundingClientRect();
  if (r.width < 1 || r.height < 1) return false;
  for (let e = el; e && e.nodeType === 1; e = e.parentElement || (e.getRootNode() && e.getRootNode().host)) {
    const s = getComputedStyle(e);
    if (s.display === "none" || s.visibility === "hidden" || s.opacity === "0") return false;
  }
  return true;
}`

// consentryBannerJS reports the Consentry banner's state on a first visit (CONTRACT.md §8):
// the open shadow root of #consentry-root, its banner part, and a visible refusal on it
// (reject-all, or continue, "Continue without accepting").
const consentryBannerJS = deepQueryJS + `
(() => {
  const host = document.getElementById("consentry-root");
  const root = host && host.shadowRoot;
  const banner = root && root.querySelector('[part~="banner"]');
  const q = sel => banner && banner.querySelector(sel);
  const refusal = [q('[part~="reject-all"]'), q('[part~="continue"]')].some(visible);
  return {shown: visible(banner), refusalVisible: refusal, acceptVisible: visible(q('[part~="accept-all"]')),
    detail: !host ? "no #consentry-root" : !root ? "#consentry-root has no open shadow root" : !banner ? "no banner part" : ""};
})()`
