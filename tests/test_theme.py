"""The one chart layout (kabulcase.figures.theme.finish), for every chart builder.

For each builder in kabulcase.figures, at each width the chart is laid out for (the
book's text column on a desktop and on a phone): the title, legend names and source note
are wrapped to the width, the legend and the note sit below the plot inside the figure's
height, and in Debian's chromium no text leaves the figure, the legend, note, axis title
and slider do not overlap, and each chart's container keeps the designed height through
window resizes.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import shutil

import plotly.graph_objects as go
import ipywidgets
import pytest
from support import REPO, draw_every_chart

import kabulcase.figures
from kabulcase import render
from kabulcase.figures import models as model_figures
from kabulcase.figures import theme
from kabulcase.widgets import cost as cost_widgets
from kabulcase.widgets import detection as detection_widgets

def _updated(dashboard, chart):
    """Arguments for a dashboard's in-place update: its chart at the defaults, moved to
    every slider's top end (a setting the chart was not first drawn for)."""
    def top(control, value):
        if isinstance(control, ipywidgets.FloatLogSlider):  # its max is an exponent
            return control.base ** control.max
        return getattr(control, "max", value)

    def args():
        board = dashboard()
        values = {k: top(board.controls[k], v) for k, v in board.values().items()}
        return dict(fig=chart(), params=values)
    return args


# Builders whose parameters have no defaults, with arguments to draw them (a dict, or a
# function returning one when the arguments are themselves built).
SAMPLE_ARGS = {
    "kabulcase.figures.power.uptime_chart": dict(supply_hours=4, battery_hours=6, solar_hours=1),
    "kabulcase.figures.models.update_cost_dashboard_chart":
        _updated(cost_widgets.cost_dashboard, model_figures.cost_dashboard_chart),
    "kabulcase.figures.models.update_detection_dashboard_chart":
        _updated(detection_widgets.detection_dashboard, model_figures.detection_dashboard_chart),
}


def sample_args(qualname: str) -> dict:
    args = SAMPLE_ARGS.get(qualname, {})
    return args() if callable(args) else args


def chart_builders() -> list[tuple[str, object]]:
    """Every public function in kabulcase.figures' modules that returns a plotly figure."""
    found = []
    for info in pkgutil.iter_modules(kabulcase.figures.__path__):
        if info.name == "theme":
            continue
        module = importlib.import_module(f"kabulcase.figures.{info.name}")
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("_") or fn.__module__ != module.__name__:
                continue
            if inspect.signature(fn).return_annotation not in ("go.Figure", go.Figure):
                continue
            found.append((f"{module.__name__}.{name}", fn))
    return found


BUILDERS = chart_builders()


def required_args(fn) -> list[str]:
    params = inspect.signature(fn).parameters.values()
    return [p.name for p in params if p.default is p.empty
            and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]


@pytest.fixture(scope="module")
def figures() -> dict[str, go.Figure]:
    """Every builder's figure, drawn with its defaults (or SAMPLE_ARGS)."""
    return {q: fn(**sample_args(q)) for q, fn in BUILDERS
            if q in SAMPLE_ARGS or not required_args(fn)}


CHAPTER_MODULES = ("case", "power", "threat", "rights", "money", "governance")


def test_every_chapter_module_has_builders():
    modules = {q.split(".")[2] for q, _ in BUILDERS}
    assert set(CHAPTER_MODULES) <= modules


def test_no_private_layout_copies_remain():
    """One layout: no chart module re-wraps, re-places or re-sizes after finish()."""
    pattern = re.compile(r"def _(tidy|fit_note|set_height|size|refit_note|wrap\w*|"
                         r"make_room_for_slider|note_chars|factor_label|hover)\b|"
                         r"_place_legend_and_note|textwrap|\bTEXT_WIDTH\s*=|BOOK_WIDTH")
    for name in CHAPTER_MODULES + ("models", "synthesis"):
        path = REPO / "kabulcase" / "figures" / f"{name}.py"
        hits = pattern.findall(path.read_text())
        assert not hits, f"{path.name} has its own layout code: {hits}"


def test_wrap_keeps_words_and_breaks_and_fits_pixels():
    text = "Source: a very long publisher name (2023); another publisher (2024). Data: data/x.csv."
    lines = theme.wrap(text, px=200, size=11).split("<br>")
    assert " ".join(lines) == text
    assert all(theme.text_px(line, 11) <= 200 for line in lines)
    assert theme.wrap("one<br>two three", 120) == "one<br>two three"
    assert theme.wrap("aaa bbb ccc", 7) == "aaa bbb<br>ccc"
    # A tag with spaces inside is one token and has no width.
    assert theme.text_px("<span style='font-size:12px'>ab</span>", 10) == theme.text_px("ab", 10)
    assert theme.text_px("<b>ab</b>", 10) > theme.text_px("ab", 10)


def test_finish_keeps_a_builder_height_and_honours_plot_height():
    import pandas as pd

    frame = pd.DataFrame({"x": [1, 2], "y": [3, 4], "source_id": ["reuters-2023-09-25"] * 2})
    frame.attrs.update(dataset="demo", path="demo.csv")
    kw = dict(title="A title", alt="alt", description="desc", table={"columns": [], "rows": []})
    fig = go.Figure(go.Scatter(x=[1, 2], y=[3, 4], name="a"))
    fig.update_layout(height=600)
    theme.finish(fig, [frame], **kw)
    assert fig.layout.height == 600
    fig = theme.finish(go.Figure(go.Scatter(x=[1, 2], y=[3, 4])), [frame], plot_height=250, **kw)
    assert fig.layout.height - fig.layout.margin.t - fig.layout.margin.b == 250
    # slider=True reserves the slider's band under the axis.
    with_slider = theme.finish(go.Figure(go.Scatter(x=[1, 2], y=[3, 4])), [frame],
                               plot_height=250, slider=True, **kw)
    assert with_slider.layout.margin.b - fig.layout.margin.b == theme.SLIDER_SPACE


def variant_layout(fig: go.Figure, variant: dict) -> tuple[go.Figure, list[str]]:
    copy = go.Figure(fig)
    theme._set(copy, variant["layout"])
    return copy, variant["names"]


@pytest.mark.parametrize("qualname", [q for q, _ in BUILDERS])
def test_layout_fits_the_text_column_at_every_width(figures, qualname):
    assert qualname in figures, (f"{qualname} needs {', '.join(required_args(dict(BUILDERS)[qualname]))}: "
                                 f"add them to SAMPLE_ARGS")
    fig = figures[qualname]
    layouts = fig.layout.meta["layouts"]
    assert [v["width"] for v in layouts] == [theme.TEXT_WIDTH, theme.NARROW_WIDTH]
    for variant in layouts:
        width = variant["width"]
        f, names = variant_layout(fig, variant)
        title_size, legend_size, note_size = theme.SIZES[width]
        budget = width - 2 * theme.EDGE
        height, top, bottom = f.layout.height, f.layout.margin.t, f.layout.margin.b
        plot = height - top - bottom
        assert plot >= 150, f"{qualname} at {width}px: plot area only {plot}px"
        assert height <= 2000, f"{qualname} at {width}px: {height}px tall"
        for line in str(f.layout.title.text).split("<br>"):
            assert theme.text_px(line, title_size) <= budget, (qualname, width, line)
        [note] = [a for a in f.layout.annotations if str(a.text).startswith("Source:")]
        note_lines = str(note.text).split("<br>")
        for line in note_lines:
            assert theme.text_px(line, note_size) <= budget, (qualname, width, line)
        # The note starts at the figure's left edge (x=0 is the plot's left edge).
        assert note.xref == "paper" and note.x == 0 and note.xanchor == "left"
        assert note.xshift == -(f.layout.margin.l - theme.EDGE)
        note_top = top + plot - note.yshift
        note_bottom = note_top + len(note_lines) * note_size * theme.LINE
        assert note_bottom <= height, f"{qualname} at {width}px: note below the figure"
        shown = [i for i, t in enumerate(f.data) if t.showlegend is not False and t.name]
        if f.layout.showlegend:
            legend_top = (1 - f.layout.legend.y) * height
            assert legend_top >= top + plot + 20, f"{qualname}: legend over the x axis"
            rows = sum(3 + max(16, len(names[i].split("<br>")) * legend_size * theme.LINE)
                       for i in shown)
            assert legend_top + rows <= note_top, f"{qualname} at {width}px: legend over the note"
            room = width - variant["legend_left"] - theme.EDGE - theme._LEGEND_SYMBOL
            for i in shown:
                for line in names[i].split("<br>"):
                    assert theme.text_px(line, legend_size) <= room, (qualname, width, line)
        else:
            assert len(shown) <= 1


# ---------------------------------------------------------------------------------------
# In the browser: what a reader sees
# ---------------------------------------------------------------------------------------

PAGE = """<!doctype html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="kabul.css"><style>
body {{ margin: 0; }} main {{ max-width: 656px; margin: 0 auto; padding: 0 32px; }}
.visually-hidden {{ position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }}
</style></head><body><main>{body}</main>
<script src="kc-charts.js"></script></body></html>"""

# strict: every piece of text must lie inside the figure; otherwise only the text that
# the shared layout wraps and places (title, legend, source note, x-axis titles).
CHECK = r"""(strict) => Array.from(document.querySelectorAll('.kc-plot')).map((gd) => {
  const R = gd.getBoundingClientRect(); const issues = [];
  const rel = (r) => ({l: r.left - R.left, t: r.top - R.top, r: r.right - R.left, b: r.bottom - R.top});
  const placed = (t) => t.closest('g.g-gtitle, g.legend, g.g-xtitle') ||
    (t.closest('g.annotation') && t.closest('g.annotation').textContent.startsWith('Source:'));
  gd.querySelectorAll('svg text').forEach(t => {
    if (!t.textContent.trim() || t.closest('.hoverlayer') || !(strict || placed(t))) return;
    const b = rel(t.getBoundingClientRect()); if (b.r - b.l < 1) return;
    if (b.l < -1 || b.r > R.width + 1 || b.t < -1 || b.b > R.height + 1)
      issues.push(`text outside the figure: "${t.textContent.slice(0, 40)}" at ` +
                  `[${b.l | 0}, ${b.t | 0}, ${b.r | 0}, ${b.b | 0}] in ${R.width | 0}x${R.height | 0}`);
  });
  const parts = {};
  const box = (name, el) => { if (!el) return; const r = el.getBoundingClientRect();
    if (r.width > 0 && r.height > 0) parts[name] = rel(r); };
  box('legend', gd.querySelector('g.legend'));
  box('slider', gd.querySelector('g.slider-container'));
  box('title', gd.querySelector('g.g-gtitle'));
  gd.querySelectorAll('g.g-xtitle').forEach((e, k) => box('xtitle' + k, e));
  gd.querySelectorAll('g.annotation').forEach(a => { if (a.textContent.startsWith('Source:')) box('note', a); });
  const sz = gd._fullLayout._size;
  parts.plot = {l: sz.l, t: sz.t, r: sz.l + sz.w, b: sz.t + sz.h};
  const keys = Object.keys(parts);
  for (let a = 0; a < keys.length; a++) for (let b = a + 1; b < keys.length; b++) {
    const p = parts[keys[a]], q = parts[keys[b]];
    if ([keys[a], keys[b]].some(k => k.startsWith('xtitle')) && [keys[a], keys[b]].includes('plot')) continue;
    const w = Math.min(p.r, q.r) - Math.max(p.l, q.l), h = Math.min(p.b, q.b) - Math.max(p.t, q.t);
    if (w > 1 && h > 1) issues.push(`${keys[a]} overlaps ${keys[b]} (${w | 0}x${h | 0} px)`);
  }
  const fig = JSON.parse(document.querySelector(`script[data-target="${gd.id}"]`).textContent);
  const layouts = fig.layout.meta.layouts;
  let v = layouts.find(l => l.width <= R.width + 4) || layouts[layouts.length - 1];
  if (Math.abs(R.height - v.layout.height) > 1)
    issues.push(`container is ${R.height}px tall, its ${v.width}px layout ${v.layout.height}px`);
  if (gd._fullLayout.height !== v.layout.height)
    issues.push(`plotly drew ${gd._fullLayout.height}px, the ${v.width}px layout is ${v.layout.height}px`);
  return {name: gd.dataset.name, width: R.width, issues};
})"""


@pytest.fixture(scope="module")
def chart_page(figures, tmp_path_factory):
    folder = tmp_path_factory.mktemp("charts")
    bundle = REPO / "node_modules" / "plotly.js-cartesian-dist-min" / "plotly-cartesian.min.js"
    if not bundle.exists():
        pytest.fail("plotly.js's cartesian bundle is missing: run 'npm ci --omit=dev'.")
    shutil.copy(bundle, folder / "plotly.min.js")  # kc-charts.js fetches it from beside itself
    for name in ("kc-charts.js", "kabul.css"):
        shutil.copy(REPO / "book" / "_static" / name, folder / name)
    body = "".join(render.figure_html(fig.to_dict(), chart_id=f"c{i}").replace(
        'class="kc-plot"', f'class="kc-plot" data-name="{q}"')
        for i, (q, fig) in enumerate(figures.items()))
    (folder / "index.html").write_text(PAGE.format(body=body), encoding="utf-8")
    return (folder / "index.html").as_uri()


def check_at(page, width: int, strict: bool = True) -> list[str]:
    page.set_viewport_size({"width": width, "height": 900})
    # kc-charts.js marks each chart with the width of the layout it shows.
    page.wait_for_function(
        """() => Array.from(document.querySelectorAll('.kc-plot')).every(gd => {
             const layouts = JSON.parse(document.querySelector(
               `script[data-target="${gd.id}"]`).textContent).layout.meta.layouts;
             const w = gd.getBoundingClientRect().width;
             const v = layouts.find(l => l.width <= w + 4) || layouts[layouts.length - 1];
             return gd.dataset.layout === String(v.width); })""", timeout=30000)
    page.wait_for_timeout(300)
    return [f"{r['name']} ({r['width']:.0f}px wide): {issue}"
            for r in page.evaluate(CHECK, strict) for issue in r["issues"]]


def test_charts_fit_and_keep_their_height_in_the_browser(browser, chart_page, figures):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(chart_page)
    assert draw_every_chart(page, timeout=60000) >= len(figures)
    problems = []
    # Desktop, then a phone-sized window, then back: the layouts switch on resize. On a
    # phone, data labels and notes a builder placed may still run off the plot; what the
    # shared layout places must not.
    for width in (1280, 420, 1280):
        problems += [f"at {width}px: {p}" for p in check_at(page, width, strict=width > 420)]
    page.close()
    assert not errors
    assert not problems, "\n".join(problems)
