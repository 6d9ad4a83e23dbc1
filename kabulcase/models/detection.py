"""Face recognition against a watchlist: how many alerts are true? A base-rate model.

A face-recognition system compares every face it scans with every entry on a
watchlist. Even a small false-match rate, multiplied by millions of faces and a long
list, gives many false alerts; and if few people on the list actually pass the cameras
(a low *base rate*), almost every alert is false. NIST's test of 189 algorithms (NISTIR
8280, in ``data/evidence_face_recognition.csv``) found false matches several times more
often for some groups, so those false alerts fall more heavily on them.

The model is abstract and aggregate on purpose: a generic watchlist, counts per day, two
groups ("reference" and "affected") and no people, places or targets. It shows a
tradeoff; it is not a guide to building or tuning a watchlist.

The model of one day
--------------------
Inputs (defaults in ``data/model_assumptions.csv``): ``faces_per_day`` scanned,
``watchlist_size`` W, ``watchlisted_passing_per_day`` (the base rate: watchlisted people
among the faces), ``true_match_rate``, ``false_match_rate`` f, the affected group's
multiplier m on f and its share g of the faces, and ``review_minutes_per_alert``.

* Chance that one face not on the list raises a false alert, with ``fmr_mode``
  ``"per_comparison"`` (the default: f is per comparison with one entry):
  reference group p = 1 - (1 - f)^W; affected group p' = 1 - (1 - m f)^W.
  With ``"per_face"`` (f is already the chance per face scanned): p = f, p' = m f.
* False alerts per day: (faces - passing) x [(1 - g) p + g p'].
* True alerts per day: passing x true-match rate (watchlisted people are split between
  the groups in the proportion g, and the true-match rate is the same for both).
* Precision (share of alerts that are true) = true / (true + false); it is undefined
  (NaN) on a day with no alerts at all.
* Operator minutes per day = alerts x minutes per alert.

Left out: a watchlisted person falsely matched to *another* entry (rare), people passing
several cameras counted once (scans count appearances), differences between groups in
missed matches, and what happens after an alert.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..data import load
from . import assumptions as _registry

MODEL = "detection"
PER_MILLION = 1e6
MINUTES_PER_HOUR = 60.0
FMR_MODES = ("per_comparison", "per_face")

PARAMETERS: dict[str, tuple[str, str]] = {
    "faces_per_day": (MODEL, "faces_per_day"),
    "watchlist_size": (MODEL, "watchlist_size"),
    "watchlisted_passing_per_day": (MODEL, "watchlisted_passing_per_day"),
    "true_match_rate": (MODEL, "true_match_rate"),
    "false_match_rate": (MODEL, "false_match_rate"),
    "fmr_multiplier": (MODEL, "fmr_multiplier"),
    "group_share": (MODEL, "group_share"),
    "review_minutes_per_alert": (MODEL, "review_minutes_per_alert"),
}
"""Every numeric keyword of :func:`detection_model` and the registry row behind its default."""

MULTIPLIER_ROWS: dict[str, str] = {
    "women vs men": "fmr_multiplier",
    "Asian and African American vs white faces (US test data)": "fmr_multiplier_asian_african_american",
}
"""NIST comparisons (``comparison`` in data/evidence_face_recognition.csv) and the registry
row that holds each as a multiplier setting."""

_BOUNDS: dict[str, tuple[float, float | None, str, bool]] = {
    "faces_per_day": (0.0, None, "faces per day", False),
    "watchlist_size": (1.0, None, "people", False),
    "watchlisted_passing_per_day": (0.0, None, "people per day", False),
    "true_match_rate": (0.0, 1.0, "share", False),
    "false_match_rate": (0.0, 1.0, "share", False),
    "fmr_multiplier": (1.0, None, "times the reference group's rate", False),
    "group_share": (0.0, 1.0, "share of faces", False),
    "review_minutes_per_alert": (0.0, None, "minutes", False),
}

OUTPUTS: dict[str, str] = {
    "true_alerts_per_day": "True alerts per day",
    "false_alerts_per_day": "False alerts per day",
    "false_alerts_reference_per_day": "False alerts per day, reference group",
    "false_alerts_affected_per_day": "False alerts per day, affected group",
    "alerts_per_day": "Alerts per day",
    "precision": "Share of alerts that are true",
    "false_alerts_per_million_reference": "False alerts per million faces, reference group",
    "false_alerts_per_million_affected": "False alerts per million faces, affected group",
    "affected_share_of_false_alerts": "Affected group's share of false alerts",
    "precision_reference": "Share of alerts on the reference group that are true",
    "precision_affected": "Share of alerts on the affected group that are true",
    "review_minutes_per_day": "Operator minutes per day reviewing alerts",
    "review_hours_per_day": "Operator hours per day reviewing alerts",
}
"""Labels for the outputs of :func:`detection_model`."""


def _param(name: str, value: Any) -> Any:
    if value is None:
        model, row = PARAMETERS[name]
        value = _registry.default(model, row)
    low, high, unit, low_open = _BOUNDS[name]
    return _registry.check(name, value, low, high, unit, low_open=low_open)


def _ratio(num: Any, den: Any) -> Any:
    """num / den, NaN where den is 0 (a share of nothing is undefined)."""
    den = np.asarray(den, dtype=float)
    return np.where(den > 0, np.asarray(num, dtype=float) / np.where(den > 0, den, 1.0), np.nan)


def _false_alert_chance(rate: Any, watchlist: Any, mode: str) -> Any:
    """Chance that one face not on the list raises at least one false alert."""
    if mode == "per_face":
        return np.asarray(rate, dtype=float)
    # 1 - (1 - rate)^W, computed without losing precision for tiny rates.
    return -np.expm1(np.asarray(watchlist, dtype=float) * np.log1p(-np.asarray(rate, dtype=float)))


def detection_model(faces_per_day: Any = None, watchlist_size: Any = None,
                    watchlisted_passing_per_day: Any = None, true_match_rate: Any = None,
                    false_match_rate: Any = None, fmr_multiplier: Any = None,
                    group_share: Any = None, review_minutes_per_alert: Any = None,
                    fmr_mode: str = "per_comparison") -> dict[str, Any]:
    """Alerts per day, the share that are true, and who bears the false ones.

    Omitted inputs take their defaults from ``data/model_assumptions.csv``; every numeric
    input may be a number or a numpy array. Invalid inputs raise ValueError naming the
    parameter, the value and the allowed range; so do inconsistent ones: more watchlisted
    people passing than faces scanned or than people on the list, or a multiplied
    false-match rate above 1. Returns :data:`OUTPUTS` (floats for single inputs).

    >>> r = detection_model(faces_per_day=1_000_001, watchlist_size=1000,
    ...                     watchlisted_passing_per_day=1, true_match_rate=1,
    ...                     false_match_rate=1e-6, fmr_multiplier=1, group_share=0.5,
    ...                     review_minutes_per_alert=1, fmr_mode="per_face")
    >>> r["false_alerts_per_day"], r["true_alerts_per_day"]   # 1,000,000 x 1e-6; 1 x 1
    (1.0, 1.0)
    """
    if fmr_mode not in FMR_MODES:
        raise ValueError(f"fmr_mode must be one of {', '.join(map(repr, FMR_MODES))}; got {fmr_mode!r}.")
    faces = _param("faces_per_day", faces_per_day)
    w = _param("watchlist_size", watchlist_size)
    passing = _param("watchlisted_passing_per_day", watchlisted_passing_per_day)
    tmr = _param("true_match_rate", true_match_rate)
    fmr = _param("false_match_rate", false_match_rate)
    mult = _param("fmr_multiplier", fmr_multiplier)
    g = _param("group_share", group_share)
    minutes = _param("review_minutes_per_alert", review_minutes_per_alert)
    if np.any(np.asarray(passing) > np.asarray(faces)):
        raise ValueError(
            f"watchlisted_passing_per_day must be in the range 0 to faces_per_day (the watchlisted "
            f"people are among the faces scanned); got {_first(passing, passing > faces)!r} with "
            f"faces_per_day {_first(faces, passing > faces)!r}.")
    if np.any(np.asarray(passing) > np.asarray(w)):
        raise ValueError(
            f"watchlisted_passing_per_day must be in the range 0 to watchlist_size (only people on "
            f"the list can pass as watchlisted); got {_first(passing, passing > w)!r} with "
            f"watchlist_size {_first(w, passing > w)!r}.")
    affected_rate = fmr * mult
    if np.any(np.asarray(affected_rate) > 1):
        raise ValueError(
            f"false_match_rate x fmr_multiplier must be in the range 0 to 1 (a probability); got "
            f"{_first(fmr, affected_rate > 1)!r} x {_first(mult, affected_rate > 1)!r}.")
    others = faces - passing
    p_ref = _false_alert_chance(fmr, w, fmr_mode)
    p_aff = _false_alert_chance(affected_rate, w, fmr_mode)
    false_ref = others * (1 - g) * p_ref
    false_aff = others * g * p_aff
    true_ref = passing * (1 - g) * tmr
    true_aff = passing * g * tmr
    true = true_ref + true_aff
    false = false_ref + false_aff
    alerts = true + false
    review = alerts * minutes
    return _registry.as_output({
        "true_alerts_per_day": true,
        "false_alerts_per_day": false,
        "false_alerts_reference_per_day": false_ref,
        "false_alerts_affected_per_day": false_aff,
        "alerts_per_day": alerts,
        "precision": _ratio(true, alerts),
        "false_alerts_per_million_reference": p_ref * PER_MILLION,
        "false_alerts_per_million_affected": p_aff * PER_MILLION,
        "affected_share_of_false_alerts": _ratio(false_aff, false),
        "precision_reference": _ratio(true_ref, true_ref + false_ref),
        "precision_affected": _ratio(true_aff, true_aff + false_aff),
        "review_minutes_per_day": review,
        "review_hours_per_day": review / MINUTES_PER_HOUR,
    })


def _first(values: Any, mask: Any) -> float:
    """The first value where ``mask`` holds (for error messages about arrays)."""
    v, m = np.broadcast_arrays(np.asarray(values, dtype=float), np.asarray(mask))
    return float(v[m][0]) if m.any() else float(v.ravel()[0])


def base_rate_sweep(rates: Any = None, **inputs: Any) -> pd.DataFrame:
    """The model across base rates (watchlisted people passing per day), all else fixed.

    ``rates`` defaults to 13 values from 0.001 to 1,000 a day (evenly spaced on a log
    scale) capped at the watchlist size. Returns one row per rate with the outputs.
    """
    w = _param("watchlist_size", inputs.get("watchlist_size"))
    if rates is None:
        rates = np.logspace(-3, 3, 13)
        rates = rates[rates <= np.max(w)]
    rates = _registry.check("rates", rates, 0.0, None, "people per day")
    rates = np.atleast_1d(rates)
    out = detection_model(**{**inputs, "watchlisted_passing_per_day": rates})
    frame = pd.DataFrame({k: np.broadcast_to(v, rates.shape) for k, v in out.items()})
    frame.insert(0, "watchlisted_passing_per_day", rates)
    return frame


def multiplier_settings(evidence: pd.DataFrame | None = None) -> pd.DataFrame:
    """NIST's false-match multipliers as model settings: one row per comparison in
    ``data/evidence_face_recognition.csv`` with its low, central (the middle of the range
    when the file gives none: book's arithmetic) and high multiplier, and the registry row
    that holds it."""
    evidence = load("evidence_face_recognition") if evidence is None else evidence
    for col in ("comparison", "low", "high", "central", "source_id"):
        if col not in evidence.columns:
            raise ValueError(f"evidence needs a {col!r} column (from data/evidence_face_recognition.csv).")
    rows = []
    for r in evidence.itertuples():
        central = r.central if pd.notna(r.central) else (r.low + r.high) / 2
        rows.append({"comparison": str(r.comparison), "low": float(r.low), "central": float(central),
                     "high": float(r.high), "registry_name": MULTIPLIER_ROWS.get(str(r.comparison), ""),
                     "source_id": str(r.source_id)})
    out = pd.DataFrame(rows)
    out.attrs = dict(evidence.attrs)
    return out
