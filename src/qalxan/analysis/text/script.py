"""Writing-system detection with ISO 15924 codes (``Latn``, ``Cyrl``, ``Arab``, ``Grek`` ...)."""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from functools import lru_cache
from typing import Final

# (first code point, last code point, ISO 15924 code), sorted by first code point.
_RANGES: Final[tuple[tuple[int, int, str], ...]] = (
    (0x0041, 0x005A, "Latn"),
    (0x0061, 0x007A, "Latn"),
    (0x00C0, 0x024F, "Latn"),
    (0x0250, 0x02AF, "Latn"),
    (0x0370, 0x03FF, "Grek"),
    (0x0400, 0x052F, "Cyrl"),
    (0x0530, 0x058F, "Armn"),
    (0x0590, 0x05FF, "Hebr"),
    (0x0600, 0x06FF, "Arab"),
    (0x0700, 0x074F, "Syrc"),
    (0x0750, 0x077F, "Arab"),
    (0x08A0, 0x08FF, "Arab"),
    (0x0900, 0x097F, "Deva"),
    (0x0980, 0x09FF, "Beng"),
    (0x0E00, 0x0E7F, "Thai"),
    (0x10A0, 0x10FF, "Geor"),
    (0x1100, 0x11FF, "Hang"),
    (0x1C80, 0x1C8F, "Cyrl"),
    (0x1E00, 0x1EFF, "Latn"),
    (0x1F00, 0x1FFF, "Grek"),
    (0x2C60, 0x2C7F, "Latn"),
    (0x2DE0, 0x2DFF, "Cyrl"),
    (0x3040, 0x309F, "Hira"),
    (0x30A0, 0x30FF, "Kana"),
    (0x4E00, 0x9FFF, "Hani"),
    (0xA640, 0xA69F, "Cyrl"),
    (0xA720, 0xA7FF, "Latn"),
    (0xAC00, 0xD7AF, "Hang"),
    (0xFB50, 0xFDFF, "Arab"),
    (0xFE70, 0xFEFF, "Arab"),
    (0xFF21, 0xFF3A, "Latn"),
    (0xFF41, 0xFF5A, "Latn"),
)
_STARTS: Final[tuple[int, ...]] = tuple(r[0] for r in _RANGES)
# Arabic-block characters that are not letters: digits, punctuation, tatweel.
_ARABIC_COMMON: Final[frozenset[int]] = frozenset(
    [0x060C, 0x061B, 0x061F, 0x0640, *range(0x0660, 0x066A), *range(0x06F0, 0x06FA)]
)

UNKNOWN: Final[str] = "Zyyy"  # ISO 15924 "common": no script of its own
_ASCII_NON_LETTERS: Final[bytes] = bytes(c for c in range(128) if not chr(c).isalpha())


@lru_cache(maxsize=8192)
def char_script(char: str) -> str:
    """The ISO 15924 code of a letter's script, or ``Zyyy`` for digits, marks, symbols."""
    cp = ord(char)
    if cp < 0x41 or cp in _ARABIC_COMMON or not char.isalpha():
        return UNKNOWN
    i = bisect_right(_STARTS, cp) - 1
    if i >= 0 and cp <= _RANGES[i][1]:
        return _RANGES[i][2]
    return UNKNOWN


def script_counts(text: str) -> Counter[str]:
    """Letters per script (characters without a script are not counted)."""
    if text.isascii():  # only ASCII letters have a script: Latin
        letters = len(text.encode("ascii").translate(None, _ASCII_NON_LETTERS))
        return Counter({"Latn": letters}) if letters else Counter()
    counts: Counter[str] = Counter()
    for char, count in Counter(text).items():  # distinct characters, in order of appearance
        script = char_script(char)
        if script != UNKNOWN:
            counts[script] += count
    return counts


def dominant_script(text: str) -> str:
    """The script with the most letters in ``text``; ``Zyyy`` when it has no letters."""
    counts = script_counts(text)
    if not counts:
        return UNKNOWN
    return counts.most_common(1)[0][0]


def is_mixed_script(word: str) -> bool:
    """True when a word mixes letters of two or more scripts (a sign of homoglyph tricks)."""
    return len(script_counts(word)) > 1
