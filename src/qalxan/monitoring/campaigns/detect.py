"""Campaign detection from posts to networks, communities and a summary, in one call."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from qalxan.monitoring.campaigns import KINDS
from qalxan.monitoring.campaigns.communities import communities
from qalxan.monitoring.campaigns.graphml import graphml_tree
from qalxan.monitoring.campaigns.interval import IntervalEstimate, estimate_interval
from qalxan.monitoring.campaigns.networks import (
    Corpus,
    Network,
    NetworkOptions,
    build_networks,
    corpus_of,
    entries_for,
)
from qalxan.monitoring.campaigns.summary import (
    Context,
    Summary,
    Watchlist,
    author_names,
    coordinated_posts,
    summarise,
)
from qalxan.monitoring.posts import Post
from qalxan.scaleout import Mapper, serial_map


@dataclass(frozen=True, slots=True)
class Detection:
    """Networks, communities (account -> number) and their summary."""

    corpus: Corpus
    networks: list[Network]
    membership: dict[str, int]
    summary: Summary
    options: NetworkOptions
    interval: IntervalEstimate | None = None


def estimate_window(posts: Sequence[Post], kinds: Sequence[str], options: NetworkOptions,
                    q: float = 0.1, p: float = 0.5,
                    mapper: Mapper = serial_map) -> IntervalEstimate:
    """CooRnet's coordination interval over the keys of every network asked for."""
    corpus = corpus_of(posts)
    keys, times, offset = [], [], 0
    for kind in kinds:
        entries = entries_for(corpus, kind, options, mapper)
        keys.append(entries.keys + offset)
        times.append(entries.times)
        offset += int(entries.keys.max()) + 1 if entries.keys.size else 0
    return estimate_interval(np.concatenate(keys), np.concatenate(times), q, p)


def detect(
    posts: Sequence[Post],
    kinds: Sequence[str] = KINDS,
    options: NetworkOptions | None = None,
    watchlist: Watchlist | None = None,
    estimate: bool = False,
    mapper: Mapper = serial_map,
) -> Detection:
    """Build the networks, find communities and summarise them.

    With ``estimate`` the window is estimated from the data (CooRnet) instead of taken
    from ``options``. ``mapper`` runs the near-identical text grouping's chunks: in this
    process, or as Ray tasks (``qalxan.scaleout.ray_map``); the result is the same.
    """
    options = options or NetworkOptions()
    interval = estimate_window(posts, kinds, options, mapper=mapper) if estimate else None
    if interval is not None:
        options = replace(options, window=interval.seconds)
    corpus, networks = build_networks(posts, kinds, options, mapper)
    membership = communities(networks)
    context = Context(corpus, networks, membership, options.window, watchlist or {})
    summary = summarise(context, options.min_weight, estimated=interval is not None)
    return Detection(corpus, networks, membership, summary, options, interval)


def posts_per_account(detection: Detection) -> dict[str, int]:
    """Account id -> how many of its posts are behind its community's edges."""
    found = coordinated_posts(detection.corpus, detection.networks, detection.membership)
    counts: Counter[str] = Counter()
    for post_ids in found.values():
        counts.update(detection.corpus.posts[i].author_id for i in post_ids)
    return dict(counts)


def detection_graphml(detection: Detection) -> ET.ElementTree[ET.Element]:
    """The detection as a GraphML document (see ``graphml``)."""
    names: Mapping[str, str] = author_names(detection.corpus.posts)
    settings = (detection.options.window, detection.options.min_weight)
    return graphml_tree(detection.networks, detection.membership, names,
                        posts_per_account(detection), settings)
