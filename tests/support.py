"""Paths and helpers shared by the tests and the benchmarks (imported as ``support``)."""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"
TEST_BUILD = REPO / "_build" / "test-book"
VENV_BIN = Path(sys.executable).parent


def toc_files() -> list[str]:
    """Every file named in book/_toc.yml, in order (paths without suffix)."""
    toc = yaml.safe_load((REPO / "book" / "_toc.yml").read_text())
    files = [toc["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                files.append(entry["file"])
            walk(entry.get("sections"))

    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    walk(toc.get("chapters"))
    return files


def offline(cmd: list[str]) -> list[str]:
    """Wrap ``cmd`` to run in a new network namespace with only loopback up.

    Kernels talk to their client over 127.0.0.1, so loopback must be up; nothing else is
    reachable, which proves the command needs no network.
    """
    inner = "ip link set lo up && exec " + " ".join(f"'{c}'" for c in cmd)
    return ["unshare", "-n", "--", "sh", "-c", inner]


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


# Unfolds and scrolls to each chart in turn, as a reader would, waiting until it is drawn: kc-charts.js
# draws a chart (and fetches plotly.js for the first) only when it comes near the screen.
# The waiting happens inside evaluate(): Playwright's wait_for_function polls with eval,
# which the book's Content-Security-Policy rightly blocks.
_DRAW_EVERY_CHART = """async (timeout) => {
  const end = Date.now() + timeout;
  const figures = Array.from(document.querySelectorAll('figure.kc-chart'));
  for (const f of figures) {
    // A chart in a folded section (a solution) is drawn when the reader unfolds it.
    for (let d = f.closest('details'); d; d = d.parentElement.closest('details')) { d.open = true; }
    f.scrollIntoView({block: 'center'});
    while (!f.querySelector('.kc-plot[data-drawn=true]')) {
      if (Date.now() > end) { return figures.indexOf(f); }
      await new Promise(r => setTimeout(r, 25));
    }
  }
  window.scrollTo(0, 0);
  return figures.length;
}"""


def draw_every_chart(page, timeout: float = 30000) -> int:
    """Scroll a Playwright page past every chart, waiting for each to be drawn; returns
    how many charts the page has. Fails if one is not drawn within ``timeout`` ms."""
    charts = page.locator("figure.kc-chart").count()
    drawn = page.evaluate(_DRAW_EVERY_CHART, timeout) if charts else 0
    assert drawn == charts, f"chart {drawn + 1} of {charts} was not drawn within {timeout / 1000:.0f} s"
    return charts


# --------------------------------------------------------------------------- exercise sets
# The harness that every exercise test file (tests/test_checks*.py, test_release_grade.py)
# shares. pandas, nbclient and kabulcase are imported inside the functions: conftest.py and
# the benchmarks import this module only for the paths above.

EXERCISES = REPO / "exercises"
PLACEHOLDER = "\nWrite your answer here.\n"  # what a student copy's written-answer cell holds


def csv_rows(name: str) -> list[dict[str, str]]:
    """The rows of data/<name>.csv, read with the csv module so that the expectations the
    tests work out do not go through kabulcase.load, which the checks use."""
    with open(DATA / f"{name}.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def flat(result):
    """The check result with its message's line wrapping undone, so phrases can be searched."""
    result.message = " ".join(result.message.split())
    return result


def quiet(key: str, answer):
    from kabulcase.checks import check
    return flat(check(key, answer, quiet=True))


def written(key: str, text):
    from kabulcase.checks import self_check_text
    return flat(self_check_text(key, text, quiet=True))


def odd_answers() -> list:
    """Values no question expects, of every kind a learner might leave in a variable.

    A new list on each call, because one of them is a generator and the first check to
    read it uses it up."""
    import numpy as np
    import pandas as pd
    return [object(), lambda: 1, (x for x in range(3)), {"a": [1, 2]}, b"bytes", 1j, True,
            float("nan"), np.ones((2, 2, 2)), pd.Series([None, None]), pd.DataFrame(),
            pd.DataFrame(np.ones((2, 2)), columns=pd.MultiIndex.from_tuples([("a", "b"), ("c", "d")]))]


def type_name(value) -> str:
    return type(value).__name__


def assert_check_survives(key: str, answer):
    """An answer the check cannot use scores nothing and is told so in a sentence."""
    from kabulcase.checks import CheckResult
    r = quiet(key, answer)
    assert isinstance(r, CheckResult), r
    assert r.score == 0 and not r.passed and r.message, (r.score, r.passed, r.message)
    assert "Traceback" not in r.message, r.message


# ---- hidden checks and grading

def hidden_result(key: str, name: str, fn):
    """The hidden check of question ``key`` when the learner's function ``name`` is ``fn``."""
    from kabulcase import checks
    [r] = checks._hidden_results(checks.QUESTIONS[key], {name: fn})
    return flat(r)


def endless_loop_result(monkeypatch, key: str, name: str):
    """The hidden check of ``key`` given a function that never returns, with a one-second
    time limit. The loop catches ``Exception`` as a learner's might, so the limit has to
    stop it some other way than an ordinary exception."""
    from kabulcase import checks
    monkeypatch.setattr(checks.core, "CALL_TIME_LIMIT", 1)

    def forever(*args, **kwargs):
        while True:
            try:
                pass
            except Exception:
                pass

    return hidden_result(key, name, forever)


def graded_row(exercise: str, namespace: dict, key: str) -> dict:
    from kabulcase import checks
    [row] = [r for r in checks.grade_namespace(exercise, namespace) if r["key"] == key]
    return row


def assert_full_marks(exercise: str, namespace: dict, total: float, written_keys: list[str]):
    """grade_namespace gives every auto-checked question (hidden checks included) full
    marks, out of ``total``, and lists the written questions for marking by hand."""
    from kabulcase import checks
    rows = checks.grade_namespace(exercise, namespace)
    code = [r for r in rows if r["kind"] == "code"]
    short = [r["message"] for r in code if not (r["passed"] and r["score"] == r["max_score"])]
    assert not short, short
    assert sum(r["max_score"] for r in code) == total
    assert {r["key"] for r in rows if r["kind"] == "written"} == set(written_keys)


def assert_questions(exercise: str, keys: list[str], objective: str):
    """The exercise's questions in order, each with an objective matching ``objective``
    (a regular expression) and a time."""
    from kabulcase import checks
    found = checks.questions(exercise)
    assert [q.key for q in found] == keys
    for q in found:
        assert re.match(objective, q.objective) and q.minutes > 0, (q.key, q.objective, q.minutes)


# ---- expectations that follow the data

def copy_of_data(tmp_path: Path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    return copy


def edit_csv(folder: Path, name: str, where: dict[str, str], new: dict[str, str], *,
             first_only: bool = False) -> list[list[str]]:
    """Set the ``new`` values in the rows of <folder>/<name>.csv that match ``where`` (only
    the first such row if ``first_only``); returns the edited table, header first."""
    path = folder / f"{name}.csv"
    with open(path, newline="", encoding="utf-8") as fh:
        table = list(csv.reader(fh))
    header = table[0]
    matches = [r for r in table[1:] if all(r[header.index(k)] == v for k, v in where.items())]
    assert matches, (name, where)
    for r in matches[:1] if first_only else matches:
        for column, value in new.items():
            r[header.index(column)] = value
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\n").writerows(table)
    return table


def printed_with_data(folder: Path, code: str) -> list[str]:
    """The words ``code`` prints when run in a fresh interpreter on the data in ``folder``."""
    env = dict(os.environ, KABULCASE_DATA_DIR=str(folder))
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          check=True).stdout.split()


# ---- the exercise source

def assert_marked_up(exercise: Path, objective: str, exercises: int | list[str], keys: list[str],
                     written_keys: list[str]) -> str:
    """The source has ``exercises`` labelled exercises (a number, for labels q1 to qN, or the
    labels themselves, for a set whose question was removed without renumbering the rest),
    each stating its objective (a letter) and time; a check call for every key; and its
    model answers in dropdowns. Returns the source text."""
    text = exercise.read_text(encoding="utf-8")
    prefix = exercise.name[:4]
    labels = re.findall(rf"```\{{exercise\}}[^\n]*\n:label: ({prefix}-q\d)", text)
    if isinstance(exercises, int):
        exercises = [f"{prefix}-q{i}" for i in range(1, exercises + 1)]
    assert labels == exercises, labels
    exercises = len(exercises)
    assert len(re.findall(rf"^\*\*Assesses\*\* {objective}\d", text, re.M)) == exercises
    assert len(re.findall(r"\*\*Time\*\* about \d+ minutes", text)) == exercises
    missing = [k for k in keys if f'check("{k}"' not in text]
    missing += [k for k in written_keys if f'self_check_text("{k}"' not in text]
    assert not missing, missing
    classes = re.findall(r"```\{solution\}[^\n]*\n:class: (\w+)", text)
    assert classes and all(c == "dropdown" for c in classes), classes
    return text


def numbers_typed_from_data(page: Path) -> list[tuple[str, str]]:
    """Numbers typed into ``page`` that are also values in the data (they should be glued)."""
    from test_no_typed_numbers import data_numbers, typed_numbers
    known = data_numbers()
    return [(line, n) for line, n in typed_numbers(page.read_text(encoding="utf-8"))
            if round(float(n.replace(",", "")), 6) in known]


def model_answers(exercise: Path) -> dict[str, str]:
    """The model answers quoted in the exercise's {solution} directives, by label, with each
    number shown with {eval} replaced by a sample number; a solution that quotes nothing (its answer is
    code) is left out."""
    text = exercise.read_text(encoding="utf-8")
    found = {}
    for label, body in re.findall(rf"```\{{solution\}} ({exercise.name[:4]}-q\d)\n(.*?)\n```", text, re.S):
        body = re.sub(r"\{eval\}`[^`]*`", "1,234", body)
        quoted = "\n".join(line[2:] for line in body.splitlines() if line.startswith(">"))
        if quoted:
            found[label] = quoted
    return found


def assert_model_answers_pass(exercise: Path, keys: dict[str, str]) -> dict[str, str]:
    """The quoted model answers are those of the written questions (``keys``: label -> key)
    and each meets its own question's objective checks. Returns the model answers."""
    models = model_answers(exercise)
    assert set(models) == set(keys), set(models) ^ set(keys)
    for label, key in keys.items():
        r = written(key, models[label])
        assert r.passed, (key, r.message)
    return models


def assert_placeholder_not_answered(key: str):
    """The student copy's placeholder is not an answer, and the reply shows the rubric."""
    from kabulcase import checks
    r = written(key, PLACEHOLDER)
    assert not r.passed and "not answered yet" in r.message, (key, r.message)
    assert checks.RUBRICS[key].criteria[0] in r.message, (key, r.message)


# ---- the notebooks, released and run with a real kernel

def released_fixture(source: Path):
    """A module-scoped fixture ``released``: the folder into which ``source`` was released,
    holding instructor/ and student/ copies."""
    import pytest
    from kabulcase import release

    @pytest.fixture(scope="module")
    def released(tmp_path_factory):
        out = tmp_path_factory.mktemp(f"release-{source.stem}")
        written_paths = release.release([source], out)
        assert sorted(p.relative_to(out).as_posix() for p in written_paths) == [
            f"instructor/{source.stem}.ipynb", f"student/{source.stem}.ipynb"]
        return out

    return released


def read_copy(released: Path, copy: str, source: Path):
    """The released ``copy`` ("student" or "instructor") of ``source``, as a notebook."""
    import nbformat
    return nbformat.read(released / copy / f"{source.stem}.ipynb", as_version=4)


def assert_stubs(nb, count: int):
    """The notebook has ``count`` answer cells, each a stub left for the learner."""
    stubs = [c for c in nb.cells if "answer" in c.metadata.get("tags", [])]
    assert len(stubs) == count, len(stubs)
    assert all("# your code here" in c.source for c in stubs), [c.source for c in stubs]


def student_copy_without(source: Path, secrets: list[str], stubs: int):
    """The student copy of ``source`` as the book serves it, checked to hold none of
    ``secrets``, to name its exercise set, and to leave ``stubs`` answers to the learner."""
    import json

    import nbformat
    from kabulcase import release
    nb = release.student_notebook(source)
    raw = nbformat.writes(nb)
    leaked = [s for s in secrets if s in raw]
    assert not leaked, leaked
    assert json.loads(raw)["metadata"]["kabulcase"]["exercise"] == source.name[:4]
    assert_stubs(nb, stubs)
    return nb


def execute(nb, timeout: int = 180) -> float:
    """Run every cell of ``nb`` in place with a real kernel, from the repository root, as
    a learner would; returns the seconds it took. Raises CellExecutionError on any error."""
    from nbclient import NotebookClient
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(REPO)}})
    start = time.perf_counter()
    client.execute()
    return time.perf_counter() - start


def printed(nb) -> str:
    """Everything the notebook printed, with line wrapping undone."""
    text = "\n".join(o.get("text", "") for c in nb.cells if c.cell_type == "code"
                     for o in c.outputs if o.output_type == "stream")
    return " ".join(text.split())


def assert_instructor_run(nb, keys: list[str], label: str) -> str:
    """Run the instructor copy: no cell raises (hidden checks included) and every check
    says "correct". Returns what it printed."""
    seconds = execute(nb)
    out = printed(nb)
    print(f"\n[exercises] {label} instructor notebook ran in {seconds:.1f} s")
    wrong = [k for k in keys if not re.search(rf"{re.escape(k)} \([^)]*\): correct", out)]
    assert not wrong, (wrong, out)
    assert "not yet" not in out and "partly right" not in out, out
    return out


def assert_student_run(nb, keys: list[str], label: str) -> str:
    """Run the student copy: every cell runs, and each check and self-check says "not
    answered yet" in its own reply (within 160 characters of its key). Returns what it
    printed."""
    seconds = execute(nb)
    out = printed(nb)
    print(f"\n[exercises] {label} student notebook ran in {seconds:.1f} s")
    answered = [k for k in keys if not re.search(rf"{re.escape(k)} \(.{{0,160}}?not answered yet", out)]
    assert not answered, (answered, out)
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors, errors
    return out


# --------------------------------------------------------------------------- chapter pages

def bib_keys() -> set[str]:
    bib = (REPO / "book" / "references.bib").read_text(encoding="utf-8")
    return set(re.findall(r"@\w+\{([^,]+),", bib))


def cited_keys(page: Path) -> set[str]:
    """The keys a page cites with {footcite:p} or {footcite:t}."""
    text = page.read_text(encoding="utf-8")
    return {k.strip() for group in re.findall(r"\{footcite:[pt]\}`([^`]+)`", text)
            for k in group.split(",")}
