"""All personal-data recognizers over one text, with overlaps resolved."""

from __future__ import annotations

import re
from dataclasses import dataclass

from qalxan.analysis.pii.addresses import AddressRecognizer
from qalxan.analysis.pii.patterns import (
    RECOGNIZERS,
    PatternRecognizer,
    context_pattern,
    has_context,
)
from qalxan.analysis.pii.phones import find_phones

_DIGIT = re.compile(r"\d")
_DIGIT_RUN = re.compile(r"\d+")
LONG_DIGITS = 7  # phones and every identity, card or account number have at least 7 digits
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


def _pattern_matches(text: str, rec: PatternRecognizer) -> list[PiiMatch]:
    found: list[PiiMatch] = []
    for match in rec.pattern.finditer(text):
        value = match.group()
        if rec.validator is not None and not rec.validator(value):
            continue
        score = rec.score
        if rec.context and has_context(text, match.start(), rec.context):
            score = min(1.0, max(score + CONTEXT_BOOST, CONTEXT_FLOOR))
        elif rec.needs_context:
            continue
        found.append(PiiMatch(rec.entity, rec.scheme, match.start(), match.end(), score, value))
    return found


def _phone_matches(text: str, regions: tuple[str, ...], found: list[PiiMatch]) -> list[PiiMatch]:
    taken = [(m.start, m.end) for m in found if m.score >= TAKEN_SCORE]
    return [
        PiiMatch("phone", p.region or "international", p.start, p.end, p.score, p.e164)
        for p in find_phones(text, regions, taken)
    ]


def _resolve(matches: list[PiiMatch]) -> list[PiiMatch]:
    """Keep the best of overlapping matches: higher score, then longer span."""
    kept: list[PiiMatch] = []
    for m in sorted(matches, key=lambda m: (-m.score, m.start - m.end)):
        if all(m.end <= k.start or m.start >= k.end for k in kept):
            kept.append(m)
    return sorted(kept, key=lambda m: m.start)


@dataclass(frozen=True, slots=True)
class _Step:
    """A recognizer with its cheap checks ready: the gate, and the context it needs."""

    rec: PatternRecognizer
    gate: re.Pattern[str] | None
    needed: re.Pattern[str] | None  # context words that must occur somewhere in the text


def _applicable(text: str) -> list[_Step]:
    """The recognizers that can match ``text`` at all, by its digits and ``@``."""
    if _DIGIT.search(text) is None:
        return _NO_DIGIT_AT if "@" in text else _NO_DIGIT
    if _LONG_NUMBER.search(text) is None:
        return _SHORT_AT if "@" in text else _SHORT
    return _ALL_AT if "@" in text else _ALL


def _select(min_digits: int, email: bool) -> list[_Step]:
    return [
        _Step(r, r.gate, context_pattern(r.context) if r.needs_context else None)
        for r in RECOGNIZERS
        if r.min_digits <= min_digits and (email or r.entity != "email")
    ]


_NO_DIGIT, _NO_DIGIT_AT = _select(0, False), _select(0, True)
_SHORT, _SHORT_AT = _select(LONG_DIGITS - 1, False), _select(LONG_DIGITS - 1, True)
_ALL, _ALL_AT = _select(LONG_DIGITS, False), _select(LONG_DIGITS, True)


class PiiRecognizer:
    """Runs every recognizer that can match; cheap guards skip the others."""

    def __init__(self) -> None:
        self._addresses = AddressRecognizer()

    def find(self, text: str, regions: tuple[str, ...]) -> list[PiiMatch]:
        steps = _applicable(text)
        matches = _pattern_data(text, steps)
        if steps is _ALL or steps is _ALL_AT:
            matches.extend(_phone_matches(text, regions, matches))
        data = _resolve(matches) if len(matches) > 1 else matches
        data.extend(
            PiiMatch("address", "street", a.start, a.end, a.score, "")
            for a in self._addresses.find(text)
            if not _inside_any(a.start, a.end, data)
        )
        return sorted(data, key=lambda m: m.start)


def _pattern_data(text: str, steps: list[_Step]) -> list[PiiMatch]:
    """Matches of every recognizer worth running: cheap checks first (the longest digit
    run, the gate, and the context words when the recognizer needs them; gates and
    context words shared by several recognizers are searched once per text)."""
    digits = steps is not _NO_DIGIT and steps is not _NO_DIGIT_AT
    longest = max(map(len, _DIGIT_RUN.findall(text))) if digits else 0
    found: dict[int, bool] = {}  # gates and context patterns shared by recognizers
    matches: list[PiiMatch] = []
    for step in steps:
        if step.rec.min_run > longest:
            continue
        if step.gate is not None and not _occurs(step.gate, text, found):
            continue
        if step.needed is not None and not _occurs(step.needed, text, found):
            continue
        matches.extend(_pattern_matches(text, step.rec))
    return matches


def _occurs(pattern: re.Pattern[str], text: str, found: dict[int, bool]) -> bool:
    """Whether ``pattern`` occurs in ``text``, searched once per text."""
    hit = found.get(id(pattern))
    if hit is None:
        hit = found[id(pattern)] = pattern.search(text) is not None
    return hit


def _inside_any(start: int, end: int, matches: list[PiiMatch]) -> bool:
    return any(m.start <= start and end <= m.end for m in matches)
