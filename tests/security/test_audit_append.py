"""Appending to the audit chain: every event of a call, in order, in the call's transaction."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from qalxan.security import audit
from qalxan.security.access import SYSTEM, Permission
from qalxan.services import audit_log
from qalxan.services.context import Context, Platform, service
from qalxan.store.tables import AuditEvent, AuditHead
from tests.conftest import Staff, TokenFactory, bearer


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


PROBE = "x' OR 1=1; DROP TABLE cases; --" + "A" * 8000


def _all_events(platform: Platform) -> list[AuditEvent]:
    with platform.sessions() as s:
        return list(s.execute(select(AuditEvent).order_by(AuditEvent.seq)).scalars())


def test_unknown_case_id_in_a_url_is_not_written_into_the_audit_trail(
        client: TestClient, platform: Platform, intake_org: str, handler: Staff,
        make_token: TokenFactory) -> None:
    """Review finding 19c: an id from a URL that is not a record id is refused before any
    look-up, and its denial is audited with ids and codes only, never the text sent."""
    headers = bearer(make_token(handler))
    for path in (f"/api/v1/cases/{quote(PROBE)}", f"/api/v1/evidence/{quote(PROBE)}",
                 f"/api/v1/cases/{quote(PROBE)}/evidence"):
        r = (client.get(path, headers=headers) if not path.endswith("/evidence") else
             client.post(path, headers=headers, json={"kind": "text", "content": "x"}))
        assert r.status_code == 404, path
    events = _all_events(platform)
    denied = [e for e in events if e.action == "case.denied"]
    assert denied and all(e.object_id is None for e in denied)
    assert all(e.details == {"object_id": "malformed"} for e in denied)
    for e in events:
        stored = f"{e.actor} {e.org_id} {e.action} {e.object_type} {e.object_id} {e.details}"
        assert "DROP" not in stored and "AAAA" not in stored
    assert platform.run(SYSTEM, audit_log.verify_chain).ok


@service(Permission.SYSTEM)
def _record_as_given(ctx: Context, object_id: str, **details: str) -> None:
    ctx.audit("test.event", "case", object_id, **details)


def test_no_caller_can_write_free_text_into_an_audit_events_id_fields(
        platform: Platform) -> None:
    """Review finding 19c: the audit module itself keeps id fields to ids and details to
    codes, whatever a service passes; an event built by hand that does not fit is refused."""
    platform.run(SYSTEM, _record_as_given, PROBE, case_id=PROBE, note="free text: é\n<b>",
                 count="12")
    newest = _all_events(platform)[-1]
    assert newest.object_id is None
    assert newest.details == {"case_id": "malformed", "note": "malformed", "count": "12",
                              "object_id": "malformed"}
    case_id = str(uuid.uuid4())
    platform.run(SYSTEM, _record_as_given, case_id, case_id=case_id)
    assert _all_events(platform)[-1].object_id == case_id
    forged = audit.PendingEvent("system", None, "test.event", "case", PROBE, {})
    with platform.sessions() as s, s.begin(), pytest.raises(ValueError, match="object id"):
        audit.append(s, platform.keyring, [forged], datetime.now(UTC))
