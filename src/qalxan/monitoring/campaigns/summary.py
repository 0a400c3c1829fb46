"""What a person reads first: who acted together, how often, when, sharing what.

Every result is labelled "coordinated" and unconfirmed. Acting alike within a short window
is what the networks measure; who runs the accounts and why is for a person to establish.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np

from qalxan.analysis.message import WatchedDefender
from qalxan.monitoring.campaigns.keys import hashtags_of, normalise_link, normalise_text
from qalxan.monitoring.campaigns.networks import Corpus, Network
from qalxan.monitoring.posts import Post
from qalxan.monitoring.watchlist import WatchListMatcher

LABEL = "coordinated"
REVIEW = "unconfirmed: a person must review it before it is called a campaign"
TOP = 5

#: Defender id -> the names (and handles) to look for in coordinated posts.
Watchlist = Mapping[str, Sequence[str]]


@dataclass(frozen=True, slots=True)
class Group:
    """One community of coordinated accounts and the posts behind its edges."""

    community: int
    accounts: tuple[str, ...]
    account_names: tuple[str, ...]
    posts: int
    first: str | None
    last: str | None
    span_seconds: float
    edges: dict[str, int]
    texts: list[tuple[str, int]]
    links: list[tuple[str, int]]
    shared_posts: list[tuple[str, int]]
    hashtags: list[tuple[str, int]]
    defenders_named: dict[str, int]
    statement: str
    label: str = LABEL


@dataclass(frozen=True, slots=True)
class Summary:
    """The whole result: settings, totals and one group per community."""

    window_seconds: float
    min_weight: int
    networks: dict[str, int]
    accounts: int
    posts: int
    first: str | None
    last: str | None
    span_seconds: float
    groups: list[Group]
    defenders_named: dict[str, int]
    statement: str
    label: str = LABEL
    review: str = REVIEW
    interval_estimated: bool = False


def coordinated_posts(corpus: Corpus, networks: Sequence[Network],
                      membership: Mapping[str, int]) -> dict[int, set[int]]:
    """Community -> indices of posts that matched another account of the same community."""
    community = np.full(len(corpus.authors), -1, dtype=np.int64)
    for code, author in enumerate(corpus.authors):
        community[code] = membership.get(author, -1)
    found: dict[int, set[int]] = {}
    for network in networks:
        m = network.matches
        own = community[m.post_author[m.posts]]
        same = (own >= 0) & (own == community[m.others])
        for c, post in zip(own[same].tolist(), m.posts[same].tolist(), strict=True):
            found.setdefault(c, set()).add(post)
    return found


def _iso(seconds: float | None) -> str | None:
    return None if seconds is None else datetime.fromtimestamp(seconds, tz=UTC).isoformat()


def _top(counter: Counter[str]) -> list[tuple[str, int]]:
    """The most frequent items that occur more than once."""
    return [(k, n) for k, n in counter.most_common(TOP) if n > 1]


def _matcher(watchlist: Watchlist) -> WatchListMatcher:
    """The watch-list matcher over ``{defender id: names and @handles}``."""
    return WatchListMatcher(
        WatchedDefender(defender_id=d,
                        names=tuple(n.strip() for n in names if n.strip()[:1] not in ("", "@")),
                        handles=tuple(n.strip() for n in names if n.strip()[:1] == "@"))
        for d, names in watchlist.items())


def mentions(posts: Mapping[int, Post], watchlist: Watchlist) -> dict[int, frozenset[str]]:
    """Post index -> the defenders it names, as the monitor's watch-list matching reads
    names (scripts, inflection, typos; a given name alone never counts). One matcher, each
    post read once."""
    if not watchlist:
        return {}
    matcher = _matcher(watchlist)
    return {i: matcher.mentioned(post.text) for i, post in posts.items()}


def defenders_named(indices: Iterable[int],
                    mentioned: Mapping[int, frozenset[str]]) -> dict[str, int]:
    """Defender id -> how many of the posts at ``indices`` name them."""
    named: Counter[str] = Counter()
    for i in indices:
        named.update(mentioned.get(i, ()))
    return dict(named.most_common())


def _shared(posts: Sequence[Post]) -> tuple[Counter[str], Counter[str], Counter[str], Counter[str]]:
    texts: Counter[str] = Counter()
    links: Counter[str] = Counter()
    shared: Counter[str] = Counter()
    tags: Counter[str] = Counter()
    shown: dict[str, str] = {}  # normalised text -> its first wording
    for post in posts:
        if post.repost_id:
            shared[post.repost_id] += 1
            continue
        key = normalise_text(post.text)
        if key:
            texts[shown.setdefault(key, " ".join(post.text.split())[:280])] += 1
        links.update({normalise_link(u) for u in post.urls} - {""})
        tags.update(hashtags_of(post))
    return texts, links, shared, tags


def _span(posts: Sequence[Post]) -> tuple[float | None, float | None, float]:
    if not posts:
        return None, None, 0.0
    times = [p.timestamp for p in posts]
    return min(times), max(times), max(times) - min(times)


def _kinds_inside(networks: Sequence[Network], accounts: set[str]) -> dict[str, int]:
    return {
        n.kind: len({(min(a, b), max(a, b)) for a, b in n.edges
                     if a in accounts and b in accounts})
        for n in networks
    }


def _duration(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    if seconds < 172800:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} days"


def group_statement(accounts: int, posts: int, kinds: Mapping[str, int], window: float,
                    span: float) -> str:
    """One sentence a person can read aloud; always "coordinated", never a verdict."""
    how = ", ".join(f"{k} ({n} pair{'s' if n != 1 else ''})" for k, n in kinds.items() if n)
    return (
        f"{accounts} accounts posted {posts} times in a {LABEL} way over {_duration(span)}: "
        f"the same content within {window:g} s of each other ({how or 'no network'}). "
        f"Status: {REVIEW}."
    )


@dataclass(frozen=True, slots=True)
class Context:
    """What the summary is built from."""

    corpus: Corpus
    networks: Sequence[Network]
    membership: Mapping[str, int]
    window: float
    watchlist: Watchlist


def author_names(posts: Iterable[Post]) -> dict[str, str]:
    """Author id -> the first name given for it."""
    names: dict[str, str] = {}
    for post in posts:
        if post.author_name and post.author_id not in names:
            names[post.author_id] = post.author_name
    return names


def build_group(context: Context, community: int, post_ids: set[int],
                names: Mapping[str, str], mentioned: Mapping[int, frozenset[str]]) -> Group:
    accounts = sorted(a for a, c in context.membership.items() if c == community)
    posts = [context.corpus.posts[i] for i in sorted(post_ids)]
    first, last, span = _span(posts)
    texts, links, shared, tags = _shared(posts)
    kinds = _kinds_inside(context.networks, set(accounts))
    return Group(
        community, tuple(accounts), tuple(names.get(a, a) for a in accounts), len(posts),
        _iso(first), _iso(last), span, kinds, _top(texts), _top(links), _top(shared), _top(tags),
        defenders_named(post_ids, mentioned),
        group_statement(len(accounts), len(posts), kinds, context.window, span),
    )


def summarise(context: Context, min_weight: int, estimated: bool = False) -> Summary:
    """The summary of a detection: totals, then one group per community, largest first."""
    by_community = coordinated_posts(context.corpus, context.networks, context.membership)
    names = author_names(context.corpus.posts)
    every = sorted(set().union(*by_community.values())) if by_community else []
    mentioned = mentions({i: context.corpus.posts[i] for i in every}, context.watchlist)
    groups = [build_group(context, c, by_community.get(c, set()), names, mentioned)
              for c in sorted(set(context.membership.values()))]
    posts = [context.corpus.posts[i] for i in every]
    first, last, span = _span(posts)
    named = defenders_named(every, mentioned)
    kinds = {n.kind: len(n.edges) for n in context.networks}
    settings = f"window {context.window:g} s, minimum weight {min_weight}"
    statement = (
        f"{len(context.membership)} accounts in {len(groups)} group(s) posted {len(posts)} "
        f"times in a {LABEL} way ({settings}). Status: {REVIEW}."
        if groups else f"No {LABEL} accounts found ({settings})."
    )
    return Summary(context.window, min_weight, kinds, len(context.membership), len(posts),
                   _iso(first), _iso(last), span, groups, named, statement,
                   interval_estimated=estimated)
