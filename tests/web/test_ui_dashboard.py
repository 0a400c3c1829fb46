"""The dashboard: cases by threat type, country and week, counted in the service layer with
small counts suppressed, drawn as static SVG with the numbers beside them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from qalxan.domain.enums import OrgKind, Role
from qalxan.security.access import DEFENDER, SYSTEM
from qalxan.services import accounts, aggregates, intake
from qalxan.services.context import Platform
from qalxan.services.schemas import ReportSubmission
from qalxan.web.app import create_app
from qalxan.web.ui import charts
from tests.conftest import StaffFactory
from tests.web.test_ui_staff import sign_in


@pytest.fixture
def client(platform: Platform, intake_org: str) -> Iterator[TestClient]:
    with TestClient(create_app(platform), base_url="http://testserver") as test_client:
        yield test_client


def _report(platform: Platform, country: str, threat: str, times: int) -> None:
    for i in range(times):
        platform.run(DEFENDER, intake.submit_report, ReportSubmission(
            what_happened=f"Report {i}", threat_types=[threat], country=country))


def test_counts_suppress_small_numbers_and_cover_every_week(
        platform: Platform, make_staff: StaffFactory, intake_org: str) -> None:
    _report(platform, "AZ", "doxing", 3)
    _report(platform, "GE", "harassment.threat", 1)
    observer = make_staff(Role.MISSION_OBSERVER, intake_org)
    counts = platform.run(observer.actor, aggregates.case_counts, 12)
    assert counts.total == 4
    # GE's one case could be worked out from the total and AZ's three: AZ is hidden too
    assert dict((c.key, c.count) for c in counts.by_country) == {"AZ": None, "GE": None}
    assert dict((c.key, c.count) for c in counts.by_threat) == {"doxing": 3, "harassment": None}
    assert len(counts.by_week) == 12 and counts.by_week[-1].count == 4


def test_counts_stay_within_the_organisation(platform: Platform, make_staff: StaffFactory,
                                              intake_org: str) -> None:
    _report(platform, "AZ", "doxing", 3)
    other = platform.run(SYSTEM, accounts.create_organisation, "Other", OrgKind.FUND)
    outsider = make_staff(Role.MISSION_OBSERVER, other)
    counts = platform.run(outsider.actor, aggregates.case_counts, 4)
    assert counts.total is None and counts.by_country == [] and len(counts.by_week) == 4


def test_bars_and_columns_are_scaled_to_the_largest_count() -> None:
    counts = [aggregates.Count("a", 10), aggregates.Count("b", 5), aggregates.Count("c", None)]
    assert [b.percent for b in charts.bars(counts)] == [100.0, 50.0, 0.0]
    cols = charts.columns(counts)
    assert cols[0].height == charts.COLUMN_HEIGHT and cols[0].y == 0
    assert cols[1].height == charts.COLUMN_HEIGHT / 2 and cols[2].height == 0
    assert charts.columns([]) == [] and charts.bars([]) == []


def test_the_dashboard_draws_the_charts_for_an_observer_who_sees_no_case(
        client: TestClient, platform: Platform, make_staff: StaffFactory,
        intake_org: str) -> None:
    _report(platform, "AZ", "doxing", 3)
    _report(platform, "GE", "censorship", 1)
    observer = make_staff(Role.MISSION_OBSERVER, intake_org)
    sign_in(client, observer)
    page = client.get("/dashboard")
    assert page.status_code == 200
    assert page.text.count("<svg") == 1 + 2 + 2  # weeks; two threat types; two countries
    assert "<script" not in page.text
    assert "Azerbaijan" in page.text and "Doxing" in page.text
    assert "hidden (small numbers)" in page.text and "fewer than" not in page.text
    assert "style=" not in page.text  # the CSP forbids inline styles
    assert client.get("/cases").status_code == 403
    arabic = client.get("/dashboard", headers={"Accept-Language": "ar"})
    assert 'dir="rtl"' in arabic.text and "أذربيجان" in arabic.text


def test_the_dashboard_needs_a_session(client: TestClient) -> None:
    response = client.get("/dashboard", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login"


@pytest.mark.parametrize(("counts", "shown"), [
    ({"a": 10, "b": 5}, {"a": 10, "b": 5}),  # nothing small: all shown
    ({"a": 10, "b": 5, "c": 1}, {"a": 10, "b": None, "c": None}),  # 1 + 5 hidden together
    ({"a": 10, "b": 3, "c": 2}, {"a": None, "b": None, "c": None}),  # 2 + 3 < 6: one more
    ({"a": 9, "b": 2, "c": 2, "d": 2}, {"a": 9, "b": None, "c": None, "d": None}),
    ({"a": 4, "b": 0, "c": 0}, {"a": 4, "b": None, "c": None}),  # zeros single nobody out
    ({"a": 2}, {"a": None}),
])
def test_a_hidden_count_cannot_be_worked_out_from_the_total(
        counts: dict[str, int], shown: dict[str, int | None]) -> None:
    result = aggregates.protect_split(list(counts.items()))
    assert {c.key: c.count for c in result} == shown
    hidden = [counts[c.key] for c in result if c.count is None and counts[c.key] > 0]
    assert not hidden or (len(hidden) >= 2 and sum(hidden) >= 2 * aggregates.SMALL_COUNT) \
        or all(c.count is None for c in result)
