"""Lighthouse's accessibility audit scores 1.00 on every chapter page (Debian's chromium)."""

from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from support import toc_files

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks import lighthouse  # noqa: E402

CHAPTERS = [d for d in toc_files() if d.startswith("chapters/")]


@pytest.fixture(scope="module")
def reports(site):
    # Two at a time: each run drives its own chromium, and CI has two cores.
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = pool.map(lambda d: (d, lighthouse.run(f"{site}/{d}.html", ("accessibility",))),
                           CHAPTERS)
        return dict(results)


@pytest.mark.browser
@pytest.mark.parametrize("doc", CHAPTERS)
def test_lighthouse_accessibility_is_perfect(reports, doc):
    result = reports[doc]
    print(f"\n[lighthouse] {doc}: accessibility {result['scores']['accessibility']:.2f}")
    assert result["scores"]["accessibility"] == 1, result["failing"]["accessibility"]
