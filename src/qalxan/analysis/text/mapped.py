"""Text with a map back to the original: every derived character knows where it came from.

Findings carry spans in the ORIGINAL message text, while detectors match on normalised or
transliterated text. ``MappedText`` keeps, for each character of the derived text, the
half-open range ``[start, end)`` of original characters that produced it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


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
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for i, piece in enumerate(pieces):
        if not piece:
            if ends:
                ends[-1] = max(ends[-1], source.ends[i])
            continue
        chars.append(piece)
        starts.extend([source.starts[i]] * len(piece))
        ends.extend([source.ends[i]] * len(piece))
    return MappedText("".join(chars), tuple(starts), tuple(ends), source.original_length)
