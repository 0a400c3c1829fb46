"""Fixtures for source tests: a recorded-response server and a clock that never waits."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from qalxan.monitoring.sources.egress import Egress
from qalxan.monitoring.sources.http import HttpClient, RetryPolicy
from tests.monitoring.recorded_http import RecordedServer

# 2026-03-14T09:00:00Z, during the recorded timeline.
NOW = 1773478800.0


@dataclass
class FakeTime:
    """A clock that moves only when something sleeps; every sleep is kept."""

    now: float = NOW
    sleeps: list[float] = field(default_factory=list)

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def server() -> Iterator[RecordedServer]:
    with RecordedServer() as recorded:
        yield recorded


@pytest.fixture
def http(fake_time: FakeTime) -> Iterator[HttpClient]:
    """A client on the fake clock, with jitter fixed at its middle (0.5), that may reach
    the loopback server of the recordings, with a long deadline."""
    with HttpClient(sleep=fake_time.sleep, clock=fake_time.clock, jitter=lambda: 0.5,
                    policy=RetryPolicy(attempts=4, backoff=1.0, backoff_cap=60.0,
                                       max_wait=900.0),
                    egress=Egress(allow_loopback=True), deadline=3600.0) as client:
        yield client
