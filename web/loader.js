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
      // The standard gtag of Google's snippet, which the widget installs for a policy with
      // googleConsentMode when the page has none (CONTRACT.md §11): gtag.js reads Arguments
      // objects from dataLayer and ignores arrays, and Go cannot make an Arguments object.
      gtag: function () {
        var dataLayer = win.dataLayer || (win.dataLayer = []);
        dataLayer.push(arguments);
      },
      // attach installs the Go implementation, opens the gate, and replays the queued calls
      // in order. Until the gate is opened here, at the very end of a successful start,
      // nothing gated runs: a failure anywhere before fails closed.
      attach: function (goImpl) {
        if (settled) {
          return;
        }
        impl = goImpl;
        settled = true;
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
      reserveSpace: reserveRoom,
      releaseSpace: releaseRoom,
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

    if (!canRun) {
      fail("this browser cannot run WebAssembly, so the consent banner cannot be shown; optional cookies stay off.");
      return;
    }
    var policy = whenParsed().then(function () {
      var text = inline !== null ? inline : inlinePolicy();
      if (text !== null) {
        return { text: text, source: "the inline #consentry-policy" };
      }
      if (!fetched) {
        fetched = fetchPolicy(); // the inline policy seen at first has gone
      }
      return fetched.then(function (body) {
        return { text: body, source: policyURL };
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
        return module;
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
