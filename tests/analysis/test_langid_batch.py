"""Batch language identification gives py3langid's answers, and detect_languages gives
detect_language's."""

from __future__ import annotations

import random

import pytest
from py3langid.langid import MODEL_FILE, LanguageIdentifier

from qalxan.analysis.detectors.language import detect_language, detect_languages
from qalxan.analysis.langid_batch import MIN_ACTIVE, BatchIdentifier

TEXTS = [
    "Thank you all for coming to the workshop on digital security today!",
    "Спасибо всем за поддержку, мы продолжаем работу.",
    "Bugün mahkemede duruşma var, destek için gelin.",
    "Bu gün məhkəmədə iclas var, dəstək üçün gəlin.",
    "شكرا لكم جميعا على الدعم والتضامن",
    "از حمایت همه شما سپاسگزاریم",
    "Gracias por vuestro apoyo, seguimos adelante.",
    "HELLO WORLD",
    "",
    "1234",
    "x" * 2000,
    "Сән хаинсән, ҹасус!",
]


@pytest.fixture(scope="module")
def identifier() -> LanguageIdentifier:
    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    ident.set_languages(["en", "ru", "tr", "az", "ar", "fa", "es", "fr", "sr", "kk"])
    return ident


def _close(ours: list[tuple[str, float]], theirs: list[tuple[str, float]]) -> bool:
    mine = dict(ours)
    return [lang for lang, _ in ours][:1] == [lang for lang, _ in theirs][:1] and all(
        abs(mine[lang] - score) < 1e-4 for lang, score in theirs
    )


@pytest.mark.parametrize("size", [1, MIN_ACTIVE - 1, MIN_ACTIVE, 40])
def test_batch_ranks_as_py3langid(identifier: LanguageIdentifier, size: int) -> None:
    rng = random.Random(size)
    texts = [rng.choice(TEXTS)[: rng.randint(0, 90)] for _ in range(size)]
    ranked = BatchIdentifier(identifier).rank(texts)
    assert len(ranked) == size
    for text, ours in zip(texts, ranked, strict=True):
        assert _close(ours, identifier.rank(text)), text


def test_unnormalised_scores_and_aliases() -> None:
    ident = LanguageIdentifier.from_model_file(MODEL_FILE)
    ident.set_languages(["en", "sr", "ru"])  # "sr" has two columns (Latin and Cyrillic)
    batch = BatchIdentifier(ident)
    assert batch.labels == ["en", "ru", "sr"]
    texts = [*TEXTS[:3], "Zdravo svima, hvala na podršci.", "Здраво свима", ""]
    for text, ours in zip(texts, batch.rank(texts), strict=True):
        theirs = ident.rank(text)
        assert ours[0][0] == theirs[0][0]
        assert all(
            abs(a[1] - b[1]) <= 1e-3 * max(1.0, abs(b[1]))
            for a, b in zip(ours, theirs, strict=True)
        )


def test_empty_batch() -> None:
    assert detect_languages([]) == []


def test_detect_languages_agrees_with_detect_language() -> None:
    texts = TEXTS * 2  # enough texts for the batch scorer
    for batch, one in zip(detect_languages(texts), map(detect_language, texts), strict=True):
        assert batch[:2] == one[:2] and abs(batch[2] - one[2]) <= 2e-4


def test_very_long_texts_finish_byte_by_byte(identifier: LanguageIdentifier) -> None:
    texts = [*TEXTS[:7], *TEXTS[:7], "word and more " * 2000, "ещё слово " * 1500]
    for text, ours in zip(texts, BatchIdentifier(identifier).rank(texts), strict=True):
        assert _close(ours, identifier.rank(text)), text[:40]
