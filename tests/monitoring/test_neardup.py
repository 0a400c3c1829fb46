"""Near-identical texts by MinHash LSH: recall against the exact definition, and edges."""

from __future__ import annotations

import itertools
import random

import numpy as np

from qalxan.monitoring.campaigns import neardup
from qalxan.monitoring.campaigns.neardup import bands_for, jaccard, near_duplicate_groups


def variants(seed: int, originals: int = 120, vocabulary_size: int = 300) -> list[str]:
    """Texts of 12 words, each with three one-word edits, as distinct texts."""
    rng = random.Random(seed)
    vocabulary = [f"w{i}" for i in range(vocabulary_size)]
    texts = []
    for _ in range(originals):
        words = rng.sample(vocabulary, 12)
        texts.append(" ".join(words))
        for _ in range(3):
            edited = list(words)
            edited[rng.randrange(12)] = rng.choice(vocabulary)
            texts.append(" ".join(edited))
    return list(dict.fromkeys(texts))


def test_pairs_above_the_threshold_land_in_one_group() -> None:
    texts = variants(3)
    words = [frozenset(t.split()) for t in texts]
    groups = near_duplicate_groups(texts, 0.7)
    similar = [(i, j) for i, j in itertools.combinations(range(len(texts)), 2)
               if jaccard(words[i], words[j]) >= 0.7]
    together = sum(groups[i] == groups[j] for i, j in similar)
    assert similar and together / len(similar) >= 0.97


def test_every_group_is_held_together_by_verified_pairs() -> None:
    texts = variants(5)
    words = [frozenset(t.split()) for t in texts]
    groups = near_duplicate_groups(texts, 0.8)
    for i, root in enumerate(groups):
        if root != i:  # each member is similar to some other member of its group
            assert any(groups[j] == root and j != i and jaccard(words[i], words[j]) >= 0.8
                       for j in range(len(texts)))


def test_band_choice_favours_recall() -> None:
    assert bands_for(0.8) == (14, 9) and bands_for(0.7) == (20, 6)


def test_large_buckets_are_compared_with_their_first_members() -> None:
    same = "the defender is a foreign agent paid by them"
    texts = [same + f" x{i}" for i in range(100)]
    groups = near_duplicate_groups(texts, 0.8)
    assert len(set(groups)) == 1 and len(texts) > neardup.FULL_BUCKET


def test_exact_only_and_tiny_inputs() -> None:
    assert near_duplicate_groups(["a b c d e", "a b c d f"], 1.0) == [0, 1]
    assert near_duplicate_groups(["one"], 0.5) == [0]
    assert near_duplicate_groups(["a b", "a c"], 0.1) == [0, 1]  # under five words


def test_candidates_are_kept_exactly_when_their_word_sets_are_similar_enough() -> None:
    """The whole-chunk check of candidate pairs keeps the same pairs as ``jaccard`` one pair
    at a time: repeated words count once, sizes that rule a pair out, similarity exactly at
    the threshold (4 of 5 words) kept, just below it dropped."""
    rng = random.Random(11)
    vocabulary = [f"w{i}" for i in range(9)]
    texts = {i: " ".join(rng.choices(vocabulary, k=rng.randrange(1, 12))) for i in range(150)}
    texts[150], texts[151] = "a b c d", "a b c d e"  # 4/5 = 0.8
    texts[152], texts[153] = "a b c d d d", "a b c x"  # 3/5 = 0.6
    pairs = [*itertools.combinations(range(150), 2), (150, 151), (152, 153)]
    words = {i: frozenset(t.split()) for i, t in texts.items()}
    for threshold in (0.3, 0.6, 0.8, 1.0):
        expected = [(i, j) for i, j in pairs if jaccard(words[i], words[j]) >= threshold]
        assert neardup._similar((pairs, texts, threshold)) == expected
        assert expected, threshold
    assert (150, 151) in neardup._similar((pairs, texts, 0.8))
    assert (152, 153) not in neardup._similar((pairs, texts, 0.61))
    assert neardup._similar(([], texts, 0.8)) == []


def _reference_pairs(keys: np.ndarray) -> set[tuple[int, int]]:
    """Candidate pairs one bucket at a time: every pair of a bucket's rows, or for a bucket
    over ``FULL_BUCKET`` rows its first four rows with each later one."""
    pairs: set[tuple[int, int]] = set()
    for band in range(keys.shape[1]):
        buckets: dict[int, list[int]] = {}
        for row, key in enumerate(keys[:, band].tolist()):
            buckets.setdefault(key, []).append(row)
        for members in buckets.values():
            heads = members if len(members) <= neardup.FULL_BUCKET else members[:4]
            for x, first in enumerate(heads):
                pairs.update((first, second) for second in members[x + 1:])
    return pairs


def test_banded_pairs_are_every_bucket_pair_once() -> None:
    """The whole-band pairing gives the pairs that pairing each bucket's rows gives: small
    buckets whole, a bucket larger than ``FULL_BUCKET`` through its first four rows, each
    pair once however many bands it shares."""
    rng = np.random.default_rng(5)
    keys = rng.integers(0, 40, size=(300, 3)).astype(np.uint64)
    keys[:100, 1] = 7  # one bucket of 100 rows in band 1
    keys[200:, 2] = rng.integers(1000, 1100, size=100).astype(np.uint64)
    found = neardup._banded_pairs(keys)
    pairs = [tuple(p) for p in found.tolist()]
    assert len(pairs) == len(set(pairs))
    assert set(pairs) == _reference_pairs(keys)
    assert all(i < j for i, j in pairs)
    assert neardup._banded_pairs(np.arange(6, dtype=np.uint64).reshape(3, 2)).shape == (0, 2)
