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


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        # Turkish and Azerbaijani: ə, q and x, and each one's own function words
        ("Bu gün kitab oxumaq istəyirəm", "az"),
        ("bu gun kitab oxumaq isteyirem amma vaxt yoxdur", "az"),  # no ə: q, x, amma
        ("Niyə belə deyirsən, mən bilmirdim", "az"),
        ("Bugün kitap okumak istiyorum ama vaktim yok", "tr"),
        ("Neden böyle diyorsun, ben bilmiyordum", "tr"),
        ("Kadın hakları için basın açıklaması yapıldı", "tr"),
        # Arabic and Persian: ي ك ة against ی ک, and their own words
        ("الكتاب على الطاولة في الغرفة", "ar"),
        ("كانت المدينة جميلة جدا هذه السنة", "ar"),
        ("کتاب روی میز در اتاق است", "fa"),
        ("این شهر امسال خیلی زیبا بود", "fa"),
        # Danish is not Swedish, Spanish or Polish
        ("Det er ikke godt nok, jeg synes det er noget pjat", "da"),
        ("Jag tycker inte att det är bra nog", "sv"),
    ],
)
def test_close_languages_are_told_apart(text: str, lang: str) -> None:
    assert detect_language(text)[0] == lang


@pytest.mark.parametrize(
    "text", ["ok", "lol", "hej", "jaja", "Ja tak", "si", "вау", "نعم", "@x ok"]
)
def test_too_short_to_tell_is_undetermined_not_a_guess(text: str) -> None:
    """A word or two in a language-neutral form is ``und``: the old answer was a guess
    (short Danish came out as Spanish, Polish or Swedish)."""
    assert detect_language(text)[0] == "und"


@pytest.mark.parametrize(
    ("text", "lang"),
    [("ə", "und"), ("Sən", "az"), ("نیست", "fa"), ("Ikke", "und"), ("ikke og jeg", "da")],
)
def test_short_texts_are_named_on_their_own_evidence(text: str, lang: str) -> None:
    """Below a few letters, only a letter one language alone uses (or several of its
    function words) names the language."""
    assert detect_language(text)[0] == lang


def test_scripts_outside_the_candidates_are_undetermined_but_named() -> None:
    assert detect_language("这是一个测试句子")[:2] == ("und", "Hani")


def test_detector_is_registered_and_emits_no_findings() -> None:
    detector = LanguageDetector()
    assert "language" in registry.names()
    assert detector.detect([Message("you traitor"), Message("")], AnalysisContext()) == [[], []]
