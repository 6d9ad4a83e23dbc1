"""Chapter 2 (power): charts, the recording-share model, and the live explorer.

Expectations are computed from the CSV files read with the csv module, or by hand (the
working is in the comments), never copied from the code's own output.
"""

from __future__ import annotations

import csv
import math
import statistics
from pathlib import Path

import ipywidgets as widgets
import pytest

from kabulcase import load
from kabulcase.figures import ChartDataError
from kabulcase.figures import power as charts
from kabulcase.models import power as model
from kabulcase.widgets.power import uptime_explorer

DATA = Path(__file__).resolve().parent.parent / "data"


def csv_rows(name):
    with open(DATA / f"{name}.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def notes(fig):
    return [a.text for a in fig.layout.annotations if str(a.text).startswith("Source:")]


def kabul_hours():
    rows = csv_rows("kabul_supply_hours")
    return ([float(r["hours_low"]) for r in rows], [float(r["hours_high"]) for r in rows])


# ---------------------------------------------------------------------------------------
# Charts: common checks
# ---------------------------------------------------------------------------------------

BUILDERS = [
    # (builder, dataset it reads by default, keyword for the table, a required column)
    (charts.access_chart, "electricity_access", "access", "definition"),
    (charts.revisions_chart, "electricity_access", "access", "series"),
    (charts.supplier_chart, "electricity_imports", "imports", "supplier"),
    (charts.import_share_chart, "electricity_imports", "imports", "basis"),
    (charts.supply_hours_chart, "kabul_supply_hours", "supply", "report_type"),
    (charts.use_chart, "electricity_use", "use", "kwh_per_person"),
    (charts.uptime_explorer_static, "kabul_supply_hours", "supply", "hours_high"),
]
IDS = [b[0].__name__ for b in BUILDERS]


@pytest.mark.parametrize("builder, dataset, kw, column", BUILDERS, ids=IDS)
def test_chart_reads_its_dataset_and_names_its_sources(builder, dataset, kw, column):
    fig = builder()
    assert dataset in fig.layout.meta["datasets"]
    [note] = notes(fig)
    assert note.startswith("Source:")
    assert f"data/{dataset}.csv" in note.replace("<br>", " ")


@pytest.mark.parametrize("builder, dataset, kw, column", BUILDERS, ids=IDS)
def test_chart_has_title_alt_text_description_and_table(builder, dataset, kw, column):
    fig = builder()
    meta = fig.layout.meta
    assert fig.layout.title.text.strip()
    assert len(meta["alt"]) > 20 and len(meta["description"]) > 60
    assert meta["table"]["rows"]


@pytest.mark.parametrize("builder, dataset, kw, column", BUILDERS, ids=IDS)
def test_chart_refuses_a_table_missing_a_column(builder, dataset, kw, column):
    table = load(dataset).drop(columns=[column])
    with pytest.raises(ChartDataError, match=column):
        builder(**{kw: table})


# ---------------------------------------------------------------------------------------
# Charts: each draws what the data say, ranges as ranges, rival series apart
# ---------------------------------------------------------------------------------------

def test_access_chart_draws_each_series_apart_and_sigar_as_a_range():
    fig = charts.access_chart()
    national = [r for r in csv_rows("electricity_access") if r["geography"] == "Afghanistan"]
    # One trace per series: never merged.
    assert len(fig.data) == len({r["series"] for r in national})
    assert sum(len(t.y) for t in fig.data) == len(national)
    # SIGAR's published range is a low-high error bar around its midpoint.
    [sigar] = [r for r in national if r["series"] == "sigar_2017"]
    [trace] = [t for t in fig.data if "SIGAR" in t.name]
    y = trace.y[0]
    assert trace.error_y.array is not None and trace.error_y.arrayminus is not None
    assert y + trace.error_y.array[0] == pytest.approx(float(sigar["high"]))
    assert y - trace.error_y.arrayminus[0] == pytest.approx(float(sigar["low"]))
    # Only multi-year series (the WDI vintages) are lines; single estimates are markers.
    for t in fig.data:
        assert ("lines" in t.mode) == (len(t.y) > 1)


def test_revisions_chart_spans_every_vintage_for_each_year():
    fig = charts.revisions_chart()
    wdi = [r for r in csv_rows("electricity_access")
           if r["series"].startswith("wdi") and r["geography"] == "Afghanistan"]
    by_year = {}
    for r in wdi:
        by_year.setdefault(int(r["year"]), []).append(float(r["value"]))
    shared = {y: v for y, v in by_year.items() if len(v) > 1}
    spread = fig.data[0]
    assert len(spread.x) == len(shared)
    for x, mid, up, down in zip(spread.x, spread.y, spread.error_y.array, spread.error_y.arrayminus):
        assert mid + up == pytest.approx(max(shared[int(x)]))
        assert mid - down == pytest.approx(min(shared[int(x)]))
    # 2016: older vintage 84.14 against 97.7 in the later downloads.
    assert "2016" in fig.layout.title.text


def test_supplier_chart_shows_every_supplier_share():
    fig = charts.supplier_chart()
    rows = [r for r in csv_rows("electricity_imports") if r["measure"] == "supplier_share_of_imports"]
    [bars] = fig.data
    assert sorted(bars.y) == sorted(r["supplier"] for r in rows)
    assert sum(bars.x) == pytest.approx(sum(float(r["value"]) for r in rows))


def test_import_share_chart_keeps_bases_apart_and_marks_lower_bounds():
    fig = charts.import_share_chart()
    rows = [r for r in csv_rows("electricity_imports") if r["measure"] == "import_share"]
    assert sum(len(t.y) for t in fig.data) == len(rows)
    # A trace never mixes bases: each trace's name names one basis.
    assert len(fig.data) >= len({r["basis"] for r in rows})
    lower = [r for r in rows if r["low"] and not r["high"]]
    marked = [t for t in fig.data if t.marker.symbol == "triangle-up"]
    assert sum(len(t.y) for t in marked) == len(lower)
    assert all(text.startswith("over") for t in marked for text in t.text)


def test_supply_hours_chart_draws_every_report_as_a_low_high_range():
    fig = charts.supply_hours_chart()
    lows, highs = kabul_hours()
    drawn = []
    for t in fig.data:
        assert t.error_y.array is not None
        for y, up, down in zip(t.y, t.error_y.array, t.error_y.arrayminus):
            drawn.append((round(y - down, 6), round(y + up, 6)))
    assert sorted(drawn) == sorted((round(lo, 6), round(hi, 6)) for lo, hi in zip(lows, highs))
    # Who reports is part of the legend, and the chart says these are not meter readings.
    types = {r["report_type"] for r in csv_rows("kabul_supply_hours")}
    assert len(fig.data) == len(types)
    assert "not meter readings" in fig.layout.title.text.replace("<br>", " ")


def test_use_chart_shows_every_row():
    fig = charts.use_chart()
    rows = csv_rows("electricity_use")
    values = sorted(v for t in fig.data for v in t.x)
    assert values == sorted(float(r["kwh_per_person"]) for r in rows)


# ---------------------------------------------------------------------------------------
# The static twin of the live explorer
# ---------------------------------------------------------------------------------------

def test_static_twin_has_one_slider_step_per_case():
    fig = charts.uptime_explorer_static()
    assert len(fig.layout.sliders) == 1
    assert len(fig.layout.sliders[0].steps) == len(charts.BATTERY_CASES)
    fig = charts.uptime_explorer_static(battery_cases=(0.0, 3.0, 9.0))
    assert len(fig.layout.sliders[0].steps) == 3


def test_static_twin_steps_hold_the_model_curve():
    fig = charts.uptime_explorer_static(battery_cases=(0.0, 6.0))
    step = fig.layout.sliders[0].steps[1]
    line = step.args[0]["y"][0]
    x = list(fig.data[1].x)
    # With 6 h of battery: 4 h of grid gives (4 + 6) / 24; 20 h of grid is capped at 1.
    assert line[x.index(4.0)] == pytest.approx(100 * 10 / 24)
    assert line[x.index(20.0)] == pytest.approx(100.0)


def test_static_twin_shades_the_reported_kabul_range():
    fig = charts.uptime_explorer_static()
    lows, highs = kabul_hours()
    [band] = [s for s in fig.layout.shapes if s.type == "rect"]
    assert (band.x0, band.x1) == (min(lows), max(highs))


# ---------------------------------------------------------------------------------------
# The model
# ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("supply, battery, solar, expected", [
    (4, 6, 0, 10 / 24),    # one 4 h grid block, battery bridges 6 h: 10 of 24 h
    (2, 0, 0, 2 / 24),     # grid only: 2 of 24 h
    (3, 4, 2, 9 / 24),     # 3 + 4 + 2 = 9 of 24 h
    (0, 0, 0, 0.0),        # no power at all
    (24, 0, 0, 1.0),       # grid all day
    (20, 8, 0, 1.0),       # 20 + 8 = 28 h, capped at the 24 h of a day
    (0.5, 0.25, 0.25, 1 / 24),  # fractions of an hour: 0.5 + 0.25 + 0.25 = 1 h
])
def test_recording_share_hand_computed(supply, battery, solar, expected):
    assert model.recording_share(supply, battery, solar) == pytest.approx(expected)


@pytest.mark.parametrize("supply, battery, solar", [
    (0, 0, 0), (2, 0, 0), (2, 6, 1), (6, 12, 3), (12, 10, 0), (23.5, 0, 0.5),
])
@pytest.mark.parametrize("extra", [0.5, 2, 8])
def test_more_backup_never_lowers_the_share(supply, battery, solar, extra):
    base = model.recording_share(supply, battery, solar)
    assert model.recording_share(supply, min(24, battery + extra), solar) >= base
    assert model.recording_share(supply, battery, min(24, solar + extra)) >= base
    assert model.recording_share(min(24, supply + extra), battery, solar) >= base


def test_shares_stay_between_zero_and_one():
    hours = [0, 0.5, 1, 3, 6, 12, 18, 24]
    for s in hours:
        for b in hours:
            for p in hours:
                assert 0.0 <= model.recording_share(s, b, p) <= 1.0


def test_incident_probability_equals_the_share_under_uniform_timing():
    assert model.probability_incident_recorded(4, 6) == model.recording_share(4, 6)


@pytest.mark.parametrize("parameter", ["supply_hours", "battery_hours", "solar_hours"])
@pytest.mark.parametrize("bad", [-1, -0.1, 24.5, 100, math.nan, math.inf, "4", None, True, [4]])
def test_invalid_inputs_raise_naming_the_parameter(parameter, bad):
    args = {"supply_hours": 4, "battery_hours": 6, "solar_hours": 0}
    args[parameter] = bad
    with pytest.raises(ValueError, match=parameter) as err:
        model.recording_share(**args)
    assert "0 to 24" in str(err.value)


def test_backup_cost_hand_computed():
    # 1 camera x 10 W x 10 h = 100 Wh = 0.1 kWh used; at 50% depth of discharge the battery
    # must hold 0.2 kWh; at USD 300 per kWh that is USD 60.
    assert model.backup_cost(1, 10, watts_per_camera=10, usd_per_kwh_storage=300,
                             depth_of_discharge=0.5) == pytest.approx(60.0)
    # 1,000 cameras x 5 W x 20 h = 100 kWh; / 0.8 = 125 kWh; x USD 200 = USD 25,000.
    assert model.backup_cost(1000, 20, 5, 200, 0.8) == pytest.approx(25_000.0)
    assert model.backup_cost(0, 12) == 0.0
    assert model.backup_cost(10, 0) == 0.0


def test_backup_cost_defaults_come_from_the_assumptions():
    a = model.ASSUMPTIONS
    expected = (100 * a["watts_per_camera"]["default"] * 5 / 1000
                / a["depth_of_discharge"]["default"] * a["usd_per_kwh_storage"]["default"])
    assert model.backup_cost(100, 5) == pytest.approx(expected)


def test_backup_cost_range_is_ordered_and_grows_with_hours():
    for hours in (2, 8, 22):
        r = model.backup_cost_range(1000, hours)
        assert r["low"] <= r["central"] <= r["high"]
    assert model.backup_cost(1000, 10) > model.backup_cost(1000, 5)


@pytest.mark.parametrize("kwargs, parameter", [
    (dict(n_cameras=-1, battery_hours=4), "n_cameras"),
    (dict(n_cameras=2.5, battery_hours=4), "n_cameras"),
    (dict(n_cameras="10", battery_hours=4), "n_cameras"),
    (dict(n_cameras=10, battery_hours=30), "battery_hours"),
    (dict(n_cameras=10, battery_hours=4, watts_per_camera=-5), "watts_per_camera"),
    (dict(n_cameras=10, battery_hours=4, usd_per_kwh_storage=math.nan), "usd_per_kwh_storage"),
    (dict(n_cameras=10, battery_hours=4, depth_of_discharge=1.5), "depth_of_discharge"),
    (dict(n_cameras=10, battery_hours=4, depth_of_discharge=0), "depth_of_discharge"),
])
def test_backup_cost_refuses_bad_inputs(kwargs, parameter):
    with pytest.raises(ValueError, match=parameter):
        model.backup_cost(**kwargs)


def test_every_assumption_has_a_default_range_unit_source_and_reason():
    known_sources = {r["source_id"] for r in csv_rows("sources")}
    for name, spec in model.ASSUMPTIONS.items():
        for key in ("default", "low", "high", "unit", "source_id", "reason"):
            assert key in spec, f"{name} lacks {key}"
        assert spec["low"] <= spec["default"] <= spec["high"], name
        assert spec["unit"] and len(spec["reason"]) > 40, name
        assert spec["source_id"] == "book-assumption" or spec["source_id"] in known_sources


def test_backup_kit_assumption_is_read_from_unit_costs():
    [row] = [r for r in csv_rows("unit_costs") if r["cost_id"] == "power-backup-assumption"]
    spec = model.ASSUMPTIONS["power_backup_usd_per_camera"]
    assert (spec["low"], spec["default"], spec["high"]) == (
        float(row["low"]), float(row["central"]), float(row["high"]))
    assert spec["source_id"] == row["source_id"]


def test_typical_supply_hours_from_the_reports():
    lows, highs = kabul_hours()
    t = model.typical_supply_hours()
    assert t["median"] == pytest.approx(statistics.median((lo + hi) / 2 for lo, hi in zip(lows, highs)))
    assert (t["low"], t["high"], t["n_reports"]) == (min(lows), max(highs), len(lows))


# ---------------------------------------------------------------------------------------
# The live explorer
# ---------------------------------------------------------------------------------------

def test_explorer_builds_headless_with_described_sliders():
    box = uptime_explorer()
    assert isinstance(box, widgets.VBox)
    assert set(box.sliders) == {"supply_hours", "battery_hours", "solar_hours"}
    for slider in box.sliders.values():
        assert (slider.min, slider.max) == (0, 24)
        assert slider.description
    lows, highs = kabul_hours()
    median = statistics.median((lo + hi) / 2 for lo, hi in zip(lows, highs))
    assert box.sliders["supply_hours"].value == pytest.approx(median)
    # Each slider is followed by a note giving its range and meaning.
    notes_html = [c.children[1].value for c in box.children[:3]]
    assert all("Range 0 to 24" in n for n in notes_html)
    assert isinstance(box.output, widgets.Output) and box.reset_button in box.children


def test_explorer_updates_and_reset_restores_defaults():
    box = uptime_explorer()
    defaults = dict(box.defaults)
    box.sliders["supply_hours"].value = 4
    box.sliders["battery_hours"].value = 6
    box.sliders["solar_hours"].value = 1
    # (4 + 6 + 1) / 24 = 45.8%, shown rounded to 46%.
    assert "46%" in box.readout.value
    assert "46%" in box.figure.layout.title.text.replace("<br>", " ")
    box.reset_button.click()
    assert box.values() == pytest.approx(defaults)
    expected = model.recording_share(defaults["supply_hours"], 0, 0)
    assert f"{expected:.0%}" in box.readout.value


def test_explorer_runs_in_a_headless_kernel():
    import nbclient
    import nbformat
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(
        "from kabulcase.widgets.power import uptime_explorer\n"
        "box = uptime_explorer()\nbox.sliders['battery_hours'].value = 6\nbox.reset()\nbox")]
    nbclient.NotebookClient(nb, timeout=60, kernel_name="python3").execute()
    outputs = nb.cells[0].outputs
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in outputs)
