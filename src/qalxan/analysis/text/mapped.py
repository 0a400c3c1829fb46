"""Text with a map back to the original: every derived character knows where it came from.

Findings carry spans in the ORIGINAL message text, while detectors match on normalised or
transliterated text. ``MappedText`` keeps, for each character of the derived text, the
half-open range ``[start, end)`` of original characters that produced it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, slots=True)
class MappedText:
    """A derived text plus, per character, its source range in the original text."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    original_length: int

    @classmethod
    def identity(cls, text: str) -> MappedText:
        """The original text mapped onto itself."""
        n = len(text)
        return cls(text, tuple(range(n)), tuple(range(1, n + 1)), n)

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map ``[start, end)`` in this text to the smallest covering range in the original."""
        if not 0 <= start < end <= len(self.text):
            raise ValueError(f"span ({start}, {end}) outside text of length {len(self.text)}")
        return self.starts[start], max(self.ends[start:end])


def remap(source: MappedText, pieces: Sequence[str]) -> MappedText:
    """Replace each character of ``source.text`` by ``pieces[i]`` and carry the map along.

    An empty piece drops the character; its original range is folded into the previous
    kept character so that spans ending on it still cover it.
    """
    if len(pieces) != len(source.text):
        raise ValueError("one piece per source character is required")
    lengths = np.fromiter(map(len, pieces), dtype=np.int64, count=len(pieces))
    kept = lengths > 0
    if not kept.any():
        return MappedText("", (), (), source.original_length)
    group = np.cumsum(kept) - 1  # the kept character each source character folds into
    valid = group >= 0
    group_end = np.zeros(int(kept.sum()), dtype=np.int64)
    np.maximum.at(group_end, group[valid], np.asarray(source.ends, dtype=np.int64)[valid])
    starts = np.repeat(np.asarray(source.starts, dtype=np.int64)[kept], lengths[kept])
    ends = np.repeat(group_end, lengths[kept])
    return MappedText(
        "".join(pieces), tuple(starts.tolist()), tuple(ends.tolist()), source.original_length
    )
