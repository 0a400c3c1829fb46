"""Receipt codes, case references and pseudonyms: random, uniform, in the readable alphabet."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from qalxan.services.receipts import (
    ALPHABET,
    new_case_reference,
    new_pseudonym,
    new_receipt_code,
    normalise,
    random_chars,
)


@pytest.mark.parametrize("count", [1, 6, 8, 20, 33])
def test_random_chars_have_the_length_asked_and_only_readable_characters(count: int) -> None:
    drawn = random_chars(count)
    assert len(drawn) == count and set(drawn) <= set(ALPHABET)


def test_every_character_is_drawn_about_equally_often() -> None:
    counts = Counter("".join(random_chars(20) for _ in range(8_000)))
    expected = 160_000 / len(ALPHABET)
    chi_square = sum((counts[ch] - expected) ** 2 / expected for ch in ALPHABET)
    assert chi_square < 70  # 31 degrees of freedom: p < 1e-4 of failing by chance


def test_every_position_of_a_code_varies() -> None:
    codes = [new_receipt_code().replace("-", "") for _ in range(2_000)]
    for position in range(20):
        assert len({code[position] for code in codes}) == len(ALPHABET)


def test_codes_references_and_pseudonyms_have_their_shapes() -> None:
    code = new_receipt_code()
    assert re.fullmatch(r"([0-9A-Z]{5}-){3}[0-9A-Z]{5}", code) and normalise(code) == code
    assert re.fullmatch(r"Q-[0-9A-Z]{8}", new_case_reference())
    assert re.fullmatch(r"Defender [0-9A-Z]{6}", new_pseudonym())
    assert len({new_receipt_code() for _ in range(1_000)}) == 1_000
