"""The audit trail records every read and change, holds no content, and detects tampering."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select, update

from qalxan.errors import NotFound
from qalxan.security import audit
from qalxan.security.access import DEFENDER, SYSTEM
from qalxan.services import audit_log, cases, intake
from qalxan.services.context import Platform
from qalxan.services.schemas import CaseFilter, ReportSubmission
from qalxan.store.tables import AuditEvent
from tests.conftest import Staff

SECRET = "my neighbour Ali reported me"


def _seed(platform: Platform, handler: Staff) -> str:
    platform.run(DEFENDER, intake.submit_report, ReportSubmission(what_happened=SECRET))
    case_id = platform.run(handler.actor, cases.list_cases, CaseFilter()).items[0].id
    platform.run(handler.actor, cases.get_case, case_id)
    return case_id


def _actions(platform: Platform) -> list[str]:
    with platform.sessions() as s:
        return list(s.execute(select(AuditEvent.action).order_by(AuditEvent.seq)).scalars())


def test_reads_and_changes_are_recorded_without_content(platform: Platform,
                                                        handler: Staff) -> None:
    _seed(platform, handler)
    actions = _actions(platform)
    assert {"case.create", "case.list", "case.read"} <= set(actions)
    with platform.sessions() as s:
        rows = s.execute(select(AuditEvent)).scalars().all()
        assert all(SECRET not in repr(r.details) for r in rows)
    assert platform.run(SYSTEM, audit_log.verify_chain).ok


def test_editing_any_event_breaks_verification(platform: Platform, handler: Staff) -> None:
    _seed(platform, handler)
    with platform.sessions() as s, s.begin():
        s.execute(update(AuditEvent).where(AuditEvent.seq == 2).values(actor="user:someone"))
    result = platform.run(SYSTEM, audit_log.verify_chain)
    assert not result.ok and result.first_bad_seq == 2


def test_removing_an_event_breaks_verification(platform: Platform, handler: Staff) -> None:
    _seed(platform, handler)
    with platform.sessions() as s, s.begin():
        s.execute(delete(AuditEvent).where(AuditEvent.seq == 3))
    result = platform.run(SYSTEM, audit_log.verify_chain)
    assert not result.ok and result.first_bad_seq == 3


def test_removing_the_newest_events_breaks_verification(platform: Platform,
                                                        handler: Staff) -> None:
    _seed(platform, handler)
    with platform.sessions() as s, s.begin():
        last = s.execute(select(AuditEvent.seq).order_by(AuditEvent.seq.desc())).scalars().first()
        s.execute(delete(AuditEvent).where(AuditEvent.seq == last))
    with platform.sessions() as s:
        assert not audit.verify(s, platform.keyring).ok


def test_denied_access_is_recorded(platform: Platform, handler: Staff) -> None:
    with pytest.raises(NotFound):
        platform.run(handler.actor, cases.get_case, "00000000-0000-0000-0000-000000000000")
    assert "case.denied" in _actions(platform)
