"""Student and instructor copies of the exercise notebooks.

Each exercise notebook has one source, ``exercises/exNN-*.md`` (MyST markdown), marked
with cell tags:

* ``solution`` — a worked solution. A code cell may carry a ``stub`` (in its options
  block); the student copy gets the stub in its place (``# your code here`` and ``...``,
  so the notebook still runs top to bottom). A solution cell without a stub, and every
  markdown cell tagged ``solution`` (the ``{solution}`` model answers), is left out.
* ``hidden-check`` — grader-only assertions; left out of the student copy.

Usage::

    python -m kabulcase.release                 # release/student/*.ipynb, release/instructor/*.ipynb
    python -m kabulcase.release --force         # replace an existing release
    python -m kabulcase.release --in-place-student exercises/   # Binder: rewrite the sources

It reads the sources with jupytext and transforms them with nbformat and nbconvert
preprocessors (no otter-grader or nbgrader; see :mod:`kabulcase.checks` for why). Both
copies have their outputs cleared and keep their MyST, which jupyterlab-myst (in
requirements.txt) renders in JupyterLab: exercise statements, notes, links and the numbers
of ``{eval}`` roles. ``plain_markdown=True`` turns directives and roles into plain Markdown
for a JupyterLab without jupyterlab-myst, at a cost: numbers shown with ``{eval}`` can then
only appear as their expression. The student copy is checked as it is made: a
``{solution}`` directive outside a ``solution`` cell stops the release rather than
leaking a model answer.
"""

from __future__ import annotations

import argparse
import copy
import re
import sys
from pathlib import Path

import jupytext
import nbformat
from nbconvert.preprocessors import ClearOutputPreprocessor, Preprocessor

SOLUTION_TAG = "solution"
HIDDEN_TAG = "hidden-check"
ANSWER_TAG = "answer"
STUB_KEY = "stub"
BOOK_TAGS = {"hide-cell", "hide-input", "hide-output", "remove-cell", "remove-input",
             "remove-output"}
REPO = Path(__file__).resolve().parent.parent
DEFAULT_SOURCES = REPO / "exercises"

_DIRECTIVE = re.compile(
    r"^(?P<fence>`{3,}|:{3,})\{(?P<name>[\w:.-]+)\}[ \t]*(?P<arg>[^\n]*)\n(?P<body>.*?)^(?P=fence)[ \t]*$",
    re.M | re.S)
_SOLUTION_DIRECTIVE = re.compile(r"^(`{3,}|:{3,})\{solution(-start)?\}", re.M)
_ROLE = re.compile(r"\{(?P<role>[\w:.-]+)\}`(?P<content>[^`]*)`")
_TITLED = re.compile(r"^(?P<text>.*?)\s*<(?P<target>[^<>]+)>$", re.S)


class ReleaseError(RuntimeError):
    """The source cannot be released safely (it would leak a solution, or is malformed)."""


def exercise_id(path: str | Path) -> str:
    """"ex01" for exercises/ex01-the-case.md."""
    m = re.match(r"(ex\d+)", Path(path).name)
    if not m:
        raise ReleaseError(f"{Path(path).name}: exercise files are named exNN-title.md "
                           f"(for example ex01-the-case.md).")
    return m.group(1)


def read_source(path: str | Path) -> nbformat.NotebookNode:
    """The MyST-markdown exercise source as a notebook (jupytext)."""
    path = Path(path)
    if not path.exists():
        raise ReleaseError(f"No exercise source at {path}.")
    return jupytext.read(path)


# --------------------------------------------------------------------------- preprocessors

class StudentPreprocessor(Preprocessor):
    """Leave out solutions and hidden checks; put each solution's stub in its place."""

    def preprocess(self, nb, resources):
        cells = []
        for index, cell in enumerate(nb.cells):
            tags = list(cell.metadata.get("tags", []))
            if HIDDEN_TAG in tags:
                continue
            if SOLUTION_TAG in tags:
                if cell.cell_type == "markdown":
                    rest = _DIRECTIVE.sub("", cell.source).strip()
                    if rest:
                        raise ReleaseError(
                            f"cell {index + 1} is tagged '{SOLUTION_TAG}' but holds more than "
                            f"the {{solution}} directive ({rest[:60]!r}...): the student copy "
                            f"would lose that text. End the solution cell with a line '+++'.")
                stub = cell.metadata.get(STUB_KEY)
                if cell.cell_type == "code" and stub:
                    cells.append(nbformat.v4.new_code_cell(
                        source=str(stub).rstrip("\n"), metadata={"tags": [ANSWER_TAG]}))
                continue
            if STUB_KEY in cell.metadata:
                raise ReleaseError(f"cell {index + 1} has a stub but is not tagged "
                                   f"'{SOLUTION_TAG}'; tag it, or remove the stub.")
            if cell.cell_type == "markdown" and _SOLUTION_DIRECTIVE.search(cell.source):
                raise ReleaseError(
                    f"cell {index + 1} holds a {{solution}} directive but is not tagged "
                    f"'{SOLUTION_TAG}': the student copy would show the model answer. Put "
                    f'+++ {{"tags": ["{SOLUTION_TAG}"]}} before it.')
            cells.append(cell)
        nb.cells = cells
        return nb, resources


class InstructorPreprocessor(Preprocessor):
    """Keep everything; drop only the stub metadata, which is release machinery."""

    def preprocess_cell(self, cell, resources, index):
        cell.metadata.pop(STUB_KEY, None)
        return cell, resources


class MystToMarkdownPreprocessor(Preprocessor):
    """Turn MyST directives and roles into plain Markdown that JupyterLab renders."""

    def preprocess(self, nb, resources):
        numbers: dict[str, int] = {}
        count = 0
        for cell in nb.cells:  # number the exercises first so solutions can name them
            if cell.cell_type == "markdown":
                for m in _DIRECTIVE.finditer(cell.source):
                    if m.group("name") in ("exercise", "exercise-start"):
                        count += 1
                        label = _options(m.group("body"))[0].get("label", f"exercise-{count}")
                        numbers[label] = count
        state = {"n": 0}
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                cell.source = _plain_markdown(cell.source, numbers, state)
        return nb, resources


def _options(body: str) -> tuple[dict, str]:
    """Directive options (``:key: value`` lines or a ``---`` YAML block) and the rest."""
    lines = body.split("\n")
    opts: dict[str, str] = {}
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), 0)
        for line in lines[1:end]:
            if ":" in line:
                k, v = line.split(":", 1)
                opts[k.strip()] = v.strip()
        return opts, "\n".join(lines[end + 1:]).strip("\n")
    i = 0
    while i < len(lines) and (m := re.match(r"^:([\w-]+):\s*(.*)$", lines[i])):
        opts[m.group(1)] = m.group(2)
        i += 1
    return opts, "\n".join(lines[i:]).strip("\n")


def _plain_markdown(text: str, numbers: dict[str, int], state: dict) -> str:
    def directive(m: re.Match) -> str:
        name, arg = m.group("name"), m.group("arg").strip()
        opts, body = _options(m.group("body"))
        body = _DIRECTIVE.sub(directive, body)
        if name in ("exercise", "exercise-start"):
            state["n"] += 1
            return f"### Exercise {state['n']}" + (f": {arg}" if arg else "") + f"\n\n{body}"
        if name in ("solution", "solution-start"):
            n = numbers.get(arg)
            return (f"#### Solution to exercise {n}" if n else "#### Solution") + f"\n\n{body}"
        if name in ("code-block", "code"):
            return f"```{arg}\n{body}\n```"
        title = arg if name in ("admonition", "dropdown") and arg else name.split(":")[-1].capitalize()
        quoted = "\n".join(f"> {line}" if line else ">" for line in body.split("\n"))
        return f"> **{title}**\n>\n{quoted}"

    text = _DIRECTIVE.sub(directive, text)
    return _ROLE.sub(_plain_role, text)


def _plain_role(m: re.Match) -> str:
    role, content = m.group("role"), m.group("content")
    titled = _TITLED.match(content)
    text, target = (titled.group("text"), titled.group("target")) if titled else (content, content)
    if role == "doc":
        return f"[{text}]({target}.md)"
    if role.startswith("glue"):
        return f"`{content.split(':')[0]}`"
    if role.startswith(("cite", "footcite")):
        return "(" + ", ".join(k.strip() for k in content.split(",")) + ")"
    return text


class CleanMetadataPreprocessor(Preprocessor):
    """Deterministic cell ids, no jupytext pairing, and the release's own metadata."""

    exercise = ""
    copy_kind = ""
    source = ""

    def preprocess(self, nb, resources):
        nb.metadata.pop("jupytext", None)
        nb.metadata.setdefault("kernelspec", {"display_name": "Python 3", "language": "python",
                                              "name": "python3"})
        nb.metadata["language_info"] = {"name": "python"}
        nb.metadata["kabulcase"] = {"exercise": self.exercise, "copy": self.copy_kind,
                                    "source": self.source}
        nb.nbformat, nb.nbformat_minor = 4, 5
        for i, cell in enumerate(nb.cells):
            cell["id"] = f"{self.exercise}-{i:03d}"
            if cell.cell_type == "markdown":
                cell.pop("outputs", None)
                cell.pop("execution_count", None)
        return nb, resources


def _transform(path: str | Path, kind: str, plain_markdown: bool) -> nbformat.NotebookNode:
    path = Path(path)
    nb = copy.deepcopy(read_source(path))
    ex = exercise_id(path)
    steps: list[Preprocessor] = [StudentPreprocessor() if kind == "student" else InstructorPreprocessor()]
    if plain_markdown:
        steps.append(MystToMarkdownPreprocessor())
    steps.append(ClearOutputPreprocessor())
    clean = CleanMetadataPreprocessor()
    clean.exercise, clean.copy_kind = ex, kind
    try:
        clean.source = str(path.resolve().relative_to(REPO))
    except ValueError:
        clean.source = path.name
    steps.append(clean)
    resources: dict = {}
    for step in steps:
        nb, resources = step.preprocess(nb, resources)
    nbformat.validate(nb)
    return nb


def student_notebook(path: str | Path, *, plain_markdown: bool = False) -> nbformat.NotebookNode:
    """The student copy of one exercise source: no solutions, no hidden checks, no
    outputs; stubs where the exercise needs code. Used by the book for the download
    button of exercise pages."""
    return _transform(path, "student", plain_markdown)


def instructor_notebook(path: str | Path, *, plain_markdown: bool = False) -> nbformat.NotebookNode:
    """The instructor copy: everything, outputs cleared."""
    return _transform(path, "instructor", plain_markdown)


def sources_in(paths: list[str | Path] | None) -> list[Path]:
    found: list[Path] = []
    for p in paths or [DEFAULT_SOURCES]:
        p = Path(p)
        if p.is_dir():
            found += sorted(q for q in p.glob("ex*.md") if re.match(r"ex\d+", q.name))
        elif p.exists():
            found.append(p)
        else:
            raise ReleaseError(f"No exercise source or folder at {p}.")
    if not found:
        raise ReleaseError("No exercise sources found (exercises/exNN-*.md).")
    return found


def release(sources: list[str | Path] | None = None, out: str | Path = "release",
            force: bool = False) -> list[Path]:
    """Write ``out/student/*.ipynb`` and ``out/instructor/*.ipynb``.

    Refuses (ReleaseError) to overwrite an existing release unless ``force``.
    """
    out = Path(out)
    plan = []
    for src in sources_in(sources):
        name = src.with_suffix(".ipynb").name
        plan.append((src, out / "student" / name, out / "instructor" / name))
    existing = [p for _, s, i in plan for p in (s, i) if p.exists()]
    if existing and not force:
        raise ReleaseError(
            "A release already exists:\n" + "\n".join(f"  {p}" for p in existing)
            + "\nStudents may already have these copies, so they are not overwritten. To "
              "replace them, run `make release FORCE=1` (or `python -m kabulcase.release "
              "--force`).")
    # Build every copy before writing any, so a source that fails leaves no half release.
    built = [(student_notebook(src), s, instructor_notebook(src), i) for src, s, i in plan]
    written = []
    for snb, s, inb, i in built:
        for nb, target in ((snb, s), (inb, i)):
            target.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, target)
            written.append(target)
    return written


def student_markdown(path: str | Path) -> str:
    """The student copy as MyST-markdown text (jupytext), for the book's ``.md`` source
    download of exercise pages and for Binder's in-place rewrite."""
    nb = student_notebook(path)
    nb.metadata["jupytext"] = {"text_representation": {"extension": ".md", "format_name": "myst"}}
    return jupytext.writes(nb, fmt="md:myst")


def is_student_source(nb: nbformat.NotebookNode) -> bool:
    return not any({SOLUTION_TAG, HIDDEN_TAG} & set(c.metadata.get("tags", [])) for c in nb.cells)


def write_student_sources(folder: str | Path) -> list[Path]:
    """Overwrite every exercise source in ``folder`` with its student version (MyST
    markdown, read by jupytext). For Binder's postBuild, so launched notebooks hold no
    solutions. Sources that are already student versions are left alone."""
    rewritten = []
    for src in sources_in([folder]):
        if is_student_source(read_source(src)):
            continue
        src.write_text(student_markdown(src), encoding="utf-8")
        rewritten.append(src)
    return rewritten


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m kabulcase.release",
        description="Make student and instructor copies of the exercise notebooks.")
    parser.add_argument("sources", nargs="*", help="exercise sources or folders (default: exercises/)")
    parser.add_argument("--out", default="release", help="release folder (default: release)")
    parser.add_argument("--force", action="store_true", help="overwrite an existing release")
    parser.add_argument("--in-place-student", metavar="DIR",
                        help="overwrite the sources in DIR with student versions (for Binder)")
    args = parser.parse_args(argv)
    try:
        if args.in_place_student:
            done = write_student_sources(args.in_place_student)
            for p in done:
                print(f"rewrote {p} as a student copy (solutions and hidden checks removed)")
            if not done:
                print(f"nothing to do: the sources in {args.in_place_student} hold no solutions")
            return 0
        written = release(args.sources or None, args.out, args.force)
    except ReleaseError as exc:
        print(f"release: {exc}", file=sys.stderr)
        return 1
    for p in written:
        print(f"wrote {p}")
    print(f"\nGive students the files in {Path(args.out) / 'student'}; keep "
          f"{Path(args.out) / 'instructor'} to yourself.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
