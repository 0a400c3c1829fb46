"""A defender's follow-up with the receipt code alone: read replies, add information.

A wrong, malformed or expired code gets the same answer as a code that never existed, and
the defender sees only replies meant for them, never internal notes or findings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from qalxan.analysis.message import AnalysisContext
from qalxan.domain.enums import TLP, EvidenceKind, MessageKind
from qalxan.domain.review import may_review
from qalxan.security.access import Permission
from qalxan.services import evidence as evidence_service
from qalxan.services.analysis import AnalysedText, analyse_and_store
from qalxan.services.cases import store_note
from qalxan.services.context import Context, service
from qalxan.services.intake import Upload
from qalxan.services.receipt_access import NO_MATCH as NO_MATCH
from qalxan.services.receipt_access import case_by_receipt
from qalxan.services.reviews import ReviewView, review_of
from qalxan.services.schemas import FollowupMessage
from qalxan.services.timeline import record
from qalxan.store.tables import Note


@dataclass(frozen=True, slots=True)
class ThreadMessage:
    kind: str  # "reply" (from the helpdesk) or "defender"
    text: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class FollowupView:
    case_reference: str
    status: str
    created_at: datetime
    messages: list[ThreadMessage]
    can_review: bool = False  # resolved or closed: the defender may review the help
    review: ReviewView | None = None  # their review so far, to revise


@service(Permission.RECEIPT_FOLLOWUP)
def view_by_receipt(ctx: Context, code: str) -> FollowupView:
    case = case_by_receipt(ctx, code)
    rows = ctx.session.execute(
        select(Note).where(Note.case_id == case.id,
                           Note.kind.in_([MessageKind.REPLY.value, MessageKind.DEFENDER.value]))
        .order_by(Note.created_at)).scalars()
    messages = [ThreadMessage(n.kind, ctx.vault.open_row_text("note", n, "body_sealed"),
                              n.created_at) for n in rows]
    ctx.audit("case.followup_read", "case", case.id, org_id=case.org_id)
    return FollowupView(case.reference, case.status, case.created_at, messages,
                        may_review(case.status), review_of(ctx, case.id))


@service(Permission.RECEIPT_FOLLOWUP)
def add_by_receipt(ctx: Context, code: str, message: FollowupMessage,
                   uploads: tuple[Upload, ...] = ()) -> None:
    ctx.record_to_the_minute()
    case = case_by_receipt(ctx, code, for_update=True)
    ctx.record_to_the_minute(not_before=case.updated_at)
    note_id = store_note(ctx, case.id, MessageKind.DEFENDER, message.text, None)
    for link in message.links:
        evidence_service.store_text(ctx, case, EvidenceKind.URL, link, TLP.AMBER)
    for upload in uploads:
        evidence_service.store_file(ctx, case, upload.filename, upload.media_type, upload.data)
    analyse_and_store(ctx, case.id, [AnalysedText(message.text)], AnalysisContext())
    case.updated_at = ctx.now()
    record(ctx, case.id, "defender.message", note_id=note_id)
    ctx.audit("case.followup_add", "case", case.id, org_id=case.org_id)
