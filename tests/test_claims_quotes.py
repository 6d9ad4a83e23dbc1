"""The claims ledger quotes the report verbatim, and only verbatim (issue 13)."""

import csv
import re
from pathlib import Path

import pytest

from kabulcase import load
from kabulcase.quotes import misquotes, quoted_phrases

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"

# Paraphrases that earlier versions printed as if they were the report's words.
PARAPHRASES = ["informal first", "informal talk", "nothing was discussed"]


def csv_rows(name):
    with open(DATA / f"{name}.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_every_quoted_phrase_in_the_claims_is_a_verbatim_report_phrase():
    phrases = {r["phrase"] for r in csv_rows("report_quotes")}
    quoted = [(r["claim_id"], m) for r in csv_rows("claims")
              for col in ("claim", "qualification")
              for m in re.findall(r'"([^"]+)"', r[col])]
    assert len(quoted) >= 8  # the ledger does quote the report
    assert [q for q in quoted if q[1] not in phrases] == []


def test_the_spokesmans_and_huaweis_words_are_quoted_as_said():
    by_id = {r["claim_id"]: r for r in csv_rows("claims")}
    assert '"simple chat"' in by_id["c04"]["claim"]
    assert '"no plan was discussed"' in by_id["c04"]["qualification"]


def test_the_loaded_ledger_has_no_misquotes():
    assert misquotes() == []


@pytest.mark.parametrize("wrong", ['an "informal first talk"', '"nothing was discussed"',
                                   "\u201cinformal talk\u201d"])
def test_a_paraphrase_dressed_as_a_quote_is_rejected(wrong):
    claims = load("claims")
    claims.loc[claims["claim_id"] == "c04", "claim"] = f"Officials had only {wrong} with Huawei."
    problems = misquotes(claims)
    assert len(problems) == 1 and "c04 claim" in problems[0] and "not a verbatim" in problems[0]


def test_a_quote_from_a_source_the_claim_does_not_cite_is_rejected():
    claims = load("claims")
    row = claims["claim_id"] == "c04"
    claims.loc[row, "source_id"] = "reuters-2023-09-25"  # drops Bloomberg, which the phrase is from
    problems = misquotes(claims)
    assert any("no plans or agreements were discussed" in p and "none of which" in p for p in problems)


def test_known_paraphrases_appear_nowhere_in_the_data_or_the_first_four_chapters():
    texts = {f"data/{n}.csv": (DATA / f"{n}.csv").read_text(encoding="utf-8")
             for n in ("claims", "case_timeline")}
    texts.update({str(p.relative_to(REPO)): p.read_text(encoding="utf-8")
                  for p in sorted((REPO / "chapters").glob("0[1-4]-*.md"))})
    found = [(name, p) for name, text in texts.items() for p in PARAPHRASES if p in text.lower()]
    assert found == []


def test_quotes_are_short_fragments_not_long_text():
    for r in csv_rows("report_quotes"):
        assert len(r["phrase"].split()) <= 8, r["phrase"]


def test_quoted_phrases_reads_straight_and_curly_quotes():
    assert quoted_phrases('a "simple chat" and \u201cpractical cooperation\u201d') == \
        ["simple chat", "practical cooperation"]
    assert quoted_phrases(None) == [] and quoted_phrases(float("nan")) == []


def test_misquotes_explains_a_table_without_the_columns():
    with pytest.raises(ValueError, match="no column qualification"):
        misquotes(load("claims").drop(columns=["qualification"]))
