"""Fast matching of many phrases (lexicon terms) in many texts.

One regular expression with hundreds of alternatives is slow in Python (every position tries
every branch). Here each phrase has an *anchor*, its most specific word, which must occur in
the text as a plain substring: a batch is pre-filtered with ``str.find`` on the anchors, and
only the phrases of the anchors found are tried, each group as a small expression that starts
with a literal (which the regex engine scans for quickly).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Final

_WORD_SPLIT: Final[re.Pattern[str]] = re.compile(r"[\s\-'’]+")
# Frequent words that make poor anchors (a phrase anchors on a rarer word when it has one).
_STOP_WORDS: Final[str] = (
    "a an the i we you he she they it is are be been will ll should would going gonna to of "
    "in on at for your my his her their our know where find watch house children kids there "
    "this that these those de la le les el los las un une una des du al se te tu on ya ve ile "
    "bu o sen seni sən səni и в на ты я мы тебя"
)
STOP: Final[frozenset[str]] = frozenset(_STOP_WORDS.split())


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
        self._patterns: dict[str, re.Pattern[str]] = {
            anchor: re.compile("|".join(f"(?P<t{i}>{frag})" for i, frag in members))
            for anchor, members in groups.items()
        }

    def candidates(self, texts: Sequence[str]) -> dict[int, list[str]]:
        """For each text holding at least one anchor, the anchors it holds."""
        joined = "\n".join(texts)
        ends = list(accumulate(len(t) + 1 for t in texts))
        found: dict[int, list[str]] = {}
        for anchor in self.anchors:  # str.find beats one regex of all anchors several-fold
            at = joined.find(anchor)
            while at != -1:
                row = bisect_right(ends, at)
                found.setdefault(row, []).append(anchor)
                at = joined.find(anchor, ends[row])  # on to the next text
        return dict(sorted(found.items()))

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
