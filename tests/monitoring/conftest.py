"""Helpers for campaign-detection tests: small posts made by hand."""

from __future__ import annotations

from qalxan.monitoring.posts import Post


def post(message_id: str, author: str, at: float, text: str = "", **extra: object) -> Post:
    """A post with only what a test needs; ``extra`` sets urls, repost_id, reply_id ..."""
    return Post(message_id=message_id, author_id=author, timestamp=at, text=text,
                **extra)  # type: ignore[arg-type]
