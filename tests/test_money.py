"""Chapter 5 (money): its chart builders, its small calculations and its page.

Expectations are computed independently from the CSV files with the csv module, not
copied from the builders' output.
"""

from __future__ import annotations

import re

import pytest

from kabulcase import load
from kabulcase.figures import money, theme
from kabulcase.figures.theme import ChartDataError

from support import REPO, bib_keys, cited_keys, csv_rows

CHAPTER = REPO / "chapters" / "05-money.md"


def number(text: str) -> float:
    return float(text)


# Each builder: (function, the datasets it reads by default, keyword of each input table).
BUILDERS = {
    "camera_count_comparison": (money.camera_count_comparison, {"counts": "camera_counts"}),
    "plan_vs_budget": (money.plan_vs_budget, {"budgets": "budgets"}),
    "cost_per_camera": (money.cost_per_camera, {"comparators": "safe_city_comparators",
                                                "unit_costs": "unit_costs"}),
    "camera_density_chart": (money.camera_density_chart, {"density": "camera_density"}),
    "after_deployment": (money.after_deployment, {"outcomes": "safe_city_outcomes",
                                                  "counts": "camera_counts"}),
    "rollout_chart": (money.rollout_chart, {"unit_costs": "unit_costs", "counts": "camera_counts",
                                            "budgets": "budgets"}),
}
# A column each builder needs from each input table.
DROP = {"counts": "cameras", "budgets": "amount_usd_million", "comparators": "cost_usd_million",
        "unit_costs": "low", "density": "cameras_per_1000", "outcomes": "claim_type"}
LOG_X = ["camera_count_comparison", "cost_per_camera", "camera_density_chart"]


@pytest.fixture(scope="module")
def figures():
    return {name: fn() for name, (fn, _) in BUILDERS.items()}


def source_annotations(fig):
    return [a for a in fig.layout.annotations if str(a.text).startswith("Source:")]


# ---------------------------------------------------------------------------------------
# What every builder must do
# ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", list(BUILDERS))
def test_reads_the_right_datasets_by_default(figures, name):
    fig = figures[name]
    wanted = set(BUILDERS[name][1].values())
    assert wanted <= set(fig.layout.meta["datasets"])
    note = fig.layout.meta["source_note"]
    for dataset in wanted:
        assert f"data/{dataset}.csv" in note


@pytest.mark.parametrize("name", list(BUILDERS))
def test_source_note_title_alt_and_description(figures, name):
    fig = figures[name]
    notes = source_annotations(fig)
    assert len(notes) == 1
    assert fig.layout.title.text and fig.layout.title.text.strip()
    meta = fig.layout.meta
    assert meta["alt"].strip() and meta["description"].strip()
    assert meta["table"]["rows"], "the folded data table must not be empty"


@pytest.mark.parametrize("name", LOG_X)
def test_log_axes_where_ranges_demand_it(figures, name):
    assert figures[name].layout.xaxis.type == "log"


@pytest.mark.parametrize("name", list(BUILDERS))
def test_refuses_a_table_missing_a_column(name):
    fn, inputs = BUILDERS[name]
    for keyword, dataset in inputs.items():
        frame = load(dataset)
        column = DROP[keyword]
        broken = frame.drop(columns=[column])
        with pytest.raises(ChartDataError, match=column):
            fn(**{keyword: broken})


@pytest.mark.parametrize("name", list(BUILDERS))
def test_titles_and_notes_fit_the_text_column(figures, name):
    # theme.finish() wraps by measured width (text_px), not by a count of characters.
    fig = figures[name]
    room = theme.TEXT_WIDTH - 2 * theme.EDGE
    for line in str(fig.layout.title.text).split("<br>"):
        assert theme.text_px(line, fig.layout.title.font.size) <= room
    note = source_annotations(fig)[0]
    for line in str(note.text).split("<br>"):
        assert theme.text_px(line, note.font.size) <= room


# ---------------------------------------------------------------------------------------
# Camera counts
# ---------------------------------------------------------------------------------------

def test_counts_chart_shows_every_count_labelled_with_claimant_and_claim_type(figures):
    fig = figures["camera_count_comparison"]
    counts = csv_rows("camera_counts")
    plotted = [y for t in fig.data for y in t.y]
    assert len(plotted) == len(counts)
    for r in counts:
        # the claimant's first words appear in that row's label
        assert any(r["city"] in y and r["date"] in y and r["claimant"].split()[0] in y for y in plotted)
    official = [t for t in fig.data if "Official claim" in t.name]
    n_official = sum(r["claim_type"] == "official_claim" for r in counts)
    assert sum(len(t.x) for t in official) == n_official
    assert all("claimed" in text for t in official for text in t.text)


def test_counts_chart_marks_private_cameras_where_the_data_says_so(figures):
    fig = figures["camera_count_comparison"]
    private = [r for r in csv_rows("camera_counts") if r["includes_private"] == "true"]
    traces = [t for t in fig.data if "includes privately" in t.name.replace("<br>", " ")]
    assert sum(len(t.x) for t in traces) == len(private) > 0


# ---------------------------------------------------------------------------------------
# Plan against budget
# ---------------------------------------------------------------------------------------

def test_plan_shares_are_computed_from_the_budget_rows():
    by_item = {r["item"]: r for r in csv_rows("budgets")}
    plan = number(by_item["plan_2021_upgrade"]["amount_usd_million"])
    total = number(by_item["budget_fy1401_total"]["amount_usd_million"])
    dev = number(by_item["budget_fy1401_development"]["amount_usd_million"])
    s = money.plan_budget_shares()
    assert s["share_of_total_pct"] == pytest.approx(100 * plan / total)
    assert s["share_of_development_pct"] == pytest.approx(100 * plan / dev)
    assert s["fx_afn_per_usd"] == number(by_item["budget_fy1401_total"]["fx_afn_per_usd"])
    assert s["fx_date"] == by_item["budget_fy1401_total"]["fx_date"]


def test_budget_chart_labels_book_arithmetic_and_the_rate(figures):
    fig = figures["plan_vs_budget"]
    total = {r["item"]: r for r in csv_rows("budgets")}["budget_fy1401_total"]
    texts = " ".join(str(a.text) for a in fig.layout.annotations)
    assert "Book's arithmetic" in texts
    assert total["fx_afn_per_usd"] in texts and total["fx_date"] in texts
    derived = [t for t in fig.data if "converted by this book" in t.name]
    assert derived and all(t.marker.pattern.shape for t in derived)
    n_derived = sum(r["basis"] == "derived" for r in csv_rows("budgets"))
    assert sum(len(t.x) for t in derived) == n_derived


# ---------------------------------------------------------------------------------------
# Cost per camera and density: ranges drawn as ranges
# ---------------------------------------------------------------------------------------

def test_cost_per_camera_draws_sourced_ranges_low_to_high(figures):
    fig = figures["cost_per_camera"]
    ranges = [r for r in csv_rows("unit_costs") if r["component"] == "camera" and r["low"] and r["high"]
              and not r["unit"].endswith("all_in")]
    assert ranges, "the data should hold at least one per-camera range"
    traces = [t for t in fig.data if t.error_x is not None and t.error_x.arrayminus is not None]
    assert len(traces) == 1
    t = traces[0]
    got = sorted(zip(t.x, t.error_x.arrayminus))
    want = sorted((number(r["high"]), number(r["high"]) - number(r["low"])) for r in ranges)
    assert [v for pair in got for v in pair] == pytest.approx([v for pair in want for v in pair])
    assert all(v == 0 for v in t.error_x.array)


def test_cost_per_camera_says_which_values_are_derived(figures):
    fig = figures["cost_per_camera"]
    projects = [r for r in csv_rows("safe_city_comparators") if r["cameras"] and r["cost_usd_million"]]
    derived = [t for t in fig.data if "derived by this book" in t.name.replace("<br>", " ")]
    assert len(derived) == 1 and len(derived[0].x) == len(projects)
    want = sorted(number(r["cost_usd_million"]) * 1e6 / number(r["cameras"]) for r in projects)
    assert sorted(derived[0].x) == pytest.approx(want)
    assert all("derived" in text for text in derived[0].text)
    # vendor and year are on each project's label
    for r in projects:
        assert any(r["year"] in y and (r["vendor"] or "vendor not stated") in y for y in derived[0].y)


def test_density_draws_kabul_as_ranges_over_population_estimates(figures):
    fig = figures["camera_density_chart"]
    groups: dict[tuple, list[float]] = {}
    for r in csv_rows("camera_density"):
        groups.setdefault((r["city"], r["year"], r["basis"]), []).append(number(r["cameras_per_1000"]))
    want = sorted((max(v), max(v) - min(v)) for v in groups.values() if len(v) > 1 and max(v) > min(v))
    traces = [t for t in fig.data if t.error_x is not None and t.error_x.arrayminus is not None]
    got = sorted(zip(traces[0].x, traces[0].error_x.arrayminus))
    assert [v for pair in got for v in pair] == pytest.approx([v for pair in want for v in pair])
    n_points = sum(len(t.x) for t in fig.data if t.x is not None and len(t.x) and t.x[0] is not None)
    assert n_points == len(groups)


# ---------------------------------------------------------------------------------------
# After deployment: claims distinct from statistics
# ---------------------------------------------------------------------------------------

def test_outcomes_hatch_claims_and_keep_statistics_solid(figures):
    fig = figures["after_deployment"]
    claim_types = {"vendor_claim", "official_claim"}
    outcomes = csv_rows("safe_city_outcomes")
    n_claims = sum(r["claim_type"] in claim_types for r in outcomes)
    hatched = [t for t in fig.data if t.marker.pattern.shape]
    solid = [t for t in fig.data if not t.marker.pattern.shape]
    assert sum(len(t.x) for t in hatched) == n_claims
    assert sum(len(t.x) for t in solid) == len(outcomes) - n_claims
    assert all("claim" in text for t in hatched for text in t.text)


def test_outcomes_restoration_share_is_labelled_as_derived(figures):
    fig = figures["after_deployment"]
    restore = [r for r in csv_rows("safe_city_outcomes") if r["measure"] == "cameras_needing_restoration"]
    for r in restore:
        contracted = [c for c in csv_rows("camera_counts") if c["city"] == r["city"]]
        share = 100 * number(r["value"]) / number(sorted(contracted, key=lambda c: c["date"])[0]["cameras"])
        found = [(x, text) for t in fig.data for x, text in zip(t.x, t.text) if x == pytest.approx(share)]
        assert found and "derived" in found[0][1]


# ---------------------------------------------------------------------------------------
# The rollout: low / central / high, never one number
# ---------------------------------------------------------------------------------------

def unit(cost_id: str) -> dict:
    return next(r for r in csv_rows("unit_costs") if r["cost_id"] == cost_id)


def test_rollout_inputs_carry_their_basis_and_fill_central_only_from_a_range():
    inputs = money.rollout_inputs().set_index("role")
    camera = unit(money.ROLLOUT_COMPONENTS["camera"])
    if not camera["central"]:
        assert inputs.loc["camera", "central"] == pytest.approx(
            (number(camera["low"]) + number(camera["high"])) / 2)
        assert "book's arithmetic" in inputs.loc["camera", "central_basis"]
    for role, cost_id in money.ROLLOUT_COMPONENTS.items():
        assert inputs.loc[role, "basis"] == unit(cost_id)["basis"]


def test_rollout_costs_match_an_independent_calculation():
    cameras, years = 800, 4
    res = money.rollout_costs(cameras, years)
    for case in ("low", "high"):
        per_camera = sum(number(unit(money.ROLLOUT_COMPONENTS[k])[case])
                         for k in ("camera", "network", "power_backup"))
        rate = number(unit(money.ROLLOUT_COMPONENTS["maintenance_rate"])[case])
        capex_total = cameras * per_camera
        build = res[(res["case"] == case) & (res["phase"] == "rollout")]
        # capital: all cameras bought over the rollout
        assert build["capital_usd"].sum() == pytest.approx(capex_total)
        # maintenance during the rollout: on 0, 1, 2, 3 years' worth of installed cameras
        assert build["maintenance_usd"].sum() == pytest.approx(
            rate * capex_total / years * sum(range(years)))
        after = res[(res["case"] == case) & (res["phase"] == "after rollout")]
        assert after["total_usd"].iloc[0] == pytest.approx(rate * capex_total)
    wide = res.pivot(index="year", columns="case", values="total_usd")
    assert ((wide["low"] <= wide["central"]) & (wide["central"] <= wide["high"])).all()
    assert (wide["low"] < wide["high"]).all()


def test_rollout_chart_draws_low_central_high(figures):
    fig = figures["rollout_chart"]
    networks = [t for t in fig.data if t.error_y is not None and t.error_y.array is not None]
    assert len(networks) == 2
    for t in networks:
        assert all(v > 0 for v in t.error_y.array) and all(v > 0 for v in t.error_y.arrayminus)
    lahore = next(r for r in csv_rows("camera_counts") if r["city"] == "Lahore")
    res = money.rollout_costs(int(lahore["cameras"]), 4)
    central = res[res["case"] == "central"]["total_usd"].to_numpy() / 1e6
    trace = next(t for t in networks if "Lahore" in t.name)
    assert list(trace.y) == pytest.approx(list(central))
    header = fig.layout.meta["table"]["columns"]
    assert {"low_usd_million", "central_usd_million", "high_usd_million"} <= set(header)


def test_rollout_refuses_a_unit_cost_without_a_range():
    table = load("unit_costs")
    table.loc[table["cost_id"] == money.ROLLOUT_COMPONENTS["network"], "high"] = float("nan")
    with pytest.raises(ChartDataError, match="low and a high"):
        money.rollout_costs(100, 4, table)


# ---------------------------------------------------------------------------------------
# The chapter page
# ---------------------------------------------------------------------------------------

def test_chapter_structure_and_charts():
    text = CHAPTER.read_text(encoding="utf-8")
    assert text.startswith("---\njupytext:")
    for heading in ("# 5. Money", "## Overview", "## Prerequisites", "## Learning objectives",
                    "## What this data cannot tell us", "## The security case",
                    "## The rights case", "## Discussion questions", "## Summary",
                    "## What's next", "## References"):
        assert heading in text, heading
    assert "{footbibliography}" in text
    assert "$" not in text and "<script" not in text and "<iframe" not in text
    # No link to another site (the first cell's message names the repository, for a
    # learner who downloaded the notebook on its own).
    prose = re.sub(r"```\{code-cell\}.*?```", "", text, flags=re.S)
    assert "http://" not in prose and "https://" not in prose
    for name in BUILDERS:
        assert f"money.{name}(" in text, name
    for name in re.findall(r"name: (fig-[a-z-]+)", text):
        assert f"{{numref}}`{name}`" in text, f"{name} is never referred to"


def test_chapter_cites_only_known_keys():
    cited, known = cited_keys(CHAPTER), bib_keys()
    assert cited and cited <= known, cited - known
