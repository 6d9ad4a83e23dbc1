"""Every number in the prose of a chapter or an exercise set is read from data/.

tests/test_no_typed_numbers.py catches a typed copy of a number that is in data/. This
test is stricter: outside code cells, a number may appear only through an ``{eval}`` role
(which reads what the code computed from data/ with kabulcase.text.glue), unless it is
one of the things that are not data: a year or a date, a heading's or a list's number, a
reference to a document or a law (article 17, General Comment 34), the book's own
structure (chapter 3, exercise 2, question 4, week 2), a reading time ("40 minutes"), a
rubric's scale, or a quoted legal text. Anything else is a number that did not come from
data/, and the test names its file and line.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PAGES = sorted((REPO / "chapters").glob("*.md")) + sorted((REPO / "exercises").glob("*.md"))

CODE_CELL = re.compile(r"^```\{code-cell\}.*?^```[ \t]*$", re.M | re.S)
FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)
# What carries no prose number: inline expressions and code, roles' targets, link targets,
# HTML comments, directive options, MyST targets, cell markers.
NOT_PROSE = [
    re.compile(r"\{eval\}`[^`]*`"),
    re.compile(r"\{[\w:.-]+\}`[^`]*`"),
    re.compile(r"`[^`\n]*`"),
    re.compile(r"\]\([^)]*\)"),
    re.compile(r"<!--.*?-->", re.S),
    re.compile(r"^\s*:[\w-]+:.*$", re.M),
    re.compile(r"^\(.*\)=\s*$", re.M),
    re.compile(r"^\+\+\+.*$", re.M),
    re.compile(r"https?://\S+"),
]
NUMBER = re.compile(r"(?<![\w.,/–-])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?![\w/]|,\d{3}|\.\d)")
MONTH = r"(January|February|March|April|May|June|July|August|September|October|November|December)"
STRUCTURE = (r"(chapters?|exercises?|sets?|questions?|q|parts?|figures?|fig\.|weeks?|sessions?|steps?|"
             r"sections?|articles?|art\.|comments?|principles?|resolutions?|paragraphs?|para\.|"
             r"no\.|days?\s+\d+\s+and|objectives?|level|levels|version|edition|volume|issue|page|pages|"
             r"protocol|rule|rules|option|options|scenario|scenarios|case|cases|table|exhibit)")
BEFORE_OK = re.compile(r"(" + STRUCTURE + r"\s*(\d+\s*(,|and|or|to|–|-)\s*)*|" + MONTH + r"\s+|\bGeneral Comment\s+|"
                       r"\bS/|\bA/HRC/|\bNo\.\s*)$", re.I)
AFTER_OK = re.compile(r"^(\s+" + MONTH + r"|\s*(minutes|minute|min)\b|\s*[–-]\s*\d+\s*minutes)", re.I)
LIST_OR_HEADING = re.compile(r"^\s*(#+\s.*|\d+\.\s.*|[-*]\s+\*\*[A-Z]?\d+\.\*\*.*)$")
RUBRIC_SCALE = re.compile(r"^\s*[-*]?\s*\*?\*?\(?\d\)?\*?\*?\s*[:–-]")


def prose(text: str) -> str:
    """The page's Markdown with everything that is not running prose blanked (lines kept)."""
    def blank(m: re.Match) -> str:
        return re.sub(r"[^\n]", " ", m.group(0))

    text = FRONT_MATTER.sub(blank, text)
    text = CODE_CELL.sub(blank, text)
    for pattern in NOT_PROSE:
        text = pattern.sub(blank, text)
    return text


def untraced_numbers(text: str) -> list[tuple[int, str]]:
    """(line, number) for every number in the prose that is not read from data/ and not exempt."""
    body = prose(text)
    found = []
    lines = body.split("\n")
    for i, line in enumerate(lines, start=1):
        for m in NUMBER.finditer(line):
            number = m.group(1)
            plain = float(number.replace(",", ""))
            # A reference may run over a line break ("chapters 6\nand 7").
            before = (lines[i - 2][-40:] + " " if i > 1 else "") + line[:m.start()]
            after = line[m.end():]
            if plain.is_integer() and 1990 <= plain <= 2035 and "." not in number and "," not in number:
                continue  # a year
            if LIST_OR_HEADING.match(line) and m.start() <= len(line) - len(line.lstrip()) + 6:
                continue  # "1. " or "## 2. Power"
            if RUBRIC_SCALE.match(line) and m.start() < 8:
                continue
            if BEFORE_OK.search(before) or AFTER_OK.search(after):
                continue
            found.append((i, number))
    return found


def test_the_rule_can_fail():
    text = ("---\nx: 1\n---\n# 2. Power\n\nOnly 40% have power; {eval}`facts.dabs` is read. On 25 "
            "September 2023, article 17 and chapter 3 apply; read for 40 minutes.\n"
            "```{code-cell} ipython3\nx = 62000\n```\n1. First point with 850 cameras.\n")
    assert [n for _, n in untraced_numbers(text)] == ["40", "850"]


# Numbers that are not data and that no rule above can tell apart, each with its reason.
ALLOWED: dict[str, dict[str, str]] = {
    "02-power.md": {"4": "inputs of the worked example (4 hours of grid)",
                    "6": "inputs of the worked example (a battery for 6 more hours)"},
    "ex02-power.md": {"0": "the value a function must return (no battery)"},
    "ex03-threat.md": {"1": "a rank (rank 1 is the deadliest)", "2": "a rank (the attack ranked 2)"},
    "ex04-rights.md": {"0": "the model's level index (0 for low)", "3": "the model's level index (3 for very high)"},
    "ex05-money.md": {"1401": "the name of a fiscal year in the Solar Hijri calendar"},
    "ex06-weighing-it-up.md": {"24": "hours in a day", "0": "an argument value (no battery)",
                               "1": "a worked example's argument (one watchlisted person a day)"},
    "ex07-governance.md": {"0": "the model's level index (0 for low)", "3": "the model's level index (3 for very high)"},
}


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_prose_number_is_read_from_data(page):
    allowed = ALLOWED.get(page.name, {})
    offending = [(line, n) for line, n in untraced_numbers(page.read_text(encoding="utf-8"))
                 if n not in allowed]
    assert not offending, (
        f"{page.relative_to(REPO)} has numbers in its prose that are not read from data/: "
        + ", ".join(f"line {line}: {n}" for line, n in offending)
        + ". Read each with kabulcase.value() in the page's hidden code cell, glue() it, and show it "
          "with {eval}`facts.name`; a number that is not data (a count of the page's own parts, a "
          "rubric's scale) goes into ALLOWED in this file with its reason.")
