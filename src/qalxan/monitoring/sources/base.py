"""The sources contract: what an analyst configures, what a source returns, and how.

A source reads public posts from one place (a Mastodon timeline, a feed, an export file)
and is resumable: ``fetch(checkpoint, limit)`` returns the posts after the checkpoint, in a
stable order, and the checkpoint that resumes right after the last of them. The caller
saves that checkpoint only once it has processed the posts, so a crash in between means
the same posts come again (at least once; the caller deduplicates by post id), and a saved
checkpoint never skips a post. Checkpoints are opaque strings; sources keep no state across
calls apart from connection objects.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from qalxan.errors import InvalidInput, SourceUnavailable
from qalxan.monitoring.posts import Post


@dataclass(frozen=True, slots=True)
class SourceSpec:
    """A configured source: its kind (``mastodon``, ``rss`` ...), a name, and its params."""

    kind: str
    name: str
    params: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Batch:
    """Posts after a checkpoint, the checkpoint after them, and whether that is all for now."""

    posts: tuple[Post, ...]
    checkpoint: str | None
    exhausted: bool


class SourceReplaced(SourceUnavailable):
    """The source no longer holds what its checkpoint points into (a file truncated or
    replaced): resuming could skip or repeat posts, so nothing is read. Start it afresh
    (checkpoint ``None``) once the new content is known to be wanted."""


@runtime_checkable
class Source(Protocol):
    def fetch(self, checkpoint: str | None, limit: int) -> Batch: ...


def check_limit(limit: int) -> None:
    """``InvalidInput`` unless ``limit`` is a positive number of posts."""
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise InvalidInput(f"limit must be a positive number of posts, not {limit!r}")


def dump_checkpoint(state: Mapping[str, Any]) -> str:
    """A checkpoint string from a JSON-able state (compact, keys sorted)."""
    return json.dumps(state, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def load_checkpoint(checkpoint: str, kind: str, keys: tuple[str, ...]) -> dict[str, Any]:
    """The state inside a checkpoint this kind of source wrote, or ``InvalidInput``."""
    try:
        state = json.loads(checkpoint)
    except (ValueError, RecursionError):
        state = None
    if not isinstance(state, dict) or any(k not in state for k in keys):
        raise InvalidInput(f"checkpoint {checkpoint[:60]!r} was not written by a {kind} source")
    return state
