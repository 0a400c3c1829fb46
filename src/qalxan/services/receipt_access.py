"""A defender's way to their case: the receipt code. A wrong, malformed or unknown code gets
one answer, so codes cannot be told apart by probing."""

from __future__ import annotations

from sqlalchemy import select

from qalxan.errors import NotFound
from qalxan.services.context import Context
from qalxan.services.receipts import normalise
from qalxan.store.tables import Case

NO_MATCH = "no report matches this receipt code"


def case_by_receipt(ctx: Context, code: str, for_update: bool = False) -> Case:
    """The case a receipt code belongs to (called by services that declared their permission)."""
    canonical = normalise(code)
    if canonical is None:
        raise NotFound(NO_MATCH)
    stmt = select(Case).where(Case.receipt_digest == ctx.keyring.receipt_digest(canonical))
    case = ctx.session.execute(stmt.with_for_update() if for_update else stmt).scalar_one_or_none()
    if case is None:
        raise NotFound(NO_MATCH)
    return case
