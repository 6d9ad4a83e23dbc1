"""Grade-import CSVs for Canvas, Moodle and Gradescope, from the grader's records.

Each LMS matches students by its own identifiers, which the grader never sees (it knows
only the file name of a submission). The instructor supplies a roster CSV with a
``student`` column (the grader's id) and whichever of these the course uses::

    student,name,email,canvas_user_id,sis_user_id,sis_login_id,section,username,idnumber

One column per exercise set, holding the set's points (auto-scored questions, plus the
written ones once their marks are read back with :mod:`.marking`). A student with no
record for a set gets an empty cell, not a zero: whether missing work scores zero is the
instructor's decision, made in the LMS. Every text cell is escaped against formula
injection (:func:`.results.safe_text`); numbers are written as plain numbers.

The formats (instructor guide, "Uploading grades to an LMS", cites the documentation):

* **Canvas** gradebook import: ``Student, ID, SIS User ID, SIS Login ID, Section``, then
  one column per assignment named ``Assignment name (assignment id)``. A column without an
  id in brackets makes Canvas create a new assignment.
* **Moodle** grade import from CSV: an identifier column (e-mail address, username or ID
  number), mapped at import ("Map from" / "Map to"), then one column per grade item.
* **Gradescope** roster conventions: ``Name, Email, SID``, then the scores.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from .results import Record, number, safe_text

ROSTER_COLUMNS = ("student", "name", "email", "canvas_user_id", "sis_user_id", "sis_login_id",
                  "section", "username", "idnumber")
MOODLE_IDS = {"email": "Email address", "username": "Username", "idnumber": "ID number"}
LMSES = ("canvas", "moodle", "gradescope")


class RosterError(ValueError):
    """The roster (student id map) cannot be used."""


@dataclass(frozen=True)
class Person:
    student: str
    name: str = ""
    email: str = ""
    canvas_user_id: str = ""
    sis_user_id: str = ""
    sis_login_id: str = ""
    section: str = ""
    username: str = ""
    idnumber: str = ""


def read_roster(path: str | Path) -> dict[str, Person]:
    """student id -> Person, from the instructor's roster CSV (UTF-8, a header row)."""
    path = Path(path)
    if not path.exists():
        raise RosterError(f"No roster at {path}. Make a CSV with a 'student' column (the file "
                          f"name of each submission without .ipynb) and the LMS ids: "
                          f"{', '.join(ROSTER_COLUMNS[1:])}.")
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        header = [h.strip() for h in reader.fieldnames or []]
        if "student" not in header:
            raise RosterError(f"{path.name}: the header has no 'student' column (it has: "
                              f"{', '.join(header) or 'nothing'}). The first row must name the "
                              f"columns, one of them 'student'.")
        unknown = [h for h in header if h not in ROSTER_COLUMNS]
        if unknown:
            raise RosterError(f"{path.name}: unknown column(s) {', '.join(unknown)}; the roster "
                              f"columns are {', '.join(ROSTER_COLUMNS)}.")
        people: dict[str, Person] = {}
        for line_no, row in enumerate(reader, start=2):
            values = {k.strip(): (v or "").strip() for k, v in row.items() if k}
            sid = values.get("student", "")
            if not sid:
                raise RosterError(f"{path.name}, line {line_no}: the 'student' cell is empty.")
            if sid in people:
                raise RosterError(f"{path.name}, line {line_no}: student {sid!r} is listed twice.")
            people[sid] = Person(**values)
    if not people:
        raise RosterError(f"{path.name} lists no students.")
    return people


def _check_roster(records: list[Record], roster: dict[str, Person]) -> None:
    missing = sorted({r.student for r in records} - set(roster))
    if missing:
        shown = ", ".join(repr(m) for m in missing[:10]) + (" ..." if len(missing) > 10 else "")
        raise RosterError(f"{len(missing)} graded student(s) are not in the roster: {shown}. "
                          f"Add a row for each (student id as in the grader's records), so that "
                          f"the LMS can match them.")


def _points_by_student(records: list[Record]) -> dict[tuple[str, str], float]:
    return {(r.student, r.set): r.points()[0] for r in records}


def _sets(records: list[Record]) -> list[str]:
    return sorted({r.set for r in records})


def set_title(exercise: str) -> str:
    return f"Cameras over Kabul, exercises {int(exercise[2:])}"


def _canvas_header(exercise: str, assignment_ids: dict[str, str]) -> str:
    title = set_title(exercise)
    return f"{title} ({assignment_ids[exercise]})" if exercise in assignment_ids else title


def _rows(records, roster, identify):
    points = _points_by_student(records)
    sets = _sets(records)
    people = sorted({r.student for r in records})
    for sid in people:
        p = roster[sid]
        yield [safe_text(v) for v in identify(p)] + [number(points.get((sid, s))) for s in sets]


def canvas_rows(records: list[Record], roster: dict[str, Person],
                assignment_ids: dict[str, str] | None = None) -> list[list[str]]:
    assignment_ids = assignment_ids or {}
    bad = {k: v for k, v in assignment_ids.items() if not re.fullmatch(r"\d+", str(v))}
    if bad:
        raise RosterError(f"Canvas assignment ids are numbers (the digits at the end of the "
                          f"assignment's address); got {bad}.")
    for sid in sorted({r.student for r in records}):
        p = roster[sid]
        if not (p.canvas_user_id or p.sis_user_id):
            raise RosterError(f"Canvas matches a student by ID or SIS User ID; the roster has "
                              f"neither for {sid!r}. Fill canvas_user_id or sis_user_id (export "
                              f"them from the Canvas gradebook).")
    header = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"] + \
        [_canvas_header(s, assignment_ids) for s in _sets(records)]
    body = _rows(records, roster, lambda p: [p.name or p.student, p.canvas_user_id, p.sis_user_id,
                                              p.sis_login_id, p.section])
    return [header, *body]


def moodle_rows(records: list[Record], roster: dict[str, Person],
                identifier: str = "email") -> list[list[str]]:
    if identifier not in MOODLE_IDS:
        raise RosterError(f"Moodle identifies a student by {', '.join(MOODLE_IDS)}; got {identifier!r}.")
    for sid in sorted({r.student for r in records}):
        if not getattr(roster[sid], identifier):
            raise RosterError(f"The Moodle file identifies students by {identifier}, but the roster "
                              f"has no {identifier} for {sid!r}.")
    header = [MOODLE_IDS[identifier]] + [set_title(s) for s in _sets(records)]
    body = _rows(records, roster, lambda p: [getattr(p, identifier)])
    return [header, *body]


def gradescope_rows(records: list[Record], roster: dict[str, Person]) -> list[list[str]]:
    for sid in sorted({r.student for r in records}):
        if not roster[sid].email:
            raise RosterError(f"Gradescope matches students by e-mail address; the roster has no "
                              f"email for {sid!r}.")
    header = ["Name", "Email", "SID"] + [set_title(s) for s in _sets(records)]
    body = _rows(records, roster, lambda p: [p.name or p.student, p.email,
                                              p.sis_user_id or p.idnumber])
    return [header, *body]


def write_csv(rows: list[list[str]], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\r\n").writerows(rows)
    return path


def write_all(records: list[Record], roster: dict[str, Person], out: str | Path, *,
              canvas_assignments: dict[str, str] | None = None,
              moodle_identifier: str = "email", only: tuple[str, ...] = LMSES) -> list[Path]:
    """Write one grade-import CSV per LMS in ``only`` into ``out``."""
    _check_roster(records, roster)
    out = Path(out)
    makers = {"canvas": lambda: canvas_rows(records, roster, canvas_assignments),
              "moodle": lambda: moodle_rows(records, roster, moodle_identifier),
              "gradescope": lambda: gradescope_rows(records, roster)}
    return [write_csv(makers[lms](), out / f"{lms}-grades.csv") for lms in only]
