"""The monitor: takes posts from each active source, scans them, keeps what concerns watched
defenders and raises alerts, source by source and batch by batch.

Network reads and analysis run outside any transaction; each batch is then recorded in one
transaction together with the source's new checkpoint (``services.monitor.record_batch``).
A source that fails (unreachable, refusing, malformed) is recorded as failed and the others
go on. ``run`` repeats passes until stopped; ``run_once`` makes one pass, each source read
until it has nothing new.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from qalxan.analysis.message import AnalysisContext
from qalxan.errors import QalxanError
from qalxan.monitoring.posts import Post
from qalxan.monitoring.scan import ScannedPost, concerning, scan_posts
from qalxan.monitoring.signals import campaign_signals, post_signals, with_campaign_members
from qalxan.monitoring.sources import Batch, open_source
from qalxan.monitoring.sources.http import HttpClient
from qalxan.monitoring.watchlist import WatchListMatcher
from qalxan.security.access import SYSTEM
from qalxan.services import monitor as service
from qalxan.services.context import Platform
from qalxan.services.monitor import SourceRun

log = logging.getLogger("qalxan.monitor")
#: Posts kept from this long before a batch join it for campaign detection, so a
#: coordinated burst split across batches is still seen as one.
CAMPAIGN_LOOKBACK = timedelta(hours=1)
MAX_BATCHES_PER_PASS = 1000


@dataclass(frozen=True, slots=True)
class SourceResult:
    """What one pass did with one source."""

    source: str
    posts: int = 0
    kept: int = 0
    alerts_raised: int = 0
    alerts_updated: int = 0
    error: str | None = None  # for the operator: it may name files, hosts and paths
    failure: str | None = None  # the error's type alone, for the log


class Monitor:
    def __init__(self, platform: Platform, http: HttpClient | None = None) -> None:
        self.platform = platform
        self.http = http

    def run_once(self, names: Sequence[str] = ()) -> list[SourceResult]:
        """One pass over the active sources (or those named)."""
        runs = self.platform.run(SYSTEM, service.active_sources, names)
        return [self._run_source(run) for run in runs]

    def run(self, interval: float, stop: threading.Event, names: Sequence[str] = ()) -> None:
        """Passes every ``interval`` seconds until ``stop`` is set."""
        while not stop.is_set():
            for result in self.run_once(names):
                log.info("source %s: %d posts, %d kept, %d alerts raised%s", result.source,
                         result.posts, result.kept, result.alerts_raised,
                         f", failed: {result.failure}" if result.failure else "")
            stop.wait(interval)

    def _run_source(self, run: SourceRun) -> SourceResult:
        total = SourceResult(run.spec.name)
        try:
            source = open_source(run.spec, http=self.http)
            checkpoint = run.checkpoint
            for _ in range(MAX_BATCHES_PER_PASS):
                batch = source.fetch(checkpoint, self.platform.settings.monitor_batch_size)
                total = _add(total, self.process(run, batch, checkpoint))
                checkpoint = batch.checkpoint
                if batch.exhausted or not batch.posts:
                    break
        except QalxanError as exc:  # the source's own failure: record it, go on with others
            error = f"{type(exc).__name__}: {exc}"
            self.platform.run(SYSTEM, service.record_failure, run.id, error)
            return replace(total, error=error, failure=type(exc).__name__)
        return total

    def process(self, run: SourceRun, batch: Batch, previous: str | None) -> SourceResult:
        """Scan one batch and record it with its checkpoint."""
        if not batch.posts and batch.checkpoint == previous:
            return SourceResult(run.spec.name)
        since = _since(batch.posts)
        watch = self.platform.run(SYSTEM, service.watch_context, run.org_id, since)
        matcher = WatchListMatcher(watch.watched)
        every = scan_posts(batch.posts, matcher, AnalysisContext(watched=watch.watched))
        named = concerning(every)
        signals = post_signals(named)
        signals += campaign_signals(*_with_recent(batch.posts, named, watch.recent))
        kept = with_campaign_members(every, signals)
        outcome = self.platform.run(SYSTEM, service.record_batch, run.id, len(batch.posts),
                                    kept, signals, batch.checkpoint, watch.recent)
        return SourceResult(run.spec.name, outcome.posts, outcome.kept, outcome.alerts_raised,
                            outcome.alerts_updated)


def _since(posts: Sequence[Post]) -> datetime:
    earliest = min((p.timestamp for p in posts), default=0.0)
    return datetime.fromtimestamp(earliest, UTC) - CAMPAIGN_LOOKBACK


def _with_recent(posts: Sequence[Post], scanned: Sequence[ScannedPost],
                 recent: Sequence[ScannedPost]) -> tuple[list[Post], list[ScannedPost]]:
    """The batch with the posts kept lately that it does not repeat."""
    here = {p.message_id for p in posts}
    older = [r for r in recent if r.post.message_id not in here]
    return [*posts, *(r.post for r in older)], [*scanned, *older]


def _add(a: SourceResult, b: SourceResult) -> SourceResult:
    return SourceResult(a.source, a.posts + b.posts, a.kept + b.kept,
                        a.alerts_raised + b.alerts_raised, a.alerts_updated + b.alerts_updated)
