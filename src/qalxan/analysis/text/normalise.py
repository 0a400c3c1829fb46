"""Normalisation that survives obfuscation: homoglyphs, leetspeak, zero-width characters,
compatibility forms (NFKC), case and diacritics, with offsets back to the original text.

``normalise`` returns a :class:`MappedText`; ``normalise_text`` returns only the string and is
the fast path for feature extraction. Both produce the same string for the same input.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Final

from qalxan.analysis.text.mapped import MappedText, remap
from qalxan.analysis.text.script import char_script
from qalxan.analysis.text.tables import (
    FOLD,
    INVISIBLE,
    LEET_CHARS,
    LEET_CYRILLIC,
    LEET_LATIN,
    TO_CYRILLIC,
    TO_LATIN,
)

_WORD: Final[re.Pattern[str]] = re.compile(r"[^\W_]+(?:[@$!|€]+[^\W_]+)*|[@$][^\W_]+")
_REPEAT: Final[re.Pattern[str]] = re.compile(r"(.)\1{2,}", re.DOTALL)
_MAX_REPEAT: Final[int] = 2


@lru_cache(maxsize=8192)
def fold_char(char: str) -> str:
    """Context-free normalisation of one character: invisible → '', NFKC, casefold, fold."""
    if char in INVISIBLE or unicodedata.category(char) == "Cf":
        return ""
    out: list[str] = []
    for c in unicodedata.normalize("NFKC", char).casefold():
        for d in unicodedata.normalize("NFD", c):
            if unicodedata.category(d) != "Mn":
                out.append(FOLD.get(d, d))
    return "".join(out)


def _majority_script(word: str) -> str:
    counts: dict[str, int] = {}
    for char in word:
        script = char_script(char)
        if script in ("Latn", "Cyrl", "Grek"):
            counts[script] = counts.get(script, 0) + 1
    if not counts:
        return ""
    return max(sorted(counts), key=lambda s: counts[s])


def _deobfuscate_char(char: str, index: int, script: str, leet: bool) -> str:
    if leet and char in LEET_CHARS and not (index == 0 and char == "@"):
        table = LEET_CYRILLIC if script == "Cyrl" else LEET_LATIN
        return table.get(char, char)
    own = char_script(char)
    if own in ("Latn", "Cyrl", "Grek") and own != script:
        table = TO_CYRILLIC if script == "Cyrl" else TO_LATIN
        return table.get(char, char)
    return char


def _word_pieces(word: str) -> list[str]:
    """Undo look-alike letters and leetspeak inside one word, then fold each character."""
    script = _majority_script(word)
    letters = sum(1 for c in word if c.isalpha())
    leet = letters >= 2 and 2 * letters >= len(word)
    if script in ("Latn", "Cyrl"):
        word_chars = [_deobfuscate_char(c, i, script, leet) for i, c in enumerate(word)]
    else:
        word_chars = list(word)
    return [fold_char(c) for c in word_chars]


def _pieces(text: str) -> list[str]:
    pieces = [fold_char(c) for c in text]
    for match in _WORD.finditer(text):
        word = match.group()
        if _needs_word_pass(word):
            pieces[match.start() : match.end()] = _word_pieces(word)
    return pieces


def _needs_word_pass(word: str) -> bool:
    if any(c in LEET_CHARS for c in word):
        return True
    return len({char_script(c) for c in word if c.isalpha()}) > 1


def _squeeze_pieces(mapped: MappedText) -> list[str]:
    pieces = list(mapped.text)
    for match in _REPEAT.finditer(mapped.text):
        for i in range(match.start() + _MAX_REPEAT, match.end()):
            pieces[i] = ""
    return pieces


def normalise(text: str) -> MappedText:
    """Normalised text with a map back to ``text``."""
    mapped = remap(MappedText.identity(text), _pieces(text))
    return remap(mapped, _squeeze_pieces(mapped))


def normalise_text(text: str) -> str:
    """The string of :func:`normalise` without the offset map (fast path)."""
    return _REPEAT.sub(r"\1\1", "".join(_pieces(text)))
