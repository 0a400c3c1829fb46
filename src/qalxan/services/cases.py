"""Case work: the queue, the case file, status changes, assignment, notes, referrals, deletion."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy import case as sql_case

from qalxan.domain import workflow
from qalxan.domain.enums import TLP, CaseStatus, MessageKind, Outcome, Role
from qalxan.errors import ClearanceInsufficient, ConsentMissing, IntegrityFailure, InvalidInput
from qalxan.security.access import Actor, Permission, sees_case, sees_defender_identity
from qalxan.security.crypto import Keyring, constant_time_equal
from qalxan.services import evidence as evidence_service
from qalxan.services.context import Context, as_utc, service
from qalxan.services.deletion import delete_case_rows
from qalxan.services.guard import (
    consents_to_sharing as consents_to_sharing,  # its home was here: callers may still ask
)
from qalxan.services.guard import (
    granted_users,
    require_owning_organisation,
    visibility_clause,
    visible_case,
)
from qalxan.services.reviews import ReviewView, review_of
from qalxan.services.schemas import (
    Assignment,
    CaseFilter,
    CaseUpdate,
    NoteInput,
    ReferralInput,
    StatusChange,
)
from qalxan.services.sharing import GrantView, grant_views
from qalxan.services.timeline import record
from qalxan.store.tables import (
    Case,
    CaseAccess,
    CaseTag,
    Consent,
    Defender,
    FindingRow,
    Incident,
    Note,
    Referral,
    TimelineEvent,
    User,
    new_id,
    new_random_id,
)


@dataclass(frozen=True, slots=True)
class CaseSummary:
    id: str
    reference: str
    status: str
    urgency: str
    tlp: str
    risk_score: int
    physical_risk: bool
    country: str | None
    assignee_id: str | None
    tags: list[str]
    created_at: datetime
    updated_at: datetime
    is_demo: bool


@dataclass(frozen=True, slots=True)
class CaseDetail:
    summary: CaseSummary
    outcome: str | None
    defender: dict[str, Any]
    incidents: list[dict[str, Any]]
    evidence: list[evidence_service.EvidenceView]
    findings: list[dict[str, Any]]
    notes: list[dict[str, Any]]
    timeline: list[dict[str, Any]]
    referrals: list[dict[str, Any]]
    consents: list[dict[str, Any]]
    # the users whose grant holds now, and every grant with its state: for the case's own
    # organisation only (empty for a partner who sees the case through a grant)
    access: list[str] = field(default_factory=list)
    review: ReviewView | None = None  # the defender's review of the help, once given
    grants: list[GrantView] = field(default_factory=list)
    own_organisation: bool = True  # whether the reader belongs to the case's organisation
    consent_to_share: bool = False  # the defender's consent to share holds now


@dataclass(frozen=True, slots=True)
class Page:
    items: list[CaseSummary]
    total: int
    limit: int
    offset: int


def summary(case: Case, country: str | None) -> CaseSummary:
    return CaseSummary(
        case.id, case.reference, case.status, case.urgency, case.tlp, case.risk_score,
        case.physical_risk, country, case.assignee_id, sorted(t.code for t in case.tags),
        case.created_at, case.updated_at, case.is_demo,
    )


def _filtered(ctx: Context, flt: CaseFilter) -> Select[Case]:
    """The visible cases matching the filter, from ``cases`` alone (no join to count or sort)."""
    stmt = select(Case).where(visibility_clause(ctx))
    if flt.status:
        stmt = stmt.where(Case.status == flt.status.value)
    if flt.threat:
        stmt = stmt.where(Case.id.in_(select(CaseTag.case_id).where(CaseTag.code == flt.threat)))
    if flt.country:
        stmt = stmt.where(Case.defender_id.in_(
            select(Defender.id).where(Defender.country == flt.country.upper())))
    if flt.assignee_id:
        stmt = stmt.where(Case.assignee_id == flt.assignee_id)
    if flt.tlp:
        stmt = stmt.where(Case.tlp == flt.tlp.value)
    return stmt


def _countries(ctx: Context, defender_ids: list[str]) -> dict[str, str | None]:
    if not defender_ids:
        return {}
    rows = ctx.session.execute(select(Defender.id, Defender.country)
                               .where(Defender.id.in_(set(defender_ids))))
    return {defender_id: country for defender_id, country in rows}


@service(Permission.CASE_LIST)
def list_cases(ctx: Context, flt: CaseFilter) -> Page:
    """The queue: highest risk first, then the longest waiting.

    The queue is counted and its page chosen by case id alone (which ``ix_cases_visible``
    covers); only the page's cases and their defenders' countries are read afterwards.
    """
    ids = _filtered(ctx, flt).with_only_columns(Case.id)
    total = ctx.session.execute(select(func.count()).select_from(ids.subquery())).scalar_one()
    page_ids = ctx.session.execute(
        ids.order_by(Case.risk_score.desc(), Case.created_at.asc(), Case.id)
        .limit(flt.limit).offset(flt.offset)).scalars().all()
    found = {case.id: case for case in ctx.session.execute(
        select(Case).where(Case.id.in_(page_ids))).scalars()} if page_ids else {}
    page = [found[case_id] for case_id in page_ids if case_id in found]  # deleted meanwhile
    countries = _countries(ctx, [case.defender_id for case in page])
    ctx.audit("case.list", "case", None, count=str(len(page)))
    return Page([summary(case, countries.get(case.defender_id)) for case in page], int(total),
                flt.limit, flt.offset)


def defender_binding(keyring: Keyring, case_id: str, org_id: str, defender_id: str) -> str:
    """The keyed MAC that ties a case to its defender (``cases.defender_binding``)."""
    return keyring.binding_mac("case-defender", case_id, org_id, defender_id)


def case_defender(ctx: Context, case: Case) -> Defender:
    """The case's defender, once the case's link to them is shown to be the one made with
    the case: a case pointed at another defender in the database fails to open."""
    expected = defender_binding(ctx.keyring, case.id, case.org_id, case.defender_id)
    if not constant_time_equal(expected, case.defender_binding):
        raise IntegrityFailure(f"case {case.id} failed authentication: its defender or "
                               f"organisation was changed in the database")
    return ctx.session.get_one(Defender, case.defender_id)


@service(Permission.CASE_READ)
def get_case(ctx: Context, case_id: str) -> CaseDetail:
    case = visible_case(ctx, case_id)
    defender = case_defender(ctx, case)
    ctx.audit("case.read", "case", case.id, org_id=case.org_id)
    grants = grant_views(ctx, case)
    return CaseDetail(
        summary=summary(case, defender.country), outcome=case.outcome,
        defender=defender_details(ctx, defender), incidents=_incidents(ctx, case.id),
        evidence=evidence_service.views_for_case(ctx, case.id),
        findings=_findings(ctx, case.id), notes=_notes(ctx, case.id),
        timeline=_timeline(ctx, case.id), referrals=_referrals(ctx, case.id),
        consents=_consents(ctx, case.id),
        access=sorted(g.user_id for g in grants if g.state == "active"),
        review=review_of(ctx, case.id), grants=grants,
        own_organisation=ctx.actor.kind == "system" or ctx.actor.org_id == case.org_id,
        consent_to_share=consents_to_sharing(ctx, case.id),
    )


def export_record(ctx: Context, case: Case, include_internal_notes: bool) -> dict[str, Any]:
    """The case file as it leaves the organisation in an export: never the defender's name
    or contact details (they are not even opened), internal notes only when asked for, the
    timeline as the record of custody. For a case the caller has already checked."""
    defender = case_defender(ctx, case)
    notes = [n for n in _notes(ctx, case.id)
             if n["kind"] != "internal" or include_internal_notes]
    return {
        "case": asdict(summary(case, defender.country)), "outcome": case.outcome,
        "defender": {"pseudonym": defender.pseudonym, "kind": defender.kind,
                     "country": defender.country},
        "incidents": _incidents(ctx, case.id), "findings": _findings(ctx, case.id),
        "notes": notes, "referrals": _referrals(ctx, case.id),
        "consents": _consents(ctx, case.id), "custody": _timeline(ctx, case.id),
    }


def defender_details(ctx: Context, d: Defender) -> dict[str, Any]:
    """The defender as staff see them: the pseudonym always; the name and contact details
    opened only for the roles that may read them (``identity_shown`` says which)."""
    shown = sees_defender_identity(ctx.actor)
    identity = ctx.vault.open_defender_identity(d) if shown else {}
    contact = ctx.vault.open_defender_contact(d) if shown else {}
    return {"id": d.id, "pseudonym": d.pseudonym, "kind": d.kind, "country": d.country,
            "identity": identity, "contact": contact, "identity_shown": shown}


def _incidents(ctx: Context, case_id: str) -> list[dict[str, Any]]:
    rows = ctx.session.execute(select(Incident).where(Incident.case_id == case_id)
                               .order_by(Incident.created_at, Incident.id)).scalars()
    return [{"id": i.id, "source": i.source, "threat_types": i.threat_codes,
             "created_at": i.created_at,
             "report": ctx.vault.open_row_json("report", i, "report_sealed")}
            for i in rows]


def _findings(ctx: Context, case_id: str) -> list[dict[str, Any]]:
    rows = ctx.session.execute(select(FindingRow).where(FindingRow.case_id == case_id)
                               .order_by(FindingRow.score.desc())).scalars()
    return [{"id": f.id, "detector": f.detector, "code": f.code, "score": f.score,
             "physical_risk": f.physical_risk, "incident_id": f.incident_id,
             "evidence_id": f.evidence_id,
             **ctx.vault.open_row_json("finding", f, "detail_sealed")} for f in rows]


def _notes(ctx: Context, case_id: str) -> list[dict[str, Any]]:
    rows = ctx.session.execute(select(Note).where(Note.case_id == case_id)
                               .order_by(Note.created_at)).scalars()
    return [{"id": n.id, "kind": n.kind, "author_id": n.author_id, "created_at": n.created_at,
             "text": ctx.vault.open_row_text("note", n, "body_sealed")} for n in rows]


# A report's rows are stamped to the same minute (services/stamps.py): among events of one
# time, the case's creation comes first, the others in a fixed order
_CREATED_FIRST = sql_case((TimelineEvent.kind == "case.created", 0), else_=1)


def _timeline(ctx: Context, case_id: str) -> list[dict[str, Any]]:
    rows = ctx.session.execute(select(TimelineEvent).where(TimelineEvent.case_id == case_id)
                               .order_by(TimelineEvent.created_at, _CREATED_FIRST,
                                         TimelineEvent.id)).scalars()
    return [{"kind": t.kind, "actor": t.actor, "data": t.data, "at": t.created_at} for t in rows]


def _referrals(ctx: Context, case_id: str) -> list[dict[str, Any]]:
    rows = ctx.session.execute(select(Referral).where(Referral.case_id == case_id)).scalars()
    return [{"id": r.id, "kind": r.kind, "mechanism": r.mechanism, "created_at": r.created_at}
            for r in rows]


def _consents(ctx: Context, case_id: str) -> list[dict[str, Any]]:
    rows = ctx.session.execute(select(Consent).where(Consent.case_id == case_id)
                               .order_by(Consent.recorded_at)).scalars()
    return [{"scope": c.scope, "granted": c.granted, "source": c.source,
             "at": as_utc(c.recorded_at),
             "withdrawn_at": as_utc(c.withdrawn_at) if c.withdrawn_at else None,
             "withdrawn_by": c.withdrawn_by} for c in rows]


def _touch(ctx: Context, case: Case, event: str, **data: str) -> None:
    case.updated_at = ctx.now()
    record(ctx, case.id, event, **data)
    ctx.audit(event, "case", case.id, org_id=case.org_id, **data)


@service(Permission.CASE_UPDATE)
def change_status(ctx: Context, case_id: str, change: StatusChange) -> CaseSummary:
    case = visible_case(ctx, case_id, for_update=True)
    current = CaseStatus(case.status)
    referrals = ctx.session.execute(
        select(func.count()).select_from(Referral).where(Referral.case_id == case.id)).scalar_one()
    outcome = change.outcome
    if outcome is None and change.status is CaseStatus.CLOSED and case.outcome:
        outcome = Outcome(case.outcome)
    case.outcome = _value(workflow.check_transition(current, change.status, outcome, referrals))
    case.status = change.status.value
    case.closed_at = ctx.now() if change.status is CaseStatus.CLOSED else None
    _touch(ctx, case, "case.status", **{"from": current.value, "to": change.status.value,
                                        "outcome": case.outcome or ""})
    return _summary_of(ctx, case)


def _value(outcome: Outcome | None) -> str | None:
    return outcome.value if outcome else None


def _summary_of(ctx: Context, case: Case) -> CaseSummary:
    return summary(case, ctx.session.get_one(Defender, case.defender_id).country)


@service(Permission.CASE_UPDATE)
def assign(ctx: Context, case_id: str, data: Assignment) -> CaseSummary:
    case = visible_case(ctx, case_id, for_update=True)
    if data.assignee_id is not None:
        user = ctx.session.get(User, data.assignee_id)
        if user is None or not user.is_active or not sees_case(
            _as_actor(user), case.org_id, False, None, granted_users(ctx, case)
        ):
            raise InvalidInput("the assignee must be an active handler who can see this case")
    case.assignee_id = data.assignee_id
    _touch(ctx, case, "case.assigned", assignee=data.assignee_id or "")
    return _summary_of(ctx, case)


def _as_actor(user: User) -> Actor:
    return Actor(kind="user", user_id=user.id, org_id=user.org_id, role=Role(user.role))


@service(Permission.CASE_UPDATE)
def update_case(ctx: Context, case_id: str, data: CaseUpdate) -> CaseSummary:
    case = visible_case(ctx, case_id, for_update=True)
    changed = data.model_dump(exclude_none=True)
    if not changed:
        raise InvalidInput("nothing to change")
    if data.tlp is not None or data.restricted is not None:
        require_owning_organisation(ctx, case, "tlp" if data.tlp is not None else "restricted")
    if data.tlp is not None:
        case.tlp = data.tlp.value
    if data.urgency is not None:
        case.urgency = data.urgency.value
    if data.restricted is not None:
        if case.restricted and not data.restricted:
            ctx.require_recent_authentication()  # it opens the case to the organisation
        case.restricted = data.restricted
    if data.tags is not None:
        case.tags = [CaseTag(code=code) for code in data.tags]
    _touch(ctx, case, "case.updated", fields=",".join(sorted(changed)))
    return _summary_of(ctx, case)


@service(Permission.NOTE_ADD)
def add_note(ctx: Context, case_id: str, data: NoteInput) -> str:
    if data.kind is MessageKind.DEFENDER:
        raise InvalidInput("defender messages arrive through the receipt follow-up")
    if data.kind is MessageKind.REPLY:
        ctx.actor.require(Permission.REPLY_SEND)
    case = visible_case(ctx, case_id, for_update=True)
    note_id = store_note(ctx, case.id, data.kind, data.text, ctx.actor.user_id)
    _touch(ctx, case, f"note.{data.kind.value}", note_id=note_id)
    return note_id


def store_note(ctx: Context, case_id: str, kind: MessageKind, text: str,
               author_id: str | None) -> str:
    # a defender's message gets a random id (services/stamps.py), staff notes a time-ordered one
    note_id = new_random_id() if kind is MessageKind.DEFENDER else new_id()
    key_id = ctx.vault.new_key(case_id)
    bound = {"author_id": author_id, "case_id": case_id, "kind": kind.value}
    ctx.session.add(Note(id=note_id, case_id=case_id, kind=kind.value, author_id=author_id,
                         key_id=key_id,
                         body_sealed=ctx.vault.seal_text(key_id, "note", note_id, text, bound),
                         created_at=ctx.now()))
    return note_id


@service(Permission.REFERRAL_ADD)
def add_referral(ctx: Context, case_id: str, data: ReferralInput) -> str:
    case = visible_case(ctx, case_id, for_update=True)
    referral = Referral(id=new_id(), case_id=case.id, kind=data.kind.value,
                        mechanism=data.mechanism, created_by=ctx.actor.label,
                        created_at=ctx.now())
    ctx.session.add(referral)
    _touch(ctx, case, "referral.added", referral_id=referral.id, referral_kind=data.kind.value)
    return referral.id


@service(Permission.CASE_UPDATE)
def grant_access(ctx: Context, case_id: str, user_id: str) -> None:
    """Let one more user see the case (reopening a grant that had ended). Only the case's
    own organisation shares it; the grant is checked again on every access (``guard``)."""
    ctx.require_recent_authentication()  # it grants access
    case = visible_case(ctx, case_id, for_update=True)
    require_owning_organisation(ctx, case, "grant_access")
    user = ctx.session.get(User, user_id)
    if user is None:
        raise InvalidInput("no such user")
    if user.org_id != case.org_id and not consents_to_sharing(ctx, case.id):
        raise ConsentMissing("the defender has not agreed to share this case with other "
                             "organisations")
    if TLP(case.tlp).rank > TLP(user.clearance).rank:
        raise ClearanceInsufficient(f"this case is TLP:{case.tlp.upper()}, above the "
                                    f"recipient's clearance (TLP:{user.clearance.upper()})")
    grant = ctx.session.get(CaseAccess, (case.id, user_id))
    if grant is None:
        ctx.session.add(CaseAccess(case_id=case.id, user_id=user_id,
                                   granted_by=ctx.actor.label, created_at=ctx.now()))
    elif grant.revoked_at is not None:
        grant.granted_by, grant.created_at = ctx.actor.label, ctx.now()
        grant.revoked_at = grant.revoked_by = grant.revoked_reason = None
    _touch(ctx, case, "case.access_granted", user=user_id)


@service(Permission.CASE_DELETE)
def delete_case(ctx: Context, case_id: str) -> None:
    """Delete a case: destroy its data keys (crypto-shredding), its files and its rows."""
    ctx.require_recent_authentication()
    case = visible_case(ctx, case_id, for_update=True)
    require_owning_organisation(ctx, case, "delete")
    delete_case_rows(ctx, case)
    ctx.audit("case.delete", "case", case_id, org_id=case.org_id)
