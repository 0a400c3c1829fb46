"""The windowed co-occurrence sweep behind every network: sort, then look only nearby.

Input is one entry per (post, key): the key a network compares (a text, a link, a shared
post ...), the post's time, its author and the post itself, all as integer codes. Entries
are sorted by key and time; for each entry the window ``[t - w, t + w]`` of its key is two
binary searches away, so the work is proportional to the matches found, never to the
square of the posts. Time bounds are compared as floats, exactly as given, and mapped onto
ranks of the distinct times, so the search runs on exact integers.

The result counts, for each ordered pair of authors ``(a, b)``, how many of ``a``'s posts
had a post of ``b``'s with the same key within the window (the definition of the
coordination-network-toolkit: ``count(distinct message)`` of the first author).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]

#: Matches materialised at once; larger sweeps run in chunks of about this many.
CHUNK_PAIRS = 8_000_000


@dataclass(frozen=True, slots=True)
class Entries:
    """Parallel arrays, one row per (post, key)."""

    keys: Ints
    times: Floats
    authors: Ints
    posts: Ints


@dataclass(frozen=True, slots=True)
class Matches:
    """Each post with each other author it matched (unique pairs), and the author counts.

    ``post_author[i]`` is the author of post ``i``; ``n_authors`` bounds the author codes.
    """

    posts: Ints
    others: Ints
    post_author: Ints
    n_authors: int

    def weights(self) -> tuple[Ints, Ints, Ints]:
        """(author a, author b, weight) for every ordered pair with a match."""
        codes = self.post_author[self.posts] * self.n_authors + self.others
        pairs, counts = np.unique(codes, return_counts=True)
        return pairs // self.n_authors, pairs % self.n_authors, counts.astype(np.int64)


def _shared_keys_only(entries: Entries) -> Entries:
    """Drop entries whose key occurs once: they can match nothing."""
    if entries.keys.size == 0:
        return entries
    counts = np.bincount(entries.keys)
    keep = counts[entries.keys] > 1
    return Entries(entries.keys[keep], entries.times[keep], entries.authors[keep],
                   entries.posts[keep])


def _bounds(entries: Entries, window: float) -> tuple[Entries, Ints, Ints]:
    """Entries sorted by (key, time), and each one's window as ``[lo, hi)`` indices."""
    order = np.lexsort((entries.times, entries.keys))
    keys, times = entries.keys[order], entries.times[order]
    distinct = np.unique(times)
    rank = np.searchsorted(distinct, times).astype(np.int64)
    low = np.searchsorted(distinct, times - window, side="left").astype(np.int64)
    high = np.searchsorted(distinct, times + window, side="right").astype(np.int64)
    stride = np.int64(distinct.size + 1)
    composite = keys * stride + rank
    lo = np.searchsorted(composite, keys * stride + low, side="left").astype(np.int64)
    hi = np.searchsorted(composite, keys * stride + high, side="left").astype(np.int64)
    ordered = Entries(keys, times, entries.authors[order], entries.posts[order])
    return ordered, lo, hi


def _chunk_matches(entries: Entries, first: int, lo: Ints, hi: Ints, n_authors: int) -> Ints:
    """Unique ``post * n_authors + other author`` codes for the entries from ``first`` on
    whose windows are ``lo``/``hi`` (indices into the whole sorted arrays)."""
    counts = hi - lo
    total = int(counts.sum())
    if total == 0:
        return np.empty(0, dtype=np.int64)
    rows = np.repeat(np.arange(counts.size, dtype=np.int64), counts)
    starts = np.cumsum(counts) - counts
    cols = lo[rows] + (np.arange(total, dtype=np.int64) - starts[rows])
    rows += first
    others = entries.authors[cols]
    keep = others != entries.authors[rows]
    return np.unique(entries.posts[rows[keep]] * n_authors + others[keep])


def _chunks(counts: Ints, budget: int) -> list[tuple[int, int]]:
    """Index ranges whose match counts add up to about ``budget`` each."""
    if counts.size == 0:
        return []
    cumulative = np.cumsum(counts)
    cuts = np.searchsorted(cumulative, np.arange(budget, int(cumulative[-1]), budget))
    edges = np.unique(np.concatenate(([0], cuts + 1, [counts.size])))
    edges = edges[edges <= counts.size]
    return list(itertools.pairwise(edges.tolist()))


def sweep(entries: Entries, window: float, post_author: Ints, n_authors: int) -> Matches:
    """Every post's matches with other authors on the same key within ``window`` s."""
    shared = _shared_keys_only(entries)
    ordered, lo, hi = _bounds(shared, window)
    found = [
        _chunk_matches(ordered, a, lo[a:b], hi[a:b], n_authors)
        for a, b in _chunks(hi - lo, CHUNK_PAIRS)
    ]
    codes = np.unique(np.concatenate(found)) if found else np.empty(0, dtype=np.int64)
    return Matches(codes // n_authors, codes % n_authors, post_author, n_authors)
