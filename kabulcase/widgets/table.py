"""The live twin of the book's sortable, filterable tables, for JupyterLab.

In the book, ``kc-tables.js`` makes a table's filter box and column headings work. A
notebook runs no page script, so there the same table is this widget: a filter box, a
column to sort by and a direction, and the rows that match.
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import pandas as pd

from ..tables import format_cell

ASCENDING, DESCENDING = "ascending", "descending"


def filter_rows(frame: pd.DataFrame, text: str) -> pd.DataFrame:
    """Rows in which any cell, as shown, contains ``text`` (ignoring case), like the book's box."""
    needle = text.strip().casefold()
    if not needle:
        return frame
    shown = frame.map(format_cell).apply(lambda col: col.str.casefold())
    return frame[shown.apply(lambda col: col.str.contains(needle, regex=False)).any(axis=1)]


def sort_rows(frame: pd.DataFrame, column: str | None, direction: str = ASCENDING) -> pd.DataFrame:
    """Rows sorted by ``column`` (blanks last); ``None`` keeps the data's order."""
    if column is None:
        return frame
    if column not in frame.columns:
        raise ValueError(f"No column {column!r} to sort by; the table has {', '.join(map(str, frame.columns))}.")
    return frame.sort_values(column, ascending=direction == ASCENDING, na_position="last", kind="stable")


def rows_html(frame: pd.DataFrame, caption: str) -> str:
    head = "".join(f'<th scope="col">{html.escape(str(c))}</th>' for c in frame.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(format_cell(v))}</td>" for v in row) + "</tr>"
        for row in frame.itertuples(index=False))
    return (f'<table class="kc-data-table"><caption>{html.escape(caption)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")


class TableExplorer(widgets.VBox):
    """``filter_box``, ``sort_by``, ``direction``, ``status`` and ``table`` are its parts."""

    def __init__(self, frame: pd.DataFrame, caption: str):
        self.frame, self.caption = frame, caption
        self.filter_box = widgets.Text(description="Filter rows", placeholder="e.g. grid",
                                       continuous_update=True)
        self.sort_by = widgets.Dropdown(description="Sort by",
                                        options=[("data order", None)] + [(str(c), c) for c in frame.columns])
        self.direction = widgets.ToggleButtons(options=[ASCENDING, DESCENDING], description="Order")
        self.status = widgets.Label()
        self.table = widgets.HTML()
        for control in (self.filter_box, self.sort_by, self.direction):
            control.observe(lambda _change: self.update(), names="value")
        super().__init__([self.filter_box, widgets.HBox([self.sort_by, self.direction]),
                          self.status, self.table])
        self.update()

    def shown(self) -> pd.DataFrame:
        rows = filter_rows(self.frame, self.filter_box.value)
        return sort_rows(rows, self.sort_by.value, self.direction.value)

    def update(self) -> None:
        rows = self.shown()
        self.status.value = f"{len(rows)} of {len(self.frame)} rows"
        self.table.value = rows_html(rows, self.caption)
