"""Charts for chapter 6, weighing it up: the tradeoff models as figures.

* :func:`tornado_chart`: which assumption moves a model's result most (any model, any
  output), from the registry's low, central and high values;
* :func:`monte_carlo_chart`: the spread of a result when every assumption is drawn at
  random, with the 5th-95th percentile band;
* :func:`cost_static`: the static twin of the cost dashboard: a yearly build-and-run
  schedule, one slider step per claimed network size;
* :func:`detection_static`: the static twin of the detection dashboard: alerts per day,
  true and false by group, one slider step per base rate;
* :func:`precision_curve`: the share of alerts that are true across base rates;
* :func:`cost_dashboard_chart` and :func:`detection_dashboard_chart`: the live
  dashboards' charts for one setting.

Every builder takes the registry (``data/model_assumptions.csv``) and the other tables it
reads as optional arguments, refuses a table without the columns it needs, draws ranges
as ranges and ends with :func:`~kabulcase.figures.theme.finish`, so the source note comes
from the registry rows used. Every chart is model output, labelled as such; the book's
own assumptions are marked wherever they appear.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..data import load
from ..models import assumptions as reg
from ..models import cost, detection
from ..models import uncertainty as unc
from .theme import (DASHES, PALETTE, SYMBOLS, ChartDataError, finish, require_columns, table_payload,
                    usd, wrap)

REGISTRY_COLUMNS = ["model", "name", "label", "unit", "low", "default", "high", "basis",
                    "source_id", "note"]
COUNT_COLUMNS = ["city", "date", "cameras", "claim_type", "source_id"]
EVIDENCE_COLUMNS = ["comparison", "low", "high", "central", "source_id"]
BASIS_SHORT = {"sourced": "sourced", "derived": "derived", "book_assumption": "book's assumption"}
DEFAULT_OUTPUT = {"cost": "tco_usd", "power": "share_recording", "detection": "precision"}
NETWORK_SIZES: tuple[tuple[str, str], ...] = (
    ("Kabul", "2021"), (reg.CLAIMED_NETWORK["city"], reg.CLAIMED_NETWORK["date"]),
    ("Kabul", "2025-02"))
"""The network sizes of the cost twin (data/camera_counts.csv): Kabul before the takeover, the
network claimed in August 2023 (Kabul and other cities; its filter lives in
kabulcase.models.assumptions.CLAIMED_NETWORK) and Kabul's count of February 2025."""
BASE_RATES: tuple[float, ...] = (100.0, 10.0, 1.0, 0.1, 0.01)
"""Watchlisted people passing per day in the detection twin (scenario inputs, not data)."""
SEED = 2026
"""Seed of the charts' Monte Carlo runs, so the book shows the same figures every build."""
MILLION = 1e6


# ---------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------

def one_in(share: float) -> str:
    """A small share as '1 in 2,500' (a share of 0 as 'none'; above a half as a percent)."""
    share = float(share)
    if not np.isfinite(share):
        return "undefined"
    if share <= 0:
        return "none"
    if share > 0.5:
        return f"{share:.0%}"
    return f"1 in {1 / share:,.0f}" if 1 / share >= 10 else f"1 in {1 / share:.1f}"


def _count(x: float) -> str:
    x = float(x)
    if x >= 100:
        return f"{x:,.0f}"
    if x >= 1:
        return f"{x:,.1f}".rstrip("0").rstrip(".")
    return f"{x:.2g}"


def _scale(model: str, output: str) -> tuple[float, str, str]:
    """(factor, axis title, hover format) for an output."""
    label = unc.output_label(model, output)
    if output.endswith("_usd") or output.endswith("_usd_per_year"):
        return 1 / MILLION, label.replace("(USD)", "").strip() + " (USD million)", ",.1f"
    if output in ("precision", "precision_reference", "precision_affected", "opex_share_of_tco",
                  "affected_share_of_false_alerts") or output.startswith("share") or \
            output.startswith("p_incident"):
        return 100.0, label + " (%)", ".3g"
    return 1.0, label, ",.3g"


def _plain_label(model: str, output: str, years: float | None = None) -> str:
    """An output's label without a trailing unit in brackets, for titles and sentences;
    the cost model's totals say over how many years."""
    label = unc.output_label(model, output)
    label = label[:-len(" (USD)")] if label.endswith(" (USD)") else label
    if model == "cost" and output in ("tco_usd", "horizon_opex_usd", "build_capex_usd") and years:
        label += f" over {years:g} years"
    return label


def _fmt_output(model: str, output: str, value: float) -> str:
    if output.endswith("_usd") or output.endswith("_usd_per_year"):
        return usd(value)
    if output in ("precision", "precision_reference", "precision_affected"):
        return one_in(value) + " alerts true"
    factor, _, _ = _scale(model, output)
    if factor == 100.0:
        return f"{100 * value:.3g}%"
    return _count(value)


def _percent_ticks(values: np.ndarray) -> dict[str, list]:
    """Tick values and plain labels (0.001%, not plotly's '1μ%') for a log axis of percents."""
    lo = np.floor(np.log10(np.min(values)))
    hi = np.ceil(np.log10(np.max(values)))
    ticks = 10.0 ** np.arange(lo, hi + 1)
    return {"tickvals": ticks.tolist(),
            "ticktext": [f"{v:.10f}".rstrip("0").rstrip(".") + "%" for v in ticks]}


def _registry(registry: pd.DataFrame | None, chart: str) -> pd.DataFrame:
    registry = reg.registry() if registry is None else registry
    require_columns(registry, REGISTRY_COLUMNS, chart)
    return registry


def _rows(registry: pd.DataFrame, model: str, chart: str, include_levers: bool = False,
          exclude: Sequence[str] = ()) -> tuple[dict[str, unc.Distribution], pd.DataFrame,
                                                dict[str, pd.Series]]:
    """The model's assumptions as distributions (triangular on the registry's low, default
    and high), the registry rows used (for the source note) and each keyword's row."""
    specs: dict[str, unc.Distribution] = {}
    info: dict[str, pd.Series] = {}
    used = []
    # Look rows up in a copy without attrs: pandas deep-copies attrs (the sources) on every
    # operation, which would make a dashboard update slow.
    plain = registry.copy(deep=False)
    plain.attrs = {}
    where: dict[tuple[str, str], list] = {}
    for idx, m, n in zip(plain.index, plain["model"], plain["name"]):
        where.setdefault((str(m), str(n)), []).append(idx)
    for keyword, (m, n) in unc.PARAMETERS[model].items():
        if keyword in exclude:
            continue
        hits = where.get((m, n), [])
        if len(hits) != 1:
            raise ChartDataError(f"{chart}: the registry has no single row for {m}.{n} "
                                 f"(data/model_assumptions.csv).")
        row = plain.loc[hits[0]]
        used.append(hits[0])
        info[keyword] = row
        note = "" if pd.isna(row["note"]) else str(row["note"])
        if reg.LEVER_MARK in note and not include_levers:
            continue
        try:
            specs[keyword] = unc.Triangular(float(row["low"]), float(row["default"]), float(row["high"]))
        except ValueError as err:
            raise ChartDataError(f"{chart}: registry row {m}.{n}: {err}") from None
    frame = plain.loc[used].copy()
    frame.attrs = dict(registry.attrs)
    return specs, frame, info


def _defaults(info: Mapping[str, pd.Series]) -> dict[str, float]:
    return {k: float(r["default"]) for k, r in info.items()}


# ---------------------------------------------------------------------------------------
# 1. Tornado: which assumption moves the result most
# ---------------------------------------------------------------------------------------

def tornado_chart(model: str = "cost", output: str | None = None,
                  registry: pd.DataFrame | None = None, fixed: Mapping[str, Any] | None = None,
                  top: int | None = None) -> go.Figure:
    """One bar per assumption: the range of ``output`` as that assumption moves from its low
    to its high value (registry), every other held at its default; largest swing on top.

    ``model`` is "cost", "power" or "detection"; ``output`` one of its outputs (default: total
    cost of ownership, share of camera-hours recording, share of alerts that are true).
    Levers stay at their defaults unless set in ``fixed``; ``top`` keeps the largest swings.
    """
    registry = _registry(registry, "tornado_chart")
    if model not in unc.PARAMETERS:
        raise ChartDataError(f"tornado_chart: model must be one of {', '.join(unc.PARAMETERS)}; "
                             f"got {model!r}.")
    output = DEFAULT_OUTPUT[model] if output is None else output
    specs, used, info = _rows(registry, model, "tornado_chart")
    fixed = dict(fixed or {})
    specs = {k: v for k, v in specs.items() if k not in fixed}
    levers = {k: float(r["default"]) for k, r in info.items() if k not in specs and k not in fixed}
    swings = unc.tornado(model, specs, output, fixed={**levers, **fixed})
    central_value = float(swings["output_central"].iloc[0])
    flat = swings["swing"] <= 1e-9 * max(1.0, abs(central_value))
    no_effect = list(swings.loc[flat, "label"])
    swings = swings[~flat].reset_index(drop=True)
    if swings.empty:
        raise ChartDataError(f"tornado_chart: no assumption moves {output!r} at these settings.")
    if top is not None:
        swings = swings.head(int(top))
    factor, axis_title, hover_fmt = _scale(model, output)
    out_label = _plain_label(model, output, {**levers, **fixed}.get("horizon_years"))
    labels = [wrap(f"{r.label} ({BASIS_SHORT.get(r.basis, r.basis)})", 30)
              for r in swings.itertuples()]
    lo = np.minimum(swings["output_low"], swings["output_high"]) * factor
    hi = np.maximum(swings["output_low"], swings["output_high"]) * factor
    custom = np.column_stack([swings["low"].map("{:,.6g}".format), swings["high"].map("{:,.6g}".format),
                              swings["unit"].astype(str)])
    fig = go.Figure()
    fig.add_trace(go.Bar(
        y=labels, x=(hi - lo).to_numpy(), base=lo.to_numpy(), orientation="h",
        name="Range of the result, low to high",
        marker=dict(color="#c9c9c9", line=dict(color="#555555", width=1)),
        customdata=custom,
        hovertemplate=("%{y}<br>from %{customdata[0]} to %{customdata[1]} %{customdata[2]}"
                       "<extra></extra>"),
    ))
    for i, (end, col) in enumerate((("low", "output_low"), ("high", "output_high"))):
        fig.add_trace(go.Scatter(
            y=labels, x=(swings[col] * factor).to_numpy(), mode="markers",
            name=f"Assumption at its {end} end",
            marker=dict(size=11, color=PALETTE[i], symbol=SYMBOLS[i], line=dict(width=1, color="#222")),
            customdata=swings[end].map("{:,.6g}".format),
            hovertemplate=f"%{{y}} at {end} (%{{customdata}}): %{{x:{hover_fmt}}}<extra></extra>",
        ))
    central = float(swings["output_central"].iloc[0])
    fig.add_vline(x=central * factor, line=dict(color="#222222", dash="dot", width=1.5))
    fig.add_annotation(x=central * factor, y=1.0, xref="x", yref="paper", yanchor="bottom",
                       showarrow=False, text=f"all at default: {_fmt_output(model, output, central)}",
                       font=dict(size=12))
    fig.update_yaxes(autorange="reversed", tickfont=dict(size=12))
    positive = np.concatenate([lo.to_numpy(), hi.to_numpy()])
    if factor == 100.0 and np.all(positive > 0) and positive.max() / positive.min() > 100:
        # Shares spanning orders of magnitude (the share of alerts that are true): log scale,
        # bars drawn as low-high ranges all the same.
        fig.update_xaxes(type="log", **_percent_ticks(positive))
        axis_title += " (log scale)"
    biggest = swings.iloc[0]
    title = (f"{biggest['label']} moves the {out_label[:1].lower() + out_label[1:]} most: from "
             f"{_fmt_output(model, output, biggest['output_low'])} to "
             f"{_fmt_output(model, output, biggest['output_high'])} across its range")
    table = swings.assign(basis=swings["basis"].map(lambda b: BASIS_SHORT.get(b, b)))
    for col in ("output_low", "output_central", "output_high", "swing"):
        table[col] = table[col].map(lambda v: float(f"{v:.4g}"))
    description = (
        f"Model output, not data. Each bar shows how far the {out_label.lower()} moves when one "
        f"assumption goes from the low to the high end of its range in data/model_assumptions.csv "
        f"while every other stays at its default (result at the defaults: "
        f"{_fmt_output(model, output, central)}). Largest swing first. "
        + " ".join(f"{r.label} ({BASIS_SHORT.get(r.basis, r.basis)}), {r.low:,.6g} to {r.high:,.6g} "
                   f"{r.unit}: {_fmt_output(model, output, r.output_low)} to "
                   f"{_fmt_output(model, output, r.output_high)}."
                   for r in swings.itertuples())
        + (f" No effect on this result at these settings: {', '.join(no_effect)}." if no_effect else "")
        + " A wide bar for a book assumption means the answer rests on a judgement no source "
          "settles."
    )
    fig.update_layout(height=150 + 46 * len(swings), margin=dict(l=250, r=40), bargap=0.35)
    return finish(
        fig, [used], title=title,
        alt=(f"Tornado chart: {len(swings)} horizontal bars, one per assumption of the {model} model, "
             f"each spanning the {out_label.lower()} from the assumption's low to its high value; "
             f"the widest is {biggest['label'].lower()}."),
        description=description,
        table=table_payload(table, ["assumption", "label", "basis", "low", "central", "high", "unit",
                                    "output_low", "output_central", "output_high", "swing"]),
        x_title=wrap(axis_title, 52), plot_height=max(220, 46 * len(swings)),
    )


# ---------------------------------------------------------------------------------------
# 2. Monte Carlo: the spread of one result
# ---------------------------------------------------------------------------------------

def monte_carlo_chart(model: str = "cost", output: str | None = None,
                      registry: pd.DataFrame | None = None, n: int = 10_000, seed: int = SEED,
                      fixed: Mapping[str, Any] | None = None) -> go.Figure:
    """A histogram of ``output`` over ``n`` random draws of every non-lever assumption
    (triangular on the registry's low, default and high; log scale for order-of-magnitude
    ranges, :data:`~kabulcase.models.uncertainty.LOG_SCALE`), with the 5th-95th percentile
    band shaded and the median marked. Seeded, so the book shows the same figure each build."""
    registry = _registry(registry, "monte_carlo_chart")
    if model not in unc.PARAMETERS:
        raise ChartDataError(f"monte_carlo_chart: model must be one of {', '.join(unc.PARAMETERS)}; "
                             f"got {model!r}.")
    output = DEFAULT_OUTPUT[model] if output is None else output
    specs, used, info = _rows(registry, model, "monte_carlo_chart")
    for k in unc.LOG_SCALE.get(model, ()):
        if k in specs:
            s = specs[k]
            specs[k] = unc.LogTriangular(s.low, s.central, s.high)
    fixed = dict(fixed or {})
    specs = {k: v for k, v in specs.items() if k not in fixed}
    levers = {k: float(r["default"]) for k, r in info.items() if k not in specs and k not in fixed}
    result = unc.monte_carlo(model, specs, n=n, seed=seed, fixed={**levers, **fixed})
    if output not in result.outputs.columns:
        raise ChartDataError(f"monte_carlo_chart: output must be one of "
                             f"{', '.join(result.outputs.columns)}; got {output!r}.")
    factor, axis_title, _ = _scale(model, output)
    values = result.outputs[output].to_numpy(float)
    values = values[np.isfinite(values)]
    s = result.summary(output)
    log_x = model == "detection" and factor == 100.0
    x = values * factor
    fig = go.Figure()
    if log_x:
        x = np.log10(np.clip(x, 1e-12, None))
    fig.add_trace(go.Histogram(x=x, nbinsx=60, name=f"{n:,} simulated cases",
                               marker=dict(color=PALETTE[0], line=dict(color="#ffffff", width=0.5)),
                               hovertemplate="%{y} cases<extra></extra>"))
    lo, mid, hi = (s["p5"] * factor, s["p50"] * factor, s["p95"] * factor)
    tx = (lambda v: float(np.log10(max(v, 1e-12)))) if log_x else (lambda v: float(v))
    fig.add_vrect(x0=tx(lo), x1=tx(hi), fillcolor="#E69F00", opacity=0.2, line_width=0, layer="below")
    fig.add_vline(x=tx(mid), line=dict(color="#222222", dash="dash", width=2))
    fig.add_trace(go.Scatter(x=[tx(lo), tx(hi)], y=[0, 0], mode="markers",
                             name="5th and 95th percentiles (shaded between)",
                             marker=dict(symbol="line-ns-open", size=18, color="#8a5a00",
                                         line=dict(width=3)), hoverinfo="skip"))
    fig.add_annotation(x=tx(mid), y=1.0, xref="x", yref="paper", yanchor="bottom", showarrow=False,
                       text=f"median: {_fmt_output(model, output, s['p50'])}", font=dict(size=12))
    if log_x:
        ticks = np.arange(np.floor(x.min()), np.ceil(x.max()) + 1)
        fig.update_xaxes(tickvals=ticks, ticktext=[f"{10 ** t:g}%" for t in ticks])
    out_label = _plain_label(model, output, {**levers, **fixed}.get("horizon_years"))
    title = (f"{out_label}: half the simulated cases above {_fmt_output(model, output, s['p50'])}, "
             f"nine in ten between {_fmt_output(model, output, s['p5'])} and "
             f"{_fmt_output(model, output, s['p95'])}")
    drawn = list(specs)
    table = pd.DataFrame([{"statistic": k, "value": float(f"{v:.4g}")} for k, v in s.items()])
    return finish(
        fig, [used], title=title,
        alt=(f"Histogram of {n:,} simulated values of the {out_label.lower()} from the {model} model, "
             f"with the middle 90% shaded and the median marked."),
        description=(
            f"Model output, not data. Each of {n:,} cases draws every assumption of the {model} "
            f"model at random between its low and high value in data/model_assumptions.csv "
            f"(triangular, peaking at the default; seed {seed}); choices such as "
            f"{', '.join(k for k in levers) or 'none'} stay at their defaults. Drawn: "
            f"{', '.join(drawn)}. 5th percentile {_fmt_output(model, output, s['p5'])}, median "
            f"{_fmt_output(model, output, s['p50'])}, 95th percentile "
            f"{_fmt_output(model, output, s['p95'])}, mean {_fmt_output(model, output, s['mean'])}. "
            "The spread comes from the assumed ranges, most of them the book's own: it shows "
            "how much the answer depends on them, not a probability that the world holds."),
        table=table_payload(table, ["statistic", "value"]),
        x_title=wrap(axis_title + (" (log scale)" if log_x else ""), 52),
        y_title="Simulated cases",
    )


# ---------------------------------------------------------------------------------------
# 3. The cost twin: a yearly schedule for each claimed network size
# ---------------------------------------------------------------------------------------

def _per_camera_draws(specs: Mapping[str, unc.Distribution], levers: Mapping[str, float],
                      n: int, seed: int) -> dict[str, np.ndarray]:
    """Capital and running cost per camera over ``n`` draws (costs scale with the count)."""
    specs = {k: v for k, v in specs.items() if k != "n_cameras"}
    draws = unc.monte_carlo("cost", specs, n=n, seed=seed,
                            fixed={**levers, "n_cameras": 1.0}).outputs
    return {"capex": draws["capex_usd"].to_numpy(), "opex": draws["opex_usd_per_year"].to_numpy()}


def cost_static(registry: pd.DataFrame | None = None, counts: pd.DataFrame | None = None,
                budgets: pd.DataFrame | None = None,
                sizes: Sequence[tuple[str, str]] = NETWORK_SIZES, n: int = 2000,
                seed: int = SEED) -> go.Figure:
    """The cost dashboard, precomputed: the yearly cost of building and running a network,
    one slider step per network size in ``sizes`` (rows of ``data/camera_counts.csv``).

    Stacked bars split each year's central cost (every assumption at its default) into
    capital, maintenance and operators' pay; the whiskers span the 5th to 95th percentile of
    ``n`` simulations that draw every assumption across its range.
    """
    registry = _registry(registry, "cost_static")
    counts = load("camera_counts") if counts is None else counts
    budgets = load("budgets") if budgets is None else budgets
    require_columns(counts, COUNT_COLUMNS, "cost_static (counts)")
    require_columns(budgets, ["item", "amount_usd_million", "basis", "source_id"], "cost_static (budgets)")
    if not sizes:
        raise ChartDataError("cost_static needs at least one network size.")
    specs, used, info = _rows(registry, "cost", "cost_static")
    defaults = _defaults(info)
    levers = {k: v for k, v in defaults.items() if k not in specs}
    rollout, horizon = int(defaults["rollout_years"]), int(defaults["horizon_years"])
    years = np.arange(1, horizon + 1)
    installed_share = np.where(years <= rollout, 1.0 / rollout, 0.0)
    service_share = np.minimum(years - 1, rollout) / rollout
    per_cam = _per_camera_draws(specs, levers, n, seed)
    sims = np.outer(per_cam["capex"], installed_share) + np.outer(per_cam["opex"], service_share)
    p5, p95 = np.percentile(sims, 5, axis=0), np.percentile(sims, 95, axis=0)
    tco_sims = sims.sum(axis=1)
    size_rows, cases = [], []
    for city, date in sizes:
        row = counts[(counts["city"] == city) & (counts["date"] == date)]
        if len(row) != 1:
            raise ChartDataError(f"cost_static: no single camera count for {city} ({date}).")
        size_rows.append(row)
        cams = int(row["cameras"].iloc[0])
        sched = cost.rollout_schedule(**{**defaults, "n_cameras": cams})
        total = sched["total_usd"].to_numpy()
        cases.append({"label": f"{cams:,} ({date[:4]})", "city": city, "cameras": cams,
                      "claim": str(row["claim_type"].iloc[0]), "sched": sched,
                      "total": total, "p5": p5 * cams, "p95": p95 * cams,
                      "tco": float(total.sum()), "tco_p5": float(np.percentile(tco_sims, 5) * cams),
                      "tco_p95": float(np.percentile(tco_sims, 95) * cams),
                      "opex_share": float(sched["opex_usd"].sum() / total.sum())})
    parts = [("capex_usd", "Capital: cameras, network, backup power, control-room seats", PALETTE[0], ""),
             ("maintenance_usd", "Maintenance", PALETTE[2], "/"),
             ("staff_usd", "Operators' pay", PALETTE[1], ".")]
    claimed = (reg.CLAIMED_NETWORK["city"], reg.CLAIMED_NETWORK["date"])
    default_i = next((i for i, (c, d) in enumerate(sizes) if (c, d) == claimed), 0)
    first = cases[default_i]
    fig = go.Figure()
    for col, name, colour, shape in parts:
        fig.add_trace(go.Bar(x=years, y=first["sched"][col] / MILLION, name=name,
                             marker=dict(color=colour, pattern=dict(shape=shape),
                                         line=dict(color="#222222", width=1)),
                             hovertemplate=f"year %{{x}}: {name.lower()} USD %{{y:,.1f}} million<extra></extra>"))
    fig.add_trace(go.Scatter(
        x=years, y=first["total"] / MILLION, mode="markers",
        name=f"Year's total, with 5th-95th percentile of {n:,} simulations",
        marker=dict(size=9, color="#222222", symbol="diamond"),
        error_y=dict(type="data", symmetric=False, array=((first["p95"] - first["total"]) / MILLION).tolist(),
                     arrayminus=((first["total"] - first["p5"]) / MILLION).tolist(),
                     color="#222222", thickness=1.5, width=6),
        hovertemplate="year %{x}: USD %{y:,.1f} million (central)<extra></extra>",
    ))
    steps = []
    for c in cases:
        steps.append(dict(method="restyle", label=c["label"], args=[{
            "y": [list(c["sched"][col] / MILLION) for col, *_ in parts] + [list(c["total"] / MILLION)],
            "error_y.array": [None, None, None, list((c["p95"] - c["total"]) / MILLION)],
            "error_y.arrayminus": [None, None, None, list((c["total"] - c["p5"]) / MILLION)],
        }, [0, 1, 2, 3]]))
    fig.update_layout(barmode="stack", bargap=0.25, margin=dict(l=70, r=60),
                      sliders=[dict(active=default_i, steps=steps,
                                    currentvalue=dict(prefix="Cameras: ", font=dict(size=14)))])
    fig.update_xaxes(tickvals=years, ticktext=[f"{y}" for y in years],
                     range=[0.4, horizon + 0.6])
    ymax = max(float(np.max(c["p95"])) for c in cases) / MILLION
    fig.update_yaxes(range=[0, ymax * 1.08])
    plan = budgets[budgets["item"] == "plan_2021_upgrade"]
    comp = cost.budget_comparison(float(first["sched"]["capex_usd"].sum()), budgets)
    ratio = {r.item: r.ratio for r in comp.itertuples()}
    title = (f"{first['cameras']:,} cameras over {horizon} years: {usd(first['tco'])} "
             f"(nine in ten simulations {usd(first['tco_p5'])} to {usd(first['tco_p95'])}); "
             f"running them is {first['opex_share']:.0%} of it")
    table_rows = []
    for c in cases:
        for i, r in c["sched"].iterrows():
            table_rows.append({"network": c["label"], "year": int(r["year"]), "phase": r["phase"],
                               "capital_usd_million": round(r["capex_usd"] / MILLION, 2),
                               "maintenance_usd_million": round(r["maintenance_usd"] / MILLION, 2),
                               "staff_usd_million": round(r["staff_usd"] / MILLION, 2),
                               "total_usd_million": round(r["total_usd"] / MILLION, 2),
                               "p5_usd_million": round(c["p5"][i] / MILLION, 2),
                               "p95_usd_million": round(c["p95"][i] / MILLION, 2)})
    table = pd.DataFrame(table_rows)
    description = (
        f"Model output, not data: the book's cost model with every assumption at its default in "
        f"data/model_assumptions.csv (unit costs from data/unit_costs.csv, most of them the book's "
        f"own assumptions). An equal share of the cameras is installed in each of {rollout} years; "
        f"installed cameras cost maintenance and operators' pay from the next year. Whiskers span "
        f"the 5th to 95th percentile of {n:,} simulations drawing every assumption across its "
        f"range (seed {seed}). The slider moves between network sizes from data/camera_counts.csv; "
        f"the 2023 and 2025 counts are unverified official claims that include cameras households "
        f"were ordered to buy. "
        + " ".join(f"{c['label']}: {usd(c['tco'])} over {horizon} years (simulations "
                   f"{usd(c['tco_p5'])} to {usd(c['tco_p95'])}), running costs "
                   f"{c['opex_share']:.0%} of it." for c in cases)
        + f" For scale: the capital cost of the {first['cameras']:,}-camera network is "
        f"{ratio['plan_2021_upgrade']:.1f} times the 2021 plan and "
        f"{ratio['budget_fy1401_total']:.0%} of the 2022 national budget (book's arithmetic; the "
        f"plan was donor-backed and predates the budget)."
    )
    frames = [used] + size_rows + [plan]
    return finish(
        fig, frames, title=title,
        alt=(f"Stacked bar chart from the book's cost model: yearly cost in USD million of a camera "
             f"network over {horizon} years, split into capital, maintenance and operators' pay, "
             f"with whiskers for the simulated range and a slider over {len(cases)} network sizes."),
        description=description,
        table=table_payload(table, list(table.columns)),
        x_title="Year (building in years 1 to " + str(rollout) + ", then running)",
        y_title="USD million a year", slider=True, plot_height=340,
    )


# ---------------------------------------------------------------------------------------
# 4. The detection twin: alerts per day across base rates
# ---------------------------------------------------------------------------------------

def _detection_inputs(registry: pd.DataFrame, evidence: pd.DataFrame, chart: str,
                      comparison: str = "women vs men") -> tuple[dict[str, float], pd.DataFrame,
                                                                 pd.DataFrame, pd.Series]:
    specs, used, info = _rows(registry, "detection", chart)
    settings = detection.multiplier_settings(evidence)
    row = settings[settings["comparison"] == comparison]
    if len(row) != 1:
        raise ChartDataError(f"{chart}: no single NIST comparison {comparison!r} in the evidence table.")
    ev_rows = evidence[evidence["comparison"] == comparison].copy()
    ev_rows.attrs = dict(evidence.attrs)
    params = _defaults(info)
    params["fmr_multiplier"] = float(row["central"].iloc[0])
    return params, used, ev_rows, row.iloc[0]


def detection_static(registry: pd.DataFrame | None = None,
                     evidence: pd.DataFrame | None = None,
                     base_rates: Sequence[float] = BASE_RATES,
                     comparison: str = "women vs men") -> go.Figure:
    """The detection dashboard, precomputed: alerts per day (true alerts, and false alerts
    on the reference and the affected group), one slider step per base rate (watchlisted
    people passing per day). Every other input at its default; the affected group's
    false-match multiplier is NIST's ``comparison`` from ``data/evidence_face_recognition.csv``,
    its central value with whiskers for its low-high range."""
    registry = _registry(registry, "detection_static")
    evidence = load("evidence_face_recognition") if evidence is None else evidence
    require_columns(evidence, EVIDENCE_COLUMNS, "detection_static (evidence)")
    if not base_rates:
        raise ChartDataError("detection_static needs at least one base rate.")
    params, used, ev_rows, mult = _detection_inputs(registry, evidence, "detection_static", comparison)
    cases = []
    for rate in base_rates:
        p = {**params, "watchlisted_passing_per_day": float(rate)}
        mid = detection.detection_model(**p)
        lo = detection.detection_model(**{**p, "fmr_multiplier": float(mult["low"])})
        hi = detection.detection_model(**{**p, "fmr_multiplier": float(mult["high"])})
        cases.append({"rate": float(rate), "mid": mid, "lo": lo, "hi": hi})
    keys = ["true_alerts_per_day", "false_alerts_reference_per_day", "false_alerts_affected_per_day"]
    names = ["True alerts", "False alerts, reference group", "False alerts, affected group"]

    def labels(c):
        m = c["mid"]
        return [f"True alerts: {_count(m['true_alerts_per_day'])} a day<br>"
                f"({one_in(m['precision'])} alerts is true)",
                f"False alerts, reference group:<br>{_count(m['false_alerts_reference_per_day'])} a day",
                f"False alerts, affected group:<br>{_count(m['false_alerts_affected_per_day'])} a day "
                f"({_count(c['lo']['false_alerts_affected_per_day'])} to "
                f"{_count(c['hi']['false_alerts_affected_per_day'])})"]

    default_i = min(range(len(cases)), key=lambda i: abs(np.log10(cases[i]["rate"]) - np.log10(
        params["watchlisted_passing_per_day"])))
    first = cases[default_i]
    fig = go.Figure()
    shapes = ["", "/", "x"]
    for i, (name, key) in enumerate(zip(names, keys)):
        err = None
        if i == 2:
            err = dict(type="data", symmetric=False,
                       array=[first["hi"][key] - first["mid"][key]],
                       arrayminus=[first["mid"][key] - first["lo"][key]],
                       color="#222222", thickness=2, width=10)
        fig.add_trace(go.Bar(
            y=[labels(first)[i]], x=[first["mid"][key]], orientation="h", name=name,
            marker=dict(color=PALETTE[i], pattern=dict(shape=shapes[i]), line=dict(color="#222", width=1)),
            error_x=err, hovertemplate=f"{name}: %{{x:,.3g}} a day<extra></extra>",
        ))
    steps = []
    for c in cases:
        lab = labels(c)
        steps.append(dict(method="restyle", label=f"{c['rate']:g} a day", args=[{
            "x": [[c["mid"][k]] for k in keys],
            "y": [[lab[0]], [lab[1]], [lab[2]]],
            "error_x.array": [None, None, [c["hi"][keys[2]] - c["mid"][keys[2]]]],
            "error_x.arrayminus": [None, None, [c["mid"][keys[2]] - c["lo"][keys[2]]]],
        }, [0, 1, 2]]))
    fig.update_layout(sliders=[dict(active=default_i, steps=steps,
                                    currentvalue=dict(prefix="Watchlisted people passing: ",
                                                      font=dict(size=14)))],
                      showlegend=False, bargap=0.35, margin=dict(l=240, r=50))
    values = [c[w][k] for c in cases for w in ("lo", "mid", "hi") for k in keys]
    positive = [v for v in values if v > 0]
    fig.update_xaxes(type="log", range=[np.log10(min(positive)) - 0.3, np.log10(max(positive)) + 0.3])
    fig.update_yaxes(autorange="reversed", tickfont=dict(size=12))
    best, worst = max(cases, key=lambda c: c["rate"]), min(cases, key=lambda c: c["rate"])
    title = (f"The rarer the people sought, the fewer alerts are true: {one_in(best['mid']['precision'])} "
             f"at {best['rate']:g} a day, {one_in(worst['mid']['precision'])} at {worst['rate']:g} a day")
    table = pd.DataFrame([{
        "watchlisted_passing_per_day": c["rate"],
        "true_alerts_per_day": round(c["mid"]["true_alerts_per_day"], 4),
        "false_alerts_reference_per_day": round(c["mid"]["false_alerts_reference_per_day"], 1),
        "false_alerts_affected_per_day": round(c["mid"]["false_alerts_affected_per_day"], 1),
        "false_alerts_affected_low": round(c["lo"]["false_alerts_affected_per_day"], 1),
        "false_alerts_affected_high": round(c["hi"]["false_alerts_affected_per_day"], 1),
        "share_of_alerts_true": float(f"{c['mid']['precision']:.3g}"),
        "operator_hours_per_day": round(c["mid"]["review_hours_per_day"], 1),
    } for c in cases])
    m = first["mid"]
    description = (
        f"Model output, not data: the book's detection model with every input at its default in "
        f"data/model_assumptions.csv ({_count(params['faces_per_day'])} faces scanned a day, a "
        f"watchlist of {_count(params['watchlist_size'])}, a false-match rate of "
        f"{params['false_match_rate']:g} per comparison, a true-match rate of "
        f"{params['true_match_rate']:.0%}, the affected group {params['group_share']:.0%} of faces; "
        f"all the book's assumptions). The affected group's false matches are "
        f"{mult['central']:g} times as frequent (NIST, {comparison}: {mult['low']:g} to "
        f"{mult['high']:g} across algorithms; whiskers). The slider sets how many watchlisted people "
        f"actually pass a camera each day (the base rate). "
        + " ".join(f"At {c['rate']:g} a day: {_count(c['mid']['true_alerts_per_day'])} true and "
                   f"{_count(c['mid']['false_alerts_per_day'])} false alerts, so "
                   f"{one_in(c['mid']['precision'])} alerts is true." for c in cases)
        + f" The false alerts barely change with the base rate; the true ones fall with it. The "
        f"affected group bears {m['affected_share_of_false_alerts']:.0%} of the false alerts while "
        f"making up {params['group_share']:.0%} of the faces. Reviewing every alert would take "
        f"about {_count(m['review_hours_per_day'])} operator hours a day."
    )
    return finish(
        fig, [used, ev_rows], title=title,
        alt=(f"Horizontal bar chart on a log scale from the book's detection model: true alerts per "
             f"day against false alerts on two groups, with a slider over {len(cases)} base rates; "
             f"false alerts outnumber true ones at every setting shown."),
        description=description,
        table=table_payload(table, list(table.columns)),
        x_title="Alerts per day (log scale)", slider=True, plot_height=260,
    )


# ---------------------------------------------------------------------------------------
# 5. The share of alerts that are true, across base rates
# ---------------------------------------------------------------------------------------

def precision_curve(registry: pd.DataFrame | None = None, evidence: pd.DataFrame | None = None,
                    rates: Sequence[float] | None = None,
                    comparison: str = "women vs men") -> go.Figure:
    """The share of alerts that are true against the base rate (log-log), for all alerts
    (band: the false-match rate from its low to its high value) and for alerts on the
    affected group (band: NIST's multiplier range for ``comparison``)."""
    registry = _registry(registry, "precision_curve")
    evidence = load("evidence_face_recognition") if evidence is None else evidence
    require_columns(evidence, EVIDENCE_COLUMNS, "precision_curve (evidence)")
    params, used, ev_rows, mult = _detection_inputs(registry, evidence, "precision_curve", comparison)
    fmr_row = registry[(registry["model"] == "detection") & (registry["name"] == "false_match_rate")].iloc[0]
    rates = np.logspace(-3, 2, 31) if rates is None else np.asarray(rates, dtype=float)
    rates = rates[rates <= min(params["watchlist_size"], params["faces_per_day"])]
    if rates.size == 0:
        raise ChartDataError("precision_curve: no base rate within the watchlist size.")
    base = {k: v for k, v in params.items() if k != "watchlisted_passing_per_day"}

    def run(**change):
        return detection.detection_model(**{**base, **change, "watchlisted_passing_per_day": rates})

    mid = run()
    fmr_lo, fmr_hi = run(false_match_rate=float(fmr_row["low"])), run(false_match_rate=float(fmr_row["high"]))
    m_lo, m_hi = run(fmr_multiplier=float(mult["low"])), run(fmr_multiplier=float(mult["high"]))
    fig = go.Figure()
    series = [
        ("precision", "All alerts", fmr_hi, fmr_lo,
         f"false-match rate {fmr_row['low']:g} to {fmr_row['high']:g}", PALETTE[0]),
        ("precision_affected", "Alerts on the affected group", m_hi, m_lo,
         f"NIST multiplier {mult['low']:g} to {mult['high']:g}", PALETTE[1]),
    ]
    for i, (key, name, lower, upper, band, colour) in enumerate(series):
        fig.add_trace(go.Scatter(x=rates, y=100 * np.asarray(lower[key]), mode="lines",
                                 line=dict(width=0, color=colour), showlegend=False,
                                 hoverinfo="skip", name=""))
        fig.add_trace(go.Scatter(x=rates, y=100 * np.asarray(upper[key]), mode="lines", fill="tonexty",
                                 line=dict(width=0, color=colour), opacity=0.25,
                                 fillcolor={0: "rgba(0,114,178,0.18)", 1: "rgba(213,94,0,0.18)"}[i],
                                 name=f"{name}: range ({band})", hoverinfo="skip"))
        fig.add_trace(go.Scatter(x=rates, y=100 * np.asarray(mid[key]), mode="lines+markers",
                                 name=f"{name} (defaults)", line=dict(color=colour, dash=DASHES[i], width=2.5),
                                 marker=dict(symbol=SYMBOLS[i], size=6, color=colour),
                                 hovertemplate=(f"{name}: %{{x:.3g}} watchlisted a day → %{{y:.3g}}% "
                                                "true<extra></extra>")))
    fig.add_trace(go.Scatter(x=rates, y=100 * np.asarray(mid["precision_reference"]), mode="lines",
                             name="Alerts on the reference group (defaults)",
                             line=dict(color=PALETTE[2], dash=DASHES[2], width=2),
                             hovertemplate="reference group: %{y:.3g}% true<extra></extra>"))
    fig.update_xaxes(type="log")
    shown = np.concatenate([100 * np.asarray(s[2][s[0]]) for s in series]
                           + [100 * np.asarray(s[3][s[0]]) for s in series])
    fig.update_yaxes(type="log", **_percent_ticks(shown[shown > 0]))
    at_one = detection.detection_model(**{**base, "watchlisted_passing_per_day": 1.0})
    ratio = at_one["precision_reference"] / at_one["precision_affected"]
    title = (f"At one watchlisted person a day, {one_in(at_one['precision'])} alerts is true; an "
             f"alert on the affected group is {ratio:.1f} times less likely to be true")
    table = pd.DataFrame({"watchlisted_passing_per_day": rates,
                          "precision_all": np.asarray(mid["precision"]),
                          "precision_all_low": np.asarray(fmr_hi["precision"]),
                          "precision_all_high": np.asarray(fmr_lo["precision"]),
                          "precision_affected": np.asarray(mid["precision_affected"]),
                          "precision_affected_low": np.asarray(m_hi["precision_affected"]),
                          "precision_affected_high": np.asarray(m_lo["precision_affected"]),
                          "precision_reference": np.asarray(mid["precision_reference"])})
    table = table.map(lambda v: float(f"{v:.3g}"))
    return finish(
        fig, [used, ev_rows], title=title,
        alt=("Log-log line chart from the book's detection model: the share of alerts that are true "
             "falls in step with the number of watchlisted people passing per day, and is lower "
             "still for alerts on the affected group; shaded bands show the assumed ranges."),
        description=(
            "Model output, not data. With every other input at its default in "
            "data/model_assumptions.csv, the share of alerts that are true (precision) falls almost "
            "in proportion to the base rate: false alerts depend on the millions of faces scanned, "
            "true alerts on the few people sought. The blue band moves the false-match rate across "
            f"its assumed range ({fmr_row['low']:g} to {fmr_row['high']:g} per comparison); the orange "
            f"band moves the affected group's multiplier across NIST's range for {comparison} "
            f"({mult['low']:g} to {mult['high']:g}, data/evidence_face_recognition.csv). At one "
            f"watchlisted person a day: {one_in(at_one['precision'])} alerts is true overall, "
            f"{one_in(at_one['precision_reference'])} on the reference group and "
            f"{one_in(at_one['precision_affected'])} on the affected group."),
        table=table_payload(table, list(table.columns)),
        x_title="Watchlisted people passing per day (base rate, log scale)",
        y_title="Alerts that are true (log scale)",
    )


# ---------------------------------------------------------------------------------------
# 6. The live dashboards' charts (one setting each)
# ---------------------------------------------------------------------------------------

COST_DASHBOARD_TITLE = ("Yearly cost of building and running the network you set: capital, "
                        "maintenance and operators' pay (model output)")
DETECTION_DASHBOARD_TITLE = ("Alerts per day at your settings: true alerts, and false alerts on "
                             "each group (model output)")
_COST_PARTS = (("capex_usd", "Capital", PALETTE[0], ""),
               ("maintenance_usd", "Maintenance", PALETTE[2], "/"),
               ("staff_usd", "Operators' pay", PALETTE[1], "."))
_ALERT_KEYS = ("true_alerts_per_day", "false_alerts_reference_per_day", "false_alerts_affected_per_day")
_ALERT_NAMES = ("True alerts", "False alerts, reference group", "False alerts, affected group")


def _cost_dashboard_parts(p: Mapping[str, Any]) -> tuple[pd.DataFrame, dict, str, dict]:
    sched = cost.rollout_schedule(**p)
    result = cost.deployment_cost(**p)
    table = sched[["year", "phase", "capex_usd", "maintenance_usd", "staff_usd", "total_usd"]].copy()
    for col in ("capex_usd", "maintenance_usd", "staff_usd", "total_usd"):
        table[col] = table[col].round(0)
    description = (f"Model output for the settings chosen ({p['n_cameras']:,.0f} cameras): capital "
                   f"{usd(result['capex_usd'])}, running cost {usd(result['opex_usd_per_year'])} a "
                   f"year once built, total {usd(result['tco_usd'])} over "
                   f"{int(p['horizon_years'])} years, {result['opex_share_of_tco']:.0%} of it running "
                   f"costs.")
    return sched, result, description, table_payload(table, list(table.columns))


def cost_dashboard_chart(params: Mapping[str, Any] | None = None,
                         registry: pd.DataFrame | None = None) -> go.Figure:
    """The cost dashboard's chart for one setting: the yearly schedule as stacked bars
    (capital, maintenance, operators' pay). The dashboard builds it once and then changes it
    in place with :func:`update_cost_dashboard_chart`."""
    registry = _registry(registry, "cost_dashboard_chart")
    _, used, info = _rows(registry, "cost", "cost_dashboard_chart", include_levers=True)
    p = {**_defaults(info), **dict(params or {})}
    sched, result, description, table = _cost_dashboard_parts(p)
    fig = go.Figure()
    for col, name, colour, shape in _COST_PARTS:
        fig.add_trace(go.Bar(x=sched["year"], y=sched[col] / MILLION, name=name,
                             marker=dict(color=colour, pattern=dict(shape=shape),
                                         line=dict(color="#222", width=1)),
                             hovertemplate=f"year %{{x}}: {name.lower()} USD %{{y:,.1f}}M<extra></extra>"))
    fig.update_layout(barmode="stack", bargap=0.25)
    fig.update_xaxes(tickvals=list(sched["year"]))
    return finish(
        fig, [used], title=COST_DASHBOARD_TITLE,
        alt="Stacked bar chart from the book's cost model: yearly cost of the network you set, "
            "split into capital, maintenance and operators' pay.",
        description=description, table=table,
        x_title="Year", y_title="USD million a year", plot_height=300,
    )


def update_cost_dashboard_chart(fig: go.Figure, params: Mapping[str, Any]) -> go.Figure:
    """Redraw ``fig`` (from :func:`cost_dashboard_chart`) in place for new ``params`` (every
    keyword of the cost model): bar heights, years, description and data table."""
    sched, result, description, table = _cost_dashboard_parts(params)
    with fig.batch_update():
        for trace, (col, *_rest) in zip(fig.data, _COST_PARTS):
            trace.x = sched["year"].to_numpy()
            trace.y = (sched[col] / MILLION).to_numpy()
        fig.layout.xaxis.tickvals = list(sched["year"])
        fig.layout.meta = {**fig.layout.meta, "description": description, "table": table}
    return fig


def _detection_dashboard_parts(p: Mapping[str, Any]) -> tuple[dict, list[str], str, dict]:
    r = detection.detection_model(**p)
    labels = [f"{name}:<br>{_count(r[key])} a day" for name, key in zip(_ALERT_NAMES, _ALERT_KEYS)]
    description = (f"Model output for the settings chosen: {_count(r['true_alerts_per_day'])} true "
                   f"and {_count(r['false_alerts_per_day'])} false alerts a day; "
                   f"{one_in(r['precision'])} alerts is true; the affected group bears "
                   f"{r['affected_share_of_false_alerts']:.0%} of the false alerts; reviewing them "
                   f"takes about {_count(r['review_hours_per_day'])} operator hours a day.")
    table = pd.DataFrame([{"output": k, "value": float(f"{v:.4g}")} for k, v in r.items()])
    return r, labels, description, table_payload(table, ["output", "value"])


def detection_dashboard_chart(params: Mapping[str, Any] | None = None,
                              registry: pd.DataFrame | None = None) -> go.Figure:
    """The detection dashboard's chart for one setting: true alerts and false alerts by
    group per day (log scale). The dashboard builds it once and then changes it in place
    with :func:`update_detection_dashboard_chart`."""
    registry = _registry(registry, "detection_dashboard_chart")
    _, used, info = _rows(registry, "detection", "detection_dashboard_chart")
    p = {**_defaults(info), **dict(params or {})}
    r, labels, description, table = _detection_dashboard_parts(p)
    fig = go.Figure()
    for i, (name, key, label) in enumerate(zip(_ALERT_NAMES, _ALERT_KEYS, labels)):
        fig.add_trace(go.Bar(y=[label], x=[max(r[key], 1e-6)], orientation="h", name=name,
                             marker=dict(color=PALETTE[i], pattern=dict(shape=["", "/", "x"][i]),
                                         line=dict(color="#222", width=1)),
                             hovertemplate=f"{name}: %{{x:,.3g}} a day<extra></extra>"))
    fig.update_xaxes(type="log")
    fig.update_yaxes(autorange="reversed", tickfont=dict(size=12))
    fig.update_layout(showlegend=False, bargap=0.35, margin=dict(l=220, r=30))
    return finish(
        fig, [used], title=DETECTION_DASHBOARD_TITLE,
        alt="Horizontal bar chart on a log scale from the book's detection model: true alerts and "
            "false alerts on two groups per day for the settings you chose.",
        description=description, table=table,
        x_title="Alerts per day (log scale)", plot_height=220,
    )


def update_detection_dashboard_chart(fig: go.Figure, params: Mapping[str, Any]) -> go.Figure:
    """Redraw ``fig`` (from :func:`detection_dashboard_chart`) in place for new ``params``."""
    r, labels, description, table = _detection_dashboard_parts(params)
    with fig.batch_update():
        for trace, key, label in zip(fig.data, _ALERT_KEYS, labels):
            trace.x = [max(r[key], 1e-6)]
            trace.y = [label]
        fig.layout.meta = {**fig.layout.meta, "description": description, "table": table}
    return fig


__all__ = ["cost_dashboard_chart", "cost_static", "detection_dashboard_chart", "detection_static",
           "monte_carlo_chart", "one_in", "precision_curve", "tornado_chart",
           "update_cost_dashboard_chart", "update_detection_dashboard_chart"]
