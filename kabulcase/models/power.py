"""How much of the day can a grid-powered camera record? A deliberately simple model.

Chapter 2 keeps this model small on purpose; chapter 6 joins it with the cost model for a
whole network (:func:`kabulcase.figures.synthesis.network_model`). Everything it assumes is written down here, and every number it uses is
either a scenario input that the learner chooses or a named assumption in
:data:`ASSUMPTIONS`, with a default, a low-high range, a unit, a source and a reason.

The model of one day
--------------------
``recording_share(supply_hours, battery_hours, solar_hours)`` returns

    min(24, supply_hours + battery_hours + solar_hours) / 24

which is the expected share of camera-hours recording in a day. It rests on these
assumptions, each of which flatters the network (so the result is an upper bound):

1. **One block of grid supply.** The grid's hours arrive in one continuous block each
   day, so there is one outage to bridge, not many short ones.
2. **The battery is full when the outage starts.** It is recharged while the grid is on,
   however short the grid block is, and then bridges up to ``battery_hours`` of the
   outage. (With one or two hours of grid a day, a large battery could not really be
   refilled; the model ignores that.)
3. **Solar adds hours, without overlap.** A solar panel powers the camera directly for
   ``solar_hours`` of the outage that the battery does not already cover.
4. **Power is the only cause of downtime.** Cameras, recorders, network links and the
   control room never fail for any other reason, and all cameras share one supply pattern.

If, in addition, an incident is equally likely to happen at any time of day (a *uniform*
incident time), then the probability that a camera covering the spot is recording when
the incident happens equals the same share: see :func:`probability_incident_recorded`.
Incidents that cluster at particular times (for example in the evening, when demand and
outages peak) break that equality in either direction.

Battery cost
------------
``backup_cost(n_cameras, battery_hours, watts_per_camera, usd_per_kwh_storage,
depth_of_discharge)`` is the capital cost of batteries that can run ``n_cameras`` for
``battery_hours``:

    usable energy (kWh)   = n_cameras x watts_per_camera x battery_hours / 1000
    nominal capacity (kWh) = usable energy / depth_of_discharge
    cost (USD)            = nominal capacity x usd_per_kwh_storage

It leaves out chargers, inverters, enclosures, installation, replacement batteries and
theft, so it is a floor on what backup costs, not an estimate of the whole bill.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..data import DATA_DIR, load
from . import assumptions as _registry

HOURS_PER_DAY = 24.0
WATT_HOURS_PER_KWH = 1000.0
HOURS_PER_YEAR = 365 * HOURS_PER_DAY  # a calendar year of 365 days, for kWh/year to watts

# Scenario inputs the learner chooses (sliders in the live explorer). Not assumptions
# about the world: the reported Kabul supply hours come from data/kabul_supply_hours.csv.
INPUT_RANGES: dict[str, dict[str, Any]] = {
    "supply_hours": {
        "low": 0.0, "high": HOURS_PER_DAY, "unit": "hours per day",
        "description": "Hours a day the grid supplies power, in one block.",
    },
    "battery_hours": {
        "low": 0.0, "high": HOURS_PER_DAY, "unit": "hours",
        "description": "Hours of outage a full battery can bridge.",
    },
    "solar_hours": {
        "low": 0.0, "high": HOURS_PER_DAY, "unit": "hours per day",
        "description": "Hours of outage a solar panel covers directly (daylight only).",
    },
}


def _unit_cost_assumption(cost_id: str) -> dict[str, Any]:
    """One row of data/unit_costs.csv, in the ASSUMPTIONS format."""
    costs = load("unit_costs")
    row = costs[costs["cost_id"] == cost_id]
    if len(row) != 1:
        raise LookupError(f"data/unit_costs.csv has no single row with cost_id {cost_id!r}.")
    row = row.iloc[0]
    reason = row["rationale"] if pd.notna(row["rationale"]) else row["note"]
    return {
        "default": float(row["central"]),
        "low": float(row["low"]),
        "high": float(row["high"]),
        "unit": str(row["unit"]),
        "source_id": str(row["source_id"]),
        "reason": str(reason),
        "from": f"data/unit_costs.csv, cost_id {cost_id}",
    }


def _registry_assumption(name: str) -> dict[str, Any]:
    """One row of data/model_assumptions.csv (the models' registry), in the ASSUMPTIONS format."""
    a = _registry.assumption("power", name)
    return {
        "default": a.default, "low": a.low, "high": a.high, "unit": a.unit,
        "source_id": a.source_id, "reason": a.rationale,
        "from": f"data/model_assumptions.csv, model power, name {name}",
    }


# Every assumption the cost model uses, read from data/. "book-assumption" marks the book's
# own judgement where no source was found; the range is deliberately wide, and the chapter
# varies it. The three battery assumptions live in the models' registry
# (data/model_assumptions.csv), which chapter 6's network model shares.
ASSUMPTIONS: dict[str, dict[str, Any]] = {
    "watts_per_camera": _registry_assumption("watts_per_camera"),
    "usd_per_kwh_storage": _registry_assumption("usd_per_kwh_storage"),
    "depth_of_discharge": _registry_assumption("depth_of_discharge"),
    "power_backup_usd_per_camera": _unit_cost_assumption("power-backup-assumption"),
}


def _check_number(name: str, value: Any, low: float, high: float | None, unit: str) -> float:
    """Return ``value`` as a float, or raise ValueError naming the parameter and the range."""
    allowed = (f"the range {low:g} to {high:g} ({unit})" if high is not None
               else f"the range {low:g} or above ({unit})")
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(
            f"{name} must be a number in {allowed}; got {value!r} "
            f"(type {type(value).__name__})."
        )
    number = float(value)
    if math.isnan(number):
        raise ValueError(f"{name} must be a number in {allowed}; got NaN.")
    if number < low or (high is not None and number > high) or math.isinf(number):
        raise ValueError(f"{name} must be a number in {allowed}; got {value!r}.")
    return number


def _check_input(name: str, value: Any) -> float:
    spec = INPUT_RANGES[name]
    return _check_number(name, value, spec["low"], spec["high"], spec["unit"])


def recording_share(supply_hours: float, battery_hours: float, solar_hours: float = 0.0) -> float:
    """Expected share of camera-hours recording in a day, from 0 to 1.

    ``min(24, supply_hours + battery_hours + solar_hours) / 24``, under the assumptions in
    the module docstring: one block of grid supply a day, a battery recharged while the
    grid is on that bridges up to ``battery_hours`` of the outage, ``solar_hours`` of
    direct solar supply that does not overlap the battery, and no downtime other than
    power. Each input must be a number from 0 to 24; anything else raises ValueError.

    >>> recording_share(4, 6)          # (4 + 6) / 24
    0.4166666666666667
    """
    supply = _check_input("supply_hours", supply_hours)
    battery = _check_input("battery_hours", battery_hours)
    solar = _check_input("solar_hours", solar_hours)
    return min(HOURS_PER_DAY, supply + battery + solar) / HOURS_PER_DAY


def probability_incident_recorded(supply_hours: float, battery_hours: float,
                                  solar_hours: float = 0.0) -> float:
    """Probability that an incident at a random time of day is recorded.

    Assumes the incident is equally likely at any time of day (uniform incident time) and
    happens in a camera's view; then it equals :func:`recording_share`. If incidents
    cluster in the hours when the power is off, the true probability is lower; if they
    cluster in the hours when it is on, higher.
    """
    return recording_share(supply_hours, battery_hours, solar_hours)


def _default(name: str) -> float:
    return float(ASSUMPTIONS[name]["default"])


def backup_cost(n_cameras: int, battery_hours: float,
                watts_per_camera: float | None = None,
                usd_per_kwh_storage: float | None = None,
                depth_of_discharge: float | None = None) -> float:
    """Capital cost in USD of batteries that run ``n_cameras`` for ``battery_hours``.

    ``n_cameras x watts_per_camera x battery_hours / 1000 / depth_of_discharge x
    usd_per_kwh_storage``. Omitted assumptions take their default from
    :data:`ASSUMPTIONS`. Batteries only: no chargers, inverters, installation or
    replacements.

    >>> backup_cost(1, 10, watts_per_camera=10, usd_per_kwh_storage=300, depth_of_discharge=0.5)
    60.0
    """
    if isinstance(n_cameras, bool) or not isinstance(n_cameras, numbers.Integral):
        raise ValueError(
            f"n_cameras must be a whole number, 0 or more; got {n_cameras!r} "
            f"(type {type(n_cameras).__name__})."
        )
    if n_cameras < 0:
        raise ValueError(f"n_cameras must be a whole number, 0 or more; got {n_cameras!r}.")
    hours = _check_input("battery_hours", battery_hours)
    watts = _default("watts_per_camera") if watts_per_camera is None else watts_per_camera
    watts = _check_number("watts_per_camera", watts, 0.0, None, "W")
    price = _default("usd_per_kwh_storage") if usd_per_kwh_storage is None else usd_per_kwh_storage
    price = _check_number("usd_per_kwh_storage", price, 0.0, None, "USD per kWh")
    dod = _default("depth_of_discharge") if depth_of_discharge is None else depth_of_discharge
    dod = _check_number("depth_of_discharge", dod, 0.0, 1.0, "share of capacity")
    if dod == 0:
        raise ValueError("depth_of_discharge must be more than 0 and at most 1; got 0.")
    usable_kwh = int(n_cameras) * watts * hours / WATT_HOURS_PER_KWH
    return usable_kwh / dod * price


def backup_cost_range(n_cameras: int, battery_hours: float) -> dict[str, float]:
    """Low, central and high battery cost, with every assumption at its low, default or high.

    ``low`` combines the lowest draw and price with the deepest discharge (the smallest
    battery); ``high`` the highest draw and price with the shallowest discharge.
    """
    a = ASSUMPTIONS
    return {
        "low": backup_cost(n_cameras, battery_hours, a["watts_per_camera"]["low"],
                           a["usd_per_kwh_storage"]["low"], a["depth_of_discharge"]["high"]),
        "central": backup_cost(n_cameras, battery_hours),
        "high": backup_cost(n_cameras, battery_hours, a["watts_per_camera"]["high"],
                            a["usd_per_kwh_storage"]["high"], a["depth_of_discharge"]["low"]),
    }


def assumptions_table() -> pd.DataFrame:
    """ASSUMPTIONS as a table, for the chapter."""
    return pd.DataFrame([
        {"name": name, "default": spec["default"], "low": spec["low"], "high": spec["high"],
         "unit": spec["unit"], "source_id": spec["source_id"], "reason": spec["reason"]}
        for name, spec in ASSUMPTIONS.items()
    ])


def report_midpoints(supply: pd.DataFrame | None = None) -> pd.Series:
    """Each Kabul supply report as one number: the midpoint of its low-high range."""
    supply = load("kabul_supply_hours") if supply is None else supply
    for col in ("hours_low", "hours_high"):
        if col not in supply.columns:
            raise ValueError(f"The supply table needs a {col!r} column (from kabul_supply_hours).")
    return (supply["hours_low"] + supply["hours_high"]) / 2


def typical_supply_hours(supply: pd.DataFrame | None = None) -> dict[str, float]:
    """The median of the reports' midpoints, and the lowest and highest hours reported.

    Every report counts once, whoever made it (residents, officials, news summaries), and
    all the reports describe winter outages, so the median is a winter figure.
    """
    supply = load("kabul_supply_hours") if supply is None else supply
    mids = report_midpoints(supply)
    return {"median": float(mids.median()), "low": float(supply["hours_low"].min()),
            "high": float(supply["hours_high"].max()), "n_reports": int(len(supply))}


# ---------------------------------------------------------------------------------------
# The network model (chapter 6): supply as a distribution of days, battery and solar
# backup, cameras that break, and what backup power costs to buy and to keep
# ---------------------------------------------------------------------------------------
#
# Chapter 6 extends the one-day model above to a whole network. The same formula is used
# for every camera and every day (a test checks it against recording_share and
# backup_cost), with three additions:
#
# * **Supply as a distribution of days.** Kabul's supply is reported as a range, not a
#   number. ``supply_days`` takes an array of daily hours, a low/central/high triangle, or
#   the reports themselves (each report equally likely, hours spread evenly across its
#   range); the model averages over the days. Because the share is capped at a full day,
#   the average over the days is never above the share on an average day.
# * **Solar on some cameras.** A share ``solar_share`` of cameras has its own panel that
#   covers ``solar_hours`` of the outage the battery does not (assumption 3 above).
# * **Cameras that break.** ``working_share`` of the cameras work at all (the rest are
#   broken for reasons other than power); chapter 2 assumes all of them.
#
# Recording share (for the cameras as a whole) =
#     working_share x [ (1 - solar_share) x mean_days min(24, S + B)
#                       + solar_share x mean_days min(24, S + B + solar_hours) ] / 24
# A network of no cameras records nothing: with n_cameras = 0 every share is 0.
#
# Backup costs: batteries as in backup_cost for every camera; solar kits at
# ``solar_kit_usd`` for each camera with a panel. A year of running costs spreads the
# battery's price over its life and adds the cost model's maintenance rate on the kits.
# Grid electricity, chargers, inverters and theft are left out, so costs are floors.

NETWORK_PARAMETERS: dict[str, tuple[str, str]] = {
    # keyword -> (registry model, registry name) in data/model_assumptions.csv
    "supply_hours": ("power", "supply_hours"),
    "battery_hours": ("power", "battery_hours"),
    "solar_share": ("power", "solar_share"),
    "solar_hours": ("power", "solar_hours"),
    "working_share": ("power", "working_share"),
    "n_cameras": ("shared", "n_cameras"),
    "watts_per_camera": ("power", "watts_per_camera"),
    "usd_per_kwh_storage": ("power", "usd_per_kwh_storage"),
    "depth_of_discharge": ("power", "depth_of_discharge"),
    "battery_life_years": ("power", "battery_life_years"),
    "solar_kit_usd": ("power", "solar_kit_usd"),
    "maintenance_rate": ("cost", "maintenance_rate"),
}
"""Every keyword of :func:`power_model` and the registry row that gives its default and range."""

# Allowed (physically possible) values: (low, high or None, unit, low excluded).
_BOUNDS: dict[str, tuple[float, float | None, str, bool]] = {
    "supply_hours": (0.0, HOURS_PER_DAY, "hours per day", False),
    "battery_hours": (0.0, HOURS_PER_DAY, "hours", False),
    "solar_share": (0.0, 1.0, "share of cameras", False),
    "solar_hours": (0.0, HOURS_PER_DAY, "hours per day", False),
    "working_share": (0.0, 1.0, "share of cameras", False),
    "n_cameras": (0.0, None, "cameras", False),
    "watts_per_camera": (0.0, None, "W", False),
    "usd_per_kwh_storage": (0.0, None, "USD per kWh", False),
    "depth_of_discharge": (0.0, 1.0, "share of capacity", True),
    "battery_life_years": (0.0, None, "years", True),
    "solar_kit_usd": (0.0, None, "USD per camera", False),
    "maintenance_rate": (0.0, 1.0, "share of capital cost per year", False),
}
POINTS_PER_REPORT = 24
"""Days each supply report contributes to the Kabul distribution (spread evenly across
its low-high range): 7 reports give 168 equally likely days."""
TRIANGLE_POINTS = 120
"""Days a low/central/high triangle is turned into (its quantiles at (i + 0.5) / 120)."""
_KABUL_DAYS: dict[str, Any] = {}  # the Kabul days, computed again only when the file changes


def _param(name: str, value: Any) -> Any:
    if value is None:
        model_name, row = NETWORK_PARAMETERS[name]
        value = _registry.default(model_name, row)
    low, high, unit, low_open = _BOUNDS[name]
    return _registry.check(name, value, low, high, unit, low_open=low_open)


def _triangle_quantiles(low: float, mode: float, high: float, points: int) -> np.ndarray:
    """Evenly spaced quantiles of a triangular distribution (deterministic, no sampling)."""
    u = (np.arange(points) + 0.5) / points
    if high == low:
        return np.full(points, low)
    cut = (mode - low) / (high - low)
    left = low + np.sqrt(u * (high - low) * (mode - low))
    right = high - np.sqrt((1 - u) * (high - low) * (high - mode))
    return np.where(u < cut, left, right)


def supply_distribution(spec: Any = "kabul", supply: pd.DataFrame | None = None) -> np.ndarray:
    """Daily grid supply hours as an array of equally likely days.

    ``spec`` may be

    * ``"kabul"`` (the default): the reported Kabul range from
      ``data/kabul_supply_hours.csv``; every report counts once and its hours are spread
      evenly from ``hours_low`` to ``hours_high`` (:data:`POINTS_PER_REPORT` days each);
    * a number: every day the same;
    * a sequence or 1-D array of daily hours (for example a year of days);
    * a mapping with ``low``, ``central`` (or ``default``) and ``high``: a triangular
      distribution, turned into :data:`TRIANGLE_POINTS` evenly spaced quantiles.

    Every value must be from 0 to 24 hours; ValueError otherwise (naming ``supply_days``).

    >>> round(float(supply_distribution({"low": 0, "central": 2, "high": 6}).mean()), 2)
    2.67
    """
    name = "supply_days"
    if isinstance(spec, str):
        if spec != "kabul":
            raise ValueError(f"{name} must be 'kabul', a number, a list of daily hours or a "
                             f"mapping with low, central and high (0 to 24 hours); got {spec!r}.")
        if supply is None:
            key = (DATA_DIR / "kabul_supply_hours.csv").stat().st_mtime
            if _KABUL_DAYS.get("key") != key:
                _KABUL_DAYS.update(key=key, days=supply_distribution(spec, load("kabul_supply_hours")))
            return _KABUL_DAYS["days"].copy()
        for col in ("hours_low", "hours_high"):
            if col not in supply.columns:
                raise ValueError(f"The supply table needs a {col!r} column (from kabul_supply_hours).")
        lows = _registry.check(f"{name} (hours_low)", supply["hours_low"].to_numpy(float),
                               0.0, HOURS_PER_DAY, "hours per day")
        highs = _registry.check(f"{name} (hours_high)", supply["hours_high"].to_numpy(float),
                                0.0, HOURS_PER_DAY, "hours per day")
        if np.any(highs < lows):
            raise ValueError(f"{name}: every report's hours_high must be at least its hours_low.")
        u = (np.arange(POINTS_PER_REPORT) + 0.5) / POINTS_PER_REPORT
        return (lows[:, None] + (highs - lows)[:, None] * u[None, :]).ravel()
    if isinstance(spec, Mapping):
        missing = [k for k in ("low", "high") if k not in spec]
        centre_key = "central" if "central" in spec else "default" if "default" in spec else None
        if missing or centre_key is None:
            raise ValueError(f"{name} as a mapping needs low, central (or default) and high; got "
                             f"keys {', '.join(map(str, spec)) or 'none'}.")
        lo, mid, hi = (_registry.check(f"{name}[{k!r}]", spec[k], 0.0, HOURS_PER_DAY, "hours per day")
                       for k in ("low", centre_key, "high"))
        if not lo <= mid <= hi:
            raise ValueError(f"{name} must have low <= central <= high; got low {lo:g}, central "
                             f"{mid:g}, high {hi:g}.")
        return _triangle_quantiles(lo, mid, hi, TRIANGLE_POINTS)
    if isinstance(spec, numbers.Real) and not isinstance(spec, bool):
        return np.array([_registry.check(name, spec, 0.0, HOURS_PER_DAY, "hours per day")])
    if isinstance(spec, (Sequence, np.ndarray)) and not isinstance(spec, (bytes, bytearray)):
        days = _registry.check(name, np.asarray(spec) if len(spec) else spec, 0.0, HOURS_PER_DAY,
                               "hours per day")
        if np.ndim(days) != 1:
            raise ValueError(f"{name} must be a flat list of daily hours; got an array of shape "
                             f"{np.shape(days)}.")
        return np.asarray(days, dtype=float)
    raise ValueError(f"{name} must be 'kabul', a number, a list of daily hours or a mapping with "
                     f"low, central and high (0 to 24 hours); got {spec!r} (type "
                     f"{type(spec).__name__}).")


def sample_supply_days(n: int, seed: int | None = None,
                       supply: pd.DataFrame | None = None) -> np.ndarray:
    """``n`` random days drawn from the Kabul reports (a report at random, then hours
    uniform within its range), for illustrations and simulations. Seeded: the same seed
    gives the same days."""
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 1:
        raise ValueError(f"n must be a whole number of days, 1 or more; got {n!r}.")
    supply = load("kabul_supply_hours") if supply is None else supply
    rng = np.random.default_rng(seed)
    pick = rng.integers(0, len(supply), size=int(n))
    lows = supply["hours_low"].to_numpy(float)[pick]
    highs = supply["hours_high"].to_numpy(float)[pick]
    return lows + (highs - lows) * rng.random(int(n))


def _mean_capped(supply: np.ndarray, extra: np.ndarray, days: bool) -> np.ndarray:
    """mean over days of min(24, supply + extra), or min(24, supply + extra) per scenario.

    Over days, exactly and without a days x scenarios array: with t = 24 - extra,
    mean(min(24, S + e)) = mean(S) + e - sum over days with S > t of (S - t) / D,
    where the days above t are found in the sorted days and summed from a suffix sum.
    """
    if not days:
        return np.minimum(HOURS_PER_DAY, supply + extra)
    s = np.sort(supply)
    d = s.size
    suffix = np.concatenate([np.cumsum(s[::-1])[::-1], [0.0]])  # suffix[k] = sum of s[k:]
    e = np.asarray(extra, dtype=float)
    t = HOURS_PER_DAY - e
    k = np.searchsorted(s, t, side="right")
    above = suffix[k] - (d - k) * t
    return s.mean() + e - above / d


def network_uptime(supply_hours: Any = None, battery_hours: Any = None, solar_share: Any = None,
                   solar_hours: Any = None, working_share: Any = None, n_cameras: Any = None,
                   *, supply_days: Any = None) -> dict[str, Any]:
    """How much a network of cameras records, from grid supply, backup and broken cameras.

    Give grid supply either as ``supply_hours`` (hours on every day; a number, or an array
    with one value per scenario) or as ``supply_days`` (a distribution of days: see
    :func:`supply_distribution`; ``"kabul"`` for the reported range), not both. Omitted
    inputs take their defaults from ``data/model_assumptions.csv``. Every input may be a
    number or a numpy array (one value per scenario or random draw); arrays broadcast.

    Returns (floats for single inputs, arrays otherwise):

    * ``share_recording``: expected share of camera-hours recording, 0 to 1;
    * ``p_incident_recorded``: probability that an incident at a random time of day, in
      view of a camera, is recorded (equal to the share under uniform incident times);
    * ``share_grid_only``: the share without any battery or solar, for comparison;
    * ``hours_recording_per_camera``: the share times 24 hours;
    * ``camera_hours_recorded_per_day``: for the whole network.

    >>> r = network_uptime(supply_hours=4, battery_hours=6, solar_share=0.5, solar_hours=4,
    ...                    working_share=1, n_cameras=10)
    >>> round(r["share_recording"], 4)   # (0.5 x 10 + 0.5 x 14) / 24
    0.5
    """
    if supply_days is not None and supply_hours is not None:
        raise ValueError("Give grid supply as supply_hours (the same hours every day) or as "
                         "supply_days (a distribution of days), not both; got supply_hours="
                         f"{supply_hours!r} and supply_days={supply_days!r}.")
    days = supply_days is not None
    supply = supply_distribution(supply_days) if days else _param("supply_hours", supply_hours)
    b = _param("battery_hours", battery_hours)
    ss = _param("solar_share", solar_share)
    sh = _param("solar_hours", solar_hours)
    w = _param("working_share", working_share)
    n = _param("n_cameras", n_cameras)
    zero = np.zeros(np.broadcast_shapes(np.shape(b), np.shape(sh), np.shape(ss), np.shape(w),
                                        np.shape(n), () if days else np.shape(supply)))
    grid_only = _mean_capped(supply, zero, days) / HOURS_PER_DAY
    no_solar = _mean_capped(supply, b + zero, days) / HOURS_PER_DAY
    with_solar = _mean_capped(supply, b + sh + zero, days) / HOURS_PER_DAY
    has = np.asarray(n) > 0
    share = np.where(has, w * ((1 - ss) * no_solar + ss * with_solar), 0.0)
    return _registry.as_output({
        "share_recording": share,
        "p_incident_recorded": share,
        "share_grid_only": np.where(has, w * grid_only, 0.0),
        "hours_recording_per_camera": share * HOURS_PER_DAY,
        "camera_hours_recorded_per_day": n * HOURS_PER_DAY * share,
    })


def backup_power_costs(n_cameras: Any = None, battery_hours: Any = None, solar_share: Any = None,
                       watts_per_camera: Any = None, usd_per_kwh_storage: Any = None,
                       depth_of_discharge: Any = None, battery_life_years: Any = None,
                       solar_kit_usd: Any = None, maintenance_rate: Any = None) -> dict[str, Any]:
    """Capital and yearly running cost (USD) of backup power for a network.

    * ``battery_capex_usd`` = n x watts x battery hours / 1000 / depth of discharge x USD
      per kWh (the formula of :func:`backup_cost`);
    * ``solar_capex_usd`` = n x solar share x solar kit price;
    * ``backup_capex_usd`` = the two together, and ``backup_capex_per_camera_usd``;
    * ``backup_usd_per_year`` = battery capex / battery life + solar capex x maintenance
      rate (replacing batteries as they wear out, and upkeep of the panels).

    Omitted inputs take their registry defaults. Batteries and panels only: no chargers,
    inverters, installation, grid electricity or theft, so these are floors.

    >>> backup_power_costs(n_cameras=100, battery_hours=10, solar_share=0, watts_per_camera=10,
    ...                    usd_per_kwh_storage=300, depth_of_discharge=0.5,
    ...                    battery_life_years=4)["backup_usd_per_year"]   # 6,000 / 4
    1500.0
    """
    n = _param("n_cameras", n_cameras)
    b = _param("battery_hours", battery_hours)
    ss = _param("solar_share", solar_share)
    watts = _param("watts_per_camera", watts_per_camera)
    price = _param("usd_per_kwh_storage", usd_per_kwh_storage)
    dod = _param("depth_of_discharge", depth_of_discharge)
    life = _param("battery_life_years", battery_life_years)
    kit = _param("solar_kit_usd", solar_kit_usd)
    rate = _param("maintenance_rate", maintenance_rate)
    battery = n * watts * b / WATT_HOURS_PER_KWH / dod * price
    solar = n * ss * kit
    capex = battery + solar
    per_camera = np.where(np.asarray(n) > 0, capex / np.where(np.asarray(n) > 0, n, 1.0), 0.0)
    return _registry.as_output({
        "battery_capex_usd": battery,
        "solar_capex_usd": solar,
        "backup_capex_usd": capex,
        "backup_capex_per_camera_usd": per_camera,
        "backup_usd_per_year": battery / life + solar * rate,
    })


def power_model(supply_hours: Any = None, battery_hours: Any = None, solar_share: Any = None,
                solar_hours: Any = None, working_share: Any = None, n_cameras: Any = None,
                watts_per_camera: Any = None, usd_per_kwh_storage: Any = None,
                depth_of_discharge: Any = None, battery_life_years: Any = None,
                solar_kit_usd: Any = None, maintenance_rate: Any = None, *,
                supply_days: Any = None) -> dict[str, Any]:
    """The whole power model: :func:`network_uptime` and :func:`backup_power_costs` in one
    dict (the function the dashboards, Monte Carlo runs and tornado charts call).

    >>> r = power_model(supply_hours=2, battery_hours=0, working_share=1)
    >>> round(r["share_recording"], 4), r["backup_capex_usd"]   # 2 / 24; no battery, no solar
    (0.0833, 0.0)
    """
    up = network_uptime(supply_hours, battery_hours, solar_share, solar_hours, working_share,
                        n_cameras, supply_days=supply_days)
    cost = backup_power_costs(n_cameras, battery_hours, solar_share, watts_per_camera,
                              usd_per_kwh_storage, depth_of_discharge, battery_life_years,
                              solar_kit_usd, maintenance_rate)
    return {**up, **cost}


POWER_OUTPUTS: dict[str, str] = {
    "share_recording": "Share of camera-hours recording",
    "p_incident_recorded": "Chance an incident at a random time is recorded",
    "share_grid_only": "Share recording on grid power alone",
    "hours_recording_per_camera": "Hours a day each camera records",
    "camera_hours_recorded_per_day": "Camera-hours recorded per day (whole network)",
    "battery_capex_usd": "Batteries (USD)",
    "solar_capex_usd": "Solar kits (USD)",
    "backup_capex_usd": "Backup power, capital cost (USD)",
    "backup_capex_per_camera_usd": "Backup power per camera (USD)",
    "backup_usd_per_year": "Backup power, yearly running cost (USD)",
}
"""Labels for the outputs of :func:`power_model`."""
