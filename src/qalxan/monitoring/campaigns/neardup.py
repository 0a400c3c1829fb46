"""Near-identical texts: MinHash LSH over word sets, verified by exact Jaccard similarity.

Texts are grouped first by exact normalised form (the fast path); only the distinct forms
with at least ``MIN_WORDS`` words go through MinHash. Signatures of every text are computed
at once with numpy (universal hashing of each word's CRC-32, ``NUM_PERM`` permutations),
then cut into bands: texts that agree on a whole band are candidates. Candidates are kept
only when their word sets' Jaccard similarity reaches the threshold, and groups are the
connected components of the kept pairs, so a chain of small edits joins one group.

The two stages that work on each text or pair alone (signatures with their band keys, and
the exact check of candidates) run over chunks through a ``Mapper``: in this process by
default, or as Ray tasks (``qalxan.scaleout.ray_map``). Bucketing the band keys and joining
the groups stay with the caller; the groups are the same either way.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator, Sequence
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from qalxan.scaleout import Mapper, serial_map

NUM_PERM = 128
MIN_WORDS = 5
#: Weights of missed pairs against spurious candidates when choosing bands (candidates
#: are verified exactly, so missing a pair costs more): at the threshold a pair is a
#: candidate about 87% of the time, 0.05 above it about 98%.
FALSE_POSITIVE_WEIGHT, FALSE_NEGATIVE_WEIGHT = 0.1, 0.9
#: Larger buckets are compared with their first members only.
FULL_BUCKET = 64
_PRIME = np.uint64((1 << 31) - 1)
_TOKENS_PER_CHUNK = 1 << 15
#: Texts signed, and candidate pairs checked, per mapped chunk.
TEXTS_PER_CHUNK = 25_000
PAIRS_PER_CHUNK = 100_000
U64 = npt.NDArray[np.uint64]
Pair = tuple[int, int]


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


class _Groups:
    """Union-find over text indices."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _candidate_probability(similarity: npt.NDArray[np.float64], bands: int,
                           rows: int) -> npt.NDArray[np.float64]:
    return np.asarray(1 - (1 - similarity**rows) ** bands, dtype=np.float64)


@lru_cache(maxsize=32)
def bands_for(threshold: float) -> tuple[int, int]:
    """(bands, rows) with ``bands * rows <= NUM_PERM`` that minimise the weighted chance of
    spurious candidates below the threshold and missed pairs above it."""
    below = np.linspace(0.0, threshold, 200)
    above = np.linspace(threshold, 1.0, 200)
    best, choice = float("inf"), (1, NUM_PERM)
    for bands in range(1, NUM_PERM + 1):
        for rows in range(1, NUM_PERM // bands + 1):
            spurious = np.trapezoid(_candidate_probability(below, bands, rows), below)
            missed = np.trapezoid(1 - _candidate_probability(above, bands, rows), above)
            error = FALSE_POSITIVE_WEIGHT * spurious + FALSE_NEGATIVE_WEIGHT * missed
            if error < best:
                best, choice = float(error), (bands, rows)
    return choice


def _permutations() -> tuple[U64, U64]:
    rng = np.random.default_rng(1)
    a = rng.integers(1, int(_PRIME), NUM_PERM, dtype=np.uint64)
    return a, rng.integers(0, int(_PRIME), NUM_PERM, dtype=np.uint64)


def _flatten(words: Sequence[frozenset[str]]) -> tuple[U64, npt.NDArray[np.int64]]:
    """Each word's hash, texts one after another, and where each text starts."""
    seen: dict[str, int] = {}
    hashes = [seen[w] if w in seen else seen.setdefault(w, zlib.crc32(w.encode()) % int(_PRIME))
              for text in words for w in text]
    starts = np.cumsum([0] + [len(text) for text in words[:-1]], dtype=np.int64)
    return np.asarray(hashes, dtype=np.uint64), starts


def signatures(words: Sequence[frozenset[str]]) -> U64:
    """MinHash signatures, one row of ``NUM_PERM`` values per (non-empty) word set.

    In each chunk every distinct word is permuted once (words repeat across texts), as
    32-bit values (they are below the 31-bit prime), then gathered per text.
    """
    if not words:
        return np.empty((0, NUM_PERM), dtype=np.uint64)
    hashes, starts = _flatten(words)
    a, b = _permutations()
    rows = []
    for first, last in _chunks(starts, hashes.size):
        local = starts[first:last] - starts[first]
        end = int(starts[last]) if last < starts.size else hashes.size
        distinct, inverse = np.unique(hashes[int(starts[first]):end], return_inverse=True)
        table = ((distinct[:, None] * a[None, :] + b[None, :]) % _PRIME).astype(np.uint32)
        rows.append(np.minimum.reduceat(table[inverse.ravel()], local, axis=0))
    return np.concatenate(rows).astype(np.uint64)


def _chunks(starts: npt.NDArray[np.int64], total: int) -> Iterator[tuple[int, int]]:
    """Ranges of texts holding about ``_TOKENS_PER_CHUNK`` words each."""
    first = 0
    while first < starts.size:
        limit = int(starts[first]) + _TOKENS_PER_CHUNK
        last = max(int(np.searchsorted(starts, limit, side="right")), first + 1)
        yield first, min(last, starts.size)
        first = last


def _band_keys(band: U64) -> U64:
    """One 64-bit key per row of a band (FNV-style mixing; collisions are verified)."""
    key = np.full(band.shape[0], 0xCBF29CE484222325, dtype=np.uint64)
    for column in band.T:
        key = (key ^ column) * np.uint64(0x100000001B3)
    return key


def band_keys(sigs: U64, bands: int, rows: int) -> U64:
    """One key per band for each row of signatures: ``(rows of sigs, bands)``."""
    keys = np.empty((sigs.shape[0], bands), dtype=np.uint64)
    for band in range(bands):
        keys[:, band] = _band_keys(sigs[:, band * rows:(band + 1) * rows])
    return keys


def _banded_pairs(keys: U64) -> npt.NDArray[np.int64]:
    """Candidate pairs ``(i, j)``, ``i < j``, of rows that share a key in some band, each
    once, as an array of two columns (buckets larger than ``FULL_BUCKET`` pair only their
    first four rows with the rest)."""
    size = keys.shape[0]
    found = [_band_pairs(keys[:, band]) for band in range(keys.shape[1])]
    codes = np.unique(np.concatenate(found)) if found else np.empty(0, dtype=np.int64)
    return np.stack((codes // max(size, 1), codes % max(size, 1)), axis=1)


def _band_pairs(keys: U64) -> npt.NDArray[np.int64]:
    """The pairs of one band as codes ``i * rows + j``: rows grouped by key (stable sort,
    so each bucket lists its rows in ascending order), buckets of one size at a time."""
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    cuts = np.flatnonzero(ordered[1:] != ordered[:-1]) + 1
    starts = np.concatenate(([0], cuts))
    lengths = np.diff(np.concatenate((starts, [ordered.size])))
    codes = []
    for length in np.unique(lengths[lengths > 1]).tolist():
        first, second = _pair_positions(length)
        members = order[starts[lengths == length][:, None] + np.arange(length)]
        a, b = members[:, first].ravel(), members[:, second].ravel()
        codes.append(np.minimum(a, b) * keys.shape[0] + np.maximum(a, b))
    return np.concatenate(codes) if codes else np.empty(0, dtype=np.int64)


@lru_cache(maxsize=256)
def _pair_positions(length: int) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Positions paired within a bucket of ``length`` rows: every pair, or for a bucket
    over ``FULL_BUCKET`` its first four rows with each later one."""
    heads = length if length <= FULL_BUCKET else 4
    first, second = zip(*((x, y) for x in range(heads) for y in range(x + 1, length)),
                        strict=True)
    return np.asarray(first, dtype=np.int64), np.asarray(second, dtype=np.int64)


def near_duplicate_groups(texts: Sequence[str], threshold: float,
                          mapper: Mapper = serial_map) -> list[int]:
    """For each distinct normalised text, the index of its group's first text.

    ``threshold`` is the least Jaccard similarity of word sets; 1.0 means exact only.
    """
    if threshold >= 1.0 or len(texts) < 2:
        return list(range(len(texts)))
    bands, rows = bands_for(round(threshold, 4))
    signed = mapper(_signed, [(list(texts[a:b]), a, bands, rows)
                              for a, b in _spans(len(texts), TEXTS_PER_CHUNK)])
    eligible = np.concatenate([indices for indices, _ in signed]).tolist()
    keys = np.concatenate([keys for _, keys in signed])
    pairs = [(eligible[x], eligible[y]) for x, y in _banded_pairs(keys).tolist()]
    chunks = [_with_texts(pairs[a:b], texts, threshold)
              for a, b in _spans(len(pairs), PAIRS_PER_CHUNK)]
    groups = _Groups(len(texts))
    for similar in mapper(_similar, chunks):
        for i, j in similar:
            groups.join(i, j)
    return [groups.find(i) for i in range(len(texts))]


def _spans(total: int, size: int) -> list[tuple[int, int]]:
    return [(first, min(first + size, total)) for first in range(0, total, size)]


SignChunk = tuple[list[str], int, int, int]
PairChunk = tuple[list[Pair], dict[int, str], float]


def _signed(chunk: SignChunk) -> tuple[npt.NDArray[np.int64], U64]:
    """The indices of the texts with enough words (offset by the chunk's start), and
    their band keys."""
    texts, offset, bands, rows = chunk
    words = [frozenset(t.split()) for t in texts]
    eligible = [i for i, w in enumerate(words) if len(w) >= MIN_WORDS]
    keys = band_keys(signatures([words[i] for i in eligible]), bands, rows)
    return np.asarray(eligible, dtype=np.int64) + offset, keys


def _with_texts(pairs: list[Pair], texts: Sequence[str], threshold: float) -> PairChunk:
    involved = {i for pair in pairs for i in pair}
    return pairs, {i: texts[i] for i in involved}, threshold


def _similar(chunk: PairChunk) -> list[Pair]:
    """The candidate pairs whose word sets are similar enough: ``jaccard`` of each pair's
    word sets at least the threshold, computed for the whole chunk at once.

    Each text's distinct words become ids; a pair's shared words are the first text's
    (text, word) keys found among the second's, by binary search in the sorted keys; the
    similarity is shared / (size + size - shared), the same division ``jaccard`` makes.
    Pairs whose sizes alone rule it out (smaller over larger below the threshold) are not
    looked at.
    """
    pairs, texts, threshold = chunk
    if not pairs:
        return []
    ids: dict[str, int] = {}
    row_of: dict[int, int] = {}
    words: list[int] = []
    sizes: list[int] = []
    for index, text in texts.items():
        row_of[index] = len(sizes)
        distinct = {ids.setdefault(w, len(ids)) for w in text.split()}
        words.extend(distinct)
        sizes.append(len(distinct))
    size = np.asarray(sizes, dtype=np.int64)
    starts = np.concatenate(([0], np.cumsum(size)[:-1]))
    rows = np.repeat(np.arange(size.size, dtype=np.int64), size)
    keys = np.sort(rows * len(ids) + np.asarray(words, dtype=np.int64))
    first = np.fromiter((row_of[i] for i, _ in pairs), dtype=np.int64, count=len(pairs))
    second = np.fromiter((row_of[j] for _, j in pairs), dtype=np.int64, count=len(pairs))
    small, large = np.minimum(size[first], size[second]), np.maximum(size[first], size[second])
    possible = np.flatnonzero(small / np.maximum(large, 1) >= threshold)
    first, second = first[possible], second[possible]
    counts = size[first]
    if not counts.size:
        return []
    offsets = np.concatenate(([0], np.cumsum(counts)[:-1]))
    within = np.arange(int(counts.sum()), dtype=np.int64) - np.repeat(offsets, counts)
    sorted_words = keys - np.repeat(np.arange(size.size, dtype=np.int64), size) * len(ids)
    query = np.repeat(second, counts) * len(ids) + sorted_words[np.repeat(starts[first], counts)
                                                                + within]
    at = np.minimum(np.searchsorted(keys, query), keys.size - 1)
    shared = np.add.reduceat((keys[at] == query).astype(np.int64), offsets)
    similarity = shared / (size[first] + size[second] - shared)
    return [pairs[int(k)] for k in possible[similarity >= threshold]]
