// The floor's loader, appended to Go's wasm_exec.js (internal/bench): it starts
// banner.wasm, next to this script, the way Consentry's loader starts the widget.
(function () {
  "use strict";
  var go = new Go();
  var url = new URL("banner.wasm", document.currentScript.src).href;
  WebAssembly.instantiateStreaming(fetch(url), go.importObject).then(function (result) {
    go.run(result.instance);
  }, function (e) {
    console.error("bench floor: " + e);
  });
})();
