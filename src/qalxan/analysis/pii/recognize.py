"""All personal-data recognizers over a batch of texts, with overlaps resolved per text.

Each recognizer runs once a batch over the texts that can hold one of its matches, joined
into one string (``joined.py``): texts with a long number (phones and the identity, card
and account numbers), texts where its gate occurs, and for recognizers that need context,
texts with one of their context words. The texts each selection keeps are found once a
batch and shared by the recognizers that make the same selection.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import compress

from qalxan.analysis.pii.addresses import AddressRecognizer
from qalxan.analysis.pii.joined import Joined, scan
from qalxan.analysis.pii.patterns import (
    RECOGNIZERS,
    PatternRecognizer,
    context_pattern,
    has_context,
)
from qalxan.analysis.pii.phones import find_phones

# phones and every identity, card or account number have a run of at least 7 digits
_LONG_NUMBER = re.compile(r"\d(?:[ \t().\-–/]{0,3}\d){6}")
TAKEN_SCORE = 0.8  # a pattern match this sure is not parsed again as a phone number
CONTEXT_BOOST = 0.25
CONTEXT_FLOOR = 0.9  # a checksum-valid number right after its name beats a phone reading


@dataclass(frozen=True, slots=True)
class PiiMatch:
    entity: str
    scheme: str
    start: int
    end: int
    score: float
    value: str  # normalised where the scheme has a normal form (E.164 phones)


@dataclass(frozen=True, slots=True)
class _Step:
    """A recognizer with the patterns that select its texts: the gate, and the context
    words that must occur somewhere in the text when it needs context."""

    rec: PatternRecognizer
    needed: re.Pattern[str] | None


_STEPS = tuple(
    _Step(r, context_pattern(r.context) if r.needs_context else None) for r in RECOGNIZERS
)

# Every number recognizer (``patterns._number``) matches only at the start of a number: a
# character of its ``first`` class after no word character, dot, plus or hyphen. One scan
# stops at each start where any of them matches and notes, in a group per recognizer,
# where each one matches there. A recognizer's own scan finds the same matches: at each
# start from the end of its previous match on, the first match there.
_NUMBERS = tuple(step.rec for step in _STEPS if step.rec.first)
_FIRST_NUMBER = next(i for i, step in enumerate(_STEPS) if step.rec.first)
if any(
    r.gate or r.needs_context or _STEPS[_FIRST_NUMBER + k].rec is not r
    for k, r in enumerate(_NUMBERS)
):
    raise ValueError("number recognizers follow each other and have no gate of their own")


def _numbers_pattern(recs: tuple[PatternRecognizer, ...]) -> re.Pattern[str]:
    first = "".join(r.first[1:-1] if r.first.startswith("[") else r.first for r in recs)
    any_one = "|".join(r.pattern.pattern for r in recs)
    each = "".join(f"(?=(?P<n{k}>{r.pattern.pattern}))?" for k, r in enumerate(recs))
    return re.compile(f"[{first}](?<![\\w.+-].)(?<=(?={any_one}){each}.)")


_NUMBERS_PATTERN = _numbers_pattern(_NUMBERS)


class _Selections:
    """The texts of a batch each recognizer runs on, joined; found once per selection."""

    def __init__(self, texts: Sequence[str]) -> None:
        self.texts = texts
        self.long = _where(_LONG_NUMBER, texts, None)
        self._joined: dict[tuple[re.Pattern[str] | None, re.Pattern[str] | None], Joined] = {}

    def joined(self, step: _Step) -> Joined:
        """The texts a recognizer other than a number one runs on: those with its gate and,
        when it needs context, its context words."""
        key = (step.rec.gate, step.needed)
        joined = self._joined.get(key)
        if joined is None:
            indices: list[int] | None = None
            for pattern in (step.rec.gate, step.needed):
                if pattern is not None:
                    indices = _where(pattern, self.texts, indices)
            joined = self._joined[key] = Joined(self.texts, indices)
        return joined


def _where(
    pattern: re.Pattern[str], texts: Sequence[str], indices: Sequence[int] | None
) -> list[int]:
    """The indices (of ``indices``, or of all texts) of the texts ``pattern`` occurs in."""
    if indices is None:
        return list(compress(range(len(texts)), map(pattern.search, texts)))
    return list(compress(indices, map(pattern.search, [texts[i] for i in indices])))


class PiiRecognizer:
    """Runs every recognizer over the texts it can match in; cheap selections skip the rest."""

    def __init__(self) -> None:
        self._addresses = AddressRecognizer()

    def find(
        self, texts: Sequence[str], regions: Sequence[tuple[str, ...]]
    ) -> dict[int, list[PiiMatch]]:
        """The personal data of each text that holds some, by the text's index in the batch;
        ``regions[i]`` are the regions whose phone numbers text ``i`` most likely holds."""
        selections = _Selections(texts)
        found: dict[int, list[PiiMatch]] = {}
        long = Joined(texts, selections.long)
        for k, step in enumerate(_STEPS):
            if k == _FIRST_NUMBER:
                _number_matches(long, found)
            if not step.rec.first:
                _pattern_matches(step.rec, selections.joined(step), found)

        def taken(i: int) -> Iterator[tuple[int, int]]:
            return ((m.start, m.end) for m in found.get(i, ()) if m.score >= TAKEN_SCORE)

        for i, p in find_phones(long, regions, taken):  # a list: taken before any phone
            found.setdefault(i, []).append(
                PiiMatch("phone", p.region or "international", p.start, p.end, p.score, p.e164)
            )
        for i, matches in found.items():
            if len(matches) > 1:
                found[i] = _resolve(matches)
        for i, places in self._addresses.find(texts).items():
            data = found.setdefault(i, [])
            data.extend(
                PiiMatch("address", "street", a.start, a.end, a.score, "")
                for a in places
                if not _inside_any(a.start, a.end, data)
            )
            data.sort(key=lambda m: m.start)
        return found


def _pattern_matches(
    rec: PatternRecognizer, joined: Joined, found: dict[int, list[PiiMatch]]
) -> None:
    """The matches of ``rec`` in the texts of ``joined``, added to their text's list."""
    texts = joined.texts
    for i, base, match in scan(rec.pattern, joined):
        start = match.start() - base
        checked = _checked(rec, texts[i], match.group(), start, match.end() - base)
        if checked is not None:
            found.setdefault(i, []).append(checked)


def _number_matches(joined: Joined, found: dict[int, list[PiiMatch]]) -> None:
    """The matches of every number recognizer in the texts of ``joined``, added to their
    text's list one recognizer after the other."""
    texts = joined.texts
    each: list[list[tuple[int, PiiMatch]]] = [[] for _ in _NUMBERS]
    ends = [0] * len(_NUMBERS)  # where each recognizer's previous match in the text ends
    text = -1
    for i, base, match in scan(_NUMBERS_PATTERN, joined):
        if i != text:
            text, ends = i, [0] * len(_NUMBERS)
        for k, (start, end) in enumerate(match.regs[1:]):
            if start < ends[k]:  # no match here (-1), or inside the previous one
                continue
            ends[k] = end
            value = match.group(k + 1)
            checked = _checked(_NUMBERS[k], texts[i], value, start - base, end - base)
            if checked is not None:
                each[k].append((i, checked))
    for matches in each:
        for i, checked in matches:
            found.setdefault(i, []).append(checked)


def _checked(
    rec: PatternRecognizer, text: str, value: str, start: int, end: int
) -> PiiMatch | None:
    """A match of ``rec`` that passes its validator, scored by its context."""
    if rec.validator is not None and not rec.validator(value):
        return None
    score = rec.score
    if rec.context and has_context(text, start, rec.context, rec.window):
        score = min(1.0, max(score + CONTEXT_BOOST, CONTEXT_FLOOR))
    elif rec.needs_context:
        return None
    return PiiMatch(rec.entity, rec.scheme, start, end, score, value)


def _resolve(matches: list[PiiMatch]) -> list[PiiMatch]:
    """Keep the best of overlapping matches: higher score, then longer span."""
    kept: list[PiiMatch] = []
    for m in sorted(matches, key=lambda m: (-m.score, m.start - m.end)):
        if all(m.end <= k.start or m.start >= k.end for k in kept):
            kept.append(m)
    return sorted(kept, key=lambda m: m.start)


def _inside_any(start: int, end: int, matches: list[PiiMatch]) -> bool:
    return any(m.start <= start and end <= m.end for m in matches)
