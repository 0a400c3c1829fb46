"""Transliteration between Latin and Cyrillic, Arabic-script romanisation, matching keys."""

from __future__ import annotations

import pytest

from qalxan.analysis.text import match_key, to_cyrillic, to_latin

# (text, lang, Latin)
TO_LATIN = [
    ("Щука и Хрущёв", "ru", "Shchuka i Khrushchev"),
    ("предатель", "ru", "predatel"),
    ("иноагент", "ru", "inoagent"),
    ("Хәјанәткар ҹасус", "az", "Xəyanətkar casus"),
    ("ватан хаини", "tr", "vatan haini"),
    ("جاسوس", "fa", "jasvs"),
    ("عميل", "ar", "'myl"),
]
# (text, lang, Cyrillic)
TO_CYRILLIC = [
    ("Shchuka i predatel'", "ru", "Щука и предатель"),
    ("zhurnalist", "ru", "журналист"),
    ("Xəyanətkar casus", "az", "Хәјанәткар ҹасус"),
    ("qəzet", "az", "гәзет"),
    ("vatan haini", "tr", "ватан хаини"),
]


@pytest.mark.parametrize(("text", "lang", "expected"), TO_LATIN)
def test_to_latin(text: str, lang: str, expected: str) -> None:
    assert to_latin(text, lang).text == expected


@pytest.mark.parametrize(("text", "lang", "expected"), TO_CYRILLIC)
def test_to_cyrillic(text: str, lang: str, expected: str) -> None:
    assert to_cyrillic(text, lang).text == expected


@pytest.mark.parametrize("lang", ["xx", "de"])
def test_unknown_language_is_refused(lang: str) -> None:
    with pytest.raises(ValueError, match="no transliteration"):
        to_latin("abc", lang)
    with pytest.raises(ValueError, match="no transliteration"):
        to_cyrillic("abc", lang)


def test_transliteration_keeps_offsets() -> None:
    original = "Он — Щукин"
    mapped = to_latin(original, "ru")
    start = mapped.text.index("Shchukin")
    assert mapped.original_span(start, start + len("Shchukin")) == (5, 10)
    shch = mapped.text.index("Shch")
    assert mapped.original_span(shch, shch + 4) == (5, 6)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("иноагент", "inoagent"),
        ("ИНОАГЕНТ", "Inoagent"),
        ("хаин", "xain"),
        ("Xəyanətkar", "xeyanetkar"),
        ("предатель", "predatel'"),
        ("f0reign аgent", "foreign agent"),
    ],
)
def test_match_key_unifies_spellings(a: str, b: str) -> None:
    assert match_key(a).text == match_key(b).text.replace("'", "")


def test_match_key_keeps_arabic_script() -> None:
    assert match_key("خائن").text == "خاين"
