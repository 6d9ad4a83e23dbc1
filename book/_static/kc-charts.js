/* Draws the book's charts from the inert JSON that each chart's <figure> carries.
   The site's own script, so the Content-Security-Policy needs no inline code.

   plotly.js (1.5 MB) is fetched only when the first chart comes near the screen, and
   each chart is drawn as it comes near, one at a time: a reader who never scrolls to a
   chart never pays for it, and no single long task blocks the page. Each chart's box
   keeps its height from the start, so drawing it later moves nothing on the page.
   Printing from the browser draws every chart first.

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

  // plotly.min.js sits next to this script in _static (the book's extension puts it there).
  var SCRIPT = document.currentScript;
  var PLOTLY_SRC = SCRIPT ? SCRIPT.src.replace(/kc-charts\.js(\?.*)?$/, "plotly.min.js") : null;
  var NEAR = "600px 0px"; // start drawing a chart this far before it scrolls into view
  var plotlyLoad = null;

  function loadPlotly() {
    if (plotlyLoad) { return plotlyLoad; }
    plotlyLoad = new Promise(function (resolve, reject) {
      if (window.Plotly) { resolve(); return; }
      var s = document.createElement("script");
      s.src = PLOTLY_SRC;
      s.onload = function () {
        if (window.Plotly) { resolve(); } else { reject(new Error("plotly.js did not define Plotly")); }
      };
      s.onerror = function () { reject(new Error("could not load " + PLOTLY_SRC)); };
      document.head.appendChild(s);
    });
    return plotlyLoad;
  }

  // The height of the layout that fits the container now (0 while it is folded away).
  function designedHeight(c) {
    var width = c.target.clientWidth;
    var own = (c.fig.layout && c.fig.layout.height) || 0;
    if (!c.layouts || !width) { return width ? own : 0; }
    return c.layouts[pick(c.layouts, width)].layout.height || own;
  }

  // Read a chart's JSON and give its container the chart's height now, so the page does
  // not move when the chart is drawn.
  function prepare(node) {
    var target = document.getElementById(node.dataset.target);
    if (!target) { return null; }
    var fig = JSON.parse(node.textContent);
    var meta = fig.layout && fig.layout.meta;
    var layouts = meta && Array.isArray(meta.layouts) && meta.layouts.length ? meta.layouts : null;
    var c = { target: target, fig: fig, layouts: layouts, margin: (fig.layout && fig.layout.margin) || {} };
    var height = designedHeight(c);
    if (height) { target.style.height = height + "px"; }
    return c;
  }

  // Settle the layout for the container's width when the chart is drawn: a chart in a
  // folded section has no width until the reader unfolds it.
  function drawOne(c) {
    var fig = c.fig;
    if (c.layouts) {
      c.width = c.target.clientWidth;
      c.chosen = pick(c.layouts, c.width);
      var v = c.layouts[c.chosen];
      Object.keys(v.layout).forEach(function (k) { setPath(fig.layout, k, v.layout[k]); });
      v.names.forEach(function (name, i) { if (fig.data[i]) { fig.data[i].name = name; } });
      setPath(fig.layout, "legend.x", legendX(c.margin, v, c.width));
    }
    // Keep the designed height when plotly resizes with the window.
    if (fig.layout && fig.layout.height) { c.target.style.height = fig.layout.height + "px"; }
    var config = { responsive: true, displaylogo: false, showLink: false, showSendToCloud: false };
    return window.Plotly.newPlot(c.target, fig.data, fig.layout, config).then(function () {
      c.target.dataset.drawn = "true";
      c.fig = null; // plotly keeps its own copy
      if (!c.layouts) { return; }
      c.target.dataset.layout = String(c.layouts[c.chosen].width);
      if (typeof window.ResizeObserver === "function") {
        var timer = null;
        new window.ResizeObserver(function () {
          clearTimeout(timer);
          timer = setTimeout(function () { fit(c); }, 100);
        }).observe(c.target);
      }
    });
  }

  var waiting = [];
  var busy = false;

  function request(c) {
    if (c.queued) { return; }
    c.queued = true;
    waiting.push(c);
    pump();
  }

  // One chart per task, in the order they were asked for.
  function pump() {
    if (busy || !waiting.length) { return; }
    busy = true;
    loadPlotly().then(function () {
      return drawOne(waiting.shift());
    }).then(function () {
      busy = false;
      setTimeout(pump, 0);
    }, function (err) {
      console.error("kc-charts: " + err.message + "; charts cannot be drawn");
    });
  }

  function start() {
    var charts = [];
    document.querySelectorAll("script.kc-plot-data").forEach(function (node) {
      var c = prepare(node);
      if (c) { charts.push(c); }
    });
    if (!charts.length) { return; }
    window.addEventListener("beforeprint", function () { charts.forEach(request); });
    if (typeof window.IntersectionObserver !== "function") {
      charts.forEach(request);
      return;
    }
    var byTarget = new Map(charts.map(function (c) { return [c.target, c]; }));
    var observer = new window.IntersectionObserver(function (entries) {
      entries.forEach(function (e) {
        if (!e.isIntersecting) { return; }
        observer.unobserve(e.target);
        request(byTarget.get(e.target));
      });
    }, { rootMargin: NEAR });
    charts.forEach(function (c) { observer.observe(c.target); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
