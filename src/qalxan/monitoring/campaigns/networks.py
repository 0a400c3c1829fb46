"""Coordination networks: which accounts posted the same thing within a time window.

Five kinds, each comparing one thing between posts of different accounts:

- ``co-post``: near-identical text (normalised; exact, or MinHash LSH above a similarity);
- ``co-link``: the same normalised link (unshortened where a map is given);
- ``co-share``: a repost of the same post;
- ``co-reply``: a reply to the same post;
- ``co-hashtag``: the same hashtag.

Reposts count only in ``co-share``: their text, links and tags are the original's. An edge
``a -> b`` weighs how many of ``a``'s posts had a post of ``b``'s with the same key within
``window`` seconds either side; edges lighter than ``min_weight`` are dropped, then, when
``percentile`` is above 0, those lighter than that quantile of the remaining weights (as
CooRnet's ``percentile_edge_weight``). Self-loops are never edges.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from qalxan.monitoring.campaigns import KINDS
from qalxan.monitoring.campaigns import keys as k
from qalxan.monitoring.campaigns.neardup import near_duplicate_groups
from qalxan.monitoring.campaigns.sweep import Entries, Floats, Ints, Matches, sweep
from qalxan.monitoring.posts import Post
from qalxan.scaleout import Mapper, serial_map


@dataclass(frozen=True, slots=True)
class NetworkOptions:
    """``window`` in seconds either side; ``similarity`` is the least Jaccard similarity
    of word sets for near-identical texts (1.0: exact normalised text only)."""

    window: float = 60.0
    min_weight: int = 2
    percentile: float = 0.0
    similarity: float = 0.8
    unshorten: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.window < 0:
            raise ValueError("the window cannot be negative")
        if self.min_weight < 1:
            raise ValueError("the minimum edge weight is at least 1")
        if not 0.0 <= self.percentile < 1.0:
            raise ValueError("the percentile is in [0, 1)")
        if not 0.0 < self.similarity <= 1.0:
            raise ValueError("the text similarity is in (0, 1]")


@dataclass(frozen=True, slots=True)
class Corpus:
    """Posts with their authors and times as arrays; ``authors[code]`` is an author id."""

    posts: Sequence[Post]
    authors: list[str]
    post_author: Ints
    times: Floats


def corpus_of(posts: Sequence[Post]) -> Corpus:
    codes: dict[str, int] = {}
    author = [codes.setdefault(p.author_id, len(codes)) for p in posts]
    times = np.fromiter((p.timestamp for p in posts), dtype=np.float64, count=len(posts))
    return Corpus(posts, list(codes), np.asarray(author, dtype=np.int64), times)


@dataclass(frozen=True, slots=True)
class Network:
    """One kind's coordination network; ``matches`` are the posts behind its edges."""

    kind: str
    edges: dict[tuple[str, str], int]
    matches: Matches
    weight_threshold: float


def _keyed(corpus: Corpus, kind: str, options: NetworkOptions,
           mapper: Mapper) -> k.KeyedPosts:
    builders: dict[str, Callable[[Sequence[Post]], k.KeyedPosts]] = {
        "co-post": lambda p: _texts(p, options.similarity, mapper),
        "co-link": lambda p: k.link_keys(p, options.unshorten),
        "co-share": k.share_keys,
        "co-reply": k.reply_keys,
        "co-hashtag": k.hashtag_keys,
    }
    if kind not in builders:
        raise ValueError(f"unknown network {kind!r}; known: {', '.join(KINDS)}")
    return builders[kind](corpus.posts)


def _texts(posts: Sequence[Post], similarity: float, mapper: Mapper) -> k.KeyedPosts:
    index, texts = k.text_keys(posts)
    if similarity >= 1.0:
        return index, texts
    distinct = list(dict.fromkeys(texts))
    group = near_duplicate_groups(distinct, similarity, mapper)
    first = {text: distinct[group[i]] for i, text in enumerate(distinct)}
    return index, [first[t] for t in texts]


def _entries(corpus: Corpus, keyed: k.KeyedPosts) -> Entries:
    index = np.asarray(keyed[0], dtype=np.int64)
    codes: dict[str, int] = {}
    key_codes = np.fromiter((codes.setdefault(s, len(codes)) for s in keyed[1]),
                            dtype=np.int64, count=len(keyed[1]))
    return Entries(key_codes, corpus.times[index], corpus.post_author[index], index)


def entries_for(corpus: Corpus, kind: str, options: NetworkOptions,
                mapper: Mapper = serial_map) -> Entries:
    """One row per (post, key) that this kind of network compares; ``mapper`` runs the
    near-identical text grouping's chunks (in this process, or on Ray)."""
    return _entries(corpus, _keyed(corpus, kind, options, mapper))


def build_network(corpus: Corpus, kind: str, options: NetworkOptions,
                  mapper: Mapper = serial_map) -> Network:
    """One network over the corpus, filtered by minimum weight and percentile."""
    entries = entries_for(corpus, kind, options, mapper)
    matches = sweep(entries, options.window, corpus.post_author, max(len(corpus.authors), 1))
    a, b, w = matches.weights()
    keep = w >= options.min_weight
    threshold = float(options.min_weight)
    if options.percentile > 0 and keep.any():
        threshold = max(threshold, float(np.quantile(w[keep], options.percentile)))
        keep &= w >= threshold
    names = corpus.authors
    edges = {(names[x], names[y]): int(n)
             for x, y, n in zip(a[keep].tolist(), b[keep].tolist(), w[keep].tolist(),
                                strict=True)}
    return Network(kind, edges, _kept(matches, a[keep] * matches.n_authors + b[keep]),
                   threshold)


def _kept(matches: Matches, pair_codes: Ints) -> Matches:
    codes = matches.post_author[matches.posts] * matches.n_authors + matches.others
    keep = np.isin(codes, pair_codes)
    return Matches(matches.posts[keep], matches.others[keep], matches.post_author,
                   matches.n_authors)


def build_networks(
    posts: Sequence[Post], kinds: Sequence[str], options: NetworkOptions,
    mapper: Mapper = serial_map,
) -> tuple[Corpus, list[Network]]:
    """The corpus and one network per kind asked for, in that order."""
    corpus = corpus_of(posts)
    return corpus, [build_network(corpus, kind, options, mapper) for kind in kinds]
