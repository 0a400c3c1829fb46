"""Lexicon patterns bucketed by first character find exactly what the plain alternation finds."""

from __future__ import annotations

import random
import re

import pytest

from qalxan.analysis.pii.buckets import by_first_char, compile_bucketed
from qalxan.analysis.pii.lexicon import Lexicon, load_json


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        ("his wife", {"h": "is wife"}),
        ("(?:his|her) wife", {"h": "(?:is|er) wife"}),
        ("(?:a|b|ab)c", {"a": "(?:|b)c", "b": "(?:)c"}),
        ("(?:мы )?следим", {"м": "(?:ы следим)", "с": "(?:ледим)"}),
        ("a?b", None),
        ("\\d+ street", None),
        ("[ab]c", None),
        ("(?:a|b)+", None),
        ("", None),
    ],
)
def test_by_first_char(fragment: str, expected: dict[str, str] | None) -> None:
    assert by_first_char(fragment) == expected


def _plain(groups: dict[str, list[str]]) -> re.Pattern[str]:
    parts = [
        f"(?P<{label}>(?:" + "|".join(sorted(set(frags), key=len, reverse=True)) + "))"
        for label, frags in groups.items()
    ]
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)")


def _words(groups: dict[str, list[str]]) -> list[str]:
    text = " ".join(f for frags in groups.values() for f in frags)
    return re.sub(r"\\w\*|[()?:|\\]", " ", text).split()


@pytest.mark.parametrize(
    ("name", "sections"),
    [
        ("risk/cues.json", ("location", "routine", "family", "surveillance", "threat")),
        ("doxing/context_phrases.json", ("relatives", "home", "routine")),
        ("doxing/address_cues.json", ("cues", "areas")),
    ],
)
def test_shipped_lexicons_match_as_the_plain_alternation(
    name: str, sections: tuple[str, ...]
) -> None:
    data = load_json(name)
    groups = {
        f"{section}__{lang}": [f.lower() for f in frags]
        for section in sections
        for lang, frags in data[section].items()
    }
    compiled = compile_bucketed(groups, "")
    assert compiled is not None
    bucketed, labels = compiled
    plain = _plain(groups)
    rng = random.Random(name)
    words = _words(groups)
    for _ in range(1500):
        text = " ".join(rng.choices(words, k=rng.randint(1, 8))) + rng.choice(["", " 12", "."])
        theirs = [(m.lastgroup, m.span()) for m in plain.finditer(text)]
        ours = [(labels[m.lastgroup or ""], m.span()) for m in bucketed.finditer(text)]
        assert ours == theirs, text


def test_lexicon_falls_back_when_fragments_cannot_be_bucketed() -> None:
    lexicon = Lexicon({"num": ["\\d+ street"], "word": ["lives at"]})
    found = [(m.label, m.start, m.end) for m in lexicon.finditer("He lives at 12 Street")]
    assert found == [("word", 3, 11), ("num", 12, 21)]
