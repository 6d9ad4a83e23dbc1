"""Print how the chapters and exercises read and run in the learner's JupyterLab (make bench).

For every chapter and exercise set, opened in JupyterLab (as `make lab` starts it) in
Debian's chromium and run with Run > Run All Cells:

* the run time;
* per MyST role and directive in the source, how many there are and how they show:
  rendered; shown as their key or label (a citation key such as ``reuters2023taliban``, or a
  figure label that jupyterlab-myst cannot resolve, since the figure's name lives in the
  code cell's metadata, which only the book reads); or raw markup (none is the goal).

Prints figures; asserts nothing (tests/test_lab.py holds the pass/fail checks).
"""

from __future__ import annotations

import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from playwright.sync_api import sync_playwright  # noqa: E402
from support import CHROMIUM_ARGS  # noqa: E402

from benchmarks.jupyterlab import Notebook, chromium, running_lab  # noqa: E402

ROLE = re.compile(r"\{([a-z][\w:.-]*)\}`[^`]*`")
DIRECTIVE = re.compile(r"^(?:`{3,}|:{3,})\{([\w:.-]+)\}", re.M)
CODE_CELL = re.compile(r"^```\{code-cell\}.*?^```[ \t]*$", re.M | re.S)
RAW = re.compile(r"\{glue|\{eval\}|^:::|:label:|\{[a-z:-]+\}`|```\{|facts\.", re.M)
SHOWN_AS_KEY = {"footcite:p", "footcite:t", "cite:p", "cite:t", "footcite", "cite"}


def source_counts(text: str) -> Counter:
    text = CODE_CELL.sub("", text)
    found = Counter(ROLE.findall(text))
    found.update(f"{{{d}}}" for d in DIRECTIVE.findall(text) if d != "code-cell")
    return found


def page_report(browser, lab, path: str, source: Path) -> tuple[float, Counter, Counter, int]:
    messages: list[str] = []
    nb = Notebook(browser, lab, path)
    nb.page.on("console", lambda m: messages.append(m.text))
    seconds = nb.run_all()
    rendered_text = "\n".join(nb.markdown())
    raw = len(RAW.findall(rendered_text))
    unresolved = Counter()
    for m in messages:
        for label in re.findall(r"Cross reference target was not found: ([^\n]+)", m):
            unresolved["term" if label.startswith("term-") else "numref"] += 1
    nb.page.close()
    return seconds, source_counts(source.read_text(encoding="utf-8")), unresolved, raw


def main() -> int:
    pages = [(f"chapters/{p.name}", p) for p in sorted((REPO / "chapters").glob("*.md"))]
    pages += [(f"exercises/{p.with_suffix('.ipynb').name}", p) for p in sorted((REPO / "exercises").glob("ex*.md"))]
    print("\nThe notebooks in JupyterLab (Run All Cells; roles and directives as a learner sees them)")
    print(f"{'page':34} {'run s':>6} {'roles+dirs':>10} {'rendered':>9} {'key/label':>9} {'raw':>4}  shown as key or label")
    with tempfile.TemporaryDirectory() as tmp, running_lab(Path(tmp) / "lab") as lab, sync_playwright() as p:
        browser = chromium(p, CHROMIUM_ARGS)
        for path, source in pages:
            seconds, counts, unresolved, raw = page_report(browser, lab, path, source)
            total = sum(counts.values())
            keys = sum(n for role, n in counts.items() if role in SHOWN_AS_KEY)
            # Each numref that the console reports unresolved shows its label; de-duplicate by
            # the source count (jupyterlab-myst logs a miss once per render).
            labels = min(counts.get("numref", 0), unresolved["numref"])
            as_key = keys + labels
            detail = ", ".join(f"{role} {n}" for role, n in sorted(counts.items()) if role in SHOWN_AS_KEY)
            if labels:
                detail += (", " if detail else "") + f"numref {labels}"
            print(f"{path:34} {seconds:6.1f} {total:10d} {total - as_key - raw:9d} {as_key:9d} {raw:4d}  {detail}")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
