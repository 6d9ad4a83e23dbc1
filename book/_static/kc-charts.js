/* Draws the book's charts from the inert JSON that each chart's <figure> carries.
   The site's own script, so the Content-Security-Policy needs no inline code.

   Each chart is laid out in pixels for a given width (kabulcase.figures.theme.finish):
   title, plot, axis, legend and source note are stacked to a fixed height. The chart's
   layout.meta.layouts lists the layouts it has, widest first (text column on a desktop,
   then on a phone); the script draws the widest that fits the chart's container, keeps
   the container at that layout's height (so plotly keeps it when it resizes with the
   window) and switches layout when a window resize crosses a width. */
(function () {
  "use strict";
  var SLACK = 4; // px: a layout may be a little wider than its container

  function setPath(obj, path, value) {
    // "margin.t", "title.font.size" or "annotations[3].yshift" on a plain layout object
    var parts = path.replace(/\[(\d+)\]/g, ".$1").split(".");
    for (var i = 0; i < parts.length - 1; i++) {
      if (obj[parts[i]] === undefined || obj[parts[i]] === null) { obj[parts[i]] = {}; }
      obj = obj[parts[i]];
    }
    obj[parts[parts.length - 1]] = value;
  }

  function pick(layouts, width) {
    if (!layouts || !layouts.length) { return -1; }
    for (var i = 0; i < layouts.length; i++) {
      if (layouts[i].width <= width + SLACK) { return i; }
    }
    return layouts.length - 1;
  }

  function layoutsOf(fig) {
    var meta = fig.layout && fig.layout.meta;
    return meta && Array.isArray(meta.layouts) ? meta.layouts : null;
  }

  var charts = [];

  function draw() {
    if (typeof window.Plotly === "undefined") {
      console.error("kc-charts: plotly.js did not load, charts cannot be drawn");
      return;
    }
    document.querySelectorAll("script.kc-plot-data").forEach(function (node) {
      var target = document.getElementById(node.dataset.target);
      if (!target || target.dataset.drawn) { return; }
      var fig = JSON.parse(node.textContent);
      var layouts = layoutsOf(fig);
      var chosen = pick(layouts, target.clientWidth);
      if (chosen >= 0) {
        var v = layouts[chosen];
        Object.keys(v.layout).forEach(function (k) { setPath(fig.layout, k, v.layout[k]); });
        v.names.forEach(function (name, i) { if (fig.data[i]) { fig.data[i].name = name; } });
      }
      // Keep the designed height when plotly resizes with the window.
      if (fig.layout && fig.layout.height) { target.style.height = fig.layout.height + "px"; }
      charts.push({ target: target, layouts: layouts, chosen: chosen });
      var config = { responsive: true, displaylogo: false, showLink: false, showSendToCloud: false };
      window.Plotly.newPlot(target, fig.data, fig.layout, config).then(function () {
        target.dataset.drawn = "true";
      });
    });
  }

  function relayout() {
    charts.forEach(function (c) {
      if (!c.layouts || !c.target.dataset.drawn) { return; }
      var chosen = pick(c.layouts, c.target.clientWidth);
      if (chosen === c.chosen) { return; }
      c.chosen = chosen;
      var v = c.layouts[chosen];
      c.target.style.height = v.layout.height + "px";
      window.Plotly.update(c.target, { name: v.names }, v.layout);
    });
  }

  var timer = null;
  window.addEventListener("resize", function () {
    clearTimeout(timer);
    timer = setTimeout(relayout, 150);
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
