"""Monitoring sources: connectors that read public posts from where they are published.

One connector per file (``mastodon``, ``feeds``, ``dumps``, ``telegram``), each registered
in ``SOURCES`` through ``register_source``, the same interface a plugin uses. A source is
pure I/O: ``fetch(checkpoint, limit)`` returns a ``Batch`` of posts after the checkpoint and
the checkpoint after them; the caller stores checkpoints. See docs/monitoring/sources.md.
"""

from qalxan.monitoring.sources.base import Batch, Source, SourceSpec
from qalxan.monitoring.sources.registry import (
    SOURCES,
    SourceKind,
    open_source,
    parse_spec,
    register_source,
)

__all__ = [
    "SOURCES",
    "Batch",
    "Source",
    "SourceKind",
    "SourceSpec",
    "open_source",
    "parse_spec",
    "register_source",
]
