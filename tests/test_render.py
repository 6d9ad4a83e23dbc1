"""The book's plotly renderer: accessible, script-free, CDN-free HTML."""

import json
import re

import plotly.graph_objects as go
import plotly.io as pio
import pytest

from kabulcase import render


def _fig(**meta):
    fig = go.Figure(go.Scatter(x=[1, 2], y=[3, 4], name="a</script><b>"))
    fig.update_layout(meta=meta)
    return fig


def test_figure_is_labelled_described_and_tabled():
    fig = _fig(alt="Line of y against x", description="Two points rising.",
               table={"columns": ["x", "y"], "rows": [["1", "3"], ["2", "4"]]})
    out = render.figure_html(fig.to_dict(), chart_id="c1")
    assert '<figure class="kc-chart" aria-labelledby="c1-alt" aria-describedby="c1-desc">' in out
    assert '<span id="c1-alt" class="visually-hidden">Line of y against x</span>' in out
    assert 'id="c1-desc"' in out and "Two points rising." in out
    assert "<details" in out and "<td>4</td>" in out and "(2 rows)" in out


def test_no_executable_script_and_no_remote_url():
    out = render.figure_html(_fig(alt="a", description="d").to_dict(), chart_id="c2")
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", out, re.S)
    assert len(scripts) == 1 and 'type="application/json"' in scripts[0][0]
    # The trace name holds "</script>": it must not end the data block early.
    payload = json.loads(scripts[0][1])
    assert payload["data"][0]["name"] == "a</script><b>"
    assert "http://" not in out and "https://" not in out


def test_figure_without_alt_text_is_refused():
    with pytest.raises(render.MissingChartMetadata, match="alt text"):
        render.figure_html(_fig(description="d").to_dict())
    with pytest.raises(render.MissingChartMetadata):
        render.figure_html(go.Figure().to_dict())


def test_register_selects_the_book_renderer_only_when_asked():
    before = pio.renderers.default
    try:
        assert render.register({}) == before
        assert render.register({"KABULCASE_RENDERER": "book"}) == "plotly_mimetype+kabulcase_book"
        bundle = pio.renderers._build_mime_bundle(
            _fig(alt="a", description="d").to_dict(), "plotly_mimetype+kabulcase_book")
        assert set(bundle) == {"application/vnd.plotly.v1+json", "text/html"}
    finally:
        pio.renderers.default = before
