"""Language and script identification for short social-media texts.

Backed by py3langid (chosen over lingua on measured speed and accuracy; see
``docs/analysis/language-id.md``), restricted to the languages Qalxan's users write in and
to those written in the text's own script, with letters unique to one language as hints
(Azerbaijani ``ə``, ``ҹ``; Persian ``پ``, ``گ``, ``ک``, ``ی``; Arabic ``ة``, ``ي``, ``ك`` ...)
and each language's own function words (``qalxan/data/language/function_words.json``) as
evidence, so that short texts and close pairs (Turkish and Azerbaijani, Arabic and Persian)
are decided by what is written in them. A text too short to tell, or where nothing
decides between the candidates, is ``und``: no guess. The detector itself emits no
finding: other detectors and the platform call :func:`detect_language`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Sequence
from functools import lru_cache
from importlib import resources
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
    "ک": "fa",  # Persian keheh; Arabic writes ك
    "ی": "fa",  # Persian yeh; Arabic writes ي and ى
    "ة": "ar",
    "ي": "ar",
    "ك": "ar",
    "ى": "ar",
    "ٹ": "ur",
    "ڈ": "ur",
    "ں": "ur",
    "ے": "ur",
}
_HINT_WEIGHT: Final[float] = 1.0
_HINT_SET: Final[frozenset[str]] = frozenset(HINT_LETTERS)
_WORD_WEIGHT: Final[float] = 0.3  # per function word, divided among the languages using it
# Azerbaijani writes q and x in native words, Turkish never: between these two only.
_AZ_LETTERS: Final[re.Pattern[str]] = re.compile(r"\w*[qx]\w*")
_AZ_WORD_WEIGHT: Final[float] = 0.3
_TURKIC: Final[frozenset[str]] = frozenset({"tr", "az"})
_WORDS: Final[re.Pattern[str]] = re.compile(r"\w+(?:'\w+)?")
_NOISE: Final[re.Pattern[str]] = re.compile(r"https?://\S+|www\.\S+|[@#]\w+|\bRT\b|\bURL\b")
_MIN_LETTERS: Final[int] = 2
# A text with fewer letters than this is named only on evidence of its own (a letter one
# candidate alone uses, or several of its function words); below ``_SHORT_LETTERS`` the
# winner must also hold at least ``_SHORT_SHARE`` of the scores. Chosen on the train
# splits of the labelled sets (eval/language_id.py --split train), never on dev.
_SURE_LETTERS: Final[int] = 8
_SHORT_LETTERS: Final[int] = 20
_SHORT_SHARE: Final[float] = 0.5
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


@lru_cache(maxsize=1)
def function_words() -> dict[str, tuple[str, ...]]:
    """Each listed function word and the candidate languages that use it."""
    path = resources.files("qalxan") / "data" / "language" / "function_words.json"
    raw: dict[str, list[str]] = json.loads(path.read_text(encoding="utf-8"))["words"]
    langs: dict[str, list[str]] = {}
    for lang, words in raw.items():
        for word in words:
            langs.setdefault(word.casefold(), []).append(lang)
    return {word: tuple(v) for word, v in langs.items()}


def _hints(text: str, candidates: tuple[str, ...]) -> dict[str, float]:
    """Evidence of the text's own: letters one candidate alone uses, and function words
    (a word several languages use counts for each, divided among them)."""
    hints: dict[str, float] = {}
    folded = text.casefold()
    for char in _HINT_SET.intersection(folded):
        lang = HINT_LETTERS.get(char)
        if lang in candidates:
            hints[lang] = hints.get(lang, 0.0) + _HINT_WEIGHT
    vocabulary = function_words()
    for word in _WORDS.findall(folded):
        langs = vocabulary.get(word)
        if langs:
            share = _WORD_WEIGHT / len(langs)
            for lang in langs:
                if lang in candidates:
                    hints[lang] = hints.get(lang, 0.0) + share
    return hints


def _rank(text: str, candidates: tuple[str, ...], probs: dict[str, float]) -> tuple[str, float]:
    """The best candidate by the model's probabilities plus the text's own evidence
    (:func:`_hints`), and its share of the total; ``und`` when the text is too short to
    tell, or nothing sets the winner apart. Ties go to the higher model probability, then
    to the label listed first, as in py3langid's ranking."""
    scores = {lang: probs[lang] for lang in candidates if lang in probs}
    hints = _hints(text, candidates)
    for lang, bonus in hints.items():
        scores[lang] = scores.get(lang, 0.0) + bonus
    if not scores or sum(scores.values()) <= 0:
        return UNDETERMINED, 0.0
    position = _label_positions()

    def key(lang: str) -> tuple[float, float, int]:
        return scores[lang], probs.get(lang, 0.0), -position.get(lang, 0)

    best = max(scores, key=key)
    if best in _TURKIC and "az" in scores:
        # Words with q or x (Azerbaijani letters Turkish never writes) weigh for az.
        scores["az"] += _AZ_WORD_WEIGHT * len(_AZ_LETTERS.findall(text.casefold()))
        best = max(scores, key=key)
    total = sum(scores.values())
    share = scores[best] / total
    letters = sum(ch.isalpha() for ch in text)
    if letters < _SURE_LETTERS and hints.get(best, 0.0) < _HINT_WEIGHT - 1e-9:
        return UNDETERMINED, round(share, 4)
    if letters < _SHORT_LETTERS and share < _SHORT_SHARE:
        return UNDETERMINED, round(share, 4)
    return best, share


def speaks(langs: Collection[str], lang: str | None) -> bool:
    """Whether a lexicon entry written for ``langs`` may fire in a text of language
    ``lang``: when that language is one of them, or is not known (none given, ``und``).
    An entry of no language in particular (empty ``langs``) fires in every text. Every
    lexicon of the analysis engine asks this, so that a word of one language is never
    read as an insult in another (ordinary Arabic words on the Persian list, Azerbaijani
    entries on Turkish posts)."""
    if not langs or not lang or lang == UNDETERMINED:
        return True
    return lang.split("-")[0].lower() in langs


def message_language(text: str, given: str | None) -> str | None:
    """The language a message was given, else the one detected; None when undetermined."""
    lang = given or detect_language(text)[0]
    return None if lang == UNDETERMINED else lang


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
