"""Mastodon: a hashtag timeline, an account's statuses, or the public timeline, without a token.

Pages are read forwards with ``min_id`` (each page holds the statuses right after the last
one seen), following the ``Link`` header's ``rel="prev"`` while pages come back full, so
nothing is lost when more than ``limit`` statuses arrived. The checkpoint is the id of the
newest status returned. With no checkpoint the source starts at ``since`` (default: 24 hours
before now), turned into a Mastodon snowflake id (milliseconds since the epoch, shifted 16
bits), so the first fetch also reads forwards.

Some servers that speak Mastodon's API give status ids that are not in time order (opaque or
random ids), so ``min_id`` cannot say "after this one". With ``ids=unordered`` the source reads
such a timeline newest first, following ``rel="next"`` back until it reaches the checkpoint,
which is then a time and the ids seen at that time; it returns the oldest new statuses first,
at most ``limit``, and the next fetch goes on from there, so nothing is lost or repeated.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

from qalxan.errors import SourceUnavailable
from qalxan.monitoring.exports import parse_timestamp
from qalxan.monitoring.posts import Post
from qalxan.monitoring.sources import params as p
from qalxan.monitoring.sources.base import (
    Batch,
    SourceSpec,
    check_limit,
    dump_checkpoint,
    load_checkpoint,
)
from qalxan.monitoring.sources.http import HttpClient, Response
from qalxan.monitoring.sources.markup import html_to_plain
from qalxan.monitoring.sources.registry import Connections, SourceKind, register_source

PAGE_LIMIT = 40
DEFAULT_LOOKBACK = 24 * 3600.0
MAX_PAGES_BACK = 50  # unordered ids: pages read back to the checkpoint in one fetch
_LINK = re.compile(r'<([^>]*)>\s*;\s*rel="?([^";,]+)"?')


def snowflake_at(seconds: float) -> str:
    """The smallest Mastodon status id a status created at ``seconds`` can have."""
    return str(int(seconds * 1000) << 16)


def id_key(status_id: str) -> tuple[int, str]:
    """Sort key of a status id: numeric ids by value, others by text."""
    return (len(status_id), status_id)


class MastodonSource:
    """One timeline of one Mastodon server, read forwards from a checkpoint."""

    def __init__(self, spec: SourceSpec, connections: Connections) -> None:
        params = spec.params
        self._base = params["base_url"]
        self._path, self._query = _timeline(params)
        self._since = params.get("since")
        self._unordered = params.get("ids") == "unordered"
        self._clock = connections.clock
        self._http: HttpClient = connections.http()

    def fetch(self, checkpoint: str | None, limit: int) -> Batch:
        check_limit(limit)
        if self._unordered:
            return self._fetch_by_time(checkpoint, limit)
        after = self._start() if checkpoint is None else \
            str(load_checkpoint(checkpoint, "mastodon", ("after",))["after"])
        size = min(limit, PAGE_LIMIT)
        url = self._base + self._path
        query: dict[str, str] | None = {**self._query, "limit": str(size), "min_id": after}
        statuses: list[Mapping[str, Any]] = []
        while True:
            response = self._http.get(url, params=query, accept="application/json")
            page = _statuses(response, statuses[-1]["id"] if statuses else after)[:size]
            statuses.extend(page)
            full = len(page) >= size
            if not full or len(statuses) + size > limit:
                break
            url, query = self._next_page(response, size, page[-1]["id"])
        posts = tuple(status_post(s, self._base) for s in statuses)
        newest = posts[-1].message_id if posts else after
        return Batch(posts, dump_checkpoint({"after": newest}), exhausted=not full)

    def _start_time(self) -> float:
        if self._since:
            return datetime.fromisoformat(self._since).timestamp()
        return self._clock() - DEFAULT_LOOKBACK

    def _fetch_by_time(self, checkpoint: str | None, limit: int) -> Batch:
        """Newest first back to the checkpoint (a time, and the ids seen at that time)."""
        if checkpoint is None:
            at, seen = self._start_time(), frozenset[str]()
        else:
            mark = load_checkpoint(checkpoint, "mastodon", ("at", "seen"))
            at, seen = float(mark["at"]), frozenset(str(i) for i in mark["seen"])
        size = min(limit, PAGE_LIMIT)
        url = self._base + self._path
        query: dict[str, str] | None = {**self._query, "limit": str(size)}
        new: dict[str, Post] = {}
        for _ in range(MAX_PAGES_BACK):
            response = self._http.get(url, params=query, accept="application/json")
            page = [status_post(s, self._base) for s in _statuses(response, None)]
            new.update((p.message_id, p) for p in page if _after(p, at, seen))
            older = _linked_page(response, "next", self._base + self._path)
            if not page or min(p.timestamp for p in page) < at or older is None:
                break
            url, query = older, None
        ordered = sorted(new.values(), key=lambda p: (p.timestamp, p.message_id))
        posts = tuple(ordered[:limit])
        if not posts:
            return Batch((), dump_checkpoint({"at": at, "seen": sorted(seen)}), exhausted=True)
        newest = posts[-1].timestamp
        kept = {p.message_id for p in posts if p.timestamp == newest}
        mark_seen = kept | (seen if newest == at else set())
        return Batch(posts, dump_checkpoint({"at": newest, "seen": sorted(mark_seen)}),
                     exhausted=len(ordered) <= limit)

    def _start(self) -> str:
        if self._since:
            return snowflake_at(datetime.fromisoformat(self._since).timestamp())
        return snowflake_at(self._clock() - DEFAULT_LOOKBACK)

    def _next_page(self, response: Response, size: int,
                   newest: str) -> tuple[str, dict[str, str] | None]:
        """The ``rel="prev"`` link (the newer statuses) when it stays on this timeline and
        goes on from the page's newest status; else the same query from that status."""
        url = _linked_page(response, "prev", self._base + self._path)
        if url is not None and parse_qs(urlsplit(url).query).get("min_id") == [newest]:
            return url, None
        return self._base + self._path, {**self._query, "limit": str(size), "min_id": newest}


def _timeline(params: Mapping[str, str]) -> tuple[str, dict[str, str]]:
    if "hashtag" in params:
        return f"/api/v1/timelines/tag/{params['hashtag']}", {}
    if "account_id" in params:
        return f"/api/v1/accounts/{params['account_id']}/statuses", {}
    local = {"local": "true"} if params.get("timeline") == "local" else {}
    return "/api/v1/timelines/public", local


def _after(post: Post, at: float, seen: frozenset[str]) -> bool:
    """Newer than the checkpoint: later than its time, or at it and not yet returned."""
    return post.timestamp > at or (post.timestamp == at and post.message_id not in seen)


def _linked_page(response: Response, relation: str, timeline: str) -> str | None:
    """The ``Link`` header's page of ``relation`` (``prev``: newer statuses, ``next``: older)
    when it stays on this timeline (same scheme, server and path)."""
    base = urlsplit(timeline)
    for target, rel in _LINK.findall(response.headers.get("link", "")):
        url = urlsplit(urljoin(response.url, str(target)))
        if rel.strip() == relation and (url.scheme, url.netloc, url.path) == (
                base.scheme, base.netloc, base.path):
            return url.geturl()
    return None


def _statuses(response: Response, after: str | None) -> list[Mapping[str, Any]]:
    """The page's statuses newer than ``after``, oldest first (a server that ignored
    ``min_id`` cannot make the source go back); all of them, as sent, when ``after`` is None
    (ids that say nothing of time); ``SourceUnavailable`` if it is not a list of statuses."""
    body = response.json()
    if not isinstance(body, list) or not all(
            isinstance(s, dict) and isinstance(s.get("id"), str) for s in body):
        raise SourceUnavailable(f"{response.where} answered something other than statuses")
    if after is None:
        return body
    newer = (s for s in body if id_key(s["id"]) > id_key(after))
    return sorted(newer, key=lambda s: id_key(s["id"]))


def status_post(status: Mapping[str, Any], base_url: str = "") -> Post:
    """A post from a Mastodon status entity; a boost carries the boosted status's content.
    Status ids are the server's own, so the server (``base_url``'s host) is the network."""
    try:
        return replace(_post(status), network=urlsplit(base_url).netloc.lower() or None)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        where = base_url or "the server"
        raise SourceUnavailable(
            f"{where} answered status {status.get('id')!r} without the fields of a Mastodon "
            f"status ({type(exc).__name__}: {exc})") from None


def _post(status: Mapping[str, Any]) -> Post:
    reblog = status.get("reblog")
    shown = reblog if isinstance(reblog, dict) else status
    plain = html_to_plain(shown.get("content") or "")
    spoiler = (shown.get("spoiler_text") or "").strip()
    text = "\n\n".join(part for part in (spoiler, plain.text) if part)
    reply = status.get("in_reply_to_id")
    return Post(
        message_id=str(status["id"]),
        author_id=str(status["account"]["id"]),
        timestamp=parse_timestamp(status["created_at"]),
        text=text,
        author_name=status["account"].get("acct"),
        urls=plain.links,
        repost_id=str(shown["id"]) if shown is not status else None,
        reply_id=str(reply) if reply is not None else None,
        hashtags=tuple(str(tag["name"]) for tag in shown.get("tags") or ()),
        platform="mastodon",
        link=status.get("url") or shown.get("url"),
    )


def _one_timeline(params: Mapping[str, str]) -> None:
    given = [name for name in ("hashtag", "account_id", "timeline") if name in params]
    if len(given) != 1:
        raise ValueError("give exactly one of hashtag, account_id or timeline")


register_source(SourceKind(
    name="mastodon",
    params=(
        p.Param("base_url", p.base_url, required=True, help="the server, https://social.example"),
        p.Param("hashtag", p.hashtag, help="a hashtag timeline, without #"),
        p.Param("account_id", p.status_id, help="an account's statuses (its id)"),
        p.Param("timeline", p.choice("public", "local"), help="the public or local timeline"),
        p.Param("since", p.iso_time, help="where a new source starts (default: 24 hours ago)"),
        p.Param("ids", p.choice("ordered", "unordered"),
                help="unordered: the server's ids are not in time order; read by time"),
    ),
    factory=MastodonSource,
    help="Public Mastodon timelines (no token needed)",
    rules=_one_timeline,
))
