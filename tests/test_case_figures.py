"""Chapter 1's charts and ledger, checked against the CSV files read independently."""

import csv
from pathlib import Path

import pytest

from kabulcase import load
from kabulcase.figures import ChartDataError, camera_timeline, claims_by_source, claims_ledger

DATA = Path(__file__).resolve().parent.parent / "data"


def csv_rows(name):
    with open(DATA / f"{name}.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def kabul_rows():
    """Counts for Kabul and counts for a wider geography that includes it."""
    return [r for r in csv_rows("camera_counts")
            if r["city"] == "Kabul" or r["city"].startswith("Kabul and ")]


def note(fig):
    return [a.text for a in fig.layout.annotations if a.text.startswith("Source:")]


def test_timeline_plots_every_kabul_count_and_every_event():
    fig = camera_timeline()
    kabul = kabul_rows()
    events = csv_rows("case_timeline")
    counts_plotted = sum(len(t.y) for t in fig.data if t.yaxis == "y")
    events_plotted = sum(len(t.y) for t in fig.data if t.yaxis == "y2")
    assert counts_plotted == len(kabul)
    assert events_plotted == len(events)
    assert sorted(float(v) for t in fig.data if t.yaxis == "y" for v in t.y) == \
        sorted(float(r["cameras"]) for r in kabul)
    assert fig.layout.yaxis.type == "log"
    # Claims from different claimants are separate markers, never a joined line.
    assert all("lines" not in t.mode for t in fig.data)


def test_timeline_carries_sources_alt_text_and_data():
    fig = camera_timeline()
    [text] = note(fig)
    assert "data/camera_counts.csv" in text and "data/case_timeline.csv" in text
    meta = fig.layout.meta
    assert meta["alt"] and len(meta["description"]) > 100
    assert len(meta["table"]["rows"]) == len(kabul_rows())
    assert meta["datasets"] == ["camera_counts", "case_timeline"]


def test_timeline_title_states_the_finding_from_the_data():
    fig = camera_timeline()
    kabul = [r for r in csv_rows("camera_counts") if r["city"] == "Kabul"]
    latest = max(kabul, key=lambda r: r["date"])
    assert f"{int(latest['cameras']):,}" in fig.layout.title.text.replace("<br>", " ")
    assert "verified" in fig.layout.title.text


def test_multi_city_claim_is_drawn_apart_and_named_for_its_geography():
    """The 2023 claim covers Kabul and other cities (Reuters): not a count for Kabul."""
    wider = [r for r in csv_rows("camera_counts") if r["city"].startswith("Kabul and ")]
    assert wider and all(r["scope"] == "multi_city" for r in wider)
    assert not [r for r in csv_rows("camera_counts") if r["city"] == "Kabul" and r["scope"] != "city"]
    fig = camera_timeline()
    for r in wider:
        [trace] = [t for t in fig.data if t.yaxis == "y" and float(r["cameras"]) in
                   [float(v) for v in t.y] and r["city"] in t.name]
        assert all(float(v) in {float(w["cameras"]) for w in wider} for v in trace.y)
    assert "other cities" in fig.layout.meta["description"]


def test_timeline_refuses_a_table_without_the_claimant():
    counts = load("camera_counts").drop(columns=["claimant"])
    with pytest.raises(ChartDataError, match="claimant"):
        camera_timeline(counts=counts)


def test_timeline_refuses_an_unknown_city():
    with pytest.raises(ValueError, match="Atlantis"):
        camera_timeline(city="Atlantis")


def test_claims_chart_counts_every_claim_once():
    fig = claims_by_source()
    assert sum(sum(t.x) for t in fig.data) == len(csv_rows("claims"))
    assert len({t.marker.pattern.shape for t in fig.data}) == len(fig.data)  # not colour alone
    assert note(fig)


def test_ledger_shows_every_claim_with_readable_status():
    html = claims_ledger()._repr_html_()
    assert html.count("<tr>") == len(csv_rows("claims")) + 1
    assert "unverified_claim" not in html and "Unverified claim" in html


def test_ledger_refuses_a_table_without_sources():
    with pytest.raises(ChartDataError, match="source_id"):
        claims_ledger(load("claims").drop(columns=["source_id"]))
