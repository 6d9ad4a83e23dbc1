"""Decoding what a sandboxed kernel exported: tagged JSON only, never pickle, parsed
with limits on size, depth and types. Anything unexpected becomes an ``Opaque`` value that
the checks describe plainly ("a Opaque"), never code that runs."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

MAX_LINE = 8 * 1024 * 1024   # bytes of one export line
MAX_DEPTH = 16
SAFE_DTYPES = {"str", "int64", "int32", "float64", "float32", "bool", "object", "string", "category"}


class WireError(ValueError):
    """An export line that is not what the grader's exporter writes."""


@dataclass(frozen=True)
class Opaque:
    """A value the grader does not rebuild (a module, a figure...): its type name only."""
    type_name: str
    text: str = ""

    def __repr__(self) -> str:
        return f"<{self.type_name}>"


class Function:
    """Stands for a learner's function: it was called inside the kernel, not here."""

    def __repr__(self) -> str:
        return "<function>"

    def __call__(self, *args, **kwargs):
        raise RuntimeError("a learner's function is not run by the grader")


def parse_line(line: str) -> dict:
    if len(line) > MAX_LINE:
        raise WireError(f"export of {len(line):,} characters is over the {MAX_LINE:,} limit")
    try:
        data = json.loads(line)
    except (ValueError, RecursionError) as exc:
        raise WireError(f"export is not valid JSON ({type(exc).__name__})") from None
    if not isinstance(data, dict) or not isinstance(data.get("values"), dict) \
            or not isinstance(data.get("calls", {}), dict):
        raise WireError("export has the wrong shape")
    return data


def decode(x, depth: int = 0):
    if depth > MAX_DEPTH:
        raise WireError("export nested too deeply")
    if x is None or isinstance(x, (bool, int, str)):
        return x
    if isinstance(x, float):
        return x
    if isinstance(x, list):  # only inside tagged containers
        return [decode(v, depth + 1) for v in x]
    if not isinstance(x, dict):
        raise WireError(f"unexpected {type(x).__name__} in export")
    t = x.get("t")
    v = x.get("v")
    if t == "ellipsis":
        return Ellipsis
    if t == "float":
        f = float(v) if v in ("nan", "inf", "-inf") or _is_numeric_text(v) else math.nan
        return f
    if t == "na":
        return pd.NA
    if t == "timestamp":
        return pd.Timestamp(str(v))
    if t in ("list", "tuple", "set", "ndarray"):
        items = [decode(i, depth + 1) for i in _list(v)]
        return {"list": list, "tuple": tuple, "ndarray": np.array}.get(t, lambda s: set(_hashable(s)))(items)
    if t == "dict":
        pairs = [_pair(p, depth) for p in _list(v)]
        return {k: val for k, val in pairs}
    if t == "function":
        return Function()
    if t == "index":
        return _index(x, depth)
    if t == "series":
        data = [decode(i, depth + 1) for i in _list(x.get("data"))]
        s = pd.Series(data, index=_index(x.get("index"), depth), name=_name(x.get("name")),
                      dtype=object if not data else None)
        return _astype(s, x.get("dtype"))
    if t == "frame":
        index, columns = _index(x.get("index"), depth), _index(x.get("columns"), depth)
        cols = [[decode(i, depth + 2) for i in _list(c)] for c in _list(x.get("data"))]
        if len(cols) != len(columns) or any(len(c) != len(index) for c in cols):
            raise WireError("table export has inconsistent shape")
        df = pd.DataFrame({i: c for i, c in enumerate(cols)}, index=index)
        df.columns = columns
        for i, dt in enumerate(_list(x.get("dtypes"))[:len(cols)]):
            df.isetitem(i, _astype(df.iloc[:, i], dt))
        return df
    if t == "dataclass":
        return _dataclass(x, depth)
    if t == "other":
        return Opaque(str(x.get("type", "object"))[:60], str(x.get("repr", ""))[:200])
    raise WireError(f"unknown tag {str(t)[:20]!r} in export")


def _is_numeric_text(v) -> bool:
    try:
        float(v)
        return True
    except (TypeError, ValueError):
        return False


def _list(v) -> list:
    if not isinstance(v, list):
        raise WireError("export expected a list")
    return v


def _hashable(items):
    return [tuple(i) if isinstance(i, list) else i for i in items]


def _pair(p, depth):
    if not isinstance(p, list) or len(p) != 2:
        raise WireError("dict export has a malformed item")
    k = decode(p[0], depth + 1)
    try:
        hash(k)
    except TypeError:
        k = repr(k)
    return k, decode(p[1], depth + 1)


def _name(n):
    n = decode(n) if n is not None else None
    return n if n is None or isinstance(n, (str, int, float, tuple)) else str(n)


def _index(x, depth):
    if not isinstance(x, dict) or x.get("t") != "index":
        raise WireError("export expected an index")
    names = [_name(n) for n in _list(x.get("names", [None]))]
    if x.get("kind") == "range":
        start, stop, step = (int(i) for i in _list(x.get("v")))
        if abs(stop - start) > 10 ** 7:
            raise WireError("range index too long")
        return pd.RangeIndex(start, stop, step, name=names[0] if names else None)
    values = [decode(i, depth + 1) for i in _list(x.get("v"))]
    if x.get("kind") == "multi":
        tuples = [tuple(v) if isinstance(v, (list, tuple)) else (v,) for v in values]
        return pd.MultiIndex.from_tuples(tuples, names=names) if tuples else pd.MultiIndex.from_arrays(
            [[] for _ in names], names=names)
    ix = pd.Index(values, name=names[0] if names else None, tupleize_cols=False)
    return _astype(ix, x.get("dtype"))


def _astype(obj, dtype):
    dtype = str(dtype)
    if dtype.startswith("datetime64"):
        try:
            return pd.to_datetime(obj)
        except (ValueError, TypeError):
            return obj
    if dtype not in SAFE_DTYPES:
        return obj
    try:
        return obj.astype(dtype)
    except (ValueError, TypeError):
        return obj


def _dataclass(x: dict, depth: int):
    """A dataclass of the kabulcase package (e.g. models.rights.Assessment), rebuilt from its
    fields; any other class (one the notebook defined) stays Opaque."""
    import dataclasses
    import importlib
    module, name = str(x.get("module", "")), str(x.get("name", ""))
    fields = {str(k): v for k, v in (_pair(p, depth) for p in _list(x.get("fields")))}
    allowed = module.startswith("kabulcase.") and not module.startswith(("kabulcase.checks", "kabulcase.grading"))
    cls = None
    if allowed and name.isidentifier():
        try:
            cls = getattr(importlib.import_module(module), name, None)
        except ImportError:
            cls = None
    if cls is None or not dataclasses.is_dataclass(cls):
        return Opaque(name[:60] or "object")
    try:
        return cls(**fields)
    except Exception:  # a field the class's own checks refuse: keep what was sent
        obj = object.__new__(cls)
        for k, v in fields.items():
            object.__setattr__(obj, k, v)
        return obj
