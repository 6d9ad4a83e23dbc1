"""The instructor guide's promises about teaching order and assessment.

* No schedule sets an exercise set before the session that teaches its chapter, and the
  four-week schedule makes every set due at a later session than the one that sets it.
* Every chapter objective in the outcome map (kabulcase.checks.OUTCOMES, from which the
  guide builds the map) is assessed: some auto-checked question or rubric names it, outside
  brackets, in its ``objective``. Every objective an exercise set's header claims is
  assessed in that set, and every objective a question names belongs to an outcome.

Until the lead merges the part of issue 13 that adds rubric criteria for M4 (Exercises 5)
and G3 (Exercises 7), the two assessment tests fail on exactly those objectives: that is
the gap the issue reports, and the tests are meant to show it.
"""

from __future__ import annotations

import re

import pytest

from kabulcase import checks

from support import EXERCISES, REPO

GUIDE = REPO / "book" / "instructor-guide.md"


def table_after(text: str, heading: str) -> list[list[str]]:
    """The rows (cells stripped) of the first Markdown table after ``heading``."""
    body = text.split(heading, 1)[1]
    lines = [ln for ln in body.splitlines()]
    start = next(i for i, ln in enumerate(lines) if ln.startswith("|"))
    rows = []
    for ln in lines[start:]:
        if not ln.startswith("|"):
            break
        cells = [c.strip() for c in ln.strip().strip("|").split("|")]
        if not all(re.fullmatch(r"-+", c) for c in cells):
            rows.append(cells)
    return rows[1:]  # without the header


def _numbers(cell: str, word: str) -> list[tuple[int, int]]:
    """(set or chapter number, position in the cell) for "Exercises 1 and 2", "chapter 3"."""
    found = []
    for m in re.finditer(rf"\b{word} ((?:\d+(?:, | and ))*\d+)", cell, re.I):
        found += [(int(n), m.start()) for n in re.findall(r"\d+", m.group(1))]
    return found


def four_week_violations(rows: list[list[str]]) -> list[str]:
    """Problems with a four-week table (Week | Session | Chapter taught | Exercises set |
    Exercises due), in the order of its sessions."""
    taught, set_at, due_at = {}, {}, {}
    for index, (_week, _session, chapter, setting, due) in enumerate(rows):
        for n, _ in _numbers(chapter, "chapter"):
            taught.setdefault(n, index)
        for n, _ in _numbers(setting, "exercises"):
            set_at.setdefault(n, index)
        for n, _ in _numbers(due, "exercises"):
            due_at.setdefault(n, index)
    problems = [f"Exercises {n} is never set" for n in range(1, 8) if n not in set_at]
    problems += [f"Exercises {n} is never due" for n in range(1, 8) if n not in due_at]
    problems += [f"chapter {n} is never taught" for n in range(1, 8) if n not in taught]
    for n, at in set_at.items():
        if n in taught and at < taught[n]:
            problems.append(f"Exercises {n} is set before chapter {n} is taught")
        if n in due_at and due_at[n] <= at:
            problems.append(f"Exercises {n} is due no later than the session that sets it")
    return problems


def one_week_violations(rows: list[list[str]]) -> list[str]:
    """Problems with a one-week table (Day | Before | Session | After): a set mentioned, in
    the session or after it, before the session of its chapter."""
    taught, first_use = {}, {}
    for day, (_name, _before, session, after) in enumerate(rows):
        for n, pos in _numbers(session, "chapter"):
            taught.setdefault(n, (day, 0, pos))
        for n, pos in _numbers(session, "exercises"):
            first_use.setdefault(n, (day, 0, pos))
        for n, pos in _numbers(after, "exercises"):
            first_use.setdefault(n, (day, 1, pos))
    problems = [f"chapter {n} has no session" for n in range(1, 8) if n not in taught]
    problems += [f"Exercises {n} is never done" for n in range(1, 8) if n not in first_use]
    problems += [f"Exercises {n} comes before chapter {n}'s session"
                 for n, when in first_use.items() if n in taught and when < taught[n]]
    return problems


def guide_text() -> str:
    return GUIDE.read_text(encoding="utf-8")


def test_the_four_week_schedule_sets_no_exercise_before_its_chapter():
    rows = table_after(guide_text(), "### Four weeks")
    assert len(rows) == 8 and all(len(r) == 5 for r in rows), rows
    assert four_week_violations(rows) == []


def test_the_one_week_schedule_sets_no_exercise_before_its_chapter():
    rows = table_after(guide_text(), "### One week")
    assert len(rows) == 5 and all(len(r) == 4 for r in rows), rows
    assert one_week_violations(rows) == []


def test_the_schedule_checks_can_fail():
    # A table that sets two exercise sets a session before their chapters and forgets set 7,
    # and a day that starts Exercises 2 in class before chapter 2's session.
    early = [["1", "1", "Chapter 1, the case", "Exercises 1 and 2", ""],
             ["1", "2", "Chapter 2, power", "Exercises 3", "Exercises 1"],
             ["2", "1", "Chapter 3, threat", "", "Exercises 2 and 3"]]
    problems = four_week_violations(early)
    assert "Exercises 2 is set before chapter 2 is taught" in problems
    assert "Exercises 3 is set before chapter 3 is taught" in problems
    assert "Exercises 7 is never set" in problems
    monday = [["Monday", "", "Start Exercises 2 in class; chapter 1 session; chapter 2 session",
               "Exercises 1"]]
    assert "Exercises 2 comes before chapter 2's session" in one_week_violations(monday)


# --------------------------------------------------------------------------- the outcome map

def test_objective_ids_reads_ranges_and_leaves_out_practised_objectives():
    assert checks.objective_ids("C1 to C5 of chapter 1") == ["C1", "C2", "C3", "C4", "C5"]
    assert checks.objective_ids("R4, R5 (and R1, R3)") == ["R4", "R5"]
    assert checks.objective_ids("R4, R5 (and R1, R3)", primary_only=False) == ["R4", "R5", "R1", "R3"]
    assert checks.objective_ids("T2, T5 and T6") == ["T2", "T5", "T6"]


def test_every_objective_in_the_outcome_map_is_assessed():
    assessed = checks.assessed_by()
    missing = [f"{outcome} {objective}" for outcome, (_, objectives) in checks.OUTCOMES.items()
               for objective in objectives if not assessed.get(objective)]
    assert not missing, f"no question or rubric criterion assesses: {missing}"


def header_objectives(page) -> list[str]:
    """Every objective id in the exercise page's "**Assesses:**" line (brackets included:
    a header that names an objective claims it)."""
    text = page.read_text(encoding="utf-8")
    m = re.search(r"^- \*\*Assesses:\*\*(.*?)(?=^- \*\*)", text, re.S | re.M)
    assert m, f"{page.name} has no Assesses line"
    return checks.objective_ids(" ".join(m.group(1).split()), primary_only=False)


@pytest.mark.parametrize("page", sorted(EXERCISES.glob("ex0*.md")), ids=lambda p: p.stem)
def test_every_objective_an_exercise_set_claims_is_assessed_in_it(page):
    exercise = page.name[:4]
    claimed = header_objectives(page)
    assert claimed, page.name
    assessed = {o for q in checks.questions(exercise) for o in checks.objective_ids(q.objective)}
    unassessed = [o for o in claimed if o not in assessed]
    assert not unassessed, f"{exercise} claims {unassessed} but no question or rubric assesses them"


def test_every_objective_a_question_names_belongs_to_an_outcome():
    in_map = {o for _, objectives in checks.OUTCOMES.values() for o in objectives}
    named = {o for ex in checks.exercises() for q in checks.questions(ex)
             for o in checks.objective_ids(q.objective, primary_only=False)}
    assert named - in_map == set()


def test_the_guide_builds_its_outcome_map_from_the_checks():
    text = guide_text()
    assert "outcome_map()" in text and "checks.OUTCOMES" in text and "checks.assessed_by()" in text
    assert "| Outcome | Chapter | Chapter objectives | Exercises |" not in text  # no typed copy
