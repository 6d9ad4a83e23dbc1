"""Uncertainty and sensitivity: Monte Carlo runs and tornado charts for every model.

Every assumption of the book's models has a low, a central and a high value
(``data/model_assumptions.csv``). This module asks two questions of a model:

* **How uncertain is the result?** :func:`monte_carlo` draws every assumption at random,
  by default from a triangular distribution on its low, central and high values (on a log
  scale for the few whose range spans orders of magnitude: :data:`LOG_SCALE`), runs the
  model once on all the draws (the models are vectorised with numpy) and returns the
  draws, the results and their percentiles.
* **Which assumption matters most?** :func:`tornado` swings each assumption from its low
  to its high value while holding every other at its central value, and returns the
  swings of one output, largest first (the bars of a tornado chart).

A model is a function that takes keyword arguments and returns a dict of outputs, or the
name of one of the book's models (:data:`MODELS`). Assumptions are given as a mapping
from keyword to a :class:`Distribution`, a ``(low, central, high)`` triple, a mapping with
``low``, ``central`` (or ``default``) and ``high``, an :class:`~.assumptions.Assumption`,
or a single number (held fixed); or as the name of a model, meaning every assumption of
that model in the registry except its levers (choices such as battery hours, which are
held at their defaults).

>>> r = monte_carlo("cost", n=1000, seed=1)
>>> bool(r.percentiles().loc["tco_usd", "p5"] <= r.percentiles().loc["tco_usd", "p95"])
True
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from . import assumptions as registry
from . import cost, detection, power

MODELS: dict[str, Callable[..., dict[str, Any]]] = {
    "power": power.power_model,
    "cost": cost.deployment_cost,
    "detection": detection.detection_model,
}
"""The book's models by name."""

PARAMETERS: dict[str, dict[str, tuple[str, str]]] = {
    "power": power.NETWORK_PARAMETERS,
    "cost": cost.PARAMETERS,
    "detection": detection.PARAMETERS,
}
"""Each model's keywords and the registry rows behind them."""

OUTPUT_LABELS: dict[str, dict[str, str]] = {
    "power": power.POWER_OUTPUTS,
    "cost": cost.OUTPUTS,
    "detection": detection.OUTPUTS,
}

DEFAULT_PERCENTILES = (5, 50, 95)
MAX_DRAWS = 1_000_000


# ---------------------------------------------------------------------------------------
# Distributions
# ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Distribution:
    """Base class: ``low``, ``central`` and ``high`` (the tornado swing) and ``sample``."""

    low: float
    central: float
    high: float

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:  # pragma: no cover
        raise NotImplementedError


@dataclass(frozen=True)
class Triangular(Distribution):
    """Triangular on low, central (the mode) and high; all three equal gives a constant."""

    def __post_init__(self) -> None:
        _check_triple("Triangular", self.low, self.central, self.high)

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        if self.low == self.high:
            return np.full(n, float(self.low))
        return rng.triangular(self.low, self.central, self.high, size=n)


@dataclass(frozen=True)
class LogTriangular(Distribution):
    """Triangular on the logarithms of low, central and high (all above 0): for quantities
    whose range spans orders of magnitude, such as a false-match rate."""

    def __post_init__(self) -> None:
        _check_triple("LogTriangular", self.low, self.central, self.high)
        if self.low <= 0:
            raise ValueError(f"LogTriangular needs low above 0; got {self.low!r}.")

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        lo, mid, hi = (math.log(v) for v in (self.low, self.central, self.high))
        if lo == hi:
            return np.full(n, float(self.low))
        return np.exp(rng.triangular(lo, mid, hi, size=n))


@dataclass(frozen=True)
class Uniform(Distribution):
    """Uniform from low to high; ``central`` is the middle unless given."""

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return rng.uniform(self.low, self.high, size=n)


def uniform(low: float, high: float) -> Uniform:
    _check_triple("uniform", low, (low + high) / 2, high)
    return Uniform(float(low), (float(low) + float(high)) / 2, float(high))


@dataclass(frozen=True)
class Fixed(Distribution):
    """A constant (held fixed in every draw, and never swung)."""

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return np.full(n, float(self.central))


def fixed(value: float) -> Fixed:
    return Fixed(float(value), float(value), float(value))


@dataclass(frozen=True)
class Empirical(Distribution):
    """Resampling from observed values (with replacement); low/high are the extremes and
    central the median."""

    values: tuple[float, ...] = field(default=())

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return rng.choice(np.asarray(self.values, dtype=float), size=n, replace=True)


def empirical(values: Sequence[float]) -> Empirical:
    arr = np.asarray(values, dtype=float)
    if arr.size == 0 or not np.all(np.isfinite(arr)):
        raise ValueError(f"empirical needs at least one finite value; got {values!r}.")
    return Empirical(float(arr.min()), float(np.median(arr)), float(arr.max()), tuple(arr.tolist()))


def _check_triple(what: str, low: Any, central: Any, high: Any) -> None:
    for name, v in (("low", low), ("central", central), ("high", high)):
        if isinstance(v, bool) or not isinstance(v, numbers.Real) or not math.isfinite(float(v)):
            raise ValueError(f"{what}: {name} must be a finite number; got {v!r}.")
    if not float(low) <= float(central) <= float(high):
        raise ValueError(f"{what} needs low <= central <= high; got {low!r}, {central!r}, {high!r}.")


def as_distribution(name: str, spec: Any) -> Distribution:
    """Turn one assumption's specification into a :class:`Distribution` (see the module
    docstring for what is accepted); ValueError naming ``name`` otherwise."""
    if isinstance(spec, Distribution):
        return spec
    if isinstance(spec, registry.Assumption):
        return Triangular(spec.low, spec.default, spec.high)
    if isinstance(spec, bool):
        raise ValueError(f"{name}: an assumption must be a number, a (low, central, high) triple, "
                         f"a mapping or a Distribution; got {spec!r}.")
    if isinstance(spec, numbers.Real):
        return fixed(float(spec))
    if isinstance(spec, Mapping):
        centre = "central" if "central" in spec else "default" if "default" in spec else None
        if centre is None or "low" not in spec or "high" not in spec:
            raise ValueError(f"{name}: a mapping needs low, central (or default) and high; got "
                             f"keys {', '.join(map(str, spec))}.")
        try:
            return Triangular(spec["low"], spec[centre], spec["high"])
        except ValueError as err:
            raise ValueError(f"{name}: {err}") from None
    if isinstance(spec, (tuple, list)) and len(spec) == 3:
        try:
            return Triangular(*spec)
        except ValueError as err:
            raise ValueError(f"{name}: {err}") from None
    raise ValueError(f"{name}: an assumption must be a number, a (low, central, high) triple, a "
                     f"mapping or a Distribution; got {spec!r} (type {type(spec).__name__}).")


# ---------------------------------------------------------------------------------------
# Which model, which assumptions
# ---------------------------------------------------------------------------------------

def _model(model: Any) -> tuple[Callable[..., dict[str, Any]], str | None]:
    if isinstance(model, str):
        if model not in MODELS:
            raise ValueError(f"model must be one of {', '.join(MODELS)} or a function; got {model!r}.")
        return MODELS[model], model
    if callable(model):
        for name, func in MODELS.items():
            if func is model:
                return model, name
        return model, None
    raise ValueError(f"model must be one of {', '.join(MODELS)} or a function; got {model!r}.")


LOG_SCALE: dict[str, tuple[str, ...]] = {
    "power": (),
    "cost": ("cameras_per_screen",),
    "detection": ("faces_per_day", "watchlist_size", "watchlisted_passing_per_day",
                  "false_match_rate"),
}
"""Assumptions drawn on a log scale by default (:class:`LogTriangular`): those whose
registry range spans two orders of magnitude or more and whose central value sits near
the middle of it on a log scale. A plain triangle on 0.01 to 100 would put nine draws in
ten above 10 and hide the low end the range is there to show."""


def registry_assumptions(model: str, include_levers: bool = False,
                         log_scale: Sequence[str] | None = None) -> dict[str, Distribution]:
    """Every assumption of ``model`` from the registry as a :class:`Triangular` on its low,
    default and high values, or a :class:`LogTriangular` for the names in ``log_scale``
    (default :data:`LOG_SCALE`; pass ``()`` for plain triangles throughout). Levers are left
    out unless ``include_levers``; the model then uses their defaults."""
    if model not in PARAMETERS:
        raise ValueError(f"model must be one of {', '.join(PARAMETERS)}; got {model!r}.")
    log_scale = LOG_SCALE.get(model, ()) if log_scale is None else tuple(log_scale)
    out: dict[str, Distribution] = {}
    for keyword, (reg_model, reg_name) in PARAMETERS[model].items():
        a = registry.assumption(reg_model, reg_name)
        if a.is_lever and not include_levers:
            continue
        cls = LogTriangular if keyword in log_scale else Triangular
        out[keyword] = cls(a.low, a.default, a.high)
    return out


def _specs(model_name: str | None, assumptions: Any) -> dict[str, Distribution]:
    if assumptions is None:
        if model_name is None:
            raise ValueError("assumptions must be given for a model that is not one of the book's "
                             f"({', '.join(MODELS)}).")
        assumptions = model_name
    if isinstance(assumptions, str):
        return registry_assumptions(assumptions)
    if not isinstance(assumptions, Mapping) or not assumptions:
        raise ValueError("assumptions must be a model name or a non-empty mapping from keyword "
                         f"to a distribution; got {assumptions!r}.")
    return {str(k): as_distribution(str(k), v) for k, v in assumptions.items()}


def _label(model_name: str | None, keyword: str) -> dict[str, Any]:
    if model_name is not None and keyword in PARAMETERS.get(model_name, {}):
        a = registry.assumption(*PARAMETERS[model_name][keyword])
        return {"label": a.label, "unit": a.unit, "basis": a.basis, "source_id": a.source_id}
    return {"label": keyword, "unit": "", "basis": "", "source_id": ""}


def output_label(model: Any, output: str) -> str:
    _, name = _model(model)
    return OUTPUT_LABELS.get(name or "", {}).get(output, output)


# ---------------------------------------------------------------------------------------
# Monte Carlo
# ---------------------------------------------------------------------------------------

@dataclass
class MonteCarloResult:
    """The draws (one column per assumption drawn), the model's outputs (one column per
    output, one row per draw), the seed and the model's name."""

    draws: pd.DataFrame
    outputs: pd.DataFrame
    seed: int | None
    model: str | None

    def percentiles(self, q: Sequence[float] = DEFAULT_PERCENTILES) -> pd.DataFrame:
        """One row per output: the percentiles ``p5``, ``p50``, ``p95`` (by default) and the
        mean, ignoring undefined (NaN) results, plus ``n_defined``."""
        q = tuple(q)
        values = self.outputs.to_numpy(dtype=float)
        with np.errstate(all="ignore"):
            pct = np.nanpercentile(values, q, axis=0) if len(values) else np.full((len(q), values.shape[1]), np.nan)
        out = pd.DataFrame(pct.T, index=self.outputs.columns, columns=[f"p{x:g}" for x in q])
        out["mean"] = np.nanmean(values, axis=0)
        out["n_defined"] = np.isfinite(values).sum(axis=0)
        return out

    def summary(self, output: str, q: Sequence[float] = DEFAULT_PERCENTILES) -> dict[str, float]:
        """The percentiles and mean of one output, as a dict."""
        if output not in self.outputs.columns:
            raise ValueError(f"output must be one of {', '.join(self.outputs.columns)}; got {output!r}.")
        return {k: float(v) for k, v in self.percentiles(q).loc[output].items()}


def monte_carlo(model: Any, assumptions: Any = None, n: int = 10_000, seed: int | None = None,
                fixed: Mapping[str, Any] | None = None) -> MonteCarloResult:
    """Run ``model`` on ``n`` random draws of ``assumptions`` (one vectorised call).

    ``assumptions`` defaults to every non-lever assumption of a named model, each triangular
    on its registry low, central and high. ``fixed`` passes other keywords unchanged (for
    example a lever setting, or ``supply_days="kabul"``). The same ``seed`` gives the same
    draws and results; draws are made in the order the assumptions are given.
    """
    func, name = _model(model)
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or not 1 <= n <= MAX_DRAWS:
        raise ValueError(f"n must be a whole number of draws in the range 1 to {MAX_DRAWS:,}; got {n!r}.")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0):
        raise ValueError(f"seed must be None or a whole number, 0 or more; got {seed!r}.")
    specs = _specs(name, assumptions)
    fixed = dict(fixed or {})
    clash = sorted(set(fixed) & set(specs))
    if clash:
        raise ValueError(f"{', '.join(clash)} cannot be both drawn and fixed; give each in one place.")
    rng = np.random.default_rng(seed)
    draws = {k: d.sample(rng, int(n)) for k, d in specs.items()}
    result = func(**fixed, **draws)
    outputs = pd.DataFrame({k: np.broadcast_to(np.asarray(v, dtype=float), (int(n),))
                            for k, v in result.items()})
    return MonteCarloResult(pd.DataFrame(draws), outputs, seed, name)


# ---------------------------------------------------------------------------------------
# Tornado
# ---------------------------------------------------------------------------------------

TORNADO_COLUMNS = ["assumption", "label", "unit", "basis", "source_id", "low", "central", "high",
                   "output_low", "output_central", "output_high", "swing"]


def tornado(model: Any, assumptions: Any = None, output: str | None = None,
            fixed: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """Swing each assumption from its low to its high value, the others held central.

    Returns one row per assumption with its ``low``, ``central`` and ``high`` values, the
    ``output`` at each (``output_low``, ``output_central``, ``output_high``) and the
    ``swing`` = |output_high - output_low|, sorted from the largest swing to the smallest.
    The model is called once, on all 2k + 1 cases together. ``output`` must name one of
    the model's outputs; ``fixed`` passes other keywords unchanged. Fixed-value
    assumptions (low = high) are passed at their value and get no row.
    """
    func, name = _model(model)
    all_specs = _specs(name, assumptions)
    specs = {k: d for k, d in all_specs.items() if d.low != d.high}
    if not specs:
        raise ValueError("tornado needs at least one assumption with low below high.")
    # Fixed-value assumptions are passed at their value, not swung.
    fixed = {**{k: d.central for k, d in all_specs.items() if k not in specs}, **dict(fixed or {})}
    keys = list(specs)
    k = len(keys)
    cases = {key: np.full(2 * k + 1, specs[key].central, dtype=float) for key in keys}
    for i, key in enumerate(keys):
        cases[key][1 + 2 * i] = specs[key].low
        cases[key][2 + 2 * i] = specs[key].high
    result = func(**fixed, **cases)
    if output is None or output not in result:
        raise ValueError(f"output must be one of {', '.join(result)}; got {output!r}.")
    y = np.broadcast_to(np.asarray(result[output], dtype=float), (2 * k + 1,))
    rows = []
    for i, key in enumerate(keys):
        lo, hi = float(y[1 + 2 * i]), float(y[2 + 2 * i])
        rows.append({"assumption": key, **_label(name, key), "low": specs[key].low,
                     "central": specs[key].central, "high": specs[key].high,
                     "output_low": lo, "output_central": float(y[0]), "output_high": hi,
                     "swing": abs(hi - lo)})
    frame = pd.DataFrame(rows, columns=TORNADO_COLUMNS)
    return frame.sort_values("swing", ascending=False, kind="stable").reset_index(drop=True)


def bounding_cases(model: Any, output: str, assumptions: Any = None,
                   fixed: Mapping[str, Any] | None = None) -> dict[str, dict[str, float]]:
    """Two settings of every assumption: ``"low"`` puts each at the end of its range that
    gives the lower ``output`` (by its own tornado swing), ``"high"`` at the end that gives
    the higher; ``"central"`` holds each at its central value.

    For a model that moves one way in each assumption (the cost model does, in every
    input) these bound the output over the ranges; they are the "everything cheap" and
    "everything dear" cases, far apart on purpose, not a likely range (for that, use
    :func:`monte_carlo`).
    """
    func, name = _model(model)
    specs = _specs(name, assumptions)
    swings = tornado(func if name is None else name, specs, output, fixed)
    low, high = {}, {}
    for r in swings.itertuples():
        up = r.output_high >= r.output_low
        low[r.assumption] = r.low if up else r.high
        high[r.assumption] = r.high if up else r.low
    central = {k: d.central for k, d in specs.items()}
    for k, d in specs.items():  # fixed-value assumptions have no swing
        low.setdefault(k, d.central)
        high.setdefault(k, d.central)
    return {"low": low, "central": central, "high": high}
