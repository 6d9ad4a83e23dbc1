"""Shared fixtures: one real offline book build, a local server and Debian's chromium
driven by Playwright."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest
from support import CHROMIUM_ARGS, REPO, TEST_BUILD, VENV_BIN, draw_every_chart, offline

sys.path.insert(0, str(REPO))
from benchmarks import serve  # noqa: E402

# Hand-written grading fixtures include notebooks that loop for ever or are cut off:
# nbval must not collect them.
collect_ignore_glob = ["fixtures/*"]


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Keep together what must share one process when pytest-xdist spreads the suite over
    the machine's cores (`make test` runs it with --dist loadgroup).

    Every test of the built book is in one group, so the book is built once; a notebook's
    cells (nbval) share one kernel, and a test file's module fixtures (a grading run, a
    notebook execution) are made once, so each file is a group of its own.
    """
    # This session-wide hook (not pytest_itemcollected, which sees only the tests below this
    # folder) also reaches nbval's notebook cells; tryfirst: before pytest-xdist reads the groups.
    for item in items:
        uses_book = "built_book" in getattr(item, "fixturenames", ())  # nbval cells have none
        group = "built-book" if uses_book else item.nodeid.split("::")[0]
        item.add_marker(pytest.mark.xdist_group(group))


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


def _claim_build_for_this_worker() -> None:
    """Under pytest-xdist, fail loudly if a second process of the same run would build the
    book into the same folder (the groups above were not honoured)."""
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    if not run:
        return
    claim = REPO / "_build" / f"test-book.{run}.claim"
    claim.parent.mkdir(exist_ok=True)
    for old in claim.parent.glob("test-book.*.claim"):
        if old != claim:
            old.unlink(missing_ok=True)  # left by an earlier run
    try:
        fd = os.open(claim, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        pytest.fail("Two test processes both need the built book: pytest-xdist did not keep the "
                    "book's tests in one group. Run with --dist loadgroup (as make test does) "
                    "and a pytest that honours it (see requirements-dev.txt).")
    os.write(fd, os.environ.get("PYTEST_XDIST_WORKER", "").encode())
    os.close(fd)


@pytest.fixture(scope="session")
def built_book() -> dict:
    """A clean build of the book, with warnings as errors, in a namespace with no network."""
    if os.geteuid() != 0:
        pytest.fail("The offline build test needs root for 'unshare -n' (CI runs as root).")
    _claim_build_for_this_worker()
    shutil.rmtree(TEST_BUILD, ignore_errors=True)
    env = dict(os.environ, KABULCASE_RENDERER="book", PATH=f"{VENV_BIN}:{os.environ['PATH']}")
    cmd = [str(VENV_BIN / "jupyter-book"), "build", str(REPO), "--config", "book/_config.yml",
           "--toc", "book/_toc.yml", "--path-output", str(TEST_BUILD), "--builder", "html",
           "-W", "--keep-going"]
    start = time.perf_counter()
    proc = subprocess.run(offline(cmd), cwd=REPO, env=env, capture_output=True, text=True, errors="replace",
                          timeout=900)
    seconds = time.perf_counter() - start
    log = proc.stdout + proc.stderr
    (REPO / "_build").mkdir(exist_ok=True)
    (REPO / "_build" / "test-book.log").write_text(log)
    print(f"\n[build] clean offline build: {seconds:.1f} s, exit code {proc.returncode}")
    return {"returncode": proc.returncode, "log": log, "html": TEST_BUILD / "_build" / "html",
            "seconds": seconds}


@pytest.fixture(scope="session")
def site(built_book):
    """The built book served on 127.0.0.1 (a free port), gzip-compressed as a static host
    serves it (benchmarks/serve.py)."""
    if built_book["returncode"] != 0:
        pytest.fail("The book did not build; see _build/test-book.log")
    server, url = serve.start(built_book["html"])
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.fail("Debian's chromium is not installed: 'make test' installs it (apt-get install chromium).")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield b
        b.close()


AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
# Records CSP violations in the page itself, in case the console message changes.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', e => {
  window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI);
});
"""
CHART_FACTS = """() => Array.from(document.querySelectorAll('figure.kc-chart')).map(f => {
    const name = document.getElementById(f.getAttribute('aria-labelledby'));
    const desc = document.getElementById(f.getAttribute('aria-describedby'));
    return [name ? name.textContent.trim() : '', desc ? desc.textContent.trim() : '',
            f.querySelectorAll('.kc-plot svg.main-svg').length,
            f.querySelectorAll('details.kc-chart-data table tbody tr').length];
})"""


def built_pages(html_root: Path) -> list[str]:
    """Every page of the built site (not the sources, static files or the index redirect)."""
    skip = ("_sources", "_static", "_downloads", "_images")
    return sorted(str(p.relative_to(html_root).with_suffix("")) for p in html_root.rglob("*.html")
                  if p.relative_to(html_root).parts[0] not in skip and p.name != "index.html")


def visit(browser, url: str, axe: str) -> dict:
    """Open one page on a cold cache as a reader would (every chart scrolled to and drawn),
    recording what it requested and any error, then run axe-core on it."""
    context = browser.new_context()
    page = context.new_page()
    page.add_init_script(CSP_LISTENER)
    local = urlparse(url).netloc
    offsite, errors, failed, plotly = [], [], [], []
    page.on("request", lambda r: offsite.append(r.url)
            if urlparse(r.url).scheme in ("http", "https") and urlparse(r.url).netloc != local
            else None)
    page.on("request", lambda r: plotly.append(r.url) if r.url.endswith("/plotly.min.js") else None)
    page.on("requestfailed", lambda r: failed.append(f"{r.url} ({r.failure})"))
    page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
    page.on("console", lambda m: errors.append(f"console {m.type}: {m.text}")
            if m.type == "error" else None)
    response = page.goto(url, wait_until="load")
    charts = draw_every_chart(page)
    result = {
        "plotly_requests": len(plotly),
        "status": response.status if response else None,
        "offsite": offsite, "errors": errors, "failed": failed,
        "charts": charts,
        "drawn": page.locator("figure.kc-chart .kc-plot .main-svg").count(),
        "csp": page.evaluate("window.__cspViolations"),
        "has_csp_meta": page.locator('meta[http-equiv="Content-Security-Policy"]').count() == 1,
        "chart_names": page.evaluate(CHART_FACTS),
    }
    # evaluate() runs through the debugging protocol, so the page's CSP (which rightly
    # forbids injected scripts) does not block the audit.
    page.evaluate(axe)
    result["axe"] = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    context.close()
    return result


@pytest.fixture(scope="session")
def visited(browser, site, built_book) -> dict[str, dict]:
    """Every built page opened once in chromium: what the browser, privacy and
    accessibility tests check (one visit each, as the visits are the slow part)."""
    if not AXE.exists():
        pytest.fail("axe-core is not installed: 'make test' installs it with npm (package.json).")
    axe = AXE.read_text(encoding="utf-8")
    return {doc: visit(browser, f"{site}/{doc}.html", axe) for doc in built_pages(built_book["html"])}
