"""Intake: a defender's report becomes a defender, a case, an incident, evidence and findings.

One transaction: either everything of a submission is stored (and acknowledged) or nothing.
An ``Idempotency-Key`` makes a retried submission return the first one's receipt instead of
creating a second case.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from qalxan.analysis.message import AnalysisContext
from qalxan.domain.enums import TLP, CaseStatus, EvidenceKind, IncidentSource
from qalxan.errors import Conflict, InvalidInput
from qalxan.response.triage import risk_score
from qalxan.security.access import Permission
from qalxan.services import evidence as evidence_service
from qalxan.services.analysis import AnalysedText, analyse_and_store
from qalxan.services.context import Context, service
from qalxan.services.receipts import new_case_reference, new_pseudonym, new_receipt_code
from qalxan.services.schemas import Receipt, ReportSubmission
from qalxan.services.timeline import record
from qalxan.store.tables import (
    Case,
    CaseTag,
    Consent,
    Defender,
    IdempotencyRecord,
    Incident,
    Organisation,
    new_id,
)

REPORT_FIELDS = ("what_happened", "started_on", "who_affected", "support_wanted",
                 "other_organisations", "language")


@dataclass(frozen=True, slots=True)
class Upload:
    """A file as received: original name, declared type and the bytes (already size-capped)."""

    filename: str
    media_type: str
    data: bytes


@service(Permission.PUBLIC_INTAKE)
def submit_report(ctx: Context, report: ReportSubmission, uploads: Sequence[Upload] = (),
                  idempotency_key: str | None = None) -> Receipt:
    org = _intake_org(ctx)
    request_digest = _request_digest(report, uploads)
    if idempotency_key is not None:
        previous = _replay(ctx, org.id, idempotency_key, request_digest)
        if previous is not None:
            return previous
    receipt = _create_case(ctx, org, report, uploads)
    if idempotency_key is not None:
        _remember(ctx, org.id, idempotency_key, request_digest, receipt)
    return receipt


def _intake_org(ctx: Context) -> Organisation:
    if ctx.actor.org_id:
        org = ctx.session.get(Organisation, ctx.actor.org_id)
    else:
        org = ctx.session.execute(
            select(Organisation).where(Organisation.accepts_intake.is_(True))
            .order_by(Organisation.created_at).limit(1)).scalar_one_or_none()
    if org is None:
        raise InvalidInput("this instance does not accept reports yet (no intake organisation)")
    return org


def _create_case(ctx: Context, org: Organisation, report: ReportSubmission,
                 uploads: Sequence[Upload]) -> Receipt:
    now, code = ctx.now(), new_receipt_code()
    case = Case(id=new_id(), org_id=org.id, reference=new_case_reference(),
                status=CaseStatus.NEW.value, tlp=TLP.AMBER.value, urgency=report.urgency.value,
                receipt_digest=ctx.keyring.receipt_digest(code), created_at=now, updated_at=now)
    case.defender_id = _create_defender(ctx, org.id, case.id, report)
    ctx.session.add(case)
    ctx.session.flush()
    incident = _create_incident(ctx, case.id, report)
    texts = [AnalysedText(report.what_happened, incident_id=incident.id)]
    for link in report.links:
        evidence_service.store_text(ctx, case, EvidenceKind.URL, link, TLP.AMBER,
                                    incident_id=incident.id)
    for upload in uploads:
        evidence_service.store_file(ctx, case, upload.filename, upload.media_type, upload.data,
                                    incident_id=incident.id)
    ctx.session.add(Consent(case_id=case.id, scope="share_with_organisations",
                            granted=report.consent_to_share, source="intake", recorded_at=now))
    _analyse(ctx, case, report, texts)
    record(ctx, case.id, "case.created", source=IncidentSource.REPORT.value)
    ctx.audit("case.create", "case", case.id, org_id=org.id)
    return Receipt(case_reference=case.reference, receipt_code=code, created_at=now)


def _create_defender(ctx: Context, org_id: str, case_id: str, report: ReportSubmission) -> str:
    defender_id = new_id()
    key_id = ctx.vault.new_key(case_id)
    identity = {"legal_name": report.defender_name}
    contact = {"channel": report.contact_channel.value, "address": report.contact_address}
    ctx.session.add(Defender(
        id=defender_id, org_id=org_id, pseudonym=new_pseudonym(), kind=report.defender_kind.value,
        country=report.country, key_id=key_id,
        identity_sealed=ctx.vault.seal_json(key_id, "defender-identity", defender_id, identity),
        contact_sealed=ctx.vault.seal_json(key_id, "defender-contact", defender_id, contact),
        created_at=ctx.now(),
    ))
    return defender_id


def _create_incident(ctx: Context, case_id: str, report: ReportSubmission) -> Incident:
    incident_id = new_id()
    key_id = ctx.vault.new_key(case_id)
    body = report.model_dump(mode="json", include=set(REPORT_FIELDS))
    incident = Incident(
        id=incident_id, case_id=case_id, source=IncidentSource.REPORT.value,
        threat_codes=list(report.threat_types), key_id=key_id,
        report_sealed=ctx.vault.seal_json(key_id, "report", incident_id, body),
        created_at=ctx.now(),
    )
    ctx.session.add(incident)
    return incident


def _analyse(ctx: Context, case: Case, report: ReportSubmission,
             texts: list[AnalysedText]) -> None:
    results = analyse_and_store(ctx, case.id, texts, AnalysisContext())
    found = [(f.code, f.score) for r in results for f in r.findings]
    case.physical_risk = any(r.physical_risk for r in results)
    case.risk_score = risk_score(report.urgency, found, case.physical_risk)
    codes = set(report.threat_types) | {code for code, _ in found}
    case.tags = [CaseTag(code=code) for code in sorted(codes)]


def _request_digest(report: ReportSubmission, uploads: Sequence[Upload]) -> str:
    digest = hashlib.sha256(report.model_dump_json().encode())
    for upload in uploads:
        digest.update(hashlib.sha256(upload.data).digest())
    return digest.hexdigest()


def _key_digest(ctx: Context, org_id: str, key: str) -> str:
    if not 1 <= len(key) <= 200:
        raise InvalidInput("Idempotency-Key must have 1 to 200 characters")
    return ctx.keyring.lookup_digest(f"intake|{org_id}|{ctx.actor.label}|{key}")


def _replay(ctx: Context, org_id: str, key: str, request_digest: str) -> Receipt | None:
    row = ctx.session.get(IdempotencyRecord, _key_digest(ctx, org_id, key))
    if row is None:
        return None
    if row.request_digest != request_digest:
        raise Conflict("this Idempotency-Key was already used for a different submission")
    stored = ctx.vault.open_json(row.key_id, "idempotent-receipt", row.key_digest,
                                 row.response_sealed)
    return Receipt.model_validate(stored)


def _remember(ctx: Context, org_id: str, key: str, request_digest: str, receipt: Receipt) -> None:
    key_digest = _key_digest(ctx, org_id, key)
    case_id = ctx.session.execute(
        select(Case.id).where(Case.reference == receipt.case_reference)).scalar_one()
    key_id = ctx.vault.new_key(case_id)
    ctx.session.add(IdempotencyRecord(
        key_digest=key_digest, request_digest=request_digest, case_id=case_id, key_id=key_id,
        response_sealed=ctx.vault.seal_json(key_id, "idempotent-receipt", key_digest,
                                            receipt.model_dump(mode="json")),
        created_at=ctx.now(),
    ))
