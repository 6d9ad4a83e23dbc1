"""``python -m kabulcase.instructor COMMAND``: the instructor's tools (see the package docstring).

    lms RESULTS --roster ROSTER [--marks MARKS] [--out DIR]      Canvas, Moodle, Gradescope CSVs
    marking RESULTS [--out DIR]                                  written answers + marks.csv
    marks RESULTS --marks MARKS [--out FILE]                     records with the marks merged
    otter [SOURCES...] [--out DIR]                               otter-assign master notebooks
    links --hub URL                                              nbgitpuller link per exercise set
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import links, lms, marking, otter_export
from .results import ResultsError, read_results, write_results


def _assignments(pairs: list[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        exercise, sep, ident = pair.partition("=")
        if not sep:
            raise lms.RosterError(f"--canvas-assignment takes exNN=ID (for example ex02=4567), got {pair!r}.")
        out[exercise.strip()] = ident.strip()
    return out


def _read(path):
    skipped: list[str] = []
    records = read_results(path, skipped=skipped)
    for note in skipped:
        print(f"note: skipped {note}", file=sys.stderr)
    return records


def _records(args):
    records = _read(args.results)
    if getattr(args, "marks", None):
        records = marking.merge(records, marking.read_marks(args.marks, records))
    return records


def _lms(args) -> None:
    records = _records(args)
    out = Path(args.out or Path(args.results).parent / "lms")
    paths = lms.write_all(records, lms.read_roster(args.roster), out,
                          canvas_assignments=_assignments(args.canvas_assignment),
                          moodle_identifier=args.moodle_id)
    for p in paths:
        print(f"wrote {p}")
    left = marking.unmarked(records)
    if left:
        print(f"note: {len(left)} written answer(s) are not fully marked yet and count 0 in these "
              f"files (for example {left[0][0]}, {left[0][1]}).")


def _marking(args) -> None:
    out = Path(args.out or Path(args.results).parent / "marking")
    for p in marking.export(_read(args.results), out):
        print(f"wrote {p}")


def _marks(args) -> None:
    records = _records(args)
    out = Path(args.out or Path(args.results).parent / "results-marked.jsonl")
    print(f"wrote {write_results(records, out)}")
    print(f"{len(marking.unmarked(records))} written answer(s) not fully marked yet")


def _otter(args) -> None:
    from ..release import sources_in
    for p in otter_export.export(sources_in(args.sources or None), args.out):
        print(f"wrote {p}  (then: otter assign {p.name} dist, in {p.parent})")


def _links(args) -> None:
    for exercise, url in links.exercise_links(args.hub).items():
        print(f"{exercise}  {url}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kabulcase.instructor",
                                     description="The instructor's tools: LMS uploads, manual "
                                                 "marking, otter export, nbgitpuller links.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("lms", help="grade-import CSVs for Canvas, Moodle and Gradescope")
    p.add_argument("results", help="results.jsonl written by the grader")
    p.add_argument("--roster", required=True, help="CSV: student,name,email,canvas_user_id,...")
    p.add_argument("--marks", help="the filled marks.csv, to include the written answers")
    p.add_argument("--out", help="folder for the CSVs (default: lms/ next to RESULTS)")
    p.add_argument("--canvas-assignment", action="append", default=[], metavar="exNN=ID",
                   help="the Canvas assignment id of a set (repeatable); without it Canvas "
                        "creates a new assignment")
    p.add_argument("--moodle-id", default="email", choices=sorted(lms.MOODLE_IDS),
                   help="the column Moodle matches students by (default: email)")
    p.set_defaults(run=_lms)
    p = sub.add_parser("marking", help="written answers, one Markdown file per question, and marks.csv")
    p.add_argument("results")
    p.add_argument("--out", help="folder (default: marking/ next to RESULTS)")
    p.set_defaults(run=_marking)
    p = sub.add_parser("marks", help="merge a filled marks.csv into the records")
    p.add_argument("results")
    p.add_argument("--marks", required=True)
    p.add_argument("--out", help="file (default: results-marked.jsonl next to RESULTS)")
    p.set_defaults(run=_marks)
    p = sub.add_parser("otter", help="otter-assign master notebooks of the exercise sets")
    p.add_argument("sources", nargs="*", help="exercise sources (default: exercises/)")
    p.add_argument("--out", default="otter", help="folder (default: otter/)")
    p.set_defaults(run=_otter)
    p = sub.add_parser("links", help="the nbgitpuller link of each exercise set")
    p.add_argument("--hub", required=True, help="the course's JupyterHub, https://...")
    p.set_defaults(run=_links)
    args = parser.parse_args(argv)
    try:
        args.run(args)
    except (ResultsError, lms.RosterError, marking.MarksError, otter_export.ExportError,
            ValueError, FileNotFoundError, FileExistsError) as exc:
        print(f"{args.command}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
