"""Exercise set 3 (threat): the checks in kabulcase.checks.ex03 with correct, equivalent,
partial, wrong and malformed answers, against expectations worked out here from the CSV
files with the csv module; and the exercise notebook itself, released and run with a
real kernel. The set has no question 4: its base-rate task needed chapter 6's detection
model, which chapter 3 defers, and repeated exercise set 6's question 4."""

from __future__ import annotations

from collections import defaultdict

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

EXERCISE = EXERCISES / "ex03-threat.md"
KEYS = ["ex03.q1", "ex03.q2a", "ex03.q2b", "ex03.q2c", "ex03.q3"]
WRITTEN = ["ex03.q5"]
LABELS = ["ex03-q1", "ex03-q2", "ex03-q3", "ex03-q5"]


# --------------------------------------------------------------------------- independent expectations

STRENGTH = csv_rows("iskp_strength")


def unit_table(selection):
    out = {}
    for unit in sorted({r["unit"] for r in selection}):
        these = [r for r in selection if r["unit"] == unit]
        out[unit] = {"n_estimates": len(these), "low": min(float(r["low"]) for r in these),
                     "high": max(float(r["high"]) for r in these)}
    return out


BY_UNIT = unit_table(STRENGTH)

ATTACKS = csv_rows("kabul_attacks")
TOTAL = (sum(float(r["deaths_low"]) for r in ATTACKS), sum(float(r["deaths_high"]) for r in ATTACKS))


def rank_bounds(column, deadliest_first=True):
    """attack -> (best, worst) possible rank when ties are broken either way."""
    out = {}
    for r in ATTACKS:
        v = float(r[column])
        others = [float(o[column]) for o in ATTACKS]
        ahead = sum((o > v) if deadliest_first else (o < v) for o in others)
        tied = sum(o == v for o in others)
        out[r["attack_id"]] = (ahead + 1, ahead + tied)
    return out


RANK_LOW, RANK_HIGH = rank_bounds("deaths_low"), rank_bounds("deaths_high")


def some_ranks(bounds):
    return {a: lo for a, (lo, hi) in bounds.items()}


SECOND = {k: [a for a, (lo, hi) in b.items() if lo <= 2 <= hi]
          for k, b in (("low", RANK_LOW), ("high", RANK_HIGH))}

COUNTS = csv_rows("attack_counts")
by_series = defaultdict(list)
for r in sorted(COUNTS, key=lambda r: r["period_start"]):
    by_series[r["series"]].append(float(r["value"]))
CHANGES = {s: v[-1] - v[0] for s, v in by_series.items() if len(v) >= 2}
PCT_CHANGES = {s: 100 * (v[-1] - v[0]) / v[0] for s, v in by_series.items() if len(v) >= 2}
SINGLE = sorted(s for s, v in by_series.items() if len(v) == 1)

def frame(table, index_name):
    df = pd.DataFrame(table).T
    df.index.name = index_name
    return df


def test_independent_expectations_are_what_the_checks_expect():
    got = checks.expected("ex03.q1")
    assert {u: {c: float(v) for c, v in row.items()} for u, row in BY_UNIT.items()} == got
    assert checks.expected("ex03.q2a") == TOTAL
    ranks = checks.expected("ex03.q2b")
    norm = lambda a: a.replace("-", "_")  # noqa: E731  the checks compare labels normalised
    assert ranks["rank_low"] == {norm(a): tuple(map(float, b)) for a, b in RANK_LOW.items()}
    assert ranks["rank_high"] == {norm(a): tuple(map(float, b)) for a, b in RANK_HIGH.items()}
    second = checks.expected("ex03.q2c")
    assert second == {k: {norm(a) for a in v} for k, v in SECOND.items()}
    assert checks.expected("ex03.q3") == CHANGES
    # The data are what the exercise assumes: three units, a unique second-deadliest attack
    # under each toll and a different one under each, series with one period and with more.
    assert len(BY_UNIT) == 3 and "fighters_and_family" in BY_UNIT
    assert len(SECOND["low"]) == len(SECOND["high"]) == 1 and SECOND["low"] != SECOND["high"]
    assert CHANGES and SINGLE


# --------------------------------------------------------------------------- q1

def _good_unit_ranges(strength):
    return strength.groupby("unit").agg(n_estimates=("low", "size"), low=("low", "min"),
                                        high=("high", "max"))


def strength_df():
    from kabulcase import load
    return load("iskp_strength")


def test_q1_accepts_equivalent_tables():
    good = _good_unit_ranges(strength_df())
    for answer in (good, good.reset_index(), good.sample(frac=1, random_state=1), good.T,
                   frame(BY_UNIT, "unit"), BY_UNIT, good.astype(float)):
        r = quiet("ex03.q1", answer)
        assert (r.passed, r.score) == (True, 2), r.message


def test_q1_merged_units_are_named_as_the_mistake():
    merged = {"all": {"n_estimates": len(STRENGTH), "low": min(float(r["low"]) for r in STRENGTH),
                      "high": max(float(r["high"]) for r in STRENGTH)}}
    r = quiet("ex03.q1", frame(merged, "unit"))
    assert r.score == 0 and "merges every unit" in r.message
    folded = unit_table([dict(r, unit="fighters" if r["unit"] == "fighters_and_family" else r["unit"])
                         for r in STRENGTH])
    r = quiet("ex03.q1", frame(folded, "unit"))
    assert r.score == 0 and "fighters *and family members*" in r.message


def test_q1_partial_answers():
    wrong_n = {u: dict(v) for u, v in BY_UNIT.items()}
    wrong_n["members"]["n_estimates"] += 1
    r = quiet("ex03.q1", frame(wrong_n, "unit"))
    assert r.score == 1 and "numbers of estimates are off" in r.message
    wrong_range = {u: dict(v) for u, v in BY_UNIT.items()}
    wrong_range["fighters"]["high"] = wrong_range["fighters"]["low"]
    r = quiet("ex03.q1", frame(wrong_range, "unit"))
    assert r.score == 1 and "ranges are off" in r.message
    r = quiet("ex03.q1", frame({u: v for u, v in BY_UNIT.items() if u != "members"}, "unit"))
    assert r.score == 0 and "1 unit(s)" in r.message


@pytest.mark.parametrize("answer, words", [
    (None, "not answered yet"), (..., "not answered yet"), ([1, 2], "should be a table"),
    (pd.DataFrame({"low": [1], "high": [2]}, index=["fighters"]), "no column 'n_estimates'"),
    (pd.DataFrame({"n_estimates": [1], "low": [1], "high": [2]}), "no labels"),
    (pd.DataFrame({"n_estimates": [1, 1], "low": [1, 1], "high": [2, 2]}, index=["a", "b"]),
     "not units in the data"),
])
def test_q1_malformed(answer, words):
    r = quiet("ex03.q1", answer)
    assert r.score == 0 and words in r.message, r.message


def test_q1_hidden_check_tries_other_selections():
    [passed] = checks.assert_hidden("ex03.q1", {"unit_ranges": _good_unit_ranges})
    assert passed.score == 1 and passed.hidden
    whole = _good_unit_ranges(strength_df())
    hard_coded = lambda strength: whole  # noqa: E731  right on the whole table only
    with pytest.raises(AssertionError):
        checks.assert_hidden("ex03.q1", {"unit_ranges": hard_coded})
    q1 = graded_row("ex03", {"by_unit": whole, "unit_ranges": hard_coded}, "ex03.q1")
    assert (q1["score"], q1["max_score"]) == (2, 3)


@pytest.mark.parametrize("fn, words", [
    (lambda s: 1 / 0, "raised ZeroDivisionError"), (lambda s: None, "returns nothing yet"),
    (lambda s: 3, "should be a table"), ("unit", "should be a function"), (None, "not answered yet"),
])
def test_q1_hidden_check_never_raises_on_bad_functions(fn, words):
    r = hidden_result("ex03.q1", "unit_ranges", fn)
    assert r.score == 0 and words in r.message, r.message


def test_q1_hidden_check_stops_an_endless_loop(monkeypatch):
    r = endless_loop_result(monkeypatch, "ex03.q1", "unit_ranges")
    assert r.score == 0 and "did not finish within 1 seconds" in r.message


# --------------------------------------------------------------------------- q2a

def test_q2a_accepts_pairs_and_diagnoses():
    lo, hi = TOTAL
    for answer in ((lo, hi), [hi, lo], {"low": lo, "high": hi}, (np.int64(lo), np.int64(hi)),
                   pd.Series([lo, hi])):
        r = quiet("ex03.q2a", answer)
        assert (r.passed, r.score) == (True, 1), r.message
    mid = sum((float(r["deaths_low"]) + float(r["deaths_high"])) / 2 for r in ATTACKS)
    r = quiet("ex03.q2a", (lo, mid))
    assert r.score == 0 and "midpoints" in r.message
    one = (min(float(r["deaths_low"]) for r in ATTACKS), max(float(r["deaths_high"]) for r in ATTACKS))
    r = quiet("ex03.q2a", one)
    assert r.score == 0 and "single attack" in r.message


@pytest.mark.parametrize("answer, words", [
    (None, "not answered yet"), (..., "not answered yet"), (250, "single number"),
    ((1, 2, 3), "holds 3"), ("234-290", "should be two numbers"),
])
def test_q2a_malformed(answer, words):
    r = quiet("ex03.q2a", answer)
    assert r.score == 0 and words in r.message, r.message


# --------------------------------------------------------------------------- q2b

def ranks_frame(low=None, high=None):
    low = some_ranks(RANK_LOW) if low is None else low
    high = some_ranks(RANK_HIGH) if high is None else high
    df = pd.DataFrame({"rank_low": low, "rank_high": high})
    df.index.name = "attack_id"
    return df


def test_q2b_accepts_any_tie_breaking_and_any_form():
    from kabulcase import load
    attacks = load("kabul_attacks")
    for method in ("min", "max", "first", "average", "dense"):
        ranks = pd.DataFrame({"rank_low": attacks["deaths_low"].rank(ascending=False, method=method),
                              "rank_high": attacks["deaths_high"].rank(ascending=False, method=method)})
        answer = ranks.set_index(attacks["attack_id"])
        r = quiet("ex03.q2b", answer)
        assert (r.passed, r.score) == (True, 2), (method, r.message)
    with_ranks = attacks.assign(rank_low=attacks["deaths_low"].rank(ascending=False, method="min"),
                                rank_high=attacks["deaths_high"].rank(ascending=False, method="min"))
    for answer in (with_ranks, with_ranks.sample(frac=1, random_state=5), ranks_frame().T,
                   ranks_frame().astype(int), ranks_frame().reset_index()):
        r = quiet("ex03.q2b", answer)
        assert (r.passed, r.score) == (True, 2), r.message


def test_q2b_partial_and_wrong():
    upside = {a: lo for a, (lo, hi) in rank_bounds("deaths_low", deadliest_first=False).items()}
    r = quiet("ex03.q2b", ranks_frame(low=upside))
    assert r.score == 1 and "`rank_high` is right" in r.message and "fewest deaths up" in r.message
    by_date = {row["attack_id"]: i + 1 for i, row in enumerate(ATTACKS)}
    r = quiet("ex03.q2b", ranks_frame(low=by_date, high=by_date))
    assert r.score == 0 and "does not follow `deaths_low`" in r.message


@pytest.mark.parametrize("answer, words", [
    (None, "not answered yet"), (..., "not answered yet"), ([1, 2, 3], "should be a table"),
    (pd.DataFrame({"rank_low": [1.0]}, index=["kbl-2021-08-26"]), "no column 'rank_high'"),
    (pd.DataFrame({"rank_low": [1.0], "rank_high": [1.0]}, index=["kbl-2021-08-26"]), "have no rank"),
    (pd.DataFrame({"rank_low": [1.0], "rank_high": [1.0]}, index=["airport"]), "not attack ids"),
])
def test_q2b_malformed(answer, words):
    r = quiet("ex03.q2b", answer)
    assert r.score == 0 and words in r.message, r.message


# --------------------------------------------------------------------------- q2c

def test_q2c_right_in_every_form():
    [lo], [hi] = SECOND["low"], SECOND["high"]
    for answer in ({"low": lo, "high": hi}, (lo, hi), [lo, hi], pd.Series([lo, hi]),
                   {"deaths_low": lo, "deaths_high": hi}, {"LOW": lo.upper(), "high": hi}):
        r = quiet("ex03.q2c", answer)
        assert (r.passed, r.score) == (True, 1), r.message


def test_q2c_wrong_and_partial():
    [lo], [hi] = SECOND["low"], SECOND["high"]
    r = quiet("ex03.q2c", {"low": hi, "high": lo})
    assert r.score == 0 and "wrong way round" in r.message
    first = max(ATTACKS, key=lambda r: float(r["deaths_low"]))["attack_id"]
    r = quiet("ex03.q2c", {"low": lo, "high": first})
    assert r.score == 0.5 and "low one is right" in r.message and "deadliest attack (rank 1)" in r.message


@pytest.mark.parametrize("answer, words", [
    (None, "not answered yet"), (..., "not answered yet"), ("kbl-2021-11-02", "two attack ids"),
    ({"a": "x"}, "keys 'low' and 'high'"), ((1, 2), "should hold attack ids"),
    (("hospital", "airport"), "Not attack ids"),
])
def test_q2c_malformed(answer, words):
    r = quiet("ex03.q2c", answer)
    assert r.score == 0 and words in r.message, r.message


# --------------------------------------------------------------------------- q3

def test_q3_accepts_series_dict_and_table():
    s = pd.Series(CHANGES)
    for answer in (s, dict(CHANGES), s.sample(frac=1, random_state=2),
                   s.rename_axis("series").reset_index(name="change"), list(CHANGES.items()),
                   s.astype("Int64")):
        r = quiet("ex03.q3", answer)
        assert (r.passed, r.score) == (True, 2), r.message


def test_q3_partial_and_wrong():
    r = quiet("ex03.q3", PCT_CHANGES)
    assert r.score == 1 and "percentage changes" in r.message
    r = quiet("ex03.q3", {k: -v for k, v in CHANGES.items()})
    assert r.score == 0 and "wrong sign" in r.message
    with_zeros = dict(CHANGES, **{s: 0.0 for s in SINGLE})
    r = quiet("ex03.q3", with_zeros)
    assert r.score == 1 and "Leave out series with only one period" in r.message
    r = quiet("ex03.q3", {"claimed_attacks_2020_2023": 1.0})
    assert r.score == 0 and "not series in the data" in r.message and "never between two" in r.message
    one = dict(list(CHANGES.items())[:1])
    r = quiet("ex03.q3", one)
    assert r.score == 0 and "are missing" in r.message


@pytest.mark.parametrize("answer, words", [
    (None, "not answered yet"), (..., "not answered yet"), ([283, -332], "without labels"),
    (pd.Series({"meir_amit_claimed": 1.0, "afghan_witness_claimed": float("nan")}), "only one period"),
    ({"meir_amit_claimed": float("nan")}, "only one period"), (5, "should be one count per series"),
])
def test_q3_malformed(answer, words):
    r = quiet("ex03.q3", answer)
    assert r.score == 0 and words in r.message, r.message


# --------------------------------------------------------------------------- every check, odd input

@pytest.mark.parametrize("key", KEYS)
@pytest.mark.parametrize("answer", odd_answers(), ids=type_name)
def test_no_check_ever_raises(key, answer):
    assert_check_survives(key, answer)


def test_every_question_has_an_objective_and_time_and_the_keys_are_in_order():
    assert_questions("ex03", KEYS + WRITTEN, r"T[1-6]")


# --------------------------------------------------------------------------- written answers

def test_the_model_answers_meet_their_own_objective_checks():
    models = assert_model_answers_pass(EXERCISE, {"ex03-q5": "ex03.q5"})
    assert {"c10", "c11"} <= set(written("ex03.q5", models["ex03-q5"]).details["claim_ids"])


@pytest.mark.parametrize("key", WRITTEN)
def test_self_check_placeholder(key):
    assert_placeholder_not_answered(key)


def test_self_check_missing_claim_id():
    text = ("Cameras help investigators after attacks: footage was useful in 29% of railway "
            "crimes (ashby-2017). ") * 12
    r = written("ex03.q5", text)
    assert not r.passed and "[ ] Names a claim id" in r.message


def test_grade_namespace_scores_the_set():
    from kabulcase import load
    attacks = load("kabul_attacks")
    ranks = pd.DataFrame({"rank_low": attacks["deaths_low"].rank(ascending=False, method="min"),
                          "rank_high": attacks["deaths_high"].rank(ascending=False, method="min")}
                         ).set_index(attacks["attack_id"])
    [lo], [hi] = SECOND["low"], SECOND["high"]
    ns = {"by_unit": frame(BY_UNIT, "unit"), "unit_ranges": _good_unit_ranges, "total_range": TOTAL,
          "ranks": ranks, "second_deadliest": {"low": lo, "high": hi}, "changes": CHANGES}
    assert_full_marks("ex03", ns, 9, WRITTEN)


def test_expected_values_follow_the_data(tmp_path):
    """Change a toll, and the checks change with it."""
    copy = copy_of_data(tmp_path)
    edit_csv(copy, "kabul_attacks", {"target_type": "hotel"}, {"deaths_high": "500"})
    out = printed_with_data(copy, "from kabulcase.checks import expected\n"
                                  "print(expected('ex03.q2a')[1])\n")
    assert float(out[0]) != TOTAL[1]


def test_the_set_needs_no_later_chapter():
    """The base-rate task left with chapter 6's model: no check, expected value, rubric or
    notebook cell of set 3 uses the detection model."""
    assert not [q.key for q in checks.questions("ex03") if q.key.startswith("ex03.q4")]
    with pytest.raises(KeyError):
        checks.expected("ex03.q4a")
    text = EXERCISE.read_text(encoding="utf-8")
    for needle in ("kabulcase.models", "detection_model", 'check("ex03.q4'):
        assert needle not in text, needle


def test_the_exercise_types_no_number_from_data():
    offending = numbers_typed_from_data(EXERCISE)
    assert not offending, offending


# --------------------------------------------------------------------------- the notebook, released and run

def test_the_source_is_marked_up_as_the_machinery_expects():
    text = assert_marked_up(EXERCISE, "T", LABELS, KEYS, WRITTEN)
    assert "Content note" in text


released = released_fixture(EXERCISE)


def test_student_copy_leaks_no_solution(released):
    nb = read_copy(released, "student", EXERCISE)
    text = "\n".join(c.source for c in nb.cells)
    for needle in ("{solution}", "hidden-check", "assert_hidden", "glue(", "Solution to exercise",
                   'groupby("unit").agg', 'rank(ascending=False, method="min")',
                   "per_series.last() - per_series.first()", "Claims c10 and c11 are the view"):
        assert needle not in text, needle
    assert_stubs(nb, 5)
    assert "def unit_ranges(strength):" in text
    assert nb.metadata["kabulcase"]["exercise"] == "ex03"


def test_instructor_notebook_executes_and_passes_every_check(released):
    assert_instructor_run(read_copy(released, "instructor", EXERCISE), KEYS, "ex03")


def test_student_notebook_runs_top_to_bottom_without_error(released):
    assert_student_run(read_copy(released, "student", EXERCISE), KEYS + WRITTEN, "ex03")
