"""Chapter 2's live explorer: how much of the day can a camera record?

``uptime_explorer()`` returns an ipywidgets ``VBox`` with three sliders (grid supply,
battery and solar hours), a reset button, a short read-out and a chart. The chart is a
plain plotly figure redrawn into an ``ipywidgets.Output`` on every change:
``plotly.graph_objects.FigureWidget`` would need the ``anywidget`` package, which the
module does not install. It runs in JupyterLab and headless (nbconvert, the book build);
the book itself shows a precomputed twin, :func:`kabulcase.figures.power.uptime_explorer_static`.
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import pandas as pd
from IPython import get_ipython

from ..data import load, value
from ..figures import power as power_figures
from ..models import power as model

SLIDER_STEP = 0.5
# The claimed network of August 2023 (Kabul and other cities, per Reuters), used for the
# battery-cost line of the read-out.
CAMERA_CLAIM = dict(city="Kabul and other cities", date="2023-08")


class UptimeExplorer(widgets.VBox):
    """The explorer box. ``sliders``, ``reset_button``, ``readout`` and ``output`` are its
    parts; ``defaults`` holds the slider values that :meth:`reset` restores."""

    def __init__(self, supply: pd.DataFrame | None = None, n_cameras: int | None = None):
        self.supply = load("kabul_supply_hours") if supply is None else supply
        typical = model.typical_supply_hours(self.supply)
        self.n_cameras = (int(value("camera_counts", "cameras", **CAMERA_CLAIM))
                          if n_cameras is None else int(n_cameras))
        # Grid supply starts at the median of the reported Kabul hours (computed from
        # data/kabul_supply_hours.csv); battery and solar start at none, i.e. grid only.
        self.defaults = {"supply_hours": typical["median"], "battery_hours": 0.0,
                         "solar_hours": 0.0}
        labels = {"supply_hours": "Grid supply", "battery_hours": "Battery",
                  "solar_hours": "Solar"}
        explain = {
            "supply_hours": (f"Hours a day the grid is on, in one block. Kabul reports: "
                             f"{typical['low']:g} to {typical['high']:g} h in winter "
                             f"(median {typical['median']:g} h)."),
            "battery_hours": "Hours of outage a battery, charged while the grid is on, can bridge.",
            "solar_hours": "Hours of outage a solar panel covers directly (daylight only).",
        }
        self.sliders: dict[str, widgets.FloatSlider] = {}
        rows = []
        for name, start in self.defaults.items():
            spec = model.INPUT_RANGES[name]
            slider = widgets.FloatSlider(
                value=start, min=spec["low"], max=spec["high"], step=SLIDER_STEP,
                description=f"{labels[name]} (h)", continuous_update=False, readout_format=".1f",
                style={"description_width": "9em"}, layout=widgets.Layout(width="32em"),
            )
            slider.observe(self._redraw, names="value")
            self.sliders[name] = slider
            note = widgets.HTML(
                f"<small>{html.escape(explain[name])} Range {spec['low']:g} to "
                f"{spec['high']:g} {html.escape(spec['unit'])}.</small>")
            rows.append(widgets.VBox([slider, note]))
        self.reset_button = widgets.Button(description="Reset", icon="undo",
                                           tooltip="Put every slider back to its starting value")
        self.reset_button.on_click(lambda _button: self.reset())
        self.readout = widgets.HTML()
        self.output = widgets.Output()
        super().__init__([*rows, self.reset_button, self.readout, self.output])
        self._redraw()

    def reset(self) -> None:
        """Put every slider back to its default (the chart redraws once)."""
        with self.hold_sync():
            for name, start in self.defaults.items():
                slider = self.sliders[name]
                slider.unobserve(self._redraw, names="value")
                slider.value = start
                slider.observe(self._redraw, names="value")
        self._redraw()

    def values(self) -> dict[str, float]:
        return {name: float(s.value) for name, s in self.sliders.items()}

    def _redraw(self, change=None) -> None:
        v = self.values()
        share = model.recording_share(v["supply_hours"], v["battery_hours"], v["solar_hours"])
        cost = model.backup_cost_range(self.n_cameras, v["battery_hours"])
        self.readout.value = (
            f"<p><strong>Share of the day recording: {share:.0%}</strong> "
            f"({share * model.HOURS_PER_DAY:.1f} of {model.HOURS_PER_DAY:g} hours). If an "
            f"incident is equally likely at any hour, that is also the chance it is recorded.<br>"
            f"Batteries alone for {self.n_cameras:,} cameras (the August 2023 claim, Kabul and "
            f"other cities) with "
            f"{v['battery_hours']:g} h of backup: USD {cost['low'] / 1e6:,.1f} million to "
            f"{cost['high'] / 1e6:,.1f} million (central {cost['central'] / 1e6:,.1f} million), "
            f"from the book's assumptions.</p>"
        )
        self.figure = power_figures.uptime_chart(v["supply_hours"], v["battery_hours"],
                                                 v["solar_hours"], supply=self.supply)
        if get_ipython() is None:  # plain Python (e.g. tests): keep the figure, show nothing
            return
        with self.output:
            self.output.clear_output(wait=True)
            # Plotly's own MIME type only: JupyterLab draws it natively, and the book (which
            # shows the static twin instead) does not store a second, HTML copy of the chart
            # in the notebook's widget state.
            self.figure.show(renderer="plotly_mimetype")


def uptime_explorer(supply: pd.DataFrame | None = None, n_cameras: int | None = None) -> UptimeExplorer:
    """The live explorer for chapter 2 (an ipywidgets ``VBox``)."""
    return UptimeExplorer(supply=supply, n_cameras=n_cameras)
