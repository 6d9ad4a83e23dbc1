"""The learner's JupyterLab: ``make lab`` (and Binder) open the module as learners should see it.

Usage::

    python -m kabulcase.lab                      # prepare lab/ and start JupyterLab on it
    python -m kabulcase.lab --prepare-only       # only prepare lab/
    python -m kabulcase.lab --port 8899 --no-browser --token SECRET   # passed to JupyterLab

It prepares a workspace, ``lab/`` (not tracked by git), and starts JupyterLab there:

* ``lab/chapters/*.md``: the chapters, opened as notebooks by jupytext and rendered by
  jupyterlab-myst, so numbers, exercises, admonitions and links read as in the book;
* ``lab/exercises/*.ipynb``: the **student** copies of the exercises (the same code as
  ``make release``): no solutions and no grader-only cells.

A file the learner already has is never overwritten: delete it to get a fresh copy.

JupyterLab gets the module's settings (``.binder/overrides.json``, shared with Binder): MyST
files open as notebooks, no news or update checks are fetched from the internet, and every
cell is rendered, not only those on screen. The kernel never sees ``KABULCASE_RENDERER``:
the book's rule that every chart carries alt text is for the book's own charts, not for the
charts learners make themselves.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WORKSPACE = REPO / "lab"
OVERRIDES = REPO / ".binder" / "overrides.json"
BOOK_ONLY_ENV = ("KABULCASE_RENDERER", "KABULCASE_STATIC", "KABULCASE_HIDE_SOLUTIONS")


def install_settings(prefix: str | Path = sys.prefix, overrides: Path = OVERRIDES) -> Path:
    """Copy the module's JupyterLab settings where JupyterLab reads defaults for this environment."""
    target = Path(prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(overrides, target)
    return target


def prepare(workspace: str | Path = WORKSPACE, repo: Path = REPO) -> dict[str, list[Path]]:
    """Fill ``workspace`` with the chapters and the exercises' student copies.

    Returns the files ``written`` and those ``kept`` because the learner already had them.
    """
    import nbformat

    from .release import sources_in, student_notebook

    workspace = Path(workspace)
    done: dict[str, list[Path]] = {"written": [], "kept": []}

    def put(target: Path, write) -> None:
        if target.exists():
            done["kept"].append(target)
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        write(target)
        done["written"].append(target)

    for chapter in sorted((repo / "chapters").glob("*.md")):
        put(workspace / "chapters" / chapter.name,
            lambda t, c=chapter: shutil.copyfile(c, t))
    for source in sources_in([repo / "exercises"]):
        put(workspace / "exercises" / source.with_suffix(".ipynb").name,
            lambda t, s=source: nbformat.write(student_notebook(s), t))
    return done


def learner_environ(environ=os.environ) -> dict[str, str]:
    """The environment JupyterLab and its kernels get: the caller's, minus the book build's switches."""
    return {k: v for k, v in environ.items() if k not in BOOK_ONLY_ENV}


def lab_command(workspace: Path, extra: list[str]) -> list[str]:
    jupyter = Path(sys.executable).with_name("jupyter")
    return [str(jupyter), "lab", "--ServerApp.ip=127.0.0.1", f"--ServerApp.root_dir={workspace}",
            "--allow-root", *extra]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kabulcase.lab", description=__doc__.split("\n")[0])
    parser.add_argument("--workspace", default=str(WORKSPACE), help="where the learner's copies go (default: lab/)")
    parser.add_argument("--prepare-only", action="store_true", help="prepare the workspace and stop")
    parser.add_argument("--port", type=int, help="JupyterLab's port")
    parser.add_argument("--token", help="JupyterLab's token (default: JupyterLab makes one)")
    parser.add_argument("--no-browser", action="store_true", help="do not open a browser")
    args = parser.parse_args(argv)

    workspace = Path(args.workspace).resolve()
    done = prepare(workspace)
    install_settings()
    for p in done["written"]:
        print(f"wrote {p.relative_to(workspace)}")
    if done["kept"]:
        print(f"kept {len(done['kept'])} file(s) you already had in {workspace} "
              "(delete one to get a fresh copy)")
    if args.prepare_only:
        return 0
    extra = []
    if args.port:
        extra.append(f"--ServerApp.port={args.port}")
    if args.token is not None:
        extra.append(f"--IdentityProvider.token={args.token}")
    if args.no_browser:
        extra.append("--no-browser")
    sys.stdout.flush()
    command = lab_command(workspace, extra)
    os.execve(command[0], command, learner_environ())
    return 0  # not reached


if __name__ == "__main__":
    sys.exit(main())
