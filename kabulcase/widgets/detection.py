"""Chapter 6's detection dashboard: how many face-recognition alerts are true?

``detection_dashboard()`` returns an ipywidgets ``VBox`` with one control per assumption of
the detection model (:mod:`kabulcase.models.detection`), each limited to its range in
``data/model_assumptions.csv`` and explained in a note and a tooltip; a drop-down that picks
which NIST comparison sets the affected group's false-match multiplier (its range then
comes from that comparison's registry row); a reset button; a read-out (alerts per day, the
share that are true, who bears the false ones, operator time) and a chart redrawn into an
``ipywidgets.Output`` on every change. The model is abstract and aggregate: a generic
watchlist and counts per day. The book shows the precomputed twin,
:func:`kabulcase.figures.models.detection_static`.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets

from ..figures import models as charts
from ..models import assumptions as reg
from ..models import detection as model
from .cost import AssumptionDashboard, control_for, note_for

HOURS_PER_SHIFT = 8.0
"""Hours in one reviewer's working day, to turn review hours into people (a convention)."""


class DetectionDashboard(AssumptionDashboard):
    """The detection dashboard. ``comparison`` is the drop-down of NIST comparisons."""

    parameters = model.PARAMETERS
    title = ("The book's face-recognition model: how many alerts a day, how many of them true, and "
             "who bears the false ones, if face matching were used (no source reports it in Kabul: "
             "the book's inference). Model output, not data; an abstract, generic watchlist.")

    def __init__(self):
        settings = model.multiplier_settings()
        options = [(r.comparison, r.registry_name) for r in settings.itertuples() if r.registry_name]
        start = model.PARAMETERS["fmr_multiplier"][1]
        self.comparison = widgets.Dropdown(
            options=options, value=start, description="NIST comparison",
            style={"description_width": "initial"}, layout=widgets.Layout(width="36em"),
            tooltip=("Which of NIST's measured differences sets the affected group's false-match "
                     "multiplier (data/evidence_face_recognition.csv)"))
        self.comparison.observe(self._on_comparison, names="value")
        super().__init__(extra=[self.comparison])
        self.default_comparison = start

    def _on_comparison(self, change) -> None:
        a = reg.assumption("detection", change["new"])
        old = self.controls["fmr_multiplier"]
        new = control_for("fmr_multiplier", a)
        new.observe(self._on_change, names="value")
        self.controls["fmr_multiplier"] = new
        self.notes["fmr_multiplier"].value = note_for(a)
        # Swap the slider in its row (the row is HBox([label, slider])).
        for row in self.children[-4].children[0].children:
            box = row.children[0]
            if box.children[1] is old:
                box.children = (box.children[0], new)
                break
        self.redraw()

    def reset(self) -> None:
        if self.comparison.value != self.default_comparison:
            self.comparison.value = self.default_comparison  # swaps the slider back, redraws
        super().reset()

    def evaluate(self, values: dict[str, float]) -> dict[str, Any]:
        return model.detection_model(**values)

    def render(self, values, result):
        return charts.detection_dashboard_chart(values, registry=self.registry)

    def update(self, figure, values, result) -> None:
        charts.update_detection_dashboard_chart(figure, values)

    def readout_html(self, values, result) -> str:
        share = values["group_share"]
        return (
            f"<p><strong>{result['alerts_per_day']:,.1f} alerts a day: "
            f"{result['true_alerts_per_day']:,.2f} true, {result['false_alerts_per_day']:,.1f} "
            f"false, so {html.escape(charts.one_in(result['precision']))} alerts is true.</strong><br>"
            f"The affected group is {share:.0%} of the faces scanned and bears "
            f"{result['affected_share_of_false_alerts']:.0%} of the false alerts "
            f"({result['false_alerts_per_million_affected']:,.0f} per million faces, against "
            f"{result['false_alerts_per_million_reference']:,.0f} for the reference group).<br>"
            f"Reviewing every alert: {result['review_hours_per_day']:,.1f} operator hours a day, "
            f"about {result['review_hours_per_day'] / HOURS_PER_SHIFT:,.1f} people on "
            f"{HOURS_PER_SHIFT:g}-hour days.</p>"
        )


def detection_dashboard() -> DetectionDashboard:
    """The live detection dashboard for chapter 6 (an ipywidgets ``VBox``)."""
    return DetectionDashboard()


__all__ = ["DetectionDashboard", "detection_dashboard"]
