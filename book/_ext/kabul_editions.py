"""Sphinx side of the book's language editions (kabulcase.editions builds them).

* Each page links to its twin in every other edition that has it.
* In an edition (Sphinx ``language`` other than English):
  - a paragraph's ``{eval}`` numbers survive translation: the translated message is parsed
    after the page's kernel has stopped, so each number the English text computed is kept
    and given to the same expression in the translation;
  - every message without a translation is shown in English, marked as such, in
    ``lang="en"``; the build reports how many there are, page by page, and writes them to
    ``translation-coverage.json``;
  - every translated page says that its translation is not yet reviewed, and where to
    report errors;
  - a link to a page the edition does not have goes to the English page, marked;
  - right-to-left languages get ``dir="rtl"``, the mirrored layout (kabul-rtl.css) and the
    site's own copy of the Vazirmatn font.
* With the gettext builder, each page's chart strings are collected for kabulcase.pot.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform
from sphinx.util import logging

from kabulcase import translation

logger = logging.getLogger(__name__)
REPO = Path(__file__).resolve().parents[2]
FONT_DIR = REPO / "node_modules" / "vazirmatn" / "misc" / "Non-Latin" / "fonts" / "webfonts"
FONTS = ["Vazirmatn-NL-Regular.woff2", "Vazirmatn-NL-Bold.woff2"]
FONT_LICENCE = REPO / "node_modules" / "vazirmatn" / "OFL.txt"
COLLECT_DIR = REPO / "_build" / "editions" / "gettext" / "charts"
PLOT_JSON_RE = re.compile(r'<script type="application/json" class="kc-plot-data"[^>]*>(.*?)</script>', re.S)

# (docname, expression) -> the nodes the English text's {eval} produced.
_EVAL_CACHE: dict[tuple[str, str], list[nodes.Node]] = {}


def edition(app: Sphinx) -> str | None:
    lang = app.config.language
    return None if not lang or lang == "en" else lang


def is_rtl(app: Sphinx) -> bool:
    lang = edition(app)
    return bool(lang) and translation.direction(lang) == "rtl"


# -- {eval} in translated messages --------------------------------------------------------

def cached_eval_role():
    from myst_nb.ext.eval import EvalRoleAny

    class CachedEvalRole(EvalRoleAny):
        def run(self):
            env = self.document.settings.env
            key = (env.docname, self.text)
            if "nb_renderer" in self.document:  # the page itself, with its kernel
                result, messages = super().run()
                if not messages:
                    _EVAL_CACHE[key] = [n.deepcopy() for n in result]
                return result, messages
            if key in _EVAL_CACHE:  # a translated message of the same page
                return [n.deepcopy() for n in _EVAL_CACHE[key]], []
            return super().run()

    return CachedEvalRole()


# -- marking what is not translated -------------------------------------------------------

class MarkUntranslated(SphinxTransform):
    """After Sphinx's Locale transform (priority 20): mark, count and label the fallbacks."""

    default_priority = 25

    def apply(self, **kwargs) -> None:
        lang = edition(self.app)
        if not lang or self.env.docname not in translation.translated_pages(lang):
            return
        cat = translation.catalog(lang)
        total = done = 0
        missing = []
        for node in list(self.document.findall(nodes.Element)):
            if "translated" not in node.attributes or _in_docinfo(node):
                continue  # the front matter is metadata, never shown
            total += 1
            if node["translated"]:
                done += 1
                continue
            missing.append((node.rawsource or node.astext()).replace("\n", " ").strip())
            node["classes"] += ["kc-untranslated", "language-en"]
            if isinstance(node, nodes.paragraph):
                node.insert(0, nodes.inline("", cat.gettext("Not yet translated; shown in English."),
                                            classes=["kc-untranslated-mark", f"language-{lang}"]))
        store = getattr(self.env, "kc_i18n", None)
        if store is None:
            store = self.env.kc_i18n = {}
        store[self.env.docname] = {"messages": total, "translated": done, "missing": missing}
        # Under the page's first heading, where a reader starts (not before the front
        # matter, which Sphinx removes only while it is the first node).
        section = next(iter(self.document.findall(nodes.section)), None)
        if section is not None:
            index = 1 if section.children and isinstance(section[0], nodes.title) else 0
            section.insert(index, review_notice(self.app, lang))


def _in_docinfo(node) -> bool:
    """Front matter: a docinfo, or the field list docutils has not yet made one of."""
    while node is not None:
        if isinstance(node, nodes.docinfo):
            return True
        if isinstance(node, nodes.field_list) and node.parent is not None \
                and isinstance(node.parent, nodes.document) and node.parent.index(node) == 0:
            return True
        node = node.parent
    return False


def review_notice(app: Sphinx, lang: str) -> nodes.Node:
    cat = translation.catalog(lang)
    url = app.config.html_theme_options.get("repository_url") or ""
    issues = (url.rstrip("/") + "/issues") if url else "#"
    text = cat.gettext(
        "This page is a translation that has not yet been reviewed by a native speaker. The "
        "numbers, data and sources are those of the English edition. Please report errors in "
        "the translation on the {link}.")
    before, _, after = text.partition("{link}")
    link = nodes.reference("", cat.gettext("project's issue tracker"), refuri=issues)
    para = nodes.paragraph("", "", nodes.Text(before), link, nodes.Text(after))
    note = nodes.admonition("", nodes.title("", cat.gettext("Translation (not reviewed)")), para,
                            classes=["note", "kc-translation-note"])
    return note


# -- links between editions ---------------------------------------------------------------

def edition_links(app: Sphinx, doctree, docname: str) -> None:
    """A line at the top of each page with its twins in the other editions."""
    here = edition(app)
    depth = docname.count("/")
    links = []
    for lang in [None, *translation.languages()]:
        if lang == here:
            continue
        if lang is not None and docname not in translation.translated_pages(lang):
            continue
        root = "../" * (depth + (1 if here else 0))
        href = f"{root}{lang + '/' if lang else ''}{docname}.html"
        cat = translation.catalog(lang)
        code = lang or "en"
        label = cat.gettext("Read this page in {language}").format(
            language=cat.name if lang else "English")
        links.append(f'<a href="{href}" hreflang="{code}" lang="{code}" '
                     f'dir="{translation.direction(code)}">{label}</a>')
    if not links:
        return
    raw = nodes.raw("", f'<p class="kc-editions">{" · ".join(links)}</p>', format="html")
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is not None:
        section.insert(1 if section.children and isinstance(section[0], nodes.title) else 0, raw)


def link_to_english(app: Sphinx, env, node, contnode):
    """A {doc} link to a page this edition does not have goes to the English page."""
    lang = edition(app)
    # Only in an edition's build (kabulcase.editions sets the variable, empty for the
    # English twins): in the full English book a missing page is an error to report.
    if translation.LANG_ENV not in os.environ:
        return None
    if node.get("reftype") == "term":
        return term_in_english(app, env, node, contnode)
    if node.get("reftype") != "doc":
        return None
    from sphinx.util import docname_join

    target = docname_join(node.get("refdoc", env.docname), node["reftarget"])
    if target in env.all_docs or not (REPO / f"{target}.md").exists():
        return None
    depth = node.get("refdoc", env.docname).count("/")
    href = "../" * (depth + (1 if lang else 0)) + f"{target}.html"
    cat = translation.catalog(lang)
    ref = nodes.reference("", "", refuri=href, classes=["kc-english-only"])
    ref["hreflang"] = "en"
    if contnode.astext() in (node["reftarget"], target):  # no text given: the English title
        contnode = nodes.inline("", english_title(target), classes=contnode.get("classes", []))
    ref += contnode
    return nodes.inline("", "", ref, nodes.Text(" "),
                        nodes.inline("", cat.gettext("(in English)"), classes=["kc-in-english"]))


GLOSSARY = "book/glossary"


def english_terms() -> dict[str, str]:
    """The English glossary's terms (lower case -> as written), read from its source."""
    terms, inside = {}, False
    for line in (REPO / f"{GLOSSARY}.md").read_text(encoding="utf-8").splitlines():
        if line.startswith(("```{glossary}", ":::{glossary}")):
            inside = True
        elif inside and line.startswith(("```", ":::")):
            inside = False
        elif inside and line.strip() and not line[0].isspace() and not line.startswith(":"):
            terms[line.strip().lower()] = line.strip()
    return terms


def term_in_english(app: Sphinx, env, node, contnode):
    """A glossary term, in an edition without the glossary: the English glossary's entry."""
    if GLOSSARY in env.all_docs:
        return None
    term = english_terms().get(node["reftarget"].lower())
    if term is None:
        return None
    from sphinx.util.nodes import _make_id

    depth = node.get("refdoc", env.docname).count("/")
    href = "../" * (depth + (1 if edition(app) else 0)) + f"{GLOSSARY}.html#{_make_id('term-' + term)}"
    ref = nodes.reference("", "", contnode, refuri=href, classes=["kc-english-only"])
    ref["hreflang"] = "en"
    return ref


def english_title(docname: str) -> str:
    for line in (REPO / f"{docname}.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return docname


# -- chart strings ------------------------------------------------------------------------

def collect_chart_strings(app: Sphinx, docname: str, source) -> None:
    """With the gettext builder, the page's kernel notes each chart string it makes."""
    if app.builder.name != "gettext":
        return
    COLLECT_DIR.mkdir(parents=True, exist_ok=True)
    target = COLLECT_DIR / f"{docname.replace('/', '__')}.jsonl"
    target.unlink(missing_ok=True)
    os.environ[translation.COLLECT_ENV] = str(target)


def chart_coverage(app: Sphinx, pagename, templatename, context, doctree) -> None:
    lang = edition(app)
    if not lang or doctree is None:
        return
    missing, charts = [], 0
    for payload in PLOT_JSON_RE.findall(context.get("body", "")):
        meta = (json.loads(payload.replace("<\\/", "</")).get("layout") or {}).get("meta") or {}
        charts += 1
        missing += (meta.get("i18n") or {}).get("missing", [])
    store = getattr(app.env, "kc_i18n", {}).get(pagename)
    if store is not None:
        store["charts"] = charts
        store["chart_missing"] = missing


# -- the finished edition -----------------------------------------------------------------

def finish_edition(app: Sphinx, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    lang = edition(app)
    if not lang:
        return
    outdir = Path(app.outdir)
    redirect = outdir / "index.html"
    if redirect.exists() and "<html" not in redirect.read_text(encoding="utf-8"):
        # Jupyter Book writes a bare refresh tag; the edition's entry page says its language.
        target = re.search(r'url=([^"]+)"', redirect.read_text(encoding="utf-8"))
        href = target.group(1) if target else "book/intro.html"
        redirect.write_text(
            f'<!DOCTYPE html>\n<html lang="{lang}" dir="{translation.direction(lang)}"><head>'
            f'<meta charset="utf-8"><meta http-equiv="Refresh" content="0; url={href}">'
            f'<title>{translation.catalog(lang).gettext("Cameras over Kabul")}</title></head>'
            f'<body><p><a href="{href}">{translation.catalog(lang).gettext("Cameras over Kabul")}</a></p>'
            f'</body></html>\n', encoding="utf-8")
    strict_translations_js(outdir / "_static" / "translations.js")
    if is_rtl(app):
        fonts = outdir / "_static" / "fonts"
        fonts.mkdir(parents=True, exist_ok=True)
        for name in FONTS:
            shutil.copyfile(FONT_DIR / name, fonts / name)
        shutil.copyfile(FONT_LICENCE, fonts / "Vazirmatn-OFL.txt")
        for page in outdir.rglob("*.html"):
            html = page.read_text(encoding="utf-8")
            new = re.sub(r"<html(?![^>]*\bdir=)([^>]*)>", r'<html\1 dir="rtl">', html, count=1)
            if new != html:
                page.write_text(new, encoding="utf-8")
    report = dict(sorted(getattr(app.env, "kc_i18n", {}).items()))
    (outdir / "translation-coverage.json").write_text(
        json.dumps({"language": lang, "pages": report}, ensure_ascii=False, indent=1), encoding="utf-8")
    total = sum(p["messages"] for p in report.values())
    done = sum(p["translated"] for p in report.values())
    chart_missing = sum(len(p.get("chart_missing", [])) for p in report.values())
    logger.info(f"\nTranslation coverage ({lang}): {done} of {total} messages translated, "
                f"{total - done} shown in English; {chart_missing} chart strings missing.")
    for page, p in report.items():
        logger.info(f"  {page}: {p['translated']}/{p['messages']} messages, "
                    f"{p.get('charts', 0)} charts, {len(p.get('chart_missing', []))} chart strings missing")


def strict_translations_js(path: Path) -> None:
    """Sphinx's translations.js hands its plural rule to ``new Function``, which the site's
    Content-Security-Policy forbids; the rule is written out as code instead."""
    if not path.exists():
        return
    match = re.search(r"Documentation\.addTranslations\((\{.*\})\);?\s*$", path.read_text(encoding="utf-8"), re.S)
    if not match:
        return
    catalog = json.loads(match.group(1))
    expr = catalog.get("plural_expr") or "0"
    if not re.fullmatch(r"[n\d\s()<>=!&|%?:+\-]*", expr):
        raise ValueError(f"{path}: unexpected plural rule {expr!r}")
    path.write_text(
        "// Written by kabul_editions.py in place of Documentation.addTranslations(), which\n"
        "// builds the plural rule with new Function (blocked by the site's CSP).\n"
        f"Object.assign(Documentation.TRANSLATIONS, {json.dumps(catalog.get('messages', {}), ensure_ascii=False)});\n"
        f"Documentation.PLURAL_EXPR = function (n) {{ return Number({expr}); }};\n"
        f"Documentation.LOCALE = {json.dumps(catalog.get('locale', ''))};\n", encoding="utf-8")


def add_rtl_assets(app: Sphinx) -> None:
    if is_rtl(app):
        app.add_css_file("kabul-rtl.css", priority=900)


def setup(app: Sphinx) -> dict:
    app.add_role("eval", cached_eval_role(), override=True)
    app.add_transform(MarkUntranslated)
    app.connect("builder-inited", add_rtl_assets)
    app.connect("source-read", collect_chart_strings)
    app.connect("doctree-resolved", edition_links)
    app.connect("missing-reference", link_to_english)
    app.connect("html-page-context", chart_coverage)
    app.connect("build-finished", finish_edition)
    return {"parallel_read_safe": False, "parallel_write_safe": True, "version": "0.1"}
