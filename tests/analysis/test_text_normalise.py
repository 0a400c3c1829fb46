"""Normalisation undoes obfuscation and keeps every character mappable to the original."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from qalxan.analysis.text import MappedText, normalise, normalise_text, normalise_texts, remap
from qalxan.analysis.text.normalise import (
    _SUSPECT,
    _WORD,
    _maybe_suspect,
    _suspect_words,
    normalise_mapped,
)

# (original, normalised)
CASES = [
    ("plain text", "plain text"),
    ("f\u200bu\u200bc\u200bk you", "fuck you"),  # zero-width spaces
    ("hate\u2060ful", "hateful"),  # word joiner
    ("ＦＵＣＫ ﬁne", "fuck fine"),  # NFKC: full-width letters, ligature
    ("Ѕtuрid", "stupid"),  # Cyrillic look-alikes inside a Latin word
    ("иноагент Ивaнов", "иноагент иванов"),  # Latin look-alike inside a Cyrillic word
    ("h4t3 and b1tch", "hate and bitch"),  # leetspeak
    ("sh!t and a$$hole", "shit and asshole"),
    ("$hit", "shit"),
    ("@user 2024 wins", "@user 2024 wins"),  # handles and numbers stay
    ("b1tch!!!!", "bitch!!"),  # punctuation after a word is not leetspeak; runs squeezed
    ("fuuuuuuck", "fuuck"),
    ("İSTANBUL ÇAKAL ĞÖÜŞ", "istanbul cakal gous"),  # Turkish case and diacritics
    ("Xəyanətkar", "xeyanetkar"),  # Azerbaijani schwa
    ("Хәјанәткар", "хейанеткар"),  # Azerbaijani Cyrillic folded onto Russian letters
    ("ёжик йод", "ежик иод"),
    ("أحمد خائن", "احمد خاين"),  # Arabic hamza forms
    ("مُحَمَّد", "محمد"),  # Arabic short vowels
    ("کتاب ی", "کتاب ي"),  # Persian letters unified with Arabic ones
    ("Αθήνα", "αθηνα"),  # Greek accents
]


@pytest.mark.parametrize(("original", "expected"), CASES)
def test_normalise_undoes_obfuscation(original: str, expected: str) -> None:
    assert normalise(original).text == expected


@pytest.mark.parametrize(("original", "expected"), CASES)
def test_fast_path_gives_the_same_string(original: str, expected: str) -> None:
    assert normalise_text(original) == expected


@pytest.mark.parametrize(
    ("original", "needle", "covered"),
    [
        ("Go f\u200bu\u200bc\u200bk yourself", "fuck", "f\u200bu\u200bc\u200bk"),
        ("ＦＵＣＫ off", "fuck", "ＦＵＣＫ"),
        ("ﬁne", "fi", "ﬁ"),
        ("such a b1tch!!!!", "bitch", "b1tch"),
        ("fuuuuuuck you", "fuuck", "fuuuuuuck"),
        ("Hi Хәјанәткар", "хейанеткар", "Хәјанәткар"),
    ],
)
def test_spans_map_back_to_the_original(original: str, needle: str, covered: str) -> None:
    mapped = normalise(original)
    start = mapped.text.index(needle)
    a, b = mapped.original_span(start, start + len(needle))
    assert original[a:b] == covered


def test_original_span_rejects_ranges_outside_the_text() -> None:
    mapped = normalise("abc")
    with pytest.raises(ValueError, match="outside"):
        mapped.original_span(2, 5)
    with pytest.raises(ValueError, match="outside"):
        mapped.original_span(1, 1)


def test_remap_needs_one_piece_per_character() -> None:
    with pytest.raises(ValueError, match="one piece"):
        remap(MappedText.identity("abc"), ["a"])


def test_dropped_leading_character_is_not_lost() -> None:
    mapped = remap(MappedText.identity("\u200bab"), ["", "a", "b"])
    assert mapped.text == "ab"
    assert mapped.original_span(0, 2) == (1, 3)


@given(st.text(max_size=60))
def test_any_text_normalises_with_a_consistent_map(text: str) -> None:
    mapped = normalise(text)
    assert mapped.text == normalise_text(text)
    assert len(mapped.starts) == len(mapped.ends) == len(mapped.text)
    for start, end in zip(mapped.starts, mapped.ends, strict=True):
        assert 0 <= start < end <= len(text)
    assert list(mapped.starts) == sorted(mapped.starts)


@given(st.lists(st.text(max_size=30), max_size=8))
def test_batch_normalisation_equals_one_by_one(texts: list[str]) -> None:
    assert normalise_texts(texts) == [normalise_text(t) for t in texts]


@pytest.mark.parametrize(
    "texts",
    [
        [],
        ["a\0b", "c"],  # separator characters inside a text fall back to one by one
        ["x\x01\x01", "\x01\x01y"],
        ["plain", "h4t3", "Ѕtuрid", "ok"],
        ["ab$٣", "x"],  # a non-ASCII digit after leetspeak symbols ends a word too
        ["ﬁ…ß\u200b𝐚𝐛𝐜 ok", "fuuuuu", "ааа\u200bа"],  # expansions, drops, squeezing
    ],
)
def test_batch_normalisation_edge_cases(texts: list[str]) -> None:
    assert normalise_texts(texts) == [normalise_text(t) for t in texts]


_TRICKY = st.text(alphabet="aZéжΩ҉1٣𝐚ﬁ…@$!|€ ×\u200b_.", max_size=12)


@given(st.lists(_TRICKY, min_size=1, max_size=6))
def test_batch_prefilter_never_misses_a_word_that_needs_a_pass(texts: list[str]) -> None:
    cps = np.frombuffer("\0\x01".join(texts).encode("utf-32-le"), dtype="<u4")
    flagged = set(_maybe_suspect(cps, texts))
    needed = {i for i, t in enumerate(texts) if _SUSPECT.search(t)}
    assert needed <= flagged
    assert normalise_texts(texts) == [normalise_text(t) for t in texts]


def test_normalise_texts_repeated_batch_is_served_again_and_unaffected_by_callers() -> None:
    texts = ["H3ll0 w0rld", "plain text", "Ｆｕｌｌ"]
    first = normalise_texts(texts)
    first[0] = "changed by a caller"
    assert normalise_texts(list(texts)) == [normalise_text(t) for t in texts]
    assert normalise_texts(["other"]) == [normalise_text("other")]


def _words_of_a_whole_scan(text: str) -> list[tuple[int, int]]:
    starts = [m.start() for m in _SUSPECT.finditer(text)]
    return [
        m.span()
        for m in _WORD.finditer(text)
        if any(m.start() <= s < m.end() for s in starts) and _SUSPECT.search(m.group())
    ]


@given(st.text(alphabet="aZжΩ1٣@$!|€ \n\t_.", max_size=40))
def test_suspect_words_scanned_around_suspects_equal_a_whole_scan(text: str) -> None:
    assert _suspect_words(text) == _words_of_a_whole_scan(text)


@given(st.lists(st.text(max_size=30), max_size=8))
def test_batch_maps_equal_one_by_one(texts: list[str]) -> None:
    assert normalise_mapped(texts) == [normalise(t) for t in texts]


@given(st.lists(st.text(alphabet="aжΩ1@$ \u200bﬁ…ß𝐚\u0301", max_size=12), max_size=6))
def test_batch_maps_of_obfuscated_texts_equal_one_by_one(texts: list[str]) -> None:
    assert normalise_mapped(texts) == [normalise(t) for t in texts]


@pytest.mark.parametrize(
    "texts", [[], ["a\0b", "c"], ["\u200b", "", "\u200bab", "x\u200b\u200b", "ааааа"]]
)
def test_batch_maps_edge_cases(texts: list[str]) -> None:
    assert normalise_mapped(texts) == [normalise(t) for t in texts]
