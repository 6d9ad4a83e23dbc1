"""A notebook downloaded from the book, run on its own outside the repository.

The book offers each chapter as a notebook and each exercise set as its student copy. A
learner who runs one in a Python without the module's package must get one clear message
that says how to get it; one who follows that message (a copy of the repository, then
``pip install -r requirements.txt``) must be able to run it from any folder, and so must
one who installs the package without ``-e`` (a normal install) and then deletes the copy.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import jupytext
import nbformat
import pytest
from support import REPO

from kabulcase.release import student_notebook

CHAPTER = REPO / "chapters" / "02-power.md"
EXERCISE = REPO / "exercises" / "ex02-power.md"
PIP = ["-m", "pip", "install", "--quiet", "--disable-pip-version-check"]


def _run(cmd, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, text=True, errors="replace", **kw)


def _copy_of_repository(target: Path) -> Path:
    """What `git clone` gives a learner: the tracked files (and, in a working tree, new ones)."""
    listed = _run(["git", "ls-files", "-co", "--exclude-standard"], cwd=REPO, check=True).stdout
    for name in listed.splitlines():
        src = REPO / name
        if src.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, target / name)
    return target


def _execute(python: Path, notebook: Path, cwd: Path) -> subprocess.CompletedProcess:
    """Run the notebook top to bottom in a kernel of that Python, as 'Run All' does."""
    code = ("import sys, nbformat; from nbclient import NotebookClient; "
            "nb = nbformat.read(sys.argv[1], as_version=4); "
            "NotebookClient(nb, timeout=300, kernel_name='python3').execute(); print('RAN')")
    return _run([str(python), "-c", code, str(notebook)], cwd=cwd, timeout=600,
                env={"PATH": f"{python.parent}:/usr/bin:/bin", "HOME": str(cwd)})


@pytest.fixture(scope="module")
def downloads(tmp_path_factory) -> dict[str, Path]:
    """The two downloads, in a folder far from the repository."""
    folder = tmp_path_factory.mktemp("downloads")
    chapter = folder / "02-power.ipynb"
    nbformat.write(jupytext.read(CHAPTER), chapter)  # what the book's .ipynb download holds
    exercise = folder / "ex02-power.ipynb"
    nbformat.write(student_notebook(EXERCISE), exercise)  # the book's download: the student copy
    return {"chapter": chapter, "exercise": exercise, "folder": folder}


@pytest.fixture(scope="module")
def fresh_python(tmp_path_factory) -> Path:
    """A new virtual environment with only a kernel in it, as a learner might have."""
    venv = tmp_path_factory.mktemp("venv") / "env"
    _run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    done = _run([str(python), *PIP, "ipykernel", "nbclient", "nbformat"])
    assert done.returncode == 0, done.stderr[-2000:]
    return python


def test_without_the_package_the_notebook_says_how_to_get_it(downloads, fresh_python):
    for name in ("chapter", "exercise"):
        ran = _execute(fresh_python, downloads[name], downloads["folder"])
        assert ran.returncode != 0
        message = ran.stderr + ran.stdout
        assert "needs the module's Python package, kabulcase" in message, message[-2000:]
        assert "git clone" in message and "pip install -r requirements.txt" in message


def test_following_the_instructions_the_notebooks_run(downloads, fresh_python, tmp_path_factory):
    """Copy of the repository, `pip install -r requirements.txt` in it, then run from elsewhere;
    then a normal (non-editable) install, with the copy deleted: the data must come along."""
    clone = _copy_of_repository(tmp_path_factory.mktemp("clone") / "kabul-surveillance-module")
    done = _run([str(fresh_python), *PIP, "-r", "requirements.txt"], cwd=clone, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    for name in ("chapter", "exercise"):
        ran = _execute(fresh_python, downloads[name], downloads["folder"])
        assert ran.returncode == 0 and "RAN" in ran.stdout, (name, ran.stderr[-3000:])

    done = _run([str(fresh_python), *PIP, "--no-deps", "--force-reinstall", str(clone)],
                cwd=downloads["folder"], timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    shutil.rmtree(clone)
    where = _run([str(fresh_python), "-c", "import kabulcase.data as d; print(d.DATA_DIR)"],
                 cwd=downloads["folder"])
    assert "site-packages" in where.stdout, where.stdout + where.stderr
    for name in ("chapter", "exercise"):
        ran = _execute(fresh_python, downloads[name], downloads["folder"])
        assert ran.returncode == 0 and "RAN" in ran.stdout, (name, ran.stderr[-3000:])


def test_every_notebook_says_where_the_module_is():
    """The first code cell of every chapter and exercise set names the repository of book/_config.yml."""
    import yaml

    url = yaml.safe_load((REPO / "book" / "_config.yml").read_text())["repository"]["url"]
    pages = sorted((REPO / "chapters").glob("*.md")) + sorted((REPO / "exercises").glob("ex*.md"))
    for page in pages:
        first = next(c for c in jupytext.read(page).cells if c.cell_type == "code")
        assert "import kabulcase" in first.source and f"git clone {url}" in first.source, page.name
