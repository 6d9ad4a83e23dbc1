"""Chapter 7's live dashboard: safeguard levers and the risks they change.

``safeguards_dashboard()`` returns an ipywidgets ``VBox`` with one control per safeguard
lever (a drop-down for how long footage is kept, a check box for each of the five
switches), each with its meaning written under it and in its tooltip; a reset button; a
list of the six risk factors with their levels, reasons and what would lower them; and a
chart. Every change redraws the list and the chart in place (the chart is a plain plotly
figure shown in an ``ipywidgets.Output``, as in chapter 2's explorer). The risk scheme is
:mod:`kabulcase.models.rights`; the book shows a precomputed twin,
:func:`kabulcase.figures.governance.safeguards_static`.
"""

from __future__ import annotations

import html

import ipywidgets as widgets
from IPython import get_ipython

from ..figures import governance as charts
from ..models import rights as model

# Drop-down choices for retention: (label, days); None is "no published limit".
RETENTION_CHOICES: list[tuple[str, float | None]] = [
    ("No published limit", None),
    ("1 year", 365.0),
    ("90 days", 90.0),
    ("30 days", 30.0),
    ("14 days", 14.0),
    ("7 days", 7.0),
    ("3 days", 3.0),
    ("1 day", 1.0),
]

LEVEL_MARK = {"low": "○", "moderate": "◔", "high": "◑", "very high": "●"}


def _retention_index(days: float | None) -> int:
    for i, (_, d) in enumerate(RETENTION_CHOICES):
        if d == days:
            return i
    raise ValueError(f"retention_days must be one of the dashboard's choices "
                     f"({', '.join(label for label, _ in RETENTION_CHOICES)}); got {days!r}.")


class SafeguardsDashboard(widgets.VBox):
    """The dashboard box. ``controls`` maps each lever to its widget; ``reset_button``,
    ``summary``, ``factor_list`` and ``output`` are its other parts; ``defaults`` is the
    :class:`~kabulcase.models.rights.Safeguards` that :meth:`reset` restores."""

    def __init__(self, start: model.Safeguards | None = None):
        self.defaults = model.AS_REPORTED if start is None else start
        if not isinstance(self.defaults, model.Safeguards):
            raise ValueError(f"start must be a Safeguards(...) or None; got "
                             f"{type(self.defaults).__name__}.")
        style = {"description_width": "15em"}
        self.controls: dict[str, widgets.Widget] = {}
        rows = []
        for lever, spec in model.LEVERS.items():
            meaning = spec["meaning"]
            reported = model.AS_REPORTED_REASONS[lever]
            if lever == "retention_days":
                control = widgets.Dropdown(
                    options=[(label, i) for i, (label, _) in enumerate(RETENTION_CHOICES)],
                    value=_retention_index(self.defaults.retention_days),
                    description=spec["label"], tooltip=meaning, style=style,
                    layout=widgets.Layout(width="32em"))
            else:
                control = widgets.Checkbox(
                    value=getattr(self.defaults, lever), description=spec["label"],
                    tooltip=meaning, indent=False, style=style,
                    layout=widgets.Layout(width="32em"))
            control.observe(self._redraw, names="value")
            self.controls[lever] = control
            note = widgets.HTML(f"<small>{html.escape(meaning)} <em>As the record shows:</em> "
                                f"{html.escape(reported)}</small>",
                                layout=widgets.Layout(margin="0 0 0.6em 0"))
            rows.append(widgets.VBox([control, note]))
        self.reset_button = widgets.Button(
            description="Reset", icon="undo",
            tooltip="Put every lever back as the record shows it (face recognition off)")
        self.reset_button.on_click(lambda _button: self.reset())
        self.summary = widgets.HTML()
        self.factor_list = widgets.HTML()
        self.output = widgets.Output()
        super().__init__([widgets.HTML("<strong>Safeguard levers</strong>"), *rows,
                          self.reset_button, self.summary, self.factor_list, self.output])
        self._redraw()

    def values(self) -> model.Safeguards:
        """The levers as set now."""
        idx = self.controls["retention_days"].value
        return model.Safeguards(
            retention_days=RETENTION_CHOICES[idx][1],
            **{name: bool(self.controls[name].value) for name in model.SWITCHES})

    def reset(self) -> None:
        """Put every lever back to its default (the list and chart redraw once)."""
        with self.hold_sync():
            for lever, control in self.controls.items():
                control.unobserve(self._redraw, names="value")
                if lever == "retention_days":
                    control.value = _retention_index(self.defaults.retention_days)
                else:
                    control.value = getattr(self.defaults, lever)
                control.observe(self._redraw, names="value")
        self._redraw()

    def _redraw(self, change=None) -> None:
        s = self.values()
        self.factors = model.risk_assessment(s)
        summary = model.summarise(self.factors)
        counts = ", ".join(f"{n} {level}" for level, n in summary["counts"].items() if n)
        self.summary.value = (f"<p><strong>Risk factors: {html.escape(counts)}.</strong> "
                              f"<small>{html.escape(summary['rule'])}</small></p>")
        items = []
        for f in self.factors:
            lower = ("; ".join(f.lowered_by) if f.lowered_by else
                     "no single change of a lever lowers it further")
            items.append(
                f"<li><strong>{LEVEL_MARK[f.level]} {html.escape(f.name)}: "
                f"{html.escape(f.level)}</strong> ({html.escape(f.rights)}). "
                f"{html.escape(f.reason)} <em>Would lower it:</em> {html.escape(lower)}.</li>")
        self.factor_list.value = "<ul>" + "".join(items) + "</ul>"
        self.figure = charts.risk_chart(s)
        if get_ipython() is None:  # plain Python (e.g. tests): keep the figure, show nothing
            return
        with self.output:
            self.output.clear_output(wait=True)
            # plotly's own MIME type only, as the other dashboards: the book shows a static
            # twin instead of widget output, so its renderers (and the PDF's static images,
            # whose kaleido call hangs inside an Output widget) have nothing to add here.
            self.figure.show(renderer="plotly_mimetype")


def safeguards_dashboard(start: model.Safeguards | None = None) -> SafeguardsDashboard:
    """The live safeguards dashboard for chapter 7 (an ipywidgets ``VBox``)."""
    return SafeguardsDashboard(start=start)
