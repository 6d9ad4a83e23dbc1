"""Written answers out for marking by hand, with their rubric, and the marks back in.

:func:`export` writes, for every written question of the graded sets, one Markdown file
with the rubric (from :mod:`kabulcase.checks`, the criteria the learner also saw) and every
student's answer, each followed by a table of the criteria to mark; and one
``marks.csv`` with a row per student, question and criterion, for the marker to fill::

    student,question,criterion,mark,comment
    amina,ex02.q3d,1,2,"Cites the grid figure but not its source."

:func:`read_marks` checks that file strictly (an unknown student or question, a criterion
that does not exist, a mark that is not a number or is above the criterion's maximum, a
row given twice: each is an error naming the line), and :func:`merge` puts the marks into
the records, so that the totals and the LMS files include them. A blank mark means "not
marked yet": the question then adds to the maximum but not to the score.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass
from pathlib import Path

from .. import checks
from .results import FileProblems, Record, safe_text

MARKS_HEADER = ["student", "question", "criterion", "mark", "comment"]
MARK_MAX = 3  # every criterion is marked on the four levels 0-3 (instructor guide)
LEVELS = (("Strong", 3), ("Adequate", 2), ("Developing", 1), ("Missing", 0))


class MarksError(FileProblems):
    """The marks file cannot be read back."""

    fix = "Correct those rows and read the marks in again."


@dataclass(frozen=True)
class Mark:
    student: str
    question: str
    criterion: int
    mark: float | None
    comment: str


def _fence(text: str) -> str:
    """A code fence longer than any run of backticks in ``text``: the answer is shown as
    it was written, and nothing in it is rendered as Markdown or HTML."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def _written_keys(records: list[Record]) -> list[str]:
    keys = {q.key for r in records for q in r.written if q.key in checks.RUBRICS}
    return sorted(keys, key=checks.core._natural_key)


def question_markdown(key: str, records: list[Record]) -> str:
    rubric = checks.RUBRICS[key]
    exercise = key.split(".")[0]
    lines = [f"# {key}: {rubric.title}", "",
             f"Objective {rubric.objective}; about {rubric.words[0]} to {rubric.words[1]} words; "
             f"up to {rubric.max_marks} marks ({MARK_MAX} for each of {len(rubric.criteria)} "
             f"criteria). Mark a position never: mark the use of evidence, attribution and "
             f"fairness to the other side.", "",
             "Put each mark in `marks.csv` (columns student, question, criterion, mark, comment); "
             "the tables below are for reading and notes.", "", "## Rubric", "",
             "| # | A strong answer... | Marks |", "| --- | --- | --- |"]
    lines += [f"| {i} | {c} | 0-{MARK_MAX} |" for i, c in enumerate(rubric.criteria, 1)]
    lines += ["", "| Level | Marks |", "| --- | --- |"]
    lines += [f"| {name} | {marks} |" for name, marks in LEVELS]
    students = [r for r in records if r.set == exercise]
    lines += ["", f"## Answers ({len(students)} students)", ""]
    for r in sorted(students, key=lambda r: r.student):
        q = r.question(key)
        text = (q.answer_text or "").strip() if q else ""
        lines += [f"### {_plain(r.student)}", ""]
        submitted = r.submitted_at or "time not recorded"
        if text:
            facts = checks.self_check_text(key, text, quiet=True).details
            lines += [f"Submitted {submitted}. Objective facts (not a mark): "
                      f"{facts.get('words', 0)} words; numbers cited: "
                      f"{', '.join(facts.get('numbers', [])[:5]) or 'none'}; sources cited: "
                      f"{', '.join(facts.get('sources', [])[:5]) or 'none'}.", ""]
            fence = _fence(text)
            lines += [fence + "text", text, fence, ""]
        else:
            lines += [f"Submitted {submitted}. **No answer**: the placeholder was not replaced, "
                      f"or the answer cell is missing. Mark 0 for each criterion, or follow up.", ""]
        lines += ["| Criterion | Mark (0-3) | Comment |", "| --- | --- | --- |"]
        lines += [f"| {i} |  |  |" for i in range(1, len(rubric.criteria) + 1)]
        lines.append("")
    return "\n".join(lines)


def _plain(text: str) -> str:
    """A student id as a Markdown heading: no markup, no HTML."""
    return re.sub(r"[<>*_`#\[\]\\|]", "-", text)


def export(records: list[Record], out: str | Path) -> list[Path]:
    """One ``<question>.md`` per written question and a ``marks.csv`` to fill in."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    keys = _written_keys(records)
    if not keys:
        raise ValueError("The records hold no written questions to mark.")
    written = []
    for key in keys:
        path = out / f"{key}.md"
        path.write_text(question_markdown(key, records), encoding="utf-8")
        written.append(path)
    template = out / "marks.csv"
    if template.exists():
        raise FileExistsError(f"{template} exists and may hold marks already; move it away (or "
                              f"export into another folder) before exporting again.")
    with open(template, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(MARKS_HEADER)
        for key in keys:
            exercise = key.split(".")[0]
            for r in sorted((r for r in records if r.set == exercise), key=lambda r: r.student):
                for i in range(1, len(checks.RUBRICS[key].criteria) + 1):
                    w.writerow([safe_text(r.student), key, i, "", ""])
    return written + [template]


def _parse_mark(raw: str) -> float | None:
    raw = raw.strip()
    if not raw:
        return None
    value = float(raw.replace(",", "."))  # a decimal comma from a spreadsheet is fine
    if not math.isfinite(value):
        raise ValueError
    return value


def read_marks(path: str | Path, records: list[Record]) -> list[Mark]:
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"No marks file at {path}; `marking-export` writes one to fill in.")
    students_by_set: dict[str, set[str]] = {}
    for r in records:
        students_by_set.setdefault(r.set, set()).add(r.student)
    students = {r.student for r in records}
    problems: list[str] = []
    marks: list[Mark] = []
    seen: dict[tuple[str, str, int], int] = {}
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        header = [h.strip().lower() for h in next(reader, [])]
        if header != MARKS_HEADER:
            raise MarksError(path, [f"line 1: the header should be {','.join(MARKS_HEADER)}, "
                                    f"got {','.join(header) or 'nothing'}"])
        for row in reader:
            line = reader.line_num
            if not any(c.strip() for c in row):
                continue
            if len(row) != len(MARKS_HEADER):
                problems.append(f"line {line}: {len(row)} cells, expected {len(MARKS_HEADER)} "
                                f"(put a comment that holds a comma in double quotes)")
                continue
            student, key, criterion, raw_mark, comment = (c.strip() for c in row)
            if student not in students and student.startswith("'") and student[1:] in students:
                student = student[1:]  # the apostrophe safe_text put before a formula-like id
            if student not in students:
                problems.append(f"line {line}: unknown student {student!r}: no graded submission "
                                f"has that id (check the spelling against the records)")
                continue
            rubric = checks.RUBRICS.get(key)
            if rubric is None:
                written = ", ".join(sorted(checks.RUBRICS, key=checks.core._natural_key))
                problems.append(f"line {line}: unknown question {key!r}; the written questions "
                                f"are {written}")
                continue
            exercise = key.split(".")[0]
            if student not in students_by_set.get(exercise, set()):
                problems.append(f"line {line}: {student!r} has no graded {exercise} submission, "
                                f"so {key} cannot be marked for them")
                continue
            try:
                number = int(criterion)
            except ValueError:
                number = 0
            if not 1 <= number <= len(rubric.criteria):
                problems.append(f"line {line}: {key} has criteria 1 to {len(rubric.criteria)}; "
                                f"got {criterion!r}")
                continue
            try:
                mark = _parse_mark(raw_mark)
            except ValueError:
                problems.append(f"line {line}: the mark {raw_mark!r} is not a number (0 to "
                                f"{MARK_MAX}, or blank if not marked yet)")
                continue
            if mark is not None and mark > MARK_MAX:
                problems.append(f"line {line}: mark {raw_mark} for criterion {number} of {key} "
                                f"({student}) is above the maximum of {MARK_MAX}")
                continue
            if mark is not None and mark < 0:
                problems.append(f"line {line}: mark {raw_mark} is negative; marks run from 0 to "
                                f"{MARK_MAX}")
                continue
            ident = (student, key, number)
            if ident in seen:
                problems.append(f"line {line}: {student}, {key}, criterion {number} was already "
                                f"marked on line {seen[ident]}")
                continue
            seen[ident] = line
            marks.append(Mark(student, key, number, mark, comment))
    if problems:
        raise MarksError(path, problems)
    return marks


def merge(records: list[Record], marks: list[Mark]) -> list[Record]:
    """The records with each written question scored from its marks: the sum over its
    criteria when every criterion is marked, otherwise left unscored (None)."""
    by_question: dict[tuple[str, str], dict[int, Mark]] = {}
    for m in marks:
        by_question.setdefault((m.student, m.question), {})[m.criterion] = m
    for r in records:
        for q in r.written:
            given = by_question.get((r.student, q.key), {})
            rubric = checks.RUBRICS.get(q.key)
            if rubric is None:
                continue
            complete = len(given) == len(rubric.criteria) and all(m.mark is not None
                                                                  for m in given.values())
            q.score = float(sum(m.mark for m in given.values())) if complete else None
            q.max_score = float(rubric.max_marks)
            q.comments = [f"criterion {n}: {given[n].comment}" for n in sorted(given)
                          if given[n].comment]
        r.total, r.max_total = r.points()
    return records


def unmarked(records: list[Record]) -> list[tuple[str, str]]:
    """(student, question) of every written question that has no complete mark yet."""
    return [(r.student, q.key) for r in records for q in r.written if q.score is None]
