"""Script detection with ISO 15924 codes."""

from __future__ import annotations

import pytest

from qalxan.analysis.text import char_script, dominant_script, is_mixed_script, script_counts


@pytest.mark.parametrize(
    ("char", "script"),
    [
        ("a", "Latn"),
        ("ə", "Latn"),
        ("Ş", "Latn"),
        ("ж", "Cyrl"),
        ("ә", "Cyrl"),
        ("ع", "Arab"),
        ("پ", "Arab"),
        ("ω", "Grek"),
        ("ა", "Geor"),
        ("Ա", "Armn"),
        ("ש", "Hebr"),
        ("中", "Hani"),
        ("1", "Zyyy"),
        (" ", "Zyyy"),
        ("!", "Zyyy"),
        ("٣", "Zyyy"),
        ("ـ", "Zyyy"),
        ("😀", "Zyyy"),
    ],
)
def test_char_script(char: str, script: str) -> None:
    assert char_script(char) == script


@pytest.mark.parametrize(
    ("text", "script"),
    [
        ("Sən xainsən", "Latn"),
        ("Ты предатель, Ivan", "Cyrl"),
        ("این فعال مزدور است", "Arab"),
        ("123 !!! ...", "Zyyy"),
        ("", "Zyyy"),
    ],
)
def test_dominant_script(text: str, script: str) -> None:
    assert dominant_script(text) == script


@pytest.mark.parametrize(
    ("word", "mixed"), [("Ѕtuрid", True), ("stupid", False), ("иноaгент", True), ("2024", False)]
)
def test_mixed_script_words_are_flagged(word: str, mixed: bool) -> None:
    assert is_mixed_script(word) is mixed


def test_script_counts_ignore_digits_and_punctuation() -> None:
    assert script_counts("ab1 вг!") == {"Latn": 2, "Cyrl": 2}
