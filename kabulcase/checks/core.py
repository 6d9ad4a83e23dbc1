"""Feedback for the exercise notebooks, and the checks the grader reuses.

In a notebook::

    from kabulcase.checks import check, self_check_text
    check("ex01.q1", status_counts)          # code answers: immediate, specific feedback
    self_check_text("ex01.q5", answer_q5)    # written answers: rubric and objective checks

How the exercise machinery works, and why it is built this way
---------------------------------------------------------------
The module uses its own small, tag-based mechanism rather than otter-grader or nbgrader
(the "minimal approach" of the project's tooling notes):

* One MyST-markdown source per exercise notebook in ``exercises/`` holds the questions,
  the solutions (cells tagged ``solution``) and the grader-only checks (cells tagged
  ``hidden-check``). The same file is the book page (solutions folded), the instructor's
  notebook and, through :mod:`kabulcase.release`, the student's notebook.
* This module holds every check. Expected values are computed from ``data/`` through
  :func:`kabulcase.load`, never typed, so a check stays right when the data change.
  :mod:`kabulcase.grade` runs the same checks, plus the hidden ones (``grading/hidden/``,
  outside this package), on the answers a sandboxed kernel exported, never inside it.
* It needs only pandas, nbformat, nbclient and nbconvert's preprocessors, all of which a
  learner's ``pip install -r requirements.txt`` already brings (jupyter-book and
  jupyterlab depend on them). otter-grader would add about 60 packages (549 MB with
  playwright and a Docker client), its ``otter grade`` needs Docker, and its master format
  does not render as a book page; nbgrader needs a gradebook database and a server UI for
  manual marks. Instructors who already use otter can still do so; the instructor guide
  describes that optional path.

Every check accepts equivalent correct answers (a Series or a dict or a list, any row
order where order does not matter, small float differences), and never shows the learner
a traceback: an unanswered question (``...`` or ``None``), a wrong type, a wrong shape or
a NaN each get a plain sentence. Each returns a :class:`CheckResult` with ``passed``,
``score``, ``max_score`` and ``message``.

Written answers are never judged: :func:`self_check_text` prints the rubric a marker
will use and reports only objective facts (length, whether a number and a source are
cited), so the learner's judgement stays their own.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable

import numpy as np
import pandas as pd

from ..data import load

__all__ = ["CheckResult", "check", "self_check_text", "assert_hidden", "grade_namespace",
           "questions", "QUESTIONS", "RUBRICS", "OUTCOMES", "objective_ids", "assessed_by"]

NOT_ANSWERED = "not answered yet"
PLACEHOLDER = "Write your answer here"
_MISSING = object()


# --------------------------------------------------------------------------- results

@dataclass
class CheckResult:
    """The outcome of one check: what the grader records and the learner reads."""

    key: str
    passed: bool
    score: float
    max_score: float
    message: str
    hidden: bool = False
    details: dict = field(default_factory=dict)
    _printed: bool = field(default=False, repr=False, compare=False)

    def __str__(self) -> str:
        return self.message

    def _ipython_display_(self) -> None:
        # check() has already printed the message; showing the object again as the
        # cell's result would print it twice.
        if not self._printed:
            print(self.message)

    def as_dict(self) -> dict:
        return {"key": self.key, "passed": bool(self.passed), "score": float(self.score),
                "max_score": float(self.max_score), "message": self.message,
                "hidden": self.hidden}


class _Answer(Exception):
    """Raised inside a checker to stop with a plain message (wrong type, shape, NaN)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _verdict(score: float, max_score: float) -> str:
    if score >= max_score:
        return "correct"
    if score > 0:
        return "partly right"
    return "not yet"


def _points(x: float) -> str:
    return f"{x:g}"


WIDTH = 76  # feedback is wrapped so it reads without scrolling in JupyterLab and the book


def _wrap(text: str, indent: str = "  ", hang: str = "    ") -> str:
    import textwrap
    return textwrap.fill(text, WIDTH, initial_indent=indent, subsequent_indent=hang,
                         break_on_hyphens=False, break_long_words=False)


def _compose(key: str, score: float, max_score: float, right: Iterable[str] = (),
             off: Iterable[str] = (), hint: str | None = None, title: str = "") -> str:
    head = f"{key}{' (' + title + ')' if title else ''}: {_verdict(score, max_score)} " \
           f"— {_points(score)} of {_points(max_score)} point{'s' if max_score != 1 else ''}."
    lines = [_wrap(head, "", "  ")]
    right, off = [r for r in right if r], [o for o in off if o]
    if right:
        lines.append(_wrap("What is right: " + " ".join(right)))
    if off:
        lines.append(_wrap("What is off: " + " ".join(off)))
    if hint and score < max_score:
        lines.append(_wrap("Hint: " + hint))
    return "\n".join(lines)


# --------------------------------------------------------------------------- registry

@dataclass(frozen=True)
class HiddenCheck:
    key: str
    variable: str
    max_score: float
    description: str
    fn: Callable[[Any], tuple[float, list[str], list[str], str | None]]


@dataclass(frozen=True)
class Question:
    """One auto-checked question: the notebook variable it reads and its checker."""

    key: str
    variable: str
    title: str
    objective: str
    max_score: float
    minutes: int
    fn: Callable[[Any], tuple[float, list[str], list[str], str | None]]
    unanswered_hint: str = ""
    hidden: tuple[HiddenCheck, ...] = ()

    @property
    def exercise(self) -> str:
        return self.key.split(".")[0]

    @property
    def kind(self) -> str:
        return "code"


@dataclass(frozen=True)
class Rubric:
    """A written question: criteria a marker uses and the objective checks we can run."""

    key: str
    variable: str
    title: str
    objective: str
    minutes: int
    words: tuple[int, int]
    criteria: tuple[str, ...]
    levels: tuple[str, ...] = ("Strong (3)", "Adequate (2)", "Developing (1)", "Missing (0)")
    needs_number: bool = True
    needs_source: bool = True
    names_claim: bool = False
    names_question: bool = False

    @property
    def exercise(self) -> str:
        return self.key.split(".")[0]

    @property
    def kind(self) -> str:
        return "written"

    @property
    def max_marks(self) -> int:
        return 3 * len(self.criteria)


QUESTIONS: dict[str, Question] = {}
RUBRICS: dict[str, Rubric] = {}


def _question(key: str, variable: str, title: str, objective: str, max_score: float,
              minutes: int, unanswered_hint: str = ""):
    def register(fn):
        QUESTIONS[key] = Question(key, variable, title, objective, max_score, minutes, fn,
                                  unanswered_hint)
        return fn
    return register


def _hidden(key: str, variable: str, max_score: float, description: str):
    def register(fn):
        q = QUESTIONS[key]
        hidden = q.hidden + (HiddenCheck(f"{key}.hidden{len(q.hidden) + 1}", variable,
                                         max_score, description, fn),)
        QUESTIONS[key] = Question(q.key, q.variable, q.title, q.objective, q.max_score,
                                  q.minutes, q.fn, q.unanswered_hint, hidden)
        return fn
    return register


def questions(exercise: str) -> list[Question | Rubric]:
    """Every question of an exercise notebook ("ex01"), auto-checked and written, in order."""
    found = [q for q in QUESTIONS.values() if q.exercise == exercise]
    found += [r for r in RUBRICS.values() if r.exercise == exercise]
    return sorted(found, key=lambda q: _natural_key(q.key))


def exercises() -> list[str]:
    return sorted({q.exercise for q in QUESTIONS.values()} | {r.exercise for r in RUBRICS.values()})


def _natural_key(key: str) -> list:
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", key)]


# --------------------------------------------------------------------------- the outcome map

OUTCOMES: dict[str, tuple[str, tuple[str, ...]]] = {
    "LO1": ("Sources and claims", ("C1", "C2", "C4")),
    "LO2": ("Power and uptime", ("P1", "P2", "P3", "P4", "P5", "P6")),
    "LO3": ("Ranges and definitions", ("T1", "T2", "T3", "T4", "T5", "T6", "C3")),
    "LO4": ("Base rates and errors", ("W4",)),
    "LO5": ("The three-part test", ("R1", "R2", "R3", "R4", "R5", "G1")),
    "LO6": ("Cost of ownership", ("M1", "M2", "M3", "M4", "M5", "M6")),
    "LO7": ("Trade-off models", ("W1", "W2", "W3", "W5")),
    "LO8": ("Governance and argument", ("G1", "G2", "G3", "G4", "G5", "C5")),
}
"""The module's learning outcomes (the introduction's LO1 to LO8) and the chapter
objectives that make up each. The instructor guide's outcome map is built from this and
from the questions' own ``objective`` fields, so the map shows what is really assessed."""

_OBJECTIVE = re.compile(r"\b([A-Z])(\d)\b")


def objective_ids(text: str, primary_only: bool = True) -> list[str]:
    """The objective ids in a question's ``objective`` field ("R4, R5 (and R1, R3)").

    Ids in parentheses are practised, not assessed: the question's criteria are not written
    for them. ``primary_only`` leaves them out. Ranges ("C1 to C5") are expanded."""
    if primary_only:
        text = re.sub(r"\([^)]*\)", "", text)
    text = re.sub(r"\b([A-Z])(\d) to \1?(\d)\b",
                  lambda m: ", ".join(f"{m.group(1)}{i}"
                                      for i in range(int(m.group(2)), int(m.group(3)) + 1)), text)
    return list(dict.fromkeys(m.group(0) for m in _OBJECTIVE.finditer(text)))


def assessed_by() -> dict[str, list[str]]:
    """objective id -> the keys of the questions and rubrics that assess it (name it outside
    parentheses in their ``objective`` field), in exercise order."""
    out: dict[str, list[str]] = {}
    for exercise in exercises():
        for q in questions(exercise):
            for objective in objective_ids(q.objective):
                out.setdefault(objective, []).append(q.key)
    return out


# --------------------------------------------------------------------------- reading answers

def _is_unanswered(answer: Any) -> bool:
    if answer is None or answer is Ellipsis or answer is _MISSING:
        return True
    if isinstance(answer, str) and (not answer.strip() or PLACEHOLDER.lower() in answer.lower()):
        return True
    if isinstance(answer, (list, tuple)) and answer and all(a is Ellipsis or a is None for a in answer):
        return True
    return False


def _is_number(x: Any) -> bool:
    return isinstance(x, (int, float, np.integer, np.floating)) and not isinstance(x, (bool, np.bool_))


def _is_missing_value(x: Any) -> bool:
    try:
        return bool(pd.isna(x))
    except (TypeError, ValueError):
        return False


def _describe(x: Any) -> str:
    if isinstance(x, pd.DataFrame):
        return f"a table (DataFrame) with {len(x)} row(s) and columns {', '.join(map(str, x.columns))}"
    if isinstance(x, pd.Series):
        return f"a Series of {len(x)} value(s)"
    if isinstance(x, dict):
        return f"a dict with {len(x)} item(s)"
    if isinstance(x, (list, tuple, set, np.ndarray)):
        return f"a {type(x).__name__} of {len(x)} item(s)"
    if isinstance(x, str):
        return "text (a string)"
    if isinstance(x, (bool, np.bool_)):
        return "True/False"
    if callable(x):
        return "a function"
    return f"a {type(x).__name__}"


def _as_number(answer: Any, what: str) -> float:
    """One number from a number, a one-element Series/list/array, or refuse plainly."""
    x = answer
    if isinstance(x, (pd.Series, pd.DataFrame, np.ndarray, list, tuple)):
        flat = np.asarray(x.to_numpy() if hasattr(x, "to_numpy") else x, dtype=object).ravel()
        if len(flat) != 1:
            raise _Answer(f"{what} should be one number, but you gave {_describe(x)}. "
                          f"Pick out the single value (for a one-row selection, `.iloc[0]`).")
        x = flat[0]
    if isinstance(x, str):
        raise _Answer(f"{what} should be a number, but it is text ({x[:30]!r}). "
                      f"Compute it from the data instead of typing it, and leave off the quotes.")
    if isinstance(x, (bool, np.bool_)):
        raise _Answer(f"{what} should be a number, but it is {x} (a True/False value). "
                      f"Did you compare instead of dividing?")
    if x is pd.NA or _is_missing_value(x) and not _is_number(x):
        raise _Answer(f"{what} is missing (NA): a value was not found. Often a filter matched "
                      f"no rows; check the spelling of the city and the date.")
    if not _is_number(x):
        raise _Answer(f"{what} should be a number, but it is {_describe(x)}.")
    x = float(x)
    if math.isnan(x):
        raise _Answer(f"{what} is NaN (not a number): a calculation used a missing value. "
                      f"Often a filter matched no rows, so there was nothing to divide.")
    if math.isinf(x):
        raise _Answer(f"{what} is infinite: something was divided by zero.")
    return x


def _norm_label(label: Any) -> str:
    return re.sub(r"[\s\-]+", "_", str(label).strip().lower())


def _by_alias(got: dict[str, float], what: str, aliases: dict[str, str], use: str) -> dict[str, float]:
    """Re-key a mapping through ``aliases`` (normalised label, or a part of it -> key);
    ``use`` names the labels to use when one matches nothing."""
    out: dict[str, float] = {}
    for k, v in got.items():
        key = aliases.get(k) or next((t for alias, t in aliases.items() if alias in k), None)
        if key is None:
            raise _Answer(f"{what} has a label {k!r}; use {use}.")
        out[key] = v
    return out


def _as_mapping(answer: Any, what: str, label_column: str) -> dict[str, float]:
    """label -> number from a Series, a dict, a two-column table or a list of pairs."""
    x = answer
    if isinstance(x, pd.DataFrame):
        if "claim_id" in x.columns:
            raise _Answer(f"{what} is the claims table itself ({len(x)} rows, one per claim). "
                          f"Count the claims in each group instead of listing them.")
        numeric = [c for c in x.columns if pd.api.types.is_numeric_dtype(x[c])]
        labels = [c for c in x.columns if c not in numeric]
        if len(numeric) == 1 and len(labels) == 1:
            x = dict(zip(x[labels[0]], x[numeric[0]]))
        elif len(numeric) == 1 and not labels:
            x = x[numeric[0]]
        else:
            raise _Answer(f"{what} should be one count per {label_column}, but you gave "
                          f"{_describe(x)}. Keep one column of labels and one of counts.")
    if isinstance(x, pd.Series):
        if isinstance(x.index, pd.MultiIndex):
            raise _Answer(f"{what} is grouped by more than one column (its index has "
                          f"{x.index.nlevels} levels). Group by `{label_column}` alone.")
        if not pd.api.types.is_numeric_dtype(x) and len(x) and all(isinstance(v, str) for v in x):
            raise _Answer(f"{what} holds text, one entry per claim: it looks like the "
                          f"`{label_column}` column itself. Count how often each value appears.")
        if isinstance(x.index, pd.RangeIndex) and pd.api.types.is_numeric_dtype(x):
            raise _Answer(f"{what} has numbers but no labels (its index is 0, 1, 2...). Keep "
                          f"the `{label_column}` as the index so each count says what it counts.")
        x = dict(x.items())
    if isinstance(x, (list, tuple)) and x and all(isinstance(p, (list, tuple)) and len(p) == 2 for p in x):
        x = dict(x)
    if isinstance(x, (list, tuple, np.ndarray, set)):
        raise _Answer(f"{what} is {_describe(x)} without labels: a count means little unless "
                      f"it says which `{label_column}` it counts. Use a Series or a dict.")
    if not isinstance(x, dict):
        raise _Answer(f"{what} should be one count per {label_column} (a Series or a dict), "
                      f"but it is {_describe(x)}.")
    out: dict[str, float] = {}
    for k, v in x.items():
        if _is_missing_value(v) and not isinstance(v, (list, tuple, dict)):
            raise _Answer(f"The count for {k!r} is missing (NaN). Count rows; counts are never NaN.")
        if not _is_number(v):
            raise _Answer(f"The count for {k!r} should be a number, but it is {_describe(v)}.")
        out[_norm_label(k)] = out.get(_norm_label(k), 0.0) + float(v)
    return out


def _as_ids(answer: Any, what: str, id_column: str) -> list[str]:
    """A list of ids from a list/tuple/set/Series/array, a table with the id column, or
    text separated by ';' or ','."""
    x = answer
    if isinstance(x, pd.DataFrame):
        if id_column not in x.columns:
            raise _Answer(f"{what} is a table without a `{id_column}` column; give the ids "
                          f"(the `{id_column}` column), as a list or a Series.")
        x = x[id_column]
    if isinstance(x, pd.Index):
        x = list(x)
    if isinstance(x, (pd.Series, np.ndarray)):
        x = list(x.tolist())
    if isinstance(x, str):
        x = [x]
    if isinstance(x, set):
        x = sorted(x, key=str)
    if not isinstance(x, (list, tuple)):
        raise _Answer(f"{what} should be a list of ids, but it is {_describe(x)}.")
    ids: list[str] = []
    for item in x:
        if item is None or _is_missing_value(item):
            raise _Answer(f"{what} contains a missing value (None/NaN): a lookup found nothing.")
        if _is_number(item):
            raise _Answer(f"{what} holds numbers ({item!r}...), which look like row positions. "
                          f"Give the ids from the `{id_column}` column instead.")
        if not isinstance(item, str):
            raise _Answer(f"Each id in {what} should be text, but one is {_describe(item)}.")
        ids += [p for p in re.split(r"[;,\s]+", item.strip()) if p]
    if not ids:
        raise _Answer(f"{what} is empty: no ids matched. Check your filter.")
    return ids


def _fmt_ratio(x: float) -> str:
    return f"{x:,.1f}"


# --------------------------------------------------------------------------- learners' functions

CALL_TIME_LIMIT = 5  # seconds a hidden check lets a learner's function run


class _TimeLimit(BaseException):
    """A learner's function ran too long (BaseException, so `except Exception` in the
    learner's code cannot swallow it)."""


def _call_with_time_limit(fn, *args, seconds: float | None = None):
    import signal
    import threading
    seconds = CALL_TIME_LIMIT if seconds is None else seconds
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        return fn(*args)

    def _alarm(signum, frame):
        raise _TimeLimit()

    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return fn(*args)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# --------------------------------------------------------------------------- expected answers

_EXPECTED: dict[str, Callable[[str], Any]] = {}


def _expects(exercise: str):
    """Register the function that computes an exercise set's expected answers."""
    def register(fn):
        _EXPECTED[exercise] = fn
        return fn
    return register


def expected(key: str) -> Any:
    """The expected answer of an auto-checked question, computed from data/ (for tests,
    the instructor guide and the grader's feedback)."""
    exercise = key.split(".")[0]
    if exercise not in _EXPECTED:
        raise KeyError(key)
    return _EXPECTED[exercise](key)


_YEAR = re.compile(r"^(19[89]\d|20[0-3]\d)$")
_NUMBER_TOKEN = re.compile(r"(?<![\w\-./])\d[\d,]*(?:\.\d+)?(?:\s?%)?(?![\w\-])")
FOUR_QUESTIONS = ("power", "threat", "rights", "money")


@lru_cache(maxsize=1)
def _citation_keys() -> frozenset[str]:
    bib = Path(__file__).resolve().parents[2] / "book" / "references.bib"
    if not bib.exists():
        return frozenset()
    return frozenset(re.findall(r"^@\w+\{([^,\s]+),", bib.read_text(encoding="utf-8"), re.M))


def _numbers_in(text: str) -> list[str]:
    found = []
    for m in _NUMBER_TOKEN.finditer(text):
        token = m.group(0).strip()
        if _YEAR.match(token):
            continue
        found.append(token)
    return found


def _sources_in(text: str) -> list[str]:
    ids = list(load("sources")["source_id"]) + sorted(_citation_keys())
    found = []
    for sid in ids:
        if re.search(r"(?<![\w\-])" + re.escape(sid) + r"(?![\w\-])", text, re.I):
            found.append(sid)
    return found


def _rubric_text(r: Rubric) -> str:
    lines = [_wrap(f"A marker will look for ({', '.join(r.levels)} each):")]
    lines += [_wrap(f"{i}. {c}", "    ", "       ") for i, c in enumerate(r.criteria, 1)]
    return "\n".join(lines)


def self_check_text(key: str, text: Any, *, quiet: bool = False) -> CheckResult:
    """Objective checks on a written answer, with the rubric; never a verdict on opinion."""
    try:
        result = _self_check_text(key, text)
    except Exception as exc:  # the learner must never see a traceback
        result = CheckResult(key, False, 0, 0, f"{key}: the self-check could not read this answer "
                             f"({type(exc).__name__}). Put your answer in quotes, as text.")
    if not quiet:
        print(result.message)
        result._printed = True
    return result


def _self_check_text(key: str, text: Any) -> CheckResult:
    r = RUBRICS.get(key)
    if r is None:
        return CheckResult(key, False, 0, 0, f"There is no written question called {key!r}. "
                           f"Written questions: {', '.join(sorted(RUBRICS))}.")
    head = _wrap(f"{key} ({r.title}), objective {r.objective}, written answer — marked by "
                 f"your instructor.", "", "  ")
    if _is_unanswered(text):
        msg = (f"{head}\n" + _wrap(f"Status: {NOT_ANSWERED}. Replace the placeholder text with "
                                   f"your answer ({r.words[0]}-{r.words[1]} words) and run this "
                                   f"cell again.") + f"\n{_rubric_text(r)}")
        return CheckResult(key, False, 0, 0, msg, details={"answered": False})
    if not isinstance(text, str):
        msg = (f"{head}\n" + _wrap(f"Your answer should be text in quotes (a string), but it is "
                                   f"{_describe(text)}. Write it between the triple quotes."))
        return CheckResult(key, False, 0, 0, msg, details={"answered": False})
    words = len(re.findall(r"\b[\w'’-]+\b", text))
    numbers, sources = _numbers_in(text), _sources_in(text)
    claim_ids = sorted(set(re.findall(r"(?<![\w-])c\d{2}(?![\w-])", text, re.I)))
    questions_named = [q for q in FOUR_QUESTIONS if re.search(rf"\b{q}\b", text, re.I)]
    items = []
    lo, hi = r.words
    in_window = lo <= words <= hi
    items.append((in_window, f"Length: {words} words (aim for {lo}-{hi})"
                  + ("" if in_window else " — " + ("too short to make the case" if words < lo
                                                     else "trim it to the strongest points"))))
    if r.needs_number:
        items.append((bool(numbers), "Cites a number: " + (", ".join(numbers[:5]) if numbers else
                     "none found (a year alone does not count; quote a figure with its claimant)")))
    if r.needs_source:
        items.append((bool(sources), "Cites a source: " + (", ".join(sources[:5]) if sources else
                     "none found (give an id from data/sources.csv, e.g. the one in a row's "
                     "source_id column, or a citation key from the bibliography)")))
    if r.names_claim:
        items.append((bool(claim_ids), "Names a claim id: " + (", ".join(claim_ids) if claim_ids
                                                                else "none found (an id such as c04, from data/claims.csv)")))
    if r.names_question:
        items.append((bool(questions_named), "Links to the four questions: " + (
            ", ".join(questions_named) if questions_named else "none of power, threat, rights, money named")))
    met = all(ok for ok, _ in items)
    lines = [head, "  Objective checks (these do not judge your argument or your view):"]
    lines += [_wrap(f"[{'x' if ok else ' '}] {label}", "    ", "        ") for ok, label in items]
    lines.append("  " + ("All objective checks are met. Now compare your answer with the rubric."
                         if met else "Some objective checks are not met yet; see above."))
    lines.append(_rubric_text(r))
    return CheckResult(key, met, 0, 0, "\n".join(lines),
                       details={"answered": True, "words": words, "numbers": numbers,
                                "sources": sources, "claim_ids": claim_ids,
                                "questions": questions_named})


# --------------------------------------------------------------------------- running checks

def _run(key: str, fn, answer, max_score: float, title: str, hidden: bool = False,
         unanswered_hint: str = "") -> CheckResult:
    if _is_unanswered(answer):
        msg = _wrap(f"{key} ({title}): {NOT_ANSWERED} — 0 of {_points(max_score)} "
                    f"point{'s' if max_score != 1 else ''}.", "", "  ")
        if unanswered_hint:
            msg += "\n" + _wrap("Next step: " + unanswered_hint)
        return CheckResult(key, False, 0, max_score, msg, hidden=hidden, details={"answered": False})
    try:
        score, right, off, hint = fn(answer)
    except _Answer as exc:
        return CheckResult(key, False, 0, max_score,
                           _compose(key, 0, max_score, off=[exc.message], title=title), hidden=hidden)
    except Exception as exc:  # a checker must never show the learner a traceback
        return CheckResult(key, False, 0, max_score, _compose(
            key, 0, max_score, title=title,
            off=[f"The check could not read this answer ({type(exc).__name__}: {str(exc)[:100]})."],
            hint="Compare the kind of object you made with what the exercise asks for."),
            hidden=hidden)
    score = float(score)
    return CheckResult(key, score >= max_score, score, max_score,
                       _compose(key, score, max_score, right, off, hint, title), hidden=hidden)


def check(key: str, answer: Any = _MISSING, *, quiet: bool = False) -> CheckResult:
    """Check one answer and print feedback: what is right, what is off, and a hint.

    ``key`` names the question, e.g. ``"ex01.q1"``. Never raises.
    """
    q = QUESTIONS.get(key)
    if q is None:
        if key in RUBRICS:
            return self_check_text(key, answer, quiet=quiet)
        result = CheckResult(key, False, 0, 0, f"There is no check called {key!r}. Checks: "
                             f"{', '.join(sorted(QUESTIONS, key=_natural_key))}.")
    else:
        result = _run(key, q.fn, answer, q.max_score, q.title, unanswered_hint=q.unanswered_hint)
        if q.hidden and not _is_unanswered(answer):
            result.message += "\n" + _wrap(
                "(When your work is graded, this question is also checked in other ways: "
                + "; ".join(h.description for h in q.hidden) + ".)")
    if not quiet:
        print(result.message)
        result._printed = True
    return result


def _hidden_results(q: Question, namespace: dict) -> list[CheckResult]:
    out = []
    for h in q.hidden:
        answer = namespace.get(h.variable, _MISSING)
        out.append(_run(h.key, h.fn, answer, h.max_score, h.description, hidden=True))
    return out


def assert_hidden(key: str, namespace: dict) -> list[CheckResult]:
    """Run the grader-only checks of question ``key`` on a notebook's variables.

    For the instructor's ``hidden-check`` cells: raises AssertionError (with the feedback)
    if any fails, so the instructor notebook and CI fail loudly.
    """
    results = _hidden_results(QUESTIONS[key], namespace)
    failed = [r for r in results if not r.passed]
    assert not failed, "\n".join(r.message for r in failed)
    return results


def grade_namespace(exercise: str, namespace: dict) -> list[dict]:
    """Score every question of ``exercise`` against a kernel's variables (for the grader).

    One dict per question: key, kind, objective, score, max_score (None for written
    questions, which instructors mark by hand), passed, message, hidden results and, for
    written questions, the text and its objective checks.
    """
    rows = []
    for q in questions(exercise):
        answer = namespace.get(q.variable, _MISSING)
        if isinstance(q, Rubric):
            res = self_check_text(q.key, None if answer is _MISSING else answer, quiet=True)
            text = answer if isinstance(answer, str) and not _is_unanswered(answer) else ""
            rows.append({"key": q.key, "variable": q.variable, "kind": "written",
                         "objective": q.objective, "score": None, "max_score": None,
                         "passed": res.passed, "message": res.message, "hidden": [],
                         "text": text[:10000], "details": res.details})
            continue
        if answer is _MISSING:
            res = CheckResult(q.key, False, 0, q.max_score,
                              f"{q.key} ({q.title}): {NOT_ANSWERED} — the notebook has no "
                              f"variable `{q.variable}` (was its cell deleted, renamed or not run?).")
        else:
            res = check(q.key, answer, quiet=True)
        hidden = _hidden_results(q, namespace)
        rows.append({"key": q.key, "variable": q.variable, "kind": "code", "objective": q.objective,
                     "score": res.score + sum(h.score for h in hidden),
                     "max_score": q.max_score + sum(h.max_score for h in q.hidden),
                     "passed": res.passed and all(h.passed for h in hidden),
                     "message": res.message, "hidden": [h.as_dict() for h in hidden]})
    return rows
