# Runs INSIDE the student's kernel, sent as the source of a cell after each student cell.
# It turns answer variables into plain JSON data (never pickle) and prints one line with
# the run's marker. The grader decodes it defensively (kabulcase.grading.wire); nothing
# here decides a score, so a submission that changes it only spoils its own export.
def __kabulcase_export(marker, names, calls, max_items=20000):
    import base64, builtins, json, math, pickle, signal, sys
    budget = [max_items]

    def enc(x, depth=0):
        budget[0] -= 1
        if budget[0] < 0 or depth > 12:
            raise ValueError("answer too large or too deeply nested to grade")
        if x is None or isinstance(x, (bool, str)):
            return x if not isinstance(x, str) else x[:100000]
        if x is Ellipsis:
            return {"t": "ellipsis"}
        if isinstance(x, int):
            return x if abs(x) < 2 ** 62 else {"t": "float", "v": repr(float(x))}
        if isinstance(x, float):
            return x if math.isfinite(x) else {"t": "float", "v": repr(x)}
        mod = type(x).__module__.split(".")[0]
        if mod == "numpy":
            import numpy as np
            if isinstance(x, np.ndarray):
                return {"t": "ndarray", "v": [enc(v, depth + 1) for v in x.tolist()]}
            if isinstance(x, np.generic):
                return enc(x.item(), depth)
        if mod == "pandas":
            import pandas as pd
            if isinstance(x, pd.DataFrame):
                return {"t": "frame", "index": enc_index(x.index, depth),
                        "columns": enc_index(x.columns, depth),
                        "data": [[enc(v, depth + 2) for v in x.iloc[:, i].tolist()]
                                 for i in range(x.shape[1])],
                        "dtypes": [str(d) for d in x.dtypes]}
            if isinstance(x, pd.Series):
                return {"t": "series", "index": enc_index(x.index, depth), "name": enc(x.name, depth + 1),
                        "data": [enc(v, depth + 1) for v in x.tolist()], "dtype": str(x.dtype)}
            if isinstance(x, pd.Index):
                return enc_index(x, depth)
            if isinstance(x, pd.Timestamp):
                return {"t": "timestamp", "v": x.isoformat()}
            if x is pd.NA or x is pd.NaT:
                return {"t": "na"}
        if isinstance(x, (list, tuple, set, frozenset)):
            kind = "list" if isinstance(x, list) else "tuple" if isinstance(x, tuple) else "set"
            items = sorted(x, key=repr) if kind == "set" else x
            return {"t": kind, "v": [enc(v, depth + 1) for v in items]}
        if isinstance(x, dict):
            return {"t": "dict", "v": [[enc(k, depth + 1), enc(v, depth + 1)] for k, v in x.items()]}
        import dataclasses
        if dataclasses.is_dataclass(x) and not isinstance(x, type):
            return {"t": "dataclass", "module": type(x).__module__, "name": type(x).__qualname__,
                    "fields": [[f.name, enc(getattr(x, f.name, None), depth + 1)]
                               for f in dataclasses.fields(x)]}
        if callable(x):
            return {"t": "function"}
        return {"t": "other", "type": type(x).__name__[:60], "repr": builtins.repr(x)[:200]}

    def enc_index(ix, depth):
        import pandas as pd
        if isinstance(ix, pd.RangeIndex):
            return {"t": "index", "kind": "range", "v": [ix.start, ix.stop, ix.step],
                    "names": [enc(n) for n in ix.names]}
        kind = "multi" if isinstance(ix, pd.MultiIndex) else "plain"
        return {"t": "index", "kind": kind, "dtype": str(ix.dtype),
                "v": [enc(v, depth + 1) for v in ix.tolist()], "names": [enc(n) for n in ix.names]}

    out = {"values": {}, "calls": {}, "errors": []}
    g = sys.modules["__main__"].__dict__
    for name in names:
        if name in g:
            try:
                out["values"][name] = enc(g[name])
            except Exception as exc:
                out["errors"].append(f"{name}: {type(exc).__name__}: {str(exc)[:120]}")
    if calls:
        seen = g.setdefault("__kabulcase_seen__", {})
        for name, blob in calls.items():
            fn = g.get(name)
            if not callable(fn):
                continue
            ident = (id(fn), id(getattr(fn, "__code__", None)))
            if seen.get(name) == ident:
                out["calls"][name] = "same"
                continue
            results = []
            for args, kwargs in pickle.loads(base64.b64decode(blob)):
                def alarm(signum, frame):
                    raise TimeoutError("__kabulcase_time_limit__")
                previous = signal.signal(signal.SIGALRM, alarm)
                signal.setitimer(signal.ITIMER_REAL, 5)
                try:
                    results.append({"ok": enc(fn(*args, **kwargs))})
                except BaseException as exc:
                    timed = isinstance(exc, TimeoutError) and "__kabulcase_time_limit__" in str(exc)
                    results.append({"timeout": True} if timed else
                                   {"raised": type(exc).__name__[:60], "message": str(exc)[:200]})
                finally:
                    signal.setitimer(signal.ITIMER_REAL, 0)
                    signal.signal(signal.SIGALRM, previous)
                budget[0] = max_items
            out["calls"][name] = results
            seen[name] = ident
    out["tamper"] = __kabulcase_tamper(sys, builtins)
    sys.stdout.write(marker + json.dumps(out) + "\n")
    sys.stdout.flush()


def __kabulcase_tamper(sys, builtins):
    # Best effort, for the instructor's information only: the score never depends on it.
    notes = []
    for finder in sys.meta_path:
        if type(finder).__module__ == "__main__" or getattr(finder, "__module__", "") == "__main__":
            notes.append("added an import hook (sys.meta_path)")
            break
    for name in ("print", "dict", "list", "isinstance", "getattr", "open", "repr", "len", "sorted",
                 "__import__", "exec", "compile"):
        if type(getattr(builtins, name, None)).__name__ not in ("builtin_function_or_method", "type"):
            notes.append(f"replaced the built-in {name}")
    import json
    if getattr(json.dumps, "__module__", "") != "json":
        notes.append("replaced json.dumps")
    checks = sys.modules.get("kabulcase.checks")
    for name in ("check", "self_check_text", "assert_hidden"):
        where = str(getattr(getattr(checks, name, None), "__module__", "")) if checks else "kabulcase.checks"
        if not where.startswith("kabulcase.checks"):
            notes.append(f"replaced kabulcase.checks.{name}")
    return notes
