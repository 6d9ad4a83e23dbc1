"""The assumptions registry: every assumption of every tradeoff model, read from data/.

``data/model_assumptions.csv`` holds one row per model and assumption: a default, a
low-high range, a unit, a basis (``sourced``, ``derived`` or ``book_assumption``), a
rationale, the source ids and a confidence. This module reads it once (again only when
the file changes) and hands the rows to the models, the dashboards and the uncertainty
tools::

    >>> from kabulcase.models.assumptions import assumption
    >>> a = assumption("cost", "operators_per_screen")
    >>> a.low <= a.default <= a.high
    True

The ``low``-``high`` range is the *plausible* range (the ends of a tornado swing, the
edges of a triangular distribution, the limits of a dashboard control). It is not what
the models accept: a model refuses only impossible values (a negative cost, a share
above 1), and :func:`check` is the one helper every model uses for that, so that every
refusal is a ``ValueError`` naming the parameter, the value and the allowed range.

Rows whose ``model`` is ``shared`` (the number of cameras) serve every model:
``assumption("cost", "n_cameras")`` finds the shared row. A note containing ``Lever:``
marks a choice the learner makes (battery hours, years of the build), not a fact about
the world: :func:`levers` lists them, and Monte Carlo runs hold them at their defaults.
"""

from __future__ import annotations

import math
import numbers
import os
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..data import DATA_DIR, load

DATASET = "model_assumptions"
MODELS: tuple[str, ...] = ("power", "cost", "detection")
SHARED = "shared"
BASES: tuple[str, ...] = ("sourced", "derived", "book_assumption")
LEVER_MARK = "Lever:"
COLUMNS = ["model", "name", "label", "unit", "low", "default", "high", "basis", "rationale",
           "source_id", "confidence", "note"]

BASIS_LABELS = {
    "sourced": "sourced",
    "derived": "derived by this book from sourced figures",
    "book_assumption": "the book's own assumption",
}


@dataclass(frozen=True)
class Assumption:
    """One row of the registry. ``source_ids`` splits ``source_id`` at ';'."""

    model: str
    name: str
    label: str
    unit: str
    low: float
    default: float
    high: float
    basis: str
    rationale: str
    source_id: str
    confidence: str
    note: str = ""

    @property
    def source_ids(self) -> tuple[str, ...]:
        return tuple(self.source_id.split(";"))

    @property
    def is_lever(self) -> bool:
        """A choice the learner makes, not a fact about the world."""
        return LEVER_MARK in self.note

    @property
    def central(self) -> float:
        """The default, under the name the uncertainty tools use."""
        return self.default

    def describe(self) -> str:
        """One line for a tooltip: range, basis, rationale and sources."""
        return (f"{self.label}: default {self.default:g}, range {self.low:g} to {self.high:g} "
                f"({self.unit}). Basis: {BASIS_LABELS.get(self.basis, self.basis)}. "
                f"{self.rationale} Source: {self.source_id}.")

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


_CACHE: dict[str, Any] = {"key": None, "rows": None, "frame": None}


def _cache_key() -> tuple[float, float]:
    return (os.stat(DATA_DIR / "model_assumptions.csv").st_mtime,
            os.stat(DATA_DIR / "datapackage.json").st_mtime)


def _rows() -> dict[tuple[str, str], Assumption]:
    key = _cache_key()
    if _CACHE["key"] != key:
        frame = load(DATASET)
        rows = {}
        for r in frame.itertuples(index=False):
            a = Assumption(model=str(r.model), name=str(r.name), label=str(r.label),
                           unit=str(r.unit), low=float(r.low), default=float(r.default),
                           high=float(r.high), basis=str(r.basis), rationale=str(r.rationale),
                           source_id=str(r.source_id), confidence=str(r.confidence),
                           note="" if pd.isna(r.note) else str(r.note))
            rows[(a.model, a.name)] = a
        _CACHE.update(key=key, rows=rows, frame=frame)
    return _CACHE["rows"]


def registry() -> pd.DataFrame:
    """The whole registry as loaded from ``data/model_assumptions.csv`` (a copy, with the
    dataset's sources in ``attrs`` so a chart can print its source note)."""
    _rows()
    frame = _CACHE["frame"].copy()
    frame.attrs = dict(_CACHE["frame"].attrs)
    return frame


def assumption(model: str, name: str) -> Assumption:
    """The registry row for ``name`` in ``model`` (falling back to the shared rows).

    Raises ``KeyError`` naming the assumptions the model has when there is no such row.
    """
    rows = _rows()
    if model not in MODELS and model != SHARED:
        raise KeyError(f"model must be one of {', '.join(MODELS)} (or {SHARED!r}); got {model!r}.")
    for key in ((model, name), (SHARED, name)):
        if key in rows:
            return rows[key]
    known = sorted(n for (m, n) in rows if m in (model, SHARED))
    raise KeyError(f"{model!r} has no assumption {name!r}; its assumptions are {', '.join(known)}.")


def default(model: str, name: str) -> float:
    """The default value of one assumption."""
    return assumption(model, name).default


def assumptions(model: str, include_shared: bool = True) -> dict[str, Assumption]:
    """All assumptions of ``model`` by name, in registry order (shared rows first)."""
    rows = _rows()
    return {n: a for (m, n), a in rows.items()
            if m == model or (include_shared and m == SHARED and model != SHARED)}


def levers(model: str) -> list[str]:
    """Names of the model's levers (choices, not facts), held fixed in uncertainty runs."""
    return [n for n, a in assumptions(model).items() if a.is_lever]


def table(model: str | None = None) -> pd.DataFrame:
    """The registry rows for one model (or all), for a chapter table: label, default, range,
    unit, basis, source and rationale."""
    frame = registry()
    if model is not None:
        frame = frame[frame["model"].isin([model, SHARED])]
    return frame[COLUMNS].reset_index(drop=True)


def rows_for(model: str, names: list[str] | tuple[str, ...] | None = None) -> pd.DataFrame:
    """The registry rows a model run used, as a DataFrame that keeps the dataset's attrs
    (for :func:`kabulcase.figures.theme.finish`'s source note)."""
    frame = registry()
    keep = frame["model"].isin([model, SHARED])
    if names is not None:
        keep &= frame["name"].isin(list(names))
    out = frame[keep].copy()
    out.attrs = dict(frame.attrs)
    return out


def counts_by_basis() -> dict[str, int]:
    """How many registry rows rest on each basis."""
    frame = registry()
    return {b: int((frame["basis"] == b).sum()) for b in BASES}


# ---------------------------------------------------------------------------------------
# Input checks shared by every model
# ---------------------------------------------------------------------------------------

def _fmt(x: float) -> str:
    return f"{x:,g}" if abs(x) < 1e6 else f"{x:.3g}"


def allowed_text(low: float, high: float | None, unit: str, *, low_open: bool = False) -> str:
    lo = f"more than {_fmt(low)}" if low_open else _fmt(low)
    if high is None:
        return (f"the range {lo} or above ({unit})" if not low_open
                else f"the range {lo} ({unit})")
    return f"the range {lo} to {_fmt(high)} ({unit})"


def check(name: str, value: Any, low: float, high: float | None, unit: str, *,
          low_open: bool = False, whole: bool = False) -> float | np.ndarray:
    """Return ``value`` as a float (or a float array), or raise ValueError.

    ``value`` may be a real number or a numpy array / list of real numbers (one value per
    scenario or per random draw). It is refused, with a message naming ``name``, the
    offending value and the allowed range, when it is not a number (text, None, True or
    False), is NaN or infinite, lies outside ``low`` to ``high`` (``high=None``: no upper
    limit; ``low_open``: ``low`` itself is not allowed) or, with ``whole``, is not a whole
    number.
    """
    allowed = allowed_text(low, high, unit, low_open=low_open)
    what = "a whole number" if whole else "a number"
    if isinstance(value, (bool, np.bool_)) or value is None or isinstance(value, (str, bytes)):
        raise ValueError(f"{name} must be {what} in {allowed}; got {value!r} "
                         f"(type {type(value).__name__}).")
    if isinstance(value, numbers.Real):
        arr = None
        bad = np.array([float(value)])
    else:
        try:
            arr = np.asarray(value)
        except Exception:  # an object numpy cannot turn into an array
            raise ValueError(f"{name} must be {what} in {allowed}; got {value!r} "
                             f"(type {type(value).__name__}).") from None
        if arr.dtype.kind not in "iuf" or arr.size == 0:
            raise ValueError(f"{name} must be {what} (or an array of numbers) in {allowed}; got "
                             f"{value!r} (type {type(value).__name__}).")
        arr = arr.astype(float)
        bad = arr.ravel()
    nan = np.isnan(bad)
    if nan.any():
        raise ValueError(f"{name} must be {what} in {allowed}; got NaN.")
    wrong = ~np.isfinite(bad) | (bad < low) | ((bad <= low) if low_open else False)
    if high is not None:
        wrong |= bad > high
    if whole:
        wrong |= np.isfinite(bad) & (np.floor(bad) != bad)
    if np.any(wrong):
        first = float(np.asarray(bad)[np.argmax(wrong)])
        shown = f"{first!r}" if arr is None else f"{first!r} (among the values given)"
        raise ValueError(f"{name} must be {what} in {allowed}; got {shown}.")
    return float(bad[0]) if arr is None else arr


def resolve(model: str, name: str, value: Any) -> Any:
    """``value``, or the registry default when ``value`` is None."""
    return default(model, name) if value is None else value


def as_output(values: dict[str, Any]) -> dict[str, Any]:
    """Plain floats when every output is a single number (so results can be cited and
    printed), numpy arrays otherwise."""
    arrays = {k: np.asarray(v, dtype=float) for k, v in values.items()}
    if all(a.ndim == 0 for a in arrays.values()):
        return {k: float(a) for k, a in arrays.items()}
    shape = np.broadcast_shapes(*(a.shape for a in arrays.values()))
    return {k: np.broadcast_to(a, shape).copy() for k, a in arrays.items()}


# ---------------------------------------------------------------------------------------
# Consistency with the data files the registry copies from
# ---------------------------------------------------------------------------------------

# Registry rows that copy a unit-cost row: (model, name) -> cost_id. A central left empty
# in unit_costs (a sourced range only) is the middle of the range.
UNIT_COST_LINKS: dict[tuple[str, str], str] = {
    ("cost", "camera_usd"): "camera-us-municipal",
    ("cost", "network_usd"): "network-assumption",
    ("cost", "power_backup_usd"): "power-backup-assumption",
    ("cost", "seat_usd"): "control-room-seat-assumption",
    ("cost", "operator_salary_usd"): "operator-salary-assumption",
    ("cost", "maintenance_rate"): "maintenance-rate-assumption",
}
# NIST multipliers: (model, name) -> comparison in evidence_face_recognition.
FACE_LINKS: dict[tuple[str, str], str] = {
    ("detection", "fmr_multiplier"): "women vs men",
    ("detection", "fmr_multiplier_asian_african_american"):
        "Asian and African American vs white faces (US test data)",
}
CLAIMED_NETWORK: dict[str, str] = {"city": "Kabul and other cities", "date": "2023-08"}
"""Where data/camera_counts.csv holds the Taliban's claim of August 2023 (over 62,000 cameras
already installed in Kabul and other cities, as Reuters reports it; filed with that
geography, not as Kabul's). Every reader of that row goes through :func:`claimed_network`, so
this filter is the one place that names it."""


def claimed_network(counts: pd.DataFrame | None = None) -> pd.Series:
    """The one row of camera_counts holding the claimed existing network (:data:`CLAIMED_NETWORK`).

    It is a claim about cameras already installed, in more than one city: not the size of
    the new four-year plan, for which no size was reported (the registry's
    ``cost.plan_cameras`` is the book's range for that)."""
    counts = load("camera_counts") if counts is None else counts
    mask = pd.Series(True, index=counts.index)
    for col, wanted in CLAIMED_NETWORK.items():
        if col not in counts.columns:
            raise LookupError(f"camera_counts has no column {col!r}; the claimed network is "
                              f"found by {CLAIMED_NETWORK} (kabulcase.models.assumptions).")
        mask &= counts[col].astype("string") == wanted
    hits = counts[mask.fillna(False).astype(bool)]
    if len(hits) != 1:
        raise LookupError(
            f"camera_counts should hold exactly one row of the claimed network where "
            f"{CLAIMED_NETWORK}; found {len(hits)}. If the row was re-filed, change "
            "CLAIMED_NETWORK in kabulcase/models/assumptions.py to match it.")
    return hits.iloc[0]


# Camera counts: the shared n_cameras row's low, default and high (None = the claimed network).
CAMERA_LINKS = {"low": ("Kabul", "2021"), "default": None, "high": ("Kabul", "2025-02")}
# The new plan's size (no size reported): low and default are the claimed network, high the
# latest Kabul count.
PLAN_LINKS = {"low": None, "default": None, "high": ("Kabul", "2025-02")}


def check_registry() -> list[str]:
    """Every way the registry disagrees with itself or with the data it copies (empty when
    all is well): low <= default <= high; unit costs, NIST multipliers, camera counts and
    Kabul supply hours equal to their data rows; and a rationale and source for every row."""
    problems: list[str] = []
    rows = _rows()
    for (m, n), a in rows.items():
        if not a.low <= a.default <= a.high:
            problems.append(f"{m}.{n}: default {a.default:g} is not within {a.low:g} to {a.high:g}")
        if a.basis == "book_assumption" and "book-assumption" not in a.source_ids:
            problems.append(f"{m}.{n}: a book assumption must cite the source id book-assumption")
        if len(a.rationale.strip()) < 40:
            problems.append(f"{m}.{n}: the rationale is too short to explain the values")
    costs = load("unit_costs").set_index("cost_id")
    for key, cost_id in UNIT_COST_LINKS.items():
        a = rows[key]
        r = costs.loc[cost_id]
        central = r["central"] if pd.notna(r["central"]) else (r["low"] + r["high"]) / 2
        if (a.low, a.default, a.high) != (float(r["low"]), float(central), float(r["high"])):
            problems.append(f"{key[0]}.{key[1]}: ({a.low:g}, {a.default:g}, {a.high:g}) differs from "
                            f"unit_costs {cost_id} ({r['low']:g}, {central:g}, {r['high']:g})")
        if a.source_id != r["source_id"]:
            problems.append(f"{key[0]}.{key[1]}: source {a.source_id} differs from unit_costs {cost_id}")
    faces = load("evidence_face_recognition").set_index("comparison")
    for key, comparison in FACE_LINKS.items():
        a = rows[key]
        r = faces.loc[comparison]
        central = r["central"] if pd.notna(r["central"]) else (r["low"] + r["high"]) / 2
        if (a.low, a.default, a.high) != (float(r["low"]), float(central), float(r["high"])):
            problems.append(f"{key[0]}.{key[1]}: differs from evidence_face_recognition {comparison!r}")
    counts = load("camera_counts")
    claimed = float(claimed_network(counts)["cameras"])
    for key, links in (((SHARED, "n_cameras"), CAMERA_LINKS), (("cost", "plan_cameras"), PLAN_LINKS)):
        a = rows[key]
        for field, where in links.items():
            if where is None:
                hit, what = [claimed], f"the claimed network {CLAIMED_NETWORK}"
            else:
                city, date = where
                hit = list(counts[(counts["city"] == city) & (counts["date"] == date)]["cameras"])
                what = f"camera_counts {city} {date}"
            if len(hit) != 1 or float(hit[0]) != getattr(a, field):
                problems.append(f"{key[0]}.{key[1]}: {field} differs from {what}")
    plan = rows[("cost", "plan_cameras")]
    if "no size was reported" not in plan.rationale.lower():
        problems.append("cost.plan_cameras: the rationale must say that no size was reported "
                        "for the new plan")
    supply = load("kabul_supply_hours")
    mids = (supply["hours_low"] + supply["hours_high"]) / 2
    s = rows[("power", "supply_hours")]
    expected = (float(supply["hours_low"].min()), float(mids.median()), float(supply["hours_high"].max()))
    if not all(math.isclose(x, y) for x, y in zip((s.low, s.default, s.high), expected)):
        problems.append(f"power.supply_hours: ({s.low:g}, {s.default:g}, {s.high:g}) differs from the "
                        f"Kabul reports {expected}")
    return problems
