"""Charts and small calculations for chapter 5, money: what would it cost, and who pays?

Every builder reads its dataset(s) through :func:`kabulcase.load` when it is not given a
table, refuses a table that lacks the columns it needs, and draws ranges as ranges.
Numbers that this book computes from cited numbers (shares of a budget, cost per camera,
a rollout's yearly cost) are labelled as the book's arithmetic on the chart itself.

The rollout calculation here is deliberately simple (cameras, network, backup power and
maintenance, installed evenly over the rollout); chapter 6's cost model
(:mod:`kabulcase.models.cost`) adds control rooms, staff and uncertainty.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ..data import load
from .theme import (DASHES, PALETTE, SYMBOLS, ChartDataError, finish, require_columns,
                    table_payload, wrap)

MILLION = 1e6
BILLION = 1e9

QUALIFIER_MARK = {"at_least": "+", "approx": " (approx.)", "exact": ""}
# Short forms for labels next to points: "62,000+", "≈90,000".
SHORT_PREFIX = {"approx": "≈"}
SHORT_SUFFIX = {"at_least": "+"}
COUNT_CLAIM_LABELS = {
    "official_claim": "Official claim (unverified)",
    "reported": "Reported (journalists, officials or compilers)",
    "verified": "Independently verified",
}
PRIVATE_LABELS = {
    True: "includes privately installed (mandated) cameras",
    False: "public cameras only",
    None: "private cameras: not stated",
}
OUTCOME_CLAIM_LABELS = {
    "official_statistics": "Official statistics",
    "legislative_report": "Legislative committee finding",
    "vendor_claim": "Vendor claim (unverified)",
    "official_claim": "Government claim (unverified)",
    "reported": "Reported",
}
# Claims are hatched; statistics and findings are solid, so the difference never rests
# on colour alone.
CLAIM_TYPES = {"vendor_claim", "official_claim"}
OUTCOME_PANELS = {
    "crime_change_pct": "crime",
    "claimed_crime_change_pct": "crime",
    "cameras_out_of_order_pct": "broken",
    "cameras_needing_restoration": "broken",
}
# Readable names for the unit-cost anchors the cost-per-camera chart shows; any other
# row falls back to its component, unit and year.
ANCHOR_LABELS = {
    "camera-us-municipal": "US small-city public camera, installed",
    "camera-mazar-household": "Household camera Mazar residents were told to buy",
    "camera-westcovina-with-network": "US park cameras incl. Wi-Fi and storage",
}
BASIS_LABELS = {
    "sourced": "stated by the source",
    "derived": "derived by this book",
    "book_assumption": "book assumption",
}
# The unit costs the simple rollout calculation uses, by role (cost_id in unit_costs).
ROLLOUT_COMPONENTS = {
    "camera": "camera-us-municipal",
    "network": "network-assumption",
    "power_backup": "power-backup-assumption",
    "maintenance_rate": "maintenance-rate-assumption",
}
CASES = ("low", "central", "high")


# ---------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------

def _is_true(v) -> bool | None:
    if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)):
        return None
    return bool(v)


def approx_usd(x: float) -> str:
    """A derived dollar figure to two significant figures ('about USD 51,000'): the inputs
    are rounded headline totals, so more digits would claim a precision the data lack."""
    digits = max(0, len(str(int(abs(x)))) - 2)
    return f"USD {round(x, -digits):,.0f}"


def _signed(x: float) -> str:
    return f"+{x:.0f}%" if x > 0 else f"\u2212{abs(x):.0f}%"


def _range_legend(fig: go.Figure, name: str, colour: str, group: str) -> None:
    """A legend entry for low-high bars, drawn as a thick line like the bars themselves."""
    fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", name=name, legendgroup=group,
                             line=dict(color=colour, width=7), hoverinfo="skip"))


def _rows_with(frame: pd.DataFrame, column: str, wanted: str, chart: str) -> pd.DataFrame:
    rows = frame[frame[column].astype("string") == wanted]
    if len(rows) != 1:
        raise ChartDataError(
            f"{chart} needs exactly one row with {column} = {wanted!r}; the table has {len(rows)}."
        )
    return rows


# ---------------------------------------------------------------------------------------
# 1. Camera counts across cities (log scale), Kabul's claims marked as claims
# ---------------------------------------------------------------------------------------

def _count_label(row) -> str:
    return f"{int(row.cameras):,}{QUALIFIER_MARK.get(row.qualifier, '')}"


def _short_count(row) -> str:
    return (f"{SHORT_PREFIX.get(row.qualifier, '')}{int(row.cameras):,}"
            f"{SHORT_SUFFIX.get(row.qualifier, '')}")


def camera_count_comparison(counts: pd.DataFrame | None = None, city: str = "Kabul") -> go.Figure:
    """Camera counts for ``city`` (in date order) beside other cities, on a log scale.

    Each marker is one count, labelled with who claims it; its symbol and colour give the
    claim type and whether privately installed (mandated) cameras are counted.
    """
    counts = load("camera_counts") if counts is None else counts
    require_columns(counts, ["city", "date", "cameras", "qualifier", "claimant", "claim_type",
                             "includes_private", "source_id"], "camera_count_comparison")
    counts = counts.copy()
    # "Kabul and other cities" (how Reuters places the 2023 claim) belongs with Kabul's counts.
    is_home = counts["city"].astype(str).str.startswith(city)
    home = counts[is_home].sort_values("date")
    if home.empty:
        raise ChartDataError(f"camera_count_comparison: no camera counts for {city!r}.")
    others = counts[~is_home].sort_values("cameras", ascending=False)
    ordered = pd.concat([home, others])
    ordered["row_label"] = [
        f"<b>{r.city}</b>, {r.date}<br>{wrap(r.claimant, 36)}" for r in ordered.itertuples()
    ]
    ordered["private"] = [PRIVATE_LABELS[_is_true(v)] for v in ordered["includes_private"]]
    ordered["kind"] = [
        f"{COUNT_CLAIM_LABELS.get(c, c)}; {p}" for c, p in zip(ordered["claim_type"], ordered["private"])
    ]

    fig = go.Figure()
    kinds = list(dict.fromkeys(ordered["kind"]))
    for i, kind in enumerate(kinds):
        group = ordered[ordered["kind"] == kind]
        official = (group["claim_type"] == "official_claim").all()
        texts = [_short_count(r) + (" claimed" if r.claim_type == "official_claim" else "")
                 for r in group.itertuples()]
        fig.add_trace(go.Scatter(
            x=group["cameras"].astype(float), y=group["row_label"], mode="markers+text",
            name=kind, text=texts, textposition="middle right",
            marker=dict(size=14 if official else 11, color=PALETTE[i % len(PALETTE)],
                        symbol=SYMBOLS[i % len(SYMBOLS)] + ("-open" if official else ""),
                        line=dict(width=2 if official else 1, color=PALETTE[i % len(PALETTE)]
                                  if official else "#222")),
            customdata=group[["claimant", "claim_type", "private", "date"]].astype(str).to_numpy(),
            hovertemplate=("%{text} cameras (%{customdata[3]})<br>claimed by: %{customdata[0]}"
                           "<br>claim type: %{customdata[1]}<br>%{customdata[2]}<extra></extra>"),
        ))
    # A rule between the city's own counts and the comparators.
    fig.add_shape(type="line", xref="paper", x0=0, x1=1, yref="y", y0=len(home) - 0.5,
                  y1=len(home) - 0.5, line=dict(color="#888", width=1, dash="dot"))
    lo = float(ordered["cameras"].min())
    hi = float(ordered["cameras"].max())
    fig.update_xaxes(type="log", range=[np.log10(lo) - 0.3, np.log10(hi) + 1.3], dtick=1)
    fig.update_yaxes(autorange="reversed", categoryorder="array",
                     categoryarray=list(ordered["row_label"]), tickfont=dict(size=11))

    claims = home[home["claim_type"] == "official_claim"]
    before = home[(home["claim_type"] != "official_claim")]
    if not claims.empty:
        first_claim_date = claims["date"].min()
        before = before[before["date"] < first_claim_date]
        c_lo, c_hi = int(claims["cameras"].min()), int(claims["cameras"].max())
        private = claims["includes_private"].fillna(False).astype(bool).any()
        title = (f"{city}'s official claims of {c_lo:,} to {c_hi:,} cameras are unverified"
                 + (f" and far above the {int(before.iloc[-1]['cameras']):,} reported before"
                    if not before.empty else "")
                 + ("; the first counts cameras households and shops were reportedly ordered to install"
                    if private else ""))
    else:
        title = f"Camera counts for {city} beside other cities: each is someone's claim"
    fig.update_layout(margin=dict(l=225))
    return finish(
        fig, [ordered],
        title=title,
        x_title="Cameras (log scale)",
        alt=(f"Dot chart on a log scale: {len(home)} camera counts for {city} in date order, "
             f"then {len(others)} counts for other cities and national systems, each labelled "
             f"with who claims it."),
        description=(
            f"Each row is one camera count with the party that claims it. The {city} rows come "
            "first, oldest at the top; below the dotted rule are other cities, largest first. "
            "Open markers are official claims that no one has verified. "
            + " ".join(f"{r.city} {r.date}: {_count_label(r)} "
                       f"({r.claim_type.replace('_', ' ')}; {r.claimant}; {r.private})."
                       for r in ordered.itertuples())
            + " The counts measure different things (control-room feeds, state cameras, all "
            "cameras including mandated private ones, compiled estimates), so the gaps between "
            "them are not growth rates."
        ),
        table=table_payload(ordered, ["city", "date", "cameras", "qualifier", "claimant",
                                      "claim_type", "includes_private", "source_id"]),
        plot_height=50 * len(ordered),
    )


# ---------------------------------------------------------------------------------------
# 2. The 2021 plan against the 2022 national budget
# ---------------------------------------------------------------------------------------

def plan_budget_shares(budgets: pd.DataFrame | None = None,
                       plan: str = "plan_2021_upgrade",
                       total: str = "budget_fy1401_total",
                       development: str = "budget_fy1401_development") -> dict:
    """The plan's cost as a share of the budget's total and its development part.

    All three values are read from ``budgets``; the shares are this book's arithmetic.
    Returns plain Python numbers and text (ready for MyST-NB glue).
    """
    budgets = load("budgets") if budgets is None else budgets
    require_columns(budgets, ["item", "fiscal_period", "amount", "currency", "amount_usd_million",
                              "fx_afn_per_usd", "fx_date", "basis"], "plan_budget_shares")
    p = _rows_with(budgets, "item", plan, "plan_budget_shares").iloc[0]
    t = _rows_with(budgets, "item", total, "plan_budget_shares").iloc[0]
    d = _rows_with(budgets, "item", development, "plan_budget_shares").iloc[0]
    return {
        "plan_usd_million": float(p["amount_usd_million"]),
        "plan_period": str(p["fiscal_period"]),
        "total_usd_million": float(t["amount_usd_million"]),
        "total_afn_billion": float(t["amount"]) / BILLION,
        "development_usd_million": float(d["amount_usd_million"]),
        "development_afn_billion": float(d["amount"]) / BILLION,
        "development_share_of_total_pct": 100 * float(d["amount"]) / float(t["amount"]),
        "share_of_total_pct": 100 * float(p["amount_usd_million"]) / float(t["amount_usd_million"]),
        "share_of_development_pct": (100 * float(p["amount_usd_million"])
                                     / float(d["amount_usd_million"])),
        "fx_afn_per_usd": float(t["fx_afn_per_usd"]),
        "fx_date": str(t["fx_date"]),
        "fiscal_period": str(t["fiscal_period"]),
    }


def plan_vs_budget(budgets: pd.DataFrame | None = None) -> go.Figure:
    """The 2021 camera plan beside the 2022 budget lines, in USD million.

    USD values converted by this book are hatched and labelled with the rate and its date.
    """
    budgets = load("budgets") if budgets is None else budgets
    require_columns(budgets, ["item", "label", "fiscal_period", "amount", "currency",
                              "amount_usd_million", "fx_afn_per_usd", "fx_date", "basis",
                              "source_id"], "plan_vs_budget")
    s = plan_budget_shares(budgets)
    rows = budgets.copy()
    rows["is_plan"] = rows["item"].astype("string").str.startswith("plan")
    rows = pd.concat([rows[rows["is_plan"]], rows[~rows["is_plan"]]])
    rows["row_label"] = [f"{wrap(r.label, 30)}<br><i>{r.fiscal_period}</i>"
                         for r in rows.itertuples()]

    def conversion(r) -> str:
        if r.currency == "USD":
            return "stated in USD"
        if r.basis == "derived":
            return (f"{r.amount / BILLION:,.1f}bn AFN \u00f7 {r.fx_afn_per_usd:g} AFN per USD "
                    f"({r.fx_date}): book's arithmetic")
        return f"{r.amount / BILLION:,.1f}bn AFN; USD value stated by the publisher"

    rows["conversion"] = [conversion(r) for r in rows.itertuples()]
    fig = go.Figure()
    groups = [
        ("Camera plan (USD stated)", rows["is_plan"], PALETTE[1], ""),
        ("Budget line, USD stated by the publisher", (~rows["is_plan"]) & (rows["basis"] == "stated"),
         PALETTE[0], ""),
        ("Budget line, USD converted by this book", (~rows["is_plan"]) & (rows["basis"] == "derived"),
         PALETTE[2], "/"),
    ]
    for name, mask, colour, pattern in groups:
        group = rows[mask.to_numpy()]
        if group.empty:
            continue
        fig.add_trace(go.Bar(
            x=group["amount_usd_million"], y=group["row_label"], orientation="h", name=name,
            marker=dict(color=colour, pattern=dict(shape=pattern), line=dict(color="#222", width=1)),
            text=[f"USD {v:,.0f}M" for v in group["amount_usd_million"]], textposition="outside",
            customdata=group[["conversion"]].astype(str).to_numpy(),
            hovertemplate="%{y}<br>USD %{x:,.1f} million<br>%{customdata[0]}<extra></extra>",
        ))
    fig.update_yaxes(autorange="reversed", categoryorder="array",
                     categoryarray=list(rows["row_label"]), tickfont=dict(size=11))
    fig.update_xaxes(range=[0, float(rows["amount_usd_million"].max()) * 1.35])
    fig.add_annotation(
        xref="paper", yref="paper", x=1, y=1.02, xanchor="right", yanchor="bottom", showarrow=False,
        align="right", font=dict(size=12),
        text=(f"Book's arithmetic: plan = {s['share_of_total_pct']:.1f}% of the total,<br>"
              f"{s['share_of_development_pct']:.0f}% of the development budget<br>"
              f"AFN converted at {s['fx_afn_per_usd']:g} AFN per USD ({s['fx_date']})"),
    )
    fig.update_layout(bargap=0.35)
    fig.update_layout(margin=dict(l=205))
    return finish(
        fig, [rows],
        title=(f"The 2021 plan (USD {s['plan_usd_million']:,.0f}M) equals "
               f"{s['share_of_total_pct']:.1f}% of the 2022 national budget and "
               f"{s['share_of_development_pct']:.0f}% of its development budget"),
        x_title="USD million",
        alt=(f"Horizontal bar chart in USD million: the 2021 camera plan beside "
             f"{int((~rows['is_plan']).sum())} lines of the Taliban's 2022 budgets."),
        description=(
            f"The 2021 camera plan was announced at USD {s['plan_usd_million']:,.0f} million "
            f"(more than, per the announcement). The national budget for {s['fiscal_period']} "
            f"was {s['total_afn_billion']:,.1f} billion afghanis, USD "
            f"{s['total_usd_million']:,.0f} million at {s['fx_afn_per_usd']:g} AFN per USD "
            f"({s['fx_date']}), of which the development budget was "
            f"{s['development_afn_billion']:,.1f} billion afghanis (USD "
            f"{s['development_usd_million']:,.1f} million). By this book's arithmetic the plan "
            f"equals {s['share_of_total_pct']:.1f}% of the total and "
            f"{s['share_of_development_pct']:.0f}% of the development budget. The comparison is "
            "illustrative: the plan was donor-backed and predates the budget. "
            + " ".join(f"{r.label} ({r.fiscal_period}): USD {r.amount_usd_million:,.1f} million, "
                       f"{r.conversion}." for r in rows.itertuples())
        ),
        table=table_payload(rows, ["item", "label", "fiscal_period", "amount", "currency",
                                   "amount_usd_million", "fx_afn_per_usd", "fx_date", "basis",
                                   "source_id"]),
        plot_height=72 * len(rows),
    )


# ---------------------------------------------------------------------------------------
# 3. Cost per camera: Safe City projects (derived) and unit-cost anchors (ranges)
# ---------------------------------------------------------------------------------------

def safe_city_cost_per_camera(comparators: pd.DataFrame | None = None) -> pd.DataFrame:
    """Projects with both a cost and a camera count, with cost per camera (book's arithmetic)."""
    comparators = load("safe_city_comparators") if comparators is None else comparators
    require_columns(comparators, ["city", "vendor", "year", "cameras", "cost_usd_million",
                                  "usd_basis", "source_id"], "safe_city_cost_per_camera")
    rows = comparators[comparators["cameras"].notna() & comparators["cost_usd_million"].notna()].copy()
    rows["usd_per_camera"] = (rows["cost_usd_million"].astype(float) * MILLION
                              / rows["cameras"].astype(float))
    rows.attrs = comparators.attrs
    return rows


def cost_per_camera(comparators: pd.DataFrame | None = None,
                    unit_costs: pd.DataFrame | None = None) -> go.Figure:
    """All-in Safe City cost per camera (derived) beside per-camera price anchors, log scale.

    Anchors that the source gives as a range are drawn as low-high bars, never as a point.
    """
    comparators = load("safe_city_comparators") if comparators is None else comparators
    unit_costs = load("unit_costs") if unit_costs is None else unit_costs
    require_columns(comparators, ["city", "vendor", "year", "cameras", "cost_usd_million",
                                  "usd_basis", "source_id"], "cost_per_camera (comparators)")
    require_columns(unit_costs, ["cost_id", "component", "unit", "low", "central", "high",
                                 "usd_year", "basis", "source_id"], "cost_per_camera (unit_costs)")
    projects = safe_city_cost_per_camera(comparators).sort_values("usd_per_camera", ascending=False)
    if projects.empty:
        raise ChartDataError("cost_per_camera: no project has both a cost and a camera count.")
    # Per-camera price anchors: camera rows that are not themselves all-in project costs
    # (those are the projects above, computed again from the comparators).
    anchors = unit_costs[(unit_costs["component"] == "camera")
                         & ~unit_costs["unit"].astype("string").str.endswith("all_in")].copy()
    anchors["is_range"] = anchors["low"].notna() & anchors["high"].notna()
    anchors = anchors.sort_values(["is_range", "high", "central"], ascending=False)
    anchors["name"] = [ANCHOR_LABELS.get(r.cost_id, f"{r.component}, {r.unit}")
                       for r in anchors.itertuples()]
    anchors["label"] = [f"{wrap(n, 28)}<br><i>{y}</i>"
                        for n, y in zip(anchors["name"], anchors["usd_year"])]

    projects["vendor_text"] = [v if isinstance(v, str) else "vendor not stated"
                               for v in projects["vendor"]]
    projects["name"] = [f"{r.city} ({r.vendor_text}, {r.year})" for r in projects.itertuples()]
    projects["label"] = [f"<b>{wrap(r.city, 28)}</b><br><i>{r.vendor_text}, {r.year}</i>"
                         for r in projects.itertuples()]
    projects["basis_text"] = [
        "total cost \u00f7 cameras: book's arithmetic"
        + ("; cost converted from PKR by this book" if r.usd_basis == "derived" else "")
        for r in projects.itertuples()]

    fig = go.Figure()
    fig.add_trace(go.Scatter(
        x=projects["usd_per_camera"], y=projects["label"], mode="markers+text",
        name="Safe City project: total cost \u00f7 cameras (derived by this book)",
        text=[f"\u2248{approx_usd(v)} (derived)" for v in projects["usd_per_camera"]],
        textposition="middle left",
        marker=dict(size=13, color=PALETTE[1], symbol=SYMBOLS[2], line=dict(width=1, color="#222")),
        customdata=np.column_stack([projects["cameras"].astype(float), projects["cost_usd_million"],
                                    projects["basis_text"]]),
        hovertemplate=("%{y}<br>USD %{x:,.0f} per camera<br>= USD %{customdata[1]:,.1f}M \u00f7 "
                       "%{customdata[0]:,.0f} cameras<br>%{customdata[2]}<extra></extra>"),
    ))
    ranges = anchors[anchors["is_range"]]
    if not ranges.empty:
        _range_legend(fig, "Price anchor given as a range: bar from low to high", PALETTE[0], "ranges")
        fig.add_trace(go.Scatter(
            x=ranges["high"], y=ranges["label"], mode="markers+text", showlegend=False,
            name="Price anchor given as a range", legendgroup="ranges",
            text=[f"  USD {lo:,.0f}\u2013{hi:,.0f}" for lo, hi in zip(ranges["low"], ranges["high"])],
            textposition="middle right",
            marker=dict(size=1, color=PALETTE[0], opacity=0),
            error_x=dict(type="data", symmetric=False, array=[0.0] * len(ranges),
                         arrayminus=(ranges["high"] - ranges["low"]).tolist(),
                         color=PALETTE[0], thickness=7, width=9),
            customdata=np.column_stack([ranges["low"], ranges["high"],
                                        [BASIS_LABELS.get(b, b) for b in ranges["basis"]]]),
            hovertemplate=("%{y}<br>USD %{customdata[0]:,.0f} to %{customdata[1]:,.0f} per camera"
                           "<br>%{customdata[2]}<extra></extra>"),
        ))
    points = anchors[~anchors["is_range"] & anchors["central"].notna()]
    if not points.empty:
        fig.add_trace(go.Scatter(
            x=points["central"], y=points["label"], mode="markers+text",
            name="Price anchor, single figure",
            text=[f"USD {v:,.0f}" + (" (derived)" if b == "derived" else "")
                  for v, b in zip(points["central"], points["basis"])],
            textposition="middle right",
            marker=dict(size=12, color=PALETTE[2], symbol=SYMBOLS[1], line=dict(width=1, color="#222")),
            customdata=[[BASIS_LABELS.get(b, b)] for b in points["basis"]],
            hovertemplate="%{y}<br>USD %{x:,.0f} per camera<br>%{customdata[0]}<extra></extra>",
        ))
    order = list(projects["label"]) + list(anchors["label"])
    fig.update_yaxes(autorange="reversed", categoryorder="array", categoryarray=order,
                     tickfont=dict(size=11))
    allx = pd.concat([projects["usd_per_camera"], anchors["low"], anchors["central"],
                      anchors["high"]]).dropna().astype(float)
    fig.update_xaxes(type="log", dtick=1,
                     range=[np.log10(allx.min()) - 0.4, np.log10(allx.max()) + 0.5])
    fig.add_shape(type="line", xref="paper", x0=0, x1=1, yref="y", y0=len(projects) - 0.5,
                  y1=len(projects) - 0.5, line=dict(color="#888", width=1, dash="dot"))
    range_text = ""
    mazar = anchors[anchors["cost_id"] == "camera-mazar-household"]
    if len(mazar) == 1:
        range_text = (f"; a household camera in Mazar cost USD {mazar['low'].iloc[0]:,.0f}"
                      f"\u2013{mazar['high'].iloc[0]:,.0f}")
    title = (f"All-in Safe City projects cost about {approx_usd(projects['usd_per_camera'].min())} "
             f"to {approx_usd(projects['usd_per_camera'].max())} per camera (book's arithmetic)"
             f"{range_text}")
    table = pd.concat([
        projects.assign(item=projects["name"], low=np.nan, central=projects["usd_per_camera"].round(0),
                        high=np.nan, basis="derived (total cost / cameras)")[
            ["item", "low", "central", "high", "basis", "source_id"]],
        anchors.assign(item=anchors["name"] + " (" + anchors["usd_year"].astype(str) + ")")[
            ["item", "low", "central", "high", "basis", "source_id"]],
    ])
    fig.update_layout(margin=dict(l=200))
    return finish(
        fig, [projects, anchors],
        title=title,
        x_title="USD per camera (log scale)",
        alt=(f"Dot-and-range chart on a log scale: all-in cost per camera of {len(projects)} "
             f"Safe City projects, then {len(anchors)} per-camera price anchors, "
             f"{int(anchors['is_range'].sum())} of them ranges."),
        description=(
            "Top, above the dotted rule: each project's total cost divided by its cameras, which "
            "this book computed; it covers control rooms, networks and software, not just the "
            "camera. "
            + " ".join(f"{r.name}: about {approx_usd(r.usd_per_camera)} per camera "
                       f"(USD {r.cost_usd_million:,.1f}M \u00f7 {int(r.cameras):,} cameras)."
                       for r in projects.itertuples())
            + " Below: per-camera price anchors. "
            + " ".join(
                (f"{r.name} ({r.usd_year}): USD {r.low:,.0f} to {r.high:,.0f} "
                 f"({BASIS_LABELS.get(r.basis, r.basis)})." if r.is_range else
                 f"{r.name} ({r.usd_year}): USD {r.central:,.0f} "
                 f"({BASIS_LABELS.get(r.basis, r.basis)}).")
                for r in anchors.itertuples())
            + " Prices are in the dollars of each project's year and are not adjusted for inflation."
        ),
        table=table_payload(table, ["item", "low", "central", "high", "basis", "source_id"]),
        plot_height=56 * len(order),
    )


# ---------------------------------------------------------------------------------------
# 4. Cameras per thousand residents
# ---------------------------------------------------------------------------------------

def density_ranges(density: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per city, year and basis, with the lowest and highest value (a range where
    several population estimates give several values; never an average)."""
    density = load("camera_density") if density is None else density
    require_columns(density, ["city", "year", "cameras_per_1000", "basis", "cameras",
                              "population_million", "source_id"], "density_ranges")
    groups = []
    for (city, year, basis), g in density.groupby(["city", "year", "basis"], sort=False):
        groups.append({
            "city": city, "year": int(year), "basis": basis,
            "low": float(g["cameras_per_1000"].min()), "high": float(g["cameras_per_1000"].max()),
            "n": len(g),
            "cameras": ", ".join(sorted({f"{int(c):,}" for c in g["cameras"].dropna()})),
            "populations": ", ".join(f"{p:g}M" for p in sorted(g["population_million"].dropna())),
            "population_low": float(g["population_million"].min()),
            "population_high": float(g["population_million"].max()),
            "source_id": ";".join(dict.fromkeys(";".join(g["source_id"]).split(";"))),
        })
    return pd.DataFrame(groups)


def _per_k(x: float) -> str:
    return f"{x:.2f}" if x < 1 else (f"{x:.1f}" if x < 100 else f"{x:.0f}")


def camera_density_chart(density: pd.DataFrame | None = None) -> go.Figure:
    """Cameras per 1,000 people: stated estimates and this book's derived Kabul values.

    Where the same city and year has several derived values (one per population
    estimate), they are drawn as one low-high bar, never averaged.
    """
    density = load("camera_density") if density is None else density
    require_columns(density, ["city", "year", "cameras_per_1000", "basis", "cameras",
                              "population_million", "source_id"], "camera_density_chart")
    rows = density_ranges(density)
    rows["label"] = [f"{r.city} {r.year}" for r in rows.itertuples()]
    rows["is_range"] = rows["high"] > rows["low"]
    rows = rows.sort_values(["basis", "high"], ascending=[False, False])

    fig = go.Figure()
    stated = rows[rows["basis"] == "stated"]
    derived_pt = rows[(rows["basis"] == "derived") & ~rows["is_range"]]
    derived_rng = rows[(rows["basis"] == "derived") & rows["is_range"]]
    if not stated.empty:
        fig.add_trace(go.Scatter(
            x=stated["high"], y=stated["label"], mode="markers+text",
            name="Stated by the publisher (compiled estimate)",
            text=[_per_k(v) for v in stated["high"]], textposition="middle right",
            marker=dict(size=12, color=PALETTE[0], symbol=SYMBOLS[0], line=dict(width=1, color="#222")),
            hovertemplate="%{y}: %{x:.1f} cameras per 1,000 people (stated)<extra></extra>",
        ))
    if not derived_pt.empty:
        fig.add_trace(go.Scatter(
            x=derived_pt["high"], y=derived_pt["label"], mode="markers+text",
            name="Derived by this book: count \u00f7 one population estimate",
            text=[f"{_per_k(v)} (derived)" for v in derived_pt["high"]],
            textposition="middle right",
            marker=dict(size=12, color=PALETTE[1], symbol=SYMBOLS[1], line=dict(width=1, color="#222")),
            customdata=derived_pt[["cameras", "populations"]].to_numpy(),
            hovertemplate=("%{y}: %{x:.2f} per 1,000 people<br>= %{customdata[0]} cameras \u00f7 "
                           "%{customdata[1]} people (book's arithmetic)<extra></extra>"),
        ))
    if not derived_rng.empty:
        _range_legend(fig, "Derived by this book from an official claim: bar from one population "
                           "estimate to the other", PALETTE[3], "ranges")
        fig.add_trace(go.Scatter(
            x=derived_rng["high"], y=derived_rng["label"], mode="markers+text", showlegend=False,
            name="Derived range", legendgroup="ranges",
            text=[f"  {_per_k(lo)}\u2013{_per_k(hi)} (derived)" for lo, hi in
                  zip(derived_rng["low"], derived_rng["high"])],
            textposition="middle right",
            marker=dict(size=1, color=PALETTE[3], opacity=0),
            error_x=dict(type="data", symmetric=False, array=[0.0] * len(derived_rng),
                         arrayminus=(derived_rng["high"] - derived_rng["low"]).tolist(),
                         color=PALETTE[3], thickness=7, width=9),
            customdata=derived_rng[["low", "high", "cameras", "populations"]].to_numpy(),
            hovertemplate=("%{y}: %{customdata[0]:.1f} to %{customdata[1]:.1f} per 1,000 people"
                           "<br>= %{customdata[2]} cameras \u00f7 %{customdata[3]} people "
                           "(book's arithmetic)<extra></extra>"),
        ))
    fig.update_yaxes(autorange="reversed", categoryorder="array", categoryarray=list(rows["label"]))
    fig.update_xaxes(type="log", dtick=1, range=[np.log10(rows["low"].min()) - 0.3,
                                                 np.log10(rows["high"].max()) + 0.8])
    kabul = rows[rows["basis"] == "derived"].sort_values("year")
    st = rows[rows["basis"] == "stated"]
    if not kabul.empty and not st.empty:
        first, last = kabul.iloc[0], kabul.iloc[-1]
        last_text = (f"{last['low']:.0f}\u2013{last['high']:.0f}" if last["is_range"]
                     else f"{last['high']:.0f}")
        title = (f"On its own claims, {last['city']} went from {first['low']:.2f} to {last_text} "
                 f"cameras per thousand residents ({first['year']}\u2013{last['year']}); compiled "
                 f"estimates for big cities run from {st['low'].min():.0f} to {st['high'].max():.0f}")
    else:
        title = "Cameras per thousand residents, stated and derived"
    fig.update_layout(margin=dict(l=120))
    return finish(
        fig, [density],
        title=title,
        x_title="Cameras per 1,000 people (log scale)",
        alt=(f"Dot-and-range chart on a log scale of cameras per 1,000 people for {len(rows)} "
             f"city-years: {len(st)} stated by a publisher, {len(rows) - len(st)} derived by this "
             f"book, {int(rows['is_range'].sum())} of them ranges over population estimates."),
        description=(
            "Stated values are the publisher's own estimates; derived values are this book's "
            "arithmetic: a claimed or reported camera count divided by a population estimate. "
            "Where two population estimates exist for the same year, the result is shown as a "
            "range from one to the other, not averaged. "
            + " ".join(
                (f"{r.label}: {r.low:.2f} to {r.high:.2f} per 1,000 ({r.basis}; {r.cameras} cameras "
                 f"\u00f7 {r.populations} people)." if r.is_range else
                 f"{r.label}: {r.high:.2f} per 1,000 ({r.basis}"
                 + (f"; {r.cameras} cameras \u00f7 {r.populations} people" if r.basis == "derived" else "")
                 + ").")
                for r in rows.itertuples())
        ),
        table=table_payload(density, ["city", "year", "cameras_per_1000", "basis", "cameras",
                                      "population_million", "source_id"]),
        plot_height=42 * len(rows),
    )


# ---------------------------------------------------------------------------------------
# 5. After deployment: crime claims vs statistics, cameras that stopped working
# ---------------------------------------------------------------------------------------

def after_deployment(outcomes: pd.DataFrame | None = None,
                     counts: pd.DataFrame | None = None) -> go.Figure:
    """Recorded crime and broken cameras after Safe City deployments; claims kept as claims.

    A count of cameras needing restoration is shown as a share of the city's contracted
    cameras (from ``counts``), labelled as this book's arithmetic.
    """
    outcomes = load("safe_city_outcomes") if outcomes is None else outcomes
    counts = load("camera_counts") if counts is None else counts
    require_columns(outcomes, ["city", "date", "measure", "value", "claimant", "claim_type",
                               "source_id"], "after_deployment (outcomes)")
    require_columns(counts, ["city", "date", "cameras", "source_id"], "after_deployment (counts)")
    rows = outcomes.copy()
    rows["panel"] = rows["measure"].map(OUTCOME_PANELS)
    rows["pct"] = rows["value"].astype(float)
    rows["derivation"] = ""
    used_counts = []
    for i, r in rows[rows["measure"] == "cameras_needing_restoration"].iterrows():
        base = counts[(counts["city"] == r["city"]) & (counts["date"] < r["date"])].sort_values("date")
        if base.empty:
            raise ChartDataError(
                f"after_deployment: to show {r['city']}'s cameras needing restoration as a share, "
                f"the counts table needs an earlier camera count for {r['city']}.")
        b = base.iloc[0]
        used_counts.append(base.iloc[[0]])
        rows.loc[i, "pct"] = 100 * float(r["value"]) / float(b["cameras"])
        rows.loc[i, "derivation"] = (f"book's arithmetic: {int(r['value']):,} to restore \u00f7 "
                                     f"{int(b['cameras']):,} contracted ({b['date']})")
    rows["label"] = [f"{r.city} ({r.date})" for r in rows.itertuples()]
    rows["kind"] = [OUTCOME_CLAIM_LABELS.get(c, c) for c in rows["claim_type"]]
    rows["is_claim"] = rows["claim_type"].isin(CLAIM_TYPES)
    # Statistics first, then claims, so the legend reads solid then hatched.
    rows = rows.sort_values(["is_claim", "panel"], kind="stable")

    fig = make_subplots(rows=2, cols=1, row_heights=[0.55, 0.45], vertical_spacing=0.3,
                        subplot_titles=("Change in crime after deployment",
                                        "Cameras not working"))
    kinds = list(dict.fromkeys(rows["kind"]))
    for k, kind in enumerate(kinds):
        shown = False
        for p, panel in enumerate(("crime", "broken"), start=1):
            g = rows[(rows["kind"] == kind) & (rows["panel"] == panel)]
            if g.empty:
                continue
            is_claim = bool(g["is_claim"].all())
            texts = []
            for r in g.itertuples():
                t = _signed(r.pct) if panel == "crime" else f"{r.pct:.0f}%"
                notes = (["claim"] if r.is_claim else []) + (["derived"] if r.derivation else [])
                texts.append(t + (f" ({', '.join(notes)})" if notes else ""))
            colour = PALETTE[k % len(PALETTE)]
            fig.add_trace(go.Bar(
                x=g["pct"], y=g["label"], orientation="h", name=kind, legendgroup=kind,
                showlegend=not shown,
                marker=dict(color=colour, line=dict(color=colour if is_claim else "#222", width=1.5),
                            pattern=dict(shape="x" if is_claim else "", size=8)),
                text=texts, textposition="outside", cliponaxis=False,
                customdata=g[["claimant", "derivation"]].astype(str).to_numpy(),
                hovertemplate="%{y}: %{x:.0f}%<br>according to: %{customdata[0]}<br>"
                              "%{customdata[1]}<extra></extra>",
            ), row=p, col=1)
            shown = True
    crime = rows[rows["panel"] == "crime"]["pct"]
    span = max(abs(crime.min()), abs(crime.max())) * 1.9
    broken_max = float(rows[rows["panel"] == "broken"]["pct"].max())
    fig.update_xaxes(range=[-span, span], zeroline=True, zerolinecolor="#444", row=1, col=1,
                     title_text="% change in crime (negative = fall)")
    fig.update_xaxes(range=[0, max(100.0, broken_max) * 1.45], row=2, col=1,
                     title_text="% of cameras (out of order or to be restored)")
    fig.update_yaxes(autorange="reversed", tickfont=dict(size=12))
    fig.update_layout(barmode="group", bargap=0.3)
    stats = rows[(rows["panel"] == "crime") & ~rows["is_claim"]]
    claims = rows[(rows["panel"] == "crime") & rows["is_claim"]]
    broken = rows[rows["panel"] == "broken"]
    parts = []
    if not stats.empty:
        s = stats.iloc[0]
        parts.append(f"official statistics show {s['city']}'s crime {'up' if s['pct'] > 0 else 'down'} "
                     f"{abs(s['pct']):.0f}% after its Safe City")
    if not claims.empty:
        parts.append(f"the falls of {abs(claims['pct'].max()):.0f}\u2013{abs(claims['pct'].min()):.0f}% "
                     f"are vendor or government claims")
    if not broken.empty:
        parts.append(f"{broken['pct'].min():.0f}\u2013{broken['pct'].max():.0f}% of cameras were out "
                     f"of order or due for restoration")
    title = "After deployment: " + "; ".join(parts) if parts else "After deployment"
    fig.update_layout(margin=dict(l=190))
    return finish(
        fig, [rows] + used_counts,
        title=title,
        alt=(f"Two horizontal bar panels: {len(rows[rows['panel'] == 'crime'])} changes in crime "
             f"after deployment and {len(broken)} shares of cameras not working; claims are "
             f"hatched, statistics solid."),
        description=(
            "Solid bars are official statistics or a legislative committee's finding; hatched bars "
            "are claims by a vendor or a government that no one has checked. A before-and-after "
            "change is not proof that cameras caused it. "
            + " ".join(
                f"{r.label}: {(_signed(r.pct) if r.panel == 'crime' else f'{r.pct:.0f}%')} "
                f"({r.measure.replace('_', ' ')}; {r.kind.lower()}, according to {r.claimant}"
                + (f"; {r.derivation}" if r.derivation else "") + ")."
                for r in rows.itertuples())
        ),
        table=table_payload(rows, ["city", "date", "measure", "value", "claimant", "claim_type",
                                   "source_id"]),
        plot_height=360,
    )


# ---------------------------------------------------------------------------------------
# 6. A four-year rollout: a simple, illustrative yearly cost (low / central / high)
# ---------------------------------------------------------------------------------------

def rollout_inputs(unit_costs: pd.DataFrame | None = None,
                   components: Mapping[str, str] = ROLLOUT_COMPONENTS) -> pd.DataFrame:
    """The unit costs the rollout uses, one row per role, with low/central/high filled.

    Where a source gives only a range, the central value is the middle of the range, and
    ``central_basis`` says so (this book's arithmetic).
    """
    unit_costs = load("unit_costs") if unit_costs is None else unit_costs
    require_columns(unit_costs, ["cost_id", "component", "unit", "low", "central", "high",
                                 "usd_year", "basis", "rationale", "source_id"], "rollout_inputs")
    picked = []
    for role, cost_id in components.items():
        row = _rows_with(unit_costs, "cost_id", cost_id, "rollout_inputs").copy()
        r = row.iloc[0]
        if pd.isna(r["low"]) or pd.isna(r["high"]):
            raise ChartDataError(
                f"rollout_inputs: the unit cost {cost_id!r} needs both a low and a high value, "
                f"so that the result is a range.")
        row["role"] = role
        if pd.isna(r["central"]):
            row["central"] = (float(r["low"]) + float(r["high"])) / 2
            row["central_basis"] = "middle of the sourced range (book's arithmetic)"
        else:
            row["central_basis"] = BASIS_LABELS.get(r["basis"], r["basis"])
        picked.append(row)
    out = pd.concat(picked, ignore_index=True)
    out.attrs = unit_costs.attrs
    return out


def rollout_costs(cameras: int, years: int = 4, unit_costs: pd.DataFrame | None = None,
                  components: Mapping[str, str] = ROLLOUT_COMPONENTS) -> pd.DataFrame:
    """Yearly cost of installing ``cameras`` evenly over ``years``, then one year of upkeep.

    Each year buys cameras/years cameras with their network share and backup power
    (capital cost); every camera installed in earlier years costs the maintenance rate
    times its capital cost per year. The low case takes every input at its low value, the
    high case every input at its high value, so the range is wide on purpose. Control
    rooms, operators and electricity are left out (the data hold no sourced staffing
    ratio), so every figure is a floor, not an estimate of the whole.

    Returns one row per year and case with columns year, case, cameras_installed,
    capital_usd, maintenance_usd, total_usd.
    """
    if years < 1 or cameras < 1:
        raise ValueError("rollout_costs needs at least one camera and one year.")
    inputs = rollout_inputs(unit_costs, components).set_index("role")
    per_year = cameras / years
    records = []
    for case in CASES:
        per_camera = sum(float(inputs.loc[role, case]) for role in inputs.index
                         if role != "maintenance_rate")
        rate = float(inputs.loc["maintenance_rate", case])
        installed_capex = 0.0
        for year in range(1, years + 2):
            building = year <= years
            capex = per_year * per_camera if building else 0.0
            maintenance = rate * installed_capex
            records.append({"year": year, "phase": "rollout" if building else "after rollout",
                            "case": case, "cameras_installed": per_year if building else 0.0,
                            "capital_usd": capex, "maintenance_usd": maintenance,
                            "total_usd": capex + maintenance})
            installed_capex += capex
    return pd.DataFrame(records)


def rollout_chart(unit_costs: pd.DataFrame | None = None,
                  counts: pd.DataFrame | None = None,
                  budgets: pd.DataFrame | None = None,
                  sizes: Sequence[tuple[str, str]] = (("Islamabad", "2016"), ("Lahore", "2016-10")),
                  years: int = 4) -> go.Figure:
    """Yearly cost (low, central, high) of building networks the size of ``sizes``.

    ``sizes`` names rows of ``counts`` (city, date) whose camera counts set the network
    sizes. A dashed line shows the 2021 plan's cost spread evenly over the same years.
    """
    unit_costs = load("unit_costs") if unit_costs is None else unit_costs
    counts = load("camera_counts") if counts is None else counts
    budgets = load("budgets") if budgets is None else budgets
    require_columns(unit_costs, ["cost_id", "component", "unit", "low", "central", "high",
                                 "usd_year", "basis", "rationale", "source_id"],
                    "rollout_chart (unit_costs)")
    require_columns(counts, ["city", "date", "cameras", "source_id"], "rollout_chart (counts)")
    require_columns(budgets, ["item", "amount_usd_million", "source_id"], "rollout_chart (budgets)")
    inputs = rollout_inputs(unit_costs)
    plan = _rows_with(budgets, "item", "plan_2021_upgrade", "rollout_chart")
    plan_per_year = float(plan["amount_usd_million"].iloc[0]) / years

    fig = go.Figure()
    size_rows, table_rows = [], []
    offsets = np.linspace(-0.15, 0.15, len(sizes)) if len(sizes) > 1 else [0.0]
    for i, (city, date) in enumerate(sizes):
        row = counts[(counts["city"] == city) & (counts["date"] == date)]
        if len(row) != 1:
            raise ChartDataError(f"rollout_chart: no single camera count for {city} ({date}).")
        size_rows.append(row)
        n = int(row["cameras"].iloc[0])
        res = rollout_costs(n, years, unit_costs).pivot(index="year", columns="case",
                                                        values="total_usd") / MILLION
        x = res.index.to_numpy(dtype=float) + offsets[i]
        fig.add_trace(go.Scatter(
            x=x, y=res["central"], mode="markers+lines", name=f"{city}-sized network ({n:,} cameras)",
            line=dict(color=PALETTE[i % len(PALETTE)], dash=DASHES[i % len(DASHES)], width=1),
            marker=dict(size=11, color=PALETTE[i % len(PALETTE)], symbol=SYMBOLS[i % len(SYMBOLS)],
                        line=dict(width=1, color="#222")),
            error_y=dict(type="data", symmetric=False,
                         array=(res["high"] - res["central"]).tolist(),
                         arrayminus=(res["central"] - res["low"]).tolist(),
                         color=PALETTE[i % len(PALETTE)], thickness=2, width=7),
            customdata=np.column_stack([res["low"], res["high"]]),
            hovertemplate=(f"{city}-sized, year %{{x:.0f}}<br>central USD %{{y:,.1f}}M<br>"
                           "range USD %{customdata[0]:,.1f}M to %{customdata[1]:,.1f}M<extra></extra>"),
        ))
        for year, r in res.iterrows():
            table_rows.append({"network": f"{city}-sized ({n:,} cameras)", "year": int(year),
                               "phase": "rollout" if year <= years else "after rollout",
                               "low_usd_million": round(r["low"], 2),
                               "central_usd_million": round(r["central"], 2),
                               "high_usd_million": round(r["high"], 2)})
    fig.add_trace(go.Scatter(
        x=[0.5, years + 1.5], y=[plan_per_year, plan_per_year], mode="lines",
        name=(f"2021 plan spread evenly over {years} years: USD {plan_per_year:,.0f}M a year "
              "(book's arithmetic; the plan's own schedule was not published)"),
        line=dict(color="#444", dash="dash", width=1.5), hoverinfo="skip",
    ))
    ticks = list(range(1, years + 2))
    fig.update_xaxes(tickvals=ticks, ticktext=[f"Year {t}" if t <= years else f"Year {t}<br>(upkeep only)"
                                               for t in ticks], range=[0.5, years + 1.5])
    table = pd.DataFrame(table_rows)
    biggest = table[table["network"] == table["network"].iloc[-1]]
    build = biggest[biggest["phase"] == "rollout"]
    cams_biggest = int(size_rows[-1]["cameras"].iloc[0])
    title = (f"Building {cams_biggest:,} cameras over {years} years: USD "
             f"{build['low_usd_million'].sum():,.0f}M to {build['high_usd_million'].sum():,.0f}M in "
             f"all, before control rooms and staff (illustrative)")
    frames = [inputs] + size_rows + [plan]
    fig.update_layout(margin=dict(l=80))
    return finish(
        fig, frames,
        title=title,
        x_title="Year of the rollout",
        y_title="USD million a year (dot: central; bar: low to high)",
        alt=(f"Dot chart with error bars: yearly cost in USD million of building {len(sizes)} "
             f"network sizes over {years} years, central value with a low-to-high range, against "
             f"a dashed line for the 2021 plan spread over the same years."),
        description=(
            "An illustrative calculation, not a forecast. Each year installs an equal share of "
            "the cameras, each with a camera, a share of network and backup power; cameras "
            "already installed cost a yearly maintenance share of their price. The low case "
            "takes every input at its low value and the high case every input at its high "
            "value. Control rooms, operators and electricity are left out, so these are floors. "
            + " ".join(f"{r['network']}, year {r['year']} ({r['phase']}): USD "
                       f"{r['low_usd_million']:,.1f}M to {r['high_usd_million']:,.1f}M, central "
                       f"{r['central_usd_million']:,.1f}M." for r in table_rows)
            + " Inputs: "
            + " ".join(f"{r.role.replace('_', ' ')} {r.low:g} / {r.central:g} / {r.high:g} {r.unit} "
                       f"({BASIS_LABELS.get(r.basis, r.basis)})." for r in inputs.itertuples())
        ),
        table=table_payload(table, ["network", "year", "phase", "low_usd_million",
                                    "central_usd_million", "high_usd_million"]),
        plot_height=340,
        axis_space=80,
    )


__all__ = ["after_deployment", "approx_usd", "camera_count_comparison", "camera_density_chart", "cost_per_camera",
           "density_ranges",
           "plan_budget_shares", "plan_vs_budget", "rollout_chart", "rollout_costs", "rollout_inputs",
           "safe_city_cost_per_camera"]
