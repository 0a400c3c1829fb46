"""Obfuscations a person uses to slip a threat past a filter, applied to one marked word.

A template marks the word to disguise with brackets (``I will [kill] you``); each transform
rewrites that word and drops the brackets, and :func:`plain` only drops them.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_MARK = re.compile(r"\[([^\]]+)\]")
_LEET = str.maketrans({"e": "3", "o": "0", "i": "1", "a": "4", "s": "$"})
_TO_CYRILLIC = str.maketrans({"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х"})
_TO_LATIN = str.maketrans({"а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "х": "x", "у": "y"})


def _on_word(text: str, change: Callable[[str], str]) -> str:
    return _MARK.sub(lambda m: change(m.group(1)), text)


def plain(text: str) -> str:
    return _on_word(text, lambda w: w)


def spaced(text: str) -> str:
    return _on_word(text, lambda w: " ".join(w))


def doubled(text: str) -> str:
    return _on_word(text, lambda w: w[:2] + w[1] + w[2:] if len(w) > 2 else w + w[-1])


def swapped(text: str) -> str:
    def swap(w: str) -> str:
        i = len(w) // 2
        return w[:i] + w[i + 1] + w[i] + w[i + 2 :] if len(w) > 3 else w

    return _on_word(text, swap)


def leet(text: str) -> str:
    return _on_word(text, lambda w: w[0] + w[1:].translate(_LEET))


def homoglyph(text: str) -> str:
    def glyphs(w: str) -> str:
        if any("\u0400" <= c <= "\u04ff" for c in w):
            return w.translate(_TO_LATIN)
        return w.translate(_TO_CYRILLIC)

    return _on_word(text, glyphs)


def dotted(text: str) -> str:
    return _on_word(text, lambda w: ".".join(w))


LATIN = {
    "spaced": spaced,
    "doubled": doubled,
    "swapped": swapped,
    "leet": leet,
    "homoglyph": homoglyph,
    "dotted": dotted,
}
CYRILLIC = {
    "spaced": spaced,
    "doubled": doubled,
    "swapped": swapped,
    "homoglyph": homoglyph,
    "dotted": dotted,
}
ARABIC = {"spaced": spaced, "doubled": doubled, "dotted": dotted}
