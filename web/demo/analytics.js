// A stand-in for Matomo's tracker (matomo.js), for the demo and the tests. It reads window._paq
// the way Matomo does: the calls queued before it loaded, in order, then every later push
// through the object it puts in _paq's place. It knows the consent calls the widget pushes
// (CONTRACT.md §11) and measures the way Matomo does under them: after requireCookieConsent
// it counts page views without any cookie (the CNIL-exempt, anonymised statistics of the
// default policy), and it sets _pk_id and _pk_ses only once setCookieConsentGiven comes;
// forget…ConsentGiven deletes them. After requireConsent it measures nothing until
// setConsentGiven. It sends nothing anywhere: it writes what it measured on the page and in
// window.__matomo.
(function () {
  "use strict";
  var year = 60 * 60 * 24 * 393; // Matomo's _pk_id lives 13 months
  var state = {
    cookieConsentRequired: false,
    consentRequired: false,
    consentGiven: false,
    cookieConsentGiven: false,
    pending: 0, // page views held back by requireConsent
  };
  var record = (window.__matomo = { calls: [], hits: [] });

  function cookiesAllowed() {
    return !state.cookieConsentRequired || state.cookieConsentGiven;
  }
  function setCookies() {
    if (document.cookie.indexOf("_pk_id.1=") < 0) {
      window.demoAnalyticsLoaded = (window.demoAnalyticsLoaded || 0) + 1;
    }
    document.cookie = "_pk_id.1=demo-visitor; Path=/; Max-Age=" + year + "; SameSite=Lax";
    document.cookie = "_pk_ses.1=1; Path=/; Max-Age=1800; SameSite=Lax";
  }
  function deleteCookies() {
    document.cookie = "_pk_id.1=; Path=/; Max-Age=0";
    document.cookie = "_pk_ses.1=; Path=/; Max-Age=0";
  }
  function show() {
    var status = document.getElementById("analytics-status");
    if (!status) return;
    var withCookies = document.cookie.indexOf("_pk_id.1=") >= 0;
    status.textContent = withCookies
      ? "analytics loaded, with cookies (_pk_id, _pk_ses): " + record.hits.length + " page view(s) counted"
      : record.hits.length > 0
        ? "counting page views without cookies (anonymised): " + record.hits.length
        : "waiting for consent, nothing measured";
  }
  function track() {
    if (state.consentRequired && !state.consentGiven) {
      state.pending++;
      return;
    }
    var withCookies = cookiesAllowed();
    if (withCookies) setCookies();
    record.hits.push({ cookies: withCookies });
  }
  var methods = {
    requireCookieConsent: function () {
      state.cookieConsentRequired = true;
      if (!state.cookieConsentGiven) deleteCookies();
    },
    setCookieConsentGiven: function () {
      state.cookieConsentGiven = true;
      if (record.hits.length > 0) setCookies(); // Matomo sets its cookies at once
    },
    forgetCookieConsentGiven: function () {
      state.cookieConsentGiven = false;
      state.cookieConsentRequired = true;
      deleteCookies();
    },
    requireConsent: function () {
      state.consentRequired = true;
    },
    setConsentGiven: function () {
      state.consentGiven = true;
      for (; state.pending > 0; state.pending--) track();
    },
    forgetConsentGiven: function () {
      state.consentGiven = false;
      state.consentRequired = true;
      deleteCookies();
    },
    trackPageView: track,
  };
  function apply(call) {
    if (!call || typeof call.length !== "number" || typeof call[0] !== "string") return;
    record.calls.push(call[0]);
    if (methods.hasOwnProperty(call[0])) methods[call[0]]();
    show();
  }
  var queued = window._paq || [];
  window._paq = {
    push: function () {
      for (var i = 0; i < arguments.length; i++) apply(arguments[i]);
      return 0;
    },
  };
  for (var i = 0; i < queued.length; i++) apply(queued[i]);
  show();
})();
