"""Hashed n-gram features, vectorised with numpy: the same code for training and inference.

Features are character n-grams (2–5, over the normalised text padded with spaces) and word
unigrams and bigrams, hashed into ``n_features`` buckets. Values are ``log1p(count)``
scaled to unit L2 norm per text. The hash is a fixed polynomial over code points (not
Python's salted ``hash``), so a model trained once gives the same scores in every process.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float32]

CHAR_NGRAMS: Final[tuple[int, ...]] = (2, 3, 4, 5)
_PRIME: Final[np.uint64] = np.uint64(1_000_003)
_MIX: Final[np.uint64] = np.uint64(0x9E3779B97F4A7C15)
_WORD: Final[re.Pattern[str]] = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_SEP: Final[str] = "\x00"


@dataclass(frozen=True, slots=True)
class Windows:
    """Every feature occurrence: which text, where in it, and which bucket."""

    rows: IntArray
    starts: IntArray
    ends: IntArray
    buckets: IntArray


@dataclass(frozen=True, slots=True)
class FeatureMatrix:
    """A sparse ``n_rows × n_features`` matrix in coordinate form (unique row/col pairs)."""

    rows: IntArray
    cols: IntArray
    values: FloatArray
    n_rows: int


def _mix(h: npt.NDArray[np.uint64], n_features: int) -> IntArray:
    with np.errstate(over="ignore"):
        h = h ^ (h >> np.uint64(31))
        h = h * _MIX
        h = h ^ (h >> np.uint64(29))
    return (h % np.uint64(n_features)).astype(np.int64)


def _char_windows(texts: Sequence[str], n_features: int) -> Windows:
    padded = _SEP.join(f" {t} " for t in texts) + _SEP
    cps = np.frombuffer(padded.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    is_sep = cps == 0
    seps_before = np.concatenate(([0], np.cumsum(is_sep)))
    row_starts = np.concatenate(([0], np.flatnonzero(is_sep) + 1))
    parts: list[tuple[IntArray, IntArray, IntArray, IntArray]] = []
    h = cps.copy()
    for n in range(2, max(CHAR_NGRAMS) + 1):
        with np.errstate(over="ignore"):
            h = h[:-1] * _PRIME + cps[n - 1 :]
        if n not in CHAR_NGRAMS:
            continue
        starts = np.arange(len(h), dtype=np.int64)
        ok = seps_before[starts + n] == seps_before[starts]
        starts = starts[ok]
        rows = seps_before[starts].astype(np.int64)
        local = starts - row_starts[rows] - 1  # -1: the leading pad space
        with np.errstate(over="ignore"):
            buckets = _mix(h[ok] + np.uint64(n) * _MIX, n_features)
        parts.append((rows, local, local + n, buckets))
    return _concat(parts)


def _word_windows(texts: Sequence[str], n_features: int) -> Windows:
    rows: list[int] = []
    starts: list[int] = []
    ends: list[int] = []
    keys: list[int] = []
    for row, text in enumerate(texts):
        previous: tuple[int, str] | None = None
        for match in _WORD.finditer(text):
            word = match.group()
            rows.append(row)
            starts.append(match.start())
            ends.append(match.end())
            keys.append(zlib.crc32(b"w\x01" + word.encode("utf-8")))
            if previous is not None:
                rows.append(row)
                starts.append(previous[0])
                ends.append(match.end())
                keys.append(zlib.crc32(f"b\x01{previous[1]}\x01{word}".encode()))
            previous = (match.start(), word)
    buckets = _mix(np.asarray(keys, dtype=np.uint64) + _MIX, n_features)
    return Windows(_ints(rows), _ints(starts), _ints(ends), buckets)


def _ints(values: list[int]) -> IntArray:
    return np.asarray(values, dtype=np.int64)


def _concat(parts: Sequence[tuple[IntArray, IntArray, IntArray, IntArray]]) -> Windows:
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return Windows(empty, empty, empty, empty)
    return Windows(*(np.concatenate([p[i] for p in parts]) for i in range(4)))


def windows(texts: Sequence[str], n_features: int) -> Windows:
    """All character and word feature occurrences of ``texts``, with their positions."""
    chars = _char_windows(texts, n_features)
    words = _word_windows(texts, n_features)
    return Windows(
        np.concatenate([chars.rows, words.rows]),
        np.concatenate([chars.starts, words.starts]),
        np.concatenate([chars.ends, words.ends]),
        np.concatenate([chars.buckets, words.buckets]),
    )


def featurise(texts: Sequence[str], n_features: int) -> FeatureMatrix:
    """The feature matrix of already-normalised ``texts``."""
    occ = windows(texts, n_features)
    keys, counts = np.unique(occ.rows * n_features + occ.buckets, return_counts=True)
    rows = keys // n_features
    values = np.log1p(counts).astype(np.float32)
    norms = np.sqrt(np.bincount(rows, weights=values * values, minlength=len(texts)))
    norms[norms == 0] = 1.0
    values /= norms[rows].astype(np.float32)
    return FeatureMatrix(rows, keys % n_features, values, len(texts))
