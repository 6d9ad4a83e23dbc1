"""axe-core (from npm) in Debian's chromium on every built page: zero violations of the
WCAG 2.0/2.1/2.2 A and AA rules and axe's best practices."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import draw_every_chart

REPO = Path(__file__).resolve().parent.parent
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def built_pages(html_root: Path) -> list[str]:
    skip = ("_sources", "_static", "_downloads", "_images")
    return sorted(str(p.relative_to(html_root).with_suffix("")) for p in html_root.rglob("*.html")
                  if not p.relative_to(html_root).parts[0] in skip)


@pytest.fixture(scope="module")
def axe_source():
    if not AXE.exists():
        pytest.fail("axe-core is not installed: 'make test' installs it with npm (package.json).")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def audits(browser, site, built_book, axe_source):
    results = {}
    context = browser.new_context()
    for doc in built_pages(built_book["html"]):
        if doc == "index":
            continue  # a redirect to the intro page
        page = context.new_page()
        page.goto(f"{site}/{doc}.html", wait_until="load")
        draw_every_chart(page)  # so the charts' own SVG is audited too
        # evaluate() runs through the debugging protocol, so the page's CSP (which
        # rightly forbids injected scripts) does not block the audit.
        page.evaluate(axe_source)
        results[doc] = page.evaluate(
            "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS)
        page.close()
    context.close()
    return results


def test_every_page_was_audited(audits, built_book):
    assert len(audits) >= 10
    print("\n[axe] " + ", ".join(f"{doc}: {len(r['violations'])}" for doc, r in audits.items()))


def test_no_page_has_an_accessibility_violation(audits):
    report = []
    for doc, result in audits.items():
        for v in result["violations"]:
            report.append(f"{doc}: {v['id']} ({v['impact']}) x{len(v['nodes'])}: "
                          f"{v['nodes'][0]['html'][:140]}")
    assert not report, "\n".join(report)
