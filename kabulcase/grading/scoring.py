"""Scoring exported answers, in a process that never ran student code.

The checks are the package's, imported fresh in this (the grader's) process, plus the
hidden ones loaded by path; the answers are the data the sandboxed kernel exported,
rebuilt by :mod:`.wire`. A learner's function is represented by a :class:`~.hidden.Replay`
of what it returned, in the kernel, on the inputs the grader chose.
"""

from __future__ import annotations

from . import hidden, wire


def names(exercise: str) -> list[str]:
    """Every variable the grader reads for an exercise: answers and hidden checks' functions."""
    from kabulcase import checks
    found: list[str] = []
    for q in checks.questions(exercise):
        found.append(q.variable)
        found += [h.variable for h in getattr(q, "hidden", ())]
    return list(dict.fromkeys(found))


def answers(exports: list[str]) -> tuple[dict, dict[str, list], list[str]]:
    """The last export that parses (values), the latest call results per function, and
    problems met reading them."""
    values: dict = {}
    calls: dict[str, list] = {}
    problems: list[str] = []
    for line in exports:
        try:
            data = wire.parse_line(line)
        except wire.WireError as exc:
            problems.append(f"An export of the answers was unreadable ({exc}); an earlier one was used.")
            continue
        values = data["values"]
        for name, res in data.get("calls", {}).items():
            if isinstance(res, list):
                calls[name] = res
        for note in data.get("tamper", [])[:10] if isinstance(data.get("tamper"), list) else []:
            problems.append(f"The notebook {str(note)[:80]}. That does not change its score, which is "
                            f"worked out outside the notebook, but it is reported to the instructor.")
        for err in data.get("errors", [])[:5]:
            problems.append(f"An answer could not be exported: {str(err)[:160]}")
    namespace = {}
    for name, raw in values.items():
        try:
            namespace[name] = wire.decode(raw)
        except (wire.WireError, ValueError, TypeError, OverflowError) as exc:
            problems.append(f"`{name}` could not be read back ({str(exc)[:100]}); it scores as missing.")
    return namespace, calls, list(dict.fromkeys(problems))


def score(exercise: str, exports: list[str], counts: dict[str, int]) -> tuple[list[dict], list[str]]:
    """One row per question (as kabulcase.checks.grade_namespace), and reading problems."""
    from kabulcase.checks import core
    namespace, calls, problems = answers(exports)
    offsets: dict[str, int] = {}
    rows = []
    for q in core.questions(exercise):
        answer = namespace.get(q.variable, core._MISSING)
        if isinstance(q, core.Rubric):
            res = core.self_check_text(q.key, None if answer is core._MISSING else answer, quiet=True)
            text = answer if isinstance(answer, str) and not core._is_unanswered(answer) else ""
            rows.append({"key": q.key, "variable": q.variable, "kind": "written",
                         "objective": q.objective, "score": None, "max_score": None,
                         "max_marks": q.max_marks, "passed": res.passed, "message": res.message,
                         "hidden": [], "text": text[:10000]})
            continue
        if answer is core._MISSING:
            res = core.CheckResult(q.key, False, 0, q.max_score,
                                   f"{q.key} ({q.title}): {core.NOT_ANSWERED} — the notebook has no "
                                   f"variable `{q.variable}` (was its cell deleted, renamed or not run?).")
        else:
            res = core.check(q.key, answer, quiet=True)
        hid = []
        for h in q.hidden:
            value = namespace.get(h.variable, core._MISSING)
            if isinstance(value, wire.Function):
                start = offsets.get(h.variable, 0)
                n = counts.get(h.key, 0)
                offsets[h.variable] = start + n
                value = hidden.Replay(calls.get(h.variable, [])[start:start + n], wire.decode)
            hid.append(core._run(h.key, h.fn, value, h.max_score, h.description, hidden=True))
        rows.append({"key": q.key, "variable": q.variable, "kind": "code", "objective": q.objective,
                     "score": res.score + sum(h.score for h in hid),
                     "max_score": q.max_score + sum(h.max_score for h in q.hidden),
                     "passed": res.passed and all(h.passed for h in hid),
                     "message": res.message, "hidden": [h.as_dict() for h in hid]})
    return rows, problems
