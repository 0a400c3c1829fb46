"""Hashed n-gram features: stable across processes, positions that point at the text."""

from __future__ import annotations

import numpy as np
import pytest

from qalxan.analysis.text.features import featurise, windows

N = 1 << 12


def test_feature_hashes_are_fixed_so_the_shipped_model_keeps_working() -> None:
    # If this changes, the model must be retrained: the buckets are the model's vocabulary.
    occ = windows(["ab"], 1 << 18)
    assert occ.buckets[:3].tolist() == [68592, 251210, 81689]


def test_rows_are_unit_length_and_deterministic() -> None:
    texts = ["you are a traitor", "", "иноагент"]
    fm = featurise(texts, N)
    again = featurise(texts, N)
    assert np.array_equal(fm.cols, again.cols) and np.array_equal(fm.values, again.values)
    norms = np.bincount(fm.rows, weights=fm.values.astype(np.float64) ** 2, minlength=3)
    assert norms == pytest.approx([1.0, 1.0, 1.0])


def test_character_windows_do_not_cross_texts() -> None:
    occ = windows(["ab", "cd"], N)
    for row, start, end in zip(occ.rows, occ.starts, occ.ends, strict=True):
        text = ["ab", "cd"][row]
        assert -1 <= start < end <= len(text) + 1  # -1 and len+1 are the padding spaces


def test_word_windows_cover_words_and_bigrams() -> None:
    occ = windows(["hate you"], N)
    spans = {(int(s), int(e)) for s, e in zip(occ.starts, occ.ends, strict=True)}
    assert {(0, 4), (5, 8), (0, 8)} <= spans


def test_empty_batch() -> None:
    fm = featurise([], N)
    assert fm.n_rows == 0 and fm.rows.size == 0
