"""Hashed n-gram features, fully vectorised with numpy: one code path for training and scoring.

Features are character n-grams (3–5, over the normalised text padded with one space each
side) and word unigrams and bigrams, hashed into ``n_features`` buckets (a power of two).
Each occurrence counts ``1 / sqrt(total occurrences in the text)``. The hash is a fixed
polynomial over code points (never Python's salted ``hash``), so a trained model gives the
same scores in every process.

Texts of a batch are laid end to end, each as ``" " + text + " " + "\\0"``; feature arrays are
indexed by the position where the feature starts, and windows that would cross a ``\\0`` get
the null bucket ``n_features`` (a zero row in the weight matrix). That keeps every array
aligned with the text, so a linear score is a single ``reduceat`` over each text's segment.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
UIntArray = npt.NDArray[np.uint64]
FloatArray = npt.NDArray[np.float32]

CHAR_NGRAMS: Final[tuple[int, ...]] = (3, 4, 5)
_P: Final[int] = 1_000_003
_P_INV: Final[int] = pow(_P, -1, 1 << 64)
_MIX: Final[np.uint64] = np.uint64(0x9E3779B97F4A7C15)
_WORD_SALT: Final[np.uint64] = np.uint64(0x5BD1E995)
_BIGRAM_SALT: Final[np.uint64] = np.uint64(0x27D4EB2F165667C5)
_BMP: Final[int] = 0x10000


@lru_cache(maxsize=1)
def _alnum_table() -> npt.NDArray[np.bool_]:
    return np.array([chr(c).isalnum() for c in range(_BMP)], dtype=bool)


@lru_cache(maxsize=8)
def _powers(base: int, size: int) -> UIntArray:
    out = np.full(max(size, 1), base, dtype=np.uint64)
    out[0] = 1
    return np.cumprod(out, dtype=np.uint64)[:size]


def _bucket(h: UIntArray, bits: int) -> IntArray:
    with np.errstate(over="ignore"):
        return ((h * _MIX) >> np.uint64(64 - bits)).astype(np.int64)


@dataclass(frozen=True)
class Batch:
    """Feature occurrences of a batch of texts, aligned with their positions."""

    n_features: int
    row_starts: IntArray  # start of each text's segment; one extra entry at the end
    chars: tuple[tuple[int, IntArray], ...]  # (n, bucket per start position; null if invalid)
    word_starts: IntArray
    word_ends: IntArray
    word_buckets: IntArray
    bigram_ok: npt.NDArray[np.bool_]  # word k and k+1 are in the same text
    bigram_buckets: IntArray  # bucket of the bigram (word k, word k+1), at word k+1
    counts: FloatArray  # feature occurrences per text

    @property
    def n_rows(self) -> int:
        return len(self.row_starts) - 1

    def row_of(self, positions: IntArray) -> IntArray:
        return np.searchsorted(self.row_starts, positions, side="right").astype(np.int64) - 1


def batch(texts: Sequence[str], n_features: int) -> Batch:
    """Every feature occurrence of already-normalised ``texts``."""
    bits = n_features.bit_length() - 1
    if n_features != 1 << bits:
        raise ValueError("n_features must be a power of two")
    laid = "".join(f" {t} \0" for t in texts)
    cps = np.frombuffer(laid.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    lengths = np.fromiter((len(t) + 3 for t in texts), dtype=np.int64, count=len(texts))
    row_starts = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
    to_sep = (np.repeat(row_starts[1:], lengths) - 1 - np.arange(len(cps))).astype(np.int64)
    chars = _char_buckets(cps, to_sep, bits, n_features)
    words = _words(cps, row_starts, bits)
    counts = _counts(lengths, row_starts, words[0], words[3])
    return Batch(n_features, row_starts, chars, *words, counts)


def _char_buckets(
    cps: UIntArray, to_sep: IntArray, bits: int, null: int
) -> tuple[tuple[int, IntArray], ...]:
    out: list[tuple[int, IntArray]] = []
    h = cps.copy()
    for n in range(2, max(CHAR_NGRAMS) + 1):
        with np.errstate(over="ignore"):
            h = h[:-1] * np.uint64(_P) + cps[n - 1 :]
        if n in CHAR_NGRAMS:
            with np.errstate(over="ignore"):
                buckets = _bucket(h + np.uint64(n) * _MIX, bits)
            out.append((n, np.where(to_sep[: len(h)] >= n, buckets, null)))
    return tuple(out)


def _words(
    cps: UIntArray, row_starts: IntArray, bits: int
) -> tuple[IntArray, IntArray, IntArray, npt.NDArray[np.bool_], IntArray]:
    table = _alnum_table()
    is_word = np.zeros(len(cps), dtype=bool)
    bmp = cps < _BMP
    is_word[bmp] = table[cps[bmp].astype(np.int64)]
    edges = np.diff(np.concatenate(([False], is_word, [False])).astype(np.int8))
    starts = np.flatnonzero(edges == 1).astype(np.int64)
    ends = np.flatnonzero(edges == -1).astype(np.int64)
    with np.errstate(over="ignore"):
        zero = np.zeros(1, dtype=np.uint64)
        prefix = np.concatenate((zero, np.cumsum(cps * _powers(_P, len(cps)), dtype=np.uint64)))
        raw = (prefix[ends] - prefix[starts]) * _powers(_P_INV, len(cps) + 1)[starts]
        same_row = np.searchsorted(row_starts, starts[1:], side="right") == np.searchsorted(
            row_starts, starts[:-1], side="right"
        )
        bigrams = _bucket(raw[:-1] * _BIGRAM_SALT + raw[1:], bits)
    return starts, ends, _bucket(raw ^ _WORD_SALT, bits), same_row, bigrams


def _counts(
    lengths: IntArray, row_starts: IntArray, word_starts: IntArray, bigram_ok: npt.NDArray[np.bool_]
) -> FloatArray:
    padded = lengths - 1  # the text and its two pad spaces
    chars = sum(np.maximum(padded - n + 1, 0) for n in CHAR_NGRAMS)
    rows = np.searchsorted(row_starts, word_starts, side="right") - 1
    words = np.bincount(rows, minlength=len(lengths))
    bigrams = np.bincount(rows[1:][bigram_ok], minlength=len(lengths))
    counts: FloatArray = np.maximum(chars + words + bigrams, 1).astype(np.float32)
    return counts


def position_scores(b: Batch, weights: FloatArray) -> FloatArray:
    """Per position, the summed weights of the features that start there (``total × labels``).

    ``weights`` has ``n_features + 1`` rows, the last (the null bucket) zero.
    """
    total = int(b.row_starts[-1])
    acc = np.zeros((total, weights.shape[1]), dtype=np.float32)
    for _, buckets in b.chars:
        acc[: len(buckets)] += _gather(weights, buckets)
    acc[b.word_starts] += _gather(weights, b.word_buckets)
    second = b.word_starts[1:][b.bigram_ok]
    acc[second] += _gather(weights, b.bigram_buckets[b.bigram_ok])
    return acc


def _gather(weights: FloatArray, buckets: IntArray) -> FloatArray:
    """``weights[buckets]``: ``np.take`` gathers whole rows several times faster than
    fancy indexing does."""
    out: FloatArray = np.take(weights, buckets, axis=0)
    return out


def scores(b: Batch, weights: FloatArray) -> FloatArray:
    """``(n_rows, n_labels)`` linear scores, summed per text."""
    if b.n_rows == 0:
        return np.zeros((0, weights.shape[1]), dtype=np.float32)
    out: FloatArray = (_direct_sums(b, weights) / np.sqrt(b.counts)[:, None]).astype(np.float32)
    return out


def _direct_sums(b: Batch, weights: FloatArray) -> FloatArray:
    starts = b.row_starts[:-1]
    sums = np.zeros((b.n_rows, weights.shape[1]), dtype=np.float32)
    for _, buckets in b.chars:
        inside = starts < len(buckets)  # a trailing empty text can start past the last window
        sums[inside] += np.add.reduceat(_gather(weights, buckets), starts[inside], axis=0)
    rows = b.row_of(b.word_starts)
    ok = b.bigram_ok
    for r, buckets in ((rows, b.word_buckets), (rows[1:][ok], b.bigram_buckets[ok])):
        gathered = _gather(weights, buckets)
        for j in range(weights.shape[1]):
            sums[:, j] += np.bincount(r, weights=gathered[:, j], minlength=b.n_rows)
    return sums


def word_scores(b: Batch, acc: FloatArray) -> FloatArray:
    """Per word, the weights of the features that start on it or on the space before it,
    up to the next word: how much each word moved each label (``n_words × labels``)."""
    if len(b.word_starts) == 0:
        return np.zeros((0, acc.shape[1]), dtype=np.float32)
    bounds = np.unique(np.concatenate((b.row_starts[:-1], b.word_starts - 1)))
    sums = np.add.reduceat(acc, bounds, axis=0)
    out: FloatArray = sums[np.searchsorted(bounds, b.word_starts - 1)]
    return out


@dataclass(frozen=True, slots=True)
class Occurrences:
    """All feature occurrences as coordinates: rows, buckets, values and text offsets."""

    rows: IntArray
    cols: IntArray
    values: FloatArray
    starts: IntArray
    ends: IntArray


def occurrences(b: Batch) -> Occurrences:
    """The occurrences of a batch (null buckets dropped), e.g. to build a sparse matrix."""
    parts: list[tuple[IntArray, IntArray, IntArray]] = []
    for n, buckets in b.chars:
        pos = np.flatnonzero(buckets != b.n_features).astype(np.int64)
        parts.append((pos, pos + n, buckets[pos]))
    parts.append((b.word_starts, b.word_ends, b.word_buckets))
    ok = b.bigram_ok
    parts.append((b.word_starts[:-1][ok], b.word_ends[1:][ok], b.bigram_buckets[ok]))
    starts = np.concatenate([p[0] for p in parts])
    rows = b.row_of(starts)
    local = b.row_starts[rows] + 1
    values = (1.0 / np.sqrt(b.counts[rows])).astype(np.float32)
    ends = np.concatenate([p[1] for p in parts])
    return Occurrences(
        rows, np.concatenate([p[2] for p in parts]), values, starts - local, ends - local
    )
