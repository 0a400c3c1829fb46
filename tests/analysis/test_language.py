"""Language and script identification of short texts."""

from __future__ import annotations

import pytest

from qalxan.analysis.detectors.language import LanguageDetector, detect_language
from qalxan.analysis.message import AnalysisContext, Message
from qalxan.analysis.registry import registry

# (text, language, script)
CASES = [
    ("you are a traitor and everyone knows it", "en", "Latn"),
    ("Ты предатель и иноагент", "ru", "Cyrl"),
    ("Sən xainsən, rədd ol buradan!", "az", "Latn"),
    ("Bu gazeteci vatan haini, utanmıyor mu", "tr", "Latn"),
    ("هذا الصحفي خائن وعميل للخارج", "ar", "Arab"),
    ("این فعال جاسوس است و مزدور بیگانه", "fa", "Arab"),
    ("Esa periodista es una traidora a la patria", "es", "Latn"),
    ("cette militante est une traîtresse à la nation", "fr", "Latn"),
    ("Αυτός είναι προδότης", "el", "Grek"),
    ("Сән хаинсән, ҹасус!", "az", "Cyrl"),  # Azerbaijani Cyrillic by its own letters
    ("@someone https://example.org Ты предатель", "ru", "Cyrl"),  # handles and URLs ignored
]


@pytest.mark.parametrize(("text", "lang", "script"), CASES)
def test_detect_language(text: str, lang: str, script: str) -> None:
    got_lang, got_script, confidence = detect_language(text)
    assert (got_lang, got_script) == (lang, script)
    assert 0.0 < confidence <= 1.0


@pytest.mark.parametrize("text", ["", "12345", "!!!", "😀😀", "a"])
def test_texts_without_words_are_undetermined(text: str) -> None:
    lang, _, confidence = detect_language(text)
    assert lang == "und" and confidence == 0.0


def test_scripts_outside_the_candidates_are_undetermined_but_named() -> None:
    assert detect_language("这是一个测试句子")[:2] == ("und", "Hani")


def test_detector_is_registered_and_emits_no_findings() -> None:
    detector = LanguageDetector()
    assert "language" in registry.names()
    assert detector.detect([Message("you traitor"), Message("")], AnalysisContext()) == [[], []]
