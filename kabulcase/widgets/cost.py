"""Chapter 6's cost dashboard: what would the network cost to build and to run?

``cost_dashboard()`` returns an ipywidgets ``VBox`` with one control per assumption of the
cost model (:mod:`kabulcase.models.cost`), each limited to its low-high range in
``data/model_assumptions.csv`` and explained in a note under it and in its tooltip (basis,
rationale and sources); buttons that set the six unit costs to their low, central or high
values in ``data/unit_costs.csv``; a reset button; a read-out (capital and running cost,
total cost of ownership, comparisons with the 2021 plan, the 2022 budget and Safe City
projects elsewhere); and a chart that is redrawn into an ``ipywidgets.Output`` on every
change (as in chapter 2's explorer: ``FigureWidget`` would need the ``anywidget`` package).
It runs in JupyterLab and headless; the book shows the precomputed twin,
:func:`kabulcase.figures.models.cost_static`.

:class:`AssumptionDashboard` is the part every model dashboard shares (the detection
dashboard uses it too): controls built from the registry, reset, and the redraw loop.
"""

from __future__ import annotations

import html
import math
from typing import Any

import ipywidgets as widgets
from IPython import get_ipython

from ..data import load
from ..figures import models as charts
from ..figures.theme import usd
from ..models import assumptions as reg
from ..models import cost as model
from ..text import in_words

LOG_RANGE = 100.0
"""A control whose range spans this factor or more (with a low end above 0) moves on a log scale."""
STEPS = 100
WHOLE = {"rollout_years", "horizon_years"}
LABEL_WIDTH = "16em"


def _nice_step(low: float, high: float) -> float:
    raw = (high - low) / STEPS
    if raw <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 5, 10):
        if raw <= m * power:
            return m * power
    return 10 * power


def _readout_format(low: float, high: float, step: float) -> str:
    if high >= 1000:
        return ",.0f"
    if step >= 1:
        return ".0f"
    decimals = max(0, -int(math.floor(math.log10(step))))
    return f".{min(decimals, 6)}f"


def control_for(keyword: str, a: reg.Assumption) -> widgets.Widget:
    """A slider limited to the assumption's registry range, starting at its default, with
    the assumption's description (range, basis, rationale, sources) as its tooltip."""
    # readout=False: the label made by with_words() shows the value in words instead.
    common = dict(description="", continuous_update=False, tooltip=a.describe(), readout=False,
                  layout=widgets.Layout(width="18em"))
    if keyword in WHOLE:
        return widgets.IntSlider(value=int(a.default), min=int(a.low), max=int(a.high), step=1, **common)
    if a.low > 0 and a.high / a.low >= LOG_RANGE:
        lo, hi = math.log10(a.low), math.log10(a.high)
        return widgets.FloatLogSlider(value=a.default, base=10, min=lo, max=hi, step=(hi - lo) / STEPS,
                                      readout_format=".3g", **common)
    step = _nice_step(a.low, a.high)
    return widgets.FloatSlider(value=a.default, min=a.low, max=a.high, step=step,
                               readout_format=_readout_format(a.low, a.high, step), **common)


def readout_words(value: float, a: reg.Assumption) -> str:
    """A control's value as a reader says it ("1.2 million faces per day", "1 in 1,000,000"),
    never in scientific notation: sliders show this instead of their own number."""
    unit = a.unit
    if unit.startswith("USD"):
        return f"{usd(value)}{unit[3:]}"
    if unit.startswith("share of comparisons"):
        return f"{charts.one_in(value)} comparisons"
    if unit.startswith("share"):
        return f"{value:.0%}" if value >= 0.1 else f"{value:.1%}"
    return f"{in_words(value)} {unit}"


def with_words(control: widgets.Widget, a: reg.Assumption) -> widgets.Label:
    """The label beside ``control`` that shows its value in words, kept up to date."""
    words = widgets.Label(layout=widgets.Layout(width="16em"))

    def show(_change=None) -> None:
        words.value = readout_words(control.value, a)

    control.observe(show, names="value")
    show()
    return words


def note_for(a: reg.Assumption) -> str:
    """The short note under a control: range, unit, basis and sources."""
    return (f"<small>{html.escape(a.unit)}; range {a.low:,.6g} to {a.high:,.6g}. "
            f"{html.escape(reg.BASIS_LABELS.get(a.basis, a.basis).capitalize())}; source: "
            f"{html.escape(a.source_id.replace(';', ', '))}. Hover for the reason.</small>")


class AssumptionDashboard(widgets.VBox):
    """Controls for every assumption of one model (from the registry), a reset button, a
    read-out and an output area redrawn on every change.

    ``controls`` maps each keyword to its slider; ``defaults`` holds the values
    :meth:`reset` restores; ``figure`` is the last chart drawn and ``result`` the last model
    result. Subclasses set :attr:`parameters` and implement :meth:`evaluate`,
    :meth:`readout_html`, :meth:`render` (build the chart, once) and :meth:`update` (change it
    in place on every later redraw: much faster than building it again).
    """

    parameters: dict[str, tuple[str, str]] = {}
    title = ""

    def __init__(self, exclude: tuple[str, ...] = (), extra: list[widgets.Widget] | None = None):
        self.assumptions = {kw: reg.assumption(m, n) for kw, (m, n) in self.parameters.items()
                            if kw not in exclude}
        self.registry = reg.registry()
        self.controls: dict[str, widgets.Widget] = {}
        self.notes: dict[str, widgets.HTML] = {}
        rows = []
        for kw, a in self.assumptions.items():
            control = control_for(kw, a)
            control.observe(self._on_change, names="value")
            self.controls[kw] = control
            label = widgets.HTML(f"<b>{html.escape(a.label)}</b>",
                                 layout=widgets.Layout(width=LABEL_WIDTH))
            note = widgets.HTML(note_for(a))
            self.notes[kw] = note
            rows.append(widgets.VBox([widgets.HBox([label, control, with_words(control, a)]), note]))
        self.defaults = self.values()
        self.reset_button = widgets.Button(description="Reset", icon="undo",
                                           tooltip="Put every control back to its default")
        self.reset_button.on_click(lambda _button: self.reset())
        self.readout = widgets.HTML()
        self.output = widgets.Output()
        self.figure = None
        self.result: dict[str, Any] = {}
        header = widgets.HTML(f"<p>{html.escape(self.title)}</p>") if self.title else None
        accordion = widgets.Accordion(children=[widgets.VBox(rows)])
        accordion.set_title(0, "Assumptions (each limited to its range in data/model_assumptions.csv)")
        accordion.selected_index = 0
        parts = ([header] if header else []) + list(extra or []) + [accordion, self.reset_button,
                                                                     self.readout, self.output]
        super().__init__(parts)
        self.redraw()

    # -- values -------------------------------------------------------------------------
    def values(self) -> dict[str, float]:
        return {kw: float(c.value) for kw, c in self.controls.items()}

    def set_values(self, values: dict[str, float]) -> None:
        """Set several controls at once, redrawing once (values are clipped to each range)."""
        with self.hold_sync():
            for kw, v in values.items():
                c = self.controls[kw]
                c.unobserve(self._on_change, names="value")
                c.value = v
                c.observe(self._on_change, names="value")
        self.redraw()

    def reset(self) -> None:
        """Put every control back to its default (one redraw)."""
        self.set_values(self.defaults)

    # -- drawing ------------------------------------------------------------------------
    def _on_change(self, change=None) -> None:
        self.redraw()

    def evaluate(self, values: dict[str, float]) -> dict[str, Any]:  # pragma: no cover
        raise NotImplementedError

    def render(self, values: dict[str, float], result: dict[str, Any]):  # pragma: no cover
        """Build the chart (the first time)."""
        raise NotImplementedError

    def update(self, figure, values: dict[str, float], result: dict[str, Any]) -> None:  # pragma: no cover
        """Change the chart in place for new values (every later time)."""
        raise NotImplementedError

    def readout_html(self, values: dict[str, float], result: dict[str, Any]) -> str:  # pragma: no cover
        raise NotImplementedError

    def redraw(self) -> None:
        """Re-run the model, the read-out and the chart (shown only inside a kernel)."""
        v = self.values()
        self.result = self.evaluate(v)
        self.readout.value = self.readout_html(v, self.result)
        if self.figure is None:
            self.figure = self.render(v, self.result)
        else:
            self.update(self.figure, v, self.result)
        if get_ipython() is None:  # plain Python (tests, benchmarks): keep the figure only
            return
        with self.output:
            self.output.clear_output(wait=True)
            self.figure.show(renderer="plotly_mimetype")


class CostDashboard(AssumptionDashboard):
    """The cost dashboard. ``case_buttons`` set the six unit costs to a case of
    ``data/unit_costs.csv``."""

    parameters = model.PARAMETERS
    title = ("The book's cost model: move an assumption within its range and the yearly cost "
             "redraws. Model output, not data; most unit costs are the book's own assumptions.")

    def __init__(self):
        self.case_buttons = widgets.ToggleButtons(
            options=[("Unit costs: low", "low"), ("central", "central"), ("high", "high")],
            value=None, tooltip="Set the six unit costs to their low, central or high values in "
                                "data/unit_costs.csv (rows listed under each control)")
        self.case_buttons.observe(self._on_case, names="value")
        # Tables the read-out compares with, read once (not on every change).
        self.comparators = model.safe_city_per_camera()
        self.budgets = load("budgets")
        self.density = load("camera_density")
        for frame in (self.comparators, self.budgets, self.density):
            frame.attrs = {}  # numbers only here; pandas would deep-copy the sources on every use
        super().__init__(extra=[self.case_buttons])

    def _on_case(self, change) -> None:
        if change["new"] is None:
            return
        self.set_values(model.unit_costs_case(change["new"]))

    def reset(self) -> None:
        self.case_buttons.unobserve(self._on_case, names="value")
        self.case_buttons.value = None
        self.case_buttons.observe(self._on_case, names="value")
        super().reset()

    def evaluate(self, values: dict[str, float]) -> dict[str, Any]:
        return model.deployment_cost(**values)

    def render(self, values, result):
        return charts.cost_dashboard_chart(values, registry=self.registry)

    def update(self, figure, values, result) -> None:
        charts.update_cost_dashboard_chart(figure, values)

    def readout_html(self, values, result) -> str:
        comp = model.budget_comparison(result["capex_usd"], self.budgets).set_index("item")["ratio"]
        per_res = model.per_resident(result["capex_usd"], self.density)
        per_cam = self.comparators["usd_per_camera"].dropna()
        return (
            f"<p><strong>Capital cost: {usd(result['capex_usd'])}</strong> "
            f"({usd(result['capex_per_camera_usd'])} per camera, all in; Safe City projects "
            f"elsewhere: {usd(per_cam.min())} to {usd(per_cam.max())} per camera). "
            f"Running cost once built: {usd(result['opex_usd_per_year'])} a year "
            f"({result['operators']:,.0f} operators, {result['posts']:,.0f} seats). "
            f"<strong>Total over {int(values['horizon_years'])} years: {usd(result['tco_usd'])}</strong>, "
            f"{result['opex_share_of_tco']:.0%} of it running costs.<br>"
            f"For scale (book's arithmetic): the capital cost is "
            f"{comp['plan_2021_upgrade']:.1f} times the 2021 plan, "
            f"{comp['budget_fy1401_total']:.0%} of the 2022 national budget and "
            f"{comp['budget_fy1401_development']:.0%} of its development budget; "
            f"{usd(per_res['low'])} to {usd(per_res['high'])} per Kabul resident.</p>"
        )


def cost_dashboard() -> CostDashboard:
    """The live cost dashboard for chapter 6 (an ipywidgets ``VBox``)."""
    return CostDashboard()


__all__ = ["AssumptionDashboard", "CostDashboard", "control_for", "cost_dashboard", "note_for"]
