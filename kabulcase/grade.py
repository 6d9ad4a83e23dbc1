"""Grade a folder of submitted exercise notebooks, each in its own sandbox, in parallel.

Usage::

    python -m kabulcase.grade SUBMISSIONS [--out DIR] [--timeout S] [--jobs N]
                              [--hidden DIR] [--rerun STUDENT] [--exercise exNN]
    make grade SUBMISSIONS=folder [JOBS=N] [TIMEOUT=S]

How a verdict is reached, and why no submission can change it:

1. Every ``*.ipynb`` in SUBMISSIONS (student id: the file name, or its sub-folder's name)
   is first copied into a read-only snapshot; nothing runs before the snapshot is whole,
   and the originals are never opened for writing. nbformat 3 notebooks are converted
   to version 4; a cut-off file keeps its complete cells.
2. Each notebook says which exercise set it answers (``metadata.kabulcase.exercise``,
   written by ``make release``; failing that, the ``check("exNN...`` calls in it); one
   that says nothing is reported as ``unidentified``, not graded as something else.
3. Its code cells run in a Jupyter kernel inside a bubblewrap sandbox
   (:mod:`kabulcase.grading.sandbox`): no network, only its own snapshot, read-only
   system and venv, hard limits on memory, processes and file size, and a wall clock
   enforced from outside. After every cell the kernel exports the answer variables as
   plain data, and calls learners' functions on inputs the grader chooses then
   (:mod:`kabulcase.grading.runner`). The kernel is then killed.
4. This process, which never ran student code, rebuilds the exported data defensively
   and scores it with its own import of :mod:`kabulcase.checks` and the hidden checks
   (``grading/hidden/`` and ``--hidden`` folders, loaded by path).

It writes, into OUT, as each submission finishes: ``results.jsonl`` (one JSON record per
submission; the format is documented in the instructor guide), ``feedback/<student>.md``;
and at the end ``grades.csv`` (text escaped against spreadsheet formulas). A cache in
``OUT/.cache`` keyed on each notebook's SHA-256 and on what the grader reads from it
means a second run (after a check is fixed, or for one late submission) reruns only the
notebooks that changed, or those named with ``--rerun``.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import multiprocessing
import os
import re
import shutil
import stat
import sys
import tempfile
from collections import Counter
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import nbformat

from . import checks
from .grading import hidden, sandbox, scoring

DEFAULT_TIMEOUT = 120
MAX_NOTEBOOK = 20 * 1024 * 1024  # bytes; a larger upload is not a plausible exercise notebook
RUNTIME_FILES = ("runner.py", "kernel_export.py", "sandbox.py", "wire.py")


@dataclass
class Result:
    student: str
    path: Path                      # relative to the submissions folder
    exercise: str = ""
    status: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)
    seconds: float = 0.0
    sha256: str = ""
    submitted_at: str | None = None
    graded_at: str = ""
    cached: bool = False

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
    if path.stat().st_size > MAX_NOTEBOOK:
        result.status.append("unreadable")
        result.problems.append(f"The file is {path.stat().st_size / 2**20:,.0f} MB, over the "
                               f"{MAX_NOTEBOOK // 2**20} MB a notebook may be; clear its outputs "
                               f"(Kernel > Restart and Clear Outputs) and submit it again.")
        return None
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
    v3 = isinstance(data, dict) and data.get("nbformat") == 3 and isinstance(data.get("worksheets"), list)
    if not isinstance(data, dict) or not (isinstance(data.get("cells"), list) or v3):
        result.status.append("not-a-notebook")
        result.problems.append("The file is JSON but not a Jupyter notebook (it has no cells).")
        return None
    try:
        nb = nbformat.reads(text, as_version=nbformat.NO_CONVERT)
        return nbformat.convert(nb, 4) if nb.nbformat != 4 else nb
    except Exception:  # an odd but readable notebook: keep its cells
        return nbformat.v4.new_notebook(cells=[_cell_from_dict(c) for c in data.get("cells", [])
                                               if isinstance(c, dict)])


def exercise_of(nb: nbformat.NotebookNode) -> str | None:
    meta = nb.metadata.get("kabulcase", {})
    if isinstance(meta, dict) and meta.get("exercise"):
        return str(meta["exercise"])
    found = Counter(re.findall(r"""(?:check|self_check_text)\(\s*["'](ex\d+)\.""",
                               "\n".join(c.source for c in nb.cells if c.cell_type == "code")))
    return found.most_common(1)[0][0] if found else None




def formula_safe(text: str) -> str:
    """Text for a CSV cell that a spreadsheet will not run as a formula (OWASP: a leading
    =, +, -, @, tab or carriage return gets a quote)."""
    text = str(text)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


# --------------------------------------------------------------------------- snapshot

def snapshot(folder: Path, into: Path) -> list[tuple[Path, Path, str, str | None]]:
    """Copy every submission into ``into`` (read-only) before anything runs: (relative
    path, snapshot path, sha256, submitted_at)."""
    times = _manifest(folder)
    found = []
    for p in sorted(folder.rglob("*.ipynb")):
        if ".ipynb_checkpoints" in p.parts or not p.is_file():
            continue
        rel = p.relative_to(folder)
        target = into / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            shutil.copyfile(p, target)
            mtime = p.stat().st_mtime
        except OSError:  # vanished or unreadable while we looked: report it, grade the rest
            target.write_bytes(b"")
            mtime = None
        os.chmod(target, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
        digest = hashlib.sha256(target.read_bytes()).hexdigest()
        when = times.get(str(rel)) or (datetime.fromtimestamp(mtime, timezone.utc).isoformat(timespec="seconds")
                                       if mtime is not None else None)
        found.append((rel, target, digest, when))
    for d in sorted({t.parent for _, t, _, _ in found}, reverse=True):
        os.chmod(d, 0o555)
    return found


def _manifest(folder: Path) -> dict[str, str]:
    """``manifest.csv`` (columns file, submitted_at) when the platform gives submission times."""
    path = folder / "manifest.csv"
    if not path.exists():
        return {}
    with open(path, newline="", encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    out = {}
    for i, row in enumerate(rows, 2):
        if "file" not in row or "submitted_at" not in row:
            raise SystemExit(f"grade: {path} needs the columns file and submitted_at "
                             f"(an ISO 8601 time such as 2026-10-01T17:00:00+00:00).")
        try:
            datetime.fromisoformat(row["submitted_at"])
        except ValueError:
            raise SystemExit(f"grade: {path} line {i}: submitted_at {row['submitted_at']!r} is not "
                             f"an ISO 8601 time (for example 2026-10-01T17:00:00+00:00).") from None
        out[row["file"]] = row["submitted_at"]
    return out


# --------------------------------------------------------------------------- running

_SLOT = 0


def _init_worker(slots) -> None:
    global _SLOT
    _SLOT = slots.get()


def _job(job: dict) -> dict:
    from .grading import runner
    return runner.run(job["cells"], job["names"], job["calls"], job["timeout"],
                      Path(job["workfile"]), slot=_SLOT)


def _runtime_version() -> str:
    here = Path(__file__).resolve().parent / "grading"
    h = hashlib.sha256()
    for name in RUNTIME_FILES:
        h.update((here / name).read_bytes())
    return h.hexdigest()[:12]


class _Plans:
    def __init__(self):
        self.cache: dict[str, tuple] = {}

    def get(self, exercise: str):
        if exercise not in self.cache:
            blobs, counts = hidden.plan(exercise)
            self.cache[exercise] = (scoring.names(exercise), blobs, counts)
        return self.cache[exercise]


def _prepare(rel, snap, digest, when, root: Path, fallback: str | None) -> tuple[Result, list[str] | None]:
    r = Result(student_id(root / rel, root), rel, sha256=digest, submitted_at=when)
    nb = read_submission(snap, r)
    found = exercise_of(nb) if nb is not None else None
    if found and found not in checks.exercises():
        r.status.append("unidentified")
        r.problems.append(f"The notebook says it answers {found!r}, which has no checks "
                          f"(known: {', '.join(checks.exercises())}).")
        found = None
    r.exercise = found or fallback or ""
    if nb is not None and not r.exercise:
        r.status.append("unidentified")
        r.problems.append("Could not tell which exercise set this notebook answers: it has no "
                          "kabulcase metadata (written by make release) and no check(\"exNN...\") "
                          "calls. Ask for the copy that was handed out, or grade it with "
                          "--exercise exNN.")
    if nb is None or not r.exercise:
        return r, None
    return r, [c.source for c in nb.cells if c.cell_type == "code"]


def _finish(r: Result, run: dict | None, counts: dict) -> None:
    if run is not None:
        r.status += run["status"]
        r.problems += run["problems"]
        r.seconds = run["seconds"]
    if r.exercise:
        rows, problems = scoring.score(r.exercise, run["exports"] if run else [], counts)
        if run is not None and not run["exports"]:
            r.status.append("unreadable")
            problems.append("No answers could be read from the notebook; every question scores 0.")
        r.problems += problems
        if any(p.startswith("An export of the answers was unreadable") for p in problems):
            r.status.append("export-failed")
        if any("is reported to the instructor" in p for p in problems):
            r.status.append("tampered")
        if run is None:
            for row in rows:
                row["message"] = f"{row['key']}: not graded — the notebook could not be run (see the problems above)."
        r.rows = rows
    r.graded_at = datetime.now(timezone.utc).isoformat(timespec="seconds")


def record(r: Result) -> dict:
    """The results.jsonl record of one submission (the contract the LMS exports read)."""
    total, mx = r.score()
    questions = []
    for row in r.rows:
        written = row["kind"] == "written"
        feedback = "\n".join([row["message"]] + [h["message"] for h in row.get("hidden", [])])
        questions.append({"key": _column(row["key"]), "kind": row["kind"],
                          "score": None if written else float(row["score"]),
                          "max_score": float(row.get("max_marks", 0) if written else row["max_score"]),
                          "feedback": feedback,
                          "answer_text": (row.get("text") or "") if written else None})
    return {"student": r.student, "set": r.exercise, "file": str(r.path), "sha256": r.sha256,
            "submitted_at": r.submitted_at, "graded_at": r.graded_at, "status": r.status_text,
            "problems": list(r.problems), "questions": questions, "total": float(total),
            "max_total": float(mx or _max_total(r.exercise)), "seconds": round(r.seconds, 2)}


def _max_total(exercise: str) -> float:
    if not exercise:
        return 0.0
    return float(sum(q.max_score + sum(h.max_score for h in q.hidden)
                     for q in checks.questions(exercise) if isinstance(q, checks.Question)))


# --------------------------------------------------------------------------- writing

def _column(key: str) -> str:
    return key.split(".", 1)[1] if "." in key else key


def write_csv(results: list[Result], exercise: str | None, path: Path) -> None:
    """One row per submission; per-question columns when every row is one set."""
    qs = checks.questions(exercise) if exercise else []
    header = (["student", "status"] + [_column(q.key) for q in qs] if exercise
              else ["student", "set", "file", "status"])
    header += ["total", "max_total", "seconds", "notes"]
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        for r in results:
            rec = record(r)
            if exercise:
                by_key = {row["key"]: row for row in r.rows}
                cells = [formula_safe(r.student), r.status_text]
                for q in qs:
                    row = by_key.get(q.key)
                    cells.append("" if row is None or row["score"] is None else f"{row['score']:g}")
            else:
                cells = [formula_safe(r.student), r.exercise, formula_safe(str(r.path)), r.status_text]
            w.writerow(cells + [f"{rec['total']:g}", f"{rec['max_total']:g}", f"{r.seconds:.1f}",
                                formula_safe(" | ".join(r.problems))])


def feedback_markdown(r: Result) -> str:
    total, mx = r.score()
    mx = mx or _max_total(r.exercise)
    written = [row for row in r.rows if row["kind"] == "written"]
    lines = [f"# Feedback on {r.exercise or 'an unidentified notebook'}: {r.student}", ""]
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


def _safe(name: str) -> str:
    return re.sub(r"[^\w.-]+", "_", name).lstrip(".") or "student"


def grade_folder(folder: str | Path, out: str | Path | None = None,
                 timeout: float = DEFAULT_TIMEOUT, exercise: str | None = None,
                 echo=print, jobs: int | None = None, hidden_dirs: list[str] | None = None,
                 rerun: list[str] | None = None, progress: bool = False) -> tuple[list[Result], Path]:
    folder = Path(folder)
    if not folder.is_dir():
        raise SystemExit(f"grade: {folder} is not a folder of submissions.")
    if exercise and exercise not in checks.exercises():
        raise SystemExit(f"grade: no checks for {exercise!r}; known: {', '.join(checks.exercises())}.")
    try:
        sandbox.require_tools()
        hidden.load(hidden_dirs)
    except (sandbox.SandboxUnavailable, FileNotFoundError) as exc:
        raise SystemExit(f"grade: {exc}") from None
    jobs = max(1, jobs or os.cpu_count() or 1)
    out = Path(out) if out else folder.parent / f"{folder.name}-graded"
    (out / "feedback").mkdir(parents=True, exist_ok=True)
    (out / ".cache").mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="kabulcase-snapshot-") as tmp:
        os.chmod(tmp, 0o755)  # the sandboxes' own uids read their one file through a bind
        snaps = snapshot(folder, Path(tmp))
        if not snaps:
            raise SystemExit(f"grade: no .ipynb files in {folder}.")
        for p in sorted(folder.rglob("*")):
            if p.is_file() and p.suffix != ".ipynb" and p.name != "manifest.csv" \
                    and ".ipynb_checkpoints" not in p.parts:
                echo(f"  skipped {p.relative_to(folder)} (not an .ipynb file)")
        echo(f"Grading {len(snaps)} notebook(s) in {folder} with {jobs} job(s) "
             f"(time limit {timeout:g} s each)")
        results = _grade_all(snaps, folder, out, timeout, exercise, jobs, hidden_dirs, set(rerun or ()),
                             echo, progress)
    _write_tables(results, out)
    _summary(results, out, echo)
    return results, out


def _grade_all(snaps, folder, out, timeout, fallback, jobs, hidden_dirs, rerun, echo, progress):
    plans = _Plans()
    version = hidden.version(hidden_dirs) + _runtime_version()
    jsonl = open(out / "results.jsonl", "w", encoding="utf-8")  # one line per submission, each as it finishes
    results: list[Result] = []
    pending: list[tuple[Result, dict, Path]] = []
    sets = {}
    prepared = [_prepare(rel, snap, digest, when, folder, fallback) for rel, snap, digest, when in snaps]
    only = {r.exercise for r, _ in prepared if r.exercise}
    for r, cells in prepared:
        if not r.exercise and len(only) == 1:  # a folder of one set: a broken file is of it too
            r.exercise = next(iter(only))
            r.status = [s for s in r.status if s != "unidentified"]
            r.problems = [p for p in r.problems if not p.startswith("Could not tell")] + [
                f"The notebook does not say which set it answers; it was graded as {r.exercise}, "
                f"the set of every other notebook in this folder."]
        if cells is None or not r.exercise:
            _finish(r, None, {})
            results.append(r)
            continue
        names, blobs, counts = plans.get(r.exercise)
        workfile = [t for rel, t, *_x in snaps if rel == r.path][0]
        key = hashlib.sha256(json.dumps([r.sha256, r.exercise, version, timeout, names, blobs]).encode())
        cache = out / ".cache" / f"{r.sha256[:16]}-{key.hexdigest()[:16]}.json"
        sets[id(r)] = counts
        if cache.exists() and r.student not in rerun:
            r.cached = True
            _finish(r, json.loads(cache.read_text(encoding="utf-8")), counts)
            results.append(r)
            continue
        pending.append((r, {"cells": cells, "names": names, "calls": blobs, "timeout": timeout,
                            "workfile": str(workfile)}, cache))

    def done(r: Result, run: dict, cache: Path):
        if not run.pop("worker_failed", False):  # a grader fault is not the notebook's result
            cache.write_text(json.dumps(run), encoding="utf-8")
        _finish(r, run, sets[id(r)])
        results.append(r)
        _emit(r, out, jsonl, echo)

    for r in list(results):
        _emit(r, out, jsonl, echo)
    bar = _progress(len(pending)) if progress and pending else None
    try:
        if jobs == 1 or len(pending) <= 1:
            for r, job, cache in pending:
                try:
                    run = _job(job)
                except Exception as exc:  # a grader fault loses one submission, never the class
                    run = _worker_failed(exc)
                done(r, run, cache)
                bar and bar.advance()
        else:
            ctx = multiprocessing.get_context("spawn")
            slots = ctx.Queue()
            for i in range(jobs):
                slots.put(i)
            with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_init_worker,
                                     initargs=(slots,)) as pool:
                futures = {pool.submit(_job, job): (r, cache) for r, job, cache in pending}
                for fut in as_completed(futures):
                    r, cache = futures[fut]
                    try:
                        run = fut.result()
                    except Exception as exc:  # a broken worker loses one submission, never the class
                        run = _worker_failed(exc)
                    done(r, run, cache)
                    bar and bar.advance()
    finally:
        jsonl.close()
        bar and bar.stop()
    order = {str(rel): i for i, (rel, *_rest) in enumerate(snaps)}
    return sorted(results, key=lambda r: order[str(r.path)])


def _worker_failed(exc: Exception) -> dict:
    return {"exports": [], "status": ["crashed"], "seconds": 0.0, "worker_failed": True,
            "problems": [f"The grader failed on this notebook ({type(exc).__name__}: "
                         f"{str(exc)[:120]}); grade it again with --rerun."]}


def _emit(r: Result, out: Path, jsonl, echo) -> None:
    jsonl.write(json.dumps(record(r), ensure_ascii=False) + "\n")
    jsonl.flush()
    os.fsync(jsonl.fileno())
    # One learner may hand in several sets (amina/ex01.ipynb, amina/ex02.ipynb): then the
    # feedback files are named after the set too.
    name = _safe(r.student) + (f"-{r.exercise or _safe(r.path.stem)}" if len(r.path.parts) > 1 else "")
    target = out / "feedback" / f"{name}.md"
    target.write_text(feedback_markdown(r), encoding="utf-8")
    total, mx = r.score()
    mx = mx or _max_total(r.exercise)
    echo(f"  {r.student:<24} {r.exercise or '-':<5} {r.status_text:<22} {total:g}/{mx:g}   "
         f"{r.seconds:.1f} s{' (cached)' if r.cached else ''}")


class _progress:
    def __init__(self, n: int):
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn
        self.p = Progress("grading", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                          console=Console(stderr=True))
        self.task = self.p.add_task("grading", total=n)
        self.p.start()

    def advance(self):
        self.p.advance(self.task)

    def stop(self):
        self.p.stop()


def _write_tables(results: list[Result], out: Path) -> None:
    by_set: dict[str, list[Result]] = {}
    for r in results:
        by_set.setdefault(r.exercise, []).append(r)
    named = [s for s in by_set if s]
    for s in named:
        write_csv(by_set[s], s, out / f"grades-{s}.csv")
    if len(by_set) == 1 and named:
        write_csv(results, named[0], out / "grades.csv")
    else:
        write_csv(results, None, out / "grades.csv")


def _summary(results: list[Result], out: Path, echo) -> None:
    statuses = Counter(s for r in results for s in (r.status or ["ok"]))
    sets = Counter(r.exercise or "unidentified" for r in results)
    ran = [r for r in results if not r.cached and r.seconds]
    mean = sum(r.seconds for r in ran) / len(ran) if ran else 0.0
    echo(f"Graded {len(results)} notebook(s): " + ", ".join(f"{n} {s}" for s, n in sorted(sets.items()))
         + "; status " + ", ".join(f"{s} {n}" for s, n in statuses.most_common())
         + f"; {sum(r.cached for r in results)} from the cache.")
    echo(f"Wrote {out / 'results.jsonl'}, {out / 'grades.csv'} and {len(results)} feedback file(s) in "
         f"{out / 'feedback'}; {mean:.1f} s per notebook run on average.")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m kabulcase.grade",
        description="Run each submitted exercise notebook in a sandbox and score its answers.")
    parser.add_argument("submissions", help="folder of submitted .ipynb files (sub-folders allowed)")
    parser.add_argument("--out", help="where to write results.jsonl, grades.csv and feedback/ "
                                      "(default: SUBMISSIONS-graded next to the folder)")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT,
                        help=f"seconds each notebook may run (default {DEFAULT_TIMEOUT})")
    parser.add_argument("--jobs", type=int, default=0, help="notebooks graded at once (default: every core)")
    parser.add_argument("--hidden", action="append", default=[], metavar="DIR",
                        help="a folder of extra hidden checks (exNN*.py) kept out of the repository")
    parser.add_argument("--rerun", action="append", default=[], metavar="STUDENT",
                        help="run this student's notebook again even if the cache has it")
    parser.add_argument("--exercise", help="exercise set for notebooks that do not say which they answer")
    args = parser.parse_args(argv)
    if args.timeout <= 0 or args.jobs < 0:
        parser.error("--timeout must be positive and --jobs 0 (every core) or more")
    grade_folder(args.submissions, args.out, args.timeout, args.exercise, jobs=args.jobs or None,
                 hidden_dirs=args.hidden, rerun=args.rerun, progress=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
