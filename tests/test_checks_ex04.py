"""Exercise set 4 (rights): the checks in kabulcase.checks.ex04 with correct, equivalent,
partial, wrong and malformed answers, against expectations worked out here from the CSV
files with the csv module (and, for the rights model, from the rules it states); and the
instructor and student notebooks run with a real kernel."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from kabulcase import checks, load
from kabulcase import release as rel
from kabulcase.models import rights as rights_model

from support import (EXERCISES, assert_check_survives, assert_full_marks, assert_instructor_run,
                     assert_marked_up, assert_model_answers_pass, assert_placeholder_not_answered,
                     assert_questions, assert_student_run, csv_rows, endless_loop_result, graded_row,
                     hidden_result, numbers_typed_from_data, odd_answers, quiet,
                     student_copy_without, type_name)

EXERCISE = EXERCISES / "ex04-rights.md"
KEYS = ["ex04.q1a", "ex04.q1b", "ex04.q2", "ex04.q3a", "ex04.q3b", "ex04.q4a", "ex04.q4b"]
WRITTEN = ["ex04.q4c", "ex04.q5"]
MONTH = 365.25 / 12


def day(text):
    return dt.date.fromisoformat(text)


def months(r):
    return (day(r["period_end"]) - day(r["period_start"])).days / MONTH


# --------------------------------------------------------------------------- independent expectations

RIGHTS = csv_rows("rights_counts")
AFJC = {(int(r["period_start"][:4]), r["measure"]): float(r["value"])
        for r in RIGHTS if r["series"] == "afjc_annual"}
MAY = [r for r in RIGHTS if r["series"] == "afjc_may_to_may"]
AJSC = [r for r in RIGHTS if r["series"] == "ajsc_annual"]
CHANGE = {m: 100 * (AFJC[(2023, m)] - AFJC[(2022, m)]) / AFJC[(2022, m)]
          for m in ("violations", "arrests")}
UNAMA = [r for r in RIGHTS if r["publisher_short"] == "UNAMA"]
CPJ = {r["series"]: r for r in RIGHTS if r["series"].startswith("cpj")}
PER_MONTH = {s: float(CPJ[s]["value"]) / months(CPJ[s]) for s in ("cpj_cumulative", "cpj_12_months")}
CUM = CPJ["cpj_cumulative"]
DAYS_HELD = float(CPJ["cpj_census"]["value"]) / (
    float(CUM["value"]) / (day(CUM["period_end"]) - day(CUM["period_start"])).days)

# The rights model, worked by hand from the rules it states (rights_model.FACTORS), for the
# starting setting, face recognition chosen (every factor very high), and one safer lever at a time:
#   retention at the short threshold: tracking (very high -> moderate: band low, +1 with
#     face recognition); nothing else uses retention.                                   -> 1
#   face recognition off: identification (-> high), chilling (-> high), wrong match (-> low);
#     tracking stays very high, because with no retention limit its band is already the top.  -> 3
#   judicial authorisation: identification, misuse, chilling, wrong match (one level each). -> 4
#   independent oversight: misuse, accountability.                                         -> 2
#   published audits: misuse, accountability.                                              -> 2
#   community approval: chilling, accountability.                                          -> 2
LOWERED = {"retention_days": 1, "face_recognition": 3, "judicial_authorisation": 4,
           "independent_oversight": 2, "published_audits": 2, "community_approval": 2}
LEVEL_STEPS = {"retention_days": 2, "face_recognition": 5, "judicial_authorisation": 4,
               "independent_oversight": 2, "published_audits": 2, "community_approval": 2}
PENNEY = next(r for r in csv_rows("evidence_chilling") if r["study"].startswith("Penney"))
SHARE = float(PENNEY["value"]) / 100
FACTOR_HIGH = rights_model.ASSUMPTIONS["chilling_range_factor"]["high"]  # the model's stated range
PEOPLE = rights_model.PER_PEOPLE
CHILL = (PEOPLE * SHARE / FACTOR_HIGH, PEOPLE * min(1.0, SHARE * FACTOR_HIGH))


def counts():
    return load("rights_counts")


def afjc_pivot():
    c = counts()
    a = c[c["series"] == "afjc_annual"].copy()
    a["year"] = a["period_start"].dt.year
    return a.pivot(index="year", columns="measure", values="value")


def good_add_rates(rows_):
    out = rows_.copy()
    out["months"] = (out["period_end"] - out["period_start"]).dt.days / MONTH
    out["per_month"] = out["value"] / out["months"]
    return out


def unama_df():
    c = counts()
    return c[c["publisher_short"] == "UNAMA"]


def test_independent_expectations_are_what_the_checks_expect():
    assert checks.expected("ex04.q1a") == AFJC
    assert all(math.isclose(checks.expected("ex04.q1b")[m], v) for m, v in CHANGE.items())
    q2 = checks.expected("ex04.q2")
    assert len(q2) == len(UNAMA)
    for r in UNAMA:
        m, p = q2[(r["series"], r["subject"], r["measure"], r["period_end"])]
        assert math.isclose(m, months(r)) and math.isclose(p, float(r["value"]) / months(r))
    got = checks.expected("ex04.q3a")
    assert set(got) == set(PER_MONTH) and all(math.isclose(got[k], v) for k, v in PER_MONTH.items())
    assert math.isclose(checks.expected("ex04.q3b"), DAYS_HELD)
    assert checks.expected("ex04.q4a") == LOWERED
    assert all(math.isclose(a, b) for a, b in zip(checks.expected("ex04.q4b"), CHILL))
    # The data are what the exercise assumes: AFJC changed its word in one year, the
    # May-to-May report overlaps two calendar years, and CPJ has one stock and two
    # counts over a period.
    assert {m for (_, m) in AFJC} == {"violations", "arrests", "detentions"}
    assert len(MAY) == 2 and {r["period_start"][:4] for r in MAY} != {r["period_end"][:4] for r in MAY}
    assert [r["count_type"] for r in CPJ.values()].count("stock") == 1
    assert CPJ["cpj_census"]["period_start"] == CPJ["cpj_census"]["period_end"]


# --------------------------------------------------------------------------- q1a

def test_q1a_accepts_wide_long_string_years_and_dicts():
    wide = afjc_pivot()
    long = pd.DataFrame([{"year": y, "measure": m, "value": v} for (y, m), v in AFJC.items()]).sample(
        frac=1, random_state=1)
    as_str = wide.set_axis([str(y) for y in wide.index])
    nested = {m: {y: v for (y, mm), v in AFJC.items() if mm == m} for m in {m for _, m in AFJC}}
    multi = pd.Series(AFJC)
    with_text = wide.assign(publisher="AFJC")
    year_column = wide.reset_index()
    for answer in (wide, wide.iloc[::-1], long, as_str, nested, multi, with_text, year_column,
                   wide.astype(float)):
        r = quiet("ex04.q1a", answer)
        assert (r.passed, r.score) == (True, 2), r.message


def test_q1a_may_to_may_added_scores_zero_and_says_why():
    c = counts()
    both = c[c["series"].isin(["afjc_annual", "afjc_may_to_may"])].copy()
    both["year"] = both["period_start"].dt.year
    summed = both.pivot_table(index="year", columns="measure", values="value", aggfunc="sum")
    r = quiet("ex04.q1a", summed)
    assert r.score == 0 and "May-to-May" in r.message and "twice" in r.message


def test_q1a_ajsc_row_and_merged_words_get_one_point():
    c = counts()
    with_ajsc = c[c["series"].isin(["afjc_annual", "ajsc_annual"])].copy()
    with_ajsc["year"] = with_ajsc["period_start"].dt.year
    r = quiet("ex04.q1a", with_ajsc.pivot(index="year", columns="measure", values="value"))
    assert r.score == 1 and "AJSC" in r.message and AJSC[0]["period_start"][:4] in r.message
    merged = afjc_pivot()
    merged["arrests"] = merged["arrests"].fillna(merged["detentions"])
    r = quiet("ex04.q1a", merged.drop(columns="detentions"))
    assert r.score == 1 and "detentions under `arrests`" in r.message


def test_q1a_wrong_values_score_zero_without_printing_the_answer():
    wrong = afjc_pivot() * 2
    r = quiet("ex04.q1a", wrong)
    assert r.score == 0 and "differ" in r.message and "Hint:" in r.message
    for v in AFJC.values():
        assert f"{v:g}" not in r.message


@pytest.mark.parametrize("answer, words", [
    (None, "not answered yet"), (..., "not answered yet"), ([1, 2, 3], "should be a table"),
    (pd.Series([1, 2]), "single column"), (7, "should be a table"),
    (pd.DataFrame({"violations": [1, 2]}), "no years as its row labels"),
    ({"violations": 3}, "single values"),
    (pd.DataFrame({"measure": ["violations"], "value": [3]}), "without a `year` column"),
    (pd.DataFrame({"violations": ["a lot"]}, index=[2022]), "holds no numbers"),
])
def test_q1a_malformed(answer, words):
    r = quiet("ex04.q1a", answer)
    assert r.score == 0 and words in r.message, r.message


# --------------------------------------------------------------------------- q1b

def test_q1b_accepts_series_dict_shares_and_magnitudes():
    pct = pd.Series(CHANGE)
    for answer in (pct, CHANGE, pct.round(1), pct / 100, -pct, pct.iloc[::-1],
                   {"Violations": CHANGE["violations"], "arrests": CHANGE["arrests"]}):
        r = quiet("ex04.q1b", answer)
        assert (r.passed, r.score) == (True, 1), r.message


def test_q1b_diagnoses_common_mistakes():
    wrong_base = {m: 100 * (AFJC[(2023, m)] - AFJC[(2022, m)]) / AFJC[(2023, m)] for m in CHANGE}
    r = quiet("ex04.q1b", wrong_base)
    assert r.score == 0 and "divided by the 2023 count" in r.message
    diff = {m: AFJC[(2023, m)] - AFJC[(2022, m)] for m in CHANGE}
    r = quiet("ex04.q1b", diff)
    assert r.score == 0 and "difference in counts" in r.message
    half = {"violations": CHANGE["violations"], "arrests": 5.0}
    r = quiet("ex04.q1b", half)
    assert r.score == 0.5 and "violations: right" in r.message


@pytest.mark.parametrize("answer, words", [
    (None, "not answered yet"), ([-29.0, -35.0], "no labels"), ({"violations": -29.0}, "no entry for arrests"),
    ("-29%", "should be one count"), ({"violations": float("nan"), "arrests": 1.0}, "NaN"),
])
def test_q1b_malformed(answer, words):
    r = quiet("ex04.q1b", answer)
    assert r.score == 0 and words in r.message, r.message


# --------------------------------------------------------------------------- q2

def test_q2_accepts_any_row_order_and_month_length():
    good = good_add_rates(unama_df())
    thirty = good.assign(months=lambda d: (d["period_end"] - d["period_start"]).dt.days / 30)
    thirty["per_month"] = thirty["value"] / thirty["months"]
    inclusive = good.assign(months=lambda d: ((d["period_end"] - d["period_start"]).dt.days + 1) / MONTH)
    inclusive["per_month"] = inclusive["value"] / inclusive["months"]
    for answer in (good, good.sample(frac=1, random_state=2), thirty, inclusive,
                   good.reset_index(drop=True)):
        r = quiet("ex04.q2", answer)
        assert (r.passed, r.score) == (True, 2), r.message


def test_q2_partial_and_wrong():
    good = good_add_rates(unama_df())
    days = good.assign(months=(good["period_end"] - good["period_start"]).dt.days)
    days["per_month"] = days["value"] / days["months"]
    r = quiet("ex04.q2", days)
    assert r.score == 0 and "in days" in r.message
    r = quiet("ex04.q2", good.iloc[:-3])
    assert r.score == 1 and "3 of the" in r.message and "missing" in r.message
    per_year = good.assign(per_month=good["per_month"] * 12)
    r = quiet("ex04.q2", per_year)
    assert r.score == 0 and "rate per year" in r.message


@pytest.mark.parametrize("answer, words", [
    (None, "not answered yet"), (..., "not answered yet"), ([1, 2], "should be a table"),
    (pd.DataFrame({"x": [1]}), "no column(s) `months`, `per_month`"),
    (pd.DataFrame({"months": [1.0], "per_month": [2.0]}), "lost the column(s)"),
])
def test_q2_malformed(answer, words):
    r = quiet("ex04.q2", answer)
    assert r.score == 0 and words in r.message, r.message


def test_q2_hidden_check_tries_other_rows():
    [passed] = checks.assert_hidden("ex04.q2", {"add_rates": good_add_rates})
    assert passed.score == 1 and passed.hidden
    fixed_answer = good_add_rates(unama_df())
    hard_coded = lambda rows_: fixed_answer  # noqa: E731  right once, wrong elsewhere
    with pytest.raises(AssertionError, match="not rows of the table"):
        checks.assert_hidden("ex04.q2", {"add_rates": hard_coded})
    q2 = graded_row("ex04", {"un_rates": fixed_answer, "add_rates": hard_coded}, "ex04.q2")
    assert (q2["score"], q2["max_score"]) == (2, 3)  # public 2 of 2, hidden 0 of 1


@pytest.mark.parametrize("fn, words", [
    (lambda rows_: 1 / 0, "raised ZeroDivisionError"),
    (lambda rows_: None, "returns nothing yet"),
    (lambda rows_: rows_, "no column(s) `months`, `per_month`"),
    (42, "should be a function"),
])
def test_q2_hidden_check_never_raises_on_bad_functions(fn, words):
    r = hidden_result("ex04.q2", "add_rates", fn)
    assert r.score == 0 and words in r.message, r.message


def test_q2_hidden_check_stops_an_endless_loop(monkeypatch):
    r = endless_loop_result(monkeypatch, "ex04.q2", "add_rates")
    assert r.score == 0 and "did not finish within 1 seconds" in r.message


# --------------------------------------------------------------------------- q3a, q3b

def test_q3a_accepts_series_dict_labels_and_tables():
    series = pd.Series(PER_MONTH)
    by_type = {"cumulative": PER_MONTH["cpj_cumulative"], "flow": PER_MONTH["cpj_12_months"]}
    c = counts()
    table = good_add_rates(c[c["series"].isin(list(PER_MONTH))])
    for answer in (series, series.iloc[::-1], PER_MONTH, by_type, table, series.round(2)):
        r = quiet("ex04.q3a", answer)
        assert (r.passed, r.score) == (True, 2), r.message


def test_q3a_a_rate_for_the_stock_is_refused_with_a_reason():
    with_stock = {**PER_MONTH, "cpj_census": math.inf}
    r = quiet("ex04.q3a", with_stock)
    assert r.score == 1 and "census is a stock" in r.message
    r = quiet("ex04.q3a", {**PER_MONTH, "cpj_census": float("nan")})
    assert r.score == 1 and "census is a stock" in r.message


def test_q3a_wrong_units():
    r = quiet("ex04.q3a", {k: v * 12 for k, v in PER_MONTH.items()})
    assert r.score == 0 and "per year" in r.message
    r = quiet("ex04.q3a", {k: v / MONTH for k, v in PER_MONTH.items()})
    assert r.score == 0 and "per day" in r.message
    r = quiet("ex04.q3a", {"cpj_cumulative": PER_MONTH["cpj_cumulative"]})
    assert r.score == 1 and "no rate for cpj_12_months" in r.message


@pytest.mark.parametrize("answer, words", [
    (None, "not answered yet"), ({"afjc": 1.0}, "not one of CPJ's series"), (2.5, "should be one count"),
    ([1.0, 2.0], "without labels"),
])
def test_q3a_malformed(answer, words):
    r = quiet("ex04.q3a", answer)
    assert r.score == 0 and words in r.message, r.message


def test_q3b_correct_and_diagnosed():
    for answer in (DAYS_HELD, round(DAYS_HELD), np.float64(DAYS_HELD), [DAYS_HELD]):
        r = quiet("ex04.q3b", answer)
        assert (r.passed, r.score) == (True, 1), r.message
    r = quiet("ex04.q3b", DAYS_HELD / MONTH)
    assert r.score == 0.5 and "months" in r.message
    flow = CPJ["cpj_12_months"]
    flow_days = float(CPJ["cpj_census"]["value"]) / (
        float(flow["value"]) / (day(flow["period_end"]) - day(flow["period_start"])).days)
    r = quiet("ex04.q3b", flow_days)
    assert r.score == 0.5 and "twelve-month count's rate" in r.message
    r = quiet("ex04.q3b", 1 / DAYS_HELD)
    assert r.score == 0 and "upside down" in r.message
    r = quiet("ex04.q3b", 1000.0)
    assert r.score == 0 and "does not follow" in r.message


@pytest.mark.parametrize("answer, words", [
    (None, "not answered yet"), ("36", "it is text"), (math.inf, "infinite"), (float("nan"), "NaN"),
])
def test_q3b_malformed(answer, words):
    r = quiet("ex04.q3b", answer)
    assert r.score == 0 and words in r.message, r.message


# --------------------------------------------------------------------------- q4a, q4b

def test_q4a_accepts_series_dicts_and_lists_of_factors():
    lists = {k: ["x"] * v for k, v in LOWERED.items()}
    for answer in (pd.Series(LOWERED), LOWERED, lists, pd.Series(LOWERED).iloc[::-1],
                   {**{k: v for k, v in LOWERED.items() if k != "judicial_authorisation"}, "judge": 4}):
        r = quiet("ex04.q4a", answer)
        assert (r.passed, r.score) == (True, 2), r.message


def test_q4a_levels_added_up_are_named():
    r = quiet("ex04.q4a", LEVEL_STEPS)
    assert r.score == 1 and "added up how many levels" in r.message
    naive = {**LOWERED, "face_recognition": 4}  # counted every rule that names the lever
    r = quiet("ex04.q4a", naive)
    assert r.score == 1 and "face_recognition" in r.message
    r = quiet("ex04.q4a", {k: 1 for k in LOWERED})
    assert r.score == 0


@pytest.mark.parametrize("answer, words", [
    (None, "not answered yet"), ({"speed": 2}, "not levers"), ([1, 3, 4], "without labels"),
    ({"face_recognition": "three"}, "should be a number"),
])
def test_q4a_malformed(answer, words):
    r = quiet("ex04.q4a", answer)
    assert r.score == 0 and words in r.message, r.message


def test_q4b_accepts_pairs_dicts_and_the_scenario_itself():
    wide = rights_model.chilling_scenario(PEOPLE, range_factor=FACTOR_HIGH)
    for answer in (CHILL, list(CHILL), (round(CHILL[0]), round(CHILL[1])), CHILL[::-1],
                   {"low": CHILL[0], "high": CHILL[1]}, wide, pd.Series(CHILL), np.array(CHILL)):
        r = quiet("ex04.q4b", answer)
        assert (r.passed, r.score) == (True, 1), r.message


def test_q4b_default_factor_and_shares():
    default = rights_model.chilling_scenario(PEOPLE)
    r = quiet("ex04.q4b", (default["refrain_low"], default["refrain_high"]))
    assert r.score == 0 and "default range factor" in r.message
    r = quiet("ex04.q4b", (CHILL[0] / PEOPLE, CHILL[1] / PEOPLE))
    assert r.score == 0.5 and "not shares" in r.message


@pytest.mark.parametrize("answer, words", [
    (None, "not answered yet"), (200.0, "one number"), ((1, 2, 3), "holds 3"),
    ({"a": 1}, "without 'low' and 'high'"), ("67 to 600", "should be two numbers"),
    ((float("nan"), 1.0), "NaN"),
])
def test_q4b_malformed(answer, words):
    r = quiet("ex04.q4b", answer)
    assert r.score == 0 and words in r.message, r.message


# --------------------------------------------------------------------------- every check, odd input

@pytest.mark.parametrize("key", KEYS)
@pytest.mark.parametrize("answer", odd_answers(), ids=type_name)
def test_no_check_ever_raises(key, answer):
    assert_check_survives(key, answer)


def test_every_question_has_an_objective_and_time():
    assert_questions("ex04", KEYS[:4] + ["ex04.q3b", "ex04.q4a", "ex04.q4b", "ex04.q4c", "ex04.q5"],
                     r"R[1-5]")


def test_grade_namespace_scores_every_question():
    c = counts()
    cpj_rates = pd.Series(PER_MONTH)
    ns = {"afjc_by_year": afjc_pivot(), "change_2022_2023": CHANGE,
          "un_rates": good_add_rates(unama_df()), "add_rates": good_add_rates,
          "per_month": cpj_rates, "implied_days_held": DAYS_HELD, "lowered_by_lever": LOWERED,
          "chilling_ends": CHILL}
    assert_full_marks("ex04", ns, 12, WRITTEN)
    assert c is not None


# --------------------------------------------------------------------------- written answers

def test_the_model_answers_meet_their_own_objective_checks():
    assert_model_answers_pass(EXERCISE, {"ex04-q4": "ex04.q4c", "ex04-q5": "ex04.q5"})


@pytest.mark.parametrize("key", WRITTEN)
def test_written_placeholders_say_not_answered(key):
    assert_placeholder_not_answered(key)


def test_the_exercise_types_no_number_from_data():
    offending = numbers_typed_from_data(EXERCISE)
    assert not offending, offending


# --------------------------------------------------------------------------- the source and its releases

def test_the_source_is_marked_up_as_the_machinery_expects():
    text = assert_marked_up(EXERCISE, "R", 5, KEYS, WRITTEN)
    assert "Content note" in text and "No exercise asks you to share personal" in text


SECRETS = ['afjc["year"] = afjc["period_start"].dt.year', 'out["per_month"] = out["value"] / out["months"]',
           "implied_days_held = census", "lowered_by_lever = pd.Series", "range_factor=factor",
           "assert_hidden", "glue(", "{solution}", "Legality: not met on the public record"]


def test_student_copy_leaks_nothing_and_runs_top_to_bottom():
    nb = student_copy_without(EXERCISE, SECRETS, stubs=7)
    assert_student_run(nb, KEYS + WRITTEN, "ex04")


def test_instructor_notebook_executes_and_passes_every_check():
    assert_instructor_run(rel.instructor_notebook(EXERCISE), KEYS, "ex04")
