"""Chapter 3's charts (kabulcase.figures.threat): right data, ranges drawn as ranges,
rival series kept apart, source notes and accessibility metadata present, bad tables refused.

Expectations are read from the CSV files with the csv module, independently of the
loader and of the chart code.
"""

from __future__ import annotations

import csv
from pathlib import Path

import plotly.graph_objects as go
import pytest

from kabulcase import load
from kabulcase.figures import threat
from kabulcase.figures.theme import ChartDataError

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"


def rows(name: str) -> list[dict]:
    with open(DATA / f"{name}.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def source_annotations(fig: go.Figure) -> list[str]:
    return [a.text for a in fig.layout.annotations if a.text and a.text.startswith("Source:")]


CHARTS = [
    # (builder, dataset it reads by default, columns it needs)
    (threat.strength_chart, "iskp_strength",
     ["report", "report_date", "low", "high", "unit", "estimate_type", "source_id", "note"]),
    (threat.provinces_chart, "iskp_provinces",
     ["province", "period_start", "period_end", "measure", "value", "qualifier", "of_total",
      "source_id"]),
    (threat.attacks_chart, "kabul_attacks",
     ["date", "target_type", "location", "deaths_low", "deaths_high", "claimed_by",
      "attribution", "source_id"]),
    (threat.counts_chart, "attack_counts",
     ["series", "series_label", "definition", "geography", "period_start", "period_end",
      "value", "unit", "source_id"]),
    (threat.cctv_investigation_chart, "evidence_cctv",
     ["study", "setting", "metric", "value", "unit", "finding", "source_id"]),
]
IDS = [c[0].__name__ for c in CHARTS]


@pytest.fixture(scope="module")
def figures() -> dict[str, go.Figure]:
    return {builder.__name__: builder() for builder, _, _ in CHARTS}


# ---------------------------------------------------------------------------------------
# What every chart must carry
# ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("builder,dataset,_cols", CHARTS, ids=IDS)
def test_reads_its_dataset_by_default(figures, builder, dataset, _cols):
    fig = figures[builder.__name__]
    assert dataset in fig.layout.meta["datasets"]
    assert f"data/{dataset}.csv" in fig.layout.meta["source_note"]


@pytest.mark.parametrize("builder,dataset,_cols", CHARTS, ids=IDS)
def test_source_note_is_on_the_chart(figures, builder, dataset, _cols):
    notes = source_annotations(figures[builder.__name__])
    assert len(notes) == 1
    assert "(<NA>)" not in notes[0]


@pytest.mark.parametrize("builder,dataset,_cols", CHARTS, ids=IDS)
def test_title_alt_and_description_are_present(figures, builder, dataset, _cols):
    fig = figures[builder.__name__]
    assert fig.layout.title.text and fig.layout.title.text.strip()
    assert fig.layout.meta["alt"].strip()
    assert len(fig.layout.meta["description"]) > 80
    table = fig.layout.meta["table"]
    assert table["columns"] and table["rows"]


@pytest.mark.parametrize("builder,dataset,cols", CHARTS, ids=IDS)
def test_refuses_a_table_missing_a_column(builder, dataset, cols):
    frame = load(dataset)
    for col in cols:
        with pytest.raises(ChartDataError, match=col):
            builder(frame.drop(columns=[col]))


@pytest.mark.parametrize("builder,dataset,_cols", CHARTS, ids=IDS)
def test_refuses_an_empty_table(builder, dataset, _cols):
    with pytest.raises(ChartDataError):
        builder(load(dataset).iloc[0:0])


# ---------------------------------------------------------------------------------------
# Strength: ranges as low-high bars, units marked, the 2023 change annotated
# ---------------------------------------------------------------------------------------

def bar_spans(fig: go.Figure) -> list[tuple[float, float, float]]:
    """(x, low, high) for every bar drawn as a range."""
    spans = []
    for trace in fig.data:
        if trace.type == "bar":
            for x, base, height in zip(trace.x, trace.base, trace.y):
                spans.append((float(x), float(base), float(base) + float(height)))
    return spans


def test_strength_bars_span_low_to_high(figures):
    fig = figures["strength_chart"]
    expected = sorted((float(r["low"]), float(r["high"])) for r in rows("iskp_strength")
                      if float(r["high"]) > float(r["low"]))
    drawn = sorted((lo, hi) for _, lo, hi in bar_spans(fig))
    assert drawn == expected
    # No range is drawn as a single point: every bar has a positive height.
    assert all(hi > lo for _, lo, hi in bar_spans(fig))


def test_strength_single_figures_are_markers_not_bars(figures):
    fig = figures["strength_chart"]
    singles = sorted(float(r["low"]) for r in rows("iskp_strength") if r["low"] == r["high"])
    drawn = sorted(float(y) for t in fig.data
                   if t.type == "scatter" and t.name and "single figure" in t.name for y in t.y)
    assert drawn == singles


def test_strength_units_are_named_and_carried_by_marker(figures):
    fig = figures["strength_chart"]
    units = {r["unit"] for r in rows("iskp_strength")}
    names = " | ".join(t.name for t in fig.data if t.showlegend is not False)
    for unit in units:
        assert threat.UNIT_LABELS[unit] in names
    symbols = {}
    for t in fig.data:
        if t.type == "scatter":
            symbols.setdefault(t.legendgroup, set()).add(t.marker.symbol)
    # Each unit has its own marker symbol, so colour is not the only carrier.
    assert len({frozenset(s) for s in symbols.values()}) == len(units)


def test_strength_unit_change_is_annotated(figures):
    fig = figures["strength_chart"]
    first_family = min(r["report_date"] for r in rows("iskp_strength")
                       if r["unit"] == "fighters_and_family")
    notes = [a.text for a in fig.layout.annotations if "family members" in (a.text or "")]
    assert notes, "the change of unit must be annotated on the chart"
    assert threat.month_label(first_family) in notes[0]
    assert any(s.type == "line" and s.line.dash == "dash" for s in fig.layout.shapes)


def test_strength_competing_ranges_stand_side_by_side(figures):
    fig = figures["strength_chart"]
    competing = [r for r in rows("iskp_strength") if r["estimate_type"] == "competing_ranges"]
    assert len(competing) >= 2
    spans = {(lo, hi): x for x, lo, hi in bar_spans(fig)}
    xs = [spans[(float(r["low"]), float(r["high"]))] for r in competing]
    # Different positions, but within one report's slot (less than one slot apart).
    assert len(set(xs)) == len(xs)
    assert max(xs) - min(xs) < 1
    assert round(sum(xs) / len(xs)) in list(fig.layout.xaxis.tickvals)


def test_strength_refuses_low_above_high():
    frame = load("iskp_strength")
    frame.loc[0, "low"] = frame.loc[0, "high"] + 1
    with pytest.raises(ChartDataError, match="low is above high"):
        threat.strength_chart(frame)


# ---------------------------------------------------------------------------------------
# Provinces: measures in separate panels, an upper bound drawn as a bound
# ---------------------------------------------------------------------------------------

def test_provinces_measures_are_in_separate_panels(figures):
    fig = figures["provinces_chart"]
    measures = {r["measure"] for r in rows("iskp_provinces")}
    axes_by_measure: dict[str, set] = {}
    for t in fig.data:
        for custom in t.customdata:
            axes_by_measure.setdefault(str(custom).split(";")[0], set()).add(t.xaxis)
    assert len(axes_by_measure) == len(measures)
    assert all(len(axes) == 1 for axes in axes_by_measure.values())
    assert len(set().union(*axes_by_measure.values())) == len(measures)


def test_provinces_fewer_than_is_an_upper_bound(figures):
    fig = figures["provinces_chart"]
    bounds = [r for r in rows("iskp_provinces") if r["qualifier"] == "fewer_than"]
    bound_traces = [t for t in fig.data if t.legendgroup == "bound"]
    assert len(bounds) == sum(len(t.y) for t in bound_traces)
    for t in bound_traces:
        assert t.marker.pattern.shape  # hatched, not a solid bar
        assert all("fewer than" in txt for txt in t.text)
    assert sorted(float(v) for t in bound_traces for v in t.y) == \
        sorted(float(r["value"]) for r in bounds)


def test_provinces_show_national_totals_from_the_same_source(figures):
    fig = figures["provinces_chart"]
    totals = {float(r["of_total"]) for r in rows("iskp_provinces") if r["of_total"]}
    drawn = {float(v) for t in fig.data if t.legendgroup == "total" for v in t.y}
    assert drawn == totals


# ---------------------------------------------------------------------------------------
# Attacks: error bars from lowest to highest toll, target by symbol, claims in hover
# ---------------------------------------------------------------------------------------

def test_attacks_have_error_bars_from_low_to_high(figures):
    fig = figures["attacks_chart"]
    expected = sorted((float(r["deaths_low"]), float(r["deaths_high"]))
                      for r in rows("kabul_attacks"))
    drawn = []
    for t in fig.data:
        if t.mode == "markers":
            assert t.error_y.type == "data" and t.error_y.symmetric is False
            assert t.error_y.array is not None and len(t.error_y.array) == len(t.y)
            drawn += [(float(y), float(y) + float(e)) for y, e in zip(t.y, t.error_y.array)]
    assert sorted(drawn) == expected
    assert any(hi > lo for lo, hi in drawn), "contested tolls must show as ranges"


def test_attacks_target_groups_have_their_own_symbols(figures):
    fig = figures["attacks_chart"]
    groups = {r["target_group"] for r in rows("kabul_attacks")}
    marker_traces = [t for t in fig.data if t.mode == "markers"]
    assert {t.name for t in marker_traces} == {threat.TARGET_GROUP_LABELS[x] for x in groups}
    assert len({t.marker.symbol for t in marker_traces}) == len(groups)
    types = {r["target_type"] for r in rows("kabul_attacks")}
    assert types <= set(threat.TARGET_LABELS)  # every place type has a readable label


def test_attacks_on_hazara_and_shia_civilians_are_in_the_data_and_the_chart(figures):
    """Issue 13: IS-Khorasan's deadliest campaign in Kabul targets Hazara and Shia Afghans."""
    hazara = [r for r in rows("kabul_attacks") if r["target_group"] == "hazara_shia"]
    after = [r for r in hazara if r["date"] > "2021-08-15"]
    assert len(after) >= 5
    assert any(r["attack_id"] == "kbl-2022-09-30" for r in hazara)  # the Kaaj education centre
    assert all(r["source_id"] and int(r["deaths_low"]) <= int(r["deaths_high"]) for r in hazara)
    [trace] = [t for t in figures["attacks_chart"].data
               if t.mode == "markers" and t.name == "Hazara and Shia civilians"]
    assert sorted(float(y) for y in trace.y) == sorted(float(r["deaths_low"]) for r in hazara)
    assert f"{len(hazara)} of them on Hazara and Shia civilians" in \
        figures["attacks_chart"].layout.title.text.replace("<br>", " ")


def test_chapter_3_names_hazara_and_shia_afghans_in_its_security_case():
    text = (REPO / "chapters" / "03-threat.md").read_text(encoding="utf-8")
    assert "Hazara" in text and "Shia" in text
    security = text.split("## The security case", 1)[1].split("## The rights case", 1)[0]
    assert "Hazara" in security and "Shia" in security
    # The analyst's quote is regime protection, not the civilians' case: labelled as such.
    assert security.count("members and positions") <= 1
    assert "regime" in security


def test_attacks_hover_says_who_claimed(figures):
    fig = figures["attacks_chart"]
    claimed = {r["claimed_by"] for r in rows("kabul_attacks")}
    seen = {c[2] for t in fig.data if t.mode == "markers" for c in t.customdata}
    assert seen == claimed
    assert all("Responsibility" in t.hovertemplate for t in fig.data if t.mode == "markers")
    assert "claimed_by" in fig.layout.meta["table"]["columns"]


def test_attacks_chart_marks_the_takeover_from_the_case_timeline(figures):
    fig = figures["attacks_chart"]
    takeover = [r for r in rows("case_timeline") if r["kind"] == "political"
                and r["actor"] == "Taliban"]
    assert takeover
    assert "case_timeline" in fig.layout.meta["datasets"]
    assert any(str(s.x0).startswith(takeover[0]["date"]) for s in fig.layout.shapes)


def test_attacks_chart_works_without_events():
    fig = threat.attacks_chart(events=False)
    assert fig.layout.meta["datasets"] == ["kabul_attacks"]
    assert not fig.layout.shapes


def test_attacks_refuses_low_above_high():
    frame = load("kabul_attacks")
    frame.loc[0, "deaths_low"] = frame.loc[0, "deaths_high"] + 1
    with pytest.raises(ChartDataError, match="deaths_low is above deaths_high"):
        threat.attacks_chart(frame, events=False)


# ---------------------------------------------------------------------------------------
# Counts: one trace per series, never a line across sources
# ---------------------------------------------------------------------------------------

def test_counts_one_trace_per_series(figures):
    fig = figures["counts_chart"]
    data = rows("attack_counts")
    series = {r["series"] for r in data}
    assert len(fig.data) == len(series)
    assert {t.name for t in fig.data} == {r["series_label"] for r in data}
    assert all(t.type == "bar" for t in fig.data)  # bars, never a joining line
    for t in fig.data:
        expected = sorted(float(r["value"]) for r in data if r["series_label"] == t.name)
        assert sorted(float(v) for v in t.y) == expected


def test_counts_attacks_and_deaths_are_in_separate_panels(figures):
    fig = figures["counts_chart"]
    data = rows("attack_counts")
    unit_of = {r["series_label"]: r["unit"] for r in data}
    axes = {}
    for t in fig.data:
        axes.setdefault(unit_of[t.name], set()).add(t.xaxis)
    assert all(len(a) == 1 for a in axes.values())
    assert len({next(iter(a)) for a in axes.values()}) == len(axes)


def test_counts_definitional_break_is_explained(figures):
    fig = figures["counts_chart"]
    if any("definitional break" in r["note"].lower() for r in rows("attack_counts")):
        assert any("Definitional break" in (a.text or "") for a in fig.layout.annotations)


# ---------------------------------------------------------------------------------------
# CCTV: the published shares, derived remainders labelled as derived
# ---------------------------------------------------------------------------------------

def test_cctv_shares_match_the_study(figures):
    fig = figures["cctv_investigation_chart"]
    by_metric = {r["metric"]: float(r["value"]) for r in rows("evidence_cctv") if r["value"]}
    useful = next(t for t in fig.data if t.name == "Footage useful to investigators")
    assert [float(v) for v in useful.x] == [by_metric["footage_useful_pct"],
                                             by_metric["useful_given_available_pct"]]
    total = [sum(float(t.x[0]) for t in fig.data)]
    assert total == [100.0]
    assert all("derived" in t.name for t in fig.data if t.name != useful.name)


def test_cctv_refuses_a_table_without_the_study_rows():
    frame = load("evidence_cctv")
    with pytest.raises(ChartDataError, match="footage_available_pct"):
        threat.cctv_investigation_chart(frame[frame["metric"] != "footage_available_pct"])


# ---------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("start,end,label", [
    ("2021-01", "2021-12", "2021"),
    ("2023-01", "2023-10", "Jan–Oct 2023"),
    ("2019-09", "2019-09", "Sep 2019"),
    ("2019-09", "2020-01", "Sep 2019 – Jan 2020"),
])
def test_period_label(start, end, label):
    assert threat.period_label(start, end) == label


def test_month_label_refuses_a_bad_month():
    with pytest.raises(ValueError, match="YYYY-MM"):
        threat.month_label("2023")
