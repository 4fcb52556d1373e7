// A stand-in for a web-analytics tag (Matomo-like), for the demo and the tests: it sets the
// cookies the default policy declares for the "analytics" service and says on the page that
// it ran. Consentry must not let it run before the visitor accepts statistics.
(function () {
  "use strict";
  var year = 60 * 60 * 24 * 395;
  document.cookie = "_pk_id.1=demo-visitor; Path=/; Max-Age=" + year + "; SameSite=Lax";
  document.cookie = "_pk_ses.1=1; Path=/; Max-Age=1800; SameSite=Lax";
  window.demoAnalyticsLoaded = (window.demoAnalyticsLoaded || 0) + 1;
  var status = document.getElementById("analytics-status");
  if (status) {
    status.textContent = "analytics loaded";
  }
})();
