"""The learner's notebooks in a real JupyterLab, in Debian's chromium through Playwright.

JupyterLab is started by the same command as ``make lab`` (``python -m kabulcase.lab``) on
127.0.0.1, from this run's environment, which has the book's KABULCASE_RENDERER=book set:
the lab must drop it. A chapter and an exercise are opened as a learner opens them and run
top to bottom with Run > Run All Cells.
"""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import sync_playwright
from support import CHROMIUM_ARGS, REPO

from benchmarks.jupyterlab import LabDidNotStart, Notebook, chromium, running_lab
from kabulcase import load, value
from kabulcase.release import read_source

# Markup that would show if MyST were not rendered: glue or eval roles, colon fences,
# directive options, and any other {role}`...`.
RAW_MARKUP = re.compile(r"\{glue|\{eval\}|^:::|:label:|\{[a-z:-]+\}`|```\{", re.M)


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab on a fresh learner's workspace, started as `make lab` starts it."""
    try:
        with running_lab(tmp_path_factory.mktemp("lab")) as lab:
            yield lab
    except LabDidNotStart as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = chromium(p, CHROMIUM_ARGS)
        yield b
        b.close()


def _pct(x: float) -> str:
    return f"{x:.0f}%"


@pytest.fixture(scope="module")
def chapter(browser, lab):
    nb = Notebook(browser, lab, "chapters/02-power.md")
    nb.seconds = nb.run_all()
    yield nb
    nb.page.close()


def test_chapter_runs_without_errors(chapter):
    assert chapter.errors() == []
    print(f"chapter 2 ran in JupyterLab in {chapter.seconds:.1f} s")


def test_chapter_prose_is_rendered_myst(chapter):
    text = "\n".join(chapter.markdown())
    assert "Five reasons the numbers differ" in text  # the cells really were read
    assert not RAW_MARKUP.findall(text), RAW_MARKUP.findall(text)[:10]


def test_chapter_prose_has_the_numbers_from_data(chapter):
    """The paragraph that sets up the chapter, with the numbers read from data/ as the book reads them."""
    dabs = value("electricity_access", "value", series="dabs_2023", geography="Afghanistan", year=2023)
    text = " ".join(" ".join(chapter.markdown()).split())
    assert f"only {_pct(dabs)} of Afghans have electricity" in text
    # The World Bank's latest year in its latest download, as the chapter picks it.
    access = load("electricity_access")
    year = int(access.loc[access["series"] == "wdi_2025_vintage", "year"].max())
    wb = value("electricity_access", "value", series="wdi_2025_vintage", geography="Afghanistan", year=year)
    assert f"{wb:.1f}% for {year}" in text


def test_chapter_charts_draw_and_make_no_offsite_requests(chapter):
    assert chapter.charts() >= 6
    assert chapter.offsite == []


def test_a_table_filters_in_the_notebook(chapter):
    """The text says: filter the table by "grid". In JupyterLab the table is a widget."""
    box = chapter.page.get_by_role("textbox", name="Filter rows").first
    status = chapter.page.locator(".widget-label", has_text=re.compile(r"^\d+ of \d+ rows$")).first
    before = status.inner_text()
    box.fill("grid")
    chapter.page.wait_for_timeout(800)
    after = status.inner_text()
    shown, total = map(int, re.findall(r"\d+", after)[:2])
    assert after != before and 0 < shown < total


def test_moving_a_slider_with_the_keyboard_changes_the_readout(chapter):
    page = chapter.page
    explorer = page.locator(".widget-vbox", has=page.locator("button", has_text="Reset")).last
    readout = explorer.locator(".widget-html").last
    before = readout.inner_text()
    handle = explorer.locator("[role=slider]").first
    handle.focus()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    page.wait_for_timeout(1500)
    assert readout.inner_text() != before


def test_a_learners_own_chart_draws(chapter):
    """px.bar in a notebook that imports kabulcase: the book's alt-text rule must not apply."""
    page = chapter.page
    before = chapter.charts()
    page.locator(".jp-Cell").last.click()
    page.keyboard.press("Escape")
    page.keyboard.press("b")  # a new cell below, as a learner adds one
    page.keyboard.press("Enter")
    page.keyboard.type("import plotly.express as px\npx.bar(x=['a', 'b'], y=[1, 2])")
    page.keyboard.press("Shift+Enter")
    chapter.wait_idle()
    page.wait_for_timeout(1500)
    assert chapter.errors() == []
    assert chapter.charts() > before


# ------------------------------------------------------------------------------ exercise

EXERCISE = REPO / "exercises" / "ex02-power.md"


def _solution_lines() -> set[str]:
    """Lines that only the solutions hold (not in the stubs or the exercise text)."""
    nb = read_source(EXERCISE)
    given = set()
    for cell in nb.cells:
        tags = cell.metadata.get("tags", [])
        if "solution" not in tags:
            given |= {ln.strip() for ln in cell.source.splitlines()}
        given |= {ln.strip() for ln in str(cell.metadata.get("stub", "")).splitlines()}
    lines = set()
    for cell in nb.cells:
        if "solution" in cell.metadata.get("tags", []):
            lines |= {ln.strip() for ln in cell.source.splitlines()
                      if len(ln.strip()) > 25 and ln.strip() not in given and not ln.strip().startswith(("```", ":"))}
    return lines


@pytest.fixture(scope="module")
def exercise(browser, lab):
    nb = Notebook(browser, lab, "exercises/ex02-power.ipynb")
    nb.seconds = nb.run_all()
    yield nb
    nb.page.close()


def test_exercise_runs_and_shows_no_solution_and_no_grader_output(exercise):
    assert exercise.errors() == []
    shown = exercise.page.locator(".jp-Notebook").inner_text()
    leaked = [ln for ln in _solution_lines() if ln in shown]
    assert leaked == []
    assert "CheckResult(" not in shown and "hidden" not in exercise.outputs_text().lower()
    print(f"exercise set 2 ran in JupyterLab in {exercise.seconds:.1f} s")


def test_exercise_statements_render(exercise):
    text = "\n".join(exercise.markdown())
    assert "The gap between two definitions" in text  # the exercise's title is shown
    assert not RAW_MARKUP.findall(text), RAW_MARKUP.findall(text)[:10]


def test_a_wrong_answer_gets_its_feedback(exercise):
    page = exercise.page
    cell = page.locator(".jp-CodeCell", has_text="gap_2023 = ...").first
    cell.locator(".cm-content").click()
    page.keyboard.press("Control+a")
    page.keyboard.type("gap_2023 = 1")
    page.keyboard.press("Shift+Enter")  # runs it and moves to the check cell under it
    exercise.wait_idle()
    check = page.locator(".jp-CodeCell", has_text='check("ex02.q1a", gap_2023)').first
    check.locator(".cm-content").click()
    page.keyboard.press("Shift+Enter")
    exercise.wait_idle()
    page.wait_for_timeout(800)
    feedback = check.locator(".jp-OutputArea").inner_text()
    from kabulcase.checks import check as check_here

    expected = str(check_here("ex02.q1a", 1)).splitlines()[0]
    assert expected.strip() and expected.strip()[:40] in feedback
    assert "not answered yet" not in feedback.lower()


def test_workspace_holds_student_copies_only(lab):
    for path in (lab["workspace"] / "exercises").glob("*.ipynb"):
        nb = json.loads(path.read_text())
        tags = {t for c in nb["cells"] for t in c.get("metadata", {}).get("tags", [])}
        assert not tags & {"solution", "hidden-check"}, path.name
        assert nb["metadata"]["kabulcase"]["copy"] == "student"
