"""End to end: a recorded Mastodon hashtag stream with a smear burst against a watched defender
produces one deduplicated alert, which becomes an incident on that defender's case."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from qalxan.domain.enums import AlertStatus, Role
from qalxan.monitoring.monitor import Monitor
from qalxan.monitoring.sources.http import HttpClient
from qalxan.security.access import DEFENDER
from qalxan.services import alerts, cases, escalation, intake, monitor, watchlists
from qalxan.services.context import Platform
from qalxan.services.monitoring_schemas import AlertIncidentInput, SourceInput, WatchEntryInput
from qalxan.services.schemas import CaseFilter, ReportSubmission
from tests.conftest import StaffFactory
from tests.monitoring.recorded_http import RECORDINGS, RecordedServer

SUMMARY: dict[str, Any] = json.loads(
    (RECORDINGS / "mastodon_smear" / "summary.json").read_text(encoding="utf-8"))


@pytest.fixture
def server() -> Iterator[RecordedServer]:
    with RecordedServer() as recorded:
        yield recorded.load("mastodon_smear")


def test_a_recorded_smear_burst_becomes_one_alert_and_an_incident_on_her_case(
        platform: Platform, intake_org: str, make_staff: StaffFactory,
        server: RecordedServer) -> None:
    # Aysel reported earlier harassment herself: she has a case
    platform.run(DEFENDER, intake.submit_report, ReportSubmission(
        what_happened="Threatening messages after my court reporting.",
        defender_name="Aysel Məmmədova", country="AZ"))
    handler = make_staff(Role.CASE_HANDLER, intake_org)
    analyst = make_staff(Role.ANALYST, intake_org)
    [her_case] = platform.run(handler.actor, cases.list_cases, CaseFilter()).items
    # an analyst watches for her and the hashtag
    platform.run(analyst.actor, watchlists.add_entry, WatchEntryInput(
        names=["Aysel Məmmədova"], handles=["@aysel_m"], case_id=her_case.id))
    platform.run(analyst.actor, monitor.add_source, SourceInput(
        kind="mastodon", name="#azfreedom", params={
            "base_url": server.base_url, "hashtag": "azfreedom", "since": SUMMARY["since"]}))
    # pages of 40, as Mastodon serves them: the burst arrives split over two batches
    platform.settings = platform.settings.model_copy(update={"monitor_batch_size": 40})
    with HttpClient.from_settings(platform.settings, sleep=lambda _: None) as http:
        [result] = Monitor(platform, http=http).run_once()
        [again] = Monitor(platform, http=http).run_once()
    assert result.error is None and result.posts == SUMMARY["statuses"] == 125
    assert (result.alerts_raised, again.posts, again.alerts_raised) == (1, 0, 0)

    [alert] = platform.run(handler.actor, alerts.list_alerts, None)
    view = platform.run(handler.actor, alerts.get_alert, alert.id)
    kept = {p.message_id for p in view.posts}
    burst = set(SUMMARY["burst"]["statuses"])
    assert burst <= kept  # every smear of the burst is evidence, each once
    assert len(view.posts) == len(kept) == alert.post_count
    assert SUMMARY["defender"]["status_id"] not in kept  # her own post is not about her
    assert {"attack_post", "campaign"} <= set(alert.reasons)
    assert view.detail["campaign"]["label"] == "coordinated"
    assert all(p.sha256 and p.link and p.captured_at for p in view.posts)

    assert [c.id for c in view.cases] == [her_case.id]  # offered: her open case
    made = platform.run(handler.actor, escalation.open_incident, alert.id,
                        AlertIncidentInput(case_id=view.cases[0].id))
    assert made.case_id == her_case.id and not made.new_case
    detail = platform.run(handler.actor, cases.get_case, her_case.id)
    assert [i["source"] for i in detail.incidents] == ["report", "detection"]
    assert "smear" in detail.summary.tags
    posts = [e for e in detail.evidence if e.kind == "text"]
    assert {json.loads(e.content or "{}")["message_id"] for e in posts} == kept
    assert platform.run(handler.actor, alerts.get_alert, alert.id).status \
        == AlertStatus.ESCALATED
