"""Language editions of the book, through Sphinx's gettext workflow (sphinx-intl).

A language has an edition when ``book/locales/<lang>/LC_MESSAGES/`` holds catalogs, and a
page is in that edition when it has a catalog there (``book/intro.po`` for book/intro).
Nothing in the code names a language: its direction comes from CLDR (through Babel, which
Sphinx installs), and its own name, notices and chart labels from its catalog
``kabulcase.po`` (kabulcase.translation). A new edition is a new folder of catalogs.

    python -m kabulcase.editions pot           messages of every page -> _build/gettext/
    python -m kabulcase.editions update LANG   new messages into LANG's catalogs (sphinx-intl)
    python -m kabulcase.editions build LANG    the edition, into _build/html/LANG/

``make book LANG=fa`` runs the last one.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import yaml

from kabulcase import translation

REPO = Path(__file__).resolve().parents[1]
CONFIG = REPO / "book" / "_config.yml"
TOC = REPO / "book" / "_toc.yml"
LOCALES = translation.LOCALES
WORK = REPO / "_build" / "editions"
POT_DIR = REPO / "_build" / "gettext"


class EditionError(ValueError):
    """An edition that cannot be built as asked."""


def edition_toc(lang: str, toc: dict | None = None) -> dict:
    """The English table of contents cut down to the pages ``lang`` has catalogs for.

    Parts keep their order; their captions come from the language's catalog.
    """
    toc = toc or yaml.safe_load(TOC.read_text(encoding="utf-8"))
    have = set(translation.translated_pages(lang))
    if toc["root"] not in have:
        raise EditionError(
            f"The {lang} edition has no catalog for the home page {toc['root']}: create "
            f"{LOCALES / lang / 'LC_MESSAGES' / toc['root']}.po first "
            f"(python -m kabulcase.editions update {lang}).")
    ui = translation.Catalog(lang)
    parts = []
    for part in toc.get("parts", []):
        chapters = [{"file": c["file"]} for c in part.get("chapters", []) if c["file"] in have]
        if chapters:
            parts.append({"caption": ui.gettext(part["caption"]), "chapters": chapters})
    out = {"format": toc["format"], "root": toc["root"]}
    if parts:
        out["parts"] = parts
    return out


def edition_config(lang: str, config: dict | None = None) -> dict:
    """book/_config.yml with the Sphinx language settings for ``lang``."""
    config = config or yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    ui = translation.Catalog(lang)
    config = dict(config)
    config["title"] = ui.gettext(config["title"])
    sphinx = dict(config["sphinx"])
    # The generated file lives elsewhere; the extension's folder is given in full.
    sphinx["local_extensions"] = {name: str((CONFIG.parent / path).resolve())
                                  for name, path in sphinx["local_extensions"].items()}
    extra = dict(sphinx["config"])
    extra.update({
        "language": lang,
        "locale_dirs": [str(LOCALES)],
        # One catalog per page (book/intro.po), so a page's translation is one file.
        "gettext_compact": False,
    })
    sphinx["config"] = extra
    config["sphinx"] = sphinx
    return config


def english_config(config: dict | None = None) -> dict:
    """book/_config.yml as it is, for a generated file elsewhere."""
    config = dict(config or yaml.safe_load(CONFIG.read_text(encoding="utf-8")))
    sphinx = dict(config["sphinx"])
    sphinx["local_extensions"] = {name: str((CONFIG.parent / path).resolve())
                                  for name, path in sphinx["local_extensions"].items()}
    config["sphinx"] = sphinx
    return config


def run_jupyter_book(args: list[str], env: dict) -> int:
    jb = Path(sys.executable).with_name("jupyter-book")
    return subprocess.call([str(jb), "build", str(REPO), *args], cwd=REPO, env=env)


def build(lang: str, out: Path | None = None, *, english: bool = False) -> Path:
    """Build the ``lang`` edition into ``out`` (default _build/html/<lang>).

    With ``english``, the same pages in English: the twins a test compares them with.
    """
    if lang not in translation.languages():
        known = ", ".join(translation.languages()) or "none"
        raise EditionError(f"No catalogs for {lang!r} in {LOCALES}/ "
                           f"(editions with catalogs: {known}). Start one with "
                           f"'python -m kabulcase.editions update {lang}'.")
    work = WORK / (f"{lang}-english" if english else lang)
    if LOCALES != REPO / "book" / "locales":  # scratch catalogs (tests) build apart
        work = work.with_name(f"{work.name}-{abs(hash(str(LOCALES))) % 10**8}")
    # Always a clean build: an edition is small, and its coverage report must be whole.
    shutil.rmtree(work / "_build", ignore_errors=True)
    work.mkdir(parents=True, exist_ok=True)
    config = english_config() if english else edition_config(lang)
    (work / "_config.yml").write_text(yaml.safe_dump(config, allow_unicode=True,
                                                     sort_keys=False), encoding="utf-8")
    (work / "_toc.yml").write_text(yaml.safe_dump(edition_toc(lang), allow_unicode=True,
                                                  sort_keys=False), encoding="utf-8")
    env = dict(os.environ, **{translation.LANG_ENV: "" if english else lang})
    env.setdefault("KABULCASE_RENDERER", "book")
    start = time.perf_counter()
    code = run_jupyter_book(["--config", str(work / "_config.yml"), "--toc", str(work / "_toc.yml"),
                             "--path-output", str(work), "--builder", "html", "-W", "--keep-going"],
                            env)
    if code != 0:
        raise SystemExit(code)
    out = out or REPO / "_build" / "html" / (f"{lang}-english" if english else lang)
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(work / "_build" / "html", out)
    print(f"\nThe {lang} edition is in {out}/index.html "
          f"({time.perf_counter() - start:.0f} s)")
    return out


def pot() -> Path:
    """Every page's messages as .pot templates (Sphinx's gettext builder)."""
    env = dict(os.environ, KABULCASE_RENDERER="book")
    config = english_config()
    config["sphinx"] = dict(config["sphinx"], config=dict(config["sphinx"]["config"], gettext_compact=False))
    work = WORK / "gettext"
    work.mkdir(parents=True, exist_ok=True)
    (work / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    code = run_jupyter_book(["--config", str(work / "_config.yml"), "--toc", str(TOC),
                             "--path-output", str(work), "--builder", "custom",
                             "--custom-builder", "gettext"], env)
    if code != 0:
        raise SystemExit(code)
    shutil.rmtree(POT_DIR, ignore_errors=True)
    shutil.copytree(work / "_build" / "gettext", POT_DIR)
    collected = {}
    for f in sorted((work / "charts").glob("*.jsonl")):
        lines = f.read_text(encoding="utf-8").splitlines()
        collected[f.stem.replace("__", "/")] = list(dict.fromkeys(json.loads(x) for x in lines))
    translation.write_ui_template(POT_DIR / "kabulcase.pot", collected)
    return POT_DIR


def update(lang: str, pages: list[str] | None = None) -> None:
    """New and changed messages into ``lang``'s catalogs; translations are kept (sphinx-intl).

    Only pages that already have a catalog are updated, plus ``pages`` (to start a page).
    """
    if not POT_DIR.exists():
        pot()
    existing = set(translation.translated_pages(lang)) | set(pages or [])
    existing.add("kabulcase")
    intl = Path(sys.executable).with_name("sphinx-intl")
    for name in sorted(existing):
        template = POT_DIR / f"{name}.pot"
        if not template.exists():
            raise EditionError(f"No page {name!r} in the book (no {template.relative_to(REPO)}).")
        tmp = WORK / "pot-one" / name
        shutil.rmtree(WORK / "pot-one", ignore_errors=True)
        tmp.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(template, tmp.with_suffix(".pot"))
        subprocess.check_call([str(intl), "update", "-p", str(WORK / "pot-one"),
                               "-d", str(LOCALES), "-l", lang, "-w", "0"], cwd=REPO)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kabulcase.editions", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("pot")
    up = sub.add_parser("update")
    up.add_argument("lang")
    up.add_argument("pages", nargs="*", help="pages to start a catalog for, e.g. book/privacy")
    b = sub.add_parser("build")
    b.add_argument("lang")
    b.add_argument("--out", type=Path)
    b.add_argument("--english", action="store_true",
                   help="the same pages in English (the twins the tests compare with)")
    args = parser.parse_args(argv)
    try:
        if args.command == "pot":
            pot()
        elif args.command == "update":
            update(args.lang, args.pages)
        else:
            build(args.lang, args.out, english=args.english)
    except EditionError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
