"""Estimating the coordination interval from the data, as CooRnet does.

Among the keys shared at least twice (links, shared posts ...), take the ``q`` quickest by
the time between their first and second share; for each of those, the time from its first
share until more than ``p`` of its shares had happened; the interval is the median of these
times. With CooRnet's defaults (``q = 0.1``, ``p = 0.5``): how long the fastest tenth of
repeatedly shared things took to reach half of their shares.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from qalxan.monitoring.campaigns.sweep import Floats, Ints

#: The least interval returned: a shorter one would only find simultaneous posts.
MIN_SECONDS = 1.0


@dataclass(frozen=True, slots=True)
class IntervalEstimate:
    """The estimated window in seconds, and how many repeated keys it rests on."""

    seconds: float
    keys_used: int
    keys_repeated: int
    q: float
    p: float


def _groups(keys: Ints, times: Floats) -> tuple[Floats, Ints, Ints]:
    """Times sorted within keys, each repeated key's first index and share count."""
    order = np.lexsort((times, keys))
    k, t = keys[order], times[order]
    starts = np.flatnonzero(np.concatenate(([True], k[1:] != k[:-1]))) if k.size else k
    counts = np.diff(np.append(starts, k.size)).astype(np.int64)
    repeated = counts >= 2
    return t, starts[repeated].astype(np.int64), counts[repeated]


def estimate_interval(
    keys: Ints, times: Floats, q: float = 0.1, p: float = 0.5
) -> IntervalEstimate:
    """The coordination interval of shares given as parallel key and time arrays."""
    if not (0.0 < q <= 1.0 and 0.0 <= p < 1.0):
        raise ValueError("q is in (0, 1] and p in [0, 1)")
    t, starts, counts = _groups(keys, times)
    if starts.size == 0:
        raise ValueError("no key is shared twice: the interval cannot be estimated")
    second = t[starts + 1] - t[starts]
    quick = second <= np.quantile(second, q)
    starts, counts = starts[quick], counts[quick]
    reach = np.floor(p * counts).astype(np.int64)  # 0-based index of the first share past p
    spans = t[starts + reach] - t[starts]
    seconds = max(float(np.median(spans)), MIN_SECONDS)
    return IntervalEstimate(seconds, int(starts.size), int(quick.size), q, p)
