"""axe-core (from npm) in Debian's chromium on every built page: zero violations of the
WCAG 2.0/2.1/2.2 A and AA rules and axe's best practices."""

from __future__ import annotations

import pytest
from support import toc_files


@pytest.fixture(scope="module")
def audits(visited):
    # Each page is audited once every chart on it is drawn, so the charts' SVG is audited too.
    return {doc: result["axe"] for doc, result in visited.items()}


def test_every_page_was_audited(audits):
    # The book's pages and the pages Sphinx adds (search, index of terms).
    assert set(toc_files()) | {"search", "genindex"} <= set(audits)
    print("\n[axe] " + ", ".join(f"{doc}: {len(r['violations'])}" for doc, r in audits.items()))


def test_no_page_has_an_accessibility_violation(audits):
    report = []
    for doc, result in audits.items():
        for v in result["violations"]:
            report.append(f"{doc}: {v['id']} ({v['impact']}) x{len(v['nodes'])}: "
                          f"{v['nodes'][0]['html'][:140]}")
    assert not report, "\n".join(report)
