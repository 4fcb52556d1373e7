// Statistics: an over-long _pk_id (declared 30 days), an undeclared _ga, and a hit whose
// response sets an HttpOnly cookie that no script, the widget included, can delete.
(function () {
  var day = 60 * 60 * 24;
  document.cookie = "_pk_id.1=visitor; Path=/; Max-Age=" + 395 * day + "; SameSite=Lax";
  document.cookie = "_ga=GA1.1.42; Path=/; Max-Age=" + 30 * day + "; SameSite=Lax";
  fetch("/stats/hit");
})();
