"""Lexicon patterns: start guards, lower-cased fast path, exact spans in every case."""

from __future__ import annotations

import pytest

from qalxan.analysis.pii.lexicon import Lexicon, first_chars, lower_fragment, start_guard


@pytest.mark.parametrize(
    ("fragment", "chars"),
    [
        ("street", {"s"}),
        ("st\\.?", {"s"}),
        ("(?:his|her|your) wife", {"h", "y"}),
        ("(?:мы )?следим", {"м", "с"}),
        ("\\.com", {"."}),
        ("\\w+ street", None),
        ("s?treet", None),
        ("[abc]x", None),
    ],
)
def test_first_chars(fragment: str, chars: set[str] | None) -> None:
    assert first_chars(fragment) == chars


def test_no_guard_when_a_fragment_start_is_unknown() -> None:
    assert start_guard(["street", "\\w+ road"]) == ""
    assert start_guard(["street", "road"]) == "(?=[rs])"


def test_lower_fragment_keeps_escapes() -> None:
    assert lower_fragment("ABC\\W\\D\\.Ü") == "abc\\W\\D\\.ü"


LEXICON = Lexicon({"home": ["lives at", "evi"], "street": ["küçəsi", "ул\\.?"]})


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("She LIVES AT the corner", [("home", "LIVES AT")]),
        ("Nizami KÜÇƏSI 5", [("street", "KÜÇƏSI")]),
        ("İstanbul, onun EVİ burada; УЛ. Ленина", [("home", "EVİ"), ("street", "УЛ.")]),
        ("delivers atoms", []),  # whole words only
    ],
)
def test_matches_are_case_insensitive_with_exact_spans(
    text: str, found: list[tuple[str, str]]
) -> None:
    assert [(m.label, text[m.start : m.end]) for m in LEXICON.finditer(text)] == found
