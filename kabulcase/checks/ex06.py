"""Exercise set 6 (weighing it up): expected answers, checks and rubrics.

Every expected value is computed here from ``data/model_assumptions.csv``,
``data/camera_counts.csv``, ``data/budgets.csv`` and the book's models (the network model
of :mod:`kabulcase.figures.synthesis`, which joins the cost and power models, and the
detection model), never typed. The checks accept equivalent answers (a dict or a Series,
labels or names, shares or percentages where the question allows) and explain what is off
without giving the answer away.
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
BASES = ("sourced", "derived", "book_assumption")
FEEDS = {"city": "Kabul", "date": "2014-06"}
PLAN = "plan_2021_upgrade"
BATTERY_WORST = {"watts_per_camera": "high", "usd_per_kwh_storage": "high",
                 "depth_of_discharge": "low", "battery_life_years": "low"}
"""The battery assumptions at the end of their range that makes batteries dearest."""


def _registry() -> pd.DataFrame:
    return load("model_assumptions")


def _reg(model: str, name: str, end: str = "default") -> float:
    """One value of a registry row (``value`` cannot filter on a column called ``name``)."""
    r = _registry()
    row = r[(r["model"] == model) & (r["name"] == name)]
    if len(row) != 1:
        raise LookupError(f"data/model_assumptions.csv has no single row {model}.{name}.")
    return float(row[end].iloc[0])


def _cost_ranges() -> pd.DataFrame:
    r = _registry()
    cost_rows = r[r["model"] == "cost"].copy()
    cost_rows["ratio"] = cost_rows["high"] / cost_rows["low"]
    cost_rows["spread"] = cost_rows["high"] - cost_rows["low"]
    return cost_rows


def _plan_size() -> float:
    """The Taliban plan's size in chapter 6: no size was reported, so the registry's lever
    cost.plan_cameras (its default), never the claimed network of camera_counts."""
    return _reg("cost", "plan_cameras")


def _per_recording(supply_hours: float, battery_hours: float, **assumptions: float) -> float:
    """Total cost over the years counted per camera recording at any moment, for the Taliban
    plan at its assumed size, every other assumption at its registry default."""
    from ..figures import synthesis
    n = _plan_size()
    r = synthesis.network_model(n_cameras=n, supply_hours=supply_hours,
                                battery_hours=battery_hours, **assumptions)
    return float(r["tco_usd"]) / float(r["cameras_recording"])


def _advantage(supply_hours: float, **assumptions: float) -> float:
    """How many times as many cameras the same money keeps recording with batteries that
    bridge the rest of the day as on grid power alone."""
    return (_per_recording(supply_hours, 0.0, **assumptions)
            / _per_recording(supply_hours, 24.0 - supply_hours, **assumptions))


def _worst_battery() -> dict[str, float]:
    return {k: _reg("power", k, end) for k, end in BATTERY_WORST.items()}


def _base_rates() -> tuple[float, ...]:
    from ..figures.models import BASE_RATES
    return tuple(float(r) for r in BASE_RATES)


@_expects("ex06")
def expected_ex06(key: str) -> Any:
    """The expected answers of exercise set 6, computed from data/ and the models."""
    if key == "ex06.q1a":
        counts = _registry()["basis"].value_counts()
        return {str(k): int(v) for k, v in counts.items()}
    if key == "ex06.q1b":
        rows = _cost_ranges().sort_values("ratio")
        return str(rows["name"].iloc[-1])
    if key == "ex06.q2":
        return {"taliban_cameras": _plan_size(),
                "targeted_cameras": float(value("camera_counts", "cameras", **FEEDS)),
                "plan2021_budget_usd": float(value("budgets", "amount_usd_million", item=PLAN)) * MILLION}
    if key == "ex06.q3a":
        s = _reg("power", "supply_hours")
        return {"grid": _per_recording(s, 0.0), "battery": _per_recording(s, 24.0 - s)}
    if key == "ex06.q3b":
        return {"median": _advantage(_reg("power", "supply_hours")),
                "high": _advantage(_reg("power", "supply_hours", "high"))}
    if key == "ex06.q3c":
        return _advantage(_reg("power", "supply_hours"), **_worst_battery())
    if key == "ex06.q4a":
        from ..models import detection
        return {r: float(detection.detection_model(watchlisted_passing_per_day=r)["precision"])
                for r in _base_rates()}
    if key == "ex06.q4b":
        from ..models import detection
        alt = _reg("detection", "fmr_multiplier_asian_african_american")
        return float(detection.detection_model(fmr_multiplier=alt)["affected_share_of_false_alerts"])
    raise KeyError(key)


def _close(a: float, b: float, rel: float = 0.005, abs_tol: float = 1e-12) -> bool:
    return math.isclose(a, b, rel_tol=rel, abs_tol=abs_tol)


def _labelled(answer: Any, what: str, aliases: dict[str, str], label: str) -> dict[str, float]:
    """A mapping whose labels are read through ``aliases`` (normalised label -> key)."""
    if isinstance(answer, (list, tuple, np.ndarray)) and all(_is_number(v) for v in answer):
        raise _Answer(f"{what} has numbers but no labels: say which is which "
                      f"({', '.join(sorted(set(aliases.values())))}), as a dict or a Series.")
    return _by_alias(_as_mapping(answer, what, label), what, aliases,
                     ", ".join(repr(x) for x in sorted(set(aliases.values()))))


# --------------------------------------------------------------------------- q1: what the models rest on

@_question("ex06.q1a", "basis_counts", "registry rows by basis", "W1", 1, 6,
           "Count the rows of `registry` for each value of its `basis` column.")
def _ex06_q1a(answer):
    want = expected("ex06.q1a")
    got = _as_mapping(answer, "`basis_counts`", "basis")
    total = sum(want.values())
    if got and sum(got.values()) > 0 and math.isclose(sum(got.values()), 1, abs_tol=0.01):
        return 0.5, [], ["Your numbers add up to 1: they are shares of the rows, not numbers of rows."], \
            "Count the rows instead of normalising."
    if got and math.isclose(sum(got.values()), 100, abs_tol=0.5) and total != 100:
        return 0.5, [], ["Your numbers add up to 100: they are percentages, not numbers of rows."], \
            "Count the rows instead of normalising."
    unknown = [k for k in got if k not in want]
    if unknown:
        raise _Answer("These labels are not values of `basis`: " + ", ".join(repr(k) for k in unknown)
                      + f" (the bases are {', '.join(BASES)}).")
    right_keys = [k for k in want if got.get(k) == want[k]]
    if len(right_keys) == len(want):
        share = want.get("book_assumption", 0) / total
        return 1, [f"All {total} rows counted; {share:.0%} of them are the book's own assumptions."], [], None
    off = []
    if not math.isclose(sum(got.values()), total):
        off.append(f"Your counts add up to {sum(got.values()):g}, but the registry has {total} rows "
                   "(did you filter on one model?).")
    missing = [k for k in want if k not in got]
    if missing:
        off.append(f"{len(missing)} basis value(s) are missing.")
    return (0.5 if right_keys else 0), ([f"{len(right_keys)} of {len(want)} counts are right."]
                                        if right_keys else []), off, \
        "Use the whole registry and count how often each value of `basis` appears."


@_question("ex06.q1b", "widest", "the cost assumption with the widest range", "W3", 1, 8,
           "Keep the cost model's rows, divide `high` by `low`, and take the name with the largest ratio.")
def _ex06_q1b(answer):
    want = expected("ex06.q1b")
    rows = _cost_ranges()
    x = answer
    if isinstance(x, pd.Series) and len(x) == 1:
        x = x.index[0] if not isinstance(x.index, pd.RangeIndex) else x.iloc[0]
    if isinstance(x, (list, tuple)) and len(x) == 1:
        x = x[0]
    if isinstance(x, pd.DataFrame):
        if len(x) == 1 and "name" in x.columns:
            x = x["name"].iloc[0]
        else:
            raise _Answer("`widest` is a table; give the one assumption's `name` (text).")
    if not isinstance(x, str):
        raise _Answer(f"`widest` should be the assumption's name (text), but it is {_describe(x)}.")
    g = _norm_label(x)
    names = {_norm_label(n): str(n) for n in _registry()["name"]}
    labels = {_norm_label(lb): str(n) for lb, n in zip(_registry()["label"], _registry()["name"])}
    name = names.get(g) or labels.get(g)
    if name is None:
        raise _Answer(f"{x!r} is not the name (or the label) of an assumption in the registry.")
    if name == want:
        ratio = float(rows.loc[rows["name"] == want, "ratio"].iloc[0])
        return 1, [f"Its high end is about {ratio:,.0f} times its low end: the book's estimate of "
                   "this input is the least certain of the cost model's."], [], None
    if name == "n_cameras":
        return 0, [], ["The number of cameras is a shared row (model `shared`), not one of the cost "
                       "model's rows; it is also a choice, not an uncertain fact."], \
            "Filter the rows whose `model` is 'cost'."
    widest_spread = str(rows.sort_values("spread")["name"].iloc[-1])
    if name == widest_spread:
        return 0, [], ["That assumption has the largest difference between high and low, in its own "
                       "unit. Differences in dollars cannot be compared with ones in years or screens."], \
            "Compare ranges as ratios: high divided by low."
    if name not in set(rows["name"]):
        return 0, [], [f"{name} is not one of the cost model's assumptions."], \
            "Filter the rows whose `model` is 'cost'."
    return 0, [], [f"{name} is a cost assumption, but another has a wider range relative to its low end."], \
        "Divide `high` by `low` for every cost row and take the largest."


# --------------------------------------------------------------------------- q2: trace the scenarios

Q2_LABELS = {"taliban_cameras": "taliban_cameras", "taliban": "taliban_cameras",
             "targeted_cameras": "targeted_cameras", "targeted": "targeted_cameras",
             "plan2021_budget_usd": "plan2021_budget_usd", "plan2021": "plan2021_budget_usd",
             "budget": "plan2021_budget_usd", "2021": "plan2021_budget_usd"}


@_question("ex06.q2", "scenario_inputs", "the scenarios' numbers, read from their rows", "W1", 2, 10,
           "Read the plan's assumed size from `registry`, the 2014 feeds from `counts` and the "
           "2021 plan's budget from `budgets`.")
def _ex06_q2(answer):
    want = expected("ex06.q2")
    got = _labelled(answer, "`scenario_inputs`", Q2_LABELS, "scenario")
    missing = [k for k in want if k not in got]
    if missing:
        raise _Answer(f"`scenario_inputs` has no entry for {', '.join(missing)}.")
    right, off, score = [], [], 0.0
    kabul = load("camera_counts")
    kabul = kabul[kabul["city"].str.startswith("Kabul")]  # incl. the multi-city claim
    for k in ("taliban_cameras", "targeted_cameras"):
        g = got[k]
        if _close(g, want[k]):
            score += 0.5
            right.append(f"{k}: right.")
            continue
        hit = kabul[np.isclose(kabul["cameras"].astype(float), g)]
        if k == "taliban_cameras" and len(hit):
            dates = " or ".join(str(d) for d in hit["date"])
            off.append(f"{k}: that is a claimed count of cameras already installed (dated "
                       f"{dates}); no size was reported for the new plan, so the scenario uses "
                       "the registry's assumption for it, cost.plan_cameras.")
        elif len(hit):
            dates = " or ".join(str(d) for d in hit["date"])
            off.append(f"{k}: that is Kabul's count dated {dates}; the scenario uses another row "
                       f"(see the chapter's table of scenarios).")
        else:
            off.append(f"{k}: not one of Kabul's counts in the data.")
    g, w = got["plan2021_budget_usd"], want["plan2021_budget_usd"]
    if _close(g, w):
        score += 1
        right.append("plan2021_budget_usd: right, in dollars.")
    elif _close(g * MILLION, w):
        score += 0.5
        off.append("plan2021_budget_usd is in millions; the question asks for US dollars.")
    else:
        off.append("plan2021_budget_usd does not match the plan's row in `budgets`.")
    if score >= 2:
        return 2, right + ["These are the numbers every chapter 6 scenario starts from."], [], None
    return score, right, off, ("Filter `registry` on model and name (cost, plan_cameras), `counts` "
                               "on city and date (the dates are text, such as \"2014-06\"), and "
                               "`budgets` on its `item`; the budget column is in USD million.")


# --------------------------------------------------------------------------- q3: batteries or more cameras

Q3_LABELS = {"grid": "grid", "grid_only": "grid", "no_battery": "grid", "battery": "battery",
             "batteries": "battery", "with_battery": "battery"}


@_question("ex06.q3a", "per_recording", "cost per camera recording, grid only and with batteries",
           "W2", 1, 10, "Call `cost_per_recording` twice at the median supply: with no battery, "
                        "and with batteries for the rest of the day.")
def _ex06_q3a(answer):
    want = expected("ex06.q3a")
    got = _labelled(answer, "`per_recording`", Q3_LABELS, "option")
    missing = [k for k in want if k not in got]
    if missing:
        raise _Answer(f"`per_recording` has no entry for {', '.join(missing)}.")
    right, off, score = [], [], 0.0
    s = _reg("power", "supply_hours")
    for k in ("grid", "battery"):
        g, w = got[k], want[k]
        if _close(g, w, 0.001):  # tight: bridging a whole day costs only a little more
            score += 0.5
            right.append(f"{k}: right.")
        elif _close(g * MILLION, w) or _close(g, w / MILLION):
            off.append(f"{k} is in a different unit: give US dollars per camera recording.")
        elif k == "battery" and _close(g, _per_recording(s, 24.0)):
            off.append("battery: you bridged a whole day; the batteries only need to bridge the "
                       "hours the grid is off.")
        elif k == "battery" and _close(g, _per_recording(s, s)):
            off.append("battery: the battery hours should be the day's hours minus the grid's, "
                       "not the grid's hours.")
        else:
            off.append(f"{k}: your value does not match the model at the median supply.")
    if score >= 1:
        return 1, right + [f"On grid power alone each recording camera costs about "
                           f"{want['grid'] / want['battery']:.0f} times as much."], [], None
    return score, right, off, ("Use the registry's default supply hours for both, battery_hours "
                               "0 for the grid and 24 minus the supply for the batteries.")


@_question("ex06.q3b", "advantage_range", "the batteries' advantage at the median and highest supply",
           "W2, W3", 1, 12, "Fill in `advantage`, then run the cell that makes `advantage_range`.")
def _ex06_q3b(answer):
    want = expected("ex06.q3b")
    got = _labelled(answer, "`advantage_range`", {"median": "median", "default": "median",
                                                  "central": "median", "high": "high",
                                                  "highest": "high", "max": "high"}, "supply")
    missing = [k for k in want if k not in got]
    if missing:
        raise _Answer(f"`advantage_range` has no entry for {', '.join(missing)}.")
    right, off, score = [], [], 0.0
    for k in ("median", "high"):
        g, w = got[k], want[k]
        if _close(g, w):
            score += 0.5
            right.append(f"{k}: right.")
        elif _close(g, 1 / w):
            off.append(f"{k}: that is the ratio upside down (battery cost over grid cost).")
        else:
            off.append(f"{k}: your ratio does not match the model at that supply.")
    if score >= 1:
        return 1, right + ["The advantage shrinks as the grid improves, but stays above one across "
                           "Kabul's reported range."], [], None
    return score, right, off, ("advantage(s) = cost per recording on the grid alone divided by the "
                               "cost per recording with batteries for 24 - s hours.")


@_question("ex06.q3c", "worst_case", "the advantage with every battery assumption at its worst",
           "W3", 1, 8, "Pass the four battery assumptions at their worst ends to `advantage`.")
def _ex06_q3c(answer):
    want = expected("ex06.q3c")
    got = _as_number(answer, "`worst_case`")
    s = _reg("power", "supply_hours")
    if _close(got, want):
        return 1, [f"Even with the dearest, shortest-lived batteries the same money keeps about "
                   f"{want:.0f} times as many cameras recording."], [], None
    if _close(got, _advantage(s)):
        return 0, [], ["That is the advantage at the defaults: the battery assumptions were not changed."], \
            "Set watts and price to their high ends, depth of discharge and battery life to their low ends."
    best = {k: _reg("power", k, "low" if end == "high" else "high") for k, end in BATTERY_WORST.items()}
    if _close(got, _advantage(s, **best)):
        return 0, [], ["That is the best case for batteries (every assumption at the end that makes "
                       "them cheapest), not the worst."], \
            "Worst for batteries: more watts, a higher price, a shallower discharge and a shorter life."
    if _close(got, 1 / want):
        return 0, [], ["That is the ratio upside down."], "Grid cost per recording over battery cost per recording."
    return 0, [], [f"Your ratio, {got:,.2f}, does not match the model with those four assumptions at their worst."], \
        "Read the four ends from `registry` (model 'power') and pass them as keywords."


# --------------------------------------------------------------------------- q4: base rates

@_question("ex06.q4a", "precision_by_rate", "share of alerts that are true, by base rate", "W4", 2, 12,
           "Run the detection model once per base rate and keep its `precision`.")
def _ex06_q4a(answer):
    want = expected("ex06.q4a")
    x = answer
    if isinstance(x, pd.DataFrame):
        if "precision" in x.columns:
            idx = x["watchlisted_passing_per_day"] if "watchlisted_passing_per_day" in x.columns else x.index
            x = pd.Series(x["precision"].to_numpy(), index=idx)
        else:
            raise _Answer("`precision_by_rate` is a table without a `precision` column; give one "
                          "share per base rate (a Series indexed by the rate, or a dict).")
    if isinstance(x, (list, tuple, np.ndarray)) and all(_is_number(v) for v in x):
        if len(x) != len(want):
            raise _Answer(f"`precision_by_rate` has {len(x)} values; the question asks for one per "
                          f"base rate ({len(want)}).")
        x = dict(zip(want, x))
    if isinstance(x, pd.Series):
        x = dict(x.items())
    if not isinstance(x, dict):
        raise _Answer(f"`precision_by_rate` should be one share per base rate (a Series or a dict), "
                      f"but it is {_describe(x)}.")
    got: dict[float, float] = {}
    for k, v in x.items():
        try:
            rate = float(k)
        except (TypeError, ValueError):
            raise _Answer(f"`precision_by_rate` has a label {k!r}; label each share with its base "
                          f"rate (a number of people a day).") from None
        got[rate] = _as_number(v, f"The share for {k!r}")
    matched = {w: next((g for g in got if _close(g, w, 1e-9, 1e-12)), None) for w in want}
    missing = [w for w, g in matched.items() if g is None]
    inverse = [w for w, g in matched.items() if g is not None and _close(got[g], 1 / want[w], 0.01)]
    as_percent = not inverse and max(got.values(), default=0) > 1
    if as_percent:
        got = {k: v / 100 for k, v in got.items()}
    right_rates = [w for w, g in matched.items() if g is not None and _close(got[g], want[w], 0.01)]
    false_share = [w for w, g in matched.items() if g is not None and _close(got[g], 1 - want[w], 0.01)]
    right, off = [], []
    if right_rates:
        right.append(f"{len(right_rates)} of the {len(want)} shares are right"
                     + (" (given as percentages; shares are fine too)." if as_percent else "."))
    if missing:
        off.append(f"{len(missing)} base rate(s) are missing.")
    if inverse:
        off.append("Some values are upside down: that is alerts per true alert, the 'one in N'.")
    if false_share:
        off.append("Some values are the share of alerts that are false, not true.")
    if len(right_rates) == len(want):
        return 2, right + ["The share falls roughly in step with the base rate."], [], None
    score = 1 if len(right_rates) * 2 >= len(want) else 0
    return score, right, off, ("detection.detection_model(watchlisted_passing_per_day=rate) with "
                               "every other input left out (the defaults); keep ['precision'].")


@_question("ex06.q4b", "affected_share_alt", "who bears the false alerts under NIST's other comparison",
           "W4", 1, 8, "Run the model with `fmr_multiplier` set to the registry's alternative row.")
def _ex06_q4b(answer):
    from ..models import detection
    want = expected("ex06.q4b")
    got = _as_number(answer, "`affected_share_alt`")
    if got > 1:
        got = got / 100
    if _close(got, want, 0.002):
        base = float(detection.detection_model()["affected_share_of_false_alerts"])
        return 1, [f"With NIST's larger multiplier the affected group bears {want:.1%} of the "
                   f"false alerts, against {base:.1%} with the default."], [], None
    if _close(got, float(detection.detection_model()["affected_share_of_false_alerts"]), 0.002):
        return 0, [], ["That is the share with the default multiplier (women vs men)."], \
            "Set fmr_multiplier to the default of the registry row fmr_multiplier_asian_african_american."
    if _close(got, 1 - want, 0.002):
        return 0, [], ["That is the reference group's share."], "Keep the affected group's share."
    return 0, [], ["Your share does not match the model with the alternative multiplier."], \
        "detection.detection_model(fmr_multiplier=...)['affected_share_of_false_alerts']"


# --------------------------------------------------------------------------- written answers

RUBRICS["ex06.q3d"] = Rubric(
    key="ex06.q3d", variable="answer_q3d", title="what the batteries result does and does not show",
    objective="W2, W3, W5", minutes=12, words=(60, 160),
    criteria=(
        "States the result with its numbers: the advantage at the median supply, at the highest "
        "reported supply and with the batteries' worst case.",
        "Explains why the result is robust or not, naming which assumptions could and could not "
        "undo it (for example the power model's one block of supply a day, or batteries stolen or "
        "not maintained).",
        "Says what the result does not show: recording is not security, and the model has no map.",
    ),
)

RUBRICS["ex06.q5"] = Rubric(
    key="ex06.q5", variable="answer_q5", title="advice to the city",
    objective="W5 (and W1-W4)", minutes=30, words=(180, 350),
    criteria=(
        "Recommends one option (or a variant of one), saying how many cameras, where, with what "
        "power backup and under which safeguards.",
        "Supports it with at least two numbers from the chapter's models or data, each with its "
        "range or basis, and at least one source id or citation key.",
        "Answers the strongest point of the other case (security or rights) rather than ignoring it.",
        "Names one thing the models cannot tell and says how that limits the advice.",
        "Uses trauma-aware, aggregate language: no operational advice for identifying or targeting "
        "people.",
    ),
    names_question=True,
)
