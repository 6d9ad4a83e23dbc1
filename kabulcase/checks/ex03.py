"""Exercise set 3 (threat): expected answers, checks and rubrics.

Expected values are computed from data/; nothing is typed. The set uses no model: the
detection model and its base-rate task are taught in chapter 6 and practised in set 6, so
that no question here needs a chapter the learner has not read.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..data import load
from .core import (RUBRICS, Rubric, _Answer, _as_mapping, _describe, _expects, _hidden,
                   _is_missing_value, _norm_label, _question, expected)
from .ex02 import _as_pair, _as_table, _close, _try_function

# --------------------------------------------------------------------------- ex03 expected values

STRENGTH_COLUMNS = ("n_estimates", "low", "high")


def unit_ranges_from(strength: pd.DataFrame) -> dict[str, dict[str, float]]:
    """unit -> number of estimates, lowest low and highest high (never across units)."""
    out = {}
    for unit, g in strength.groupby("unit"):
        out[str(unit)] = {"n_estimates": float(len(g)), "low": float(g["low"].min()),
                          "high": float(g["high"].max())}
    return out


def _strength_variants(strength: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """Other tables the learner's function is tried on (hidden check)."""
    return [
        ("the estimates published before 2023", strength[strength["report_date"] < "2023"]),
        ("the estimates that are ranges", strength[strength["estimate_type"] != "single_estimate"]),
        ("the table in another row order", strength.sample(frac=1, random_state=3)),
    ]


def _rank_bounds(attacks: pd.DataFrame, column: str, ascending: bool = False) -> dict[str, tuple[float, float]]:
    """attack -> (best, worst) rank it can have when ties are broken either way."""
    lo = attacks[column].rank(ascending=ascending, method="min")
    hi = attacks[column].rank(ascending=ascending, method="max")
    return {_norm_label(a): (float(lo[i]), float(hi[i])) for i, a in attacks["attack_id"].items()}


def _second(attacks: pd.DataFrame, column: str) -> set[str]:
    bounds = _rank_bounds(attacks, column)
    return {a for a, (lo, hi) in bounds.items() if lo <= 2 <= hi}


def _changes(counts: pd.DataFrame, pct: bool = False) -> dict[str, float]:
    out = {}
    for series, g in counts.sort_values("period_start").groupby("series"):
        if len(g) < 2:
            continue
        first, last = float(g["value"].iloc[0]), float(g["value"].iloc[-1])
        out[str(series)] = 100 * (last - first) / first if pct else last - first
    return out


@_expects("ex03")
def expected_ex03(key: str) -> Any:
    """The expected answers of exercise set 3, computed from data/."""
    if key == "ex03.q1":
        return unit_ranges_from(load("iskp_strength"))
    if key == "ex03.q2a":
        a = load("kabul_attacks")
        return (float(a["deaths_low"].sum()), float(a["deaths_high"].sum()))
    if key == "ex03.q2b":
        a = load("kabul_attacks")
        return {"rank_low": _rank_bounds(a, "deaths_low"), "rank_high": _rank_bounds(a, "deaths_high")}
    if key == "ex03.q2c":
        a = load("kabul_attacks")
        return {"low": _second(a, "deaths_low"), "high": _second(a, "deaths_high")}
    if key == "ex03.q3":
        return _changes(load("attack_counts"))
    raise KeyError(key)


# --------------------------------------------------------------------------- ex03 checks

def _strength_transposed(index: set, columns: set) -> bool:
    return {"low", "high"} <= index and not {"low", "high"} <= columns


def _read_by_unit(answer, what="`by_unit`") -> dict[str, dict[str, float]]:
    return _as_table(answer, what, "unit", STRENGTH_COLUMNS, transpose_if=_strength_transposed)


@_question("ex03.q1", "by_unit", "strength estimates by unit", "T1", 2, 15,
           "Complete `unit_ranges`, then run the cell that computes `by_unit`.")
def _ex03_q1(answer):
    strength = load("iskp_strength")
    want = expected("ex03.q1")
    got = _read_by_unit(answer)
    units = set(want)
    unknown = [u for u in got if u not in units]
    if unknown and len(got) == 1:
        return 0, [], ["Your table has a single row: it merges every unit into one range. "
                       "Fighters, members, and fighters with their families are different "
                       "things; keep one row per unit."], "Group by the `unit` column."
    if unknown:
        raise _Answer("These rows are not units in the data: " + ", ".join(repr(u) for u in unknown)
                      + " (units are written like 'fighters_and_family').")
    missing = [u for u in want if u not in got]
    wrong = {(u, c) for u in want if u in got for c in STRENGTH_COLUMNS
             if not _close(got[u][c], want[u][c])}
    if not missing and not wrong:
        return 2, ["One row per unit, with the number of estimates and the full range of each. "
                   "Notice how few estimates count families as well as fighters."], [], None
    right, off = [], []
    merged = unit_ranges_from(strength.assign(unit=strength["unit"].replace(
        {"fighters_and_family": "fighters"})))
    if "fighters_and_family" in missing and "fighters" in got and all(
            _close(got["fighters"][c], merged["fighters"][c]) for c in STRENGTH_COLUMNS):
        return 0, [], ["Your fighters row also counts the estimates of fighters *and family "
                       "members*: that unit changed in July 2023 and cannot be merged with "
                       "fighters."], "Group by the `unit` column exactly as it is in the data."
    if missing:
        off.append(f"{len(missing)} unit(s) in the data are missing from your table.")
    good = [u for u in want if u in got and not any((u, c) in wrong for c in STRENGTH_COLUMNS)]
    if good:
        right.append(f"{len(good)} of the {len(want)} units are right.")
    if any(c == "n_estimates" for _, c in wrong):
        off.append("Some numbers of estimates are off: count the rows of each unit.")
    if any(c in ("low", "high") for _, c in wrong):
        off.append("Some ranges are off: the range of a unit runs from the lowest `low` to the "
                   "highest `high` of its rows (not from `central`, which is mostly empty).")
    score = 1 if len(good) * 2 >= len(want) and not missing else 0
    return score, right, off, ("Group by `unit`; count the rows, take the min of `low` and the max "
                               "of `high`.")


def _compare_units(got, want):
    table = _read_by_unit(got, "the result")
    ok = set(table) == set(want) and all(_close(table[u][c], want[u][c])
                                         for u in want for c in STRENGTH_COLUMNS)
    return ok, "is not one row per unit with the right count, low and high."


@_question("ex03.q2a", "total_range", "deaths in the listed attacks, as a range", "T3", 1, 5,
           "Add up each column of tolls separately.")
def _ex03_q2a(answer):
    low, high = expected("ex03.q2a")
    lo, hi, swapped = _as_pair(answer, "`total_range`")
    attacks = load("kabul_attacks")
    if _close(lo, low) and _close(hi, high):
        return 1, [f"The reported tolls of the listed attacks add up to between {low:,.0f} and "
                   f"{high:,.0f} deaths, depending on whose tolls you use." + (
                       " (You gave the larger first; read as a range, that is fine.)" if swapped else "")], [], None
    mid = float(((attacks["deaths_low"] + attacks["deaths_high"]) / 2).sum())
    if _close(lo, mid) or _close(hi, mid):
        return 0, [], ["One of your numbers is the sum of the midpoints: an average of rival "
                       "tolls that no source reported."], "Sum the low tolls, and separately the high ones."
    if _close(lo, float(attacks["deaths_low"].min())) or _close(hi, float(attacks["deaths_high"].max())):
        return 0, [], ["You gave the smallest and largest toll of a single attack; the question "
                       "asks for the total over all the listed attacks."], None
    return 0, [], ["Your range does not match the sums of the two toll columns."], (
        "(sum of deaths_low, sum of deaths_high).")


def _ranks_transposed(index: set, columns: set) -> bool:
    return {"rank_low", "rank_high"} <= index


@_question("ex03.q2b", "ranks", "rank of each attack by low and by high toll", "T3", 2, 10,
           "Rank the attacks twice, once on each toll column (1 = deadliest).")
def _ex03_q2b(answer):
    attacks = load("kabul_attacks")
    want = expected("ex03.q2b")
    got = _as_table(answer, "`ranks`", "attack_id", ("rank_low", "rank_high"),
                    transpose_if=_ranks_transposed)
    ids = set(want["rank_low"])
    unknown = [a for a in got if a not in ids]
    if unknown:
        raise _Answer(f"{len(unknown)} row label(s) are not attack ids (such as "
                      f"{attacks['attack_id'].iloc[0]!r}); label the rows with `attack_id`.")
    missing = [a for a in ids if a not in got]
    if missing:
        raise _Answer(f"{len(missing)} attack(s) have no rank: every attack in the data needs one.")
    right, off, ok_cols = [], [], 0
    for col, column in (("rank_low", "deaths_low"), ("rank_high", "deaths_high")):
        bounds = want[col]
        dense = {_norm_label(a): float(v) for a, v in zip(
            attacks["attack_id"], attacks[column].rank(ascending=False, method="dense"))}
        good = all(bounds[a][0] <= got[a][col] <= bounds[a][1] for a in ids) or all(
            _close(got[a][col], dense[a]) for a in ids)  # "dense" ranks skip no place after a tie
        if good:
            ok_cols += 1
            right.append(f"`{col}` is right.")
            continue
        asc = _rank_bounds(attacks, column, ascending=True)
        if all(asc[a][0] <= got[a][col] <= asc[a][1] for a in ids):
            off.append(f"`{col}` ranks from the fewest deaths up; rank 1 should be the deadliest.")
        else:
            off.append(f"`{col}` does not follow `{column}` from the deadliest down.")
    if ok_cols == 2:
        return 2, ["Both rankings are right (tied tolls may share a rank or not). Now compare "
                   "the two columns: which attacks change place?"], [], None
    return ok_cols, right, off, ("`attacks[\"deaths_low\"].rank(ascending=False, method=\"min\")` "
                                 "ranks from the deadliest; do the same for deaths_high.")


@_question("ex03.q2c", "second_deadliest", "second-deadliest attack, by low and by high toll",
           "T3", 1, 5, "Read off the attack ranked 2 in each of your rankings.")
def _ex03_q2c(answer):
    attacks = load("kabul_attacks")
    want = expected("ex03.q2c")
    x = answer
    if isinstance(x, dict):
        k = {str(a).lower(): v for a, v in x.items()}
        pick = [k.get(a, k.get(f"deaths_{a}", k.get(f"rank_{a}"))) for a in ("low", "high")]
        if any(p is None for p in pick):
            raise _Answer("`second_deadliest` is a dict; use the keys 'low' and 'high'.")
        x = pick
    if isinstance(x, pd.Series):
        x = x.tolist()
    if isinstance(x, str) or not isinstance(x, (list, tuple)) or len(x) != 2:
        raise _Answer(f"`second_deadliest` should be two attack ids, one for each toll "
                      f"(a dict with keys 'low' and 'high'), but it is {_describe(x)}.")
    if not all(isinstance(v, str) for v in x):
        raise _Answer("`second_deadliest` should hold attack ids (text such as "
                      f"{attacks['attack_id'].iloc[0]!r}), not {_describe(x[0])}.")
    got = {"low": _norm_label(x[0]), "high": _norm_label(x[1])}
    known = {_norm_label(a) for a in attacks["attack_id"]}
    bad = [v for v in got.values() if v not in known]
    if bad:
        raise _Answer("Not attack ids in data/kabul_attacks.csv: " + ", ".join(bad) + ".")
    ok = {k: got[k] in want[k] for k in ("low", "high")}
    if all(ok.values()):
        return 1, ["Right: which attack counts as the second deadliest depends on whose toll you "
                   "use."], [], None
    if got["low"] in want["high"] and got["high"] in want["low"]:
        return 0, [], ["You have the two the wrong way round."], None
    right = [f"The {k} one is right." for k in ok if ok[k]]
    off = [f"The {k} one is not ranked second on deaths_{k}." for k in ok if not ok[k]]
    firsts = {_norm_label(attacks.loc[attacks[f"deaths_{k}"].idxmax(), "attack_id"]) for k in ("low", "high")}
    if any(v in firsts for v in got.values()):
        off.append("One of yours is the deadliest attack (rank 1), not the second.")
    return 0.5 if any(ok.values()) else 0, right, off, None


@_question("ex03.q3", "changes", "change within each attack-count series", "T4", 2, 12,
           "Group by series, keep the series with two or more periods, and subtract.")
def _ex03_q3(answer):
    counts = load("attack_counts")
    want = expected("ex03.q3")
    series = set(counts["series"])
    x = answer
    if isinstance(x, pd.Series) and x.isna().any():
        raise _Answer("`changes` has a missing value (NaN) for "
                      + ", ".join(map(str, x[x.isna()].index)) + ": a series with only one "
                      "period has no change; leave it out.")
    if isinstance(x, dict) and any(_is_missing_value(v) for v in x.values() if not isinstance(v, (list, dict))):
        raise _Answer("`changes` has a missing value (NaN): a series with only one period has no "
                      "change; leave it out.")
    got = _as_mapping(x, "`changes`", "series")
    norm = {_norm_label(s): s for s in series}
    unknown = [k for k in got if k not in norm]
    if unknown:
        return 0, [], ["These labels are not series in the data: " + ", ".join(repr(u) for u in unknown)
                       + ". A change is computed inside one series, never between two."], (
            "Group by the `series` column.")
    got = {norm[k]: v for k, v in got.items()}
    extra = [k for k in got if k not in want]
    missing = [k for k in want if k not in got]
    right_keys = [k for k in want if k in got and _close(got[k], want[k])]
    if not extra and not missing and len(right_keys) == len(want):
        return 2, [f"{len(want)} series have more than one period; each change is a difference "
                   f"inside one source, one definition."], [], None
    right, off = [], []
    pct = _changes(counts, pct=True)
    if all(k in got and _close(got[k], pct[k]) for k in want) and not extra:
        return 1, ["You kept the right series."], ["These are percentage changes; the question "
                                                   "asks for the change in the series' own unit "
                                                   "(later minus earlier)."], None
    if all(k in got and _close(got[k], -want[k]) for k in want):
        return 0, [], ["These are earlier minus later: the changes have the wrong sign."], None
    if right_keys:
        right.append(f"{len(right_keys)} of the {len(want)} changes are right.")
    if extra:
        off.append("Leave out series with only one period (they have no change): "
                   + ", ".join(sorted(extra)) + ".")
    if missing:
        off.append(f"{len(missing)} series with more than one period are missing.")
    wrong = [k for k in want if k in got and k not in right_keys]
    if wrong:
        off.append("These changes are off: " + ", ".join(sorted(wrong)) + ".")
    score = 1 if len(right_keys) == len(want) else 0
    return score, right, off, ("For each series, sort by `period_start` and take the last value "
                               "minus the first; keep only series with two or more periods.")


# --------------------------------------------------------------------------- ex03 written answers

RUBRICS["ex03.q5"] = Rubric(
    key="ex03.q5", variable="answer_q5", title="assess the analyst's claim", objective="T2, T5, T6 (and T4)",
    minutes=30, words=(150, 300),
    criteria=(
        "States both parts of the claim (c10, c11), who made them and what kind of statement "
        "they are (an analyst's view reported by Reuters), and notes that c10 is about protecting "
        "the authorities' own members and positions, not civilians.",
        "Weighs the evidence on what cameras do after an attack against the evidence on "
        "prevention, with at least one number and its source (for example from evidence_cctv).",
        "Uses the data on where the group is based and where it attacks, and on attack counts, "
        "to assess whether cameras in Kabul could defeat it, naming which measure each "
        "statement rests on.",
        "Notes limits on any prevention effect (the low base rate, power, coverage) "
        "and what evidence would change the assessment, staying at the level of aggregate "
        "evidence.",
    ),
    names_claim=True,
)
