"""The exercise checks (kabulcase.checks): correct, equivalent, partial, wrong and malformed
answers, against expectations worked out here from the CSV files with the csv module."""

from __future__ import annotations

import math
import re
from collections import Counter

import numpy as np
import pandas as pd
import pytest

from kabulcase import checks
from kabulcase.checks import CheckResult, check, self_check_text

from support import (DATA, EXERCISES, REPO, assert_check_survives, assert_model_answers_pass,
                     copy_of_data, csv_rows, edit_csv, endless_loop_result, graded_row,
                     hidden_result, numbers_typed_from_data, odd_answers, printed_with_data, quiet,
                     type_name, written)

EXERCISE = EXERCISES / "ex01-the-case.md"


def kabul(date, city="Kabul"):
    [row] = [r for r in csv_rows("camera_counts") if r["city"] == city and r["date"] == date]
    return row


NETWORK = "Kabul and other cities"  # the 2023 claim's geography, per Reuters


# Independent expectations, from the CSV files.
STATUS = Counter(r["status"] for r in csv_rows("claims"))
N_CLAIMS = len(csv_rows("claims"))
SOURCES_2023 = kabul("2023-08", NETWORK)["source_id"].split(";")
GROWTH = float(kabul("2025-02")["cameras"]) / float(kabul("2021")["cameras"])
DOUBTFUL = sorted(r["claim_id"] for r in csv_rows("claims")
                  if r["claimant_type"] == "taliban_official"
                  and r["status"] in ("unverified_claim", "disputed"))


def _year(d):  # "2014-06" -> (2014, 6); "2021" -> (2021, 1): the start of the period
    parts = d.split("-")
    return (int(parts[0]), int(parts[1]) if len(parts) > 1 else 1)


KABUL = [r for r in csv_rows("camera_counts") if r["city"] == "Kabul"]
BEFORE = [float(r["cameras"]) for r in KABUL if _year(r["date"]) < (2021, 8)]
AFTER = [float(r["cameras"]) for r in KABUL if _year(r["date"]) > (2021, 8)]
FACTORS = sorted(a / b for b in BEFORE for a in AFTER)
LOW, HIGH = FACTORS[0], FACTORS[-1]


def claims_df():
    from kabulcase import load
    return load("claims")


# --------------------------------------------------------------------------- the fixtures agree

def test_independent_expectations_are_what_the_checks_expect():
    assert checks.expected("ex01.q1") == dict(STATUS)
    assert sorted(checks.expected("ex01.q2a")) == sorted(SOURCES_2023)
    assert math.isclose(checks.expected("ex01.q2b"), GROWTH)
    assert sorted(checks.expected("ex01.q3")) == DOUBTFUL
    low, high = checks.expected("ex01.q4a")
    assert math.isclose(low, LOW) and math.isclose(high, HIGH)
    # The data behind the exercise are what the exercise assumes: two counts before the
    # takeover, several after, and both kinds of doubtful Taliban claim.
    assert len(BEFORE) == 2 and len(AFTER) >= 3
    statuses = {r["status"] for r in csv_rows("claims") if r["claim_id"] in DOUBTFUL}
    assert statuses == {"unverified_claim", "disputed"}


# --------------------------------------------------------------------------- q1

def test_q1_accepts_every_equivalent_form():
    claims = claims_df()
    series = claims["status"].value_counts()
    table = claims.groupby("status").size().reset_index(name="n").sample(frac=1, random_state=1)
    pretty = {"Unverified claim" if k == "unverified_claim" else k: v for k, v in STATUS.items()}
    for answer in (series, series.sample(frac=1, random_state=2), dict(STATUS), table,
                   series.to_frame(), list(STATUS.items()), pretty):
        r = quiet("ex01.q1", answer)
        assert (r.passed, r.score, r.max_score) == (True, 2, 2), r.message
        assert "correct" in r.message


def test_q1_partial_answers_get_one_point_and_name_what_is_off():
    off_by_one = dict(STATUS)
    off_by_one["disputed"] += 1
    r = quiet("ex01.q1", off_by_one)
    assert (r.passed, r.score) == (False, 1)
    assert "disputed (too high)" in r.message and f"ledger has {N_CLAIMS} claims" in r.message
    shares = {k: v / N_CLAIMS for k, v in STATUS.items()}
    r = quiet("ex01.q1", pd.Series(shares))
    assert r.score == 1 and "shares" in r.message


def test_q1_wrong_answer_scores_zero_with_a_hint_not_the_answer():
    by_claimant = claims_df()["claimant_type"].value_counts()
    r = quiet("ex01.q1", by_claimant)
    assert r.score == 0 and "not statuses in the data" in r.message and "Hint:" in r.message
    for status, n in STATUS.items():  # the hint never prints the expected counts
        assert f"{status}: {n}" not in r.message


@pytest.mark.parametrize("answer, words", [
    (None, "not answered yet"), (..., "not answered yet"),
    ([3, 4, 5], "without labels"), ("unverified_claim", "should be one count"),
    (7, "should be one count"), ({"disputed": float("nan")}, "NaN"),
    (pd.Series(["disputed", "reported_fact"]), "status` column itself"),
    (pd.Series([1, 2], index=pd.MultiIndex.from_tuples([("a", "b"), ("c", "d")])), "more than one column"),
    (pd.Series([4, 5]), "no labels"),
])
def test_q1_malformed_answers_get_a_plain_sentence(answer, words):
    r = quiet("ex01.q1", answer)
    assert isinstance(r, CheckResult) and r.score == 0 and not r.passed
    assert words in r.message and "Traceback" not in r.message


def test_q1_whole_claims_table_is_refused_plainly():
    r = quiet("ex01.q1", claims_df())
    assert r.score == 0 and "claims table itself" in r.message


# --------------------------------------------------------------------------- q2a

def test_q2a_accepts_list_set_string_series_and_any_order():
    joined = ";".join(SOURCES_2023)
    counts = pd.read_csv(DATA / "camera_counts.csv")
    row = counts[(counts.city == NETWORK) & (counts.date == "2023-08")]
    for answer in (SOURCES_2023, list(reversed(SOURCES_2023)), set(SOURCES_2023), joined,
                   row["source_id"], row, pd.Series(SOURCES_2023), tuple(SOURCES_2023),
                   [s.upper() for s in SOURCES_2023]):
        r = quiet("ex01.q2a", answer)
        assert (r.passed, r.score) == (True, 1), r.message


def test_q2a_partial_and_wrong():
    r = quiet("ex01.q2a", SOURCES_2023[:1])
    assert r.score == 0.5 and f"{len(SOURCES_2023) - 1} source(s) are missing" in r.message
    other = kabul("2021")["source_id"].split(";")
    r = quiet("ex01.q2a", other)
    assert r.score == 0 and "other rows" in r.message
    r = quiet("ex01.q2a", ["made-up-source-2023"])
    assert r.score == 0 and "Not ids in data/sources.csv" in r.message


@pytest.mark.parametrize("answer, words", [
    (None, "not answered yet"), (..., "not answered yet"), ("", "not answered yet"),
    (5, "should be a list of ids"), ([0, 1], "row positions"), ([], "empty"),
    ([SOURCES_2023[0], float("nan")], "missing value"), (pd.DataFrame({"x": [1]}), "without a `source_id`"),
])
def test_q2a_malformed(answer, words):
    r = quiet("ex01.q2a", answer)
    assert r.score == 0 and words in r.message


# --------------------------------------------------------------------------- q2b

def test_q2b_accepts_tolerance_and_one_element_containers():
    for answer in (GROWTH, round(GROWTH, 1), round(GROWTH), np.float64(GROWTH),
                   pd.Series([GROWTH]), [GROWTH], np.array([GROWTH])):
        r = quiet("ex01.q2b", answer)
        assert (r.passed, r.score) == (True, 1), (answer, r.message)


def test_q2b_diagnoses_common_mistakes():
    claim, before = float(kabul("2025-02")["cameras"]), float(kabul("2021")["cameras"])
    feeds = float(kabul("2014-06")["cameras"])
    network = float(kabul("2023-08", NETWORK)["cameras"])
    r = quiet("ex01.q2b", network / before)  # a multi-city claim over a Kabul count
    assert r.score == 0 and "different places" in r.message
    r = quiet("ex01.q2b", before / claim)
    assert r.score == 0 and "backwards" in r.message
    r = quiet("ex01.q2b", claim - before)
    assert r.score == 0 and "difference" in r.message
    r = quiet("ex01.q2b", 100 * (claim - before) / before)  # same information, wrong form
    assert r.score == 0.5 and "percentage" in r.message
    r = quiet("ex01.q2b", claim / feeds)
    assert r.score == 0 and "feeds" in r.message
    r = quiet("ex01.q2b", 3.0)
    assert r.score == 0 and "does not match" in r.message


@pytest.mark.parametrize("answer, words", [
    (None, "not answered yet"), (..., "not answered yet"), ("73", "it is text"),
    (True, "True/False"), (float("nan"), "NaN"), (math.inf, "infinite"), (pd.NA, "missing"),
    ([1.0, 2.0], "one number"), (pd.Series([], dtype=float), "one number"), ({"a": 1}, "should be a number"),
])
def test_q2b_malformed(answer, words):
    r = quiet("ex01.q2b", answer)
    assert r.score == 0 and words in r.message, r.message


def _good_growth(counts, start, end):
    k = counts[counts["city"] == "Kabul"].set_index("date")["cameras"]
    return k[end] / k[start]


def test_q2b_hidden_check_tries_other_pairs():
    [passed] = checks.assert_hidden("ex01.q2b", {"growth_factor": _good_growth})
    assert passed.score == 1 and passed.hidden
    hard_coded = lambda counts, start, end: GROWTH  # noqa: E731  right once, wrong elsewhere
    with pytest.raises(AssertionError, match=r"not the later count\s+divided"):
        checks.assert_hidden("ex01.q2b", {"growth_factor": hard_coded})
    q2b = graded_row("ex01", {"growth_2025": GROWTH, "growth_factor": hard_coded}, "ex01.q2b")
    assert (q2b["score"], q2b["max_score"]) == (1, 2)  # public check 1 of 1, hidden 0 of 1


@pytest.mark.parametrize("fn, words", [
    (lambda c, s, e: 1 / 0, "raised ZeroDivisionError"),
    (lambda c, s, e: None, "returns nothing yet"),
    (42, "should be a function"),
    (None, "not answered yet"),
])
def test_q2b_hidden_check_never_raises_on_bad_functions(fn, words):
    r = hidden_result("ex01.q2b", "growth_factor", fn)
    assert r.score == 0 and words in r.message


def test_q2b_hidden_check_stops_an_endless_loop(monkeypatch):
    r = endless_loop_result(monkeypatch, "ex01.q2b", "growth_factor")
    assert r.score == 0 and "did not finish within 1 seconds" in r.message


# --------------------------------------------------------------------------- q3

def test_q3_accepts_list_series_rows_and_any_order():
    claims = claims_df()
    rows_ = claims[claims["claim_id"].isin(DOUBTFUL)]
    for answer in (DOUBTFUL, DOUBTFUL[::-1], set(DOUBTFUL), pd.Series(DOUBTFUL[::-1]),
                   rows_.sample(frac=1, random_state=4), rows_["claim_id"], pd.Index(DOUBTFUL),
                   [d.upper() for d in DOUBTFUL]):
        r = quiet("ex01.q3", answer)
        assert (r.passed, r.score) == (True, 2), r.message


def test_q3_partial_answers():
    unverified_only = [c for c in DOUBTFUL
                       if next(r for r in csv_rows("claims") if r["claim_id"] == c)["status"] == "unverified_claim"]
    r = quiet("ex01.q3", unverified_only)
    assert r.score == 1 and "also asks for disputed" in r.message
    statement = next(r["claim_id"] for r in csv_rows("claims")
                     if r["claimant_type"] == "taliban_official" and r["status"] == "official_statement")
    r = quiet("ex01.q3", DOUBTFUL + [statement])
    assert r.score == 1 and f"{statement} is a claim by a taliban_official with status official_statement" in r.message


def test_q3_wrong_answer():
    analysts = [r["claim_id"] for r in csv_rows("claims") if r["claimant_type"] == "analyst"]
    r = quiet("ex01.q3", analysts)
    assert r.score == 0 and "claim(s) are missing" in r.message
    for c in DOUBTFUL:  # the message names what is wrong, not the ids that are missing
        assert c not in r.message


@pytest.mark.parametrize("answer, words", [
    (None, "not answered yet"), (..., "not answered yet"), ([2, 3], "row positions"),
    (pd.DataFrame({"claim": ["x"]}), "without a `claim_id`"), (3.5, "should be a list of ids"),
    (["c03", None], "missing value"), (["c99"], "not a claim id"),
])
def test_q3_malformed(answer, words):
    r = quiet("ex01.q3", answer)
    assert r.score == 0 and words in r.message


# --------------------------------------------------------------------------- q4a

def test_q4a_accepts_tuple_list_series_array_dict_and_either_order():
    for answer in ((LOW, HIGH), [HIGH, LOW], pd.Series([LOW, HIGH]), np.array([LOW, HIGH]),
                   {"low": LOW, "high": HIGH}, {"min": LOW, "max": HIGH}, (round(LOW, 1), round(HIGH))):
        r = quiet("ex01.q4a", answer)
        assert (r.passed, r.score) == (True, 2), r.message


def test_q4a_partial_answers():
    without_feeds = sorted(a / max(BEFORE) for a in AFTER)  # forgot the earliest count
    r = quiet("ex01.q4a", (without_feeds[0], without_feeds[-1]))
    assert r.score == 1 and "smallest factor is right" in r.message and "pair is probably missing" in r.message
    r = quiet("ex01.q4a", FACTORS)  # every factor instead of the two ends
    assert r.score == 1 and f"all {len(FACTORS)} factors" in r.message


def test_q4a_wrong_answer():
    r = quiet("ex01.q4a", (1.0, 2.0))
    assert r.score == 0 and "not the smallest" in r.message and "not the largest" in r.message


@pytest.mark.parametrize("answer, words", [
    (None, "not answered yet"), (..., "not answered yet"), ((..., ...), "not answered yet"),
    (LOW, "single number"), ((1, 2, 3), "holds 3"), ("73 to 833", "should be two numbers"),
    ((float("nan"), HIGH), "NaN"), ({"a": 1}, "keys 'low' and 'high'"),
    (pd.DataFrame({"x": [1, 2]}), "give two numbers"),
])
def test_q4a_malformed(answer, words):
    r = quiet("ex01.q4a", answer)
    assert r.score == 0 and words in r.message, r.message


# --------------------------------------------------------------------------- every check, odd input

@pytest.mark.parametrize("key", sorted(checks.QUESTIONS))
@pytest.mark.parametrize("answer", odd_answers(), ids=type_name)
def test_no_check_ever_raises(key, answer):
    assert_check_survives(key, answer)


def test_unknown_key_is_a_sentence_not_an_error():
    r = quiet("ex01.q99", 1)
    assert not r.passed and "no check called 'ex01.q99'" in r.message


def test_check_prints_once_and_returns_a_result(capsys):
    r = check("ex01.q2b", GROWTH)
    r._ipython_display_()  # what Jupyter calls when the result is a cell's last expression
    out = capsys.readouterr().out
    assert out.count("ex01.q2b") == 1 and "correct" in out
    assert (r.passed, r.score, r.max_score) == (True, 1.0, 1.0)
    assert str(r) == r.message


def test_every_question_has_an_objective_and_time():
    for q in checks.questions("ex01"):
        assert re.match(r"C[1-5]", q.objective) and q.minutes > 0
    keys = [q.key for q in checks.questions("ex01")]
    assert keys == ["ex01.q1", "ex01.q2a", "ex01.q2b", "ex01.q3", "ex01.q4a", "ex01.q4b", "ex01.q5"]


# --------------------------------------------------------------------------- written answers

GOOD_NOTE = """
Claim c07 is the Taliban authorities' statement that more than 62,000 cameras feed one
control room; it is an unverified claim reported by Khaama (khaama-2023-08-31) and by
Reuters (reuters2023taliban). The ministry gains if it is believed, because it signals
control to residents and to IS-Khorasan. Residents say many cameras were installed by
households under orders, so the number may not count state cameras. An independent count
of public cameras on a sample of streets, published only in aggregate, would change its
status. It bears on the power question, because cameras need electricity, and on money,
because someone paid for them. """ + "More detail on the sources and their incentives. " * 12


def test_self_check_placeholder_and_empty_show_the_rubric(capsys):
    for text in ("\nWrite your answer here.\n", "", None, ...):
        r = written("ex01.q5", text)
        assert not r.passed and "not answered yet" in r.message
        assert checks.RUBRICS["ex01.q5"].criteria[0] in r.message
    self_check_text("ex01.q5", None)
    assert "A marker will look for" in capsys.readouterr().out


def test_self_check_reports_only_objective_facts():
    r = written("ex01.q5", GOOD_NOTE)
    assert r.passed, r.message
    d = r.details
    assert "62,000" in d["numbers"] and "2023" not in d["numbers"]  # a year is not evidence
    assert "khaama-2023-08-31" in d["sources"] and "reuters2023taliban" in d["sources"]
    assert d["claim_ids"] == ["c07"] and set(d["questions"]) == {"power", "money"}
    # Never a verdict on opinion: the opposite conclusion, equally sourced, passes the same.
    opposite = GOOD_NOTE.replace("would change its", "would not change its").replace(
        "The ministry gains", "The ministry may well be right, and gains")
    r2 = written("ex01.q5", opposite)
    assert r2.passed and r2.score == r.score == 0 and r2.max_score == 0
    for word in ("wrong", "incorrect", "disagree", "good argument", "bad argument"):
        assert word not in r.message.lower()


def test_self_check_flags_missing_evidence_and_length():
    bare = "I think the cameras are bad for Kabul and the Taliban should not build them in 2023. " * 3
    r = written("ex01.q5", bare)
    assert not r.passed
    assert "[ ] Cites a number: none found" in r.message and "[ ] Cites a source: none found" in r.message
    assert "too short" in r.message and r.details["numbers"] == []
    long_text = GOOD_NOTE * 3
    assert "trim it" in written("ex01.q5", long_text).message
    # A source id inside another word is not a citation.
    assert written("ex01.q4b", "see xkhaama-2023-08-31x").details["sources"] == []


@pytest.mark.parametrize("text", [123, ["a list"], {"k": "v"}])
def test_self_check_wrong_type(text):
    r = written("ex01.q4b", text)
    assert not r.passed and "should be text in quotes" in r.message


def test_self_check_unknown_key():
    assert "no written question" in written("ex01.q9", "text").message


def test_the_model_answers_meet_their_own_objective_checks():
    assert_model_answers_pass(EXERCISE, {"ex01-q4": "ex01.q4b", "ex01-q5": "ex01.q5"})


# --------------------------------------------------------------------------- grader hooks

def test_grade_namespace_scores_every_question_and_reports_missing_variables():
    rows_ = checks.grade_namespace("ex01", {"status_counts": dict(STATUS), "answer_q5": GOOD_NOTE})
    by_key = {r["key"]: r for r in rows_}
    assert by_key["ex01.q1"]["score"] == 2
    assert by_key["ex01.q3"]["score"] == 0
    assert "no variable `taliban_doubtful`" in " ".join(by_key["ex01.q3"]["message"].split())
    assert by_key["ex01.q5"]["kind"] == "written" and by_key["ex01.q5"]["score"] is None
    assert by_key["ex01.q5"]["text"].strip().startswith("Claim c07")
    assert sum(r["max_score"] for r in rows_ if r["kind"] == "code") == 9


def test_expected_values_follow_the_data(tmp_path):
    """Change the data and the checks change with them: nothing is typed in the checks."""
    copy = copy_of_data(tmp_path)
    table = edit_csv(copy, "claims", {"status": "official_statement"}, {"status": "disputed"},
                     first_only=True)
    new = Counter(r[table[0].index("status")] for r in table[1:])
    out = printed_with_data(copy, "from kabulcase.checks import check\n"
                                  f"print(check('ex01.q1', {dict(new)!r}, quiet=True).score,"
                                  f" check('ex01.q1', {dict(STATUS)!r}, quiet=True).score)\n")
    assert out == ["2.0", "1.0"]  # the new counts are right; the old ones are now one status off


@pytest.mark.parametrize("page", [EXERCISE, REPO / "book" / "instructor-guide.md"], ids=lambda p: p.name)
def test_the_exercise_and_the_guide_type_no_number_from_data(page):
    offending = numbers_typed_from_data(page)
    assert not offending, offending
