"""Export an exercise set to otter-grader's assignment format (otter-assign v1 notebook).

For a course that grades on Gradescope: ``otter assign`` turns the exported master
notebook into a student notebook and an autograder zip that Gradescope runs. The
exported notebook maps the exercise source's tags one to one:

* a raw ``# ASSIGNMENT CONFIG`` cell first, with exception-based tests
  (``tests: ok_format: false``, so nothing depends on stored outputs) and no otter cells
  in the student notebook (``init_cell``, ``check_all_cell``, ``export_cell`` off), so
  learners keep the module's own ``check(...)`` feedback and need no otter install;
* each auto-checked question becomes ``# BEGIN QUESTION`` ... ``# END QUESTION``: the
  solution cell with its stub as the prompt (``# BEGIN PROMPT``) and the solution as
  ``# BEGIN SOLUTION NO PROMPT``, and a ``# BEGIN TESTS`` block whose public test calls
  :func:`kabulcase.checks.check` and whose hidden test (``hidden: true``) calls
  :func:`kabulcase.checks.assert_hidden`: the same checks the module's grader runs;
* each written question becomes a ``manual: true`` question around its answer cell,
  worth the rubric's maximum, for marking by hand on Gradescope;
* ``hidden-check`` cells, the folded model answers and instructor-only cells are left
  out; MyST directives become plain Markdown, as in the release.

Otter scores each test all or nothing, so a question that the module's grader can give
part marks (for example 1 of 2) scores 0 or its full points here.
"""

from __future__ import annotations

import ast
import copy
import textwrap
from pathlib import Path

import nbformat
from nbconvert.preprocessors import ClearOutputPreprocessor

from .. import checks
from ..release import (HIDDEN_TAG, SOLUTION_TAG, STUB_KEY, MystToMarkdownPreprocessor,
                       ReleaseError, exercise_id, read_source)

CONFIG = """\
# ASSIGNMENT CONFIG
name: {name}
init_cell: false
check_all_cell: false
export_cell: false
solutions_pdf: false
generate: true
tests:
  ok_format: false
"""


class ExportError(ReleaseError):
    """The exercise source cannot be mapped onto otter's format."""


def _raw(text: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_raw_cell(text.rstrip("\n"))


def _assigned(source: str) -> set[str]:
    """Top-level names a cell assigns or defines."""
    names: set[str] = set()
    for node in ast.parse(source).body:
        if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names |= {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
    return names


def _short(key: str) -> str:
    return key.split(".", 1)[1]


def _test(name: str, params: list[str], points: float, hidden: bool, body: str) -> nbformat.NotebookNode:
    source = (f'""" # BEGIN TEST CONFIG\npoints: {points:g}\nhidden: {str(hidden).lower()}\n'
              f'""" # END TEST CONFIG\ndef {name}({", ".join(params)}):\n'
              + textwrap.indent(body.strip("\n"), "    "))
    return nbformat.v4.new_code_cell(source)


def _code_question(q: checks.Question, cell: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    stub = str(cell.metadata.get(STUB_KEY) or "").rstrip("\n")
    solution = (f"# BEGIN PROMPT\n{stub}\n# END PROMPT\n# BEGIN SOLUTION NO PROMPT\n"
                f"{cell.source.rstrip()}\n# END SOLUTION")
    name = _short(q.key)
    cells = [_raw(f"# BEGIN QUESTION\nname: {name}\npoints: {q.max_score + sum(h.max_score for h in q.hidden):g}\n"
                  f"check_cell: false"),
             nbformat.v4.new_markdown_cell(f"**{name}** ({q.title}): your code goes in the cell below."),
             _raw("# BEGIN SOLUTION"), nbformat.v4.new_code_cell(solution), _raw("# END SOLUTION"),
             _raw("# BEGIN TESTS"),
             _test(f"test_{name}", [q.variable], q.max_score, False,
                   f"from kabulcase.checks import check\n"
                   f"result = check({q.key!r}, {q.variable}, quiet=True)\n"
                   f"assert result.passed, result.message")]
    if q.hidden:
        variables = sorted({h.variable for h in q.hidden})
        namespace = "{" + ", ".join(f"{v!r}: {v}" for v in variables) + "}"
        cells.append(_test(f"test_{name}_hidden", variables, sum(h.max_score for h in q.hidden), True,
                           f"from kabulcase.checks import QUESTIONS, assert_hidden\n"
                           f"assert QUESTIONS[{q.key!r}].hidden, 'the hidden checks are not "
                           f"installed in this grading environment'\n"
                           f"assert_hidden({q.key!r}, {namespace})"))
    cells += [_raw("# END TESTS"), _raw("# END QUESTION")]
    return cells


def _written_question(r: checks.Rubric, cell: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    name = _short(r.key)
    return [_raw(f"# BEGIN QUESTION\nname: {name}\nmanual: true\npoints: {r.max_marks}"),
            nbformat.v4.new_markdown_cell(f"**{name}** ({r.title}): written answer, marked by hand "
                                          f"with the rubric (up to {r.max_marks} marks)."),
            copy.deepcopy(cell), _raw("# END QUESTION")]


def master_notebook(path: str | Path) -> nbformat.NotebookNode:
    """The otter-assign v1 master notebook of one exercise source."""
    path = Path(path)
    exercise = exercise_id(path)
    nb = copy.deepcopy(read_source(path))
    nb, _ = MystToMarkdownPreprocessor().preprocess(nb, {})
    nb, _ = ClearOutputPreprocessor().preprocess(nb, {})
    by_variable = {q.variable: q for q in checks.questions(exercise)}
    done: set[str] = set()
    cells = [_raw(CONFIG.format(name=exercise))]
    for index, cell in enumerate(nb.cells):
        tags = set(cell.metadata.get("tags", []))
        if HIDDEN_TAG in tags:
            continue  # becomes the hidden test of its question
        if cell.cell_type == "code":
            answers = [by_variable[v] for v in sorted(_assigned(cell.source)) if v in by_variable]
        else:
            answers = []
        if SOLUTION_TAG in tags:
            if cell.cell_type != "code" or not cell.metadata.get(STUB_KEY):
                continue  # a model answer or an instructor-only cell
            code = [q for q in answers if isinstance(q, checks.Question)]
            if len(code) != 1:
                raise ExportError(f"{path.name}, cell {index + 1}: a solution cell should answer "
                                  f"exactly one auto-checked question; it assigns "
                                  f"{[q.key for q in code] or 'none of them'}.")
            cells += _code_question(code[0], cell)
            done.add(code[0].key)
            continue
        written = [q for q in answers if isinstance(q, checks.Rubric)]
        if written:
            cells += _written_question(written[0], cell)
            done.add(written[0].key)
            continue
        cell.metadata.pop(STUB_KEY, None)
        cells.append(cell)
    missing = [q.key for q in checks.questions(exercise) if q.key not in done]
    if missing:
        raise ExportError(f"{path.name}: no cell answers {', '.join(missing)}, so otter would "
                          f"not grade {'them' if len(missing) > 1 else 'it'}.")
    out = nbformat.v4.new_notebook(cells=cells, metadata={
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
        "kabulcase": {"exercise": exercise, "copy": "otter-master", "source": path.name}})
    for i, c in enumerate(out.cells):
        c["id"] = f"{exercise}-otter-{i:03d}"
    nbformat.validate(out)
    return out


def export(sources: list[str | Path], out: str | Path) -> list[Path]:
    """Write ``<out>/<exNN>/<exNN>.ipynb`` (the master for ``otter assign``) per source."""
    written = []
    for source in sources:
        exercise = exercise_id(source)
        target = Path(out) / exercise / f"{exercise}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(master_notebook(source), target)
        written.append(target)
    return written
