"""Normalisation that survives obfuscation: homoglyphs, leetspeak, zero-width characters,
compatibility forms (NFKC), case and diacritics, with offsets back to the original text.

``normalise`` returns a :class:`MappedText`; ``normalise_text`` returns only the string and is
the fast path for feature extraction. Both produce the same string for the same input.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Sequence
from functools import lru_cache
from itertools import accumulate
from typing import Final

import numpy as np
import numpy.typing as npt

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
# A word needs de-obfuscation only where a leetspeak symbol touches a letter or where a
# Latin letter touches a Cyrillic or Greek one; everything else is folded per character.
_SUSPECT: Final[re.Pattern[str]] = re.compile(
    r"[^\W\d_](?:[0-9]|[@$!|€]+[^\W_])|[0-9$!|€][^\W\d_]"
    r"|[A-Za-z\u00c0-\u02af][\u0370-\u052f]|[\u0370-\u052f][A-Za-z\u00c0-\u02af]"
)
_BATCH_SEP: Final[str] = "\0\x01"
_BREAKS: Final[tuple[str, str]] = (" ", "\n")  # characters no word contains
_MAX_REPEAT: Final[int] = 2
_BMP: Final[int] = 0x10000


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
    """The script a word of mixed Latin, Cyrillic and Greek letters is written in: the one
    of its letters that have no look-alike in the other scripts ("g", "ñ", "ğ", "ə" are Latin
    only; "б", "ж" Cyrillic only), else the script most of its letters are in."""
    counts: dict[str, int] = {}
    own: dict[str, int] = {}
    for char in word:
        script = char_script(char)
        if script in ("Latn", "Cyrl", "Grek"):
            counts[script] = counts.get(script, 0) + 1
            if char.isalpha() and char not in TO_LATIN and char not in TO_CYRILLIC:
                own[script] = own.get(script, 0) + 1
    if len(own) == 1:
        return next(iter(own))
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


class _FoldTable(dict[int, str]):
    """``str.translate`` table that computes :func:`fold_char` on first use."""

    def __init__(self) -> None:
        super().__init__()
        self.irregular: set[str] = set()  # characters that do not fold to exactly one

    def __missing__(self, code: int) -> str:
        value = fold_char(chr(code))
        self[code] = value
        if len(value) != 1:
            self.irregular.add(chr(code))
        return value


_FOLD_TABLE: Final[_FoldTable] = _FoldTable()


def _simple(text: str) -> bool:
    """True when no word needs de-obfuscation, so per-character folding is enough."""
    return _SUSPECT.search(text) is None


def _suspect_words(text: str) -> list[tuple[int, int]]:
    """Spans of the words that need de-obfuscation. Only the space-delimited stretches
    around a suspect position are scanned for words: no word crosses a space or a line
    break, so a scan that starts after one finds the same words as a scan of the whole
    text."""
    suspects = [m.start() for m in _SUSPECT.finditer(text)]
    spans: list[tuple[int, int]] = []
    done = 0
    for suspect in suspects:
        if suspect < done:
            continue
        lo = max(done, *(text.rfind(c, done, suspect) + 1 for c in _BREAKS))
        ends = [i for i in (text.find(c, suspect) for c in _BREAKS) if i >= 0]
        done = min(ends, default=len(text))
        for match in _WORD.finditer(text, lo, done):
            start, end = match.span()
            i = bisect_left(suspects, start)
            if i < len(suspects) and suspects[i] < end and not _simple(match.group()):
                spans.append((start, end))
    return spans


def _pieces(text: str) -> list[str]:
    pieces = [_FOLD_TABLE[ord(c)] for c in text]
    for start, end in _suspect_words(text):
        pieces[start:end] = _word_pieces(text[start:end])
    return pieces


def _folded(text: str) -> str:
    """``"".join(_pieces(text))`` without a per-character loop outside the words."""
    parts: list[str] = []
    done = 0
    for start, end in _suspect_words(text):
        parts.append(text[done:start].translate(_FOLD_TABLE))
        parts.extend(_word_pieces(text[start:end]))
        done = end
    parts.append(text[done:].translate(_FOLD_TABLE))
    return "".join(parts)


def _squeeze_pieces(mapped: MappedText) -> list[str]:
    pieces = list(mapped.text)
    for match in _REPEAT.finditer(mapped.text):
        for i in range(match.start() + _MAX_REPEAT, match.end()):
            pieces[i] = ""
    return pieces


def normalise(text: str) -> MappedText:
    """Normalised text with a map back to ``text``."""
    if _simple(text):
        folded = text.translate(_FOLD_TABLE)
        if _FOLD_TABLE.irregular.isdisjoint(text) and not _REPEAT.search(folded):
            n = len(folded)
            return MappedText(folded, tuple(range(n)), tuple(range(1, n + 1)), n)
    mapped = remap(MappedText.identity(text), _pieces(text))
    return remap(mapped, _squeeze_pieces(mapped))


def normalise_text(text: str) -> str:
    """The string of :func:`normalise` without the offset map (fast path)."""
    return _REPEAT.sub(r"\1\1", _folded(text))


_last_batch: tuple[tuple[str, ...], list[str]] = ((), [])


def normalise_texts(texts: Sequence[str]) -> list[str]:
    """:func:`normalise_text` of each text, folding the whole batch in one pass. The last
    batch's result is kept, so detectors that normalise the same batch pay once."""
    global _last_batch
    key = tuple(texts)
    if key and key == _last_batch[0]:
        return list(_last_batch[1])
    out = _normalise_batch(key)
    _last_batch = (key, out)
    return list(out)


def _normalise_batch(texts: Sequence[str]) -> list[str]:
    joined = _joined(texts)
    if joined is None:
        return [normalise_text(t) for t in texts]
    folded, _ = _batch_folded(joined, texts)
    return folded[_squeeze_mask(folded)].tobytes().decode("utf-32-le").split(_BATCH_SEP)


def normalise_mapped(texts: Sequence[str]) -> list[MappedText]:
    """:func:`normalise` of each text, the maps of the whole batch built at once."""
    joined = _joined(texts)
    if joined is None:
        return [normalise(t) for t in texts]
    folded, lengths = _batch_folded(joined, texts)
    # Each kept character covers itself and the dropped ones after it (as :func:`remap`).
    kept = np.flatnonzero(lengths > 0)
    starts = np.repeat(kept, lengths[kept])
    ends = np.repeat(_following(kept, len(lengths)), lengths[kept])
    at = np.flatnonzero(_squeeze_mask(folded))
    starts, ends = starts[at], ends[_following(at, len(folded)) - 1]
    codes = folded[at]
    bounds = np.concatenate(([-len(_BATCH_SEP)], np.flatnonzero(codes == 0), [len(codes)]))
    offsets = np.cumsum([0] + [len(t) + len(_BATCH_SEP) for t in texts[:-1]])
    strings = codes.tobytes().decode("utf-32-le").split(_BATCH_SEP)
    out: list[MappedText] = []
    for i, text in enumerate(strings):
        lo, hi, offset = int(bounds[i]) + len(_BATCH_SEP), int(bounds[i + 1]), int(offsets[i])
        out.append(
            MappedText(
                text,
                tuple((starts[lo:hi] - offset).tolist()),
                tuple((ends[lo:hi] - offset).tolist()),
                len(texts[i]),
            )
        )
    return out


def _batch_folded(
    joined: str, texts: Sequence[str]
) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.int64]]:
    """The batch's code points folded as :func:`_pieces` folds each text (before runs are
    cut), and the number of characters each code point became."""
    cps = np.frombuffer(joined.encode("utf-32-le"), dtype="<u4")
    pieces: dict[int, str] = {}
    suspects = _maybe_suspect(cps, texts)
    if suspects:
        offsets = list(accumulate((len(t) + len(_BATCH_SEP) for t in texts), initial=0))
        for i in suspects:
            for start, end in _suspect_words(texts[i]):
                at = offsets[i] + start
                for k, piece in enumerate(_word_pieces(texts[i][start:end])):
                    pieces[at + k] = piece
    return _fold_codes(cps, pieces)


def _following(positions: npt.NDArray[np.int64], end: int) -> npt.NDArray[np.int64]:
    """Per position, the next one (``end`` after the last)."""
    out = np.empty_like(positions)
    out[:-1] = positions[1:]
    out[-1:] = end
    return out


def _joined(texts: Sequence[str]) -> str | None:
    """The texts joined by :data:`_BATCH_SEP`, or None when one of them holds a character of
    the separator (or there are none)."""
    joined = _BATCH_SEP.join(texts)
    gaps = len(texts) - 1
    if not texts or joined.count("\0") != gaps or joined.count("\x01") != gaps:
        return None
    return joined


@lru_cache(maxsize=1)
def _fold_arrays() -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.bool_]]:
    """Per code point of the Basic Multilingual Plane: its :func:`fold_char` where that is
    one character, and whether it is not (dropped, or several characters)."""
    single = np.arange(_BMP, dtype="<u4")
    irregular = np.zeros(_BMP, dtype=bool)
    for code in range(_BMP):
        if not 0xD800 <= code < 0xE000:  # surrogates never occur in a decoded text
            folded = fold_char.__wrapped__(chr(code))
            if len(folded) == 1:
                single[code] = ord(folded)
            else:
                irregular[code] = True
    return single, irregular


def _fold_codes(
    cps: npt.NDArray[np.uint32], given: dict[int, str]
) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.int64]]:
    """``str.translate(_FOLD_TABLE)`` on code points, but the characters at the positions of
    ``given`` become the pieces given; and the number of characters each code point became.
    A table lookup for the characters that fold to one character; the few that fold to none
    or several, and the given ones, are spliced in."""
    single, irregular = _fold_arrays()
    bmp = cps < _BMP
    low = np.where(bmp, cps, 0)
    out: npt.NDArray[np.uint32] = single[low]
    lengths = np.ones(len(cps), dtype=np.int64)
    where = np.flatnonzero(irregular[low] | ~bmp).tolist()
    if not where and not given:
        return out, lengths
    special = dict(zip(where, map(_FOLD_TABLE.__getitem__, cps[where].tolist()), strict=True))
    special.update(given)
    positions = np.fromiter(special, dtype=np.int64, count=len(special))
    pieces = list(special.values())
    sizes = np.fromiter(map(len, pieces), dtype=np.int64, count=len(pieces))
    lengths[positions] = sizes
    out[positions] = np.array([ord(p[0]) if p else 0 for p in pieces], dtype="<u4")
    expanded: npt.NDArray[np.uint32] = np.repeat(out, lengths)
    rest = "".join(p[1:] for p in pieces)
    if rest:
        extra = np.maximum(sizes - 1, 0)
        starts = (np.cumsum(lengths) - lengths)[positions] + 1
        into = np.repeat(starts - (np.cumsum(extra) - extra), extra) + np.arange(len(rest))
        expanded[into] = np.frombuffer(rest.encode("utf-32-le"), dtype="<u4")
    return expanded, lengths


def _squeeze_mask(codes: npt.NDArray[np.uint32]) -> npt.NDArray[np.bool_]:
    """The characters that substituting :data:`_REPEAT` keeps: runs longer than two cut to two."""
    keep = np.ones(len(codes), dtype=bool)
    keep[2:] = (codes[2:] != codes[1:-1]) | (codes[1:-1] != codes[:-2])
    return keep


_LETTER, _DIGIT, _SYMBOL, _LATIN, _CYRILLIC_GREEK, _AT, _DECIMAL = 1, 2, 4, 8, 16, 32, 64


@lru_cache(maxsize=1)
def _classes() -> npt.NDArray[np.uint8]:
    """Character classes of the Basic Multilingual Plane for :func:`_maybe_suspect`."""
    table = np.zeros(_BMP, dtype=np.uint8)
    for code in range(_BMP):
        char = chr(code)
        if char.isdecimal():
            table[code] = _DECIMAL  # a word character after leetspeak symbols
        elif char.isalnum():
            table[code] = _LETTER
    # The same ranges as :data:`_SUSPECT` uses, letters or not.
    for lo, hi in ((0x41, 0x5B), (0x61, 0x7B), (0xC0, 0x2B0)):  # with ə (U+0259)
        table[lo:hi] |= _LATIN
    table[0x370:0x530] |= _CYRILLIC_GREEK
    table[[ord(c) for c in "0123456789"]] = _DIGIT
    table[[ord(c) for c in "$!|€"]] = _SYMBOL
    table[ord("@")] = _SYMBOL | _AT
    return table


def _word_after_symbols(cls: npt.NDArray[np.uint8]) -> npt.NDArray[np.bool_]:
    """Per position: the first character after the run of symbols starting here is a
    letter or digit."""
    index = np.arange(len(cls))
    not_symbol = np.where((cls & _SYMBOL) == 0, index, len(cls))
    after = np.minimum.accumulate(not_symbol[::-1])[::-1]
    word = np.append((cls & (_LETTER | _DIGIT | _DECIMAL)) > 0, False)
    out: npt.NDArray[np.bool_] = word[after]
    return out


def _maybe_suspect(cps: npt.NDArray[np.uint32], texts: Sequence[str]) -> list[int]:
    """Indices of the texts that may need a word pass: a superset of those :data:`_SUSPECT`
    matches (a letter next to a digit or leetspeak symbol, or Latin next to Cyrillic/Greek),
    found with array operations instead of a scan of every character by the regex engine.
    ``cps`` are the code points of the texts joined by :data:`_BATCH_SEP`."""
    cls = np.full(len(cps), _LETTER, dtype=np.uint8)  # beyond the BMP: assume a letter
    bmp = cps < _BMP
    cls[bmp] = _classes()[cps[bmp]]
    a, b = cls[:-1], cls[1:]
    letter_a, letter_b = (a & _LETTER) > 0, (b & _LETTER) > 0
    leet = letter_a & ((b & _DIGIT) > 0)
    leet |= letter_a & ((b & _SYMBOL) > 0) & _word_after_symbols(cls)[1:]
    leet |= (((a & _DIGIT) > 0) | ((a & _SYMBOL) > 0) & ((a & _AT) == 0)) & letter_b
    mixed = ((a & _LATIN) > 0) & ((b & _CYRILLIC_GREEK) > 0)
    mixed |= ((a & _CYRILLIC_GREEK) > 0) & ((b & _LATIN) > 0)
    positions = np.flatnonzero(leet | mixed)
    if not len(positions):
        return []
    ends = np.fromiter(accumulate(len(t) + len(_BATCH_SEP) for t in texts), dtype=np.int64)
    return sorted(set(np.searchsorted(ends, positions, side="right").tolist()))
