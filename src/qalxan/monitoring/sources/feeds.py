"""RSS 2.0 and Atom feeds: new entries since the checkpoint, oldest first.

A feed shows only its latest entries, in no promised order, so the checkpoint remembers
the ids of the entries already returned, each with its time, up to ``max_seen`` of them
(default 1000). When it forgets the oldest, it keeps their time as a floor: entries older
than the floor count as seen. Entries are returned by (time, id); an undated entry takes
the time it was first fetched.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlsplit

from qalxan.errors import InvalidInput, SourceUnavailable
from qalxan.monitoring.posts import Post
from qalxan.monitoring.sources import params as p
from qalxan.monitoring.sources.base import (
    Batch,
    SourceSpec,
    check_limit,
    dump_checkpoint,
    load_checkpoint,
)
from qalxan.monitoring.sources.feedxml import Entry, Feed, parse_feed
from qalxan.monitoring.sources.http import HttpClient, Response, redacted
from qalxan.monitoring.sources.registry import Connections, SourceKind, register_source

DEFAULT_MAX_SEEN = 1000
FUTURE_SLACK = 24 * 3600.0  # clocks and time zones set wrong, but not a date years ahead
ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8"


class FeedSource:
    """One RSS or Atom feed, polled; the checkpoint holds what was already returned."""

    def __init__(self, spec: SourceSpec, connections: Connections) -> None:
        self._url = spec.params["url"]
        self._max_seen = int(spec.params.get("max_seen", DEFAULT_MAX_SEEN))
        self._clock = connections.clock
        self._http: HttpClient = connections.http()

    def fetch(self, checkpoint: str | None, limit: int) -> Batch:
        check_limit(limit)
        seen, floor = _load(checkpoint)
        feed = _feed(self._http.get(self._url, accept=ACCEPT))
        fresh = _unseen(feed.entries, seen, floor, self._clock())
        chosen = fresh[:limit]
        posts = tuple(_post(entry, at, feed, self._url) for at, entry in chosen)
        seen.update((entry.id, at) for at, entry in chosen)
        unreturned = fresh[len(chosen):]
        below = unreturned[0][0] if unreturned else float("inf")
        seen, floor = _bounded(seen, floor, self._max_seen, below)
        state = {"seen": [[i, t] for i, t in sorted(seen.items(), key=lambda x: (x[1], x[0]))],
                 "floor": floor}
        return Batch(posts, dump_checkpoint(state), exhausted=not unreturned)


def _unseen(entries: Sequence[Entry], seen: dict[str, float], floor: float | None,
            now: float) -> list[tuple[float, Entry]]:
    """(time, entry) of the entries neither seen nor at or under the floor, by time then id;
    an entry repeated in the feed comes once. An entry dated more than ``FUTURE_SLACK``
    after ``now`` takes ``now``: a date far in the future would raise the floor over
    entries not yet returned."""
    timed = ((now if e.published is None or e.published > now + FUTURE_SLACK
              else e.published, e) for e in entries)
    fresh: dict[str, tuple[float, Entry]] = {}
    for at, entry in sorted(timed, key=lambda pair: (pair[0], pair[1].id)):
        if entry.id not in seen and (floor is None or at > floor):
            fresh.setdefault(entry.id, (at, entry))
    return list(fresh.values())


def _feed(response: Response) -> Feed:
    kind = response.headers.get("content-type", "").lower()
    if "html" in kind and "xhtml" not in kind:
        raise SourceUnavailable(f"{response.where} answered {kind}, not an RSS or Atom feed")
    return parse_feed(response.body, response.where)


def _load(checkpoint: str | None) -> tuple[dict[str, float], float | None]:
    if checkpoint is None:
        return {}, None
    state = load_checkpoint(checkpoint, "rss", ("seen", "floor"))
    try:
        seen = {str(i): float(t) for i, t in state["seen"]}
        floor = None if state["floor"] is None else float(state["floor"])
    except (TypeError, ValueError):
        raise InvalidInput(f"checkpoint {checkpoint[:60]!r} was not written by an rss "
                           "source") from None
    return seen, floor


def _bounded(seen: dict[str, float], floor: float | None, most: int,
             below: float) -> tuple[dict[str, float], float | None]:
    """About the newest ``most`` seen ids; the floor rises to the time of the newest
    forgotten. Ids that share a time with a kept one, or are not older than ``below`` (the
    first entry not yet returned), are kept, so the floor never hides an unreturned entry."""
    if len(seen) <= most:
        return seen, floor
    ordered = sorted(seen.items(), key=lambda pair: (pair[1], pair[0]))
    cut = min(ordered[-most][1], below)
    forgotten = [at for _id, at in ordered if at < cut]
    if not forgotten:
        return seen, floor
    kept = {entry_id: at for entry_id, at in ordered if at >= cut}
    return kept, forgotten[-1] if floor is None else max(floor, forgotten[-1])


def _post(entry: Entry, at: float, feed: Feed, url: str) -> Post:
    author = entry.author or feed.title or urlsplit(url).hostname or url
    return Post(
        message_id=entry.id,
        author_id=author,
        timestamp=at,
        text=entry.text,
        author_name=entry.author,
        urls=entry.links,
        hashtags=entry.categories,
        platform=feed.kind,
        link=entry.link,
        network=redacted(url),
    )


PARAMS = (
    p.Param("url", p.http_url, required=True, help="the feed's address"),
    p.Param("max_seen", p.positive_int, help=f"entry ids remembered (default {DEFAULT_MAX_SEEN})"),
)

for _name in ("rss", "atom"):
    register_source(SourceKind(name=_name, params=PARAMS, factory=FeedSource,
                               help="An RSS 2.0 or Atom feed"))

