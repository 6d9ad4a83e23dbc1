"""Charts for chapter 4, rights: detentions, protest and the chilling effect.

Counts of detentions and violations come from different publishers, with different
definitions and reporting periods. Every builder here keeps those differences visible:

* :func:`journalists_chart` draws the AFJC calendar-year series, keeps AFJC's
  May-to-May report in a separate panel (it overlaps two calendar years), and shows the
  pre-takeover AJSC figure only behind a marked method break;
* :func:`periods_chart` draws each UN count as a bar from the start to the end of its
  own reporting period, so counts over different periods are never read as one trend;
* :func:`stock_flow_chart` sets CPJ's cumulative, census-day and twelve-month figures
  side by side, one bar per measure labelled with its count type, above a strip that
  shows the window each one covers;
* :func:`former_officials_chart` draws UNAMA's counts for former officials and
  security-force members, with "at least" counts drawn as open-ended bars;
* :func:`protests_chart` shows dispersed or broken-up protests as counts only, at city
  level, with a count that was not reported left empty rather than drawn as zero.

Qualifiers ("at least", "about") are carried by words on the chart and by marker shape,
never by colour alone. Nothing here names a person.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ..data import load
from .theme import PALETTE, SYMBOLS, ChartDataError, finish, require_columns, table_payload, wrap

# ---------------------------------------------------------------------------------------
# Shared vocabulary
# ---------------------------------------------------------------------------------------

COUNT_COLUMNS = ["series", "publisher_short", "subject", "measure", "count_type",
                 "period_start", "period_end", "value", "qualifier", "source_id"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

MEASURE_LABELS = {
    "violations": "Violations recorded",
    "arrests": "Arbitrary arrests and detentions",
    "detentions": "Detentions",
    "jailed_on_census_date": "Jailed on census day",
    "extrajudicial_killings": "Extrajudicial killings",
    "torture_cases": "Torture and ill-treatment",
    "enforced_disappearances": "Enforced disappearances",
    "civilian_casualties": "Civilian casualties (killed and injured)",
    "cases": "Cases of violations",
}
SUBJECT_LABELS = {
    "journalists": "Journalists",
    "media_workers": "Media workers",
    "former_officials_and_security_forces": "Former officials and security forces",
    "civilians": "Civilians",
}
COUNT_TYPE_LABELS = {
    "cumulative": "Cumulative: running total since the takeover",
    "stock": "Stock: held on one day",
    "flow": "Flow: over a bounded period",
}
# Fill patterns: a second carrier of meaning besides colour.
COUNT_TYPE_STYLE = {
    "cumulative": dict(color=PALETTE[0], pattern="", symbol=SYMBOLS[0]),
    "stock": dict(color=PALETTE[1], pattern="x", symbol=SYMBOLS[2]),
    "flow": dict(color=PALETTE[2], pattern="/", symbol=SYMBOLS[1]),
}
SUBJECT_STYLE = {
    "journalists": dict(color=PALETTE[0], pattern=""),
    "media_workers": dict(color=PALETTE[5], pattern="."),
    "former_officials_and_security_forces": dict(color=PALETTE[1], pattern="/"),
    "civilians": dict(color=PALETTE[4], pattern="x"),
}
SUBJECT_SHORT = {
    "journalists": "Journalists",
    "media_workers": "Media workers",
    "former_officials_and_security_forces": "Former officials",
    "civilians": "Civilians",
}
MEASURE_SHORT = {
    "violations": "all violations",
    "arrests": "arbitrary arrests",
    "detentions": "detentions",
    "jailed_on_census_date": "jailed on census day",
    "extrajudicial_killings": "killings",
    "torture_cases": "torture",
    "enforced_disappearances": "disappearances",
    "civilian_casualties": "casualties",
    "cases": "violations",
}
PUBLISHER_SHORT = {"UN Secretary-General": "UN S-G"}
FORMER_LABELS = {
    "arrests": "Arbitrary arrests",
    "extrajudicial_killings": "Extrajudicial killings",
    "torture_cases": "Torture, ill-treatment",
    "enforced_disappearances": "Disappearances",
    "violations": "All (incl. rows above)",
}
QUALIFIER_WORDS = {"exact": "", "at_least": "at least ", "approx": "about "}
QUALIFIER_MARK = {"exact": "", "at_least": "+", "approx": " (approx.)"}
UN_SERIES = ["unama_period", "unama_quarterly", "un_sg"]
JOURNALIST_SERIES = ["afjc_annual", "afjc_may_to_may", "ajsc_annual"]
CPJ_SERIES = ["cpj_cumulative", "cpj_census", "cpj_12_months"]


def day(ts: pd.Timestamp) -> str:
    """'1 Mar 2022'."""
    ts = pd.Timestamp(ts)
    return f"{ts.day} {MONTHS[ts.month - 1]} {ts.year}"


def period_text(start, end) -> str:
    """'1 Mar 2022 to 2 Apr 2023', or 'on 1 Mar 2022' for a single day."""
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    if start == end:
        return f"on {day(start)}"
    return f"{day(start)} to {day(end)}"


def count_text(value, qualifier: str) -> str:
    """'at least 7', 'about 7' or '7', with thousands separators."""
    return f"{QUALIFIER_WORDS.get(str(qualifier), '')}{int(value):,}"


def count_mark(value, qualifier: str) -> str:
    """'7+', '7 (approx.)' or '7': the short form used on bars."""
    return f"{int(value):,}{QUALIFIER_MARK.get(str(qualifier), '')}"


def pick(counts: pd.DataFrame | None = None, *, series: str, subject: str | None = None,
         measure: str | None = None, start_year: int | None = None,
         end_year: int | None = None) -> pd.Series:
    """The one row of ``rights_counts`` that matches; raises ``LookupError`` otherwise.

    Chapters use it to quote a count (with its qualifier and period) without typing it.
    """
    counts = load("rights_counts") if counts is None else counts
    require_columns(counts, COUNT_COLUMNS, "pick")
    mask = counts["series"] == series
    if subject is not None:
        mask &= counts["subject"] == subject
    if measure is not None:
        mask &= counts["measure"] == measure
    if start_year is not None:
        mask &= counts["period_start"].dt.year == start_year
    if end_year is not None:
        mask &= counts["period_end"].dt.year == end_year
    hits = counts[mask.fillna(False)]
    if len(hits) != 1:
        raise LookupError(
            f"rights_counts: expected one row for series={series!r}, subject={subject!r}, "
            f"measure={measure!r}, start_year={start_year!r}, end_year={end_year!r}; "
            f"found {len(hits)}."
        )
    return hits.iloc[0]


def _rows(counts: pd.DataFrame, series: list[str], chart: str) -> pd.DataFrame:
    rows = counts[counts["series"].isin(series)].copy()
    if rows.empty:
        raise ChartDataError(
            f"{chart} found no rows of series {', '.join(series)} in the table: there is "
            f"nothing to draw."
        )
    return rows


# ---------------------------------------------------------------------------------------
# 1. Journalists, year by year (AFJC), with the May-to-May report and the AJSC baseline
# ---------------------------------------------------------------------------------------

def journalists_chart(counts: pd.DataFrame | None = None) -> go.Figure:
    """Violations against journalists and arrests of journalists, by reporting year.

    Left panel: calendar years. AFJC's annual counts, and AJSC's pre-takeover count drawn
    with its own fill and behind a dashed "method break" line (a different organisation
    and method, never one series with AFJC). Right panel: AFJC's May-to-May report, which
    overlaps two calendar years and must never be added to them.
    """
    counts = load("rights_counts") if counts is None else counts
    require_columns(counts, COUNT_COLUMNS, "journalists_chart")
    rows = _rows(counts, JOURNALIST_SERIES, "journalists_chart")
    rows = rows[rows["subject"] == "journalists"].sort_values(["period_start", "measure"])
    annual = rows[rows["series"] != "afjc_may_to_may"].copy()
    may = rows[rows["series"] == "afjc_may_to_may"].copy()

    def year_label(r) -> str:
        return f"{r.period_start.year}<br>{r.publisher_short}"

    annual["x"] = [year_label(r) for r in annual.itertuples()]
    years = sorted(annual["period_start"].dt.year.unique())
    # Every year between the first and last is on the axis, so a year with no count shows
    # as a gap rather than disappearing.
    categories = []
    for y in range(min(years), max(years) + 1):
        labels = list(dict.fromkeys(annual.loc[annual["period_start"].dt.year == y, "x"]))
        categories += labels or [f"{y}<br>no count"]
    may["x"] = [f"{day(r.period_start)}<br>to {day(r.period_end)}" for r in may.itertuples()]

    fig = make_subplots(rows=1, cols=2, shared_yaxes=True, column_widths=[0.72, 0.28],
                        horizontal_spacing=0.05,
                        subplot_titles=("Calendar years (year and publisher)",
                                        "AFJC May-to-May report<br>(kept separate)"))

    is_arrest = annual["measure"].isin(["arrests", "detentions"])
    groups = [
        ("AFJC: violations against journalists",
         annual[(annual["publisher_short"] == "AFJC") & ~is_arrest], PALETTE[0], "", 1, "v", "v"),
        ("AFJC: arrests or detentions of journalists (AFJC's word)",
         annual[(annual["publisher_short"] == "AFJC") & is_arrest], PALETTE[1], "/", 1, "a", "a"),
        ("AJSC (pre-takeover, different organisation and method): violations",
         annual[annual["publisher_short"] != "AFJC"], PALETTE[2], "x", 1, "j", "v"),
        ("AFJC: violations against journalists",
         may[~may["measure"].isin(["arrests", "detentions"])], PALETTE[0], "", 2, "v", "v"),
        ("AFJC: arrests or detentions of journalists (AFJC's word)",
         may[may["measure"].isin(["arrests", "detentions"])], PALETTE[1], "/", 2, "a", "a"),
    ]
    shown = set()
    for name, group, color, pattern, col, legend, offset in groups:
        if group.empty:
            continue
        fig.add_trace(go.Bar(
            x=group["x"], y=group["value"].astype(float), name=name,
            legendgroup=legend, showlegend=legend not in shown, offsetgroup=offset,
            marker=dict(color=color, pattern=dict(shape=pattern, fgcolor="#222", size=7, fillmode="overlay"),
                        line=dict(width=1, color="#222")),
            text=[count_mark(v, q) for v, q in zip(group["value"], group["qualifier"])],
            textposition="outside",
            customdata=group[["publisher_short", "measure", "qualifier"]].astype(str).to_numpy(),
            hovertemplate="%{customdata[0]}, %{x}: %{text} (%{customdata[1]}; "
                          "qualifier: %{customdata[2]})<extra></extra>",
        ), row=1, col=col)
        shown.add(legend)

    # "At least" counts: an upward triangle above the bar, plus the "+" on the label.
    for col, frame in ((1, annual), (2, may)):
        hits = frame[frame["qualifier"] == "at_least"]
        for kind, sub in hits.groupby(hits["measure"].isin(["arrests", "detentions"])
                                      .map({True: "a", False: "v"})):
            fig.add_trace(go.Scatter(
                x=sub["x"], y=sub["value"].astype(float) * 1.13, mode="markers",
                name="▲ and +: at least this many (the true count may be higher)",
                legendgroup="atleast", showlegend="atleast" not in shown, offsetgroup=kind,
                marker=dict(symbol="triangle-up", size=13, color="#222"), hoverinfo="skip",
            ), row=1, col=col)
            shown.add("atleast")
    # A year with no count is written on the axis, not left out.
    for c in categories:
        if "no count" in c:
            fig.add_trace(go.Scatter(
                x=[c], y=[0], mode="text", text=["no<br>count"],
                textposition="top center", showlegend=False, hoverinfo="skip",
                textfont=dict(size=12, color="#444"),
            ), row=1, col=1)
    fig.update_layout(scattermode="group", barmode="group")

    # The tick labels name the year and publisher (left) and the period (right); an axis
    # title below two-line ticks would collide with them.
    fig.update_xaxes(categoryorder="array", categoryarray=categories, row=1, col=1)
    fig.update_yaxes(title_text="Count (incidents, or journalists arrested)", row=1, col=1,
                     rangemode="tozero")
    ymax = float(rows["value"].max()) * 1.3
    fig.update_yaxes(range=[0, ymax])
    # The method break sits between the last pre-takeover year and the first later one
    # (the Taliban took Kabul in August 2021).
    takeover_year = 2021
    before = [c for c in categories if int(c[:4]) < takeover_year]
    if before and len(before) < len(categories):
        xpos = len(before) - 0.5
        fig.add_shape(type="line", x0=xpos, x1=xpos, y0=0, y1=1, yref="y domain",
                      xref="x", line=dict(color="#222", width=2, dash="dash"))
        fig.add_annotation(x=xpos, y=1, yref="y domain", xref="x", xanchor="left",
                           yanchor="top", showarrow=False, align="left",
                           text=" Method break: AJSC before,<br> AFJC after. Not one series.",
                           font=dict(size=12))
    fig.update_layout(margin=dict(l=80, r=30))

    afjc_v = annual[(annual["publisher_short"] == "AFJC") & ~is_arrest].sort_values("period_start")
    afjc_a = annual[(annual["publisher_short"] == "AFJC") & is_arrest].sort_values("period_start")
    pre = annual[annual["publisher_short"] != "AFJC"]
    series_txt = ", ".join(f"{count_mark(r.value, r.qualifier)} ({r.period_start.year})"
                           for r in afjc_v.itertuples())
    arrests_txt = ", ".join(f"{count_mark(r.value, r.qualifier)} {r.measure} "
                            f"({r.period_start.year})" for r in afjc_a.itertuples())
    may_txt = " and ".join(f"{count_text(r.value, r.qualifier)} {r.measure}" for r in
                           may.sort_values("measure", ascending=False).itertuples())
    pre_txt = "; ".join(f"{r.publisher_short} recorded {count_text(r.value, r.qualifier)} "
                        f"{r.measure} in {r.period_start.year}" for r in pre.itertuples())
    missing = [c[:4] for c in categories if "no count" in c]
    table = rows.assign(period=[period_text(s, e) for s, e in
                                zip(rows["period_start"], rows["period_end"])])
    fig = finish(
        fig, [rows],
        title=f"AFJC's yearly count of violations against journalists: {series_txt}",
        alt=(f"Grouped bar chart of violations against and arrests of journalists by year, "
             f"AFJC {afjc_v['period_start'].dt.year.min()} to "
             f"{afjc_v['period_start'].dt.year.max()}, with a pre-takeover AJSC bar behind a "
             f"method-break line and AFJC's May-to-May report in a separate panel."),
        description=(
            f"AFJC (Afghanistan Journalists Center) recorded violations of journalists' rights "
            f"of {series_txt}, and {arrests_txt}. "
            + ("AFJC's word for these changes between years, so read them as comparable only "
               "with care. " if afjc_a["measure"].nunique() > 1 else "")
            + (f"{pre_txt}; that is a different organisation with its own method, so it is "
               f"drawn with its own fill behind a dashed method-break line and is not joined "
               f"to AFJC's series. " if pre_txt else "")
            + (f"The data hold no count for {', '.join(missing)}. " if missing else "")
            + (f"AFJC's separate May-to-May report ({period_text(may['period_start'].min(), may['period_end'].max())}) "
               f"recorded {may_txt}; it overlaps two calendar years, so it sits in its own "
               f"panel and must never be added to them. " if not may.empty else "")
            + "A triangle and a '+' mark counts given as 'at least'."
        ),
        table=table_payload(table, ["publisher_short", "series", "measure", "period", "value",
                                    "qualifier", "confidence", "source_id"]),
        plot_height=320,
    )
    return fig


# ---------------------------------------------------------------------------------------
# 2. UN counts against their reporting periods (Gantt-like)
# ---------------------------------------------------------------------------------------

def periods_chart(counts: pd.DataFrame | None = None) -> go.Figure:
    """Each UN count as a horizontal bar from its period's start to its period's end.

    The bars are drawn on a date axis (``base`` = start, length = end minus start), and
    the count is written at the bar's end with its qualifier in words. Because the periods
    differ, the counts cannot be read as a series.
    """
    counts = load("rights_counts") if counts is None else counts
    require_columns(counts, COUNT_COLUMNS, "periods_chart")
    rows = _rows(counts, UN_SERIES, "periods_chart")
    rows = rows.sort_values(["period_end", "period_start", "subject", "measure"],
                            ascending=[False, True, True, True]).reset_index(drop=True)
    rows["pos"] = range(len(rows))
    rows["label"] = [f"{SUBJECT_SHORT.get(r.subject, r.subject)}: "
                     f"{MEASURE_SHORT.get(r.measure, r.measure)}" if r.publisher_short == "UNAMA"
                     else f"{PUBLISHER_SHORT.get(r.publisher_short, r.publisher_short)}: "
                          f"{SUBJECT_SHORT.get(r.subject, r.subject).lower()}"
                     for r in rows.itertuples()]
    rows["span"] = [period_text(s, e) for s, e in zip(rows["period_start"], rows["period_end"])]
    rows["text"] = [f"{count_text(v, q)}" for v, q in zip(rows["value"], rows["qualifier"])]

    fig = go.Figure()
    for subject in dict.fromkeys(rows["subject"]):
        group = rows[rows["subject"] == subject]
        style = SUBJECT_STYLE.get(subject, dict(color=PALETTE[4], pattern=""))
        duration_ms = [(e - s).total_seconds() * 1000.0
                       for s, e in zip(group["period_start"], group["period_end"])]
        fig.add_trace(go.Bar(
            orientation="h", y=group["pos"], x=duration_ms,
            base=[s.strftime("%Y-%m-%d") for s in group["period_start"]],
            name=SUBJECT_LABELS.get(subject, subject),
            marker=dict(color=style["color"], line=dict(width=1, color="#222"),
                        pattern=dict(shape=style["pattern"], fgcolor="#222", size=6,
                                     fillmode="overlay")),
            width=0.7, text=group["text"], textposition="outside",
            textfont=dict(size=12), constraintext="none",
            customdata=group[["label", "span", "text", "publisher_short"]].astype(str).to_numpy(),
            hovertemplate="%{customdata[0]} (%{customdata[3]})<br>%{customdata[2]}<br>"
                          "period: %{customdata[1]}<extra></extra>",
        ))
    # A thin rule between reporting periods, so each report's counts read as a block.
    keys = list(zip(rows["period_start"], rows["period_end"]))
    for i in range(1, len(keys)):
        if keys[i] != keys[i - 1]:
            fig.add_shape(type="line", xref="paper", x0=0, x1=1, y0=i - 0.5, y1=i - 0.5,
                          line=dict(color="#999", width=1, dash="dot"))
    end = rows["period_end"].max()
    start = rows["period_start"].min()
    span = end - start
    fig.update_xaxes(type="date", title_text="Reporting period (bar = first to last day)",
                     range=[start - span * 0.02, end + span * 0.22])
    fig.update_yaxes(tickmode="array", tickvals=rows["pos"], ticktext=rows["label"],
                     range=[len(rows) - 0.5, -0.5], title_text="", tickfont=dict(size=12))
    fig.update_layout(barmode="overlay", margin=dict(l=215, r=20), bargap=0.2)

    n_periods = rows[["period_start", "period_end"]].drop_duplicates().shape[0]
    lines = " ".join(
        f"{span}: " + "; ".join(f"{r.label} {r.text}" for r in group.itertuples()) + "."
        for span, group in rows.groupby("span", sort=False))
    fig = finish(
        fig, [rows],
        title=(f"The UN's {len(rows)} counts cover {n_periods} different reporting periods, "
               f"so they are not one series"),
        alt=(f"Timeline chart with one horizontal bar per UN count, {len(rows)} bars, each "
             f"running from the start to the end of its reporting period, with the count "
             f"written at the bar's end."),
        description=(
            "Each bar is one count published by UNAMA or the UN Secretary-General; 'former "
            "officials' means former government officials and members of the former security "
            "forces. It starts "
            "on the first day of the period the count covers and ends on the last day; the "
            "count and its qualifier are written after it. Counts that start in August 2021 "
            "are running totals since the takeover; short bars are quarterly counts. "
            "Because the periods differ, a longer bar with a larger count does not mean "
            "violations rose, and two cumulative counts cannot simply be subtracted. "
            + lines
        ),
        table=table_payload(rows, ["label", "period_start", "period_end", "value", "qualifier",
                                   "count_type", "confidence", "source_id"]),
        plot_height=30 * len(rows) + 60,
    )
    return fig


# ---------------------------------------------------------------------------------------
# 3. Stock and flow: CPJ's three numbers
# ---------------------------------------------------------------------------------------

def stock_flow_chart(counts: pd.DataFrame | None = None) -> go.Figure:
    """CPJ's cumulative, census-day and twelve-month counts: one bar per measure.

    Upper panel: one bar for each count, labelled with its count type. Lower panel: the
    window each count covers (a line for a period, a single marker for a census day).
    """
    counts = load("rights_counts") if counts is None else counts
    require_columns(counts, COUNT_COLUMNS, "stock_flow_chart")
    rows = _rows(counts, CPJ_SERIES, "stock_flow_chart")
    order = {"cumulative": 0, "stock": 1, "flow": 2}
    rows = rows.sort_values(by="count_type", key=lambda s: s.map(order)).reset_index(drop=True)
    rows["label"] = [
        f"{r.count_type.upper()}<br>{MEASURE_LABELS.get(r.measure, r.measure)}<br>"
        + (f"on {day(r.period_start)}" if r.period_start == r.period_end
           else f"{day(r.period_start)} –<br>{day(r.period_end)}") for r in rows.itertuples()]
    rows["window"] = [r.count_type.capitalize() for r in rows.itertuples()]

    fig = make_subplots(rows=2, cols=1, row_heights=[0.66, 0.34], vertical_spacing=0.24,
                        subplot_titles=("How many journalists", "Over which dates"))
    for r in rows.itertuples():
        style = COUNT_TYPE_STYLE.get(r.count_type, dict(color=PALETTE[4], pattern="", symbol="circle"))
        fig.add_trace(go.Bar(
            x=[r.label], y=[float(r.value)],
            name=COUNT_TYPE_LABELS.get(r.count_type, r.count_type),
            legendgroup=r.count_type,
            marker=dict(color=style["color"], line=dict(width=1, color="#222"),
                        pattern=dict(shape=style["pattern"], fgcolor="#222", size=7, fillmode="overlay")),
            text=[count_text(r.value, r.qualifier)], textposition="outside",
            customdata=[[r.count_type, r.qualifier, r.publisher_short]],
            hovertemplate="%{customdata[2]}, %{customdata[0]}: %{text}<extra></extra>",
        ), row=1, col=1)
        is_day = r.period_start == r.period_end
        fig.add_trace(go.Scatter(
            x=[r.period_start] if is_day else [r.period_start, r.period_end],
            y=[r.window] * (1 if is_day else 2),
            mode="markers" if is_day else "lines+markers",
            name=f"{r.count_type} window", legendgroup=r.count_type, showlegend=False,
            line=dict(color=style["color"], width=6),
            marker=dict(color=style["color"], symbol=style["symbol"], size=13,
                        line=dict(width=1, color="#222")),
            hovertemplate=f"{r.count_type}: {period_text(r.period_start, r.period_end)}"
                          "<extra></extra>",
        ), row=2, col=1)
    lows = rows[rows["qualifier"] == "at_least"]
    if not lows.empty:
        fig.add_trace(go.Scatter(
            x=lows["label"], y=lows["value"].astype(float) * 1.16, mode="markers",
            name="▲: at least this many (the true count may be higher)",
            marker=dict(symbol="triangle-up", size=13, color="#222"), hoverinfo="skip",
        ), row=1, col=1)
    fig.update_yaxes(title_text="Journalists", rangemode="tozero",
                     range=[0, float(rows["value"].max()) * 1.3], row=1, col=1)
    fig.update_xaxes(type="date", row=2, col=1)
    fig.update_yaxes(title_text="", row=2, col=1)
    fig.update_layout(margin=dict(l=100, r=30), bargap=0.35)

    get = {r.count_type: r for r in rows.itertuples()}
    parts = [f"{COUNT_TYPE_LABELS.get(t, t).split(':')[0].lower()}, "
             f"{MEASURE_LABELS.get(r.measure, r.measure).lower()} "
             f"{period_text(r.period_start, r.period_end).replace('on ', '')}: "
             f"{count_text(r.value, r.qualifier)} journalists" for t, r in get.items()]
    if "cumulative" in get and "stock" in get:
        c, s = get["cumulative"], get["stock"]
        title = (f"CPJ: {count_text(c.value, c.qualifier)} journalists detained since the "
                 f"takeover, yet {count_text(s.value, s.qualifier)} in jail on census day. "
                 f"Both are true")
    else:
        title = "CPJ's counts of detained journalists measure different things"
    fig = finish(
        fig, [rows],
        title=title,
        alt=(f"Bar chart with one bar for each of CPJ's {len(rows)} counts of detained "
             f"journalists, labelled cumulative, stock or flow, above a timeline of the window "
             f"each count covers."),
        description=(
            "CPJ's figures are of three kinds: " + "; ".join(parts) + ". "
            "A cumulative count adds up every detention since the takeover, however short; "
            "a stock counts only the people held on one day; a flow counts detentions over a "
            "fixed period. If most detentions last days or weeks, the cumulative count grows "
            "large while the stock on any one day stays small, so the numbers do not "
            "contradict each other. The lower panel shows the window each count covers."
        ),
        table=table_payload(rows.assign(period=[period_text(s, e) for s, e in zip(
            rows["period_start"], rows["period_end"])]),
            ["series", "count_type", "measure", "period", "value", "qualifier", "confidence",
             "source_id"]),
        plot_height=420,
    )
    return fig


# ---------------------------------------------------------------------------------------
# 4. Former officials and security-force members (UNAMA)
# ---------------------------------------------------------------------------------------

FORMER_ORDER = ["arrests", "extrajudicial_killings", "torture_cases",
                "enforced_disappearances", "violations"]


def former_officials_chart(counts: pd.DataFrame | None = None) -> go.Figure:
    """UNAMA's cumulative counts for former officials and security-force members.

    One group of horizontal bars per measure, one bar per report period (both periods
    start at the takeover, so the later one contains the earlier). A count given as "at
    least" is drawn as an open-ended bar: a dotted extension ending in an arrowhead.
    """
    counts = load("rights_counts") if counts is None else counts
    require_columns(counts, COUNT_COLUMNS, "former_officials_chart")
    rows = _rows(counts, ["unama_period"], "former_officials_chart")
    rows = rows[rows["subject"] == "former_officials_and_security_forces"].copy()
    if rows.empty:
        raise ChartDataError("former_officials_chart found no UNAMA rows for former officials "
                             "and security forces.")
    measures = [m for m in FORMER_ORDER if m in set(rows["measure"])]
    measures += [m for m in dict.fromkeys(rows["measure"]) if m not in measures]
    periods = (rows[["period_start", "period_end"]].drop_duplicates()
               .sort_values("period_end").itertuples(index=False))
    periods = list(periods)
    width = 0.8 / len(periods)
    xmax = float(rows["value"].max())
    ext = xmax * 0.07

    fig = go.Figure()
    for j, (start, end) in enumerate(periods):
        group = rows[(rows["period_start"] == start) & (rows["period_end"] == end)].copy()
        group["pos"] = [measures.index(m) + (j - (len(periods) - 1) / 2) * width
                        for m in group["measure"]]
        color = PALETTE[j % len(PALETTE)]
        pattern = ["", "/", "x", "."][j % 4]
        fig.add_trace(go.Bar(
            orientation="h", y=group["pos"], x=group["value"].astype(float), width=width * 0.92,
            name=f"Period {day(start)} – {day(end)}",
            marker=dict(color=color, line=dict(width=1, color="#222"),
                        pattern=dict(shape=pattern, fgcolor="#222", size=6, fillmode="overlay")),
            # An "at least" count is written after its open end (below), not on the bar.
            text=["" if q == "at_least" else count_text(v, q)
                  for v, q in zip(group["value"], group["qualifier"])],
            textposition="outside", constraintext="none", textfont=dict(size=12),
            customdata=[[m, count_text(v, q)] for m, v, q in
                        zip(group["measure"], group["value"], group["qualifier"])],
            hovertemplate="%{customdata[0]}: %{customdata[1]}<extra></extra>",
        ))
        lows = group[group["qualifier"] == "at_least"]
        for r in lows.itertuples():
            fig.add_trace(go.Scatter(
                x=[float(r.value), float(r.value) + ext], y=[r.pos, r.pos],
                mode="lines+markers+text", legendgroup="open", showlegend=False,
                text=["", count_text(r.value, r.qualifier)], textposition="middle right",
                textfont=dict(size=12),
                line=dict(color="#222", width=2, dash="dot"),
                marker=dict(symbol=["line-ns", "triangle-right"], size=[1, 12], color="#222"),
                hoverinfo="skip", name="open end",
            ))
    fig.add_trace(go.Scatter(
        x=[None], y=[None], mode="lines+markers", legendgroup="open",
        name="Open end ···▶: 'at least' (the true count may be higher)",
        line=dict(color="#222", width=2, dash="dot"),
        marker=dict(symbol="triangle-right", size=12, color="#222"),
    ))
    labels = [FORMER_LABELS.get(m, MEASURE_LABELS.get(m, m)) for m in measures]
    fig.update_yaxes(tickmode="array", tickvals=list(range(len(measures))), ticktext=labels,
                     autorange="reversed", title_text="")
    fig.update_xaxes(title_text="Instances documented (cumulative)",
                     range=[0, xmax * 1.3], rangemode="tozero")
    fig.update_layout(margin=dict(l=165, r=20))

    latest_start, latest_end = periods[-1]
    latest = rows[(rows["period_end"] == latest_end)]
    desc_rows = " ".join(
        f"{period_text(r.period_start, r.period_end)}: {MEASURE_LABELS.get(r.measure, r.measure).lower()} "
        f"{count_text(r.value, r.qualifier)}." for r in rows.sort_values("period_end").itertuples())
    arrests = latest[latest["measure"] == "arrests"]
    if not arrests.empty:
        a = arrests.iloc[0]
        title = (f"UNAMA documented {count_text(a['value'], a['qualifier'])} arbitrary arrests "
                 f"of former officials and security-force members, "
                 f"{period_text(latest_start, latest_end)}")
    else:
        title = (f"UNAMA's counts of violations against former officials and security forces, "
                 f"{period_text(latest_start, latest_end)}")
    fig = finish(
        fig, [rows],
        title=title,
        alt=(f"Horizontal grouped bar chart of UNAMA's counts of arbitrary arrests, killings, "
             f"torture and disappearances of former officials and security-force members, "
             f"for {len(periods)} report periods starting at the takeover; 'at least' counts "
             f"have a dotted open end with an arrowhead."),
        description=(
            "Both UNAMA reports count from the takeover in August 2021, so the later period "
            "contains the earlier one and its counts include the earlier ones; the difference "
            "is not a count of new cases, because cases from the earlier months may have been "
            "documented later. Bars with a dotted extension and an arrowhead are counts that "
            "UNAMA gave as 'at least' or 'more than'. The 'all violations' bar includes the "
            "other rows of its period. The de facto authorities dispute UNAMA's findings. "
            + desc_rows
        ),
        table=table_payload(rows.assign(period=[period_text(s, e) for s, e in zip(
            rows["period_start"], rows["period_end"])]),
            ["measure", "period", "value", "qualifier", "confidence", "source_id"]),
        plot_height=60 * len(measures) + 40,
    )
    return fig


# ---------------------------------------------------------------------------------------
# 5. Protests dispersed or broken up: counts only
# ---------------------------------------------------------------------------------------

EVENT_LABELS = {
    "dispersed": "dispersed",
    "arrests": "protesters arrested",
    "dispersed_and_arrests": "dispersed, with arrests",
}


def protests_chart(events: pd.DataFrame | None = None) -> go.Figure:
    """Participants (approximate) and arrests at each recorded protest: counts only.

    City-level places, no names. A count that was not reported is written as "not
    reported" and drawn as nothing, never as zero.
    """
    events = load("protest_events") if events is None else events
    require_columns(events, ["date", "geography", "event_type", "participants_approx",
                             "arrested", "force_reported", "source_id"], "protests_chart")
    events = events.sort_values("date").reset_index(drop=True)
    def label(r) -> str:
        text = f"{day(r.date)}, {r.geography}<br>{EVENT_LABELS.get(r.event_type, r.event_type)}"
        if not pd.isna(r.force_reported) and str(r.force_reported):
            text += "<br>" + wrap(f"force reported: {str(r.force_reported).replace('; ', ', ')}", 26)
        return text

    events["x"] = [label(r) for r in events.itertuples()]

    def num(v):
        return None if pd.isna(v) else float(v)

    fig = go.Figure()
    part = [num(v) for v in events["participants_approx"]]
    arr = [num(v) for v in events["arrested"]]
    fig.add_trace(go.Bar(
        x=events["x"], y=part, name="Participants (approximate: 'about')",
        marker=dict(color=PALETTE[0], line=dict(width=1, color="#222"),
                    pattern=dict(shape=".", fgcolor="#222", size=6, fillmode="overlay")),
        text=["not reported" if v is None else f"about {int(v):,}" for v in part],
        textposition="outside", hovertemplate="%{x}: %{text} participants<extra></extra>",
    ))
    fig.add_trace(go.Bar(
        x=events["x"], y=[0 if v is None else v for v in arr],
        name="Arrested (as reported)",
        marker=dict(color=PALETTE[1], line=dict(width=1, color="#222"),
                    pattern=dict(shape="/", fgcolor="#222", size=6, fillmode="overlay"),
                    opacity=[0 if v is None else 1 for v in arr]),
        text=["arrests not reported" if v is None else f"{int(v):,} arrested" for v in arr],
        textposition="outside", hovertemplate="%{x}: %{text}<extra></extra>",
    ))
    top = max([v for v in part + arr if v is not None] or [1.0])
    fig.update_yaxes(title_text="People (count)", range=[0, top * 1.3])
    fig.update_xaxes(title_text="")
    fig.update_layout(barmode="group", margin=dict(l=80, r=30))

    n = len(events)
    places = sorted(set(events["geography"]))
    desc = ". ".join(
        f"{day(r.date)}, {r.geography}: about {int(r.participants_approx):,} participants"
        if not pd.isna(r.participants_approx) else f"{day(r.date)}, {r.geography}: participants not reported"
        for r in events.itertuples())
    fig = finish(
        fig, [events],
        title=(f"The data hold {n} protest events, all in {', '.join(places)}: "
               f"no systematic count of protests exists"),
        alt=(f"Grouped bar chart of {n} protest events in {', '.join(places)}: approximate "
             f"participants and the number arrested, with the force reported written below."),
        description=(
            "Each pair of bars is one protest that was dispersed or broken up, recorded at "
            "city level with counts only and no names. Participant numbers are approximate. "
            "Where arrests were not reported, no bar is drawn and the label says so; it is "
            "not a zero. " + desc + ". These are single events found in the sources; they are "
            "not a count of all protests, which nobody publishes."
        ),
        table=table_payload(events, ["date", "geography", "event_type", "participants_approx",
                                     "arrested", "force_reported", "confidence", "source_id"]),
        plot_height=330,
    )
    return fig
