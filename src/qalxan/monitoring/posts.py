"""The public post: the unit that monitoring and campaign detection work on."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

#: The times a post may carry: from 1970 to 2100. A source's time outside them (year 9999
#: in a hostile feed) is not a time a post was made, and would overflow date arithmetic.
EARLIEST = 0.0
LATEST = 4102444800.0


def plausible_time(seconds: float) -> bool:
    """Whether ``seconds`` since the epoch is a time a post can carry."""
    return EARLIEST <= seconds < LATEST


@dataclass(frozen=True, slots=True)
class Post:
    """One public post as a research export or a source gives it.

    ``timestamp`` is seconds since the Unix epoch (UTC). ``repost_id`` is the id of the post
    this one re-shares verbatim (a retweet, a boost); ``reply_id`` the id of the post it
    answers. ``urls`` and ``hashtags`` are as written; network builders normalise them.
    ``link`` is the post's public permalink, when the source gives one. ``network`` is
    where ``message_id`` is unique within ``platform``, when that is narrower than the
    platform: a Mastodon server, a Telegram chat, a feed. ``key`` identifies the post.
    """

    message_id: str
    author_id: str
    timestamp: float
    text: str = ""
    author_name: str | None = None
    urls: tuple[str, ...] = ()
    repost_id: str | None = None
    reply_id: str | None = None
    hashtags: tuple[str, ...] = ()
    platform: str | None = None
    link: str | None = None
    network: str | None = None

    @property
    def key(self) -> str:
        """The post's identity: its id where the id is unique (platform and network). Two
        platforms, servers or chats may use the same ids for different posts."""
        return post_key(self.platform, self.network, self.message_id)

    @property
    def when(self) -> datetime:
        """The timestamp as an aware UTC datetime."""
        return datetime.fromtimestamp(self.timestamp, tz=UTC)


def post_key(platform: str | None, network: str | None, message_id: str) -> str:
    """The identity of a post (``Post.key``): unambiguous whatever the parts hold."""
    return json.dumps([platform or "", network or "", message_id], ensure_ascii=False,
                      separators=(",", ":"))


def post_record(post: Post) -> dict[str, Any]:
    """The post as kept: every field a person needs to find and check it again."""
    return {"message_id": post.message_id, "author_id": post.author_id,
            "author_name": post.author_name, "timestamp": post.timestamp, "text": post.text,
            "link": post.link, "urls": list(post.urls), "hashtags": list(post.hashtags),
            "repost_id": post.repost_id, "reply_id": post.reply_id, "platform": post.platform,
            "network": post.network}


def post_from_record(record: Mapping[str, Any]) -> Post:
    """The post again from what :func:`post_record` kept."""
    return Post(message_id=record["message_id"], author_id=record["author_id"],
                timestamp=record["timestamp"], text=record["text"],
                author_name=record["author_name"], urls=tuple(record["urls"]),
                repost_id=record["repost_id"], reply_id=record["reply_id"],
                hashtags=tuple(record["hashtags"]), platform=record["platform"],
                link=record["link"], network=record.get("network"))


def canonical_json(record: Mapping[str, Any]) -> str:
    """A kept post as evidence: JSON with sorted keys, no spaces, characters as they are.
    Its UTF-8 bytes are what the post's SHA-256 is taken over."""
    return json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def captured_sha256(record: Mapping[str, Any]) -> str:
    """The hash of a captured post: SHA-256 over its canonical JSON."""
    return hashlib.sha256(canonical_json(record).encode("utf-8")).hexdigest()
