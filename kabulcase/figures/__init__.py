"""Chart builders: one module per chapter, sharing the look in :mod:`.theme`.

Every builder reads its dataset through :func:`kabulcase.load` when it is not given a
table, refuses a table that lacks the columns it needs, draws ranges as ranges, and
returns a plotly figure whose source note and accessibility metadata come from the data.
"""

from .case import camera_timeline, claims_by_source, claims_ledger
from .theme import ChartDataError

__all__ = ["ChartDataError", "camera_timeline", "claims_by_source", "claims_ledger"]
