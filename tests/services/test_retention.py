"""Retention: past their periods, closed cases are crypto-shredded and traces deleted, with an
audit event for each deletion; proven by moving the clock forward."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from qalxan.domain.enums import CaseStatus, Outcome
from qalxan.errors import NotAuthenticated
from qalxan.security.access import ANONYMOUS, DEFENDER, SYSTEM
from qalxan.services import auth, cases, intake, retention
from qalxan.services.context import Platform
from qalxan.services.schemas import CaseFilter, ReportSubmission, StatusChange
from qalxan.store.tables import AuditEvent, Case, DataKeyRow, Incident, LoginAttempt
from tests.conftest import Staff

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _closed_case(platform: Platform, handler: Staff) -> tuple[str, bytes]:
    platform.run(DEFENDER, intake.submit_report, ReportSubmission(what_happened="old case"),
                 (intake.Upload("a.png", "image/png", PNG),))
    case_id = platform.run(handler.actor, cases.list_cases, CaseFilter()).items[0].id
    platform.run(handler.actor, cases.change_status, case_id,
                 StatusChange(status=CaseStatus.CLOSED, outcome=Outcome.DUPLICATE))
    with platform.sessions() as s:
        sealed = s.execute(select(Incident.report_sealed)).scalar_one()
    return case_id, sealed


def _travel(platform: Platform, days: int) -> None:
    start = platform.clock()
    platform.clock = lambda: start + timedelta(days=days)


def _count(platform: Platform, model: type) -> int:
    with platform.sessions() as s:
        return int(s.execute(select(func.count()).select_from(model)).scalar_one())


def test_nothing_is_purged_before_its_time(platform: Platform, handler: Staff) -> None:
    _closed_case(platform, handler)
    _travel(platform, platform.settings.retention_closed_case_days - 1)
    assert platform.run(SYSTEM, retention.purge).cases == []
    assert _count(platform, Case) == 1


def test_dry_run_changes_nothing(platform: Platform, handler: Staff) -> None:
    _closed_case(platform, handler)
    _travel(platform, platform.settings.retention_closed_case_days + 1)
    report = platform.run(SYSTEM, retention.purge, True)
    assert len(report.cases) == 1 and _count(platform, Case) == 1


def test_expired_closed_case_is_gone_from_database_and_file_store(
        platform: Platform, handler: Staff) -> None:
    case_id, sealed = _closed_case(platform, handler)
    keys_before = _count(platform, DataKeyRow)
    _travel(platform, platform.settings.retention_closed_case_days + 1)
    report = platform.run(SYSTEM, retention.purge)
    assert len(report.cases) == 1
    assert _count(platform, Case) == _count(platform, Incident) == 0
    assert _count(platform, DataKeyRow) < keys_before
    assert platform.files.names() == []
    with platform.sessions() as s:
        events = s.execute(select(AuditEvent).where(
            AuditEvent.action == "retention.case_shredded")).scalars().all()
        assert [e.object_id for e in events] == [case_id]
    if platform.engine.dialect.name == "sqlite":
        platform.dispose()  # the last connection to close checkpoints the WAL
        data_dir = platform.settings.data_dir.parent
        for path in data_dir.glob("qalxan.db*"):
            assert sealed not in path.read_bytes(), path


def test_open_cases_are_never_purged(platform: Platform, handler: Staff) -> None:
    platform.run(DEFENDER, intake.submit_report, ReportSubmission(what_happened="open case"))
    _travel(platform, 10 * 365)
    assert platform.run(SYSTEM, retention.purge).cases == []
    assert _count(platform, Case) == 1


def test_old_sign_in_records_are_deleted(platform: Platform, handler: Staff) -> None:
    with pytest.raises(NotAuthenticated):
        platform.run(ANONYMOUS, auth.sign_in, handler.email, "wrong password entirely", "a")
    assert _count(platform, LoginAttempt) == 1
    _travel(platform, platform.settings.retention_login_attempts_days + 1)
    assert platform.run(SYSTEM, retention.purge).login_attempts == 1
    assert _count(platform, LoginAttempt) == 0


def _wrapped_keys(platform: Platform, case_id: str) -> list[bytes]:
    with platform.sessions() as s:
        return list(s.execute(select(DataKeyRow.wrapped)
                              .where(DataKeyRow.case_id == case_id)).scalars())


def _database_files(platform: Platform) -> dict[str, bytes]:
    database = platform.engine.url.database
    assert database
    return {path.name: path.read_bytes() for path in Path(database).parent.glob("qalxan.db*")
            if not path.name.endswith("-turn")}


@pytest.mark.parametrize("how", ["deletion", "retention"])
def test_after_a_shred_the_wal_no_longer_holds_the_wrapped_keys(
        platform: Platform, handler: Staff, admin: Staff, how: str) -> None:
    """Review finding 11: after a shred, the SQLite WAL still held the wrapped keys until a
    checkpoint and further writes; checked here while the engine is still open."""
    if platform.engine.dialect.name != "sqlite":
        pytest.skip("the write-ahead log checked here is SQLite's")
    case_id, _ = _closed_case(platform, handler)
    wrapped = _wrapped_keys(platform, case_id)
    assert wrapped and any(w in b"".join(_database_files(platform).values()) for w in wrapped)
    if how == "deletion":
        platform.run(admin.actor, cases.delete_case, case_id)
    else:
        _travel(platform, platform.settings.retention_closed_case_days + 1)
        assert len(platform.run(SYSTEM, retention.purge).cases) == 1
    files = _database_files(platform)  # the engine and its pooled connections stay open
    for name, data in files.items():
        for key in wrapped:
            assert key not in data, name
    assert files.get("qalxan.db-wal", b"") == b""
