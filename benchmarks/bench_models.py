"""Print how fast chapter 6's models, simulations and dashboards are. Asserts nothing.

* one evaluation of each model at its defaults (goal: 5 ms or less);
* a 10,000-draw Monte Carlo run of each model (goal: 100 ms or less);
* a tornado (every assumption swung, one vectorised call);
* a dashboard update, from a control's change to the redrawn figure, without a browser
  (goal: 100 ms or less).

Each figure is the median of several runs (after one warm-up run), with the fastest and
slowest beside it. Run: ``.venv/bin/python benchmarks/bench_models.py``.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from kabulcase.models import cost, detection, power  # noqa: E402
from kabulcase.models import uncertainty as unc  # noqa: E402

GOALS = {"model": 5.0, "monte_carlo": 100.0, "dashboard": 100.0}


def timed(fn, repeat: int) -> list[float]:
    fn()  # warm-up: imports, caches
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def line(name: str, ms: list[float], goal: float | None = None) -> None:
    med = statistics.median(ms)
    verdict = "" if goal is None else (f"  goal <= {goal:g} ms: {'met' if med <= goal else 'NOT met'}")
    print(f"  {name:<46} median {med:8.2f} ms  (min {min(ms):7.2f}, max {max(ms):7.2f}){verdict}")


def main() -> None:
    print("One evaluation of each model (defaults from data/model_assumptions.csv)")
    line("power.power_model()", timed(power.power_model, 200), GOALS["model"])
    line("power.power_model(supply_days='kabul')",
         timed(lambda: power.power_model(supply_days="kabul"), 200), GOALS["model"])
    line("cost.deployment_cost()", timed(cost.deployment_cost, 200), GOALS["model"])
    line("cost.rollout_schedule() (a pandas table)", timed(cost.rollout_schedule, 50))
    line("detection.detection_model()", timed(detection.detection_model, 200), GOALS["model"])

    print("Monte Carlo, 10,000 draws of every non-lever assumption")
    for name in ("power", "cost", "detection"):
        line(f"monte_carlo({name!r}, n=10_000)",
             timed(lambda name=name: unc.monte_carlo(name, n=10_000, seed=1), 15),
             GOALS["monte_carlo"])
    specs = {k: v for k, v in unc.registry_assumptions("power").items() if k != "supply_hours"}
    line("monte_carlo('power', supply_days='kabul')",
         timed(lambda: unc.monte_carlo("power", specs, n=10_000, seed=1,
                                       fixed={"supply_days": "kabul"}), 15), GOALS["monte_carlo"])

    print("Tornado (every assumption from low to high, one call)")
    for name, output in (("power", "share_recording"), ("cost", "tco_usd"), ("detection", "precision")):
        line(f"tornado({name!r}, output={output!r})",
             timed(lambda name=name, output=output: unc.tornado(name, output=output), 30))

    print("Dashboard update: control change to redrawn figure (no browser)")
    from kabulcase.widgets.cost import cost_dashboard
    from kabulcase.widgets.detection import detection_dashboard

    for make, key, values in ((cost_dashboard, "camera_usd", [3000.0, 6000.0]),
                              (detection_dashboard, "watchlisted_passing_per_day", [0.1, 10.0])):
        box = make()
        state = {"i": 0}

        def change(box=box, key=key, values=values):
            state["i"] += 1
            box.controls[key].value = values[state["i"] % 2]
            assert box.figure is not None

        line(f"{make.__name__}: {key}", timed(change, 15), GOALS["dashboard"])
    try:
        from kabulcase.widgets.power import uptime_explorer

        box = uptime_explorer()
        state = {"i": 0}

        def change_power():
            state["i"] += 1
            box.sliders["battery_hours"].value = [2.0, 6.0][state["i"] % 2]

        line("uptime_explorer (chapter 2): battery_hours", timed(change_power, 15), GOALS["dashboard"])
    except ImportError as err:  # the shared chart layout may be mid-refactor
        print(f"  uptime_explorer (chapter 2): not measured ({err})")


if __name__ == "__main__":
    main()
