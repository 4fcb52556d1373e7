// The thin driver adapters of the cross-engine journeys: one small interface, three
// engines. A journey (journeys.mjs) only ever calls a Session's methods:
//
//   goto(url)            navigate and wait for the load event
//   eval(expr)           evaluate a JavaScript expression in the page, awaiting a promise,
//                        and return its JSON value
//   click(x, y)          a real mouse click at viewport coordinates
//   press(key, {shift})  a real key press: "Tab", "Escape", "Enter", "Space"
//   cookies()            the page's cookies as data, from the browser's cookie store:
//                        [{name, value, path, domain, sameSite, expires}] (expires in
//                        seconds since the epoch, -1 for a session cookie)
//   screenshot(file)     a PNG of the viewport
//   close()
//
// Chromium and Firefox are driven by puppeteer-core, over the DevTools protocol and over
// WebDriver BiDi; WebKit by WebKitWebDriver (W3C WebDriver) through the small HTTP client
// below. Every browser is Debian's: nothing is downloaded.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import puppeteer from "puppeteer-core";

export const VIEWPORT = { width: 1280, height: 800 };

// The engines, in the order of the table. binary is what must exist for the engine to run.
export const engines = {
  chromium: { binary: "/usr/bin/chromium", debian: "chromium", start: () => startPuppeteer("chrome", "/usr/bin/chromium") },
  firefox: { binary: "/usr/bin/firefox-esr", debian: "firefox-esr", start: () => startPuppeteer("firefox", "/usr/bin/firefox-esr") },
  webkit: {
    binary: "/usr/bin/WebKitWebDriver",
    debian: "webkit2gtk-driver xvfb",
    extra: ["/usr/bin/Xvfb", miniBrowser()],
    start: startWebKit,
  },
};

function miniBrowser() {
  return path.join("/usr/lib", `${os.arch() === "arm64" ? "aarch64" : "x86_64"}-linux-gnu`, "webkit2gtk-4.1", "MiniBrowser");
}

// missing names what an engine needs and the machine lacks ("" when nothing is missing).
export function missing(name) {
  const e = engines[name];
  return [e.binary, ...(e.extra || [])].filter((f) => !existsSync(f)).join(", ");
}

// --- puppeteer-core: Chromium over CDP, Firefox over WebDriver BiDi -----------------------

async function startPuppeteer(browser, executablePath) {
  const main = await launchPuppeteer(browser, executablePath, false);
  let gpc = null; // Firefox with Global Privacy Control on, launched for its journey only
  return {
    version: main.version,
    newSession(opts = {}) {
      if (!opts.gpc) return main.newSession();
      gpc ??= launchPuppeteer(browser, executablePath, true);
      return gpc.then((b) => b.newSession());
    },
    async close() {
      await main.close();
      if (gpc) await (await gpc).close();
    },
  };
}

async function launchPuppeteer(browser, executablePath, gpc) {
  // A fresh profile and HOME: Firefox run as root refuses a profile owned by another user,
  // and neither browser should read or leave anything in the real home.
  const home = mkdtempSync(path.join(os.tmpdir(), `consentry-journeys-${browser}-`));
  const b = await puppeteer.launch({
    browser,
    executablePath,
    headless: true,
    userDataDir: path.join(home, "profile"),
    env: { ...process.env, HOME: home },
    defaultViewport: VIEWPORT,
    args: browser === "chrome" ? ["--no-sandbox", "--disable-gpu", "--no-first-run", `--window-size=${VIEWPORT.width},${VIEWPORT.height}`] : [],
    // Firefox: Global Privacy Control off, as in a default profile, except in the browser
    // of its own journey, where it is on as a visitor who turned it on has it.
    extraPrefsFirefox:
      browser === "firefox"
        ? { "privacy.globalprivacycontrol.enabled": gpc, "privacy.globalprivacycontrol.functionality.enabled": gpc }
        : undefined,
  });
  const version = (await b.version()).replace(/^HeadlessChrome\//, "Chromium ").replace(/^Chrome\//, "Chromium ").replace(/^firefox\//, "Firefox ");
  return {
    version,
    async newSession() {
      const ctx = await b.createBrowserContext(); // its own cookie jar, cache and storage
      const page = await ctx.newPage();
      await page.setViewport(VIEWPORT);
      page.setDefaultTimeout(60000); // a shared, loaded machine: see WAIT_MS in journeys.mjs
      return new PuppeteerSession(ctx, page);
    },
    async close() {
      await b.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

const puppeteerKeys = { Tab: "Tab", Escape: "Escape", Enter: "Enter", Space: " " };

class PuppeteerSession {
  constructor(ctx, page) {
    this.ctx = ctx;
    this.page = page;
  }
  async goto(url) {
    await this.page.goto(url, { waitUntil: "load" });
  }
  async reload() {
    await this.page.reload({ waitUntil: "load" });
  }
  async eval(expr) {
    return this.page.evaluate(`(async () => (${expr}))()`);
  }
  async click(x, y) {
    await this.page.mouse.click(x, y);
  }
  async press(key, { shift = false } = {}) {
    if (shift) await this.page.keyboard.down("Shift");
    await this.page.keyboard.press(puppeteerKeys[key]);
    if (shift) await this.page.keyboard.up("Shift");
  }
  async cookies() {
    const list = await this.page.cookies();
    return list.map((c) => ({ name: c.name, value: c.value, path: c.path, domain: c.domain, sameSite: c.sameSite || "", expires: c.expires }));
  }
  async screenshot(file) {
    await this.page.screenshot({ path: file });
  }
  async close() {
    await this.ctx.close();
  }
}

// --- WebKit: WebKitWebDriver (W3C WebDriver over HTTP) under Xvfb -------------------------

// freePort asks the system for a free loopback port.
function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function startWebKit() {
  // Xvfb picks a free display itself and writes its number to the -displayfd descriptor.
  const xvfb = spawn("Xvfb", ["-displayfd", "3", "-screen", "0", `${VIEWPORT.width}x${VIEWPORT.height}x24`, "-nolisten", "tcp"], {
    stdio: ["ignore", "ignore", "pipe", "pipe"],
  });
  let xvfbErr = "";
  xvfb.stderr.on("data", (d) => (xvfbErr += d));
  const display = await new Promise((resolve, reject) => {
    xvfb.stdio[3].once("data", (d) => resolve(":" + String(d).trim()));
    xvfb.once("exit", (code) => reject(new Error(`Xvfb exited (${code}): ${xvfbErr.trim()}`)));
  });
  const home = mkdtempSync(path.join(os.tmpdir(), "consentry-journeys-webkit-"));
  let driver = await startDriver(display, home);
  const stop = () => {
    driver.stop();
    xvfb.kill();
    rmSync(home, { recursive: true, force: true });
  };
  const caps = {
    capabilities: {
      alwaysMatch: {
        "webkitgtk:browserOptions": { binary: miniBrowser(), args: ["--automation"] },
      },
    },
  };
  let version = "WebKitGTK";
  return {
    get version() {
      return version;
    },
    async newSession() {
      // One WebDriver session, one MiniBrowser process, per journey: an empty cookie jar.
      // On a heavily loaded machine a MiniBrowser once never came up and POST /session
      // hung for minutes: a session that is not created within 60 s gets one more try,
      // with a new driver (and its browser processes) in place of the stuck one.
      let r;
      try {
        r = await wd(driver.base, "POST", "/session", caps, 60000);
      } catch (e) {
        console.log(`# webkit: no session (${e.message}); restarting WebKitWebDriver and trying once more`);
        driver.stop();
        driver = await startDriver(display, home);
        r = await wd(driver.base, "POST", "/session", caps, 60000);
      }
      version = `WebKitGTK ${r.capabilities.browserVersion} (MiniBrowser)`;
      const s = new WebDriverSession(driver.base, r.sessionId);
      await s.cmd("POST", "/window/rect", { x: 0, y: 0, width: VIEWPORT.width, height: VIEWPORT.height });
      await s.cmd("POST", "/timeouts", { script: 60000, pageLoad: 60000 });
      return s;
    },
    async close() {
      stop();
    },
  };
}

// startDriver starts WebKitWebDriver on a free port, in a process group of its own (so that
// stop also ends the MiniBrowser processes it started), and waits, at most 10 s, for it to
// answer.
async function startDriver(display, home) {
  const port = await freePort();
  const proc = spawn("WebKitWebDriver", [`--port=${port}`, "--host=127.0.0.1"], {
    stdio: ["ignore", "ignore", "pipe"],
    detached: true,
    env: { ...process.env, DISPLAY: display, HOME: home, XDG_RUNTIME_DIR: home },
  });
  let stderr = "";
  proc.stderr.on("data", (d) => (stderr += d));
  const base = `http://127.0.0.1:${port}`;
  const stop = () => {
    try {
      process.kill(-proc.pid, "SIGKILL"); // the driver's group: the driver and its browsers
    } catch {
      // already gone
    }
  };
  const deadline = Date.now() + 10000;
  for (;;) {
    try {
      const r = await fetch(base + "/status");
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline || proc.exitCode !== null) {
      stop();
      throw new Error(`WebKitWebDriver did not start: ${stderr.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { base, stop };
}

async function wd(base, method, url, body, timeoutMs) {
  const r = await fetch(base + url, {
    method,
    signal: timeoutMs ? AbortSignal.timeout(timeoutMs) : undefined,
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  let j;
  try {
    j = JSON.parse(text);
  } catch {
    throw new Error(`WebDriver ${method} ${url}: HTTP ${r.status}: ${text.slice(0, 300)}`);
  }
  if (!r.ok || (j.value && j.value.error)) {
    throw new Error(`WebDriver ${method} ${url}: ${j.value && j.value.error}: ${j.value && j.value.message}`);
  }
  return j.value;
}

// W3C WebDriver key codes (WebDriver §17.4.2).
const wdKeys = { Tab: "\uE004", Escape: "\uE00C", Enter: "\uE007", Space: "\uE00D", Shift: "\uE008" };

class WebDriverSession {
  constructor(base, id) {
    this.base = base;
    this.id = id;
  }
  cmd(method, url, body) {
    return wd(this.base, method, `/session/${this.id}${url}`, body);
  }
  async goto(url) {
    await this.cmd("POST", "/url", { url });
  }
  async reload() {
    await this.cmd("POST", "/refresh", {});
  }
  async eval(expr) {
    // An async script: its last argument is the callback; errors come back as data.
    const script = `const done = arguments[arguments.length - 1];
Promise.resolve().then(async () => (${expr})).then(
  (v) => done({ ok: true, v: v === undefined ? null : JSON.parse(JSON.stringify(v)) }),
  (e) => done({ ok: false, e: String(e && e.stack || e) }));`;
    const r = await this.cmd("POST", "/execute/async", { script, args: [] });
    if (!r.ok) throw new Error(`evaluate: ${r.e}`);
    return r.v;
  }
  async actions(list) {
    await this.cmd("POST", "/actions", { actions: list });
    await this.cmd("DELETE", "/actions");
  }
  async click(x, y) {
    await this.actions([
      {
        type: "pointer",
        id: "mouse",
        parameters: { pointerType: "mouse" },
        actions: [
          { type: "pointerMove", origin: "viewport", x: Math.round(x), y: Math.round(y), duration: 0 },
          { type: "pointerDown", button: 0 },
          { type: "pointerUp", button: 0 },
        ],
      },
    ]);
  }
  async press(key, { shift = false } = {}) {
    const k = wdKeys[key];
    const seq = shift
      ? [
          { type: "keyDown", value: wdKeys.Shift },
          { type: "keyDown", value: k },
          { type: "keyUp", value: k },
          { type: "keyUp", value: wdKeys.Shift },
        ]
      : [
          { type: "keyDown", value: k },
          { type: "keyUp", value: k },
        ];
    await this.actions([{ type: "key", id: "keyboard", actions: seq }]);
  }
  async cookies() {
    const list = await this.cmd("GET", "/cookie");
    return list.map((c) => ({
      name: c.name,
      value: c.value,
      path: c.path,
      domain: c.domain,
      sameSite: c.sameSite || "",
      expires: c.expiry === undefined ? -1 : c.expiry,
    }));
  }
  async screenshot(file) {
    const b64 = await this.cmd("GET", "/screenshot");
    await writeFile(file, Buffer.from(b64, "base64"));
  }
  async close() {
    await wd(this.base, "DELETE", `/session/${this.id}`);
  }
}
