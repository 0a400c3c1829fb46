"""Case work: workflow, assignment, referrals, deletion by crypto-shredding."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from qalxan.domain.enums import CaseStatus, Outcome, Role
from qalxan.errors import (
    InvalidInput,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    ReferralRequired,
)
from qalxan.security.access import DEFENDER
from qalxan.services import cases, intake
from qalxan.services.context import Platform
from qalxan.services.schemas import (
    Assignment,
    CaseFilter,
    NoteInput,
    ReferralInput,
    ReportSubmission,
    StatusChange,
)
from qalxan.store.tables import Case, DataKeyRow, Defender, Note
from tests.conftest import Staff, StaffFactory

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def new_case(platform: Platform, staff: Staff, text: str = "They threaten me.") -> str:
    receipt = platform.run(DEFENDER, intake.submit_report, ReportSubmission(what_happened=text),
                           (intake.Upload("a.png", "image/png", PNG),))
    # a defender's case is stamped to the minute: cases of one minute are told apart by
    # their reference, not their time
    queue = platform.run(staff.actor, cases.list_cases, CaseFilter(limit=200)).items
    return next(c.id for c in queue if c.reference == receipt.case_reference)


def move(platform: Platform, staff: Staff, case_id: str, status: CaseStatus,
         outcome: Outcome | None = None) -> cases.CaseSummary:
    return platform.run(staff.actor, cases.change_status, case_id, StatusChange(
        status=status, outcome=outcome))


def test_full_workflow_is_on_the_timeline(platform: Platform, handler: Staff) -> None:
    case_id = new_case(platform, handler)
    for status in (CaseStatus.TRIAGE, CaseStatus.OPEN, CaseStatus.WAITING, CaseStatus.OPEN):
        move(platform, handler, case_id, status)
    move(platform, handler, case_id, CaseStatus.RESOLVED, Outcome.SUPPORTED)
    closed = move(platform, handler, case_id, CaseStatus.CLOSED)
    assert closed.status == "closed"
    detail = platform.run(handler.actor, cases.get_case, case_id)
    assert detail.outcome == "supported"
    moves = [(t["data"]["from"], t["data"]["to"]) for t in detail.timeline
             if t["kind"] == "case.status"]
    assert moves == [("new", "triage"), ("triage", "open"), ("open", "waiting"),
                     ("waiting", "open"), ("open", "resolved"), ("resolved", "closed")]


def test_invalid_transition_changes_nothing(platform: Platform, handler: Staff) -> None:
    case_id = new_case(platform, handler)
    with pytest.raises(InvalidTransition):
        move(platform, handler, case_id, CaseStatus.RESOLVED, Outcome.SUPPORTED)
    detail = platform.run(handler.actor, cases.get_case, case_id)
    assert detail.summary.status == "new"
    assert [t["kind"] for t in detail.timeline] == ["case.created"]


def test_out_of_mandate_needs_a_referral(platform: Platform, handler: Staff) -> None:
    case_id = new_case(platform, handler)
    with pytest.raises(ReferralRequired):
        move(platform, handler, case_id, CaseStatus.CLOSED, Outcome.OUT_OF_MANDATE)
    platform.run(handler.actor, cases.add_referral, case_id,
                 ReferralInput(mechanism="Digital Defenders Partnership"))
    assert move(platform, handler, case_id, CaseStatus.CLOSED,
                Outcome.OUT_OF_MANDATE).status == "closed"


def test_assignment_only_to_someone_who_can_see_the_case(
        platform: Platform, handler: Staff, make_staff: StaffFactory, other_org: str) -> None:
    case_id = new_case(platform, handler)
    outsider = make_staff(Role.CASE_HANDLER, other_org)
    with pytest.raises(InvalidInput):
        platform.run(handler.actor, cases.assign, case_id, Assignment(assignee_id=outsider.id))
    summary = platform.run(handler.actor, cases.assign, case_id,
                           Assignment(assignee_id=handler.id))
    assert summary.assignee_id == handler.id


def test_queue_orders_by_risk_then_waiting_time(platform: Platform, handler: Staff) -> None:
    for urgency in ("low", "critical", "medium"):
        platform.run(DEFENDER, intake.submit_report, ReportSubmission.model_validate(
            {"what_happened": "x", "urgency": urgency}))
    page = platform.run(handler.actor, cases.list_cases, CaseFilter())
    assert [c.urgency for c in page.items] == ["critical", "medium", "low"]
    assert page.total == 3


def test_deleting_a_case_shreds_its_keys_and_files(platform: Platform, admin: Staff) -> None:
    case_id = new_case(platform, admin)
    platform.run(admin.actor, cases.add_note, case_id, NoteInput(text="n"))
    assert platform.files.names()
    platform.run(admin.actor, cases.delete_case, case_id)
    with platform.sessions() as s:
        assert s.execute(select(DataKeyRow).where(DataKeyRow.case_id == case_id)).first() is None
        assert s.execute(select(Note)).first() is None
        assert s.execute(select(Defender)).first() is None
        assert s.get(Case, case_id) is None
    assert platform.files.names() == []
    with pytest.raises(NotFound):
        platform.run(admin.actor, cases.get_case, case_id)


def test_handlers_cannot_delete(platform: Platform, handler: Staff) -> None:
    case_id = new_case(platform, handler)
    with pytest.raises(PermissionDenied):
        platform.run(handler.actor, cases.delete_case, case_id)
