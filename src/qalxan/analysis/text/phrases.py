"""Fast matching of many phrases (lexicon terms) in many texts.

One regular expression with hundreds of alternatives is slow in Python (every position tries
every branch). Here each phrase has an *anchor*, its most specific word, which must occur in
the text as a plain substring. A batch is pre-filtered for the anchors: the first three
characters at every position are hashed at once with numpy and looked up in a table of the
anchors' first three characters, and only the positions that pass are compared with the
anchors. Only the phrases of the anchors found are tried, each group as a small expression
that starts with a literal (which the regex engine scans for quickly).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Final

import numpy as np
import numpy.typing as npt

_WORD_SPLIT: Final[re.Pattern[str]] = re.compile(r"[\s\-'’]+")
# Frequent words that make poor anchors (a phrase anchors on a rarer word when it has one).
_STOP_WORDS: Final[str] = (
    "a an the i we you he she they it is are be been will ll should would going gonna to of "
    "in on at for your my his her their our know where find watch house children kids there "
    "this that these those de la le les el los las un une una des du al se te tu on ya ve ile "
    "bu o sen seni sən səni и в на ты я мы тебя"
)
STOP: Final[frozenset[str]] = frozenset(_STOP_WORDS.split())
PREFIX: Final[int] = 3  # characters of an anchor looked up at every position of a batch
_TABLE_BITS: Final[int] = 16
_MIX: Final[np.uint64] = np.uint64(0x9E3779B97F4A7C15)


def anchor_of(key: str) -> str:
    """The phrase's longest word outside :data:`STOP` (its longest word if all are frequent)."""
    words = [w for w in _WORD_SPLIT.split(key) if w]
    rare = [w for w in words if w not in STOP] or words
    return max(rare, key=len) if rare else key


@dataclass(frozen=True, slots=True)
class Match:
    start: int
    end: int
    index: int  # of the phrase in the list the matcher was built from


class PhraseMatcher:
    """Matches phrases given as ``(key, regex fragment)``; the fragment must contain the key's
    anchor word literally and must not check the left word boundary (the matcher does)."""

    def __init__(self, phrases: Sequence[tuple[str, str]]) -> None:
        groups: dict[str, list[tuple[int, str]]] = {}
        for index, (key, frag) in enumerate(phrases):
            groups.setdefault(anchor_of(key), []).append((index, frag))
        self.anchors: tuple[str, ...] = tuple(sorted(groups))
        self._short = tuple(a for a in self.anchors if len(a) < PREFIX)
        self._by_prefix: dict[str, list[str]] = {}
        for anchor in self.anchors:
            if len(anchor) >= PREFIX:
                self._by_prefix.setdefault(anchor[:PREFIX], []).append(anchor)
        self._table = np.zeros(1 << _TABLE_BITS, dtype=bool)
        for prefix in self._by_prefix:
            self._table[_prefix_buckets(_code_points(prefix))] = True
        self._patterns: dict[str, re.Pattern[str]] = {
            anchor: re.compile("|".join(f"(?P<t{i}>{frag})" for i, frag in members))
            for anchor, members in groups.items()
        }

    def candidates(self, texts: Sequence[str]) -> dict[int, list[str]]:
        """For each text holding at least one anchor, the anchors it holds."""
        joined = "\n".join(texts)
        ends = list(accumulate(len(t) + 1 for t in texts))
        found: dict[int, set[str]] = {}
        for anchor in self._short:  # str.find beats one regex of all anchors several-fold
            at = joined.find(anchor)
            while at != -1:
                row = bisect_right(ends, at)
                found.setdefault(row, set()).add(anchor)
                at = joined.find(anchor, ends[row])  # on to the next text
        if self._by_prefix:
            passed = np.flatnonzero(self._table[_prefix_buckets(_code_points(joined))])
            for at in passed.tolist():
                for anchor in self._by_prefix.get(joined[at : at + PREFIX], ()):
                    if joined.startswith(anchor, at):
                        found.setdefault(bisect_right(ends, at), set()).add(anchor)
        return {row: sorted(anchors) for row, anchors in sorted(found.items())}

    def find(self, text: str, anchors: Sequence[str] | None = None) -> list[Match]:
        """Non-overlapping matches in ``text``, leftmost first, longer first at one position."""
        present = anchors if anchors is not None else [a for a in self.anchors if a in text]
        matches = [m for a in present for m in self._scan(a, text)]
        matches.sort(key=lambda m: (m.start, -(m.end - m.start)))
        kept: list[Match] = []
        for m in matches:
            if not kept or m.start >= kept[-1].end:
                kept.append(m)
        return kept

    def _scan(self, anchor: str, text: str) -> Iterator[Match]:
        for m in self._patterns[anchor].finditer(text):
            start = m.start()
            if start == 0 or not (text[start - 1].isalnum() or text[start - 1] == "_"):
                yield Match(start, m.end(), int((m.lastgroup or "t0")[1:]))


def _code_points(text: str) -> npt.NDArray[np.uint64]:
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    return codes.astype(np.uint64)


def _prefix_buckets(codes: npt.NDArray[np.uint64]) -> npt.NDArray[np.int64]:
    """Per position, a table bucket of the :data:`PREFIX` characters starting there."""
    if len(codes) < PREFIX:
        return np.zeros(0, dtype=np.int64)
    n = len(codes) - PREFIX + 1
    key = codes[:n].copy()
    for k in range(1, PREFIX):
        key = (key << np.uint64(21)) | codes[k : k + n]  # code points have 21 bits
    with np.errstate(over="ignore"):
        return ((key * _MIX) >> np.uint64(64 - _TABLE_BITS)).astype(np.int64)
