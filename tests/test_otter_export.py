"""The otter-grader export, checked with otter's own CLI (otter assign, otter run).

otter-grader lives in its own environment (_build/otter-venv, `make otter-venv`, pinned in
requirements-otter.txt), never in the book's .venv. The fixture creates it if it is missing
(that needs PyPI once); the commands run with no network at all (unshare -n).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from support import REPO, offline

from kabulcase import checks
from kabulcase.instructor import otter_export

OTTER_VENV = REPO / "_build" / "otter-venv"
OTTER = OTTER_VENV / "bin" / "otter"
SOURCE = REPO / "exercises" / "ex02-power.md"


def _sources(nb):
    return [("".join(c.source) if isinstance(c.source, list) else c.source) for c in nb.cells]


def test_the_master_has_otters_structure():
    nb = otter_export.master_notebook(SOURCE)
    raw = [c.source for c in nb.cells if c.cell_type == "raw"]
    assert raw[0].startswith("# ASSIGNMENT CONFIG") and "ok_format: false" in raw[0]
    begins = [s for s in raw if s.startswith("# BEGIN QUESTION")]
    assert len(begins) == len(checks.questions("ex02")) == raw.count("# END QUESTION")
    names = [re.search(r"name: (\S+)", s).group(1) for s in begins]
    assert names == [q.key.split(".")[1] for q in checks.questions("ex02")]
    manual = [s for s in begins if "manual: true" in s]
    assert len(manual) == len([q for q in checks.questions("ex02") if isinstance(q, checks.Rubric)])
    text = "\n".join(_sources(nb))
    assert "hidden: true" in text and "assert_hidden('ex02.q1b'" in text
    assert "# BEGIN PROMPT\n# your code here: read the two 2023 values and subtract" in text
    assert "{exercise}" not in text and "{solution}" not in text  # plain Markdown


@pytest.fixture(scope="module")
def otter():
    if not OTTER.exists():
        subprocess.run([sys.executable, "-m", "venv", str(OTTER_VENV)], check=True)
        subprocess.run([str(OTTER_VENV / "bin" / "pip"), "install", "--quiet", "-r",
                        str(REPO / "requirements-otter.txt")], check=True)
    site = subprocess.run([str(OTTER_VENV / "bin" / "python"), "-c",
                           "import site; print(site.getsitepackages()[0])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    # The module's package (and its data/) from this checkout, without installing it.
    (Path(site) / "kabulcase-repo.pth").write_text(str(REPO) + "\n")
    return OTTER


@pytest.fixture(scope="module")
def assigned(otter, tmp_path_factory):
    work = tmp_path_factory.mktemp("otter")
    [master] = otter_export.export([SOURCE], work)
    proc = subprocess.run(offline([str(otter), "assign", str(master), str(work / "dist")]),
                          cwd=master.parent, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return work


def _run(otter, work, notebook, name):
    [zipfile] = (work / "dist" / "autograder").glob("*.zip")
    out = work / "results" / name
    out.mkdir(parents=True)
    proc = subprocess.run(offline([str(otter), "run", "--no-logo", "-a", str(zipfile), "-o", str(out),
                                   str(notebook)]), capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    tests = json.loads((out / "results.json").read_text())["tests"]
    return {t["name"]: t["score"] for t in tests if t.get("max_score") is not None}


def test_the_student_notebook_holds_no_solution_and_no_hidden_test(assigned):
    text = (assigned / "dist" / "student" / "ex02.ipynb").read_text()
    assert "latest_any - dabs" not in text       # the q1a solution
    assert "assert_hidden" not in text           # the hidden tests
    assert "gap_2023 = ..." in text              # the stub is the prompt


def test_otter_run_scores_a_right_and_a_wrong_notebook(otter, assigned):
    right = assigned / "dist" / "autograder" / "ex02.ipynb"   # otter's own solution copy
    nb = nbformat.read(right, as_version=4)
    lo, hi = checks.expected("ex02.q1b")
    for cell in nb.cells:
        if cell.cell_type == "code" and "gap_2023 = latest_any - dabs" in cell.source:
            cell.source = cell.source.replace("gap_2023 = latest_any - dabs", "gap_2023 = 42.0")
        if cell.cell_type == "code" and "def gap_range" in cell.source:
            # typed-in answers for 2017: right for 2017, wrong for any other year
            cell.source = (f"def gap_range(access, year):\n    return ({float(lo)!r}, {float(hi)!r})\n\n\n"
                           f"gap_2017 = gap_range(access, 2017)")
    wrong = assigned / "wrong.ipynb"
    nbformat.write(nb, wrong)
    points = {q.key.split(".")[1]: q.max_score + sum(h.max_score for h in q.hidden)
              for q in checks.questions("ex02") if isinstance(q, checks.Question)}
    assert _run(otter, assigned, right, "right") == points
    hidden_q1b = sum(h.max_score for h in checks.QUESTIONS["ex02.q1b"].hidden)
    assert _run(otter, assigned, wrong, "wrong") == {**points, "q1a": 0, "q1b": points["q1b"] - hidden_q1b}
