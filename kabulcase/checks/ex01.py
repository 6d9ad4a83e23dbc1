"""Exercise set 1 (the case): expected answers, checks and rubrics."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from ..data import load, value
from . import core
from .core import (RUBRICS, Rubric, _Answer, _as_ids, _as_mapping, _as_number,
                   _call_with_time_limit, _describe, _expects, _fmt_ratio, _hidden, _is_number,
                   _is_unanswered, _norm_label, _question, _TimeLimit, expected)

# --------------------------------------------------------------------------- ex01 expected values

DOUBTFUL_STATUSES = ("unverified_claim", "disputed")
TAKEOVER = "2021-08-15"
# The August 2023 claim covers Kabul and other cities (Reuters), so it is filed under this
# geography, not under Kabul, and no Kabul ratio is taken from it (issue 13).
CLAIMED_NETWORK = "Kabul and other cities"


def _kabul_counts() -> pd.DataFrame:
    from ..figures.case import parse_partial_date
    counts = load("camera_counts")
    kabul = counts[counts["city"] == "Kabul"].copy()
    kabul["when"] = kabul["date"].map(parse_partial_date)
    return kabul


def _kabul(date: str) -> float:
    return float(value("camera_counts", "cameras", city="Kabul", date=date))


@_expects("ex01")
def expected_ex01(key: str) -> Any:
    """The expected answers of exercise set 1, computed from data/."""
    if key == "ex01.q1":
        return {str(k): int(v) for k, v in load("claims")["status"].value_counts().items()}
    if key == "ex01.q2a":
        return str(value("camera_counts", "source_id", city=CLAIMED_NETWORK, date="2023-08")).split(";")
    if key == "ex01.q2b":
        return _kabul("2025-02") / _kabul("2021")
    if key == "ex01.q3":
        c = load("claims")
        sel = c[(c["claimant_type"] == "taliban_official") & c["status"].isin(DOUBTFUL_STATUSES)]
        return list(sel["claim_id"])
    if key == "ex01.q4a":
        f = _pair_factors()
        return (float(f["factor"].min()), float(f["factor"].max()))
    raise KeyError(key)


def _pair_factors() -> pd.DataFrame:
    kabul = _kabul_counts()
    takeover = pd.Timestamp(TAKEOVER)
    before, after = kabul[kabul["when"] < takeover], kabul[kabul["when"] > takeover]
    pairs = before.merge(after, how="cross", suffixes=("_before", "_after"))
    pairs["factor"] = pairs["cameras_after"].astype(float) / pairs["cameras_before"].astype(float)
    return pairs


# --------------------------------------------------------------------------- ex01 checks

@_question("ex01.q1", "status_counts", "claims by status", "C2", 2, 10,
           "Count how many claims have each status.")
def _ex01_q1(answer):
    want = expected("ex01.q1")
    got = _as_mapping(answer, "`status_counts`", "status")
    from ..figures.case import STATUS_LABELS
    by_label = {_norm_label(v): k for k, v in STATUS_LABELS.items()}
    got = {by_label.get(k, k): v for k, v in got.items() if v != 0 or k in want}
    total, n = sum(want.values()), len(want)
    if got and all(0 <= v <= 1 for v in got.values()) and math.isclose(sum(got.values()), 1, abs_tol=0.01):
        shares = {k: v / total for k, v in want.items()}
        same = set(got) == set(shares) and all(math.isclose(got[k], shares[k], abs_tol=0.005) for k in got)
        return ((1 if same else 0),
                ["These are the right shares of claims."] if same else [],
                ["Your numbers add up to 1: they are shares of the claims, not numbers of claims."],
                "The question asks how many claims have each status; count instead of normalising.")
    right_keys = [k for k in want if k in got and got[k] == want[k]]
    wrong = [k for k in want if k in got and got[k] != want[k]]
    missing = [k for k in want if k not in got]
    unknown = [k for k in got if k not in want]
    right, off = [], []
    if right_keys:
        right.append(f"{len(right_keys)} of the {n} statuses have the right count.")
    if math.isclose(sum(got.values()), total):
        right.append(f"Your counts add up to all {total} claims.")
    else:
        off.append(f"Your counts add up to {sum(got.values()):g}, but the ledger has {total} claims.")
    if wrong:
        off.append("These statuses have a different count from the data: "
                   + ", ".join(f"{k} ({'too high' if got[k] > want[k] else 'too low'})" for k in wrong) + ".")
    if missing:
        off.append(f"{len(missing)} status(es) in the data are missing from your answer.")
    if unknown:
        off.append("These labels are not statuses in the data: " + ", ".join(repr(k) for k in unknown)
                   + " (statuses are written like 'unverified_claim').")
    if len(right_keys) == n and not unknown:
        return 2, right, [], None
    score = 1 if len(right_keys) * 2 >= n else 0
    return score, right, off, ("Use the whole `claims` table (no filter) and count how often each "
                               "value of the `status` column appears; pandas has a one-word method for it.")


@_question("ex01.q2a", "sources_2023", "sources of the August 2023 count", "C1", 1, 7,
           "Find the row dated \"2023-08\" (city \"Kabul and other cities\") and split its `source_id`.")
def _ex01_q2a(answer):
    want = expected("ex01.q2a")
    got = _as_ids(answer, "`sources_2023`", "source_id")
    want_set, got_set = {w.lower() for w in want}, {g.lower() for g in got}
    known = {s.lower() for s in load("sources")["source_id"]}
    present = want_set & got_set
    extra = got_set - want_set
    right, off = [], []
    if present:
        right.append(f"{len(present)} of the {len(want)} sources that report this count are in your list.")
    missing = len(want_set - got_set)
    if missing:
        off.append(f"{missing} source(s) are missing: the `source_id` cell lists several ids, "
                   f"separated by ';'.")
    unknown = sorted(e for e in extra if e not in known)
    other = sorted(e for e in extra if e in known)
    if unknown:
        off.append("Not ids in data/sources.csv: " + ", ".join(unknown) + ".")
    if other:
        off.append("Sources of other rows, not of the August 2023 count: " + ", ".join(other)
                   + " (check your filter on city and date).")
    if got_set == want_set:
        dup = len(got) - len(got_set)
        return 1, ["Every source that reports the August 2023 count, and no other."
                   + (f" ({dup} id(s) appear twice; harmless.)" if dup else "")], [], None
    score = 0.5 if present and (not extra or want_set <= got_set) else 0
    return score, right, off, ("Select the row whose city is \"Kabul and other cities\" and whose date is \"2023-08\"; "
                               "then split its source_id text at ';' into a list.")


@_question("ex01.q2b", "growth_2025", "growth factor, before the takeover to the 2025 Kabul claim", "C1", 1, 8,
           "Fill in `growth_factor`, then run the cell that computes `growth_2025`.")
def _ex01_q2b(answer):
    want = expected("ex01.q2b")
    got = _as_number(answer, "`growth_2025`")
    before, claim = _kabul("2021"), _kabul("2025-02")
    if math.isclose(got, want, rel_tol=0.005):
        return 1, [f"The 2025 police claim for Kabul is about {_fmt_ratio(want)} times the count for "
                   f"before the takeover."], [], None
    diagnoses = [
        (1 / want, 0, "You divided the earlier count by the later one: that is the factor backwards."),
        (claim - before, 0, "That is the difference between the counts, not how many times larger one is."),
        (100 * (claim - before) / before, 0.5,
         "That is the percentage increase. It carries the same information, but the question asks "
         "for the factor (how many times as many)."),
        (claim / _kabul("2014-06"), 0,
         "You divided by the 2014 figure. That counts camera feeds on a control-room wall, and it "
         "is not the last count before the takeover."),
    ]
    diagnoses.append((float(value("camera_counts", "cameras", city=CLAIMED_NETWORK, date="2023-08"))
                      / before, 0,
                      "You divided the August 2023 claim by a Kabul count, but that claim covers Kabul "
                      "and other cities: the two numbers cover different places."))
    diagnoses.append((_kabul("2024-04") / before, 0,
                      "You used another claim as the end point; this question asks for the 2025 "
                      "police claim."))
    for candidate, score, why in diagnoses:
        if math.isclose(got, candidate, rel_tol=0.005):
            return score, [], [why], "Divide the count dated \"2025-02\" by the count dated \"2021\"."
    return 0, [], [f"Your factor, {_fmt_ratio(got)}, does not match the two counts the question names."], \
        ("Read both counts from `counts` (city Kabul, dates \"2021\" and \"2025-02\") and divide "
         "the later by the earlier.")


@_question("ex01.q3", "taliban_doubtful", "Taliban officials' unverified or disputed claims",
           "C2, C4", 2, 15, "Filter `claims` on the claimant type and the status at once.")
def _ex01_q3(answer):
    want = expected("ex01.q3")
    claims = load("claims").set_index("claim_id")
    got = _as_ids(answer, "`taliban_doubtful`", "claim_id")
    got_set, want_set = {g.lower() for g in got}, {w.lower() for w in want}
    known = {k.lower() for k in claims.index}
    present, extra = want_set & got_set, got_set - want_set
    missing = want_set - got_set
    right, off = [], []
    if present:
        right.append(f"{len(present)} of the {len(want)} claims are in your answer.")
    if missing:
        off.append(f"{len(missing)} claim(s) are missing; look again at which claimants and "
                   f"statuses the question asks for.")
    for e in sorted(extra):
        if e not in known:
            off.append(f"{e!r} is not a claim id in data/claims.csv.")
            continue
        cid = next(k for k in claims.index if k.lower() == e)
        row = claims.loc[cid]
        off.append(f"{cid} is a claim by a {row['claimant_type']} with status {row['status']}.")
    if got_set == want_set:
        return 2, ["Exactly the Taliban officials' claims that nobody has verified or that another "
                   "source contradicts."], [], None
    only_missing_disputed = not extra and all(
        claims.loc[next(k for k in claims.index if k.lower() == m), "status"] == "disputed" for m in missing)
    extras_are_taliban_statements = not missing and all(
        e in known and claims.loc[next(k for k in claims.index if k.lower() == e), "claimant_type"]
        == "taliban_official" for e in extra)
    if only_missing_disputed and present:
        off.append("You have the unverified claims; the question also asks for disputed ones.")
        score = 1
    elif extras_are_taliban_statements:
        off.append("An official statement is a statement of intent or policy; the question asks "
                   "only for claims that are unverified or disputed.")
        score = 1
    else:
        score = 1 if len(present) * 2 >= len(want) and len(extra) <= 1 else 0
    return score, right, off, ("Combine two conditions with `&`: the claimant type is a Taliban "
                               "official, and the status is one of two values (`.isin`).")


@_question("ex01.q4a", "factor_range", "range of growth factors across pairs of counts", "C3", 2, 12,
           "Make the table of pairs, then take the smallest and largest factor.")
def _ex01_q4a(answer):
    low, high = expected("ex01.q4a")
    x = answer
    if isinstance(x, dict):
        keys = {str(k).lower(): v for k, v in x.items()}
        pick = [keys.get(a, keys.get(b)) for a, b in (("low", "min"), ("high", "max"))]
        if any(p is None for p in pick):
            raise _Answer("`factor_range` is a dict; use the keys 'low' and 'high', or give a "
                          "pair (smallest, largest).")
        x = pick
    if isinstance(x, pd.DataFrame):
        if "factor" not in x.columns:
            raise _Answer("`factor_range` is a table; give two numbers, (smallest, largest).")
        x = x["factor"]
    if isinstance(x, (pd.Series, np.ndarray, list, tuple)):
        values = list(x.tolist() if hasattr(x, "tolist") else x)
    elif _is_number(x):
        raise _Answer("`factor_range` is a single number; give two, the smallest and the largest "
                      "factor, as (smallest, largest).")
    else:
        raise _Answer(f"`factor_range` should be two numbers (smallest, largest), but it is {_describe(x)}.")
    values = [_as_number(v, "Each value in `factor_range`") for v in values]
    every = sorted(_pair_factors()["factor"].tolist())
    if len(values) != 2:
        if len(values) == len(every) and all(math.isclose(a, b, rel_tol=0.005) for a, b in zip(sorted(values), every)):
            return 1, ["These are the factors for every pair."], \
                [f"You gave all {len(values)} factors; the question asks for two numbers."], \
                "Keep only the smallest and the largest (min and max)."
        raise _Answer(f"`factor_range` should hold two numbers (smallest, largest), but it holds "
                      f"{len(values)}.")
    swapped = values[0] > values[1]
    lo, hi = sorted(values)
    lo_ok, hi_ok = math.isclose(lo, low, rel_tol=0.005), math.isclose(hi, high, rel_tol=0.005)
    note = " (You gave them largest first; read as a range, that is fine.)" if swapped else ""
    if lo_ok and hi_ok:
        return 2, [f"The factor runs from about {_fmt_ratio(low)} to about {_fmt_ratio(high)}, "
                   f"depending on the pair.{note}"], [], None
    right, off = [], []
    if lo_ok:
        right.append("Your smallest factor is right.")
    else:
        off.append("Your smallest factor is not the smallest over all pairs.")
    if hi_ok:
        right.append("Your largest factor is right.")
    else:
        off.append("Your largest factor is not the largest over all pairs.")
    if not hi_ok and any(math.isclose(hi, f, rel_tol=0.005) for f in every):
        off.append("It is one of the pairs' factors, so a pair is probably missing from your "
                   "table: every count before the takeover, including the 2014 one, should meet "
                   "every count after it.")
    return (1 if lo_ok or hi_ok else 0), right, off, (
        "Pair every count before the takeover with every count after it (a cross merge), divide, "
        "then take the min and the max.")


# --------------------------------------------------------------------------- ex01 written answers

RUBRICS["ex01.q4b"] = Rubric(
    key="ex01.q4b", variable="answer_q4b", title="why the choice of pair matters", objective="C3",
    minutes=13, words=(60, 160),
    criteria=(
        "Reports the growth as a range, with the pairs of counts that give its ends.",
        "Explains that the counts measure different things (feeds on a control-room wall; "
        "state cameras; a network that includes cameras residents were ordered to install).",
        "Notes that the counts come from different claimants with different stakes, and that "
        "none has been independently verified.",
        "Recommends how to report growth honestly (for example a labelled range rather than "
        "one joined series or one number), and says which comparison is the least misleading.",
    ),
)

RUBRICS["ex01.q5"] = Rubric(
    key="ex01.q5", variable="answer_q5", title="a source-critical note on one claim",
    objective="C4, C5 (and C1, C2)", minutes=30, words=(150, 300),
    criteria=(
        "Names the claim (its id), who makes it, and what kind of statement it is.",
        "Says what the claimant stands to gain or lose if the claim is believed.",
        "States what qualifies or contradicts the claim, citing at least one source id from "
        "data/sources.csv and at least one number with whoever claims it.",
        "Says what evidence would change the claim's status, and who could produce it without "
        "putting anyone at risk (documents and audits, not counting or mapping cameras on the "
        "street).",
        "Links the claim to at least one of the book's four questions (power, threat, rights, "
        "money) and explains the link.",
    ),
    names_claim=True, names_question=True,
)

