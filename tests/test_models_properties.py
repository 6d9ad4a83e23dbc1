"""Invariants of chapter 6's models, checked on many generated inputs (hypothesis).

* more backup (battery hours, solar share, solar hours) never lowers the share recorded;
* zero cameras cost nothing and record nothing;
* cost never falls when any unit cost rises;
* the share of alerts that are true falls as the base rate falls;
* the affected group bears more false alerts per face when its multiplier is above 1;
* every output stays within its physical bounds (shares in [0, 1], costs and counts >= 0);
* a vectorised call gives the same numbers as one call per scenario;
* Monte Carlo percentiles are ordered for any seed.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from kabulcase.models import cost, detection, power
from kabulcase.models import uncertainty as unc

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

hours = st.floats(0, 24, allow_nan=False)
share = st.floats(0, 1, allow_nan=False)
money = st.floats(0, 1e5, allow_nan=False)
cameras = st.floats(0, 2e5, allow_nan=False)
days = st.lists(hours, min_size=1, max_size=30)

POWER_SHARES = ("share_recording", "p_incident_recorded", "share_grid_only")


@st.composite
def power_inputs(draw):
    return dict(battery_hours=draw(hours), solar_share=draw(share), solar_hours=draw(hours),
                working_share=draw(share), n_cameras=draw(cameras),
                watts_per_camera=draw(st.floats(0, 100)), usd_per_kwh_storage=draw(st.floats(0, 2000)),
                depth_of_discharge=draw(st.floats(0.01, 1)), battery_life_years=draw(st.floats(0.5, 20)),
                solar_kit_usd=draw(money), maintenance_rate=draw(share))


@st.composite
def cost_inputs(draw):
    return dict(n_cameras=draw(cameras), camera_usd=draw(money), network_usd=draw(money),
                power_backup_usd=draw(money), seat_usd=draw(money),
                cameras_per_screen=draw(st.floats(0.5, 500)), operators_per_screen=draw(st.floats(0, 2)),
                staff_per_post=draw(st.floats(0, 8)), operator_salary_usd=draw(money),
                maintenance_rate=draw(share), rollout_years=draw(st.integers(1, 10)),
                horizon_years=draw(st.integers(1, 20)))


@st.composite
def detection_inputs(draw):
    faces = draw(st.floats(0, 1e7))
    watchlist = draw(st.floats(1, 1e5))
    passing = draw(st.floats(0, 1)) * min(faces, watchlist)
    # No subnormal rates: at 5e-324 one group's rate underflows to zero and the other's does
    # not, a floating-point artefact and not a property of the model.
    fmr = draw(st.floats(0, 1e-3, allow_subnormal=False))
    mult = draw(st.floats(1, 100))
    return dict(faces_per_day=faces, watchlist_size=watchlist, watchlisted_passing_per_day=passing,
                true_match_rate=draw(share), false_match_rate=fmr, fmr_multiplier=mult,
                group_share=draw(share), review_minutes_per_alert=draw(st.floats(0, 30)),
                fmr_mode=draw(st.sampled_from(detection.FMR_MODES)))


# ---------------------------------------------------------------------------------------
# Power
# ---------------------------------------------------------------------------------------

@SETTINGS
@given(p=power_inputs(), supply=days, more=st.floats(0, 24), more_share=share)
def test_more_backup_never_lowers_uptime(p, supply, more, more_share):
    base = power.network_uptime(supply_days=supply, battery_hours=p["battery_hours"],
                                solar_share=p["solar_share"], solar_hours=p["solar_hours"],
                                working_share=p["working_share"], n_cameras=p["n_cameras"])
    for change in ({"battery_hours": min(24, p["battery_hours"] + more)},
                   {"solar_hours": min(24, p["solar_hours"] + more)},
                   {"solar_share": min(1, p["solar_share"] + more_share)}):
        q = {k: p[k] for k in ("battery_hours", "solar_share", "solar_hours", "working_share", "n_cameras")}
        q.update(change)
        after = power.network_uptime(supply_days=supply, **q)
        assert after["share_recording"] >= base["share_recording"] - 1e-12
        assert after["camera_hours_recorded_per_day"] >= base["camera_hours_recorded_per_day"] - 1e-6


@SETTINGS
@given(p=power_inputs(), supply=hours)
def test_power_outputs_stay_in_bounds(p, supply):
    r = power.power_model(supply_hours=supply, **p)
    for key in POWER_SHARES:
        assert 0.0 <= r[key] <= 1.0
    assert r["share_grid_only"] <= r["share_recording"] + 1e-12
    assert 0 <= r["hours_recording_per_camera"] <= 24
    for key in ("battery_capex_usd", "solar_capex_usd", "backup_capex_usd", "backup_usd_per_year",
                "camera_hours_recorded_per_day"):
        assert r[key] >= 0 and math.isfinite(r[key])


@SETTINGS
@given(p=power_inputs(), supply=days)
def test_averaging_over_days_never_beats_the_average_day(p, supply):
    # The share is capped at a whole day (a concave function of supply), so the share
    # averaged over days is at most the share on a day of average supply.
    kw = {k: p[k] for k in ("battery_hours", "solar_share", "solar_hours", "working_share", "n_cameras")}
    spread = power.network_uptime(supply_days=supply, **kw)["share_recording"]
    average = power.network_uptime(supply_hours=float(np.mean(supply)), **kw)["share_recording"]
    assert spread <= average + 1e-9


@SETTINGS
@given(p=power_inputs(), supply=hours)
def test_zero_cameras_record_nothing_and_cost_nothing(p, supply):
    r = power.power_model(supply_hours=supply, **{**p, "n_cameras": 0})
    assert all(v == 0 for v in r.values())


# ---------------------------------------------------------------------------------------
# Cost
# ---------------------------------------------------------------------------------------

@SETTINGS
@given(p=cost_inputs())
def test_zero_cameras_cost_nothing(p):
    r = cost.deployment_cost(**{**p, "n_cameras": 0})
    assert all(v == 0 for v in r.values())


@SETTINGS
@given(p=cost_inputs(), which=st.sampled_from(cost.UNIT_COSTS), more=st.floats(0, 1e4))
def test_cost_is_monotone_in_every_unit_cost(p, which, more):
    raised = dict(p)
    raised[which] = min(1.0, p[which] + more) if which == "maintenance_rate" else p[which] + more
    before, after = cost.deployment_cost(**p), cost.deployment_cost(**raised)
    for key in ("capex_usd", "opex_usd_per_year", "tco_usd", "horizon_opex_usd"):
        assert after[key] >= before[key] * (1 - 1e-12) - 1e-6, key


@SETTINGS
@given(p=cost_inputs())
def test_cost_outputs_stay_in_bounds_and_the_schedule_adds_up(p):
    r = cost.deployment_cost(**p)
    for key, v in r.items():
        assert v >= 0 and math.isfinite(v), key
    assert 0 <= r["opex_share_of_tco"] <= 1
    assert r["build_capex_usd"] <= r["capex_usd"] * (1 + 1e-12)
    s = cost.rollout_schedule(**p)
    assert s["total_usd"].sum() == pytest.approx(r["tco_usd"], rel=1e-9, abs=1e-6)


@SETTINGS
@given(p=cost_inputs(), n=st.integers(1, 5))
def test_vectorised_cost_equals_one_call_per_scenario(p, n):
    rng = np.random.default_rng(n)
    cams = rng.uniform(0, 1e5, n)
    vec = cost.deployment_cost(**{**p, "n_cameras": cams})
    for i in range(n):
        one = cost.deployment_cost(**{**p, "n_cameras": float(cams[i])})
        for key in ("capex_usd", "tco_usd", "operators"):
            assert vec[key][i] == pytest.approx(one[key], rel=1e-12, abs=1e-9)


# ---------------------------------------------------------------------------------------
# Detection
# ---------------------------------------------------------------------------------------

@SETTINGS
@given(p=detection_inputs(), fall=st.floats(0.01, 0.99))
def test_share_of_true_alerts_falls_as_the_base_rate_falls(p, fall):
    assume(p["watchlisted_passing_per_day"] > 0 and p["true_match_rate"] > 0)
    high = detection.detection_model(**p)
    low = detection.detection_model(**{**p, "watchlisted_passing_per_day":
                                       p["watchlisted_passing_per_day"] * fall})
    assume(high["false_alerts_per_day"] > 0)
    assert low["precision"] <= high["precision"] + 1e-12
    assert low["true_alerts_per_day"] <= high["true_alerts_per_day"]


@SETTINGS
@given(p=detection_inputs())
def test_affected_group_bears_more_false_alerts_per_face(p):
    assume(p["fmr_multiplier"] > 1 and p["false_match_rate"] > 0)
    r = detection.detection_model(**p)
    assert r["false_alerts_per_million_affected"] >= r["false_alerts_per_million_reference"]
    if r["false_alerts_per_day"] > 0 and 0 < p["group_share"] < 1:
        assert r["affected_share_of_false_alerts"] >= p["group_share"] - 1e-9


@SETTINGS
@given(p=detection_inputs())
def test_detection_outputs_stay_in_bounds(p):
    r = detection.detection_model(**p)
    for key in ("precision", "precision_reference", "precision_affected",
                "affected_share_of_false_alerts"):
        assert math.isnan(r[key]) or 0.0 <= r[key] <= 1.0, key
    for key in ("true_alerts_per_day", "false_alerts_per_day", "alerts_per_day",
                "review_minutes_per_day", "false_alerts_per_million_reference",
                "false_alerts_per_million_affected"):
        assert r[key] >= 0 and math.isfinite(r[key]), key
    assert r["false_alerts_per_million_affected"] <= 1e6 * (1 + 1e-12)
    assert r["alerts_per_day"] == pytest.approx(r["true_alerts_per_day"] + r["false_alerts_per_day"])


# ---------------------------------------------------------------------------------------
# Uncertainty
# ---------------------------------------------------------------------------------------

@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), model=st.sampled_from(["power", "cost", "detection"]))
def test_monte_carlo_percentiles_are_ordered_for_any_seed(seed, model):
    r = unc.monte_carlo(model, n=500, seed=seed)
    pct = r.percentiles((5, 25, 50, 75, 95))
    pct = pct[pct["n_defined"] > 0]
    cols = ["p5", "p25", "p50", "p75", "p95"]
    assert (np.diff(pct[cols].to_numpy(), axis=1) >= -1e-9 * np.abs(pct[cols].to_numpy()[:, 1:]) - 1e-12).all()


@settings(max_examples=40, deadline=None)
@given(low=st.floats(0, 100), width=st.floats(0, 100), where=share)
def test_tornado_swing_is_the_gap_between_the_ends(low, width, where):
    high = low + width
    mode = low + where * width
    t = unc.tornado(lambda x, y: {"z": 3 * x - y}, {"x": (low, mode, high), "y": (0, 1, 2)}, "z")
    row = t.set_index("assumption").loc["x"] if high > low else None
    if row is not None:
        assert row["swing"] == pytest.approx(3 * (high - low))
    assert t["swing"].is_monotonic_decreasing
