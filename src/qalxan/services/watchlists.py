"""Watch-lists: the defenders an organisation watches public sources for.

An entry's names, handles, aliases and contact details are sealed with the entry's own data
key; lists show only a pseudonymous label. Removing an entry destroys its key and those of
the posts and alerts kept about it (crypto-shredding), and deletes their rows.

The identity rule of the case file holds here too (``sees_defender_identity``): an entry's
names, aliases (other spellings of the names, nicknames), phone numbers, e-mail and postal
addresses identify the defender, and only the roles that answer defenders read them. The
others, analysts among them, keep the watch-list with the pseudonymous label, the handles
(public account names, which the monitor matches exactly and which the posts and sources
show anyway), the region, and the alerts; they may write the withheld fields, never read
them back.
"""

from __future__ import annotations

import functools
from typing import Any

from sqlalchemy import func, select

from qalxan.analysis.message import WatchedDefender
from qalxan.domain.enums import AlertStatus
from qalxan.errors import InvalidInput, PermissionDenied
from qalxan.monitoring.watchlist import check_entry
from qalxan.security import keyfiles
from qalxan.security.access import Permission, sees_defender_identity
from qalxan.services.context import Context, service
from qalxan.services.guard import org_object, visible_case
from qalxan.services.monitoring_schemas import (
    WatchEntryInput,
    WatchEntrySummary,
    WatchEntryView,
)
from qalxan.services.receipts import new_pseudonym
from qalxan.store.tables import Alert, Defender, MonitoredPost, WatchEntry, new_id

PURPOSE = "watch-entry"
DETAIL_FIELDS = ("names", "handles", "aliases", "phones", "emails", "addresses", "region")
#: The fields that identify the defender: shown only to those who may read an identity.
IDENTITY_FIELDS = ("names", "aliases", "phones", "emails", "addresses")


def _org(ctx: Context) -> str:
    if ctx.actor.org_id is None:
        raise PermissionDenied("an organisation's watch-list needs an actor of that organisation")
    return ctx.actor.org_id


def _details(ctx: Context, data: WatchEntryInput,
             stored: dict[str, Any] | None = None) -> dict[str, Any]:
    """What is sealed; refused (``InvalidInput``, naming the field, never the value) when a
    name or alias has no letters or a handle no user name: the matcher could not use it, or
    when nothing is left to match. For an actor who may not read the identity, an identity
    field left empty keeps what is ``stored``."""
    details = data.model_dump(include=set(DETAIL_FIELDS))
    check_entry(WatchedDefender(defender_id="new entry", names=tuple(data.names),
                                handles=tuple(data.handles), aliases=tuple(data.aliases)))
    if stored is not None and not sees_defender_identity(ctx.actor):
        details.update({f: stored[f] for f in IDENTITY_FIELDS if not details[f]})
    if not (details["names"] or details["handles"] or details["aliases"]):
        raise InvalidInput("give at least one name, handle or alias to watch for")
    return details


def _defender_of(ctx: Context, data: WatchEntryInput) -> str | None:
    if data.case_id is None:
        return None
    return visible_case(ctx, data.case_id).defender_id


@service(Permission.WATCHLIST_MANAGE)
def add_entry(ctx: Context, data: WatchEntryInput, org_id: str | None = None) -> WatchEntryView:
    """Add a defender to the watch-list (``org_id`` only for the system actor)."""
    org = org_id if ctx.actor.kind == "system" and org_id else _org(ctx)
    entry_id, now = new_id(), ctx.now()
    key_id = ctx.vault.new_key(None)
    entry = WatchEntry(
        id=entry_id, org_id=org, defender_id=_defender_of(ctx, data),
        label=new_pseudonym().replace("Defender", "Watched"), is_active=data.active,
        key_id=key_id, details_sealed=ctx.vault.seal_json(key_id, PURPOSE, entry_id,
                                                          _details(ctx, data), {"org_id": org}),
        created_by=ctx.actor.label, created_at=now, updated_at=now)
    ctx.session.add(entry)
    ctx.audit("watchlist.add", "watch_entry", entry_id, org_id=org)
    return _view(ctx, entry)


@service(Permission.WATCHLIST_READ)
def list_entries(ctx: Context, org_id: str | None = None) -> list[WatchEntrySummary]:
    org = org_id if ctx.actor.kind == "system" and org_id else _org(ctx)
    entries = ctx.session.execute(select(WatchEntry).where(WatchEntry.org_id == org)
                                  .order_by(WatchEntry.created_at)).scalars().all()
    open_alerts = _open_alerts(ctx, [e.id for e in entries])
    ctx.audit("watchlist.list", "watch_entry", None, org_id=org)
    return [_summary(e, open_alerts.get(e.id, 0)) for e in entries]


@service(Permission.WATCHLIST_READ)
def get_entry(ctx: Context, entry_id: str) -> WatchEntryView:
    entry = org_object(ctx, WatchEntry, entry_id, "watch_entry")
    ctx.audit("watchlist.read", "watch_entry", entry.id, org_id=entry.org_id,
              identity="shown" if sees_defender_identity(ctx.actor) else "withheld")
    return _view(ctx, entry)


@service(Permission.WATCHLIST_MANAGE)
def update_entry(ctx: Context, entry_id: str, data: WatchEntryInput) -> WatchEntryView:
    """Replace what is watched for (the entry keeps its key, label and alerts); an actor who
    may not read the identity replaces only the identity fields they fill in."""
    entry = org_object(ctx, WatchEntry, entry_id, "watch_entry")
    stored = ctx.vault.open_row_json(PURPOSE, entry, "details_sealed")
    entry.details_sealed = ctx.vault.seal_json(entry.key_id, PURPOSE, entry.id,
                                               _details(ctx, data, stored),
                                               {"org_id": entry.org_id})
    entry.is_active = data.active
    if data.case_id is not None:
        entry.defender_id = _defender_of(ctx, data)
    entry.updated_at = ctx.now()
    ctx.audit("watchlist.update", "watch_entry", entry.id, org_id=entry.org_id)
    return _view(ctx, entry)


@service(Permission.WATCHLIST_MANAGE)
def remove_entry(ctx: Context, entry_id: str) -> None:
    """Remove an entry with the posts and alerts kept about it, destroying their keys.
    Incidents already made from its alerts stay on their cases."""
    entry = org_object(ctx, WatchEntry, entry_id, "watch_entry")
    delete_entry_rows(ctx, entry)
    ctx.audit("watchlist.remove", "watch_entry", entry_id, org_id=entry.org_id)


def delete_entry_rows(ctx: Context, entry: WatchEntry, ledger: bool = True) -> None:
    """Delete an entry with its posts and alerts, shredding their keys; ``ledger``: note it
    in the shred ledger once committed, so a restore of an older backup deletes it again."""
    if ledger:
        ctx.after_commit(functools.partial(keyfiles.record_shredded, ctx.settings,
                                           "watch_entry", entry.id, ctx.now().date()))
    keys = [entry.key_id]
    keys += ctx.session.execute(select(MonitoredPost.key_id)
                                .where(MonitoredPost.entry_id == entry.id)).scalars().all()
    keys += ctx.session.execute(select(Alert.key_id)
                                .where(Alert.entry_id == entry.id)).scalars().all()
    ctx.session.delete(entry)
    ctx.session.flush()
    ctx.vault.shred_keys(keys)


def watched_defenders(ctx: Context, org_id: str) -> list[tuple[WatchEntry, WatchedDefender]]:
    """The active entries of an organisation, opened for matching (the monitor's use)."""
    entries = ctx.session.execute(
        select(WatchEntry).where(WatchEntry.org_id == org_id, WatchEntry.is_active.is_(True))
        .order_by(WatchEntry.created_at)).scalars().all()
    return [(e, watched_defender(ctx, e)) for e in entries]


def watched_defender(ctx: Context, entry: WatchEntry) -> WatchedDefender:
    details = ctx.vault.open_row_json(PURPOSE, entry, "details_sealed")
    return WatchedDefender(
        defender_id=entry.id, names=tuple(details["names"]), handles=tuple(details["handles"]),
        aliases=tuple(details["aliases"]), phones=tuple(details["phones"]),
        emails=tuple(details["emails"]), addresses=tuple(details["addresses"]),
        region=details["region"])


def _open_alerts(ctx: Context, entry_ids: list[str]) -> dict[str, int]:
    if not entry_ids:
        return {}
    rows = ctx.session.execute(
        select(Alert.entry_id, func.count()).where(Alert.entry_id.in_(entry_ids),
                                                   Alert.status == AlertStatus.OPEN.value)
        .group_by(Alert.entry_id)).all()
    return {entry_id: int(count) for entry_id, count in rows}


def _summary(entry: WatchEntry, open_alerts: int) -> WatchEntrySummary:
    return WatchEntrySummary(id=entry.id, label=entry.label, active=entry.is_active,
                             defender_id=entry.defender_id, open_alerts=open_alerts,
                             created_at=entry.created_at)


def _view(ctx: Context, entry: WatchEntry) -> WatchEntryView:
    """The entry as the actor may see it: without the identity fields unless their role
    may read a defender's identity."""
    details = ctx.vault.open_row_json(PURPOSE, entry, "details_sealed")
    summary = _summary(entry, _open_alerts(ctx, [entry.id]).get(entry.id, 0))
    shown = sees_defender_identity(ctx.actor)
    withheld = [] if shown else [f for f in IDENTITY_FIELDS if details[f]]
    if not shown:
        details.update({f: [] for f in IDENTITY_FIELDS})
    return WatchEntryView(**summary.model_dump(), **details, identity_shown=shown,
                          withheld=withheld)


def link_defender(entry: WatchEntry, defender_id: str) -> None:
    """Remember which defender an entry is (set when an alert first becomes a case)."""
    if entry.defender_id is None:
        entry.defender_id = defender_id


def new_defender_for(ctx: Context, entry: WatchEntry, case_id: str) -> str:
    """A defender record for a watched person who has no case yet: pseudonymous, with the
    first watched name as identity, sealed with a key of the new case."""
    watched = watched_defender(ctx, entry)
    defender_id, key_id = new_id(), ctx.vault.new_key(case_id)
    name = (watched.names or watched.aliases or watched.handles)[0]
    identity_sealed, contact_sealed = ctx.vault.seal_defender(
        key_id, defender_id, entry.org_id, {"legal_name": name},
        {"channel": "receipt_only", "address": None})
    ctx.session.add(Defender(
        id=defender_id, org_id=entry.org_id, pseudonym=new_pseudonym(), kind="individual",
        country=watched.region, key_id=key_id, identity_sealed=identity_sealed,
        contact_sealed=contact_sealed, created_at=ctx.now()))
    link_defender(entry, defender_id)
    return defender_id
