"""The printable book: built with pdflatex and Debian's TeX from a clean state, offline,
with every chapter and a vector figure for every chart."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time

import pytest

from support import REPO, VENV_BIN, offline, toc_files

PDF_BUILD = REPO / "_build" / "test-pdf"


@pytest.fixture(scope="module")
def pdf_build():
    shutil.rmtree(PDF_BUILD, ignore_errors=True)
    env = dict(os.environ, KABULCASE_RENDERER="book", KABULCASE_STATIC="1", KABULCASE_HIDE_SOLUTIONS="1",
               PATH=f"{VENV_BIN}:{os.environ['PATH']}")
    cmd = [str(VENV_BIN / "jupyter-book"), "build", str(REPO), "--config", "book/_config.yml",
           "--toc", "book/_toc.yml", "--path-output", str(PDF_BUILD), "--builder", "pdflatex"]
    start = time.perf_counter()
    # pdflatex echoes 8-bit font bytes (not UTF-8) to the log; decode them leniently.
    proc = subprocess.run(offline(cmd), cwd=REPO, env=env, capture_output=True, text=True, errors="replace",
                          timeout=1200)
    seconds = time.perf_counter() - start
    (REPO / "_build" / "test-pdf.log").write_text(proc.stdout + proc.stderr)
    latex = PDF_BUILD / "_build" / "latex"
    print(f"\n[pdf] offline PDF build: {seconds:.1f} s, exit code {proc.returncode}")
    return {"returncode": proc.returncode, "latex": latex, "pdf": latex / "book.pdf",
            "log": proc.stdout + proc.stderr}


def chapter_titles() -> list[str]:
    titles = []
    for doc in toc_files():
        if doc.startswith("chapters/"):
            text = (REPO / f"{doc}.md").read_text(encoding="utf-8")
            titles.append(re.search(r"^# (.+)$", text, re.M).group(1).strip())
    return titles


def test_pdf_builds(pdf_build):
    assert pdf_build["returncode"] == 0, pdf_build["log"][-3000:]
    assert pdf_build["pdf"].stat().st_size > 100_000


def test_pdf_has_every_chapter(pdf_build):
    from pypdf import PdfReader

    reader = PdfReader(pdf_build["pdf"])
    print(f"\n[pdf] {len(reader.pages)} pages")
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    text = text.replace("’", "'")
    for title in chapter_titles():
        assert title.replace("’", "'") in text, f"chapter missing from the PDF: {title}"


def test_pdf_has_a_vector_figure_for_every_chart(pdf_build):
    executed = PDF_BUILD / "_build" / "jupyter_execute"
    charts = 0
    not_printed = {"remove-cell", "remove-output", "solution"}  # solutions: hidden in print
    for nb in executed.rglob("*.ipynb"):
        for cell in json.loads(nb.read_text())["cells"]:
            if not_printed & set(cell.get("metadata", {}).get("tags", [])):
                continue
            for out in cell.get("outputs", []):
                if "application/vnd.plotly.v1+json" in out.get("data", {}):
                    charts += 1
                    assert "application/pdf" in out["data"], f"{nb.name}: a chart has no PDF image"
    tex = (pdf_build["latex"] / "book.tex").read_text(encoding="utf-8")
    included = re.findall(r"\\sphinxincludegraphics(?:\[[^\]]*\])?\{\{?([^}]+?)\}?\.pdf\}", tex)
    print(f"\n[pdf] {charts} charts, {len(included)} PDF figures in book.tex")
    assert charts >= 1
    assert len(included) == charts


def solution_lines() -> list[str]:
    """Code lines that only the exercises' solution cells hold (from the sources).

    Lines a learner is given anyway (in any other cell of the exercises, in the starter
    stub a solution cell becomes, signatures and docstrings) do not count.
    """
    import jupytext

    quotes = ('"' * 3, "'" * 3)
    sources = [jupytext.read(path).cells for path in sorted((REPO / "exercises").glob("*.md"))]
    chapters = [jupytext.read(path).cells for path in sorted((REPO / "chapters").glob("*.md"))]
    # Lines given to learners anywhere in the book (the chapters too) are not solution text.
    given = [line.strip() for cells in sources + chapters for c in cells
             if "solution" not in c.metadata.get("tags", []) for line in c.source.splitlines()]
    given += [line.strip() for cells in sources for c in cells
              for line in c.metadata.get("stub", "").splitlines()]
    # So are the models the chapters teach, whose worked examples (chapter 7's assessment) a
    # model answer may reuse line for line; the checks, which hold the answers, are not.
    given += [line.strip() for path in sorted((REPO / "kabulcase" / "models").glob("*.py"))
              for line in path.read_text(encoding="utf-8").splitlines()]
    lines = []
    for cells in sources:
        for cell in cells:
            if "solution" not in cell.metadata.get("tags", []) or cell.cell_type != "code":
                continue
            for line in cell.source.splitlines():
                line = line.strip()
                if (len(line) > 25 and not line.startswith(("#", "def ") + quotes)
                        and not line.endswith(quotes) and not any(line in g for g in given)):
                    lines.append(line)
    return lines


def test_pdf_has_no_solutions(pdf_build):
    from pypdf import PdfReader

    lines = solution_lines()
    assert lines, "the exercises have no solution cells to look for"
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(pdf_build["pdf"]).pages)
    squeezed = text.replace(" ", "")
    leaked = [l for l in lines if l.replace(" ", "") in squeezed]
    assert not leaked, f"solution code printed in the PDF: {leaked[:3]}"
