"""Tables readers can sort and filter in the book, and read in Jupyter.

:func:`interactive_table` returns an object that shows as plain accessible HTML: a
caption, a labelled filter box, and column headers that are buttons. The book's own
``kc-tables.js`` makes them work (loaded only on pages that have such a table); with
JavaScript off the full table is still there. In a live notebook (JupyterLab), where no page
script runs, the same table shows as a widget whose filter and sort work
(:class:`kabulcase.widgets.table.TableExplorer`).
"""

from __future__ import annotations

import html
import os
import uuid
from collections.abc import Sequence

import pandas as pd

from .render import RENDERER_ENV


class InteractiveTable:
    def __init__(self, frame: pd.DataFrame, caption: str, columns: dict[str, str] | None = None):
        if not caption or not caption.strip():
            raise ValueError("An interactive table needs a caption that says what it holds.")
        if columns is not None:
            missing = [c for c in columns if c not in frame.columns]
            if missing:
                raise ValueError(
                    f"The table lacks the column(s) {', '.join(missing)}; "
                    f"it has {', '.join(map(str, frame.columns))}."
                )
            frame = frame[list(columns)].rename(columns=columns)
        self.frame = frame.reset_index(drop=True)
        self.caption = caption

    def _repr_html_(self) -> str:
        tid = f"kc-table-{uuid.uuid4().hex[:10]}"
        head = "".join(
            f'<th scope="col"><button type="button" class="kc-sort">{html.escape(str(c))}</button></th>'
            for c in self.frame.columns
        )
        body = []
        for row in self.frame.itertuples(index=False):
            cells = "".join(f"<td>{html.escape(format_cell(v))}</td>" for v in row)
            body.append(f"<tr>{cells}</tr>")
        n = len(self.frame)
        return (
            f'<div class="kc-sortable">'
            f'<p><label for="{tid}-filter">Filter rows</label>'
            f'<input type="search" id="{tid}-filter" class="kc-filter" '
            f'aria-controls="{tid}" aria-describedby="{tid}-status"> '
            f'<span id="{tid}-status" class="kc-filter-status" aria-live="polite">{n} rows</span></p>'
            f'<p class="kc-sort-hint">Select a column heading to sort by it.</p>'
            f'<div class="kc-table-scroll"><table id="{tid}" class="kc-data-table">'
            f"<caption>{html.escape(self.caption)}</caption>"
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div></div>"
        )

    def _repr_markdown_(self) -> str:
        """A plain Markdown table, for the PDF book (LaTeX cannot show the HTML one)."""
        def cell(v) -> str:
            return format_cell(v).replace("|", "\\|").replace("\n", " ")
        head = "| " + " | ".join(cell(c) for c in self.frame.columns) + " |"
        rule = "| " + " | ".join("---" for _ in self.frame.columns) + " |"
        rows = ["| " + " | ".join(cell(v) for v in row) + " |"
                for row in self.frame.itertuples(index=False)]
        return "\n".join([f"**{self.caption}**", "", head, rule, *rows])

    def __repr__(self) -> str:
        return f"{self.caption}\n{self.frame.to_string(index=False)}"

    def _repr_mimebundle_(self, include=None, exclude=None):
        # The book's page script works the HTML version; a live kernel gets the widget instead.
        # (IPython adds the HTML and Markdown versions to this bundle either way.)
        if os.environ.get(RENDERER_ENV) == "book":
            return {}
        from .widgets.table import TableExplorer

        return TableExplorer(self.frame, self.caption)._repr_mimebundle_()


def format_cell(v) -> str:
    """A cell as the tables show it: blank for missing, dates as YYYY-MM-DD, whole numbers with commas."""
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return ""
    if isinstance(v, pd.Timestamp):
        return v.strftime("%Y-%m-%d")
    if isinstance(v, float) and v.is_integer():
        return f"{int(v):,}"
    if isinstance(v, int) and not isinstance(v, bool):
        return f"{v:,}"
    return str(v)


def interactive_table(frame: pd.DataFrame, caption: str,
                      columns: dict[str, str] | Sequence[str] | None = None) -> InteractiveTable:
    """A sortable, filterable table of ``frame``.

    ``columns`` picks and renames columns: a dict ``{column: heading}`` or a list.
    """
    if columns is not None and not isinstance(columns, dict):
        columns = {c: c for c in columns}
    return InteractiveTable(frame, caption, columns)
