"""Words printed in quotation marks must be the source's own words.

The claims ledger paraphrases the Reuters report, but where it puts words in double
quotation marks they must be verbatim: a paraphrase dressed as a quote ("informal first
talk" for the spokesman's "simple chat") misleads the reader about who said what. The
verbatim phrases live in ``data/report_quotes.csv`` with the sources they were read in.
"""

from __future__ import annotations

import re

import pandas as pd

from .data import load

QUOTED = re.compile(r'"([^"]+)"|\u201c([^\u201d]+)\u201d')
"""Text between straight double quotes or between curly double quotes."""
CHECKED_COLUMNS = ("claim", "qualification")


def quoted_phrases(text: object) -> list[str]:
    """Every phrase inside double quotation marks in ``text`` (empty for missing text)."""
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return []
    return [a or b for a, b in QUOTED.findall(str(text))]


def misquotes(claims: pd.DataFrame | None = None,
              quotes: pd.DataFrame | None = None) -> list[str]:
    """One line per quoted phrase in the claims ledger that is not a verbatim phrase of
    ``report_quotes``, or whose sources the claim does not cite (empty when all is well)."""
    claims = load("claims") if claims is None else claims
    quotes = load("report_quotes") if quotes is None else quotes
    for frame, cols, what in ((claims, ["claim_id", "source_id", *CHECKED_COLUMNS], "claims"),
                              (quotes, ["phrase", "source_id"], "report_quotes")):
        missing = [c for c in cols if c not in frame.columns]
        if missing:
            raise ValueError(f"misquotes: the {what} table has no column {', '.join(missing)}; "
                             f"pass the tables as loaded from data/{what}.csv.")
    sources = {str(p): set(str(s).split(";")) for p, s in zip(quotes["phrase"], quotes["source_id"])}
    problems = []
    for row in claims.itertuples():
        cited = set(str(row.source_id).split(";"))
        for col in CHECKED_COLUMNS:
            for phrase in quoted_phrases(getattr(row, col)):
                if phrase not in sources:
                    problems.append(f"{row.claim_id} {col}: \"{phrase}\" is not a verbatim phrase in "
                                    f"data/report_quotes.csv; quote the source's exact words or "
                                    f"drop the quotation marks.")
                elif not sources[phrase] & cited:
                    problems.append(f"{row.claim_id} {col}: \"{phrase}\" was read in "
                                    f"{', '.join(sorted(sources[phrase]))}, none of which the claim "
                                    f"cites in its source_id.")
    return problems


__all__ = ["QUOTED", "misquotes", "quoted_phrases"]
