"""The learner's notebooks in a real JupyterLab, in Debian's chromium through Playwright.

JupyterLab is started by the same command as ``make lab`` (``python -m kabulcase.lab``) on
127.0.0.1, from this run's environment, which has the book's KABULCASE_RENDERER=book set:
the lab must drop it. A chapter and an exercise are opened as a learner opens them and run
top to bottom with Run > Run All Cells.

The whole learner's session runs once, in a thread of its own (Playwright's sync API will not
run where an earlier test in the same process left an asyncio loop running), and records what
the learner saw; the tests below check those observations.
"""

from __future__ import annotations

import json
import re
import threading

import pytest
from playwright.sync_api import sync_playwright
from support import CHROMIUM_ARGS, REPO

from benchmarks.jupyterlab import LabDidNotStart, Notebook, chromium, running_lab
from kabulcase import load, value
from kabulcase.release import read_source

# Markup that would show if MyST were not rendered: glue or eval roles, colon fences,
# directive options, and any other {role}`...`.
RAW_MARKUP = re.compile(r"\{glue|\{eval\}|^:::|:label:|\{[a-z:-]+\}`|```\{", re.M)


EXERCISE = REPO / "exercises" / "ex02-power.md"
TABLE_STATUS = re.compile(r"^\d+ of \d+ rows$")


def _chapter_session(nb: Notebook) -> dict:
    page, seen = nb.page, {}
    seen["seconds"] = nb.run_all()
    seen["errors"] = nb.errors()
    seen["markdown"] = nb.markdown()
    seen["charts"] = nb.charts()
    seen["offsite"] = list(nb.offsite)

    # The text says: filter the table by "grid". In JupyterLab the table is a widget.
    status = page.locator(".widget-label", has_text=TABLE_STATUS).first
    seen["table_before"] = status.inner_text()
    page.get_by_role("textbox", name="Filter rows").first.fill("grid")
    page.wait_for_timeout(800)
    seen["table_after"] = status.inner_text()

    # The uptime explorer: a slider moved with the keyboard.
    explorer = page.locator(".widget-vbox", has=page.locator("button", has_text="Reset")).last
    readout = explorer.locator(".widget-html").last
    seen["readout_before"] = readout.inner_text()
    explorer.locator("[role=slider]").first.focus()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    page.wait_for_timeout(1500)
    seen["readout_after"] = readout.inner_text()

    # A learner's own chart, in a new cell at the end.
    page.locator(".jp-Cell").last.click()
    page.keyboard.press("Escape")
    page.keyboard.press("b")
    page.keyboard.press("Enter")
    page.keyboard.type("import plotly.express as px\npx.bar(x=['a', 'b'], y=[1, 2])")
    page.keyboard.press("Shift+Enter")
    nb.wait_idle()
    page.wait_for_timeout(1500)
    seen["own_chart_errors"] = nb.errors()
    seen["charts_with_own"] = nb.charts()
    page.screenshot(path=str(REPO / "_build" / "lab-chapter.png"))
    return seen


def _exercise_session(nb: Notebook) -> dict:
    page, seen = nb.page, {}
    seen["seconds"] = nb.run_all()
    seen["errors"] = nb.errors()
    seen["markdown"] = nb.markdown()
    seen["shown"] = page.locator(".jp-Notebook").inner_text()
    seen["outputs"] = nb.outputs_text()
    page.screenshot(path=str(REPO / "_build" / "lab-exercise.png"))

    # A wrong answer, then its check.
    cell = page.locator(".jp-CodeCell", has_text="gap_2023 = ...").first
    cell.locator(".cm-content").click()
    page.keyboard.press("Control+a")
    page.keyboard.type("gap_2023 = 1")
    page.keyboard.press("Shift+Enter")
    nb.wait_idle()
    check = page.locator(".jp-CodeCell", has_text='check("ex02.q1a", gap_2023)').first
    check.locator(".cm-content").click()
    page.keyboard.press("Shift+Enter")
    nb.wait_idle()
    page.wait_for_timeout(800)
    seen["feedback"] = check.locator(".jp-OutputArea").inner_text()
    return seen


def _learner_session(lab) -> dict:
    (REPO / "_build").mkdir(exist_ok=True)  # where the two screenshots go
    with sync_playwright() as p:
        browser = chromium(p, CHROMIUM_ARGS)
        try:
            chapter = _chapter_session(Notebook(browser, lab, "chapters/02-power.md"))
            exercise = _exercise_session(Notebook(browser, lab, "exercises/ex02-power.ipynb"))
        finally:
            browser.close()
    return {"chapter": chapter, "exercise": exercise}


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab on a fresh learner's workspace, started as `make lab` starts it."""
    try:
        with running_lab(tmp_path_factory.mktemp("lab")) as lab:
            yield lab
    except LabDidNotStart as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="module")
def seen(lab) -> dict:
    result: dict = {}

    def run():
        try:
            result["seen"] = _learner_session(lab)
        except BaseException as exc:  # re-raised in the test process's own thread
            result["error"] = exc

    worker = threading.Thread(target=run, name="learner-session")
    worker.start()
    worker.join(timeout=900)
    if "error" in result:
        raise result["error"]
    if "seen" not in result:
        pytest.fail("The learner's session in JupyterLab did not finish within 15 minutes.")
    return result["seen"]


def _pct(x: float) -> str:
    return f"{x:.0f}%"


def test_chapter_runs_without_errors(seen):
    assert seen["chapter"]["errors"] == []
    print(f"chapter 2 ran in JupyterLab in {seen['chapter']['seconds']:.1f} s")


def test_chapter_prose_is_rendered_myst(seen):
    text = "\n".join(seen["chapter"]["markdown"])
    assert "Five reasons the numbers differ" in text  # the cells really were read
    assert not RAW_MARKUP.findall(text), RAW_MARKUP.findall(text)[:10]


def test_chapter_prose_has_the_numbers_from_data(seen):
    """The paragraph that sets up the chapter, with the numbers read from data/ as the book reads them."""
    dabs = value("electricity_access", "value", series="dabs_2023", geography="Afghanistan", year=2023)
    text = " ".join(" ".join(seen["chapter"]["markdown"]).split())
    assert f"only {_pct(dabs)} of Afghans have electricity" in text
    # The World Bank's latest year in its latest download, as the chapter picks it.
    access = load("electricity_access")
    year = int(access.loc[access["series"] == "wdi_2025_vintage", "year"].max())
    wb = value("electricity_access", "value", series="wdi_2025_vintage", geography="Afghanistan", year=year)
    assert f"{wb:.1f}%" in text and str(year) in text


def test_chapter_charts_draw_and_make_no_offsite_requests(seen):
    assert seen["chapter"]["charts"] >= 6
    assert seen["chapter"]["offsite"] == []


def test_a_table_filters_in_the_notebook(seen):
    before, after = seen["chapter"]["table_before"], seen["chapter"]["table_after"]
    shown, total = map(int, re.findall(r"\d+", after)[:2])
    assert after != before and 0 < shown < total


def test_moving_a_slider_with_the_keyboard_changes_the_readout(seen):
    assert seen["chapter"]["readout_after"] != seen["chapter"]["readout_before"]


def test_a_learners_own_chart_draws(seen):
    """px.bar in a notebook that imports kabulcase: the book's alt-text rule must not apply."""
    assert seen["chapter"]["own_chart_errors"] == []
    assert seen["chapter"]["charts_with_own"] > seen["chapter"]["charts"]


def _solution_lines() -> set[str]:
    """Lines that only the solutions hold (not in the stubs or the exercise text)."""
    nb = read_source(EXERCISE)
    given = set()
    for cell in nb.cells:
        if "solution" not in cell.metadata.get("tags", []):
            given |= {ln.strip() for ln in cell.source.splitlines()}
        given |= {ln.strip() for ln in str(cell.metadata.get("stub", "")).splitlines()}
    lines = set()
    for cell in nb.cells:
        if "solution" in cell.metadata.get("tags", []):
            lines |= {ln.strip() for ln in cell.source.splitlines()
                      if len(ln.strip()) > 25 and ln.strip() not in given and not ln.strip().startswith(("```", ":"))}
    return lines


def test_exercise_runs_and_shows_no_solution_and_no_grader_output(seen):
    ex = seen["exercise"]
    assert ex["errors"] == []
    assert [ln for ln in _solution_lines() if ln in ex["shown"]] == []
    assert "CheckResult(" not in ex["shown"] and "hidden" not in ex["outputs"].lower()
    print(f"exercise set 2 ran in JupyterLab in {ex['seconds']:.1f} s")


def test_exercise_statements_render(seen):
    text = "\n".join(seen["exercise"]["markdown"])
    assert "The gap between two definitions" in text  # the exercise's title is shown
    assert not RAW_MARKUP.findall(text), RAW_MARKUP.findall(text)[:10]


def test_a_wrong_answer_gets_its_feedback(seen):
    from kabulcase.checks import check as check_here

    feedback = seen["exercise"]["feedback"]
    expected = str(check_here("ex02.q1a", 1)).splitlines()[0]
    assert expected.strip() and expected.strip()[:40] in feedback
    assert "not answered yet" not in feedback.lower()


def test_workspace_holds_student_copies_only(lab):
    for path in (lab["workspace"] / "exercises").glob("*.ipynb"):
        nb = json.loads(path.read_text())
        tags = {t for c in nb["cells"] for t in c.get("metadata", {}).get("tags", [])}
        assert not tags & {"solution", "hidden-check"}, path.name
        assert nb["metadata"]["kabulcase"]["copy"] == "student"
