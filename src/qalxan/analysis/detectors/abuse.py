"""Abuse family: harassment, threat of violence, sexist and hateful abuse (multilingual).

A small linear model per label over hashed character and word n-grams of the normalised
text (homoglyphs, leetspeak and zero-width tricks undone). Each finding carries the words
that weighed most as spans in the original text, and names them in its explanation.
Threats of violence are read by a grammar in eight languages
(:mod:`qalxan.analysis.detectors.threat_grammar`: violent verbs with their inflections, in each
language's word order, with a person or group as target, normative and veiled threats),
which also sets aside reports of a threat, negations, idioms and counter-speech. Explicit
threats, and insults and slurs in languages without training data (Azerbaijani, Persian,
French), are also matched from phrase lists (:mod:`qalxan.analysis.detectors.threat_lexicon`);
a finding says which rule fired. Where the grammar set a threat aside (a report, a negation,
an idiom, counter-speech), neither a phrase nor the model's threat label fires on it; where
a text swears at no one or uses a slur of the writer's own group ("I'm a proud dyke"), the
model's hate and sexist labels are set aside
(:mod:`qalxan.analysis.detectors.abuse_context`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np

from qalxan.analysis.detectors.abuse_context import MODEL_LABELS, AbuseContext
from qalxan.analysis.detectors.abuse_model import AbuseModel, Contribution
from qalxan.analysis.detectors.language import (
    UNDETERMINED,
    detect_languages,
    load_model,
    speaks,
)
from qalxan.analysis.detectors.threat_grammar import (
    HATE_KINDS,
    GatedHit,
    GrammarHit,
    ThreatGrammar,
)
from qalxan.analysis.detectors.threat_lexicon import INSULTS, THREATS, ThreatHit, ThreatLexicon
from qalxan.analysis.message import (
    DEFENDERS_ACCOUNT,
    AnalysisContext,
    Finding,
    Message,
    Span,
)
from qalxan.analysis.registry import registry
from qalxan.analysis.text.mapped import MappedText
from qalxan.analysis.text.normalise import normalise_mapped, normalise_texts

NAME: Final[str] = "abuse"
MAX_SPANS: Final[int] = 3
PHRASE_SCORES: Final[dict[str, float]] = {"threat-lexicon": 0.9, "insult-lexicon": 0.8}
GRAMMAR_RULE: Final[str] = "threat-grammar"
GRAMMAR_SCORE: Final[float] = 0.9
KIND_TEXT: Final[dict[str, str]] = {
    "direct": "a direct threat: the writer will harm a person",
    "group": "a direct threat against members of a group",
    "normative": "a normative threat: someone should be killed or harmed",
    "call": "a call to violence",
    "wish": "a wish for someone's death or harm",
    "veiled": "a veiled threat",
    "conditional": "a conditional threat",
    "derogation": "a group called vermin, a disease, subhuman, or hated as a whole",
}
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
    grammar: dict[int, tuple[list[GrammarHit], list[GatedHit]]]  # text index → threats, set aside


class AbuseDetector:
    name = NAME

    def __init__(
        self,
        model: AbuseModel | None = None,
        threats: ThreatLexicon | None = None,
        insults: ThreatLexicon | None = None,
        grammar: ThreatGrammar | None = None,
        context: AbuseContext | None = None,
    ) -> None:
        self.model = model if model is not None else AbuseModel.shipped()
        self.grammar = grammar if grammar is not None else ThreatGrammar.shipped()
        self.context = context if context is not None else AbuseContext.shipped()
        self._context_labels = [
            j for j, name in enumerate(self.model.labels) if name in MODEL_LABELS
        ]
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
        grammar = _received_in_accounts(self.grammar.analyse(texts, [m.lang for m in batch]),
                                        batch)
        _set_aside(phrases["threat-lexicon"], grammar, texts, self.grammar)
        threat = self.model.labels.index("threat") if "threat" in self.model.labels else -1
        if threat >= 0:  # a report, negation, idiom or counter-speech is no threat
            for i, (hits, gated) in grammar.items():
                if gated and not hits:
                    fired[i, threat] = False
        self._set_aside_by_context(texts, batch, fired, phrases["insult-lexicon"])
        flagged = set(np.flatnonzero(fired.any(axis=1)).tolist())
        threatened = {i for i, (hits, _) in grammar.items() if hits}  # threats or hate
        rows = sorted(flagged.union(threatened, *phrases.values()))
        cues: dict[tuple[int, int], list[Contribution]] = {}
        if flagged:  # cue words for the labels that fired (phrase hits need none)
            at, labels = np.nonzero(fired)
            found = self.model.explain(texts, at, labels)
            keys = zip(at.tolist(), labels.tolist(), strict=True)
            cues = dict(zip(keys, found, strict=True))
        done = _Batch(probs, fired, cues, phrases, grammar)
        out: list[list[Finding]] = [[] for _ in batch]
        mapped = normalise_mapped([batch[i].text for i in rows])
        langs = _languages([batch[i] for i in rows])  # one pass for those without one
        for i, row_mapped, lang in zip(rows, mapped, langs, strict=True):
            out[i] = self._row_findings(batch[i], row_mapped, i, done, lang)
        return out

    def _set_aside_by_context(
        self,
        texts: Sequence[str],
        batch: Sequence[Message],
        fired: np.ndarray,
        insults: dict[int, list[ThreatHit]],
    ) -> None:
        """Drop the model's hate and sexist labels on swearing at no one and on slurs used of
        oneself, and the insult phrases on the latter
        (:mod:`qalxan.analysis.detectors.abuse_context`), in place."""
        labels = self._context_labels
        rows = set(insults)
        if labels:
            rows.update(np.flatnonzero(fired[:, labels].any(axis=1)).tolist())
        for i in sorted(rows):
            reason = self.context.set_aside(texts[i], batch[i].lang)
            if reason is not None and labels:
                fired[i, labels] = False
            if reason == "reclaimed":
                insults.pop(i, None)

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
        read = done.grammar.get(i, ([], []))[0]
        threats = [h for h in read if h.rule.kind not in HATE_KINDS]
        hateful = [h for h in read if h.rule.kind in HATE_KINDS]
        by_phrase = {h.term.label for hits in matched.values() for h in hits}
        if threats:
            by_phrase.add("threat")
        if hateful:
            by_phrase.add("hate")
        modelled = speaks(self.model.languages, lang)
        findings = [
            self._finding(mapped, done.cues[i, j], j, float(done.probs[i, j]))
            for j in np.flatnonzero(done.fired[i]).tolist()
            if modelled and self.model.labels[j] not in by_phrase  # a phrase explains better
        ]
        if threats:
            findings.append(
                self._grammar_finding(message, mapped, threats, done.probs[i], "threat")
            )
        if hateful:
            findings.append(self._grammar_finding(message, mapped, hateful, done.probs[i], "hate"))
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

    def _grammar_finding(
        self,
        message: Message,
        mapped: MappedText,
        hits: list[GrammarHit],
        probs: np.ndarray,
        label: str,
    ) -> Finding:
        spans = [Span(*mapped.original_span(h.start, h.end)) for h in hits[:MAX_SPANS]]
        phrases = [message.text[s.start : s.end] for s in spans]
        rule = hits[0].rule
        model_score = self._model_score(probs, label)
        score = max(GRAMMAR_SCORE, model_score)
        quoted = ", ".join(f"“{p}”" for p in phrases)
        what = "Threat of violence" if label == "threat" else "Hate against a group"
        return Finding(
            detector=NAME,
            code=LABEL_CODES[label],
            score=round(score, 4),
            explanation=f"{what}, {KIND_TEXT[rule.kind]} "
            f"(grammar rule {rule.name}; {rule.lang}): {quoted}.",
            spans=tuple(spans),
            details={
                "label": label,
                "rule": GRAMMAR_RULE,
                "grammar_rule": " | ".join(dict.fromkeys(h.rule.name for h in hits)),
                "kind": rule.kind,
                "language": rule.lang,
                "cues": " | ".join(phrases),
                "lexicon": f"threat grammar {self.grammar.version}",
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


def _received_in_accounts(
    grammar: dict[int, tuple[list[GrammarHit], list[GatedHit]]], batch: Sequence[Message]
) -> dict[int, tuple[list[GrammarHit], list[GatedHit]]]:
    """In a defender's own account of what happened (``DEFENDERS_ACCOUNT``), a threat they
    report having received ("they wrote: «we will kill you»") is a threat against them, not
    a report to set aside: only a public post that reports a threat is no threat itself.
    Negation, idioms and counter-speech are still set aside."""
    for i, (hits, gated) in list(grammar.items()):
        if batch[i].platform != DEFENDERS_ACCOUNT:
            continue
        received = [GrammarHit(g.start, g.end, g.rule) for g in gated if g.gate == "report"]
        if received:
            grammar[i] = (hits + received, [g for g in gated if g.gate != "report"])
    return grammar


def _set_aside(
    threats: dict[int, list[ThreatHit]],
    grammar: dict[int, tuple[list[GrammarHit], list[GatedHit]]],
    texts: Sequence[str],
    reader: ThreatGrammar,
) -> None:
    """Drop the threat phrases the grammar read already (its finding explains them) or set
    aside (a report, negation, idiom or counter-speech, by the grammar's gates), in place."""
    for i in list(threats):
        hits, gated = grammar.get(i, ([], []))
        covered = [(h.start, h.end) for h in hits] + [(g.start, g.end) for g in gated]
        kept = [
            t
            for t in threats[i]
            if not any(s < t.end and t.start < e for s, e in covered)
            and reader.gate(texts[i], t.start, t.end) is None
        ]
        if kept:
            threats[i] = kept
        else:
            del threats[i]


def _language(lang: str | None, langs: frozenset[str]) -> str:
    """The phrase's language: the message's when the phrase is of it, else its own."""
    if len(langs) == 1:
        return next(iter(langs))
    return lang if lang in langs else sorted(langs)[0]


registry.register(NAME, AbuseDetector)
