/* Binds the theme's print and full-screen buttons, whose inline onclick handlers the
   build turns into data-kc-click attributes so that the page's CSP can forbid inline code. */
(function () {
  "use strict";
  var actions = {
    "window.print": function () { window.print(); },
    "toggleFullScreen": function () { if (typeof window.toggleFullScreen === "function") { window.toggleFullScreen(); } }
  };
  function bind() {
    document.querySelectorAll("[data-kc-click]").forEach(function (el) {
      var action = actions[el.getAttribute("data-kc-click")];
      if (action) { el.addEventListener("click", action); }
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", bind); } else { bind(); }
})();
