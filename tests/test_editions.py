"""The Dari and Pashto editions (book/locales, kabulcase.editions, book/_ext/kabul_editions.py).

The catalog tests read the .po files. The build tests make the Dari edition, the same pages
in English (its twins), the Pashto edition, and a scratch Pashto edition with one
translation taken out, each offline (``unshare -n``), and open the Dari pages in chromium.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from support import REPO, VENV_BIN, offline

from kabulcase import translation

LOCALES = REPO / "book" / "locales"
OUT = REPO / "_build" / "test-editions"
ARABIC_LETTER = translation.ARABIC_SCRIPT
LATIN_LETTER = re.compile(r"[A-Za-z]")
EASTERN = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
pytestmark = pytest.mark.xdist_group("editions")


def catalogs(lang: str) -> list[Path]:
    return sorted((LOCALES / lang / "LC_MESSAGES").rglob("*.po"))


# -- catalogs -----------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["fa", "ps"])
def test_every_translation_keeps_numbers_roles_terms_and_quotes(lang):
    problems = []
    for path in catalogs(lang):
        problems += [f"{path.relative_to(LOCALES)}: {p}" for p in translation.check_catalog(path, lang)]
    assert not problems, "\n".join(problems[:40])


@pytest.mark.parametrize("lang", ["fa", "ps"])
def test_key_terms_are_fixed_in_the_language_script(lang):
    terms = translation.load_terms(lang)
    assert len(terms) >= 15
    english = [t["english"] for t in terms]
    assert len(english) == len(set(english)), "a key term is listed twice"
    for t in terms:
        assert ARABIC_LETTER.search(t["translation"]), t
        assert not LATIN_LETTER.search(t["translation"]), t
    for must in ("surveillance", "proportionality", "base rate", "human rights"):
        assert must in english


def test_the_checker_catches_a_typed_number_a_lost_role_an_english_term_and_an_unmarked_quote():
    terms = translation.load_terms("fa")
    quotes = ["simple chat"]
    ok = translation.check_message(
        'Of the {eval}`facts.n` claims, "simple chat" was about surveillance in 2023.',
        'از {eval}`facts.n` ادعا، "simple chat" (ترجمهٔ دری: «گپ ساده») دربارهٔ نظارت در 2023 بود.',
        [t for t in terms if t["english"] in ("surveillance", "claim")], quotes, "ترجمهٔ دری")
    assert ok == []
    bad = translation.check_message(
        'Of the {eval}`facts.n` claims, "simple chat" was about surveillance in 2023.',
        'از 24 ادعا، «گپ ساده» دربارهٔ مراقبت در ۲۰۲۳ بود.',
        [t for t in terms if t["english"] == "surveillance"], quotes, "ترجمهٔ دری")
    text = "\n".join(bad)
    for expected in ("roles differ", "Eastern Arabic-Indic", "numbers differ", "key term",
                     "must stay in English"):
        assert expected in text


def test_chart_strings_keep_the_data_numbers_and_reject_a_translation_that_loses_one():
    cat = translation.Catalog(None)
    cat.lang = "xx"
    message, values = translation.template("Kabul: 850 cameras in 2021,<br>90,000+ claimed; %{y}")
    assert values == ["850", "2021", "90,000+", "%{y}"]
    cat.messages = {message: "کابل: {0} کمره در {1}، {2} ادعا شده؛ {3}"}
    assert cat.chart_text("Kabul: 850 cameras in 2021,<br>90,000+ claimed; %{y}") == \
        "کابل: 850 کمره در 2021، 90,000+ ادعا شده؛ %{y}"
    cat.messages = {message: "کابل: {0} کمره، {2} ادعا شده؛ {3}"}  # the year was dropped
    shown = cat.chart_text("Kabul: 850 cameras in 2021,<br>90,000+ claimed; %{y}")
    assert shown == "Kabul: 850 cameras in 2021, 90,000+ claimed; %{y}"
    assert cat.missing == [message]


def test_a_new_language_is_only_a_folder_of_catalogs(tmp_path, monkeypatch):
    """Pashto needed no code: an edition's pages, direction and name come from its catalogs."""
    from kabulcase import editions

    code = [*(REPO / "kabulcase").rglob("*.py"), *(REPO / "book" / "_ext").glob("*.py"),
            REPO / "Makefile"]
    named = [f"{p.relative_to(REPO)}: {m.group(0)}" for p in code
             for m in re.finditer(r"""(["'])(fa|ps|prs|fa_AF|fa-AF)\1""", p.read_text(encoding="utf-8"))]
    assert not named, f"the code names a language: {named}"

    folder = tmp_path / "ur" / "LC_MESSAGES" / "book"
    folder.mkdir(parents=True)
    shutil.copyfile(LOCALES / "ps" / "LC_MESSAGES" / "book" / "intro.po", folder / "intro.po")
    monkeypatch.setattr(translation, "LOCALES", tmp_path)
    monkeypatch.setattr(editions, "LOCALES", tmp_path)
    assert translation.languages() == ["ur"]
    assert translation.direction("ur") == "rtl"
    assert editions.edition_toc("ur") == {"format": "jb-book", "root": "book/intro"}
    (tmp_path / "de" / "LC_MESSAGES").mkdir(parents=True)
    with pytest.raises(editions.EditionError, match="no catalog for the home page"):
        editions.edition_toc("de")


def test_the_dari_edition_has_the_pages_the_issue_names():
    pages = translation.translated_pages("fa")
    for page in ("book/intro", "chapters/01-the-case", "book/glossary", "book/privacy",
                 "book/accessibility"):
        assert page in pages


# -- builds -------------------------------------------------------------------------------

def _build(args: list[str], env_extra: dict | None = None) -> dict:
    if os.geteuid() != 0:
        pytest.fail("The offline build test needs root for 'unshare -n' (CI runs as root).")
    env = dict(os.environ, KABULCASE_RENDERER="book", LANG="C.UTF-8",
               PATH=f"{VENV_BIN}:{os.environ['PATH']}", **(env_extra or {}))
    proc = subprocess.run(offline([str(VENV_BIN / "python"), "-m", "kabulcase.editions", "build", *args]),
                          cwd=REPO, env=env, capture_output=True, text=True, errors="replace", timeout=600)
    log = proc.stdout + proc.stderr
    assert proc.returncode == 0, log[-4000:]
    seconds = re.search(r"edition is in .*\((\d+) s\)", log)
    print(f"\n[editions] {' '.join(args)}: {seconds.group(1) if seconds else '?'} s")
    return {"log": log}


@pytest.fixture(scope="module")
def builds() -> dict:
    shutil.rmtree(OUT, ignore_errors=True)
    return {
        "fa": _build(["fa", "--out", str(OUT / "fa")]),
        "en": _build(["fa", "--english", "--out", str(OUT / "en")]),
        "ps": _build(["ps", "--out", str(OUT / "ps")]),
    }


def pages(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.html") if "_static" not in p.parts and "_sources" not in p.parts)


def test_every_dari_and_pashto_page_is_right_to_left_in_its_language(builds):
    for lang in ("fa", "ps"):
        found = pages(OUT / lang)
        assert len(found) >= (6 if lang == "fa" else 1)
        for page in found:
            tag = re.search(r"<html[^>]*>", page.read_text(encoding="utf-8")).group(0)
            assert f'lang="{lang}"' in tag and 'dir="rtl"' in tag, f"{page}: {tag}"


def test_the_build_reports_coverage_and_counts_what_it_shows_in_english(builds):
    report = json.loads((OUT / "fa" / "translation-coverage.json").read_text(encoding="utf-8"))
    assert report["language"] == "fa"
    log = builds["fa"]["log"]
    summary = re.search(r"Translation coverage \(fa\): (\d+) of (\d+) messages translated, (\d+) shown", log)
    assert summary, log[-2000:]
    done, total, shown = map(int, summary.groups())
    assert done + shown == total == sum(p["messages"] for p in report["pages"].values())
    marked = sum(page.read_text(encoding="utf-8").count('class="kc-untranslated')
                 for page in pages(OUT / "fa"))
    assert marked >= shown
    for page, counts in report["pages"].items():
        if page != "book/bibliography":
            assert counts["translated"] >= 0.9 * counts["messages"], (page, counts)


def test_a_missing_translation_falls_back_to_english_visibly_and_is_counted(tmp_path):
    """A scratch Dari edition of two pages (the introduction and the bibliography it cites),
    with the translation of one paragraph taken out."""
    from babel.messages.pofile import read_po, write_po

    for name in ("kabulcase.po", "book/intro.po", "book/bibliography.po"):
        (tmp_path / "fa" / "LC_MESSAGES" / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(LOCALES / "fa" / "LC_MESSAGES" / name, tmp_path / "fa" / "LC_MESSAGES" / name)
    shutil.copyfile(LOCALES / "fa" / "terms.csv", tmp_path / "fa" / "terms.csv")
    intro = tmp_path / "fa" / "LC_MESSAGES" / "book" / "intro.po"
    with intro.open("rb") as f:
        cat = read_po(f)
    removed = next(m for m in cat if m.id and m.string and len(m.id) > 120 and "{" not in m.id)
    removed.string = ""
    with intro.open("wb") as f:
        write_po(f, cat, width=0)
    before = translation.read_po(LOCALES / "fa" / "LC_MESSAGES" / "book" / "intro.po")
    untranslated_before = len(cat) - len(before)  # babel's catalog does not count the header
    result = _build(["fa", "--out", str(tmp_path / "html")], {"KABULCASE_LOCALES": str(tmp_path)})
    report = json.loads((tmp_path / "html" / "translation-coverage.json").read_text(encoding="utf-8"))
    counts = report["pages"]["book/intro"]
    assert counts["messages"] - counts["translated"] == untranslated_before + 1
    assert removed.id in counts["missing"]
    assert re.search(r"Translation coverage \(fa\): \d+ of \d+ messages translated, "
                     rf"{counts['messages'] - counts['translated']} shown in English", result["log"])
    html = (tmp_path / "html" / "book" / "intro.html").read_text(encoding="utf-8")
    paragraph = re.search(r'<p class="kc-untranslated[^"]*"[^>]*lang="en"[^>]*>(.*?)</p>', html, re.S)
    assert paragraph, "the untranslated paragraph is not marked in lang=en"
    mark = translation.Catalog("fa").gettext("Not yet translated; shown in English.")
    assert mark in paragraph.group(1)
    assert removed.id.split()[0] in paragraph.group(1)


def test_each_page_links_to_its_twins(builds):
    fa_intro = (OUT / "fa" / "book" / "intro.html").read_text(encoding="utf-8")
    assert 'href="../../book/intro.html" hreflang="en"' in fa_intro
    assert 'href="../../ps/book/intro.html" hreflang="ps"' in fa_intro
    ps_intro = (OUT / "ps" / "book" / "intro.html").read_text(encoding="utf-8")
    assert 'href="../../fa/book/intro.html" hreflang="fa"' in ps_intro
    en_intro = (OUT / "en" / "book" / "intro.html").read_text(encoding="utf-8")
    assert 'href="../fa/book/intro.html" hreflang="fa"' in en_intro
    name = translation.Catalog("fa").name
    assert name and ARABIC_LETTER.search(name)


def _digits(text: str) -> list[str]:
    return sorted(re.findall(r"\d+", text.translate(EASTERN)))


ARTICLE_TEXT = """() => {
  const main = document.querySelector('article.bd-article').cloneNode(true);
  main.querySelectorAll('.kc-editions, .kc-translation-note, .kc-untranslated-mark, script, .kc-plot, .headerlink')
      .forEach(n => n.remove());
  return main.textContent;
}"""


@pytest.fixture(scope="module")
def dari_site(builds):
    from benchmarks import serve

    # Both editions under one root, as on the published site, so twin links and fonts resolve.
    root = OUT / "site"
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(OUT / "en", root)
    shutil.copytree(OUT / "fa", root / "fa")
    shutil.copytree(OUT / "ps", root / "ps")
    server, url = serve.start(root)
    yield url
    server.shutdown()


def test_dari_pages_pass_axe_draw_dari_charts_and_fetch_nothing_off_site(builds, dari_site, browser):
    from conftest import AXE, visit

    axe = AXE.read_text(encoding="utf-8")
    docs = [str(p.relative_to(OUT / "fa").with_suffix("")) for p in pages(OUT / "fa")
            if p.name not in ("index.html", "genindex.html", "search.html")]
    assert "chapters/01-the-case" in docs
    charts_seen = 0
    for doc in docs:
        result = visit(browser, f"{dari_site}/fa/{doc}.html", axe)
        charts_seen += len(result["chart_names"])
        assert result["status"] == 200, doc
        assert result["offsite"] == [], (doc, result["offsite"])
        assert result["errors"] == [] and result["failed"] == [] and result["csp"] == [], (doc, result)
        violations = [(v["id"], len(v["nodes"])) for v in result["axe"]["violations"]]
        assert violations == [], (doc, violations)
        figures = len(result["chart_names"])
        assert result["charts"] == figures and result["drawn"] >= figures, doc
        for name, description, svgs, rows in result["chart_names"]:
            assert ARABIC_LETTER.search(name) and ARABIC_LETTER.search(description), (doc, name)
            assert svgs >= 1 and rows >= 1, (doc, name)
    assert charts_seen >= 2


def test_dari_charts_speak_dari_and_use_the_sites_own_font(builds, dari_site, browser):
    context = browser.new_context()
    page = context.new_page()
    fonts = []
    page.on("request", lambda r: fonts.append(r.url) if r.url.endswith(".woff2") else None)
    page.goto(f"{dari_site}/fa/chapters/01-the-case.html", wait_until="load")
    from support import draw_every_chart

    draw_every_chart(page)
    labels = page.evaluate("""() => Array.from(document.querySelectorAll('figure.kc-chart')).map(f =>
        Array.from(f.querySelectorAll('.gtitle, .xtitle, .ytitle, .legendtext')).map(t => t.textContent))""")
    assert len(labels) >= 2
    for chart in labels:
        texts = [t for t in chart if t.strip()]
        assert len(texts) >= 3, chart
        for text in texts:
            arabic, latin = len(ARABIC_LETTER.findall(text)), len(LATIN_LETTER.findall(text))
            assert arabic > latin, f"not in Dari script: {text!r}"
    assert page.evaluate("document.fonts.check('16px Vazirmatn', 'کابل')")
    assert re.match(r'^"?Vazirmatn\b', page.evaluate("getComputedStyle(document.body).fontFamily"))
    assert fonts and all(u.startswith(dari_site) for u in fonts), fonts
    context.close()


def test_no_number_differs_from_the_english_twin(builds, dari_site, browser):
    context = browser.new_context()
    page = context.new_page()
    mismatches = []
    for doc in translation.translated_pages("fa"):
        page.goto(f"{dari_site}/fa/{doc}.html", wait_until="load")
        dari = page.evaluate(ARTICLE_TEXT)
        page.goto(f"{dari_site}/{doc}.html", wait_until="load")
        english = page.evaluate(ARTICLE_TEXT)
        if _digits(dari) != _digits(english):
            from collections import Counter

            d, e = Counter(_digits(dari)), Counter(_digits(english))
            mismatches.append((doc, dict(d - e), dict(e - d)))
    context.close()
    assert not mismatches, mismatches
