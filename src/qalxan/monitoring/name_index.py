"""An index of the words of watched names: which stored words does a word of a post match?

Exact keys are dictionary look-ups. Typos are found with deletion neighbourhoods (the
SymSpell idea): every stored key is indexed under each string left after deleting up to
its edit bound of letters; a word looks up its own deletions, and the few stored keys it
shares one with are checked with ``rapidfuzz``'s Levenshtein distance. The cost of a look-up
depends on the word's length, not on how many names are stored.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Final

from rapidfuzz.distance import Levenshtein

from qalxan.monitoring.names import (
    WordKeys,
    arabic_stems,
    collapse,
    fuzz_bound,
    is_arabic,
    latin_skeleton,
    latin_stems,
    skeleton_bound,
    sounds,
)

_CACHE_LIMIT: Final[int] = 200_000
_LONGEST_BOUND: Final[int] = 2  # the largest edit bound of any key length


@dataclass(frozen=True, slots=True)
class Hit:
    """A stored word a post's word matched: its id, the edit distance, and whether the
    match was made on skeletons (Arabic script on either side)."""

    word: int
    distance: int
    skeleton: bool


def deletions(key: str, depth: int) -> set[str]:
    """``key`` and every string left after deleting up to ``depth`` of its letters."""
    out = {key}
    level = {key}
    for _ in range(min(depth, len(key))):
        level = {w[:i] + w[i + 1 :] for w in level for i in range(len(w))}
        out |= level
    return out


class _FuzzyKeys:
    """Keys, found exactly or within an edit bound that depends on their length."""

    def __init__(self, bound: Callable[[int], int]) -> None:
        self.bound = bound
        self.ids: dict[str, set[int]] = {}
        self.near: dict[str, set[str]] = {}

    def add(self, key: str, word: int) -> None:
        self.ids.setdefault(key, set()).add(word)
        for d in deletions(key, self.bound(len(key))):
            self.near.setdefault(d, set()).add(key)

    def find(self, key: str) -> Iterable[tuple[int, int]]:
        """(word id, distance) of the stored keys within their bound of ``key`` (the bound
        of the stored key's length: a name's tolerance is its own)."""
        yield from ((w, 0) for w in self.ids.get(key, ()))
        depth = self.bound(len(key) + _LONGEST_BOUND)  # enough for any stored key in reach
        if depth == 0:
            return
        seen = {key}
        for d in deletions(key, depth):
            for stored in self.near.get(d, ()):
                if stored in seen:
                    continue
                seen.add(stored)
                limit = self.bound(len(stored))
                dist = Levenshtein.distance(key, stored, score_cutoff=limit)
                if 0 < dist <= limit:
                    yield from ((w, dist) for w in self.ids[stored])


class WordIndex:
    """The distinct words of the watched names, looked up by a post's words."""

    def __init__(self) -> None:
        self.words: list[WordKeys] = []
        self._ids: dict[WordKeys, int] = {}
        self._keys = _FuzzyKeys(fuzz_bound)
        self._skeletons = _FuzzyKeys(skeleton_bound)  # of every stored word
        self._arabic = _FuzzyKeys(skeleton_bound)  # of stored Arabic-script words only
        self._cache: dict[str, dict[int, Hit]] = {}

    def add(self, word: WordKeys) -> int:
        """The id of ``word``, indexing it when it is new."""
        known = self._ids.get(word)
        if known is not None:
            return known
        wid = self._ids[word] = len(self.words)
        self.words.append(word)
        self._skeletons.add(word.skeleton, wid)
        if word.arabic:
            self._arabic.add(word.skeleton, wid)
        else:
            self._keys.add(word.key, wid)
        return wid

    def lookup(self, word: str) -> dict[int, Hit]:
        """The stored words a normalised word of a post matches (id -> best hit). The
        result is cached and shared: do not change it."""
        hits = self._cache.get(word)
        if hits is None:
            if len(self._cache) >= _CACHE_LIMIT:
                self._cache.clear()
            hits = self._cache[word] = self._lookup(word)
        return hits

    def _lookup(self, word: str) -> dict[int, Hit]:
        best: dict[int, Hit] = {}
        for hit in self._arabic_hits(word) if is_arabic(word) else self._latin_hits(word):
            old = best.get(hit.word)
            if old is None or hit.distance < old.distance:
                best[hit.word] = hit
        return best

    def _arabic_hits(self, word: str) -> Iterable[Hit]:
        for stem in arabic_stems(word):
            for wid, dist in self._skeletons.find(stem):
                yield Hit(wid, dist, True)

    def _latin_hits(self, word: str) -> Iterable[Hit]:
        """Each word is either inflected or misspelt: its whole key may be a typo away from
        a stored key, the stems that inflection rules give must match exactly."""
        whole, stems = _latin_forms(word)
        for wid, dist in self._keys.find(whole):
            yield Hit(wid, dist, False)
        for stem in stems:
            yield from (Hit(wid, 0, False) for wid in self._keys.ids.get(stem, ()))
        if self._arabic.ids:
            for stem in {whole, *stems}:
                for wid, dist in self._arabic.find(latin_skeleton(stem)):
                    yield Hit(wid, dist, True)


def _latin_forms(word: str) -> tuple[str, frozenset[str]]:
    """The whole key of a Latin or Cyrillic word and its stems. After an apostrophe comes
    an ending (Turkish "Mammadova'nın", English "Mammadova's"): the part before is a stem."""
    spelled = sounds(word.replace("'", "").replace("’", ""))
    forms = set(latin_stems(spelled))
    for mark in ("'", "’"):
        if mark in word:
            forms |= latin_stems(sounds(word.split(mark, 1)[0]))
    whole = collapse(spelled)
    return whole, frozenset(forms - {whole})
