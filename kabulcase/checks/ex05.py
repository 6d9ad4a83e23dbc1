"""Exercise set 5 (money): expected answers, checks and rubrics.

Every expected value is computed here from ``data/budgets.csv``,
``data/safe_city_comparators.csv``, ``data/camera_counts.csv`` and the cost model
(:mod:`kabulcase.models.cost`, whose defaults come from ``data/model_assumptions.csv`` and
``data/unit_costs.csv``), never typed. The checks accept equivalent answers and explain
what is off without giving the answer away.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from ..data import load, value
from . import core
from .core import (RUBRICS, Rubric, _Answer, _as_mapping, _as_number, _by_alias, _call_with_time_limit,
                   _describe, _expects, _hidden, _is_number, _is_unanswered, _norm_label,
                   _question, _TimeLimit, expected)

MILLION = 1e6
PLAN = "plan_2021_upgrade"
TOTAL = "budget_fy1401_total"
DEVELOPMENT = "budget_fy1401_development"
ORDINARY = "budget_fy1401_ordinary"
Q1_2022 = "budget_2022_q1"
KABUL_DATES = ("2021", "2023-08", "2025-02")
CLAIM_DATE = "2023-08"
CASES = ("low", "central", "high")


def _budget(item: str, column: str) -> Any:
    return value("budgets", column, item=item)


def _usd_million(item: str) -> float:
    """An afghani budget line in USD million, at the rate given in its own row."""
    return float(_budget(item, "amount")) / float(_budget(item, "fx_afn_per_usd")) / MILLION


def _plan_usd_million() -> float:
    return float(_budget(PLAN, "amount")) / MILLION


def _per_camera_rows(comparators: pd.DataFrame | None = None) -> pd.DataFrame:
    c = load("safe_city_comparators") if comparators is None else comparators
    rows = c[c["cameras"].notna() & c["cost_usd_million"].notna()].copy()
    rows["usd_per_camera"] = rows["cost_usd_million"].astype(float) * MILLION / rows["cameras"].astype(float)
    return rows.sort_values("usd_per_camera").reset_index(drop=True)


def _rollout_years() -> int:
    from ..models import assumptions
    return int(assumptions.default("cost", "rollout_years"))


def _kabul(date: str) -> int:
    """A network size of q3a: the claimed network (August 2023, Kabul and other cities) is
    read through the one helper that knows its row; the other two are Kabul's counts."""
    from ..models import assumptions
    if date == CLAIM_DATE:
        return int(assumptions.claimed_network()["cameras"])
    return int(value("camera_counts", "cameras", city="Kabul", date=date))


def _plan_size() -> int:
    """The new plan's size in q3b and q3c: no size was reported, so the registry's default
    for it (cost.plan_cameras), never the claimed network read directly."""
    from ..models import assumptions
    return int(assumptions.default("cost", "plan_cameras"))


def _four_year(n: int, case: str = "central", **changes: Any) -> float:
    from ..models import cost
    years = _rollout_years()
    r = cost.deployment_cost(n_cameras=n, horizon_years=years, rollout_years=years,
                             **{**cost.unit_costs_case(case), **changes})
    return float(r["tco_usd"]) / MILLION


def _tornado(horizon: int | None) -> pd.DataFrame:
    from ..models import uncertainty
    specs = uncertainty.registry_assumptions("cost")
    specs.pop("n_cameras")
    fixed: dict[str, Any] = {"n_cameras": _plan_size()}
    if horizon is not None:
        fixed["horizon_years"] = horizon
    return uncertainty.tornado("cost", specs, output="tco_usd", fixed=fixed)


@_expects("ex05")
def expected_ex05(key: str) -> Any:
    """The expected answers of exercise set 5, computed from data/ and the cost model."""
    if key == "ex05.q1a":
        return {"total": _usd_million(TOTAL), "development": _usd_million(DEVELOPMENT)}
    if key == "ex05.q1b":
        plan = _plan_usd_million()
        return {"total": 100 * plan / _usd_million(TOTAL),
                "development": 100 * plan / _usd_million(DEVELOPMENT)}
    if key == "ex05.q2":
        rows = _per_camera_rows()
        return dict(zip(rows["city"].astype(str), rows["usd_per_camera"].astype(float)))
    if key == "ex05.q3a":
        return {date: {case: _four_year(_kabul(date), case) for case in CASES} for date in KABUL_DATES}
    if key == "ex05.q3b":
        from ..models import assumptions
        a = assumptions.assumption("cost", "operators_per_screen")
        n = _plan_size()
        return {end: _four_year(n, operators_per_screen=v)
                for end, v in (("low", a.low), ("default", a.default), ("high", a.high))}
    if key == "ex05.q3c":
        return (str(_tornado(_rollout_years())["assumption"].iloc[0]),
                str(_tornado(None)["assumption"].iloc[0]))
    raise KeyError(key)


def _close(a: float, b: float, rel: float = 0.005, abs_tol: float = 1e-9) -> bool:
    return math.isclose(a, b, rel_tol=rel, abs_tol=abs_tol)


def _two_labels(answer: Any, what: str, aliases: dict[str, str]) -> dict[str, float]:
    """A mapping with the labels of ``aliases`` (normalised label -> key)."""
    if isinstance(answer, (list, tuple, np.ndarray)) and len(answer) == 2 \
            and all(_is_number(v) for v in answer):
        raise _Answer(f"{what} has two numbers but no labels: say which is the total and which "
                      f"the development budget (a dict or a Series).")
    return _by_alias(_as_mapping(answer, what, "budget"), what, aliases,
                     "'total' and 'development'")


BUDGET_LABELS = {"total": "total", TOTAL: "total", "development": "development",
                 DEVELOPMENT: "development", "ordinary": "ordinary", ORDINARY: "ordinary"}


# --------------------------------------------------------------------------- q1: the plan and the budget

@_question("ex05.q1a", "budget_usd_million", "the FY1401 budget in US dollars", "M2", 1, 7,
           "Divide each afghani amount by its row's exchange rate, then by a million.")
def _ex05_q1a(answer):
    want = expected("ex05.q1a")
    got = _two_labels(answer, "`budget_usd_million`", BUDGET_LABELS)
    if "ordinary" in got:
        raise _Answer("`budget_usd_million` has the ordinary budget; the question asks for the "
                      "total and the development budget.")
    missing = [k for k in want if k not in got]
    if missing:
        raise _Answer(f"`budget_usd_million` has no entry for {', '.join(missing)}.")
    right, off, score = [], [], 0.0
    for k, w in want.items():
        g = got[k]
        fx = float(_budget(TOTAL if k == "total" else DEVELOPMENT, "fx_afn_per_usd"))
        amount = float(_budget(TOTAL if k == "total" else DEVELOPMENT, "amount"))
        if _close(g, w, 0.002):
            score += 0.5
            right.append(f"{k}: right.")
        elif _close(g, w * MILLION, 0.002):
            score += 0.25
            off.append(f"{k} is in dollars; the question asks for millions of dollars.")
        elif _close(g, amount * fx / MILLION, 0.002) or _close(g, amount * fx, 0.002):
            off.append(f"{k}: you multiplied by the exchange rate. The rate is afghanis per "
                       f"dollar, so divide afghanis by it to get dollars.")
        elif _close(g, amount / MILLION, 0.002) or _close(g, amount, 0.002):
            off.append(f"{k} is still in afghanis: convert it with the rate.")
        else:
            off.append(f"{k}: your value does not match the afghani amount at its rate.")
    if score >= 1:
        return 1, right + ["They match the conversions stored in `amount_usd_million`, "
                           "so the stored values are the rate you used, not another."], [], None
    return score, right, off, ("USD million = amount (AFN) / fx_afn_per_usd (AFN per USD) / "
                               "1,000,000, for the total and the development rows.")


@_question("ex05.q1b", "plan_share_pct", "the 2021 plan as a share of the budget", "M2", 2, 8,
           "Divide the plan's cost by each budget, in USD million, and multiply by 100.")
def _ex05_q1b(answer):
    want = expected("ex05.q1b")
    got = _two_labels(answer, "`plan_share_pct`", BUDGET_LABELS)
    plan = _plan_usd_million()
    right, off, notes, score = [], [], [], 0.0
    ordinary = 100 * plan / _usd_million(ORDINARY)
    q1 = 100 * plan / float(_budget(Q1_2022, "amount_usd_million"))
    if "ordinary" in got and "total" not in got:
        if _close(got["ordinary"], ordinary, 0.01):
            off.append("You used the ordinary budget; the total includes the development budget too.")
        got["total"] = got.pop("ordinary")
    for k, w in want.items():
        if k not in got:
            off.append(f"There is no share of the {k} budget.")
            continue
        g = got[k]
        if _close(g, w, 0.01):
            score += 1
            right.append(f"{k}: right.")
        elif _close(g, w / 100, 0.01):
            score += 1
            notes.append(f"{k} is given as a share; as a percentage it is 100 times larger.")
        elif _close(g, 100 * 100 / w, 0.01) or _close(g, 100 / w, 0.01):
            off.append(f"{k}: you divided the budget by the plan; the share is the plan "
                       f"divided by the budget.")
        elif k == "total" and _close(g, ordinary, 0.01):
            off.append("total: you used the ordinary budget; the total includes the development "
                       "budget too.")
        elif k == "total" and _close(g, q1, 0.01):
            off.append("total: you used the first-quarter 2022 budget; the question asks for "
                       "the FY1401 annual budget.")
        else:
            off.append(f"{k}: your share does not match the plan and that budget.")
    if score == 2:
        return 2, right + notes + ["A small share of the whole budget, a large share of the part "
                                   "meant for building things: which comparison matters depends "
                                   "on the question."], [], None
    return score, right + notes, off, ("Share in percent = 100 x plan (USD million) / budget "
                                       "(USD million), using your conversions from (a).")


# --------------------------------------------------------------------------- q2: cost per camera

def _per_camera_table(answer: Any, what: str) -> pd.DataFrame:
    if not isinstance(answer, pd.DataFrame):
        raise _Answer(f"{what} should be a table (DataFrame) with columns `city`, "
                      f"`usd_per_camera` and `basis`, but it is {_describe(answer)}.")
    x = answer
    if "city" not in x.columns and x.index.name == "city":
        x = x.reset_index()
    missing = [c for c in ("city", "usd_per_camera") if c not in x.columns]
    if missing:
        raise _Answer(f"{what} has no column(s) {', '.join(f'`{c}`' for c in missing)}; keep "
                      f"`city` and name the new column `usd_per_camera`.")
    return x


def _score_per_camera(table: pd.DataFrame, rows: pd.DataFrame, what: str):
    """(score of 2, right messages, off messages) for a cost-per-camera table."""
    want = dict(zip(rows["city"].astype(str), rows["usd_per_camera"].astype(float)))
    comp = load("safe_city_comparators").set_index("city")
    got: dict[str, float] = {}
    nan_rows = []
    for city, v in zip(table["city"].astype(str), table["usd_per_camera"]):
        if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
            nan_rows.append(city)
            continue
        if not _is_number(v):
            raise _Answer(f"{what}: the cost per camera for {city} should be a number, but it "
                          f"is {_describe(v)}.")
        if math.isinf(float(v)):
            raise _Answer(f"{what}: the cost per camera for {city} is infinite (divided by zero?).")
        got[city] = float(v)
    right, off = [], []
    ok = [c for c in want if c in got and _close(got[c], want[c], 0.005)]
    missing = [c for c in want if c not in got and c not in nan_rows]
    extra = [c for c in got if c not in want]
    units = [c for c in want if c in got and c not in ok and _close(got[c] * MILLION, want[c], 0.005)]
    local = [c for c in want if c in got and c not in ok and c in comp.index
             and _close(got[c], float(comp.loc[c, "cost"]) / float(comp.loc[c, "cameras"]), 0.005)]
    if nan_rows:
        off.append(f"{len(nan_rows)} row(s) have no cost per camera ({', '.join(nan_rows[:3])}"
                   f"{'...' if len(nan_rows) > 3 else ''}): projects without both a cost and a "
                   f"camera count cannot give one. Keep only rows that have both.")
    if units:
        off.append("Some values are a million times too small: `cost_usd_million` is in millions "
                   "of dollars.")
    if local:
        off.append(f"For {', '.join(local)} you used the `cost` column, which is in the project's "
                   f"own currency (rupees for Pakistan); use the dollar column.")
    other = [c for c in want if c in got and c not in ok and c not in units and c not in local]
    if other:
        off.append(f"{len(other)} value(s) do not match cost / cameras.")
    if missing:
        off.append(f"{len(missing)} project(s) with both a cost and a camera count are missing.")
    if extra:
        off.append("Not projects with both a cost and a camera count: " + ", ".join(extra) + ".")
    score = 0.0
    if len(ok) == len(want) and not extra and not nan_rows:
        score += 1
        right.append(f"All {len(want)} projects with both a cost and a camera count, each with "
                     f"the right cost per camera.")
    elif len(ok) * 2 >= len(want):
        score += 0.5
        right.append(f"{len(ok)} of the {len(want)} costs per camera are right.")
    values = [float(v) for v in table["usd_per_camera"] if _is_number(v) and not math.isnan(float(v))]
    if len(values) >= 2 and values == sorted(values):
        score += 0.5
        right.append("Sorted from the cheapest to the dearest.")
    elif len(values) >= 2 and values == sorted(values, reverse=True):
        score += 0.25
        off.append("Sorted from the dearest to the cheapest; the question asks for the cheapest first.")
    else:
        off.append("The rows are not sorted by cost per camera.")
    basis = None
    for name in ("basis", "usd_basis", "derived", "label"):
        if name in table.columns:
            basis = table[name]
            break
    if basis is not None and len(basis) and all(isinstance(b, str) and "derived" in b.lower() for b in basis):
        score += 0.5
        right.append("Every value is labelled as derived: no publisher stated it.")
    elif basis is not None:
        off.append("The `basis` column should say on every row that the value is derived "
                   "(the book's arithmetic); the `usd_basis` column of the data says something else: "
                   "how the total was converted to dollars.")
    else:
        off.append("There is no `basis` column saying the value is derived.")
    return score, right, off


@_question("ex05.q2", "per_camera", "all-in cost per camera, sorted and labelled", "M3, M1", 2, 12,
           "Fill in `all_in_per_camera`, then run the cell that makes `per_camera`.")
def _ex05_q2(answer):
    table = _per_camera_table(answer, "`per_camera`")
    score, right, off = _score_per_camera(table, _per_camera_rows(), "`per_camera`")
    score = min(2.0, score)
    if score >= 2:
        return 2, right, [], None
    return score, right, off, ("Keep rows where both `cameras` and `cost_usd_million` are present, "
                               "compute cost x 1,000,000 / cameras, sort ascending, and add a "
                               "`basis` column that says 'derived'.")


def _hidden_comparators() -> list[tuple[str, pd.DataFrame]]:
    c = load("safe_city_comparators")
    pakistan = c[c["country"] == "Pakistan"].sample(frac=1, random_state=5)
    doubled = c.copy()
    doubled["cost_usd_million"] = doubled["cost_usd_million"] * 2
    return [("the Pakistani projects only, shuffled", pakistan),
            ("a copy with every cost doubled", doubled)]


# --------------------------------------------------------------------------- q3: the cost model

def _date_label(label: Any) -> str | None:
    s = str(label).strip()
    if s in KABUL_DATES:
        return s
    try:
        n = float(label)
    except (TypeError, ValueError):
        return None
    for d in KABUL_DATES:  # a row labelled by its camera count
        if _close(n, _kabul(d), 1e-9):
            return d
    return None


def _as_case_table(answer: Any, what: str) -> dict[str, dict[str, float]]:
    x = answer
    if isinstance(x, dict) and x and all(isinstance(v, dict) for v in x.values()):
        x = pd.DataFrame(x)
        if {_norm_label(c) for c in x.columns} & set(CASES):
            pass
        else:
            x = x.T
    if isinstance(x, pd.Series):
        raise _Answer(f"{what} is one column ({_describe(x)}); the question asks for a table with "
                      f"a column for each case: low, central and high.")
    if not isinstance(x, pd.DataFrame):
        raise _Answer(f"{what} should be a table (DataFrame) with one row per camera count and "
                      f"columns low, central and high, but it is {_describe(x)}.")
    cols = {_norm_label(c): c for c in x.columns}
    if not set(CASES) & set(cols) and set(CASES) <= {_norm_label(i) for i in x.index}:
        x = x.T
        cols = {_norm_label(c): c for c in x.columns}
    for name in ("date", "count", "cameras", "n_cameras"):
        if name in cols and not set(str(i) for i in x.index) & set(KABUL_DATES):
            x = x.set_index(cols[name])
            cols = {_norm_label(c): c for c in x.columns}
            break
    missing = [c for c in CASES if c not in cols]
    if missing:
        raise _Answer(f"{what} has no column(s) {', '.join(missing)}: make one column per case "
                      f"(low, central, high).")
    out: dict[str, dict[str, float]] = {}
    for label, row in x.iterrows():
        d = _date_label(label)
        if d is None:
            raise _Answer(f"{what} has a row labelled {label!r}; label each row with the date of "
                          f"its camera count ({', '.join(KABUL_DATES)}).")
        out[d] = {c: _as_number(row[cols[c]], f"The {c} cost for {d}") for c in CASES}
    return out


@_question("ex05.q3a", "by_size", "four-year cost by network size and case", "M5", 2, 10,
           "Run deployment_cost for each camera count and each case, and put them in a table.")
def _ex05_q3a(answer):
    from ..models import assumptions, cost
    want = expected("ex05.q3a")
    got = _as_case_table(answer, "`by_size`")
    missing = [d for d in want if d not in got]
    cells = [(d, c) for d in want for c in CASES]
    right = [(d, c) for d, c in cells if d in got and _close(got[d][c], want[d][c], 0.005)]
    off = []
    if missing:
        off.append(f"{len(missing)} camera count(s) are missing.")
    horizon = int(assumptions.default("cost", "horizon_years"))
    years = _rollout_years()
    wrong = [(d, c) for d, c in cells if d in got and (d, c) not in right]
    diag = {"default horizon": 0, "millions": 0, "capital": 0, "central": 0}
    for d, c in wrong:
        g = got[d][c]
        r_h = cost.deployment_cost(n_cameras=_kabul(d), **cost.unit_costs_case(c))
        r_4 = cost.deployment_cost(n_cameras=_kabul(d), horizon_years=years, **cost.unit_costs_case(c))
        if _close(g, float(r_h["tco_usd"]) / MILLION, 0.005):
            diag["default horizon"] += 1
        elif _close(g, want[d][c] * MILLION, 0.005):
            diag["millions"] += 1
        elif _close(g, float(r_4["capex_usd"]) / MILLION, 0.005):
            diag["capital"] += 1
        elif c != "central" and _close(g, want[d]["central"], 0.005):
            diag["central"] += 1
    if diag["default horizon"]:
        off.append(f"Some values are the total over the default horizon ({horizon} years); the "
                   f"question asks for the four years of building: horizon_years = rollout years.")
    if diag["millions"]:
        off.append("Some values are in dollars; the question asks for USD million.")
    if diag["capital"]:
        off.append("Some values are the capital cost alone; the four-year cost adds the running "
                   "costs of the cameras already installed (`tco_usd`).")
    if diag["central"]:
        off.append("The low and high columns repeat the central value: pass the unit costs of "
                   "each case (`cost.unit_costs_case(case)`).")
    rest = len(wrong) - sum(diag.values())
    if rest > 0:
        off.append(f"{rest} value(s) do not match the model's four-year cost.")
    if len(right) == len(cells):
        ratio = want["2025-02"]["central"] / want["2021"]["central"]
        n_ratio = _kabul("2025-02") / _kabul("2021")
        return 2, [f"All {len(cells)} values are right. The cost grows exactly in step with the "
                   f"cameras ({ratio:,.0f} times the cost for {n_ratio:,.0f} times the cameras): "
                   f"the model has no economies of scale."], [], None
    msgs = [f"{len(right)} of the {len(cells)} values are right."] if right else []
    central_ok = all((d, "central") in right for d in want)
    return (1 if central_ok or len(right) * 2 >= len(cells) else 0), msgs, off, (
        "For each date and each case: deployment_cost(n_cameras=..., horizon_years=years, "
        "**cost.unit_costs_case(case))['tco_usd'] / 1e6.")


@_question("ex05.q3b", "by_operators", "four-year cost as the operators assumption moves", "M5", 1, 7,
           "Run deployment_cost at the low, default and high operators per screen.")
def _ex05_q3b(answer):
    want = expected("ex05.q3b")
    x = answer
    if isinstance(x, (list, tuple, np.ndarray, pd.Series)) and not (
            isinstance(x, pd.Series) and not isinstance(x.index, pd.RangeIndex)):
        values = list(x.tolist() if hasattr(x, "tolist") else x)
        if len(values) == 3 and all(_is_number(v) for v in values):
            x = dict(zip(want, values))
    got = _as_mapping(x, "`by_operators`", "end of the range")
    got = {("default" if k == "central" else k): v for k, v in got.items()}
    missing = [k for k in want if k not in got]
    if missing:
        raise _Answer(f"`by_operators` has no entry for {', '.join(missing)}; use the labels "
                      f"low, default and high.")
    right = [k for k in want if _close(got[k], want[k], 0.005)]
    if len(right) == len(want):
        rise = 100 * (want["high"] - want["low"]) / want["low"]
        return 1, [f"From the low to the high end the four-year cost rises by about {rise:.0f}%. "
                   f"Compare that with the other assumptions' swings in (c)."], [], None
    off = [f"{len(want) - len(right)} value(s) do not match the model ("
           + ", ".join(k for k in want if k not in right) + ")."]
    if all(_close(got[k], want[k] * MILLION, 0.005) for k in want):
        off = ["The values are in dollars; the question asks for USD million."]
    return (0.5 if len(right) >= 2 else 0), ([f"{len(right)} of 3 are right."] if right else []), off, (
        "Keep the plan's assumed size (`plan_n`) and the four-year horizon; change only "
        "operators_per_screen to the assumption's low, default and high values.")


def _assumption_name(label: Any) -> str | None:
    from ..models import assumptions, cost
    if not isinstance(label, str):
        return None
    k = _norm_label(label)
    names = list(cost.PARAMETERS)
    if k in names:
        return k
    for name, (model, row) in cost.PARAMETERS.items():
        if _norm_label(assumptions.assumption(model, row).label) == k:
            return name
    return None


@_question("ex05.q3c", "top_drivers", "the assumption that moves the total most", "M5", 2, 10,
           "Run the tornado twice (four-year horizon and default horizon) and take the top row of each.")
def _ex05_q3c(answer):
    from ..models import assumptions
    want = expected("ex05.q3c")
    x = answer
    if isinstance(x, dict):
        x = list(x.values())
    if isinstance(x, pd.DataFrame):
        raise _Answer("`top_drivers` is a table; give the two names, (four-year top, "
                      "default-horizon top), from the `assumption` column of each tornado table.")
    if isinstance(x, str):
        raise _Answer("`top_drivers` is one name; give two, (four-year top, default-horizon top).")
    if isinstance(x, (pd.Series, np.ndarray)):
        x = list(x.tolist())
    if not isinstance(x, (list, tuple)):
        raise _Answer(f"`top_drivers` should be two names, but it is {_describe(x)}.")
    if len(x) != 2:
        raise _Answer(f"`top_drivers` should hold two names, but it holds {len(x)}.")
    got = []
    for item in x:
        name = _assumption_name(item)
        if name is None:
            raise _Answer(f"{item!r} is not an assumption of the cost model; use a name from "
                          f"the tornado's `assumption` column, such as 'seat_usd'.")
        got.append(name)
    horizon = int(assumptions.default("cost", "horizon_years"))
    right, off, score = [], [], 0
    for i, (g, w, which) in enumerate(zip(got, want, ("four-year cost", f"{horizon}-year total"))):
        t = _tornado(_rollout_years() if i == 0 else None)
        if g == w:
            score += 1
            right.append(f"{which}: right.")
        elif g == "n_cameras":
            off.append(f"{which}: the number of cameras is held at the plan's assumed size here, so it "
                       f"cannot be the driver; leave it out of the swings.")
        elif g in list(t["assumption"]):
            rank = list(t["assumption"]).index(g) + 1
            off.append(f"{which}: that assumption ranks {rank} of {len(t)}, not first.")
        else:
            off.append(f"{which}: not in the tornado table.")
    if score == 2:
        return 2, right + ["The driver changes with the horizon: the camera price dominates while "
                           "building, the control room's size over the longer run."
                           if want[0] != want[1] else ""], [], None
    return score, right, off, ("Remove n_cameras from the assumptions, fix it at `plan_n`, "
                               "and sort each tornado by swing (it already is): the first row is "
                               "the driver.")


# --------------------------------------------------------------------------- written answers

RUBRICS["ex05.q3d"] = Rubric(
    key="ex05.q3d", variable="answer_q3d", title="which assumption drives the cost, and is it sourced",
    objective="M5", minutes=8, words=(80, 180),
    criteria=(
        "Names the assumption that drives the cost at each horizon and explains the mechanism "
        "(camera price while building; screens and staff, which are paid every year, over the "
        "longer run).",
        "Says whether each driver is sourced, derived or a book assumption (the `basis`), "
        "citing its source id, and what that means for how far to trust the total.",
        "Says what evidence would narrow the range (a contract price, a staffing plan, a "
        "published budget line) and who could produce it.",
    ),
)

RUBRICS["ex05.q4"] = Rubric(
    key="ex05.q4", variable="answer_q4", title="who should pay, and who bears the costs",
    objective="M6 and M4 (and M2, M5)", minutes=30, words=(200, 400),
    criteria=(
        "Identifies the possible payers (donors or a vendor's loan, the state budget, "
        "households ordered to buy cameras) with evidence for each, including its status "
        "(stated, derived, unverified).",
        "Uses numbers with their labels: budget shares as the book's arithmetic with the "
        "exchange rate and date, model costs as model output resting on stated assumptions.",
        "Distinguishes who pays from who bears the costs (people filmed, services the money is "
        "not spent on, households under threat of penalties) and notes what the data do not "
        "count.",
        "Links who pays to who can hold the system to account (donor conditions, budget "
        "transparency, vendor responsibility under the UN Guiding Principles).",
        "Reaches a position on who should pay, if anyone, and engages the security case fairly.",
        "(M4) Treats any claim that a network worked (less crime, attacks stopped) as a claim: "
        "says who makes it (a vendor, a government), sets it beside official statistics or an "
        "audit where one exists, and says what a before-and-after comparison cannot prove.",
    ),
)
