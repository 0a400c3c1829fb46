"""Communities of coordinated accounts: Leiden (modularity) on the combined network.

The networks are combined into one undirected graph: a pair's weight is, per network, the
heavier of its two directions, summed over networks. Community 0 is the largest.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence

import igraph

from qalxan.monitoring.campaigns.networks import Network


def combined_weights(networks: Sequence[Network]) -> dict[tuple[str, str], int]:
    """Undirected pair (in sorted order) -> combined weight."""
    combined: Counter[tuple[str, str]] = Counter()
    for network in networks:
        heaviest: dict[tuple[str, str], int] = {}
        for (a, b), weight in network.edges.items():
            pair = (a, b) if a < b else (b, a)
            heaviest[pair] = max(heaviest.get(pair, 0), weight)
        combined.update(heaviest)
    return dict(combined)


def communities(networks: Sequence[Network], seed: int = 0) -> dict[str, int]:
    """Account id -> community number, for every account with an edge."""
    weights = combined_weights(networks)
    if not weights:
        return {}
    names = sorted({n for pair in weights for n in pair})
    index = {n: i for i, n in enumerate(names)}
    graph = igraph.Graph(n=len(names), edges=[(index[a], index[b]) for a, b in weights])
    graph.es["weight"] = list(weights.values())
    igraph.set_random_number_generator(random.Random(seed))  # noqa: S311 (reproducible)
    try:
        parts = graph.community_leiden(objective_function="modularity", weights="weight",
                                       n_iterations=-1)
    finally:
        igraph.set_random_number_generator(random)
    return _numbered(names, list(parts.membership))


def _numbered(names: list[str], membership: list[int]) -> dict[str, int]:
    """Renumber communities by size, largest first (ties by first account)."""
    sizes = Counter(membership)
    order = sorted(sizes, key=lambda c: (-sizes[c], membership.index(c)))
    number = {c: i for i, c in enumerate(order)}
    return {name: number[c] for name, c in zip(names, membership, strict=True)}
