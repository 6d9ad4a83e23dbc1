"""Charts for chapter 1, the case."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ..data import load
from ..tables import InteractiveTable, interactive_table
from .theme import PALETTE, SYMBOLS, finish, require_columns, table_payload

CLAIM_TYPE_LABELS = {
    "official_claim": "Official claim (unverified)",
    "reported": "Reported by journalists or officials",
    "verified": "Independently verified",
}
KIND_LABELS = {
    "deployment": "Deployment",
    "plan": "Plan",
    "claim": "Claim",
    "political": "Political event",
    "report": "Report",
}
QUALIFIER_MARK = {"at_least": "+", "approx": " (approx.)", "exact": ""}


def parse_partial_date(text: str) -> pd.Timestamp:
    """'2023', '2023-08' or '2023-08-31' as a timestamp at the start of the period."""
    text = str(text).strip()
    for fmt in ("%Y-%m-%d", "%Y-%m", "%Y"):
        try:
            return pd.to_datetime(text, format=fmt)
        except ValueError:
            continue
    raise ValueError(f"Cannot read {text!r} as a date: expected YYYY, YYYY-MM or YYYY-MM-DD.")


def camera_timeline(counts: pd.DataFrame | None = None,
                    events: pd.DataFrame | None = None,
                    city: str = "Kabul") -> go.Figure:
    """Claimed camera counts for ``city`` over time, above a strip of the case's events.

    Each count is a separate marker labelled with who claims it: the counts come from
    different claimants with different definitions, so they are not joined by a line.
    A count for a wider geography that includes the city (the 2023 claim for "Kabul and
    other cities") is drawn as its own legend entry, because it is not a count for the city.
    """
    counts = load("camera_counts") if counts is None else counts
    events = load("case_timeline") if events is None else events
    require_columns(counts, ["city", "date", "cameras", "qualifier", "claimant", "claim_type",
                             "source_id"], "camera_timeline (counts)")
    require_columns(events, ["date", "event", "actor", "kind", "source_id"],
                    "camera_timeline (events)")
    names = counts["city"].astype(str)
    wider = names.str.startswith(f"{city} and ")
    counts = counts[(names == city) | wider].copy()
    if not (counts["city"] == city).any():
        raise ValueError(f"No camera counts for {city!r} in the table.")
    counts["series"] = [ctype if place == city else f"{ctype}|{place}"
                        for ctype, place in zip(counts["claim_type"], counts["city"])]
    counts["when"] = counts["date"].map(parse_partial_date)
    counts = counts.sort_values("when")
    events = events.copy()
    events["when"] = pd.to_datetime(events["date"])
    events = events.sort_values("when")

    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.72, 0.28],
                        vertical_spacing=0.06)
    for i, (series, group) in enumerate(counts.groupby("series", sort=False)):
        ctype, _, place = series.partition("|")
        name = CLAIM_TYPE_LABELS.get(ctype, ctype) + (f", covering {place}" if place else "")
        labels = [f"{int(n):,}{QUALIFIER_MARK.get(q, '')}" for n, q in
                  zip(group["cameras"], group["qualifier"])]
        # Points close in time would print over each other: label only those at least
        # a year after the last labelled one (hover and the table give every value).
        shown, last = [], None
        for when, label in zip(group["when"], labels):
            keep = last is None or (when - last).days >= 365
            shown.append(label if keep else "")
            last = when if keep else last
        notes = group["note"].fillna("").astype(str).str.slice(0, 110) if "note" in group else ""
        hover = pd.DataFrame({"claimant": group["claimant"].astype(str),
                              "date": group["date"].astype(str), "note": notes, "label": labels})
        fig.add_trace(go.Scatter(
            x=group["when"], y=group["cameras"].astype(float), mode="markers+text",
            name=name, text=shown, textposition="top center",
            marker=dict(size=13, color=PALETTE[i % len(PALETTE)], symbol=SYMBOLS[i % len(SYMBOLS)],
                        line=dict(width=1, color="#222")),
            customdata=hover.to_numpy(),
            hovertemplate="%{customdata[3]} cameras<br>as of %{customdata[1]}<br>claimed by: "
                          "%{customdata[0]}<br>%{customdata[2]}<extra></extra>",
        ), row=1, col=1)
    kinds = list(dict.fromkeys(events["kind"]))
    for j, kind in enumerate(kinds):
        group = events[events["kind"] == kind]
        fig.add_trace(go.Scatter(
            x=group["when"], y=[KIND_LABELS.get(kind, kind)] * len(group), mode="markers",
            name=f"Event: {KIND_LABELS.get(kind, kind).lower()}",
            marker=dict(size=11, color=PALETTE[(j + 3) % len(PALETTE)],
                        symbol=SYMBOLS[(j + 2) % len(SYMBOLS)], line=dict(width=1, color="#222")),
            customdata=group[["event", "actor"]].astype(str).to_numpy(),
            hovertemplate="%{x|%Y-%m-%d}: %{customdata[0]}<br>(%{customdata[1]})<extra></extra>",
        ), row=2, col=1)
    fig.update_yaxes(type="log", title_text="Cameras (log scale)", row=1, col=1)
    fig.update_yaxes(title_text="", row=2, col=1)
    fig.update_xaxes(title_text="Date", row=2, col=1)
    fig.update_layout(margin=dict(l=130))

    own = counts[counts["city"] == city]
    latest = own.iloc[-1]
    takeover = pd.Timestamp("2021-08-15")
    before = own[own["when"] < takeover]
    verified = (counts["claim_type"] == "verified").any()
    if len(before):
        b = before.iloc[-1]
        title = (f"{city}: about {int(b['cameras']):,} cameras before the 2021 takeover, "
                 f"{int(latest['cameras']):,}{QUALIFIER_MARK.get(latest['qualifier'], '')} "
                 f"claimed by {latest['date'][:4]}")
    else:
        title = (f"{city}: {int(latest['cameras']):,}{QUALIFIER_MARK.get(latest['qualifier'], '')} "
                 f"cameras claimed by {latest['date'][:4]}")
    title += "; no count independently verified" if not verified else ""
    first = counts.iloc[0]
    table_rows = counts.assign(date_shown=counts["date"])
    return finish(
        fig, [counts, events],
        title=title,
        alt=(f"Timeline chart: camera counts in {city} claimed by different sources, on a "
             f"log scale, from {first['date']} to {latest['date']}, above a strip of "
             f"{len(events)} events in the case."),
        description=(
            "Each marker is one camera count with the party that claims it; the counts are "
            "not joined because they come from different claimants who may count different "
            "things (public cameras, or also cameras that households and shops were ordered "
            "to install). "
            + " ".join(f"{r.date}: {int(r.cameras):,}{QUALIFIER_MARK.get(r.qualifier, '')} "
                       f"cameras{'' if r.city == city else ' in ' + r.city}, claimed by "
                       f"{r.claimant}." for r in counts.itertuples())
            + " The lower strip marks the case's events; hover or read the data table for each."
        ),
        table=table_payload(table_rows, ["date_shown", "city", "cameras", "qualifier",
                                         "claimant", "claim_type", "source_id"]),
        plot_height=500,
    )


STATUS_LABELS = {
    "official_statement": "Official statement",
    "unverified_claim": "Unverified claim",
    "disputed": "Disputed",
    "analyst_view": "Analyst's view",
    "rights_group_view": "Rights group's view",
    "reported_fact": "Reported fact",
}
CLAIMANT_LABELS = {
    "taliban_official": "Taliban officials",
    "former_government": "Former government",
    "foreign_government": "Foreign governments",
    "company": "Companies",
    "analyst": "Analysts",
    "rights_group": "Rights groups",
    "un": "UN",
    "media": "Media",
    "residents": "Residents",
}


def claims_by_source(claims: pd.DataFrame | None = None) -> go.Figure:
    """How many of the report's claims each kind of claimant makes, split by their status."""
    claims = load("claims") if claims is None else claims
    require_columns(claims, ["claim_id", "claimant_type", "status", "source_id"],
                    "claims_by_source")
    counts = (claims.groupby(["claimant_type", "status"], observed=True).size()
              .rename("claims").reset_index())
    order = (counts.groupby("claimant_type")["claims"].sum().sort_values().index.tolist())
    fig = go.Figure()
    statuses = [s for s in STATUS_LABELS if s in set(counts["status"])] + sorted(
        set(counts["status"]) - set(STATUS_LABELS))
    patterns = ["", "/", "\\", "x", ".", "+", "-"]
    for i, status in enumerate(statuses):
        part = counts[counts["status"] == status].set_index("claimant_type").reindex(order)
        fig.add_trace(go.Bar(
            y=[CLAIMANT_LABELS.get(c, c) for c in order], x=part["claims"].fillna(0),
            name=STATUS_LABELS.get(status, status), orientation="h",
            marker=dict(color=PALETTE[i % len(PALETTE)], pattern_shape=patterns[i % len(patterns)],
                        line=dict(width=1, color="#222")),
            hovertemplate="%{y}: %{x} claim(s)<extra>" + STATUS_LABELS.get(status, status) + "</extra>",
        ))
    fig.update_layout(barmode="stack", margin=dict(l=160))
    top = counts.groupby("claimant_type")["claims"].sum().sort_values(ascending=False)
    unverified = int(counts.loc[counts["status"].isin(["unverified_claim", "disputed"]), "claims"].sum())
    return finish(
        fig, [claims],
        title=(f"Who says what: {CLAIMANT_LABELS.get(top.index[0], top.index[0])} make "
               f"{int(top.iloc[0])} of the report's {len(claims)} claims; "
               f"{unverified} are unverified or disputed"),
        alt=(f"Horizontal stacked bar chart of the {len(claims)} claims in the Reuters report, "
             f"by kind of claimant, split by the status of each claim."),
        description=(
            "Each bar counts the claims made by one kind of claimant; its segments show how "
            "many are official statements, unverified claims, disputed claims, analysts' or "
            "rights groups' views, or facts the report states. "
            + " ".join(f"{CLAIMANT_LABELS.get(c, c)}: {int(n)}." for c, n in top.items())
            + " Counting claims says nothing about which are true; it shows where the report's "
              "information comes from."
        ),
        table=table_payload(counts.assign(
            claimant=counts["claimant_type"].map(lambda c: CLAIMANT_LABELS.get(c, c)),
            status_label=counts["status"].map(lambda s: STATUS_LABELS.get(s, s))),
            ["claimant", "status_label", "claims"]),
        x_title="Number of claims", y_title="Claimant",
        plot_height=40 * len(order) + 40,
    )


def claims_ledger(claims: pd.DataFrame | None = None) -> InteractiveTable:
    """The report's claims as a sortable, filterable table with readable labels."""
    claims = load("claims") if claims is None else claims
    require_columns(claims, ["claim_id", "claim", "claimant", "status", "qualification",
                             "source_id", "confidence"], "claims_ledger")
    shown = claims.assign(
        status=claims["status"].map(lambda s: STATUS_LABELS.get(s, s)),
        source_id=claims["source_id"].str.replace(";", "; ", regex=False),
    )
    return interactive_table(
        shown,
        "Claims in the Reuters report of 25 September 2023, with their status and "
        "what qualifies or contradicts them",
        {"claim_id": "Id", "claim": "Claim (paraphrased)", "claimant": "Who says it",
         "status": "Status", "qualification": "What qualifies or contradicts it",
         "confidence": "Confidence", "source_id": "Sources"},
    )
