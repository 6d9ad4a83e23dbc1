"""Shared code for the 'Cameras over Kabul' teaching module.

``from kabulcase import load`` is the one way to read the module's data; chart builders
live in :mod:`kabulcase.figures`, interactive tables in :mod:`kabulcase.tables`.
"""

from . import render as _render
from .data import DataValidationError, UnknownDatasetError, datasets, load, sources_for, value

__all__ = ["DataValidationError", "UnknownDatasetError", "datasets", "load", "sources_for", "value"]
__version__ = "0.1.0"

# In the book build the Makefile sets KABULCASE_RENDERER=book, so every figure also
# carries the book's accessible, CDN-free HTML; elsewhere plotly's defaults are untouched.
_render.register()
