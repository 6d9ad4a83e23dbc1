"""One look for every chart in the book, and the accessibility metadata each chart carries.

Every chart builder ends with :func:`finish`, which applies the shared template, writes
the source note under the plot from the rows that were plotted (never from hand-typed
text), and stores the chart's alt text, long description and data table in
``fig.layout.meta`` so that the book's renderer (:mod:`kabulcase.render`) can label the
figure for screen readers and print its data as a table.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

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


def _wrap(text: str, width: int = 120) -> str:
    """Break a long note into lines for an SVG annotation, which does not wrap by itself."""
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    if line:
        lines.append(line)
    return "<br>".join(lines)


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


def _place_legend_and_note(fig: go.Figure, note_html: str) -> None:
    """Stack, from the bottom up: the source note, the legend, the x-axis title.

    Plotly positions annotations in plot-area fractions, so the space below the plot is
    worked out in pixels from the figure's height and the number of legend entries.
    """
    layout = fig.layout
    height = layout.height or template.layout.height
    top = layout.margin.t if layout.margin.t is not None else template.layout.margin.t
    entries = sum(1 for t in fig.data if t.showlegend is not False and t.name)
    # One entry per row: long labels would wrap unpredictably in a horizontal legend.
    legend_px = 0 if entries <= 1 else entries * 20 + 10
    note_px = (note_html.count("<br>") + 1) * 15
    bottom = 72 + legend_px + note_px + 10
    fig.update_layout(
        margin_b=bottom,
        legend=dict(orientation="v", yref="container", y=(note_px + 12) / height,
                    yanchor="bottom", x=0, xanchor="left"),
        showlegend=entries > 1,
    )
    plot_px = max(height - top - bottom, 100)
    fig.add_annotation(
        text=note_html, showarrow=False, xref="paper", yref="paper", x=0,
        y=-(bottom - 6) / plot_px, xanchor="left", yanchor="bottom", align="left",
        font=dict(size=11, color="#444444"),
    )


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
) -> go.Figure:
    """Apply the book's look, the source note and the accessibility metadata."""
    for text, what in ((title, "title"), (alt, "alt text"), (description, "description")):
        if not text or not text.strip():
            raise ChartDataError(f"Every chart needs a {what}.")
    note = source_note(*frames)
    # SVG titles do not wrap; long findings are broken into lines here.
    fig.update_layout(template=TEMPLATE_NAME, title_text=_wrap(title, 64))
    fig.update_traces(cliponaxis=False, selector=dict(type="scatter"))
    if x_title is not None:
        fig.update_xaxes(title_text=x_title)
    if y_title is not None:
        fig.update_yaxes(title_text=y_title)
    _place_legend_and_note(fig, _wrap(note, 92))
    fig.update_layout(meta=dict(alt=alt, description=description, source_note=note,
                                table=table, datasets=[f.attrs.get("dataset") for f in frames]))
    return fig
