"""Anonymous intake has bounds: disk watermark, caps per window, submissions at once.

Each refusal comes before anything is stored, says so, and says when to try again.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from qalxan.errors import IntakeUnavailable
from qalxan.services.context import Platform
from qalxan.services.intake_capacity import IntakeCapacity
from qalxan.store.tables import Case, DataKeyRow, Evidence, FindingRow, Note
from qalxan.web.app import create_app
from tests.web.test_ui_defender import PNG, RECEIPT, REPORT

PROBLEM = "application/problem+json"
START = datetime(2026, 12, 8, 10, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def client(platform: Platform, intake_org: str) -> Iterator[TestClient]:
    with TestClient(create_app(platform), base_url="http://testserver") as test_client:
        yield test_client


def bound(platform: Platform, clock: Clock, **settings: int) -> None:
    """Give the platform an intake capacity under these settings."""
    for name, value in settings.items():
        setattr(platform.settings, f"intake_{name}", value)
    platform.intake_capacity = IntakeCapacity(platform.settings, clock)


def stored(platform: Platform) -> tuple[int, ...]:
    """Rows a submission writes (a refused follow-up still shows the defender the thread,
    whose reading is audited as any reading is)."""
    with platform.sessions() as s:
        return tuple(int(s.execute(select(func.count()).select_from(t)).scalar_one())
                     for t in (Case, Evidence, Note, FindingRow, DataKeyRow))


def assert_refused(r: object, retry_at_most: int) -> None:
    assert r.status_code == 503, r.text  # type: ignore[attr-defined]
    assert r.headers["content-type"] == PROBLEM  # type: ignore[attr-defined]
    problem = r.json()  # type: ignore[attr-defined]
    assert problem["type"] == "urn:qalxan:problem:intake-unavailable"
    assert "nothing was stored" in problem["detail"]
    assert 1 <= int(r.headers["retry-after"]) <= retry_at_most  # type: ignore[attr-defined]


def test_intake_is_refused_before_the_disk_is_full(
        client: TestClient, platform: Platform, clock: Clock) -> None:
    """Review finding 12: below the free-space watermark, the API and the report page refuse
    a report with 503 and Retry-After, and nothing of it is stored."""
    before = stored(platform)
    bound(platform, clock, min_free_bytes=10 ** 18)  # more than any disk has
    assert_refused(client.post("/api/v1/intake", json={"what_happened": "x"}), 3600)
    page = client.post("/report", data=REPORT, headers={"Accept-Language": "fr"},
                       files=[("files", ("shot.png", PNG, "image/png"))])
    assert page.status_code == 503 and "text/html" in page.headers["content-type"]
    assert "Rien n’a été envoyé" in page.text and int(page.headers["retry-after"]) >= 1
    assert stored(platform) == before
    bound(platform, clock, min_free_bytes=0)
    assert client.post("/api/v1/intake", json={"what_happened": "x"}).status_code == 201


def test_intake_caps_reports_and_bytes_per_window_instance_wide(
        client: TestClient, platform: Platform, clock: Clock) -> None:
    """Review finding 12: a window takes at most so many submissions (reports and follow-up
    messages) and so many bytes; then 503 until the window ends, and nothing is stored."""
    bound(platform, clock, window_minutes=60, window_max_submissions=2,
          window_max_bytes=10 ** 9)
    first = client.post("/api/v1/intake", json={"what_happened": "first"})
    assert first.status_code == 201
    invalid = client.post("/api/v1/intake", json={"what_happened": ""})
    assert invalid.status_code == 422  # a refused report does not use the quota
    code = first.json()["receipt_code"]
    assert client.post("/api/v1/followup/messages",
                       json={"receipt_code": code, "text": "more"}).status_code == 204
    before = stored(platform)
    clock.now = START + timedelta(minutes=59)
    assert_refused(client.post("/api/v1/intake", json={"what_happened": "third"}), 60)
    assert_refused(client.post("/api/v1/followup/messages",
                               json={"receipt_code": code, "text": "again"}), 60)
    added = client.post("/followup/add", data={"receipt_code": code, "text": "again"},
                        files=[("files", ("again.png", PNG, "image/png"))])
    assert added.status_code == 503 and "retry-after" in added.headers
    assert stored(platform) == before
    clock.now = START + timedelta(minutes=61)  # a new window
    assert client.post("/api/v1/intake", json={"what_happened": "later"}).status_code == 201

    bound(platform, clock, window_max_submissions=100, window_max_bytes=40_000)
    big = client.post("/api/v1/intake", data={"report": '{"what_happened": "files"}'},
                      files={"files": ("a.png", PNG + b"\x00" * 50_000, "image/png")})
    assert_refused(big, 3600)
    assert client.post("/api/v1/intake", json={"what_happened": "small"}).status_code == 201


def test_intake_refuses_rather_than_queues_when_analyses_are_running(
        client: TestClient, platform: Platform, clock: Clock) -> None:
    """Review finding 12: with every submission slot taken (reports being analysed), another
    report is refused at once with 503 instead of piling up; a slot set free takes it."""
    bound(platform, clock, max_concurrent=1)
    before = stored(platform)
    with platform.intake_capacity.admit(100):  # a report being analysed
        assert_refused(client.post("/api/v1/intake", json={"what_happened": "x"}), 60)
        page = client.post("/report", data=REPORT)
        assert page.status_code == 503 and RECEIPT.search(page.text) is None
        assert stored(platform) == before
    assert client.post("/api/v1/intake", json={"what_happened": "x"}).status_code == 201


def test_intake_capacity_counts_without_identifying_anyone(clock: Clock,
                                                           platform: Platform) -> None:
    """Review finding 12: the counts are numbers per window, nothing of the sender; with
    several server processes each takes its share of the instance's caps."""
    platform.settings.intake_window_max_submissions = 5
    platform.settings.intake_max_concurrent = 8
    platform.settings.server_processes = 2
    capacity = IntakeCapacity(platform.settings, clock, free_bytes=lambda: 10 ** 12)
    assert (capacity.limits.max_submissions, capacity.limits.max_concurrent) == (3, 4)
    for _ in range(3):
        with capacity.admit(10):
            pass
    with pytest.raises(IntakeUnavailable), capacity.admit(10):
        pass
    state = {k: v for k, v in vars(capacity).items() if not k.startswith("_free")}
    assert all(isinstance(v, (int, type(capacity.limits), type(capacity._lock))) or callable(v)
               for v in state.values())
