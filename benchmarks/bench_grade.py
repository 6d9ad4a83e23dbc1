"""Print how many submissions per minute the grader handles with 1, 2 and every core.

It generates a class (default 60 notebooks) mixing all seven exercise sets, some answered
completely (the instructor copies), some left blank or half done (the student copies,
with the answers of the first cells only), and grades it from scratch (no cache) once
per job count. Figures, not pass/fail: they depend on the machine and its load.

Run: ``.venv/bin/python benchmarks/bench_grade.py [--size 60] [--jobs 1,2,N]``.
"""

from __future__ import annotations

import argparse
import copy
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import nbformat  # noqa: E402

from kabulcase import release  # noqa: E402
from kabulcase.grade import grade_folder  # noqa: E402


def make_class(folder: Path, size: int) -> None:
    sources = sorted((REPO / "exercises").glob("ex0*.md"))
    full = {s: release.instructor_notebook(s) for s in sources}
    blank = {s: release.student_notebook(s) for s in sources}
    for i in range(size):
        src = sources[i % len(sources)]
        kind = ("right", "blank", "half")[i // len(sources) % 3]
        nb = full[src] if kind == "right" else blank[src]
        if kind == "half":  # the first half of the solved notebook, the rest left as handed out
            nb = copy.deepcopy(full[src])
            nb.cells = nb.cells[: len(nb.cells) // 2]
        nbformat.write(nb, folder / f"s{i:03d}-{kind}.ipynb")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=60)
    parser.add_argument("--jobs", default="1,2,N", help="comma-separated job counts; N = every core")
    parser.add_argument("--timeout", type=float, default=120)
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    counts = list(dict.fromkeys(cores if j == "N" else int(j) for j in args.jobs.split(",")))
    with tempfile.TemporaryDirectory(prefix="bench-grade-") as tmp:
        folder = Path(tmp) / "class"
        folder.mkdir()
        make_class(folder, args.size)
        print(f"Grading a generated class of {args.size} notebooks (7 sets; right, blank and "
              f"half done) on {cores} core(s); load average {os.getloadavg()[0]:.1f}")
        for jobs in counts:
            out = Path(tmp) / f"out-{jobs}"
            start = time.perf_counter()
            results, _ = grade_folder(folder, out, timeout=args.timeout, jobs=jobs, echo=lambda *_: None)
            seconds = time.perf_counter() - start
            bad = sum(1 for r in results if r.status_text not in ("ok", "error"))
            print(f"  {jobs} job(s): {len(results)} in {seconds:.0f} s = "
                  f"{len(results) / seconds * 60:.1f} submissions per minute"
                  + f" (load average now {os.getloadavg()[0]:.1f})"
                  + (f"; {bad} with a status other than ok/error" if bad else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
