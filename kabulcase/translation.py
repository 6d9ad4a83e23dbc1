"""Translations of the book's own words: notices, edition links, and the text of its charts.

The pages' prose is translated by Sphinx from the per-page catalogs (kabulcase.editions).
What Sphinx never sees, the charts' titles, axis titles, legends, source notes, alt text
and descriptions, is made in the kernel; it is translated here from the language's
``kabulcase.po``, in the same folder and format as the pages' catalogs.

Numbers are never translated. A chart string's message is its *template*: every number,
plotly ``%{...}`` field and HTML tag in it becomes ``{0}``, ``{1}``, ..., and the
translation gets the same values back. A translation that drops or adds a placeholder is
rejected (and reported) rather than used, so a translated chart shows the data's own numbers.

A language's direction comes from CLDR (Babel); nothing here names a language.
"""

from __future__ import annotations

import functools
import json
import os
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# KABULCASE_LOCALES points elsewhere only for the tests' scratch catalogs.
LOCALES = Path(os.environ.get("KABULCASE_LOCALES") or REPO / "book" / "locales")
LANG_ENV = "KABULCASE_LANG"
COLLECT_ENV = "KABULCASE_I18N_COLLECT"
UI_DOMAIN = "kabulcase"

# Messages of the book's own furniture (edition links, notices, chart captions), with a
# note for translators. Chart strings are added to the template when the pages are built.
UI_MESSAGES = {
    "(name of this language, in this language)":
        "The edition's name in its own language and script, as shown on the links to it.",
    "Read this page in {language}": "Link to this page in another edition.",
    "(in English)": "After a link to a page that this edition does not have yet.",
    "Not yet translated; shown in English.": "Shown before text the catalog has no translation for.",
    "This page is a translation that has not yet been reviewed by a native speaker. The "
    "numbers, data and sources are those of the English edition. Please report errors in "
    "the translation on the {link}.": "The notice on every translated page.",
    "project's issue tracker": "Link text of {link} in the notice.",
    "Translation (not reviewed)": "Title of the notice.",
    "Description.": "Before each chart's long description.",
    "Data behind this chart ({0} rows)": "The fold that holds a chart's data table.",
    "Cameras over Kabul": "The book's title.",
    "The case": "Part of the table of contents.",
    "Exercises": "Part of the table of contents.",
    "For instructors": "Part of the table of contents.",
    "Reference": "Part of the table of contents.",
}

# Protected pieces of a chart string: plotly fields, HTML tags and entities, numbers
# (with thousands separators, decimals, signs and a trailing +), and existing {n} slots.
_PROTECTED = re.compile(
    r"%\{[^}]*\}|<[^>]+>|&[a-z]+;|\{\d+\}|[-+]?\d+(?:,\d{3})*(?:\.\d+)?\+?")
_SLOT = re.compile(r"\{(\d+)\}")
# Letters of the Arabic script blocks (Arabic, Supplement, Extended-A, Presentation Forms).
ARABIC_SCRIPT = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")


class CatalogError(ValueError):
    """A catalog that cannot be used as it stands."""


def template(text: str) -> tuple[str, list[str]]:
    """``'850 cameras<br>by 2025'`` -> ``('{0} cameras{1}by {2}', ['850', '<br>', '2025'])``.

    Line breaks are first made spaces: the book wraps chart text to the column itself.
    """
    values: list[str] = []

    def slot(match):
        values.append(match.group(0))
        return "{%d}" % (len(values) - 1)

    flat = re.sub(r"\s*<br\s*/?>\s*", " ", str(text))
    return _PROTECTED.sub(slot, flat), values


def fill(message: str, values: list[str]) -> str:
    return _SLOT.sub(lambda m: values[int(m.group(1))], message)


def slots(message: str) -> list[str]:
    return sorted(_SLOT.findall(message))


def languages() -> list[str]:
    """The languages that have a folder of catalogs in book/locales."""
    if not LOCALES.is_dir():
        return []
    return sorted(p.name for p in LOCALES.iterdir() if (p / "LC_MESSAGES").is_dir())


def catalog_dir(lang: str) -> Path:
    return LOCALES / lang / "LC_MESSAGES"


def translated_pages(lang: str) -> list[str]:
    """The pages with a catalog in ``lang`` (docnames such as 'book/intro')."""
    folder = catalog_dir(lang)
    if not folder.is_dir():
        return []
    return sorted(p.relative_to(folder).with_suffix("").as_posix() for p in folder.rglob("*.po")
                  if p.stem != UI_DOMAIN or p.parent != folder)


def direction(lang: str) -> str:
    """'rtl' or 'ltr', from CLDR."""
    from babel import Locale

    order = Locale.parse(lang.replace("-", "_")).character_order
    return "rtl" if order == "right-to-left" else "ltr"


def read_po(path: Path) -> dict[str, str]:
    """Translated messages of one .po file (fuzzy and empty ones are not translations)."""
    from babel.messages.pofile import read_po as babel_read_po

    try:
        with path.open("rb") as f:
            catalog = babel_read_po(f, abort_invalid=True)
    except Exception as exc:  # babel raises its own PoFileError and others
        raise CatalogError(f"{path}: cannot be read as a gettext catalog ({exc}). Check its "
                           f"quoting with 'msgfmt --check {path}'.") from exc
    out = {}
    for message in catalog:
        if message.id and message.string and not message.fuzzy and isinstance(message.id, str):
            out[message.id] = message.string
    return out


class Catalog:
    """The book's own messages in one language; English when there is none.

    ``missing`` lists the lookups that fell back to English, so a build can report them.
    """

    def __init__(self, lang: str | None):
        self.lang = lang
        path = catalog_dir(lang) / f"{UI_DOMAIN}.po" if lang else None
        self.messages = read_po(path) if path and path.exists() else {}
        self.missing: list[str] = []

    @property
    def name(self) -> str:
        key = "(name of this language, in this language)"
        return self.messages.get(key, self.lang or "English")

    def gettext(self, message: str) -> str:
        if not self.lang:
            return message
        found = self.messages.get(message)
        if found is None:
            self.missing.append(message)
            return message
        return found

    def chart_text(self, text: str) -> str:
        """One chart string, translated through its template; numbers kept as they are."""
        if not text or not re.search(r"[A-Za-z]", _PROTECTED.sub("", str(text))):
            return text
        message, values = template(text)
        _collect(message)
        if not self.lang:
            return text
        found = self.messages.get(message)
        if found is None or slots(found) != slots(message):
            self.missing.append(message)
            return fill(message, values)
        return fill(found, values)


@functools.lru_cache(maxsize=None)
def catalog(lang: str | None) -> Catalog:
    return Catalog(lang)


def current_language(environ=os.environ) -> str | None:
    """The edition being built (KABULCASE_LANG, set by kabulcase.editions), or None."""
    lang = environ.get(LANG_ENV) or None
    if lang and lang not in languages():
        raise CatalogError(f"{LANG_ENV}={lang} but {LOCALES / lang / 'LC_MESSAGES'} "
                           f"does not exist; languages with catalogs: {', '.join(languages())}.")
    return lang


def collecting(environ=os.environ) -> bool:
    return bool(environ.get(COLLECT_ENV))


def _collect(message: str) -> None:
    """While the message templates are extracted, note each chart string a page makes."""
    target = os.environ.get(COLLECT_ENV)
    if target:
        with open(target, "a", encoding="utf-8") as f:
            f.write(json.dumps(message, ensure_ascii=False) + "\n")


def write_ui_template(path: Path, collected: dict[str, list[str]] | None = None) -> Path:
    """kabulcase.pot: the furniture's messages, then every chart string of every page."""
    from babel.messages.catalog import Catalog as BabelCatalog
    from babel.messages.pofile import write_po

    pot = BabelCatalog(project="Cameras over Kabul", charset="utf-8")
    for message, comment in UI_MESSAGES.items():
        pot.add(message, auto_comments=[comment])
    for page, messages in sorted((collected or {}).items()):
        for message in messages:
            existing = pot.get(message)
            if existing is None:
                pot.add(message, locations=[(page, 0)], auto_comments=["chart text"])
            elif (page, 0) not in existing.locations:
                existing.locations.append((page, 0))
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        write_po(f, pot, width=0, omit_header=False, include_lineno=False)
    return path


# -- charts -------------------------------------------------------------------------------

def localize_figure(fig, cat: Catalog) -> None:
    """Translate a plotly figure's own words in place, before the book lays it out.

    Titles of axes and legends, trace names, categorical tick labels, annotations and
    hover templates; data values in ``customdata`` and numbers are left as they are.
    """
    layout = fig.layout
    for key in layout:
        if key.startswith(("xaxis", "yaxis")) and layout[key].title.text:
            layout[key].title.text = cat.chart_text(layout[key].title.text)
    if layout.legend.title.text:
        layout.legend.title.text = cat.chart_text(layout.legend.title.text)
    for annotation in layout.annotations or ():
        if annotation.text:
            annotation.text = cat.chart_text(annotation.text)
    for trace in fig.data:
        if getattr(trace, "name", None):
            trace.name = cat.chart_text(trace.name)
        if getattr(trace, "hovertemplate", None):
            trace.hovertemplate = cat.chart_text(trace.hovertemplate)
        group = getattr(trace, "legendgrouptitle", None)
        if group is not None and group.text:
            group.text = cat.chart_text(group.text)
        for axis in ("x", "y"):
            values = getattr(trace, axis, None)
            if values is not None and len(values) and all(isinstance(v, str) for v in values) \
                    and _categorical(fig, trace, axis):
                setattr(trace, axis, [cat.chart_text(v) for v in values])


def _categorical(fig, trace, axis: str) -> bool:
    ref = getattr(trace, f"{axis}axis", None) or axis
    name = ref.replace("x", "xaxis").replace("y", "yaxis")
    kind = fig.layout[name].type if name in fig.layout else None
    if kind == "category":
        return True
    if kind in ("date", "linear", "log"):
        return False
    # plotly guesses: text that is not a date or a number is a category.
    sample = str(next(iter(getattr(trace, axis))))
    return not re.match(r"^\d{4}-\d{2}", sample) and not re.match(r"^[-+\d.,]+$", sample)


def mirror_for_rtl(fig) -> None:
    """Right-to-left reading: the title starts at the right; a chart of horizontal bars
    grows from the right, with its categories on the right. The source note stays where the
    English has it: it is mostly the sources' own (English) titles.

    Time still runs left to right, as in Dari and Pashto print (see book/locales/README.md).
    """
    layout = fig.layout
    layout.title.x, layout.title.xanchor = 1, "right"
    pad_l = layout.title.pad.l
    layout.title.pad.l, layout.title.pad.r = None, pad_l
    if fig.data and all(getattr(t, "orientation", None) == "h" for t in fig.data):
        for key in layout:
            if key.startswith("xaxis"):
                layout[key].autorange = "reversed"
            if key.startswith("yaxis"):
                layout[key].side = "right"
        margin = layout.margin
        margin.l, margin.r = margin.r, margin.l


# -- checking a catalog -------------------------------------------------------------------

_ROLE = re.compile(r"\{(?P<name>[\w:+-]+)\}`(?P<body>[^`]*)`")
_DIGITS = re.compile(r"\d+")
_EASTERN_DIGITS = re.compile(r"[\u0660-\u0669\u06F0-\u06F9]")
_LINK_URL = re.compile(r"\]\(([^)\s]+)\)")
_KEEP_EXACT_ROLES = {"eval", "footcite:p", "footcite:t", "footcite", "cite", "numref", "ref",
                     "download"}


def role_targets(text: str) -> list[tuple[str, str]]:
    """Roles whose text must survive translation: exact ones whole, term and doc by target."""
    out = []
    for m in _ROLE.finditer(text):
        name, body = m.group("name"), m.group("body")
        if name in _KEEP_EXACT_ROLES:
            out.append((name, body))
        elif name in ("term", "doc"):
            target = re.search(r"<([^<>]+)>\s*$", body)
            out.append((name, (target.group(1) if target else body).strip().lower()))
    return sorted(out)


_HTML_ATTR = re.compile(r'\s(?:href|src)="[^"]*"')


def _outside_roles(text: str) -> str:
    return _HTML_ATTR.sub(" ", _LINK_URL.sub("]()", _ROLE.sub(" ", text)))


def _squash(text: str) -> str:
    return re.sub(r"[\s\u200c\u0654\u064b-\u065f]", "", text)


def load_terms(lang: str) -> list[dict]:
    import csv

    path = LOCALES / lang / "terms.csv"
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def report_quotes() -> list[str]:
    import csv

    with (REPO / "data" / "report_quotes.csv").open(encoding="utf-8", newline="") as f:
        return [row["phrase"] for row in csv.DictReader(f)]


def check_message(msgid: str, msgstr: str, terms: list[dict], quotes: list[str],
                  quote_mark: str | None) -> list[str]:
    """What is wrong with one translation (an empty list when nothing is)."""
    problems = []
    if role_targets(msgid) != role_targets(msgstr):
        problems.append(f"roles differ: {role_targets(msgid)} in English, {role_targets(msgstr)} here")
    if _EASTERN_DIGITS.search(msgstr):
        problems.append("Eastern Arabic-Indic digits: the book uses 0-9 (see book/locales/README.md)")
    if sorted(_DIGITS.findall(_outside_roles(msgid))) != sorted(_DIGITS.findall(_outside_roles(msgstr))):
        problems.append(f"numbers differ: {sorted(_DIGITS.findall(_outside_roles(msgid)))} in English, "
                        f"{sorted(_DIGITS.findall(_outside_roles(msgstr)))} here")
    if sorted(_LINK_URL.findall(msgid)) != sorted(_LINK_URL.findall(msgstr)):
        problems.append("link targets differ")
    if slots(msgid) != slots(msgstr):
        problems.append(f"slots differ: {slots(msgid)} in English, {slots(msgstr)} here")
    plain = _HTML_ATTR.sub(" ", _LINK_URL.sub("]()", _ROLE.sub(lambda m: m.group("body"), msgid)))
    for term in terms:
        pattern = r"\b" + re.escape(term["english"]) + r"(s|es)?\b"
        # A term may list its inflected forms, "کامره|کامرې|کامرو": any one will do.
        forms = [f for f in term["translation"].split("|") if f]
        if re.search(pattern, plain, re.I) and not any(_squash(f) in _squash(msgstr) for f in forms):
            problems.append(f"key term {term['english']!r} is not translated as {term['translation']!r}")
    for quote in quotes:
        if re.search(r'["“]' + re.escape(quote) + r'["”]', msgid):
            if quote not in msgstr:
                problems.append(f"the report's words {quote!r} must stay in English")
            elif quote_mark and quote_mark not in msgstr:
                problems.append(f"the translation of {quote!r} must be marked {quote_mark!r}")
    return problems


def check_catalog(path: Path, lang: str) -> list[str]:
    """Every problem in one catalog, as 'msgid start: problem' lines."""
    terms = load_terms(lang)
    mark = next((t["translation"] for t in terms if t["english"] == "(translation of a quotation)"), None)
    terms = [t for t in terms if not t["english"].startswith("(")]
    quotes = report_quotes()
    out = []
    for msgid, msgstr in read_po(path).items():
        for problem in check_message(msgid, msgstr, terms, quotes, mark):
            out.append(f"{msgid[:60]!r}: {problem}")
    return out


if __name__ == "__main__":
    import sys

    if len(sys.argv) < 3 or sys.argv[1] != "check":
        sys.exit("usage: python -m kabulcase.translation check FILE.po [FILE.po ...]")
    bad = 0
    for name in sys.argv[2:]:
        p = Path(name).resolve()
        lang = p.relative_to(LOCALES).parts[0]
        problems = check_catalog(p, lang)
        bad += len(problems)
        print(f"{name}: {len(read_po(p))} translated, {len(problems)} problems")
        for line in problems:
            print("  " + line)
    sys.exit(1 if bad else 0)
