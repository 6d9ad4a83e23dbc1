"""Grade a folder of submitted exercise notebooks, offline and without Docker.

Usage::

    python -m kabulcase.grade SUBMISSIONS [--out DIR] [--timeout S] [--exercise ex01]
    make grade SUBMISSIONS=folder

For each ``*.ipynb`` in SUBMISSIONS (the student id is the file name without
``.ipynb``; for files in sub-folders, the sub-folder's name):

1. The notebook is read from a COPY in a temporary folder; the submission itself is never
   modified. A file that is cut off (invalid JSON) keeps the cells before the cut; a file
   that is not a notebook at all is reported as such.
2. Its code cells run in a fresh Python kernel (nbclient) with errors allowed, so a cell
   that raises does not stop later answers from being scored. The whole notebook has a
   time limit (``--timeout``, seconds): when it runs out, the kernel is interrupted and
   the remaining cells are skipped.
3. A grading cell then runs in the same kernel: it re-imports :mod:`kabulcase.checks` and
   scores every question of the exercise from the kernel's variables with the same checks
   the learner saw, plus the hidden ones (:func:`kabulcase.checks.grade_namespace`).
   Written answers are not scored; their text and objective self-checks go into the
   feedback for the instructor to mark with the rubric.

It writes ``grades.csv`` (one row per student: status, one column per question, total,
maximum, seconds, notes) and ``feedback/<student>.md`` (per question the check message;
problems with the run reported plainly), and prints the time per submission.

Submissions are student code: they run with your user's permissions. Grade on a machine
or account you are happy to lend them, ideally with no network (``unshare -n``).
"""

from __future__ import annotations

import argparse
import copy
import csv
import json
import math
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError

from . import checks

DEFAULT_TIMEOUT = 120
GRADING_TIMEOUT = 60
TIMEOUT_ENAME = "SubmissionTimeLimit"


@dataclass
class Result:
    student: str
    path: Path
    status: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)
    seconds: float = 0.0
    exercise: str = ""

    @property
    def status_text(self) -> str:
        return "+".join(dict.fromkeys(self.status)) or "ok"

    def score(self) -> tuple[float, float]:
        auto = [r for r in self.rows if r["kind"] == "code"]
        return sum(r["score"] for r in auto), sum(r["max_score"] for r in auto)


# --------------------------------------------------------------------------- reading

def student_id(path: Path, root: Path) -> str:
    rel = path.relative_to(root)
    return rel.parts[0] if len(rel.parts) > 1 else path.stem


def _salvage_cells(text: str) -> list[dict]:
    """The complete cells at the start of a notebook whose JSON is cut off."""
    m = re.search(r'"cells"\s*:\s*\[', text)
    if not m:
        return []
    decoder, pos, cells = json.JSONDecoder(), m.end(), []
    while True:
        while pos < len(text) and text[pos] in " \t\r\n,":
            pos += 1
        if pos >= len(text) or text[pos] == "]":
            break
        try:
            obj, pos = decoder.raw_decode(text, pos)
        except json.JSONDecodeError:
            break
        if isinstance(obj, dict) and obj.get("cell_type") in ("code", "markdown", "raw"):
            cells.append(obj)
    return cells


def _cell_from_dict(d: dict) -> nbformat.NotebookNode:
    source = d.get("source", "")
    source = "".join(source) if isinstance(source, list) else str(source)
    if d.get("cell_type") == "code":
        return nbformat.v4.new_code_cell(source=source, metadata=d.get("metadata", {}))
    if d.get("cell_type") == "markdown":
        return nbformat.v4.new_markdown_cell(source=source, metadata=d.get("metadata", {}))
    return nbformat.v4.new_raw_cell(source=source)


def read_submission(path: Path, result: Result) -> nbformat.NotebookNode | None:
    """The notebook in ``path``, or what can be recovered of it; None if nothing can."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        result.status.append("not-a-notebook")
        result.problems.append("The file is not text (not UTF-8), so it is not a Jupyter notebook. "
                               "Was the wrong file uploaded?")
        return None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        cells = _salvage_cells(text)
        if cells:
            result.status.append("truncated")
            result.problems.append(
                f"The file is cut off (invalid JSON at line {exc.lineno}, column {exc.colno}); "
                f"{len(cells)} complete cell(s) before the cut were recovered and graded. "
                f"Later answers are missing. Save the notebook again and re-submit it if you can.")
            nb = nbformat.v4.new_notebook(cells=[_cell_from_dict(c) for c in cells])
            return nb
        result.status.append("not-a-notebook")
        result.problems.append(
            "The file is not a Jupyter notebook (it is not JSON"
            + (f"; it starts with {text.strip()[:40]!r}" if text.strip() else "; it is empty")
            + "). Submit the .ipynb file saved from Jupyter.")
        return None
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        result.status.append("not-a-notebook")
        result.problems.append("The file is JSON but not a Jupyter notebook (it has no cells).")
        return None
    try:
        return nbformat.reads(text, as_version=4)
    except Exception:  # an odd but readable notebook: keep its cells
        return nbformat.v4.new_notebook(cells=[_cell_from_dict(c) for c in data["cells"]
                                               if isinstance(c, dict)])


def exercise_of(nb: nbformat.NotebookNode) -> str | None:
    meta = nb.metadata.get("kabulcase", {})
    if isinstance(meta, dict) and meta.get("exercise"):
        return str(meta["exercise"])
    found = Counter(re.findall(r"""(?:check|self_check_text)\(\s*["'](ex\d+)\.""",
                               "\n".join(c.source for c in nb.cells if c.cell_type == "code")))
    return found.most_common(1)[0][0] if found else None


# --------------------------------------------------------------------------- running

def _grading_source(exercise: str, marker: str) -> str:
    # Re-import the checks from disk so that nothing a submission did to the modules
    # in its kernel can change how it is graded.
    return f"""
def _kabulcase_grade():
    import builtins, importlib, json, sys
    for name in [m for m in list(sys.modules) if m == "kabulcase" or m.startswith("kabulcase.")]:
        del sys.modules[name]
    checks = importlib.import_module("kabulcase.checks")
    rows = checks.grade_namespace({exercise!r}, builtins.dict(builtins.globals()))
    sys.stdout.write({marker!r} + json.dumps(rows, default=str) + "\\n")
_kabulcase_grade()
"""


def _cell_name(cell, index: int) -> str:
    first = next((line.strip() for line in cell.source.splitlines() if line.strip()), "")
    first = first if len(first) <= 60 else first[:57] + "..."
    return f"Code cell {index + 1} (starting `{first}`)"


def _first_error(cell) -> dict | None:
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            return out
    return None


def run_and_score(nb: nbformat.NotebookNode, exercise: str, timeout: float, workdir: Path,
                  result: Result) -> None:
    nb = copy.deepcopy(nb)
    nb.cells = [c for c in nb.cells if c.cell_type == "code"]
    marker = f"KABULCASE-GRADE-{secrets.token_hex(8)}:"
    grade_cell = nbformat.v4.new_code_cell(_grading_source(exercise, marker))
    client = NotebookClient(
        nb, kernel_name="python3", allow_errors=True, interrupt_on_timeout=True,
        error_on_timeout={"ename": TIMEOUT_ENAME, "evalue": "time limit reached", "traceback": []},
        record_timing=False, resources={"metadata": {"path": str(workdir)}})
    with client.setup_kernel(stderr=subprocess.DEVNULL):  # the kernel's own log lines
        deadline = time.monotonic() + timeout  # the limit counts the notebook, not kernel start-up
        for index, cell in enumerate(nb.cells):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            client.timeout = max(1, math.ceil(remaining))
            try:
                client.execute_cell(cell, index)
            except DeadKernelError:
                result.status.append("kernel-died")
                result.problems.append(f"{_cell_name(cell, index)} stopped Python itself (the "
                                       f"kernel died), so nothing after it could run or be graded.")
                return _score(result, exercise, None)
            except CellTimeoutError:
                break
            err = _first_error(cell)
            if time.monotonic() >= deadline:  # the cell used up the time and was interrupted
                result.status.append("timeout")
                result.problems.append(
                    f"The notebook did not finish within the {timeout:g}-second limit: "
                    f"{_cell_name(cell, index)} was still running and was stopped (an endless "
                    f"loop?). Later cells did not run; answers defined before it were graded.")
                break
            if err:
                if "error" not in result.status:
                    result.status.append("error")
                result.problems.append(f"{_cell_name(cell, index)} raised {err.get('ename')}: "
                                       f"{str(err.get('evalue'))[:200]}")
        if time.monotonic() >= deadline and "timeout" not in result.status:
            result.status.append("timeout")
            result.problems.append(f"The notebook did not finish within the {timeout:g}-second "
                                   f"limit; the remaining cells did not run.")
        nb.cells.append(grade_cell)
        client.timeout = GRADING_TIMEOUT
        try:
            client.execute_cell(grade_cell, len(nb.cells) - 1)
        except (DeadKernelError, CellTimeoutError) as exc:
            result.status.append("grading-failed")
            result.problems.append(f"The answers could not be read from the notebook "
                                   f"({type(exc).__name__}).")
            return _score(result, exercise, None)
    rows = None
    for out in grade_cell.get("outputs", []):
        if out.get("output_type") == "stream":
            for line in out.get("text", "").splitlines():
                if line.startswith(marker):
                    rows = json.loads(line[len(marker):])
    if rows is None:
        err = _first_error(grade_cell)
        result.status.append("grading-failed")
        result.problems.append("The answers could not be read from the notebook"
                               + (f" ({err.get('ename')}: {err.get('evalue')})" if err else "") + ".")
    _score(result, exercise, rows)


def _score(result: Result, exercise: str, rows: list[dict] | None) -> None:
    if rows is None:  # nothing could be read: every question scores zero
        rows = []
        for q in checks.questions(exercise):
            written = isinstance(q, checks.Rubric)
            mx = None if written else q.max_score + sum(h.max_score for h in q.hidden)
            rows.append({"key": q.key, "variable": q.variable, "kind": q.kind,
                         "objective": q.objective, "score": None if written else 0.0,
                         "max_score": mx, "passed": False, "hidden": [], "text": "",
                         "message": f"{q.key}: not graded — the notebook could not be run "
                                    f"(see the problems above)."})
    result.rows = rows


def grade_one(path: Path, root: Path, exercise: str | None, timeout: float) -> Result:
    result = Result(student_id(path, root), path)
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="kabulcase-grade-") as tmp:
        work = Path(tmp)
        copy_path = work / path.name
        shutil.copyfile(path, copy_path)  # the submission itself is never opened for writing
        nb = read_submission(copy_path, result)
        found = exercise_of(nb) if nb is not None else None
        ex = exercise or found
        result.exercise = ex or ""
        if ex is None:
            result.status.append("unknown-exercise")
            result.problems.append("Could not tell which exercise this notebook answers.")
        elif found and exercise and found != exercise:
            result.status.append("wrong-exercise")
            result.problems.append(f"This notebook looks like {found}, not {exercise}; it was "
                                   f"graded as {exercise}.")
        if nb is None or ex is None:
            _score(result, ex or "", None)
        else:
            run_and_score(nb, ex, timeout, work, result)
    result.seconds = time.perf_counter() - start
    return result


# --------------------------------------------------------------------------- writing

def _column(key: str) -> str:
    return key.split(".", 1)[1]


def write_csv(results: list[Result], exercise: str, path: Path) -> None:
    qs = checks.questions(exercise)
    header = (["student", "status"] + [_column(q.key) for q in qs]
              + ["total", "max_total", "seconds", "notes"])
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        for r in results:
            by_key = {row["key"]: row for row in r.rows}
            cells = []
            for q in qs:
                row = by_key.get(q.key)
                cells.append("" if row is None or row["score"] is None else f"{row['score']:g}")
            total, mx = r.score()
            if not mx:
                mx = sum(q.max_score + sum(h.max_score for h in q.hidden)
                         for q in qs if isinstance(q, checks.Question))
            w.writerow([r.student, r.status_text] + cells
                       + [f"{total:g}", f"{mx:g}", f"{r.seconds:.1f}", " | ".join(r.problems)])


def feedback_markdown(r: Result, exercise: str) -> str:
    total, mx = r.score()
    written = [row for row in r.rows if row["kind"] == "written"]
    lines = [f"# Feedback on {exercise}: {r.student}", ""]
    lines.append(f"Auto-checked questions: **{total:g} of {mx:g} points**."
                 + (" Written answers ("
                    + ", ".join(_column(w["key"]) for w in written)
                    + ") are marked by your instructor with the rubric shown under each." if written else ""))
    lines.append("")
    if r.problems:
        lines += ["## Problems running your notebook", ""]
        lines += [f"- {p}" for p in r.problems]
        lines.append("")
    else:
        lines += ["Your notebook ran from top to bottom without errors.", ""]
    for row in r.rows:
        q = _column(row["key"])
        if row["kind"] == "written":
            lines += [f"## {q} (written; objective {row['objective']})", ""]
            if row.get("text"):
                lines += ["Your answer:", ""] + [f"> {line}" if line.strip() else ">"
                                                 for line in row["text"].strip().splitlines()] + [""]
            lines += ["```text", row["message"], "```", ""]
            continue
        lines += [f"## {q}: {row['score']:g} of {row['max_score']:g} (objective {row['objective']})",
                  "", "```text", row["message"]]
        for h in row.get("hidden", []):
            lines.append(h["message"])
        lines += ["```", ""]
    return "\n".join(lines)


def grade_folder(folder: str | Path, out: str | Path | None = None,
                 timeout: float = DEFAULT_TIMEOUT, exercise: str | None = None,
                 echo=print) -> tuple[list[Result], Path]:
    folder = Path(folder)
    if not folder.is_dir():
        raise SystemExit(f"grade: {folder} is not a folder of submissions.")
    paths = sorted(p for p in folder.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
    skipped = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix != ".ipynb"
                     and ".ipynb_checkpoints" not in p.parts)
    if not paths:
        raise SystemExit(f"grade: no .ipynb files in {folder}.")
    if exercise is None:  # the exercise most of the submissions say they answer
        votes = Counter()
        for p in paths:
            dummy = Result("", p)
            try:
                nb = read_submission(p, dummy)
            except OSError:
                nb = None
            if nb is not None and (ex := exercise_of(nb)):
                votes[ex] += 1
        if not votes:
            raise SystemExit("grade: cannot tell which exercise these notebooks answer; "
                             "pass --exercise exNN.")
        exercise = votes.most_common(1)[0][0]
    if exercise not in checks.exercises():
        raise SystemExit(f"grade: no checks for {exercise!r}; known: {', '.join(checks.exercises())}.")
    out = Path(out) if out else folder.parent / f"{folder.name}-graded"
    (out / "feedback").mkdir(parents=True, exist_ok=True)
    echo(f"Grading {len(paths)} notebook(s) in {folder} as {exercise} "
         f"(time limit {timeout:g} s each)")
    for p in skipped:
        echo(f"  skipped {p.relative_to(folder)} (not an .ipynb file)")
    results = []
    for p in paths:
        r = grade_one(p, folder, exercise, timeout)
        results.append(r)
        total, mx = r.score()
        echo(f"  {r.student:<24} {r.status_text:<22} {total:g}/{mx:g}   {r.seconds:.1f} s")
        (out / "feedback" / f"{_safe(r.student)}.md").write_text(feedback_markdown(r, exercise),
                                                                 encoding="utf-8")
    write_csv(results, exercise, out / "grades.csv")
    mean = sum(r.seconds for r in results) / len(results)
    echo(f"Wrote {out / 'grades.csv'} and {len(results)} feedback file(s) in {out / 'feedback'}; "
         f"{mean:.1f} s per submission on average.")
    return results, out


def _safe(name: str) -> str:
    return re.sub(r"[^\w.-]+", "_", name) or "student"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m kabulcase.grade",
        description="Run and score a folder of submitted exercise notebooks.")
    parser.add_argument("submissions", help="folder of submitted .ipynb files")
    parser.add_argument("--out", help="where to write grades.csv and feedback/ "
                                      "(default: SUBMISSIONS-graded next to the folder)")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT,
                        help=f"seconds each notebook may run (default {DEFAULT_TIMEOUT})")
    parser.add_argument("--exercise", help="exercise id, e.g. ex01 (default: read from the notebooks)")
    args = parser.parse_args(argv)
    grade_folder(args.submissions, args.out, args.timeout, args.exercise)
    return 0


if __name__ == "__main__":
    sys.exit(main())
