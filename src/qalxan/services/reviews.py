"""The defender's review of the help received, given with the receipt code once the case is
resolved or closed; one per case, which the defender may revise until the case is deleted or
purged (the row goes with the case, and its key is one of the case's keys, shredded with it).

The rating and answers are codes; the comment is sealed like the defender's other words. The
timeline and the audit trail record that a review was given or revised, never its words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from qalxan.domain.review import may_review
from qalxan.errors import Conflict
from qalxan.security.access import Permission
from qalxan.services.context import Context, as_utc, service
from qalxan.services.receipt_access import case_by_receipt
from qalxan.services.schemas import ReviewInput
from qalxan.services.timeline import record
from qalxan.store.tables import Case, DefenderReview, new_id

NOT_YET = "a review can be given once the case is resolved or closed"


@dataclass(frozen=True, slots=True)
class ReviewView:
    rating: int
    answers: dict[str, str]
    comment: str
    created_at: datetime
    updated_at: datetime


def review_of(ctx: Context, case_id: str) -> ReviewView | None:
    """The case's review, opened (for a caller that has already been allowed to see it)."""
    row = ctx.session.execute(select(DefenderReview).where(DefenderReview.case_id == case_id)
                              ).scalar_one_or_none()
    if row is None:
        return None
    comment = ctx.vault.open_row_text("review", row, "comment_sealed")
    return ReviewView(row.rating, dict(row.answers), comment, as_utc(row.created_at),
                      as_utc(row.updated_at))


@service(Permission.RECEIPT_FOLLOWUP)
def review_by_receipt(ctx: Context, code: str) -> ReviewView | None:
    """The defender's own review, to show it in the form again for revision."""
    case = case_by_receipt(ctx, code)
    ctx.audit("case.review_read", "case", case.id, org_id=case.org_id)
    return review_of(ctx, case.id)


@service(Permission.RECEIPT_FOLLOWUP)
def submit_review(ctx: Context, code: str, data: ReviewInput) -> bool:
    """Store or revise the case's review; True when it revised an earlier one."""
    ctx.record_to_the_minute()
    case = case_by_receipt(ctx, code, for_update=True)
    ctx.record_to_the_minute(not_before=case.updated_at)
    if not may_review(case.status):
        raise Conflict(NOT_YET)
    row = ctx.session.execute(select(DefenderReview).where(DefenderReview.case_id == case.id)
                              ).scalar_one_or_none()
    revised = row is not None
    if row is None:
        row = DefenderReview(id=new_id(), case_id=case.id, key_id=ctx.vault.new_key(case.id),
                             created_at=ctx.now())
        ctx.session.add(row)
    _fill(ctx, row, data)
    event = "review.revised" if revised else "review.submitted"
    _touch(ctx, case, event, rating=str(data.rating))
    return revised


def _fill(ctx: Context, row: DefenderReview, data: ReviewInput) -> None:
    row.rating = data.rating
    row.answers = dict(data.answers)
    row.comment_sealed = ctx.vault.seal_text(row.key_id, "review", row.id, data.comment,
                                             {"case_id": row.case_id})
    row.updated_at = ctx.now()


def _touch(ctx: Context, case: Case, event: str, **data: str) -> None:
    record(ctx, case.id, event, **data)
    ctx.audit(f"case.{event.replace('.', '_')}", "case", case.id, org_id=case.org_id)
