"""One look for every chart in the book, and the accessibility metadata each chart carries.

Every chart builder ends with :func:`finish`, which applies the shared template, writes
the source note under the plot from the rows that were plotted (never from hand-typed
text), and stores the chart's alt text, long description and data table in
``fig.layout.meta`` so that the book's renderer (:mod:`kabulcase.render`) can label the
figure for screen readers and print its data as a table.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable, Sequence

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from .. import translation
from ..data import sources_for

# Okabe & Ito's palette, safe for the common colour-vision deficiencies; the yellow is
# left out because it has too little contrast on white. Traces also differ by marker
# symbol or line dash, so colour never carries meaning alone.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]
SYMBOLS = ["circle", "square", "diamond", "triangle-up", "x", "star", "cross"]
DASHES = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot"]
# System fonts only: the book loads no web fonts.
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
TEMPLATE_NAME = "kabulcase"

template = go.layout.Template(
    layout=dict(
        font=dict(family=FONT, size=14, color="#222222"),
        title=dict(font=dict(size=17), x=0, xanchor="left", y=0.97, yanchor="top"),
        colorway=PALETTE,
        paper_bgcolor="white",
        plot_bgcolor="white",
        xaxis=dict(showline=True, linecolor="#444444", ticks="outside", gridcolor="#e5e5e5",
                   zeroline=False, title=dict(standoff=8)),
        yaxis=dict(showline=True, linecolor="#444444", ticks="outside", gridcolor="#e5e5e5",
                   zeroline=False, title=dict(standoff=8)),
        legend=dict(bgcolor="rgba(255,255,255,0)"),
        hoverlabel=dict(font=dict(family=FONT)),
        margin=dict(l=70, r=30, t=80, b=120),
        height=520,
    )
)
pio.templates[TEMPLATE_NAME] = template


class ChartDataError(ValueError):
    """A chart builder was given a table it cannot draw honestly."""


def require_columns(frame: pd.DataFrame, columns: Iterable[str], chart: str) -> None:
    """Refuse a table that lacks columns the chart needs, naming them."""
    if not isinstance(frame, pd.DataFrame):
        raise ChartDataError(f"{chart} needs a pandas DataFrame, got {type(frame).__name__}.")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ChartDataError(
            f"{chart} needs the column(s) {', '.join(missing)}, which the table lacks "
            f"(it has: {', '.join(map(str, frame.columns))}). Pass the dataset as "
            f"loaded by kabulcase.load(), or rows filtered from it."
        )
    if frame.empty:
        raise ChartDataError(f"{chart} was given an empty table: there is nothing to draw.")


MAX_NOTE_SOURCES = 4


def source_note(*frames: pd.DataFrame, limit: int = MAX_NOTE_SOURCES) -> str:
    """'Source: publisher (year); …' for the rows in ``frames``, from data/sources.csv.

    At most ``limit`` sources are named under the chart; the rest are counted and left
    to the data table (which lists every row's sources) and the data appendix.
    """
    seen: dict[str, str] = {}
    for frame in frames:
        for row in sources_for(frame).itertuples():
            year = "n.d." if pd.isna(row.date_published) else str(row.date_published)[:4]
            seen.setdefault(row.source_id, f"{row.publisher} ({year})")
    if not seen:
        raise ChartDataError("The plotted rows cite no source; every chart needs one.")
    datasets = sorted({f.attrs.get("path", "") for f in frames} - {""})
    data_part = f" Data: {', '.join('data/' + d for d in datasets)}." if datasets else ""
    names = list(seen.values())
    shown = "; ".join(names[:limit])
    if len(names) > limit:
        rest = len(names) - limit
        shown += f"; and {rest} more source{'s' if rest > 1 else ''} (see the data table)"
    return "Source: " + shown + "." + data_part


# Advance widths (in em) of DejaVu Sans, the font a Debian browser draws the book's
# system-font stack in and the widest of the common system fonts: text laid out for it
# fits wherever the reader's font is narrower. Characters not listed count as 0.7 em.
_EM_WIDTHS = {
    "ijlIJ'": 0.30,
    " ,.:;|/\\\u00b7\u2018\u2019": 0.34,
    "!-()[]frt": 0.40,
    "*_`\u2013\"\u201c\u201d?csz": 0.54,
    "aekovxyFLPTY\u00e9": 0.62,
    "0123456789bdghnpqu{}$ES": 0.64,
    "ABCKRVXZ": 0.70,
    "&DGHNOQU": 0.79,
    "#+<=>^~\u2212\u2248\u00f7\u25b2\u25b6Mw": 0.87,
    "%@mW\u2014": 1.0,
}
_EM = {ch: w for chars, w in _EM_WIDTHS.items() for ch in chars}
_TAG = re.compile(r"<[^>]*>")


def text_px(line: str, size: float) -> float:
    """Width in pixels of one line of plotly text (HTML tags allowed) at ``size`` px.

    Bold text counts about an eighth wider; an over-estimate is safe, an under-estimate
    cuts the text off at the figure's edge.
    """
    width, bold = 0.0, False
    for piece in re.split(r"(<[^>]*>)", line):
        if piece.startswith("<"):
            tag = piece.lower().replace(" ", "")
            bold = True if tag == "<b>" else False if tag == "</b>" else bold
            continue
        em = sum(_EM.get(ch, 0.7) for ch in html.unescape(piece))
        width += em * size * (1.12 if bold else 1.0)
    return width


def usd(x: float) -> str:
    """USD in words a reader can say: 'USD 787 million', 'USD 1.2 billion', 'USD 5,000'."""
    x = float(x)
    if abs(x) >= 1e9:
        return f"USD {x / 1e9:,.1f} billion"
    if abs(x) >= 1e7:
        return f"USD {x / 1e6:,.0f} million"
    if abs(x) >= 1e6:
        return f"USD {x / 1e6:,.1f} million"
    return f"USD {x:,.0f}"


def wrap(text: str, width: int = 120, *, px: float | None = None, size: float = 14) -> str:
    """Break text into lines with ``<br>``: SVG text in a plotly figure does not wrap.

    Lines hold at most ``width`` characters, or, with ``px``, at most ``px`` pixels of
    text at font size ``size`` (see :func:`text_px`). Existing ``<br>`` breaks are kept;
    a single word longer than the line stays whole. HTML tags count as no width.
    """
    def fits(line: str) -> bool:
        if px is not None:
            return text_px(line, size) <= px
        return len(_TAG.sub("", line)) <= width

    out = []
    for paragraph in str(text).split("<br>"):
        # Spaces inside a tag (<span style='...'>) must not split it.
        words = [w.replace("\0", " ") for w in
                 _TAG.sub(lambda m: m.group(0).replace(" ", "\0"), paragraph).split()]
        lines, line = [], ""
        for word in words:
            candidate = f"{line} {word}" if line else word
            if line and not fits(candidate):
                lines.append(line)
                line = word
            else:
                line = candidate
        lines.append(line)
        out.extend(lines)
    return "<br>".join(out)


def table_payload(frame: pd.DataFrame, columns: Sequence[str]) -> dict:
    """The chart's data as plain columns and rows, for the folded data table."""
    rows = []
    for record in frame[list(columns)].itertuples(index=False):
        row = []
        for v in record:
            if v is None or (not isinstance(v, str) and pd.isna(v)):
                row.append("")
            elif isinstance(v, pd.Timestamp):
                row.append(v.strftime("%Y-%m-%d"))
            elif isinstance(v, float) and v.is_integer():
                row.append(str(int(v)))
            else:
                row.append(str(v))
        rows.append(row)
    return {"columns": list(columns), "rows": rows}


# ---------------------------------------------------------------------------------------
# The one layout: title, plot, axis, slider, legend and source note in pixel space
# ---------------------------------------------------------------------------------------

TEXT_WIDTH = 650
"""Width (px) of the book's text column at a desktop window: charts are laid out for it."""
NARROW_WIDTH = 340
"""Width (px) of the text column on a phone-sized window (a 420 px wide window gives 356)."""
EDGE = 8
"""Pixels between the figure's left edge and the title, the legend and the source note."""
DEFAULT_PLOT_HEIGHT = 380
SLIDER_SPACE = 96
"""Pixels a slider takes under the x axis: its current value, the rail and step labels."""
# Font sizes (px) of the title, legend and source note at each width the figure is laid
# out for; the narrow layout uses smaller type so that more fits on a line.
SIZES = {TEXT_WIDTH: (17, 12, 11), NARROW_WIDTH: (15, 11, 10)}
LINE = 1.3  # plotly's line spacing for multi-line text
_TITLE_TOP = 6  # px above the title's first line
_LEGEND_SYMBOL = 44  # the legend's symbol column, before the name starts
_GAP = 8


def _lines(text: str) -> int:
    return str(text).count("<br>") + 1


def _legend_traces(fig: go.Figure) -> list[int]:
    """Indices of the traces with a legend entry (a trace without a name gets none)."""
    shown = []
    for i, trace in enumerate(fig.data):
        if not trace.name:
            trace.showlegend = False
        elif trace.showlegend is not False:
            shown.append(i)
    return shown


def _axes(fig: go.Figure, letter: str) -> dict[str, object]:
    """The figure's x or y axes by reference ('x', 'x2', ...)."""
    found = {}
    for key in fig.layout:
        if key.startswith(f"{letter}axis") and fig.layout[key] is not None:
            found[letter + key[5:]] = fig.layout[key]
    return found or {letter: fig.layout[f"{letter}axis"]}


_DATE = re.compile(r"\d{4}(-\d\d){0,2}( \d\d:\d\d(:\d\d)?)?$")


def _text_labels(fig: go.Figure, letter: str, ref: str, axis) -> list[str]:
    """An axis's tick labels where they are text: its ``ticktext``, or the categories of
    the traces drawn on it (numbers and dates give none)."""
    if axis.ticktext is not None and len(axis.ticktext):
        return [str(t) for t in axis.ticktext]
    labels = []
    for trace in fig.data:
        values = getattr(trace, letter, None)
        if (getattr(trace, f"{letter}axis", None) or letter) != ref or values is None:
            continue
        labels += [v for v in values if isinstance(v, str) and not _DATE.match(v)]
    return list(dict.fromkeys(labels))


def _tick_lines(fig: go.Figure, ref: str, axis) -> int:
    """Lines in the tallest tick label of x axis ``ref`` (dates may take two)."""
    if axis.showticklabels is False:
        return 0
    labels = _text_labels(fig, "x", ref, axis)
    if labels:
        return max(_lines(t) for t in labels)
    for trace in fig.data:
        values = getattr(trace, "x", None)
        if (getattr(trace, "xaxis", None) or "x") != ref or values is None:
            continue
        if any(hasattr(v, "year") or (isinstance(v, str) and "-" in v) for v in values):
            return 2  # plotly may write the year under the month
    return 1


def _label_px(labels: list[str], size: float) -> float:
    """Width of the widest line of the widest label."""
    return max(text_px(line, size) for label in labels for line in str(label).split("<br>"))


def _axis_title_size() -> float:
    """plotly's default size for axis titles: a fifth larger than the figure's font."""
    return round(template.layout.font.size * 1.2)


def _axis_px(fig: go.Figure, ref: str, axis) -> float:
    """Height of an x axis's tick labels and title, outside the plot."""
    size = (axis.tickfont.size if axis.tickfont and axis.tickfont.size else
            template.layout.font.size)
    px = 9 + _tick_lines(fig, ref, axis) * size * LINE
    if axis.title and axis.title.text:
        standoff = axis.title.standoff if axis.title.standoff is not None else 8
        tsize = (axis.title.font.size if axis.title.font and axis.title.font.size
                 else _axis_title_size())
        px += standoff + _lines(axis.title.text) * tsize * LINE
    return px


def _edge_axes(fig: go.Figure) -> tuple[list, list]:
    """The x axes drawn under the bottom of the plotting area, and those over its top."""
    ys = _axes(fig, "y")
    bottom, top = [], []
    for ref, axis in _axes(fig, "x").items():
        anchor = ys.get(axis.anchor if axis.anchor and axis.anchor != "free" else "y" + ref[1:])
        domain = list(anchor.domain) if anchor is not None and anchor.domain else [0, 1]
        if axis.side == "top":
            if domain[1] > 0.99:
                top.append((ref, axis))
        elif domain[0] < 0.01:
            bottom.append((ref, axis))
    return bottom, top


def _left_margin(fig: go.Figure) -> int:
    """A left margin that fits the y axes' text labels and titles; numeric labels get
    the template's margin."""
    need = template.layout.margin.l
    for ref, axis in _axes(fig, "y").items():
        if axis.side == "right" or axis.showticklabels is False:
            continue
        labels = _text_labels(fig, "y", ref, axis)
        if not labels:
            continue
        size = axis.tickfont.size if axis.tickfont and axis.tickfont.size else template.layout.font.size
        px = _label_px(labels, size) + 14
        if axis.title and axis.title.text:
            px += 8 + _lines(axis.title.text) * _axis_title_size() * LINE
        need = max(need, math.ceil(px))
    return need


def _top_space(fig: go.Figure, plot_height: float) -> float:
    """Pixels that subplot titles, annotations, buttons or a top axis need above the plot."""
    need = 0.0
    ys = _axes(fig, "y")
    for ann in fig.layout.annotations:
        if str(ann.text or "").startswith("Source:") or ann.y is None:
            continue
        y = ann.y
        if ann.yref and ann.yref.endswith(" domain"):  # within one panel: as paper
            axis = ys.get(ann.yref.split()[0])
            lo, hi = list(axis.domain) if axis is not None and axis.domain else [0, 1]
            y = lo + ann.y * (hi - lo)
        elif ann.yref != "paper":  # data coordinates (plotly's default): inside the plot
            continue
        if y >= 0.99 and ann.yanchor in ("bottom", None, "auto"):
            size = ann.font.size if ann.font and ann.font.size else template.layout.font.size
            need = max(need, (y - 1) * plot_height + (ann.yshift or 0)
                       + _lines(ann.text) * size * LINE + 4)
    for menu in fig.layout.updatemenus:
        if menu.y is not None and menu.y >= 1 and menu.yanchor == "bottom":
            size = menu.font.size if menu.font and menu.font.size else template.layout.font.size
            rows = (len(menu.buttons) if menu.type == "buttons"
                    and menu.direction in ("down", "up") else 1)
            need = max(need, (menu.y - 1) * plot_height + rows * (size * LINE + 19) + 4)
    for ref, axis in _edge_axes(fig)[1]:
        need = max(need, _axis_px(fig, ref, axis))
    return need


def _layout_for(fig: go.Figure, width: int, *, title: str, note: str, axis_titles: dict,
                headings: dict, auto_angle: list, note_index: int, plot_height: float,
                axis_space: float, top_space: float | None,
                slider: bool) -> tuple[dict, list, float]:
    """Every layout value that depends on the width the figure is laid out for.

    Returns plotly attribute strings with their values (for ``fig.update_layout`` and
    for ``Plotly.relayout`` in the book's page), the trace names for the legend and how
    far (px) from the figure's left edge the legend starts in the book's page. From
    the top down: the title (wrapped to the figure's width), ``top_space``, the plot
    (``plot_height``), the x axis (``axis_space``), a slider, the legend (one entry per
    row, names wrapped) and the source note (wrapped), all measured in pixels. The x
    axes' titles (``axis_titles``) and the headings over panels (``headings``,
    annotation index to text) are wrapped to the room they have.
    """
    title_size, legend_size, note_size = SIZES[width]
    line_px = width - 2 * EDGE
    margin = fig.layout.margin
    # plotly places a legend at most two plot widths left of the plot.
    legend_left = max(EDGE, margin.l - 2 * (width - margin.l - margin.r))
    plot_width = width - margin.l - margin.r
    values = {}
    for i, raw in headings.items():
        ann = fig.layout.annotations[i]
        size = ann.font.size if ann.font and ann.font.size else template.layout.font.size
        if ann.xanchor == "left":
            room = (1 - ann.x) * plot_width + margin.r - (ann.xshift or 0) - EDGE
        elif ann.xanchor == "right":
            room = ann.x * plot_width + margin.l + (ann.xshift or 0) - EDGE
        else:  # centred over its panel
            room = min((abs(d[1] - d[0]) for d in (list(ax.domain or [0, 1])
                                                    for ax in _axes(fig, "x").values())
                        if abs((d[0] + d[1]) / 2 - ann.x) < 0.02), default=1) * plot_width + 2 * EDGE
        ann.text = wrap(raw, px=room, size=size)
        values[f"annotations[{i}].text"] = ann.text
    top_space = max(_top_space(fig, plot_height), top_space or 0)
    title_text = wrap(title, px=line_px, size=title_size)
    top = math.ceil(_TITLE_TOP + _lines(title_text) * title_size * LINE + _GAP + top_space)
    shown = _legend_traces(fig)
    new_names = [t.name for t in fig.data]
    if len(shown) > 1:
        for i in shown:
            new_names[i] = wrap(str(fig.data[i].name).replace("<br>", " "),
                                px=width - legend_left - EDGE - _LEGEND_SYMBOL, size=legend_size)
        legend_px = sum(3 + max(16, _lines(new_names[i]) * legend_size * LINE) for i in shown) + 6
    else:
        legend_px = 0
    note_text = wrap(note, px=line_px, size=note_size)
    note_px = _lines(note_text) * note_size * LINE
    extra = 0.0
    bottom_axes = {ref for ref, _ in _edge_axes(fig)[0]}
    for ref, axis in _axes(fig, "x").items():
        raw = axis_titles.get(ref)
        if not raw:
            continue
        size = (axis.title.font.size if axis.title.font and axis.title.font.size
                else _axis_title_size())
        domain = list(axis.domain) if axis.domain else [0, 1]
        # A title is centred on its axis and may reach into the margins beside it.
        room = (domain[1] - domain[0]) * plot_width + 2 * min(margin.l, margin.r) - EDGE
        text = wrap(raw, px=room, size=size)
        values[f"xaxis{ref[1:]}.title.text"] = text
        if ref in bottom_axes:
            extra = max(extra, (_lines(text) - _lines(raw)) * size * LINE)
    turned = 0.0
    for ref, axis in _edge_axes(fig)[0]:
        labels = _text_labels(fig, "x", ref, axis) if ref in auto_angle else []
        if not labels:
            continue
        size = axis.tickfont.size if axis.tickfont and axis.tickfont.size else template.layout.font.size
        domain = list(axis.domain) if axis.domain else [0, 1]
        crowded = _label_px(labels, size) + 6 > (domain[1] - domain[0]) * plot_width / len(labels)
        values[f"xaxis{ref[1:]}.tickangle"] = -90 if crowded else 0
        if crowded:  # on their side, the labels' width goes down the page
            upright = 9 + _tick_lines(fig, ref, axis) * size * LINE
            turned = max(turned, _label_px(labels, size) + 9 - upright)
    below = axis_space + extra + turned + (SLIDER_SPACE if slider else 0)
    if slider and fig.layout.sliders:
        values["sliders[0].y"] = round(-(axis_space + extra + turned) / plot_height, 5)
    legend_top = below + (_GAP / 2 if legend_px else 0)
    note_top = legend_top + (legend_px + _GAP if legend_px else _GAP / 2)
    bottom = math.ceil(note_top + note_px + _GAP)
    height = math.ceil(top + plot_height + bottom)
    values.update({
        "height": height, "margin.t": top, "margin.b": bottom,
        "title.text": title_text, "title.font.size": title_size,
        # plotly sets a title's first line lower when it is the only line
        "title.pad.t": round(_TITLE_TOP + (0.25 if _lines(title_text) == 1 else 0.95) * title_size),
        "legend.y": round(1 - (top + plot_height + legend_top) / height, 5),
        "legend.font.size": legend_size,
        f"annotations[{note_index}].text": note_text,
        f"annotations[{note_index}].yshift": -round(note_top),
        f"annotations[{note_index}].font.size": note_size,
    })
    return values, new_names, legend_left


def _set(fig: go.Figure, values: dict) -> None:
    """Apply plotly attribute strings ('margin.t', 'annotations[3].text') to ``fig``."""
    for key, value in values.items():
        m = re.fullmatch(r"(\w+)\[(\d+)\]\.(.+)", key)
        if m:
            fig.layout[m.group(1)][int(m.group(2))][m.group(3).replace(".", "_")] = value
        else:
            fig.layout[key.replace(".", "_")] = value


def _layout(fig: go.Figure, title: str, note: str, *, plot_height: float | None,
            axis_space: float | None, top_space: float | None, slider: bool) -> list[dict]:
    """Lay ``fig`` out for the text column and return its layout for each width."""
    margin = fig.layout.margin
    left = max(margin.l or 0, _left_margin(fig))
    right = margin.r if margin.r is not None else template.layout.margin.r
    # Plotly's automatic margins (for axis labels, and for a legend placed outside the
    # plot) would move the plot under the pixel layout below: they are off.
    fig.update_xaxes(automargin=False)
    fig.update_yaxes(automargin=False)
    # Text labels that would crowd are turned on their side here, not by plotly, so
    # that the space under the axis is known (see _layout_for).
    auto_angle = [ref for ref, axis in _axes(fig, "x").items() if axis.tickangle is None]
    for ref in auto_angle:
        fig.layout[f"xaxis{ref[1:]}"].tickangle = 0
    if axis_space is None:
        axis_space = max([_axis_px(fig, ref, ax) for ref, ax in _edge_axes(fig)[0]] or [20])
    fig.layout.annotations = [a for a in fig.layout.annotations
                              if not str(a.text or "").startswith("Source:")]
    fig.add_annotation(
        text=note, showarrow=False, xref="paper", yref="paper", x=0, y=0, xanchor="left",
        yanchor="top", xshift=-(left - EDGE), align="left", font=dict(color="#444444"),
    )
    note_index = len(fig.layout.annotations) - 1
    builder_height = fig.layout.height
    shown = _legend_traces(fig)
    fig.update_layout(
        margin=dict(l=left, r=right, autoexpand=False),
        title=dict(x=0, xref="container", xanchor="left", y=1, yref="container",
                   yanchor="top", pad=dict(l=EDGE)),
        showlegend=len(shown) > 1,
        # The legend starts at the plot's left edge: a legend placed in container
        # coordinates misplaces the y axis's title (plotly.js 4.1). The book's chart
        # script moves it to the figure's left edge (``legend_left`` below).
        legend=dict(orientation="v", xref="paper", x=0, xanchor="left", yref="container",
                    yanchor="top", tracegroupgap=0, itemsizing="constant"),
    )
    raw_names = [str(t.name).replace("<br>", " ") if t.name else t.name for t in fig.data]
    axis_titles = {ref: str(ax.title.text).replace("<br>", " ")
                   for ref, ax in _axes(fig, "x").items() if ax.title and ax.title.text}
    # Headings over panels (make_subplots' subplot titles, notes above the plot): wrapped
    # to the room they have.
    headings = {i: str(a.text) for i, a in enumerate(fig.layout.annotations)
                if i != note_index and a.xref == "paper" and a.yref == "paper"
                and a.yanchor == "bottom" and not a.showarrow}
    kw = dict(title=title, note=note, note_index=note_index, axis_space=axis_space,
              slider=slider, axis_titles=axis_titles, headings=headings, top_space=top_space,
              auto_angle=auto_angle)
    if plot_height is None:
        # Keep a height the builder set, if the plot still gets a fair share of it.
        plot_height = DEFAULT_PLOT_HEIGHT
        if builder_height:
            trial, *_ = _layout_for(fig, TEXT_WIDTH, plot_height=plot_height, **kw)
            plot_height = max(200, builder_height - (trial["height"] - plot_height))
    variants = []
    for width in (TEXT_WIDTH, NARROW_WIDTH):
        for trace, name in zip(fig.data, raw_names):
            trace.name = name
        values, names, legend_left = _layout_for(fig, width, plot_height=plot_height, **kw)
        variants.append({"width": width, "layout": values, "names": names,
                         "legend_left": legend_left})
    if slider and fig.layout.sliders:
        fig.layout.sliders[0].update(x=0, xanchor="left", len=1.0, yanchor="top",
                                     pad=dict(t=0, b=0, l=0, r=0))
    wide = variants[0]
    _set(fig, wide["layout"])
    for trace, name in zip(fig.data, wide["names"]):
        trace.name = name
    return variants


def finish(
    fig: go.Figure,
    frames: Sequence[pd.DataFrame],
    *,
    title: str,
    alt: str,
    description: str,
    table: dict,
    x_title: str | None = None,
    y_title: str | None = None,
    plot_height: float | None = None,
    axis_space: float | None = None,
    top_space: float | None = None,
    slider: bool = False,
) -> go.Figure:
    """Apply the book's look and layout, the source note and the accessibility metadata.

    The layout is worked out in pixels for the book's text column (:data:`TEXT_WIDTH`),
    from the top down: the title (wrapped to fit); room for what the builder put above
    the plot (subplot titles, annotations, buttons, a top axis: measured, or at least
    ``top_space`` px); the plotting area, ``plot_height`` px tall (default: what is left
    of a ``layout.height`` the builder set, else 380); the x axis's tick labels and title
    (``axis_space`` px, measured from the labels unless given; text labels that would
    crowd are turned on their side and the room for them added); a slider's band if
    ``slider`` is true (the first slider is placed in it); the legend (one entry a row,
    names wrapped); and the source note (wrapped), which starts at the figure's left
    edge. The figure's height is the sum, so nothing overlaps and nothing is cut off.
    The left margin is the builder's, widened if the y axis's text labels need more;
    the right margin is the builder's; the top and bottom are set here. Call it once, as
    the builder's last step: a builder changes nothing in the layout after it.

    A second layout for a phone-sized column (:data:`NARROW_WIDTH`: more wrapping and
    smaller type) travels with the first in ``layout.meta["layouts"]``; the book's chart
    script (``book/_static/kc-charts.js``) draws the one that fits, moves the legend to
    the figure's left edge, and switches layout when the window is resized.
    """
    for text, what in ((title, "title"), (alt, "alt text"), (description, "description")):
        if not text or not text.strip():
            raise ChartDataError(f"Every chart needs a {what}.")
    note = source_note(*frames)
    # An edition in another language (kabulcase.editions) gets the chart's words from its
    # catalog before the layout is worked out, so the wrapping fits the translated text.
    lang = translation.current_language()
    if lang or translation.collecting():
        cat = translation.catalog(lang)
        first_miss = len(cat.missing)
        title, alt, description, note = (cat.chart_text(t) for t in (title, alt, description, note))
        x_title, y_title = (cat.chart_text(t) if t else t for t in (x_title, y_title))
        translation.localize_figure(fig, cat)
    fig.update_layout(template=TEMPLATE_NAME)
    fig.update_traces(cliponaxis=False, selector=dict(type="scatter"))
    if x_title is not None:
        fig.update_xaxes(title_text=x_title)
    if y_title is not None:
        fig.update_yaxes(title_text=y_title)
    variants = _layout(fig, str(title).replace("<br>", " "), note, plot_height=plot_height,
                       axis_space=axis_space, top_space=top_space, slider=slider)
    fig.update_layout(meta=dict(alt=alt, description=description, source_note=note,
                                table=table, datasets=[f.attrs.get("dataset") for f in frames],
                                layouts=variants))
    if lang and translation.direction(lang) == "rtl":
        translation.mirror_for_rtl(fig)
    if lang:
        fig.update_layout(font_family=f"Vazirmatn, {FONT}", hoverlabel_font_family=f"Vazirmatn, {FONT}")
        fig.layout.meta["i18n"] = {"lang": lang, "missing": sorted(set(cat.missing[first_miss:]))}
    return fig
