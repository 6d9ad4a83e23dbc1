"""Load the module's datasets from ``data/``, validated against ``data/datapackage.json``.

There is one way in: :func:`load`. It reads a CSV strictly (UTF-8, comma, the exact
header the schema names), checks every cell against the field's type and constraints,
checks that every ``source_id`` resolves to a row of ``sources.csv``, and returns a typed
DataFrame. Nothing is coerced, filled or dropped: a file that breaks its schema is
refused with a :class:`DataValidationError` that names the file, the line and the field.

The test suite validates the same package with the ``frictionless`` library as an
independent second opinion; this module needs only the standard library and pandas so
that a learner's environment stays small.
"""

from __future__ import annotations

import csv
import datetime as _dt
import hashlib
import io
import json
import math
import os
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

PACKAGE_FILE = "datapackage.json"
# The data a non-editable install carries: `pip install .` copies data/ here (setup.py).
PACKAGED_DATA = Path(__file__).resolve().parent / "_data"


def _default_data_dir(environ=os.environ) -> Path:
    """Where the data is: KABULCASE_DATA_DIR (an instructor's or a test's copy), else the
    repository's data/ next to the package (a clone, or an editable install), else the copy
    installed with the package."""
    if environ.get("KABULCASE_DATA_DIR"):
        return Path(environ["KABULCASE_DATA_DIR"])
    checkout = Path(__file__).resolve().parent.parent / "data"
    if (checkout / PACKAGE_FILE).exists() or not (PACKAGED_DATA / PACKAGE_FILE).exists():
        return checkout
    return PACKAGED_DATA


DATA_DIR = _default_data_dir()
SOURCES = "sources"
SOURCE_ID_FIELD = "source_id"
MAX_REPORTED_ERRORS = 20

_INTEGER = re.compile(r"^[+-]?\d+$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_YEAR = re.compile(r"^\d{4}$")
_YEARMONTH = re.compile(r"^\d{4}-\d{2}$")
# Characters that cannot be seen in an editor or a spreadsheet but make two ids or labels
# differ: a byte-order mark pasted into a cell, zero-width spaces and joiners, the word
# joiner and the soft hyphen (all come in when text is copied from web pages or documents).
_INVISIBLE = re.compile("[\ufeff\u200b\u200c\u200d\u2060\u00ad\u180e\u200e\u200f\u202a-\u202e]")


class DataValidationError(ValueError):
    """A data file does not match its schema. ``problems`` lists every finding."""

    def __init__(self, path: Path, problems: list[str]):
        self.path = Path(path)
        self.problems = problems
        shown = problems[:MAX_REPORTED_ERRORS]
        more = len(problems) - len(shown)
        lines = "\n".join(f"  - {p}" for p in shown)
        if more:
            lines += f"\n  - ... and {more} more"
        super().__init__(
            f"{self.path.name} does not match its schema in {PACKAGE_FILE} "
            f"({len(problems)} problem{'s' if len(problems) != 1 else ''}):\n{lines}\n"
            f"Fix the file (or the schema, if the schema is wrong) and load it again."
        )


class UnknownDatasetError(KeyError):
    """Asked for a dataset the Data Package does not describe."""

    def __str__(self) -> str:  # KeyError would otherwise print the repr of the message
        return str(self.args[0])


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    constraints: dict
    true_values: tuple[str, ...] = ("true",)
    false_values: tuple[str, ...] = ("false",)

    @property
    def required(self) -> bool:
        return bool(self.constraints.get("required"))


def _package_path(data_dir: Path) -> Path:
    return Path(data_dir) / PACKAGE_FILE


def _fingerprint(path: Path) -> str:
    """A digest of the file's bytes: the caches are keyed on it, so an edit is seen even
    when it keeps the size and lands within the file system's timestamp resolution."""
    return hashlib.blake2b(Path(path).read_bytes(), digest_size=16).hexdigest()


@lru_cache(maxsize=8)
def _read_package(package_file: Path, fingerprint: str) -> dict:
    with open(package_file, encoding="utf-8") as fh:
        return json.load(fh)


def package(data_dir: Path | str = DATA_DIR) -> dict:
    """The parsed ``datapackage.json`` (cached until the file changes)."""
    path = _package_path(Path(data_dir))
    if not path.exists():
        raise FileNotFoundError(
            f"No {PACKAGE_FILE} in {Path(data_dir)}: the data folder must hold the Data Package "
            f"descriptor that describes every CSV. If you installed kabulcase by hand, install it "
            f"from a copy of the whole repository (`pip install -r requirements.txt` in the "
            f"clone, or `pip install <clone>`), which brings data/ with it; or set "
            f"KABULCASE_DATA_DIR to a folder that holds the module's data/."
        )
    return _read_package(path, _fingerprint(path))


def datasets(data_dir: Path | str = DATA_DIR) -> list[str]:
    """Names of every dataset the package describes, in the package's order."""
    return [r["name"] for r in package(data_dir)["resources"]]


def resource(name: str, data_dir: Path | str = DATA_DIR) -> dict:
    """The Data Package resource descriptor for ``name``."""
    for res in package(data_dir)["resources"]:
        if res["name"] == name:
            return res
    available = ", ".join(sorted(datasets(data_dir)))
    raise UnknownDatasetError(
        f"No dataset called {name!r}. Available datasets: {available}. "
        f"(Names are the CSV file names without '.csv'.)"
    )


def _fields(res: dict) -> list[Field]:
    schema = res.get("schema", {})
    return [
        Field(
            name=f["name"],
            type=f.get("type", "string"),
            constraints=f.get("constraints", {}),
            true_values=tuple(f.get("trueValues", ["true"])),
            false_values=tuple(f.get("falseValues", ["false"])),
        )
        for f in schema.get("fields", [])
    ]


def _describe_expected(field: Field) -> str:
    c = field.constraints
    parts = [{"string": "text", "integer": "a whole number", "number": "a number",
              "boolean": f"{'/'.join(field.true_values + field.false_values)}",
              "date": "a date YYYY-MM-DD", "year": "a year YYYY",
              "yearmonth": "a month YYYY-MM"}.get(field.type, field.type)]
    if "enum" in c:
        parts.append("one of " + ", ".join(map(str, c["enum"])))
    if "minimum" in c:
        parts.append(f">= {c['minimum']}")
    if "maximum" in c:
        parts.append(f"<= {c['maximum']}")
    if "pattern" in c:
        parts.append(f"matching {c['pattern']}")
    return " ".join(parts)


def _parse_cell(field: Field, raw: str) -> Any:
    """Turn one non-empty cell into a Python value, or raise ValueError."""
    t = field.type
    if t == "string":
        return raw
    if t == "integer":
        if not _INTEGER.match(raw):
            raise ValueError
        return int(raw)
    if t == "number":
        if not _NUMBER.match(raw):
            raise ValueError
        value = float(raw)
        if not math.isfinite(value):
            raise ValueError
        return value
    if t == "boolean":
        if raw in field.true_values:
            return True
        if raw in field.false_values:
            return False
        raise ValueError
    if t == "date":
        if not _DATE.match(raw):
            raise ValueError
        return _dt.date.fromisoformat(raw)
    if t == "year":
        if not _YEAR.match(raw):
            raise ValueError
        return int(raw)
    if t == "yearmonth":
        if not _YEARMONTH.match(raw) or not 1 <= int(raw[5:]) <= 12:
            raise ValueError
        return raw
    raise ValueError(f"unsupported type {t!r}")


def _check_constraints(field: Field, value: Any, raw: str) -> str | None:
    c = field.constraints
    if "enum" in c and value not in c["enum"] and raw not in map(str, c["enum"]):
        return f"expected one of {', '.join(map(str, c['enum']))}, got {raw!r}"
    comparable = value.year if isinstance(value, _dt.date) else value
    if "minimum" in c and isinstance(comparable, (int, float)) and comparable < c["minimum"]:
        return f"expected a value >= {c['minimum']}, got {raw!r}"
    if "maximum" in c and isinstance(comparable, (int, float)) and comparable > c["maximum"]:
        return f"expected a value <= {c['maximum']}, got {raw!r}"
    if "pattern" in c and not re.fullmatch(c["pattern"], raw):
        return f"expected text matching {c['pattern']}, got {raw!r}"
    if "minLength" in c and len(raw) < c["minLength"]:
        return f"expected at least {c['minLength']} characters, got {len(raw)}"
    if "maxLength" in c and len(raw) > c["maxLength"]:
        return f"expected at most {c['maxLength']} characters, got {len(raw)}"
    return None


def _read_text(path: Path) -> str:
    data = path.read_bytes()
    if not data.strip():
        raise DataValidationError(path, ["the file is empty: expected a header row and data rows"])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DataValidationError(
            path, [f"line {line}: not valid UTF-8 (byte {exc.start}); save the file as UTF-8"]
        ) from None
    return text.removeprefix("\ufeff")


def _invisible_character(raw: str) -> str | None:
    m = _INVISIBLE.search(raw)
    if not m:
        return None
    ch = m.group(0)
    return (f"contains an invisible character, U+{ord(ch):04X} "
            f"({unicodedata.name(ch, 'format character')}), at position {m.start() + 1} of "
            f"{raw!r}; delete it (it usually comes in when text is pasted from a web page "
            f"or a document)")


def _read_rows(path: Path, text: str, delimiter: str) -> tuple[list[list[str]], list[int]]:
    """The CSV's records and the physical line each starts on (a quoted field may span
    several lines, so record numbers and line numbers differ)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[list[str]] = []
    starts: list[int] = []
    end_of_previous = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return rows, starts
        except csv.Error as exc:
            start = end_of_previous + 1
            if "end of data" in str(exc) or reader.line_num > start:
                problem = (f"line {start}: a quoted field opened on this line is never closed "
                           f"(an unbalanced '\"'); close the quote, or double a quote that is "
                           f"part of the text (\"\")")
            else:
                problem = f"line {reader.line_num}: not readable as CSV: {exc}"
            raise DataValidationError(path, [problem]) from None
        rows.append(row)
        starts.append(end_of_previous + 1)
        end_of_previous = reader.line_num


def _validate_rows(path: Path, res: dict) -> tuple[list[Field], list[list[Any]], list[int]]:
    fields = _fields(res)
    names = [f.name for f in fields]
    dialect = res.get("dialect", {})
    delimiter = dialect.get("delimiter", ",")
    text = _read_text(path)
    rows, starts = _read_rows(path, text, delimiter)
    if not rows:
        raise DataValidationError(path, ["the file is empty: expected a header row"])
    header = rows[0]
    problems: list[str] = [f"line 1: the column name {h!r} {_invisible_character(h)}"
                           for h in header if _invisible_character(h)]
    if problems:
        raise DataValidationError(path, problems)
    if header != names:
        missing = [n for n in names if n not in header]
        extra = [h for h in header if h not in names]
        if len(header) == 1 and len(names) > 1:
            problems.append(
                f"line 1: the header has a single column {header[0][:60]!r}; "
                f"expected {len(names)} columns separated by {delimiter!r} "
                f"(is the file using another delimiter?)"
            )
        else:
            if missing:
                problems.append(f"line 1: missing column(s) {', '.join(missing)}")
            if extra:
                problems.append(f"line 1: unexpected column(s) {', '.join(extra)}")
            if not missing and not extra:
                problems.append(f"line 1: columns are out of order; expected {', '.join(names)}")
        raise DataValidationError(path, problems)
    if len(rows) == 1:
        raise DataValidationError(path, ["the file has a header but no data rows"])

    values: list[list[Any]] = []
    lines: list[int] = []
    for line_no, row in zip(starts[1:], rows[1:]):
        if len(row) != len(names):
            problems.append(
                f"line {line_no}: {len(row)} cells, expected {len(names)} "
                f"(a truncated row, an unquoted {delimiter!r} or a missing one)"
            )
            continue
        parsed: list[Any] = []
        for field, raw in zip(fields, row):
            if raw == "":
                if field.required:
                    problems.append(
                        f"line {line_no}, field '{field.name}': required but empty "
                        f"(expected {_describe_expected(field)})"
                    )
                parsed.append(None)
                continue
            invisible = _invisible_character(raw)
            if invisible:
                problems.append(f"line {line_no}, field '{field.name}': {invisible}")
                parsed.append(None)
                continue
            if raw != raw.strip():
                problems.append(
                    f"line {line_no}, field '{field.name}': leading or trailing spaces in {raw!r}"
                )
            try:
                value = _parse_cell(field, raw)
            except ValueError:
                problems.append(
                    f"line {line_no}, field '{field.name}': expected "
                    f"{_describe_expected(field)}, got {raw!r}"
                )
                parsed.append(None)
                continue
            issue = _check_constraints(field, value, raw)
            if issue:
                problems.append(f"line {line_no}, field '{field.name}': {issue}")
            parsed.append(value)
        values.append(parsed)
        lines.append(line_no)

    problems += _check_uniqueness(res, fields, values, lines)
    if problems:
        raise DataValidationError(path, problems)
    return fields, values, lines


def _check_uniqueness(res: dict, fields: list[Field], values: list[list[Any]],
                      lines: list[int]) -> list[str]:
    problems = []
    names = [f.name for f in fields]
    keys = res.get("schema", {}).get("primaryKey")
    if isinstance(keys, str):
        keys = [keys]
    unique_sets = [[f.name] for f in fields if f.constraints.get("unique")]
    if keys:
        unique_sets.append(list(keys))
    for key in unique_sets:
        idx = [names.index(k) for k in key]
        seen: dict[tuple, int] = {}
        for line_no, row in zip(lines, values):
            k = tuple(row[i] for i in idx)
            if k in seen:
                problems.append(
                    f"line {line_no}: duplicate key {dict(zip(key, k))} "
                    f"(first seen on line {seen[k]}); key fields must be unique"
                )
            else:
                seen[k] = line_no
    return problems


_DTYPES = {"integer": "Int64", "year": "Int64", "number": "float64", "boolean": "boolean",
           "string": "string", "yearmonth": "string"}


def _to_frame(fields: list[Field], values: list[list[Any]]) -> pd.DataFrame:
    columns = {}
    for i, field in enumerate(fields):
        col = [row[i] for row in values]
        if field.type == "date":
            columns[field.name] = pd.to_datetime(pd.Series(col, dtype="object"))
        elif field.type == "number":
            columns[field.name] = pd.Series([math.nan if v is None else v for v in col],
                                            dtype="float64")
        else:
            columns[field.name] = pd.Series(col, dtype="object").astype(_DTYPES[field.type])
    return pd.DataFrame(columns)


@lru_cache(maxsize=64)
def _load_cached(data_dir: str, name: str, fingerprint: str, pkg_fingerprint: str,
                 sources_fingerprint: str | None) -> pd.DataFrame:
    # sources_fingerprint is part of the key because every other dataset is checked
    # against sources.csv: an edit there must re-check them, not serve a stale table.
    res = resource(name, data_dir)
    path = Path(data_dir) / res["path"]
    fields, values, lines = _validate_rows(path, res)
    frame = _to_frame(fields, values)
    if name != SOURCES and SOURCE_ID_FIELD in frame.columns:
        known = set(_load_sources_ids(data_dir))
        problems = []
        for line_no, ids in zip(lines, frame[SOURCE_ID_FIELD]):
            for sid in str(ids).split(";"):
                if sid not in known:
                    problems.append(
                        f"line {line_no}, field '{SOURCE_ID_FIELD}': unknown source {sid!r}; "
                        f"add it to sources.csv or correct the id"
                    )
        if problems:
            raise DataValidationError(path, problems)
    return frame


def _load_sources_ids(data_dir: str) -> list[str]:
    return list(load(SOURCES, data_dir=data_dir)[SOURCE_ID_FIELD])


def load(name: str, *, data_dir: Path | str = DATA_DIR) -> pd.DataFrame:
    """Load dataset ``name`` (a CSV in ``data/``), validated against its schema.

    Returns a new DataFrame with typed columns (integers as ``Int64``, numbers as
    ``float64``, text as ``string``, dates as ``datetime64``). ``df.attrs`` holds the
    dataset's name and title, and the sources that its rows cite, so a chart can print
    its source note from the data itself.

    Raises :class:`UnknownDatasetError` (listing the available names) for an unknown
    name and :class:`DataValidationError` for a file that breaks its schema.
    """
    data_dir = str(Path(data_dir).resolve())
    res = resource(name, data_dir)
    path = Path(data_dir) / res["path"]
    if not path.exists():
        raise FileNotFoundError(f"{res['path']} is described in {PACKAGE_FILE} but missing from {data_dir}")
    pkg_fingerprint = _fingerprint(_package_path(Path(data_dir)))
    sources_fingerprint = None
    if name != SOURCES:
        sources_path = Path(data_dir) / resource(SOURCES, data_dir)["path"]
        sources_fingerprint = _fingerprint(sources_path) if sources_path.exists() else None
    frame = _load_cached(data_dir, name, _fingerprint(path), pkg_fingerprint,
                         sources_fingerprint).copy()
    frame.attrs = {"dataset": name, "title": res.get("title", name), "path": res["path"]}
    if name != SOURCES and SOURCE_ID_FIELD in frame.columns:
        frame.attrs["sources"] = sources_for(frame, data_dir=data_dir).to_dict("records")
    return frame


def source_ids(frame: pd.DataFrame) -> list[str]:
    """The distinct source ids cited by the rows of ``frame``, in order of first use."""
    if SOURCE_ID_FIELD not in frame.columns:
        raise ValueError(
            f"The table has no '{SOURCE_ID_FIELD}' column, so its sources cannot be traced; "
            f"pass rows loaded with kabulcase.load()."
        )
    seen: dict[str, None] = {}
    for ids in frame[SOURCE_ID_FIELD].dropna():
        for sid in str(ids).split(";"):
            seen.setdefault(sid, None)
    return list(seen)


def sources_for(frame: pd.DataFrame, *, data_dir: Path | str = DATA_DIR) -> pd.DataFrame:
    """The rows of ``sources.csv`` cited by ``frame``."""
    ids = source_ids(frame)
    table = load(SOURCES, data_dir=data_dir).set_index(SOURCE_ID_FIELD)
    missing = [sid for sid in ids if sid not in table.index]
    if missing:
        # A table loaded before sources.csv was edited can cite ids that are gone.
        raise LookupError(
            f"The rows cite source(s) {', '.join(missing)} that {SOURCES}.csv does not hold "
            f"(was sources.csv edited after the table was loaded?). Load the table again "
            f"with kabulcase.load(), or restore the source rows."
        )
    return table.loc[ids].reset_index()


def value(name: str, column: str = "value", *, data_dir: Path | str = DATA_DIR, **where: Any):
    """The single value of ``column`` in the one row of dataset ``name`` matching ``where``.

    Used by chapters to put numbers from data/ into the text, so that no figure is typed
    by hand. Raises ``LookupError`` unless exactly one row matches.
    """
    frame = load(name, data_dir=data_dir)
    mask = pd.Series(True, index=frame.index)
    for col, wanted in where.items():
        if col not in frame.columns:
            raise KeyError(f"{name} has no column {col!r}; columns: {', '.join(frame.columns)}")
        if pd.api.types.is_datetime64_any_dtype(frame[col]):
            mask &= frame[col] == pd.Timestamp(wanted)
        else:
            mask &= frame[col].astype("string") == str(wanted)
    hits = frame[mask]
    if len(hits) != 1:
        raise LookupError(
            f"{name}: expected exactly one row where {where}, found {len(hits)}"
        )
    if column not in frame.columns:
        raise KeyError(f"{name} has no column {column!r}; columns: {', '.join(frame.columns)}")
    result = hits[column].iloc[0]
    if pd.isna(result):
        raise LookupError(f"{name}: the matching row has no {column!r} (empty cell)")
    return result.item() if hasattr(result, "item") else result
