"""Abuse family: harassment, threat of violence, sexist and hateful abuse (multilingual).

A small linear model per label over hashed character and word n-grams of the normalised
text (homoglyphs, leetspeak and zero-width tricks undone). Each finding carries the words
that weighed most as spans in the original text, and names them in its explanation.
Explicit threats of violence are also matched from a multilingual phrase list
(:mod:`qalxan.analysis.detectors.threat_lexicon`), because the threat model has little data.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import numpy as np

from qalxan.analysis.detectors.abuse_model import AbuseModel, Contribution
from qalxan.analysis.detectors.language import detect_language, load_model
from qalxan.analysis.detectors.threat_lexicon import ThreatHit, ThreatLexicon
from qalxan.analysis.message import AnalysisContext, Finding, Message, Span
from qalxan.analysis.registry import registry
from qalxan.analysis.text.features import word_scores
from qalxan.analysis.text.mapped import MappedText
from qalxan.analysis.text.normalise import normalise, normalise_texts

NAME: Final[str] = "abuse"
MAX_SPANS: Final[int] = 3
THREAT_PHRASE_SCORE: Final[float] = 0.9
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


class AbuseDetector:
    name = NAME

    def __init__(
        self, model: AbuseModel | None = None, threats: ThreatLexicon | None = None
    ) -> None:
        self.model = model if model is not None else AbuseModel.shipped()
        self.threats = threats if threats is not None else ThreatLexicon.shipped()
        load_model()  # threat phrases two languages share ask for the language

    def detect(self, batch: Sequence[Message], context: AnalysisContext) -> list[list[Finding]]:
        texts = normalise_texts([m.text for m in batch])
        features = self.model.features(texts)
        probs, acc = self.model.score(features)
        fired = probs >= np.asarray(self.model.thresholds, dtype=np.float32)
        phrases = self.threats.find(texts)
        rows = sorted(set(np.flatnonzero(fired.any(axis=1)).tolist()) | set(phrases))
        words = word_scores(features, acc) if rows else acc[:0]
        out: list[list[Finding]] = [[] for _ in batch]
        for i in rows:
            mapped = normalise(batch[i].text)
            labels = [
                j for j in np.flatnonzero(fired[i]).tolist() if not self._is_threat(j, i, phrases)
            ]
            out[i] = [
                self._finding(
                    mapped, self.model.explain(features, words, i, j), j, float(probs[i, j])
                )
                for j in labels
            ]
            if i in phrases:
                out[i].append(self._threat_finding(batch[i], mapped, phrases[i], probs[i]))
        return out

    def _is_threat(self, label: int, row: int, phrases: dict[int, list[ThreatHit]]) -> bool:
        """A threat label that a matched phrase will report instead (with a better reason)."""
        return row in phrases and self.model.labels[label] == "threat"

    def _threat_finding(
        self, message: Message, mapped: MappedText, hits: list[ThreatHit], probs: np.ndarray
    ) -> Finding:
        spans = [Span(*mapped.original_span(h.start, h.end)) for h in hits[:MAX_SPANS]]
        phrases = [message.text[s.start : s.end] for s in spans]
        term = hits[0].term
        lang = _language(message, term.langs)
        model_score = self._model_score(probs, "threat")
        score = max(THREAT_PHRASE_SCORE, model_score)
        quoted = ", ".join(f"“{p}”" for p in phrases)
        return Finding(
            detector=NAME,
            code="harassment.threat",
            score=round(score, 4),
            explanation=f"Explicit threat of violence ({term.kind.replace('_', ' ')}; {lang}): "
            f"{quoted}.",
            spans=tuple(spans),
            details={
                "label": "threat",
                "rule": "threat-lexicon",
                "kind": term.kind,
                "language": lang,
                "cues": " | ".join(phrases),
                "lexicon": f"threats {self.threats.version}",
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


def _language(message: Message, langs: frozenset[str]) -> str:
    if len(langs) == 1:
        return next(iter(langs))
    guess = message.lang or detect_language(message.text)[0]
    return guess if guess in langs else sorted(langs)[0]


registry.register(NAME, AbuseDetector)
