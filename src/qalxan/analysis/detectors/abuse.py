"""Abuse family: harassment, threat of violence, sexist and hateful abuse (multilingual).

A small linear model per label over hashed character and word n-grams of the normalised
text (homoglyphs, leetspeak and zero-width tricks undone). Each finding carries the words
that weighed most as spans in the original text, and names them in its explanation.
Explicit threats of violence, and insults and slurs in languages without training data
(Azerbaijani, Persian, French), are also matched from phrase lists
(:mod:`qalxan.analysis.detectors.threat_lexicon`); a finding says which rule fired.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np

from qalxan.analysis.detectors.abuse_model import AbuseModel, Contribution
from qalxan.analysis.detectors.language import (
    UNDETERMINED,
    detect_languages,
    load_model,
    speaks,
)
from qalxan.analysis.detectors.threat_lexicon import INSULTS, THREATS, ThreatHit, ThreatLexicon
from qalxan.analysis.message import AnalysisContext, Finding, Message, Span
from qalxan.analysis.registry import registry
from qalxan.analysis.text.mapped import MappedText
from qalxan.analysis.text.normalise import normalise_mapped, normalise_texts

NAME: Final[str] = "abuse"
MAX_SPANS: Final[int] = 3
PHRASE_SCORES: Final[dict[str, float]] = {"threat-lexicon": 0.9, "insult-lexicon": 0.8}
PHRASE_TEXT: Final[dict[str, str]] = {
    "threat-lexicon": "Explicit threat of violence",
    "insult-lexicon": "Insult or slur",
}
LABEL_CODES: Final[dict[str, str]] = {
    "abuse": "harassment",
    "threat": "harassment.threat",
    "sexist": "harassment.sexist",
    "hate": "harassment.hate",
}
LABEL_TEXT: Final[dict[str, str]] = {
    "abuse": "Abusive or offensive language",
    "threat": "Threatening language",
    "sexist": "Sexist or gendered abuse",
    "hate": "Hateful language against a group",
}


def _word_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen ``[start, end)`` to whole words of ``text`` (clipped to the text)."""
    start, end = max(start, 0), min(end, len(text))
    if start >= end:
        return start, start
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not text[end - 1].isalnum():
        end -= 1
    return start, end


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def evidence(mapped: MappedText, found: list[Contribution]) -> tuple[list[Span], list[str]]:
    """Spans in the original text and the normalised words behind the top contributions."""
    words: list[tuple[int, int]] = []
    for c in found:
        start, end = _word_bounds(mapped.text, c.start, c.end)
        if start < end:
            words.append((start, end))
    merged = _merge(words)[:MAX_SPANS]
    spans = [Span(*mapped.original_span(s, e)) for s, e in merged]
    return spans, [mapped.text[s:e] for s, e in merged]


@dataclass(frozen=True)
class _Batch:
    """What one call to :meth:`AbuseDetector.detect` computed, shared by its findings."""

    probs: np.ndarray
    fired: np.ndarray
    cues: dict[tuple[int, int], list[Contribution]]  # (text index, label) → strongest words
    phrases: dict[str, dict[int, list[ThreatHit]]]  # rule → text index → matched phrases


class AbuseDetector:
    name = NAME

    def __init__(
        self,
        model: AbuseModel | None = None,
        threats: ThreatLexicon | None = None,
        insults: ThreatLexicon | None = None,
    ) -> None:
        self.model = model if model is not None else AbuseModel.shipped()
        self.lexicons = {
            "threat-lexicon": threats if threats is not None else ThreatLexicon.shipped(THREATS),
            "insult-lexicon": insults if insults is not None else ThreatLexicon.shipped(INSULTS),
        }
        load_model()  # phrases two languages share ask for the language
        # The languages the phrase lists are written in. A message in another language (a
        # Russian threat read as Ukrainian or Bulgarian) counts as one of unknown language:
        # gating is for telling the lexicons' own languages apart, not for losing a threat
        # to a misread close language.
        self.known = frozenset().union(
            *(t.langs for lexicon in self.lexicons.values() for t in lexicon.terms)
        )

    def detect(self, batch: Sequence[Message], context: AnalysisContext) -> list[list[Finding]]:
        texts = normalise_texts([m.text for m in batch])
        features = self.model.features(texts)
        probs = self.model.probabilities(features)
        fired = probs >= np.asarray(self.model.thresholds, dtype=np.float32)
        phrases = {rule: lexicon.find(texts) for rule, lexicon in self.lexicons.items()}
        flagged = set(np.flatnonzero(fired.any(axis=1)).tolist())
        rows = sorted(flagged.union(*phrases.values()))
        cues: dict[tuple[int, int], list[Contribution]] = {}
        if flagged:  # cue words for the labels that fired (phrase hits need none)
            at, labels = np.nonzero(fired)
            found = self.model.explain(texts, at, labels)
            keys = zip(at.tolist(), labels.tolist(), strict=True)
            cues = dict(zip(keys, found, strict=True))
        done = _Batch(probs, fired, cues, phrases)
        out: list[list[Finding]] = [[] for _ in batch]
        mapped = normalise_mapped([batch[i].text for i in rows])
        langs = _languages([batch[i] for i in rows])  # one pass for those without one
        for i, row_mapped, lang in zip(rows, mapped, langs, strict=True):
            out[i] = self._row_findings(batch[i], row_mapped, i, done, lang)
        return out

    def _row_findings(
        self, message: Message, mapped: MappedText, i: int, done: _Batch, lang: str | None
    ) -> list[Finding]:
        # Phrases and the model count only in languages they were written or trained for.
        lang = lang if lang is not None and lang.split("-")[0].lower() in self.known else None
        matched = {
            rule: kept
            for rule, hits in done.phrases.items()
            if i in hits and (kept := [h for h in hits[i] if speaks(h.term.langs, lang)])
        }
        by_phrase = {h.term.label for hits in matched.values() for h in hits}
        modelled = speaks(self.model.languages, lang)
        findings = [
            self._finding(mapped, done.cues[i, j], j, float(done.probs[i, j]))
            for j in np.flatnonzero(done.fired[i]).tolist()
            if modelled and self.model.labels[j] not in by_phrase  # a phrase explains better
        ]
        for rule, hits in matched.items():
            for label in dict.fromkeys(h.term.label for h in hits):
                same = [h for h in hits if h.term.label == label]
                findings.append(
                    self._phrase_finding(message, mapped, same, done.probs[i], rule, lang)
                )
        return findings

    def _phrase_finding(
        self,
        message: Message,
        mapped: MappedText,
        hits: list[ThreatHit],
        probs: np.ndarray,
        rule: str,
        lang: str | None,
    ) -> Finding:
        spans = [Span(*mapped.original_span(h.start, h.end)) for h in hits[:MAX_SPANS]]
        phrases = [message.text[s.start : s.end] for s in spans]
        term = hits[0].term
        written_in = _language(lang, term.langs)
        model_score = self._model_score(probs, term.label)
        score = max(PHRASE_SCORES[rule], model_score)
        quoted = ", ".join(f"“{p}”" for p in phrases)
        kind = term.kind.replace("_", " ")
        return Finding(
            detector=NAME,
            code=LABEL_CODES.get(term.label, "harassment"),
            score=round(score, 4),
            explanation=f"{PHRASE_TEXT[rule]} ({kind}; {written_in}): {quoted}.",
            spans=tuple(spans),
            details={
                "label": term.label,
                "rule": rule,
                "kind": term.kind,
                "language": written_in,
                "cues": " | ".join(phrases),
                "lexicon": f"{rule.split('-')[0]}s {self.lexicons[rule].version}",
                "model_score": f"{model_score:.3f}",
            },
        )

    def _model_score(self, probs: np.ndarray, label: str) -> float:
        labels = self.model.labels
        return float(probs[labels.index(label)]) if label in labels else 0.0

    def _finding(
        self, mapped: MappedText, found: list[Contribution], label: int, score: float
    ) -> Finding:
        model = self.model
        spans, words = evidence(mapped, found)
        name = model.labels[label]
        quoted = ", ".join(f"“{w}”" for w in words) or "the text as a whole"
        return Finding(
            detector=NAME,
            code=model.codes[label],
            score=round(score, 4),
            explanation=f"{LABEL_TEXT.get(name, name)} (model score {score:.2f}); "
            f"strongest cues: {quoted}.",
            spans=tuple(spans),
            details={
                "label": name,
                "model": f"abuse-linear {model.version}",
                "threshold": f"{model.thresholds[label]:.3f}",
                "cues": " | ".join(words),
            },
        )


def _languages(messages: Sequence[Message]) -> list[str | None]:
    """Each message's language: as given, else detected (None when undetermined)."""
    missing = [k for k, m in enumerate(messages) if not m.lang]
    found = detect_languages([messages[k].text for k in missing]) if missing else []
    langs: list[str | None] = [m.lang or None for m in messages]
    for k, result in zip(missing, found, strict=True):
        langs[k] = None if result[0] == UNDETERMINED else result[0]
    return langs


def _language(lang: str | None, langs: frozenset[str]) -> str:
    """The phrase's language: the message's when the phrase is of it, else its own."""
    if len(langs) == 1:
        return next(iter(langs))
    return lang if lang in langs else sorted(langs)[0]


registry.register(NAME, AbuseDetector)
