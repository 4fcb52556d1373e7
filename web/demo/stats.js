// The page's own Matomo snippet (what Matomo's "JavaScript tracking code" asks a site to
// add), without the inline script a strict Content-Security-Policy forbids: it queues the
// page view. The widget puts requireCookieConsent ahead of it (policy.json's "matomo").
var _paq = (window._paq = window._paq || []);
_paq.push(["setSiteId", "1"]);
_paq.push(["trackPageView"]);
