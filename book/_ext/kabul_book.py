"""Sphinx extension for the book: self-hosted charts, a strict CSP, the data appendix.

* ``builder-inited``: regenerates the "Data and sources" appendix from data/, so the
  appendix can never disagree with the data.
* ``kabul_hide_solutions`` (one setting in _config.yml, or KABULCASE_HIDE_SOLUTIONS=1):
  builds the book without solutions; otherwise they are folded behind toggles.
* ``html-page-context``: loads the chart script (which fetches plotly.js when a chart
  nears the screen) only on pages that have a chart, and the table script only on pages
  with an interactive table.
* ``build-finished``: copies plotly.js from the installed plotly wheel into ``_static``
  (once per site; its version always matches the Python plotly), mends the theme markup
  that accessibility audits flag, gives every page a Content-Security-Policy that
  allows only the site's own origin, replaces the exercise pages' downloadable sources
  with student copies, and packs the site into one archive for reading offline.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import shutil
import zipfile
from pathlib import Path

import plotly
from docutils import nodes
from sphinx.application import Sphinx

from kabulcase.appendix import render_pages
from kabulcase.release import student_markdown, student_notebook

GENERATED = Path("book/_generated")
REPO = Path(__file__).resolve().parents[2]
# The book's charts use cartesian traces only, so the site serves plotly.js's cartesian
# bundle (1.5 MB instead of 4.8 MB). It comes from npm (package.json, `npm ci --omit=dev`)
# at the same version as the plotly.js inside the Python plotly wheel.
PLOTLY_BUNDLE = REPO / "node_modules" / "plotly.js-cartesian-dist-min" / "plotly-cartesian.min.js"
OFFLINE_ARCHIVE = "cameras-over-kabul-offline.zip"
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
VERSION_RE = re.compile(r"plotly\.js(?: \([^)]*\))? v(\d+\.\d+\.\d+)")

CSP_META_RE = re.compile(r'<meta http-equiv="Content-Security-Policy"[^>]*>\n?')
INLINE_SCRIPT_RE = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S)
# The theme's print and full-screen buttons use inline onclick handlers, which a strict
# policy blocks; they become data attributes that the site's own kc-page.js binds.
INLINE_HANDLER_RE = re.compile(r' onclick="(toggleFullScreen|window\.print)\(\)"')


def plotly_version(path: Path) -> str:
    head = path.read_text(encoding="utf-8", errors="replace")[:400]
    match = VERSION_RE.search(head)
    if not match:
        raise ValueError(f"Cannot read the plotly.js version from {path}")
    return match.group(1)


def check_plotly_bundle(app: Sphinx) -> None:
    if not PLOTLY_BUNDLE.exists():
        raise FileNotFoundError(
            f"{PLOTLY_BUNDLE.relative_to(REPO)} is missing: run 'npm ci --omit=dev' "
            f"(make book does) to install the plotly.js bundle the site serves.")
    wanted, have = plotly_version(PLOTLY_JS), plotly_version(PLOTLY_BUNDLE)
    if wanted != have:
        raise ValueError(
            f"The Python plotly package draws with plotly.js {wanted}, but package.json "
            f"installs plotly.js-cartesian-dist-min {have}; pin the npm package to {wanted}.")


HIDE_SOLUTIONS_ENV = "KABULCASE_HIDE_SOLUTIONS"


def solutions_hidden(app: Sphinx) -> bool:
    """The one setting: ``kabul_hide_solutions`` in _config.yml, or the environment."""
    return bool(app.config.kabul_hide_solutions) or os.environ.get(HIDE_SOLUTIONS_ENV) == "1"


def configure_solutions(app: Sphinx, config) -> None:
    # sphinx-exercise drops its {solution} directives (the written answers' model answers).
    if solutions_hidden(app):
        config.hide_solutions = True


def remove_solution_cells(app: Sphinx, doctree) -> None:
    """Drop code cells tagged ``solution`` when the book is built without solutions.

    In the ordinary HTML book they stay, folded behind a toggle (tag ``hide-cell``).
    """
    if not solutions_hidden(app):
        return
    for node in list(doctree.findall(nodes.container)):
        if "tag_solution" in node.get("classes", []):
            node.parent.remove(node)


def drop_widget_state(app: Sphinx, doctree) -> None:
    """Do not embed the executed widgets' state in the page (about 90 KB on a dashboard page).

    The book loads no widget JavaScript and removes widget outputs (each dashboard has a
    static chart twin), so the state would be dead weight in every reader's download.
    """
    metadata = getattr(app.env, "nb_metadata", {}).get(app.env.docname, {})
    metadata.get("js_files", {}).pop("ipywidgets_state", None)


def student_downloads(outdir: Path, srcdir: Path) -> None:
    """Exercise pages offer the student copy for download: no solutions, no hidden checks."""
    for source in sorted((srcdir / "exercises").glob("*.md")):
        target = outdir / "_sources" / "exercises" / source.name
        if not target.exists():
            continue  # not in the book
        target.write_text(student_markdown(source), encoding="utf-8")
        import nbformat

        nbformat.write(student_notebook(source), target.with_suffix(".ipynb"))


def generate_appendix(app: Sphinx) -> None:
    folder = Path(app.srcdir) / GENERATED
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in render_pages().items():
        target = folder / f"{name}.md"
        # Rewriting an unchanged page would make Sphinx re-read it on every build.
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")


def add_page_assets(app: Sphinx, pagename, templatename, context, doctree) -> None:
    body = context.get("body", "")
    if "kc-plot-data" in body:
        # kc-charts.js fetches _static/plotly.min.js itself, when the first chart nears
        # the screen: a page whose charts are never scrolled to never downloads plotly.
        app.add_js_file("kc-charts.js", priority=601, defer="defer")
    if "kc-sortable" in body:
        app.add_js_file("kc-tables.js", priority=602, defer="defer")


def content_security_policy(html: str) -> str:
    """A policy allowing the site's own files and the page's own inline scripts only."""
    hashes = []
    for match in INLINE_SCRIPT_RE.finditer(html):
        attrs = match.group("attrs")
        if "src=" in attrs or "application/json" in attrs or "+json" in attrs:
            continue  # external files are covered by 'self'; JSON data blocks never run
        digest = hashlib.sha256(match.group("body").encode("utf-8")).digest()
        hashes.append(f"'sha256-{base64.b64encode(digest).decode()}'")
    script_src = " ".join(["'self'", *sorted(set(hashes))])
    return "; ".join([
        "default-src 'self'",
        f"script-src {script_src}",
        # plotly.js and the theme set inline styles; styles cannot send data anywhere.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ])


# Theme markup that axe-core flags (or that slows every page), mended here rather than by
# switching rules off.
# Each pair: what the theme writes, what the page gets instead, and why.
ACCESSIBILITY_FIXES = [
    # The search fields show "Search Ctrl+K" but are named just "Search" (or its
    # translation; label-content-name-mismatch): let the visible text be the name.
    (re.compile(r'(<button class="btn search-button-field search-button__button[^"]*"[^>]*?) aria-label="[^"]*"'),
     r"\1"),
    # The colour-mode icons carry titles that count as visible text; the button's name
    # "Color mode" then does not contain it. The icons are decorative.
    (re.compile(r'(<i class="theme-switch [^"]*"[^>]*?)(\s*title="[^"]*")'), r'\1 aria-hidden="true"'),
    # sphinx-togglebutton names every fold "Toggle hidden content", while the reader sees
    # "Show code cell source": the visible text should be the name.
    (re.compile(r'<summary aria-label="Toggle hidden content">'), "<summary>"),
    # The sidebar's fold for a section with sub-pages shows only an icon (summary-name).
    (re.compile(r'<summary><span class="toctree-toggle" role="presentation">'),
     '<summary aria-label="Show or hide the pages in this section">'
     '<span class="toctree-toggle" role="presentation">'),
    # The book title in the sidebar sits outside any landmark (region).
    (re.compile(r'<div class="sidebar-primary-items__start sidebar-primary__section">'),
     '<div class="sidebar-primary-items__start sidebar-primary__section" role="region" '
     'aria-label="Book title and search">'),
    # The theme loads Font Awesome's 1.5 MB JavaScript on every page to swap icons for
    # SVG; its CSS already draws the same icons from a 156 KB web font of the site's own.
    (re.compile(r'<link rel="preload" as="script" href="[^"]*scripts/fontawesome\.js[^"]*">\n?'), ""),
    (re.compile(r'<script defer src="[^"]*scripts/fontawesome\.js[^"]*"></script>\n?'), ""),
    # docutils marks bibliography entries role="doc-biblioentry", a deprecated role that
    # is not allowed inside role="list" (aria-required-children, aria-deprecated-role).
    (re.compile(r'role="doc-biblioentry"'), 'role="listitem"'),
]


def accessibility_fixes(html: str) -> str:
    for pattern, replacement in ACCESSIBILITY_FIXES:
        html = pattern.sub(replacement, html)
    return html


def add_csp(path: Path) -> None:
    html = path.read_text(encoding="utf-8")
    html = CSP_META_RE.sub("", html)
    html = INLINE_HANDLER_RE.sub(r' data-kc-click="\1"', html)
    html = accessibility_fixes(html)
    policy = content_security_policy(html)
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy}">\n'
    # The policy must come before any script, so it goes first in <head>.
    html, n = re.subn(r"(<head[^>]*>\n?)", lambda m: m.group(1) + meta, html, count=1)
    if n:
        path.write_text(html, encoding="utf-8")


def finish_site(app: Sphinx, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    static = outdir / "_static"
    static.mkdir(exist_ok=True)
    shutil.copyfile(PLOTLY_BUNDLE, static / "plotly.min.js")
    student_downloads(outdir, Path(app.srcdir))
    for page in outdir.rglob("*.html"):
        add_csp(page)
    write_offline_copy(outdir)


def write_offline_copy(outdir: Path) -> Path:
    """The whole built site as one archive, linked from the intro page.

    Files are added in sorted order with a fixed timestamp, so the same site gives the
    same archive.
    """
    target = outdir / OFFLINE_ARCHIVE
    files = sorted(p for p in outdir.rglob("*") if p.is_file() and p != target
                   and ".doctrees" not in p.parts)
    tmp = target.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for path in files:
            info = zipfile.ZipInfo(f"cameras-over-kabul/{path.relative_to(outdir).as_posix()}",
                                   date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, path.read_bytes())
    tmp.replace(target)
    return target


def setup(app: Sphinx) -> dict:
    app.setup_extension("kabul_editions")
    app.add_config_value("kabul_hide_solutions", False, "env", [bool])
    app.connect("config-inited", configure_solutions)
    app.connect("doctree-read", remove_solution_cells)
    app.connect("doctree-read", drop_widget_state)
    app.connect("builder-inited", check_plotly_bundle)
    app.connect("builder-inited", generate_appendix)
    app.connect("html-page-context", add_page_assets)
    app.connect("build-finished", finish_site)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "0.1"}
