"""Numbers and phrases for the prose, read the same way in the book and in JupyterLab.

A chapter's hidden code cell computes each number from data/ and stores it with
:func:`glue`; the Markdown then shows it with an inline expression::

    only {eval}`f"{facts.dabs:.0f}"`% of Afghans have electricity

MyST-NB evaluates ``{eval}`` while it builds the book (``nb_execution_mode: inline``), and
jupyterlab-myst evaluates it in the learner's kernel when the Markdown cell is run. Both read
the same :data:`facts`, so the book and the notebook show the same number. (MyST-NB's own
``glue`` stores values in the cell's outputs, which JupyterLab cannot read back into prose.)
"""

from __future__ import annotations

import keyword
from types import SimpleNamespace
from typing import Any


class Facts(SimpleNamespace):
    """The prose's numbers for one notebook: ``facts.name`` in an inline expression.

    A missing name raises an error that names it and says where it should come from,
    instead of the bare ``AttributeError`` an inline expression would otherwise show.
    """

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        raise AttributeError(
            f"No number called {name!r} has been computed yet. Run the chapter's first code "
            f"cells (Run > Run All Cells), or glue({name!r}, value) in a code cell above.")


facts = Facts()


def plain(x: Any) -> Any:
    """A NumPy or pandas scalar as the plain Python number it holds (formats like one)."""
    item = getattr(x, "item", None)
    if callable(item) and getattr(x, "ndim", None) == 0:
        return item()
    return x


def glue(name: str, value: Any, display: bool = False) -> Any:
    """Store ``value`` as ``facts.<name>`` for the prose; returns it.

    The signature matches MyST-NB's ``glue`` (``display`` is accepted and ignored: nothing
    is shown in the cell), so a chapter swaps the import and nothing else.
    """
    if not isinstance(name, str) or not name.isidentifier() or keyword.iskeyword(name):
        raise ValueError(
            f"glue() needs a Python identifier as the name, got {name!r}: the prose reads it "
            "as facts.<name>, so use letters, digits and underscores only.")
    setattr(facts, name, plain(value))
    return value


_SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"), (1e3, "thousand"))


def in_words(x: float, digits: int = 2) -> str:
    """A number as a reader says it: 1200000 -> "1.2 million", 61500 -> "61,500", 0.35 -> "0.35".

    Keeps ``digits`` significant figures for millions and up, so a slider's readout never
    falls into scientific notation.
    """
    x = float(x)
    if x != x or x in (float("inf"), float("-inf")):
        raise ValueError(f"in_words() needs a finite number, got {x!r}.")
    sign, x = ("-" if x < 0 else ""), abs(x)
    for scale, word in _SCALES[:3]:
        if x >= scale:
            return f"{sign}{x / scale:.{digits}g} {word}"
    if x >= 100 or x == int(x):
        return f"{sign}{x:,.0f}"
    return f"{sign}{x:.{digits}g}"

