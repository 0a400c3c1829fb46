"""The monitor: takes posts from each active source, scans them, keeps what concerns watched
defenders and raises alerts, source by source and batch by batch.

Network reads and analysis run outside any transaction; each batch is then recorded in one
transaction together with the source's new checkpoint (``services.monitor.record_batch``).
Each source is isolated: whatever it does (unreachable, refusing, malformed, slower than
its deadline, or data that makes the code fail), the failure is recorded on that source
alone, as a coarse message for staff (``coarse_error``: which failure it was would make a
port and file scanner of the sources page), its kind is logged, and the others go on.
``run`` repeats passes until stopped; ``run_once`` makes one pass, each source read until
it has nothing new.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from qalxan.analysis.message import AnalysisContext
from qalxan.monitoring.posts import Post
from qalxan.monitoring.scan import ScannedPost, concerning, scan_posts
from qalxan.monitoring.signals import campaign_signals, post_signals, with_campaign_members
from qalxan.monitoring.sources import Batch, open_source
from qalxan.monitoring.sources.base import SourceReplaced
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
UNREADABLE = "could not be read this time; it is tried again on the next pass"
REPLACED = ("its file was replaced or truncated since the last read; remove the source and "
            "add it again to read the file afresh")


def coarse_error(exc: BaseException) -> str:
    """What staff are told of a failed source: that it failed, not how."""
    return REPLACED if isinstance(exc, SourceReplaced) else UNREADABLE


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
        self.http = http or HttpClient.from_settings(platform.settings)

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
        settings = self.platform.settings
        try:
            source = open_source(run.spec, http=self.http, import_dir=settings.monitor_import_dir)
            checkpoint = run.checkpoint
            for _ in range(MAX_BATCHES_PER_PASS):
                with self.http.within(settings.monitor_fetch_deadline_seconds):
                    batch = source.fetch(checkpoint, settings.monitor_batch_size)
                total = _add(total, self.process(run, batch, checkpoint))
                checkpoint = batch.checkpoint
                if batch.exhausted or not batch.posts:
                    break
        except Exception as exc:  # one source's failure, whatever it is: recorded on it,
            # and the others go on
            return self._failed(run, total, exc)
        return total

    def _failed(self, run: SourceRun, total: SourceResult, exc: Exception) -> SourceResult:
        failure = type(exc).__name__
        log.warning("source %s failed: %s", run.id, failure)
        log.debug("source %s failed", run.id, exc_info=True)
        try:
            self.platform.run(SYSTEM, service.record_failure, run.id, coarse_error(exc))
        except Exception:  # the source removed meanwhile, or the database away
            log.warning("source %s: its failure could not be recorded", run.id)
        return replace(total, error=f"{failure}: {exc}", failure=failure)

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
    here = {p.key for p in posts}
    older = [r for r in recent if r.post.key not in here]
    return [*posts, *(r.post for r in older)], [*scanned, *older]


def _add(a: SourceResult, b: SourceResult) -> SourceResult:
    return SourceResult(a.source, a.posts + b.posts, a.kept + b.kept,
                        a.alerts_raised + b.alerts_raised, a.alerts_updated + b.alerts_updated)
