"""Rights and proportionality: a structured assessment, a safeguards risk scheme, a
chilling-effect scenario.

Chapter 7 applies the limitation test of the International Covenant on Civil and
Political Rights (legality, legitimate aim, necessity and proportionality) and the
Necessary and Proportionate principles to the Kabul camera plan. This module gives that
assessment a structure that a program can check, and two small models the assessment can
cite. Nothing here decides whether the plan is lawful: the judgements are the assessor's,
and :func:`verify` checks only that an assessment is complete and that every number it
cites can be found again.

1. The assessment
-----------------
An :class:`Assessment` has one :class:`Step` for each of :data:`STEPS` (``legality``,
``legitimate_aim``, ``necessity``, ``proportionality``, ``safeguards``). Each step holds

* ``finding``: the assessor's own words;
* ``judgement``: one of :data:`JUDGEMENTS` ("met", "partly met", "not met", "cannot tell");
* ``evidence``: a list of references, each either

  - a :class:`DataEvidence`: a row of a dataset in ``data/``. ``where`` must pick out
    exactly one row, and that row's ``column`` must equal ``value``; the row's sources
    are attached when it is resolved; or
  - a :class:`ModelEvidence`: a result of a function in ``kabulcase.models``, named by a
    dotted path such as ``"kabulcase.models.power:recording_share"``. Re-running it with
    ``params`` must give ``value`` within ``rel_tol`` (for a function that returns a
    dict, ``output`` names the entry).

:func:`verify` returns a list of :class:`Problem` (empty when all is well). It checks the
structure (every step present once, a finding, a judgement on the scale, evidence) and that
every evidence item resolves and matches. Unknown datasets, columns, models or parameters
are reported in plain words; they never raise. It never grades the conclusion: an
assessment that judges every step "met" passes if its evidence is real.

2. Safeguard levers and the risk scheme
---------------------------------------
:class:`Safeguards` holds six levers: ``retention_days`` (``None`` means no published
limit), ``face_recognition``, ``judicial_authorisation``, ``independent_oversight``,
``published_audits`` and ``community_approval``. :func:`risk_assessment` turns them into
six :class:`RiskFactor` objects, each with a level on the book's four-step ordinal scale
(:data:`LEVELS`), the reason in words, the levers that can change it, and the single lever
changes that would lower it now. The rules (in :data:`FACTORS`) are the book's own scheme,
stated so that they can be disputed; the levels are an ordering, not a measurement, and
are never added up. Face recognition is off unless a caller chooses it
(:data:`FACE_RECOGNITION`): no source reports watchlist matching in Kabul, so
:data:`WITH_FACE_RECOGNITION` is the book's inference, a scenario beside
:data:`AS_REPORTED`, not a finding. By construction, every rule is monotone: adding a safeguard, turning
face recognition off or shortening retention never raises any level.
:func:`risk_profile` counts the factors at each level, for citing in an assessment.

3. The chilling-effect scenario
-------------------------------
:func:`chilling_scenario` asks: of ``would_take_part`` people who would otherwise do a
lawful thing (read, speak, attend a gathering), how many refrain because they believe
they are watched? The central share is read from ``data/evidence_chilling.csv`` (Penney's
fall in views of privacy-sensitive Wikipedia articles); the low and high ends divide and
multiply it by a stated factor, a book assumption, because no Afghan measurement exists.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import math
import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Callable

import pandas as pd

from ..data import DataValidationError, UnknownDatasetError, datasets, load, sources_for
from .assumptions import CLAIMED_NETWORK

# ---------------------------------------------------------------------------------------
# 1. The assessment
# ---------------------------------------------------------------------------------------

JUDGEMENTS: tuple[str, ...] = ("met", "partly met", "not met", "cannot tell")
"""The judgement scale, from the assessor's point of view. "cannot tell" means the public
record does not allow a judgement; it is not a polite "not met"."""

STEPS: dict[str, dict[str, str]] = {
    "legality": {
        "label": "Legality",
        "question": ("Is the surveillance set out in a law that is published and precise "
                     "enough for people to know who may watch, what is kept, for how long "
                     "and for what?"),
        "frameworks": ("Three-part test, part 1 (provided by law); Necessary and "
                       "Proportionate principle of legality."),
    },
    "legitimate_aim": {
        "label": "Legitimate aim",
        "question": ("Does it pursue an aim the Covenant accepts (national security, public "
                     "order, the rights of others), and is that the aim it actually serves?"),
        "frameworks": ("Three-part test, part 2; Necessary and Proportionate principle of "
                       "legitimate aim."),
    },
    "necessity": {
        "label": "Necessity (and adequacy)",
        "question": ("Is it needed for that aim, does it actually work (adequacy), and would "
                     "no less intrusive means do? The state carries the burden of showing it."),
        "frameworks": ("Three-part test, part 3; Necessary and Proportionate principles of "
                       "necessity and adequacy."),
    },
    "proportionality": {
        "label": "Proportionality",
        "question": ("Is the harm to rights (privacy, expression, assembly) in proportion to "
                     "the benefit, and does the measure leave the essence of each right intact?"),
        "frameworks": ("Three-part test, part 3; Necessary and Proportionate principle of "
                       "proportionality."),
    },
    "safeguards": {
        "label": "Safeguards",
        "question": ("Who authorises and checks use? Is there independent (judicial) "
                     "authorisation, transparency, public oversight, protection against "
                     "misuse and a remedy for people wrongly targeted?"),
        "frameworks": ("Necessary and Proportionate principles of competent judicial "
                       "authority, due process, user notification, transparency, public "
                       "oversight, integrity of systems, safeguards for international "
                       "cooperation, and safeguards against illegitimate access with a right "
                       "to an effective remedy."),
    },
}
"""The five steps, in order, with the question each asks and where it comes from."""

MIN_FINDING_WORDS = 5
"""A finding shorter than this many words is reported as not filled in."""
MODEL_PREFIX = "kabulcase.models."
"""ModelEvidence may only name functions in the book's model modules."""
DEFAULT_REL_TOL = 0.005
"""Default allowed relative difference between a cited model result and a re-run (0.5%),
so that a result cited to three significant figures still matches."""
MAX_REL_TOL = 0.05
"""The largest relative tolerance an assessor may claim for a model result (5%)."""


@dataclass
class DataEvidence:
    """A value in one row of a dataset in ``data/``.

    ``where`` maps column names to values that together pick out exactly one row (the
    same rule as :func:`kabulcase.value`); ``column`` is the cell cited and ``value`` what
    the assessor says it holds. ``label`` says in words what the number or text shows.

    >>> DataEvidence("camera_counts", dict(CLAIMED_NETWORK), "cameras", 62000)
    ... # doctest: +ELLIPSIS
    DataEvidence(dataset='camera_counts', ...)
    """

    dataset: str
    where: dict[str, Any]
    column: str
    value: Any
    label: str = ""


@dataclass
class ModelEvidence:
    """A result of a model function, which :func:`verify` re-runs.

    ``model`` is ``"kabulcase.models.<module>:<function>"``; ``params`` are passed as
    keyword arguments; ``output`` names the entry when the function returns a dict (leave
    it ``None`` when it returns a number); ``value`` is the result the assessor cites and
    ``rel_tol`` the relative difference allowed (at most :data:`MAX_REL_TOL`).
    """

    model: str
    params: dict[str, Any] = field(default_factory=dict)
    output: str | None = None
    value: float | None = None
    rel_tol: float = DEFAULT_REL_TOL
    label: str = ""


Evidence = DataEvidence | ModelEvidence


@dataclass
class Step:
    """One step of the test: its name (a key of :data:`STEPS`), the assessor's finding,
    a judgement from :data:`JUDGEMENTS`, and the evidence for it."""

    name: str
    finding: str
    judgement: str
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class Assessment:
    """A necessity-and-proportionality assessment: a title, who made it, what is assessed,
    and one :class:`Step` per entry of :data:`STEPS`."""

    title: str
    assessor: str
    subject: str
    steps: list[Step]

    def step(self, name: str) -> Step:
        """The step called ``name`` (KeyError naming the steps if there is none)."""
        for s in self.steps:
            if getattr(s, "name", None) == name:
                return s
        raise KeyError(f"No step {name!r}; the steps are {', '.join(STEPS)}.")


@dataclass(frozen=True)
class Problem:
    """Something :func:`verify` found wrong: where (e.g. "step 'necessity', evidence 2")
    and what, in words."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass(frozen=True)
class Resolved:
    """An evidence item found again: the value from the data or the model, what it is,
    and the sources behind it (source ids and 'publisher (year)' for data rows)."""

    kind: str           # "data" or "model"
    value: Any
    label: str
    reference: str      # e.g. "data/camera_counts.csv, row city=Kabul and other cities, date=2023-08: cameras"
    source_ids: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    confidence: str | None = None


class EvidenceError(LookupError):
    """An evidence item that cannot be resolved, with the reason in words."""


def _is_number(x: Any) -> bool:
    return isinstance(x, numbers.Real) and not isinstance(x, bool)


def _matches(series: pd.Series, wanted: Any) -> pd.Series:
    """Rows of ``series`` equal to ``wanted``: dates as dates, numbers as numbers,
    everything else compared as text (as :func:`kabulcase.value` does)."""
    if pd.api.types.is_datetime64_any_dtype(series):
        try:
            return series == pd.Timestamp(wanted)
        except (ValueError, TypeError):
            return pd.Series(False, index=series.index)
    if pd.api.types.is_bool_dtype(series) and isinstance(wanted, bool):
        return series.fillna(not wanted) == wanted
    if pd.api.types.is_numeric_dtype(series) and _is_number(wanted):
        return series.astype("float64").sub(float(wanted)).abs().le(1e-9 * max(1.0, abs(float(wanted)))).fillna(False)
    return (series.astype("string") == str(wanted)).fillna(False)


def _same(cell: Any, cited: Any) -> bool:
    """Does the cell hold the cited value? Numbers within a billionth (relative), dates
    as dates, booleans as booleans, text after trimming spaces."""
    if isinstance(cell, bool) or isinstance(cited, bool):
        return isinstance(cell, (bool,)) and isinstance(cited, bool) and cell == cited
    if _is_number(cell) and _is_number(cited):
        return math.isclose(float(cell), float(cited), rel_tol=1e-9, abs_tol=1e-12)
    if isinstance(cell, pd.Timestamp):
        try:
            return cell == pd.Timestamp(cited)
        except (ValueError, TypeError):
            return False
    return str(cell).strip() == str(cited).strip()


def _plain(x: Any) -> Any:
    """A numpy or pandas scalar as a plain Python value."""
    if hasattr(x, "item") and not isinstance(x, (str, bytes)):
        try:
            return x.item()
        except (ValueError, AttributeError):
            return x
    return x


def _where_text(where: Mapping[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in where.items())


def resolve_data(item: DataEvidence) -> Resolved:
    """Find the row that ``item`` cites and return its value and sources.

    Raises :class:`EvidenceError` with a plain reason when the dataset, a column or the
    row cannot be found, or when the cell does not hold the cited value.
    """
    if not isinstance(item.dataset, str) or not item.dataset:
        raise EvidenceError(f"dataset must be the name of a dataset in data/; got {item.dataset!r}.")
    try:
        frame = load(item.dataset)
    except UnknownDatasetError:
        raise EvidenceError(f"there is no dataset {item.dataset!r}; the datasets are "
                            f"{', '.join(sorted(datasets()))}.") from None
    except (DataValidationError, FileNotFoundError) as err:
        raise EvidenceError(f"dataset {item.dataset!r} could not be read: {err}") from None
    if not isinstance(item.where, Mapping) or not item.where:
        raise EvidenceError("where must be a dict of column: value pairs that pick out one row "
                            f"(for example {{'claim_id': 'c04'}}); got {item.where!r}.")
    unknown = [c for c in list(item.where) + [item.column] if c not in frame.columns]
    if unknown:
        raise EvidenceError(f"{item.dataset} has no column(s) {', '.join(map(repr, unknown))}; "
                            f"its columns are {', '.join(frame.columns)}.")
    mask = pd.Series(True, index=frame.index)
    for col, wanted in item.where.items():
        mask &= _matches(frame[col], wanted)
    hits = frame[mask.astype(bool)]
    path = f"data/{frame.attrs.get('path', item.dataset + '.csv')}"
    reference = f"{path}, row {_where_text(item.where)}: {item.column}"
    if len(hits) != 1:
        raise EvidenceError(f"{path} has {len(hits)} rows where {_where_text(item.where)}; "
                            f"evidence must pick out exactly one row.")
    cell = _plain(hits[item.column].iloc[0])
    if cell is None or (not isinstance(cell, str) and pd.isna(cell)):
        raise EvidenceError(f"{reference} is empty, so it cannot support the cited value "
                            f"{item.value!r}.")
    if not _same(cell, item.value):
        raise EvidenceError(f"{reference} holds {cell!r}, not the cited {item.value!r}.")
    ids: tuple[str, ...] = ()
    shown: tuple[str, ...] = ()
    if "source_id" in hits.columns:
        srcs = sources_for(hits)
        ids = tuple(srcs["source_id"])
        shown = tuple(f"{r.publisher} ({'n.d.' if pd.isna(r.date_published) else str(r.date_published)[:4]})"
                      for r in srcs.itertuples())
    conf = str(hits["confidence"].iloc[0]) if "confidence" in hits.columns else None
    return Resolved("data", cell, item.label, reference, ids, shown, conf)


def _resolve_function(path: Any) -> Callable[..., Any]:
    if not isinstance(path, str) or path.count(":") != 1:
        raise EvidenceError(f"model must look like 'kabulcase.models.power:recording_share' "
                            f"(module, a colon, function); got {path!r}.")
    module_name, func_name = path.split(":")
    if not module_name.startswith(MODEL_PREFIX):
        raise EvidenceError(f"model {path!r} is not one of the book's models: the module must "
                            f"start with {MODEL_PREFIX!r}.")
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        raise EvidenceError(f"there is no model module {module_name!r}.") from None
    except Exception as err:  # a model module that fails to import: say so, do not crash
        raise EvidenceError(f"model module {module_name!r} could not be imported "
                            f"({type(err).__name__}: {err}).") from None
    func = getattr(module, func_name, None)
    if func is None or not callable(func) or func_name.startswith("_"):
        public = sorted(n for n, f in vars(module).items()
                        if callable(f) and not n.startswith("_") and inspect.isfunction(f)
                        and f.__module__ == module.__name__)
        raise EvidenceError(f"{module_name} has no function {func_name!r}; its functions are "
                            f"{', '.join(public)}.")
    return func


def resolve_model(item: ModelEvidence) -> Resolved:
    """Re-run the model that ``item`` cites and check the result.

    Raises :class:`EvidenceError` with a plain reason when the model or a parameter is
    unknown, the model refuses the parameters, the output is missing, or the result
    differs from the cited value by more than ``rel_tol``.
    """
    func = _resolve_function(item.model)
    if not isinstance(item.params, Mapping):
        raise EvidenceError(f"params must be a dict of keyword arguments; got {item.params!r}.")
    try:
        signature = inspect.signature(func)
        signature.bind(**item.params)
    except TypeError as err:
        accepted = ", ".join(p for p in inspect.signature(func).parameters)
        raise EvidenceError(f"{item.model} cannot take params {dict(item.params)!r} ({err}); "
                            f"it accepts: {accepted}.") from None
    rel_tol = item.rel_tol
    if not _is_number(rel_tol) or not 0 <= float(rel_tol) <= MAX_REL_TOL:
        raise EvidenceError(f"rel_tol must be a number from 0 to {MAX_REL_TOL:g}; got {rel_tol!r}.")
    if not _is_number(item.value):
        raise EvidenceError(f"value must be the number the model gives; got {item.value!r}.")
    try:
        result = func(**item.params)
    except Exception as err:  # the model refused the inputs: report, do not crash
        raise EvidenceError(f"{item.model} refused params {dict(item.params)!r}: "
                            f"{type(err).__name__}: {err}") from None
    call = f"{item.model}({', '.join(f'{k}={v!r}' for k, v in item.params.items())})"
    if isinstance(result, Mapping):
        if item.output is None or item.output not in result:
            raise EvidenceError(f"{call} returns a dict; output must be one of its keys: "
                                f"{', '.join(map(str, result))} (got {item.output!r}).")
        got = result[item.output]
        call += f"[{item.output!r}]"
    else:
        if item.output is not None:
            raise EvidenceError(f"{call} returns a single value, so output must be None "
                                f"(got {item.output!r}).")
        got = result
    got = _plain(got)
    if not _is_number(got):
        raise EvidenceError(f"{call} gives {got!r}, which is not a number.")
    if not math.isclose(float(got), float(item.value), rel_tol=float(rel_tol), abs_tol=1e-12):
        raise EvidenceError(f"re-running {call} gives {float(got):.6g}, not the cited "
                            f"{float(item.value):.6g} (allowed relative difference "
                            f"{float(rel_tol):g}).")
    return Resolved("model", float(got), item.label, call)


def resolve(item: Any) -> Resolved:
    """Resolve one evidence item (either kind); EvidenceError if it does not check out."""
    if isinstance(item, DataEvidence):
        return resolve_data(item)
    if isinstance(item, ModelEvidence):
        return resolve_model(item)
    raise EvidenceError(f"evidence must be DataEvidence(...) or ModelEvidence(...); got "
                        f"{type(item).__name__} {item!r}.")


def verify(assessment: Any) -> list[Problem]:
    """Check that ``assessment`` is complete and that its evidence is real.

    Returns a list of :class:`Problem`, empty when all is well. Checks: it is an
    :class:`Assessment` with a title, an assessor and a subject; every step of
    :data:`STEPS` appears exactly once and no other; each finding has at least
    :data:`MIN_FINDING_WORDS` words; each judgement is on the scale :data:`JUDGEMENTS`;
    each step cites at least one evidence item unless its judgement is "cannot tell";
    and every evidence item resolves (:func:`resolve`). It does not judge whether the
    judgements follow from the evidence: that is for the reader.
    """
    if not isinstance(assessment, Assessment):
        return [Problem("assessment", f"expected an Assessment(...); got {type(assessment).__name__}.")]
    problems: list[Problem] = []
    for attr in ("title", "assessor", "subject"):
        text = getattr(assessment, attr)
        if not isinstance(text, str) or not text.strip():
            problems.append(Problem("assessment", f"{attr} is empty; say what it is."))
    if not isinstance(assessment.steps, Sequence) or isinstance(assessment.steps, str):
        return problems + [Problem("assessment", "steps must be a list of Step(...).")]
    seen: dict[str, int] = {}
    for i, step in enumerate(assessment.steps, start=1):
        if not isinstance(step, Step):
            problems.append(Problem(f"step {i}", f"expected Step(...); got {type(step).__name__}."))
            continue
        where = f"step {step.name!r}"
        if step.name not in STEPS:
            problems.append(Problem(f"step {i}", f"unknown step {step.name!r}; the steps are "
                                                 f"{', '.join(STEPS)}."))
            continue
        seen[step.name] = seen.get(step.name, 0) + 1
        if seen[step.name] == 2:
            problems.append(Problem(where, "appears more than once."))
        finding = step.finding if isinstance(step.finding, str) else ""
        if len(finding.split()) < MIN_FINDING_WORDS:
            problems.append(Problem(where, f"the finding is not filled in (it needs at least "
                                           f"{MIN_FINDING_WORDS} words)."))
        if step.judgement not in JUDGEMENTS:
            problems.append(Problem(where, f"judgement {step.judgement!r} is not on the scale; "
                                           f"use one of {', '.join(map(repr, JUDGEMENTS))}."))
        evidence = step.evidence
        if not isinstance(evidence, (list, tuple)):
            problems.append(Problem(where, "evidence must be a list."))
            continue
        if not evidence and step.judgement != "cannot tell":
            problems.append(Problem(where, "no evidence: a judgement other than 'cannot tell' "
                                           "needs at least one evidence item."))
        for j, item in enumerate(evidence, start=1):
            try:
                resolve(item)
            except EvidenceError as err:
                problems.append(Problem(f"{where}, evidence {j}", str(err)))
    for name in STEPS:
        if name not in seen:
            problems.append(Problem(f"step {name!r}", "is missing."))
    return problems


def evidence_table(assessment: Assessment) -> pd.DataFrame:
    """Every evidence item of a verified assessment, resolved: one row per item with the
    step, the kind, what it shows, the value found, the reference and the sources."""
    rows = []
    for step in assessment.steps:
        for j, item in enumerate(step.evidence, start=1):
            r = resolve(item)
            rows.append({"step": step.name, "step_label": STEPS[step.name]["label"],
                         "judgement": step.judgement, "item": j, "kind": r.kind,
                         "label": r.label, "value": r.value, "reference": r.reference,
                         "source_id": ";".join(r.source_ids) if r.source_ids else "",
                         "sources": "; ".join(r.sources) if r.sources else "model (this book)",
                         "confidence": r.confidence or ""})
    return pd.DataFrame(rows)


def cited_rows(assessment: Assessment) -> list[pd.DataFrame]:
    """The data rows an assessment cites, one DataFrame per dataset (as loaded, so they
    carry their sources), for a chart's source note."""
    wanted: dict[str, list[Mapping[str, Any]]] = {}
    for step in assessment.steps:
        for item in step.evidence:
            if isinstance(item, DataEvidence):
                wanted.setdefault(item.dataset, []).append(item.where)
    frames = []
    for name, wheres in wanted.items():
        frame = load(name)
        mask = pd.Series(False, index=frame.index)
        for where in wheres:
            m = pd.Series(True, index=frame.index)
            for col, v in where.items():
                m &= _matches(frame[col], v)
            mask |= m
        rows = frame[mask.astype(bool)].copy()
        rows.attrs = dict(frame.attrs)
        frames.append(rows)
    return frames


# ---------------------------------------------------------------------------------------
# 2. Safeguard levers and the risk scheme
# ---------------------------------------------------------------------------------------

LEVELS: tuple[str, ...] = ("low", "moderate", "high", "very high")
"""The book's ordinal risk scale. An ordering only: "high" is worse than "moderate", but
two "moderate" factors do not make a "high" one, and levels are never added."""
LEVEL_KEYS: tuple[str, ...] = tuple(level.replace(" ", "_") for level in LEVELS)
MAX_RETENTION_DAYS = 3650.0

SUMMARY_RULE = (
    "The book's own summary scheme: count the risk factors at each level and report the "
    "highest level any factor reaches. Levels are an ordering, not scores, so they are "
    "never added or averaged, and the summary is no verdict on the plan as a whole."
)


def _retention_assumption(default: float, low: float, high: float, reason: str) -> dict[str, Any]:
    return {"default": default, "low": low, "high": high, "unit": "days",
            "source_id": "book-assumption", "reason": reason}


def _chilling_assumption() -> dict[str, Any]:
    """The central chilling share, read from data/evidence_chilling.csv (Penney 2016)."""
    row = load("evidence_chilling")
    row = row[row["study"].str.startswith("Penney")]
    if len(row) != 1 or pd.isna(row["value"].iloc[0]):
        raise LookupError("data/evidence_chilling.csv needs exactly one Penney row with a value.")
    r = row.iloc[0]
    if str(r["unit"]) != "percent":
        raise LookupError(f"Expected Penney's figure in percent, got unit {r['unit']!r}.")
    central = float(r["value"]) / 100.0
    return {
        "default": central, "low": central / 2.0, "high": min(1.0, central * 2.0),
        "unit": "share of people who would otherwise do the lawful thing",
        "source_id": str(r["source_id"]),
        "reason": (
            "Central value: Penney's fall in views of privacy-sensitive Wikipedia articles "
            "after the 2013 surveillance revelations (data/evidence_chilling.csv, "
            f"{r['confidence']} confidence: the size comes from a secondary summary). It is "
            "a fall in an activity, used here as the share of would-be participants who "
            "refrain. The low and high ends are the book's assumption: the central share "
            "divided and multiplied by chilling_range_factor. No Afghan measurement exists."
        ),
        "from": "data/evidence_chilling.csv, study Penney (2016)",
    }


ASSUMPTIONS: dict[str, dict[str, Any]] = {
    "retention_short_days": _retention_assumption(
        3.0, 1.0, 7.0,
        "Footage kept this long or less counts as short retention. European data-protection "
        "guidance on video devices says footage should in most cases be erased after a few "
        "days, and that keeping it beyond 72 hours needs more justification. That guidance "
        "binds EU controllers, not Kabul; the book borrows it as a benchmark."),
    "retention_long_days": _retention_assumption(
        30.0, 14.0, 90.0,
        "Footage kept longer than this counts as long retention: a month covers every weekly "
        "routine (work, prayer, markets) several times, enough to reconstruct where a person "
        "goes. No source sets this line; learners can move it within the range."),
    "chilling_share": _chilling_assumption(),
    "chilling_range_factor": {
        "default": 2.0, "low": 1.5, "high": 3.0, "unit": "multiplier",
        "source_id": "book-assumption",
        "reason": (
            "No Afghan study measures the chilling effect, so the range around the central "
            "share is wide: the low end halves it (people already avoiding protest have less "
            "left to give up, and effects fade); the high end doubles it (speaking or marching "
            "in Kabul, where arrests of protesters are documented, risks more than reading an "
            "article)."),
    },
}
"""Every assumption of the risk scheme and the chilling scenario: a default, a low-high
range, a unit, a source id (from data/sources.csv, or ``book-assumption``) and a reason."""


FACE_RECOGNITION: dict[str, Any] = {
    "default": False,
    "basis": "the book's inference",
    "source_id": "bbc-2025-02-27",
    "reason": (
        "No source reports face recognition in the sense the risk scheme means: software that "
        "matches faces against a list of people. The one report on the subject, the BBC's visit "
        "to the Kabul control room in February 2025, says that operators watch gatherings and "
        "faces (claims ledger, claim c15). Watching faces is not matching them. So the record "
        "sets the lever off, and switching it on is the book's inference, a scenario the "
        "learner chooses on purpose, never a default."),
}
"""The face-recognition lever as a scenario choice: its default (off), why, and what switching
it on means. Every model and chart that turns it on must say it chose to."""


@dataclass(frozen=True)
class Safeguards:
    """The six safeguard levers. The defaults are the plan *as the record shows it*
    (:data:`AS_REPORTED_REASONS` says why each is set as it is).

    ``retention_days``: how long footage is kept, in days from 0 to 3650; ``None`` means
    no published limit (treated as the longest). The five switches are ``True`` when the
    safeguard exists, except ``face_recognition``, which is ``True`` when face recognition
    is in use. Face recognition is off unless chosen (:data:`FACE_RECOGNITION`): no source
    reports watchlist matching in Kabul. Invalid values raise ValueError naming the lever and
    the allowed values.
    """

    retention_days: float | None = None
    face_recognition: bool = False
    judicial_authorisation: bool = False
    independent_oversight: bool = False
    published_audits: bool = False
    community_approval: bool = False

    def __post_init__(self) -> None:
        r = self.retention_days
        if r is not None:
            if not _is_number(r) or math.isnan(float(r)) or not 0 <= float(r) <= MAX_RETENTION_DAYS:
                raise ValueError(
                    f"retention_days must be None (no published limit) or a number of days in "
                    f"the range 0 to {MAX_RETENTION_DAYS:g}; got {r!r}.")
        for name in SWITCHES:
            v = getattr(self, name)
            if not isinstance(v, bool):
                raise ValueError(f"{name} must be True or False; got {v!r} "
                                 f"(type {type(v).__name__}).")

    def changed(self, **changes: Any) -> "Safeguards":
        """A copy with some levers changed (unknown names raise ValueError)."""
        unknown = sorted(set(changes) - set(LEVERS))
        if unknown:
            raise ValueError(f"unknown lever(s) {', '.join(unknown)}; the levers are "
                             f"{', '.join(LEVERS)}.")
        return dataclasses.replace(self, **changes)


SWITCHES = ("face_recognition", "judicial_authorisation", "independent_oversight",
            "published_audits", "community_approval")

LEVERS: dict[str, dict[str, Any]] = {
    "retention_days": {
        "label": "Retention (days)",
        "meaning": ("How long footage is kept before it is erased. Without a published limit it "
                    "may be kept for ever; the shorter it is, the less history exists to search."),
        "safer": "shorter",
    },
    "face_recognition": {
        "label": "Face recognition in use",
        "meaning": ("Software that matches faces in the footage against a list of people, "
                    "identifying people automatically, in real time or afterwards."),
        "safer": False,
    },
    "judicial_authorisation": {
        "label": "Prior judicial authorisation",
        "meaning": ("An independent judge must approve, in advance and case by case, any "
                    "search of the footage to identify or follow a person."),
        "safer": True,
    },
    "independent_oversight": {
        "label": "Independent oversight",
        "meaning": ("A body outside the security services can inspect how the system is used, "
                    "hear complaints and order a remedy."),
        "safer": True,
    },
    "published_audits": {
        "label": "Published audits",
        "meaning": ("Regular public reports of where cameras are, what they record, how often "
                    "footage is searched and by whom."),
        "safer": True,
    },
    "community_approval": {
        "label": "Community approval",
        "meaning": ("The people affected, or a body that represents them, approve the system "
                    "and its use policy before it is bought or extended, and can say no "
                    "(as in community-control ordinances)."),
        "safer": True,
    },
}
"""Each lever: a label, its meaning in plain words, and which direction is the safer one."""

AS_REPORTED = Safeguards()
"""The levers as the public record sets them: no face recognition (none is reported), no
published retention limit and none of the four institutional safeguards."""
WITH_FACE_RECOGNITION = AS_REPORTED.changed(face_recognition=True)
"""The record's levers with face recognition switched on: the book's inference
(:data:`FACE_RECOGNITION`), a scenario to compare with :data:`AS_REPORTED`, not a finding."""
AS_REPORTED_REASONS: dict[str, str] = {
    "retention_days": ("No source used in this book describes a published retention limit, "
                       "so none is assumed."),
    "face_recognition": ("Off: no source reports software matching faces against a list. The "
                         "BBC (2025) reported that the Kabul control room monitors gatherings and "
                         "faces (claims ledger, claim c15); switching face recognition on is the "
                         "book's inference, a scenario to choose, not a reported fact."),
    "judicial_authorisation": ("No source describes a judge, or any body independent of the "
                               "security services, authorising searches."),
    "independent_oversight": ("No independent oversight body is described; the authorities "
                              "reject UN findings on detentions (chapter 4)."),
    "published_audits": ("No audit, camera register or use statistics have been published; the "
                         "camera counts are unverified claims."),
    "community_approval": ("There is no elected council or other representative body to approve "
                           "or refuse the plan."),
}
"""Why each lever is set as it is in :data:`AS_REPORTED`."""


def _check_thresholds(short_days: float | None, long_days: float | None) -> tuple[float, float]:
    out = []
    for name, given in (("retention_short_days", short_days), ("retention_long_days", long_days)):
        spec = ASSUMPTIONS[name]
        v = spec["default"] if given is None else given
        if not _is_number(v) or math.isnan(float(v)) or not spec["low"] <= float(v) <= spec["high"]:
            raise ValueError(f"{name} must be a number of days in the range {spec['low']:g} to "
                             f"{spec['high']:g}; got {given!r}.")
        out.append(float(v))
    return out[0], out[1]


@dataclass(frozen=True)
class RiskFactor:
    """One risk factor at one setting of the levers.

    ``level`` is a word from :data:`LEVELS` (``level_index`` its position, 0 to 3);
    ``reason`` explains it from the current lever settings; ``levers`` are the levers its
    rule uses; ``lowered_by`` lists the single lever changes that would lower it now."""

    key: str
    name: str
    rights: str
    level: str
    level_index: int
    reason: str
    rule: str
    levers: tuple[str, ...]
    lowered_by: tuple[str, ...]


def _retention_band(days: float | None, short: float, long: float) -> int:
    """0 = short, 1 = medium, 2 = long, 3 = no published limit."""
    if days is None:
        return 3
    if days <= short:
        return 0
    if days <= long:
        return 1
    return 2


def _identification(s: Safeguards, short: float, long: float) -> tuple[int, list[str]]:
    level = 3 if s.face_recognition else 2
    why = ["Face recognition is in use, so anyone in view can be identified automatically, "
           "including in a crowd." if s.face_recognition else
           "Face recognition is off, but operators can still recognise people and follow "
           "them from camera to camera."]
    if s.judicial_authorisation:
        level -= 1
        why.append("A judge must approve each identification in advance.")
    else:
        why.append("No judge has to approve an identification.")
    return level, why


def _tracking(s: Safeguards, short: float, long: float) -> tuple[int, list[str]]:
    band = _retention_band(s.retention_days, short, long)
    days = s.retention_days
    if band == 3:
        why = ["There is no published limit on how long footage is kept, so a history of where "
               "people went can build up indefinitely."]
    elif band == 2:
        why = [f"Footage is kept {days:g} days, longer than {long:g}: long enough to "
               "reconstruct a person's routine."]
    elif band == 1:
        why = [f"Footage is kept {days:g} days: more than {short:g}, up to {long:g}."]
    else:
        why = [f"Footage is kept {days:g} days, within {short:g}: little history to search."]
    level = band
    if s.face_recognition:
        level = min(3, level + 1)
        why.append("Face recognition makes the stored footage searchable by face.")
    return level, why


def _misuse(s: Safeguards, short: float, long: float) -> tuple[int, list[str]]:
    checks = {"judicial_authorisation": "a judge's prior approval",
              "independent_oversight": "independent oversight",
              "published_audits": "published audits"}
    present = [w for k, w in checks.items() if getattr(s, k)]
    absent = [w for k, w in checks.items() if not getattr(s, k)]
    level = max(1, 3 - len(present))
    why = ["The authorities that would run the network are documented detaining journalists, "
           "protesters and former officials (chapter 4)."]
    if present:
        why.append("In place: " + ", ".join(present) + ".")
    if absent:
        why.append("Missing: " + ", ".join(absent) + ".")
    if level == 1 and not absent:
        why.append("No safeguard removes this risk while that record stands (the rule's floor "
                   "is moderate).")
    return level, why


def _chilling(s: Safeguards, short: float, long: float) -> tuple[int, list[str]]:
    level = 3
    why = []
    if s.face_recognition:
        why.append("Face recognition tells people they can be named, not just seen.")
    else:
        level -= 1
        why.append("Without face recognition, being seen is less likely to mean being named.")
    if s.judicial_authorisation:
        level -= 1
        why.append("People know a judge must approve any search for them.")
    else:
        why.append("Nothing stops the operators searching for anyone they choose.")
    if s.community_approval:
        level -= 1
        why.append("The rules were approved in public, so people know what is watched and why.")
    else:
        why.append("Nobody outside the security services has approved what is watched.")
    if level < 1:
        level = 1
    if level == 1:
        why.append("Cameras chill some lawful activity even when they cannot identify anyone "
                   "(the rule's floor is moderate).")
    return level, why


def _wrong_match(s: Safeguards, short: float, long: float) -> tuple[int, list[str]]:
    if not s.face_recognition:
        return 0, ["Face recognition is off, so there are no automated false matches (people "
                   "can still misidentify people)."]
    level = 3
    why = ["Face recognition makes false matches, and in tests they fall unevenly on "
           "different groups of people (chapter 4)."]
    if s.judicial_authorisation:
        level = 2
        why.append("A judge reviews a match before anyone acts on it; the uneven errors remain "
                   "(the rule's floor with face recognition is high).")
    else:
        why.append("Nobody independent checks a match before it is acted on.")
    return level, why


def _accountability(s: Safeguards, short: float, long: float) -> tuple[int, list[str]]:
    checks = {"independent_oversight": "an independent body can inspect and order a remedy",
              "published_audits": "audits are published",
              "community_approval": "the community approved the system and can refuse it"}
    present = [w for k, w in checks.items() if getattr(s, k)]
    level = 3 - len(present)
    if present:
        why = ["In place: " + "; ".join(present) + "."]
    else:
        why = ["Nobody outside the security services can see how the system is used, and "
               "there is no route to a remedy."]
    missing = [w for k, w in checks.items() if not getattr(s, k)]
    if missing and present:
        why.append("Missing: " + "; ".join(missing) + ".")
    return level, why


FACTORS: dict[str, dict[str, Any]] = {
    "identification": {
        "name": "Identifying people in public, including at gatherings",
        "rights": "Privacy (article 17) and peaceful assembly (article 21)",
        "levers": ("face_recognition", "judicial_authorisation"),
        "rule": ("Very high with face recognition, high without; one level lower when a judge "
                 "must approve each identification."),
        "fn": _identification,
    },
    "tracking": {
        "name": "A searchable history of where people go",
        "rights": "Privacy (article 17)",
        "levers": ("retention_days", "face_recognition"),
        "rule": ("By retention: very high with no published limit, high above the long "
                 "threshold, moderate above the short threshold, low at or below it; one level "
                 "higher (at most very high) with face recognition."),
        "fn": _tracking,
    },
    "misuse": {
        "name": "Use against journalists, protesters and former officials",
        "rights": "Expression (article 19), assembly (article 21), liberty (article 9)",
        "levers": ("judicial_authorisation", "independent_oversight", "published_audits"),
        "rule": ("Very high; one level lower for each of judicial authorisation, independent "
                 "oversight and published audits; never below moderate."),
        "fn": _misuse,
    },
    "chilling": {
        "name": "People giving up lawful speech, reading or gatherings",
        "rights": "Expression (article 19) and peaceful assembly (article 21)",
        "levers": ("face_recognition", "judicial_authorisation", "community_approval"),
        "rule": ("Very high; one level lower each for no face recognition, judicial "
                 "authorisation and community approval; never below moderate."),
        "fn": _chilling,
    },
    "wrong_match": {
        "name": "Wrong matches, falling unevenly on some groups",
        "rights": "Due process, liberty and non-discrimination (articles 9, 14 and 26)",
        "levers": ("face_recognition", "judicial_authorisation"),
        "rule": ("Low without face recognition; with it, very high, or high when a judge "
                 "reviews matches before anyone acts."),
        "fn": _wrong_match,
    },
    "accountability": {
        "name": "No way to check use or obtain a remedy",
        "rights": "Right to an effective remedy (article 2(3))",
        "levers": ("independent_oversight", "published_audits", "community_approval"),
        "rule": ("Very high; one level lower for each of independent oversight, published "
                 "audits and community approval."),
        "fn": _accountability,
    },
}
"""The six risk factors: the rights at stake, the levers each uses and its rule in words."""


def _safer_options(s: Safeguards, lever: str, short: float, long: float) -> list[tuple[Any, str]]:
    """Single changes of ``lever`` in its safer direction, with words for each."""
    if lever == "retention_days":
        options = []
        current = math.inf if s.retention_days is None else s.retention_days
        if current > long:
            options.append((long, f"keeping footage at most {long:g} days"))
        if current > short:
            options.append((short, f"keeping footage at most {short:g} days"))
        return options
    safer = LEVERS[lever]["safer"]
    if getattr(s, lever) == safer:
        return []
    if lever == "face_recognition":
        return [(safer, "turning face recognition off")]
    return [(safer, f"adding {LEVERS[lever]['label'].lower()}")]


def _level(key: str, s: Safeguards, short: float, long: float) -> int:
    level, _ = FACTORS[key]["fn"](s, short, long)
    return int(level)


def _as_safeguards(safeguards: Safeguards | None, changes: Mapping[str, Any]) -> Safeguards:
    if safeguards is not None and not isinstance(safeguards, Safeguards):
        raise ValueError(f"safeguards must be a Safeguards(...) or None; got "
                         f"{type(safeguards).__name__}.")
    base = AS_REPORTED if safeguards is None else safeguards
    return base.changed(**changes) if changes else base


def risk_assessment(safeguards: Safeguards | None = None, *,
                    retention_short_days: float | None = None,
                    retention_long_days: float | None = None,
                    **changes: Any) -> list[RiskFactor]:
    """The six risk factors at a setting of the levers, each with its level and reason.

    Pass a :class:`Safeguards`, or lever values as keywords (applied to ``safeguards``, or
    to :data:`AS_REPORTED` when it is omitted). The retention thresholds default to
    :data:`ASSUMPTIONS`. Every factor's rule is stated in :data:`FACTORS`; the result lists
    reasons, not a verdict.

    >>> [f.level for f in risk_assessment(face_recognition=False, retention_days=3,
    ...      judicial_authorisation=True, independent_oversight=True, published_audits=True,
    ...      community_approval=True)]
    ['moderate', 'low', 'moderate', 'moderate', 'low', 'low']
    """
    s = _as_safeguards(safeguards, changes)
    short, long = _check_thresholds(retention_short_days, retention_long_days)
    if short > long:
        raise ValueError(f"retention_short_days ({short:g}) must not exceed "
                         f"retention_long_days ({long:g}).")
    out = []
    for key, spec in FACTORS.items():
        level, why = spec["fn"](s, short, long)
        lowered = []
        for lever in spec["levers"]:
            for new, words in _safer_options(s, lever, short, long):
                trial = _level(key, dataclasses.replace(s, **{lever: new}), short, long)
                if trial < level:
                    lowered.append(f"{words} (to {LEVELS[trial]})")
        out.append(RiskFactor(key=key, name=spec["name"], rights=spec["rights"],
                              level=LEVELS[level], level_index=int(level), reason=" ".join(why),
                              rule=spec["rule"], levers=tuple(spec["levers"]),
                              lowered_by=tuple(lowered)))
    return out


def summarise(factors: Sequence[RiskFactor]) -> dict[str, Any]:
    """The book's summary of a risk assessment: how many factors at each level and the
    highest level reached, with the rule stated (:data:`SUMMARY_RULE`)."""
    counts = {level: 0 for level in LEVELS}
    for f in factors:
        counts[f.level] += 1
    highest = max((f.level_index for f in factors), default=0)
    return {"counts": counts, "highest": LEVELS[highest], "rule": SUMMARY_RULE}


def risk_profile(retention_days: float | None = None, face_recognition: bool = False,
                 judicial_authorisation: bool = False, independent_oversight: bool = False,
                 published_audits: bool = False, community_approval: bool = False) -> dict[str, int]:
    """Counts of risk factors at each level (keys :data:`LEVEL_KEYS`, e.g. ``"very_high"``)
    and ``"highest_index"`` (0 = low to 3 = very high), for a setting of the six levers.
    The defaults are the plan as the record shows it (face recognition off unless chosen).
    Meant for citing in a :class:`ModelEvidence`."""
    s = Safeguards(retention_days, face_recognition, judicial_authorisation,
                   independent_oversight, published_audits, community_approval)
    factors = risk_assessment(s)
    counts = summarise(factors)["counts"]
    out = {key: counts[level] for key, level in zip(LEVEL_KEYS, LEVELS)}
    out["highest_index"] = max(f.level_index for f in factors)
    return out


def risk_table(safeguards: Safeguards | None = None, **changes: Any) -> pd.DataFrame:
    """:func:`risk_assessment` as a table, for the chapter and the dashboard."""
    return pd.DataFrame([{
        "factor": f.name, "rights": f.rights, "level": f.level, "level_index": f.level_index,
        "reason": f.reason, "levers": ", ".join(LEVERS[x]["label"] for x in f.levers),
        "lowered_by": "; ".join(f.lowered_by) if f.lowered_by else "no single change lowers it",
        "rule": f.rule,
    } for f in risk_assessment(safeguards, **changes)])


SCENARIOS: dict[str, dict[str, Any]] = {
    "As reported": {},
    "With face recognition (book's inference)": {"face_recognition": True},
    "Judge and oversight": {"judicial_authorisation": True, "independent_oversight": True},
    "No face recognition, short retention": {
        "face_recognition": False, "retention_days": ASSUMPTIONS["retention_short_days"]["default"]},
    "All six safeguards": {
        "face_recognition": False, "retention_days": ASSUMPTIONS["retention_short_days"]["default"],
        "judicial_authorisation": True, "independent_oversight": True,
        "published_audits": True, "community_approval": True},
}
"""Precomputed settings for the book's static chart: changes from :data:`AS_REPORTED`."""


def scenario(name: str) -> Safeguards:
    """The :class:`Safeguards` of one of :data:`SCENARIOS`."""
    if name not in SCENARIOS:
        raise ValueError(f"scenario must be one of {', '.join(map(repr, SCENARIOS))}; got {name!r}.")
    return AS_REPORTED.changed(**SCENARIOS[name])


def assumptions_table() -> pd.DataFrame:
    """:data:`ASSUMPTIONS` as a table, for the chapter."""
    return pd.DataFrame([
        {"name": name, "default": spec["default"], "low": spec["low"], "high": spec["high"],
         "unit": spec["unit"], "source_id": spec["source_id"], "reason": spec["reason"]}
        for name, spec in ASSUMPTIONS.items()
    ])


# ---------------------------------------------------------------------------------------
# 3. The chilling-effect scenario
# ---------------------------------------------------------------------------------------

MAX_PEOPLE = 10_000_000
PER_PEOPLE = 1000
"""The scenario's default group: results read as "per thousand would-be participants"."""


def chilling_scenario(would_take_part: int = PER_PEOPLE, share: float | None = None,
                      range_factor: float | None = None) -> dict[str, float]:
    """How many of ``would_take_part`` people refrain from a lawful activity, at a low,
    central and high share.

    ``share`` is the central share (from 0 to 1; default :data:`ASSUMPTIONS`
    ``chilling_share``, read from the data); the low end is ``share / range_factor`` and the
    high end ``min(1, share x range_factor)`` (``range_factor`` from 1 to 10, default
    ``chilling_range_factor``). Returns the three shares (``share_low``, ``share_central``,
    ``share_high``) and the three counts of people who refrain (``refrain_low``,
    ``refrain_central``, ``refrain_high``), counts not rounded.

    >>> chilling_scenario(1000, share=0.2, range_factor=2)["refrain_high"]   # 1000 x 0.4
    400.0
    """
    if isinstance(would_take_part, bool) or not isinstance(would_take_part, numbers.Integral):
        raise ValueError(f"would_take_part must be a whole number of people in the range 0 to "
                         f"{MAX_PEOPLE:,}; got {would_take_part!r}.")
    if not 0 <= int(would_take_part) <= MAX_PEOPLE:
        raise ValueError(f"would_take_part must be a whole number of people in the range 0 to "
                         f"{MAX_PEOPLE:,}; got {would_take_part!r}.")
    central = ASSUMPTIONS["chilling_share"]["default"] if share is None else share
    if not _is_number(central) or math.isnan(float(central)) or not 0 <= float(central) <= 1:
        raise ValueError(f"share must be a number in the range 0 to 1 (a share of people); "
                         f"got {share!r}.")
    factor = ASSUMPTIONS["chilling_range_factor"]["default"] if range_factor is None else range_factor
    if not _is_number(factor) or math.isnan(float(factor)) or not 1 <= float(factor) <= 10:
        raise ValueError(f"range_factor must be a number in the range 1 to 10; got {range_factor!r}.")
    c, k, n = float(central), float(factor), int(would_take_part)
    shares = {"share_low": c / k, "share_central": c, "share_high": min(1.0, c * k)}
    return {**shares, **{f"refrain_{w}": n * shares[f"share_{w}"] for w in ("low", "central", "high")}}


# ---------------------------------------------------------------------------------------
# 4. The book's worked assessment of the Kabul plan
# ---------------------------------------------------------------------------------------

def example_assessment() -> Assessment:
    """The book's own assessment of the Kabul camera plan, on the public record.

    The cited values are typed here as an assessor would type them; :func:`verify` checks
    each against the data or re-runs the model, so a change in ``data/`` that breaks a
    citation is caught. The judgements are the book's and are open to dispute.
    """
    return Assessment(
        title="The Kabul camera plan: a necessity and proportionality assessment",
        assessor="The authors of this book, from public sources only",
        subject=("The camera network the Taliban authorities describe for Kabul and other "
                 "cities: a four-year expansion plan, the cameras already claimed, one central "
                 "control room, and talks with Huawei."),
        steps=[
            Step(
                name="legality",
                finding=(
                    "No published law or regulation sets out who may watch the footage, what "
                    "is kept, for how long, or for what purpose. The only rule stated in public "
                    "is the spokesman's assurance that Sharia bars recording private spaces, an "
                    "official statement rather than a law anyone can read. Many of the cameras "
                    "counted were installed by households and shops, on the authorities' orders as residents report, "
                    "again without a published legal basis. An unpublished rule cannot be "
                    "accessible or precise. If a published law exists, this judgement should "
                    "be revisited."),
                judgement="not met",
                evidence=[
                    DataEvidence("claims", {"claim_id": "c15"}, "status", "official_statement",
                                 label="The only stated rule (Sharia bars recording private "
                                       "spaces) is an official statement, not a published law"),
                    DataEvidence("camera_counts", dict(CLAIMED_NETWORK),
                                 "includes_private", True,
                                 label="The claimed count includes cameras households and shops "
                                       "were reportedly ordered to install"),
                ]),
            Step(
                name="legitimate_aim",
                finding=(
                    "Protecting people in Kabul from IS-Khorasan attacks is a legitimate aim: "
                    "national security, public order and the right to life are all aims the "
                    "Covenant accepts, and the attacks are real and lethal. But the plan's aims "
                    "are not written down anywhere public, and later reporting describes the "
                    "control room watching gatherings and faces. Watching peaceful gatherings "
                    "to deter them, or enforcing rules on dress and conduct, are not aims the "
                    "Covenant accepts. The aim is legitimate in part."),
                judgement="partly met",
                evidence=[
                    DataEvidence("kabul_attacks", {"attack_id": "kbl-2021-08-26"}, "deaths_low",
                                 182, label="Lowest reported death toll of the IS-Khorasan "
                                            "attack at Kabul airport (August 2021)"),
                    DataEvidence("claims", {"claim_id": "c10"}, "status", "analyst_view",
                                 label="An analyst's view that cameras could help stop IS "
                                       "attacks in Kabul"),
                    DataEvidence("claims", {"claim_id": "c15"}, "qualification",
                                 "The Taliban deny breaching Afghans' rights; the BBC (2025) "
                                 "reported monitoring of gatherings and faces.",
                                 label="Later reporting on what the control room watches"),
                ]),
            Step(
                name="necessity",
                finding=(
                    "The burden of showing necessity is on the authorities, and they have "
                    "published no evidence that a city-wide network prevents attacks, or that "
                    "less intrusive means (protecting likely targets, targeted investigation "
                    "under a judge's warrant, or the security-force vehicles and regular "
                    "checkpoints the Reuters report says the authorities already use) would not "
                    "do. Evidence from elsewhere shows cameras "
                    "help investigators after a crime in a minority of cases and identify "
                    "attackers after the fact, but no study found here shows them deterring "
                    "terrorist attacks. A Huawei-built network in Islamabad was followed by more "
                    "crime, not less. And with the grid supply residents report, a camera "
                    "without backup power records only a small part of the day. On the public "
                    "record, necessity is not shown."),
                judgement="not met",
                evidence=[
                    DataEvidence("evidence_cctv", {"study": "Ashby (2017)",
                                                   "metric": "footage_useful_pct"}, "value", 29,
                                 label="Share of crimes on British railways in which CCTV footage "
                                       "was useful to investigators (percent)"),
                    DataEvidence("evidence_cctv", {"metric": "tapes_reviewed"}, "crime_type",
                                 "terrorism",
                                 label="London 2005: cameras identified the bombers after the "
                                       "attack but did not deter them"),
                    DataEvidence("safe_city_outcomes", {"city": "Islamabad",
                                                        "measure": "crime_change_pct"},
                                 "value", 33,
                                 label="Change in Islamabad's total crime the year after its "
                                       "Safe City (percent; before/after, not causal)"),
                    DataEvidence("kabul_supply_hours", {"date": "2023-01-23"}, "hours_high", 2,
                                 label="Hours of grid power a day reported by Kabul residents "
                                       "(January 2023)"),
                    ModelEvidence("kabulcase.models.power:recording_share",
                                  {"supply_hours": 2, "battery_hours": 0}, value=0.0833,
                                  rel_tol=0.005,
                                  label="Share of the day a grid-only camera records with that "
                                        "supply (the book's power model)"),
                ]),
            Step(
                name="proportionality",
                finding=(
                    "The network is claimed to span Kabul and other cities, is permanent, and is "
                    "run by authorities documented arresting journalists and arbitrarily "
                    "detaining former officials. Operators are reported to watch gatherings and "
                    "faces; whether software also matches faces against a list is not reported. Its benefit against the threat is "
                    "unproven (see necessity). Its costs to rights fall on everyone in view, "
                    "including people who stay away from lawful gatherings because they fear "
                    "being watched. Set against an unproven benefit, the intrusion is not in "
                    "proportion."),
                judgement="not met",
                evidence=[
                    DataEvidence("camera_counts", dict(CLAIMED_NETWORK), "cameras",
                                 62000, label="Cameras the interior ministry claimed in August "
                                              "2023 in Kabul and other cities, an existing "
                                              "network (at least; unverified)"),
                    DataEvidence("rights_counts", {"series": "afjc_annual", "measure": "arrests",
                                                   "period_start": "2022-01-01"}, "value", 94,
                                 label="Arrests of journalists recorded by AFJC in 2022"),
                    DataEvidence("rights_counts", {"series": "unama_period",
                                                   "subject": "former_officials_and_security_forces",
                                                   "measure": "arrests",
                                                   "period_end": "2023-06-30"}, "value", 424,
                                 label="Arbitrary arrests and detentions of former officials and "
                                       "security-force members documented by UNAMA to mid-2023 "
                                       "(at least)"),
                    ModelEvidence("kabulcase.models.rights:chilling_scenario",
                                  {"would_take_part": 1000}, output="refrain_central", value=200,
                                  rel_tol=0.005,
                                  label="Model output, not a measurement: of every thousand "
                                        "people who would join a lawful gathering, how many "
                                        "the book's scenario has stay away at its central "
                                        "chilling share"),
                ]),
            Step(
                name="safeguards",
                finding=(
                    "None of the safeguards the Necessary and Proportionate principles ask for "
                    "is described in any source: no judge authorises searches, no independent "
                    "body oversees use or hears complaints, nothing is published about how the "
                    "system is used, and there is no body through which residents could approve "
                    "or refuse it. The book's risk scheme, a model and not evidence of harm, "
                    "orders what follows: with the levers set as the record shows them, half of "
                    "its six risk factors are at the highest level, and all six if face "
                    "recognition is in use, which is the book's inference, not a report."),
                judgement="not met",
                evidence=[
                    ModelEvidence("kabulcase.models.rights:risk_profile", {}, output="very_high",
                                  value=3, rel_tol=0,
                                  label="Model output: risk factors at 'very high' with the "
                                        "levers as the record shows them (the book's risk "
                                        "scheme)"),
                    ModelEvidence("kabulcase.models.rights:risk_profile",
                                  {"face_recognition": True}, output="very_high",
                                  value=6, rel_tol=0,
                                  label="Model output: the same with face recognition switched "
                                        "on (the book's inference, not a report)"),
                    DataEvidence("claims", {"claim_id": "c07"}, "status", "unverified_claim",
                                 label="Even the size of the network is an unverified claim: "
                                       "nothing about it has been independently audited"),
                ]),
        ],
    )
