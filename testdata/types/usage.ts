// A page script written against dist/consentry.d.ts; types_test.go compiles it with
// tsc --strict. Every member of window.Consentry and every consentry:* event is used, with
// the types a page relies on, and a few misuses are marked @ts-expect-error so that
// declarations too loose to catch them fail the compilation.

const c: Consentry = window.Consentry;

async function start(): Promise<void> {
  await c.ready;
  c.show();
  c.hide();
  c.showPreferences();
  c.hidePreferences();
  c.acceptAll();
  c.rejectAll();
  c.acceptCategory("statistics");
  c.acceptCategory(["statistics", "marketing"]);
  c.setLanguage("fr");
  c.reset();
  const stats: boolean = c.acceptedCategory("statistics");
  const analytics: boolean = c.acceptedService("analytics", "statistics");
  const valid: boolean = Consentry.validConsent();
  const prefs = c.getUserPreferences();
  if (prefs !== null) {
    const method: "accept-all" | "reject-all" | "custom" | "gpc" = prefs.method;
    const accepted: string[] = prefs.acceptedCategories;
    const rejected: string[] = prefs.rejectedCategories;
    const services: string[] | undefined = prefs.acceptedServices["statistics"];
    const revision: number = prefs.revision;
    const when: string = prefs.created + prefs.updated + prefs.id;
    console.log(method, accepted, rejected, services, revision, when);
  }
  console.log(stats, analytics, valid);

  // @ts-expect-error: acceptCategory takes ids, not a boolean
  c.acceptCategory(true);
  // @ts-expect-error: acceptedService needs the category too
  c.acceptedService("analytics");
  // @ts-expect-error: getUserPreferences() may return null
  console.log(c.getUserPreferences().method);
  // @ts-expect-error: ready is read-only
  c.ready = Promise.resolve();
  const build: string = c.version;
  console.log(build);
  // @ts-expect-error: version is read-only
  c.version = "1.0";
}

window.addEventListener("consentry:ready", (e) => {
  const build: string = e.detail.version;
  console.log(build);
});
window.addEventListener("consentry:consent", (e) => {
  if (e.detail.acceptedCategories.includes("statistics")) {
    console.log("start analytics");
  }
});
window.addEventListener("consentry:change", (e) => {
  const changed: string[] = e.detail.changedCategories;
  const method: string = e.detail.preferences.method;
  console.log(changed, method);
});
window.addEventListener("consentry:show", (e) => {
  const view: "banner" | "preferences" = e.detail.view;
  console.log(view);
});
window.addEventListener("consentry:hide", (e) => console.log(e.detail.view));
window.addEventListener("consentry:error", (e) => {
  const message: string = e.detail.message;
  console.log(message);
  // @ts-expect-error: an error's detail has no view
  console.log(e.detail.view);
});

void start();
