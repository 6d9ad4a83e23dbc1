"""The real book build: warnings are errors, no network, every page present, no CDN."""

import re

import pytest

from support import toc_files

REMOTE_ASSET = re.compile(r"<(script|link|img|iframe|source)\b[^>]*\b(src|href)=\"(https?:)?//", re.I)


@pytest.mark.build
def test_book_builds_offline_with_warnings_as_errors(built_book):
    log = built_book["log"]
    assert built_book["returncode"] == 0, log[-4000:]
    assert "build succeeded" in log
    assert not re.search(r"\bWARNING:", log.replace("[IPKernelApp] WARNING", "")), \
        "the build logged warnings:\n" + "\n".join(l for l in log.splitlines() if "WARNING:" in l)


@pytest.mark.build
def test_every_toc_page_is_in_the_html(built_book):
    missing = [doc for doc in toc_files() if not (built_book["html"] / f"{doc}.html").exists()]
    assert not missing
    assert (built_book["html"] / "index.html").exists()


@pytest.mark.build
def test_no_page_loads_anything_from_another_site(built_book):
    for page in built_book["html"].rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        remote = [m.group(0)[:120] for m in REMOTE_ASSET.finditer(text)]
        assert not remote, f"{page.name} loads remote assets: {remote}"
        assert "cdn.jsdelivr" not in text and "cdnjs" not in text and "unpkg.com" not in text, page


@pytest.mark.build
def test_plotly_js_is_served_by_the_site_once(built_book):
    static = built_book["html"] / "_static"
    assert (static / "plotly.min.js").stat().st_size > 1_000_000
    assert len(list(built_book["html"].rglob("plotly*.js"))) == 1


@pytest.mark.build
def test_no_page_embeds_widget_state(built_book):
    # The book loads no widget JavaScript, so executed widgets' state would be dead weight.
    heavy = [p.name for p in built_book["html"].rglob("*.html")
             if "application/vnd.jupyter.widget-state+json" in p.read_text(encoding="utf-8")]
    assert not heavy


@pytest.mark.build
def test_data_appendix_lists_every_dataset(built_book, repo):
    import json

    text = "".join(p.read_text() for p in (built_book["html"] / "book" / "_generated").glob("data-*.html"))
    package = json.loads((repo / "data" / "datapackage.json").read_text())
    for res in package["resources"]:
        if res["name"] != "sources":
            assert res["path"] in text, res["name"]
    assert "Harm card" in text


@pytest.mark.build
def test_chapters_download_as_notebooks(built_book):
    for doc in toc_files():
        if doc.startswith("chapters/"):
            html = (built_book["html"] / f"{doc}.html").read_text()
            assert f"{doc.split('/')[-1]}.ipynb" in html, f"{doc} offers no .ipynb download"
            assert (built_book["html"] / "_sources" / f"{doc}.ipynb").exists()


@pytest.mark.build
def test_exercise_pages_fold_solutions_and_download_student_copies(built_book, repo):
    import jupytext

    quotes = ('"' * 3, "'" * 3)
    for source in sorted((repo / "exercises").glob("*.md")):
        doc = f"exercises/{source.stem}"
        if doc not in toc_files():
            continue
        cells = jupytext.read(source).cells
        solutions = [c for c in cells
                     if "solution" in c.metadata.get("tags", []) and c.cell_type == "code"]
        # A solution cell that only computes a model answer's numbers is not shown at all.
        shown = [c for c in solutions if "remove-cell" not in c.metadata.get("tags", [])
                 and not {"remove-input", "remove-output"} <= set(c.metadata.get("tags", []))]
        html = (built_book["html"] / f"{doc}.html").read_text(encoding="utf-8")
        # In the web book every visible solution cell is there, folded behind a toggle.
        folded = re.findall(r'<div class="cell[^"]*tag_solution[^"]*"', html)
        assert len(folded) == len(shown) > 0, doc
        assert all("tag_hide-cell" in c for c in folded), doc
        # The notebook a learner downloads is the student copy. Lines a learner is given
        # anyway (a function's signature or docstring, the starter stub a solution cell
        # becomes, lines that also stand in other cells) are not solution text.
        given = {line.strip() for c in cells if "solution" not in c.metadata.get("tags", [])
                 for line in c.source.splitlines()}
        given |= {line.strip() for c in solutions for line in c.metadata.get("stub", "").splitlines()}
        secret = [line.strip() for c in solutions for line in c.source.splitlines()
                  if len(line.strip()) > 25 and line.strip() not in given
                  and not line.strip().startswith(("#", "def ") + quotes)
                  and not line.strip().endswith(quotes)]
        assert secret, doc
        for suffix in (".ipynb", ".md"):
            download = jupytext.read(built_book["html"] / "_sources" / f"{doc}{suffix}")
            lines = {line.strip() for c in download.cells for line in c.source.splitlines()}
            leaked = [line for line in secret if line in lines]
            assert not leaked, f"{doc}{suffix} leaks solution lines: {leaked[:3]}"


def test_english_pages_link_to_their_translations_and_only_those(built_book):
    """Each page with a Dari or Pashto twin links to it; the others link to none."""
    from kabulcase import translation

    html = built_book["html"]
    linked = 0
    for lang in translation.languages():
        twins = set(translation.translated_pages(lang))
        for page in toc_files():
            text = (html / f"{page}.html").read_text(encoding="utf-8")
            depth = page.count("/")
            link = f'href="{"../" * depth}{lang}/{page}.html" hreflang="{lang}"'
            assert (link in text) == (page in twins), (lang, page)
            linked += page in twins
    assert linked >= 6
