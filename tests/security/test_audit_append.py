"""Appending to the audit chain: every event of a call, in order, in the call's transaction."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from qalxan.security.access import SYSTEM, Permission
from qalxan.services import audit_log
from qalxan.services.context import Context, Platform, service
from qalxan.store.tables import AuditEvent, AuditHead


@service(Permission.SYSTEM)
def _record(ctx: Context, count: int, fail: bool = False) -> None:
    for n in range(count):
        ctx.audit("test.event", "case", None, n=str(n))
    if fail:
        raise RuntimeError("the call fails after recording its events")


def _events(platform: Platform) -> list[tuple[int, str]]:
    with platform.sessions() as s:
        return [(row.seq, row.details["n"]) for row in s.execute(
            select(AuditEvent).where(AuditEvent.action == "test.event")
            .order_by(AuditEvent.seq)).scalars()]


@pytest.mark.parametrize("count", [1, 3, 250])  # 250: more than one statement's worth
def test_every_event_of_a_call_is_chained_in_order(platform: Platform, count: int) -> None:
    platform.run(SYSTEM, _record, 2)
    platform.run(SYSTEM, _record, count)
    events = _events(platform)
    assert [n for _, n in events] == ["0", "1", *[str(n) for n in range(count)]]
    seqs = [seq for seq, _ in events]
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))
    with platform.sessions() as s:
        head = s.get(AuditHead, 1)
        newest = s.execute(select(func.max(AuditEvent.seq))).scalar_one()
        assert head is not None and head.seq == newest
    assert platform.run(SYSTEM, audit_log.verify_chain).ok


def test_a_failed_call_appends_nothing(platform: Platform) -> None:
    platform.run(SYSTEM, _record, 1)
    with pytest.raises(RuntimeError):
        platform.run(SYSTEM, _record, 5, fail=True)
    assert [n for _, n in _events(platform)] == ["0"]
    assert platform.run(SYSTEM, audit_log.verify_chain).ok
