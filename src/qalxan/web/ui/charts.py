"""Charts drawn on the server as small static SVG, no script and no chart library.

Labels and numbers stay in HTML (translated, selectable, read by screen readers, mirrored by
``dir="rtl"``); the SVG holds only the bars, so it can be mirrored for right-to-left pages by
the style sheet without mirroring any text.
"""

from __future__ import annotations

from dataclasses import dataclass

from qalxan.services.aggregates import Count

COLUMN_HEIGHT = 40.0  # the week chart's viewBox is 100 x COLUMN_HEIGHT
COLUMN_GAP = 0.2  # of each column's slot


@dataclass(frozen=True)
class Bar:
    key: str
    count: int | None  # None: fewer than 3, drawn as no bar
    percent: float  # of the longest bar, 0-100


@dataclass(frozen=True)
class Column:
    key: str
    count: int | None
    x: float
    y: float
    width: float
    height: float


def _largest(counts: list[Count]) -> int:
    return max((c.count for c in counts if c.count is not None), default=0)


def bars(counts: list[Count], limit: int = 12) -> list[Bar]:
    """The ``limit`` largest counts as bars, the longest 100 % wide."""
    top = max(1, _largest(counts))
    return [Bar(c.key, c.count, round(100 * (c.count or 0) / top, 2)) for c in counts[:limit]]


def columns(counts: list[Count]) -> list[Column]:
    """One column per count (weeks, oldest first), scaled to the tallest."""
    if not counts:
        return []
    top = max(1, _largest(counts))
    slot = 100 / len(counts)
    width = round(slot * (1 - COLUMN_GAP), 3)
    shown = []
    for i, c in enumerate(counts):
        height = round(COLUMN_HEIGHT * (c.count or 0) / top, 3)
        shown.append(Column(c.key, c.count, round(i * slot + slot * COLUMN_GAP / 2, 3),
                            round(COLUMN_HEIGHT - height, 3), width, height))
    return shown
