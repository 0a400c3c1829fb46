"""Hashed n-gram features: stable across processes, aligned with the text, batch-independent."""

from __future__ import annotations

import numpy as np
import pytest

from qalxan.analysis.text.features import batch, occurrences, position_scores, scores

N = 1 << 12


def test_feature_hashes_are_fixed_so_the_shipped_model_keeps_working() -> None:
    # If this changes, the model must be retrained: the buckets are the model's vocabulary.
    occ = occurrences(batch(["ab"], 1 << 18))
    assert occ.cols[:3].tolist() == [107288, 206924, 140254]  # " ab", "ab ", " ab "


def test_occurrences_point_at_the_text() -> None:
    texts = ["ab cd", "", "xyz"]
    occ = occurrences(batch(texts, N))
    for row, start, end in zip(occ.rows, occ.starts, occ.ends, strict=True):
        padded = f" {texts[row]} "
        assert -1 <= start < end <= len(texts[row]) + 1
        assert padded[start + 1 : end + 1].strip() or end - start <= 2
    coords = zip(occ.rows, occ.starts, occ.ends, strict=True)
    words = {(int(r), int(s), int(e)) for r, s, e in coords}
    assert {(0, 0, 2), (0, 3, 5), (0, 0, 5), (2, 0, 3)} <= words  # words and the bigram


def test_scores_equal_the_sparse_product_and_ignore_batch_neighbours() -> None:
    rng = np.random.default_rng(7)
    weights = rng.normal(size=(N + 1, 2)).astype(np.float32)
    weights[-1] = 0.0
    texts = ["you are a traitor", "", "иноагент", "a"]
    b = batch(texts, N)
    occ = occurrences(b)
    expected = np.zeros((len(texts), 2))
    np.add.at(expected, occ.rows, weights[occ.cols] * occ.values[:, None])
    assert scores(b, weights) == pytest.approx(expected, rel=1e-4, abs=1e-5)
    alone = scores(batch(["иноагент"], N), weights)[0]
    assert alone == pytest.approx(scores(b, weights)[2], rel=1e-5)


def test_unit_weights_give_the_square_root_of_the_count() -> None:
    b = batch(["hello world"], N)
    ones = np.ones((N + 1, 1), dtype=np.float32)
    ones[-1] = 0.0
    assert scores(b, ones)[0, 0] == pytest.approx(np.sqrt(b.counts[0]), rel=1e-5)


def test_empty_batch_and_bad_sizes() -> None:
    assert scores(batch([], N), np.zeros((N + 1, 3), dtype=np.float32)).shape == (0, 3)
    with pytest.raises(ValueError, match="power of two"):
        batch(["x"], 1000)


@pytest.mark.parametrize("texts", [["a"], ["", ""], ["hello world", "", "x"], ["ab cd", "ef"]])
def test_direct_sums_equal_the_position_path(texts: list[str]) -> None:
    rng = np.random.default_rng(3)
    weights = rng.normal(size=(N + 1, 3)).astype(np.float32)
    weights[-1] = 0.0
    b = batch(texts, N)
    per_text = np.add.reduceat(position_scores(b, weights), b.row_starts[:-1], axis=0)
    via_positions = per_text / np.sqrt(b.counts)[:, None]
    assert scores(b, weights) == pytest.approx(via_positions, rel=1e-4, abs=1e-5)
