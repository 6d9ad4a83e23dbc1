"""Chapter 6 (weighing it up): the scenarios and their traces, the combined network model,
the Monte Carlo runs, the three chart builders and the chapter page.

Expectations are read from the CSV files with the csv module or computed by hand (the
working is in the comments), not copied from the code's own output.
"""

from __future__ import annotations

import dataclasses
import math
import re

import numpy as np
import pandas as pd
import pytest

from kabulcase import load
from kabulcase.figures import synthesis as synth
from kabulcase.figures.theme import ChartDataError
from kabulcase.models import assumptions as reg
from kabulcase.models import cost, power, rights

from support import REPO, bib_keys, cited_keys, csv_rows

CHAPTER = REPO / "chapters" / "06-weighing-it-up.md"
DRAWS = 400  # fewer draws than the chapter: the tests check structure, not precision


def csv_value(dataset: str, column: str, **where) -> float:
    hits = [r for r in csv_rows(dataset) if all(r[k] == str(v) for k, v in where.items())]
    assert len(hits) == 1, (dataset, where, len(hits))
    return float(hits[0][column])


def registry_value(model: str, name: str, field: str = "default") -> float:
    return csv_value("model_assumptions", field, model=model, name=name)


@pytest.fixture(scope="module")
def options():
    return synth.scenarios()


# ---------------------------------------------------------------------------------------
# Scenarios trace to data rows or named assumptions
# ---------------------------------------------------------------------------------------

def test_four_scenarios_in_order(options):
    assert list(options) == ["taliban", "plan2021", "targeted", "none"]
    assert len({s.name for s in options.values()}) == 4


def test_taliban_plan_size_is_the_registry_lever_not_the_claimed_network(options):
    s = options["taliban"]
    # No size was reported for the new plan: the size is the registry's lever, whose row says so.
    row = [r for r in csv_rows("model_assumptions")
           if r["model"] == "cost" and r["name"] == "plan_cameras"][0]
    assert "no size was reported" in row["rationale"].lower()
    assert "Lever:" in row["note"]
    assert s.levers["n_cameras"] == float(row["default"])
    t = s.traces["n_cameras"]
    assert (t.kind, t.model, t.name) == ("registry", "cost", "plan_cameras")
    assert t.dataset != "camera_counts"  # the claimed network is not the plan
    # Its range is anchored on two claimed counts: 62,000 (the network claimed in Aug 2023)
    # and 90,000 (Kabul's police, Feb 2025), read here from camera_counts.csv.
    claimed = reg.claimed_network()
    assert (claimed["date"], float(claimed["cameras"])) == ("2023-08", 62000)  # "over 62,000"
    assert float(row["low"]) == float(claimed["cameras"])
    assert float(row["high"]) == csv_value("camera_counts", "cameras", city="Kabul", date="2025-02")
    assert float(row["low"]) < float(row["high"])
    # The tornado swings the plan's size across that range, not the claimed network's.
    assert synth.LEVERS["n_cameras"] == ("cost", "plan_cameras")


def test_plan_size_follows_the_registry_when_the_claim_does_not_move(options):
    # Fails if the plan's size is taken from the claimed network: move the registry's
    # default and leave camera_counts alone, and the plan must move with the registry.
    table = reg.registry().copy()
    mask = (table["model"] == "cost") & (table["name"] == "plan_cameras")
    table.loc[mask, "default"] = 75000.0
    moved = synth.scenarios(registry=table)
    assert moved["taliban"].levers["n_cameras"] == 75000.0
    chosen = synth.scenarios(plan_cameras=90000)
    assert chosen["taliban"].levers["n_cameras"] == 90000.0
    assert synth.trace_problems(chosen) == []
    with pytest.raises(ChartDataError, match="plan_cameras must be .* 62,000 to 90,000"):
        synth.scenarios(plan_cameras=850)


def test_taliban_plan_build_and_backup(options):
    s = options["taliban"]
    # Four years: claim c01 says so in words; the registry's default copies it.
    c01 = [r for r in csv_rows("claims") if r["claim_id"] == "c01"][0]
    assert "four years" in c01["claim"]
    assert s.levers["rollout_years"] == registry_value("cost", "rollout_years") == 4
    row = [r for r in csv_rows("model_assumptions")
           if r["model"] == "cost" and r["name"] == "rollout_years"][0]
    assert "c01" in row["note"]
    assert s.traces["rollout_years"].kind == "registry"
    assert "c01" in s.traces["rollout_years"].reason
    # As the record shows: no backup (registry default), no safeguards.
    assert s.levers["battery_hours"] == registry_value("power", "battery_hours") == 0
    assert s.safeguards[0][1] == rights.AS_REPORTED


def test_face_recognition_is_off_unless_chosen(options):
    # No source reports watchlist matching in Kabul, so nothing may switch it on by default.
    assert rights.Safeguards().face_recognition is False
    assert rights.AS_REPORTED.face_recognition is False
    assert rights.FACE_RECOGNITION["default"] is False
    assert "inference" in rights.FACE_RECOGNITION["basis"]
    for s in options.values():
        assert s.face_recognition is False, s.key
        assert all(not sg.face_recognition for _, sg in s.safeguards), s.key
    chosen = synth.scenarios(face_recognition=True)["taliban"]
    assert chosen.face_recognition is True
    assert chosen.safeguards[0][1] == rights.WITH_FACE_RECOGNITION
    assert "inference" in chosen.safeguards[0][0]
    with pytest.raises(ChartDataError, match="face_recognition must be True or False"):
        synth.scenarios(face_recognition="yes")


def test_face_recognition_table_shows_both_cases_from_the_rules(options):
    table = synth.face_recognition_table(options).set_index("factor")
    names = {k: v["name"] for k, v in rights.FACTORS.items()}
    # By the rules in rights.FACTORS, with no other safeguard and no retention limit:
    # identification high -> very high; chilling high -> very high; wrong matches low ->
    # very high; tracking, misuse and accountability very high either way.
    expected = {"identification": ("high", "very high"), "tracking": ("very high", "very high"),
                "misuse": ("very high", "very high"), "chilling": ("high", "very high"),
                "wrong_match": ("low", "very high"), "accountability": ("very high", "very high")}
    for key, (without, with_) in expected.items():
        assert (table.loc[names[key], "without"], table.loc[names[key], "with"]) == (without, with_)
    profile = synth.risk_profile_table(options).set_index("scenario")
    assert profile.loc["taliban", "very high"] == 3 and profile.loc["taliban_fr", "very high"] == 6
    assert "inference" in profile.loc["taliban_fr", "setting"]


def test_2021_plan_is_sized_by_its_budget(options):
    s = options["plan2021"]
    assert "n_cameras" not in s.levers
    # USD million in the file x 1,000,000.
    expected = csv_value("budgets", "amount_usd_million", item="plan_2021_upgrade") * 1_000_000
    assert s.levers["budget_usd"] == expected
    t = s.traces["budget_usd"]
    assert (t.kind, t.dataset, t.column) == ("data", "budgets", "amount_usd_million")
    # Its safeguards are unknown: two settings, a lower-risk and the as-reported one.
    assert len(s.safeguards) == 2 and s.safeguards[1][1] == rights.AS_REPORTED


def test_targeted_network_traces(options):
    s = options["targeted"]
    assert s.levers["n_cameras"] == csv_value("camera_counts", "cameras", city="Kabul", date="2014-06")
    assert s.levers["cameras_per_screen"] == registry_value("cost", "cameras_per_screen", "low")
    # Batteries bridge the outage of a median day: 24 hours minus the median supply.
    assert s.levers["battery_hours"] == 24 - registry_value("power", "supply_hours")
    assert s.levers["rollout_years"] == registry_value("cost", "rollout_years", "low")
    assert all(not sg.face_recognition for _, sg in s.safeguards)


def test_no_expansion_builds_nothing(options):
    s = options["none"]
    assert s.levers["n_cameras"] == 0 and s.safeguards == ()
    assert s.traces["n_cameras"].kind == "book_assumption"


def test_every_lever_has_a_trace_with_a_reason(options):
    for s in options.values():
        assert set(s.levers) == set(s.traces), s.key
        for lever, t in s.traces.items():
            assert t.kind in ("data", "registry", "book_assumption"), (s.key, lever)
            assert len(t.reason) >= 40, (s.key, lever)
            if t.kind == "data":
                assert t.reference.startswith(f"data/{t.dataset}.csv")
            if t.kind == "registry":
                assert "model_assumptions.csv" in t.reference
    assert synth.trace_problems(options) == []


def test_trace_problems_catches_a_number_that_drifts(options):
    changed = dict(options)
    s = options["taliban"]
    changed["taliban"] = dataclasses.replace(s, levers={**s.levers, "n_cameras": s.levers["n_cameras"] + 1})
    problems = synth.trace_problems(changed)
    assert len(problems) == 1 and problems[0].startswith("taliban.n_cameras")
    untraced = dataclasses.replace(s, traces={k: v for k, v in s.traces.items() if k != "horizon_years"})
    assert synth.trace_problems({"taliban": untraced}) == ["taliban.horizon_years: no trace"]


def test_scenario_table_lists_every_parameter(options):
    table = synth.scenario_table(options)
    n_levers = sum(len(s.levers) for s in options.values())
    assert len(table) == n_levers + len(options)  # plus one safeguards row each
    assert set(table["kind"]) >= {"data row", "model registry", "book's assumption"}


def test_scenarios_refuse_tables_missing_columns():
    counts = load("camera_counts").drop(columns=["cameras"])
    with pytest.raises(ChartDataError, match="cameras"):
        synth.scenarios(counts=counts)
    with pytest.raises(ChartDataError, match="no single|expected one row|exactly one row"):
        synth.scenarios(counts=load("camera_counts").iloc[6:])  # without the Kabul rows


# ---------------------------------------------------------------------------------------
# The combined model
# ---------------------------------------------------------------------------------------

DEFAULTS = {k: registry_value(m, n) for k, (m, n) in synth.ASSUMPTIONS.items()}


def test_without_backup_the_cost_is_the_cost_model_with_no_backup():
    out = synth.network_model(n_cameras=1000, battery_hours=0, solar_share=0, rollout_years=4,
                              horizon_years=10, **DEFAULTS)
    ref = cost.deployment_cost(n_cameras=1000, power_backup_usd=0, rollout_years=4, horizon_years=10,
                               **{k: DEFAULTS[k] for k in ("camera_usd", "network_usd", "seat_usd",
                                                           "cameras_per_screen", "operators_per_screen",
                                                           "staff_per_post", "operator_salary_usd",
                                                           "maintenance_rate")})
    assert out["tco_usd"] == pytest.approx(ref["tco_usd"])
    assert out["capex_usd"] == pytest.approx(ref["capex_usd"])
    assert out["backup_capex_usd"] == 0


def test_batteries_are_sized_and_replaced_by_the_power_model():
    kw = dict(rollout_years=1, horizon_years=2, **DEFAULTS)
    grid = synth.network_model(n_cameras=10, battery_hours=0, **kw)
    batt = synth.network_model(n_cameras=10, battery_hours=10, **kw)
    # One battery: 10 W x 10 h / 1000 / depth of discharge x price per kWh.
    one = (DEFAULTS["watts_per_camera"] * 10 / 1000 / DEFAULTS["depth_of_discharge"]
           * DEFAULTS["usd_per_kwh_storage"])
    assert batt["backup_capex_usd"] == pytest.approx(10 * one)
    # Built in year 1, in service in year 2: capital + a year of maintenance on it + a
    # year's share of replacing it.
    extra = 10 * one * (1 + DEFAULTS["maintenance_rate"] + 1 / DEFAULTS["battery_life_years"])
    assert batt["tco_usd"] - grid["tco_usd"] == pytest.approx(extra)


def test_recording_is_the_power_model_share_times_cameras():
    out = synth.network_model(n_cameras=500, battery_hours=6, supply_hours=4, working_share=0.8)
    share = power.network_uptime(supply_hours=4, battery_hours=6, working_share=0.8,
                                 n_cameras=1)["share_recording"]
    assert share == pytest.approx(0.8 * (4 + 6) / 24)  # by hand
    assert out["cameras_recording"] == pytest.approx(500 * share)
    assert out["camera_hours_per_day"] == pytest.approx(500 * share * 24)


def test_a_budget_buys_cameras_at_the_capital_cost_per_camera():
    out = synth.network_model(budget_usd=50e6, **DEFAULTS)
    assert out["capex_usd"] == pytest.approx(50e6)
    per_camera = synth.network_model(n_cameras=1, **DEFAULTS)["capex_usd"]
    assert out["n_cameras"] == pytest.approx(50e6 / per_camera)


def test_years_in_service_match_the_cost_models_schedule():
    for rollout, horizon in ((4, 10), (2, 2), (8, 5), (1, 15), (3, 4)):
        sched = cost.rollout_schedule(n_cameras=100.0, rollout_years=rollout, horizon_years=horizon)
        assert float(synth._years_in_service(rollout, horizon)) == pytest.approx(
            sched["cameras_in_service"].sum() / 100.0)


def test_no_cameras_cost_nothing_and_have_no_cost_per_hour():
    out = synth.network_model(n_cameras=0)
    assert out["tco_usd"] == 0 and out["cameras_recording"] == 0
    assert math.isnan(out["usd_per_recorded_hour"])


def test_network_model_refuses_bad_inputs():
    with pytest.raises(ValueError, match="not both"):
        synth.network_model(n_cameras=10, budget_usd=1e6)
    with pytest.raises(ValueError, match="unknown assumption"):
        synth.network_model(n_cameras=10, camera_price=5)
    with pytest.raises(ValueError, match="n_cameras"):
        synth.network_model(n_cameras=-1)
    with pytest.raises(ValueError, match="battery_hours"):
        synth.network_model(n_cameras=10, battery_hours=25)


def test_arrays_give_one_result_per_draw():
    out = synth.network_model(n_cameras=100, camera_usd=np.array([2000.0, 5000.0, 8000.0]))
    assert out["tco_usd"].shape == (3,)
    assert out["tco_usd"][0] < out["tco_usd"][1] < out["tco_usd"][2]


# ---------------------------------------------------------------------------------------
# Monte Carlo runs
# ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def results(options):
    return synth.scenario_results(options, draws=DRAWS)


def test_results_are_ranges_in_order(results):
    built = results[results["scenario"] != "none"]
    assert (built["p5"] <= built["p50"] + 1e-9).all() and (built["p50"] <= built["p95"] + 1e-9).all()
    for key in ("taliban", "plan2021", "targeted"):
        tco = results[(results["scenario"] == key) & (results["output"] == "tco_usd")].iloc[0]
        assert tco["p5"] < tco["p95"], key  # a real range, not a point


def test_2021_plan_spends_exactly_its_budget_on_capital(results):
    budget = csv_value("budgets", "amount_usd_million", item="plan_2021_upgrade") * 1_000_000
    row = results[(results["scenario"] == "plan2021") & (results["output"] == "capex_usd")].iloc[0]
    assert row["p5"] == pytest.approx(budget) and row["p95"] == pytest.approx(budget)


def test_no_expansion_is_zero(results):
    row = results[(results["scenario"] == "none") & (results["output"] == "tco_usd")].iloc[0]
    assert row["p5"] == row["p95"] == row["central"] == 0


def test_runs_are_reproducible(options, results):
    again = synth.scenario_results(options, draws=DRAWS)
    pd.testing.assert_frame_equal(results, again)
    other = synth.scenario_results(options, draws=DRAWS, seed=synth.SEED + 1)
    assert not np.allclose(other["p50"].fillna(0), results["p50"].fillna(0))


def test_batteries_multiply_recording_per_dollar(options):
    b = synth.battery_comparison(options)
    # With the registry's median supply every day and batteries for the rest of the day,
    # a working camera records all day; on the grid alone, supply / 24 of it.
    assert b["share_battery"] == pytest.approx(1.0)
    assert b["share_grid"] == pytest.approx(registry_value("power", "supply_hours") / 24)
    assert b["ratio"] == pytest.approx((b["cost_grid"] / b["share_grid"]) / (b["cost_battery"] / b["share_battery"]))
    assert b["ratio"] > 1


def test_risk_ranges_come_from_the_rights_model(options):
    def very_high(s):
        return sum(f.level == "very high" for f in rights.risk_assessment(s))
    assert synth.risk_range(options["taliban"]) == (very_high(rights.AS_REPORTED),) * 2
    lo, hi = synth.risk_range(options["targeted"])
    assert lo == very_high(rights.scenario("All six safeguards"))
    assert hi == very_high(rights.scenario("No face recognition, short retention"))
    assert synth.risk_range(options["none"]) == (0, 0)


# ---------------------------------------------------------------------------------------
# The chart builders
# ---------------------------------------------------------------------------------------

BUILDERS = {
    "frontier_chart": lambda **kw: synth.frontier_chart(draws=DRAWS, **kw),
    "drivers_chart": synth.drivers_chart,
    "risk_profiles_chart": synth.risk_profiles_chart,
}
INPUTS = {"counts": ("camera_counts", "cameras"), "budgets": ("budgets", "amount_usd_million"),
          "claims": ("claims", "claim"), "registry": ("model_assumptions", "default")}


@pytest.fixture(scope="module")
def figures():
    return {name: build() for name, build in BUILDERS.items()}


def source_notes(fig):
    return [a for a in fig.layout.annotations if str(a.text).startswith("Source:")]


@pytest.mark.parametrize("name", list(BUILDERS))
def test_reads_the_right_datasets_by_default(figures, name):
    meta = figures[name].layout.meta
    for dataset in ("camera_counts", "budgets", "claims"):
        assert dataset in meta["datasets"], dataset
        assert f"data/{dataset}.csv" in meta["source_note"], dataset
    if name != "risk_profiles_chart":
        assert "model_assumptions" in meta["datasets"]


@pytest.mark.parametrize("name", list(BUILDERS))
def test_source_note_title_alt_description(figures, name):
    fig = figures[name]
    assert len(source_notes(fig)) == 1
    assert fig.layout.title.text.strip()
    for key in ("alt", "description", "source_note"):
        assert fig.layout.meta[key].strip(), key
    assert fig.layout.meta["table"]["rows"]


@pytest.mark.parametrize("name", list(BUILDERS))
@pytest.mark.parametrize("table", list(INPUTS))
def test_refuses_a_table_missing_a_column(name, table):
    dataset, column = INPUTS[table]
    frame = reg.registry() if table == "registry" else load(dataset)
    with pytest.raises(ChartDataError, match=column):
        BUILDERS[name](**{table: frame.drop(columns=[column])})


def test_frontier_draws_each_scenario_as_a_range(figures):
    fig = figures["frontier_chart"]
    markers = [t for t in fig.data if t.mode == "markers+text"]
    assert [t.name for t in markers] == ["The Taliban plan (size assumed)", "The 2021 plan",
                                         "A minimal targeted network"]
    for t in markers:
        for err in (t.error_x, t.error_y):
            assert err.type == "data" and err.symmetric is False
            assert len(err.array) == 1 and len(err.arrayminus) == 1
            assert err.array[0] > 0 and err.arrayminus[0] > 0, t.name
    # The Taliban plan's marker sits at its median cost (size: the registry's default).
    assert fig.layout.xaxis.type == "log" and fig.layout.yaxis.type == "log"
    lines = [t for t in fig.data if t.mode == "lines"]
    assert len(lines) == 2
    # With batteries, every point of the solid line records more than the dashed one at
    # the same number of cameras.
    assert all(b > g for g, b in zip(lines[0].y, lines[1].y))


def test_frontier_numbers_match_the_runs(figures, options):
    res = synth.scenario_results(options, draws=DRAWS)
    fig = figures["frontier_chart"]
    tal = [t for t in fig.data if t.name == "The Taliban plan (size assumed)"][0]
    assert tal.x[0] == pytest.approx(synth.result(res, "taliban", "tco_usd") / 1e6)
    assert tal.y[0] == pytest.approx(synth.result(res, "taliban", "cameras_recording"))
    assert tal.x[0] - tal.error_x.arrayminus[0] == pytest.approx(
        synth.result(res, "taliban", "tco_usd", "p5") / 1e6)


def test_tornado_draws_low_high_bars(figures):
    fig = figures["drivers_chart"]
    bars = [t for t in fig.data if t.type == "bar"]
    assert len(bars) == 2  # one panel for cost, one for recording
    for bar in bars:
        assert bar.base is not None and len(bar.base) == len(bar.x) == len(bar.y)
        assert all(w >= 0 for w in bar.x)
    ends = [t for t in fig.data if t.type == "scatter"]
    assert {t.name for t in ends} == {"Input at the low end of its range", "Input at the high end of its range"}
    labels = list(bars[0].y)
    assert any("(choice)" in lbl for lbl in labels) and any("(choice)" not in lbl for lbl in labels)


def test_tornado_swings_by_hand():
    table = synth.driver_table()
    row = table[table["assumption"] == "n_cameras"].iloc[0]
    # Cost is proportional to the number of cameras: the ends scale the central result. The
    # swing is the new plan's range (cost.plan_cameras), not the claimed network's.
    low, high = registry_value("cost", "plan_cameras", "low"), registry_value("cost", "plan_cameras", "high")
    central = registry_value("cost", "plan_cameras")
    assert high > central
    assert row["tco_usd_output_low"] == pytest.approx(row["tco_usd_output_central"] * low / central)
    assert row["tco_usd_output_high"] == pytest.approx(row["tco_usd_output_central"] * high / central)
    price = table[table["assumption"] == "usd_per_kwh_storage"].iloc[0]
    assert price["tco_usd_swing"] == 0  # no batteries in the Taliban plan


def test_risk_chart_counts_every_factor(figures):
    fig = figures["risk_profiles_chart"]
    bars = [t for t in fig.data if t.type == "bar"]
    assert [t.name for t in bars] == [f"Factors at '{lv}'" for lv in rights.LEVELS]
    rows = len(bars[0].y)
    totals = [sum(b.x[i] for b in bars) for i in range(rows)]
    n = len(rights.FACTORS)
    # Every setting of a built network counts all six factors; no expansion counts none.
    assert totals[:-1] == [n] * (rows - 1) and totals[-1] == 0
    # Options whose safeguards the record leaves open appear twice.
    assert sum("2021 plan" in y for y in bars[0].y) == 2
    assert sum("targeted" in y.lower() for y in bars[0].y) == 2


# ---------------------------------------------------------------------------------------
# The chapter page
# ---------------------------------------------------------------------------------------

def test_chapter_structure():
    text = CHAPTER.read_text(encoding="utf-8")
    assert text.startswith("---\njupytext:")
    for heading in ("# 6. Weighing it up", "## Overview", "## Prerequisites", "## Time to learn",
                    "## Learning objectives", "## What this data cannot tell us",
                    "## The security case", "## The rights case", "## Discussion questions",
                    "## Summary", "## What's next", "## References"):
        assert heading in text, heading
    assert "{footbibliography}" in text
    assert "$" not in text and "<script" not in text and "<iframe" not in text
    # No link to another site (the first cell's message names the repository, for a
    # learner who downloaded the notebook on its own).
    prose = re.sub(r"```\{code-cell\}.*?```", "", text, flags=re.S)
    assert "http://" not in prose and "https://" not in prose
    for name in BUILDERS:
        assert f"synth.{name}(" in text, name
    assert "model_charts.detection_static(" in text
    for name in re.findall(r"name: (fig-[a-z-]+)", text):
        assert f"{{numref}}`{name}`" in text, f"{name} is never referred to"
    assert len(re.findall(r"\*\*W\d\.\*\*", text)) >= 4
    assert "Chapter 7" in text and "exercises for this chapter" in text


def test_widget_cell_is_tagged_remove_output():
    text = CHAPTER.read_text(encoding="utf-8")
    cell = re.search(r"```\{code-cell\} ipython3\n(:tags: \[[^\]]*\])\n\nfrom kabulcase\.widgets\.detection",
                     text)
    assert cell and "remove-output" in cell.group(1)


def test_every_number_the_prose_reads_is_glued():
    text = CHAPTER.read_text(encoding="utf-8")
    used = set(re.findall(r"\{eval\}`(?:f\"\{)?facts\.([a-z0-9_]+)", text))
    defined = set(re.findall(r"\bg\(f?\"([a-z0-9_{}]+)\"", text)) | set(
        re.findall(r"\bglue\(\"([a-z0-9_]+)\"", text))
    expanded = set()
    for key in defined:
        if "{key}" in key:
            expanded |= {key.replace("{key}", k) for k in ("taliban", "plan2021", "targeted")}
        else:
            expanded.add(key)
    expanded = {k.replace("{tag}", t) for k in expanded for t in ("lo", "mid", "hi")}
    assert used and used <= expanded, used - expanded


def test_chapter_cites_only_known_keys():
    cited, known = cited_keys(CHAPTER), bib_keys()
    assert cited and cited <= known, cited - known
