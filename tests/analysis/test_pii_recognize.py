"""The number recognizers run together find what each one finds on its own."""

from __future__ import annotations

import random

from qalxan.analysis.pii import recognize
from qalxan.analysis.pii.joined import Joined
from qalxan.analysis.pii.recognize import PiiMatch

NUMBERS = [
    "10000000146",
    "500100732259",
    "112-233-445 95",
    "12345678Z",
    "X1234567L",
    "1 85 05 78 006 084 91",
    "0499370899",
    "536-90-4399",
    "4111-1111-1111-1111",
    "4111111111111111",
    "AZ21 NABZ 0000 0000 1370 1000 1944",
    "GB82 WEST 1234 5698 7654 32",
]
PIECES = [*NUMBERS, *"0123456789", *"XYZxyzAB", *" -.+/", "ИНН ", "SSN ", "id ", "\n"]


def test_numbers_found_together_are_those_found_one_by_one() -> None:
    rng = random.Random(3)
    texts = ["".join(rng.choices(PIECES, k=rng.randint(0, 8))) for _ in range(4000)]
    joined = Joined(texts)
    together: dict[int, list[PiiMatch]] = {}
    recognize._number_matches(joined, together)
    alone: dict[int, list[PiiMatch]] = {}
    for rec in recognize._NUMBERS:
        recognize._pattern_matches(rec, joined, alone)
    assert together == alone
    assert {m.scheme for matches in alone.values() for m in matches} == {
        rec.scheme for rec in recognize._NUMBERS
    }
