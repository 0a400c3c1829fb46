"""Deleting a case for good: rows, data keys (crypto-shredding) and, after commit, the files."""

from __future__ import annotations

import functools

from sqlalchemy import delete, func, select

from qalxan.services.context import Context
from qalxan.store.tables import Case, Defender, Evidence


def delete_case_rows(ctx: Context, case: Case) -> None:
    blobs = [name for name in ctx.session.execute(
        select(Evidence.blob_name).where(Evidence.case_id == case.id)).scalars() if name]
    defender_id = case.defender_id
    ctx.session.delete(case)
    ctx.session.flush()
    others = ctx.session.execute(select(func.count()).select_from(Case)
                                 .where(Case.defender_id == defender_id)).scalar_one()
    if others == 0:
        ctx.session.execute(delete(Defender).where(Defender.id == defender_id))
    ctx.vault.shred_case(case.id)
    for name in blobs:
        ctx.after_commit(functools.partial(ctx.vault.delete_blob, name))
