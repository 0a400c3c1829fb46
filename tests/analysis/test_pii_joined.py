"""One scan over a batch of joined texts finds exactly what a scan of each text finds."""

from __future__ import annotations

import random
import re

import pytest

from qalxan.analysis.pii import addresses, patterns, phones, recognize
from qalxan.analysis.pii.addresses import AddressRecognizer
from qalxan.analysis.pii.joined import Joined, scan
from qalxan.analysis.pii.lexicon import Lexicon
from qalxan.analysis.pii.phrases import ContextPhraseRecognizer

# Pieces that sit on either side of a join: digits, capitals, boundary characters, the
# separator itself, words the context patterns and lexicons look for, and whole numbers.
PIECES = [
    *"0123456789",
    *"ABXZ",
    *"aexz",
    *" \n\t.,-+@/()°'\x00",
    "İ",
    "ул.",
    "д. 5",
    "id ",
    "ИНН ",
    "номер ",
    "plate ",
    "street",
    "Avenue",
    "lives at",
    "his wife",
    "evi",
    "+7 916 123-45-67",
    "0532 123 45 67",
    "10000000146",
    "500100732259",
    "4111-1111-1111-1111",
    "AZ21 NABZ 0000 0000 1370 1000 1944",
    "X1234567L",
    "5ZJ8K2L",
    "40.40926, 49.86709",
    "41°00′49″N 28°58′34″E",
    "34 ABC 123",
    "AB-123-CD",
    "a.b@example.org",
    "NY 10001",
    "743 Rachel Burgs",
]


def random_texts(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choices(PIECES, k=rng.randint(0, 9))) for _ in range(count)]


def text_by_text(pattern: re.Pattern[str], texts: list[str], indices: list[int]) -> list[object]:
    return [(i, m.span(), m.group()) for i in indices for m in pattern.finditer(texts[i])]


def joined_scan(
    pattern: re.Pattern[str], texts: list[str], indices: list[int] | None
) -> list[object]:
    hits = scan(pattern, Joined(texts, indices))
    return [(i, (m.start() - base, m.end() - base), m.group()) for i, base, m in hits]


SHIPPED = [
    *(r.pattern for r in patterns.RECOGNIZERS),
    *(r.gate for r in patterns.RECOGNIZERS if r.gate is not None),
    *(patterns.context_pattern(r.context) for r in patterns.RECOGNIZERS if r.context),
    recognize._LONG_NUMBER,
    phones._CANDIDATE,
    addresses._US_STATE_ZIP,
    AddressRecognizer()._suffixed,
    AddressRecognizer()._cue.fast,
    ContextPhraseRecognizer()._lexicon.fast,
]


@pytest.mark.parametrize("pattern", SHIPPED, ids=lambda p: p.pattern[:40])
def test_shipped_patterns_find_the_same_in_joined_texts(pattern: re.Pattern[str]) -> None:
    texts = random_texts(hash(pattern.pattern) % 1000, 3000)
    everything = list(range(len(texts)))
    assert joined_scan(pattern, texts, None) == text_by_text(pattern, texts, everything)
    some = everything[::3]
    assert joined_scan(pattern, texts, some) == text_by_text(pattern, texts, some)


@pytest.mark.parametrize(
    "pattern", [r"\W+", r"a.b", r"\d[\s\S]{0,3}\d", r"[^x]{2}", r"\x00", r"(?s:.)"]
)
def test_a_match_across_a_join_is_found_text_by_text(pattern: str) -> None:
    compiled = re.compile(pattern)
    texts = [*random_texts(5, 500), "a", "", "b", "7", "7"]
    everything = list(range(len(texts)))
    assert joined_scan(compiled, texts, None) == text_by_text(compiled, texts, everything)


def test_empty_batches_and_empty_texts() -> None:
    digit = re.compile(r"\d")
    assert list(scan(digit, Joined([]))) == []
    assert joined_scan(digit, ["", "1", ""], None) == [(1, (0, 1), "1")]
    assert joined_scan(digit, ["1", "", "2"], [0, 1]) == [(0, (0, 1), "1")]


def test_lexicon_finds_in_a_batch_what_it_finds_text_by_text() -> None:
    lexicon = Lexicon({"home": ["lives at", "evi"], "street": ["küçəsi", "ул\\.?"]})
    texts = [*random_texts(9, 2000), "İstanbul evi", "ул. İ lives at"]
    expected = [(i, m) for i, text in enumerate(texts) for m in lexicon.finditer(text)]
    assert list(lexicon.find_all(texts)) == expected
    assert any(i >= 2000 for i, _ in expected)  # the texts that lower-casing lengthens
