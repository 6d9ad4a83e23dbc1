"""Exercise set 7 (governance): the checks, with correct, equivalent, partial, wrong and
malformed answers; the capstone's assessment checker; and the instructor and student
notebooks run with a real kernel.

Expectations are read from the CSV files with the csv module or worked out by hand from the
risk scheme's rules (the working is in the comments), not copied from the checks' output.
"""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import textwrap
from collections import Counter
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest

from kabulcase import checks
from kabulcase import release as rel
from kabulcase.checks import CheckResult
from kabulcase.models import rights
from kabulcase.models.rights import Assessment, DataEvidence, ModelEvidence, Step

from support import (DATA, EXERCISES, REPO, assert_check_survives, assert_instructor_run,
                     assert_marked_up, assert_model_answers_pass, assert_placeholder_not_answered,
                     assert_questions, assert_student_run, assert_stubs, copy_of_data, csv_rows,
                     edit_csv, numbers_typed_from_data, odd_answers, printed_with_data, quiet,
                     read_copy, released_fixture, type_name)

EXERCISE = EXERCISES / "ex07-governance.md"
KEYS = ["ex07.q1a", "ex07.q1b", "ex07.q2a", "ex07.q2b", "ex07.q3a", "ex07.q3b", "ex07.q4"]
WRITTEN = ["ex07.q3c", "ex07.q5"]


def row(name, **where):
    [found] = [r for r in csv_rows(name) if all(r[k] == v for k, v in where.items())]
    return found


# --------------------------------------------------------------------------- independent expectations

REACH = csv_rows("vendor_reach")
HUAWEI_COUNTRIES = {r["claim_type"]: float(r["value"]) for r in REACH
                    if r["supplier"] == "Huawei" and r["unit"] == "countries"}
CLAIMED = float(row("vendor_reach", series="huawei_claim", measure="countries_claimed")["value"])
VERIFIED = float(row("vendor_reach", series="csis_verified", measure="countries_with_agreements")["value"])
RATIO = CLAIMED / VERIFIED
CITIES_PER_AGREEMENT = (float(row("vendor_reach", measure="cities_claimed")["value"])
                        / float(row("vendor_reach", measure="safe_city_agreements")["value"]))

BOOK = rights.example_assessment()
ITEMS = dict(Counter(s.name for s in BOOK.steps for _ in s.evidence))


def _csv_sources(item: DataEvidence) -> list[str]:
    r = row(item.dataset, **{k: str(v) for k, v in item.where.items()})
    return r["source_id"].split(";")


NECESSITY_SOURCES = sorted({s for e in BOOK.step("necessity").evidence
                            if isinstance(e, DataEvidence) for s in _csv_sources(e)})

# The risk scheme's rules, applied by hand to one lever at a time, from the scenario q3 uses
# (face recognition on, the book's inference, rights.WITH_FACE_RECOGNITION; otherwise as the record: no
# retention limit, face recognition on, no institutional safeguard; every factor at 3):
# - retention 3 days: tracking band 0, +1 for face recognition = 1 (falls); nothing else uses it
# - face recognition off: identification 3 -> 2; chilling 3 -> 2; wrong_match 3 -> 0;
#   tracking stays 3 (no published limit is band 3 on its own)
# - judge: identification 3 -> 2, misuse 3 -> 2, chilling 3 -> 2, wrong_match 3 -> 2
# - oversight or audits: misuse 3 -> 2, accountability 3 -> 2
# - community approval: chilling 3 -> 2, accountability 3 -> 2
LEVER_EFFECTS = {
    "retention_days": {"tracking"},
    "face_recognition": {"identification", "chilling", "wrong_match"},
    "judicial_authorisation": {"identification", "misuse", "chilling", "wrong_match"},
    "independent_oversight": {"misuse", "accountability"},
    "published_audits": {"misuse", "accountability"},
    "community_approval": {"chilling", "accountability"},
}
# Every factor below very high: tracking needs the retention lever (only it lowers tracking);
# identification and wrong_match need face recognition off or a judge; accountability needs
# oversight, audits or community approval; misuse needs a judge, oversight or audits;
# chilling needs face recognition off, a judge or community approval. No two levers do it
# all (retention plus one other cannot cover identification and accountability), so three:
SMALLEST = {
    frozenset({"retention_days", "face_recognition", "independent_oversight"}),
    frozenset({"retention_days", "face_recognition", "published_audits"}),
    frozenset({"retention_days", "judicial_authorisation", "independent_oversight"}),
    frozenset({"retention_days", "judicial_authorisation", "published_audits"}),
    frozenset({"retention_days", "judicial_authorisation", "community_approval"}),
}


def test_independent_expectations_are_what_the_checks_expect():
    assert checks.expected("ex07.q1a") == HUAWEI_COUNTRIES
    assert set(HUAWEI_COUNTRIES) == {"index_finding", "verified_open_source", "company_claim"}
    assert checks.expected("ex07.q1b") == pytest.approx(RATIO)
    assert checks.expected("ex07.q2a") == ITEMS
    assert checks.expected("ex07.q2b") == NECESSITY_SOURCES
    assert {k: set(v) for k, v in checks.expected("ex07.q3a").items()} == LEVER_EFFECTS
    assert set(checks.expected("ex07.q3b")) == SMALLEST


# --------------------------------------------------------------------------- q1: vendor reach

def test_q1a_accepts_series_dict_rows_and_series_labels():
    frame = pd.read_csv(DATA / "vendor_reach.csv")
    sel = frame[(frame.supplier == "Huawei") & (frame.unit == "countries")]
    by_series = {"aigs_index": HUAWEI_COUNTRIES["index_finding"],
                 "csis_verified": HUAWEI_COUNTRIES["verified_open_source"],
                 "huawei_claim": HUAWEI_COUNTRIES["company_claim"]}
    for answer in (HUAWEI_COUNTRIES, sel.set_index("claim_type")["value"],
                   sel.set_index("claim_type")["value"].sample(frac=1, random_state=3),
                   sel, sel[["claim_type", "value"]], by_series, list(HUAWEI_COUNTRIES.items())):
        r = quiet("ex07.q1a", answer)
        assert (r.passed, r.score) == (True, 2), r.message


def test_q1a_diagnoses_wrong_units_and_summing():
    wrong = dict(HUAWEI_COUNTRIES)
    wrong["company_claim"] = float(row("vendor_reach", measure="cities_claimed")["value"])
    r = quiet("ex07.q1a", wrong)
    assert r.score == 1 and "counts cities, not countries" in r.message
    wrong = dict(HUAWEI_COUNTRIES)
    wrong["verified_open_source"] = float(row("vendor_reach", measure="safe_city_agreements")["value"])
    r = quiet("ex07.q1a", wrong)
    assert r.score == 1 and "counts agreements" in r.message
    r = quiet("ex07.q1a", sum(HUAWEI_COUNTRIES.values()))
    assert r.score == 0 and "Keep them apart" in r.message and "never add or average" in r.message
    frame = pd.read_csv(DATA / "vendor_reach.csv")
    r = quiet("ex07.q1a", frame)  # the whole table
    assert r.score == 0 and "more than one row" in r.message


def test_q1b_accepts_tolerance_and_diagnoses_mistakes():
    for answer in (RATIO, round(RATIO, 2), np.float64(RATIO), pd.Series([RATIO])):
        assert quiet("ex07.q1b", answer).score == 1
    r = quiet("ex07.q1b", CITIES_PER_AGREEMENT)
    assert r.score == 0.5 and "units differ" in r.message
    r = quiet("ex07.q1b", 1 / RATIO)
    assert r.score == 0 and "upside down" in r.message
    r = quiet("ex07.q1b", 1.0)
    assert r.score == 0 and "does not match" in r.message


# --------------------------------------------------------------------------- q2: the book's evidence

def test_q2a_accepts_series_dict_and_labels():
    book_table = rights.evidence_table(BOOK)
    labels = {rights.STEPS[k]["label"]: v for k, v in ITEMS.items()}
    for answer in (ITEMS, book_table.groupby("step").size(), book_table["step"].value_counts(),
                   labels, book_table["step_label"].value_counts()):
        r = quiet("ex07.q2a", answer)
        assert (r.passed, r.score) == (True, 1), r.message


def test_q2a_diagnoses_counting_one_kind_only():
    data_only = Counter(s.name for s in BOOK.steps for e in s.evidence if isinstance(e, DataEvidence))
    r = quiet("ex07.q2a", dict(data_only))
    assert r.score == 0 and "only the data rows" in r.message
    r = quiet("ex07.q2a", {**ITEMS, "adequacy": 1})
    assert r.score == 0 and "Not steps of the test" in r.message


def test_q2b_accepts_lists_sets_series_and_partial():
    for answer in (NECESSITY_SOURCES, NECESSITY_SOURCES[::-1], set(NECESSITY_SOURCES),
                   pd.Series(NECESSITY_SOURCES), ";".join(NECESSITY_SOURCES),
                   NECESSITY_SOURCES + NECESSITY_SOURCES[:1]):
        r = quiet("ex07.q2b", answer)
        assert (r.passed, r.score) == (True, 1), r.message
    r = quiet("ex07.q2b", NECESSITY_SOURCES[:2])
    assert r.score == 0.5 and "missing" in r.message
    legality = sorted({s for e in BOOK.step("legality").evidence for s in _csv_sources(e)})
    r = quiet("ex07.q2b", NECESSITY_SOURCES + legality[:1])
    assert r.score == 0 and "other steps' evidence" in r.message


# --------------------------------------------------------------------------- q3: safeguard levers

def test_q3a_accepts_dicts_of_lists_sets_and_names_and_a_long_table():
    names = {lever: [rights.FACTORS[f]["name"] for f in fs] for lever, fs in LEVER_EFFECTS.items()}
    long = pd.DataFrame([{"lever": lever, "factor": f} for lever, fs in LEVER_EFFECTS.items()
                         for f in fs]).sample(frac=1, random_state=5)
    for answer in ({k: sorted(v) for k, v in LEVER_EFFECTS.items()}, LEVER_EFFECTS, names, long,
                   pd.Series({k: list(v) for k, v in LEVER_EFFECTS.items()})):
        r = quiet("ex07.q3a", answer)
        assert (r.passed, r.score) == (True, 2), r.message


def test_q3a_partial_and_wrong():
    wrong = {k: set(v) for k, v in LEVER_EFFECTS.items()}
    wrong["face_recognition"] |= {"tracking"}  # the classic slip: tracking does not move
    r = quiet("ex07.q3a", wrong)
    assert r.score == 1 and "tracking do(es) not fall" in r.message
    every = {k: list(rights.FACTORS) for k in LEVER_EFFECTS}
    r = quiet("ex07.q3a", every)
    assert r.score == 0 and "Hint:" in r.message


@pytest.mark.parametrize("answer, words", [
    ({"face_recognition": {"identification": 2}}, "not their levels"),
    ({"cameras": ["tracking"]}, "not a lever"),
    ({"face_recognition": ["privacy"]}, "not a risk factor"),
    (["tracking"], "should be a dict"),
    (pd.DataFrame({"x": [1]}), "is a table"),
])
def test_q3a_malformed(answer, words):
    r = quiet("ex07.q3a", answer)
    assert r.score == 0 and words in r.message, r.message


def test_q3b_accepts_any_container_and_order():
    for answer in ([set(s) for s in SMALLEST], [tuple(sorted(s)) for s in SMALLEST][::-1],
                   {frozenset(s) for s in SMALLEST}, pd.Series([sorted(s) for s in SMALLEST])):
        r = quiet("ex07.q3b", answer)
        assert (r.passed, r.score) == (True, 2), r.message


def test_q3b_partial_and_wrong():
    one = sorted(next(iter(SMALLEST)))
    r = quiet("ex07.q3b", one)  # one set, given as a flat list of levers
    assert r.score == 1 and "more than one way" in r.message
    r = quiet("ex07.q3b", [set(rights.LEVERS)])  # all six work, but are not the smallest
    assert r.score == 0 and "not the smallest" in r.message
    r = quiet("ex07.q3b", [{"face_recognition", "independent_oversight"}])
    assert r.score == 0 and "tracking stay(s) very high" in r.message


@pytest.mark.parametrize("answer, words", [
    ("retention_days", "is text"), ([], "empty"), ({"a": 1}, "is a dict"),
    ([{"cameras"}], "not a lever"), ([1, 2], "should be a set of levers"),
])
def test_q3b_malformed(answer, words):
    r = quiet("ex07.q3b", answer)
    assert r.score == 0 and words in r.message, r.message


# --------------------------------------------------------------------------- q4: the capstone

def good_assessment() -> Assessment:
    """A consistent assessment built here: own words, values read from the CSV files or
    worked out by hand."""
    claimed = row("camera_counts", city="Kabul and other cities", date="2023-08")
    arrests = row("rights_counts", series="afjc_annual", measure="arrests", period_start="2022-01-01")
    supply = row("kabul_supply_hours", date="2023-01-23")
    hours = float(supply["hours_high"])
    words = "In my own words, this step is judged on the public record as I read it. "
    return Assessment(
        title="A test assessment", assessor="The test suite", subject="The Kabul camera plan",
        steps=[
            Step("legality", words + "No published law.", "not met", [
                DataEvidence("claims", {"claim_id": "c15"}, "status",
                             row("claims", claim_id="c15")["status"])]),
            Step("legitimate_aim", words + "Protecting life is legitimate.", "partly met", [
                DataEvidence("claims", {"claim_id": "c10"}, "claimant_type", "analyst")]),
            Step("necessity", words + "Cameras on the grid record little.", "not met", [
                DataEvidence("kabul_supply_hours", {"date": "2023-01-23"}, "hours_high", hours),
                # recording_share = min(24, supply + battery) / 24
                ModelEvidence("kabulcase.models.power:recording_share",
                              {"supply_hours": hours, "battery_hours": 1}, value=(hours + 1) / 24)]),
            Step("proportionality", words + "A large intrusion.", "not met", [
                DataEvidence("camera_counts", {"city": "Kabul and other cities", "date": "2023-08"}, "cameras",
                             int(claimed["cameras"])),
                DataEvidence("rights_counts", {"series": "afjc_annual", "measure": "arrests",
                                               "period_start": "2022-01-01"}, "value",
                             int(arrests["value"]))]),
            Step("safeguards", words + "None described.", "not met", [
                # face recognition chosen: every one of the six factors is very high
                # (worked by hand in test_rights_model)
                ModelEvidence("kabulcase.models.rights:risk_profile",
                              {"face_recognition": True}, output="very_high",
                              value=6, rel_tol=0)]),
        ])


def test_capstone_accepts_a_consistent_assessment_and_says_it_never_grades_judgements():
    r = quiet("ex07.q4", good_assessment())
    assert (r.passed, r.score, r.max_score) == (True, 6, 6), r.message
    assert "never grades your judgements or your conclusion" in r.message
    assert "5 data row(s)" in r.message and "2 model result(s)" in r.message


@pytest.mark.parametrize("judgement", ["met", "not met", "cannot tell", "partly met"])
def test_capstone_scores_the_same_whatever_the_judgements(judgement):
    a = good_assessment()
    for step in a.steps:
        step.judgement = judgement
    r = quiet("ex07.q4", a)
    assert (r.passed, r.score) == (True, 6), r.message


def test_capstone_rejects_a_number_the_model_does_not_produce():
    a = good_assessment()
    item = a.step("necessity").evidence[1]
    a.step("necessity").evidence[1] = dataclasses.replace(item, value=0.5)
    r = quiet("ex07.q4", a)
    assert not r.passed and r.score < 6
    want = f"{item.value:.4g}"  # what the model gives, worked out by hand above
    assert ("Step 'necessity', evidence 2: the value you cite for recording_share with "
            "supply_hours=" in r.message)
    assert f"is 0.5, but the model gives {want}" in r.message and "Re-run the model" in r.message
    assert "Traceback" not in r.message
    # The same value with other assumptions is also caught: the assumptions are part of the citation.
    a = good_assessment()
    item = a.step("necessity").evidence[1]
    a.step("necessity").evidence[1] = dataclasses.replace(item, params={**item.params, "battery_hours": 5})
    assert "the value you cite for recording_share" in quiet("ex07.q4", a).message


def test_capstone_rejects_a_missing_step():
    a = good_assessment()
    a.steps = [s for s in a.steps if s.name != "safeguards"]
    r = quiet("ex07.q4", a)
    assert not r.passed and "Step 'safeguards' is missing: add Step(name='safeguards'" in r.message
    a = good_assessment()
    a.steps.append(a.step("necessity"))
    assert "appears more than once" in quiet("ex07.q4", a).message


def test_capstone_rejects_a_data_row_that_does_not_exist():
    a = good_assessment()
    a.step("legality").evidence.append(DataEvidence("claims", {"claim_id": "c99"}, "status", "disputed"))
    r = quiet("ex07.q4", a)
    assert not r.passed and r.score < 6
    assert ("Step 'legality', evidence 2: no row of data/claims.csv matches claim_id=c99, so "
            "the row you cite does not exist") in r.message


def test_capstone_explains_a_wrong_value_several_rows_and_unknown_names():
    claimed = int(row("camera_counts", city="Kabul and other cities", date="2023-08")["cameras"])
    a = good_assessment()
    a.step("proportionality").evidence[0] = DataEvidence(
        "camera_counts", {"city": "Kabul and other cities", "date": "2023-08"}, "cameras", claimed + 1)
    a.step("legality").evidence.append(DataEvidence("camera_counts", {"city": "Kabul"}, "cameras", 1))
    a.step("safeguards").evidence.append(DataEvidence("camera_count", {"city": "Kabul"}, "cameras", 1))
    a.step("safeguards").evidence.append(
        ModelEvidence("kabulcase.models.power:recording_share", {"hours": 2}, value=0.1))
    r = quiet("ex07.q4", a)
    assert f"holds {claimed} in column 'cameras', but you cite {claimed + 1:.4g}" in r.message
    assert "Add another column to where=" in r.message
    assert "no dataset 'camera_count'" in r.message and "file names in data/" in r.message
    assert "cannot take params" in r.message and "parameter names the model accepts" in r.message
    assert r.score == 2 + 1 + 1.5  # complete, both kinds, 4 of 8 items right (3 x 0.5)


def test_capstone_structure_problems_are_plain_sentences():
    a = good_assessment()
    a.step("legality").finding = "Write your finding here."
    a.step("necessity").judgement = "probably not"
    a.step("safeguards").evidence = []
    r = quiet("ex07.q4", a)
    assert "Step 'legality': the finding still holds the starter's placeholder" in r.message
    assert "'probably not' is not on the scale" in r.message
    assert "no evidence" in r.message
    assert r.score < 6 and "Traceback" not in r.message


def test_capstone_needs_both_kinds_of_evidence():
    a = good_assessment()
    for step in a.steps:
        step.evidence = [e for e in step.evidence if isinstance(e, DataEvidence)]
    a.step("safeguards").judgement = "cannot tell"  # may stand without evidence
    r = quiet("ex07.q4", a)
    assert r.score == 5 and "at least one a model result (ModelEvidence)" not in r.message
    assert "at least one model result (ModelEvidence)" in r.message


def test_capstone_refuses_the_books_text_but_not_its_judgements():
    r = quiet("ex07.q4", rights.example_assessment())
    assert not r.passed and "the finding is the book's own text" in r.message
    assert r.message.count("book's own text") == len(rights.STEPS)


def test_capstone_starter_is_not_answered_yet():
    stub = Assessment("t", "a", "s", [Step(n, "Write your finding here.", "", []) for n in rights.STEPS])
    r = quiet("ex07.q4", stub)
    assert r.score == 0 and "not answered yet" in r.message


@pytest.mark.parametrize("answer, words", [
    (None, "not answered yet"), (..., "not answered yet"),
    ({"legality": "not met"}, "not an Assessment"),
    ("The plan fails legality and necessity.", "is text"),
    ("", "not answered yet"),
    (Step("legality", "x " * 10, "met", []), "a single Step"),
    ([Step("legality", "x " * 10, "met", [])], "a list of 1 Step"),
    (42, "should be an Assessment"),
    (pd.DataFrame({"step": ["legality"]}), "should be an Assessment"),
])
def test_capstone_malformed_inputs_get_a_plain_sentence(answer, words):
    r = quiet("ex07.q4", answer)
    assert isinstance(r, CheckResult) and r.score == 0 and not r.passed
    assert words in r.message and "Traceback" not in r.message, r.message


def test_capstone_odd_values_inside_an_assessment_do_not_raise():
    a = good_assessment()
    a.steps[0] = Step(["legality"], "x " * 10, "met", [])  # an unhashable name
    a.step("necessity").evidence.append({"dataset": "claims"})
    a.step("necessity").evidence.append(ModelEvidence("kabulcase.models.power:recording_share",
                                                      {"supply_hours": 2, "battery_hours": 0},
                                                      value="a lot"))
    a.title = None
    r = quiet("ex07.q4", a)
    assert r.score < 6 and "Traceback" not in r.message
    assert "must be DataEvidence(...) or ModelEvidence(...)" in r.message
    assert "value must be the number the model gives" in r.message


def test_capstone_survives_the_graders_fresh_import():
    """The grader deletes kabulcase from sys.modules and re-imports it before scoring, so
    the learner's Assessment is an instance of the old class; the check must still read it."""
    code = textwrap.dedent("""
        import sys
        sys.path.insert(0, %r)
        from test_checks_ex07 import good_assessment
        my_assessment = good_assessment()
        for name in [m for m in list(sys.modules) if m == "kabulcase" or m.startswith("kabulcase.")]:
            del sys.modules[name]
        import importlib
        checks = importlib.import_module("kabulcase.checks")
        from kabulcase.models.rights import Assessment
        assert not isinstance(my_assessment, Assessment)
        [row] = [r for r in checks.grade_namespace("ex07", {"my_assessment": my_assessment})
                 if r["key"] == "ex07.q4"]
        print(row["score"], row["max_score"])
    """ % str(Path(__file__).parent))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO,
                         check=True).stdout.split()
    assert out == ["6.0", "6"] or out == ["6.0", "6.0"], out


# --------------------------------------------------------------------------- every check, odd input

@pytest.mark.parametrize("key", KEYS)
@pytest.mark.parametrize("answer", odd_answers(), ids=type_name)
def test_no_ex07_check_ever_raises(key, answer):
    assert_check_survives(key, answer)


def test_every_question_has_an_objective_and_time():
    assert_questions("ex07", ["ex07.q1a", "ex07.q1b", "ex07.q2a", "ex07.q2b", "ex07.q3a", "ex07.q3b",
                              "ex07.q3c", "ex07.q4", "ex07.q5"], r"G[1-5]")


def test_expected_values_follow_the_data(tmp_path):
    copy = copy_of_data(tmp_path)
    edit_csv(copy, "vendor_reach", {"measure": "countries_claimed"}, {"value": str(int(CLAIMED) * 2)},
             first_only=True)
    out = printed_with_data(copy, "from kabulcase.checks import check\n"
                                  f"print(check('ex07.q1b', {2 * RATIO!r}, quiet=True).score,"
                                  f" check('ex07.q1b', {RATIO!r}, quiet=True).score)\n")
    assert out == ["1.0", "0.0"]


# --------------------------------------------------------------------------- written answers

def test_the_model_answers_meet_their_own_objective_checks():
    assert_model_answers_pass(EXERCISE, {"ex07-q3": "ex07.q3c", "ex07-q5": "ex07.q5"})


@pytest.mark.parametrize("key", WRITTEN)
def test_written_placeholders_show_the_rubric(key):
    assert_placeholder_not_answered(key)


# --------------------------------------------------------------------------- the exercise page

def test_the_source_is_marked_up_as_the_machinery_expects():
    assert_marked_up(EXERCISE, "G", 5, KEYS, WRITTEN)


def test_the_exercise_types_no_number_from_data():
    offending = numbers_typed_from_data(EXERCISE)
    assert not offending, offending


# --------------------------------------------------------------------------- notebooks, real kernel

released = released_fixture(EXERCISE)


def test_student_copy_has_stubs_and_no_solution(released):
    raw = (released / "student" / "ex07-governance.ipynb").read_text(encoding="utf-8")
    for needle in ("{solution}", "Model answer for instructors", "glue(", "Solution to exercise",
                   "combinations(SAFER, k) if covers", ".explode()", "value=0.0833",
                   "strongest case against me"):
        assert needle not in raw, needle
    nb = nbformat.reads(raw, as_version=4)
    assert_stubs(nb, 7)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    for key in KEYS:
        assert f'check("{key}"' in code
    assert "Write your finding here." in code and "def try_evidence(item):" in code


def test_student_downloads_leak_no_solution_line():
    """The rule the book build applies to downloads (tests/test_build.py), on this page."""
    import jupytext

    solutions = [c for c in jupytext.read(EXERCISE).cells
                 if "solution" in c.metadata.get("tags", []) and c.cell_type == "code"]
    downloads = (nbformat.writes(rel.student_notebook(EXERCISE, plain_markdown=False)),
                 nbformat.writes(rel.student_notebook(EXERCISE)), rel.student_markdown(EXERCISE))
    leaks = [line.strip() for cell in solutions for line in cell.source.splitlines()
             if len(line.strip()) > 25 and not line.strip().startswith("#")
             and any(line.strip() in d for d in downloads)]
    assert not leaks, leaks


def test_instructor_notebook_executes_and_passes_every_check(released):
    out = assert_instructor_run(read_copy(released, "instructor", EXERCISE), KEYS, "ex07")
    assert "Your evidence table appears here" not in out  # the model answer verifies


def test_student_notebook_runs_top_to_bottom_without_error(released):
    assert_student_run(read_copy(released, "student", EXERCISE), KEYS + WRITTEN, "ex07")


def test_q3_starts_from_face_recognition_chosen_not_from_a_default():
    # Fails if face recognition is on without being chosen: the record's default is off, and
    # question 3 switches it on by name (the book's inference), as its starter cell says.
    from kabulcase.checks import ex07 as ex07_checks
    assert rights.AS_REPORTED.face_recognition is False
    assert ex07_checks.Q3_BASE == rights.AS_REPORTED.changed(face_recognition=True)
    text = (REPO / "exercises" / "ex07-governance.md").read_text(encoding="utf-8")
    assert "START = rights.WITH_FACE_RECOGNITION" in text


def test_g3_is_assessed_by_a_rubric_criterion():
    # The set claims G3 (due diligence under the UN Guiding Principles) in the written
    # argument: its rubric must name it and give the marker a criterion for it.
    text = EXERCISE.read_text(encoding="utf-8")
    assert "G3 and G5 in the" in text
    r = checks.RUBRICS["ex07.q5"]
    assert "G3" in r.objective
    assert any(c.startswith("(G3)") and "Guiding Principles" in c for c in r.criteria)
