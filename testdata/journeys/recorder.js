// Loaded first by every journey page (a same-origin file, so the strict CSP allows it): it
// records the consentry:* events and every CSP violation, for the journeys to read.
(function () {
  var events = (window.__consentryEvents = []);
  var names = ["consentry:ready", "consentry:consent", "consentry:change", "consentry:show", "consentry:hide", "consentry:error"];
  names.forEach(function (name) {
    window.addEventListener(name, function (e) {
      var detail;
      try {
        detail = JSON.parse(JSON.stringify(e.detail === undefined ? null : e.detail));
      } catch (err) {
        detail = { unserializable: String(err) };
      }
      events.push({ type: e.type, isCustomEvent: e instanceof CustomEvent, detail: detail });
    });
  });
  var violations = (window.__cspViolations = []);
  document.addEventListener("securitypolicyviolation", function (e) {
    violations.push({ directive: e.violatedDirective, blocked: String(e.blockedURI), sample: e.sample || "", source: e.sourceFile || "" });
  });
})();
