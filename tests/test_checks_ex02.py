"""Exercise set 2 (power): the checks in kabulcase.checks.ex02 with correct, equivalent,
partial, wrong and malformed answers, against expectations worked out here from the CSV
files with the csv module; and the exercise notebook itself, released and run with a real
kernel (instructor copy passes every check, student copy runs and says "not answered yet")."""

from __future__ import annotations

import math
import statistics

import numpy as np
import pandas as pd
import pytest

from kabulcase import checks

from support import (EXERCISES, assert_check_survives, assert_full_marks, assert_instructor_run,
                     assert_marked_up, assert_model_answers_pass, assert_placeholder_not_answered,
                     assert_questions, assert_student_run, assert_stubs, copy_of_data, csv_rows,
                     edit_csv, endless_loop_result, graded_row, hidden_result,
                     numbers_typed_from_data, odd_answers, printed_with_data, quiet, read_copy,
                     released_fixture, type_name, written)

EXERCISE = EXERCISES / "ex02-power.md"
KEYS = ["ex02.q1a", "ex02.q1b", "ex02.q2a", "ex02.q2b", "ex02.q3a", "ex02.q3b", "ex02.q3c"]
WRITTEN = ["ex02.q3d", "ex02.q4"]


def num(x):
    return float(x) if x != "" else None


# --------------------------------------------------------------------------- independent expectations

ACCESS = csv_rows("electricity_access")


def access_value(series, year, geography="Afghanistan"):
    [r] = [r for r in ACCESS if r["series"] == series and r["year"] == str(year)
           and r["geography"] == geography]
    return float(r["value"])


GAP_2023 = access_value("wdi_2025_vintage", 2023) - access_value("dabs_2023", 2023)


def gap_range(year, use_ranges=True, national=True):
    like = [r for r in ACCESS if r["year"] == str(year) and r["basis"] == "population"
            and (r["geography"] == "Afghanistan" or not national)]
    ends = []
    for r in like:
        v = float(r["value"])
        lo = num(r["low"]) if use_ranges and r["low"] else v
        hi = num(r["high"]) if use_ranges and r["high"] else v
        ends.append((r["definition"], lo, hi))
    anys = [(lo, hi) for d, lo, hi in ends if d == "any_source"]
    grid = [(lo, hi) for d, lo, hi in ends if d == "grid_connected"]
    return (min(a for a, _ in anys) - max(h for _, h in grid),
            max(h for _, h in anys) - min(a for a, _ in grid))


GAP_2017 = gap_range(2017)
MIDPOINT_GAP_2017 = gap_range(2017, use_ranges=False)

SUPPLY = csv_rows("kabul_supply_hours")
MIDS = [(float(r["hours_low"]) + float(r["hours_high"])) / 2 for r in SUPPLY]
TYPES = sorted({r["report_type"] for r in SUPPLY})
HOURS_BY_TYPE = {
    t: {"n_reports": sum(r["report_type"] == t for r in SUPPLY),
        "median": statistics.median(m for m, r in zip(MIDS, SUPPLY) if r["report_type"] == t),
        "low": min(float(r["hours_low"]) for r in SUPPLY if r["report_type"] == t),
        "high": max(float(r["hours_high"]) for r in SUPPLY if r["report_type"] == t)}
    for t in TYPES}
NO_TARGET = statistics.median(m for m, r in zip(MIDS, SUPPLY) if r["report_type"] != "official_statement")
TYPICAL = {"low": min(float(r["hours_low"]) for r in SUPPLY), "median": statistics.median(MIDS),
           "high": max(float(r["hours_high"]) for r in SUPPLY)}

DAY, TARGET = 24.0, 0.9
REGISTRY = {r["name"]: r for r in csv_rows("model_assumptions") if r["model"] == "power"}


def a(name, end):
    return float(REGISTRY[name][end])


def battery(supply, target=TARGET):
    return max(0.0, target * DAY - supply)


def cost(hours, case):
    watts = {"low": a("watts_per_camera", "low"), "central": a("watts_per_camera", "default"),
             "high": a("watts_per_camera", "high")}[case]
    price = {"low": a("usd_per_kwh_storage", "low"), "central": a("usd_per_kwh_storage", "default"),
             "high": a("usd_per_kwh_storage", "high")}[case]
    dod = {"low": a("depth_of_discharge", "high"), "central": a("depth_of_discharge", "default"),
           "high": a("depth_of_discharge", "low")}[case]
    return watts * hours / 1000 / dod * price


BATTERY_MEDIAN = battery(TYPICAL["median"])
COSTS = {s: {c: cost(battery(TYPICAL[s]), c) for c in ("low", "central", "high")}
         for s in ("low", "median", "high")}
WORST = min(DAY, TYPICAL["low"] + BATTERY_MEDIAN) / DAY
[N_CAMS] = [float(r["cameras"]) for r in csv_rows("camera_counts")
            if r["city"] == "Kabul and other cities" and r["date"] == "2023-08"]


def cost_frame(values=COSTS):
    df = pd.DataFrame(values).T[["low", "central", "high"]]
    df.index.name = "supply"
    return df


def hours_frame(values=HOURS_BY_TYPE):
    df = pd.DataFrame(values).T
    df.index.name = "report_type"
    return df


def test_independent_expectations_are_what_the_checks_expect():
    assert math.isclose(checks.expected("ex02.q1a"), GAP_2023)
    assert all(math.isclose(x, y) for x, y in zip(checks.expected("ex02.q1b"), GAP_2017))
    got = checks.expected("ex02.q2a")
    assert set(got) == set(HOURS_BY_TYPE)
    for t in TYPES:
        for col, v in HOURS_BY_TYPE[t].items():
            assert math.isclose(got[t][col], v), (t, col)
    assert math.isclose(checks.expected("ex02.q2b"), NO_TARGET)
    assert math.isclose(checks.expected("ex02.q3a"), BATTERY_MEDIAN)
    table = checks.expected("ex02.q3b")
    assert all(math.isclose(table[s][c], COSTS[s][c]) for s in COSTS for c in COSTS[s])
    assert math.isclose(checks.expected("ex02.q3c"), WORST)
    # The data behind the exercise are what it assumes: a published range among the 2017
    # grid figures (so midpoints and ranges differ), an official target among the supply
    # reports, and a worst day below the target.
    assert MIDPOINT_GAP_2017[0] != GAP_2017[0]
    assert "official_statement" in TYPES and NO_TARGET != TYPICAL["median"]
    assert WORST < TARGET


def test_the_notebook_uses_the_model_the_checks_use():
    from kabulcase.models import power
    assert math.isclose(power.recording_share(TYPICAL["median"], BATTERY_MEDIAN), TARGET)
    rng = power.backup_cost_range(1, BATTERY_MEDIAN)
    assert all(math.isclose(rng[c], COSTS["median"][c]) for c in rng)


# --------------------------------------------------------------------------- q1a

def test_q1a_accepts_equivalent_forms():
    for answer in (GAP_2023, round(GAP_2023, 1), np.float64(GAP_2023), pd.Series([GAP_2023]),
                   [GAP_2023], np.array([GAP_2023])):
        r = quiet("ex02.q1a", answer)
        assert (r.passed, r.score) == (True, 1), r.message


def test_q1a_diagnoses_common_mistakes():
    any_2023, dabs = access_value("wdi_2025_vintage", 2023), access_value("dabs_2023", 2023)
    r = quiet("ex02.q1a", -GAP_2023)
    assert r.score == 0 and "backwards" in r.message
    r = quiet("ex02.q1a", any_2023 / dabs)
    assert r.score == 0 and "ratio" in r.message
    wdi_max = max(float(r["value"]) for r in ACCESS if r["definition"] == "any_source")
    r = quiet("ex02.q1a", wdi_max - dabs)
    assert r.score == 0 and "highest World Bank value" in r.message
    r = quiet("ex02.q1a", 1.0)
    assert r.score == 0 and "does not match" in r.message and "Hint:" in r.message
    assert f"{GAP_2023:.1f}" not in r.message  # a wrong answer never shows the right one


@pytest.mark.parametrize("answer, words", [
    (None, "not answered yet"), (..., "not answered yet"), ("45", "it is text"),
    (True, "True/False"), (float("nan"), "NaN"), ([1.0, 2.0], "one number"),
    (pd.Series([], dtype=float), "one number"), ({"a": 1}, "should be a number"),
])
def test_q1a_malformed(answer, words):
    r = quiet("ex02.q1a", answer)
    assert r.score == 0 and words in r.message, r.message


# --------------------------------------------------------------------------- q1b

def test_q1b_accepts_pairs_in_any_form_and_order():
    lo, hi = GAP_2017
    for answer in ((lo, hi), [hi, lo], pd.Series([lo, hi]), np.array([lo, hi]),
                   {"low": lo, "high": hi}, {"min": lo, "max": hi}, (round(lo, 1), round(hi, 1)),
                   (np.float64(lo), np.float64(hi))):
        r = quiet("ex02.q1b", answer)
        assert (r.passed, r.score) == (True, 2), r.message


def test_q1b_partial_and_wrong_answers():
    r = quiet("ex02.q1b", MIDPOINT_GAP_2017)
    assert r.score == 1 and "midpoint" in r.message and "derived" in r.message
    rural = gap_range(2017, national=False)
    r = quiet("ex02.q1b", (GAP_2017[0], rural[1]))
    assert r.score == 1 and "rural" in r.message
    r = quiet("ex02.q1b", (-GAP_2017[1], -GAP_2017[0]))
    assert r.score == 0 and "negative" in r.message
    r = quiet("ex02.q1b", (GAP_2017[0], 1000.0))
    assert r.score == 1 and "smallest gap is right" in r.message


@pytest.mark.parametrize("answer, words", [
    (None, "not answered yet"), (..., "not answered yet"), ((..., ...), "not answered yet"),
    (60.0, "single number"), ((1, 2, 3), "holds 3"), ("64 to 72", "should be two numbers"),
    ((float("nan"), 1.0), "NaN"), ({"a": 1}, "keys 'low' and 'high'"),
    (pd.DataFrame({"x": [1, 2]}), "is a table"),
])
def test_q1b_malformed(answer, words):
    r = quiet("ex02.q1b", answer)
    assert r.score == 0 and words in r.message, r.message


def _good_gap_range(access, year):
    like = access[(access["year"] == year) & (access["geography"] == "Afghanistan")
                  & (access["basis"] == "population")]
    lo, hi = like["low"].fillna(like["value"]), like["high"].fillna(like["value"])
    anys, grid = like["definition"] == "any_source", like["definition"] == "grid_connected"
    return lo[anys].min() - hi[grid].max(), hi[anys].max() - lo[grid].min()


def test_q1b_hidden_check_tries_other_years():
    [passed] = checks.assert_hidden("ex02.q1b", {"gap_range": _good_gap_range})
    assert passed.score == 1 and passed.hidden
    hard_coded = lambda access, year: GAP_2017  # noqa: E731  right once, wrong elsewhere
    with pytest.raises(AssertionError, match=r"not the smallest and largest\s+gap"):
        checks.assert_hidden("ex02.q1b", {"gap_range": hard_coded})
    q1b = graded_row("ex02", {"gap_2017": GAP_2017, "gap_range": hard_coded}, "ex02.q1b")
    assert (q1b["score"], q1b["max_score"]) == (2, 3)  # public 2 of 2, hidden 0 of 1


@pytest.mark.parametrize("fn, words", [
    (lambda a, y: 1 / 0, "raised ZeroDivisionError"),
    (lambda a, y: None, "returns nothing yet"),
    (lambda a, y: "wide", "should be two numbers"),
    (42, "should be a function"),
    (None, "not answered yet"),
])
def test_q1b_hidden_check_never_raises_on_bad_functions(fn, words):
    r = hidden_result("ex02.q1b", "gap_range", fn)
    assert r.score == 0 and words in r.message, r.message


@pytest.mark.parametrize("key, name", [("ex02.q1b", "gap_range"), ("ex02.q3a", "battery_needed")])
def test_hidden_checks_stop_an_endless_loop(monkeypatch, key, name):
    r = endless_loop_result(monkeypatch, key, name)
    assert r.score == 0 and "did not finish within 1 seconds" in r.message


# --------------------------------------------------------------------------- q2a

def test_q2a_accepts_equivalent_tables():
    from kabulcase import load
    supply = load("kabul_supply_hours")
    hours = supply.assign(midpoint=(supply["hours_low"] + supply["hours_high"]) / 2)
    grouped = hours.groupby("report_type").agg(
        n_reports=("midpoint", "size"), median=("midpoint", "median"),
        low=("hours_low", "min"), high=("hours_high", "max"))
    without_n = grouped.drop(columns="n_reports")
    for answer in (grouped, grouped.reset_index(), grouped.sample(frac=1, random_state=1),
                   grouped.T, without_n, hours_frame(), HOURS_BY_TYPE,
                   grouped.rename(columns=str.upper)):
        r = quiet("ex02.q2a", answer)
        assert (r.passed, r.score) == (True, 2), r.message


def test_q2a_partial_answers_name_the_mistake():
    bad = {t: dict(v) for t, v in HOURS_BY_TYPE.items()}
    lows = {t: statistics.median(float(r["hours_low"]) for r in SUPPLY if r["report_type"] == t)
            for t in TYPES}
    for t in TYPES:
        bad[t]["median"] = lows[t]
    r = quiet("ex02.q2a", hours_frame(bad))
    assert r.score == 1 and "medians of `hours_low`" in r.message and "lowest and highest hours are right" in r.message
    means = {t: dict(v, median=statistics.mean(m for m, r in zip(MIDS, SUPPLY) if r["report_type"] == t))
             for t, v in HOURS_BY_TYPE.items()}
    r = quiet("ex02.q2a", hours_frame(means))
    assert r.score == 1 and "look like means" in r.message
    of_mids = {t: dict(v, low=min(m for m, r in zip(MIDS, SUPPLY) if r["report_type"] == t),
                       high=max(m for m, r in zip(MIDS, SUPPLY) if r["report_type"] == t))
               for t, v in HOURS_BY_TYPE.items()}
    r = quiet("ex02.q2a", hours_frame(of_mids))
    assert r.score == 1 and "smallest and largest midpoints" in r.message and "medians are right" in r.message
    r = quiet("ex02.q2a", hours_frame({t: v for t, v in HOURS_BY_TYPE.items() if t != "news_summary"}))
    assert r.score == 0 and "1 report type(s) are missing" in r.message
    wrong_n = {t: dict(v, n_reports=v["n_reports"] + 1) for t, v in HOURS_BY_TYPE.items()}
    r = quiet("ex02.q2a", hours_frame(wrong_n))
    assert r.score == 1 and "numbers of reports are off" in r.message


@pytest.mark.parametrize("answer, words", [
    (None, "not answered yet"), (..., "not answered yet"),
    (pd.Series([1.0, 2.0]), "single column"), ([1, 2, 3], "should be a table"),
    (pd.DataFrame({"median": [1.0], "low": [0.0]}), "no column 'high'"),
    (pd.DataFrame({"median": [1.0], "low": [0.0], "high": [2.0]}), "no labels"),
    (pd.DataFrame({"median": [1.0, 2.0], "low": [0.0, 0.0], "high": [2.0, 3.0]},
                  index=["resident_report", "resident_report"]), "more than one row"),
    (pd.DataFrame({"median": [float("nan")], "low": [0.0], "high": [2.0]}, index=["resident_report"]),
     "NaN"),
    (pd.DataFrame({"median": [1.0], "low": [0.0], "high": [2.0]}, index=["winter"]),
     "not report types"),
    ({"resident_report": 2.0}, "one dict per row"),
])
def test_q2a_malformed(answer, words):
    r = quiet("ex02.q2a", answer)
    assert r.score == 0 and words in r.message, r.message


# --------------------------------------------------------------------------- q2b

def test_q2b_right_and_diagnosed():
    for answer in (NO_TARGET, np.float64(NO_TARGET), pd.Series([NO_TARGET])):
        assert quiet("ex02.q2b", answer).score == 1
    r = quiet("ex02.q2b", TYPICAL["median"])
    assert r.score == 0 and "official target included" in r.message
    not_target = [m for m, r in zip(MIDS, SUPPLY) if r["report_type"] != "official_statement"]
    r = quiet("ex02.q2b", statistics.mean(not_target))
    assert r.score == 0 and "mean" in r.message
    r = quiet("ex02.q2b", HOURS_BY_TYPE["resident_report"]["median"])
    assert r.score == 0 and "news summaries" in r.message


# --------------------------------------------------------------------------- q3a

def test_q3a_right_and_diagnosed():
    for answer in (BATTERY_MEDIAN, round(BATTERY_MEDIAN, 2), [BATTERY_MEDIAN]):
        r = quiet("ex02.q3a", answer)
        assert r.score == 1 and "0.90" in r.message, r.message
    r = quiet("ex02.q3a", DAY - TYPICAL["median"])
    assert r.score == 0 and "whole day" in r.message
    r = quiet("ex02.q3a", TARGET * DAY)
    assert r.score == 0 and "grid already supplies" in r.message
    r = quiet("ex02.q3a", TARGET * (DAY - TYPICAL["median"]))
    assert r.score == 0 and "nine-tenths of the outage" in r.message


def _good_battery(supply_hours, target=TARGET):
    return max(0.0, target * 24 - supply_hours)


def test_q3a_hidden_check_needs_both_arguments_and_no_negative_battery():
    [passed] = checks.assert_hidden("ex02.q3a", {"battery_needed": _good_battery})
    assert passed.score == 1
    negative = lambda s, t=TARGET: t * 24 - s  # noqa: E731  forgets that a battery is never negative
    with pytest.raises(AssertionError, match=r"cannot\s+bridge a\s+negative"):
        checks.assert_hidden("ex02.q3a", {"battery_needed": negative})
    fixed_target = lambda s, t=TARGET: max(0.0, TARGET * 24 - s)  # noqa: E731  ignores target
    r = hidden_result("ex02.q3a", "battery_needed", fixed_target)
    assert r.score == 0 and "other inputs are right" in r.message


# --------------------------------------------------------------------------- q3b

def test_q3b_accepts_equivalent_tables():
    df = cost_frame()
    for answer in (df, df.T, df.sample(frac=1, random_state=2), df.reset_index(), COSTS,
                   df.round(2), df[["high", "low", "central"]]):
        r = quiet("ex02.q3b", answer)
        assert (r.passed, r.score) == (True, 2), r.message


def test_q3b_partial_answers():
    network = {s: {c: v * N_CAMS for c, v in row.items()} for s, row in COSTS.items()}
    r = quiet("ex02.q3b", cost_frame(network))
    assert r.score == 1 and "per camera" in r.message
    swapped = {"low": COSTS["high"], "median": COSTS["median"], "high": COSTS["low"]}
    r = quiet("ex02.q3b", cost_frame(swapped))
    assert r.score == 1 and "least grid supply" in r.message
    whole = {s: {c: cost(DAY - TYPICAL[s], c) for c in ("low", "central", "high")} for s in COSTS}
    r = quiet("ex02.q3b", cost_frame(whole))
    assert r.score == 1 and "whole outage" in r.message
    one_off = {s: dict(row) for s, row in COSTS.items()}
    one_off["high"]["high"] *= 2
    r = quiet("ex02.q3b", cost_frame(one_off))
    assert r.score == 1 and "1 of the nine costs are off" in r.message


@pytest.mark.parametrize("answer, words", [
    (None, "not answered yet"), (..., "not answered yet"), (73.5, "should be a table"),
    (pd.DataFrame({"low": [1.0], "central": [2.0], "high": [3.0]}, index=["winter"]),
     "one row per supply case"),
    (pd.DataFrame({"low": [1.0], "mid": [2.0], "high": [3.0]}, index=["median"]), "no column 'central'"),
])
def test_q3b_malformed(answer, words):
    r = quiet("ex02.q3b", answer)
    assert r.score == 0 and words in r.message, r.message


# --------------------------------------------------------------------------- q3c

def test_q3c_right_and_diagnosed():
    assert quiet("ex02.q3c", WORST).score == 1
    r = quiet("ex02.q3c", 100 * WORST)
    assert r.score == 0.5 and "percentage" in r.message
    r = quiet("ex02.q3c", TARGET)
    assert r.score == 0 and "sized for" in r.message
    r = quiet("ex02.q3c", TYPICAL["low"] / DAY)
    assert r.score == 0 and "left out the battery" in r.message


# --------------------------------------------------------------------------- every check, odd input

@pytest.mark.parametrize("key", KEYS)
@pytest.mark.parametrize("answer", odd_answers(), ids=type_name)
def test_no_check_ever_raises(key, answer):
    assert_check_survives(key, answer)


def test_every_question_has_an_objective_and_time_and_the_keys_are_in_order():
    assert_questions("ex02", KEYS[:6] + ["ex02.q3c", "ex02.q3d", "ex02.q4"], r"P[1-6]")


# --------------------------------------------------------------------------- written answers

def test_the_model_answers_meet_their_own_objective_checks():
    assert_model_answers_pass(EXERCISE, {"ex02-q3": "ex02.q3d", "ex02-q4": "ex02.q4"})


@pytest.mark.parametrize("key", WRITTEN)
def test_self_check_placeholder(key):
    assert_placeholder_not_answered(key)


def test_self_check_bare_answer():
    r = written("ex02.q4", "Power is a problem in Kabul. " * 40)
    assert not r.passed and "[ ] Cites a number" in r.message and "[ ] Cites a source" in r.message


def test_grade_namespace_scores_the_set():
    ns = {"gap_2023": GAP_2023, "gap_2017": GAP_2017, "gap_range": _good_gap_range,
          "hours_by_type": hours_frame(), "median_without_target": NO_TARGET,
          "battery_median": BATTERY_MEDIAN, "battery_needed": _good_battery,
          "cost_table": cost_frame(), "worst_day_share": WORST}
    assert_full_marks("ex02", ns, 12, WRITTEN)


def test_expected_values_follow_the_data(tmp_path):
    """Change a supply report and the checks change with it: nothing is typed in them."""
    copy = copy_of_data(tmp_path)
    edit_csv(copy, "kabul_supply_hours", {"report_type": "resident_report"},
             {"hours_low": "10", "hours_high": "12"}, first_only=True)
    out = printed_with_data(copy, "from kabulcase.checks import expected\n"
                                  "print(expected('ex02.q2b'), expected('ex02.q3a'))\n")
    assert [float(x) for x in out] != [NO_TARGET, BATTERY_MEDIAN]


def test_the_exercise_types_no_number_from_data():
    offending = numbers_typed_from_data(EXERCISE)
    assert not offending, offending


# --------------------------------------------------------------------------- the notebook, released and run

def test_the_source_is_marked_up_as_the_machinery_expects():
    assert_marked_up(EXERCISE, "P", 4, KEYS, WRITTEN)


released = released_fixture(EXERCISE)


def test_student_copy_leaks_no_solution(released):
    nb = read_copy(released, "student", EXERCISE)
    text = "\n".join(c.source for c in nb.cells)
    for needle in ("{solution}", "hidden-check", "assert_hidden", "glue(", "Solution to exercise",
                   "max(0.0, target", "fillna(like", "backup_cost_range(1, battery_needed",
                   "recording_share(typical[\"low\"], battery_median)", "Neither figure answers"):
        assert needle not in text, needle
    assert_stubs(nb, 7)
    assert "def gap_range(access, year):" in text and "def battery_needed(" in text
    assert nb.metadata["kabulcase"]["exercise"] == "ex02"


def test_instructor_notebook_executes_and_passes_every_check(released):
    assert_instructor_run(read_copy(released, "instructor", EXERCISE), KEYS, "ex02")


def test_student_notebook_runs_top_to_bottom_without_error(released):
    assert_student_run(read_copy(released, "student", EXERCISE), KEYS + WRITTEN, "ex02")
