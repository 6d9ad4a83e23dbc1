"""Charts for chapter 3, the threat: IS-Khorasan and Kabul.

Every estimate here is contested, so every builder keeps the disagreement visible:

* :func:`strength_chart` draws each UN-reported strength estimate as a low-high bar, with
  the unit (fighters, members, fighters and family members) carried by marker, fill
  pattern and label, the 2023 change of unit annotated, and competing ranges from one
  report side by side;
* :func:`provinces_chart` keeps the two province-level measures (fighters present, claimed
  attacks) in separate panels, and draws a "fewer than" figure as an upper bound;
* :func:`attacks_chart` puts major attacks in Kabul on a timeline, the death toll of each
  drawn as an error bar from the lowest to the highest reported count;
* :func:`counts_chart` gives every counting series its own bars (one trace per series),
  never one line across sources or definitions;
* :func:`cctv_investigation_chart` shows how often camera footage was available and useful
  to investigators in the one large study the data holds.
"""

from __future__ import annotations

import math
import re

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ..data import load
from .theme import (PALETTE, SYMBOLS, ChartDataError, finish, wrap, require_columns,
                    table_payload)

# ---------------------------------------------------------------------------------------
# Shared helpers
# ---------------------------------------------------------------------------------------

PLOT_PX = 360
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

# Units of the strength estimates: a fixed style for each, so the legend reads the same
# whichever rows are drawn. Colour, marker symbol and fill pattern all differ.
UNIT_LABELS = {
    "fighters": "Fighters",
    "members": "Members",
    "fighters_and_family": "Fighters and family members",
}
UNIT_STYLE = {
    "fighters": dict(color=PALETTE[0], symbol=SYMBOLS[0], pattern="", ends="circles"),
    "members": dict(color=PALETTE[2], symbol=SYMBOLS[2], pattern=".", ends="diamonds"),
    "fighters_and_family": dict(color=PALETTE[1], symbol=SYMBOLS[1], pattern="/",
                                ends="squares"),
}
ESTIMATE_LABELS = {
    "member_state_range": "range reported by member states",
    "single_estimate": "single figure",
    "competing_ranges": "one of two competing ranges in the same report",
}
TARGET_LABELS = {
    "religious_site": "Religious site",
    "religious_gathering": "Religious gathering",
    "school": "School",
    "education_centre": "Education centre",
    "street_market": "Street or market",
    "sports_club": "Sports club",
    "public_transport": "Public transport",
    "airport": "Airport",
    "hospital": "Hospital",
    "diplomatic_mission": "Diplomatic mission",
    "government_ministry": "Government ministry",
    "hotel": "Hotel",
    "other": "Other",
}
# Who was attacked, as the sources describe it: the chart's legend, so that the campaign
# against Hazara and Shia Afghans is visible at a glance (groups, never individuals).
TARGET_GROUP_LABELS = {
    "hazara_shia": "Hazara and Shia civilians",
    "sikh": "Sikh worshippers",
    "evacuees_and_foreign_forces": "Evacuees and foreign troops",
    "foreign_nationals": "Foreign nationals",
    "state_institutions": "Taliban state institutions",
    "other": "Other",
}
MEASURE_LABELS = {
    "fighters_present": "Fighters present",
    "claimed_attacks": "Claimed attacks",
}
QUALIFIER_WORDS = {"exact": "", "approx": "about ", "at_least": "at least ",
                   "fewer_than": "fewer than "}
PATTERNS = ["", "/", ".", "x", "\\", "+", "-"]


def month_label(yearmonth: str) -> str:
    """'2023-07' -> 'Jul 2023'."""
    text = str(yearmonth)
    if not re.fullmatch(r"\d{4}-\d{2}", text):
        raise ValueError(f"Expected a month as YYYY-MM, got {text!r}.")
    return f"{MONTHS[int(text[5:]) - 1]} {text[:4]}"


def period_label(start: str, end: str) -> str:
    """A readable label for a period given as two months: '2021', 'Jan–Oct 2023', 'Sep 2019'."""
    start, end = str(start), str(end)
    if start == end:
        return month_label(start)
    if start[:4] == end[:4]:
        if start[5:] == "01" and end[5:] == "12":
            return start[:4]
        return f"{MONTHS[int(start[5:]) - 1]}–{MONTHS[int(end[5:]) - 1]} {start[:4]}"
    return f"{month_label(start)} – {month_label(end)}"


def _short_report(report: str) -> str:
    """A tick label for a UN report: 'MT 32nd', 'SG 17th', 'SG', or 'UN (doc. not named)'."""
    ordinal = re.search(r"\b(\d+(?:st|nd|rd|th))\b", report)
    num = f" {ordinal.group(1)}" if ordinal else ""
    if "Monitoring Team" in report:
        return f"MT{num}"
    if "Secretary-General" in report:
        return f"SG{num}"
    if "not identified" in report or "not named" in report:
        return "unnamed"
    return "UN report"


def _int(v) -> int:
    return int(v)


def _present(frame: pd.DataFrame, columns: list[str]) -> list[str]:
    """The columns of ``columns`` that ``frame`` has: optional ones drop out of tables."""
    return [c for c in columns if c in frame.columns]


# ---------------------------------------------------------------------------------------
# 1. Strength estimates as ranges
# ---------------------------------------------------------------------------------------

def strength_chart(strength: pd.DataFrame | None = None) -> go.Figure:
    """UN-reported estimates of IS-Khorasan's strength, one low-high bar per estimate.

    Reports are placed in date order. Each range is a bar from its low to its high value;
    a single published figure is a marker. The unit (fighters, members, fighters and
    family members) is carried by colour, fill pattern and marker symbol and named in the
    legend, and the first estimate that counts family members is annotated. Competing
    ranges from the same report stand side by side: they are never averaged.
    """
    strength = load("iskp_strength") if strength is None else strength
    require_columns(strength, ["report", "report_date", "low", "high", "unit",
                               "estimate_type", "source_id", "note"], "strength_chart")
    df = strength.copy()
    bad = df[df["low"] > df["high"]]
    if not bad.empty:
        raise ChartDataError(
            f"strength_chart: low is above high in {len(bad)} row(s) "
            f"({', '.join(bad['report'].astype(str))}); a range must run from low to high.")
    df = df.sort_values(["report_date", "report", "low"], kind="stable").reset_index(drop=True)

    # One x position per report (report and date together), in date order.
    keys = list(dict.fromkeys(zip(df["report_date"], df["report"])))
    position = {k: i for i, k in enumerate(keys)}
    df["pos"] = [position[k] for k in zip(df["report_date"], df["report"])]
    df["n_in_report"] = df.groupby("pos")["pos"].transform("size")
    df["k_in_report"] = df.groupby("pos").cumcount()
    width = 0.3
    df["x"] = df["pos"] + (df["k_in_report"] - (df["n_in_report"] - 1) / 2) * (width + 0.06)
    df["bar_width"] = df["n_in_report"].map(lambda n: width if n > 1 else 0.46)
    df["is_range"] = df["high"] > df["low"]
    df["unit_label"] = df["unit"].map(lambda u: UNIT_LABELS.get(u, str(u)))
    df["type_label"] = df["estimate_type"].map(lambda t: ESTIMATE_LABELS.get(t, str(t)))
    df["when"] = df["report_date"].map(month_label)
    df["figure_text"] = [f"{_int(lo):,} to {_int(hi):,}" if r else f"{_int(lo):,}"
                         for lo, hi, r in zip(df["low"], df["high"], df["is_range"])]
    df["note_text"] = df["note"].fillna("").astype(str)

    fig = go.Figure()
    hover = ("<b>%{customdata[0]}</b><br>%{customdata[1]} %{customdata[2]}"
             "<br>(%{customdata[3]})<br>%{customdata[4]}<extra></extra>")
    custom_cols = ["report", "figure_text", "unit_label", "type_label", "note_text"]
    units = [u for u in UNIT_STYLE if u in set(df["unit"])] + \
        sorted(set(df["unit"]) - set(UNIT_STYLE))
    for j, unit in enumerate(units):
        style = UNIT_STYLE.get(unit, dict(color=PALETTE[(j + 3) % len(PALETTE)],
                                          symbol=SYMBOLS[(j + 3) % len(SYMBOLS)], pattern="x",
                                          ends="markers"))
        label = UNIT_LABELS.get(unit, str(unit))
        rows = df[df["unit"] == unit]
        ranges = rows[rows["is_range"]]
        singles = rows[~rows["is_range"]]
        if not ranges.empty:
            fig.add_trace(go.Bar(
                x=ranges["x"], base=ranges["low"].astype(float),
                y=(ranges["high"] - ranges["low"]).astype(float), width=ranges["bar_width"],
                name=f"{label}: range, low to high ({style['ends']} at the ends)",
                legendgroup=unit,
                marker=dict(color=style["color"], opacity=0.55,
                            line=dict(color=style["color"], width=2),
                            pattern=dict(shape=style["pattern"], fgcolor="#222222",
                                         fgopacity=0.6, size=7, fillmode="overlay")),
                customdata=ranges[custom_cols].astype(str).to_numpy(),
                hovertemplate=hover,
            ))
            # The unit's marker at both ends of each bar, so the unit reads without colour.
            ends = pd.concat([ranges.assign(y=ranges["low"]), ranges.assign(y=ranges["high"])])
            fig.add_trace(go.Scatter(
                x=ends["x"], y=ends["y"].astype(float), mode="markers", legendgroup=unit,
                name=f"{label}: range ends", showlegend=False,
                marker=dict(size=10, color=style["color"], symbol=style["symbol"],
                            line=dict(width=1, color="#222222")),
                customdata=ends[custom_cols].astype(str).to_numpy(), hovertemplate=hover,
            ))
        if not singles.empty:
            fig.add_trace(go.Scatter(
                x=singles["x"], y=singles["low"].astype(float), mode="markers",
                name=f"{label}: single figure", legendgroup=unit,
                marker=dict(size=15, color=style["color"], symbol=style["symbol"],
                            line=dict(width=1.5, color="#222222")),
                customdata=singles[custom_cols].astype(str).to_numpy(), hovertemplate=hover,
            ))

    top = float(df["high"].max())
    # Mark the change of unit: the first report that counts family members.
    family = df[df["unit"] == "fighters_and_family"]
    if not family.empty:
        first = family.iloc[0]
        x_line = first["pos"] - 0.5
        fig.add_shape(type="line", x0=x_line, x1=x_line, y0=0, y1=1, yref="paper",
                      line=dict(color="#444444", width=1.5, dash="dash"))
        fig.add_annotation(
            x=x_line, y=top * 1.16, xanchor="right", yanchor="middle", align="right", xshift=-6,
            showarrow=False, font=dict(size=12, color="#222222"),
            text=(f"From {first['when']} the UN figure counts<br>"
                  f"<b>fighters and family members</b>:<br>not comparable with "
                  f"fighter-only bars"),
        )
    # Point out competing ranges published in one report.
    competing = df[(df["n_in_report"] > 1) & (df["estimate_type"] == "competing_ranges")]
    for pos, group in competing.groupby("pos"):
        fig.add_annotation(
            x=float(pos), y=float(group["high"].max()), yshift=6, yanchor="bottom",
            showarrow=False, font=dict(size=11, color="#222222"),
            text="two competing<br>ranges, one report",
        )

    ticks = [f"{month_label(d)}<br>{_short_report(r)}" for d, r in keys]
    fig.update_xaxes(tickvals=list(range(len(keys))), ticktext=ticks,
                     range=[-0.6, len(keys) - 0.4], showgrid=False, tickfont=dict(size=10),
                     title_standoff=24)
    fig.update_yaxes(range=[0, top * 1.3], tickformat=",")
    fig.update_layout(barmode="overlay", bargap=0, margin=dict(l=80, r=30),
                      legend=dict(tracegroupgap=0))

    fighters = df[df["unit"] == "fighters"]
    n_units = df["unit"].nunique()
    title = (f"UN-reported estimates of IS-Khorasan's strength run from "
             f"{_int(df['low'].min()):,} to {_int(df['high'].max()):,}, in {n_units} "
             f"different units, and rival ranges sit in the same report")
    per_row = " ".join(
        f"{r.when}, {r.report}: {r.figure_text} {r.unit_label.lower()} ({r.type_label})."
        for r in df.itertuples())
    description = (
        f"Each bar runs from the lowest to the highest figure in one UN-reported estimate "
        f"of IS-Khorasan's strength in Afghanistan; a marker alone is a single published "
        f"figure. {len(keys)} reports are placed in date order, not to a time scale. "
        + (f"Fighter-only estimates range from {_int(fighters['low'].min()):,} to "
           f"{_int(fighters['high'].max()):,}. " if not fighters.empty else "")
        + (f"From {family.iloc[0]['when']} the figure counts fighters and family members "
           f"together, a different unit. " if not family.empty else "")
        + per_row)
    fig = finish(
        fig, [strength],
        title=title,
        alt=(f"Range chart: {len(df)} estimates of IS-Khorasan's strength from {len(keys)} "
             f"UN-reported sources, {month_label(keys[0][0])} to {month_label(keys[-1][0])}, "
             f"drawn as low-to-high bars with the unit shown by marker and pattern."),
        description=description,
        table=table_payload(df, _present(df, ["report", "report_date", "low", "high", "unit",
                                              "estimate_type", "confidence", "source_id"])),
        x_title="UN report, in date order (not to time scale)",
        y_title="Estimated strength (people)",
        plot_height=PLOT_PX,
    )
    return fig


# ---------------------------------------------------------------------------------------
# 2. Where the group is: two measures, two panels
# ---------------------------------------------------------------------------------------

def provinces_chart(provinces: pd.DataFrame | None = None) -> go.Figure:
    """Province figures for IS-Khorasan, one panel per measure.

    Fighters present (UN reports) and claimed attacks (open-source monitoring) are
    different measures from different sources, so they get separate panels and axes.
    A "fewer than" figure is drawn as a hatched bar from zero to its bound: the true value
    lies anywhere in that range. Where a source gives the national total, it is drawn
    beside the province as an outlined bar.
    """
    provinces = load("iskp_provinces") if provinces is None else provinces
    require_columns(provinces, ["province", "period_start", "period_end", "measure", "value",
                                "qualifier", "of_total", "source_id"], "provinces_chart")
    df = provinces.copy()
    measures = list(dict.fromkeys(m for m in MEASURE_LABELS if m in set(df["measure"])))
    measures += sorted(set(df["measure"]) - set(measures))
    df["measure_order"] = df["measure"].map(measures.index)
    df = df.sort_values(["measure_order", "period_start", "province"], kind="stable")
    df["period"] = [period_label(s, e) for s, e in zip(df["period_start"], df["period_end"])]
    # Where a panel covers one period, the period goes in its title and the bars are
    # labelled by province alone; otherwise each bar carries its own period.
    one_period = df.groupby("measure")["period"].transform("nunique") == 1
    df["category"] = [p if single else f"{p}<br>{per}" for p, per, single
                      in zip(df["province"].astype(str), df["period"], one_period)]
    df["total_category"] = ["Afghanistan" if single else f"Afghanistan<br>{per}"
                            for per, single in zip(df["period"], one_period)]
    df["label"] = [f"{QUALIFIER_WORDS.get(q, '')}{v:,.0f}"
                   for q, v in zip(df["qualifier"], df["value"])]
    # On the bars the qualifier goes on its own line, so narrow bars keep their labels apart.
    df["bar_label"] = [f"{QUALIFIER_WORDS.get(q, '').strip()}<br>{v:,.0f}"
                       if QUALIFIER_WORDS.get(q) else f"{v:,.0f}"
                       for q, v in zip(df["qualifier"], df["value"])]

    titles = []
    for m in measures:
        rows = df[df["measure"] == m]
        label = MEASURE_LABELS.get(m, m)
        titles.append(f"{label}, {rows['period'].iloc[0]}" if rows["period"].nunique() == 1
                      else label)
    fig = make_subplots(rows=1, cols=len(measures), subplot_titles=titles,
                        horizontal_spacing=0.17)
    legend_done: set[str] = set()

    def add(kind, x, y, text, col, name, style, custom):
        fig.add_trace(go.Bar(
            x=x, y=y, text=text, textposition="outside", name=name, legendgroup=kind,
            showlegend=kind not in legend_done, cliponaxis=False, constraintext="none",
            textfont=dict(size=12),
            marker=style, customdata=custom,
            hovertemplate="%{x}: %{text}<br>%{customdata}<extra></extra>",
        ), row=1, col=col)
        legend_done.add(kind)

    for c, m in enumerate(measures, start=1):
        rows = df[df["measure"] == m]
        measure_word = MEASURE_LABELS.get(m, m).lower()
        # National totals from the same source, once per period.
        totals = rows.dropna(subset=["of_total"]).drop_duplicates(["period", "of_total"])
        order = list(dict.fromkeys(list(rows["category"]) + list(totals["total_category"])))
        bounded = rows["qualifier"] == "fewer_than"
        plain = rows[~bounded]
        if not plain.empty:
            add("province", plain["category"], plain["value"], plain["bar_label"], c,
                "Province figure", dict(color=PALETTE[0], line=dict(color="#222222", width=1)),
                (measure_word + "; " + plain["qualifier"].astype(str)).to_numpy())
        upper = rows[bounded]
        if not upper.empty:
            add("bound", upper["category"], upper["value"], upper["bar_label"], c,
                "Upper bound ('fewer than'): the true figure is below the top",
                dict(color="white", line=dict(color=PALETTE[0], width=2),
                     pattern=dict(shape="/", fgcolor=PALETTE[0], size=8, fillmode="overlay")),
                [f"{measure_word}; upper bound"] * len(upper))
        if not totals.empty:
            add("total", totals["total_category"],
                totals["of_total"], [f"all:<br>{v:,.0f}" for v in totals["of_total"]], c,
                "National total in the same source",
                dict(color="#dddddd", line=dict(color="#222222", width=1.5),
                     pattern=dict(shape=".", fgcolor="#444444", size=6, fillmode="overlay")),
                [f"{measure_word}; national total"] * len(totals))
        fig.update_xaxes(categoryorder="array", categoryarray=order, row=1, col=c,
                         tickfont=dict(size=10))
        fig.update_yaxes(title_text=f"{MEASURE_LABELS.get(m, m)} (count)", tickformat=",",
                         rangemode="tozero", row=1, col=c)
        ymax = float(max(rows["value"].max(), totals["of_total"].max() if not totals.empty else 0))
        fig.update_yaxes(range=[0, ymax * 1.18], row=1, col=c)
    fig.update_layout(barmode="group", margin=dict(l=70, r=20),
                      legend=dict(tracegroupgap=0), uniformtext=dict(minsize=12, mode="show"))

    parts = []
    share_text = ""
    fp = df[(df["measure"] == "fighters_present") & df["of_total"].notna()]
    if not fp.empty:
        top = fp.assign(share=fp["value"] / fp["of_total"]).sort_values("share").iloc[-1]
        share_text = (f"about {top['share']:.0%} of the UN's fighter estimate was in "
                      f"{top['province']} ({top['period']})")
        parts.append(share_text)
    ca = df[df["measure"] == "claimed_attacks"]
    if not ca.empty:
        top_a = ca.sort_values("value").iloc[-1]
        parts.append(f"{top_a['province']} had the most claimed attacks ({top_a['period']})")
    title = "Two measures, two maps: " + "; ".join(parts) if parts else \
        "IS-Khorasan by province, one panel per measure"
    description = (
        "Separate panels, because the measures differ: "
        + ", then ".join(MEASURE_LABELS.get(m, m).lower() for m in measures)
        + ", each with its own axis. "
        + " ".join(f"{r.province}, {r.period}: {r.label} "
                   f"{MEASURE_LABELS.get(r.measure, r.measure).lower()}"
                   + (f" (of {r.of_total:,.0f} nationally in the same source)"
                      if pd.notna(r.of_total) else "") + "."
                   for r in df.itertuples())
        + " A 'fewer than' figure is an upper bound: the true number lies between zero "
          "and the bar's top.")
    fig = finish(
        fig, [provinces],
        title=title,
        alt=(f"Bar chart in {len(measures)} panels: IS-Khorasan fighters present and "
             f"claimed attacks by province, each beside the national total from the same "
             f"source."),
        description=description,
        table=table_payload(df, _present(df, ["province", "period_start", "period_end",
                                              "measure", "value", "qualifier", "of_total",
                                              "confidence", "source_id"])),
        plot_height=PLOT_PX,
    )
    return fig


# ---------------------------------------------------------------------------------------
# 3. Major attacks in Kabul: a timeline with contested tolls as error bars
# ---------------------------------------------------------------------------------------

def attacks_chart(attacks: pd.DataFrame | None = None,
                  events: pd.DataFrame | None = None) -> go.Figure:
    """Major attacks in Kabul over time, each toll an error bar from lowest to highest report.

    The marker sits at the lowest reported death toll and the bar reaches the highest;
    the group targeted is shown by marker symbol (and colour) and named in the legend; the
    type of place and who claimed the attack are in the hover text and the data table. A
    dashed line marks the Taliban's takeover of Kabul, read from the case timeline.
    """
    attacks = load("kabul_attacks") if attacks is None else attacks
    require_columns(attacks, ["date", "target_type", "target_group", "location", "deaths_low",
                              "deaths_high", "claimed_by", "attribution", "source_id"],
                    "attacks_chart")
    df = attacks.copy()
    bad = df[df["deaths_low"] > df["deaths_high"]]
    if not bad.empty:
        raise ChartDataError(f"attacks_chart: deaths_low is above deaths_high in "
                             f"{len(bad)} row(s); a range must run from low to high.")
    df["when"] = pd.to_datetime(df["date"])
    df = df.sort_values("when").reset_index(drop=True)
    df["toll"] = [f"{_int(lo):,} to {_int(hi):,}" if hi > lo else f"{_int(lo):,}"
                  for lo, hi in zip(df["deaths_low"], df["deaths_high"])]
    df["target_label"] = df["target_type"].map(lambda t: TARGET_LABELS.get(t, str(t)))
    df["group_label"] = df["target_group"].map(lambda g: TARGET_GROUP_LABELS.get(g, str(g)))

    frames = [attacks]
    takeover = None
    if events is None:
        events = load("case_timeline")
    if events is not False:
        require_columns(events, ["date", "event", "actor", "kind", "source_id"],
                        "attacks_chart (events)")
        hit = events[(events["kind"] == "political") & (events["actor"] == "Taliban")]
        if not hit.empty:
            takeover = hit.iloc[[0]]
            frames.append(takeover)

    fig = go.Figure()
    groups = list(dict.fromkeys(g for g in TARGET_GROUP_LABELS if g in set(df["target_group"])))
    groups += sorted(set(df["target_group"]) - set(groups))
    for i, group in enumerate(groups):
        rows = df[df["target_group"] == group]
        color = PALETTE[i % len(PALETTE)]
        fig.add_trace(go.Scatter(
            x=rows["when"], y=rows["deaths_low"].astype(float), mode="markers",
            name=TARGET_GROUP_LABELS.get(group, str(group)),
            marker=dict(size=13, color=color, symbol=SYMBOLS[i % len(SYMBOLS)],
                        line=dict(width=1, color="#222222")),
            error_y=dict(type="data", symmetric=False,
                         array=(rows["deaths_high"] - rows["deaths_low"]).astype(float).tolist(),
                         arrayminus=[0.0] * len(rows), width=9, thickness=2.5, color=color),
            customdata=rows[["location", "toll", "claimed_by", "attribution",
                             "target_label", "group_label"]].astype(str).to_numpy(),
            hovertemplate=("<b>%{x|%d %b %Y}</b>: %{customdata[0]}<br>"
                           "Deaths reported: %{customdata[1]}<br>"
                           "Target: %{customdata[4]}; %{customdata[5]}<br>"
                           "Responsibility: %{customdata[2]} (%{customdata[3]})"
                           "<extra></extra>"),
        ))
    # The range as text at the top of each bar, so it reads without hovering.
    # Labels go right of the bar's top, or left when the next attack is close in time;
    # a single figure gets more room so the label clears its marker.
    gap_next = df["when"].shift(-1) - df["when"]
    left = gap_next.notna() & (gap_next < pd.Timedelta(days=45))
    pad = ["\u2003" if hi == lo else "\u2002"
           for lo, hi in zip(df["deaths_low"], df["deaths_high"])]
    fig.add_trace(go.Scatter(
        x=df["when"], y=df["deaths_high"].astype(float), mode="text",
        text=[f"{t}{p}" if lf else f"{p}{t}" for t, p, lf in zip(df["toll"], pad, left)],
        textposition=["middle left" if lf else "middle right" for lf in left],
        textfont=dict(size=12, color="#222222"),
        showlegend=False, hoverinfo="skip", name="reported range",
    ))
    if takeover is not None:
        row = takeover.iloc[0]
        when = pd.to_datetime(row["date"])
        fig.add_shape(type="line", x0=when, x1=when, y0=0, y1=1, yref="paper",
                      line=dict(color="#444444", width=1.5, dash="dash"))
        fig.add_annotation(x=when, y=0, yref="paper", xanchor="right", yanchor="bottom",
                           xshift=-5, yshift=4, showarrow=False, align="right",
                           font=dict(size=12),
                           text=f"{str(row['event']).split(';')[0]}<br>({when:%b %Y})")
    lo, hi = float(df["deaths_low"].min()), float(df["deaths_high"].max())
    ticks = [v for v in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000)
             if max(lo, 1) / 1.8 <= v <= hi * 2.2]
    fig.update_yaxes(type="log", range=[math.log10(max(lo, 1) / 1.8), math.log10(hi * 2.2)],
                     tickvals=ticks, ticktext=[f"{v:,}" for v in ticks])
    start, end = df["when"].min(), df["when"].max()
    edge = pd.Timedelta(days=75)
    fig.update_xaxes(range=[start - edge, end + edge])
    fig.add_annotation(
        text="Marker: lowest reported death toll.<br>Bar: up to the highest reported toll.",
        xref="paper", yref="paper", x=0, y=1.0, yshift=18, xanchor="left",
        yanchor="bottom", align="left", showarrow=False, font=dict(size=12, color="#444444"))
    fig.update_layout(margin=dict(l=80, r=30))

    spread = (df["deaths_high"] - df["deaths_low"])
    widest = df.loc[spread.idxmax()]
    claimed = df["claimed_by"].eq("ISKP") & df["attribution"].eq("claimed")
    hazara = df[df["target_group"] == "hazara_shia"]
    title = (f"{len(df)} major attacks in Kabul, {start.year}–{end.year}"
             + (f", {len(hazara)} of them on Hazara and Shia civilians" if len(hazara) else "")
             + f": reported death tolls for one attack run from "
             f"{_int(widest['deaths_low']):,} to {_int(widest['deaths_high']):,}")
    description = (
        f"A timeline of {len(df)} major attacks in Kabul from {start:%B %Y} to {end:%B %Y}, "
        + ("all claimed by IS-Khorasan. " if claimed.all()
           else f"{int(claimed.sum())} of them claimed by IS-Khorasan, the others unclaimed. ")
        + (f"{len(hazara)} targeted Hazara and Shia civilians. " if len(hazara) else "")
        + "Each marker is the lowest "
        "reported death toll and its bar reaches the highest; the marker's shape is the group "
        "targeted; the vertical axis is logarithmic. "
        + " ".join(f"{r.when:%d %b %Y}, {r.target_label.lower()} ({r.location}), "
                   f"{r.group_label.lower()}: "
                   f"{r.toll} deaths reported; responsibility: {r.claimed_by} "
                   f"({r.attribution})." for r in df.itertuples())
        + (f" The dashed line marks the Taliban takeover of Kabul "
           f"({pd.to_datetime(takeover.iloc[0]['date']):%d %B %Y})."
           if takeover is not None else ""))
    table = df.assign(date_shown=df["when"].dt.strftime("%Y-%m-%d"))
    fig = finish(
        fig, frames,
        title=title,
        alt=(f"Timeline with error bars: death tolls of {len(df)} major attacks in Kabul, "
             f"{start.year} to {end.year}, each drawn from the lowest to the highest "
             f"reported count, marker shape showing the group targeted."),
        description=description,
        table=table_payload(table, _present(table, [
            "date_shown", "target_type", "target_group", "location", "deaths_low",
            "deaths_high", "claimed_by", "attribution", "confidence", "source_id"])),
        x_title="Date of attack",
        y_title="Deaths reported (log scale)",
        plot_height=PLOT_PX,
    )
    return fig


# ---------------------------------------------------------------------------------------
# 4. Attack and death counts: one trace per series, never joined
# ---------------------------------------------------------------------------------------

UNIT_PANEL_LABELS = {"attacks": "Attacks (count)", "deaths": "Deaths (count)"}


def counts_chart(counts: pd.DataFrame | None = None) -> go.Figure:
    """Counts of attacks and deaths, one bar trace per series, one panel per unit.

    Each source counts something different (claims of responsibility, deaths from
    non-state terrorism, deaths attributed to one group, one province), over different
    periods. They are drawn as separate labelled bars and never joined into one line.
    Series whose note records a definitional break get that note on the chart.
    """
    counts = load("attack_counts") if counts is None else counts
    require_columns(counts, ["series", "series_label", "definition", "geography",
                             "period_start", "period_end", "value", "unit", "source_id"],
                    "counts_chart")
    df = counts.copy()
    df["period"] = [period_label(s, e) for s, e in zip(df["period_start"], df["period_end"])]
    df = df.sort_values(["period_start", "series"], kind="stable")
    units = [u for u in UNIT_PANEL_LABELS if u in set(df["unit"])]
    units += sorted(set(df["unit"]) - set(units))
    titles = [f"{UNIT_PANEL_LABELS.get(u, u).split(' (')[0]} counted" for u in units]
    fig = make_subplots(rows=1, cols=len(units), subplot_titles=titles,
                        horizontal_spacing=0.12)
    series = list(dict.fromkeys(df["series"]))
    for i, s in enumerate(series):
        rows = df[df["series"] == s]
        unit = rows["unit"].iloc[0]
        col = units.index(unit) + 1
        fig.add_trace(go.Bar(
            x=rows["period"], y=rows["value"].astype(float), name=str(rows["series_label"].iloc[0]),
            offsetgroup=s, text=[f"{_int(v):,}" for v in rows["value"]], textposition="outside",
            cliponaxis=False,
            marker=dict(color=PALETTE[i % len(PALETTE)], line=dict(color="#222222", width=1),
                        pattern=dict(shape=PATTERNS[i % len(PATTERNS)], fgcolor="#ffffff",
                                     size=7, fillmode="overlay")),
            customdata=rows[["definition", "geography"]].astype(str).to_numpy(),
            hovertemplate=("<b>%{fullData.name}</b><br>%{x}: %{y:,}<br>"
                           "Counts: %{customdata[0]}<br>Area: %{customdata[1]}<extra></extra>"),
        ), row=1, col=col)
    for c, unit in enumerate(units, start=1):
        rows = df[df["unit"] == unit]
        order = list(dict.fromkeys(rows.sort_values("period_start")["period"]))
        fig.update_xaxes(type="category", categoryorder="array", categoryarray=order,
                         title_text="Period", row=1, col=c)
        fig.update_yaxes(title_text=UNIT_PANEL_LABELS.get(unit, unit), tickformat=",",
                         range=[0, float(rows["value"].max()) * 1.45], row=1, col=c)
    breaks = df[df["note"].fillna("").str.contains("definitional break", case=False)] \
        if "note" in df.columns else df.iloc[0:0]
    if not breaks.empty:
        b = breaks.iloc[0]
        col = units.index(b["unit"]) + 1
        axis = "" if col == 1 else str(col)
        fig.add_annotation(
            text="<b>Definitional break:</b><br>" + wrap(str(b["note"]).split(" (")[0], 38),
            xref=f"x{axis} domain", yref=f"y{axis} domain", x=0.02, y=1.0, xanchor="left",
            yanchor="top", showarrow=False, align="left", font=dict(size=11),
            bgcolor="rgba(255,255,255,0.85)")
    fig.update_layout(barmode="group", bargap=0.25, margin=dict(l=80, r=30))

    n_sources = len({sid for ids in df["source_id"] for sid in str(ids).split(";")})
    n_defs = df["definition"].nunique()
    title = (f"{len(df)} counts from {n_sources} sources use {n_defs} different definitions: "
             f"separate bars, not one trend")
    description = (
        f"Bar chart of {len(df)} counts in {len(series)} series, one colour and pattern per "
        f"series, in separate panels for attacks and deaths. "
        + " ".join(f"{r.series_label}, {r.period} ({r.geography}): {_int(r.value):,} "
                   f"{r.unit}; counts {r.definition}." for r in df.itertuples())
        + " The series differ in what they count and when, so they are not joined.")
    fig = finish(
        fig, [counts],
        title=title,
        alt=(f"Grouped bar chart: {len(df)} counts of IS attacks and terrorism deaths in "
             f"Afghanistan from {len(series)} separately labelled series, attacks and deaths "
             f"in separate panels."),
        description=description,
        table=table_payload(df, _present(df, ["series_label", "definition", "geography",
                                              "period", "value", "unit", "confidence",
                                              "source_id"])),
        plot_height=PLOT_PX,
    )
    return fig


# ---------------------------------------------------------------------------------------
# 5. What cameras did for investigators (detection, not deterrence)
# ---------------------------------------------------------------------------------------

def cctv_investigation_chart(evidence: pd.DataFrame | None = None) -> go.Figure:
    """How often CCTV footage was available and useful to investigators (Ashby 2017).

    Two stacked bars out of 100: all recorded crimes (footage useful / available but not
    useful / not available) and crimes where footage was available (useful / not useful).
    The remainders are derived by subtraction and labelled as derived.
    """
    evidence = load("evidence_cctv") if evidence is None else evidence
    require_columns(evidence, ["study", "setting", "metric", "value", "unit", "finding",
                               "source_id"], "cctv_investigation_chart")
    needed = ["footage_available_pct", "footage_useful_pct", "useful_given_available_pct"]
    rows = evidence[evidence["metric"].isin(needed)]
    missing = [m for m in needed if m not in set(rows["metric"])]
    if missing:
        raise ChartDataError(
            f"cctv_investigation_chart needs rows with metric {', '.join(missing)}, "
            f"which the table lacks.")
    get = {m: float(rows.loc[rows["metric"] == m, "value"].iloc[0]) for m in needed}
    avail, useful, given = (get["footage_available_pct"], get["footage_useful_pct"],
                            get["useful_given_available_pct"])
    study = str(rows["study"].iloc[0])
    setting = str(rows["setting"].iloc[0])
    bars = ["All recorded<br>crimes", "Crimes where<br>footage existed"]
    segments = [
        ("Footage useful to investigators", [useful, given], PALETTE[2], "", "reported"),
        ("Footage available, not judged useful (derived)", [avail - useful, 100 - given],
         PALETTE[4], "/", "derived"),
        ("No footage available (derived)", [100 - avail, None], "#bbbbbb", ".", "derived"),
    ]
    fig = go.Figure()
    for name, values, color, pattern, kind in segments:
        xs = [v for v in values]
        fig.add_trace(go.Bar(
            y=bars, x=xs, orientation="h", name=name,
            text=["" if v is None else f"{v:.0f}%" for v in xs], textposition="inside",
            insidetextanchor="middle", textfont=dict(color="#111111", size=13),
            marker=dict(color=color, line=dict(color="#222222", width=1),
                        pattern=dict(shape=pattern, fgcolor="#333333", size=7, fgopacity=0.4,
                                     fillmode="overlay")),
            hovertemplate=f"%{{y}}<br>{name}: %{{x:.0f}}% ({kind})<extra></extra>",
        ))
    fig.update_layout(barmode="stack", margin=dict(l=130, r=30),
                      legend=dict(traceorder="normal"))
    fig.update_xaxes(range=[0, 100], ticksuffix="%")
    fig.update_yaxes(autorange="reversed")
    table = pd.DataFrame({
        "measure": [r.finding for r in rows.itertuples()]
        + ["Available but not judged useful, all crimes (derived: available minus useful)",
           "No footage available, all crimes (derived: 100 minus available)"],
        "percent": [f"{v:.0f}" for v in rows["value"]]
        + [f"{avail - useful:.0f}", f"{100 - avail:.0f}"],
        "kind": ["reported"] * len(rows) + ["derived", "derived"],
    })
    fig = finish(
        fig, [rows],
        title=(f"On British railways, CCTV footage was available for {avail:.0f}% of recorded "
               f"crimes and useful for {useful:.0f}%: a tool for investigating after the fact"),
        alt=(f"Stacked bar chart: share of crimes where CCTV footage was available "
             f"({avail:.0f}%) and useful ({useful:.0f}%), in {study}."),
        description=(
            f"Two stacked bars from {study} ({setting}). All recorded crimes: footage useful in "
            f"{useful:.0f}%, available but not judged useful in {avail - useful:.0f}% "
            f"(derived), no footage in {100 - avail:.0f}% (derived). Crimes where footage "
            f"existed: useful in {given:.0f}%, not judged useful in {100 - given:.0f}% "
            f"(derived). The study measures help to investigators, not prevention."),
        table=table_payload(table, ["measure", "percent", "kind"]),
        x_title="Share of crimes (%)",
        plot_height=200,
    )
    return fig
