"""Every built page, opened in Debian's chromium through Playwright.

A page fails on any request to a host other than the local server, on any page error or
console error (a CSP violation shows up as both), and on any chart whose SVG is not drawn
or that lacks an accessible name and description.
"""

from __future__ import annotations

import pytest

from support import draw_every_chart, toc_files

@pytest.fixture(scope="module")
def pages(visited):
    return {doc: visited[doc] for doc in toc_files()}


@pytest.mark.browser
@pytest.mark.parametrize("doc", toc_files())
def test_page_loads_only_from_its_own_host_without_errors(pages, doc):
    result = pages[doc]
    assert result["status"] == 200
    assert result["offsite"] == [], f"requests to other hosts: {result['offsite']}"
    assert result["errors"] == [], f"errors: {result['errors']}"
    assert result["failed"] == [], f"failed requests: {result['failed']}"
    assert result["csp"] == [], f"CSP violations: {result['csp']}"
    assert result["has_csp_meta"], "the page has no Content-Security-Policy"


@pytest.mark.browser
@pytest.mark.parametrize("doc", toc_files())
def test_every_chart_is_drawn_named_and_described(pages, doc):
    for name, description, svgs, table_rows in pages[doc]["chart_names"]:
        assert svgs >= 1, "a chart's SVG was not drawn"
        assert table_rows >= 1, f"chart {name[:60]!r} has no data table in a folded section"
        assert len(name) > 20, f"chart without a real accessible name: {name!r}"
        assert len(description) > 40, f"chart without a real description: {description!r}"


@pytest.mark.browser
def test_case_chapter_shows_the_interactive_timeline(pages, browser, site):
    result = pages["chapters/01-the-case"]
    assert result["charts"] >= 1 and result["drawn"] >= result["charts"]
    # Interactive: hovering a marker shows plotly's hover label.
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{site}/chapters/01-the-case.html", wait_until="load")
    draw_every_chart(page)
    point = page.locator("figure.kc-chart .scatterlayer .point").first
    point.hover(force=True)
    page.wait_for_selector(".hoverlayer .hovertext", timeout=5000)
    context.close()


@pytest.mark.browser
def test_plotly_loads_only_on_pages_with_charts(built_book, pages):
    html_root = built_book["html"]
    for doc in toc_files():
        text = (html_root / f"{doc}.html").read_text(encoding="utf-8")
        has_chart = "kc-plot-data" in text
        assert ("kc-charts.js" in text) == has_chart, doc
        assert "plotly.min.js" not in text, f"{doc} loads plotly.js before any chart is near"
        # Fetched by kc-charts.js once, for the first chart, however many the page has.
        assert pages[doc]["plotly_requests"] == (1 if has_chart else 0), doc


@pytest.mark.browser
def test_charts_are_drawn_only_when_they_come_near_the_screen(browser, site):
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    plotly = []
    page.on("request", lambda r: plotly.append(r.url) if r.url.endswith("/plotly.min.js") else None)
    page.goto(f"{site}/chapters/06-weighing-it-up.html", wait_until="networkidle")
    page.wait_for_timeout(500)
    # kc-charts.js starts drawing a chart 600 px before it scrolls into view.
    tops = page.evaluate("""() => Array.from(document.querySelectorAll('figure.kc-chart .kc-plot'))
        .map(p => [p.getBoundingClientRect().top, p.dataset.drawn === 'true'])""")
    far = [drawn for top, drawn in tops if top > 800 + 600 + 50]
    near = [drawn for top, drawn in tops if top < 800 + 600 - 50]
    assert far and not any(far), "charts far below the screen were drawn on load"
    assert all(near)
    assert len(plotly) == (1 if near else 0)
    assert draw_every_chart(page) == len(tops) and len(plotly) == 1
    heights = page.evaluate("""() => Array.from(document.querySelectorAll('figure.kc-chart .kc-plot'))
        .map(p => [p.getBoundingClientRect().height,
                   JSON.parse(document.querySelector(`script[data-target="${p.id}"]`).textContent).layout.height])""")
    page.close()
    # Each chart's box had its height before it was drawn, so drawing moved nothing.
    assert all(abs(box - designed) <= 2 for box, designed in heights), heights


@pytest.mark.browser
def test_offline_copy_works_from_disk(built_book, browser, tmp_path):
    """The archive linked from the intro page, unpacked and opened with file:// URLs."""
    import zipfile

    intro = (built_book["html"] / "book" / "intro.html").read_text(encoding="utf-8")
    assert 'href="../cameras-over-kabul-offline.zip"' in intro
    with zipfile.ZipFile(built_book["html"] / "cameras-over-kabul-offline.zip") as zf:
        names = set(zf.namelist())
        for doc in toc_files():
            assert f"cameras-over-kabul/{doc}.html" in names, doc
        zf.extractall(tmp_path)
    page = browser.new_page()
    errors, remote = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: remote.append(r.url)
            if not r.url.startswith(("file:", "data:", "blob:")) else None)
    chapter = tmp_path / "cameras-over-kabul" / "chapters" / "01-the-case.html"
    page.goto(chapter.as_uri(), wait_until="load")
    assert draw_every_chart(page) >= 1
    assert errors == [] and remote == []
    page.close()


@pytest.mark.browser
def test_search_works_offline(site, browser):
    page = browser.new_page()
    page.goto(f"{site}/search.html?q=Huawei", wait_until="load")
    page.wait_for_selector("#search-results li", timeout=15000)
    hits = page.locator("#search-results li").count()
    assert hits >= 1
    assert page.locator("#search-results li a[href*='01-the-case']").count() >= 1
    page.close()


@pytest.mark.browser
def test_every_trace_type_is_in_the_served_plotly_bundle(built_book, browser, site):
    """The site serves a partial plotly.js bundle; a trace type it lacks would silently
    vanish from a chart, so every type used in the book must be registered in it."""
    import json
    import re

    used = set()
    for page in built_book["html"].rglob("*.html"):
        for block in re.findall(r'<script type="application/json" class="kc-plot-data"[^>]*>(.*?)</script>',
                                page.read_text(encoding="utf-8"), re.S):
            used |= {t.get("type", "scatter") for t in json.loads(block.replace("<\\/", "</"))["data"]}
    page = browser.new_page()
    page.goto(f"{site}/chapters/01-the-case.html", wait_until="load")
    draw_every_chart(page)
    available = set(page.evaluate("Object.keys(Plotly.PlotSchema.get().traces)"))
    page.close()
    assert used and used <= available, f"not in the bundle: {used - available}"


@pytest.mark.browser
def test_charts_keep_their_height_when_the_window_resizes(browser, site):
    """Each chart is laid out for its own height; a window resize must not squash it."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{site}/chapters/01-the-case.html", wait_until="load")
    draw_every_chart(page)
    page.set_viewport_size({"width": 760, "height": 900})
    page.wait_for_timeout(800)  # plotly's responsive resize is debounced
    sizes = page.evaluate("""() => Array.from(document.querySelectorAll('figure.kc-chart')).map(f => {
        const fig = JSON.parse(f.querySelector('script.kc-plot-data').textContent);
        const plot = f.querySelector('.kc-plot');
        return [fig.layout.height, plot.getBoundingClientRect().height,
                f.querySelector('.main-svg').getBoundingClientRect().height];
    })""")
    page.close()
    assert sizes
    for designed, box, svg in sizes:
        assert abs(box - designed) <= 2 and abs(svg - designed) <= 2, (designed, box, svg)
