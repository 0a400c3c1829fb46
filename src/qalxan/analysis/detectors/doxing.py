"""Doxing: exposure of personal data (phones, e-mails, addresses, IDs, places, family).

Every piece of personal data found becomes a ``doxing`` finding naming the entity and the
scheme that recognised it (never repeating the data itself in the explanation). Data that
matches a watched defender's stored details scores as doxing of that defender
(``details["defender_id"]``). Phrases about relatives, a home or a routine ("their
daughter", "lives at", "every morning") are findings only in a message that also exposes
personal data: alone they are ordinary talk, never doxing. The escalation rules combine
them with the rest (and read the same kinds of phrase as cues of their own).
"""

from __future__ import annotations

from collections.abc import Sequence

from qalxan.analysis.message import AnalysisContext, Finding, Message, Span
from qalxan.analysis.pii.phones import LANGUAGE_REGIONS
from qalxan.analysis.pii.phrases import ContextPhraseRecognizer, PhraseMatch
from qalxan.analysis.pii.recognize import PiiMatch, PiiRecognizer
from qalxan.analysis.pii.watch import WatchIndex, watch_index
from qalxan.analysis.registry import registry

NAME = "doxing"
CODE = "doxing"
DEFENDER_SCORE = 0.95
PHRASE_SCORE = 0.4
ADDRESS_WINDOW = 60

ENTITY_LABELS: dict[str, str] = {
    "phone": "phone number",
    "email": "e-mail address",
    "address": "street address",
    "coordinates": "geographic coordinates",
    "national_id": "national identity number",
    "passport": "passport number",
    "iban": "bank account number (IBAN)",
    "payment_card": "payment card number",
    "licence_plate": "licence plate",
}


class DoxingDetector:
    """Finds personal data and doxing context phrases, watch-list aware."""

    name = NAME

    def __init__(self) -> None:
        self._pii = PiiRecognizer()
        self._phrases = ContextPhraseRecognizer()

    def detect(self, batch: Sequence[Message], context: AnalysisContext) -> list[list[Finding]]:
        watch = watch_index(context)
        texts = [message.text for message in batch]
        regions: dict[str | None, tuple[str, ...]] = {}  # by language: one tuple each
        data = self._pii.find(texts, [_regions(m.lang, watch, regions) for m in batch])
        phrases = self._phrases.find(texts)
        out: list[list[Finding]] = [[] for _ in texts]
        for i, found in data.items():
            out[i].extend(_data_finding(m, texts[i], watch) for m in found)
        for i, said in phrases.items():
            if i in data:  # context of personal data, not doxing on its own
                out[i].extend(_phrase_finding(p) for p in said)
        return out


def _regions(
    lang: str | None, watch: WatchIndex, known: dict[str | None, tuple[str, ...]]
) -> tuple[str, ...]:
    """The regions whose phone numbers a message in ``lang`` most likely holds: the
    instance's and the watched defenders', then the language's (``known`` keeps them)."""
    regions = known.get(lang)
    if regions is None:
        code = (lang or "").split("-")[0].lower()
        regions = known[lang] = (*watch.regions, *LANGUAGE_REGIONS.get(code, ()))
    return regions


def _owner(match: PiiMatch, text: str, watch: WatchIndex) -> str | None:
    if match.entity == "phone":
        return watch.phone_owner(match.value)
    if match.entity == "email":
        return watch.email_owner(match.value)
    if match.entity == "address":
        window = text[max(0, match.start - ADDRESS_WINDOW) : match.end + ADDRESS_WINDOW]
        return watch.address_owner(window)
    return None


def _data_finding(match: PiiMatch, text: str, watch: WatchIndex) -> Finding:
    label = ENTITY_LABELS[match.entity]
    details = {"entity": match.entity, "scheme": match.scheme}
    owner = _owner(match, text, watch)
    score = match.score
    explanation = f"Exposes a {label} (recognised as {match.scheme})."
    if owner is not None:
        details["defender_id"] = owner
        score = max(score, DEFENDER_SCORE)
        explanation = f"Exposes the watched defender's own {label}."
    return Finding(NAME, CODE, score, explanation, (Span(match.start, match.end),), details)


def _phrase_finding(phrase: PhraseMatch) -> Finding:
    details = {"entity": phrase.category, "language": phrase.language, "phrase": phrase.phrase}
    explanation = f"Mentions a person's {phrase.category}: \u201c{phrase.phrase}\u201d."
    return Finding(
        NAME, CODE, PHRASE_SCORE, explanation, (Span(phrase.start, phrase.end),), details
    )


registry.register(NAME, DoxingDetector)
