"""What would a camera network cost to build and to run? A deployment-cost model.

Chapter 5's :func:`kabulcase.figures.money.rollout_costs` adds up cameras, network, backup
power and maintenance. This model is its superset: it adds the control room (seats) and
the operators who watch the screens, a schedule over any number of years, the total cost
of ownership, and comparisons with the 2021 plan, the 2022 budget and Safe City projects
elsewhere. With no control room and no operators it gives exactly chapter 5's numbers (a
test checks this).

Every input is a keyword with a default from ``data/model_assumptions.csv``; the six unit
costs there are copies of ``data/unit_costs.csv`` rows (:data:`UNIT_COST_IDS`), and
:func:`unit_costs_case` reads the low, central or high case straight from that file, with
the row ids. Every input may be a number or a numpy array (one value per scenario or
random draw).

The model
---------
Per camera (USD):

    capital per camera  = camera + network + power backup + seat / cameras per screen x operators per screen
    posts per camera    = operators per screen / cameras per screen    (seats staffed at any moment)
    staff per camera    = posts per camera x staff per post            (people employed, for round-the-clock cover)
    running per camera  = maintenance rate x capital per camera + staff per camera x operator pay    (a year)

Over the build, an equal share of the cameras is installed each year for ``rollout_years``
years; a camera (with its share of the control room and staff) starts costing its running
cost in the year after it is installed, as in chapter 5. The total cost of ownership over
``horizon_years`` adds every year's capital and running cost.

What it leaves out: electricity from the grid, buildings, software licences beyond the
seats, data storage, training, corruption and theft, and the cost to households that were
ordered to buy cameras. Counts of seats and staff are not rounded up to whole people, so
costs are smooth in every input. Everything is in US dollars of the unit costs' years
(mixed: 2013 to 2023), not adjusted for inflation.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
import pandas as pd

from ..data import load
from . import assumptions as _registry

MODEL = "cost"
MILLION = 1e6

PARAMETERS: dict[str, tuple[str, str]] = {
    "n_cameras": ("shared", "n_cameras"),
    "camera_usd": (MODEL, "camera_usd"),
    "network_usd": (MODEL, "network_usd"),
    "power_backup_usd": (MODEL, "power_backup_usd"),
    "seat_usd": (MODEL, "seat_usd"),
    "cameras_per_screen": (MODEL, "cameras_per_screen"),
    "operators_per_screen": (MODEL, "operators_per_screen"),
    "staff_per_post": (MODEL, "staff_per_post"),
    "operator_salary_usd": (MODEL, "operator_salary_usd"),
    "maintenance_rate": (MODEL, "maintenance_rate"),
    "rollout_years": (MODEL, "rollout_years"),
    "horizon_years": (MODEL, "horizon_years"),
}
"""Every keyword of :func:`deployment_cost` and the registry row behind its default."""

UNIT_COST_IDS: dict[str, str] = {
    "camera_usd": "camera-us-municipal",
    "network_usd": "network-assumption",
    "power_backup_usd": "power-backup-assumption",
    "seat_usd": "control-room-seat-assumption",
    "operator_salary_usd": "operator-salary-assumption",
    "maintenance_rate": "maintenance-rate-assumption",
}
"""The unit costs and the ``cost_id`` of the ``data/unit_costs.csv`` row each comes from."""

UNIT_COSTS = ("camera_usd", "network_usd", "power_backup_usd", "seat_usd",
              "operator_salary_usd", "maintenance_rate")
CASES = ("low", "central", "high")
MAX_YEARS = 50

# Physically possible values: (low, high or None, unit, low excluded, whole number).
_BOUNDS: dict[str, tuple[float, float | None, str, bool, bool]] = {
    "n_cameras": (0.0, None, "cameras", False, False),
    "camera_usd": (0.0, None, "USD per camera", False, False),
    "network_usd": (0.0, None, "USD per camera", False, False),
    "power_backup_usd": (0.0, None, "USD per camera", False, False),
    "seat_usd": (0.0, None, "USD per seat", False, False),
    "cameras_per_screen": (0.0, None, "cameras per screen", True, False),
    "operators_per_screen": (0.0, None, "operators per screen", False, False),
    "staff_per_post": (0.0, None, "operators per post", False, False),
    "operator_salary_usd": (0.0, None, "USD per operator per year", False, False),
    "maintenance_rate": (0.0, 1.0, "share of capital cost per year", False, False),
    "rollout_years": (1.0, float(MAX_YEARS), "years", False, True),
    "horizon_years": (1.0, float(MAX_YEARS), "years", False, True),
}

OUTPUTS: dict[str, str] = {
    "capex_usd": "Capital cost of the whole network (USD)",
    "capex_cameras_usd": "Cameras, network and backup power (USD)",
    "capex_control_room_usd": "Control-room seats (USD)",
    "capex_per_camera_usd": "Capital cost per camera, all in (USD)",
    "screens": "Control-room screens",
    "posts": "Seats staffed at any moment",
    "operators": "Operators employed",
    "staff_usd_per_year": "Operators' pay per year (USD)",
    "maintenance_usd_per_year": "Maintenance per year (USD)",
    "opex_usd_per_year": "Running cost per year once built (USD)",
    "build_capex_usd": "Capital spent within the horizon (USD)",
    "horizon_opex_usd": "Running costs within the horizon (USD)",
    "tco_usd": "Total cost of ownership (USD)",
    "tco_per_camera_per_year_usd": "Total cost per camera per year (USD)",
    "opex_share_of_tco": "Running costs' share of the total",
}
"""Labels for the outputs of :func:`deployment_cost`."""


def _param(name: str, value: Any) -> Any:
    if value is None:
        model, row = PARAMETERS[name]
        value = _registry.default(model, row)
    low, high, unit, low_open, whole = _BOUNDS[name]
    return _registry.check(name, value, low, high, unit, low_open=low_open, whole=whole)


def _params(values: dict[str, Any]) -> dict[str, Any]:
    return {name: _param(name, values.get(name)) for name in PARAMETERS}


def _years_in_service(rollout: Any, horizon: Any) -> Any:
    """Sum over years 1..horizon of the share of the network in service at the start of
    the year, min(year - 1, rollout) / rollout (closed form, works on arrays).

    Years 1..R+1 contribute 0, 1/R, ..., R/R = (R + 1) / 2 in all; each later year adds 1.
    Up to year N <= R + 1 the sum is N (N - 1) / (2 R).
    """
    r = np.asarray(rollout, dtype=float)
    n = np.asarray(horizon, dtype=float)
    early = n * (n - 1) / (2 * r)
    late = (r + 1) / 2 + (n - r - 1)
    return np.where(n <= r + 1, early, late)


def deployment_cost(n_cameras: Any = None, camera_usd: Any = None, network_usd: Any = None,
                    power_backup_usd: Any = None, seat_usd: Any = None,
                    cameras_per_screen: Any = None, operators_per_screen: Any = None,
                    staff_per_post: Any = None, operator_salary_usd: Any = None,
                    maintenance_rate: Any = None, rollout_years: Any = None,
                    horizon_years: Any = None) -> dict[str, Any]:
    """Capital cost, yearly running cost and total cost of ownership of a camera network.

    Omitted inputs take their defaults from ``data/model_assumptions.csv`` (see
    :data:`PARAMETERS`); invalid ones raise ValueError naming the parameter, the value and
    the allowed range. Returns a dict of :data:`OUTPUTS` (floats for single inputs, arrays
    for arrays). A network of no cameras costs nothing.

    >>> r = deployment_cost(n_cameras=1000, camera_usd=5000, network_usd=1000,
    ...                     power_backup_usd=0, seat_usd=10000, cameras_per_screen=20,
    ...                     operators_per_screen=0.5, staff_per_post=4,
    ...                     operator_salary_usd=2000, maintenance_rate=0.1,
    ...                     rollout_years=4, horizon_years=10)
    >>> r["capex_usd"]     # 1000 x (5000 + 1000) + (1000 / 20 x 0.5 = 25 seats) x 10000
    6250000.0
    """
    p = _params(dict(n_cameras=n_cameras, camera_usd=camera_usd, network_usd=network_usd,
                     power_backup_usd=power_backup_usd, seat_usd=seat_usd,
                     cameras_per_screen=cameras_per_screen,
                     operators_per_screen=operators_per_screen, staff_per_post=staff_per_post,
                     operator_salary_usd=operator_salary_usd, maintenance_rate=maintenance_rate,
                     rollout_years=rollout_years, horizon_years=horizon_years))
    n = p["n_cameras"]
    screens = n / p["cameras_per_screen"]
    posts = screens * p["operators_per_screen"]
    operators = posts * p["staff_per_post"]
    capex_cameras = n * (p["camera_usd"] + p["network_usd"] + p["power_backup_usd"])
    capex_room = posts * p["seat_usd"]
    capex = capex_cameras + capex_room
    staff = operators * p["operator_salary_usd"]
    maintenance = p["maintenance_rate"] * capex
    opex = staff + maintenance
    r, h = p["rollout_years"], p["horizon_years"]
    built_share = np.minimum(h, r) / r
    build_capex = capex * built_share
    horizon_opex = opex * _years_in_service(r, h)
    tco = build_capex + horizon_opex
    has = np.asarray(n) > 0
    safe_n = np.where(has, n, 1.0)
    return _registry.as_output({
        "capex_usd": capex,
        "capex_cameras_usd": capex_cameras,
        "capex_control_room_usd": capex_room,
        "capex_per_camera_usd": np.where(has, capex / safe_n, 0.0),
        "screens": screens,
        "posts": posts,
        "operators": operators,
        "staff_usd_per_year": staff,
        "maintenance_usd_per_year": maintenance,
        "opex_usd_per_year": opex,
        "build_capex_usd": build_capex,
        "horizon_opex_usd": horizon_opex,
        "tco_usd": tco,
        "tco_per_camera_per_year_usd": np.where(has, tco / safe_n / h, 0.0),
        "opex_share_of_tco": np.where(tco > 0, horizon_opex / np.where(tco > 0, tco, 1.0), 0.0),
    })


def _scalar(name: str, value: Any) -> float:
    v = _param(name, value)
    if isinstance(v, np.ndarray):
        raise ValueError(f"{name} must be a single number here (the schedule is one scenario); "
                         f"got an array of {v.size} values.")
    return v


def rollout_schedule(n_cameras: Any = None, camera_usd: Any = None, network_usd: Any = None,
                     power_backup_usd: Any = None, seat_usd: Any = None,
                     cameras_per_screen: Any = None, operators_per_screen: Any = None,
                     staff_per_post: Any = None, operator_salary_usd: Any = None,
                     maintenance_rate: Any = None, rollout_years: Any = None,
                     horizon_years: Any = None) -> pd.DataFrame:
    """The year-by-year schedule of one scenario (single numbers only).

    One row per year 1..``horizon_years`` with ``phase`` ("build" or "running"),
    ``cameras_installed`` that year, ``cameras_in_service`` at the start of the year,
    ``capex_usd``, ``maintenance_usd``, ``staff_usd``, ``opex_usd`` (the two together),
    ``total_usd``, and the running sums ``cumulative_capex_usd``, ``cumulative_opex_usd`` and
    ``cumulative_total_usd``. Its totals equal :func:`deployment_cost`'s ``tco_usd``.
    """
    given = dict(n_cameras=n_cameras, camera_usd=camera_usd, network_usd=network_usd,
                 power_backup_usd=power_backup_usd, seat_usd=seat_usd,
                 cameras_per_screen=cameras_per_screen, operators_per_screen=operators_per_screen,
                 staff_per_post=staff_per_post, operator_salary_usd=operator_salary_usd,
                 maintenance_rate=maintenance_rate, rollout_years=rollout_years,
                 horizon_years=horizon_years)
    p = {name: _scalar(name, given[name]) for name in PARAMETERS}
    one = deployment_cost(**{**p, "n_cameras": 1.0})  # per camera
    n, r, h = p["n_cameras"], int(p["rollout_years"]), int(p["horizon_years"])
    years = np.arange(1, h + 1)
    installed = np.where(years <= r, n / r, 0.0)
    in_service = n * np.minimum(years - 1, r) / r
    capex = installed * one["capex_usd"]
    maintenance = in_service * one["maintenance_usd_per_year"]
    staff = in_service * one["staff_usd_per_year"]
    out = pd.DataFrame({
        "year": years,
        "phase": np.where(years <= r, "build", "running"),
        "cameras_installed": installed,
        "cameras_in_service": in_service,
        "capex_usd": capex,
        "maintenance_usd": maintenance,
        "staff_usd": staff,
        "opex_usd": maintenance + staff,
        "total_usd": capex + maintenance + staff,
    })
    out["cumulative_capex_usd"] = out["capex_usd"].cumsum()
    out["cumulative_opex_usd"] = out["opex_usd"].cumsum()
    out["cumulative_total_usd"] = out["total_usd"].cumsum()
    return out


# ---------------------------------------------------------------------------------------
# Unit costs straight from data/unit_costs.csv
# ---------------------------------------------------------------------------------------

def unit_cost_inputs(unit_costs: pd.DataFrame | None = None) -> pd.DataFrame:
    """The six unit costs with their low, central and high values, read from
    ``data/unit_costs.csv``: one row per parameter with ``cost_id``, ``unit``, ``low``,
    ``central``, ``high``, ``central_basis``, ``basis`` and ``source_id``. Where the source
    gives only a range, the central value is its middle (``central_basis`` says so)."""
    unit_costs = load("unit_costs") if unit_costs is None else unit_costs
    need = ["cost_id", "unit", "low", "central", "high", "basis", "source_id"]
    missing = [c for c in need if c not in unit_costs.columns]
    if missing:
        raise ValueError(f"unit_costs needs the column(s) {', '.join(missing)} (from data/unit_costs.csv).")
    rows = []
    for name, cost_id in UNIT_COST_IDS.items():
        hit = unit_costs[unit_costs["cost_id"] == cost_id]
        if len(hit) != 1:
            raise ValueError(f"unit_costs has no single row with cost_id {cost_id!r} (for {name}).")
        r = hit.iloc[0]
        if pd.isna(r["low"]) or pd.isna(r["high"]):
            raise ValueError(f"unit cost {cost_id!r} needs a low and a high value (for {name}).")
        central = r["central"]
        basis = "stated" if r["basis"] == "sourced" else str(r["basis"])
        if pd.isna(central):
            central = (float(r["low"]) + float(r["high"])) / 2
            basis = "middle of the sourced range (book's arithmetic)"
        rows.append({"parameter": name, "cost_id": cost_id, "unit": str(r["unit"]),
                     "low": float(r["low"]), "central": float(central), "high": float(r["high"]),
                     "central_basis": basis, "basis": str(r["basis"]),
                     "source_id": str(r["source_id"])})
    out = pd.DataFrame(rows)
    out.attrs = dict(unit_costs.attrs)
    return out


def unit_costs_case(case: str = "central", unit_costs: pd.DataFrame | None = None) -> dict[str, float]:
    """The six unit costs all at their ``low``, ``central`` or ``high`` value, as keyword
    arguments for :func:`deployment_cost` (read from ``data/unit_costs.csv``)."""
    if case not in CASES:
        raise ValueError(f"case must be one of {', '.join(CASES)}; got {case!r}.")
    inputs = unit_cost_inputs(unit_costs)
    return {r.parameter: float(getattr(r, case)) for r in inputs.itertuples()}


def chapter5_rollout(cameras: int, years: int = 4, case: str = "central",
                     unit_costs: pd.DataFrame | None = None) -> pd.DataFrame:
    """Chapter 5's simple rollout (``figures.money.rollout_costs``) computed with this model:
    no control room and no operators, ``years`` of building and one year of upkeep. Columns
    as in chapter 5: year, phase, case, cameras_installed, capital_usd, maintenance_usd,
    total_usd."""
    if isinstance(cameras, bool) or not isinstance(cameras, numbers.Integral) or cameras < 1:
        raise ValueError(f"cameras must be a whole number, 1 or more; got {cameras!r}.")
    if isinstance(years, bool) or not isinstance(years, numbers.Integral) or years < 1:
        raise ValueError(f"years must be a whole number, 1 or more; got {years!r}.")
    costs = unit_costs_case(case, unit_costs)
    s = rollout_schedule(n_cameras=cameras, **costs, operators_per_screen=0.0,
                         rollout_years=years, horizon_years=years + 1)
    return pd.DataFrame({
        "year": s["year"], "phase": np.where(s["phase"] == "build", "rollout", "after rollout"),
        "case": case, "cameras_installed": s["cameras_installed"], "capital_usd": s["capex_usd"],
        "maintenance_usd": s["maintenance_usd"], "total_usd": s["capex_usd"] + s["maintenance_usd"],
    })


# ---------------------------------------------------------------------------------------
# Comparisons: the 2021 plan, the 2022 budget, Safe City projects elsewhere
# ---------------------------------------------------------------------------------------

BUDGET_ITEMS = {
    "plan_2021_upgrade": "the 2021 Kabul camera plan",
    "budget_fy1401_total": "the 2022 national budget (FY1401), total",
    "budget_fy1401_development": "the 2022 national budget (FY1401), development",
}


def budget_comparison(amount_usd: float, budgets: pd.DataFrame | None = None) -> pd.DataFrame:
    """``amount_usd`` against the 2021 plan and the 2022 budget (``data/budgets.csv``).

    One row per item of :data:`BUDGET_ITEMS` with the item's ``amount_usd``, the
    ``ratio`` amount / item (1.0 = the same size) and the item's ``source_id`` and
    ``basis``. Book's arithmetic: the plan was donor-backed and predates the budget, and
    the budget's USD values are conversions.
    """
    amount = _registry.check("amount_usd", amount_usd, 0.0, None, "USD")
    if isinstance(amount, np.ndarray):
        raise ValueError("amount_usd must be a single number of US dollars.")
    budgets = load("budgets") if budgets is None else budgets
    missing = [c for c in ("item", "amount_usd_million", "basis", "source_id") if c not in budgets.columns]
    if missing:
        raise ValueError(f"budgets needs the column(s) {', '.join(missing)} (from data/budgets.csv).")
    rows = []
    for item, label in BUDGET_ITEMS.items():
        hit = budgets[budgets["item"] == item]
        if len(hit) != 1:
            raise ValueError(f"budgets has no single row for item {item!r}.")
        r = hit.iloc[0]
        usd = float(r["amount_usd_million"]) * MILLION
        rows.append({"item": item, "label": label, "amount_usd": usd,
                     "ratio": amount / usd, "basis": str(r["basis"]),
                     "source_id": str(r["source_id"])})
    out = pd.DataFrame(rows)
    out.attrs = dict(budgets.attrs)
    return out


def safe_city_per_camera(comparators: pd.DataFrame | None = None) -> pd.DataFrame:
    """All-in cost per camera of the Safe City projects that give both a cost and a camera
    count (``data/safe_city_comparators.csv``): cost_usd_million x 1,000,000 / cameras, the
    book's arithmetic. Also cost per resident where the file gives a population."""
    comparators = load("safe_city_comparators") if comparators is None else comparators
    need = ["city", "year", "cameras", "cost_usd_million", "usd_basis", "population_million", "source_id"]
    missing = [c for c in need if c not in comparators.columns]
    if missing:
        raise ValueError(f"comparators needs the column(s) {', '.join(missing)} "
                         f"(from data/safe_city_comparators.csv).")
    rows = comparators.copy()
    usd = rows["cost_usd_million"].astype(float) * MILLION
    cams = rows["cameras"].astype("Float64").astype(float)
    rows["usd_per_camera"] = usd / cams
    rows["usd_per_resident"] = usd / (rows["population_million"].astype(float) * MILLION)
    keep = rows["usd_per_camera"].notna() | rows["usd_per_resident"].notna()
    out = rows[keep].reset_index(drop=True)
    out.attrs = dict(comparators.attrs)
    return out


def kabul_population(density: pd.DataFrame | None = None) -> dict[str, float]:
    """The lowest and highest Kabul population (people) used in ``data/camera_density.csv``
    (the NSIA city estimate and the 6 million of the BBC and Arab News); never averaged."""
    density = load("camera_density") if density is None else density
    for col in ("city", "population_million"):
        if col not in density.columns:
            raise ValueError(f"density needs a {col!r} column (from data/camera_density.csv).")
    pops = density.loc[density["city"] == "Kabul", "population_million"].dropna().astype(float)
    if pops.empty:
        raise ValueError("data/camera_density.csv has no Kabul population.")
    return {"low": float(pops.min()) * MILLION, "high": float(pops.max()) * MILLION}


def per_resident(amount_usd: float, density: pd.DataFrame | None = None) -> dict[str, float]:
    """``amount_usd`` per Kabul resident, as a range over the population estimates: ``low``
    uses the largest population, ``high`` the smallest."""
    amount = _registry.check("amount_usd", amount_usd, 0.0, None, "USD")
    pop = kabul_population(density)
    return {"low": amount / pop["high"], "high": amount / pop["low"]}


def comparison_table(result: dict[str, Any] | None = None, comparators: pd.DataFrame | None = None,
                     density: pd.DataFrame | None = None) -> pd.DataFrame:
    """The model's capital cost per camera and per resident beside the Safe City projects'.

    ``result`` is a :func:`deployment_cost` result (default: all defaults). One row for
    the model ("This model (Kabul)", per resident as the low and high of the population
    range) and one per comparator, with ``usd_per_camera``, ``usd_per_resident_low`` and
    ``usd_per_resident_high`` (empty where the data hold no population or camera count).
    """
    result = deployment_cost() if result is None else result
    capex = float(np.asarray(result["capex_usd"]))
    per_cam = float(np.asarray(result["capex_per_camera_usd"]))
    res = per_resident(capex, density)
    rows = [{"project": "This model (Kabul, capital cost)", "year": None, "cameras": None,
             "usd_per_camera": per_cam, "usd_per_resident_low": res["low"],
             "usd_per_resident_high": res["high"], "kind": "model", "source_id": "book-assumption"}]
    for r in safe_city_per_camera(comparators).itertuples():
        rows.append({"project": str(r.city), "year": int(r.year), "cameras": r.cameras,
                     "usd_per_camera": r.usd_per_camera, "usd_per_resident_low": r.usd_per_resident,
                     "usd_per_resident_high": r.usd_per_resident,
                     "kind": "derived from a reported total", "source_id": str(r.source_id)})
    return pd.DataFrame(rows)


def inputs_table(case: str | None = None, **overrides: Any) -> pd.DataFrame:
    """The inputs a run uses, with where each comes from: one row per parameter with its
    ``value``, the registry's low/default/high, ``basis``, ``source_id`` and, for unit
    costs, the ``cost_id`` in ``data/unit_costs.csv``. ``case`` ("low", "central" or
    "high") sets the six unit costs from that file; ``overrides`` set any keyword."""
    values = unit_costs_case(case) if case is not None else {}
    values.update(overrides)
    rows = []
    for name, (model, row) in PARAMETERS.items():
        a = _registry.assumption(model, row)
        v = values.get(name, a.default)
        rows.append({"parameter": name, "label": a.label, "value": float(v), "unit": a.unit,
                     "low": a.low, "default": a.default, "high": a.high, "basis": a.basis,
                     "cost_id": UNIT_COST_IDS.get(name, ""), "source_id": a.source_id})
    return pd.DataFrame(rows)
