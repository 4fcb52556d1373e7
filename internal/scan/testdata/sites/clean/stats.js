// Statistics, gated: declared cookies with the declared lifetime.
(function () {
  document.cookie = "_pk_id.1=visitor; Path=/; Max-Age=" + 30 * 24 * 60 * 60 + "; SameSite=Lax";
  document.cookie = "_pk_ses.1=1; Path=/; Max-Age=1800; SameSite=Lax";
})();
