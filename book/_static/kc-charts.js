/* Draws the book's charts from the inert JSON that each chart's <figure> carries.
   The site's own script, so the Content-Security-Policy needs no inline code. */
(function () {
  "use strict";
  function draw() {
    if (typeof window.Plotly === "undefined") {
      console.error("kc-charts: plotly.js did not load, charts cannot be drawn");
      return;
    }
    document.querySelectorAll("script.kc-plot-data").forEach(function (node) {
      var target = document.getElementById(node.dataset.target);
      if (!target || target.dataset.drawn) { return; }
      var fig = JSON.parse(node.textContent);
      var config = { responsive: true, displaylogo: false, showLink: false, showSendToCloud: false };
      window.Plotly.newPlot(target, fig.data, fig.layout, config).then(function () {
        target.dataset.drawn = "true";
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
