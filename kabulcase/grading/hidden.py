"""Hidden checks, loaded by path from instructor-side folders outside the package.

``grading/hidden/exNN.py`` in the repository (not in the wheel: pyproject packages only
``kabulcase*``), plus any folders an instructor names with ``--hidden DIR`` or
``KABULCASE_HIDDEN`` (``:``-separated) for checks kept out of the public repository.
Each file registers its checks with ``kabulcase.checks.core._hidden``.

A hidden check calls a learner's function. The grader never does: it first runs the
check against a *probe* that records the arguments (and raises, so the check moves on to
its next input), sends those arguments into the sandboxed kernel, and then runs the
check again against a *replay* that returns what the kernel's function returned.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import os
import pickle
import sys
from pathlib import Path

REPO_HIDDEN = Path(__file__).resolve().parents[2] / "grading" / "hidden"
_loaded: set[Path] = set()


def folders(extra: list[str | Path] | None = None) -> list[Path]:
    found = [REPO_HIDDEN] if REPO_HIDDEN.is_dir() else []
    env = [p for p in os.environ.get("KABULCASE_HIDDEN", "").split(os.pathsep) if p]
    for p in [*env, *(extra or [])]:
        p = Path(p).resolve()
        if not p.is_dir():
            raise FileNotFoundError(f"hidden checks folder {p} does not exist (from --hidden or "
                                    f"KABULCASE_HIDDEN); give a folder of exNN*.py files.")
        found.append(p)
    return found


def load(extra: list[str | Path] | None = None) -> list[Path]:
    """Import every ``ex*.py`` in the hidden folders once; the files loaded, in order."""
    from kabulcase import checks  # noqa: F401  (the public questions must be registered first)
    files = [f for d in folders(extra) for f in sorted(d.glob("ex*.py"))]
    for f in files:
        f = f.resolve()
        if f in _loaded:
            continue
        name = "kabulcase_hidden_" + hashlib.sha256(str(f).encode()).hexdigest()[:12]
        spec = importlib.util.spec_from_file_location(name, f)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        _loaded.add(f)
    return files


def version(extra: list[str | Path] | None = None) -> str:
    """A digest of every file that decides a score, for the regrade cache."""
    pkg = Path(__file__).resolve().parents[1]
    files = sorted((pkg / "checks").glob("*.py")) + sorted(Path(__file__).parent.glob("*.py"))
    files += [f for d in folders(extra) for f in sorted(d.glob("ex*.py"))]
    h = hashlib.sha256()
    for f in files:
        h.update(f.name.encode() + b"\0" + f.read_bytes())
    return h.hexdigest()[:16]


class _Probe(Exception):
    pass


class Recorder:
    def __init__(self):
        self.calls: list[tuple[tuple, dict]] = []

    def __call__(self, *args, **kwargs):
        self.calls.append((args, kwargs))
        raise _Probe("recording the grader's inputs")


def plan(exercise: str) -> tuple[dict[str, str], dict[str, int]]:
    """(variable -> the pickled (args, kwargs) list the kernel calls it with, hidden
    check key -> how many of its variable's calls are that check's, in order)."""
    from kabulcase import checks
    out: dict[str, list] = {}
    counts: dict[str, int] = {}
    for q in checks.questions(exercise):
        for h in getattr(q, "hidden", ()):
            rec = Recorder()
            try:
                h.fn(rec)
            except Exception:  # the check refused the probe's output; the calls are recorded
                pass
            out.setdefault(h.variable, []).extend(rec.calls)
            counts[h.key] = len(rec.calls)
    return {v: base64.b64encode(pickle.dumps(c)).decode() for v, c in out.items() if c}, counts


class Replay:
    """A learner's function as the kernel ran it: each call returns the recorded output."""

    def __init__(self, results: list[dict], decode):
        self.results, self.decode, self.n = results, decode, 0

    def __call__(self, *args, **kwargs):
        from kabulcase.checks import core
        if self.n >= len(self.results):
            raise RuntimeError("the function could not be run on this input (the kernel stopped)")
        r = self.results[self.n]
        self.n += 1
        if not isinstance(r, dict):
            raise RuntimeError("the function's result could not be read")
        if r.get("timeout"):
            raise core._TimeLimit()
        if "raised" in r:
            name = str(r["raised"])
            cls = type(name if name.isidentifier() else "Error", (Exception,), {})
            raise cls(str(r.get("message", ""))[:200])
        return self.decode(r.get("ok"))
