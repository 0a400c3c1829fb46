"""Estimating the coordination interval from repeated shares (CooRnet's method)."""

from __future__ import annotations

import numpy as np
import pytest

from qalxan.monitoring.campaigns.detect import estimate_window
from qalxan.monitoring.campaigns.interval import MIN_SECONDS, estimate_interval
from qalxan.monitoring.campaigns.networks import NetworkOptions
from qalxan.monitoring.campaigns.sweep import Floats, Ints

from .conftest import post


def arrays(shares: dict[int, list[float]]) -> tuple[Ints, Floats]:
    keys = [k for k, times in shares.items() for _ in times]
    times = [t for ts in shares.values() for t in ts]
    return np.asarray(keys, dtype=np.int64), np.asarray(times, dtype=np.float64)


def test_the_median_time_to_half_the_shares_of_the_quickest_items() -> None:
    keys, times = arrays({0: [0, 5, 10, 100], 1: [0, 50], 2: [7, 8]})
    estimate = estimate_interval(keys, times, q=0.5, p=0.5)
    # quickest second shares: items 0 (5 s) and 2 (1 s); half their shares: 10 s and 1 s
    assert estimate.seconds == 5.5
    assert (estimate.keys_used, estimate.keys_repeated) == (2, 3)


def test_items_shared_once_are_not_evidence() -> None:
    keys, times = arrays({0: [0], 1: [3], 2: [0, 30, 31]})
    assert estimate_interval(keys, times).seconds == 30.0


def test_the_interval_is_at_least_a_second() -> None:
    keys, times = arrays({0: [5, 5, 5]})
    assert estimate_interval(keys, times).seconds == MIN_SECONDS


def test_no_repeated_item_is_a_clear_error() -> None:
    keys, times = arrays({0: [1], 1: [2]})
    with pytest.raises(ValueError, match="no key is shared twice"):
        estimate_interval(keys, times)
    with pytest.raises(ValueError, match="q is in"):
        estimate_interval(keys, times, q=0)


def test_the_window_is_estimated_over_the_networks_asked_for() -> None:
    posts = [post("1", "a", 0, repost_id="p"), post("2", "b", 20, repost_id="p"),
             post("3", "a", 0, urls=("http://x.example",)),
             post("4", "b", 400, urls=("http://x.example",))]
    options = NetworkOptions()
    assert estimate_window(posts, ["co-share"], options).seconds == 20.0
    assert estimate_window(posts, ["co-link"], options).seconds == 400.0
    assert estimate_window(posts, ["co-share", "co-link"], options, q=0.5).seconds == 20.0
