"""The introduction states the coding level the exercises really need, and what it names
is really used: a claim about a set that the set's source no longer bears out fails here."""

from __future__ import annotations

import re

from support import EXERCISES, REPO

INTRO = " ".join((REPO / "book" / "intro.md").read_text(encoding="utf-8").split())

# What the intro promises, and where in which set's source it must be true.
USED = {
    'merge(how="cross")': ("ex01", r'merge\([^)]*how="cross"'),
    "hidden tests": ("ex01 ex02 ex03 ex04 ex05 ex06", r"assert_hidden\("),
    ".dt": ("ex04", r"\.dt\."),
    "pivot tables": ("ex04", r"\.pivot\("),
    "itertools.combinations": ("ex07", r"from itertools import combinations"),
    "dataclasses": ("ex07", r"from kabulcase\.models\.rights import Assessment"),
    "keyword arguments": ("ex06", r"\w+\(\w+=\w+"),
}


def source(exercise: str) -> str:
    [page] = EXERCISES.glob(f"{exercise}-*.md")
    return page.read_text(encoding="utf-8")


def test_the_intro_names_the_tools_the_exercises_use():
    for phrase, (exercise, pattern) in USED.items():
        assert phrase in INTRO, phrase
        pages = [source(e) for e in exercise.split()]
        assert all(re.search(pattern, text) for text in pages), (phrase, exercise)


def test_the_intro_no_longer_understates_the_level():
    assert "introductory data course: loading a table, filtering it" not in INTRO
