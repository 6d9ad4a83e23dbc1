"""The generated data appendix says what data/ says."""

import csv
from pathlib import Path

from kabulcase.appendix import readme_sections, render_appendix

DATA = Path(__file__).resolve().parent.parent / "data"


def test_appendix_covers_every_dataset_and_source():
    text = render_appendix()
    with open(DATA / "sources.csv", newline="", encoding="utf-8") as fh:
        sources = list(csv.DictReader(fh))
    for src in sources:
        assert f"`{src['source_id']}`" in text
        assert src["url"] in text
    for path in DATA.glob("*.csv"):
        if path.stem != "sources":
            assert f"<../../data/{path.name}>" in text, path.name


def test_every_dataset_has_a_readme_section_with_a_harm_card():
    sections = readme_sections((DATA / "README.md").read_text(encoding="utf-8"))
    for path in DATA.glob("*.csv"):
        if path.stem == "sources":
            continue
        assert path.stem in sections, f"data/README.md has no section for {path.stem}"
        for label in ("What it measures", "Definitions", "How it was compiled",
                      "Gaps and disagreements", "Harm card"):
            assert f"**{label}" in sections[path.stem], f"{path.stem}: no '{label}'"


def test_readme_sections_are_split_at_headings():
    text = "### `a`\nA body\n### `b`\nB body\n## Other\nnot b\n"
    assert readme_sections(text) == {"a": "A body", "b": "B body"}
