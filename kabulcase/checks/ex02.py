"""Exercise set 2 (power): expected answers, checks and rubrics.

Expected values are computed from data/ (and, for the modelling exercise, from
:mod:`kabulcase.models.power` with its assumptions read from data/); nothing is typed.
The models are imported inside the functions that use them, so that a model being
edited elsewhere can never stop ``kabulcase.checks`` from importing.

The small answer readers at the top (``_as_pair``, ``_as_table``, ``_try_function``) are
shared with exercise set 3.
"""

from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np
import pandas as pd

from ..data import load, value
from . import core
from .core import (RUBRICS, Rubric, _Answer, _as_number, _call_with_time_limit, _describe,
                   _expects, _hidden, _is_number, _norm_label, _question,
                   _TimeLimit, expected)

TOL = 0.005  # relative tolerance for numbers read from data/ or a model


def _close(a: float, b: float, rel: float = TOL, abs_: float = 1e-9) -> bool:
    return math.isclose(a, b, rel_tol=rel, abs_tol=abs_)


def _fmt(x: float) -> str:
    return f"{x:,.1f}" if abs(x) >= 1 or x == 0 else f"{x:.3g}"


# --------------------------------------------------------------------------- answer readers

def _as_pair(answer: Any, what: str, keys: tuple[str, str] = ("low", "high")) -> tuple[float, float, bool]:
    """(smaller, larger, given_in_reverse) from a pair: tuple, list, Series, array, or a
    dict with the keys low/high (or min/max)."""
    x = answer
    if isinstance(x, dict):
        k = {str(a).lower(): v for a, v in x.items()}
        pick = [k.get(a, k.get(b)) for a, b in ((keys[0], "min"), (keys[1], "max"))]
        if any(p is None for p in pick):
            raise _Answer(f"{what} is a dict; use the keys {keys[0]!r} and {keys[1]!r}, or give a "
                          f"pair (smallest, largest).")
        x = pick
    if isinstance(x, pd.DataFrame):
        raise _Answer(f"{what} is a table; give two numbers, (smallest, largest).")
    if isinstance(x, (pd.Series, np.ndarray, list, tuple)):
        values = list(x.tolist() if hasattr(x, "tolist") else x)
    elif _is_number(x):
        raise _Answer(f"{what} is a single number; give two, the smallest and the largest, as "
                      f"(smallest, largest).")
    else:
        raise _Answer(f"{what} should be two numbers (smallest, largest), but it is {_describe(x)}.")
    if len(values) != 2:
        raise _Answer(f"{what} should hold two numbers (smallest, largest), but it holds {len(values)}.")
    a, b = (_as_number(v, f"Each value in {what}") for v in values)
    return min(a, b), max(a, b), a > b


def _as_table(answer: Any, what: str, row_label: str, columns: tuple[str, ...],
              optional: tuple[str, ...] = (), transpose_if: Callable[[set, set], bool] | None = None
              ) -> dict[str, dict[str, float]]:
    """row -> {column: number} from a DataFrame (rows labelled by its index or by a
    ``row_label`` column) or a dict of dicts in either orientation."""
    x = answer
    if isinstance(x, dict):
        if not x or not all(isinstance(v, (dict, pd.Series)) for v in x.values()):
            raise _Answer(f"{what} should be a table with one row per {row_label} and the columns "
                          f"{', '.join(columns)}; a dict is fine only if it holds one dict per row.")
        x = pd.DataFrame({k: dict(v) for k, v in x.items()}).T
    if isinstance(x, pd.Series):
        if isinstance(x.index, pd.MultiIndex) and x.index.nlevels == 2:
            x = x.unstack()
        else:
            raise _Answer(f"{what} is a single column (a Series); make a table (DataFrame) with one "
                          f"row per {row_label} and the columns {', '.join(columns)}.")
    if not isinstance(x, pd.DataFrame):
        raise _Answer(f"{what} should be a table (DataFrame) with one row per {row_label} and the "
                      f"columns {', '.join(columns)}, but it is {_describe(x)}.")
    if isinstance(x.columns, pd.MultiIndex):
        x = x.copy()
        x.columns = ["_".join(str(p) for p in c if str(p)) for c in x.columns]
    x = x.copy()
    x.columns = [_norm_label(c) for c in x.columns]
    if transpose_if is not None and transpose_if({_norm_label(i) for i in x.index}, set(x.columns)):
        x = x.T
        x.columns = [_norm_label(c) for c in x.columns]
    if row_label in x.columns:
        x = x.set_index(row_label)
    missing = [c for c in columns if c not in x.columns]
    if missing:
        have = ", ".join(map(str, x.columns)) or "none"
        raise _Answer(f"{what} has no column{'s' if len(missing) > 1 else ''} "
                      f"{', '.join(repr(m) for m in missing)} (its columns: {have}). Name the "
                      f"columns {', '.join(repr(c) for c in columns)}.")
    if isinstance(x.index, pd.RangeIndex):
        raise _Answer(f"The rows of {what} have no labels (0, 1, 2...): keep the `{row_label}` as "
                      f"the index, or as a column called {row_label!r}.")
    labels = [_norm_label(i) for i in x.index]
    dup = sorted({lab for lab in labels if labels.count(lab) > 1})
    if dup:
        raise _Answer(f"{what} has more than one row for {', '.join(dup)}: make one row per "
                      f"{row_label} (group, then aggregate).")
    out: dict[str, dict[str, float]] = {}
    for label, (_, row) in zip(labels, x.iterrows()):
        out[label] = {}
        for c in columns + tuple(o for o in optional if o in x.columns):
            out[label][c] = _as_number(row[c], f"The {c} of {label!r} in {what}")
    return out


def _try_function(fn: Any, name: str, calls: list[tuple[tuple, Any]],
                  compare: Callable[[Any, Any], tuple[bool, str]]) -> tuple[float, list, list, str | None]:
    """Run a learner's function on other inputs (time-limited, never raising)."""
    if not callable(fn):
        raise _Answer(f"`{name}` should be a function, but it is {_describe(fn)}.")
    ok, off = 0, []
    for args, want in calls:
        shown = ", ".join("access" if isinstance(a, pd.DataFrame) else repr(a) for a in args)
        call = f"{name}({shown})"
        try:
            got = _call_with_time_limit(fn, *[a.copy() if isinstance(a, pd.DataFrame) else a
                                             for a in args])
        except _TimeLimit:
            off.append(f"{call} did not finish within {core.CALL_TIME_LIMIT} seconds (an endless "
                       f"loop?); the other inputs were not tried.")
            break
        except Exception as exc:  # a learner's function may raise anything
            off.append(f"{call} raised {type(exc).__name__}: {str(exc)[:120]}")
            continue
        if got is None or got is Ellipsis:
            off = [f"{name} returns nothing yet (None): its body needs a `return`."]
            break
        try:
            right, why = compare(got, want)
        except _Answer as exc:
            off.append(f"{call}: {exc.message}")
            continue
        if right:
            ok += 1
        else:
            off.append(f"{call} {why}")
    if ok == len(calls):
        return 1, [f"{name} gives the right answer for {ok} other inputs."], [], None
    return 0, ([f"{ok} of {len(calls)} other inputs are right."] if ok else []), off, None


# --------------------------------------------------------------------------- ex02 expected values

NATIONAL = "Afghanistan"
PEOPLE = "population"
LATEST_ANY = ("wdi_2025_vintage", 2023)
DABS = ("dabs_2023", 2023)
GAP_YEAR = 2017
TARGET = 0.9
SUPPLY_CASES = ("low", "median", "high")
ASSUMPTION_CASES = ("low", "central", "high")
OFFICIAL = "official_statement"


def _access(series: str, year: int, column: str = "value") -> float:
    return float(value("electricity_access", column, series=series, geography=NATIONAL, year=year))


def gap_range_from(access: pd.DataFrame, year: int, use_ranges: bool = True,
                   geographies: tuple[str, ...] = (NATIONAL,)) -> tuple[float, float] | None:
    """Smallest and largest gap (any source minus grid-connected, percentage points) over
    every pair of national, per-person estimates for ``year``; published low/high used
    where a row has them."""
    sel = access[(access["year"] == year) & access["geography"].isin(geographies)
                 & (access["basis"] == PEOPLE)]
    any_src = sel[sel["definition"] == "any_source"]
    grid = sel[sel["definition"] == "grid_connected"]
    if any_src.empty or grid.empty:
        return None

    def ends(df):
        if not use_ranges:
            return df["value"], df["value"]
        return df["low"].fillna(df["value"]), df["high"].fillna(df["value"])

    any_lo, any_hi = ends(any_src)
    grid_lo, grid_hi = ends(grid)
    return float(any_lo.min() - grid_hi.max()), float(any_hi.max() - grid_lo.min())


def _midpoints(supply: pd.DataFrame) -> pd.Series:
    return (supply["hours_low"] + supply["hours_high"]) / 2


def _hours_by_type(supply: pd.DataFrame, centre=lambda s: s.median(), mids: bool = True,
                   range_of_mids: bool = False) -> dict[str, dict[str, float]]:
    s = supply.assign(mid=_midpoints(supply) if mids else supply["hours_low"])
    out = {}
    for kind, g in s.groupby("report_type"):
        out[str(kind)] = {
            "n_reports": float(len(g)), "median": float(centre(g["mid"])),
            "low": float(g["mid"].min() if range_of_mids else g["hours_low"].min()),
            "high": float(g["mid"].max() if range_of_mids else g["hours_high"].max())}
    return out


def battery_needed_for(supply_hours: float, target: float) -> float:
    from ..models import power
    return max(0.0, target * power.HOURS_PER_DAY - supply_hours)


def _typical() -> dict[str, float]:
    from ..models import power
    return power.typical_supply_hours(load("kabul_supply_hours"))


def _cost_table() -> dict[str, dict[str, float]]:
    from ..models import power
    typical = _typical()
    return {case: {k: float(v) for k, v in power.backup_cost_range(
        1, battery_needed_for(typical[case], TARGET)).items()} for case in SUPPLY_CASES}


@_expects("ex02")
def expected_ex02(key: str) -> Any:
    """The expected answers of exercise set 2, computed from data/ and the power model."""
    if key == "ex02.q1a":
        return _access(*LATEST_ANY) - _access(*DABS)
    if key == "ex02.q1b":
        return gap_range_from(load("electricity_access"), GAP_YEAR)
    if key == "ex02.q2a":
        return _hours_by_type(load("kabul_supply_hours"))
    if key == "ex02.q2b":
        s = load("kabul_supply_hours")
        return float(_midpoints(s[s["report_type"] != OFFICIAL]).median())
    if key == "ex02.q3a":
        return battery_needed_for(_typical()["median"], TARGET)
    if key == "ex02.q3b":
        return _cost_table()
    if key == "ex02.q3c":
        from ..models import power
        typical = _typical()
        return power.recording_share(typical["low"], battery_needed_for(typical["median"], TARGET))
    raise KeyError(key)


# --------------------------------------------------------------------------- ex02 checks

@_question("ex02.q1a", "gap_2023", "the 2023 gap between the two definitions", "P1", 1, 8,
           "Read the two 2023 values with `value(...)` or a filter, then subtract.")
def _ex02_q1a(answer):
    want = expected("ex02.q1a")
    got = _as_number(answer, "`gap_2023`")
    any_2023, dabs = _access(*LATEST_ANY), _access(*DABS)
    if _close(got, want):
        return 1, [f"In 2023 the World Bank's any-source share is {_fmt(want)} percentage points "
                   f"above the grid-connection figure Reuters quoted."], [], None
    access = load("electricity_access")
    wdi_max = float(access.loc[access["definition"] == "any_source", "value"].max())
    diagnoses = [
        (-want, "That is grid minus any source: the gap backwards (a negative gap)."),
        (any_2023 / dabs, "That is a ratio (how many times larger), not a difference in "
                          "percentage points."),
        (100 * (any_2023 - dabs) / dabs, "That is the difference as a percentage of the grid "
                                          "figure; the question asks for percentage points."),
        (wdi_max - dabs, "You used the highest World Bank value of any year and download, not "
                         "the 2023 value."),
    ]
    for candidate, why in diagnoses:
        if _close(got, candidate):
            return 0, [], [why], "Subtract the 2023 grid-connected share from the 2023 any-source share."
    return 0, [], [f"Your gap, {_fmt(got)} points, does not match the two 2023 figures the question "
                   f"names."], ("Take series wdi_2025_vintage and series dabs_2023, both for "
                               "Afghanistan in 2023, and subtract the second from the first.")


@_question("ex02.q1b", "gap_2017", "the range of gaps in 2017, every pair of estimates", "P1, P2",
           2, 12, "Complete `gap_range`, then run the cell that computes `gap_2017`.")
def _ex02_q1b(answer):
    low, high = expected("ex02.q1b")
    lo, hi, swapped = _as_pair(answer, "`gap_2017`")
    access = load("electricity_access")
    note = " (You gave them largest first; read as a range, that is fine.)" if swapped else ""
    lo_ok, hi_ok = _close(lo, low), _close(hi, high)
    if lo_ok and hi_ok:
        return 2, [f"In {GAP_YEAR} the gap runs from {_fmt(low)} to {_fmt(high)} percentage "
                   f"points, depending on which estimate of each kind you take.{note}"], [], None
    mids = gap_range_from(access, GAP_YEAR, use_ranges=False)
    if mids and _close(lo, mids[0]) and _close(hi, mids[1]):
        return 1, ["You compared the right estimates."], [
            "You used each row's `value`. For the SIGAR row that is a midpoint the book computed "
            "(its `derivation` is 'derived'); SIGAR published a range."], (
            "Where a row has `low` and `high`, use them: the smallest gap pairs the lowest "
            "any-source figure with the highest grid figure, and the other way round.")
    rural = gap_range_from(access, GAP_YEAR, geographies=tuple(access["geography"].dropna().unique()))
    if rural and _close(hi, rural[1]) and not hi_ok:
        return (1 if lo_ok else 0), (["Your smallest gap is right."] if lo_ok else []), [
            "Your largest gap sets a national any-source share against a rural grid share: "
            "compare like with like (geography \"Afghanistan\")."], None
    if hi < 0:
        return 0, [], ["Your gaps are negative: subtract the grid-connected share from the "
                       "any-source share, not the other way round."], None
    right, off = [], []
    (right if lo_ok else off).append("Your smallest gap is " + ("right." if lo_ok else "not the "
                                                                 "smallest over the pairs."))
    (right if hi_ok else off).append("Your largest gap is " + ("right." if hi_ok else "not the "
                                                                "largest over the pairs."))
    return (1 if lo_ok or hi_ok else 0), right, off, (
        f"Keep the rows for {GAP_YEAR}, geography \"Afghanistan\" and basis \"population\"; pair "
        f"every any-source estimate with every grid-connected one (a cross merge) and take the "
        f"smallest and largest difference, using low and high where a row has them.")


def _compare_pair(got, want):
    if want is None:
        return got is None, "should find no pair"
    lo, hi, _ = _as_pair(got, "the result")
    if _close(lo, want[0]) and _close(hi, want[1]):
        return True, ""
    return False, (f"gave ({_fmt(lo)}, {_fmt(hi)}), which is not the smallest and largest gap "
                   f"over that year's pairs.")


def _hours_transposed(index: set, columns: set) -> bool:
    return {"median", "low", "high"} <= index and not {"median", "low", "high"} <= columns


@_question("ex02.q2a", "hours_by_type", "supply hours by report type", "P4", 2, 10,
           "Add a midpoint column, group by `report_type`, and aggregate.")
def _ex02_q2a(answer):
    supply = load("kabul_supply_hours")
    want = expected("ex02.q2a")
    got = _as_table(answer, "`hours_by_type`", "report_type", ("median", "low", "high"),
                    optional=("n_reports",), transpose_if=_hours_transposed)
    want_n = {k: _norm_label(k) for k in want}
    unknown = [k for k in got if k not in want_n.values()]
    if unknown:
        raise _Answer("These rows are not report types in the data: "
                      + ", ".join(repr(u) for u in unknown) + " (report types are written like "
                      "'resident_report').")
    missing = [k for k in want if want_n[k] not in got]
    cols = ("median", "low", "high", "n_reports")

    def matches(ref):
        bad = []
        for k in want:
            row = got.get(want_n[k])
            if row is None:
                continue
            for c in cols:
                if c in row and not _close(row[c], ref[k][c]):
                    bad.append((k, c))
        return bad

    wrong = matches(want)
    if not wrong and not missing:
        return 2, ["One row per report type, with the right median and range for each. Compare "
                   "the official row with the residents' reports."], [], None
    right, off = [], []
    medians_ok = not [w for w in wrong if w[1] == "median"]
    ranges_ok = not [w for w in wrong if w[1] in ("low", "high")]
    if missing:
        off.append(f"{len(missing)} report type(s) are missing: every type in the data needs a row.")
    if medians_ok and not missing:
        right.append("The medians are right.")
    if ranges_ok and not missing:
        right.append("The lowest and highest hours are right.")
    for c in ("n_reports",):
        if any(w[1] == c for w in wrong):
            off.append("Some numbers of reports are off: count the rows of each type.")
    def medians_like(ref):
        return all(w[1] != "median" for w in matches(ref))

    def ranges_like(ref):
        return all(w[1] not in ("low", "high") for w in matches(ref))

    if not medians_ok:
        if medians_like(_hours_by_type(supply, mids=False)):
            off.append("Your medians look like medians of `hours_low`; the question asks for the "
                       "median of each report's midpoint.")
        elif medians_like(_hours_by_type(supply, centre=lambda s: s.mean())):
            off.append("Your medians look like means. With a handful of reports, one extreme "
                       "report moves a mean a lot; use the median.")
        else:
            off.append("Some medians are off: " + ", ".join(sorted({w[0] for w in wrong
                                                                   if w[1] == "median"})) + ".")
    if not ranges_ok:
        if ranges_like(_hours_by_type(supply, range_of_mids=True)):
            off.append("Your low and high are the smallest and largest midpoints; the range "
                       "should run from the lowest `hours_low` to the highest `hours_high`.")
        else:
            off.append("Some lows or highs are off: " + ", ".join(sorted({w[0] for w in wrong
                                                                       if w[1] in ("low", "high")})) + ".")
    score = 1 if (medians_ok or ranges_ok) and not missing else 0
    return score, right, off, ("midpoint = (hours_low + hours_high) / 2; then, for each report "
                               "type, the median of the midpoints, the min of hours_low and the max "
                               "of hours_high (groupby and agg).")


@_question("ex02.q2b", "median_without_target", "median supply without the official target",
           "P4", 1, 5, "Filter out the official statement, then take the median of the midpoints.")
def _ex02_q2b(answer):
    want = expected("ex02.q2b")
    got = _as_number(answer, "`median_without_target`")
    supply = load("kabul_supply_hours")
    mids = _midpoints(supply)
    if _close(got, want):
        return 1, [f"Without the DABS target the median report is {_fmt(want)} hours a day."], [], None
    residents = float(mids[supply["report_type"] == "resident_report"].median())
    diagnoses = [
        (float(mids.median()), "That is the median of all the reports, the official target "
                               "included."),
        (float(mids[supply["report_type"] != OFFICIAL].mean()), "That is a mean; the question "
                                                                 "asks for the median."),
        (residents, "That is the residents' reports alone; the question keeps the news "
                    "summaries and leaves out only the official statement."),
        (float(((supply["hours_low"])[supply["report_type"] != OFFICIAL]).median()),
         "That is the median of `hours_low`, not of the midpoints."),
    ]
    for candidate, why in diagnoses:
        if _close(got, candidate):
            return 0, [], [why], "Keep every report whose report_type is not the official statement."
    return 0, [], [f"{_fmt(got)} hours is not the median midpoint of the reports other than the "
                   f"official statement."], "Keep the rows whose report_type is not "\
        "\"official_statement\" and take the median of (hours_low + hours_high) / 2."


@_question("ex02.q3a", "battery_median", "battery hours for nine-tenths of the day", "P5", 1, 8,
           "Complete `battery_needed`, then run the cell that computes `battery_median`.")
def _ex02_q3a(answer):
    from ..models import power
    want = expected("ex02.q3a")
    got = _as_number(answer, "`battery_median`")
    median = _typical()["median"]
    if _close(got, want):
        share = power.recording_share(median, want)
        return 1, [f"With {_fmt(median)} hours of grid, a battery that bridges {_fmt(want)} hours "
                   f"gives a recording share of {share:.2f}."], [], None
    diagnoses = [
        (power.HOURS_PER_DAY - median, "That battery records the whole day, not nine-tenths of it."),
        (TARGET * power.HOURS_PER_DAY, "You left out the hours the grid already supplies."),
        (TARGET * (power.HOURS_PER_DAY - median), "That is nine-tenths of the outage; the target "
                                                   "is nine-tenths of the whole day."),
    ]
    for candidate, why in diagnoses:
        if _close(got, candidate):
            return 0, [], [why], ("The camera records grid hours plus battery hours; make that "
                                  "equal to the target share of a day.")
    return 0, [], [f"A battery of {_fmt(got)} hours does not give the target share at the median "
                   f"supply."], ("Check with model.recording_share(supply_hours, battery_hours): "
                                 "it should return the target.")


def _compare_number(got, want):
    x = _as_number(got, "the result")
    if x < 0:
        return False, f"gave {_fmt(x)} hours: a battery cannot bridge a negative number of hours."
    return _close(x, want), f"gave {_fmt(x)} hours, which is not the battery that reaches the target."


def _cost_transposed(index: set, columns: set) -> bool:
    return "central" in index and "median" in columns


@_question("ex02.q3b", "cost_table", "battery cost per camera, supply against assumptions", "P5",
           2, 12, "Loop over the three supply cases and call model.backup_cost_range for each.")
def _ex02_q3b(answer):
    want = expected("ex02.q3b")
    got = _as_table(answer, "`cost_table`", "supply", ASSUMPTION_CASES,
                    transpose_if=_cost_transposed)
    missing = [c for c in SUPPLY_CASES if c not in got]
    unknown = [c for c in got if c not in SUPPLY_CASES]
    if unknown or missing:
        raise _Answer("`cost_table` should have one row per supply case, labelled "
                      + ", ".join(repr(c) for c in SUPPLY_CASES) + " (the keys of "
                      "model.typical_supply_hours); its rows are labelled "
                      + ", ".join(repr(c) for c in got) + ".")
    wrong = [(r, c) for r in SUPPLY_CASES for c in ASSUMPTION_CASES
             if not _close(got[r][c], want[r][c])]
    if not wrong:
        return 2, ["All nine costs are right. Compare how much a row changes across its columns "
                   "with how much a column changes down its rows."], [], None
    n_cams = float(value("camera_counts", "cameras", city="Kabul and other cities", date="2023-08"))
    if all(_close(got[r][c], want[r][c] * n_cams) for r in SUPPLY_CASES for c in ASSUMPTION_CASES):
        return 1, ["These are the right costs for the whole claimed network."], [
            "The question asks for the cost per camera (n_cameras=1)."], None
    swapped = {"low": "high", "median": "median", "high": "low"}
    if all(_close(got[r][c], want[swapped[r]][c]) for r in SUPPLY_CASES for c in ASSUMPTION_CASES):
        return 1, ["The costs are right, but on the wrong rows."], [
            "The 'low' row is the least grid supply, which needs the largest battery."], None
    typical = _typical()
    from ..models import power
    if all(_close(got[r][c], power.backup_cost_range(1, power.HOURS_PER_DAY - typical[r])[c])
           for r in SUPPLY_CASES for c in ASSUMPTION_CASES):
        return 1, ["The table has the right shape and uses the model correctly."], [
            "These batteries cover the whole outage; the target is nine-tenths of the day."], (
            "Use battery_needed(typical[case]) for the battery hours.")
    rows_ok = [r for r in SUPPLY_CASES if all((r, c) not in wrong for c in ASSUMPTION_CASES)]
    return (1 if len(rows_ok) >= 2 else 0), (
        [f"The row(s) {', '.join(rows_ok)} are right."] if rows_ok else []), [
        f"{len(wrong)} of the nine costs are off."], (
        "For each supply case, the battery hours are battery_needed(typical[case]); "
        "model.backup_cost_range(1, hours) gives the low, central and high cost for one camera.")


@_question("ex02.q3c", "worst_day_share", "the worst reported day, with the median battery", "P5",
           1, 5, "Call model.recording_share with the lowest reported supply and `battery_median`.")
def _ex02_q3c(answer):
    from ..models import power
    want = expected("ex02.q3c")
    got = _as_number(answer, "`worst_day_share`")
    if got > 1 and _close(got / 100, want):
        return 0.5, [], ["That is a percentage; the model's share runs from 0 to 1."], None
    if _close(got, want):
        return 1, [f"On the worst reported day the camera records {want:.0%} of the day, short of "
                   f"the target."], [], None
    typical = _typical()
    if _close(got, TARGET):
        return 0, [], ["That is the share at the median supply, the day the battery was sized "
                       "for; the question asks about the worst reported day."], None
    if _close(got, power.recording_share(typical["low"], 0.0)):
        return 0, [], ["You left out the battery."], None
    return 0, [], [f"A share of {got:.3f} is not what the model gives for the worst day with the "
                   f"median battery."], ("Use the lowest reported supply (typical[\"low\"]) and "
                                         "battery_median.")


# --------------------------------------------------------------------------- ex02 written answers

RUBRICS["ex02.q3d"] = Rubric(
    key="ex02.q3d", variable="answer_q3d", title="what moves the cost of batteries", objective="P5",
    minutes=10, words=(60, 160),
    criteria=(
        "Compares how much the cost changes across the assumptions (one row) with how much it "
        "changes across the reported supply (one column), with numbers from the table.",
        "Names the assumption or assumptions that move the cost most and says that they are the "
        "book's own assumptions, not sourced figures.",
        "Notes at least one thing the model leaves out or flatters (recharging in a short grid "
        "block, one block of supply, bad days below the median, chargers and replacements).",
    ),
)

RUBRICS["ex02.q4"] = Rubric(
    key="ex02.q4", variable="answer_q4", title="which access figure should decide", objective="P1, P3, P6",
    minutes=30, words=(150, 300),
    criteria=(
        "States what each figure measures (grid connection as quoted by Reuters; any source, "
        "down to a solar lantern, in the World Bank's series), each with a number and a source.",
        "Argues which figure, if either, bears on whether cameras can record, and uses the "
        "reported supply hours (a number and a source) to show what neither figure captures.",
        "Considers where the cameras' power would come from (the grid and its imports, priority "
        "feeders, household cameras on owners' power, backup) and what that means for the "
        "decision.",
        "Says what evidence the decision would need that neither figure gives, and notes how "
        "choosing one number can serve the security case or the rights case.",
    ),
)
