"""Abuse family: harassment, threat of violence, sexist and hateful abuse (multilingual).

A small linear model per label over hashed character and word n-grams of the normalised
text (homoglyphs, leetspeak and zero-width tricks undone). Each finding carries the words
that weighed most as spans in the original text, and names them in its explanation.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from qalxan.analysis.detectors.abuse_model import AbuseModel, Contribution
from qalxan.analysis.message import AnalysisContext, Finding, Message, Span
from qalxan.analysis.registry import registry
from qalxan.analysis.text.mapped import MappedText
from qalxan.analysis.text.normalise import normalise, normalise_text

NAME: Final[str] = "abuse"
MAX_SPANS: Final[int] = 3
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

    def __init__(self, model: AbuseModel | None = None) -> None:
        self.model = model if model is not None else AbuseModel.shipped()

    def detect(self, batch: Sequence[Message], context: AnalysisContext) -> list[list[Finding]]:
        texts = [normalise_text(m.text) for m in batch]
        probs = self.model.probabilities(texts)
        out: list[list[Finding]] = []
        for i, message in enumerate(batch):
            fired = [j for j, t in enumerate(self.model.thresholds) if probs[i, j] >= t]
            out.append(self._findings(message.text, fired, [float(probs[i, j]) for j in fired]))
        return out

    def _findings(self, text: str, fired: list[int], scores: list[float]) -> list[Finding]:
        if not fired:
            return []
        mapped = normalise(text)
        return [self._finding(mapped, j, score) for j, score in zip(fired, scores, strict=True)]

    def _finding(self, mapped: MappedText, label: int, score: float) -> Finding:
        model = self.model
        spans, words = evidence(mapped, model.contributions(mapped.text, label))
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


registry.register(NAME, AbuseDetector)
