"""The printable book: built with pdflatex and Debian's TeX from a clean state, offline,
with every chapter and a vector figure for every chart."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from conftest import REPO, VENV_BIN, offline, toc_files

PDF_BUILD = REPO / "_build" / "test-pdf"


@pytest.fixture(scope="module")
def pdf_build():
    shutil.rmtree(PDF_BUILD, ignore_errors=True)
    env = dict(os.environ, KABULCASE_RENDERER="book", KABULCASE_STATIC="1",
               PATH=f"{VENV_BIN}:{os.environ['PATH']}")
    cmd = [str(VENV_BIN / "jupyter-book"), "build", str(REPO), "--config", "book/_config.yml",
           "--toc", "book/_toc.yml", "--path-output", str(PDF_BUILD), "--builder", "pdflatex"]
    start = time.perf_counter()
    proc = subprocess.run(offline(cmd), cwd=REPO, env=env, capture_output=True, text=True,
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
    for nb in executed.rglob("*.ipynb"):
        for cell in json.loads(nb.read_text())["cells"]:
            for out in cell.get("outputs", []):
                if "application/vnd.plotly.v1+json" in out.get("data", {}):
                    charts += 1
                    assert "application/pdf" in out["data"], f"{nb.name}: a chart has no PDF image"
    tex = (pdf_build["latex"] / "book.tex").read_text(encoding="utf-8")
    included = re.findall(r"\\sphinxincludegraphics(?:\[[^\]]*\])?\{\{?([^}]+?)\}?\.pdf\}", tex)
    print(f"\n[pdf] {charts} charts, {len(included)} PDF figures in book.tex")
    assert charts >= 1
    assert len(included) == charts
