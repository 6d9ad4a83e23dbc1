"""How plotly figures appear in the built book.

In JupyterLab, figures keep plotly's own MIME type and render natively. When the book
is built (``KABULCASE_RENDERER=book`` in the kernel's environment, set by the Makefile),
each figure also carries a ``text/html`` version made here:

* no plotly.js and no MathJax in the page (plotly's HTML renderers would add CDN
  scripts); the site serves plotly.js once, from its own static files;
* no inline script: the figure travels as inert JSON (``<script type="application/json">``)
  that the site's own ``kc-charts.js`` draws, so a strict Content-Security-Policy holds;
* a ``<figure>`` labelled by the chart's alt text and described by its long
  description, with the plotted data as a table in a ``<details>`` section.

With ``KABULCASE_STATIC=1`` as well, a vector PDF is added for the PDF book.
"""

from __future__ import annotations

import base64
import html
import os
import uuid

import plotly.io as pio
from plotly.io._base_renderers import MimetypeRenderer

from kabulcase import translation

RENDERER_ENV = "KABULCASE_RENDERER"
STATIC_ENV = "KABULCASE_STATIC"


class MissingChartMetadata(ValueError):
    """A figure reached the book without its alt text or description."""


def _table_html(table: dict) -> str:
    head = "".join(f'<th scope="col">{html.escape(str(c))}</th>' for c in table["columns"])
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>"
        for row in table["rows"]
    )
    return (f'<div class="kc-table-scroll"><table class="kc-data-table">'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>")


def figure_html(fig_dict: dict, chart_id: str | None = None) -> str:
    """The accessible, script-free HTML for one figure."""
    meta = (fig_dict.get("layout") or {}).get("meta") or {}
    if not isinstance(meta, dict) or not meta.get("alt") or not meta.get("description"):
        raise MissingChartMetadata(
            "This figure has no alt text or description in fig.layout.meta. Build charts "
            "with the functions in kabulcase.figures, which add them, or call "
            "kabulcase.figures.theme.finish() on your own figure."
        )
    cid = chart_id or f"kc-{uuid.uuid4().hex[:12]}"
    payload = pio.to_json(
        {"data": fig_dict.get("data", []), "layout": fig_dict.get("layout", {})},
        validate=False, pretty=False)
    # "</" would end the script element early; JSON allows the escaped form.
    payload = payload.replace("</", "<\\/")
    alt = html.escape(meta["alt"])
    description = html.escape(meta["description"])
    table = meta.get("table")
    ui = translation.catalog(translation.current_language())
    details = ""
    if table and table.get("rows"):
        summary = ui.gettext("Data behind this chart ({0} rows)").format(len(table["rows"]))
        details = (f'<details class="kc-chart-data"><summary>{html.escape(summary)}</summary>'
                   f'{_table_html(table)}</details>')
    return (
        f'<figure class="kc-chart" aria-labelledby="{cid}-alt" aria-describedby="{cid}-desc">'
        f'<span id="{cid}-alt" class="visually-hidden">{alt}</span>'
        f'<div class="kc-plot" id="{cid}"></div>'
        f'<script type="application/json" class="kc-plot-data" data-target="{cid}">{payload}</script>'
        f'<p id="{cid}-desc" class="kc-chart-description"><strong>{html.escape(ui.gettext("Description."))}</strong> {description}</p>'
        f"{details}</figure>"
    )


class BookHtmlRenderer(MimetypeRenderer):
    """Adds the book's ``text/html`` version of a figure to its MIME bundle."""

    def to_mimebundle(self, fig_dict):
        return {"text/html": figure_html(fig_dict)}


def _start_kaleido() -> None:
    """One kaleido browser per kernel: without it, every chart starts its own chromium."""
    import atexit

    import kaleido

    kaleido.start_sync_server(silence_warnings=True)
    atexit.register(kaleido.stop_sync_server, silence_warnings=True)


class BookStaticRenderer(MimetypeRenderer):
    """Adds a vector PDF (through kaleido and Debian's chromium) for print.

    The LaTeX builder prefers ``application/pdf`` to every other image type, so no
    bitmap is made.
    """

    started = False

    def to_mimebundle(self, fig_dict):
        import kaleido

        if not BookStaticRenderer.started:
            _start_kaleido()
            BookStaticRenderer.started = True
        # Keep the figure's own height: the legend and source note are placed for it.
        height = (fig_dict.get("layout") or {}).get("height") or 560
        # kaleido directly, not plotly.io.to_image: that passes launch options that a
        # running server ignores with a warning, which would print under every chart.
        pdf = kaleido.calc_fig_sync(
            fig_dict, opts=dict(format="pdf", width=900, height=height, scale=1))
        return {"application/pdf": base64.b64encode(pdf).decode()}


def register(environ=os.environ) -> str:
    """Register the book renderers and select them when the environment asks for it.

    Returns the default renderer string now in force.
    """
    pio.renderers["kabulcase_book"] = BookHtmlRenderer()
    pio.renderers["kabulcase_static"] = BookStaticRenderer()
    if environ.get(RENDERER_ENV) == "book":
        # plotly's own MIME type stays first so a downloaded notebook still shows its
        # figures natively in JupyterLab; the book build picks the text/html version.
        default = "plotly_mimetype+kabulcase_book"
        if environ.get(STATIC_ENV) == "1":
            default += "+kabulcase_static"
        pio.renderers.default = default
    return pio.renderers.default
