"""Monitoring from a source to alerts and incidents: watch-lists, batches, checkpoints,
deduplication, spikes, campaigns, and the one action that makes an alert an incident."""

from __future__ import annotations

import json
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from qalxan.domain.enums import AlertStatus, Role
from qalxan.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from qalxan.monitoring.monitor import Monitor
from qalxan.security.access import DEFENDER, SYSTEM
from qalxan.services import alerts, cases, escalation, intake, monitor, retention, watchlists
from qalxan.services.context import Platform
from qalxan.services.monitoring_schemas import AlertIncidentInput, SourceInput, WatchEntryInput
from qalxan.services.schemas import CaseFilter, ReportSubmission
from qalxan.store.tables import Alert, DataKeyRow, Defender, MonitoredPost
from tests.conftest import Staff, StaffFactory

T0 = 1_790_000_000.0  # 2026-09-21
SMEAR = [
    "Aysel Mammadova is a paid foreign agent and a traitor, she must be stopped",
    "Aysel Məmmədova xaindir, xarici agentdir!",
    "Айсель Мамедова — иностранный агент и предательница",
]
AYSEL = WatchEntryInput(names=["Aysel Məmmədova", "Айсель Мамедова"], handles=["@aysel_m"])


def post(i: int, text: str, author: str, at: float) -> dict[str, object]:
    return {"message_id": f"m{i}", "user_id": author, "username": author, "message": text,
            "timestamp": at}


def burst(start: int = 0, accounts: int = 12, at: float = T0) -> list[dict[str, object]]:
    """Near-identical smears from many accounts within three minutes."""
    return [post(start + i, SMEAR[0] + f" #{i % 3}", f"troll{i % accounts}", at + 7 * i)
            for i in range(24)]


def ordinary(start: int, n: int, at: float) -> list[dict[str, object]]:
    return [post(start + i, f"Weather today in Baku, part {i}", f"user{i}", at + 60 * i)
            for i in range(n)]


def write(path: Path, rows: list[dict[str, object]]) -> None:
    with path.open("a", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


@pytest.fixture
def analyst(make_staff: StaffFactory, intake_org: str) -> Staff:
    return make_staff(Role.ANALYST, intake_org)


@pytest.fixture
def feed(tmp_path: Path, platform: Platform, analyst: Staff) -> Path:
    path = tmp_path / "posts.jsonl"
    path.touch()
    platform.run(analyst.actor, monitor.add_source,
                 SourceInput(kind="jsonl", name="dump", params={"path": str(path)}))
    return path


def count_rows(platform: Platform, model: type) -> int:
    with platform.sessions() as session:
        return int(session.execute(select(func.count()).select_from(model)).scalar_one())


def watch(platform: Platform, staff: Staff, data: WatchEntryInput = AYSEL) -> str:
    return platform.run(staff.actor, watchlists.add_entry, data).id


def test_a_smear_burst_against_a_watched_defender_raises_one_alert(
        platform: Platform, analyst: Staff, feed: Path) -> None:
    entry_id = watch(platform, analyst)
    write(feed, ordinary(100, 30, T0 - 3600) + burst())
    [result] = Monitor(platform).run_once()
    assert (result.posts, result.kept, result.alerts_raised, result.error) == (54, 24, 1, None)
    [alert] = platform.run(analyst.actor, alerts.list_alerts)
    assert alert.entry_id == entry_id and alert.post_count == 24
    assert {"attack_post", "campaign", "volume_spike"} <= set(alert.reasons)
    view = platform.run(analyst.actor, alerts.get_alert, alert.id)
    assert view.posts[0].sha256 and view.posts[0].text.startswith("Aysel Mammadova")
    assert view.detail["campaign"]["label"] == "coordinated"


def test_rerunning_the_same_posts_neither_repeats_nor_duplicates(
        platform: Platform, analyst: Staff, feed: Path) -> None:
    watch(platform, analyst)
    write(feed, burst())
    Monitor(platform).run_once()
    [again] = Monitor(platform).run_once()
    assert again.posts == 0  # the checkpoint moved on
    [source] = platform.run(SYSTEM, monitor.active_sources)
    batch_posts = tuple(json.loads(line) for line in feed.read_text().splitlines())
    assert len(batch_posts) == 24
    # a crash after reading but before recording: the same posts come again and are known
    rerun = Monitor(platform)
    runs = platform.run(SYSTEM, monitor.active_sources)
    stale = monitor.SourceRun(runs[0].id, runs[0].org_id, runs[0].spec, None)
    result = rerun._run_source(stale)
    assert result.posts == 24 and result.alerts_raised == 0
    [alert] = platform.run(analyst.actor, alerts.list_alerts)
    assert alert.post_count == 24
    assert source.checkpoint is not None


def test_later_posts_join_the_open_alert(platform: Platform, analyst: Staff, feed: Path) -> None:
    watch(platform, analyst)
    write(feed, burst())
    Monitor(platform).run_once()
    write(feed, [post(500, SMEAR[2], "late1", T0 + 1800),
                 post(501, SMEAR[1], "late2", T0 + 1900)])
    [result] = Monitor(platform).run_once()
    assert (result.alerts_raised, result.alerts_updated) == (0, 1)
    [alert] = platform.run(analyst.actor, alerts.list_alerts)
    assert alert.post_count == 26


def test_posts_after_the_merge_window_raise_a_new_alert(
        platform: Platform, analyst: Staff, feed: Path) -> None:
    watch(platform, analyst)
    write(feed, burst())
    Monitor(platform).run_once()
    write(feed, [post(900, SMEAR[0], "later", T0 + 3 * 86400)])
    [result] = Monitor(platform).run_once()
    assert result.alerts_raised == 1
    assert len(platform.run(analyst.actor, alerts.list_alerts)) == 2


def test_posts_that_name_nobody_watched_are_not_kept(
        platform: Platform, analyst: Staff, feed: Path) -> None:
    watch(platform, analyst)
    write(feed, [*ordinary(0, 20, T0), post(99, "Leyla Aliyeva is a traitor", "x", T0)])
    [result] = Monitor(platform).run_once()
    assert (result.posts, result.kept, result.alerts_raised) == (21, 0, 0)


def test_a_friendly_mention_is_kept_but_raises_no_alert(
        platform: Platform, analyst: Staff, feed: Path) -> None:
    watch(platform, analyst)
    write(feed, [post(1, "Congratulations to Aysel Mammadova on the award!", "fan", T0)])
    [result] = Monitor(platform).run_once()
    assert (result.kept, result.alerts_raised) == (1, 0)


def test_a_failing_source_is_recorded_and_the_others_go_on(
        platform: Platform, analyst: Staff, feed: Path, tmp_path: Path) -> None:
    watch(platform, analyst)
    platform.run(analyst.actor, monitor.add_source, SourceInput(
        kind="jsonl", name="gone", params={"path": str(tmp_path / "missing.jsonl")}))
    write(feed, burst())
    results = {r.source: r for r in Monitor(platform).run_once()}
    assert results["gone"].error and results["dump"].alerts_raised == 1
    listed = {s.name: s for s in platform.run(analyst.actor, monitor.list_sources)}
    assert listed["gone"].last_error and listed["dump"].last_error is None


def test_bad_sources_are_refused(platform: Platform, analyst: Staff, feed: Path) -> None:
    with pytest.raises(InvalidInput):
        platform.run(analyst.actor, monitor.add_source,
                     SourceInput(kind="carrier-pigeon", name="x", params={}))
    with pytest.raises(InvalidInput):
        platform.run(analyst.actor, monitor.add_source, SourceInput(
            kind="mastodon", name="m", params={"base_url": "file:///etc/passwd",
                                               "hashtag": "x"}))
    with pytest.raises(Conflict):
        platform.run(analyst.actor, monitor.add_source,
                     SourceInput(kind="jsonl", name="dump", params={"path": "x.jsonl"}))


def test_an_alert_becomes_an_incident_on_a_new_case(
        platform: Platform, analyst: Staff, handler: Staff, feed: Path) -> None:
    watch(platform, analyst)
    write(feed, burst())
    Monitor(platform).run_once()
    [alert] = platform.run(handler.actor, alerts.list_alerts)
    with pytest.raises(PermissionDenied):  # analysts do not open cases
        platform.run(analyst.actor, escalation.open_incident, alert.id, AlertIncidentInput())
    made = platform.run(handler.actor, escalation.open_incident, alert.id, AlertIncidentInput())
    assert made.new_case
    detail = platform.run(handler.actor, cases.get_case, made.case_id)
    [incident] = detail.incidents
    assert incident["source"] == "detection" and "smear" in detail.summary.tags
    texts = [e for e in detail.evidence if e.kind == "text"]
    assert len(texts) == 24
    kept = platform.run(handler.actor, alerts.get_alert, alert.id)
    assert {e.sha256 for e in texts} == {p.sha256 for p in kept.posts}
    assert kept.status == AlertStatus.ESCALATED and kept.case_id == made.case_id
    with pytest.raises(Conflict):
        platform.run(handler.actor, escalation.open_incident, alert.id, AlertIncidentInput())


def test_an_alert_becomes_an_incident_on_the_defenders_existing_case(
        platform: Platform, analyst: Staff, handler: Staff, feed: Path) -> None:
    watch(platform, analyst)
    write(feed, burst())
    Monitor(platform).run_once()
    [first] = platform.run(handler.actor, alerts.list_alerts)
    made = platform.run(handler.actor, escalation.open_incident, first.id, AlertIncidentInput())
    write(feed, [post(900, SMEAR[1], "later", T0 + 3 * 86400)])
    Monitor(platform).run_once()
    [second] = platform.run(handler.actor, alerts.list_alerts)
    again = platform.run(handler.actor, escalation.open_incident, second.id,
                         AlertIncidentInput(case_id=made.case_id))
    assert not again.new_case and again.case_id == made.case_id
    page = platform.run(handler.actor, cases.list_cases, CaseFilter())
    assert page.total == 1
    assert len(platform.run(handler.actor, cases.get_case, made.case_id).incidents) == 2


def test_dismissed_alerts_leave_the_queue(platform: Platform, analyst: Staff,
                                          feed: Path) -> None:
    watch(platform, analyst)
    write(feed, burst())
    Monitor(platform).run_once()
    [alert] = platform.run(analyst.actor, alerts.list_alerts)
    platform.run(analyst.actor, alerts.dismiss_alert, alert.id)
    assert platform.run(analyst.actor, alerts.list_alerts) == []
    assert len(platform.run(analyst.actor, alerts.list_alerts, None)) == 1


def test_another_organisation_sees_nothing(platform: Platform, analyst: Staff, feed: Path,
                                           make_staff: StaffFactory, other_org: str) -> None:
    entry_id = watch(platform, analyst)
    write(feed, burst())
    Monitor(platform).run_once()
    [alert] = platform.run(analyst.actor, alerts.list_alerts)
    outsider = make_staff(Role.ADMIN, other_org)
    assert platform.run(outsider.actor, alerts.list_alerts) == []
    assert platform.run(outsider.actor, watchlists.list_entries) == []
    for fn, arg in ((alerts.get_alert, alert.id), (watchlists.get_entry, entry_id),
                    (watchlists.remove_entry, entry_id), (alerts.dismiss_alert, alert.id)):
        with pytest.raises(NotFound):
            platform.run(outsider.actor, fn, arg)


def test_removing_an_entry_removes_its_posts_and_alerts(
        platform: Platform, analyst: Staff, feed: Path) -> None:
    entry_id = watch(platform, analyst)
    write(feed, burst())
    Monitor(platform).run_once()
    platform.run(analyst.actor, watchlists.remove_entry, entry_id)
    assert platform.run(analyst.actor, alerts.list_alerts, None) == []
    with pytest.raises(NotFound):
        platform.run(analyst.actor, watchlists.get_entry, entry_id)


def test_a_watch_list_entry_needs_something_to_match(platform: Platform,
                                                     analyst: Staff) -> None:
    with pytest.raises(InvalidInput, match="at least one name"):
        platform.run(analyst.actor, watchlists.add_entry,
                     WatchEntryInput(phones=["+994 50 123 45 67"]))


def test_kept_posts_and_alerts_are_purged_after_their_retention_period(
        platform: Platform, analyst: Staff, feed: Path) -> None:
    watch(platform, analyst)
    write(feed, burst())
    Monitor(platform).run_once()

    keys_before = count_rows(platform, DataKeyRow)
    assert platform.run(SYSTEM, retention.purge).monitored_posts == 0
    start = platform.clock()
    days = platform.settings.retention_monitored_posts_days
    platform.clock = lambda: start + timedelta(days=days + 1)
    dry = platform.run(SYSTEM, retention.purge, True)
    assert (dry.monitored_posts, dry.alerts) == (24, 1)
    assert count_rows(platform, MonitoredPost) == 24
    report = platform.run(SYSTEM, retention.purge)
    assert (report.monitored_posts, report.alerts) == (24, 1)
    assert count_rows(platform, MonitoredPost) == count_rows(platform, Alert) == 0
    assert count_rows(platform, DataKeyRow) == keys_before - 25  # their keys are destroyed too
    assert len(platform.run(analyst.actor, watchlists.list_entries)) == 1  # the entry stays


@pytest.mark.parametrize("data", [
    WatchEntryInput(names=["!!! ???"]), WatchEntryInput(names=["Aysel"], handles=["@"]),
    WatchEntryInput(aliases=["12345"]),
])
def test_an_entry_the_matcher_could_not_use_is_refused_without_echoing_it(
        platform: Platform, analyst: Staff, data: WatchEntryInput) -> None:
    with pytest.raises(InvalidInput) as refused:
        platform.run(analyst.actor, watchlists.add_entry, data)
    assert "!!!" not in str(refused.value) and "12345" not in str(refused.value)
    assert platform.run(analyst.actor, watchlists.list_entries) == []


def test_a_defender_with_two_cases_outlives_the_first_and_goes_with_the_last(
        platform: Platform, analyst: Staff, handler: Staff, feed: Path,
        make_staff: StaffFactory, intake_org: str) -> None:
    platform.run(DEFENDER, intake.submit_report, ReportSubmission(
        what_happened="Threats", defender_name="Aysel Məmmədova"))
    [first] = platform.run(handler.actor, cases.list_cases, CaseFilter()).items
    platform.run(analyst.actor, watchlists.add_entry, WatchEntryInput(
        names=["Aysel Məmmədova"], case_id=first.id))
    write(feed, burst())
    Monitor(platform).run_once()
    [alert] = platform.run(handler.actor, alerts.list_alerts)
    second = platform.run(handler.actor, escalation.open_incident, alert.id,
                          AlertIncidentInput()).case_id  # a new case for the same defender
    admin = make_staff(Role.ADMIN, intake_org)
    platform.run(admin.actor, cases.delete_case, first.id)
    detail = platform.run(handler.actor, cases.get_case, second)
    assert detail.defender["identity"]["legal_name"] == "Aysel Məmmədova"
    platform.run(admin.actor, cases.delete_case, second)
    assert count_rows(platform, Defender) == 0


def test_the_continuous_monitor_picks_up_posts_as_they_arrive_and_stops_when_asked(
        platform: Platform, analyst: Staff, feed: Path) -> None:
    watch(platform, analyst)
    stop = threading.Event()
    runner = threading.Thread(target=Monitor(platform).run, args=(0.05, stop))
    runner.start()
    try:
        write(feed, burst())
        deadline = time.monotonic() + 30
        while not platform.run(analyst.actor, alerts.list_alerts) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(platform.run(analyst.actor, alerts.list_alerts)) == 1
    finally:
        stop.set()
        runner.join(timeout=30)
    assert not runner.is_alive()


def test_findings_of_an_incident_from_an_alert_mark_words_of_the_post_as_kept(
        platform: Platform, analyst: Staff, handler: Staff, feed: Path) -> None:
    watch(platform, analyst)
    write(feed, [post(1, 'Aysel Mammadova is a "paid" traitor\nand a foreign agent', "t1", T0),
                 *burst(10)])
    Monitor(platform).run_once()
    [alert] = platform.run(handler.actor, alerts.list_alerts)
    made = platform.run(handler.actor, escalation.open_incident, alert.id, AlertIncidentInput())
    detail = platform.run(handler.actor, cases.get_case, made.case_id)
    kept = {e.id: e.content or "" for e in detail.evidence if e.kind == "text"}
    marked = [kept[f["evidence_id"]][start:end] for f in detail.findings
              if f["evidence_id"] in kept for start, end in f["spans"]]
    assert marked and "traitor" in marked and "foreign agent" in marked


def test_positions_in_the_canonical_json_follow_escapes() -> None:
    text = 'a "b"\nc\\d ü'
    canonical = json.dumps({"author": "x", "text": text}, sort_keys=True, ensure_ascii=False,
                           separators=(",", ":"))
    at = escalation.json_positions(canonical, text)
    for start, end in ((0, 1), (2, 5), (6, 7), (8, 9), (10, 11)):
        assert json.loads(f'"{canonical[at[start]:at[end]]}"') == text[start:end]
