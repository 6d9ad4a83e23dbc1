"""Instructors get a model answer or discussion notes for every question of sets 1 to 4,
folded in the exercise source, and learners' copies (made by kabulcase.release) hold none
of them."""

from __future__ import annotations

import re

import nbformat
import pytest

from kabulcase import release

from support import EXERCISES

SETS = sorted(EXERCISES.glob("ex0[1-4]-*.md"))
NOTES = "Notes for the unchecked question"


@pytest.mark.parametrize("page", SETS, ids=lambda p: p.stem)
def test_every_question_has_a_folded_solution_or_notes(page):
    text = page.read_text(encoding="utf-8")
    labels = re.findall(r"```\{exercise\}[^\n]*\n:label: (\S+)", text)
    solved = re.findall(r"```\{solution\} (\S+)\n:class: dropdown", text)
    assert labels and sorted(labels) == sorted(solved), set(labels) ^ set(solved)


@pytest.mark.parametrize("page", SETS, ids=lambda p: p.stem)
def test_the_student_copy_holds_no_solution_or_notes(page):
    assert page.read_text(encoding="utf-8").count("```{solution}") > 0
    raw = nbformat.writes(release.student_notebook(page))
    for secret in ("{solution}", NOTES, "A model answer"):
        assert secret not in raw, (page.name, secret)
    # The same text is in the instructor's copy, so the student copy lost it to the release.
    instructor = nbformat.writes(release.instructor_notebook(page))
    assert NOTES in instructor and NOTES in page.read_text(encoding="utf-8")
