"""The public post: the unit that monitoring and campaign detection work on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime


@dataclass(frozen=True, slots=True)
class Post:
    """One public post as a research export or a source gives it.

    ``timestamp`` is seconds since the Unix epoch (UTC). ``repost_id`` is the id of the post
    this one re-shares verbatim (a retweet, a boost); ``reply_id`` the id of the post it
    answers. ``urls`` and ``hashtags`` are as written; network builders normalise them.
    ``link`` is the post's public permalink, when the source gives one.
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

    @property
    def when(self) -> datetime:
        """The timestamp as an aware UTC datetime."""
        return datetime.fromtimestamp(self.timestamp, tz=UTC)
