"""No chapter types a number that belongs in data/.

The rule: any number that appears in a numeric column of data/ (10 or more, and not a
year between 1990 and 2030) must not appear literally in a chapter's text or code. It
has to be read from data/ and put on the page with glue, so the page cannot drift from
the data. Exceptions, which a reviewer would accept as not data: legal and document
references (article 17, General Comment 34, A/HRC/27/37), and quoted strings inside code
cells (filter keys such as date="2023-08").
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PACKAGE = json.loads((REPO / "data" / "datapackage.json").read_text())
CHAPTERS = sorted((REPO / "chapters").glob("*.md"))

NUMBER = re.compile(r"(?<![\w.,/-])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?![\w/]|,\d{3})")
REFERENCE_BEFORE = re.compile(
    r"(article|articles|art\.|comment|comments|no\.|principle|principles|resolution|para\.|"
    r"paragraph|paragraphs|chapter|chapters|fig\.|figure|section|report|session)\s*(\d+\s*(,|and|or|to)\s*)*$",
    re.I)
MONTHS = r"(January|February|March|April|May|June|July|August|September|October|November|December)"
# Dates ("25 September 2023"), reading times ("40 minutes") and the factor that turns a
# share into a percentage are not data.
NOT_DATA_AFTER = re.compile(r"^(\s+" + MONTHS + r"|\s*(minutes|min|hours)\b|\s*\*)")
NOT_DATA_BEFORE = re.compile(r"(" + MONTHS + r"\s+|\*\s*)$")
CODE_CELL = re.compile(r"```\{code-cell\}[^\n]*\n(.*?)```", re.S)
STRING = re.compile(r"(\"[^\"\n]*\"|'[^'\n]*')")


def data_numbers() -> set[float]:
    numbers = set()
    for res in PACKAGE["resources"]:
        numeric = [f["name"] for f in res["schema"]["fields"] if f["type"] in ("integer", "number")]
        with open(REPO / "data" / res["path"], newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                for col in numeric:
                    if row[col]:
                        value = abs(float(row[col]))
                        if value >= 10 and not (value.is_integer() and 1990 <= value <= 2030):
                            numbers.add(round(value, 6))
    return numbers


def typed_numbers(text: str) -> list[tuple[int, str]]:
    """(line, number) for every literal number outside references and code strings."""
    body = text.split("\n---\n", 1)[1] if text.startswith("---\n") else text
    offset = text.count("\n") - body.count("\n")

    def blank_strings(match):
        cell = STRING.sub(lambda m: '"' + " " * (len(m.group(0)) - 2) + '"', match.group(1))
        return match.group(0).replace(match.group(1), cell)

    body = CODE_CELL.sub(blank_strings, body)
    found = []
    for m in NUMBER.finditer(body):
        before = body[max(0, m.start() - 40):m.start()]
        after = body[m.end():m.end() + 12]
        if REFERENCE_BEFORE.search(before) or NOT_DATA_BEFORE.search(before):
            continue
        if NOT_DATA_AFTER.search(after) and not (m.group(1) != "100" and after.lstrip().startswith("*")):
            continue
        line = offset + body.count("\n", 0, m.start()) + 1
        found.append((line, m.group(1)))
    return found


def test_the_rule_catches_a_typed_figure():
    # A check that can fail: typed figures are found, references and code strings are not.
    text = ("---\nx: 1\n---\nOn 25 September 2023 the ministry claimed 62,000 cameras; "
            "ICCPR article 17 applies.\n"
            "```{code-cell} ipython3\nvalue('camera_counts', date='2023-08', n='850')\n"
            "share = 100 * a / b\nfig.add_hline(y=40)\nx = 850 * k\n```\n")
    assert [n for _, n in typed_numbers(text)] == ["62,000", "40", "850"]


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.name)
def test_chapter_types_no_number_from_data(chapter):
    known = data_numbers()
    offending = [(line, n) for line, n in typed_numbers(chapter.read_text(encoding="utf-8"))
                 if round(float(n.replace(",", "")), 6) in known]
    assert not offending, (
        f"{chapter.name} types numbers that come from data/ "
        f"(read them with kabulcase.value() and glue them instead): "
        + ", ".join(f"line {line}: {n}" for line, n in offending))
