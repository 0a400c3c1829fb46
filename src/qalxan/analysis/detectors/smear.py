"""Smear and stigmatisation: a stigmatising label aimed at a person.

A finding needs both parts near each other: a label from the multilingual lexicon
("foreign agent", "иноагент", "xain", "vatan haini", "عميل", "مزدور" ...) and a target
mention — a watched defender's name or handle, an @handle, a personal name, a pronoun or
a word such as "this activist", or a second-person ending ("xainsən"). The finding names
the label and the language of the lexicon entry in ``details``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Final

from qalxan.analysis.detectors.language import (
    UNDETERMINED,
    detect_language,
    detect_languages,
    load_model,
    message_language,
    speaks,
)
from qalxan.analysis.detectors.smear_lexicon import Lexicon, Term, fragment, key_of
from qalxan.analysis.message import AnalysisContext, Finding, Message, Span, WatchedDefender
from qalxan.analysis.registry import registry
from qalxan.analysis.text import MappedText, match_key, match_keys

NAME: Final[str] = "smear"
WINDOW: Final[int] = 120
MIN_NAME_LENGTH: Final[int] = 3  # characters between label and target, in the original text
SCORES: Final[dict[str, float]] = {
    "watched": 0.95,
    "handle": 0.85,
    "second_person": 0.85,
    "name": 0.8,
    "pronoun": 0.65,
}
_HANDLE: Final[re.Pattern[str]] = re.compile(r"(?<![\w@])@\w{2,}")
_CAP_WORD: Final[re.Pattern[str]] = re.compile(r"[^\W\d_][\w'’\-]*")


@dataclass(frozen=True, slots=True)
class Target:
    start: int
    end: int
    kind: str
    text: str
    defender_id: str | None = None


@dataclass(frozen=True, slots=True)
class LabelHit:
    start: int
    end: int
    term: Term
    text: str


@lru_cache(maxsize=256)
def _watched_pattern(keys: tuple[str, ...]) -> re.Pattern[str] | None:
    frags = [fragment(k, False) for k in sorted(set(keys), key=len, reverse=True) if k]
    if not frags:
        return None
    return re.compile(r"(?<![^\W_])(?:" + "|".join(frags) + ")")


def _watched_keys(defender: WatchedDefender) -> list[str]:
    keys = [key_of(n) for n in defender.names]
    keys += [key_of(n.split()[-1]) for n in defender.names if len(n.split()) > 1]
    keys += [key_of(h.lstrip("@")) for h in defender.handles]
    return [k for k in keys if len(k) >= 3]


def watched_targets(key: MappedText, text: str, context: AnalysisContext) -> list[Target]:
    found: list[Target] = []
    for defender in context.watched:
        pattern = _watched_pattern(tuple(_watched_keys(defender)))
        for m in pattern.finditer(key.text) if pattern else ():
            start, end = key.original_span(m.start(), m.end())
            found.append(Target(start, end, "watched", text[start:end], defender.defender_id))
    return found


def name_targets(text: str) -> list[Target]:
    """@handles, runs of two or more capitalised words, and capitalised words mid-sentence."""
    found = [Target(m.start(), m.end(), "handle", m.group()) for m in _HANDLE.finditer(text)]
    run: list[re.Match[str]] = []
    for m in [*_CAP_WORD.finditer(text), None]:
        if m is not None and m.group()[0].isupper() and _adjacent(text, run, m):
            run.append(m)
            continue
        if len(run) >= 2 or (len(run) == 1 and _single_name(text, run[0])):
            found.append(
                Target(run[0].start(), run[-1].end(), "name", text[run[0].start() : run[-1].end()])
            )
        run = [m] if m is not None and m.group()[0].isupper() else []
    return found


def _adjacent(text: str, run: list[re.Match[str]], m: re.Match[str]) -> bool:
    return not run or text[run[-1].end() : m.start()] == " "


def _single_name(text: str, word: re.Match[str]) -> bool:
    """A lone capitalised word counts as a name mid-sentence, if it is not a short word
    such as English "I"."""
    return len(word.group()) >= MIN_NAME_LENGTH and _mid_sentence(text, word.start())


def _mid_sentence(text: str, start: int) -> bool:
    before = text[:start].rstrip()
    return len(before) > 0 and before[-1] not in '.!?:;"“«(' and before[-1].isalnum()


def word_targets(key: MappedText, lexicon: Lexicon, langs: frozenset[str]) -> list[Target]:
    found: list[Target] = []
    for lang in sorted(langs):
        pattern = lexicon.targets.get(lang)
        for m in pattern.finditer(key.text) if pattern else ():
            start, end = key.original_span(m.start(), m.end())
            found.append(Target(start, end, "pronoun", m.group()))
    return found


def label_hits(key: MappedText, text: str, lexicon: Lexicon) -> list[LabelHit]:
    hits: list[LabelHit] = []
    for m in lexicon.matcher.find(key.text):
        term = lexicon.term_of(m)
        word_end = _word_end(key.text, m.end)
        if any(key.text[m.start : word_end].startswith(x) for x in term.excepted):
            continue
        start, end = key.original_span(m.start, m.end)
        hits.append(LabelHit(start, end, term, text[start:end]))
    return hits


def _word_end(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isalnum():
        pos += 1
    return pos


def second_person(hit: LabelHit, key: MappedText, lexicon: Lexicon) -> Target | None:
    """A label word with a second-person or predicative ending: ``xainsən``, ``hainsin``."""
    word = key_of(hit.text)
    for lang in sorted(hit.term.langs & set(lexicon.second_person)):
        for suffix in lexicon.second_person[lang]:
            if word.endswith(suffix) and len(word) > len(suffix) + 2:
                return Target(hit.start, hit.end, "second_person", hit.text)
    return None


def _distance(hit: LabelHit, target: Target) -> int:
    if target.end <= hit.start:
        return hit.start - target.end
    if target.start >= hit.end:
        return target.start - hit.end
    return 0


def best_target(hit: LabelHit, targets: list[Target]) -> Target | None:
    near = [
        t
        for t in targets
        if _distance(hit, t) <= WINDOW and (t.kind == "second_person" or not _overlaps(hit, t))
    ]
    if not near:
        return None
    return max(near, key=lambda t: (SCORES[t.kind], -_distance(hit, t)))


def _overlaps(hit: LabelHit, target: Target) -> bool:
    return target.start < hit.end and hit.start < target.end


class SmearDetector:
    name = NAME

    def __init__(self, lexicon: Lexicon | None = None) -> None:
        self.lexicon = lexicon if lexicon is not None else Lexicon.shipped()
        load_model()  # messages in two languages' shared terms ask for the language
        self.known = frozenset().union(*(t.langs for t in self.lexicon.terms))

    def detect(self, batch: Sequence[Message], context: AnalysisContext) -> list[list[Finding]]:
        out: list[list[Finding]] = [[] for _ in batch]
        keys = match_keys([m.text for m in batch])
        candidates = list(self.lexicon.matcher.candidates(keys))
        # the languages of the candidates that came without one, in one pass of the model
        missing = [i for i in candidates if not batch[i].lang]
        found = detect_languages([batch[i].text for i in missing]) if missing else []
        langs = {i: r[0] for i, r in zip(missing, found, strict=True) if r[0] != UNDETERMINED}
        for i in candidates:
            message = replace(batch[i], lang=langs[i]) if i in langs else batch[i]
            out[i] = self.detect_one(message, context)
        return out

    def detect_one(self, message: Message, context: AnalysisContext) -> list[Finding]:
        text = message.text
        key = match_key(text)
        hits = label_hits(key, text, self.lexicon)
        if hits:  # a term counts in its own languages (see AbuseDetector.known)
            lang = message_language(text, message.lang)
            if lang is not None and lang.split("-")[0].lower() in self.known:
                hits = [h for h in hits if speaks(h.term.langs, lang)]
        if not hits:
            return []
        langs = frozenset().union(*(h.term.langs for h in hits))
        shared = watched_targets(key, text, context) + name_targets(text)
        shared += word_targets(key, self.lexicon, langs)
        best: dict[str, Finding] = {}
        for hit in hits:
            targets = shared + [t for t in [second_person(hit, key, self.lexicon)] if t]
            target = best_target(hit, targets)
            if target is not None:
                finding = self._finding(message, hit, target)
                if hit.term.label not in best or finding.score > best[hit.term.label].score:
                    best[hit.term.label] = finding
        return list(best.values())

    def _finding(self, message: Message, hit: LabelHit, target: Target) -> Finding:
        label = hit.term.label
        lang = _language(message, hit.term.langs)
        meaning = self.lexicon.labels.get(label, label)
        details = {
            "label": label,
            "language": lang,
            "term": hit.text,
            "target": target.text,
            "target_kind": target.kind,
            "lexicon": f"smear {self.lexicon.version}",
        }
        if target.defender_id:
            details["defender_id"] = target.defender_id
        spans = [Span(hit.start, hit.end)]
        if (target.start, target.end) != (hit.start, hit.end):
            spans.append(Span(target.start, target.end))
        return Finding(
            detector=NAME,
            code="smear",
            score=SCORES[target.kind],
            explanation=f"Stigmatising label “{hit.text}” ({meaning}; {lang}) "
            f"aimed at “{target.text}” ({target.kind.replace('_', ' ')}).",
            spans=tuple(sorted(spans, key=lambda s: s.start)),
            details=details,
        )


def _language(message: Message, langs: frozenset[str]) -> str:
    if len(langs) == 1:
        return next(iter(langs))
    guess = message.lang or detect_language(message.text)[0]
    return guess if guess in langs else sorted(langs)[0]


registry.register(NAME, SmearDetector)
