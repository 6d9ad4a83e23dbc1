"""The module's own data: a valid Data Package, traceable rows, and bad copies refused."""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest

from kabulcase.data import DataValidationError, datasets, load

DATA = Path(__file__).resolve().parent.parent / "data"
PACKAGE = json.loads((DATA / "datapackage.json").read_text())
RESOURCES = {r["name"]: r for r in PACKAGE["resources"]}
DATA_FILES = [n for n in RESOURCES if n != "sources"]


def rows(name):
    with open(DATA / RESOURCES[name]["path"], newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_frictionless_validates_the_whole_package():
    from frictionless import Package

    report = Package(str(DATA / "datapackage.json")).validate()
    problems = [f"{t.name}: {e.message}" for t in report.tasks for e in t.errors]
    assert report.valid, "\n".join(problems[:20])


def test_every_csv_in_data_is_described_and_every_resource_exists():
    described = {r["path"] for r in PACKAGE["resources"]}
    on_disk = {p.name for p in DATA.glob("*.csv")}
    assert described == on_disk


@pytest.mark.parametrize("name", list(RESOURCES))
def test_every_dataset_loads_through_the_loader(name):
    frame = load(name)
    assert len(frame) == len(rows(name)) > 0


def test_every_field_is_documented():
    for res in PACKAGE["resources"]:
        for field in res["schema"]["fields"]:
            assert field.get("description"), f"{res['name']}.{field['name']} has no description"
            assert field.get("type"), f"{res['name']}.{field['name']} has no type"


def test_every_source_id_resolves():
    known = {r["source_id"] for r in rows("sources")}
    for name in DATA_FILES:
        for i, row in enumerate(rows(name), start=2):
            ids = row["source_id"].split(";")
            assert ids and all(ids), f"{name} line {i}: empty source_id"
            unknown = [s for s in ids if s not in known]
            assert not unknown, f"{name} line {i}: unknown source(s) {unknown}"


def test_every_source_is_used_and_well_formed():
    used = {s for name in DATA_FILES for row in rows(name) for s in row["source_id"].split(";")}
    used.add("book-assumption")  # the book's own assumptions are a source even when unused
    for row in rows("sources"):
        url = urlparse(row["url"])
        assert url.scheme in ("http", "https") and "." in url.netloc and " " not in row["url"], row
        assert row["publisher"].strip() and row["title"].strip(), row
        # Undated web pages (a living database page, say) leave the date empty.
        assert re.fullmatch(r"(\d{4}(-\d{2}(-\d{2})?)?)?", row["date_published"]), row
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["date_accessed"]), row
        assert row["reliability"].strip(), row
    unused = {r["source_id"] for r in rows("sources")} - used
    assert not unused, f"sources no row cites: {sorted(unused)}"


def test_every_row_has_a_confidence():
    for name in DATA_FILES:
        for i, row in enumerate(rows(name), start=2):
            assert row["confidence"] in ("high", "medium", "low"), f"{name} line {i}"


def test_no_required_field_is_empty():
    for name, res in RESOURCES.items():
        required = [f["name"] for f in res["schema"]["fields"]
                    if f.get("constraints", {}).get("required")]
        for i, row in enumerate(rows(name), start=2):
            empty = [f for f in required if not row[f].strip()]
            assert not empty, f"{name} line {i}: required field(s) empty: {empty}"


def test_derived_rows_say_how_they_were_derived():
    for name in DATA_FILES:
        for i, row in enumerate(rows(name), start=2):
            for col in ("basis", "usd_basis", "derivation"):
                if row.get(col) == "derived":
                    text = (row.get("note", "") + row.get("rationale", "")).lower()
                    assert "derived" in text or "/" in text or "=" in text, \
                        f"{name} line {i}: a derived value must show its arithmetic in the note"


def test_book_assumptions_give_a_rationale():
    for i, row in enumerate(rows("unit_costs"), start=2):
        if row["basis"] == "book_assumption":
            assert len(row["rationale"].strip()) > 30, f"unit_costs line {i}: no rationale"
            assert "book-assumption" in row["source_id"].split(";"), f"unit_costs line {i}"


def test_contested_access_figures_stay_separate_series():
    """40% (grid) and 85-98% (any source) must be separate, labelled series."""
    access = load("electricity_access")
    by_def = access.groupby("definition")["series"].unique()
    assert {"any_source", "grid_connected"} <= set(by_def.index)
    assert not set(by_def["any_source"]) & set(by_def["grid_connected"])
    # No series mixes definitions or bases.
    assert (access.groupby("series")[["definition", "basis"]].nunique() == 1).all().all()


# --- Do no harm: no personal names of private persons -------------------------------

NAME_COLUMNS = re.compile(r"name|person|victim|detainee|protester|perpetrator|journalist_name", re.I)
SENSITIVE = ["kabul_attacks", "rights_counts", "protest_events", "attack_counts"]
# Two capitalised words in a row look like a person's name unless they are a known place,
# organisation or document. The list is short and reviewed by hand: a new name-like phrase
# in a sensitive file fails this test until someone checks it.
ALLOWED_PHRASES = {
    "Abbey Gate", "Sardar Daud", "Daud Khan", "Khan Hospital", "Islamic State", "Human Rights",
    "Rights Watch", "United Nations", "Security Council", "Monitoring Team", "Global Terrorism",
    "Terrorism Index", "Meir Amit", "Amit Center", "Afghan Witness", "Journalists Center",
    "Afghanistan Journalists", "Afghan Journalists", "Journalists Safety", "Safety Committee",
    "Kabul Security", "Security System", "Foreign Affairs", "Longan Hotel", "Russian Embassy",
    "Sikh Gurdwara", "Committee Protect", "Military Times", "Hasht Subh", "Bayan News",
    "Asia Plus", "Khaama Press", "Japan Times", "Al Jazeera", "New York", "York Times",
    "Secretary General", "Special Representative", "Interior Ministry", "Military Hospital",
    "Shia Waves", "Peace Campaign", "Afghanistan Peace", "World Press", "Press Freedom",
    "Freedom Day",
    # A school named after a person is a public landmark, not a private person.
    "Abdul Rahim", "Rahim Shahid", "Shia Hazara", "Shia Muharram", "Shia Muslims",
}
# Sentence openers are not names.
OPENERS = {"The", "A", "An", "In", "On", "Of", "By", "For", "At", "Its", "This", "These"}


def test_sensitive_files_have_no_name_columns():
    for name in SENSITIVE:
        for field in RESOURCES[name]["schema"]["fields"]:
            assert not NAME_COLUMNS.search(field["name"]), f"{name}.{field['name']}"


def test_sensitive_files_contain_no_person_like_names():
    pattern = re.compile(r"\b([A-Z][a-z]+)\s+([A-Z][a-z]+)\b")
    found = []
    for name in SENSITIVE:
        for i, row in enumerate(rows(name), start=2):
            for col, text in row.items():
                if col == "source_id":
                    continue
                for a, b in pattern.findall(text):
                    if a not in OPENERS and f"{a} {b}" not in ALLOWED_PHRASES:
                        found.append(f"{name} line {i} [{col}]: {a} {b}")
    assert not found, "possible personal names (review, then allow-list or remove):\n" + "\n".join(found)


# --- Bad input: corrupted copies of the real files are refused ----------------------

def _copy(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


def _rewrite(path: Path, fn):
    path.write_text(fn(path.read_text(encoding="utf-8")), encoding="utf-8")


def _first_data_line(text: str) -> int:
    return text.index("\n") + 1


CORRUPTIONS = {
    "missing column": (
        "kabul_attacks",
        lambda t: "\n".join(",".join(l.split(",")[:-1]) if i == 0 else l
                            for i, l in enumerate(t.splitlines())) + "\n",
        "missing column"),
    "extra column": (
        "iskp_strength",
        lambda t: t.replace("\n", ",extra\n", 1),
        "unexpected column"),
    "wrong type": (
        "kabul_attacks",
        lambda t: t.replace('Abbey Gate",182,', 'Abbey Gate",many,', 1),
        "expected a whole number"),
    "out-of-range value": (
        "electricity_access",
        lambda t: t.replace(",1.61,", ",161,", 1),
        "<= 100"),
    "unknown source id": (
        "camera_counts",
        lambda t: t.replace("fp-2014-kabuls-panopticon", "no-such-source", 1),
        "unknown source 'no-such-source'"),
    "duplicate key": (
        "claims",
        lambda t: t + t.splitlines()[1] + "\n",
        "duplicate key"),
    "empty file": (
        "protest_events",
        lambda t: "",
        "the file is empty"),
    "header only": (
        "protest_events",
        lambda t: t.splitlines()[0] + "\n",
        "no data rows"),
    "wrong delimiter": (
        "electricity_use",
        lambda t: t.replace(",", ";"),
        "another delimiter"),
    "truncated row": (
        "rights_counts",
        lambda t: t.rstrip("\n").rsplit(",", 3)[0] + "\n",
        "cells, expected"),
    "bad enum": (
        "kabul_attacks",
        lambda t: t.replace(",ISKP,claimed,", ",ISIS,claimed,", 1),
        "expected one of"),
    "required value removed": (
        "claims",
        lambda t: t.replace(",high\n", ",\n", 1),
        "required but empty"),
    "bad access value": (
        "sources",
        lambda t: t.replace(",secondary_copy,", ",syndicated,", 1),
        "expected one of"),
    "bad date": (
        "case_timeline",
        lambda t: t.replace("2021-08-15,", "15/08/2021,", 1),
        "expected"),
}


@pytest.mark.parametrize("kind", list(CORRUPTIONS))
def test_corrupted_copy_is_refused(tmp_path, kind):
    name, corrupt, expected = CORRUPTIONS[kind]
    data = _copy(tmp_path)
    path = data / RESOURCES[name]["path"]
    before = path.read_text(encoding="utf-8")
    _rewrite(path, corrupt)
    assert path.read_text(encoding="utf-8") != before, "the corruption changed nothing"
    with pytest.raises(DataValidationError) as err:
        load(name, data_dir=data)
    message = str(err.value)
    assert expected in message, message
    assert RESOURCES[name]["path"] in message


def test_bad_encoding_is_refused(tmp_path):
    data = _copy(tmp_path)
    path = data / "claims.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    with pytest.raises(DataValidationError, match="not valid UTF-8"):
        load("claims", data_dir=data)


def test_latin1_file_is_refused(tmp_path):
    data = _copy(tmp_path)
    path = data / "case_timeline.csv"
    text = path.read_text(encoding="utf-8").replace("Kabul", "Kábul", 1)
    path.write_bytes(text.encode("latin-1"))
    with pytest.raises(DataValidationError, match="line 2: not valid UTF-8"):
        load("case_timeline", data_dir=data)


def test_unknown_dataset_names_the_available_ones():
    with pytest.raises(KeyError) as err:
        load("electrification")
    for name in ("electricity_access", "kabul_attacks", "claims"):
        assert name in str(err.value)
    assert set(datasets()) == set(RESOURCES)


ACCESS_VALUES = ("primary", "official", "secondary_copy", "book_assumption")


def secondary_copy_reasons(readme: str) -> dict[str, str]:
    """The table under 'Secondary copies kept, row by row' in data/README.md: id -> reason."""
    start = readme.index("**Secondary copies kept, row by row.**")
    end = readme.index("**Gaps and disagreements.**", start)
    return dict(re.findall(r"^\| `([a-z0-9-]+)` \| (.*?) \|$", readme[start:end], flags=re.M))


def test_every_source_says_how_it_reaches_its_document():
    for i, row in enumerate(rows("sources"), start=2):
        assert row.get("access") in ACCESS_VALUES, (
            f"sources.csv line {i} ({row['source_id']}): access is {row.get('access')!r}; "
            f"give one of {', '.join(ACCESS_VALUES)} (definitions in data/README.md, Sources)")
        if row["read_via"]:
            # read_via records the copy behind a primary address; on a copy it means nothing.
            assert row["access"] in ("primary", "official"), f"sources.csv line {i}"
            assert row["read_via"] != row["url"], f"sources.csv line {i}"


def test_every_secondary_copy_is_named_in_the_readme_with_its_reason():
    reasons = secondary_copy_reasons((DATA / "README.md").read_text(encoding="utf-8"))
    copies = {r["source_id"] for r in rows("sources") if r["access"] == "secondary_copy"}
    unexplained = sorted(s for s in copies if len(reasons.get(s, "").strip()) < 20)
    assert not unexplained, (
        f"secondary copies with no reason in data/README.md: {unexplained}; add a row "
        f"'| `id` | why no primary is cited |' to its 'Secondary copies kept' table")
    stale = sorted(set(reasons) - copies)
    assert not stale, f"data/README.md lists as copies rows that are not secondary_copy: {stale}"


def test_the_reason_table_parser_finds_rows_and_ignores_other_text():
    readme = ("**Secondary copies kept, row by row.** Intro.\n\n| source_id | why |\n|---|---|\n"
              "| `a-1` | no primary found |\n\n**Gaps and disagreements.**\n| `b` | later |\n")
    assert secondary_copy_reasons(readme) == {"a-1": "no primary found"}


def test_access_counts_in_the_readme_match_sources():
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    counts = {v: sum(r["access"] == v for r in rows("sources")) for v in ACCESS_VALUES}
    for value, n in counts.items():
        line = re.search(rf"^\| {value} \| \d+ \| (\d+)", readme, flags=re.M)
        assert line and int(line.group(1)) == n, f"README 'after' count for {value} is not {n}"
