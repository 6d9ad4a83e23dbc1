"""Student and instructor releases (kabulcase.release) and grading (kabulcase.grade),
with real kernels: the instructor copy passes its checks, the student copy runs and
leaks nothing, a release is never overwritten by accident, and a folder of hand-written
submissions gets the scores worked out by hand below."""

from __future__ import annotations

import csv
import hashlib
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import jupytext
import nbformat
import pytest

from kabulcase import release as rel
from kabulcase.grade import grade_folder

from support import (EXERCISES, REPO, assert_instructor_run, assert_marked_up, assert_student_run,
                     read_copy, released_fixture)

SOURCE = EXERCISES / "ex01-the-case.md"
FIXTURES = REPO / "tests" / "fixtures" / "submissions"
KEYS = ["ex01.q1", "ex01.q2a", "ex01.q2b", "ex01.q3", "ex01.q4a"]
WRITTEN = ["ex01.q4b", "ex01.q5"]


# --------------------------------------------------------------------------- reading the source
# The source is parsed here with regular expressions, independently of jupytext and of
# the release code, to know what must not reach students.

CODE_CELL = re.compile(r"```\{code-cell\} ipython3\n(?P<head>(?::tags:[^\n]*\n)|(?:---\n.*?\n---\n))?(?P<body>.*?)```",
                       re.S)


def source_cells() -> list[dict]:
    cells = []
    for m in CODE_CELL.finditer(SOURCE.read_text(encoding="utf-8")):
        head = m.group("head") or ""
        tags = re.findall(r"[\w-]+", (re.search(r"tags:\s*\[([^\]]*)\]", head) or [None, ""])[1])
        stub = re.search(r"stub: \|\n((?:  [^\n]*\n|\n)+)", head)
        stub_text = "\n".join(line[2:] for line in stub.group(1).splitlines()) if stub else ""
        cells.append({"tags": tags, "body": m.group("body"), "stub": stub_text})
    return cells


def secret_lines() -> list[str]:
    """Lines of solution and hidden-check cells that must not appear in a student copy:
    every non-trivial line that is not also in the cell's own stub or in a shared cell."""
    cells = source_cells()
    shared = "\n".join(c["body"] for c in cells if not {"solution", "hidden-check"} & set(c["tags"]))
    lines = []
    for c in cells:
        if not {"solution", "hidden-check"} & set(c["tags"]):
            continue
        not_shown = "remove-cell" in c["tags"] or {"remove-input", "remove-output"} <= set(c["tags"])
        assert c["stub"] or "hidden-check" in c["tags"] or not_shown, c["body"][:80]
        for line in c["body"].splitlines():
            s = line.strip()
            if len(s) < 12 or s.startswith("#") or s in c["stub"] or s in shared:
                continue
            lines.append(s)
    text = SOURCE.read_text(encoding="utf-8")
    for body in re.findall(r"```\{solution\}[^\n]*\n(.*?)\n```", text, re.S):
        lines += [ln.strip("> ").strip() for ln in body.splitlines() if len(ln.strip("> ").strip()) > 30]
    return lines


def test_the_source_is_marked_up_as_the_machinery_expects():
    cells = source_cells()
    solutions = [c for c in cells if "solution" in c["tags"]]
    hidden = [c for c in cells if "hidden-check" in c["tags"]]
    assert len(solutions) >= 5 and hidden
    # Folded in the book, or not shown at all (a cell that only computes a model answer's numbers).
    assert all("hide-cell" in c["tags"] or "remove-cell" in c["tags"]
               or {"remove-input", "remove-output"} <= set(c["tags"]) for c in solutions)
    assert all("remove-cell" in c["tags"] for c in hidden)
    assert_marked_up(SOURCE, "C", 5, KEYS, WRITTEN)
    assert len(secret_lines()) > 20


# --------------------------------------------------------------------------- the release

released = released_fixture(SOURCE)


def test_student_copy_contains_no_solution_and_no_hidden_check(released):
    raw = (released / "student" / "ex01-the-case.ipynb").read_text(encoding="utf-8")
    text = "\n".join(c["source"] if isinstance(c["source"], str) else "".join(c["source"])
                     for c in json.loads(raw)["cells"])
    leaks = [line for line in secret_lines() if line in text]
    assert not leaks, leaks
    for needle in ("{solution}", "hidden-check", "assert_hidden", "glue(", "Solution to exercise",
                   "value_counts()", '"solution"'):
        assert needle not in raw, needle
    nb = nbformat.reads(raw, as_version=4)
    assert nb.metadata["kabulcase"] == {"exercise": "ex01", "copy": "student",
                                        "source": "exercises/ex01-the-case.md"}
    assert all(not c.get("outputs") and c.get("execution_count") is None
               for c in nb.cells if c.cell_type == "code")


def test_student_copy_keeps_every_exercise_stub_and_check(released):
    nb = read_copy(released, "student", SOURCE)
    md = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    # The exercises stay MyST directives, which jupyterlab-myst renders with their titles.
    assert len(re.findall(r"^```\{exercise\}", md, re.M)) == 5
    assert "## Part C" in md and "## When you finish" in md  # text after a solution survives
    assert "{solution}" not in md
    stubs = [c for c in nb.cells if "answer" in c.metadata.get("tags", [])]
    assert len(stubs) == sum(1 for c in source_cells() if c["stub"])
    assert all("# your code here" in c.source for c in stubs)
    for key in KEYS:
        assert f'check("{key}"' in code
    assert "def growth_factor(counts, start, end):" in code


def test_instructor_copy_has_everything_with_outputs_cleared(released):
    nb = read_copy(released, "instructor", SOURCE)
    text = "\n".join(c.source for c in nb.cells)
    assert all(line in text for line in secret_lines() if "{glue" not in line and "`" not in line)
    assert "assert_hidden" in text and "{solution} ex01-q5" in text  # MyST, as in the source
    assert all(not c.outputs for c in nb.cells if c.cell_type == "code")
    assert not any("stub" in c.metadata for c in nb.cells)


def test_instructor_notebook_executes_and_passes_every_check(released):
    assert_instructor_run(read_copy(released, "instructor", SOURCE), KEYS, "ex01")


def test_student_notebook_runs_top_to_bottom_without_error(released):
    assert_student_run(read_copy(released, "student", SOURCE), KEYS + WRITTEN, "ex01")


def test_student_notebook_function_is_what_the_book_will_serve():
    nb = rel.student_notebook(SOURCE)
    nbformat.validate(nb)
    assert isinstance(nb, nbformat.NotebookNode) and nb.metadata["kabulcase"]["copy"] == "student"
    assert not any({"solution", "hidden-check"} & set(c.metadata.get("tags", [])) for c in nb.cells)
    again = rel.student_notebook(SOURCE)
    assert nbformat.writes(nb) == nbformat.writes(again)  # deterministic: same bytes every build


def test_student_markdown_is_the_student_copy_as_text():
    text = rel.student_markdown(SOURCE)
    assert text.startswith("---\njupytext:") and not [line for line in secret_lines() if line in text]
    nb = jupytext.reads(text, fmt="md:myst")
    assert sum(c.cell_type == "code" and "# your code here" in c.source for c in nb.cells) == \
        sum(1 for c in source_cells() if c["stub"])


def test_release_refuses_to_overwrite(tmp_path):
    rel.release([SOURCE], tmp_path)
    target = tmp_path / "student" / "ex01-the-case.ipynb"
    target.write_text("already handed out")
    with pytest.raises(rel.ReleaseError, match=r"FORCE=1"):
        rel.release([SOURCE], tmp_path)
    assert target.read_text() == "already handed out"
    proc = subprocess.run([sys.executable, "-m", "kabulcase.release", str(SOURCE), "--out", str(tmp_path)],
                          capture_output=True, text=True)
    assert proc.returncode == 1 and "already exists" in proc.stderr and "--force" in proc.stderr
    assert target.read_text() == "already handed out"
    proc = subprocess.run([sys.executable, "-m", "kabulcase.release", str(SOURCE), "--out",
                           str(tmp_path), "--force"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert nbformat.read(target, as_version=4).metadata["kabulcase"]["copy"] == "student"


def _variant(tmp_path, old, new):
    text = SOURCE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "ex09-variant.md"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_release_stops_rather_than_leak(tmp_path):
    # A {solution} directive in an untagged cell would show the model answer.
    leaky = _variant(tmp_path, '+++ {"tags": ["solution"]}\n', "+++\n")
    with pytest.raises(rel.ReleaseError, match="not tagged 'solution'"):
        rel.student_notebook(leaky)
    # A solution cell that swallows the text after it would drop an exercise.
    swallow = _variant(tmp_path, "```\n\n+++\n\n## Part C", "```\n\n## Part C")
    with pytest.raises(rel.ReleaseError, match="End the solution cell"):
        rel.student_notebook(swallow)


def test_in_place_student_rewrites_sources_for_binder(tmp_path):
    folder = tmp_path / "exercises"
    folder.mkdir()
    shutil.copy(SOURCE, folder / SOURCE.name)
    cmd = [sys.executable, "-m", "kabulcase.release", "--in-place-student", str(folder)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    assert proc.returncode == 0 and "rewrote" in proc.stdout, proc.stderr
    text = (folder / SOURCE.name).read_text(encoding="utf-8")
    assert not [line for line in secret_lines() if line in text]
    assert text.startswith("---\njupytext:")
    nb = jupytext.read(folder / SOURCE.name)
    stubs = [c for c in nb.cells if c.cell_type == "code" and "# your code here" in c.source]
    assert len(stubs) == sum(1 for c in source_cells() if c["stub"])
    again = subprocess.run(cmd, capture_output=True, text=True)
    assert again.returncode == 0 and "nothing to do" in again.stdout


# --------------------------------------------------------------------------- grading

# Scores worked out by hand from each fixture's answers and the checks' rules
# (q1: 2, q2a: 1, q2b: 1 public + 1 hidden, q3: 2, q4a: 2; total 9).
EXPECTED = {
    # amina: every answer right, in other forms than the model solution: q1 as a shuffled
    # two-column table, q2a as a set, q3 as a Series in reverse order, q4a as [largest,
    # smallest]; her growth_factor works for any pair, so the hidden check passes too.
    "amina": ("ok", {"q1": 2, "q2a": 1, "q2b": 2, "q3": 2, "q4a": 2}, 9),
    # bilal: q1 gives shares (normalize=True) -> 1 of 2; q2a keeps only the first of five
    # sources -> 0.5; growth_factor returns a typed-in 90000/850, right for the question
    # (public 1) but wrong for every other pair (hidden 0) -> 1; q3 has the unverified
    # claims but not the disputed one -> 1; q4a starts only from the "2021" count, so the
    # smallest factor is right and the largest is not -> 1. Total 4.5.
    "bilal": ("ok", {"q1": 1, "q2a": 0.5, "q2b": 1, "q3": 1, "q4a": 1}, 4.5),
    # chen: the q2a cell raises KeyError, so sources_2023 never exists -> 0, and the check
    # cell after it raises NameError; every other answer is right (q3 typed as a list of
    # ids, which the grader cannot tell from a computed one) -> 2 + 0 + 2 + 2 + 2 = 8.
    "chen": ("error", {"q1": 2, "q2a": 0, "q2b": 2, "q3": 2, "q4a": 2}, 8),
    # dara: q1 (a dict) and q2a right -> 3; the q2b cell loops for ever and is stopped at
    # the time limit, so growth_2025 never exists (0) and the hidden check's call of her
    # function is stopped too (0); q3 and q4a come after it and never run -> 0. Total 3.
    "dara": ("timeout", {"q1": 2, "q2a": 1, "q2b": 0, "q3": 0, "q4a": 0}, 3),
    # emre: the file is cut off inside the q3 answer cell; the cells before the cut are
    # recovered: q1 right (2), q2a as the one-row source_id Series (1), growth_factor right
    # (1 + 1 hidden); q3 and q4a are lost -> 5.
    "emre": ("truncated", {"q1": 2, "q2a": 1, "q2b": 2, "q3": 0, "q4a": 0}, 5),
    # farid: a text file renamed .ipynb -> nothing to run, every question 0.
    "farid": ("not-a-notebook", {"q1": 0, "q2a": 0, "q2b": 0, "q3": 0, "q4a": 0}, 0),
}


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    out = tmp_path_factory.mktemp("graded")
    before = _digest(FIXTURES)
    lines: list[str] = []
    start = time.perf_counter()
    results, _ = grade_folder(FIXTURES, out, timeout=30, echo=lines.append, jobs=2)
    seconds = time.perf_counter() - start
    print("\n[grade] " + "\n[grade] ".join(lines))
    print(f"[grade] {len(results)} submissions in {seconds:.1f} s")
    assert _digest(FIXTURES) == before, "the grader modified a submission"
    with open(out / "grades.csv", newline="", encoding="utf-8") as fh:
        table = {row["student"]: row for row in csv.DictReader(fh)}
    return {"out": out, "table": table, "results": {r.student: r for r in results}, "lines": lines}


def test_grades_csv_has_the_hand_worked_scores(graded):
    table = graded["table"]
    assert set(table) == set(EXPECTED)
    header = list(next(iter(table.values())))
    assert header == ["student", "status", "q1", "q2a", "q2b", "q3", "q4a", "q4b", "q5",
                      "total", "max_total", "seconds", "notes"]
    for student, (status, scores, total) in EXPECTED.items():
        row = table[student]
        assert row["status"] == status, (student, row)
        assert {q: float(row[q]) for q in scores} == scores, (student, row)
        assert float(row["total"]) == total and float(row["max_total"]) == 9, (student, row)
        assert row["q4b"] == "" and row["q5"] == ""  # written answers are marked by hand


def test_feedback_files_report_answers_and_failures_plainly(graded):
    fb = {p.stem: " ".join(p.read_text(encoding="utf-8").split())
          for p in (graded["out"] / "feedback").glob("*.md")}
    assert set(fb) == set(EXPECTED)
    assert "9 of 9 points" in fb["amina"] and "ran from top to bottom without errors" in fb["amina"]
    assert "Claim c04" in fb["amina"] and "[x] Cites a source" in fb["amina"]  # written text shown
    assert "shares of the claims" in fb["bilal"] and "not the later count divided" in fb["bilal"]
    assert "raised KeyError" in fb["chen"] and "sources_2023 = counts.loc" in fb["chen"]
    assert "no variable `sources_2023`" in fb["chen"]
    assert "30-second limit" in fb["dara"] and "did not finish within" in fb["dara"]
    assert "cut off" in fb["emre"] and "recovered" in fb["emre"]
    assert "not a Jupyter notebook" in fb["farid"]
    for text in fb.values():
        assert "Traceback" not in text


def test_the_time_per_submission_is_printed(graded):
    lines = [line for line in graded["lines"] if re.search(r"\d+(\.\d+)? s$", line)]
    assert len(lines) == len(EXPECTED)
    r = graded["results"]["amina"]
    print(f"\n[grade] one complete submission (amina) took {r.seconds:.1f} s to grade")
    assert r.seconds < 60


def test_grade_cli_on_one_submission(tmp_path):
    subs = tmp_path / "subs"
    subs.mkdir()
    shutil.copy(FIXTURES / "amina.ipynb", subs / "amina.ipynb")
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "kabulcase.grade", str(subs), "--timeout", "60"],
                          capture_output=True, text=True, timeout=300)
    seconds = time.perf_counter() - start
    assert proc.returncode == 0, proc.stderr
    print(f"\n[grade] CLI, one submission, end to end: {seconds:.1f} s\n{proc.stdout}")
    assert re.search(r"amina\s+ex01\s+ok\s+9/9\s+\d+\.\d s", proc.stdout)
    with open(tmp_path / "subs-graded" / "grades.csv", newline="") as fh:
        [row] = list(csv.DictReader(fh))
    assert row["total"] == "9"


def test_parallel_results_equal_serial_ones_and_the_cache_reruns_nothing(graded, tmp_path):
    def comparable(path):
        recs = [json.loads(line) for line in path.read_text().splitlines()]
        for r in recs:
            r.pop("seconds"), r.pop("graded_at")
        return sorted(recs, key=lambda r: r["file"])

    subs = tmp_path / "subs"
    subs.mkdir()
    for name in ("amina", "bilal", "chen", "emre", "farid"):  # dara's time limit would add 30 s
        shutil.copy2(FIXTURES / f"{name}.ipynb", subs / f"{name}.ipynb")
    lines: list[str] = []
    grade_folder(subs, tmp_path / "serial", timeout=30, jobs=1, echo=lines.append)
    parallel = [r for r in comparable(graded["out"] / "results.jsonl") if r["student"] != "dara"]
    assert comparable(tmp_path / "serial" / "results.jsonl") == parallel
    assert all(r["submitted_at"] for r in parallel)
    # A second run reads every notebook from the cache (same hash, same checks): no kernel.
    again: list[str] = []
    results, _ = grade_folder(subs, tmp_path / "serial", timeout=30, jobs=1, echo=again.append)
    assert sum(r.cached for r in results) == 4  # farid has nothing to run
    assert comparable(tmp_path / "serial" / "results.jsonl") == parallel
    # --rerun one student: only that notebook runs again.
    results, _ = grade_folder(subs, tmp_path / "serial", timeout=30, jobs=1, echo=again.append,
                              rerun=["bilal"])
    assert [r.student for r in results if not r.cached and r.seconds] == ["bilal"]
