"""Charts for chapter 2, power: can the cameras stay on?

Each builder reads its dataset through :func:`kabulcase.load` unless it is given a table,
refuses a table without the columns it needs, keeps rival series apart (they are never
merged or averaged), draws published ranges as ranges, and ends with
:func:`~kabulcase.figures.theme.finish`, which writes the source note from the rows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ..data import load
from ..models import power as model
from .case import parse_partial_date
from .theme import DASHES, PALETTE, SYMBOLS, ChartDataError, finish, require_columns, table_payload

ACCESS_COLUMNS = ["series", "series_label", "definition", "basis", "geography", "year",
                  "year_note", "value", "low", "high", "source_id"]
IMPORT_COLUMNS = ["year", "year_note", "measure", "supplier", "value", "low", "high", "unit",
                  "basis", "source_id"]
USE_COLUMNS = ["geography", "year", "kwh_per_person", "basis", "source_id"]
SUPPLY_COLUMNS = ["date", "hours_low", "hours_high", "report_type", "context", "source_id"]

DEFINITION_LABELS = {"any_source": "Any source", "grid_connected": "Grid-connected"}
BASIS_LABELS = {"population": "share of people", "households": "share of households"}
IMPORT_BASIS_LABELS = {
    "energy": "Share of electricity used (energy, kWh)",
    "capacity": "Share of capacity needed (MW)",
    "unknown": "Basis not stated",
}
# Horizontal offsets (in years) so that figures on different bases for the same year do
# not hide each other.
IMPORT_DODGE = {"energy": 0.0, "capacity": 0.16, "unknown": -0.16}
REPORT_LABELS = {
    "resident_report": "Residents' reports",
    "official_statement": "Official statement (a target, not a measurement)",
    "news_summary": "News summary",
}
# The live explorer's twin: battery sizes precomputed for the book (scenario inputs, hours).
BATTERY_CASES = (0.0, 2.0, 4.0, 6.0, 8.0, 12.0, 18.0)
SUPPLY_GRID_STEP = 0.5

def _date_label(text: str) -> str:
    """'2023-01' -> 'Jan 2023'; '2023-01-24' -> '24 Jan 2023'."""
    when = parse_partial_date(text)
    return when.strftime("%b<br>%Y") if len(str(text)) == 7 else f"{when.day} {when:%b<br>%Y}"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _pct(x: float) -> str:
    return f"{x:.0f}%" if float(x).is_integer() else f"{x:.1f}%"


# ---------------------------------------------------------------------------------------
# 1. Access: any source (WDI vintages, NRVA) against grid connection, never merged
# ---------------------------------------------------------------------------------------

def access_chart(access: pd.DataFrame | None = None, geography: str = "Afghanistan") -> go.Figure:
    """Access to electricity under every published definition, one trace per series.

    The World Bank's any-source series (one line per vintage) and the grid-connection
    estimates are drawn on the same axes but never joined: they measure different things.
    Ranges (SIGAR's 25-33% style figures) are drawn as error bars from low to high.
    """
    access = load("electricity_access") if access is None else access
    require_columns(access, ACCESS_COLUMNS, "access_chart")
    rows = access[access["geography"] == geography].copy()
    if rows.empty:
        raise ChartDataError(f"access_chart: no rows for geography {geography!r}.")
    rows = rows.sort_values(["definition", "series", "year"])

    fig = go.Figure()
    # Any-source series first (vintages in the order they were published, by last year
    # covered), then grid-connection estimates by year. Colour family marks the
    # definition (blues and green: any source; oranges and purple: grid), and symbols and
    # dashes mark the series, so colour is never the only cue.
    order = (rows.assign(is_grid=rows["definition"] == "grid_connected",
                         n=rows.groupby("series")["year"].transform("size"))
             .groupby("series", sort=False)
             .agg(is_grid=("is_grid", "first"), n=("n", "first"), last_year=("year", "max"))
             .assign(single=lambda d: d["n"] == 1)
             .sort_values(["is_grid", "single", "last_year"]))
    colours = {False: [PALETTE[0], PALETTE[5], PALETTE[2], PALETTE[6]],
               True: [PALETTE[1], PALETTE[4], PALETTE[3]]}
    counters = {False: 0, True: 0}
    for i, (sid, info) in enumerate(order.iterrows()):
        group = rows[rows["series"] == sid].sort_values("year")
        definition = group["definition"].iloc[0]
        basis = group["basis"].iloc[0]
        is_line = len(group) > 1
        k = counters[info["is_grid"]]
        counters[info["is_grid"]] += 1
        colour = colours[info["is_grid"]][k % len(colours[info["is_grid"]])]
        label = str(group["series_label"].iloc[0])
        if not any(w in label.lower() for w in ("any source", "grid")):
            label = f"{DEFINITION_LABELS[definition]}: {label}"
        if basis == "households" and "(households)" not in label:
            label += " (households)"
        has_range = group["low"].notna() & group["high"].notna()
        error = None
        if has_range.any():
            hi = group["high"].fillna(group["value"])
            lo = group["low"].fillna(group["value"])
            error = dict(type="data", symmetric=False, array=(hi - group["value"]).tolist(),
                         arrayminus=(group["value"] - lo).tolist(), thickness=2.5, width=8,
                         color=colour)
        ranges = [f"{lo:g}-{hi:g}%" if pd.notna(lo) and pd.notna(hi) else _pct(v)
                  for lo, hi, v in zip(group["low"], group["high"], group["value"])]
        fig.add_trace(go.Scatter(
            x=group["year"].astype(int), y=group["value"],
            mode="lines+markers" if is_line else "markers+text",
            text=None if is_line else ranges, textposition="middle right",
            textfont=dict(size=12, color="#333"),
            name=label,
            line=dict(color=colour, dash=DASHES[k % len(DASHES)], width=2),
            marker=dict(color=colour, symbol=SYMBOLS[i % len(SYMBOLS)],
                        size=7 if is_line else 12, line=dict(width=1, color="#222")),
            error_y=error,
            customdata=np.column_stack([ranges, group["year_note"].fillna("").astype(str),
                                        [BASIS_LABELS[basis]] * len(group)]),
            hovertemplate=(f"{label}<br>%{{x}}: %{{customdata[0]}} "
                           "(%{customdata[2]})<br>%{customdata[1]}<extra></extra>"),
        ))
    fig.update_yaxes(range=[0, 100], ticksuffix="%")
    fig.update_xaxes(tickformat="d")

    grid = rows[rows["definition"] == "grid_connected"]
    anys = rows[(rows["definition"] == "any_source") & (rows["basis"] == "population")]
    latest_any = anys[anys["year"] == anys["year"].max()]
    latest_grid = grid[grid["year"] == grid["year"].max()]
    any_lo, any_hi = latest_any["value"].min(), latest_any["value"].max()
    grid_lo = grid["low"].fillna(grid["value"]).min()
    grid_hi = grid["high"].fillna(grid["value"]).max()
    title = (f"Grid-connection estimates run from {_pct(grid_lo)} to {_pct(grid_hi)}, "
             f"any-source estimates up to {_pct(anys['value'].max())}: two measures, "
             f"never one line")
    description = (
        f"Share of people (or households) in {geography} with electricity, by definition. "
        f"Any-source estimates from the World Bank's World Development Indicators are shown "
        f"as one line per download (vintage): the latest any-source value is "
        f"{_pct(any_lo) if any_lo == any_hi else _pct(any_lo) + '-' + _pct(any_hi)} "
        f"for {int(latest_any['year'].iloc[0])}. Grid-connection estimates range from "
        f"{_pct(grid_lo)} to {_pct(grid_hi)}; the latest, "
        f"{'; '.join(f'{r.series_label}: {_pct(r.value)}' for r in latest_grid.itertuples())}. "
        "The gap is mostly definitional: any source counts a small solar kit; grid counts a "
        "utility connection. Series are kept apart because they measure different things. "
        + " ".join(f"{r.series_label}, {r.year}: {_pct(r.value)}"
                   + (f" (range {r.low:g}-{r.high:g}%)" if pd.notna(r.low) else "") + "."
                   for r in rows[rows["definition"] == "grid_connected"].itertuples())
    )
    frames = [rows]
    fig = finish(
        fig, frames, title=title,
        alt=(f"Chart of electricity access in {geography}, {int(rows['year'].min())} to "
             f"{int(rows['year'].max())}: World Bank any-source lines for each data vintage "
             f"sit far above separate grid-connection estimates."),
        description=description,
        table=table_payload(rows, ["series_label", "definition", "basis", "year", "year_note",
                                   "value", "low", "high", "source_id"]),
        x_title="Year the figure refers to", y_title="Share with electricity (%)",
        plot_height=380,
    )
    return fig


def revisions_chart(access: pd.DataFrame | None = None, geography: str = "Afghanistan") -> go.Figure:
    """The same year in different World Bank downloads: the revision range for each year.

    For every year that more than one WDI vintage covers, a grey bar runs from the lowest
    to the highest published value and each vintage is a separate marker.
    """
    access = load("electricity_access") if access is None else access
    require_columns(access, ACCESS_COLUMNS, "revisions_chart")
    wdi = access[(access["geography"] == geography) & (access["definition"] == "any_source")
                 & (access["basis"] == "population") & access["series"].str.startswith("wdi")]
    counts = wdi.groupby("year")["series"].nunique()
    years = counts[counts > 1].index
    wdi = wdi[wdi["year"].isin(years)].sort_values(["year", "series"]).copy()
    if wdi.empty:
        raise ChartDataError("revisions_chart: no year has more than one WDI vintage.")
    spread = wdi.groupby("year")["value"].agg(["min", "max"]).reset_index()
    spread["revision"] = spread["max"] - spread["min"]

    mid = (spread["min"] + spread["max"]) / 2
    fig = go.Figure()
    fig.add_trace(go.Scatter(
        x=spread["year"].astype(int), y=mid, mode="markers",
        marker=dict(size=12, symbol="line-ns", color="#9a9a9a",
                    line=dict(width=6, color="#9a9a9a")),
        name="Range across vintages (bar)",
        error_y=dict(type="data", symmetric=False, array=(spread["max"] - mid).tolist(),
                     arrayminus=(mid - spread["min"]).tolist(),
                     color="#9a9a9a", thickness=6, width=0),
        customdata=spread[["min", "max", "revision"]].to_numpy(),
        hovertemplate="%{x}: vintages give %{customdata[0]:.1f}% to %{customdata[1]:.1f}% "
                      "(a spread of %{customdata[2]:.1f} points)<extra></extra>",
    ))
    order = (wdi.groupby("series")["year"].max().sort_values().index)
    # Vintages side by side within each year (a dodge), so equal values do not hide
    # each other; the grey bar at the year itself spans their range.
    offsets = np.linspace(-0.25, 0.25, len(order)) if len(order) > 1 else [0.0]
    for i, sid in enumerate(order):
        group = wdi[wdi["series"] == sid]
        fig.add_trace(go.Scatter(
            x=group["year"].astype(int) + offsets[i], y=group["value"], mode="markers",
            customdata=group["year"].astype(int),
            name=group["series_label"].iloc[0],
            marker=dict(size=11, color=PALETTE[i % len(PALETTE)], symbol=SYMBOLS[i % len(SYMBOLS)],
                        line=dict(width=1, color="#222")),
            hovertemplate=f"{group['series_label'].iloc[0]}<br>%{{customdata}}: %{{y:.2f}}%<extra></extra>",
        ))
    fig.update_yaxes(range=[0, 100], ticksuffix="%")
    fig.update_xaxes(tickformat="d")
    top = spread.sort_values("revision", ascending=False).iloc[0]
    top_rows = wdi[wdi["year"] == top["year"]].sort_values("value")
    title = (f"The same year, different answers: World Bank downloads give {int(top['year'])} "
             f"anywhere from {top['min']:.1f}% to {top['max']:.1f}%")
    description = (
        f"Each grey bar spans the values that different downloads (vintages) of the World "
        f"Bank's any-source access series give for the same year in {geography}; markers "
        f"show each vintage. {len(spread)} years appear in more than one vintage. The "
        f"largest spread is for {int(top['year'])}: "
        + ", ".join(f"{r.series_label} {r.value:g}%" for r in top_rows.itertuples())
        + ". Revisions follow new survey inputs, so a change between downloads is not a "
        f"change on the ground. The median spread across years is "
        f"{spread['revision'].median():.1f} percentage points."
    )
    frames = [wdi]
    fig.update_xaxes(range=[spread["year"].min() - 0.8, spread["year"].max() + 0.8])
    fig = finish(
        fig, frames, title=title,
        alt=(f"Dot chart of World Bank electricity-access values for {geography} by year, "
             f"one marker per data vintage, with bars showing how far the vintages disagree."),
        description=description,
        table=table_payload(wdi, ["year", "series_label", "value", "source_id"]),
        x_title="Year the figure refers to", y_title="Any-source access (% of people)",
        plot_height=360,
    )
    return fig


# ---------------------------------------------------------------------------------------
# 2. Imports
# ---------------------------------------------------------------------------------------

def supplier_chart(imports: pd.DataFrame | None = None) -> go.Figure:
    """Share of imported electricity by supplying country (SIGAR, January 2017)."""
    imports = load("electricity_imports") if imports is None else imports
    require_columns(imports, IMPORT_COLUMNS, "supplier_chart")
    rows = imports[imports["measure"] == "supplier_share_of_imports"].copy()
    if rows.empty:
        raise ChartDataError("supplier_chart: the table has no supplier_share_of_imports rows.")
    year = int(rows["year"].max())
    rows = rows[rows["year"] == year].sort_values("value")
    share = imports[(imports["measure"] == "import_share") & (imports["year"] == year)
                    & (imports["source_id"].isin(set(rows["source_id"])))]
    fig = go.Figure(go.Bar(
        x=rows["value"], y=rows["supplier"], orientation="h", name="Share of imports",
        marker=dict(color=PALETTE[0], line=dict(color="#222", width=1)),
        text=[_pct(v) for v in rows["value"]], textposition="outside", cliponaxis=False,
        hovertemplate="%{y}: %{x:.1f}% of imported electricity<extra></extra>",
    ))
    fig.update_xaxes(range=[0, max(rows["value"]) * 1.25], ticksuffix="%")
    top = rows.iloc[-1]
    two = rows.iloc[-2:]["value"].sum()
    title = (f"Four neighbours supplied all of Afghanistan's imported power in {year}; "
             f"{top['supplier']} and {rows.iloc[-2]['supplier']} together {_pct(two)}")
    lead = ""
    if len(share) == 1:
        lead = f"Imports were {_pct(share['value'].iloc[0])} of all electricity that year. "
    frames = [rows, share] if len(share) else [rows]
    fig = finish(
        fig, frames, title=title,
        alt=(f"Bar chart of the share of Afghanistan's imported electricity from each of "
             f"{len(rows)} supplying countries in {year}."),
        description=(lead + "Shares of imported electricity by supplier: "
                     + "; ".join(f"{r.supplier} {_pct(r.value)}" for r in rows[::-1].itertuples())
                     + f". They sum to {_pct(rows['value'].sum())}. A fault or a political "
                     "decision in one supplying country cuts a large share of the supply."),
        table=table_payload(rows, ["year", "supplier", "value", "unit", "basis", "source_id"]),
        x_title="Share of imported electricity (%)", y_title="",
        plot_height=280,
    )
    return fig


def import_share_chart(imports: pd.DataFrame | None = None) -> go.Figure:
    """Share of electricity imported, by year, with the basis of each figure kept apart.

    Energy shares, capacity shares and figures with no stated basis are separate traces
    with separate symbols; a figure published as "over X%" is drawn as a lower bound.
    """
    imports = load("electricity_imports") if imports is None else imports
    require_columns(imports, IMPORT_COLUMNS, "import_share_chart")
    rows = imports[imports["measure"] == "import_share"].copy().sort_values("year")
    if rows.empty:
        raise ChartDataError("import_share_chart: the table has no import_share rows.")
    rows["lower_bound"] = rows["low"].notna() & rows["high"].isna() & (rows["low"] == rows["value"])
    fig = go.Figure()
    n = 0
    for i, (basis, group) in enumerate(rows.groupby("basis", sort=False)):
        for bound, part in group.groupby("lower_bound"):
            label = IMPORT_BASIS_LABELS.get(basis, basis)
            if bound:
                label += ', "over" (a lower bound)'
            has_range = part["low"].notna() & part["high"].notna()
            error = None
            if has_range.any():
                error = dict(type="data", symmetric=False,
                             array=(part["high"].fillna(part["value"]) - part["value"]).tolist(),
                             arrayminus=(part["value"] - part["low"].fillna(part["value"])).tolist())
            fig.add_trace(go.Scatter(
                # Bases sit side by side within a year (a small dodge) so that none hides
                # another; hover gives the year itself.
                x=part["year"].astype(int) + IMPORT_DODGE.get(basis, 0.0), y=part["value"],
                mode="markers+text", name=label,
                text=[f"over {_pct(v)}" if bound else _pct(v) for v in part["value"]],
                textposition="middle left" if IMPORT_DODGE.get(basis, 0.0) < 0 else "middle right",
                marker=dict(size=14, color=PALETTE[i % len(PALETTE)],
                            symbol="triangle-up" if bound else SYMBOLS[i % len(SYMBOLS)],
                            line=dict(width=1, color="#222")),
                error_y=error,
                customdata=part[["source_id", "derivation", "year"]].astype(str).to_numpy(),
                hovertemplate="%{customdata[2]}: %{text} imported<br>source: %{customdata[0]} "
                              "(%{customdata[1]})<extra></extra>",
            ))
            n += 1
    fig.update_yaxes(range=[0, 100], ticksuffix="%")
    fig.update_xaxes(dtick=1, range=[rows["year"].min() - 0.6, rows["year"].max() + 0.9])
    lo, hi = rows["value"].min(), rows["value"].max()
    title = (f"Most of Afghanistan's electricity is imported: {_pct(lo)} to {_pct(hi)}, "
             f"depending on who measures and how")
    frames = [rows]
    fig = finish(
        fig, frames, title=title,
        alt=(f"Dot chart of the share of Afghanistan's electricity that is imported, "
             f"{int(rows['year'].min())} to {int(rows['year'].max())}, with energy, capacity "
             f"and unstated bases shown apart."),
        description=(
            "Each marker is one published figure for the imported share; markers differ by "
            "basis, because a share of energy used (kWh) and a share of capacity (MW) are "
            "not the same quantity. "
            + " ".join(f"{r.year}: {'over ' if r.lower_bound else ''}{_pct(r.value)} "
                       f"({_lower_first(IMPORT_BASIS_LABELS.get(r.basis, r.basis))}, {r.derivation})."
                       for r in rows.itertuples())
        ),
        table=table_payload(rows, ["year", "year_note", "value", "low", "high", "basis",
                                   "derivation", "source_id"]),
        x_title="Year", y_title="Share of electricity imported (%)",
        plot_height=340,
    )
    return fig


# ---------------------------------------------------------------------------------------
# 3. Reported supply hours in Kabul
# ---------------------------------------------------------------------------------------

def supply_hours_chart(supply: pd.DataFrame | None = None) -> go.Figure:
    """Reported hours of grid supply a day in Kabul, as low-high bars, by who reports.

    These are residents' reports, official statements and news summaries, not meter
    readings; the y axis runs to a full day so that the gap is visible.
    """
    supply = load("kabul_supply_hours") if supply is None else supply
    require_columns(supply, SUPPLY_COLUMNS, "supply_hours_chart")
    rows = supply.copy()
    rows["when"] = rows["date"].map(parse_partial_date)
    rows["mid"] = (rows["hours_low"] + rows["hours_high"]) / 2
    rows = rows.sort_values(["when", "report_type"])
    # One slot per report, in date order but evenly spaced (not a time scale), so that
    # reports from the same month do not hide each other.
    rows["slot"] = [_date_label(d) for d in rows["date"]]
    fig = go.Figure()
    types = [t for t in REPORT_LABELS if t in set(rows["report_type"])]
    types += [t for t in dict.fromkeys(rows["report_type"]) if t not in types]
    for i, rtype in enumerate(types):
        group = rows[rows["report_type"] == rtype]
        fig.add_trace(go.Scatter(
            x=group["slot"], y=group["mid"], mode="markers", name=REPORT_LABELS.get(rtype, rtype),
            marker=dict(size=12, color=PALETTE[i % len(PALETTE)], symbol=SYMBOLS[i % len(SYMBOLS)],
                        line=dict(width=1, color="#222")),
            error_y=dict(type="data", symmetric=False,
                         array=(group["hours_high"] - group["mid"]).tolist(),
                         arrayminus=(group["mid"] - group["hours_low"]).tolist(),
                         thickness=3, width=10),
            customdata=group[["date", "hours_low", "hours_high", "context"]].astype(str).to_numpy(),
            hovertemplate=("%{customdata[0]}: %{customdata[1]} to %{customdata[2]} hours a day"
                           "<br>%{customdata[3]}<extra></extra>"),
        ))
    fig.add_hline(y=model.HOURS_PER_DAY, line=dict(color="#444", dash="dash", width=1.5),
                  annotation_text=f"A full day: {model.HOURS_PER_DAY:g} hours",
                  annotation_position="bottom right")
    fig.update_yaxes(range=[0, model.HOURS_PER_DAY + 1], dtick=4)
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=list(rows["slot"]))
    typical = model.typical_supply_hours(supply)
    title = (f"Reports put Kabul's winter grid supply at {typical['low']:g} to "
             f"{typical['high']:g} hours a day ({typical['n_reports']} reports, not meter readings)")
    frames = [rows]
    fig = finish(
        fig, frames, title=title,
        alt=(f"Range chart of {len(rows)} reports of daily electricity supply in Kabul, "
             f"{rows['date'].iloc[0]} to {rows['date'].iloc[-1]}, all far below a full day."),
        description=(
            "Each marker is one report of how many hours of grid electricity Kabul gets a day, "
            "with a bar from the lowest to the highest figure in the report; the marker shape "
            "says who reported it. None is a meter reading, and all describe winter. "
            + " ".join(
                f"{r.date}: {r.hours_low:g}"
                + (f" to {r.hours_high:g}" if r.hours_high != r.hours_low else "")
                + f" hours ({_lower_first(REPORT_LABELS.get(r.report_type, r.report_type))}; "
                f"{r.context})."
                for r in rows.itertuples())
            + f" The median of the reports' midpoints is {typical['median']:g} hours."
        ),
        table=table_payload(rows, ["date", "hours_low", "hours_high", "report_type", "context",
                                   "source_id"]),
        x_title="Date of the report (evenly spaced, not to scale)",
        y_title="Hours of grid supply per day",
        plot_height=360,
    )
    return fig


# ---------------------------------------------------------------------------------------
# 4. Electricity use per person
# ---------------------------------------------------------------------------------------

def use_chart(use: pd.DataFrame | None = None, focus: str = "Afghanistan") -> go.Figure:
    """Electricity used per person per year: Afghanistan against neighbours and the world."""
    use = load("electricity_use") if use is None else use
    require_columns(use, USE_COLUMNS, "use_chart")
    rows = use.copy()
    rows["label"] = [f"{g} ({y})" for g, y in zip(rows["geography"], rows["year"])]
    rows = rows.sort_values("kwh_per_person")
    fig = go.Figure()
    for is_focus, derived in [(True, False), (False, False), (False, True), (True, True)]:
        part = rows[(rows["geography"] == focus) == is_focus]
        part = part[(part["basis"] == "derived") == derived]
        if part.empty:
            continue
        name = ((focus if is_focus else "Comparators")
                + (", derived by the book" if derived else ", as stated"))
        fig.add_trace(go.Bar(
            x=part["kwh_per_person"], y=part["label"], orientation="h", name=name,
            marker=dict(color=PALETTE[1] if is_focus else PALETTE[0],
                        pattern=dict(shape="/" if derived else "", fgcolor="#ffffff",
                                     fillmode="overlay", size=8, solidity=0.35),
                        line=dict(color="#222", width=1)),
            text=[f"{v:,.0f}" for v in part["kwh_per_person"]], textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{x:,.0f} kWh per person per year<extra></extra>",
        ))
    fig.update_yaxes(categoryorder="array", categoryarray=list(rows["label"]))
    fig.update_xaxes(range=[0, rows["kwh_per_person"].max() * 1.18], tickformat=",")
    mine = rows[rows["geography"] == focus].sort_values("year").iloc[-1]
    world = rows[rows["geography"] == "World"].sort_values("year")
    if world.empty:
        title = (f"{focus} used {mine['kwh_per_person']:,.0f} kWh of electricity per person "
                 f"in {mine['year']}")
    else:
        ratio = world.iloc[-1]["kwh_per_person"] / mine["kwh_per_person"]
        title = (f"The average person in the world uses about {ratio:.0f} times as much "
                 f"electricity as a person in {focus}")
    frames = [rows]
    fig = finish(
        fig, frames, title=title,
        alt=(f"Bar chart of electricity use per person per year: {focus} against "
             f"{rows['geography'].nunique() - 1} comparators."),
        description=(
            "Total electricity consumption per person per year, including imports; this is "
            "electricity, not all energy. Striped bars are derived by the book from a stated "
            "average in watts per person. "
            + "; ".join(f"{r.label}: {r.kwh_per_person:,.0f} kWh" for r in rows[::-1].itertuples())
            + f". In {mine['year']}, {focus}'s figure was {mine['kwh_per_person']:,.0f} kWh per "
            "person, which averages "
            f"{mine['kwh_per_person'] * model.WATT_HOURS_PER_KWH / model.HOURS_PER_YEAR:.0f} W "
            "of continuous use."
        ),
        table=table_payload(rows, ["geography", "year", "kwh_per_person", "basis", "source_id"]),
        x_title="Electricity used per person per year (kWh)", y_title="",
        plot_height=300,
    )
    return fig


# ---------------------------------------------------------------------------------------
# 5. The model: uptime curves (static twin of the live explorer) and the explorer's chart
# ---------------------------------------------------------------------------------------

def _supply_grid() -> np.ndarray:
    return np.arange(0.0, model.HOURS_PER_DAY + SUPPLY_GRID_STEP / 2, SUPPLY_GRID_STEP)


def _kabul_band(fig: go.Figure, typical: dict, row: int | None = None, col: int | None = None) -> None:
    """Shade the reported Kabul supply range and mark the median report (labels to the
    right of the band and of the line, so that they cross neither)."""
    kw = dict(row=row, col=col) if row else {}
    fig.add_vrect(x0=typical["low"], x1=typical["high"], fillcolor="#E69F00", opacity=0.18,
                  line_width=0, layer="below", **kw)
    fig.add_vline(x=typical["median"], line=dict(color="#8a5a00", dash="dot", width=2), **kw)
    xref = "x" if not row or row == 1 else f"x{row}"
    yref = "y domain" if not row or row == 1 else f"y{row} domain"
    fig.add_annotation(x=typical["low"], y=1.0, xref=xref, yref=yref, xanchor="left",
                       yanchor="bottom", showarrow=False, align="left", font=dict(size=12),
                       text=(f"Shaded: grid supply reported in Kabul,<br>{typical['low']:g} to "
                             f"{typical['high']:g} h a day (winter)"))
    fig.add_annotation(x=typical["median"], y=0.02, xref=xref, yref=yref, xanchor="left",
                       yanchor="bottom", showarrow=False, font=dict(size=12),
                       text=f" median report: {typical['median']:g} h")


def uptime_explorer_static(supply: pd.DataFrame | None = None,
                           battery_cases: tuple[float, ...] = BATTERY_CASES,
                           solar_hours: float = 0.0) -> go.Figure:
    """The live explorer, precomputed: recording share against grid hours, one slider step
    per battery size, with the reported Kabul supply range shaded from the data."""
    supply = load("kabul_supply_hours") if supply is None else supply
    require_columns(supply, SUPPLY_COLUMNS, "uptime_explorer_static")
    if not battery_cases:
        raise ValueError("uptime_explorer_static needs at least one battery case.")
    typical = model.typical_supply_hours(supply)
    grid = _supply_grid()
    med = typical["median"]
    fig = go.Figure()
    fig.add_trace(go.Scatter(
        x=grid, y=[100 * model.recording_share(s, 0.0, 0.0) for s in grid], mode="lines",
        name="Grid only (no backup)", line=dict(color="#555555", dash="dash", width=2),
        hovertemplate="grid %{x:g} h, no backup: %{y:.0f}% of the day<extra></extra>",
    ))
    # One line and one marker, whose data each slider step replaces (plotly "restyle"):
    # the legend then always names the case on show, and nothing hidden takes up room.
    colour = PALETTE[0]
    cases = []
    for b in battery_cases:
        shares = [100 * model.recording_share(s, b, solar_hours) for s in grid]
        at_med = 100 * model.recording_share(med, b, solar_hours)
        cases.append({"battery_hours": b, "line": shares, "at_median": at_med,
                      "name": f"With {b:g} h of battery (move the slider)",
                      "hover": f"grid %{{x:g}} h + battery {b:g} h: %{{y:.0f}}% of the day<extra></extra>"})
    first = cases[0]
    fig.add_trace(go.Scatter(
        x=grid, y=first["line"], mode="lines", name=first["name"],
        line=dict(color=colour, width=3), hovertemplate=first["hover"],
    ))
    fig.add_trace(go.Scatter(
        x=[med], y=[first["at_median"]], mode="markers+text", showlegend=False,
        name="At the median report", text=[f"{first['at_median']:.0f}%"], textposition="top left",
        textfont=dict(size=15, color=colour),
        marker=dict(size=13, color=colour, symbol="diamond", line=dict(width=1, color="#222")),
        hovertemplate="at the median report: %{y:.0f}% of the day<extra></extra>",
    ))
    marker_hover = "at the median report: %{y:.0f}% of the day<extra></extra>"
    steps = [dict(method="restyle", label=f"{c['battery_hours']:g} h",
                  args=[{"y": [c["line"], [c["at_median"]]],
                         "text": [None, [f"{c['at_median']:.0f}%"]],
                         "name": [c["name"], "At the median report"],
                         "hovertemplate": [c["hover"], marker_hover]},
                        [1, 2]])
             for c in cases]
    fig.update_layout(sliders=[dict(active=0, steps=steps,
                                    currentvalue=dict(prefix="Battery bridges: ", font=dict(size=14)))])
    def pct_at(hours: float, battery: float) -> float:
        return round(100 * model.recording_share(hours, battery, solar_hours), 1)

    table = pd.DataFrame([
        {"battery_hours": c["battery_hours"],
         "share_at_lowest_report_pct": pct_at(typical["low"], c["battery_hours"]),
         "share_at_median_report_pct": round(c["at_median"], 1),
         "share_at_highest_report_pct": pct_at(typical["high"], c["battery_hours"])}
        for c in cases])
    _kabul_band(fig, typical)
    fig.update_xaxes(range=[0, model.HOURS_PER_DAY])
    fig.update_yaxes(range=[0, 105], ticksuffix="%")
    base = model.recording_share(med, 0.0, solar_hours)
    full_b = model.HOURS_PER_DAY - med
    best = max(battery_cases)
    title = (f"With {med:g} hours of grid power, a camera records {base:.0%} of the day; "
             f"{best:g} hours of battery lift that to {model.recording_share(med, best, solar_hours):.0%}")
    frames = [supply]
    fig = finish(
        fig, frames, title=title,
        alt=(f"Line chart from the book's model: share of the day a camera records against "
             f"hours of grid supply, with a slider over {len(battery_cases)} battery sizes "
             f"and the reported Kabul range shaded."),
        description=(
            "Model output, not data: the share of camera-hours recording in a day equals grid "
            "hours plus battery hours plus solar hours, capped at a full day, divided by a "
            "full day. It assumes one block of grid supply, a battery recharged while the grid "
            "is on, and no other downtime, so it is an upper bound. The shaded band is the "
            f"range of reported winter supply in Kabul ({typical['low']:g} to "
            f"{typical['high']:g} hours, {typical['n_reports']} reports); the dotted line is "
            f"the median report ({med:g} hours). "
            + " ".join(f"With {r['battery_hours']:g} h of battery: {r['share_at_lowest_report_pct']:g}% "
                       f"at the lowest report, {r['share_at_median_report_pct']:g}% at the median, "
                       f"{r['share_at_highest_report_pct']:g}% at the highest."
                       for r in table.to_dict("records"))
            + f" Recording all day at the median would need {full_b:g} hours of battery."
        ),
        table=table_payload(table, list(table.columns)),
        x_title="Hours of grid supply per day (in one block)",
        y_title="Share of the day recording (%)",
        plot_height=380, slider=True,
    )
    return fig


def uptime_chart(supply_hours: float, battery_hours: float, solar_hours: float = 0.0,
                 supply: pd.DataFrame | None = None) -> go.Figure:
    """The live explorer's chart: one day split by power source, and the share curve."""
    supply = load("kabul_supply_hours") if supply is None else supply
    require_columns(supply, SUPPLY_COLUMNS, "uptime_chart")
    share = model.recording_share(supply_hours, battery_hours, solar_hours)
    typical = model.typical_supply_hours(supply)
    day = model.HOURS_PER_DAY
    grid_h = supply_hours
    batt_h = min(battery_hours, day - grid_h)
    solar_h = min(solar_hours, day - grid_h - batt_h)
    dark_h = day - grid_h - batt_h - solar_h
    fig = make_subplots(rows=2, cols=1, row_heights=[0.22, 0.78], vertical_spacing=0.16)
    parts = [("Grid", grid_h, PALETTE[0], ""), ("Battery", batt_h, PALETTE[2], "/"),
             ("Solar", solar_h, PALETTE[4], "."), ("Not recording", dark_h, "#bbbbbb", "x")]
    for name, hours, colour, shape in parts:
        fig.add_trace(go.Bar(
            x=[hours], y=["One day"], orientation="h", name=f"{name}: {hours:g} h",
            marker=dict(color=colour, pattern=dict(shape=shape), line=dict(color="#222", width=1)),
            hovertemplate=f"{name}: {hours:g} hours<extra></extra>",
        ), row=1, col=1)
    grid = _supply_grid()
    fig.add_trace(go.Scatter(
        x=grid, y=[100 * model.recording_share(s, battery_hours, solar_hours) for s in grid],
        mode="lines", name="Share recording", line=dict(color=PALETTE[0], width=3), showlegend=False,
        hovertemplate="grid %{x:g} h: %{y:.0f}% of the day<extra></extra>",
    ), row=2, col=1)
    fig.add_trace(go.Scatter(
        x=[supply_hours], y=[100 * share], mode="markers+text", text=[f"{share:.0%}"],
        textposition="top left", showlegend=False, name="Your setting",
        marker=dict(size=13, symbol="diamond", color=PALETTE[1], line=dict(width=1, color="#222")),
    ), row=2, col=1)
    _kabul_band(fig, typical, row=2, col=1)
    fig.update_layout(barmode="stack", legend_traceorder="normal")
    fig.update_xaxes(range=[0, day], row=1, col=1, title_text="Hours of the day")
    fig.update_xaxes(range=[0, day], row=2, col=1,
                     title_text="Hours of grid supply per day (in one block)")
    fig.update_yaxes(range=[0, 105], ticksuffix="%", row=2, col=1,
                     title_text="Share of the day recording")
    frames = [supply]
    fig = finish(
        fig, frames,
        title=(f"{supply_hours:g} h of grid + {battery_hours:g} h of battery + {solar_hours:g} h "
               f"of solar: a camera records {share:.0%} of the day"),
        alt=("Model chart: one day split into hours powered by the grid, a battery, solar, and "
             "hours not recording, above the share of the day recorded for each grid supply."),
        description=(f"Model output, not data. Grid {grid_h:g} h, battery {batt_h:g} h, solar "
                     f"{solar_h:g} h, not recording {dark_h:g} h: the share recording is "
                     f"{share:.1%}. The shaded band is the reported Kabul winter supply."),
        table=table_payload(pd.DataFrame([{"source": n, "hours": h} for n, h, _, _ in parts]),
                            ["source", "hours"]),
        plot_height=420,
    )
    return fig
