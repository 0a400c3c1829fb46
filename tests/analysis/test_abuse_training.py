"""The label mapping and sample weights the abuse model is trained with."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("sklearn")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from training import corpora
from training.train_abuse import balanced_weights, label_of


def example(labels: dict[str, int], dataset: str = "x", lang: str = "en") -> corpora.Example:
    return corpora.Example("text", labels, dataset, lang, "train")


@pytest.mark.parametrize(
    ("labels", "lang", "abuse"),
    [
        ({"sexist": 1, "threat": 0}, "en", 1),  # sexist abuse is abuse
        ({"sexist": 0, "threat": 1}, "en", 1),
        ({"sexist": 0, "threat": 0}, "en", None),  # not sexist: says nothing about abuse
        ({"hate": 1}, "en", None),  # hateful content is not taken for abusive language
        ({"sexist": 1}, "es", None),  # no Spanish abuse annotations to balance it
        ({"abuse": 0, "hate": 1}, "en", 0),  # the set's own annotation wins
    ],
)
def test_which_labels_imply_abuse(labels: dict[str, int], lang: str, abuse: int | None) -> None:
    assert label_of(example(labels, lang=lang), "abuse", frozenset({"en"})) == abuse


def test_each_corpus_is_balanced_but_davidson() -> None:
    y = np.array([1, 1, 1, 0, 1, 1, 1, 0])
    groups = np.array(["olid"] * 4 + ["davidson2017"] * 4)
    weights = balanced_weights(y, groups)
    assert weights[:4].tolist() == pytest.approx([4 / 6, 4 / 6, 4 / 6, 2.0])
    assert weights[4:].tolist() == [1.0] * 4
