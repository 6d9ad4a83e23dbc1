"""Read the grader's per-submission records (``results.jsonl``) and check them.

One JSON object per line (the contract with :mod:`kabulcase.grade`)::

    {"student": str, "set": "ex02", "file": str, "sha256": str,
     "submitted_at": ISO-8601 str or null, "graded_at": ISO-8601 str, "status": str,
     "problems": [str],
     "questions": [{"key": "q1a", "kind": "code" | "written", "score": float | null,
                    "max_score": float, "feedback": str, "answer_text": str | null}],
     "total": float, "max_total": float, "seconds": float}

A record that breaks the contract is refused with the file, the line and the field, so a
half-written or hand-edited file never turns silently into wrong grades. When a student
has several records for the same set (a regrade, or late work graded again), the one
graded last counts.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import checks

KINDS = ("code", "written")


class FileProblems(ValueError):
    """A file the instructor tools read has problems; ``problems`` lists each (at most 20 shown)."""

    what = "has problems"
    fix = "Fix the lines named and try again."

    def __init__(self, path: Path, problems: list[str]):
        self.path, self.problems = Path(path), problems
        shown = "\n".join(f"  - {p}" for p in problems[:20])
        more = f"\n  - ... and {len(problems) - 20} more" if len(problems) > 20 else ""
        super().__init__(f"{self.path.name} {self.what} "
                         f"({len(problems)} problem{'s' if len(problems) != 1 else ''}):\n"
                         f"{shown}{more}\n{self.fix}")


class ResultsError(FileProblems):
    """results.jsonl does not match the grader's record format."""

    what = "is not a valid grading record file"
    fix = "Grade again with `make grade`, or fix the lines named."


@dataclass
class QuestionResult:
    key: str              # the full key, "ex02.q1a"
    kind: str
    score: float | None
    max_score: float
    feedback: str = ""
    answer_text: str | None = None
    comments: list[str] = field(default_factory=list)


@dataclass
class Record:
    student: str
    set: str
    file: str
    sha256: str
    submitted_at: str | None
    graded_at: str
    status: str
    problems: list[str]
    questions: list[QuestionResult]
    total: float
    max_total: float
    seconds: float

    def question(self, key: str) -> QuestionResult | None:
        return next((q for q in self.questions if q.key == key), None)

    @property
    def written(self) -> list[QuestionResult]:
        return [q for q in self.questions if q.kind == "written"]

    def points(self) -> tuple[float, float]:
        """(score, maximum) over every question, written ones at their rubric maximum;
        a written question not marked yet adds to the maximum but not to the score."""
        score = sum(q.score for q in self.questions if q.score is not None)
        return float(score), float(sum(q.max_score for q in self.questions))

    def as_dict(self) -> dict:
        d = {k: getattr(self, k) for k in ("student", "set", "file", "sha256", "submitted_at",
                                           "graded_at", "status", "problems")}
        d["questions"] = [{"key": q.key.split(".", 1)[1], "kind": q.kind, "score": q.score,
                           "max_score": q.max_score, "feedback": q.feedback,
                           "answer_text": q.answer_text, **({"comments": q.comments} if q.comments else {})}
                          for q in self.questions]
        d["total"], d["max_total"] = self.points()
        d["seconds"] = self.seconds
        return d


def _is_number(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def _timestamp(x: Any) -> bool:
    if not isinstance(x, str):
        return False
    try:
        dt.datetime.fromisoformat(x.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def _question(raw: Any, exercise: str, where: str, problems: list[str]) -> QuestionResult | None:
    if not isinstance(raw, dict):
        problems.append(f"{where}: each question should be an object, got {type(raw).__name__}")
        return None
    key = raw.get("key")
    if not isinstance(key, str) or not key:
        problems.append(f"{where}: 'key' should be a question id such as 'q1a'")
        return None
    full = key if key.startswith(exercise + ".") else f"{exercise}.{key}"
    kind = raw.get("kind")
    if kind not in KINDS:
        problems.append(f"{where} ({key}): 'kind' should be 'code' or 'written', got {kind!r}")
        return None
    score, max_score = raw.get("score"), raw.get("max_score")
    if score is not None and not _is_number(score):
        problems.append(f"{where} ({key}): 'score' should be a number or null, got {score!r}")
        return None
    if not _is_number(max_score) or max_score < 0:
        problems.append(f"{where} ({key}): 'max_score' should be a number >= 0, got {max_score!r}")
        return None
    if kind == "written" and full in checks.RUBRICS:
        # The rubric is the authority on a written question's maximum: 3 marks a criterion.
        max_score = checks.RUBRICS[full].max_marks
    answer = raw.get("answer_text")
    if answer is not None and not isinstance(answer, str):
        problems.append(f"{where} ({key}): 'answer_text' should be text or null")
        return None
    return QuestionResult(full, kind, None if score is None else float(score), float(max_score),
                          str(raw.get("feedback") or ""), answer)


def _record(raw: Any, where: str, problems: list[str]) -> Record | None:
    if not isinstance(raw, dict):
        problems.append(f"{where}: expected a JSON object, got {type(raw).__name__}")
        return None
    before = len(problems)
    for name in ("student", "set", "file", "status"):
        if not isinstance(raw.get(name), str) or not raw.get(name):
            problems.append(f"{where}: '{name}' should be non-empty text, got {raw.get(name)!r}")
    exercise = raw.get("set")
    if isinstance(exercise, str) and exercise not in checks.exercises():
        problems.append(f"{where}: unknown exercise set {exercise!r}; the sets are "
                        f"{', '.join(checks.exercises())}")
    if not _timestamp(raw.get("graded_at")):
        problems.append(f"{where}: 'graded_at' should be an ISO-8601 time, got {raw.get('graded_at')!r}")
    if raw.get("submitted_at") is not None and not _timestamp(raw.get("submitted_at")):
        problems.append(f"{where}: 'submitted_at' should be an ISO-8601 time or null, "
                        f"got {raw.get('submitted_at')!r}")
    for name in ("total", "max_total", "seconds"):
        if not _is_number(raw.get(name)):
            problems.append(f"{where}: '{name}' should be a number, got {raw.get(name)!r}")
    if not isinstance(raw.get("questions"), list):
        problems.append(f"{where}: 'questions' should be a list")
    if len(problems) > before:
        return None
    questions = [_question(q, exercise, f"{where}, question {i + 1}", problems)
                 for i, q in enumerate(raw["questions"])]
    if len(problems) > before:
        return None
    return Record(raw["student"], exercise, raw["file"], str(raw.get("sha256") or ""),
                  raw.get("submitted_at"), raw["graded_at"], raw["status"],
                  [str(p) for p in raw.get("problems") or []], questions,
                  float(raw["total"]), float(raw["max_total"]), float(raw["seconds"]))


def _graded_at(r: Record) -> dt.datetime:
    t = dt.datetime.fromisoformat(r.graded_at.replace("Z", "+00:00"))
    return t if t.tzinfo else t.replace(tzinfo=dt.timezone.utc)


def read_results(path: str | Path, *, skipped: list[str] | None = None) -> list[Record]:
    """Every student's latest record per exercise set, sorted by set and student.

    A record whose notebook the grader could not identify as any exercise set
    (``"set": null``) has nothing to upload; it is left out, and described in ``skipped``
    if a list is given, so that one unidentified notebook does not hold up a class."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"No grading records at {path}: run `make grade` first (it writes "
                                f"results.jsonl into its output folder).")
    problems: list[str] = []
    latest: dict[tuple[str, str], Record] = {}
    with open(path, encoding="utf-8") as fh:
        for line_no, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                raw = json.loads(line)
            except json.JSONDecodeError as exc:
                problems.append(f"line {line_no}: not valid JSON ({exc.msg}); a run that was cut "
                                f"off can leave a partial last line")
                continue
            if isinstance(raw, dict) and raw.get("set") is None and "set" in raw:
                if skipped is not None:
                    skipped.append(f"line {line_no}: {raw.get('student')!r} ({raw.get('file')}) was "
                                   f"not identified as an exercise set (status "
                                   f"{raw.get('status')}); nothing to upload for it")
                continue
            r = _record(raw, f"line {line_no}", problems)
            if r is None:
                continue
            key = (r.set, r.student)
            if key not in latest or _graded_at(r) >= _graded_at(latest[key]):
                latest[key] = r
    if problems:
        raise ResultsError(path, problems)
    if not latest:
        raise ResultsError(path, ["the file holds no records"])
    return [latest[k] for k in sorted(latest)]


def write_results(records: list[Record], path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r.as_dict(), ensure_ascii=False) + "\n")
    return path


# --------------------------------------------------------------------------- CSV safety

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def safe_text(value: Any) -> str:
    """Text for a CSV cell that a spreadsheet will not run as a formula.

    A cell that starts with = + - @ (or a tab or carriage return, or their full-width
    forms, which some spreadsheets also accept) gets a leading apostrophe, the OWASP
    advice for CSV injection. Only text goes through here: numbers stay numbers.
    """
    text = "" if value is None else str(value)
    stripped = text.lstrip(" ")
    if stripped.startswith(_FORMULA_START):
        return "'" + text
    return text


def number(x: float | None) -> str:
    """A score as the LMS reads it: no thousands separator, a point for decimals."""
    if x is None:
        return ""
    return f"{x:.4f}".rstrip("0").rstrip(".")
