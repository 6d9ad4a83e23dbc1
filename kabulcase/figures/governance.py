"""Charts for chapter 7, governance and alternatives.

* :func:`assessment_chart`: the book's necessity-and-proportionality assessment of the
  Kabul plan, one row per step, with the judgement and the evidence behind it. It refuses
  an assessment that :func:`kabulcase.models.rights.verify` does not accept.
* :func:`safeguards_static`: the static twin of the live safeguards dashboard. Six risk
  factors and their levels under the book's risk scheme, with buttons over precomputed
  safeguard scenarios, and the levers as the record shows them (face recognition off: none
  is reported) always shown for comparison.
* :func:`chilling_chart`: the one measured chilling effect in the data beside the book's
  scenario range for Kabul, drawn as a low-high bar.
* :func:`vendor_reach_chart`: Carnegie's AIGS index, CSIS's verified Huawei Safe City
  agreements and Huawei's own claimed footprint, kept apart by the kind of claim.

Levels of risk are the book's ordinal scheme (:mod:`kabulcase.models.rights`), not
measurements; the charts say so in their titles or descriptions.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ..data import load
from ..models import rights as model
from .theme import PALETTE, SYMBOLS, ChartDataError, finish, require_columns, table_payload, wrap

EVIDENCE_COLUMNS = ["step", "step_label", "judgement", "kind", "label", "value", "reference",
                    "sources"]
CLAIM_COLUMNS = ["claim_id", "claim", "status", "qualification", "source_id"]
FACE_COLUMNS = ["comparison", "metric", "low", "high", "source_id"]
CHILLING_COLUMNS = ["study", "setting", "metric", "value", "unit", "source_id", "confidence"]
REACH_COLUMNS = ["series", "publisher_short", "measure", "supplier", "value", "qualifier", "unit",
                 "of_total", "claim_type", "source_id"]

# Judgements left to right; colour, symbol and the word on the chart all carry them.
JUDGEMENT_STYLE = {
    "met": (PALETTE[2], "circle"),
    "partly met": (PALETTE[4], "diamond"),
    "not met": (PALETTE[1], "x"),
    "cannot tell": ("#666666", "square-open"),
}
# Risk levels: colour, bar pattern and the word on the bar.
LEVEL_STYLE = {
    "low": (PALETTE[2], ""),
    "moderate": (PALETTE[5], "."),
    "high": (PALETTE[4], "/"),
    "very high": (PALETTE[1], "x"),
}
CLAIM_TYPE_STYLE = {
    "index_finding": ("Research index (Carnegie AIGS)", PALETTE[0], ""),
    "verified_open_source": ("Counted from open sources (CSIS)", PALETTE[2], "/"),
    "company_claim": ("Company claim, unverified (Huawei)", PALETTE[1], "x"),
}
CLAIM_TYPE_WORDS = {"index_finding": "index finding", "verified_open_source": "verified count",
                    "company_claim": "company claim, unverified"}
MEASURE_LABELS = {
    "countries_using_ai_surveillance": "Any AI surveillance",
    "countries_with_safe_city_platforms": "Safe or smart city platforms",
    "countries_with_facial_recognition": "Facial recognition",
    "countries_with_smart_policing": "Smart policing",
    "countries_supplied": "Supplied by {supplier}",
    "countries_with_agreements": "Huawei Safe City: verified",
    "countries_claimed": "Huawei Safe City: claimed",
    "safe_city_agreements": "Agreements: verified (CSIS)",
    "cities_claimed": "Cities: claimed (Huawei)",
}
COUNTRY_ORDER = ["countries_using_ai_surveillance", "countries_with_facial_recognition",
                 "countries_with_safe_city_platforms", "countries_with_smart_policing",
                 "countries_supplied", "countries_with_agreements", "countries_claimed"]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


# ---------------------------------------------------------------------------------------
# 1. The assessment
# ---------------------------------------------------------------------------------------

def assessment_chart(assessment: model.Assessment | None = None,
                     evidence: pd.DataFrame | None = None) -> go.Figure:
    """The five steps of the test, each with its judgement and how much evidence it cites.

    ``assessment`` defaults to :func:`kabulcase.models.rights.example_assessment`; it must
    pass :func:`~kabulcase.models.rights.verify`. ``evidence`` defaults to its resolved
    evidence table (:func:`~kabulcase.models.rights.evidence_table`).
    """
    assessment = model.example_assessment() if assessment is None else assessment
    problems = model.verify(assessment)
    if problems:
        raise ChartDataError("assessment_chart draws only a verified assessment; verify() "
                             "found: " + "; ".join(map(str, problems[:5])))
    evidence = model.evidence_table(assessment) if evidence is None else evidence
    require_columns(evidence, EVIDENCE_COLUMNS, "assessment_chart")
    frames = model.cited_rows(assessment)
    if not frames:
        raise ChartDataError("assessment_chart: the assessment cites no data rows, so the chart "
                             "has no source to name.")
    steps = list(model.STEPS)
    by_step = {s.name: s for s in assessment.steps}
    n_data = {k: int(v) for k, v in evidence[evidence["kind"] == "data"].groupby("step").size().items()}
    n_model = {k: int(v) for k, v in evidence[evidence["kind"] == "model"].groupby("step").size().items()}
    # The row label carries the evidence count, so nothing is written inside the grid.
    labels = {s: (f"{model.STEPS[s]['label']}<br><span style='font-size:12px'>"
                  f"{_plural(n_data.get(s, 0), 'data row')}, "
                  f"{_plural(n_model.get(s, 0), 'model result')}</span>") for s in steps}
    judgements = list(model.JUDGEMENTS)

    fig = go.Figure()
    # The empty grid: every judgement the assessor could have given, as faint rings.
    fig.add_trace(go.Scatter(
        x=[j for _ in steps for j in judgements], y=[labels[s] for s in steps for _ in judgements],
        mode="markers", showlegend=False, hoverinfo="skip", name="Possible judgements",
        marker=dict(size=24, symbol="circle-open", color="#c8c8c8", line=dict(width=1)),
    ))
    for j in judgements:
        chosen = [s for s in steps if by_step[s].judgement == j]
        if not chosen:
            continue
        colour, symbol = JUDGEMENT_STYLE[j]
        fig.add_trace(go.Scatter(
            x=[j] * len(chosen), y=[labels[s] for s in chosen], mode="markers",
            name=f"Judged {j}",
            marker=dict(size=22, symbol=symbol, color=colour, line=dict(width=2, color=colour)),
            customdata=[[wrap(by_step[s].finding, 70), model.STEPS[s]["label"]] for s in chosen],
            hovertemplate="<b>%{customdata[1]}: %{x}</b><br>%{customdata[0]}<extra></extra>",
        ))
    fig.update_xaxes(categoryorder="array", categoryarray=judgements, side="top",
                     range=[-0.5, len(judgements) - 0.5], showgrid=False, ticks="",
                     tickfont=dict(size=13))
    fig.update_yaxes(categoryorder="array", categoryarray=[labels[s] for s in reversed(steps)],
                     showgrid=False)
    counts = {j: sum(1 for s in steps if by_step[s].judgement == j) for j in judgements}
    ranked = sorted((j for j in judgements if counts[j]), key=lambda j: -counts[j])
    parts = [f"{counts[ranked[0]]} of {len(steps)} steps {ranked[0]}"] + [
        f"{counts[j]} {j}" for j in ranked[1:]]
    title = f"The book's assessment of the Kabul plan on the public record: {', '.join(parts)}"
    table = pd.DataFrame([{
        "step": model.STEPS[s]["label"], "judgement": by_step[s].judgement,
        "data_rows": n_data.get(s, 0), "model_results": n_model.get(s, 0),
        "finding": by_step[s].finding} for s in steps])
    left = 190
    fig.update_layout(margin=dict(l=left, r=30))
    fig = finish(
        fig, frames, title=title,
        alt=(f"Grid chart of the {len(steps)} steps of the necessity and proportionality test "
             f"against the {len(judgements)} possible judgements, with the book's judgement for "
             f"each step marked and the evidence it cites counted."),
        description=(
            "Each row is one step of the test (legality, legitimate aim, necessity, "
            "proportionality, safeguards); the marker shows the judgement the book's worked "
            "assessment gives it, on the scale met, partly met, not met, cannot tell. Every "
            "evidence item was checked by the verify() function, against the data or by "
            "re-running the model. The judgements are the book's, made on public sources, and "
            "open to dispute. "
            + " ".join(f"{model.STEPS[s]['label']}: {by_step[s].judgement}, citing "
                       f"{_plural(n_data.get(s, 0), 'data row')} and "
                       f"{_plural(n_model.get(s, 0), 'model result')}." for s in steps)
        ),
        table=table_payload(table, list(table.columns)),
        plot_height=340,
    )
    return fig


# ---------------------------------------------------------------------------------------
# 2. The safeguards dashboard's chart and its static twin
# ---------------------------------------------------------------------------------------

def _scenario_frame(name: str, safeguards: model.Safeguards) -> pd.DataFrame:
    rows = model.risk_assessment(safeguards)
    return pd.DataFrame([{"scenario": name, "key": f.key, "factor": f.name, "level": f.level,
                          "level_index": f.level_index, "reason": f.reason,
                          "lowered_by": "; ".join(f.lowered_by) or "no single change lowers it"}
                         for f in rows])


def _basis_frames(claims: pd.DataFrame | None, face: pd.DataFrame | None,
                  chilling: pd.DataFrame | None, chart: str) -> list[pd.DataFrame]:
    """The data rows behind the 'as reported' settings and the factors' reasons."""
    claims = load("claims") if claims is None else claims
    face = load("evidence_face_recognition") if face is None else face
    chilling = load("evidence_chilling") if chilling is None else chilling
    require_columns(claims, CLAIM_COLUMNS, f"{chart} (claims)")
    require_columns(face, FACE_COLUMNS, f"{chart} (evidence_face_recognition)")
    require_columns(chilling, CHILLING_COLUMNS, f"{chart} (evidence_chilling)")
    used = claims[claims["claim_id"].isin(["c07", "c15"])]
    if used.empty:
        raise ChartDataError(f"{chart}: the claims table lacks claims c07 and c15, which ground "
                             "the 'as reported' settings.")
    return [used, face, chilling]


RISK_LEFT_PX = 220
SHORT_NAMES = {"identification": "identification", "tracking": "movement history",
               "misuse": "misuse", "chilling": "chilling", "wrong_match": "wrong matches",
               "accountability": "accountability"}


def _risk_bar_style(frame: pd.DataFrame) -> dict:
    levels = list(frame["level"])
    return dict(
        x=(frame["level_index"] + 1).tolist(),
        text=levels,
        colors=[LEVEL_STYLE[lv][0] for lv in levels],
        shapes=[LEVEL_STYLE[lv][1] for lv in levels],
        customdata=[[lv, wrap(r, 60), wrap(lo, 60)] for lv, r, lo in
                    zip(levels, frame["reason"], frame["lowered_by"])],
    )


def _risk_figure(current: pd.DataFrame, base: pd.DataFrame, name: str) -> go.Figure:
    """Bars for ``current`` (length and word give the level; colour and hatching repeat
    it) and hollow diamonds for the plan as reported."""
    labels = [wrap(n, 30) for n in current["factor"]]
    st = _risk_bar_style(current)
    fig = go.Figure()
    fig.add_trace(go.Bar(
        x=st["x"], y=labels, orientation="h", name=name,
        text=st["text"], textposition="inside", insidetextanchor="start",
        insidetextfont=dict(size=13, color="#111111"), cliponaxis=False,
        marker=dict(color=st["colors"],
                    pattern=dict(shape=st["shapes"], fillmode="overlay", fgcolor="#ffffff",
                                 fgopacity=0.35, size=10, solidity=0.2),
                    line=dict(color="#222", width=1)),
        customdata=st["customdata"],
        hovertemplate=("<b>%{y}</b>: %{customdata[0]}<br>%{customdata[1]}<br>"
                       "<i>Would lower it:</i> %{customdata[2]}<extra></extra>"),
    ))
    fig.add_trace(go.Scatter(
        x=(base["level_index"] + 1).tolist(), y=labels, mode="markers",
        name="As reported (hollow diamond)",
        marker=dict(symbol="diamond-open", size=17, color="#222222", line=dict(width=2.5)),
        customdata=base[["level"]].to_numpy(),
        hovertemplate="As reported: %{customdata[0]}<extra></extra>",
    ))
    fig.update_xaxes(range=[0, len(model.LEVELS) + 0.35],
                     tickvals=list(range(1, len(model.LEVELS) + 1)), ticktext=list(model.LEVELS),
                     title_text="Risk level (the book's scheme)")
    fig.update_yaxes(categoryorder="array", categoryarray=labels[::-1])
    fig.update_layout(margin=dict(l=RISK_LEFT_PX, r=30), bargap=0.35)
    return fig


def risk_chart(safeguards: model.Safeguards | None = None,
               claims: pd.DataFrame | None = None, face: pd.DataFrame | None = None,
               chilling: pd.DataFrame | None = None) -> go.Figure:
    """The six risk factors at one setting of the levers (the live dashboard's chart), with
    the plan as reported as hollow markers for comparison."""
    frames = _basis_frames(claims, face, chilling, "risk_chart")
    s = model.AS_REPORTED if safeguards is None else safeguards
    if not isinstance(s, model.Safeguards):
        raise ValueError(f"safeguards must be a Safeguards(...) or None; got {type(s).__name__}.")
    current = _scenario_frame("Your setting", s)
    base = _scenario_frame("As reported", model.AS_REPORTED)
    fig = _risk_figure(current, base, "Your setting (bars)")
    summary = model.summarise(model.risk_assessment(s))
    counts = ", ".join(f"{n} {level}" for level, n in summary["counts"].items() if n)
    fig = finish(
        fig, frames,
        title=f"Your setting: {counts} (the book's risk scheme)",
        alt=("Bar chart of six risk factors at the chosen safeguard setting, each bar's length "
             "and label giving its level on a four-step scale, with hollow diamonds for the "
             "plan as reported."),
        description=(" ".join(f"{r.factor}: {r.level}. {r.reason}" for r in current.itertuples())
                     + " " + summary["rule"]),
        table=table_payload(current, ["factor", "level", "reason", "lowered_by"]),
        plot_height=360,
    )
    return fig


def safeguards_static(scenarios: Mapping[str, Mapping] | None = None,
                      claims: pd.DataFrame | None = None, face: pd.DataFrame | None = None,
                      chilling: pd.DataFrame | None = None) -> go.Figure:
    """The live dashboard, precomputed: the six risk factors under each safeguard scenario,
    chosen with buttons, and the plan as reported as hollow diamonds throughout.

    ``scenarios`` maps a button label to lever changes from the plan as reported (default
    :data:`kabulcase.models.rights.SCENARIOS`). The buttons sit in one column at the
    plot's right edge, so that they fit a phone's width; the legend names the scenario on
    show.
    """
    frames = _basis_frames(claims, face, chilling, "safeguards_static")
    scenarios = dict(model.SCENARIOS if scenarios is None else scenarios)
    if not scenarios:
        raise ValueError("safeguards_static needs at least one scenario.")
    tables = {name: _scenario_frame(name, model.AS_REPORTED.changed(**changes))
              for name, changes in scenarios.items()}
    names = list(tables)
    base = _scenario_frame("As reported", model.AS_REPORTED)
    fig = _risk_figure(tables[names[0]], base, f"Bars: {names[0]}")
    buttons = []
    for name in names:
        st = _risk_bar_style(tables[name])
        buttons.append(dict(
            label=name, method="restyle",
            args=[{"x": [st["x"]], "text": [st["text"]], "marker.color": [st["colors"]],
                   "marker.pattern.shape": [st["shapes"]], "customdata": [st["customdata"]],
                   "name": f"Bars: {name}"}, [0]]))
    plot_px, row_px = 380, 35  # a button 33 px tall, 2 px apart
    # One column of buttons at the plot's right edge: it fits a phone's width, where a
    # row of buttons would run off the page.
    fig.update_layout(updatemenus=[dict(
        type="buttons", direction="down", buttons=buttons, showactive=False,
        x=1, xanchor="right", y=1.02, yanchor="bottom", pad=dict(t=0, b=0, l=0, r=0),
        bgcolor="#eef3f8", bordercolor="#4a6f8a", font=dict(size=12, color="#111111"),
    )])
    fig.add_annotation(text="<b>Scenario:</b>", xref="paper", yref="paper", x=1,
                       xanchor="right", y=1.02, yanchor="bottom", yshift=row_px * len(buttons) + 4,
                       showarrow=False, font=dict(size=13))
    all_rows = pd.concat(list(tables.values()), ignore_index=True)
    summaries = {n: model.summarise(model.risk_assessment(model.AS_REPORTED.changed(**c)))
                 for n, c in scenarios.items()}
    first, last = names[0], names[-1]
    title = (f"{first}: {summaries[first]['counts']['very high']} of {len(base)} risk factors "
             f"very high; {last.lower()}: none above {summaries[last]['highest']}")
    fig = finish(
        fig, frames, title=title,
        alt=(f"Bar chart from the book's risk scheme: six risk factors and their levels, with "
             f"buttons for {len(names)} safeguard scenarios and hollow diamonds for the plan as "
             f"reported."),
        description=(
            "Model output under the book's own ordinal scheme, not a measurement. Each bar is "
            "one risk factor; its length and label give its level (low, moderate, high, very "
            "high) under the scenario chosen with the buttons; hollow diamonds mark the levers as "
            "the record shows them (no face recognition reported, no published retention limit, "
            "no judicial authorisation, oversight, audits or community approval). The scenario "
            "with face recognition switched on is the book's inference, not a report. "
            + "Factors, in order: " + "; ".join(f"{SHORT_NAMES[k]} ({n.lower()})" for k, n in
                                               zip(base["key"], base["factor"])) + ". "
            + " ".join(f"{n}: " + ", ".join(f"{SHORT_NAMES[r.key]} {r.level}" for r in t.itertuples())
                       + "." for n, t in tables.items())
            + " " + summaries[first]["rule"]
        ),
        table=table_payload(all_rows, ["scenario", "factor", "level", "reason"]),
        plot_height=plot_px,
    )
    return fig


# ---------------------------------------------------------------------------------------
# 3. The chilling effect: the one measurement and the book's scenario range
# ---------------------------------------------------------------------------------------

def chilling_chart(chilling: pd.DataFrame | None = None,
                   would_take_part: int = model.PER_PEOPLE) -> go.Figure:
    """Penney's measured fall in article views beside the book's low-central-high scenario
    for the share of would-be participants who stay away in Kabul (a low-high bar)."""
    chilling = load("evidence_chilling") if chilling is None else chilling
    require_columns(chilling, CHILLING_COLUMNS, "chilling_chart")
    measured = chilling[chilling["value"].notna()]
    if measured.empty:
        raise ChartDataError("chilling_chart: no chilling study in the table gives a number.")
    qualitative = chilling[chilling["value"].isna()]
    sc = model.chilling_scenario(would_take_part)
    pct = {k: 100 * sc[f"share_{k}"] for k in ("low", "central", "high")}
    fig = go.Figure()
    rows_y = []
    for r in measured.itertuples():
        y = wrap(f"Measured: {r.study}, fall in article views", 26)
        rows_y.append(y)
        has_range = pd.notna(r.low) and pd.notna(r.high)
        fig.add_trace(go.Scatter(
            x=[r.value], y=[y], mode="markers+text",
            name=f"Measured: {r.study} ({r.confidence} confidence)",
            text=[f"{r.value:g}%"], textposition="top center",
            marker=dict(size=14, symbol=SYMBOLS[0], color=PALETTE[0], line=dict(width=1, color="#222")),
            error_x=(dict(type="data", symmetric=False, array=[r.high - r.value],
                          arrayminus=[r.value - r.low]) if has_range else None),
            hovertemplate=f"{r.study}: %{{x:g}}% ({r.setting})<extra></extra>",
        ))
    y_s = wrap("Kabul scenario: would-be participants who stay away", 26)
    fig.add_trace(go.Scatter(
        x=[pct["central"]], y=[y_s], mode="markers+text",
        name="Book's scenario: central share, range as a bar",
        text=[f"{pct['low']:.0f}% to {pct['high']:.0f}% (central {pct['central']:.0f}%)"],
        textposition="top center",
        marker=dict(size=14, symbol=SYMBOLS[1], color=PALETTE[1], line=dict(width=1, color="#222")),
        error_x=dict(type="data", symmetric=False, array=[pct["high"] - pct["central"]],
                     arrayminus=[pct["central"] - pct["low"]], thickness=4, width=12,
                     color=PALETTE[1]),
        hovertemplate=(f"Scenario: {pct['low']:.0f}% to {pct['high']:.0f}%, central "
                       f"{pct['central']:.0f}%<extra></extra>"),
    ))
    fig.update_xaxes(range=[0, max(50.0, pct["high"] * 1.15)], ticksuffix="%")
    fig.update_yaxes(categoryorder="array", categoryarray=[y_s] + rows_y[::-1])
    left = 190
    fig.update_layout(margin=dict(l=left, r=30))
    n = int(would_take_part)
    table = pd.DataFrame([
        *({"row": f"Measured: {r.study}", "low_pct": r.low, "central_pct": r.value,
           "high_pct": r.high, "people_who_stay_away": "", "source_id": r.source_id}
          for r in measured.itertuples()),
        {"row": "Book's scenario for Kabul", "low_pct": round(pct["low"], 1),
         "central_pct": round(pct["central"], 1), "high_pct": round(pct["high"], 1),
         "people_who_stay_away": (f"{sc['refrain_low']:,.0f} to {sc['refrain_high']:,.0f} of "
                                  f"{n:,} (central {sc['refrain_central']:,.0f})"),
         "source_id": "penney-2016;book-assumption"},
    ])
    frames = [measured, qualitative] if len(qualitative) else [measured]
    first = measured.iloc[0]
    fig = finish(
        fig, frames,
        title=(f"No Afghan measurement exists: the book's scenario puts the share who stay away "
               f"at {pct['low']:.0f}% to {pct['high']:.0f}%, around {first['study']}'s "
               f"{first['value']:g}%"),
        alt=("Dot chart: the one measured chilling effect in the data, and the book's scenario "
             "range for Kabul drawn as a horizontal low-high bar around its central value."),
        description=(
            f"The measured point is {first['study']}: a {first['value']:g}% fall in views of "
            f"privacy-sensitive Wikipedia articles after the 2013 surveillance revelations "
            f"({first['confidence']} confidence; the size comes from a secondary summary). The "
            f"scenario uses it as the central share of people who give up a lawful activity "
            f"because they believe they are watched, and divides and multiplies it by a stated "
            f"factor (a book assumption) for the low and high ends: {pct['low']:.0f}% to "
            f"{pct['high']:.0f}%, or {sc['refrain_low']:,.0f} to {sc['refrain_high']:,.0f} of every "
            f"{n:,} would-be participants. "
            + ("The data also hold qualitative evidence from Kabul, without a number: "
               + " ".join(str(f) for f in qualitative["finding"]) if len(qualitative) else "")
        ),
        table=table_payload(table, list(table.columns)),
        x_title="Share (%)",
        plot_height=220,
    )
    return fig


# ---------------------------------------------------------------------------------------
# 4. Vendor reach: an index, a verified count and a company's claim
# ---------------------------------------------------------------------------------------

def _reach_label(r) -> str:
    return MEASURE_LABELS.get(r.measure, r.measure).format(supplier=r.supplier)


def vendor_reach_chart(reach: pd.DataFrame | None = None) -> go.Figure:
    """Countries using AI surveillance and the vendors' reach (AIGS), Huawei's verified
    Safe City agreements (CSIS) and Huawei's own claim, kept apart by kind of claim.
    "At least" counts are labelled as such."""
    reach = load("vendor_reach") if reach is None else reach
    require_columns(reach, REACH_COLUMNS, "vendor_reach_chart")
    countries = reach[reach["unit"] == "countries"].copy()
    places = reach[reach["unit"].isin(["agreements", "cities"])].copy()
    if countries.empty:
        raise ChartDataError("vendor_reach_chart: the table has no counts of countries.")
    countries["order"] = countries["measure"].map({m: i for i, m in enumerate(COUNTRY_ORDER)})
    countries = countries.sort_values(["order", "value"], ascending=[True, False])
    countries["label"] = [_reach_label(r) for r in countries.itertuples()]
    places["label"] = [_reach_label(r) for r in places.itertuples()]
    panels = [countries] + ([places] if len(places) else [])
    titles = ["Countries", "Huawei Safe City: agreements found, cities claimed"][:len(panels)]
    fig = make_subplots(rows=len(panels), cols=1, vertical_spacing=0.13,
                        row_heights=[0.76, 0.24] if len(panels) == 2 else [1.0],
                        subplot_titles=titles)
    for ann in fig.layout.annotations:  # subplot titles: left-aligned over each panel
        ann.update(x=0, xanchor="left", font=dict(size=13))
    shown = set()
    for row, frame in enumerate(panels, start=1):
        for ctype, (label, colour, shape) in CLAIM_TYPE_STYLE.items():
            part = frame[frame["claim_type"] == ctype]
            if part.empty:
                continue
            text = [("at least " if q == "at_least" else "") + f"{int(v)}"
                    for v, q in zip(part["value"], part["qualifier"])]
            fig.add_trace(go.Bar(
                x=part["value"].astype(float), y=part["label"], orientation="h", name=label,
                legendgroup=ctype, showlegend=ctype not in shown, text=text,
                textposition="outside", cliponaxis=False,
                marker=dict(color=colour,
                            pattern=dict(shape=shape, fillmode="overlay", fgcolor="#ffffff",
                                         fgopacity=0.6, size=8, solidity=0.3),
                            line=dict(color="#222", width=1)),
                customdata=part[["publisher_short", "qualifier"]].astype(str).to_numpy(),
                hovertemplate="%{y}: %{text} (%{customdata[0]})<extra></extra>",
            ), row=row, col=1)
            shown.add(ctype)
        fig.update_yaxes(categoryorder="array", categoryarray=list(frame["label"])[::-1],
                         row=row, col=1)
    total = countries["of_total"].dropna()
    top = max(float(reach["value"].max()), float(total.max()) if len(total) else 0.0) * 1.2
    for row in range(1, len(panels) + 1):
        fig.update_xaxes(range=[0, top], row=row, col=1)
    if len(total):
        n_total = int(total.iloc[0])
        fig.add_vline(x=n_total, line=dict(dash="dot", color="#444", width=1.5), row=1, col=1)
        fig.add_annotation(x=n_total, y=0, yref="y domain", xref="x",
                           text=f"{n_total} countries<br>assessed (AIGS)", showarrow=False,
                           xanchor="left", xshift=4, yanchor="bottom", align="left",
                           font=dict(size=11, color="#444"))
    fig.update_xaxes(title_text="Number", row=len(panels), col=1)
    left = 200
    fig.update_layout(barmode="group", margin=dict(l=left, r=30))
    csis_c = countries[countries["measure"] == "countries_with_agreements"]
    claim_c = countries[countries["measure"] == "countries_claimed"]
    agree = places[places["measure"] == "safe_city_agreements"]
    cities = places[places["measure"] == "cities_claimed"]

    def one(frame: pd.DataFrame) -> int | None:
        return int(frame["value"].iloc[0]) if len(frame) == 1 else None

    if one(claim_c) and one(csis_c) and one(cities) and one(agree):
        title = (f"Huawei claims Safe City work in {one(cities)} cities in {one(claim_c)} countries; "
                 f"CSIS could verify {one(agree)} agreements in {one(csis_c)}")
    else:
        title = "AI surveillance and its suppliers: index findings, verified counts and claims"
    frames = [reach]
    both = pd.concat([countries, places])
    desc = " ".join(
        f"{r.label}: {'at least ' if r.qualifier == 'at_least' else ''}{int(r.value)} "
        f"{r.unit} ({r.publisher_short}: {CLAIM_TYPE_WORDS[r.claim_type]})."
        for r in both.itertuples())
    fig = finish(
        fig, frames, title=title,
        alt=("Horizontal bar chart of how many countries use AI surveillance and how many each "
             "vendor supplies (Carnegie AIGS index), against Huawei's verified Safe City "
             "agreements (CSIS) and Huawei's own claimed footprint."),
        description=(
            (f"The AIGS index assessed {int(total.iloc[0])} countries. " if len(total) else "")
            + desc + " The index counts countries where a technology is in use, lawful or not, "
            "and a country can count under several technologies and suppliers, so bars do not "
            "add up. Huawei's claim counts cities, CSIS counts agreements it could find in open "
            "sources: different units, and the gap is between a marketing claim and what "
            "researchers could verify."
        ),
        table=table_payload(both, ["publisher_short", "label", "value", "qualifier", "unit",
                                   "claim_type", "source_id"]),
        plot_height=470,
    )
    return fig
