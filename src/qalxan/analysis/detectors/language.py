"""Language and script identification for short social-media texts.

Backed by py3langid (chosen over lingua on measured speed and accuracy; see
``docs/analysis/language-id.md``), restricted to the languages Qalxan's users write in and
to those written in the text's own script, with letters unique to one language as hints
(Azerbaijani ``ə``, ``ҹ``; Persian ``پ``, ``گ`` ...). The detector itself emits no finding:
other detectors and the platform call :func:`detect_language`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Final

from py3langid.langid import MODEL_FILE, LanguageIdentifier

from qalxan.analysis.langid_batch import BatchIdentifier
from qalxan.analysis.message import AnalysisContext, Finding, Message
from qalxan.analysis.model_cache import langid_identifier
from qalxan.analysis.registry import registry
from qalxan.analysis.text.script import UNKNOWN, script_counts

UNDETERMINED: Final[str] = "und"
SCRIPT_LANGUAGES: Final[dict[str, tuple[str, ...]]] = {
    "Latn": ("en", "es", "fr", "de", "it", "pt", "nl", "da", "sv", "pl", "az", "tr"),
    "Cyrl": ("ru", "uk", "be", "bg", "sr", "kk", "ky", "tg", "az"),
    "Arab": ("ar", "fa", "ur"),
}
SINGLE_LANGUAGE_SCRIPTS: Final[dict[str, str]] = {
    "Grek": "el",
    "Hebr": "he",
    "Geor": "ka",
    "Armn": "hy",
}
# Letters that (among the candidates) only one language uses.
HINT_LETTERS: Final[dict[str, str]] = {
    "ə": "az",
    "ҹ": "az",
    "ҝ": "az",
    "ј": "az",
    "ғ": "kk",
    "қ": "kk",
    "ң": "kk",
    "ұ": "kk",
    "ї": "uk",
    "є": "uk",
    "ґ": "uk",
    "ў": "be",
    "پ": "fa",
    "چ": "fa",
    "ژ": "fa",
    "گ": "fa",
    "ٹ": "ur",
    "ڈ": "ur",
    "ں": "ur",
    "ے": "ur",
}
_HINT_WEIGHT: Final[float] = 1.0
_HINT_SET: Final[frozenset[str]] = frozenset(HINT_LETTERS)
_NOISE: Final[re.Pattern[str]] = re.compile(r"https?://\S+|www\.\S+|[@#]\w+|\bRT\b|\bURL\b")
_MIN_LETTERS: Final[int] = 2
_BATCH_MIN: Final[int] = 8  # below this many texts, scoring one by one is cheaper


@lru_cache(maxsize=1)
def _identifier() -> LanguageIdentifier:
    """The shipped py3langid model, restricted to the candidate languages (loaded once)."""
    ident = langid_identifier(MODEL_FILE, norm_probs=True)  # decompressed once, cached
    ident.set_languages(sorted({lang for langs in SCRIPT_LANGUAGES.values() for lang in langs}))
    return ident


def load_model() -> None:
    """Load the language model now (detectors call this at construction, not mid-batch)."""
    _batch_identifier()


def _hints(text: str, candidates: tuple[str, ...]) -> dict[str, float]:
    hints: dict[str, float] = {}
    for char in _HINT_SET.intersection(text.casefold()):
        lang = HINT_LETTERS.get(char)
        if lang in candidates:
            hints[lang] = hints.get(lang, 0.0) + _HINT_WEIGHT
    return hints


def _rank(text: str, candidates: tuple[str, ...], probs: dict[str, float]) -> tuple[str, float]:
    """The best candidate by the model's probabilities plus hints. Ties go to the higher
    model probability, then to the label listed first, as in py3langid's ranking."""
    scores = {lang: probs[lang] for lang in candidates if lang in probs}
    for lang, bonus in _hints(text, candidates).items():
        scores[lang] = scores.get(lang, 0.0) + bonus
    total = sum(scores.values())
    if total <= 0:
        return UNDETERMINED, 0.0
    position = _label_positions()
    best = max(
        scores, key=lambda lang: (scores[lang], probs.get(lang, 0.0), -position.get(lang, 0))
    )
    return best, scores[best] / total


def detect_language(text: str) -> tuple[str, str, float]:
    """``(language, script, confidence)`` of ``text``.

    Language is an ISO 639-1 code or ``und``; script an ISO 15924 code (``Zyyy`` when the
    text has no letters); confidence is in ``[0, 1]``.
    """
    return detect_languages([text])[0]


def detect_languages(texts: Sequence[str]) -> list[tuple[str, str, float]]:
    """:func:`detect_language` of each text; the model scores them all in one batch."""
    results: list[tuple[str, str, float]] = []
    pending: list[tuple[int, str, str, tuple[str, ...]]] = []
    for text in texts:
        cleaned = _NOISE.sub(" ", text)
        decided, script, candidates = _by_script(cleaned)
        if decided is None:
            pending.append((len(results), cleaned, script, candidates))
        results.append(decided or (UNDETERMINED, script, 0.0))
    if pending:
        ranked = _rankings([p[1] for p in pending])
        for (i, cleaned, script, candidates), probs in zip(pending, ranked, strict=True):
            lang, confidence = _rank(cleaned, candidates, probs)
            results[i] = (lang, script, round(confidence, 4))
    return results


def _rankings(texts: list[str]) -> list[dict[str, float]]:
    """The model's probability of every language for each text: py3langid's own ``rank``
    for a few texts, the batch scorer (the same up to float rounding) for more."""
    if len(texts) < _BATCH_MIN:
        return [dict(_identifier().rank(text)) for text in texts]
    batch = _batch_identifier()
    labels = batch.labels
    return [dict(zip(labels, row, strict=True)) for row in batch.probabilities(texts).tolist()]


@lru_cache(maxsize=1)
def _label_positions() -> dict[str, int]:
    return {lang: i for i, lang in enumerate(_batch_identifier().labels)}


def _by_script(cleaned: str) -> tuple[tuple[str, str, float] | None, str, tuple[str, ...]]:
    """A result decided by the script alone, or (None, script, candidate languages)."""
    counts = script_counts(cleaned)
    if sum(counts.values()) < _MIN_LETTERS:
        return (UNDETERMINED, counts.most_common(1)[0][0] if counts else UNKNOWN, 0.0), "", ()
    script, letters = counts.most_common(1)[0]
    if script in SINGLE_LANGUAGE_SCRIPTS:
        return (SINGLE_LANGUAGE_SCRIPTS[script], script, letters / sum(counts.values())), "", ()
    candidates = SCRIPT_LANGUAGES.get(script)
    if candidates is None:
        return (UNDETERMINED, script, 0.0), "", ()
    return None, script, candidates


@lru_cache(maxsize=1)
def _batch_identifier() -> BatchIdentifier:
    """py3langid's scoring vectorised over a batch (``qalxan.analysis.langid_batch``)."""
    return BatchIdentifier(_identifier())


class LanguageDetector:
    """Registered so pipelines can list it; language is metadata, not a threat finding."""

    name = "language"

    def __init__(self) -> None:
        load_model()  # at construction, never during detection

    def detect(self, batch: Sequence[Message], context: AnalysisContext) -> list[list[Finding]]:
        return [[] for _ in batch]


registry.register("language", LanguageDetector)
