/* Draws the book's charts from the inert JSON that each chart's <figure> carries.
   The site's own script, so the Content-Security-Policy needs no inline code.

   Each chart is laid out in pixels for a given width (kabulcase.figures.theme.finish):
   title, plot, axis, legend and source note are stacked to a fixed height. The chart's
   layout.meta.layouts lists the layouts it has, widest first (the text column on a
   desktop, then on a phone). The script draws the widest that fits the chart's
   container, keeps the container at that layout's height (so plotly keeps it when it
   resizes), starts the legend where the layout says, and redoes this whenever the
   container's width changes (a window resized, a sidebar opened or closed). */
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
    for (var i = 0; i < layouts.length; i++) {
      if (layouts[i].width <= width + SLACK) { return i; }
    }
    return layouts.length - 1;
  }

  function legendX(margin, v, width) {
    // A layout's legend starts legend_left px from the figure's left edge; plotly places
    // legends in fractions of the plot's width (from -2), which changes with the window.
    var plot = width - (margin.l || 0) - (margin.r || 0);
    return plot > 0 ? Math.max(-2, (v.legend_left - (margin.l || 0)) / plot) : 0;
  }

  // Fit one drawn chart to its container's current width.
  function fit(c) {
    var width = c.target.clientWidth;
    if (!width || width === c.width) { return; }
    c.width = width;
    var chosen = pick(c.layouts, width);
    var v = c.layouts[chosen];
    var update = { "legend.x": legendX(c.margin, v, width) };
    var names = null;
    if (chosen !== c.chosen) {
      c.chosen = chosen;
      Object.keys(v.layout).forEach(function (k) { update[k] = v.layout[k]; });
      names = { name: v.names };
      c.target.style.height = v.layout.height + "px";
    }
    // A new height alone would fix plotly's width at its old value: keep it automatic.
    update.width = null;
    update.autosize = true;
    c.busy = (c.busy || Promise.resolve()).then(function () {
      return names ? window.Plotly.update(c.target, names, update)
                   : window.Plotly.relayout(c.target, update);
    }).then(function () {
      return window.Plotly.Plots.resize(c.target);
    }).then(function () {
      c.target.dataset.layout = String(v.width);
    });
  }

  function draw() {
    if (typeof window.Plotly === "undefined") {
      console.error("kc-charts: plotly.js did not load, charts cannot be drawn");
      return;
    }
    document.querySelectorAll("script.kc-plot-data").forEach(function (node) {
      var target = document.getElementById(node.dataset.target);
      if (!target || target.dataset.drawn) { return; }
      var fig = JSON.parse(node.textContent);
      var meta = fig.layout && fig.layout.meta;
      var layouts = meta && Array.isArray(meta.layouts) && meta.layouts.length ? meta.layouts : null;
      var c = { target: target, layouts: layouts, margin: (fig.layout && fig.layout.margin) || {} };
      if (layouts) {
        c.width = target.clientWidth;
        c.chosen = pick(layouts, c.width);
        var v = layouts[c.chosen];
        Object.keys(v.layout).forEach(function (k) { setPath(fig.layout, k, v.layout[k]); });
        v.names.forEach(function (name, i) { if (fig.data[i]) { fig.data[i].name = name; } });
        setPath(fig.layout, "legend.x", legendX(c.margin, v, c.width));
      }
      // Keep the designed height when plotly resizes with the window.
      if (fig.layout && fig.layout.height) { target.style.height = fig.layout.height + "px"; }
      var config = { responsive: true, displaylogo: false, showLink: false, showSendToCloud: false };
      window.Plotly.newPlot(target, fig.data, fig.layout, config).then(function () {
        target.dataset.drawn = "true";
        if (!layouts) { return; }
        target.dataset.layout = String(layouts[c.chosen].width);
        if (typeof window.ResizeObserver === "function") {
          var timer = null;
          new window.ResizeObserver(function () {
            clearTimeout(timer);
            timer = setTimeout(function () { fit(c); }, 100);
          }).observe(target);
        }
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
