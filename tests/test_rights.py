"""Chapter 4 (rights): chart builders and the chapter file.

Expectations are computed independently of the chart code: rows are read from the CSV
files with the csv module, and dates are parsed with datetime, not through the loader.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

import pandas as pd
import pytest

from kabulcase import load
from kabulcase.figures import rights
from kabulcase.figures.theme import ChartDataError

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"
CHAPTER = REPO / "chapters" / "04-rights.md"

BUILDERS = {
    "journalists_chart": ("rights_counts", rights.journalists_chart),
    "periods_chart": ("rights_counts", rights.periods_chart),
    "stock_flow_chart": ("rights_counts", rights.stock_flow_chart),
    "former_officials_chart": ("rights_counts", rights.former_officials_chart),
    "protests_chart": ("protest_events", rights.protests_chart),
}
# A column each builder needs, to check that a table without it is refused.
REQUIRED = {
    "journalists_chart": "qualifier",
    "periods_chart": "period_end",
    "stock_flow_chart": "count_type",
    "former_officials_chart": "qualifier",
    "protests_chart": "arrested",
}


def csv_rows(name: str) -> list[dict]:
    with open(DATA / f"{name}.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def as_date(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%d")


def source_annotations(fig) -> list[str]:
    return [a.text for a in fig.layout.annotations if str(a.text or "").startswith("Source:")]


# ---------------------------------------------------------------------------------------
# Common contract of every builder
# ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", BUILDERS)
def test_builder_reads_its_dataset_by_default_and_cites_it(name):
    dataset, build = BUILDERS[name]
    fig = build()
    assert fig.layout.meta["datasets"] == [dataset]
    notes = source_annotations(fig)
    assert len(notes) == 1, "exactly one source note under the chart"
    assert f"data/{dataset}.csv" in notes[0]
    assert fig.layout.meta["source_note"].startswith("Source:")


@pytest.mark.parametrize("name", BUILDERS)
def test_builder_has_title_alt_description_and_table(name):
    dataset, build = BUILDERS[name]
    fig = build()
    meta = fig.layout.meta
    assert fig.layout.title.text and fig.layout.title.text.strip()
    assert meta["alt"].strip() and meta["description"].strip()
    assert meta["table"]["rows"], "the folded data table has rows"


@pytest.mark.parametrize("name", BUILDERS)
def test_builder_refuses_a_table_missing_a_required_column(name):
    dataset, build = BUILDERS[name]
    column = REQUIRED[name]
    frame = load(dataset).drop(columns=[column])
    with pytest.raises(ChartDataError, match=column):
        build(frame)


@pytest.mark.parametrize("name", BUILDERS)
def test_qualifiers_are_never_carried_by_colour_alone(name):
    """Every 'at least' row is written as 'at least' or '+' somewhere on the chart."""
    dataset, build = BUILDERS[name]
    fig = build()
    texts = []
    for trace in fig.data:
        if trace.text is not None:
            texts += [str(t) for t in (trace.text if isinstance(trace.text, (list, tuple))
                                       else [trace.text])]
        if trace.name:
            texts.append(trace.name)
    joined = " ".join(texts)
    rows = [r for r in csv_rows(dataset) if r.get("qualifier") == "at_least"]
    if rows:
        assert "at least" in joined or "+" in joined


# ---------------------------------------------------------------------------------------
# 1. Journalists by year
# ---------------------------------------------------------------------------------------

def test_journalists_chart_keeps_may_to_may_report_in_its_own_panel():
    fig = rights.journalists_chart()
    may = [r for r in csv_rows("rights_counts") if r["series"] == "afjc_may_to_may"]
    annual = [r for r in csv_rows("rights_counts") if r["series"] in ("afjc_annual", "ajsc_annual")]
    right_bars = [t for t in fig.data if t.type == "bar" and t.xaxis == "x2"]
    left_bars = [t for t in fig.data if t.type == "bar" and t.xaxis in (None, "x")]
    assert sum(len(t.y) for t in right_bars) == len(may)
    assert sum(len(t.y) for t in left_bars) == len(annual)
    drawn_right = sorted(float(v) for t in right_bars for v in t.y)
    assert drawn_right == sorted(float(r["value"]) for r in may)


def test_journalists_chart_separates_ajsc_behind_a_method_break():
    fig = rights.journalists_chart()
    ajsc = [r for r in csv_rows("rights_counts") if r["series"] == "ajsc_annual"]
    ajsc_traces = [t for t in fig.data if t.type == "bar" and "AJSC" in (t.name or "")]
    assert len(ajsc_traces) == 1
    assert [float(v) for v in ajsc_traces[0].y] == [float(r["value"]) for r in ajsc]
    # AJSC's bar is not in an AFJC trace.
    for t in fig.data:
        if t.type == "bar" and "AFJC" in (t.name or ""):
            assert not any(str(x).endswith("AJSC") for x in t.x)
    dashed = [s for s in fig.layout.shapes if s.type == "line" and s.line.dash == "dash"]
    assert dashed, "a dashed method-break line"
    assert any("Method break" in str(a.text) for a in fig.layout.annotations)


def test_journalists_chart_marks_at_least_counts_with_a_symbol():
    fig = rights.journalists_chart()
    n_lower = sum(1 for r in csv_rows("rights_counts")
                  if r["series"] in ("afjc_annual", "afjc_may_to_may", "ajsc_annual")
                  and r["qualifier"] == "at_least")
    markers = [t for t in fig.data if t.type == "scatter" and t.marker.symbol == "triangle-up"]
    assert sum(len(t.x) for t in markers) == n_lower


# ---------------------------------------------------------------------------------------
# 2. UN counts against their periods
# ---------------------------------------------------------------------------------------

def test_periods_chart_bars_start_and_end_at_each_rows_period_dates():
    fig = rights.periods_chart()
    expected = sorted(
        (as_date(r["period_start"]), as_date(r["period_end"]), int(r["value"]))
        for r in csv_rows("rights_counts")
        if r["series"] in ("unama_period", "unama_quarterly", "un_sg")
    )
    drawn = []
    for t in fig.data:
        if t.type != "bar":
            continue
        assert t.orientation == "h"
        for base, length, text in zip(t.base, t.x, t.text):
            start = as_date(str(base)[:10])
            end = start + dt.timedelta(milliseconds=float(length))
            value = int(re.sub(r"[^\d]", "", str(text)))
            drawn.append((start, end, value))
    assert sorted(drawn) == expected
    assert fig.layout.xaxis.type == "date"


def test_periods_chart_writes_at_least_in_words():
    fig = rights.periods_chart()
    texts = [str(x) for t in fig.data if t.type == "bar" for x in t.text]
    n_lower = sum(1 for r in csv_rows("rights_counts")
                  if r["series"] in ("unama_period", "unama_quarterly", "un_sg")
                  and r["qualifier"] == "at_least")
    assert sum(x.startswith("at least ") for x in texts) == n_lower


# ---------------------------------------------------------------------------------------
# 3. Stock and flow
# ---------------------------------------------------------------------------------------

def test_stock_flow_chart_has_one_bar_per_measure_with_its_count_type():
    fig = rights.stock_flow_chart()
    cpj = [r for r in csv_rows("rights_counts") if r["publisher_short"] == "CPJ"]
    bars = [t for t in fig.data if t.type == "bar"]
    assert sum(len(t.y) for t in bars) == len(cpj)
    for row in cpj:
        matching = [t for t in bars if float(t.y[0]) == float(row["value"])]
        assert len(matching) == 1
        bar = matching[0]
        label = f"{bar.name} {bar.x[0]}".lower()
        assert row["count_type"] in label, f"count type of {row['series']} is labelled"
    assert len({t.name for t in bars}) == len({r["count_type"] for r in cpj})


def test_stock_flow_chart_draws_each_window_on_a_date_axis():
    fig = rights.stock_flow_chart()
    windows = [t for t in fig.data if t.type == "scatter" and t.yaxis == "y2"]
    cpj = [r for r in csv_rows("rights_counts") if r["publisher_short"] == "CPJ"]
    assert len(windows) == len(cpj)
    for row in cpj:
        start, end = as_date(row["period_start"]), as_date(row["period_end"])
        xs = [pd.Timestamp(x).to_pydatetime() for w in windows for x in w.x]
        assert start in xs and end in xs


# ---------------------------------------------------------------------------------------
# 4. Former officials
# ---------------------------------------------------------------------------------------

def test_former_officials_chart_draws_at_least_counts_as_open_ended_bars():
    fig = rights.former_officials_chart()
    rows = [r for r in csv_rows("rights_counts") if r["series"] == "unama_period"
            and r["subject"] == "former_officials_and_security_forces"]
    bars = [t for t in fig.data if t.type == "bar"]
    assert sum(len(t.x) for t in bars) == len(rows)
    opens = [t for t in fig.data if t.type == "scatter" and t.x and t.x[0] is not None
             and "triangle-right" in list(t.marker.symbol)]
    lower = [r for r in rows if r["qualifier"] == "at_least"]
    assert len(opens) == len(lower)
    for row in lower:
        v = float(row["value"])
        hits = [t for t in opens if float(t.x[0]) == v]
        assert hits and float(hits[0].x[1]) > v, "the open end extends beyond the count"
        assert any("at least" in str(x) for x in hits[0].text)


def test_former_officials_chart_states_the_period():
    fig = rights.former_officials_chart()
    rows = [r for r in csv_rows("rights_counts") if r["series"] == "unama_period"
            and r["subject"] == "former_officials_and_security_forces"]
    last_end = max(as_date(r["period_end"]) for r in rows)
    assert f"{last_end.year}" in fig.layout.title.text
    names = " ".join(t.name for t in fig.data if t.type == "bar")
    for end in {as_date(r["period_end"]) for r in rows}:
        assert str(end.year) in names


# ---------------------------------------------------------------------------------------
# 5. Protests
# ---------------------------------------------------------------------------------------

def test_protests_chart_is_counts_only_and_never_draws_missing_as_zero():
    fig = rights.protests_chart()
    rows = csv_rows("protest_events")
    arrested = [t for t in fig.data if t.type == "bar" and "Arrested" in t.name][0]
    for row, text in zip(sorted(rows, key=lambda r: r["date"]), arrested.text):
        if row["arrested"] == "":
            assert "not reported" in text
        else:
            assert text.startswith(row["arrested"])
    # No column that could hold a name is drawn or tabled.
    table_cols = fig.layout.meta["table"]["columns"]
    assert set(table_cols) <= {"date", "geography", "event_type", "participants_approx",
                               "arrested", "force_reported", "confidence", "source_id"}


# ---------------------------------------------------------------------------------------
# pick(): quoting a count without typing it
# ---------------------------------------------------------------------------------------

def test_pick_returns_one_row_or_refuses():
    rows = [r for r in csv_rows("rights_counts") if r["series"] == "cpj_census"]
    assert int(rights.pick(series="cpj_census")["value"]) == int(rows[0]["value"])
    with pytest.raises(LookupError):
        rights.pick(series="afjc_annual")  # several rows match


# ---------------------------------------------------------------------------------------
# The chapter file
# ---------------------------------------------------------------------------------------

def test_chapter_has_required_sections_and_figures():
    text = CHAPTER.read_text()
    for heading in ("## What this data cannot tell us", "## The security case",
                    "## The rights case", "## Discussion questions", "## Summary",
                    "## What's next", "## References"):
        assert heading in text
    assert "```{footbibliography}```" in text.replace("\n", "")
    for name in ("journalists_chart", "periods_chart", "stock_flow_chart",
                 "former_officials_chart", "protests_chart"):
        assert f"rights.{name}(" in text
    assert "$" not in text, "no dollar signs (dollarmath is off)"
    # No page script, frame or link to another site in the prose (the first code cell's message
    # names the repository for a learner who downloaded the notebook on its own).
    prose = re.sub(r"```\{code-cell\}.*?```", "", text, flags=re.S)
    assert "<script" not in text and "<iframe" not in text and "http" not in prose
