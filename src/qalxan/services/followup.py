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
from qalxan.errors import NotFound
from qalxan.security.access import Permission
from qalxan.services import evidence as evidence_service
from qalxan.services.analysis import AnalysedText, analyse_and_store
from qalxan.services.cases import store_note
from qalxan.services.context import Context, service
from qalxan.services.intake import Upload
from qalxan.services.receipts import normalise
from qalxan.services.schemas import FollowupMessage
from qalxan.services.timeline import record
from qalxan.store.tables import Case, Note

NO_MATCH = "no report matches this receipt code"


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


def _case_by_receipt(ctx: Context, code: str, for_update: bool = False) -> Case:
    canonical = normalise(code)
    if canonical is None:
        raise NotFound(NO_MATCH)
    stmt = select(Case).where(Case.receipt_digest == ctx.keyring.receipt_digest(canonical))
    case = ctx.session.execute(stmt.with_for_update() if for_update else stmt).scalar_one_or_none()
    if case is None:
        raise NotFound(NO_MATCH)
    return case


@service(Permission.RECEIPT_FOLLOWUP)
def view_by_receipt(ctx: Context, code: str) -> FollowupView:
    case = _case_by_receipt(ctx, code)
    rows = ctx.session.execute(
        select(Note).where(Note.case_id == case.id,
                           Note.kind.in_([MessageKind.REPLY.value, MessageKind.DEFENDER.value]))
        .order_by(Note.created_at)).scalars()
    messages = [ThreadMessage(n.kind, ctx.vault.open_text(n.key_id, "note", n.id, n.body_sealed),
                              n.created_at) for n in rows]
    ctx.audit("case.followup_read", "case", case.id, org_id=case.org_id)
    return FollowupView(case.reference, case.status, case.created_at, messages)


@service(Permission.RECEIPT_FOLLOWUP)
def add_by_receipt(ctx: Context, code: str, message: FollowupMessage,
                   uploads: tuple[Upload, ...] = ()) -> None:
    case = _case_by_receipt(ctx, code, for_update=True)
    note_id = store_note(ctx, case.id, MessageKind.DEFENDER, message.text, None)
    for link in message.links:
        evidence_service.store_text(ctx, case, EvidenceKind.URL, link, TLP.AMBER)
    for upload in uploads:
        evidence_service.store_file(ctx, case, upload.filename, upload.media_type, upload.data)
    analyse_and_store(ctx, case.id, [AnalysedText(message.text)], AnalysisContext())
    case.updated_at = ctx.now()
    record(ctx, case.id, "defender.message", note_id=note_id)
    ctx.audit("case.followup_add", "case", case.id, org_id=case.org_id)
