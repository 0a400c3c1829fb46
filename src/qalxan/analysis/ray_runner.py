"""The analysis pipeline on a Ray cluster: the same ``analyse_messages`` in Ray actors.

Each actor is one worker process holding the detectors, created once when the actor
starts (as a process pool's initializer does); batches go to the actors through Ray's
``ActorPool`` and come back in the order they were sent, so the results match
``analyse_stream`` message for message. Batches are sent as the input is read, with at
most ``IN_FLIGHT_PER_ACTOR`` per actor waiting, so the driver never holds the whole input.

The driver reads and checks the records itself rather than with Ray Data's readers: those
cannot keep the command's semantics (line numbers of rejected records, blank lines, CSV
records over several lines, standard input, a file only the driver can see), and a Ray
Data set is made from a complete source, not from a stream the driver is still reading.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from qalxan.analysis.message import AnalysisContext, Message
from qalxan.analysis.pipeline import (
    DEFAULT_BATCH_SIZE,
    MessageAnalysis,
    analyse_messages,
    available_detectors,
    batched,
    load_detectors,
)
from qalxan.scaleout import import_ray, ray_failures

#: Batches queued per actor beyond the one it is working on.
IN_FLIGHT_PER_ACTOR = 2


class Analyser:
    """A worker's state: the detectors, built once. Run as a Ray actor."""

    def __init__(self, detectors: list[str]) -> None:
        self.detectors = detectors
        load_detectors(detectors)

    def analyse(self, batch: list[Message], context: AnalysisContext) -> list[MessageAnalysis]:
        return analyse_messages(batch, context, self.detectors)


def analyse_on_ray(
    messages: Iterable[Message],
    context: AnalysisContext = AnalysisContext(),  # noqa: B008 (frozen, immutable)
    detectors: Sequence[str] | None = None,
    actors: int = 1,
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> Iterator[MessageAnalysis]:
    """Analyse a stream in batches on ``actors`` Ray actors (one CPU each), in order.
    Needs a Ray connection (``qalxan.scaleout.ray_session``)."""
    ray = import_ray()
    names = list(detectors) if detectors is not None else available_detectors()
    remote = ray.remote(num_cpus=1)(Analyser)
    pool = ray.util.ActorPool([remote.remote(names) for _ in range(max(actors, 1))])
    shared = ray.put(context)
    limit = max(actors, 1) * (1 + IN_FLIGHT_PER_ACTOR)
    with ray_failures(ray):
        yield from _ordered(pool, batched(messages, batch_size), shared, limit)


def _ordered(pool: Any, batches: Iterator[list[Message]], context: Any,
             limit: int) -> Iterator[MessageAnalysis]:
    waiting = 0
    for batch in batches:
        pool.submit(lambda actor, b: actor.analyse.remote(b, context), batch)
        waiting += 1
        if waiting >= limit:
            yield from pool.get_next()
            waiting -= 1
    while pool.has_next():
        yield from pool.get_next()
