"""Phrase matching with anchors: same answers as one big expression, much faster."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qalxan.analysis.text import match_key, match_keys
from qalxan.analysis.text.phrases import PhraseMatcher, anchor_of

PHRASES = [
    ("foreign agent", r"foreign[\s\-'’]+agent(?![^\W_])"),
    ("agent", r"agent(?![^\W_])"),
    ("predatel", r"predatel[^\W_]*"),
    ("we know where you live", r"we[\s]+know[\s]+where[\s]+you[\s]+live(?![^\W_])"),
]


@pytest.mark.parametrize(
    ("key", "anchor"),
    [
        ("foreign agent", "foreign"),
        ("we know where you live", "live"),
        ("i will kill you", "kill"),
        ("you will", "will"),  # only frequent words: the longest one
        ("убью", "убью"),
    ],
)
def test_anchor_is_the_most_specific_word(key: str, anchor: str) -> None:
    assert anchor_of(key) == anchor


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("she is a foreign agent", [("foreign agent", 0)]),  # longest match wins
        ("an agent, another agent", [("agent", 1), ("agent", 1)]),
        ("reagent", []),  # left word boundary
        ("agents", []),  # right word boundary (exact term)
        ("predatelnitsa and predatel", [("predatelnitsa", 2), ("predatel", 2)]),
        ("we know where you live", [("we know where you live", 3)]),
        ("", []),
    ],
)
def test_find(text: str, found: list[tuple[str, int]]) -> None:
    matcher = PhraseMatcher(PHRASES)
    assert [(text[m.start : m.end], m.index) for m in matcher.find(text)] == found


def test_candidates_name_the_anchors_each_text_holds() -> None:
    matcher = PhraseMatcher(PHRASES)
    texts = ["nothing here", "a foreign agent", "predatel", "agent agent"]
    assert matcher.candidates(texts) == {1: ["agent", "foreign"], 2: ["predatel"], 3: ["agent"]}


def _anchors_found_one_by_one(matcher: PhraseMatcher, texts: list[str]) -> dict[int, list[str]]:
    found = {i: [a for a in matcher.anchors if a in t] for i, t in enumerate(texts)}
    return {i: anchors for i, anchors in found.items() if anchors}


_PIECES = [
    "ag",
    "agent",
    "reagent",
    "fo",
    "foreign",
    "pre",
    "predatel",
    "ок",
    "ока",
    "\n",
    " ",
    "é",
]


@given(
    st.lists(st.sampled_from(["ag", "agent", "ent", "pre", "foreign", "ок", "окаа", "\U0001d41a"])),
    st.lists(st.lists(st.sampled_from([*_PIECES, "\U0001d41a"]), max_size=8), max_size=5),
)
def test_candidates_equal_a_search_for_every_anchor(
    keys: list[str], texts: list[list[str]]
) -> None:
    matcher = PhraseMatcher([(k, re.escape(k)) for k in dict.fromkeys(keys)])
    joined = ["".join(t) for t in texts]
    assert matcher.candidates(joined) == _anchors_found_one_by_one(matcher, joined)


@given(st.lists(st.sampled_from(["she", "is", "a", "foreign", "agent", "reagent", ",", " "])))
def test_same_answers_as_one_big_expression(words: list[str]) -> None:
    text = " ".join(words)
    big = re.compile(
        r"(?<![^\W_])(?:" + "|".join(f"(?P<t{i}>{f})" for i, (_, f) in enumerate(PHRASES)) + ")"
    )
    expected = [(m.start(), m.end()) for m in big.finditer(text)]
    assert [(m.start, m.end) for m in PhraseMatcher(PHRASES).find(text)] == expected


@given(st.lists(st.text(max_size=30), max_size=6))
def test_batch_keys_equal_single_keys(texts: list[str]) -> None:
    assert match_keys(texts) == [match_key(t).text for t in texts]
