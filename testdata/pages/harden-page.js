// The host page's own script for the harden-*.html fixtures. It is external so that it runs
// under the strictest Content-Security-Policy of the tests, and it proves the page keeps
// working whatever the widget does: it sets window.pageOK, and its form and link work.
window.pageOK = true;
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("host-form");
  if (form) {
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      window.formSubmitted = document.getElementById("host-input").value || "empty";
    });
  }
});
