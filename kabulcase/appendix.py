"""Write the book's "Data and sources" appendix from the Data Package and data/README.md.

The appendix is regenerated on every build (see book/_ext/kabul_book.py), so it always
says what the data says: each dataset's description, its fields, its README sections
(definitions, compilation, gaps, harm card), the sources its rows cite, and a download
link for the CSV.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pandas as pd

from .data import DATA_DIR, SOURCES, load, package, sources_for

README_PARTS = ("What it measures", "Definitions", "How it was compiled",
                "Gaps and disagreements", "Harm card")
TOPIC_TITLES = {
    "case": "The case",
    "electrification": "Electrification",
    "iskp": "IS-Khorasan",
    "rights": "Detentions and rights",
    "cameras_costs": "Cameras and costs",
    "evidence": "Evidence",
}
# The appendix lives in book/_generated/; this is data/ as seen from there.
RELATIVE_DATA = "../../data"
GENERATED_NOTE = "<!-- Generated from data/ by kabulcase.appendix on every build; edit data/ instead. -->"


def readme_sections(readme_text: str) -> dict[str, str]:
    """Map each dataset name to its section of data/README.md (``### `name` `` headings)."""
    sections: dict[str, str] = {}
    pattern = re.compile(r"^###\s+`([a-z0-9_]+)`\s*$", re.M)
    matches = list(pattern.finditer(readme_text))
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(readme_text)
        body = readme_text[m.end():end]
        # A section ends at the next heading of level 1-3.
        body = re.split(r"^#{1,3}\s", body, maxsplit=1, flags=re.M)[0]
        sections[m.group(1)] = body.strip()
    return sections


def _md_cell(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _dataset_section(res: dict, readme: dict[str, str], data_dir: Path) -> str:
    name = res["name"]
    frame = load(name, data_dir=data_dir)
    lines = [f"## {res.get('title', name)}", ""]
    lines.append(f"File: {{download}}`{res['path']} <{RELATIVE_DATA}/{res['path']}>` "
                 f"({len(frame)} rows). {res.get('description', '')}")
    lines.append("")
    if "confidence" in frame.columns:
        counts = Counter(frame["confidence"].dropna())
        lines.append("Confidence of the rows: " + ", ".join(
            f"{level} {counts.get(level, 0)}" for level in ("high", "medium", "low")) + ".")
        lines.append("")
    body = readme.get(name)
    if body:
        # README sub-headings would break the page outline; its bold labels are kept.
        lines.append(re.sub(r"^#{4,6}\s*", "", body, flags=re.M))
        lines.append("")
    else:
        lines.append("*No README section for this dataset yet.*")
        lines.append("")
    lines += [":::{dropdown} Fields", "", "| field | type | unit | description |",
              "| --- | --- | --- | --- |"]
    for f in res.get("schema", {}).get("fields", []):
        lines.append(f"| `{f['name']}` | {f.get('type', 'string')} | {_md_cell(f.get('unit', ''))} "
                     f"| {_md_cell(f.get('description', ''))} |")
    lines += [":::", ""]
    if "source_id" in frame.columns:
        lines += [f":::{{dropdown}} Sources cited ({len(sources_for(frame, data_dir=data_dir))})", ""]
        for src in sources_for(frame, data_dir=data_dir).itertuples():
            published = "n.d." if pd.isna(src.date_published) else src.date_published
            lines.append(f"- `{src.source_id}`: {_md_cell(src.publisher)}, "
                         f"[{_md_cell(src.title)}]({src.url}) ({published}). "
                         f"{_md_cell(src.reliability)}")
        lines += ["", ":::", ""]
    return "\n".join(lines)


def _intro(pkg: dict, resources: list[dict], total_rows: int, n_sources: int) -> list[str]:
    return [
        f"Every number in this book comes from one of the {len(resources)} datasets in "
        f"`data/` ({total_rows} rows in all), each row naming its source among the "
        f"{n_sources} sources listed below. The data is a Frictionless Data "
        f"Package ({{download}}`datapackage.json <{RELATIVE_DATA}/datapackage.json>`), "
        f"licensed {', '.join(l.get('name', '') for l in pkg.get('licenses', []))}; the "
        "underlying sources keep their own terms.",
        "",
        "Each row carries a confidence level: **high** when the figure appears verbatim "
        "from the primary publisher or a reputable outlet quoting it; **medium** when it "
        "appears only in a secondary, syndicated or mirrored copy, or its date or "
        "definition is partly unclear; **low** when it comes from an aggregator, a "
        "machine translation or an unverified claim. Contested figures are kept as "
        "separate rows with their definitions and are never averaged.",
        "",
    ]


def render_pages(data_dir: Path | str = DATA_DIR) -> dict[str, str]:
    """The appendix as MyST pages: ``{"data-appendix": …, "data-<topic>": …}``.

    One page per topic keeps each page small; the first page introduces the data and
    lists every source.
    """
    data_dir = Path(data_dir)
    pkg = package(data_dir)
    readme_path = data_dir / "README.md"
    readme = readme_sections(readme_path.read_text(encoding="utf-8")) if readme_path.exists() else {}
    sources = load(SOURCES, data_dir=data_dir)
    resources = [r for r in pkg["resources"] if r["name"] != SOURCES]
    unknown = sorted({r.get("topic") for r in resources} - set(TOPIC_TITLES))
    if unknown:
        raise ValueError(f"datapackage.json uses topic(s) {unknown} that the appendix does not "
                         f"know; add them to kabulcase.appendix.TOPIC_TITLES and book/_toc.yml.")
    total_rows = sum(len(load(r["name"], data_dir=data_dir)) for r in resources)
    pages: dict[str, str] = {}
    index = ["# Data and sources", "", GENERATED_NOTE, ""]
    index += _intro(pkg, resources, total_rows, len(sources))
    index += ["## Datasets by topic", ""]
    for topic, title in TOPIC_TITLES.items():
        items = [r for r in resources if r.get("topic") == topic]
        index.append(f"- {{doc}}`{title} <data-{topic}>`: " + ", ".join(
            f"`{r['path']}`" for r in items))
        body = [f"# Data: {title}", "", GENERATED_NOTE, ""]
        body += [_dataset_section(r, readme, data_dir) for r in items]
        pages[f"data-{topic}"] = "\n".join(body) + "\n"
    # Readers should see at a glance which rows reach the publisher's own document and
    # which only a copy of it (data/README.md defines the access values).
    index += ["", "## All sources", "",
              "| id | publisher | title | published | access | reliability |",
              "| --- | --- | --- | --- | --- | --- |"]
    for src in sources.itertuples():
        published = "n.d." if pd.isna(src.date_published) else src.date_published
        access = str(src.access).replace("_", " ")
        if not pd.isna(src.read_via):
            access += f" ([figures read in a copy]({src.read_via}))"
        index.append(f"| `{src.source_id}` | {_md_cell(src.publisher)} | "
                     f"[{_md_cell(src.title)}]({src.url}) | {published} | {access} | "
                     f"{_md_cell(src.reliability)} |")
    pages["data-appendix"] = "\n".join(index) + "\n"
    return pages


def render_appendix(data_dir: Path | str = DATA_DIR) -> str:
    """All appendix pages as one text (for tests and for reading in a terminal)."""
    return "\n".join(render_pages(data_dir).values())
