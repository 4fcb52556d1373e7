// Consentry loader. `make dist` appends this file to Go's wasm_exec.js to make consentry.js.
//
// It runs synchronously when the script tag executes, so window.Consentry exists at once:
// calls made before the widget is ready are queued and replayed in order, queries answer as
// if there were no choice (CONTRACT.md §6). Then it fetches the policy and the WebAssembly
// module in parallel, compiles while downloading, and starts the Go program, which takes over
// through the private boot object below.
(function () {
  "use strict";

  var win = window;
  var doc = document;
  var existing = win.Consentry;
  if (existing && existing._consentry) {
    return; // loaded twice: one widget (§2)
  }

  // document.currentScript is only set while this file runs synchronously: read everything
  // now. The nonce must come from the property, the attribute is hidden by the browser.
  var script = doc.currentScript;
  var scriptURL = script && script.src ? script.src : doc.baseURI;
  var base = new URL(".", scriptURL);
  var policyAttr = script ? script.getAttribute("data-policy") : null;
  var policyURL = new URL(policyAttr || "policy.json", policyAttr ? doc.baseURI : base).href;
  var wasmURL = new URL("__CONSENTRY_WASM__", base).href;

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
  ready.catch(function () {});

  function action(name) {
    return function () {
      var args = Array.prototype.slice.call(arguments);
      if (impl) {
        return impl[name].apply(null, args);
      }
      if (!settled) {
        queue.push([name, args]);
      }
    };
  }

  function query(name, failClosed) {
    return function () {
      return impl ? impl[name].apply(null, arguments) : failClosed;
    };
  }

  var api = {
    show: action("show"),
    hide: action("hide"),
    showPreferences: action("showPreferences"),
    hidePreferences: action("hidePreferences"),
    acceptAll: action("acceptAll"),
    rejectAll: action("rejectAll"),
    acceptCategory: action("acceptCategory"),
    setLanguage: action("setLanguage"),
    reset: action("reset"),
    acceptedCategory: query("acceptedCategory", false),
    acceptedService: query("acceptedService", false),
    validConsent: query("validConsent", false),
    getUserPreferences: query("getUserPreferences", null),
  };
  Object.defineProperty(api, "ready", { value: ready, enumerable: true });
  Object.defineProperty(api, "_consentry", { value: true });

  function fail(message) {
    if (settled) {
      return;
    }
    settled = true;
    queue = [];
    var text = "Consentry: " + message;
    console.error(text);
    rejectReady(new Error(text));
    win.dispatchEvent(new CustomEvent("consentry:error", { detail: { message: text } }));
  }

  // The Go program reads this once at start and deletes it.
  var boot = {
    policyText: null,
    policySource: "",
    lang: script ? script.getAttribute("data-lang") || "" : "",
    nonce: script ? script.nonce || "" : "",
    // attach installs the Go implementation and replays the queued calls, in order.
    attach: function (goImpl) {
      impl = goImpl;
      settled = true;
      var pending = queue;
      queue = [];
      resolveReady();
      for (var i = 0; i < pending.length; i++) {
        try {
          impl[pending[i][0]].apply(null, pending[i][1]);
        } catch (e) {
          console.warn("Consentry: queued call " + pending[i][0] + " failed:", e);
        }
      }
    },
    fail: fail,
  };
  Object.defineProperty(api, "_boot", { value: boot, configurable: true });
  win.Consentry = api;

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
    return fetch(policyURL, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) {
        throw new Error("cannot load the policy " + policyURL + ": HTTP " + response.status);
      }
      return response.text();
    });
  }

  // An inline policy wins (§2); it may stand after this script, so look again once the page
  // is parsed. The fetch starts at once all the same, so the common case waits for nothing.
  var inline = inlinePolicy();
  var fetched = inline === null ? fetchPolicy() : null;
  if (fetched) {
    fetched.catch(function () {});
  }
  var policy = whenParsed().then(function () {
    var text = inline !== null ? inline : inlinePolicy();
    if (text !== null) {
      return { text: text, source: "the inline #consentry-policy" };
    }
    return fetched.then(function (body) {
      return { text: body, source: policyURL };
    });
  });

  function instantiate(go) {
    return fetch(wasmURL, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) {
        throw new Error("cannot load " + wasmURL + ": HTTP " + response.status);
      }
      var type = response.headers.get("Content-Type") || "";
      if (WebAssembly.instantiateStreaming && type.split(";")[0].trim() === "application/wasm") {
        return WebAssembly.instantiateStreaming(response, go.importObject);
      }
      // Servers that send another Content-Type make instantiateStreaming throw: compile
      // from the whole buffer instead (slower, but it works).
      return response.arrayBuffer().then(function (bytes) {
        return WebAssembly.instantiate(bytes, go.importObject);
      });
    });
  }

  if (typeof WebAssembly !== "object" || typeof Go !== "function") {
    fail("this browser cannot run WebAssembly; optional cookies stay off.");
    return;
  }
  var go = new Go();
  var module = instantiate(go);
  module.catch(function () {});

  policy
    .then(function (p) {
      boot.policyText = p.text;
      boot.policySource = p.source;
      return module;
    })
    .then(function (result) {
      return go.run(result.instance);
    })
    .then(
      function () {
        fail("the widget stopped unexpectedly; optional cookies stay off.");
      },
      function (err) {
        fail((err && err.message ? err.message : String(err)) + "; optional cookies stay off.");
      }
    );
})();
