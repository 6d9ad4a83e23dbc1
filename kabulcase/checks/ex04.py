"""Exercise set 4 (rights): expected answers, checks and rubrics.

Every expected value is computed here from ``data/rights_counts.csv``, never typed. The
set uses only what chapters 1 to 4 teach: question 4 applies chapter 4's three-part test
to the public record (the claims ledger and the sources), and its check looks only at
completeness and at whether the evidence can be found; it never grades a judgement.
Chapter 7's risk scheme, which an earlier question used, is taught in chapter 7. The checks accept equivalent answers (a wide
or a long table, a Series or a dict, shares or percentages where both carry the same
information, any row order) and explain what is off without giving the answer away.
"""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np
import pandas as pd

from ..data import load
from . import core
from .core import (RUBRICS, Rubric, _Answer, _as_mapping, _as_number, _call_with_time_limit,
                   _describe, _expects, _hidden, _is_number, _is_unanswered, _norm_label,
                   _question, _TimeLimit, expected)

AFJC = "afjc_annual"
MAY_TO_MAY = "afjc_may_to_may"
AJSC = "ajsc_annual"
CPJ_PERIODS = ("cpj_cumulative", "cpj_12_months")
CPJ_STOCK = "cpj_census"
DAYS_PER_MONTH = 365.25 / 12
"""The average month, in days: the exercise tells learners to divide days by this."""
MONTH_TOL = 0.03
"""Relative tolerance on months and rates: a 30-day month, a 30.44-day month and counting
the last day of a quarter all pass."""
KEY_COLUMNS = ("series", "subject", "measure", "period_start", "period_end")


def _counts() -> pd.DataFrame:
    return load("rights_counts")


def _months(start, end) -> float:
    return float((pd.Timestamp(end) - pd.Timestamp(start)).days) / DAYS_PER_MONTH


def _afjc_cells(counts: pd.DataFrame | None = None) -> dict[tuple[int, str], float]:
    counts = _counts() if counts is None else counts
    rows = counts[counts["series"] == AFJC]
    return {(int(r.period_start.year), str(r.measure)): float(r.value) for r in rows.itertuples()}


def _pct_change(old: float, new: float) -> float:
    return 100 * (new - old) / old


@_expects("ex04")
def expected_ex04(key: str) -> Any:
    """The expected answers of exercise set 4, computed from data/."""
    counts = _counts()
    if key == "ex04.q1a":
        return _afjc_cells(counts)
    if key == "ex04.q1b":
        cells = _afjc_cells(counts)
        return {m: _pct_change(cells[(2022, m)], cells[(2023, m)]) for m in ("violations", "arrests")}
    if key == "ex04.q2":
        un = counts[counts["publisher_short"] == "UNAMA"]
        return {_row_key(r): (_months(r.period_start, r.period_end),
                              float(r.value) / _months(r.period_start, r.period_end))
                for r in un.itertuples()}
    if key == "ex04.q3a":
        out = {}
        for series in CPJ_PERIODS:
            r = counts[counts["series"] == series].iloc[0]
            out[series] = float(r["value"]) / _months(r["period_start"], r["period_end"])
        return out
    if key == "ex04.q3b":
        cum = counts[counts["series"] == "cpj_cumulative"].iloc[0]
        stock = counts[counts["series"] == CPJ_STOCK].iloc[0]
        per_day = float(cum["value"]) / (cum["period_end"] - cum["period_start"]).days
        return float(stock["value"]) / per_day
    raise KeyError(key)


def _row_key(r) -> tuple[str, str, str, str]:
    return (str(r.series), str(r.subject), str(r.measure), str(pd.Timestamp(r.period_end).date()))


# --------------------------------------------------------------------------- reading tables

def _year_of(label: Any) -> int | None:
    if isinstance(label, (pd.Timestamp, np.datetime64)):
        return int(pd.Timestamp(label).year)
    if _is_number(label) and float(label).is_integer() and 1990 <= float(label) <= 2030:
        return int(label)
    if isinstance(label, str) and re.fullmatch(r"\s*(19|20)\d\d(-\d\d(-\d\d)?)?\s*", label):
        return int(label.strip()[:4])
    return None


def _as_year_table(answer: Any, what: str) -> dict[tuple[int, str], float]:
    """(year, measure) -> count from a wide table (years down, measures across), a long
    table (year, measure, value), a Series indexed by (year, measure) or a dict of dicts."""
    x = answer
    if isinstance(x, dict):
        if x and all(isinstance(v, dict) for v in x.values()):
            outer_years = all(_year_of(k) is not None for k in x)
            x = pd.DataFrame(x).T if outer_years else pd.DataFrame(x)
        else:
            raise _Answer(f"{what} should be a table with one row per year and one column per "
                          f"measure, but it is {_describe(x)} of single values.")
    if isinstance(x, pd.Series):
        if isinstance(x.index, pd.MultiIndex) and x.index.nlevels == 2:
            x = x.unstack()
        else:
            raise _Answer(f"{what} is a single column ({_describe(x)}). Make one column per "
                          f"measure (violations, arrests, ...) and one row per year: "
                          f"`.pivot(index=..., columns=..., values=...)` does that.")
    if not isinstance(x, pd.DataFrame):
        raise _Answer(f"{what} should be a table (DataFrame) with one row per year and one "
                      f"column per measure, but it is {_describe(x)}.")
    if isinstance(x.columns, pd.MultiIndex):
        if x.columns.nlevels == 2 and len(set(x.columns.get_level_values(0))) == 1:
            x = x.droplevel(0, axis=1)
        else:
            raise _Answer(f"{what} has more than one level of column labels. Keep one "
                          f"column per measure.")
    cols = {_norm_label(c): c for c in x.columns}
    if "measure" in cols and "value" in cols:  # long form
        year_col = cols.get("year") or cols.get("period_start")
        if year_col is None:
            raise _Answer(f"{what} is a long table (measure, value) without a `year` column: "
                          f"add the year each count is for.")
        out: dict[tuple[int, str], float] = {}
        for y, m, v in zip(x[year_col], x[cols["measure"]], x[cols["value"]]):
            year = _year_of(y)
            if year is None or _is_missing(v):
                continue
            key = (year, _norm_label(m))
            if key in out:
                raise _Answer(f"{what} has two counts of {m} for {year}: one of them is from "
                              f"another series.")
            out[key] = _number(v, f"The count of {m} for {year}")
        return out
    if "year" in cols:
        x = x.set_index(cols["year"])
    years = [_year_of(i) for i in x.index]
    if not len(x) or any(y is None for y in years):
        if "period_start" in cols or isinstance(x.index, pd.RangeIndex):
            raise _Answer(f"{what} has no years as its row labels (its index is "
                          f"{list(x.index)[:3]}...). Make the year the index, one row per year.")
        raise _Answer(f"{what} should have one row per year (2022, 2023, ...), but its row "
                      f"labels are {list(x.index)[:4]}.")
    out = {}
    for year, (_, row) in zip(years, x.iterrows()):
        for col, v in row.items():
            if isinstance(v, str) or _is_missing(v):
                continue  # a text column (publisher, note) or an empty cell
            key = (year, _norm_label(col))
            if key in out:
                raise _Answer(f"{what} has two rows for {year}. Keep one row per year: another "
                              f"series (AFJC's May-to-May report?) may share the year.")
            out[key] = _number(v, f"The cell for {year}, {col}")
    if not out:
        raise _Answer(f"{what} holds no numbers.")
    return out


def _is_missing(v: Any) -> bool:
    try:
        return v is None or v is pd.NA or bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def _number(v: Any, what: str) -> float:
    if isinstance(v, (bool, np.bool_)) or not _is_number(v):
        raise _Answer(f"{what} should be a number, but it is {_describe(v)}.")
    v = float(v)
    if math.isinf(v):
        raise _Answer(f"{what} is infinite: something was divided by zero.")
    return v


def _close(a: float, b: float, rel: float = 0.005, abs_tol: float = 1e-9) -> bool:
    return math.isclose(a, b, rel_tol=rel, abs_tol=abs_tol)


# --------------------------------------------------------------------------- q1: AFJC by year

@_question("ex04.q1a", "afjc_by_year", "AFJC's counts by calendar year", "R1", 2, 7,
           "Filter AFJC's calendar-year series, then make one row per year.")
def _ex04_q1a(answer):
    want = expected("ex04.q1a")
    got = _as_year_table(answer, "`afjc_by_year`")
    counts = _counts()
    may = counts[counts["series"] == MAY_TO_MAY]
    may_cells = {(int(r.period_start.year), str(r.measure)): float(r.value) for r in may.itertuples()}
    may_cells.update({(int(r.period_end.year), str(r.measure)): float(r.value) for r in may.itertuples()})
    ajsc_years = {int(y) for y in counts.loc[counts["series"] == AJSC, "period_start"].dt.year}
    right = [k for k in want if k in got and _close(got[k], want[k])]
    wrong = [k for k in want if k in got and not _close(got[k], want[k])]
    missing = [k for k in want if k not in got]
    extra = [k for k in got if k not in want]
    off = []
    may_added = [k for k in wrong if k in may_cells and (
        _close(got[k], want[k] + may_cells[k]) or _close(got[k], (want[k] + may_cells[k]) / 2))]
    if may_added:
        off.append("Some counts mix in AFJC's May-to-May report (" + ", ".join(
            f"{m} {y}" for y, m in may_added) + "). That report covers parts of two calendar "
            "years; adding it counts the same incidents twice.")
    extra_years = sorted({y for y, _ in extra} - {y for y, _ in want})
    if extra_years and set(extra_years) <= ajsc_years:
        off.append(f"Your table has a row for {', '.join(map(str, extra_years))}: that is AJSC's "
                   f"count, another organisation with another method. It is a baseline to show "
                   f"beside AFJC's series, never a year of it.")
    elif extra_years:
        off.append(f"Your table has rows for {', '.join(map(str, extra_years))}, which are not "
                   f"years of AFJC's calendar-year series.")
    may_extra = [k for k in extra if k in may_cells and _close(got[k], may_cells[k])]
    if may_extra and not may_added:
        off.append("Some cells come from AFJC's May-to-May report (" + ", ".join(
            f"{m} {y}" for y, m in may_extra) + "). That report overlaps two calendar years: "
            "keep it apart from the calendar-year series.")
    merged = [k for k in extra if k[1] == "arrests" and (k[0], "detentions") in want
              and _close(got[k], want[(k[0], "detentions")])]
    if merged:
        off.append(f"You put AFJC's {merged[0][0]} detentions under `arrests`. AFJC changed its "
                   f"word that year; keep AFJC's own word as its own column, so a reader can "
                   f"see the change and decide whether to compare.")
    other_extra = [k for k in extra if k not in merged and k not in may_extra
                   and k[0] not in extra_years]
    if other_extra:
        off.append("Unexpected cells: " + ", ".join(f"{m} {y}" for y, m in other_extra[:4])
                   + " (measures are written as in the `measure` column).")
    plain_wrong = [k for k in wrong if k not in may_added]
    if plain_wrong:
        off.append(f"{len(plain_wrong)} count(s) differ from AFJC's calendar-year figures.")
    if missing and not merged:
        off.append(f"{len(missing)} count(s) of AFJC's calendar-year series are missing.")
    elif len(missing) > len(merged):
        off.append(f"{len(missing) - len(merged)} other count(s) are missing.")
    rights = [f"{len(right)} of the {len(want)} AFJC counts are right."] if right else []
    if len(right) == len(want) and not extra:
        return 2, ["One row per calendar year, with AFJC's own words as columns; the "
                   "empty cells show where a word was not used."], [], None
    only_merge = len(right) == len(want) - len(merged) and not may_added and not plain_wrong \
        and not extra_years and not other_extra and merged
    only_ajsc = len(right) == len(want) and extra_years and set(extra_years) <= ajsc_years \
        and not other_extra and not merged
    score = 1 if only_merge or only_ajsc or (
        len(right) * 2 >= len(want) and not may_added and not may_extra) else 0
    return score, rights, off, ("Keep only rows whose `series` is AFJC's calendar-year series, take "
                                "the year from `period_start`, and pivot so that each `measure` "
                                "is a column.")


@_question("ex04.q1b", "change_2022_2023", "change from 2022 to 2023, in percent", "R1", 1, 5,
           "Compute the percentage change of each measure from 2022 to 2023.")
def _ex04_q1b(answer):
    want = expected("ex04.q1b")
    x = answer
    if isinstance(x, (list, tuple, np.ndarray)) and len(x) == 2 and all(_is_number(v) for v in x):
        raise _Answer("`change_2022_2023` has two numbers but no labels: say which is "
                      "violations and which is arrests (a dict or a Series).")
    got = _as_mapping(x, "`change_2022_2023`", "measure")
    missing = [m for m in want if m not in got]
    if missing:
        raise _Answer(f"`change_2022_2023` has no entry for {', '.join(missing)}. Use the "
                      f"measures as labels: {', '.join(want)}.")
    cells = _afjc_cells()
    right, off, notes = [], [], []
    score = 0.0
    for m, w in want.items():
        g = got[m]
        if _close(g, w, 0.01, 0.05):
            score += 0.5
            right.append(f"{m}: right.")
        elif _close(g, w / 100, 0.01, 0.0005):
            score += 0.5
            notes.append(f"{m} is given as a share; as a percentage it is 100 times larger.")
        elif _close(g, -w, 0.01, 0.05):
            score += 0.5
            notes.append(f"{m} is given as the size of the fall (positive); a change is "
                         f"negative when the count falls.")
        elif _close(g, _pct_change(cells[(2023, m)], cells[(2022, m)]), 0.01, 0.05) or \
                _close(g, 100 * (cells[(2023, m)] - cells[(2022, m)]) / cells[(2023, m)], 0.01, 0.05):
            off.append(f"{m}: you divided by the 2023 count; a change is measured against the "
                       f"earlier year (2022).")
        elif _close(g, cells[(2023, m)] - cells[(2022, m)], 0.01, 0.05):
            off.append(f"{m}: that is the difference in counts, not the percentage change.")
        elif _close(g, 100 * cells[(2023, m)] / cells[(2022, m)], 0.01, 0.05):
            off.append(f"{m}: that is 2023 as a percentage of 2022, not the change.")
        else:
            off.append(f"{m}: your change does not match the 2022 and 2023 counts.")
    if score >= 1:
        faster = min(want, key=want.get)
        return 1, right + notes + [f"Both fell; {faster} fell by the larger share."], [], None
    return score, right + notes, off, ("Change in percent = 100 x (2023 count - 2022 count) / "
                                       "2022 count, for each measure.")


# --------------------------------------------------------------------------- q2: UN periods

def _rate_table(answer: Any, what: str) -> pd.DataFrame:
    if not isinstance(answer, pd.DataFrame):
        raise _Answer(f"{what} should be a table (DataFrame): the rows with two more columns, "
                      f"`months` and `per_month`; it is {_describe(answer)}.")
    missing = [c for c in ("months", "per_month") if c not in answer.columns]
    if missing:
        raise _Answer(f"{what} has no column(s) {', '.join(f'`{c}`' for c in missing)}. Add "
                      f"them with exactly these names.")
    lost = [c for c in KEY_COLUMNS if c not in answer.columns]
    if lost:
        raise _Answer(f"{what} has lost the column(s) {', '.join(lost)}: a rate means little "
                      f"unless the row still says who was counted, what, and over which dates. "
                      f"Add the new columns to the rows; do not drop the others.")
    return answer


def _score_rates(table: pd.DataFrame, want: dict, what: str, need_all: bool = True):
    """(rows right, messages) for a table of rates against ``want`` (row key -> (months,
    per month))."""
    seen: set = set()
    right, months_wrong, rate_wrong, unknown = 0, [], [], 0
    as_days = as_years = per_year = 0
    for r in table.itertuples():
        try:
            key = (str(r.series), str(r.subject), str(r.measure),
                   str(pd.Timestamp(r.period_end).date()))
        except (ValueError, TypeError):
            unknown += 1
            continue
        if key not in want:
            unknown += 1
            continue
        seen.add(key)
        m_want, rate_want = want[key]
        m = _number(r.months, f"`months` for {key[2]} ({key[1]})") if not _is_missing(r.months) else math.nan
        p = _number(r.per_month, f"`per_month` for {key[2]} ({key[1]})") if not _is_missing(r.per_month) else math.nan
        m_ok = not math.isnan(m) and _close(m, m_want, MONTH_TOL)
        p_ok = not math.isnan(p) and _close(p, rate_want, MONTH_TOL)
        if not math.isnan(m) and not m_ok:
            if _close(m, m_want * DAYS_PER_MONTH, MONTH_TOL, 1.5):
                as_days += 1
            elif _close(m, m_want / 12, MONTH_TOL):
                as_years += 1
            months_wrong.append(key)
        if not math.isnan(p) and not p_ok:
            if _close(p, rate_want * 12, MONTH_TOL):
                per_year += 1
            rate_wrong.append(key)
        if math.isnan(m) or math.isnan(p):
            rate_wrong.append(key)
        if m_ok and p_ok:
            right += 1
    off = []
    if as_days:
        off.append(f"{as_days} row(s) have `months` in days: divide the days by the length of an "
                   f"average month.")
    if as_years:
        off.append(f"{as_years} row(s) have `months` in years.")
    if per_year:
        off.append(f"{per_year} row(s) have a rate per year in `per_month`.")
    other_m = len(months_wrong) - as_days - as_years
    if other_m > 0:
        off.append(f"{other_m} row(s) have a period length that does not match their dates "
                   f"(from `period_start` to `period_end`).")
    other_p = len(set(rate_wrong)) - per_year
    if other_p > 0 and not months_wrong:
        off.append(f"{other_p} row(s) have a rate that is not the count divided by the months.")
    if need_all and len(seen) < len(want):
        off.append(f"{len(want) - len(seen)} of the {len(want)} rows you were given are missing.")
    if unknown:
        off.append(f"{unknown} row(s) are not rows of the table you were given.")
    return right, seen, off


@_question("ex04.q2", "un_rates", "UNAMA's counts per month of their periods", "R1", 2, 12,
           "Fill in `add_rates`, then run the cell that makes `un_rates`.")
def _ex04_q2(answer):
    want = expected("ex04.q2")
    table = _rate_table(answer, "`un_rates`")
    right, seen, off = _score_rates(table, want, "`un_rates`")
    n = len(want)
    if right == n and len(seen) == n and not off:
        return 2, [f"Every one of the {n} UNAMA counts has its period length and its rate per "
                   f"month, and still says what it counts."], [], None
    msgs = [f"{right} of the {n} rows have the right months and rate."] if right else []
    return (1 if right * 2 >= n else 0), msgs, off, (
        "months = (period_end - period_start) in days, divided by the average month; "
        "per_month = value / months. Return the rows with both columns added.")


def _hidden_tables() -> list[tuple[str, pd.DataFrame]]:
    counts = _counts()
    afjc = counts[counts["series"] == AFJC].sample(frac=1, random_state=3)
    cpj = counts[counts["series"] == "cpj_12_months"]
    quarterly = counts[counts["series"] == "unama_quarterly"].iloc[::-1]
    return [("AFJC's calendar-year rows", afjc), ("CPJ's twelve-month row", cpj),
            ("UNAMA's quarterly rows in reverse order", quarterly)]


# --------------------------------------------------------------------------- q3: CPJ stock and flow

def _series_label(label: Any) -> str | None:
    k = _norm_label(label)
    if k in CPJ_PERIODS or k == CPJ_STOCK:
        return k
    if k in ("cumulative", "cpj_cumulative_count"):
        return "cpj_cumulative"
    if k in ("flow", "12_months", "twelve_months", "12_month", "past_year"):
        return "cpj_12_months"
    if k in ("stock", "census", "jailed_on_census_date"):
        return CPJ_STOCK
    return None


@_question("ex04.q3a", "per_month", "CPJ's detentions per month", "R2", 2, 8,
           "Divide each CPJ count that covers a period by the months in its period.")
def _ex04_q3a(answer):
    want = expected("ex04.q3a")
    x = answer
    if isinstance(x, pd.DataFrame) and {"series", "per_month"} <= set(x.columns):
        x = pd.Series(list(x["per_month"]), index=list(x["series"]))
    if isinstance(x, pd.Series) and not isinstance(x.index, pd.MultiIndex):
        x = dict(x.items())
    if isinstance(x, dict):
        got_raw = {}
        for k, v in x.items():
            label = _series_label(k)
            if label is None:
                raise _Answer(f"`per_month` has a label {k!r} that is not one of CPJ's series; "
                              f"label each rate with its `series` ({', '.join(CPJ_PERIODS)}).")
            got_raw[label] = v
    else:
        got_raw = _as_mapping(x, "`per_month`", "series")  # raises a plain message
    right, off = [], []
    score = 0.0
    stock_note = None
    if CPJ_STOCK in got_raw:
        stock_note = ("You gave a rate for the census. The census is a stock: the journalists "
                      "in jail on one day. Its period is zero days long, so a rate per month "
                      "means nothing (dividing by zero gives infinity or NaN). Leave it out.")
    for series, w in want.items():
        if series not in got_raw:
            off.append(f"There is no rate for {series}.")
            continue
        try:
            g = _number(got_raw[series], f"The rate for {series}")
        except _Answer as exc:
            off.append(exc.message)
            continue
        if math.isnan(g):
            off.append(f"The rate for {series} is NaN: a calculation used a missing value.")
        elif _close(g, w, 0.04):
            score += 1
            right.append(f"{series}: right.")
        elif _close(g, w * 12, 0.04):
            off.append(f"{series}: that is a rate per year, not per month.")
        elif _close(g, w / DAYS_PER_MONTH, 0.04):
            off.append(f"{series}: that is a rate per day, not per month.")
        else:
            off.append(f"{series}: your rate does not match the count and its period.")
    if stock_note:
        off.append(stock_note)
        score = min(score, 1)
    if score == 2:
        return 2, right + ["Only the two counts that cover a period have a rate; the census, a "
                           "stock, has none."], [], None
    return score, right, off, ("For each of the two CPJ counts that cover a period: months = days "
                               "from period_start to period_end divided by the average month; "
                               "rate = value / months.")


@_question("ex04.q3b", "implied_days_held", "average days held, if both counts are true", "R2", 1, 8,
           "Use stock = rate x average time held, with the cumulative count's rate per day.")
def _ex04_q3b(answer):
    want = expected("ex04.q3b")
    got = _as_number(answer, "`implied_days_held`")
    counts = _counts()
    flow = counts[counts["series"] == "cpj_12_months"].iloc[0]
    stock = float(counts[counts["series"] == CPJ_STOCK]["value"].iloc[0])
    flow_days = stock / (float(flow["value"]) / (flow["period_end"] - flow["period_start"]).days)
    if _close(got, want, 0.05):
        return 1, [f"About {want:.0f} days: if detentions ran at the cumulative count's rate, an "
                   f"average stay of about a month would leave only a few journalists in jail on "
                   f"any one day, so the two counts do not contradict each other."], [], None
    diagnoses = [
        (want / DAYS_PER_MONTH, 0.5, "That looks like months; the question asks for days."),
        (want / 7, 0.5, "That looks like weeks; the question asks for days."),
        (flow_days, 0.5, "You used the twelve-month count's rate. Its period starts after the "
                         "census day, so it cannot describe the detentions the census caught; "
                         "use the cumulative count, whose period includes the census day."),
        (1 / want, 0, "That is the rate divided by the stock: the formula upside down."),
        (want * DAYS_PER_MONTH, 0, "Your rate seems to be per month while the answer should be in days."),
    ]
    for candidate, score, why in diagnoses:
        if _close(got, candidate, 0.05):
            return score, [], [why], "average time held = stock / (detentions per day)."
    return 0, [], [f"{got:,.1f} days does not follow from the census stock and the cumulative "
                   f"count's rate."], ("Work out the cumulative count's detentions per day (count "
                                       "/ days in its period), then divide the census stock by it.")


# --------------------------------------------------------------------------- q4: the three-part test

TEST_PARTS = ("legality", "legitimate_aim", "necessity_proportionality")
"""The three parts of the test, in chapter 4's order (the keys of ``test_record``)."""
JUDGEMENTS = ("met", "not met", "cannot tell")
PART_ALIASES = {"legitimate aim": "legitimate_aim", "aim": "legitimate_aim",
                "necessity": "necessity_proportionality", "proportionality": "necessity_proportionality",
                "necessity_and_proportionality": "necessity_proportionality",
                "necessity and proportionality": "necessity_proportionality", "law": "legality"}


def _evidence_ids() -> dict[str, str]:
    """Every id a learner may cite, lower-cased, mapped to what kind of id it is."""
    ids = {str(s).lower(): "source" for s in load("sources")["source_id"]}
    ids.update({k.lower(): "citation key" for k in core._citation_keys()})
    ids.update({str(c).lower(): "claim" for c in load("claims")["claim_id"]})
    return ids


def _as_record(answer: Any) -> dict[str, dict[str, Any]]:
    """part -> {"judgement": text, "evidence": [ids]}, from the dict the question asks for."""
    if not isinstance(answer, dict):
        raise _Answer("`test_record` should be a dict with one entry per part of the test ("
                      + ", ".join(repr(p) for p in TEST_PARTS) + f"), but it is {_describe(answer)}.")
    record = {}
    for key, entry in answer.items():
        part = _norm_label(key)
        part = PART_ALIASES.get(str(key).strip().lower(), PART_ALIASES.get(part, part))
        if part not in TEST_PARTS:
            raise _Answer(f"{key!r} is not a part of the three-part test; use the keys "
                          + ", ".join(repr(p) for p in TEST_PARTS) + ".")
        if not isinstance(entry, dict) or not {"judgement", "evidence"} <= set(entry):
            raise _Answer(f"The entry for {part!r} should be a dict with the keys 'judgement' and "
                          f"'evidence', but it is {_describe(entry)}.")
        evidence = entry["evidence"]
        if isinstance(evidence, str):
            evidence = [e for e in re.split(r"[;,\s]+", evidence) if e]
        if not isinstance(evidence, (list, tuple, set, pd.Series)):
            raise _Answer(f"The evidence for {part!r} should be a list of ids (claim ids such as "
                          f"'c15', source ids or citation keys), but it is {_describe(evidence)}.")
        record[part] = {"judgement": str(entry["judgement"]).strip().lower(),
                        "evidence": [str(e).strip() for e in evidence if str(e).strip()]}
    return record


def _claim_note(claim_id: str, claims: pd.DataFrame) -> str:
    row = claims.loc[claim_id]
    return (f"{claim_id}: {str(row['status']).replace('_', ' ')}, by {row['claimant']} "
            f"({str(row['claimant_type']).replace('_', ' ')}).")


@_question("ex04.q4a", "test_record", "the three-part test as a record of evidence", "R4", 2, 12,
           "Fill in `test_record`: a judgement and the evidence ids for each part of the test.")
def _ex04_q4a(answer):
    if _is_unanswered(answer):
        raise _Answer("`test_record` is not filled in yet.")
    record = _as_record(answer)
    known = _evidence_ids()
    claims = load("claims")
    claims = claims.set_index(claims["claim_id"].str.lower())
    right, off = [], []
    missing = [p for p in TEST_PARTS if p not in record]
    if missing:
        off.append("No entry yet for: " + ", ".join(missing) + ". The test has three parts, and a "
                   "measure must pass all three.")
    bad_judgement = [p for p, e in record.items() if e["judgement"] not in JUDGEMENTS]
    if bad_judgement:
        off.append("Give each judgement as one of " + ", ".join(repr(j) for j in JUDGEMENTS)
                   + "; these are not: " + ", ".join(f"{p} ({record[p]['judgement']!r})"
                                                     for p in bad_judgement) + ".")
    no_evidence = [p for p, e in record.items() if not e["evidence"]]
    if no_evidence:
        off.append("Cite at least one id for: " + ", ".join(no_evidence) + ". A judgement of "
                   "'cannot tell' needs evidence too: the rows that show what is missing.")
    unknown = sorted({i for e in record.values() for i in e["evidence"] if i.lower() not in known})
    if unknown:
        off.append("Not found in data/claims.csv, data/sources.csv or the bibliography: "
                   + ", ".join(unknown) + " (copy ids exactly, for example 'c15' or "
                   "'reuters-2023-09-25').")
    found = sorted({i.lower() for e in record.values() for i in e["evidence"] if i.lower() in known})
    if found:
        right.append(f"{len(found)} of the ids you cite are found again in the data or the "
                     f"bibliography.")
    # What a cited claim is, so the learner can weigh it; this is information, never a score.
    notes = [_claim_note(i, claims) for i in found if known[i] == "claim"]
    only_authorities = [p for p, e in record.items() if e["judgement"] == "met" and e["evidence"]
                        and all(known.get(i.lower()) == "claim" and
                                claims.loc[i.lower(), "claimant_type"] == "taliban_official"
                                for i in e["evidence"])]
    if only_authorities:
        off.append("Your 'met' for " + ", ".join(only_authorities) + " rests only on what the "
                   "authorities say about their own measure; the test asks for more than the "
                   "word of the party it tests. (This note does not change your score.)")
    if not (missing or bad_judgement or no_evidence or unknown):
        return 2, ["Every part has a judgement and evidence that can be found again; your "
                   "instructor marks how well the evidence supports each judgement."] + notes, \
            off, None
    score = 1 if not missing and not bad_judgement and len(no_evidence) + bool(unknown) <= 1 else 0
    return score, right + notes, off, (
        "Use the three keys, give each a 'judgement' from the three allowed and an 'evidence' "
        "list of ids you can find in `claims` or `data/sources.csv`.")


# --------------------------------------------------------------------------- written answers

RUBRICS["ex04.q4b"] = Rubric(
    key="ex04.q4b", variable="answer_q4b", title="where the public record runs out",
    objective="R3, R4", minutes=10, words=(80, 180),
    criteria=(
        "Names the part of the test at which the public record is weakest and says why, "
        "citing the rows of `test_record` that show it (claim ids or source ids).",
        "Names a document that would settle that part (for example a published law or "
        "regulation, an authorisation by an independent judge, or an oversight body's report) "
        "and says who holds the burden of producing it (the state, under the Necessary and "
        "Proportionate principles).",
        "Weighs the harm side of proportionality with evidence read for what it is: the "
        "chilling-effect evidence (its setting and confidence), a count of detentions with its "
        "publisher, period and qualifier.",
        "Separates 'not met' from 'cannot tell', and does not treat the authorities' own "
        "statements as proof that a part is met.",
    ),
)

RUBRICS["ex04.q5"] = Rubric(
    key="ex04.q5", variable="answer_q5", title="the three-part test applied to one element of the plan",
    objective="R4, R5 (and R1, R3)", minutes=30, words=(200, 350),
    criteria=(
        "Legality: says whether a published, precise law governs the chosen element, citing "
        "the evidence (for example the claims ledger), and what document would settle it.",
        "Legitimate aim: states the security case at its strongest, with a number and a source, "
        "and asks whether the chosen element actually serves that aim.",
        "Necessity and proportionality: weighs less intrusive means and the harm to privacy, "
        "expression and assembly, using at least one count read correctly (publisher, period, "
        "'at least', stock or flow).",
        "Reaches a judgement on each part (which may be 'cannot tell') and says what evidence "
        "would change it.",
        "Uses aggregate evidence only and treats the security case and the rights case fairly.",
    ),
)
