"""Exercise set 7 (governance): expected answers, checks and rubrics.

The capstone (``ex07.q4``) checks a learner's necessity-and-proportionality assessment
with :func:`kabulcase.models.rights.verify`: every step filled in, every cited data row
found again with the cited value, every cited model result re-computed with the cited
assumptions. It never grades the judgements or the conclusion, and says so.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
import re
from collections.abc import Mapping
from itertools import combinations
from typing import Any

import numpy as np
import pandas as pd

from ..data import load
from ..models import rights
from .core import (RUBRICS, Rubric, _Answer, _as_ids, _as_mapping, _as_number, _describe,
                   _expects, _fmt_ratio, _is_number, _norm_label, _question,
                   expected)

# --------------------------------------------------------------------------- ex07 expected values

HUAWEI = "Huawei"
CLAIM_TYPES = ("index_finding", "verified_open_source", "company_claim")

SAFER: dict[str, Any] = {
    "retention_days": rights.ASSUMPTIONS["retention_short_days"]["default"],
    "face_recognition": False,
    "judicial_authorisation": True,
    "independent_oversight": True,
    "published_audits": True,
    "community_approval": True,
}
"""Each lever at its safer setting, as the exercise's starter cell defines it (retention at
the short-retention threshold of the risk scheme)."""

TOP = len(rights.LEVELS) - 1  # "very high"

Q3_BASE = rights.WITH_FACE_RECOGNITION
"""Question 3 works from the scenario with face recognition switched on (the book's
inference; no source reports it), where every factor starts at very high, so that the face
recognition lever has something to lower. Chosen on purpose, and said so in the exercise."""


def _reach() -> pd.DataFrame:
    return load("vendor_reach")


def _huawei_countries() -> dict[str, float]:
    r = _reach()
    sel = r[(r["supplier"] == HUAWEI) & (r["unit"] == "countries")]
    return {str(k): float(v) for k, v in zip(sel["claim_type"], sel["value"])}


def _reach_value(series: str, measure: str, supplier: str = HUAWEI) -> float:
    r = _reach()
    sel = r[(r["series"] == series) & (r["measure"] == measure) & (r["supplier"] == supplier)]
    return float(sel["value"].iloc[0])


def _book_evidence() -> pd.DataFrame:
    return rights.evidence_table(rights.example_assessment())


def _levels(**changes: Any) -> dict[str, int]:
    return {f.key: f.level_index for f in rights.risk_assessment(Q3_BASE, **changes)}


def _lever_effects() -> dict[str, list[str]]:
    base = _levels()
    out = {}
    for lever, safer in SAFER.items():
        after = _levels(**{lever: safer})
        out[lever] = [k for k in base if after[k] < base[k]]
    return out


def _covers(levers) -> bool:
    return max(_levels(**{lever: SAFER[lever] for lever in levers}).values()) < TOP


def _smallest_sets() -> list[frozenset[str]]:
    for k in range(1, len(SAFER) + 1):
        found = [frozenset(c) for c in combinations(SAFER, k) if _covers(c)]
        if found:
            return found
    return []


@_expects("ex07")
def expected_ex07(key: str) -> Any:
    """The expected answers of exercise set 7, computed from data/ and the rights model."""
    if key == "ex07.q1a":
        return _huawei_countries()
    if key == "ex07.q1b":
        return (_reach_value("huawei_claim", "countries_claimed")
                / _reach_value("csis_verified", "countries_with_agreements"))
    if key == "ex07.q2a":
        return {str(k): int(v) for k, v in _book_evidence().groupby("step").size().items()}
    if key == "ex07.q2b":
        ev = _book_evidence()
        ids = ev.loc[(ev["step"] == "necessity") & (ev["kind"] == "data"), "source_id"]
        return sorted({i for cell in ids for i in str(cell).split(";") if i})
    if key == "ex07.q3a":
        return _lever_effects()
    if key == "ex07.q3b":
        return _smallest_sets()
    raise KeyError(key)


# --------------------------------------------------------------------------- q1: vendor reach

_SERIES_TO_TYPE = {"aigs_index": "index_finding", "csis_verified": "verified_open_source",
                   "huawei_claim": "company_claim"}


@_question("ex07.q1a", "huawei_countries", "Huawei's reach in countries, by kind of claim", "G4",
           2, 10, "Filter `reach` to Huawei's rows counted in countries; keep one number per "
           "`claim_type`.")
def _ex07_q1a(answer):
    want = expected("ex07.q1a")
    if _is_number(answer):
        raise _Answer("`huawei_countries` is one number, but the data hold three kinds of claim "
                      "(an index finding, a verified count and the company's own claim). Keep "
                      "them apart, one number per `claim_type`; never add or average them.")
    if isinstance(answer, pd.DataFrame) and {"claim_type", "value"} <= set(answer.columns):
        if answer["claim_type"].duplicated().any():
            raise _Answer("`huawei_countries` has more than one row for a kind of claim; keep "
                          "only Huawei's rows counted in countries (one per `claim_type`).")
        answer = dict(zip(answer["claim_type"], answer["value"]))
    got = _as_mapping(answer, "`huawei_countries`", "claim_type")
    got = {_SERIES_TO_TYPE.get(k, k): v for k, v in got.items()}
    right, off = [], []
    ok = [k for k in want if k in got and math.isclose(got[k], want[k])]
    unknown = [k for k in got if k not in want]
    missing = [k for k in want if k not in got]
    if ok:
        right.append(f"{len(ok)} of the {len(want)} kinds of claim have the right number.")
    r = _reach()
    for k in want:
        if k not in got or k in ok:
            continue
        same_type = r[r["claim_type"] == k]
        hit = same_type[np.isclose(same_type["value"].astype(float), got[k])]
        if len(hit):
            row = hit.iloc[0]
            what = (f"counts {row['unit']}, not countries" if row["unit"] != "countries" else
                    f"is the {row['measure']} row for supplier '{row['supplier']}', not Huawei's "
                    f"countries")
            off.append(f"Your {k} number {what}.")
        else:
            off.append(f"Your {k} number is not a Huawei row counted in countries.")
    if missing:
        off.append(f"Missing: {', '.join(missing)}.")
    if unknown:
        off.append("These labels are not kinds of claim in `claim_type`: "
                   + ", ".join(repr(k) for k in unknown) + ".")
    if len(ok) == len(want) and not unknown:
        return 2, [f"One number for each of the {len(want)} kinds of claim, kept apart: the "
                   f"index finding, the count researchers verified and the company's claim."], [], None
    score = 1 if len(ok) >= 2 and not unknown else 0
    return score, right, off, ("Keep the rows where `supplier` is Huawei and `unit` is "
                               "countries, then index the `value` column by `claim_type`.")


@_question("ex07.q1b", "claimed_vs_verified",
           "Huawei's claimed countries against the countries CSIS could verify", "G4", 1, 5,
           "Divide the countries Huawei claims by the countries with an agreement CSIS verified.")
def _ex07_q1b(answer):
    want = expected("ex07.q1b")
    got = _as_number(answer, "`claimed_vs_verified`")
    if math.isclose(got, want, rel_tol=0.005):
        return 1, [f"Huawei claims about {_fmt_ratio(want)} times as many countries as CSIS "
                   f"could verify from open sources."], [], None
    cities = _reach_value("huawei_claim", "cities_claimed")
    agreements = _reach_value("csis_verified", "safe_city_agreements")
    aigs = _reach_value("aigs_index", "countries_supplied")
    diagnoses = [
        (cities / agreements, 0.5, "That is cities claimed divided by agreements verified: the "
         "chapter's comparison, but its units differ. This question compares countries with "
         "countries."),
        (1 / want, 0, "That is the ratio upside down: verified countries divided by claimed ones."),
        (_reach_value("huawei_claim", "countries_claimed") / aigs, 0,
         "You divided by the AIGS index's count of countries Huawei supplies. The question "
         "compares the claim with CSIS's verified count."),
    ]
    for candidate, score, why in diagnoses:
        if math.isclose(got, candidate, rel_tol=0.005):
            return score, [], [why], ("Divide Huawei's `countries_claimed` by CSIS's "
                                      "`countries_with_agreements`.")
    return 0, [], [f"Your ratio, {_fmt_ratio(got)}, does not match the two rows the question "
                   f"names."], ("Read both rows from `reach` (series huawei_claim and "
                                "csis_verified, both counted in countries) and divide.")


# --------------------------------------------------------------------------- q2: the book's evidence

def _step_key(label: str) -> str:
    by_label = {_norm_label(spec["label"]): key for key, spec in rights.STEPS.items()}
    return by_label.get(label, label)


@_question("ex07.q2a", "items_per_step", "evidence items per step of the book's assessment",
           "G1", 1, 8, "Group the evidence table by `step` and count the rows.")
def _ex07_q2a(answer):
    want = expected("ex07.q2a")
    got = {_step_key(k): v for k, v in _as_mapping(answer, "`items_per_step`", "step").items()}
    unknown = [k for k in got if k not in want]
    ok = [k for k in want if k in got and got[k] == want[k]]
    if len(ok) == len(want) and not unknown:
        return 1, [f"The right number of evidence items for all {len(want)} steps."], [], None
    ev = _book_evidence()
    data_only = {str(k): int(v) for k, v in ev[ev["kind"] == "data"].groupby("step").size().items()}
    model_only = {str(k): int(v) for k, v in ev[ev["kind"] == "model"].groupby("step").size().items()}
    right, off = [], []
    if ok:
        right.append(f"{len(ok)} of the {len(want)} steps have the right count.")
    if {k: v for k, v in got.items() if v} == data_only:
        off.append("You counted only the data rows; the question asks for every evidence item, "
                   "data rows and model results.")
    elif {k: v for k, v in got.items() if v} == model_only:
        off.append("You counted only the model results; the question asks for every evidence item.")
    else:
        wrong = [k for k in want if k in got and got[k] != want[k]]
        if wrong:
            off.append("These steps have a different count: " + ", ".join(
                f"{k} ({'too high' if got[k] > want[k] else 'too low'})" for k in wrong) + ".")
        missing = [k for k in want if k not in got]
        if missing:
            off.append(f"Missing steps: {', '.join(missing)}.")
    if unknown:
        off.append("Not steps of the test: " + ", ".join(repr(k) for k in unknown)
                   + f" (the steps are {', '.join(rights.STEPS)}).")
    return 0, right, off, "Use the whole evidence table, with no filter on `kind`."


@_question("ex07.q2b", "necessity_sources", "sources behind the necessity step's data rows",
           "G1", 1, 10, "Filter the evidence table to the necessity step's data rows, then split "
           "`source_id` at ';'.")
def _ex07_q2b(answer):
    want = {w.lower() for w in expected("ex07.q2b")}
    got_list = _as_ids(answer, "`necessity_sources`", "source_id")
    got = {g.lower() for g in got_list}
    ev = _book_evidence()
    elsewhere = {i.lower() for cell in ev["source_id"] for i in str(cell).split(";") if i} - want
    known = {s.lower() for s in load("sources")["source_id"]}
    right, off = [], []
    present, extra = want & got, got - want
    if got == want:
        return 1, [f"All {len(want)} sources behind the necessity step's data rows, and no "
                   f"other."], [], None
    if present:
        right.append(f"{len(present)} of the {len(want)} sources are in your list.")
    if want - got:
        off.append(f"{len(want - got)} source(s) are missing: some rows name several sources, "
                   f"separated by ';'.")
    cited_elsewhere = sorted(e for e in extra if e in elsewhere)
    unknown = sorted(e for e in extra if e not in known)
    other = sorted(e for e in extra if e in known and e not in elsewhere)
    if cited_elsewhere:
        off.append("Sources of other steps' evidence: " + ", ".join(cited_elsewhere)
                   + " (filter on the step).")
    if unknown:
        off.append("Not ids in data/sources.csv: " + ", ".join(unknown) + ".")
    if other:
        off.append("Not cited by the book's assessment: " + ", ".join(other) + ".")
    score = 0.5 if present and not extra else 0
    return score, right, off, ("Keep the rows where `step` is necessity and `kind` is data; "
                               "split each `source_id` at ';' and keep each id once.")


# --------------------------------------------------------------------------- q3: safeguard levers

def _factor_key(x: Any) -> str:
    if not isinstance(x, str):
        raise _Answer(f"Each risk factor should be named by its key (text such as "
                      f"'tracking'), but one is {_describe(x)}.")
    norm = _norm_label(x)
    for key, spec in rights.FACTORS.items():
        if norm in (key, _norm_label(spec["name"])):
            return key
    raise _Answer(f"{x!r} is not a risk factor of the scheme; the factors are "
                  f"{', '.join(rights.FACTORS)}.")


def _as_factor_set(x: Any, what: str) -> set[str]:
    if isinstance(x, (dict, Mapping)):
        raise _Answer(f"{what} is a dict; give the factors whose level falls (a list of keys "
                      f"such as 'tracking'), not their levels.")
    if isinstance(x, str):
        x = [p for p in re.split(r"[;,]\s*|\s+", x.strip()) if p]
    if isinstance(x, (pd.Series, pd.Index, np.ndarray)):
        x = list(x.tolist())
    if x is None:
        return set()
    if not isinstance(x, (list, tuple, set, frozenset)):
        raise _Answer(f"{what} should be a list of risk factors, but it is {_describe(x)}.")
    return {_factor_key(v) for v in x}


def _lever_key(x: Any) -> str:
    if not isinstance(x, str):
        raise _Answer(f"Each lever should be named by its key (text such as "
                      f"'face_recognition'), but one is {_describe(x)}.")
    norm = _norm_label(x)
    for key, spec in rights.LEVERS.items():
        if norm in (key, _norm_label(spec["label"])):
            return key
    raise _Answer(f"{x!r} is not a lever of the risk scheme; the levers are "
                  f"{', '.join(rights.LEVERS)}.")


@_question("ex07.q3a", "lever_effects", "which risk factors each safeguard lever lowers", "G2",
           2, 15, "Loop over SAFER; for each lever compare `levels(**{lever: safer})` with "
           "`levels()`.")
def _ex07_q3a(answer):
    want = expected("ex07.q3a")
    x = answer
    if isinstance(x, pd.DataFrame):
        cols = {c.lower(): c for c in map(str, x.columns)}
        if "lever" in cols and ("factor" in cols or "key" in cols):
            fcol = cols.get("factor", cols.get("key"))
            grouped: dict[str, list] = {}
            for lever, factor in zip(x[cols["lever"]], x[fcol]):
                grouped.setdefault(lever, []).append(factor)
            x = grouped
        else:
            raise _Answer("`lever_effects` is a table; give a dict from each lever to the list "
                          "of factors it lowers (or a table with columns `lever` and `factor`).")
    if isinstance(x, pd.Series):
        x = dict(x.items())
    if not isinstance(x, Mapping):
        raise _Answer(f"`lever_effects` should be a dict from each lever to the factors it "
                      f"lowers, but it is {_describe(x)}.")
    got: dict[str, set[str]] = {}
    for lever, factors in x.items():
        key = _lever_key(lever)
        got[key] = got.get(key, set()) | _as_factor_set(
            factors, f"The entry for {key}")
    ok = [k for k in want if k in got and got[k] == set(want[k])]
    right, off = [], []
    if ok:
        right.append(f"{len(ok)} of the {len(want)} levers lower exactly the right factors.")
    for lever in want:
        if lever not in got:
            off.append(f"{lever} is missing.")
            continue
        extra, missing = got[lever] - set(want[lever]), set(want[lever]) - got[lever]
        if extra or missing:
            parts = []
            if extra:
                parts.append(f"{', '.join(sorted(extra))} do(es) not fall when only this lever "
                             f"changes")
            if missing:
                parts.append(f"{len(missing)} factor(s) that fall are missing")
            off.append(f"{lever}: " + "; ".join(parts) + ".")
    if len(ok) == len(want):
        return 2, [f"Each of the {len(want)} levers, changed on its own, lowers exactly these "
                   f"factors."], [], None
    score = 1 if len(ok) >= len(want) - 2 else 0
    return score, right, off, ("Count a factor only if its level index is lower after the "
                               "change than in `levels()` (face recognition on, the book's "
                               "inference); change one "
                               "lever at a time.")


def _as_lever_sets(x: Any) -> list[frozenset[str]]:
    if isinstance(x, (pd.Series, pd.Index, np.ndarray)):
        x = list(x.tolist())
    if isinstance(x, pd.DataFrame):
        raise _Answer("`smallest_sets` is a table; give a list of sets of levers, such as "
                      "[{'a', 'b'}, {'a', 'c'}].")
    if isinstance(x, str):
        raise _Answer("`smallest_sets` is text; give a list of sets of lever names, such as "
                      "[{'a', 'b'}, {'a', 'c'}].")
    if isinstance(x, Mapping):
        raise _Answer("`smallest_sets` is a dict; give a list of sets of lever names.")
    if not isinstance(x, (list, tuple, set, frozenset)):
        raise _Answer(f"`smallest_sets` should be a list of sets of levers, but it is "
                      f"{_describe(x)}.")
    items = list(x)
    if not items:
        raise _Answer("`smallest_sets` is empty: no set of levers was found. Check your loop.")
    if all(isinstance(i, str) for i in items):
        return [frozenset(_lever_key(i) for i in items)]
    out = []
    for item in items:
        if isinstance(item, str) or not isinstance(item, (list, tuple, set, frozenset)):
            raise _Answer(f"Each entry of `smallest_sets` should be a set of levers, but one is "
                          f"{_describe(item)}.")
        out.append(frozenset(_lever_key(i) for i in item))
    return out


@_question("ex07.q3b", "smallest_sets",
           "the smallest sets of levers that bring every factor below very high", "G2", 2, 15,
           "Try every combination of levers with itertools.combinations, smallest first.")
def _ex07_q3b(answer):
    want = set(expected("ex07.q3b"))
    size = len(next(iter(want)))
    got = _as_lever_sets(answer)
    got_set = set(got)
    if got_set == want:
        return 2, [f"Exactly the {len(want)} smallest sets: {size} levers are needed, and there "
                   f"is more than one way to choose them." if len(want) > 1 else
                   f"The one smallest set of {size} levers."], [], None
    right, off = [], []
    good = got_set & want
    too_big = [s for s in got_set - want if len(s) > size and _covers(s)]
    failing = [s for s in got_set - want if not _covers(s)]
    if good:
        right.append(f"{len(good)} of your set(s) are smallest sets that work.")
    if want - got_set:
        off.append(f"{len(want - got_set)} smallest set(s) are missing"
                   + (": there is more than one way to choose them." if len(got) == 1 else "."))
    if too_big:
        off.append(f"{len(too_big)} set(s) work but are not the smallest: a set with fewer "
                   f"levers also brings every factor below very high.")
    for s in failing[:3]:
        still = [k for k, v in _levels(**{lever: SAFER[lever] for lever in s}).items() if v >= TOP]
        off.append(f"With {', '.join(sorted(s)) or 'no lever'} changed, "
                   f"{', '.join(still)} stay(s) very high.")
    score = 1 if good and not failing else 0
    return score, right, off, ("For k = 1, 2, 3, ... try every combination of k levers at their "
                               "SAFER settings; stop at the first k where some combination "
                               "leaves no factor at very high, and keep all of those.")


# --------------------------------------------------------------------------- q4: the capstone

PLACEHOLDER_FINDING = "Write your finding here"
_RIGHTS_CLASSES = ("Assessment", "Step", "DataEvidence", "ModelEvidence")
CAPSTONE_POINTS = {"complete": 2, "evidence": 3, "both_kinds": 1}
NEVER_GRADES = ("This check looks only at structure and evidence; it never grades your "
                "judgements or your conclusion, which are yours to argue.")


def _fresh(obj: Any) -> Any:
    """A copy of ``obj`` built from the rights module's current classes.

    The grader re-imports kabulcase before scoring, and a learner may reload a module; an
    Assessment made before that is an instance of the old class, which verify() would not
    recognise. Objects of the old classes are rebuilt field by field; anything else is
    returned unchanged, for verify() to report.
    """
    cls = type(obj)
    name = cls.__name__
    if (name in _RIGHTS_CLASSES and cls.__module__ == rights.__name__
            and dataclasses.is_dataclass(obj) and not isinstance(obj, getattr(rights, name))):
        new_cls = getattr(rights, name)
        obj = new_cls(**{f.name: getattr(obj, f.name) for f in dataclasses.fields(new_cls)
                         if hasattr(obj, f.name)})
    if isinstance(obj, rights.Assessment) and isinstance(obj.steps, (list, tuple)):
        obj = dataclasses.replace(obj, steps=[_fresh(s) for s in obj.steps])
    elif isinstance(obj, rights.Step):
        evidence = ([_fresh(e) for e in obj.evidence] if isinstance(obj.evidence, (list, tuple))
                    else obj.evidence)
        name = obj.name if isinstance(obj.name, str) else repr(obj.name)
        obj = dataclasses.replace(obj, name=name, evidence=evidence)
    return obj


def _words(text: Any) -> str:
    return " ".join(str(text).lower().split())


def _book_findings() -> dict[str, str]:
    return {s.name: _words(s.finding) for s in rights.example_assessment().steps}


def _is_placeholder(text: Any) -> bool:
    return not isinstance(text, str) or not text.strip() or PLACEHOLDER_FINDING.lower() in text.lower()


def _short(x: Any) -> str:
    if _is_number(x):
        return f"{float(x):.4g}"
    text = repr(x)
    return text if len(text) <= 60 else text[:57] + "..."


def _params_text(params: Any) -> str:
    if not isinstance(params, Mapping) or not params:
        return "its default assumptions"
    return ", ".join(f"{k}={_short(v)}" for k, v in params.items())


def _model_result(item: rights.ModelEvidence) -> float | None:
    """What the cited model gives with the cited params (None if it cannot be run)."""
    try:
        func = rights._resolve_function(item.model)
        result = func(**dict(item.params))
        if isinstance(result, Mapping):
            result = result[item.output]
        result = float(result)
        return None if math.isnan(result) else result
    except Exception:  # the verify() message already says why
        return None


def _evidence_problem(where: str, message: str, item: Any) -> str:
    """A verify() problem about one evidence item, in plain words with a hint."""
    head = where[0].upper() + where[1:]
    if isinstance(item, rights.ModelEvidence):
        function = str(item.model).split(":")[-1]
        if message.startswith("re-running"):
            got = _model_result(item)
            output = f" (output {item.output!r})" if item.output else ""
            gives = f"the model gives {got:.4g}" if got is not None else "the model gives another value"
            return (f"{head}: the value you cite for {function}{output} with "
                    f"{_params_text(item.params)} is {_short(item.value)}, but {gives}. Re-run "
                    f"the model with these assumptions and copy its result (or, if you meant "
                    f"other assumptions, cite those).")
        if "cannot take params" in message:
            return f"{head}: {message} Use the parameter names the model accepts."
        if "refused params" in message:
            return (f"{head}: {message} The model refuses assumptions outside its allowed range; "
                    f"choose values inside it.")
        if "returns a dict" in message:
            return f"{head}: {message} Set output= to the entry you cite."
        if "value must be the number" in message:
            return (f"{head}: value must be the number the model gives; run the model and copy "
                    f"its result into value=.")
        return f"{head}: {message}"
    if isinstance(item, rights.DataEvidence):
        if re.search(r" has 0 rows where ", message):
            return (f"{head}: no row of data/{item.dataset}.csv matches "
                    f"{rights._where_text(item.where)}, so the row you cite does not exist. Look "
                    f"the row up in the table and copy the values that pick it out.")
        m = re.search(r" has (\d+) rows where ", message)
        if m:
            return (f"{head}: {m.group(1)} rows of data/{item.dataset}.csv match "
                    f"{rights._where_text(item.where)}. Add another column to where= so that "
                    f"exactly one row matches.")
        m = re.search(r" holds (.*), not the cited ", message)
        if m:
            return (f"{head}: the row of data/{item.dataset}.csv where "
                    f"{rights._where_text(item.where)} holds {m.group(1)} in column "
                    f"{item.column!r}, but you cite {_short(item.value)}. Copy the value from the "
                    f"row, or read it with value(...) instead of typing it.")
        if "no dataset" in message:
            return (f"{head}: {message} Dataset names are the file names in data/ without "
                    f"'.csv'.")
        if "no column" in message:
            return f"{head}: {message} Check the spelling against the table's columns."
        return f"{head}: {message}"
    return f"{head}: {message} Build each item with DataEvidence(...) or ModelEvidence(...)."


def _structure_problem(where: str, message: str) -> str:
    if where == "assessment":
        return f"The assessment: {message}"
    head = where[0].upper() + where[1:]
    if message == "is missing.":
        name = where.split("'")[1] if "'" in where else where
        return (f"{head} is missing: add Step(name={name!r}, finding=..., judgement=..., "
                f"evidence=[...]).")
    return f"{head}: {message}"


def _as_assessment(answer: Any) -> rights.Assessment:
    x = _fresh(answer)
    if isinstance(x, rights.Assessment):
        return x
    if isinstance(x, str):
        raise _Answer("`my_assessment` is text. The capstone asks for a structured object: keep "
                      "the starter cell's Assessment(...) and write your reasoning into each "
                      "step's finding.")
    if isinstance(x, Mapping):
        raise _Answer(f"`my_assessment` is {_describe(x)}, not an Assessment. Keep the starter "
                      f"cell's Assessment(title=..., assessor=..., subject=..., steps=[...]) and "
                      f"put one Step(...) in it for each step of the test.")
    if isinstance(x, rights.Step):
        raise _Answer("`my_assessment` is a single Step. Put all five steps in "
                      "Assessment(title=..., assessor=..., subject=..., steps=[...]).")
    if isinstance(x, (list, tuple)) and x and all(isinstance(s, rights.Step) for s in map(_fresh, x)):
        raise _Answer(f"`my_assessment` is a list of {len(x)} Step(s). Wrap it: "
                      f"Assessment(title=..., assessor=..., subject=..., steps=[...]).")
    raise _Answer(f"`my_assessment` should be an Assessment(...) like the one the starter cell "
                  f"builds, but it is {_describe(x)}.")


def capstone_report(answer: Any) -> dict[str, Any]:
    """Everything the capstone check finds, as data (for tests and the instructor guide):
    the problems in plain words, split into structure and evidence, and the evidence counts.

    Structure problems come from :func:`kabulcase.models.rights.verify`, plus two of this
    check's own: a finding still holding the starter's placeholder, and a finding copied
    from the book's worked assessment. Evidence is resolved item by item exactly as
    verify() resolves it, so each problem can be explained with a hint.
    """
    a = _as_assessment(answer)
    steps = list(a.steps) if isinstance(a.steps, (list, tuple)) else []
    real = [s for s in steps if isinstance(s, rights.Step)]
    unanswered = bool(real) and len(real) == len(steps) and all(
        _is_placeholder(s.finding) and not s.evidence for s in real)
    try:
        problems = rights.verify(a)
    except Exception as exc:  # verify() should not raise; if it does, say so plainly
        raise _Answer(f"The assessment could not be checked ({type(exc).__name__}: "
                      f"{str(exc)[:100]}). Compare it with the starter cell's structure.") from None
    structure = []
    for p in problems:
        if re.match(r"step '[^']*', evidence \d+$", p.where):
            continue  # explained item by item below
        m = re.match(r"step '(?P<step>[^']*)'$", p.where)
        if m and "finding is not filled in" in p.message and any(
                s.name == m.group("step") and _is_placeholder(s.finding) for s in real):
            structure.append(f"Step {m.group('step')!r}: the finding still holds the starter's "
                             f"placeholder; write your own finding.")
            continue
        structure.append(_structure_problem(p.where, p.message))
    book = _book_findings()
    for step in real:
        finding = step.finding if isinstance(step.finding, str) else ""
        if step.name in book and finding.strip() and difflib.SequenceMatcher(
                None, _words(finding), book[step.name]).ratio() > 0.9:
            structure.append(f"Step {step.name!r}: the finding is the book's own text. Write it "
                             f"in your own words (you may reach the same judgement as the book).")
    evidence, n_items, good_data, good_model = [], 0, 0, 0
    for step in real:
        if step.name not in rights.STEPS or not isinstance(step.evidence, (list, tuple)):
            continue  # verify() has reported the unknown step or the malformed evidence
        for j, item in enumerate(step.evidence, start=1):
            n_items += 1
            where = f"step {step.name!r}, evidence {j}"
            try:
                rights.resolve(item)
            except rights.EvidenceError as err:
                evidence.append(_evidence_problem(where, str(err), item))
                continue
            except Exception as exc:  # an odd value inside an item: a sentence, not a traceback
                evidence.append(f"Step {step.name!r}, evidence {j}: it could not be looked up "
                                f"({type(exc).__name__}: {str(exc)[:80]}). Check its fields.")
                continue
            good_data += isinstance(item, rights.DataEvidence)
            good_model += isinstance(item, rights.ModelEvidence)
    names = [s.name for s in real]
    steps_ok = len(real) == len(steps) and sorted(names) == sorted(rights.STEPS)
    return {"assessment": a, "unanswered": unanswered, "structure": structure,
            "evidence": evidence, "n_items": n_items, "n_bad": len(evidence),
            "good_data": good_data, "good_model": good_model, "steps_ok": steps_ok}


def _numbered(problems: list[str], limit: int = 8) -> list[str]:
    shown = [f"({i}) {p}" for i, p in enumerate(problems[:limit], start=1)]
    if len(problems) > limit:
        shown.append(f"... and {len(problems) - limit} more like these; fix these first and run "
                     f"the check again.")
    return shown


@_question("ex07.q4", "my_assessment",
           "your rights assessment, checked for structure and evidence only", "G1, G2",
           sum(CAPSTONE_POINTS.values()), 60,
           "Fill in each step of the starter's Assessment: a finding in your own words, a "
           "judgement, and evidence.")
def _ex07_q4(answer):
    r = capstone_report(answer)
    if r["unanswered"]:
        raise _Answer("This assessment is not answered yet: every step still holds the starter's "
                      "placeholder and no evidence. Write a finding, choose a judgement and "
                      "attach evidence for each step, then run this cell again.")
    right, off = [], []
    # 1. Complete: every step once, a finding in the assessor's words, a judgement, evidence.
    if not r["structure"]:
        complete = CAPSTONE_POINTS["complete"]
        right.append(f"All {len(rights.STEPS)} steps are there, each with a finding in your own "
                     f"words and a judgement on the scale.")
    else:
        complete = 1 if r["steps_ok"] and len(r["structure"]) <= 2 else 0
    # 2. Evidence real: every cited row found again, every cited model result re-computed.
    n, n_bad = r["n_items"], r["n_bad"]
    if n == 0:
        evidence = 0
    else:
        evidence = math.floor(2 * CAPSTONE_POINTS["evidence"] * (n - n_bad) / n) / 2
    if n and not n_bad:
        right.append(f"All {n} evidence items check out: {r['good_data']} data row(s) found "
                     f"again with the values you cite, and {r['good_model']} model result(s) "
                     f"re-computed with your assumptions.")
    elif n:
        right.append(f"{n - n_bad} of your {n} evidence items check out.")
    # 3. Both kinds: at least one data row and one model result that check out.
    both = CAPSTONE_POINTS["both_kinds"] if r["good_data"] and r["good_model"] else 0
    if both:
        right.append("You cite both kinds of evidence: data rows and model results.")
    else:
        missing = [k for k, v in (("data row (DataEvidence)", r["good_data"]),
                                  ("model result (ModelEvidence)", r["good_model"])) if not v]
        r["structure"].append("The assessment needs at least one " + " and at least one ".join(
            missing) + " that checks out, somewhere in its steps.")
    off = _numbered(r["structure"] + r["evidence"])
    score = complete + evidence + both
    if score >= sum(CAPSTONE_POINTS.values()):
        right.append(NEVER_GRADES)
        return score, right, [], None
    return score, right, off, ("Fix the problems in order, then run this cell again. To try one "
                               "evidence item on its own, use try_evidence(item). " + NEVER_GRADES)


# --------------------------------------------------------------------------- ex07 written answers

RUBRICS["ex07.q3c"] = Rubric(
    key="ex07.q3c", variable="answer_q3c", title="why the levers move the factors they move",
    objective="G2", minutes=10, words=(60, 160),
    criteria=(
        "Names one risk factor that a lever lowers and explains it with the rule that moves it.",
        "Names one factor that does not move when you might expect it to (for example tracking "
        "when face recognition is turned off) and explains why, from the rules.",
        "Says why more than one lever is needed to bring every factor below very high, and what "
        "kind of harm each lever in a smallest set answers.",
        "Criticises one rule of the scheme (a floor, a threshold, which levers a factor uses) "
        "and says what evidence would settle it.",
    ),
    needs_number=False, needs_source=False,
)

RUBRICS["ex07.q5"] = Rubric(
    key="ex07.q5", variable="answer_q5", title="the strongest case against your own conclusion",
    objective="G1, G3, G5 (and G2, G4)", minutes=30, words=(150, 400),
    criteria=(
        "States your own conclusion in one sentence, and the step of your assessment it rests "
        "on most.",
        "Builds the strongest case against it, as its best advocate would make it (not a "
        "weakened version), using at least one number from data/ or a model with its source "
        "id or citation key.",
        "Engages with a less intrusive alternative or a safeguard, with the evidence for it or "
        "an honest note that there is none.",
        "Says what evidence would change your judgement, and who could produce it without "
        "putting anyone at risk.",
        "Says plainly whether your conclusion survives, and in what form.",
        "(G3) Applies the UN Guiding Principles to the vendor: says what human-rights due "
        "diligence would require of a company in talks about this system (assess the impacts "
        "before a sale, act on them, refuse the most harmful features, and be ready to walk "
        "away), and weighs the company's denial against the news report, saying what each "
        "rests on.",
    ),
)
