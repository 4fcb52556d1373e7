// Consentry loader. `make dist` appends this file to Go's wasm_exec.js to make consentry.js,
// both inside one function scope that keeps the page's own global Go (internal/distbuild).
//
// It runs synchronously when the script tag executes, so window.Consentry exists at once:
// calls made before the widget is ready are queued and replayed in order, queries answer as
// if there were no choice (CONTRACT.md §6). Then it fetches the policy and the WebAssembly
// module in parallel, compiles while downloading, and starts the Go program, which takes over
// through the private boot object below.
//
// It runs on other people's pages, so it never throws into them: every public method catches
// and warns, arguments are read defensively (wrong types, throwing getters, Symbols), and it
// calls no method of Array.prototype, which pages replace, and assigns no inherited name,
// which a frozen Object.prototype forbids.
(function () {
  "use strict";

  // Whatever goes wrong below, nothing is thrown into the page that included this script.
  try {
    main();
  } catch (e) {
    try {
      console.error("Consentry: cannot start: " + (e && e.message) + "; optional cookies stay off.");
    } catch (ignored) {
      // nothing more to do
    }
  }

  function main() {
    var win = window;
    var doc = document;

    // wasm_exec.js, just before this file, defines the global Go, and fs, process and path
    // when the page has none. Keep the runtime for ourselves, and take back the stand-ins it
    // added, so that a page testing `typeof process` (as bundled code does) is not misled;
    // they are put back only while the Go runtime initialises, which reads them once.
    var GoRuntime = win.Go;
    var stubs = takeRuntimeStubs();

    // The build id (version+content hash) that `make dist` writes in place of the
    // placeholder: Consentry.version, and handed to the module through the boot object.
    var buildID = "__CONSENTRY_BUILD__";

    // The first paint (CONTRACT.md §9), written by `consentry dist` in place of the comment
    // and the null: the banner of the policy the build ships, in each of its languages, as
    // node trees, with the stylesheet and what the loader needs to decide alone (firstpaint.go
    // in internal/distbuild describes the fields).
    var baked = /*__CONSENTRY_FIRST_PAINT__*/ null;

    var existing = win.Consentry;
    if (existing && existing._consentry) {
      return; // loaded twice: one widget (§2)
    }

    // document.currentScript is only set while this file runs synchronously: read everything
    // now. The nonce must come from the property, the attribute is hidden by the browser.
    var script = doc.currentScript;
    var policyAttr = script ? script.getAttribute("data-policy") : null;
    var policyURL = "";
    var wasmURL = "";
    var urlProblem = "";
    try {
      var base = new URL(".", script && script.src ? script.src : doc.baseURI);
      wasmURL = new URL("__CONSENTRY_WASM__", base).href;
      policyURL = new URL(policyAttr || "policy.json", policyAttr ? doc.baseURI : base).href;
    } catch (e) {
      urlProblem = 'the data-policy attribute "' + policyAttr + '" is not a URL (' + errorText(e) + "); optional cookies stay off.";
    }

    // Both downloads start before anything else is set up: they are the longest part of the
    // start, and everything below runs while they are under way.
    var canRun = typeof WebAssembly === "object" && !!WebAssembly && typeof GoRuntime === "function";
    var wasmResponse = null;
    var inline = null;
    var fetched = null;
    if (!urlProblem && canRun) {
      wasmResponse = fetch(wasmURL, { credentials: "same-origin" });
      wasmResponse.then(undefined, function () {});
      // An inline policy wins (§2); it may stand after this script, so it is looked for
      // again once the page is parsed. The fetch starts at once all the same, so the
      // common case waits for nothing.
      inline = inlinePolicy();
      fetched = inline === null ? fetchPolicy() : null;
      if (fetched) {
        fetched.then(undefined, function () {});
      }
    }

    var queue = [];
    var impl = null;
    var settled = false;
    var resolveReady;
    var rejectReady;
    var ready = new Promise(function (resolve, reject) {
      resolveReady = resolve;
      rejectReady = reject;
    });
    // A failed start is reported once, through console.error and consentry:error; an unhandled
    // rejection would add a second, less helpful error to the host page's console.
    ready.then(undefined, function () {});

    function warn(message) {
      try {
        console.warn("Consentry: " + message);
      } catch (e) {
        // a page that broke its console gets no warning, and no exception either
      }
    }

    // describe names the type of a value for a warning, without converting it (a Symbol
    // throws on conversion, an object may have a throwing toString).
    function describe(v) {
      if (v === null) return "null";
      if (v === undefined) return "nothing";
      if (Array.isArray(v)) return "an array";
      var t = typeof v;
      return (t === "object" ? "an " : "a ") + t;
    }

    // Argument readers: each returns the normalised value, or throws a message for warn.
    function anyArgs() {
      return [];
    }
    function stringArg(name) {
      return function (args) {
        var v = args.length > 0 ? args[0] : undefined;
        if (typeof v !== "string" || v === "") {
          throw name + ": expected a non-empty string, got " + describe(v);
        }
        return [v];
      };
    }
    function serviceArgs(args) {
      var s = args.length > 0 ? args[0] : undefined;
      var c = args.length > 1 ? args[1] : undefined;
      if (typeof s !== "string" || typeof c !== "string" || s === "" || c === "") {
        throw "acceptedService: expected (serviceId, categoryId), two strings, got " + describe(s) + " and " + describe(c);
      }
      return [s, c];
    }
    // acceptCategory takes an id or an array of ids; anything else records nothing.
    function categoryList(args) {
      var v = args.length > 0 ? args[0] : undefined;
      if (typeof v === "string") {
        return [[v]];
      }
      if (!Array.isArray(v)) {
        throw "acceptCategory: expected a category id or an array of ids, got " + describe(v) + "; nothing was recorded";
      }
      var ids = [];
      var n = v.length;
      for (var i = 0; i < n; i++) {
        var id = v[i];
        if (typeof id !== "string") {
          throw "acceptCategory: element " + i + " is " + describe(id) + ", not a category id; nothing was recorded";
        }
        ids[ids.length] = id;
      }
      return [ids];
    }

    // call runs method name of the Go implementation with normalised arguments. Whatever
    // happens, it does not throw into the caller.
    function call(name, args, fallback) {
      try {
        return impl[name].apply(null, args);
      } catch (e) {
        warn(name + " failed: " + errorText(e));
        return fallback;
      }
    }

    function argsOf(list) {
      var out = [];
      for (var i = 0; i < list.length; i++) {
        out[i] = list[i];
      }
      return out;
    }

    // readArgs returns a call's arguments as read normalises them, or null after a warning
    // when they cannot be used.
    function readArgs(name, read, callArgs) {
      try {
        return read(argsOf(callArgs));
      } catch (e) {
        warn(typeof e === "string" ? e : name + ": unusable arguments (" + errorText(e) + ")");
        return null;
      }
    }

    function action(name, read) {
      return function () {
        var args = readArgs(name, read, arguments);
        if (args === null) {
          return undefined;
        }
        if (impl) {
          call(name, args);
        } else if (!settled) {
          queue[queue.length] = [name, args];
        }
        return undefined;
      };
    }

    function query(name, read, failClosed) {
      return function () {
        var args = readArgs(name, read, arguments);
        if (args === null) {
          return failClosed;
        }
        return impl ? call(name, args, failClosed) : failClosed;
      };
    }

    var api = {
      show: action("show", anyArgs),
      hide: action("hide", anyArgs),
      showPreferences: action("showPreferences", anyArgs),
      hidePreferences: action("hidePreferences", anyArgs),
      acceptAll: action("acceptAll", anyArgs),
      rejectAll: action("rejectAll", anyArgs),
      acceptCategory: action("acceptCategory", categoryList),
      setLanguage: action("setLanguage", stringArg("setLanguage")),
      reset: action("reset", anyArgs),
      acceptedCategory: query("acceptedCategory", stringArg("acceptedCategory"), false),
      acceptedService: query("acceptedService", serviceArgs, false),
      validConsent: query("validConsent", anyArgs, false),
      getUserPreferences: query("getUserPreferences", anyArgs, null),
    };
    Object.defineProperty(api, "ready", { value: ready, enumerable: true });
    Object.defineProperty(api, "version", { value: buildID, enumerable: true });
    Object.defineProperty(api, "_consentry", { value: true });

    // errorText is the message of anything thrown, never throwing itself.
    function errorText(err) {
      try {
        if (err && typeof err.message === "string") {
          return err.message;
        }
        return String(err);
      } catch (e) {
        return "unknown error";
      }
    }

    // Trusted Types (REQUIREMENTS.md §6): where the page requires them for scripts, the gate
    // activates consented scripts through this policy. The host allowed these scripts by
    // writing them into its page; the policy only carries them over. A page with a
    // `trusted-types` allow-list must name consentry in it.
    var trustedTypes = null;
    if (win.trustedTypes && typeof win.trustedTypes.createPolicy === "function") {
      try {
        trustedTypes = win.trustedTypes.createPolicy("consentry", {
          createScript: function (s) {
            return s;
          },
          createScriptURL: function (s) {
            return s;
          },
        });
      } catch (e) {
        warn(
          'cannot create the Trusted Types policy "consentry" (' + errorText(e) + "): add consentry to the " +
            "page's trusted-types directive, or consented scripts cannot run where Trusted Types are required."
        );
      }
    }

    function fail(message) {
      boot.failed = true;
      if (settled) {
        return;
      }
      settled = true;
      queue = [];
      // The built-in banner's buttons could no longer take effect: it must not stay.
      unmount();
      var text = "Consentry: " + message;
      try {
        console.error(text);
      } catch (e) {
        // nothing more to do
      }
      rejectReady(new Error(text));
      try {
        win.dispatchEvent(new CustomEvent("consentry:error", { detail: { message: text } }));
      } catch (e) {
        // a listener's exception is the page's own and is reported by the browser
      }
    }

    // reserveRoom gives <html> padding below the page as tall as the banner that overlays
    // it (its height and the gap below it), and the matching scroll-padding (WCAG 2.2 SC
    // 2.4.11). It returns the page's own values, saved once (then passed back as saved).
    function reserveRoom(banner, saved) {
      var html = doc.documentElement;
      var style = html.style;
      saved = saved || {
        inlinePadding: style.getPropertyValue("padding-bottom"),
        inlineScrollPadding: style.getPropertyValue("scroll-padding-bottom"),
        computedPadding: win.getComputedStyle(html).getPropertyValue("padding-bottom"),
      };
      var r = banner.getBoundingClientRect();
      var px = Math.ceil(r.height + Math.max(0, html.clientHeight - r.bottom)) + "px";
      style.setProperty("padding-bottom", "calc(" + (saved.computedPadding || "0px") + " + " + px + ")");
      style.setProperty("scroll-padding-bottom", px);
      return saved;
    }

    // releaseRoom restores what reserveRoom saved.
    function releaseRoom(saved) {
      var style = doc.documentElement.style;
      style.setProperty("padding-bottom", saved.inlinePadding);
      style.setProperty("scroll-padding-bottom", saved.inlineScrollPadding);
    }

    // The Go program reads this once at start and deletes it from window.Consentry.
    var boot = {
      policyText: null,
      policySource: "",
      build: buildID,
      lang: script ? script.getAttribute("data-lang") || "" : "",
      nonce: script ? script.nonce || "" : "",
      trustedTypes: trustedTypes,
      failed: false, // set by fail: the gate then activates nothing, even later
      // gtag calls the page's gtag for a policy with googleConsentMode (CONTRACT.md §11),
      // installing the standard one of Google's snippet and window.dataLayer when the page
      // has none: gtag.js reads Arguments objects from dataLayer and ignores arrays, and Go
      // cannot make an Arguments object.
      gtag: function () {
        if (typeof win.gtag !== "function") {
          win.dataLayer = win.dataLayer || [];
          win.gtag = function () {
            var dataLayer = win.dataLayer || (win.dataLayer = []);
            dataLayer.push(arguments);
          };
        }
        return Reflect.apply(win.gtag, undefined, arguments);
      },
      // paq pushes calls of Matomo's consent API to window._paq (§11), creating it when the
      // page has none; atFront puts them before what the page queued while Matomo has not
      // loaded (a plain array); once loaded, Matomo's own push takes them.
      paq: function (calls, atFront) {
        var q = win._paq || (win._paq = []);
        Reflect.apply(atFront && Array.isArray(q) ? q.unshift : q.push, q, calls);
      },
      // attach installs the Go implementation, opens the gate, and replays the queued calls
      // in order. Until the gate is opened here, at the very end of a successful start,
      // nothing gated runs: a failure anywhere before fails closed.
      attach: function (goImpl) {
        if (settled) {
          return;
        }
        impl = goImpl;
        forward = impl._action;
        settled = true;
        earlyChoiceTakenOver();
        // The page's data-consentry="show-preferences" elements, also those added later, open
        // the preferences (one delegated listener); a page visible again may hold a consent
        // cookie another tab changed.
        doc.addEventListener("click", guarded("the show-preferences listener", function (ev) {
          var t = ev.target;
          if (t && typeof t.closest === "function" && t.closest(SHOW_PREFERENCES)) {
            ev.preventDefault();
            call("showPreferences", []);
          }
        }));
        doc.addEventListener("visibilitychange", guarded("the visibilitychange listener", function () {
          if (doc.visibilityState === "visible") call("_visible", []);
        }));
        var pending = queue;
        queue = [];
        try {
          impl._open();
        } catch (e) {
          warn("the gate did not open: " + errorText(e));
        }
        resolveReady();
        for (var i = 0; i < pending.length; i++) {
          call(pending[i][0], pending[i][1]);
        }
      },
      fail: fail,
      // The first paint (§9): the language of the built-in banner on the page ("" when
      // none), and the choice made on it before the module was ready ("" or an action name
      // of widget/names.go).
      firstPaint: function () {
        return shown && ui && ui.root.isConnected ? shown.lang : "";
      },
      intent: "",
      // The page's signals, as the first paint read them (CONTRACT.md §2, §3), and whether
      // it has a link that opens the preferences (§8).
      languages: requestedLanguages,
      gpc: gpcSignal,
      reopenLink: function () {
        return !!doc.querySelector(SHOW_PREFERENCES);
      },
      // The view host (below): the module's views go through it.
      view: { frame: frame, built: built, show: show, hide: hide, patch: patch, announce: announce, fill: fill },
      // post sends a receipt (CONTRACT.md §10) and calls done with the status (0: failed).
      post: function (url, type, body, done) {
        new Promise(function (resolve) {
          resolve(fetch(url, { method: "POST", keepalive: true, credentials: "same-origin", headers: { "Content-Type": type }, body: body }));
        }).then(
          function (r) {
            done(r.status);
          },
          function () {
            done(0);
          }
        );
      },
    };
    Object.defineProperty(api, "_boot", { value: boot, configurable: true });
    win.Consentry = api;
    if (urlProblem) {
      fail(urlProblem);
      return;
    }

    // takeRuntimeStubs removes from the page the fs, process and path objects that
    // wasm_exec.js added (recognised by their fixed fields), and returns what the Go runtime
    // needs in their place: those objects, or minimal ones where the page has its own.
    function takeRuntimeStubs() {
      var enosys = function () {
        var err = new Error("not implemented");
        err.code = "ENOSYS";
        return err;
      };
      var own = {
        fs: {
          constants: { O_WRONLY: -1, O_RDWR: -1, O_CREAT: -1, O_TRUNC: -1, O_APPEND: -1, O_EXCL: -1, O_DIRECTORY: -1 },
          writeSync: function (fd, buf) {
            return buf.length; // the widget prints nothing; a runtime crash is reported by fail
          },
          write: function (fd, buf, offset, length, position, callback) {
            callback(null, buf.length);
          },
        },
        process: {
          getuid: function () { return -1; },
          getgid: function () { return -1; },
          geteuid: function () { return -1; },
          getegid: function () { return -1; },
          getgroups: function () { throw enosys(); },
          pid: -1,
          ppid: -1,
          umask: function () { throw enosys(); },
          cwd: function () { throw enosys(); },
          chdir: function () { throw enosys(); },
        },
        path: {
          resolve: function () {
            var out = "";
            for (var i = 0; i < arguments.length; i++) {
              out += (i > 0 ? "/" : "") + arguments[i];
            }
            return out;
          },
        },
      };
      var isStub = {
        fs: function (v) {
          return !!v && !!v.constants && v.constants.O_WRONLY === -1 && v.constants.O_DIRECTORY === -1 && typeof v.utimes === "function";
        },
        process: function (v) {
          return !!v && v.pid === -1 && v.ppid === -1 && typeof v.getegid === "function" && !v.env;
        },
        path: function (v) {
          return !!v && typeof v.resolve === "function" && Object.keys(v).length === 1;
        },
      };
      var names = ["fs", "process", "path"];
      var taken = {};
      for (var i = 0; i < names.length; i++) {
        var name = names[i];
        var v;
        try {
          v = win[name];
          if (isStub[name](v)) {
            delete win[name];
            taken[name] = v;
            continue;
          }
        } catch (e) {
          // a hostile getter: use our own
        }
        taken[name] = own[name];
      }
      if (GoRuntime && win.Go === GoRuntime) {
        try {
          delete win.Go;
        } catch (e) {
          // non-configurable on this page: leave it
        }
      }
      return taken;
    }

    // withRuntimeGlobals runs fn with the runtime's fs, process and path in place of the
    // page's, then puts the page's back (or removes them when it had none).
    function withRuntimeGlobals(fn) {
      var names = ["fs", "process", "path"];
      var saved = [];
      for (var i = 0; i < names.length; i++) {
        var has = names[i] in win;
        saved[i] = { has: has, value: has ? win[names[i]] : undefined };
        try {
          win[names[i]] = stubs[names[i]];
        } catch (e) {
          // read-only on this page: the runtime reads the page's own
        }
      }
      try {
        return fn();
      } finally {
        for (var j = 0; j < names.length; j++) {
          try {
            if (saved[j].has) {
              win[names[j]] = saved[j].value;
            } else {
              delete win[names[j]];
            }
          } catch (e) {
            // leave it
          }
        }
      }
    }

    function whenParsed() {
      return new Promise(function (resolve) {
        if (doc.readyState === "loading") {
          doc.addEventListener("DOMContentLoaded", resolve, { once: true });
        } else {
          resolve();
        }
      });
    }

    function inlinePolicy() {
      var el = doc.getElementById("consentry-policy");
      return el && el.type === "application/json" ? el.textContent : null;
    }

    function fetchPolicy() {
      return fetch(policyURL, { credentials: "same-origin" }).then(
        function (response) {
          if (!response.ok) {
            throw new Error(
              "cannot load the policy " + policyURL + ": HTTP " + response.status +
                " (check the data-policy attribute of the consentry.js script tag, or put policy.json next to consentry.js)"
            );
          }
          return response.text();
        },
        function (err) {
          throw new Error("cannot load the policy " + policyURL + ": " + errorText(err) +
            " (a network error, or the page's Content-Security-Policy connect-src does not allow it)");
        }
      );
    }

    // ---- The first paint (CONTRACT.md §9) ----
    //
    // When consentry.js carries the banner of the policy in force, the loader shows it as soon
    // as the policy is known, without waiting for the module, and keeps what the visitor does
    // with it until the module is ready: the module then takes the same nodes over and
    // records that choice first. Everything else (a cookie, GPC honoured, another policy)
    // waits for the module, which decides as in 1.0.

    // The rules the loader shares with the Go code, in their simplest form. Between the two
    // markers below, nothing but plain functions: internal/distbuild's tests run this region
    // in node against testdata/firstpaint-vectors.json, the table the Go code is checked
    // against too.
    // BEGIN first-paint rules
    // policyFingerprint identifies a policy's text: the FNV-1a (32 bits) of its UTF-8 bytes
    // in 8 hex digits, a dash, and the number of those bytes. It only tells whether the
    // policy in force is the one built in (a policy edited after the build), which needs no
    // cryptographic hash; crypto.subtle would be asynchronous and absent on http pages.
    function policyFingerprint(text) {
      var bytes = new TextEncoder().encode(text);
      var h = 0x811c9dc5;
      for (var i = 0; i < bytes.length; i++) {
        h = Math.imul(h ^ bytes[i], 0x01000193);
      }
      return ("0000000" + (h >>> 0).toString(16)).slice(-8) + "-" + bytes.length;
    }
    // trimPolicy removes JSON white space (space, tab, CR, LF) at both ends: an inline
    // policy is the built-in one when its text is, once that is removed.
    function trimPolicy(text) {
      return text.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, "");
    }
    // hasCookie tells whether a document.cookie string holds a cookie called name, whatever
    // its value (widget.CookieValues is not empty): pairs split on ";", the name before the
    // first "=" (none: an empty name), spaces and tabs around it removed.
    function hasCookie(cookies, name) {
      var pairs = cookies.split(";");
      for (var i = 0; i < pairs.length; i++) {
        var pair = pairs[i].replace(/^[ \t]+|[ \t]+$/g, "");
        if (pair === "") continue;
        var eq = pair.indexOf("=");
        var n = eq < 0 ? "" : pair.slice(0, eq).replace(/^[ \t]+|[ \t]+$/g, "");
        if (n === name) return true;
      }
      return false;
    }
    // negotiateLanguage is widget.Policy.NegotiateLanguage: requested in order of priority,
    // offered as Policy.Languages lists them.
    function negotiateLanguage(requested, offered, defaultLanguage) {
      for (var i = 0; i < requested.length; i++) {
        var tag = typeof requested[i] === "string" ? requested[i].replace(/_/g, "-").replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, "") : "";
        if (tag === "" || tag === "*") continue;
        for (var t = tag; t !== ""; t = truncateLanguageTag(t)) {
          for (var j = 0; j < offered.length; j++) {
            if (offered[j].toLowerCase() === t.toLowerCase()) return offered[j];
          }
        }
        var primary = tag.split("-")[0].toLowerCase();
        for (var k = 0; k < offered.length; k++) {
          if (offered[k].split("-")[0].toLowerCase() === primary) return offered[k];
        }
      }
      return defaultLanguage;
    }
    function truncateLanguageTag(tag) {
      var i = tag.lastIndexOf("-");
      if (i < 0) return "";
      tag = tag.slice(0, i);
      var j = tag.lastIndexOf("-");
      return j >= 0 && j === tag.length - 2 ? tag.slice(0, j) : tag;
    }
    // tabWrap is widget.TabWrap: where Tab (Shift+Tab with shift) goes among a modal
    // dialog's n focusable controls when the one at active has focus (-1: none of them):
    // the index to focus, wrapping at either end, or -1 to leave the key to the browser.
    function tabWrap(n, active, shift) {
      if (n === 0) return -1;
      if (shift && active <= 0) return n - 1;
      if (!shift && (active === n - 1 || active < 0)) return 0;
      return -1;
    }
    // focusAfterBanner is widget.FocusAfterBanner: where focus goes when the banner closes,
    // "stay", "previous" (the page element that had it before), "main" or "document".
    function focusAfterBanner(inBanner, previousUsable, hasMain) {
      return !inBanner ? "stay" : previousUsable ? "previous" : hasMain ? "main" : "document";
    }
    // END first-paint rules

    var ACTION = "data-consentry-action";
    var ESCAPE = "data-consentry-escape";
    var CATEGORY = "data-category";
    var SERVICE = "data-service";
    var SHOW_PREFERENCES = '[data-consentry="show-preferences"]';
    // The choice made before the module was ready, kept for the next page of the tab
    // (strictly necessary: it remembers what the visitor chose, nothing else).
    var INTENT_KEY = "consentry-early-choice";
    var sheet = null;
    var shown = null; // the first paint ({print, lang, busy}) until the module attaches
    var forward = null; // the module's action callback, once attached

    // ---- The view host (CONTRACT.md §8) ----
    //
    // The loader owns the widget's DOM: the built-in banner and, once the module is ready,
    // every view the session shows. The module decides; it hands the views in the compact
    // form (widget.Node.AppendCompactJSON, the form baked for the first paint) and says
    // what to show, hide, patch and announce (wasm/view.go). The views are built when first
    // shown, in one open shadow root under #consentry-root, first child of <body>.
    var ui = null; // {root, shadow, status, banner, dialog, bannerShown, space, resizes, focusBefore}
    var frameViews = null; // [frame, status] of the last render, for a mount to come

    // guarded returns fn as a listener that reports what it throws (a page's hostile getter
    // or replaced DOM method) on the console rather than letting it reach the page.
    function guarded(name, fn) {
      return function (arg) {
        try {
          fn(arg);
        } catch (e) {
          try {
            console.error("Consentry: internal error in " + name + ": " + errorText(e));
          } catch (ignored) {
            // no console
          }
        }
      };
    }

    // tree is a view in the compact form, parsed when it comes from the module as text.
    function tree(v) {
      return typeof v === "string" ? JSON.parse(v) : v;
    }

    // mounted mounts the widget the first time something is shown (or again, when the page
    // removed it), its shadow root adopting the stylesheet and heard by one listener.
    function mounted() {
      if (ui && !ui.root.isConnected) {
        unmount();
      }
      if (!ui) {
        var root = doc.createElement("div");
        root.setAttribute("id", "consentry-root");
        var shadow = root.attachShadow({ mode: "open" });
        shadow.adoptedStyleSheets = [stylesheet()];
        ui = { root: root, shadow: shadow, resizes: new ResizeObserver(guarded("the ResizeObserver", room)) };
        var listener = guarded("the view listener", onViewEvent);
        var events = ["click", "change", "keydown"];
        for (var i = 0; i < events.length; i++) {
          shadow.addEventListener(events[i], listener);
        }
        shadow.addEventListener("cancel", listener, true); // the dialog's: does not bubble
        reset();
        doc.body.insertBefore(root, doc.body.firstChild);
      }
      return ui;
    }

    // unmount takes the widget out of the page (a start that failed).
    function unmount() {
      if (ui) {
        ui.resizes.disconnect();
        ui.bannerShown = false;
        room();
        ui.root.remove();
        ui = null;
      }
    }

    // frame renders the widget in a language: the root's attributes and an empty status
    // region, every layer built again when next shown; keep leaves the built-in banner the
    // session took over as it is (widget.Render.Keep).
    function frame(f, status, keep) {
      frameViews = [tree(f), tree(status)];
      if (ui && !keep) {
        reset();
      }
    }

    function reset() {
      setAttributes(ui.root, frameViews[0][1]);
      ui.shadow.replaceChildren();
      ui.resizes.disconnect();
      ui.banner = ui.dialog = null;
      ui.bannerShown = false;
      ui.status = build(frameViews[1]);
      ui.shadow.appendChild(ui.status);
    }

    // built tells the module whether a layer is in place, so that it makes a view for show
    // or patch only when one will be used.
    function built(layer) {
      return !!(ui && ui.root.isConnected && (layer === "banner" ? ui.banner : ui.dialog));
    }

    // show shows a layer, built from view the first time; the preferences with the GPC
    // notice or without it. The banner's room below the page follows its size.
    function show(layer, view, gpcNotice) {
      var u = mounted();
      if (layer === "banner") {
        if (!u.banner) {
          u.banner = build(tree(view));
          u.shadow.insertBefore(u.banner, u.shadow.firstChild);
          u.resizes.observe(u.banner);
          u.banner.addEventListener("focusin", guarded("the focusin listener", function (ev) {
            var from = ev.relatedTarget; // where focus came from, unless from the widget
            if (from && !u.root.contains(from) && !u.shadow.contains(from)) u.focusBefore = from;
          }));
        }
        u.bannerShown = true;
        u.banner.removeAttribute("hidden");
        if (typeof u.banner.showPopover === "function") {
          u.banner.showPopover();
        }
        room();
        return;
      }
      if (!u.dialog) {
        u.dialog = build(tree(view));
        u.shadow.insertBefore(u.dialog, u.status);
      } else {
        u.dialog.querySelector(".gpc").toggleAttribute("hidden", !gpcNotice);
      }
      u.dialog.removeAttribute("hidden");
      u.dialog.showModal(); // top layer, page inert, focus inside and back on close
    }

    // hide hides a layer; focus that was in the banner goes where widget.FocusAfterBanner
    // says when restoreFocus is set.
    function hide(layer, restoreFocus) {
      if (!ui) return;
      if (layer !== "banner") {
        ui.dialog.close();
        ui.dialog.setAttribute("hidden", "");
        return;
      }
      var banner = ui.banner;
      var hadFocus = banner.contains(ui.shadow.activeElement);
      ui.bannerShown = false;
      if (typeof banner.hidePopover === "function" && banner.matches(":popover-open")) {
        banner.hidePopover();
      }
      banner.setAttribute("hidden", "");
      if (hadFocus && restoreFocus) {
        restoreFocusAfterBanner();
      }
      room();
    }

    // room keeps the end of the page reachable under the shown banner, or gives the page
    // its own values back once it is hidden.
    function room() {
      if (ui && ui.bannerShown) {
        ui.space = reserveRoom(ui.banner, ui.space);
      } else if (ui && ui.space) {
        releaseRoom(ui.space);
        ui.space = null;
      }
    }

    // patch shows on the built dialog the switches of view, a preferences view: each input
    // found by its data-category and data-service, checked or indeterminate as there.
    function patch(view) {
      if (!ui || !ui.dialog) return;
      var want = {};
      (function walk(n) {
        if (typeof n === "string") return;
        if (n[0] === "input") want[n[1][CATEGORY] + " " + (n[1][SERVICE] || "")] = n[1];
        for (var i = 2; i < n.length; i++) walk(n[i]);
      })(tree(view));
      var inputs = ui.dialog.querySelectorAll("input[" + CATEGORY + "]");
      for (var i = 0; i < inputs.length; i++) {
        var el = inputs[i];
        var a = want[el.getAttribute(CATEGORY) + " " + (el.getAttribute(SERVICE) || "")] || {};
        el.checked = typeof a.checked === "string";
        el.indeterminate = typeof a.indeterminate === "string";
      }
    }

    // announce replaces what the status region says with message (a view, or "" for
    // nothing), as a new node: the same message said twice is read twice.
    function announce(message) {
      if (!ui) return; // nothing is mounted: nothing to say it in
      ui.status.replaceChildren();
      if (message) ui.status.appendChild(build(tree(message)));
    }

    // fill makes host, an element of the page (a cookie table's), the view: its attributes
    // and children.
    function fill(host, view) {
      var v = tree(view);
      host.replaceChildren();
      setAttributes(host, v[1]);
      for (var i = 2; i < v.length; i++) host.appendChild(build(v[i]));
    }

    // onViewEvent is the one listener of the shadow root: a button's or a switch's action,
    // a layer's escape action on Esc (unless taken already) or the dialog's cancel, with
    // the control's data-category and data-service; Tab stays in the modal dialog.
    function onViewEvent(ev) {
      var t = ev.target;
      if (!t || typeof t.closest !== "function") return;
      var type = ev.type;
      if (type === "click" || type === "change") {
        var control = t.closest((type === "click" ? "button" : "input") + "[" + ACTION + "]");
        if (control) act(control.getAttribute(ACTION), control);
        return;
      }
      var layer = t.closest("[" + ESCAPE + "]");
      if (!layer || (type === "cancel" && layer !== t)) return;
      if (type === "cancel" || (ev.key === "Escape" && !ev.defaultPrevented)) {
        ev.preventDefault();
        act(layer.getAttribute(ESCAPE), layer);
      } else if (ev.key === "Tab" && layer === ui.dialog) {
        trapFocus(ev);
      }
    }

    // act hands an action to the module, or, before it is ready, to the first paint.
    function act(action, el) {
      if (forward) {
        forward(action, el.getAttribute(CATEGORY) || "", el.getAttribute(SERVICE) || "");
      } else if (shown) {
        early(action, el);
      }
    }

    // trapFocus keeps Tab and Shift+Tab among the dialog's rendered controls (tabWrap): the
    // native modal dialog lets Tab leave for the browser's own controls.
    function trapFocus(ev) {
      var all = ui.dialog.querySelectorAll("button, input, summary, a[href]");
      var focusable = [];
      var at = -1;
      for (var i = 0; i < all.length; i++) {
        if (!all[i].disabled && all[i].getClientRects().length > 0) { // not in a closed <details> or [hidden]
          if (all[i] === ui.shadow.activeElement) at = focusable.length;
          focusable[focusable.length] = all[i];
        }
      }
      var to = tabWrap(focusable.length, at, ev.shiftKey);
      if (to >= 0) {
        ev.preventDefault();
        focusable[to].focus();
      }
    }

    // restoreFocusAfterBanner carries out focusAfterBanner once the banner that had focus
    // is hidden, never scrolling: an element that refuses focus counts as gone.
    function restoreFocusAfterBanner() {
      var prev = ui.focusBefore;
      ui.focusBefore = null;
      var main = doc.querySelector("main");
      var to = focusAfterBanner(true, !!prev && prev.isConnected, !!main);
      if (to === "previous") {
        prev.focus({ preventScroll: true });
        if (prev.getRootNode().activeElement === prev) return; // its own shadow root, if any
        to = focusAfterBanner(true, false, !!main);
      }
      var el = to === "main" ? main : doc.body;
      if (!el) return;
      if (!el.hasAttribute("tabindex")) { // focusable by script for this once: the next Tab starts there
        el.setAttribute("tabindex", "-1");
        el.addEventListener("blur", function () {
          el.removeAttribute("tabindex");
        }, { once: true });
      }
      el.focus({ preventScroll: true });
    }


    // stylesheet is the widget's stylesheet, built once; the module adopts the same object.
    function stylesheet() {
      if (!sheet) {
        sheet = new CSSStyleSheet();
        sheet.replaceSync(baked ? baked.css : "");
      }
      return sheet;
    }

    // requestedLanguages lists the visitor's languages in the order of CONTRACT.md §2:
    // data-lang, then <html lang>, then navigator.languages (or navigator.language).
    function requestedLanguages() {
      var out = [boot.lang, doc.documentElement.getAttribute("lang")];
      var nav = win.navigator;
      var langs = nav.languages && nav.languages.length ? nav.languages : [nav.language];
      for (var i = 0; i < langs.length; i++) {
        out[out.length] = langs[i];
      }
      return out;
    }

    // gpcSignal reports navigator.globalPrivacyControl === true (W3C GPC §4); a throwing
    // getter counts as no signal.
    function gpcSignal() {
      try {
        return win.navigator.globalPrivacyControl === true;
      } catch (e) {
        return false;
      }
    }

    function readCookies() {
      try {
        return String(doc.cookie);
      } catch (e) {
        return ""; // cookies blocked: there is none
      }
    }

    function session() {
      try {
        return win.sessionStorage || null;
      } catch (e) {
        return null; // storage blocked: the choice then holds for this page only
      }
    }

    function readIntent() {
      try {
        var s = session();
        var v = s ? JSON.parse(s.getItem(INTENT_KEY) || "null") : null;
        return v && v.v === 1 && typeof v.policy === "string" && isChoice(v.action) ? v : null;
      } catch (e) {
        return null;
      }
    }

    function writeIntent(print, action) {
      try {
        var s = session();
        if (s) s.setItem(INTENT_KEY, JSON.stringify({ v: 1, policy: print, action: action }));
      } catch (e) {
        // storage full or blocked: the choice still holds for this page
      }
    }

    function forgetIntent() {
      try {
        var s = session();
        if (s) s.removeItem(INTENT_KEY);
      } catch (e) {
        // nothing to do
      }
    }

    // isChoice: the actions that record a choice (Continue and Esc are refusals).
    function isChoice(action) {
      return action === "accept-all" || action === "reject-all" || action === "continue";
    }

    // firstPaint decides, once the policy is known, whether to show the built-in banner, and
    // shows it.
    function firstPaint(text, inline) {
      if (!baked || !baked.views) {
        return;
      }
      var print = policyFingerprint(trimPolicy(text));
      var carried = readIntent();
      if (carried) {
        if (carried.policy === print && !hasCookie(readCookies(), baked.cookie)) {
          // A choice made on another page of this tab before its module was ready: the
          // module records it here, and no banner is shown for it. (A consent cookie
          // since, from another tab, stands: the module judges it.)
          boot.intent = carried.action;
          return;
        }
        forgetIntent(); // made on another policy (ask again), or overtaken by a cookie
      }
      var same = inline ? print === baked.policy.trimmed : policyFingerprint(text) === baked.policy.exact;
      if (!same) {
        try {
          console.info(
            "Consentry: the policy in force (" + (inline ? "the inline #consentry-policy" : policyURL) +
              ") is not the one built into consentry.js, so the banner waits for the module; " +
              "run `make dist` (or `consentry dist`) with this policy to get the instant first paint back."
          );
        } catch (e) {
          // no console
        }
        return;
      }
      if (hasCookie(readCookies(), baked.cookie)) {
        return; // a returning visitor (or a cookie the module must judge)
      }
      if (baked.gpc && gpcSignal()) {
        return; // refused by the signal, no banner
      }
      if (!doc.body || doc.getElementById("consentry-root")) {
        return;
      }
      var lang = negotiateLanguage(requestedLanguages(), baked.languages, baked.defaultLanguage);
      var view = baked.views[lang];
      if (!view) {
        return;
      }
      shown = { print: print, lang: lang };
      frame(view.frame, view.status);
      show("banner", view.banner);
      try {
        win.dispatchEvent(new CustomEvent("consentry:show", { detail: { view: "banner" } }));
      } catch (e) {
        // a listener's exception is the page's own
      }
    }

    // early carries out an action of the built-in banner before the module is ready: a
    // choice hides the banner at once and is kept for the module; Customise says it is
    // loading until the module opens the preferences.
    function early(action, control) {
      if (isChoice(action)) {
        boot.intent = action;
        writeIntent(shown.print, action);
        hide("banner", true);
      } else if (action === "customize" && boot.intent === "") {
        boot.intent = action;
        control.setAttribute("aria-busy", "true");
        shown.busy = control;
      }
    }

    // afterPaint resolves once the browser has had a frame to paint in (or after 100 ms, in
    // a tab that paints no frames because it is hidden).
    function afterPaint() {
      return new Promise(function (resolve) {
        var done = false;
        function next() {
          if (!done) {
            done = true;
            setTimeout(resolve, 0);
          }
        }
        win.requestAnimationFrame(next);
        setTimeout(next, 100);
      });
    }

    // earlyChoiceTakenOver runs when the module attaches: it has taken the banner over and
    // recorded boot.intent, so the loader lets go of both.
    function earlyChoiceTakenOver() {
      if (shown && shown.busy) {
        shown.busy.removeAttribute("aria-busy");
      }
      shown = null;
      if (isChoice(boot.intent)) {
        forgetIntent();
      }
    }

    // build turns a node of the compact form into DOM: a string is a text node, an array is
    // [tag, {attributes in order}, children…]. No HTML is parsed: no Trusted Types sink, no
    // 'unsafe-inline'.
    function build(node) {
      if (typeof node === "string") {
        return doc.createTextNode(node);
      }
      var el = doc.createElement(node[0]);
      setAttributes(el, node[1]);
      for (var i = 2; i < node.length; i++) {
        el.appendChild(build(node[i]));
      }
      return el;
    }

    // setAttributes sets attrs on el; "indeterminate" (widget.AttrIndeterminate) is the
    // property of that name, HTML has no such attribute.
    function setAttributes(el, attrs) {
      var names = Object.keys(attrs || {});
      for (var i = 0; i < names.length; i++) {
        if (names[i] === "indeterminate") {
          el.indeterminate = true;
        } else {
          el.setAttribute(names[i], attrs[names[i]]);
        }
      }
    }

    if (!canRun) {
      fail("this browser cannot run WebAssembly, so the consent banner cannot be shown; optional cookies stay off.");
      return;
    }
    var policy = whenParsed().then(function () {
      var text = inline !== null ? inline : inlinePolicy();
      if (text !== null) {
        return { text: text, source: "the inline #consentry-policy", inline: true };
      }
      if (!fetched) {
        fetched = fetchPolicy(); // the inline policy seen at first has gone
      }
      return fetched.then(function (body) {
        return { text: body, source: policyURL, inline: false };
      });
    });

    function instantiate(go) {
      var notWasm = function (err) {
        var why = errorText(err);
        if (/unsafe-eval|Content.Security.Policy/i.test(why)) {
          throw new Error(
            "the page's Content-Security-Policy does not allow WebAssembly (" + why +
              "); add 'wasm-unsafe-eval' to its script-src"
          );
        }
        throw new Error(
          wasmURL + " is not a WebAssembly module that this browser can run (" + why +
            "); deploy consentry.js and its .wasm from the same `make dist`"
        );
      };
      return wasmResponse.then(
        function (response) {
          if (!response.ok) {
            throw new Error("cannot load " + wasmURL + ": HTTP " + response.status +
              " (deploy every file of dist/ together, next to consentry.js)");
          }
          var type = response.headers.get("Content-Type") || "";
          if (WebAssembly.instantiateStreaming && type.split(";")[0].trim() === "application/wasm") {
            return WebAssembly.instantiateStreaming(response, go.importObject).then(undefined, notWasm);
          }
          // Servers that send another Content-Type make instantiateStreaming throw: compile
          // from the whole buffer instead (slower, but it works).
          return response.arrayBuffer().then(function (bytes) {
            return WebAssembly.instantiate(bytes, go.importObject).then(undefined, notWasm);
          });
        },
        function (err) {
          throw new Error("cannot load " + wasmURL + ": " + errorText(err) +
            " (a network error, or the page's Content-Security-Policy connect-src does not allow it)");
        }
      );
    }

    var go;
    var module;
    try {
      go = new GoRuntime();
      module = instantiate(go);
    } catch (e) {
      fail("cannot start: " + errorText(e) + "; optional cookies stay off.");
      return;
    }
    module.then(undefined, function () {});

    policy
      .then(function (p) {
        boot.policyText = p.text;
        boot.policySource = p.source;
        try {
          firstPaint(p.text, p.inline);
        } catch (e) {
          warn("the built-in banner could not be shown (" + errorText(e) + "); it comes with the module.");
        }
        // The Go program's start is one long task: let the built-in banner be painted first.
        return shown ? afterPaint().then(function () { return module; }) : module;
      })
      .then(function (result) {
        // Instantiating the module (its memory, its data) ends the task the promise settles
        // in; with the runtime's start after it in the same task, the two made one long
        // task after the built-in banner. Each gets a task of its own.
        return shown ? new Promise(function (resolve) { setTimeout(resolve, 0, result); }) : result;
      })
      .then(function (result) {
        // The Go runtime reads fs, process and path while it initialises, in the
        // synchronous part of run; the page's own are back as soon as that returns.
        return withRuntimeGlobals(function () {
          return go.run(result.instance);
        });
      })
      .then(
        function () {
          fail("the widget stopped unexpectedly; optional cookies stay off.");
        },
        function (err) {
          fail(errorText(err) + "; optional cookies stay off.");
        }
      );
  }
})();
