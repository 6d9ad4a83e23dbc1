"""Chapter 6, weighing it up: the city's decision as scenarios, and the charts that weigh them.

A city deciding about cameras chooses how many, where, with what power backup and under
which safeguards. This module turns that decision into four scenarios and runs the
book's models on each:

* :func:`scenarios` builds the four scenarios from ``data/``. Every number in a scenario
  carries a :class:`Trace`: a data row (``camera_counts``, ``budgets``, ``claims``), a
  row of the models' registry (``data/model_assumptions.csv``), or a named book
  assumption with its reason. :func:`scenario_table` lists them for the chapter and
  :func:`trace_problems` re-reads every traced value from the files.
* :func:`network_model` joins the cost model (:mod:`kabulcase.models.cost`) and the
  network power model (:mod:`kabulcase.models.power`): what a network costs over the
  years counted, and how many of its cameras are recording at any moment. It is
  vectorised, so :func:`scenario_results` runs it on thousands of random draws of every
  uncertain assumption (:func:`kabulcase.models.uncertainty.monte_carlo`).
* :func:`frontier_chart` draws cost against recording for each scenario (with its
  5th-95th percentile range in both directions) over two frontier lines, grid power only
  and batteries; :func:`drivers_chart` is a tornado of what drives cost and recording;
  :func:`risk_profiles_chart` counts the rights-risk factors at each level
  (:mod:`kabulcase.models.rights`) under each scenario's safeguards, and
  :func:`face_recognition_table` shows the Taliban plan's factors without and with face
  recognition (off unless chosen: no source reports it; on is the book's inference).

The Taliban plan's size is a lever, ``cost.plan_cameras`` in the registry, because no size
was reported for the new plan; the claimed network of August 2023 (cameras already up, in
Kabul and other cities) anchors its range and is read only through
:func:`kabulcase.models.assumptions.claimed_network`.

Everything here is model output built on stated assumptions, most of them the book's own
(the registry says which). It shows tradeoffs; it is not a procurement plan.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ..data import load
from ..models import assumptions as reg
from ..models import cost, power, rights
from ..models import uncertainty as unc
from .governance import LEVEL_STYLE
from .theme import (DASHES, PALETTE, SYMBOLS, ChartDataError, finish, require_columns, table_payload,
                    usd, wrap)

MILLION = 1e6
HOURS_PER_DAY = power.HOURS_PER_DAY
DAYS_PER_YEAR = 365.0
DRAWS = 4000
"""Random draws per scenario in the chapter's Monte Carlo runs."""
SEED = 2026
"""Seed of every Monte Carlo run here, so the book shows the same numbers each build. The
same seed for every scenario means they share their random draws (a fair comparison)."""
PERCENTILES = unc.DEFAULT_PERCENTILES
LOW_Q, MID_Q, HIGH_Q = (f"p{q:g}" for q in PERCENTILES)

COUNT_COLUMNS = ["city", "date", "cameras", "claim_type", "source_id"]
BUDGET_COLUMNS = ["item", "amount_usd_million", "basis", "source_id"]
CLAIM_COLUMNS = ["claim_id", "claim", "claimant", "status", "source_id"]
REGISTRY_COLUMNS = ["model", "name", "label", "unit", "low", "default", "high", "basis",
                    "rationale", "source_id", "note"]

# ---------------------------------------------------------------------------------------
# The combined model: cost and power together
# ---------------------------------------------------------------------------------------

ASSUMPTIONS: dict[str, tuple[str, str]] = {
    # keyword -> registry row (model, name) in data/model_assumptions.csv
    "supply_hours": ("power", "supply_hours"),
    "working_share": ("power", "working_share"),
    "solar_hours": ("power", "solar_hours"),
    "watts_per_camera": ("power", "watts_per_camera"),
    "usd_per_kwh_storage": ("power", "usd_per_kwh_storage"),
    "depth_of_discharge": ("power", "depth_of_discharge"),
    "battery_life_years": ("power", "battery_life_years"),
    "solar_kit_usd": ("power", "solar_kit_usd"),
    "camera_usd": ("cost", "camera_usd"),
    "network_usd": ("cost", "network_usd"),
    "seat_usd": ("cost", "seat_usd"),
    "cameras_per_screen": ("cost", "cameras_per_screen"),
    "operators_per_screen": ("cost", "operators_per_screen"),
    "staff_per_post": ("cost", "staff_per_post"),
    "operator_salary_usd": ("cost", "operator_salary_usd"),
    "maintenance_rate": ("cost", "maintenance_rate"),
}
"""The uncertain facts the combined model uses (drawn at random in Monte Carlo runs)."""

LEVERS: dict[str, tuple[str, str]] = {
    # The tornado swings the plan's size across the book's range for it: no size was reported.
    "n_cameras": ("cost", "plan_cameras"),
    "battery_hours": ("power", "battery_hours"),
    "solar_share": ("power", "solar_share"),
    "rollout_years": ("cost", "rollout_years"),
    "horizon_years": ("cost", "horizon_years"),
}
"""The choices a scenario makes (held fixed within a scenario; swung in the tornado)."""

OUTPUTS: dict[str, str] = {
    "n_cameras": "Cameras in the network",
    "capex_usd": "Capital cost (USD)",
    "backup_capex_usd": "Backup power, capital cost (USD)",
    "opex_usd_per_year": "Running cost per year once built (USD)",
    "tco_usd": "Total cost over the years counted (USD)",
    "share_recording": "Share of camera-hours recording",
    "cameras_recording": "Cameras recording at any moment, on average",
    "camera_hours_per_day": "Camera-hours recorded per day",
    "usd_per_recorded_hour": "Cost per camera-hour recorded (USD)",
    "operators": "Operators employed",
}


def _years_in_service(rollout: Any, horizon: Any) -> Any:
    """Sum over years 1..horizon of the share of the network in service at the start of
    the year, min(year - 1, rollout) / rollout: the camera-years a network of one camera
    is running within the horizon (the cost model's schedule; a test checks the two)."""
    r = np.asarray(rollout, dtype=float)
    h = np.asarray(horizon, dtype=float)
    early = h * (h - 1) / (2 * r)
    late = (r + 1) / 2 + (h - r - 1)
    return np.where(h <= r + 1, early, late)


def _default(keyword: str) -> float:
    model, name = {**ASSUMPTIONS, **LEVERS}[keyword]
    return reg.default(model, name)


def network_model(n_cameras: Any = None, budget_usd: Any = None, battery_hours: Any = None,
                  solar_share: Any = None, rollout_years: Any = None, horizon_years: Any = None,
                  **assumptions: Any) -> dict[str, Any]:
    """Cost and recording of a camera network: the cost model and the power model joined.

    Give the size as ``n_cameras``, or as ``budget_usd``: then the network is as many
    cameras as the budget's capital buys at the drawn prices (the capital cost per camera
    includes its backup and its share of the control room). ``assumptions`` are the
    keywords of :data:`ASSUMPTIONS`; omitted ones, and omitted levers, take their registry
    defaults. Every input may be a number or a numpy array (one value per random draw).

    * Backup power is sized by the power model from ``battery_hours`` and ``solar_share``
      (batteries and panels per camera) and replaces the cost model's flat per-camera
      backup price, so that the cost follows the hours of backup chosen. Batteries are
      replaced at the end of their life; the cost model's maintenance rate covers the rest.
    * Recording: every day has ``supply_hours`` of grid power in one block (the power
      model's assumptions, which flatter the network); ``cameras_recording`` is the number
      of cameras times the share of camera-hours recording.
    * ``usd_per_recorded_hour`` divides the total cost by the camera-hours recorded while
      the cameras are in service within the horizon (NaN for a network of no cameras).
    """
    if n_cameras is not None and budget_usd is not None:
        raise ValueError("Give the network's size as n_cameras or as budget_usd, not both; got "
                         f"n_cameras={n_cameras!r} and budget_usd={budget_usd!r}.")
    unknown = sorted(set(assumptions) - set(ASSUMPTIONS))
    if unknown:
        raise ValueError(f"unknown assumption(s) {', '.join(unknown)}; the assumptions are "
                         f"{', '.join(ASSUMPTIONS)}.")
    a = {k: (assumptions[k] if assumptions.get(k) is not None else _default(k)) for k in ASSUMPTIONS}
    battery = _default("battery_hours") if battery_hours is None else battery_hours
    solar = _default("solar_share") if solar_share is None else solar_share
    rollout = _default("rollout_years") if rollout_years is None else rollout_years
    horizon = _default("horizon_years") if horizon_years is None else horizon_years
    backup = power.backup_power_costs(
        n_cameras=1.0, battery_hours=battery, solar_share=solar,
        watts_per_camera=a["watts_per_camera"], usd_per_kwh_storage=a["usd_per_kwh_storage"],
        depth_of_discharge=a["depth_of_discharge"], battery_life_years=a["battery_life_years"],
        solar_kit_usd=a["solar_kit_usd"], maintenance_rate=a["maintenance_rate"])
    cost_inputs = dict(
        camera_usd=a["camera_usd"], network_usd=a["network_usd"],
        power_backup_usd=backup["backup_capex_usd"], seat_usd=a["seat_usd"],
        cameras_per_screen=a["cameras_per_screen"], operators_per_screen=a["operators_per_screen"],
        staff_per_post=a["staff_per_post"], operator_salary_usd=a["operator_salary_usd"],
        maintenance_rate=a["maintenance_rate"], rollout_years=rollout, horizon_years=horizon)
    one = cost.deployment_cost(n_cameras=1.0, **cost_inputs)  # every cost is per camera x n
    if budget_usd is not None:
        budget = reg.check("budget_usd", budget_usd, 0.0, None, "USD")
        n = np.asarray(budget, dtype=float) / np.asarray(one["capex_usd"], dtype=float)
    else:
        n = reg.check("n_cameras", _default("n_cameras") if n_cameras is None else n_cameras,
                      0.0, None, "cameras")
    in_service = _years_in_service(rollout, horizon)
    battery_per_year = np.asarray(backup["battery_capex_usd"], dtype=float) / np.asarray(
        a["battery_life_years"], dtype=float)
    tco_one = np.asarray(one["tco_usd"]) + battery_per_year * in_service
    up = power.network_uptime(supply_hours=a["supply_hours"], battery_hours=battery,
                              solar_share=solar, solar_hours=a["solar_hours"],
                              working_share=a["working_share"], n_cameras=1.0)
    share = np.asarray(up["share_recording"], dtype=float)
    n = np.asarray(n, dtype=float)
    hours = n * HOURS_PER_DAY * share * DAYS_PER_YEAR * in_service
    tco = n * tco_one
    with np.errstate(divide="ignore", invalid="ignore"):
        per_hour = np.where(hours > 0, tco / np.where(hours > 0, hours, 1.0), np.nan)
    return reg.as_output({
        "n_cameras": n,
        "capex_usd": n * np.asarray(one["capex_usd"]),
        "backup_capex_usd": n * np.asarray(backup["backup_capex_usd"]),
        "opex_usd_per_year": n * (np.asarray(one["opex_usd_per_year"]) + battery_per_year),
        "tco_usd": tco,
        "share_recording": np.where(n > 0, share, 0.0),
        "cameras_recording": n * share,
        "camera_hours_per_day": n * share * HOURS_PER_DAY,
        "usd_per_recorded_hour": per_hour,
        "operators": n * np.asarray(one["operators"]),
    })


# ---------------------------------------------------------------------------------------
# Scenarios, and where every number in them comes from
# ---------------------------------------------------------------------------------------

TRACE_KINDS = ("data", "registry", "book_assumption")


@dataclass(frozen=True)
class Trace:
    """Where one scenario parameter comes from.

    ``kind`` is ``"data"`` (a row of a dataset in ``data/``: ``dataset``, ``where``,
    ``column``, times ``scale``), ``"registry"`` (a value of a row of
    ``data/model_assumptions.csv``: ``model``, ``name``, ``field`` = low, default or high,
    and ``offset_from`` when the parameter is a whole day minus that value) or
    ``"book_assumption"`` (the book's own choice; ``reason`` says why). ``reason`` is
    always given, in words.
    """

    kind: str
    reason: str
    dataset: str | None = None
    where: Mapping[str, Any] = field(default_factory=dict)
    column: str | None = None
    scale: float = 1.0
    model: str | None = None
    name: str | None = None
    field: str = "default"
    day_minus: bool = False
    value: float | None = None

    @property
    def reference(self) -> str:
        if self.kind == "data":
            where = ", ".join(f"{k}={v}" for k, v in self.where.items())
            scale = f" x {self.scale:,.0f}" if self.scale != 1 else ""
            return f"data/{self.dataset}.csv, row {where}: {self.column}{scale}"
        if self.kind == "registry":
            what = f"data/model_assumptions.csv, {self.model}.{self.name}, {self.field}"
            return f"{HOURS_PER_DAY:g} hours minus {what}" if self.day_minus else what
        return "the book's assumption"


@dataclass(frozen=True)
class Scenario:
    """One option for the city: its ``levers`` (the network's size as ``n_cameras`` or
    ``budget_usd``, battery hours, solar share, years of the build and of the cost horizon,
    and any assumption it fixes, such as ``cameras_per_screen``), a :class:`Trace` for each,
    and the safeguards it would run under, as the lowest-risk and highest-risk settings
    the public record allows (the same twice when they are known). ``safeguards`` is empty
    for a scenario that builds nothing."""

    key: str
    name: str
    summary: str
    levers: dict[str, float]
    traces: dict[str, Trace]
    safeguards: tuple[tuple[str, rights.Safeguards], ...] = ()
    face_recognition: bool = False

    def model_inputs(self) -> dict[str, float]:
        return dict(self.levers)


def _row(frame: pd.DataFrame, where: Mapping[str, Any], what: str) -> pd.Series:
    mask = pd.Series(True, index=frame.index)
    for col, wanted in where.items():
        mask &= frame[col].astype("string") == str(wanted)
    hits = frame[mask.fillna(False).astype(bool)]
    if len(hits) != 1:
        where_text = ", ".join(f"{k}={v}" for k, v in where.items())
        raise ChartDataError(f"{what}: expected one row where {where_text}; found {len(hits)}.")
    return hits.iloc[0]


_REG_INDEX: dict[str, Any] = {"frame": None, "index": {}}


def _reg_records(registry: pd.DataFrame) -> list[dict[str, Any]]:
    if _REG_INDEX["frame"] is not registry:
        records = registry.to_dict("records")
        index: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for rec in records:
            index.setdefault((str(rec["model"]), str(rec["name"])), []).append(rec)
        _REG_INDEX.update(frame=registry, index=index, records=records)
    return _REG_INDEX["records"]


def _reg_row(registry: pd.DataFrame, model: str, name: str, what: str) -> Mapping[str, Any]:
    """The registry row for ``model``.``name`` as a mapping. The table is indexed once per
    table object: filtering a frame that carries the sources in its attrs copies them on
    every step, which made the charts slow."""
    _reg_records(registry)
    hits = _REG_INDEX["index"].get((model, name), [])
    if len(hits) != 1:
        raise ChartDataError(f"{what}: expected one registry row for {model}.{name} "
                             f"(data/model_assumptions.csv); found {len(hits)}.")
    return hits[0]


CASE_COUNT = reg.CLAIMED_NETWORK
"""The claimed existing network (August 2023): not the new plan's size, which was not reported
(the registry's cost.plan_cameras is the book's range for it)."""
PRE_TAKEOVER_COUNT = {"city": "Kabul", "date": "2021"}
LATEST_KABUL_COUNT = {"city": "Kabul", "date": "2025-02"}
"""The high end of the plan's range: the count Kabul's police gave the BBC in February 2025."""
FEEDS_2014 = {"city": "Kabul", "date": "2014-06"}
"""The targeted network's size: the feeds Kabul's control room watched live in 2014."""
PLAN_2021 = {"item": "plan_2021_upgrade"}
ROLLOUT_CLAIM = "c01"
TARGETS_CLAIM = "c02"

SCENARIO_ORDER = ("taliban", "plan2021", "targeted", "none")


def scenarios(counts: pd.DataFrame | None = None, budgets: pd.DataFrame | None = None,
              claims: pd.DataFrame | None = None,
              registry: pd.DataFrame | None = None, *,
              face_recognition: bool | None = None,
              plan_cameras: float | None = None) -> dict[str, Scenario]:
    """The four scenarios of chapter 6, built from ``data/`` (keys in :data:`SCENARIO_ORDER`).

    * ``taliban``: the Taliban's new plan. Size: no size was reported, so it is the
      registry's lever ``cost.plan_cameras`` (``plan_cameras`` overrides its default, within
      its range); build: four years (claim c01, through the registry); no backup; the
      safeguards as the record shows them (:data:`kabulcase.models.rights.AS_REPORTED`),
      with face recognition only if ``face_recognition`` is chosen (default
      :data:`kabulcase.models.rights.FACE_RECOGNITION`: off; on is the book's inference).
    * ``plan2021``: the 2021 plan. Size: what its USD budget (budgets) buys; no count was
      published. Build, backup: as the current plan. Safeguards: not described anywhere,
      so the range from "a judge and oversight" to "as reported".
    * ``targeted``: a minimal targeted network at important points: as many cameras as
      Kabul's 2014 control room watched feeds, each on a screen, with batteries for the
      outage of a median day, no face recognition and short retention; at best with the
      institutional safeguards too.
    * ``none``: no expansion. Nothing new is built or bought.
    """
    counts = load("camera_counts") if counts is None else counts
    budgets = load("budgets") if budgets is None else budgets
    claims = load("claims") if claims is None else claims
    registry = reg.registry() if registry is None else registry
    require_columns(counts, COUNT_COLUMNS, "scenarios (camera_counts)")
    require_columns(budgets, BUDGET_COLUMNS, "scenarios (budgets)")
    require_columns(claims, CLAIM_COLUMNS, "scenarios (claims)")
    require_columns(registry, REGISTRY_COLUMNS, "scenarios (model_assumptions)")

    def reg_value(model: str, name: str, fld: str = "default") -> float:
        return float(_reg_row(registry, model, name, "scenarios")[fld])

    try:
        reg.claimed_network(counts)  # the plan's range is anchored on it; it must be there
    except LookupError as err:
        raise ChartDataError(f"scenarios (camera_counts): {err}") from None
    plan_row = _reg_row(registry, "cost", "plan_cameras", "scenarios")
    plan_n = float(plan_row["default"]) if plan_cameras is None else plan_cameras
    if isinstance(plan_n, bool) or not isinstance(plan_n, (int, float)) or not \
            float(plan_row["low"]) <= float(plan_n) <= float(plan_row["high"]):
        raise ChartDataError(
            f"plan_cameras must be a number of cameras within the registry's range for the new "
            f"plan, {float(plan_row['low']):,.0f} to {float(plan_row['high']):,.0f} "
            f"(data/model_assumptions.csv, cost.plan_cameras); got {plan_cameras!r}.")
    plan_n = float(plan_n)
    fr = rights.FACE_RECOGNITION["default"] if face_recognition is None else face_recognition
    if not isinstance(fr, bool):
        raise ChartDataError(f"face_recognition must be True or False (default "
                             f"{rights.FACE_RECOGNITION['default']}, {rights.FACE_RECOGNITION['basis']} "
                             f"for True); got {face_recognition!r}.")
    tal_safeguards = rights.WITH_FACE_RECOGNITION if fr else rights.AS_REPORTED
    tal_setting = ("with face recognition, the book's inference" if fr else
                   "as the record shows: no face recognition reported")
    feeds = float(_row(counts, FEEDS_2014, "scenarios (camera_counts)")["cameras"])
    plan_usd = float(_row(budgets, PLAN_2021, "scenarios (budgets)")["amount_usd_million"]) * MILLION
    rollout_claim = _row(claims, {"claim_id": ROLLOUT_CLAIM}, "scenarios (claims)")
    _row(claims, {"claim_id": TARGETS_CLAIM}, "scenarios (claims)")
    rollout = reg_value("cost", "rollout_years")
    horizon = reg_value("cost", "horizon_years")
    no_battery = reg_value("power", "battery_hours")
    no_solar = reg_value("power", "solar_share")
    median_supply = reg_value("power", "supply_hours")
    shortest_build = reg_value("cost", "rollout_years", "low")
    live_ratio = reg_value("cost", "cameras_per_screen", "low")

    t_rollout = Trace("registry", (
        "The interior ministry said the network would take four years to build (claim "
        f"{ROLLOUT_CLAIM}: \"{rollout_claim['claim']}\"); the registry's default copies it."),
        model="cost", name="rollout_years")
    t_horizon = Trace("registry", (
        "The years over which building and running costs are added up; the registry's "
        "default, the same for every scenario so that totals compare like with like."),
        model="cost", name="horizon_years")
    t_no_battery = Trace("registry", (
        "No source describes backup power for Kabul's public cameras, so none is assumed "
        "(the registry's default)."), model="power", name="battery_hours")
    t_no_solar = Trace("registry", "No source describes solar-powered public cameras in Kabul.",
                       model="power", name="solar_share")

    out = {
        "taliban": Scenario(
            key="taliban", name="The Taliban plan (size assumed)", summary=(
                "A new network built over four years, as the ministry said, at a size no "
                "source reports (the book's range runs from the claimed existing network to "
                "the latest claimed count); on grid power, with none of the safeguards any "
                "source describes, and face recognition only if chosen."),
            levers={"n_cameras": plan_n, "battery_hours": no_battery, "solar_share": no_solar,
                    "rollout_years": rollout, "horizon_years": horizon},
            traces={
                "n_cameras": (Trace("registry", (
                    "No size was reported for the new plan. The registry's default for it is "
                    "a network the size of the claimed existing one (the Taliban's August 2023 "
                    "claim for Kabul and other cities), priced as if every camera were public; "
                    "its range runs to the count later claimed for Kabul alone."),
                    model="cost", name="plan_cameras") if plan_cameras is None else
                    Trace("book_assumption", (
                        "A plan size chosen within the registry's range for the new plan "
                        "(cost.plan_cameras); no size was reported."), value=plan_n)),
                "battery_hours": t_no_battery, "solar_share": t_no_solar,
                "rollout_years": t_rollout, "horizon_years": t_horizon},
            safeguards=((tal_setting, tal_safeguards),),
            face_recognition=fr),
        "plan2021": Scenario(
            key="plan2021", name="The 2021 plan", summary=(
                "The former government's NATO-backed upgrade: as many cameras as its budget "
                "buys, built and powered like the current plan; its safeguards were never "
                "described."),
            levers={"budget_usd": plan_usd, "battery_hours": no_battery, "solar_share": no_solar,
                    "rollout_years": rollout, "horizon_years": horizon},
            traces={
                "budget_usd": Trace("data", (
                    "The upgrade's announced value (more than this; a donor-backed plan). No "
                    "camera count was published, so the model works out how many cameras "
                    "that capital buys at the drawn prices."),
                    dataset="budgets", where=dict(PLAN_2021), column="amount_usd_million",
                    scale=MILLION),
                "battery_hours": Trace("book_assumption", (
                    "No source describes backup power in the 2021 plan; the book holds it at "
                    "none, like the Taliban plan, so that the two differ only in size."),
                    value=no_battery),
                "solar_share": Trace("book_assumption", (
                    "No source describes solar power in the 2021 plan; none, as for the Taliban "
                    "plan."), value=no_solar),
                "rollout_years": Trace("book_assumption", (
                    "No timetable was published for the 2021 plan; the book uses the current "
                    "plan's four years (claim c01) so that the totals compare like with like."),
                    value=rollout),
                "horizon_years": t_horizon},
            safeguards=(
                ("with a judge and oversight", rights.scenario("Judge and oversight")),
                ("with none, as today", rights.AS_REPORTED)),
            face_recognition=False),
        "targeted": Scenario(
            key="targeted", name="A minimal targeted network", summary=(
                "A few cameras at important points, every feed on a screen, batteries for "
                "a median day's outage, no face recognition and short retention."),
            levers={"n_cameras": feeds, "battery_hours": HOURS_PER_DAY - median_supply,
                    "solar_share": no_solar, "rollout_years": shortest_build,
                    "horizon_years": horizon, "cameras_per_screen": live_ratio},
            traces={
                "n_cameras": Trace("data", (
                    "The number of feeds Kabul's own control room watched live in 2014, used "
                    "as the size of a network small enough for every feed to be watched: "
                    "camera evaluations find the clearest effects where cameras are actively "
                    "monitored. It is a count of feeds, not of cameras."),
                    dataset="camera_counts", where=dict(FEEDS_2014), column="cameras"),
                "cameras_per_screen": Trace("registry", (
                    "Kabul's 2014 ratio of feeds to screens (the registry's low end), so that "
                    "every feed has a screen."), model="cost", name="cameras_per_screen",
                    field="low"),
                "battery_hours": Trace("registry", (
                    "The book's choice: batteries that bridge the outage of a day with the "
                    "median reported grid supply, a whole day minus the registry's default "
                    "supply hours."), model="power", name="supply_hours", day_minus=True),
                "solar_share": Trace("book_assumption", (
                    "Batteries only: the book leaves solar out so that one backup choice is "
                    "costed; solar panels cover only daylight hours."), value=no_solar),
                "rollout_years": Trace("registry", (
                    "The shortest build in the registry's range: a network of about a hundred "
                    "cameras does not need four years."), model="cost", name="rollout_years",
                    field="low"),
                "horizon_years": t_horizon},
            safeguards=(
                ("with all six safeguards", rights.scenario("All six safeguards")),
                ("technical safeguards only", rights.scenario("No face recognition, short retention"))),
            face_recognition=False),
        "none": Scenario(
            key="none", name="No expansion", summary=(
                "Nothing new is built or bought. The cameras already in place stay as they "
                "are, with their present risks."),
            levers={"n_cameras": 0.0, "battery_hours": no_battery, "solar_share": no_solar,
                    "rollout_years": rollout, "horizon_years": horizon},
            traces={
                "n_cameras": Trace("book_assumption", (
                    "No new cameras: the decision adds nothing, so it adds no cost, no "
                    "recording and no new risk."), value=0.0),
                "battery_hours": t_no_battery, "solar_share": t_no_solar,
                "rollout_years": t_rollout, "horizon_years": t_horizon},
            safeguards=(), face_recognition=False),
    }
    return {k: out[k] for k in SCENARIO_ORDER}


def resolve_trace(trace: Trace, counts: pd.DataFrame | None = None,
                  budgets: pd.DataFrame | None = None, claims: pd.DataFrame | None = None,
                  registry: pd.DataFrame | None = None) -> float:
    """The value a trace points to, read again from the files (or the book's stated value)."""
    if trace.kind == "data":
        frames = {"camera_counts": counts, "budgets": budgets, "claims": claims}
        frame = frames.get(trace.dataset)
        frame = load(trace.dataset) if frame is None else frame
        return float(_row(frame, trace.where, f"trace {trace.reference}")[trace.column]) * trace.scale
    if trace.kind == "registry":
        registry = reg.registry() if registry is None else registry
        v = float(_reg_row(registry, trace.model, trace.name, f"trace {trace.reference}")[trace.field])
        return HOURS_PER_DAY - v if trace.day_minus else v
    if trace.kind == "book_assumption":
        if trace.value is None:
            raise ChartDataError("A book assumption must state its value.")
        return float(trace.value)
    raise ChartDataError(f"Unknown trace kind {trace.kind!r}; the kinds are {', '.join(TRACE_KINDS)}.")


MIN_REASON_CHARS = 40


def trace_problems(found: Mapping[str, Scenario] | None = None) -> list[str]:
    """Every way a scenario's numbers fail to trace (empty when all is well): a lever without
    a trace, a trace of an unknown kind or without a reason, or a traced value that differs
    from the scenario's."""
    found = scenarios() if found is None else found
    problems = []
    for s in found.values():
        for lever, v in s.levers.items():
            t = s.traces.get(lever)
            if t is None:
                problems.append(f"{s.key}.{lever}: no trace")
                continue
            if t.kind not in TRACE_KINDS:
                problems.append(f"{s.key}.{lever}: unknown kind {t.kind!r}")
                continue
            if len(t.reason.strip()) < MIN_REASON_CHARS:
                problems.append(f"{s.key}.{lever}: the reason is too short")
            try:
                got = resolve_trace(t)
            except (ChartDataError, KeyError, LookupError) as err:
                problems.append(f"{s.key}.{lever}: {err}")
                continue
            if not math.isclose(got, float(v), rel_tol=1e-12, abs_tol=1e-12):
                problems.append(f"{s.key}.{lever}: {v!r} differs from {t.reference} ({got!r})")
    return problems


LEVER_LABELS = {
    "n_cameras": "Cameras", "budget_usd": "Budget for building (USD)",
    "battery_hours": "Battery backup (hours of outage bridged)",
    "solar_share": "Cameras with solar panels (share)", "rollout_years": "Years to build",
    "horizon_years": "Years of costs counted", "cameras_per_screen": "Cameras per screen",
}
KIND_LABELS = {"data": "data row", "registry": "model registry",
               "book_assumption": "book's assumption"}


def scenario_table(found: Mapping[str, Scenario] | None = None) -> pd.DataFrame:
    """One row per scenario and parameter: its value, the kind of trace, where it comes from
    and why; then one row per scenario for its safeguards."""
    found = scenarios() if found is None else found
    rows = []
    for s in found.values():
        for lever, v in s.levers.items():
            t = s.traces[lever]
            rows.append({"scenario": s.name, "parameter": LEVER_LABELS.get(lever, lever),
                         "value": _num(v), "kind": KIND_LABELS[t.kind],
                         "from": t.reference, "reason": t.reason})
        if s.safeguards:
            shown = "; ".join(f"{label}: {_safeguards_text(sg)}" for label, sg in s.safeguards)
        else:
            shown = "none needed: nothing new is built"
        rows.append({"scenario": s.name, "parameter": "Safeguards", "value": shown,
                     "kind": "book's reading of the record",
                     "from": "kabulcase.models.rights (chapter 7)",
                     "reason": s.summary})
    return pd.DataFrame(rows)


def _safeguards_text(s: rights.Safeguards) -> str:
    parts = ["face recognition" if s.face_recognition else "no face recognition",
             "no published retention limit" if s.retention_days is None
             else f"footage kept {s.retention_days:g} days"]
    for name in rights.SWITCHES[1:]:
        if getattr(s, name):
            parts.append(rights.LEVERS[name]["label"].lower())
    return ", ".join(parts)


# ---------------------------------------------------------------------------------------
# Running the scenarios
# ---------------------------------------------------------------------------------------

def _specs(registry: pd.DataFrame, exclude: Sequence[str] = ()) -> dict[str, unc.Distribution]:
    """Every uncertain assumption as a distribution on its registry low, default and high
    (log scale for the cost model's cameras per screen, as the uncertainty module does)."""
    log_scale = set(unc.LOG_SCALE.get("cost", ())) | set(unc.LOG_SCALE.get("power", ()))
    specs: dict[str, unc.Distribution] = {}
    for keyword, (model, name) in ASSUMPTIONS.items():
        if keyword in exclude:
            continue
        r = _reg_row(registry, model, name, "scenario_results")
        cls = unc.LogTriangular if keyword in log_scale else unc.Triangular
        try:
            specs[keyword] = cls(float(r["low"]), float(r["default"]), float(r["high"]))
        except ValueError as err:
            raise ChartDataError(f"registry row {model}.{name}: {err}") from None
    return specs


def registry_rows(registry: pd.DataFrame, keywords: Sequence[str]) -> pd.DataFrame:
    """The registry rows behind ``keywords`` (assumptions or levers), keeping the dataset's
    attrs for the source note."""
    pairs = [{**ASSUMPTIONS, **LEVERS}[k] for k in keywords if k in {**ASSUMPTIONS, **LEVERS}]
    keep = pd.Series(False, index=registry.index)
    for model, name in pairs:
        keep |= (registry["model"] == model) & (registry["name"] == name)
    out = registry[keep].copy()
    out.attrs = dict(registry.attrs)
    return out


def scenario_results(found: Mapping[str, Scenario] | None = None,
                     registry: pd.DataFrame | None = None, draws: int = DRAWS,
                     seed: int = SEED) -> pd.DataFrame:
    """Each scenario run on ``draws`` random draws of every uncertain assumption.

    One row per scenario and output of :func:`network_model`, with the 5th, 50th and 95th
    percentiles of the simulations (``p5``, ``p50``, ``p95``), the result with every
    assumption at its default (``central``) and the scenario's name. The draws are the
    same for every scenario (same seed), so differences between scenarios come from
    their choices, not from luck.
    """
    registry = reg.registry() if registry is None else registry
    require_columns(registry, REGISTRY_COLUMNS, "scenario_results (model_assumptions)")
    found = scenarios(registry=registry) if found is None else found
    key = _fingerprint(found, registry, draws, seed)
    if key in _RESULTS:
        return _RESULTS[key].copy()
    rows = []
    for s in found.values():
        levers = s.model_inputs()
        specs = _specs(registry, exclude=list(levers))
        mc = unc.monte_carlo(network_model, specs, n=draws, seed=seed, fixed=levers)
        with warnings.catch_warnings():  # a network of no cameras has no cost per hour (NaN)
            warnings.simplefilter("ignore", RuntimeWarning)
            pct = mc.percentiles(PERCENTILES)
        central = network_model(**levers, **{k: d.central for k, d in specs.items()})
        for output in OUTPUTS:
            rows.append({"scenario": s.key, "name": s.name, "output": output,
                         "label": OUTPUTS[output], "central": float(central[output]),
                         **{c: float(pct.loc[output, c]) for c in (LOW_Q, MID_Q, HIGH_Q)}})
    out = pd.DataFrame(rows)
    _RESULTS.clear()  # keep only the latest run
    _RESULTS[key] = out
    return out.copy()


_RESULTS: dict[tuple, pd.DataFrame] = {}


def _fingerprint(found: Mapping[str, Scenario], registry: pd.DataFrame, draws: int,
                 seed: int) -> tuple:
    """Everything a run depends on: the scenarios' choices, the registry's values, the
    number of draws and the seed (so a chart can reuse the chapter's run)."""
    rows = tuple(sorted((str(r["model"]), str(r["name"]), float(r["low"]), float(r["default"]),
                         float(r["high"])) for r in _reg_records(registry)))
    levers = tuple((s.key, tuple(sorted(s.levers.items()))) for s in found.values())
    return (levers, rows, int(draws), int(seed))


def result(results: pd.DataFrame, scenario: str, output: str, column: str = MID_Q) -> float:
    """One number from :func:`scenario_results` (for the chapter's glue)."""
    hit = results[(results["scenario"] == scenario) & (results["output"] == output)]
    if len(hit) != 1:
        raise KeyError(f"No single result for scenario {scenario!r}, output {output!r}.")
    return float(hit[column].iloc[0])


def risk_counts(s: rights.Safeguards) -> dict[str, int]:
    """How many of the rights model's risk factors sit at each level under ``s``."""
    return rights.summarise(rights.risk_assessment(s))["counts"]


def risk_range(scenario: Scenario, level: str = "very high") -> tuple[int, int]:
    """The fewest and most risk factors at ``level`` across the scenario's safeguard
    settings ((0, 0) for a scenario that builds nothing)."""
    if not scenario.safeguards:
        return (0, 0)
    n = [risk_counts(sg)[level] for _, sg in scenario.safeguards]
    return (min(n), max(n))


# ---------------------------------------------------------------------------------------
# Shared chart helpers
# ---------------------------------------------------------------------------------------

def _count(x: float) -> str:
    x = float(x)
    if x >= 100:
        return f"{x:,.0f}"
    return f"{x:,.2g}"


def _num(x: float) -> str:
    """A registry value for reading: whole numbers with separators, others to 3 figures."""
    x = float(x)
    return f"{x:,.0f}" if x.is_integer() else f"{x:.3g}"


def _range_text(r: tuple[int, int]) -> str:
    return f"{r[0]}" if r[0] == r[1] else f"{r[0]} to {r[1]}"


def _inputs(counts, budgets, claims, registry) -> tuple[pd.DataFrame, ...]:
    counts = load("camera_counts") if counts is None else counts
    budgets = load("budgets") if budgets is None else budgets
    claims = load("claims") if claims is None else claims
    registry = reg.registry() if registry is None else registry
    return counts, budgets, claims, registry


def _scenario_frames(counts: pd.DataFrame, budgets: pd.DataFrame, claims: pd.DataFrame,
                     registry: pd.DataFrame, keywords: Sequence[str]) -> list[pd.DataFrame]:
    """The data rows behind the scenarios (for the source note), and the registry rows used."""
    def pick(frame: pd.DataFrame, wheres: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
        keep = pd.Series(False, index=frame.index)
        for where in wheres:
            m = pd.Series(True, index=frame.index)
            for col, wanted in where.items():
                m &= frame[col].astype("string") == str(wanted)
            keep |= m.fillna(False).astype(bool)
        out = frame[keep].copy()
        out.attrs = dict(frame.attrs)
        return out

    return [pick(counts, [CASE_COUNT, LATEST_KABUL_COUNT, FEEDS_2014]), pick(budgets, [PLAN_2021]),
            pick(claims, [{"claim_id": ROLLOUT_CLAIM}, {"claim_id": TARGETS_CLAIM}]),
            registry_rows(registry, keywords)]


SHORT_NAMES = {"taliban": "Taliban plan", "taliban_fr": "Taliban plan", "plan2021": "2021 plan",
               "targeted": "Targeted network", "none": "No expansion"}
"""Short names for the labels on the frontier (the legend gives the full ones)."""
LABEL_POSITION = {"taliban": "top left", "plan2021": "middle left", "targeted": "middle right"}

SCENARIO_STYLE = {
    "taliban": (PALETTE[1], SYMBOLS[1]),
    "plan2021": (PALETTE[0], SYMBOLS[2]),
    "targeted": (PALETTE[2], SYMBOLS[3]),
    "none": (PALETTE[6], SYMBOLS[0]),
}


def battery_comparison(found: Mapping[str, Scenario] | None = None,
                       registry: pd.DataFrame | None = None) -> dict[str, float]:
    """Grid power only against batteries for a median day's outage (the targeted network's
    battery hours), for one camera of the Taliban plan with every assumption at its
    default: total cost per camera over the years counted (``cost_grid``, ``cost_battery``,
    ``extra_per_camera``), the share of the day recording (``share_grid``,
    ``share_battery``), and ``ratio``: how many times as many cameras the same money keeps
    recording with batteries as on grid power alone."""
    registry = reg.registry() if registry is None else registry
    found = scenarios(registry=registry) if found is None else found
    defaults = {k: float(_reg_row(registry, m, n, "battery_comparison")["default"])
                for k, (m, n) in ASSUMPTIONS.items()}
    levers = {**found["taliban"].levers, "n_cameras": 1.0}
    grid = network_model(**levers, **defaults)
    batt = network_model(**{**levers, "battery_hours": found["targeted"].levers["battery_hours"]},
                         **defaults)
    per_rec_grid = grid["tco_usd"] / grid["share_recording"]
    per_rec_batt = batt["tco_usd"] / batt["share_recording"]
    return {"cost_grid": grid["tco_usd"], "cost_battery": batt["tco_usd"],
            "extra_per_camera": batt["tco_usd"] - grid["tco_usd"],
            "share_grid": grid["share_recording"], "share_battery": batt["share_recording"],
            "battery_capex_per_camera": batt["backup_capex_usd"],
            "ratio": per_rec_grid / per_rec_batt}


# ---------------------------------------------------------------------------------------
# 1. The frontier: cost against recording, with rights risk on every point
# ---------------------------------------------------------------------------------------

FRONTIER_POINTS = 41


def frontier_chart(counts: pd.DataFrame | None = None, budgets: pd.DataFrame | None = None,
                   claims: pd.DataFrame | None = None, registry: pd.DataFrame | None = None,
                   draws: int = DRAWS, seed: int = SEED) -> go.Figure:
    """Total cost over the years counted against cameras recording at any moment (log-log).

    Each scenario is a marker at the median of ``draws`` simulations with bars from the 5th
    to the 95th percentile in both directions, labelled with how many rights-risk factors
    are "very high" under its safeguards. Two lines sweep the number of cameras with every
    assumption at its default: grid power only, and batteries for a median day's outage
    (the targeted network's choice). No expansion (zero cost, zero recording) cannot sit
    on a log scale and is noted in the corner.
    """
    counts, budgets, claims, registry = _inputs(counts, budgets, claims, registry)
    for frame, cols, what in ((counts, COUNT_COLUMNS, "camera_counts"),
                              (budgets, BUDGET_COLUMNS, "budgets"),
                              (claims, CLAIM_COLUMNS, "claims"),
                              (registry, REGISTRY_COLUMNS, "model_assumptions")):
        require_columns(frame, cols, f"frontier_chart ({what})")
    found = scenarios(counts, budgets, claims, registry)
    res = scenario_results(found, registry, draws, seed)
    built = [s for s in found.values() if s.key != "none"]
    sizes = [result(res, s.key, "n_cameras") for s in built]
    defaults = {k: float(_reg_row(registry, m, n, "frontier_chart")["default"])
                for k, (m, n) in ASSUMPTIONS.items()}
    n_sweep = np.logspace(np.log10(min(sizes) / 3), np.log10(max(sizes) * 2), FRONTIER_POINTS)
    backup_hours = found["targeted"].levers["battery_hours"]
    base_levers = {k: v for k, v in found["taliban"].levers.items() if k != "n_cameras"}
    lines = [("Grid power only", found["taliban"].levers["battery_hours"], DASHES[1]),
             (f"Batteries bridging {backup_hours:g} hours of outage", backup_hours, DASHES[0])]
    fig = go.Figure()
    for i, (label, hours, dash) in enumerate(lines):
        run = network_model(n_cameras=n_sweep, **{**base_levers, "battery_hours": hours}, **defaults)
        fig.add_trace(go.Scatter(
            x=run["tco_usd"] / MILLION, y=run["cameras_recording"], mode="lines",
            name=f"{label}: any number of cameras, assumptions at their defaults",
            line=dict(color="#555555" if i == 0 else "#222222", dash=dash, width=2),
            customdata=n_sweep,
            hovertemplate=(f"{label}<br>%{{customdata:,.0f}} cameras: USD %{{x:,.1f}} million, "
                           "%{y:,.0f} recording<extra></extra>")))
    per_dollar = battery_comparison(found, registry)
    table_rows = []
    for s in built:
        colour, symbol = SCENARIO_STYLE[s.key]
        x = [result(res, s.key, "tco_usd", q) / MILLION for q in (LOW_Q, MID_Q, HIGH_Q)]
        y = [result(res, s.key, "cameras_recording", q) for q in (LOW_Q, MID_Q, HIGH_Q)]
        vh = risk_range(s)
        label = f"{SHORT_NAMES[s.key]}<br>very high: {_range_text(vh)} of {len(rights.FACTORS)}"
        fig.add_trace(go.Scatter(
            x=[x[1]], y=[y[1]], mode="markers+text", name=s.name, text=[label],
            textposition=LABEL_POSITION[s.key],
            textfont=dict(size=12),
            marker=dict(size=14, color=colour, symbol=symbol, line=dict(width=1, color="#222")),
            error_x=dict(type="data", symmetric=False, array=[x[2] - x[1]], arrayminus=[x[1] - x[0]],
                         color=colour, thickness=2, width=6),
            error_y=dict(type="data", symmetric=False, array=[y[2] - y[1]], arrayminus=[y[1] - y[0]],
                         color=colour, thickness=2, width=6),
            hovertemplate=(f"{s.name}<br>total cost USD %{{x:,.1f}} million ({x[0]:,.1f} to "
                           f"{x[2]:,.1f})<br>recording at any moment %{{y:,.0f}} ({y[0]:,.0f} to "
                           f"{y[2]:,.0f})<extra></extra>")))
        table_rows.append({
            "scenario": s.name,
            "cameras_median": round(result(res, s.key, "n_cameras")),
            "tco_usd_million_p5": round(x[0], 1), "tco_usd_million_median": round(x[1], 1),
            "tco_usd_million_p95": round(x[2], 1),
            "recording_p5": round(y[0]), "recording_median": round(y[1]), "recording_p95": round(y[2]),
            "very_high_risk_factors": _range_text(vh)})
    table_rows.append({"scenario": found["none"].name, "cameras_median": 0,
                       "tco_usd_million_p5": 0, "tco_usd_million_median": 0, "tco_usd_million_p95": 0,
                       "recording_p5": 0, "recording_median": 0, "recording_p95": 0,
                       "very_high_risk_factors": "none new"})
    fig.add_annotation(x=0, y=0, xref="paper", yref="paper", xanchor="left", yanchor="bottom",
                       showarrow=False, align="left", font=dict(size=11),
                       text="No expansion: no new cost, recording<br>or risk (zero is off a log scale)")
    fig.update_xaxes(type="log")
    fig.update_yaxes(type="log")
    fig.update_layout(margin=dict(l=100, r=30))
    tal = found["taliban"]
    tal_rec, tal_cost = result(res, "taliban", "cameras_recording"), result(res, "taliban", "tco_usd")
    ratio = per_dollar["ratio"]
    title = (f"Batteries buy recording more cheaply than cameras: the Taliban plan (size assumed), "
             f"{usd(tal_cost)} over {tal.levers['horizon_years']:g} years, keeps about "
             f"{_count(tal_rec)} cameras recording at any moment; spent with batteries, the same "
             f"money would keep about {ratio:.0f} times as many recording")
    description = (
        "Model output, not data: the book's cost and power models joined, with every "
        "uncertain assumption drawn across its range in data/model_assumptions.csv "
        f"({draws:,} draws, seed {seed}, the same draws for every scenario). Each marker is the "
        "median; its bars span the 5th to the 95th percentile of total cost (across) and of "
        "cameras recording at any moment (up and down). "
        + " ".join(
            f"{r['scenario']}: about {r['cameras_median']:,} cameras, {usd(r['tco_usd_million_median'] * MILLION)} "
            f"({usd(r['tco_usd_million_p5'] * MILLION)} to {usd(r['tco_usd_million_p95'] * MILLION)}) "
            f"over {tal.levers['horizon_years']:g} years, {r['recording_median']:,} recording at any moment "
            f"({r['recording_p5']:,} to {r['recording_p95']:,}); rights-risk factors at 'very high': "
            f"{r['very_high_risk_factors']} of {len(rights.FACTORS)}." for r in table_rows[:-1])
        + f" {found['none'].name}: nothing new, so zero on both axes (not drawn on a log scale). "
        f"The two lines sweep the number of cameras with every assumption at its default: on grid "
        f"power alone a camera records {per_dollar['share_grid']:.0%} of the day; with batteries bridging "
        f"{backup_hours:g} hours, {per_dollar['share_battery']:.0%}, for "
        f"{usd(per_dollar['extra_per_camera'])} more per camera over the years counted. The "
        f"lower line lies below and to the right: for the same money, batteries keep about "
        f"{ratio:.0f} times as many cameras recording. The rights labels come from the book's "
        "risk scheme (model output, taught in chapter 6), an ordinal judgement that depends on "
        "safeguards, not size; the Taliban plan's label counts face recognition only if chosen."
    )
    table = pd.DataFrame(table_rows)
    frames = _scenario_frames(counts, budgets, claims, registry, list(ASSUMPTIONS) + list(LEVERS))
    return finish(
        fig, frames, title=title,
        alt=(f"Log-log scatter chart from the book's models: total cost over "
             f"{tal.levers['horizon_years']:g} years against cameras recording at any moment for "
             "three camera scenarios, each with bars for its simulated range, above a dashed "
             "grid-power line and a solid battery line."),
        description=description,
        table=table_payload(table, list(table.columns)),
        x_title=f"Total cost over {tal.levers['horizon_years']:g} years (USD million, log scale)",
        y_title="Cameras recording at any moment (log scale)",
        plot_height=400,
    )


# ---------------------------------------------------------------------------------------
# 2. Tornado: what drives cost and recording
# ---------------------------------------------------------------------------------------

DRIVER_OUTPUTS = ("tco_usd", "cameras_recording")
BASIS_SHORT = {"sourced": "sourced", "derived": "derived", "book_assumption": "book's assumption"}
TORNADO_TOP = 10


def driver_table(found: Mapping[str, Scenario] | None = None, registry: pd.DataFrame | None = None,
                 scenario: str = "taliban") -> pd.DataFrame:
    """The tornado's numbers: every assumption and lever of ``scenario`` swung from its low
    to its high registry value, the others at their scenario values or defaults; one row
    per keyword with both outputs' low, central and high results and swings, and
    ``relative_swing``, the larger of the two swings as a share of its central result."""
    registry = reg.registry() if registry is None else registry
    found = scenarios(registry=registry) if found is None else found
    s = found[scenario]
    if "n_cameras" not in s.levers:
        raise ChartDataError("driver_table needs a scenario sized by n_cameras.")
    specs = _specs(registry, exclude=[k for k in s.levers if k in ASSUMPTIONS])
    levers = {}
    for k, (m, n) in LEVERS.items():
        r = _reg_row(registry, m, n, "driver_table")
        levers[k] = unc.Triangular(float(r["low"]), float(s.levers.get(k, r["default"])), float(r["high"]))
    fixed = {k: v for k, v in s.levers.items() if k not in levers and k not in specs}
    allspecs = {**levers, **specs}
    frames = []
    for output in DRIVER_OUTPUTS:
        t = unc.tornado(network_model, allspecs, output, fixed=fixed)
        t = t[["assumption", "low", "central", "high", "output_low", "output_central", "output_high",
               "swing"]].rename(columns={c: f"{output}_{c}" for c in
                                         ("output_low", "output_central", "output_high", "swing")})
        frames.append(t.set_index(["assumption", "low", "central", "high"]))
    table = pd.concat(frames, axis=1).reset_index()
    info = []
    for k in table["assumption"]:
        m, n = {**ASSUMPTIONS, **LEVERS}[k]
        r = _reg_row(registry, m, n, "driver_table")
        is_lever = k in LEVERS
        info.append({"label": str(r["label"]), "unit": str(r["unit"]),
                     "basis": "choice" if is_lever else BASIS_SHORT.get(str(r["basis"]), str(r["basis"])),
                     "kind": "choice" if is_lever else "uncertain fact"})
    table = pd.concat([table, pd.DataFrame(info)], axis=1)
    rel = []
    for r in table.itertuples():
        shares = [getattr(r, f"{o}_swing") / abs(getattr(r, f"{o}_output_central"))
                  for o in DRIVER_OUTPUTS if getattr(r, f"{o}_output_central")]
        rel.append(max(shares) if shares else 0.0)
    table["relative_swing"] = rel
    table = table.sort_values("relative_swing", ascending=False, kind="stable").reset_index(drop=True)
    table.attrs = {"scenario": scenario}
    return table


def drivers_chart(counts: pd.DataFrame | None = None, budgets: pd.DataFrame | None = None,
                  claims: pd.DataFrame | None = None, registry: pd.DataFrame | None = None,
                  scenario: str = "taliban", top: int = TORNADO_TOP) -> go.Figure:
    """A two-panel tornado for one scenario: how far total cost (left) and cameras recording
    (right) move as each assumption or choice goes from its low to its high value in the
    registry, the others held at the scenario's values. Bars span the range (low-high);
    markers show which end gives which result. Choices are labelled as choices."""
    counts, budgets, claims, registry = _inputs(counts, budgets, claims, registry)
    for frame, cols, what in ((counts, COUNT_COLUMNS, "camera_counts"),
                              (budgets, BUDGET_COLUMNS, "budgets"),
                              (claims, CLAIM_COLUMNS, "claims"),
                              (registry, REGISTRY_COLUMNS, "model_assumptions")):
        require_columns(frame, cols, f"drivers_chart ({what})")
    found = scenarios(counts, budgets, claims, registry)
    if scenario not in found:
        raise ChartDataError(f"drivers_chart: scenario must be one of {', '.join(found)}; got {scenario!r}.")
    full = driver_table(found, registry, scenario)
    moving = full[full["relative_swing"] > 1e-9]
    still = full[full["relative_swing"] <= 1e-9]
    table = moving.head(int(top)).reset_index(drop=True)
    labels = [f"{r.label} ({r.basis})" for r in table.itertuples()]
    labels = [wrap(lbl, 28) for lbl in labels]
    fig = make_subplots(rows=1, cols=2, shared_yaxes=True, horizontal_spacing=0.06,
                        subplot_titles=("Total cost (USD million)", "Cameras recording"))
    scale = {"tco_usd": 1 / MILLION, "cameras_recording": 1.0}
    for col, output in enumerate(DRIVER_OUTPUTS, start=1):
        lo_v = table[f"{output}_output_low"] * scale[output]
        hi_v = table[f"{output}_output_high"] * scale[output]
        left, right = np.minimum(lo_v, hi_v), np.maximum(lo_v, hi_v)
        fig.add_trace(go.Bar(
            y=labels, x=(right - left).to_numpy(), base=left.to_numpy(), orientation="h",
            name="Range of the result as one input moves from its low to its high value",
            showlegend=col == 1, marker=dict(color="#c9c9c9", line=dict(color="#555555", width=1)),
            hovertemplate="%{y}: %{base:,.1f} to %{x:,.1f} wide<extra></extra>"), row=1, col=col)
        for i, (end, vals) in enumerate((("low", lo_v), ("high", hi_v))):
            fig.add_trace(go.Scatter(
                y=labels, x=vals.to_numpy(), mode="markers", showlegend=col == 1,
                name=f"Input at the {end} end of its range",
                marker=dict(size=10, color=PALETTE[i], symbol=SYMBOLS[i], line=dict(width=1, color="#222")),
                customdata=table[end].map("{:,.4g}".format),
                hovertemplate=f"%{{y}} at {end} (%{{customdata}}): %{{x:,.1f}}<extra></extra>"),
                row=1, col=col)
        centre = float(table[f"{output}_output_central"].iloc[0]) * scale[output]
        fig.add_vline(x=centre, line=dict(color="#222222", dash="dot", width=1.5), row=1, col=col)
    fig.update_yaxes(autorange="reversed", tickfont=dict(size=12))
    fig.update_layout(bargap=0.35, margin=dict(l=230, r=20))
    s = found[scenario]
    top_cost = moving.sort_values("tco_usd_swing", ascending=False).iloc[0]
    top_rec = moving.sort_values("cameras_recording_swing", ascending=False).iloc[0]
    facts = moving[moving["kind"] == "uncertain fact"]
    top_fact = facts.sort_values("tco_usd_swing", ascending=False).iloc[0]
    rec_lo = min(top_rec["cameras_recording_output_low"], top_rec["cameras_recording_output_high"])
    rec_hi = max(top_rec["cameras_recording_output_low"], top_rec["cameras_recording_output_high"])
    title = (f"{s.name}: {top_cost['label'].lower()} sets the cost "
             f"({usd(top_cost['tco_usd_output_low'])} to {usd(top_cost['tco_usd_output_high'])}); "
             f"{top_rec['label'].lower()} sets the recording ({_count(rec_lo)} to {_count(rec_hi)} "
             "cameras at any moment)")
    description = (
        f"Model output, not data: one input at a time moves from the low to the high end of its "
        f"range in data/model_assumptions.csv while every other stays at the value of the scenario "
        f"'{s.name}' (its choices) or at its default (the uncertain facts). Dotted lines: the "
        f"result with everything at those values ({usd(table['tco_usd_output_central'].iloc[0])} and "
        f"{_count(table['cameras_recording_output_central'].iloc[0])} cameras recording). Ordered by "
        "the larger of the two swings relative to that result. "
        + " ".join(f"{r.label} ({r.basis}), {_num(r.low)} to {_num(r.high)} {r.unit}: cost "
                   f"{usd(r.tco_usd_output_low)} to {usd(r.tco_usd_output_high)}, recording "
                   f"{_count(r.cameras_recording_output_low)} to {_count(r.cameras_recording_output_high)}."
                   for r in table.itertuples())
        + f" The largest uncertain fact for cost is {top_fact['label'].lower()} ({top_fact['basis']}). "
        + (f"Inputs that move neither result in this scenario: {', '.join(still['label'].str.lower())}. "
           if len(still) else "")
        + "A one-at-a-time swing misses interactions between inputs; the Monte Carlo ranges "
          "elsewhere in the chapter move them all together."
    )
    out = table.assign(
        tco_usd_million_low=(table["tco_usd_output_low"] / MILLION).round(1),
        tco_usd_million_high=(table["tco_usd_output_high"] / MILLION).round(1),
        recording_low=table["cameras_recording_output_low"].round(0),
        recording_high=table["cameras_recording_output_high"].round(0))
    frames = _scenario_frames(counts, budgets, claims, registry, list(table["assumption"]))
    return finish(
        fig, frames, title=title,
        alt=(f"Two-panel tornado chart from the book's models for the scenario '{s.name}': "
             f"{len(table)} horizontal bars per panel, one per input, spanning total cost (left) "
             "and cameras recording (right) as the input moves across its range."),
        description=description,
        table=table_payload(out, ["label", "basis", "low", "high", "unit", "tco_usd_million_low",
                                  "tco_usd_million_high", "recording_low", "recording_high"]),
        x_title=None, plot_height=max(260, 40 * len(table)),
    )


# ---------------------------------------------------------------------------------------
# 3. Rights-risk profiles under each scenario's safeguards
# ---------------------------------------------------------------------------------------

def risk_profile_table(found: Mapping[str, Scenario] | None = None,
                       compare_face_recognition: bool = True) -> pd.DataFrame:
    """One row per scenario and safeguard setting: how many of the six risk factors sit at
    each level (``low``, ``moderate``, ``high``, ``very high``), and the safeguards in words.

    With ``compare_face_recognition``, the Taliban plan also gets a row (scenario
    ``taliban_fr``) with its face-recognition lever the other way from the one chosen, so
    the chart shows the result both with and without it."""
    found = scenarios() if found is None else found
    rows = []
    for s in found.values():
        if not s.safeguards:
            rows.append({"scenario": s.key, "name": s.name, "setting": "nothing new to assess",
                         "safeguards": "none: no new system", **{lv: 0 for lv in rights.LEVELS}})
        for label, sg in s.safeguards:
            rows.append({"scenario": s.key, "name": s.name, "setting": label,
                         "safeguards": _safeguards_text(sg), **risk_counts(sg)})
        if s.key == "taliban" and compare_face_recognition and s.safeguards:
            sg = s.safeguards[0][1]
            other = sg.changed(face_recognition=not sg.face_recognition)
            label = ("if face recognition were on (the book's inference)" if other.face_recognition
                     else "if face recognition were off (as the record shows)")
            rows.append({"scenario": "taliban_fr", "name": s.name, "setting": label,
                         "safeguards": _safeguards_text(other), **risk_counts(other)})
    return pd.DataFrame(rows)


def face_recognition_table(found: Mapping[str, Scenario] | None = None) -> pd.DataFrame:
    """The Taliban plan's six risk factors with face recognition off (as the record shows)
    and on (the book's inference): one row per factor with both levels and whether turning
    it on raises the factor. Model output, from :func:`kabulcase.models.rights.risk_assessment`."""
    found = scenarios() if found is None else found
    base = found["taliban"].safeguards[0][1]
    off = rights.risk_assessment(base.changed(face_recognition=False))
    on = rights.risk_assessment(base.changed(face_recognition=True))
    return pd.DataFrame([{
        "factor": a.name, "without": a.level, "with": b.level,
        "raised": b.level_index > a.level_index,
    } for a, b in zip(off, on)])


def risk_profiles_chart(counts: pd.DataFrame | None = None, budgets: pd.DataFrame | None = None,
                        claims: pd.DataFrame | None = None,
                        registry: pd.DataFrame | None = None) -> go.Figure:
    """Stacked horizontal bars: for each scenario and each safeguard setting the public
    record allows, how many of the rights model's six risk factors sit at each level.
    Counts of factors, never a score: levels are an ordering and are not added up."""
    counts, budgets, claims, registry = _inputs(counts, budgets, claims, registry)
    for frame, cols, what in ((counts, COUNT_COLUMNS, "camera_counts"),
                              (budgets, BUDGET_COLUMNS, "budgets"),
                              (claims, CLAIM_COLUMNS, "claims"),
                              (registry, REGISTRY_COLUMNS, "model_assumptions")):
        require_columns(frame, cols, f"risk_profiles_chart ({what})")
    found = scenarios(counts, budgets, claims, registry)
    table = risk_profile_table(found)
    ylabels = [wrap(f"{SHORT_NAMES.get(r.scenario, r.name)}: {r.setting}", 26)
               for r in table.itertuples()]
    fig = go.Figure()
    for level in rights.LEVELS:
        colour, shape = LEVEL_STYLE[level]
        fig.add_trace(go.Bar(
            y=ylabels, x=table[level].tolist(), orientation="h", name=f"Factors at '{level}'",
            marker=dict(color=colour, pattern=dict(shape=shape), line=dict(color="#222", width=1)),
            customdata=table["safeguards"],
            hovertemplate=f"%{{y}}<br>{level}: %{{x}} factor(s)<br>%{{customdata}}<extra></extra>"))
    for r, lbl in zip(table.itertuples(), ylabels):
        if r.setting == "nothing new to assess":
            fig.add_annotation(x=0, y=lbl, xref="x", yref="y", xanchor="left", showarrow=False,
                               text="no new system",
                               font=dict(size=11))
    n_factors = len(rights.FACTORS)
    fig.update_layout(barmode="stack", bargap=0.3, margin=dict(l=200, r=20))
    fig.update_xaxes(range=[0, n_factors], dtick=1)
    fig.update_yaxes(autorange="reversed", tickfont=dict(size=12))
    tal = table[table["scenario"] == "taliban"].iloc[0]
    tgt = table[table["scenario"] == "targeted"]
    tal_fr = table[table["scenario"] == "taliban_fr"]
    fr_text = (f" ({int(tal_fr['very high'].iloc[0])} with face recognition, the book's inference)"
               if len(tal_fr) else "")
    title = (f"Safeguards, not size, set the rights risks: the Taliban plan has "
             f"{tal['very high']} of {n_factors} factors 'very high'{fr_text}; a targeted network has "
             f"{int(tgt['very high'].min())} to {int(tgt['very high'].max())}, depending on "
             "institutions that do not exist today")
    description = (
        "Model output: the book's risk scheme (kabulcase.models.rights), an ordinal judgement, not a "
        f"measurement: each bar counts how many of the {n_factors} risk factors sit at each level "
        "under a scenario's safeguards. Where the record does not say which safeguards a scenario "
        "would have, it appears twice, at the lowest-risk and the highest-risk setting. "
        + " ".join(f"{r['name']}, {r['setting']} ({r['safeguards']}): "
                   + ", ".join(f"{r[lv]} {lv}" for lv in rights.LEVELS) + "."
                   for r in table.to_dict("records"))
        + " The number of cameras does not enter the scheme: a small network with face recognition "
          "and no limits carries the same levels as a large one, though it touches fewer people."
    )
    frames = _scenario_frames(counts, budgets, claims, registry, ["n_cameras"])
    frames = frames[:3] + [claims[claims["claim_id"].isin(["c07", "c15"])]]
    return finish(
        fig, frames, title=title,
        alt=(f"Stacked horizontal bar chart from the book's risk scheme: for {len(table)} scenario "
             f"settings, the number of the {n_factors} rights-risk factors at each of four levels, "
             "from low to very high."),
        description=description,
        table=table_payload(table, ["name", "setting", "safeguards", *rights.LEVELS]),
        x_title=f"Number of risk factors (of {n_factors})", plot_height=36 * len(table) + 30,
    )


__all__ = ["ASSUMPTIONS", "LEVERS", "OUTPUTS", "Scenario", "Trace", "battery_comparison",
           "driver_table", "drivers_chart", "frontier_chart", "network_model", "result", "usd",
           "face_recognition_table", "risk_profile_table", "risk_profiles_chart", "risk_range", "scenario_results",
           "scenario_table", "scenarios", "trace_problems"]
