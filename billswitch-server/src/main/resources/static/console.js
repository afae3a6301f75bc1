// The console's own script (CSP: scripts from this origin only, nothing inline). Pages put data for scripts in
// <script type="application/json" id="..."> blocks, which are data, not code.
(function () {
  "use strict";
  // A form with data-confirm asks before it is sent.
  document.addEventListener("submit", function (e) {
    var message = e.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      e.preventDefault();
    }
  });
})();
