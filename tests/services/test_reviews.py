"""The defender's review of the help received: given with the receipt code once the case is
resolved or closed, one per case and revisable, its comment sealed, shown to staff with the
case, and gone with the case when it is deleted or purged."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pydantic import ValidationError
from sqlalchemy import func, select

from qalxan.domain.enums import CaseStatus, Outcome
from qalxan.errors import Conflict, NotFound
from qalxan.security.access import DEFENDER, SYSTEM
from qalxan.services import cases, followup, intake, retention, reviews
from qalxan.services.context import Platform
from qalxan.services.schemas import ReportSubmission, ReviewInput, StatusChange
from qalxan.store.tables import AuditEvent, Case, DataKeyRow, DefenderReview
from tests.conftest import Staff

GOOD = ReviewInput(rating=4, answers={"timely": "yes", "safer": "partly"},
                   comment="The helpline answered within a day.")


def _report(platform: Platform) -> tuple[str, str]:
    receipt = platform.run(DEFENDER, intake.submit_report,
                           ReportSubmission(what_happened="They hacked my account"))
    with platform.sessions() as session:
        case_id = session.execute(select(Case.id)).scalar_one()
    return receipt.receipt_code, case_id


def _move(platform: Platform, case_id: str, status: CaseStatus,
          outcome: Outcome | None = None) -> None:
    platform.run(SYSTEM, cases.change_status, case_id, StatusChange(status=status,
                                                                    outcome=outcome))


@pytest.fixture
def closed(platform: Platform, intake_org: str) -> tuple[str, str]:
    code, case_id = _report(platform)
    _move(platform, case_id, CaseStatus.CLOSED, Outcome.SUPPORTED)
    return code, case_id


def _count(platform: Platform, model: type) -> int:
    with platform.sessions() as session:
        return int(session.execute(select(func.count()).select_from(model)).scalar_one())


def _actions(platform: Platform) -> list[str]:
    with platform.sessions() as session:
        return list(session.execute(select(AuditEvent.action).order_by(AuditEvent.seq))
                    .scalars())


def test_an_open_case_cannot_be_reviewed_yet(platform: Platform, intake_org: str) -> None:
    code, _ = _report(platform)
    with pytest.raises(Conflict):
        platform.run(DEFENDER, reviews.submit_review, code, GOOD)
    assert _count(platform, DefenderReview) == 0
    assert not platform.run(DEFENDER, followup.view_by_receipt, code).can_review


def test_a_closed_case_is_reviewed_and_staff_see_the_review(
        platform: Platform, closed: tuple[str, str], handler: Staff) -> None:
    code, case_id = closed
    assert platform.run(DEFENDER, followup.view_by_receipt, code).can_review
    assert platform.run(DEFENDER, reviews.submit_review, code, GOOD) is False
    detail = platform.run(handler.actor, cases.get_case, case_id)
    assert detail.review is not None and detail.review.rating == 4
    assert detail.review.answers == {"safer": "partly", "timely": "yes"}
    assert detail.review.comment == GOOD.comment
    assert [t["data"] for t in detail.timeline if t["kind"] == "review.submitted"] == \
        [{"rating": "4"}]
    assert "case.review_submitted" in _actions(platform)
    with platform.sessions() as session:
        sealed = session.execute(select(DefenderReview.comment_sealed)).scalar_one()
    assert GOOD.comment.encode() not in sealed


def test_the_defender_revises_their_one_review(platform: Platform,
                                               closed: tuple[str, str]) -> None:
    code, _ = closed
    platform.run(DEFENDER, reviews.submit_review, code, GOOD)
    first = platform.run(DEFENDER, reviews.review_by_receipt, code)
    later = platform.clock() + timedelta(days=2)
    platform.clock = lambda: later
    revised = ReviewInput(rating=2, answers={"recommend": "no"})
    assert platform.run(DEFENDER, reviews.submit_review, code, revised) is True
    again = platform.run(DEFENDER, followup.view_by_receipt, code).review
    assert _count(platform, DefenderReview) == 1
    assert first is not None and again is not None
    assert (again.rating, again.answers, again.comment) == (2, {"recommend": "no"}, "")
    # a defender's writes are stamped to the minute (services/stamps.py)
    assert again.created_at == first.created_at
    assert again.updated_at == later.replace(second=0, microsecond=0)
    assert "case.review_revised" in _actions(platform)


def test_a_reopened_case_keeps_its_review_but_takes_no_revision(
        platform: Platform, closed: tuple[str, str]) -> None:
    code, case_id = closed
    platform.run(DEFENDER, reviews.submit_review, code, GOOD)
    _move(platform, case_id, CaseStatus.OPEN)
    with pytest.raises(Conflict):
        platform.run(DEFENDER, reviews.submit_review, code, ReviewInput(rating=1))
    kept = platform.run(DEFENDER, reviews.review_by_receipt, code)
    assert kept is not None and kept.rating == 4


def test_a_wrong_receipt_code_reviews_nothing(platform: Platform,
                                              closed: tuple[str, str]) -> None:
    for code in ("", "not a code", "00000-00000-00000-00000"):
        with pytest.raises(NotFound):
            platform.run(DEFENDER, reviews.submit_review, code, GOOD)
    assert _count(platform, DefenderReview) == 0


@pytest.mark.parametrize("values", [
    {"rating": 0}, {"rating": 6}, {"rating": 3, "answers": {"timely": "maybe"}},
    {"rating": 3, "answers": {"recommend": "partly"}}, {"rating": 3, "answers": {"mood": "yes"}},
    {"rating": 3, "comment": "x" * 5001}, {"rating": 3, "extra": "field"},
])
def test_reviews_outside_the_questions_are_refused(values: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        ReviewInput.model_validate(values)


def test_deleting_the_case_deletes_its_review_and_key(
        platform: Platform, closed: tuple[str, str], admin: Staff) -> None:
    code, case_id = closed
    platform.run(DEFENDER, reviews.submit_review, code, GOOD)
    with platform.sessions() as session:
        key_id = session.execute(select(DefenderReview.key_id)).scalar_one()
    platform.run(admin.actor, cases.delete_case, case_id)
    assert _count(platform, DefenderReview) == 0
    with platform.sessions() as session:
        assert session.get(DataKeyRow, key_id) is None


def test_the_purge_takes_the_review_with_the_expired_case(
        platform: Platform, closed: tuple[str, str]) -> None:
    code, _ = closed
    platform.run(DEFENDER, reviews.submit_review, code, GOOD)
    later = platform.clock() + timedelta(days=platform.settings.retention_closed_case_days + 1)
    platform.clock = lambda: later
    assert len(platform.run(SYSTEM, retention.purge).cases) == 1
    assert _count(platform, DefenderReview) == 0
    with pytest.raises(NotFound):
        platform.run(DEFENDER, reviews.review_by_receipt, code)
