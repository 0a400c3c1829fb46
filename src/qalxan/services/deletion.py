"""Deleting a case for good: rows, data keys (crypto-shredding) and, after commit, the files.

A defender's details are sealed with a key of the case they first came with. When that case
goes while the defender has other cases (a later report, an incident raised by monitoring),
the details are sealed again with a new key of the oldest remaining case first, so they live
exactly as long as the defender's last case.

Once a deletion is committed, the case's id goes into the shred ledger
(``qalxan.security.keyfiles``), so a restore of an older backup deletes the case again.
"""

from __future__ import annotations

import functools

from sqlalchemy import delete, select

from qalxan.security import keyfiles
from qalxan.services.context import Context
from qalxan.store.tables import Case, DataKeyRow, Defender, Evidence


def delete_case_rows(ctx: Context, case: Case, ledger: bool = True) -> None:
    """Delete a case's rows, shred its keys and, after commit, its files; ``ledger``: note
    the deletion in the shred ledger (a restore that deletes a case again has it already)."""
    if ledger:  # first of the actions after commit: the one a restore relies on
        ctx.after_commit(functools.partial(keyfiles.record_shredded, ctx.settings, "case",
                                           case.id, ctx.now().date()))
    blobs = [name for name in ctx.session.execute(
        select(Evidence.blob_name).where(Evidence.case_id == case.id)).scalars() if name]
    defender_id = case.defender_id
    ctx.session.delete(case)
    ctx.session.flush()
    heir = ctx.session.execute(select(Case.id).where(Case.defender_id == defender_id)
                               .order_by(Case.created_at).limit(1)).scalar()
    if heir is None:
        ctx.session.execute(delete(Defender).where(Defender.id == defender_id))
    else:
        _keep_defender(ctx, ctx.session.get_one(Defender, defender_id), case.id, heir)
    ctx.vault.shred_case(case.id)
    for name in blobs:
        ctx.after_commit(functools.partial(ctx.vault.delete_blob, name))


def _keep_defender(ctx: Context, defender: Defender, leaving: str, heir: str) -> None:
    """Re-seal the defender's details under a key of ``heir`` if ``leaving`` owns their key."""
    owner = ctx.session.execute(select(DataKeyRow.case_id)
                                .where(DataKeyRow.id == defender.key_id)).scalar()
    if owner != leaving:
        return
    identity = ctx.vault.open_defender_identity(defender)
    contact = ctx.vault.open_defender_contact(defender)
    defender.key_id = ctx.vault.new_key(heir)
    defender.identity_sealed, defender.contact_sealed = ctx.vault.seal_defender(
        defender.key_id, defender.id, defender.org_id, identity, contact)
    ctx.session.flush()
