"""Chapter 6's tradeoff models: registry, power, cost, detection, uncertainty, charts and
dashboards.

Expectations come from the CSV files read with the csv module, or are worked out by hand
(the working is in the comments); they are never copied from the code's own output.
Property-based tests of the invariants are in test_models_properties.py.
"""

from __future__ import annotations

import csv
import math
import statistics
from pathlib import Path

import ipywidgets as widgets
import numpy as np
import pandas as pd
import pytest

from kabulcase import load
from kabulcase.figures import ChartDataError
from kabulcase.figures import models as charts
from kabulcase.figures import theme
from kabulcase.models import assumptions as reg
from kabulcase.models import cost, detection, power, rights
from kabulcase.models import uncertainty as unc
from kabulcase.widgets.cost import cost_dashboard
from kabulcase.widgets.detection import detection_dashboard

DATA = Path(__file__).resolve().parent.parent / "data"


def csv_rows(name):
    with open(DATA / f"{name}.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def registry_row(model, name):
    [row] = [r for r in csv_rows("model_assumptions") if r["model"] == model and r["name"] == name]
    return row


def unit_cost_row(cost_id):
    [row] = [r for r in csv_rows("unit_costs") if r["cost_id"] == cost_id]
    return row


# ---------------------------------------------------------------------------------------
# The registry
# ---------------------------------------------------------------------------------------

def test_every_registry_row_has_default_range_unit_basis_reason_and_sources():
    known = {r["source_id"] for r in csv_rows("sources")}
    rows = csv_rows("model_assumptions")
    assert rows
    for r in rows:
        where = f"{r['model']}.{r['name']}"
        assert float(r["low"]) <= float(r["default"]) <= float(r["high"]), where
        assert r["label"].strip() and r["unit"].strip(), where
        assert r["basis"] in ("sourced", "derived", "book_assumption"), where
        assert len(r["rationale"]) > 40, where
        ids = r["source_id"].split(";")
        assert ids and all(i in known for i in ids), where
        if r["basis"] == "book_assumption":
            assert "book-assumption" in ids and r["confidence"] == "low", where
        if r["basis"] == "derived":
            assert "=" in r["note"] or "/" in r["note"], f"{where}: a derived row shows its arithmetic"
        if r["basis"] == "sourced":
            assert any(i != "book-assumption" for i in ids), where


def test_registry_agrees_with_the_data_it_copies():
    assert reg.check_registry() == []


def test_every_model_keyword_has_a_registry_row():
    for params in (power.NETWORK_PARAMETERS, cost.PARAMETERS, detection.PARAMETERS):
        for keyword, (model, name) in params.items():
            registry_row(model, name)  # exactly one row


def test_assumption_reads_the_row():
    row = registry_row("cost", "operators_per_screen")
    a = reg.assumption("cost", "operators_per_screen")
    assert (a.low, a.default, a.high) == (float(row["low"]), float(row["default"]), float(row["high"]))
    assert a.source_ids == tuple(row["source_id"].split(";"))
    assert a.rationale == row["rationale"]
    assert row["rationale"] in a.describe()


def test_shared_rows_serve_every_model_and_unknown_names_are_refused():
    assert reg.assumption("cost", "n_cameras").model == "shared"
    assert reg.assumption("power", "n_cameras") == reg.assumption("cost", "n_cameras")
    with pytest.raises(KeyError, match="operators_per_screen"):
        reg.assumption("cost", "no_such_thing")
    with pytest.raises(KeyError, match="model must be one of"):
        reg.assumption("weather", "n_cameras")


def test_counts_by_basis_match_the_csv():
    rows = csv_rows("model_assumptions")
    expected = {b: sum(r["basis"] == b for r in rows) for b in ("sourced", "derived", "book_assumption")}
    assert reg.counts_by_basis() == expected


def test_unit_costs_come_from_unit_costs_csv():
    for name, cost_id in cost.UNIT_COST_IDS.items():
        u = unit_cost_row(cost_id)
        r = registry_row("cost", name)
        central = float(u["central"]) if u["central"] else (float(u["low"]) + float(u["high"])) / 2
        assert (float(r["low"]), float(r["default"]), float(r["high"])) == \
            (float(u["low"]), central, float(u["high"]))
        assert r["source_id"] == u["source_id"]
    # The camera anchor gives only a range, USD 2,000 to 8,000: its central is the middle.
    assert reg.default("cost", "camera_usd") == (2000 + 8000) / 2


def test_camera_count_and_supply_rows_come_from_their_files():
    counts = {(r["city"], r["date"]): float(r["cameras"]) for r in csv_rows("camera_counts")}
    # The claimed network of Aug 2023, filed under Kabul or "Kabul and other cities".
    [claimed] = [v for (c, d), v in counts.items() if d == "2023-08" and c.startswith("Kabul")]
    a = reg.assumption("shared", "n_cameras")
    assert (a.low, a.default, a.high) == (counts[("Kabul", "2021")], claimed,
                                          counts[("Kabul", "2025-02")])
    supply = csv_rows("kabul_supply_hours")
    mids = [(float(r["hours_low"]) + float(r["hours_high"])) / 2 for r in supply]
    s = reg.assumption("power", "supply_hours")
    assert s.default == pytest.approx(statistics.median(mids))
    assert (s.low, s.high) == (min(float(r["hours_low"]) for r in supply),
                               max(float(r["hours_high"]) for r in supply))


def test_nist_multipliers_come_from_the_evidence_file():
    [women] = [r for r in csv_rows("evidence_face_recognition") if r["comparison"] == "women vs men"]
    a = reg.assumption("detection", "fmr_multiplier")
    assert (a.low, a.high) == (float(women["low"]), float(women["high"]))
    assert a.default == (float(women["low"]) + float(women["high"])) / 2  # no central given


def test_chapter_two_battery_assumptions_are_the_registry_rows():
    for name in ("watts_per_camera", "usd_per_kwh_storage", "depth_of_discharge"):
        row = registry_row("power", name)
        spec = power.ASSUMPTIONS[name]
        assert (spec["low"], spec["default"], spec["high"]) == (
            float(row["low"]), float(row["default"]), float(row["high"]))
        assert spec["reason"] == row["rationale"]


def test_levers_are_marked_and_listed():
    assert set(reg.levers("power")) == {"battery_hours", "solar_share"}
    # plan_cameras is chapter 6's lever for the new plan's size (no size was reported).
    assert set(reg.levers("cost")) == {"rollout_years", "horizon_years", "plan_cameras"}
    assert reg.levers("detection") == []


@pytest.mark.parametrize("bad, fragment", [
    (-1, "got -1.0"), (math.nan, "got NaN"), (math.inf, "got inf"), ("3", "got '3'"),
    (None, "got None"), (True, "got True"), ([1, 30], "got 30.0"), ([], "array of numbers"),
])
def test_check_names_parameter_value_and_range(bad, fragment):
    with pytest.raises(ValueError) as err:
        reg.check("battery_hours", bad, 0.0, 24.0, "hours")
    message = str(err.value)
    assert message.startswith("battery_hours must be") and "range 0 to 24 (hours)" in message
    assert fragment in message


# ---------------------------------------------------------------------------------------
# Power and uptime
# ---------------------------------------------------------------------------------------

def test_network_uptime_hand_computed():
    # Cameras without solar: min(24, 4 + 6) = 10 h; with solar: min(24, 4 + 6 + 4) = 14 h.
    # Half of each: (0.5 x 10 + 0.5 x 14) / 24 = 12 / 24 = 0.5. Ten cameras record
    # 10 x 24 x 0.5 = 120 camera-hours a day. Grid only: 4 / 24.
    r = power.network_uptime(supply_hours=4, battery_hours=6, solar_share=0.5, solar_hours=4,
                             working_share=1, n_cameras=10)
    assert r["share_recording"] == pytest.approx(0.5)
    assert r["p_incident_recorded"] == pytest.approx(0.5)
    assert r["camera_hours_recorded_per_day"] == pytest.approx(120)
    assert r["share_grid_only"] == pytest.approx(4 / 24)
    # If half the cameras are broken, half as much is recorded: 0.25.
    half = power.network_uptime(supply_hours=4, battery_hours=6, solar_share=0.5, solar_hours=4,
                                working_share=0.5, n_cameras=10)
    assert half["share_recording"] == pytest.approx(0.25)


def test_supply_as_days_hand_computed():
    # Two days, 0 and 24 hours of grid, 6 h of battery: (min(24, 6) + min(24, 30)) / 2 / 24
    # = (6 + 24) / 48 = 0.625, below the 0.75 of an average 12-hour day: (12 + 6) / 24.
    r = power.network_uptime(battery_hours=6, solar_share=0, working_share=1, n_cameras=1,
                             supply_days=[0, 24])
    assert r["share_recording"] == pytest.approx(0.625)
    avg = power.network_uptime(supply_hours=12, battery_hours=6, solar_share=0, working_share=1,
                               n_cameras=1)
    assert avg["share_recording"] == pytest.approx(0.75)


def test_kabul_days_average_the_report_midpoints():
    # Every report counts once and its hours are spread evenly over its range, so on grid
    # power alone (no report reaches 24 h) the share is the mean midpoint / 24.
    mids = [(float(r["hours_low"]) + float(r["hours_high"])) / 2 for r in csv_rows("kabul_supply_hours")]
    r = power.network_uptime(battery_hours=0, solar_share=0, working_share=1, n_cameras=1,
                             supply_days="kabul")
    assert r["share_recording"] == pytest.approx(statistics.mean(mids) / 24)
    days = power.supply_distribution("kabul")
    assert len(days) == len(mids) * power.POINTS_PER_REPORT


def test_triangle_of_supply_hours_has_the_triangle_mean():
    # The mean of a triangular distribution is (low + mode + high) / 3 = (0 + 2 + 6) / 3.
    days = power.supply_distribution({"low": 0, "central": 2, "high": 6})
    assert days.mean() == pytest.approx(8 / 3, abs=0.01)
    assert days.min() >= 0 and days.max() <= 6


def test_network_model_reuses_chapter_two_formulas():
    for s in (0, 2, 5.5, 12, 23):
        for b in (0, 3, 10, 24):
            r = power.network_uptime(supply_hours=s, battery_hours=b, solar_share=0,
                                     working_share=1, n_cameras=5)
            assert r["share_recording"] == pytest.approx(power.recording_share(s, b))
    c = power.backup_power_costs(n_cameras=1000, battery_hours=20, solar_share=0,
                                 watts_per_camera=5, usd_per_kwh_storage=200, depth_of_discharge=0.8)
    assert c["battery_capex_usd"] == pytest.approx(power.backup_cost(1000, 20, 5, 200, 0.8))


def test_backup_power_costs_hand_computed():
    # Batteries: 100 cameras x 10 W x 10 h = 10 kWh used; / 0.5 depth = 20 kWh; x USD 300
    # = USD 6,000, replaced every 4 years: USD 1,500 a year. Solar: half of 100 cameras x
    # USD 400 = USD 20,000, upkeep 10% a year = USD 2,000. Capital USD 26,000, USD 260 a camera.
    c = power.backup_power_costs(n_cameras=100, battery_hours=10, solar_share=0.5,
                                 watts_per_camera=10, usd_per_kwh_storage=300,
                                 depth_of_discharge=0.5, battery_life_years=4, solar_kit_usd=400,
                                 maintenance_rate=0.1)
    assert c["battery_capex_usd"] == pytest.approx(6000)
    assert c["solar_capex_usd"] == pytest.approx(20000)
    assert c["backup_capex_usd"] == pytest.approx(26000)
    assert c["backup_capex_per_camera_usd"] == pytest.approx(260)
    assert c["backup_usd_per_year"] == pytest.approx(1500 + 2000)


def test_power_model_defaults_and_arrays():
    r = power.power_model()
    # Defaults: the median Kabul report of 2 hours, no backup, every camera working.
    assert r["share_recording"] == pytest.approx(2 / 24)
    assert r["backup_capex_usd"] == 0.0
    arr = power.power_model(battery_hours=np.array([0.0, 6.0, 22.0]))
    assert arr["share_recording"].shape == (3,)
    assert arr["share_recording"] == pytest.approx([2 / 24, 8 / 24, 1.0])


def test_sampled_days_are_seeded_and_in_the_reported_range():
    a = power.sample_supply_days(500, seed=3)
    b = power.sample_supply_days(500, seed=3)
    assert np.array_equal(a, b)
    highs = [float(r["hours_high"]) for r in csv_rows("kabul_supply_hours")]
    assert a.min() >= 0 and a.max() <= max(highs)


@pytest.mark.parametrize("kwargs, parameter, allowed", [
    (dict(supply_hours=-1), "supply_hours", "0 to 24"),
    (dict(supply_hours=25), "supply_hours", "0 to 24"),
    (dict(supply_hours=math.nan), "supply_hours", "0 to 24"),
    (dict(supply_hours="4"), "supply_hours", "0 to 24"),
    (dict(battery_hours=True), "battery_hours", "0 to 24"),
    (dict(solar_share=1.5), "solar_share", "0 to 1"),
    (dict(working_share=-0.1), "working_share", "0 to 1"),
    (dict(n_cameras=-5), "n_cameras", "0 or above"),
    (dict(depth_of_discharge=0), "depth_of_discharge", "more than 0 to 1"),
    (dict(battery_life_years=0), "battery_life_years", "more than 0"),
    (dict(supply_days=[3, 30]), "supply_days", "0 to 24"),
    (dict(supply_days="paris"), "supply_days", "0 to 24"),
    (dict(supply_days={"low": 4, "central": 2, "high": 6}), "supply_days", "low <= central"),
])
def test_power_model_refuses_bad_inputs(kwargs, parameter, allowed):
    with pytest.raises(ValueError) as err:
        power.power_model(**kwargs)
    assert parameter in str(err.value) and allowed in str(err.value)


def test_power_model_refuses_supply_given_twice():
    with pytest.raises(ValueError, match="supply_hours.*supply_days"):
        power.power_model(supply_hours=2, supply_days="kabul")


# ---------------------------------------------------------------------------------------
# Deployment cost
# ---------------------------------------------------------------------------------------

HAND = dict(n_cameras=1000, camera_usd=5000, network_usd=1000, power_backup_usd=0, seat_usd=10000,
            cameras_per_screen=20, operators_per_screen=0.5, staff_per_post=4,
            operator_salary_usd=2000, maintenance_rate=0.1, rollout_years=4, horizon_years=10)


def test_deployment_cost_hand_computed():
    r = cost.deployment_cost(**HAND)
    # 1,000 cameras / 20 per screen = 50 screens; x 0.5 = 25 seats; x 4 = 100 operators.
    assert (r["screens"], r["posts"], r["operators"]) == pytest.approx((50, 25, 100))
    # Capital: 1,000 x (5,000 + 1,000 + 0) = 6,000,000 + 25 seats x 10,000 = 6,250,000.
    assert r["capex_usd"] == pytest.approx(6_250_000)
    assert r["capex_per_camera_usd"] == pytest.approx(6_250)
    # A year once built: pay 100 x 2,000 = 200,000; maintenance 10% of 6,250,000 = 625,000.
    assert r["opex_usd_per_year"] == pytest.approx(825_000)
    # Share of the network in service in years 1-10: 0, 1/4, 2/4, 3/4, then 1 for six years
    # = 7.5 network-years; running costs 7.5 x 825,000 = 6,187,500; total 12,437,500.
    assert r["horizon_opex_usd"] == pytest.approx(6_187_500)
    assert r["tco_usd"] == pytest.approx(12_437_500)
    assert r["opex_share_of_tco"] == pytest.approx(6_187_500 / 12_437_500)
    assert r["tco_per_camera_per_year_usd"] == pytest.approx(12_437_500 / 1000 / 10)


def test_horizon_shorter_than_the_build():
    # Two years of a four-year build: half the capital (3,125,000) and running costs for a
    # quarter of the network in year 2 (0.25 x 825,000 = 206,250).
    r = cost.deployment_cost(**{**HAND, "horizon_years": 2})
    assert r["build_capex_usd"] == pytest.approx(3_125_000)
    assert r["tco_usd"] == pytest.approx(3_125_000 + 206_250)


def test_schedule_adds_up_to_the_total():
    s = cost.rollout_schedule(**HAND)
    assert list(s["year"]) == list(range(1, 11))
    assert list(s["phase"]) == ["build"] * 4 + ["running"] * 6
    assert s["cameras_installed"].sum() == pytest.approx(1000)
    # Year 1: a quarter of the capital, nothing running yet.
    assert s.loc[0, "capex_usd"] == pytest.approx(6_250_000 / 4) and s.loc[0, "opex_usd"] == 0
    assert s["total_usd"].sum() == pytest.approx(12_437_500)
    assert s["cumulative_total_usd"].iloc[-1] == pytest.approx(12_437_500)


def test_schedule_takes_single_numbers_only():
    with pytest.raises(ValueError, match="camera_usd must be a single number"):
        cost.rollout_schedule(camera_usd=np.array([1000.0, 2000.0]))


def test_cost_model_reproduces_chapter_five():
    from kabulcase.figures.money import rollout_costs

    for case in ("low", "central", "high"):
        old = rollout_costs(8000, 4)
        old = old[old["case"] == case].reset_index(drop=True)
        new = cost.chapter5_rollout(8000, 4, case)
        for col in ("capital_usd", "maintenance_usd", "total_usd", "cameras_installed"):
            assert new[col].to_numpy() == pytest.approx(old[col].to_numpy()), (case, col)
        assert list(new["phase"]) == list(old["phase"])


def test_unit_cost_cases_are_read_from_the_csv():
    for case in ("low", "central", "high"):
        values = cost.unit_costs_case(case)
        for name, cost_id in cost.UNIT_COST_IDS.items():
            u = unit_cost_row(cost_id)
            expected = (float(u[case]) if u[case] else (float(u["low"]) + float(u["high"])) / 2)
            assert values[name] == expected
    inputs = cost.unit_cost_inputs()
    assert list(inputs["cost_id"]) == list(cost.UNIT_COST_IDS.values())
    with pytest.raises(ValueError, match="case must be one of"):
        cost.unit_costs_case("median")


def test_budget_comparison_uses_the_budgets_file():
    budgets = {r["item"]: float(r["amount_usd_million"]) * 1e6 for r in csv_rows("budgets")}
    table = cost.budget_comparison(50_000_000).set_index("item")
    for item in ("plan_2021_upgrade", "budget_fy1401_total", "budget_fy1401_development"):
        assert table.loc[item, "ratio"] == pytest.approx(50_000_000 / budgets[item])


def test_safe_city_costs_per_camera_and_resident():
    rows = {r["city"]: r for r in csv_rows("safe_city_comparators")}
    table = cost.safe_city_per_camera().set_index("city")
    isb = rows["Islamabad"]
    assert table.loc["Islamabad", "usd_per_camera"] == pytest.approx(
        float(isb["cost_usd_million"]) * 1e6 / float(isb["cameras"]))
    # The 2021 plan has a population but no camera count: per resident only.
    plan = rows["Kabul (2021 plan)"]
    assert table.loc["Kabul (2021 plan)", "usd_per_resident"] == pytest.approx(
        float(plan["cost_usd_million"]) / float(plan["population_million"]))
    assert math.isnan(table.loc["Kabul (2021 plan)", "usd_per_camera"])
    # Projects with neither a camera count nor a population are left out.
    assert "Uganda (national police)" not in table.index


def test_per_resident_spans_the_population_estimates():
    pops = [float(r["population_million"]) * 1e6 for r in csv_rows("camera_density")
            if r["city"] == "Kabul" and r["population_million"]]
    r = cost.per_resident(12_000_000)
    assert r == {"low": pytest.approx(12_000_000 / max(pops)), "high": pytest.approx(12_000_000 / min(pops))}
    table = cost.comparison_table()
    assert table.loc[0, "kind"] == "model" and len(table) > 1


@pytest.mark.parametrize("kwargs, parameter, allowed", [
    (dict(camera_usd=-1), "camera_usd", "0 or above"),
    (dict(n_cameras="62000"), "n_cameras", "0 or above"),
    (dict(maintenance_rate=1.5), "maintenance_rate", "0 to 1"),
    (dict(cameras_per_screen=0), "cameras_per_screen", "more than 0"),
    (dict(rollout_years=2.5), "rollout_years", "whole number"),
    (dict(horizon_years=0), "horizon_years", "1 to 50"),
    (dict(seat_usd=math.nan), "seat_usd", "got NaN"),
])
def test_cost_model_refuses_bad_inputs(kwargs, parameter, allowed):
    with pytest.raises(ValueError) as err:
        cost.deployment_cost(**kwargs)
    assert str(err.value).startswith(parameter) and allowed in str(err.value)


# ---------------------------------------------------------------------------------------
# Detection and base rates
# ---------------------------------------------------------------------------------------

def test_detection_per_face_hand_computed():
    # 1,000,001 faces, 1 watchlisted: 1,000,000 others x 1e-6 = 1 false alert; 1 x 1 = 1
    # true alert; precision 1 / 2; review 2 alerts x 1 minute.
    r = detection.detection_model(faces_per_day=1_000_001, watchlist_size=1000,
                                  watchlisted_passing_per_day=1, true_match_rate=1,
                                  false_match_rate=1e-6, fmr_multiplier=1, group_share=0.5,
                                  review_minutes_per_alert=1, fmr_mode="per_face")
    assert r["false_alerts_per_day"] == pytest.approx(1)
    assert r["true_alerts_per_day"] == pytest.approx(1)
    assert r["precision"] == pytest.approx(0.5)
    assert r["review_minutes_per_day"] == pytest.approx(2)


def test_detection_per_comparison_hand_computed():
    # Each of the 1,000,000 faces not on the list is compared with 1,000 entries.
    # Reference group: p = 1 - (1 - 1e-6)^1000 (about 1 in 1,000); affected group (x3):
    # p' = 1 - (1 - 3e-6)^1000. A quarter of the faces are in the affected group.
    p = 1 - (1 - 1e-6) ** 1000
    p_aff = 1 - (1 - 3e-6) ** 1000
    false_ref, false_aff = 1_000_000 * 0.75 * p, 1_000_000 * 0.25 * p_aff
    true = 100 * 0.9
    r = detection.detection_model(faces_per_day=1_000_100, watchlist_size=1000,
                                  watchlisted_passing_per_day=100, true_match_rate=0.9,
                                  false_match_rate=1e-6, fmr_multiplier=3, group_share=0.25,
                                  review_minutes_per_alert=2)
    assert r["false_alerts_reference_per_day"] == pytest.approx(false_ref)
    assert r["false_alerts_affected_per_day"] == pytest.approx(false_aff)
    assert r["true_alerts_per_day"] == pytest.approx(true)
    assert r["precision"] == pytest.approx(true / (true + false_ref + false_aff))
    assert r["false_alerts_per_million_affected"] == pytest.approx(1e6 * p_aff)
    assert r["review_hours_per_day"] == pytest.approx((true + false_ref + false_aff) * 2 / 60)
    # The affected group: a quarter of the faces, nearly half the false alerts.
    assert r["affected_share_of_false_alerts"] == pytest.approx(false_aff / (false_ref + false_aff))
    assert r["affected_share_of_false_alerts"] > 0.25


def test_precision_collapses_as_the_base_rate_falls():
    sweep = detection.base_rate_sweep()
    sweep = sweep.sort_values("watchlisted_passing_per_day")
    assert sweep["precision"].is_monotonic_increasing
    # At the defaults, ten times fewer watchlisted people: roughly ten times fewer true alerts.
    lo, hi = (detection.detection_model(watchlisted_passing_per_day=x) for x in (0.1, 1.0))
    assert lo["precision"] < hi["precision"] / 5
    assert lo["precision_affected"] < lo["precision_reference"]


def test_no_faces_means_no_alerts_and_undefined_precision():
    r = detection.detection_model(faces_per_day=0, watchlisted_passing_per_day=0)
    assert r["alerts_per_day"] == 0 and r["review_minutes_per_day"] == 0
    assert math.isnan(r["precision"])


@pytest.mark.parametrize("kwargs, fragment", [
    (dict(faces_per_day=10, watchlisted_passing_per_day=50), "faces_per_day"),
    (dict(watchlist_size=10, watchlisted_passing_per_day=50), "watchlist_size"),
    (dict(false_match_rate=0.5, fmr_multiplier=3), "false_match_rate x fmr_multiplier"),
    (dict(true_match_rate=1.2), "true_match_rate must be a number in the range 0 to 1"),
    (dict(group_share=-0.1), "group_share must be a number in the range 0 to 1"),
    (dict(fmr_multiplier=0.5), "fmr_multiplier must be a number in the range 1"),
    (dict(watchlist_size=0), "watchlist_size must be a number in the range 1"),
    (dict(fmr_mode="per_day"), "fmr_mode must be one of"),
])
def test_detection_refuses_bad_or_inconsistent_inputs(kwargs, fragment):
    with pytest.raises(ValueError, match=fragment.replace("(", r"\(")):
        detection.detection_model(**kwargs)


def test_multiplier_settings_read_the_evidence():
    table = detection.multiplier_settings()
    rows = csv_rows("evidence_face_recognition")
    assert len(table) == len(rows)
    assert set(table["registry_name"]) == set(detection.MULTIPLIER_ROWS.values())


# ---------------------------------------------------------------------------------------
# Uncertainty and sensitivity
# ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("model", ["power", "cost", "detection"])
def test_monte_carlo_is_seeded_and_its_percentiles_are_ordered(model):
    a = unc.monte_carlo(model, n=2000, seed=11)
    b = unc.monte_carlo(model, n=2000, seed=11)
    c = unc.monte_carlo(model, n=2000, seed=12)
    pd.testing.assert_frame_equal(a.draws, b.draws)
    pd.testing.assert_frame_equal(a.outputs, b.outputs)
    assert not a.draws.equals(c.draws)
    pct = a.percentiles()
    defined = pct["n_defined"] > 0
    assert (pct.loc[defined, "p5"] <= pct.loc[defined, "p50"]).all()
    assert (pct.loc[defined, "p50"] <= pct.loc[defined, "p95"]).all()
    assert len(a.outputs) == 2000


@pytest.mark.parametrize("model", ["power", "cost", "detection"])
def test_monte_carlo_draws_stay_in_the_registry_ranges_and_levers_stay_put(model):
    r = unc.monte_carlo(model, n=3000, seed=5)
    for keyword in r.draws.columns:
        m, n = unc.PARAMETERS[model][keyword]
        row = registry_row(m, n)
        assert r.draws[keyword].min() >= float(row["low"]) - 1e-12
        assert r.draws[keyword].max() <= float(row["high"]) + 1e-12
    assert not set(reg.levers(model)) & set(r.draws.columns)


def test_triangular_draws_have_the_triangle_mean():
    rng = np.random.default_rng(0)
    x = unc.Triangular(1.0, 2.0, 6.0).sample(rng, 200_000)
    assert x.mean() == pytest.approx((1 + 2 + 6) / 3, abs=0.02)
    y = unc.LogTriangular(0.01, 1.0, 100.0).sample(rng, 50_000)
    assert 0.01 <= y.min() and y.max() <= 100 and np.median(y) == pytest.approx(1.0, rel=0.1)


def test_monte_carlo_takes_a_function_and_a_mapping():
    r = unc.monte_carlo(lambda a, b: {"sum": a + b}, {"a": (0, 1, 2), "b": 5}, n=1000, seed=1)
    assert r.outputs["sum"].min() >= 5 and r.outputs["sum"].max() <= 7
    assert list(r.draws.columns) == ["a", "b"] and (r.draws["b"] == 5).all()
    s = r.summary("sum")
    assert s["p5"] <= s["p50"] <= s["p95"]


@pytest.mark.parametrize("kwargs, fragment", [
    (dict(n=0), "n must be a whole number"),
    (dict(n=2.5), "n must be a whole number"),
    (dict(seed=-1), "seed must be"),
    (dict(assumptions={"camera_usd": (5, 1, 2)}), "low <= central <= high"),
    (dict(assumptions={"camera_usd": "cheap"}), "camera_usd"),
    (dict(fixed={"camera_usd": 10}, assumptions={"camera_usd": (1, 2, 3)}), "both drawn and fixed"),
])
def test_monte_carlo_refuses_bad_requests(kwargs, fragment):
    with pytest.raises(ValueError, match=fragment):
        unc.monte_carlo("cost", **kwargs)


def test_tornado_swings_are_sorted_and_hand_checked():
    t = unc.tornado("cost", output="tco_usd")
    assert t["swing"].is_monotonic_decreasing
    # Each USD of camera price costs 1 + 0.1 maintenance x 7.5 network-years = 1.75 USD over
    # the ten years, for each of the 62,000 cameras: a swing of (8,000 - 2,000) x 62,000 x 1.75.
    cam = t.set_index("assumption").loc["camera_usd"]
    assert cam["swing"] == pytest.approx((8000 - 2000) * 62000 * 1.75)
    # Every other assumption was at its default: the central output is the default model's.
    assert cam["output_central"] == pytest.approx(cost.deployment_cost()["tco_usd"])
    with pytest.raises(ValueError, match="output must be one of"):
        unc.tornado("cost", output="happiness")


def test_bounding_cases_bracket_the_central_case():
    cases = unc.bounding_cases("cost", "tco_usd")
    tco = {k: cost.deployment_cost(**v)["tco_usd"] for k, v in cases.items()}
    assert tco["low"] < tco["central"] < tco["high"]


# ---------------------------------------------------------------------------------------
# Charts
# ---------------------------------------------------------------------------------------

def notes(fig):
    return [a.text for a in fig.layout.annotations if str(a.text).startswith("Source:")]


BUILDERS = [
    # (builder, keyword arguments, datasets it must read by default)
    (charts.tornado_chart, {}, ["model_assumptions"]),
    (charts.tornado_chart, {"model": "detection"}, ["model_assumptions"]),
    (charts.monte_carlo_chart, {"n": 2000}, ["model_assumptions"]),
    (charts.cost_static, {"n": 500}, ["model_assumptions", "camera_counts", "budgets"]),
    (charts.detection_static, {}, ["model_assumptions", "evidence_face_recognition"]),
    (charts.precision_curve, {}, ["model_assumptions", "evidence_face_recognition"]),
    (charts.cost_dashboard_chart, {}, ["model_assumptions"]),
    (charts.detection_dashboard_chart, {}, ["model_assumptions"]),
]
IDS = [f"{b[0].__name__}{'-' + '-'.join(map(str, b[1].values())) if b[1] else ''}" for b in BUILDERS]


@pytest.mark.parametrize("builder, kwargs, datasets", BUILDERS, ids=IDS)
def test_chart_reads_its_data_names_sources_and_describes_itself(builder, kwargs, datasets):
    fig = builder(**kwargs)
    meta = fig.layout.meta
    for name in datasets:
        assert name in meta["datasets"]
    [note] = notes(fig)
    assert note.startswith("Source:") and "data/model_assumptions.csv" in note.replace("<br>", " ")
    assert fig.layout.title.text.strip()
    assert len(meta["alt"]) > 20 and len(meta["description"]) > 60
    assert meta["table"]["rows"]


@pytest.mark.parametrize("builder, kwargs, datasets", BUILDERS, ids=IDS)
def test_chart_refuses_a_registry_missing_a_column(builder, kwargs, datasets):
    table = load("model_assumptions").drop(columns=["basis"])
    with pytest.raises(ChartDataError, match="basis"):
        builder(**kwargs, registry=table)


def test_tornado_draws_each_swing_as_a_low_high_bar():
    fig = charts.tornado_chart()
    [bar] = [t for t in fig.data if t.type == "bar"]
    t = unc.tornado("cost", output="tco_usd")
    assert len(bar.y) == len(t)
    assert all(w >= 0 for w in bar.x)
    lows = np.minimum(t["output_low"], t["output_high"]) / 1e6
    assert np.allclose(bar.base, lows)
    assert np.allclose(np.asarray(bar.base) + np.asarray(bar.x),
                       np.maximum(t["output_low"], t["output_high"]) / 1e6)


def test_monte_carlo_chart_shades_the_middle_ninety_percent():
    fig = charts.monte_carlo_chart(n=2000)
    [band] = [s for s in fig.layout.shapes if s.type == "rect"]
    r = unc.monte_carlo("cost", unc.registry_assumptions("cost"), n=2000, seed=charts.SEED,
                        fixed={k: reg.default("cost", k) for k in reg.levers("cost")
                               if k in cost.PARAMETERS})
    s = r.summary("tco_usd")
    assert band.x0 == pytest.approx(s["p5"] / 1e6) and band.x1 == pytest.approx(s["p95"] / 1e6)


def test_cost_twin_has_one_step_per_network_size_from_the_counts():
    counts = {(r["city"], r["date"]): int(r["cameras"]) for r in csv_rows("camera_counts")}
    fig = charts.cost_static(n=300)
    steps = fig.layout.sliders[0].steps
    assert len(steps) == len(charts.NETWORK_SIZES)
    for step, key in zip(steps, charts.NETWORK_SIZES):
        assert f"{counts[key]:,}" in step.label
        # The stacked bars of each step add up to the model's schedule for that size.
        ys = step.args[0]["y"]
        stacked = np.sum([ys[0], ys[1], ys[2]], axis=0)
        sched = cost.rollout_schedule(n_cameras=counts[key])
        assert np.allclose(stacked, sched["total_usd"] / 1e6)
        assert np.allclose(ys[3], sched["total_usd"] / 1e6)
    fig = charts.cost_static(n=300, sizes=[("Islamabad", "2016"), ("Lahore", "2016-10")])
    assert len(fig.layout.sliders[0].steps) == 2


def test_cost_twin_draws_the_simulated_range_as_error_bars():
    fig = charts.cost_static(n=300)
    [total] = [t for t in fig.data if t.type == "scatter"]
    assert total.error_y.array is not None and len(total.error_y.array) == len(total.x)
    assert all(v >= 0 for v in total.error_y.array) and all(v >= 0 for v in total.error_y.arrayminus)


def test_detection_twin_has_one_step_per_base_rate():
    fig = charts.detection_static()
    steps = fig.layout.sliders[0].steps
    assert len(steps) == len(charts.BASE_RATES)
    fig = charts.detection_static(base_rates=(50, 5, 0.5))
    steps = fig.layout.sliders[0].steps
    assert len(steps) == 3
    true_x = [s.args[0]["x"][0][0] for s in steps]
    # True alerts = passing x true-match rate (default from the registry).
    tmr = float(registry_row("detection", "true_match_rate")["default"])
    assert true_x == pytest.approx([50 * tmr, 5 * tmr, 0.5 * tmr])
    # The affected group's false alerts carry NIST's low-high range as whiskers.
    err = [t for t in fig.data if t.error_x and t.error_x.array is not None]
    assert len(err) == 1 and err[0].error_x.array[0] > 0 and err[0].error_x.arrayminus[0] > 0


def test_detection_charts_refuse_an_evidence_table_without_comparisons():
    table = load("evidence_face_recognition").drop(columns=["comparison"])
    for builder in (charts.detection_static, charts.precision_curve):
        with pytest.raises(ChartDataError, match="comparison"):
            builder(evidence=table)


def test_precision_curve_draws_ranges_as_bands():
    fig = charts.precision_curve()
    bands = [t for t in fig.data if t.fill == "tonexty"]
    assert len(bands) == 2
    assert fig.layout.yaxis.type == "log"


# ---------------------------------------------------------------------------------------
# Dashboards
# ---------------------------------------------------------------------------------------

def _bounds(control):
    if isinstance(control, widgets.FloatLogSlider):
        return control.base ** control.min, control.base ** control.max
    return control.min, control.max


@pytest.mark.parametrize("make, params", [(cost_dashboard, cost.PARAMETERS),
                                          (detection_dashboard, detection.PARAMETERS)])
def test_dashboard_builds_headless_with_a_control_per_assumption(make, params):
    box = make()
    assert isinstance(box, widgets.VBox) and isinstance(box.output, widgets.Output)
    assert set(box.controls) == set(params)
    for keyword, control in box.controls.items():
        row = registry_row(*params[keyword])
        lo, hi = _bounds(control)
        assert lo == pytest.approx(float(row["low"])) and hi == pytest.approx(float(row["high"]))
        assert float(control.value) == pytest.approx(float(row["default"]), rel=1e-6)
        assert row["rationale"][:40] in control.tooltip
        assert row["source_id"].split(";")[0] in box.notes[keyword].value
    assert box.figure is not None and box.readout.value


def test_cost_dashboard_updates_and_resets():
    box = cost_dashboard()
    figure = box.figure
    before = box.readout.value
    box.controls["camera_usd"].value = 8000
    # The read-out and the chart (changed in place: the same figure) follow the new value.
    assert box.result["capex_usd"] > cost.deployment_cost()["capex_usd"]
    assert box.figure is figure and box.readout.value != before
    sched = cost.rollout_schedule(**box.values())
    assert np.allclose(box.figure.data[0].y, sched["capex_usd"] / 1e6)
    assert theme.usd(box.result["tco_usd"]) in box.figure.layout.meta["description"]
    box.controls["horizon_years"].value = 6
    assert list(box.figure.data[1].x) == list(range(1, 7))
    box.case_buttons.value = "low"
    for name, cost_id in cost.UNIT_COST_IDS.items():
        assert box.values()[name] == pytest.approx(float(unit_cost_row(cost_id)["low"]))
    box.reset_button.click()
    assert box.values() == pytest.approx(box.defaults)
    assert box.case_buttons.value is None
    assert box.result["tco_usd"] == pytest.approx(cost.deployment_cost()["tco_usd"])


def test_detection_dashboard_updates_switches_comparison_and_resets():
    box = detection_dashboard()
    box.controls["watchlisted_passing_per_day"].value = 10
    tmr = float(registry_row("detection", "true_match_rate")["default"])
    assert box.result["true_alerts_per_day"] == pytest.approx(10 * tmr)
    assert box.figure.data[0].x[0] == pytest.approx(10 * tmr)
    assert box.figure.data[0].y[0].endswith(f"{10 * tmr:g} a day")
    box.comparison.value = "fmr_multiplier_asian_african_american"
    alt = registry_row("detection", "fmr_multiplier_asian_african_american")
    assert _bounds(box.controls["fmr_multiplier"]) == pytest.approx((float(alt["low"]), float(alt["high"])))
    assert box.values()["fmr_multiplier"] == pytest.approx(float(alt["default"]))
    box.reset_button.click()
    assert box.comparison.value == "fmr_multiplier"
    assert box.values() == pytest.approx(box.defaults)


def test_dashboards_run_in_a_headless_kernel():
    import nbclient
    import nbformat
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(
        "from kabulcase.widgets.cost import cost_dashboard\n"
        "from kabulcase.widgets.detection import detection_dashboard\n"
        "c = cost_dashboard(); c.controls['network_usd'].value = 3000; c.reset()\n"
        "d = detection_dashboard(); d.controls['group_share'].value = 0.3; d.reset()\n"
        "display(c, d)")]
    nbclient.NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    views = [o for o in nb.cells[0].outputs if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert len(views) == 2


# ---------------------------------------------------------------------------------------
# The rights assessment can cite the new models
# ---------------------------------------------------------------------------------------

def test_model_evidence_resolves_the_new_models():
    item = rights.ModelEvidence("kabulcase.models.cost:deployment_cost", HAND, output="tco_usd",
                                value=12_437_500)
    assert rights.resolve(item).value == pytest.approx(12_437_500)
    item = rights.ModelEvidence("kabulcase.models.detection:detection_model",
                                {"faces_per_day": 1_000_001, "watchlisted_passing_per_day": 1,
                                 "true_match_rate": 1, "false_match_rate": 1e-6,
                                 "fmr_multiplier": 1, "fmr_mode": "per_face"},
                                output="precision", value=0.5)
    assert rights.resolve(item).value == pytest.approx(0.5)
