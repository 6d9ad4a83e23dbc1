"""Chapter 7 (governance): the assessment structure and verify(), the safeguards risk
scheme, the chilling scenario, the dashboard, the charts and the chapter file.

Expectations are worked out by hand (the working is in the comments) or read from the
CSV files with the csv module, not copied from the code's own output.
"""

from __future__ import annotations

import dataclasses
import re

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kabulcase.figures import governance as charts
from kabulcase.figures.theme import ChartDataError
from kabulcase.models import rights
from kabulcase.models.rights import (DataEvidence, ModelEvidence, Safeguards, Step,
                                     verify)

from support import REPO, bib_keys, cited_keys, csv_rows

CHAPTER = REPO / "chapters" / "07-governance.md"
LEVEL = {name: i for i, name in enumerate(rights.LEVELS)}


def levels(s: Safeguards) -> dict[str, int]:
    return {f.key: f.level_index for f in rights.risk_assessment(s)}


def source_annotations(fig) -> list[str]:
    return [a.text for a in fig.layout.annotations if str(a.text or "").startswith("Source:")]


# ---------------------------------------------------------------------------------------
# The risk scheme: properties
# ---------------------------------------------------------------------------------------

retention = st.one_of(st.none(), st.floats(min_value=0, max_value=rights.MAX_RETENTION_DAYS,
                                           allow_nan=False))
safeguards = st.builds(Safeguards, retention_days=retention, face_recognition=st.booleans(),
                       judicial_authorisation=st.booleans(), independent_oversight=st.booleans(),
                       published_audits=st.booleans(), community_approval=st.booleans())
INSTITUTIONAL = ["judicial_authorisation", "independent_oversight", "published_audits",
                 "community_approval"]


def days(r):
    return float("inf") if r is None else r


@settings(max_examples=300, deadline=None)
@given(safeguards, st.sampled_from(INSTITUTIONAL))
def test_adding_a_safeguard_never_raises_any_risk(s, lever):
    before = levels(s)
    after = levels(dataclasses.replace(s, **{lever: True}))
    assert all(after[k] <= before[k] for k in before), (lever, before, after)


@settings(max_examples=300, deadline=None)
@given(safeguards)
def test_turning_face_recognition_off_never_raises_risk(s):
    before = levels(s)
    after = levels(dataclasses.replace(s, face_recognition=False))
    assert all(after[k] <= before[k] for k in before)


@settings(max_examples=300, deadline=None)
@given(safeguards, retention, retention)
def test_shorter_retention_never_raises_risk(s, r1, r2):
    short, long = sorted([r1, r2], key=days)
    a = levels(dataclasses.replace(s, retention_days=short))
    b = levels(dataclasses.replace(s, retention_days=long))
    assert all(a[k] <= b[k] for k in a)


@settings(max_examples=200, deadline=None)
@given(safeguards)
def test_every_factor_has_a_level_a_reason_and_honest_suggestions(s):
    factors = rights.risk_assessment(s)
    assert [f.key for f in factors] == list(rights.FACTORS)
    for f in factors:
        assert f.level in rights.LEVELS and LEVEL[f.level] == f.level_index
        assert len(f.reason.split()) >= 5 and f.rule
        assert set(f.levers) <= set(rights.LEVERS)
        # A suggestion names the level it leads to, which is below the current one.
        for text in f.lowered_by:
            target = re.search(r"\(to ([a-z ]+)\)$", text).group(1)
            assert LEVEL[target] < f.level_index, (f.key, text)


@settings(max_examples=200, deadline=None)
@given(safeguards)
def test_summary_counts_every_factor_once_and_names_its_rule(s):
    factors = rights.risk_assessment(s)
    summary = rights.summarise(factors)
    assert sum(summary["counts"].values()) == len(rights.FACTORS)
    assert summary["highest"] == rights.LEVELS[max(f.level_index for f in factors)]
    assert "never added" in summary["rule"]


# ---------------------------------------------------------------------------------------
# The risk scheme: hand-computed cases
# ---------------------------------------------------------------------------------------

def test_plan_as_the_record_shows_it_worked_by_hand():
    # Face recognition off (none is reported), no retention limit, no safeguards.
    # identification: no face recognition -> 2, no judge -> stays 2 (high)
    # tracking: no published limit -> band 3, nothing added (very high)
    # misuse: 3 - 0 safeguards = 3; chilling: 3 - 1 (no FR) = 2 (high)
    # wrong_match: no face recognition -> 0 (low); accountability: 3 - 0 = 3
    assert levels(rights.AS_REPORTED) == {"identification": 2, "tracking": 3, "misuse": 3,
                                          "chilling": 2, "wrong_match": 0, "accountability": 3}
    assert rights.risk_profile() == {"low": 1, "moderate": 0, "high": 2, "very_high": 3,
                                     "highest_index": 3}


def test_face_recognition_on_only_when_chosen_puts_every_factor_at_the_top():
    assert Safeguards().face_recognition is False  # fails if it is on without being chosen
    # identification: face recognition on -> 3, no judge -> stays 3
    # tracking: no published limit -> band 3, +1 for face recognition, capped at 3
    # misuse: 3 - 0 safeguards = 3; chilling: 3, nothing lowers it
    # wrong_match: face recognition on, no judge -> 3; accountability: 3 - 0 = 3
    assert levels(rights.WITH_FACE_RECOGNITION) == {k: 3 for k in rights.FACTORS}
    assert rights.risk_profile(face_recognition=True)["very_high"] == 6
    assert rights.scenario("With face recognition (book's inference)") == rights.WITH_FACE_RECOGNITION
    assert "inference" in rights.AS_REPORTED_REASONS["face_recognition"]


def test_all_six_safeguards_worked_by_hand():
    s = Safeguards(retention_days=3, face_recognition=False, judicial_authorisation=True,
                   independent_oversight=True, published_audits=True, community_approval=True)
    # identification: no face recognition -> 2, judge -> 1 (moderate)
    # tracking: 3 days <= short threshold 3 -> band 0, no face recognition -> 0 (low)
    # misuse: max(1, 3 - 3) = 1 (the floor, moderate)
    # chilling: 3 - 1 (no FR) - 1 (judge) - 1 (community) = 0 -> floor 1 (moderate)
    # wrong_match: no face recognition -> 0 (low); accountability: 3 - 3 = 0 (low)
    assert levels(s) == {"identification": 1, "tracking": 0, "misuse": 1, "chilling": 1,
                         "wrong_match": 0, "accountability": 0}


def test_retention_bands_worked_by_hand():
    # 45 days > long threshold 30 -> band 2 (high); no face recognition adds nothing
    assert levels(Safeguards(retention_days=45, face_recognition=False))["tracking"] == 2
    # 10 days: above 3, up to 30 -> band 1; face recognition adds one -> 2 (high)
    assert levels(Safeguards(retention_days=10, face_recognition=True))["tracking"] == 2
    # exactly 30 days is still "up to the long threshold": band 1 (moderate) without FR
    assert levels(Safeguards(retention_days=30, face_recognition=False))["tracking"] == 1
    # a stricter long threshold of 14 days makes 20 days long: band 2
    tracking = [f for f in rights.risk_assessment(Safeguards(retention_days=20, face_recognition=False),
                                                  retention_long_days=14) if f.key == "tracking"][0]
    assert tracking.level == "high"


def test_judge_and_oversight_scenario_worked_by_hand():
    s = rights.scenario("Judge and oversight")
    # FR off: identification 2-1 = 1; tracking stays 3 (no limit); misuse 3-2 = 1;
    # chilling 3-1 (no FR)-1 (judge) = 1; wrong_match 0 (no FR); accountability 3-1 = 2
    assert levels(s) == {"identification": 1, "tracking": 3, "misuse": 1, "chilling": 1,
                         "wrong_match": 0, "accountability": 2}
    # With face recognition chosen too: identification 3-1 = 2; tracking 3; misuse 1;
    # chilling 3-1 (judge) = 2; wrong_match 3 -> 2 with a judge; accountability 2
    assert levels(s.changed(face_recognition=True)) == {
        "identification": 2, "tracking": 3, "misuse": 1, "chilling": 2, "wrong_match": 2,
        "accountability": 2}


def test_reasons_follow_the_levers():
    [ident] = [f for f in rights.risk_assessment(face_recognition=True) if f.key == "identification"]
    assert "Face recognition is in use" in ident.reason and "No judge" in ident.reason
    assert any("turning face recognition off" in t for t in ident.lowered_by)
    [acc] = [f for f in rights.risk_assessment(Safeguards(independent_oversight=True,
                                                          published_audits=True,
                                                          community_approval=True))
             if f.key == "accountability"]
    assert acc.level == "low" and acc.lowered_by == ()


# ---------------------------------------------------------------------------------------
# Chilling scenario
# ---------------------------------------------------------------------------------------

def penney_share() -> float:
    [row] = [r for r in csv_rows("evidence_chilling") if r["study"].startswith("Penney")]
    assert row["unit"] == "percent"
    return float(row["value"]) / 100


def test_chilling_share_is_read_from_the_data():
    spec = rights.ASSUMPTIONS["chilling_share"]
    assert spec["default"] == pytest.approx(penney_share())
    assert spec["low"] == pytest.approx(penney_share() / 2)
    assert spec["high"] == pytest.approx(min(1, penney_share() * 2))


def test_chilling_scenario_worked_by_hand():
    # 500 people, central share 0.1, factor 2: low 0.05 -> 25, central 50, high 0.2 -> 100
    out = rights.chilling_scenario(500, share=0.1, range_factor=2)
    assert out["refrain_low"] == pytest.approx(25)
    assert out["refrain_central"] == pytest.approx(50)
    assert out["refrain_high"] == pytest.approx(100)
    # the high end is capped at everyone: 0.8 x 2 = 1.6 -> 1.0
    assert rights.chilling_scenario(10, share=0.8, range_factor=2)["share_high"] == 1.0


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 100_000), st.floats(0, 1), st.floats(1, 10))
def test_chilling_scenario_is_ordered_and_bounded(n, share, factor):
    out = rights.chilling_scenario(n, share=share, range_factor=factor)
    assert out["share_low"] <= out["share_central"] <= out["share_high"] <= 1
    assert 0 <= out["refrain_low"] <= out["refrain_central"] <= out["refrain_high"] <= n + 1e-9


# ---------------------------------------------------------------------------------------
# Invalid input: ValueError naming the parameter, the value and the range
# ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("call, words", [
    (lambda: Safeguards(retention_days=-1), ["retention_days", "-1", "0 to 3650"]),
    (lambda: Safeguards(retention_days=5000), ["retention_days", "5000", "0 to 3650"]),
    (lambda: Safeguards(retention_days=float("nan")), ["retention_days"]),
    (lambda: Safeguards(face_recognition="yes"), ["face_recognition", "'yes'", "True or False"]),
    (lambda: Safeguards(community_approval=1), ["community_approval", "True or False"]),
    (lambda: rights.risk_assessment(retention_long_days=200), ["retention_long_days", "200", "14 to 90"]),
    (lambda: rights.risk_assessment(retention_short_days=0), ["retention_short_days", "1 to 7"]),
    (lambda: rights.risk_assessment(cameras=True), ["cameras", "the levers are"]),
    (lambda: rights.chilling_scenario(-5), ["would_take_part", "-5", "0 to"]),
    (lambda: rights.chilling_scenario(2.5), ["would_take_part", "2.5", "whole number"]),
    (lambda: rights.chilling_scenario(10, share=1.5), ["share", "1.5", "0 to 1"]),
    (lambda: rights.chilling_scenario(10, range_factor=0.5), ["range_factor", "0.5", "1 to 10"]),
    (lambda: rights.scenario("nope"), ["scenario", "'nope'", "As reported"]),
])
def test_invalid_input_names_parameter_value_and_range(call, words):
    with pytest.raises(ValueError) as err:
        call()
    for word in words:
        assert word in str(err.value), (word, str(err.value))


def test_every_assumption_is_complete_and_sourced():
    known = {r["source_id"] for r in csv_rows("sources")}
    for name, spec in rights.ASSUMPTIONS.items():
        assert spec["low"] <= spec["default"] <= spec["high"], name
        assert spec["unit"] and len(spec["reason"]) > 40, name
        assert spec["source_id"] in known, (name, spec["source_id"])


# ---------------------------------------------------------------------------------------
# verify(): accepts the book's assessment, rejects wrong or unresolvable evidence
# ---------------------------------------------------------------------------------------

def test_verify_accepts_the_example_assessment():
    assessment = rights.example_assessment()
    assert verify(assessment) == []
    assert [s.name for s in assessment.steps] == list(rights.STEPS)


def test_verify_rejects_a_model_value_off_by_ten_percent():
    assessment = rights.example_assessment()
    step = assessment.step("necessity")
    j, item = [(j, e) for j, e in enumerate(step.evidence, start=1) if isinstance(e, ModelEvidence)][0]
    step.evidence[j - 1] = dataclasses.replace(item, value=item.value * 1.1)
    problems = verify(assessment)
    assert len(problems) == 1
    assert problems[0].where == f"step 'necessity', evidence {j}"
    assert "re-running" in problems[0].message and "recording_share" in problems[0].message


def test_verify_rejects_a_data_row_that_does_not_exist():
    assessment = rights.example_assessment()
    assessment.step("legality").evidence.append(
        DataEvidence("claims", {"claim_id": "c99"}, "status", "official_statement"))
    [problem] = verify(assessment)
    assert "step 'legality', evidence 3" == problem.where
    assert "0 rows" in problem.message and "claim_id=c99" in problem.message


def test_verify_rejects_a_wrong_data_value_and_names_what_the_cell_holds():
    # The claimed Kabul count, read independently from the CSV, plus one.
    [row] = [r for r in csv_rows("camera_counts") if r["city"] == "Kabul and other cities" and r["date"] == "2023-08"]
    wrong = int(row["cameras"]) + 1
    assessment = rights.example_assessment()
    assessment.step("proportionality").evidence[0] = DataEvidence(
        "camera_counts", {"city": "Kabul and other cities", "date": "2023-08"}, "cameras", wrong)
    [problem] = verify(assessment)
    assert f"holds {int(row['cameras'])}" in problem.message and str(wrong) in problem.message


@pytest.mark.parametrize("item, words", [
    (DataEvidence("no_such_data", {"a": 1}, "value", 1), ["no dataset 'no_such_data'", "camera_counts"]),
    (DataEvidence("claims", {"claim_no": "c04"}, "status", "disputed"), ["no column(s) 'claim_no'", "claim_id"]),
    (DataEvidence("claims", {}, "status", "disputed"), ["where must be a dict"]),
    (DataEvidence("camera_counts", {"city": "Kabul"}, "cameras", 1), ["rows where city=Kabul", "exactly one"]),
    (ModelEvidence("kabulcase.models.nothing:f", {}, value=1), ["no model module 'kabulcase.models.nothing'"]),
    (ModelEvidence("os:getcwd", {}, value=1), ["not one of the book's models"]),
    (ModelEvidence("recording_share", {}, value=1), ["must look like"]),
    (ModelEvidence("kabulcase.models.power:no_such", {}, value=1), ["no function 'no_such'", "recording_share"]),
    (ModelEvidence("kabulcase.models.power:recording_share", {"hours": 2}, value=1),
     ["cannot take params", "supply_hours"]),
    (ModelEvidence("kabulcase.models.power:recording_share", {"supply_hours": 30, "battery_hours": 0},
                   value=1), ["refused", "supply_hours"]),
    (ModelEvidence("kabulcase.models.rights:risk_profile", {}, value=6), ["returns a dict", "very_high"]),
    (ModelEvidence("kabulcase.models.rights:risk_profile", {}, output="worst", value=6), ["worst", "very_high"]),
    (ModelEvidence("kabulcase.models.power:recording_share", {"supply_hours": 2, "battery_hours": 0},
                   output="x", value=1), ["single value, so output must be None"]),
    (ModelEvidence("kabulcase.models.rights:risk_profile", {}, output="very_high", value=6, rel_tol=0.5),
     ["rel_tol must be a number from 0 to"]),
    ("a number, not evidence", ["must be DataEvidence(...) or ModelEvidence(...)"]),
])
def test_unresolvable_evidence_gives_plain_problems_not_tracebacks(item, words):
    assessment = rights.example_assessment()
    assessment.step("safeguards").evidence.append(item)
    problems = verify(assessment)
    assert len(problems) == 1, problems
    for word in words:
        assert word in problems[0].message, (word, problems[0].message)


def test_verify_checks_structure():
    good = rights.example_assessment()
    steps = {s.name: s for s in good.steps}
    # missing step, duplicate step, unknown step
    a = dataclasses.replace(good, steps=[s for s in good.steps if s.name != "legality"])
    assert [str(p) for p in verify(a)] == ["step 'legality': is missing."]
    a = dataclasses.replace(good, steps=good.steps + [steps["necessity"]])
    assert any("more than once" in p.message for p in verify(a))
    a = dataclasses.replace(good, steps=good.steps + [Step("adequacy", "x " * 10, "met", [])])
    assert any("unknown step 'adequacy'" in p.message for p in verify(a))
    # empty finding, judgement off the scale, no evidence for a judgement
    a = rights.example_assessment()
    a.step("legality").finding = "Not met."
    a.step("necessity").judgement = "probably not"
    a.step("safeguards").evidence = []
    messages = " | ".join(p.message for p in verify(a))
    assert "finding is not filled in" in messages
    assert "'probably not' is not on the scale" in messages
    assert "no evidence" in messages
    # "cannot tell" may stand without evidence
    a = rights.example_assessment()
    a.step("safeguards").judgement = "cannot tell"
    a.step("safeguards").evidence = []
    assert verify(a) == []
    # not an assessment at all: a problem, not an exception
    [p] = verify({"legality": "met"})
    assert "expected an Assessment" in p.message


def test_verify_never_grades_the_conclusion():
    a = rights.example_assessment()
    for step in a.steps:
        step.judgement = "met"
    assert verify(a) == []


def test_evidence_table_resolves_every_item_with_its_sources():
    a = rights.example_assessment()
    table = rights.evidence_table(a)
    assert len(table) == sum(len(s.evidence) for s in a.steps)
    data = table[table["kind"] == "data"]
    assert (data["source_id"] != "").all()
    known = {r["source_id"] for r in csv_rows("sources")}
    assert all(set(ids.split(";")) <= known for ids in data["source_id"])


# ---------------------------------------------------------------------------------------
# Charts
# ---------------------------------------------------------------------------------------

def cited_datasets() -> set[str]:
    return {e.dataset for s in rights.example_assessment().steps for e in s.evidence
            if isinstance(e, DataEvidence)}


BUILDERS = {
    "assessment_chart": (lambda: charts.assessment_chart(), cited_datasets()),
    "safeguards_static": (lambda: charts.safeguards_static(),
                          {"claims", "evidence_face_recognition", "evidence_chilling"}),
    "risk_chart": (lambda: charts.risk_chart(),
                   {"claims", "evidence_face_recognition", "evidence_chilling"}),
    "chilling_chart": (lambda: charts.chilling_chart(), {"evidence_chilling"}),
    "vendor_reach_chart": (lambda: charts.vendor_reach_chart(), {"vendor_reach"}),
}


@pytest.mark.parametrize("name", BUILDERS)
def test_chart_reads_its_datasets_and_cites_them(name):
    build, expected = BUILDERS[name]
    fig = build()
    assert set(fig.layout.meta["datasets"]) == expected
    [note] = source_annotations(fig)
    for dataset in expected:
        assert f"data/{dataset}.csv" in note.replace("<br>", " ")
    assert fig.layout.meta["source_note"].startswith("Source:")


@pytest.mark.parametrize("name", BUILDERS)
def test_chart_has_title_alt_description_and_table(name):
    fig = BUILDERS[name][0]()
    meta = fig.layout.meta
    assert fig.layout.title.text.strip()
    assert meta["alt"].strip() and meta["description"].strip()
    assert meta["table"]["rows"]


@pytest.mark.parametrize("build, kwarg, column", [
    (charts.chilling_chart, "chilling", "unit"),
    (charts.vendor_reach_chart, "reach", "claim_type"),
    (charts.safeguards_static, "face", "high"),
    (charts.safeguards_static, "claims", "claim_id"),
    (charts.risk_chart, "chilling", "study"),
    (charts.assessment_chart, "evidence", "judgement"),
])
def test_chart_refuses_a_table_missing_a_column(build, kwarg, column):
    table = {"chilling": "evidence_chilling", "reach": "vendor_reach", "face": "evidence_face_recognition",
             "claims": "claims"}.get(kwarg)
    frame = (rights.evidence_table(rights.example_assessment()) if kwarg == "evidence"
             else pd.DataFrame(csv_rows(table)))
    with pytest.raises(ChartDataError, match=column):
        build(**{kwarg: frame.drop(columns=[column])})


def test_assessment_chart_refuses_an_unverified_assessment():
    a = rights.example_assessment()
    a.step("legality").judgement = "maybe"
    with pytest.raises(ChartDataError, match="verified"):
        charts.assessment_chart(a)


def test_chilling_chart_draws_the_scenario_as_a_range():
    fig = charts.chilling_chart()
    central = 100 * penney_share()  # low = central / 2, high = central x 2 (default factor 2)
    [scenario] = [t for t in fig.data if t.name.startswith("Book's scenario")]
    assert list(scenario.x) == [pytest.approx(central)]
    assert scenario.error_x.array[0] == pytest.approx(2 * central - central)
    assert scenario.error_x.arrayminus[0] == pytest.approx(central - central / 2)


def test_vendor_chart_draws_every_count_and_marks_at_least():
    rows = [r for r in csv_rows("vendor_reach") if r["unit"] in ("countries", "agreements", "cities")]
    fig = charts.vendor_reach_chart()
    bars = [(float(x), txt) for t in fig.data for x, txt in zip(t.x, t.text)]
    assert sorted(x for x, _ in bars) == sorted(float(r["value"]) for r in rows)
    at_least = sum(1 for r in rows if r["qualifier"] == "at_least")
    assert sum(1 for _, txt in bars if txt.startswith("at least")) == at_least
    # the three kinds of claim are three legend entries, never merged
    assert {t.name for t in fig.data} == {v[0] for v in charts.CLAIM_TYPE_STYLE.values()}


def test_static_twin_has_one_button_per_scenario_with_precomputed_levels():
    fig = charts.safeguards_static()
    buttons = [b for menu in fig.layout.updatemenus for b in menu.buttons]
    assert [b.label for b in buttons] == list(rights.SCENARIOS)
    for b in buttons:
        expected = [f.level_index + 1 for f in rights.risk_assessment(rights.scenario(b.label))]
        assert list(b.args[0]["x"][0]) == expected
    # hollow diamonds: the plan as the record shows it (hand-computed above; levels 1-4)
    [reported] = [t for t in fig.data if t.name.startswith("As reported")]
    assert list(reported.x) == [3, 4, 4, 3, 1, 4]
    assert len(fig.layout.meta["table"]["rows"]) == len(rights.SCENARIOS) * len(rights.FACTORS)


# ---------------------------------------------------------------------------------------
# The dashboard (headless)
# ---------------------------------------------------------------------------------------

def test_dashboard_has_a_control_per_lever_and_updates_and_resets():
    from kabulcase.widgets.rights import safeguards_dashboard

    board = safeguards_dashboard()
    assert set(board.controls) == set(rights.LEVERS)
    for lever, control in board.controls.items():
        assert control.tooltip == rights.LEVERS[lever]["meaning"]
    assert "3 very high" in board.summary.value  # face recognition off until chosen
    board.controls["face_recognition"].value = True
    assert board.values().face_recognition is True
    assert "6 very high" in board.summary.value
    assert board.figure.layout.meta["alt"]
    board.reset()
    assert board.values() == rights.AS_REPORTED
    assert "3 very high" in board.summary.value


# ---------------------------------------------------------------------------------------
# The chapter file
# ---------------------------------------------------------------------------------------

def test_chapter_structure():
    text = CHAPTER.read_text(encoding="utf-8")
    assert text.startswith("---\njupytext:")
    assert "# 7. Governance and alternatives" in text
    for heading in ("## Overview", "## Prerequisites", "## Time to learn", "## Learning objectives",
                    "## What this data cannot tell us", "## The security case", "## The rights case",
                    "## Discussion questions", "## Summary", "## What's next", "## References"):
        assert heading in text, heading
    for g in range(1, 6):
        assert f"**G{g}.**" in text
    assert text.count("name: fig-gov-") >= 3
    # the live dashboard is hidden in the book and followed by its static twin
    widget = text.index("safeguards_dashboard()\n```")
    assert ":tags: [remove-output]" in text[widget - 200:widget]
    assert "charts.safeguards_static()" in text[widget:widget + 1500]
    assert "Weighing it up" in text
    assert "{footbibliography}" in text


def test_chapter_cites_only_known_keys():
    cited, known = cited_keys(CHAPTER), bib_keys()
    assert cited and cited <= known, cited - known
