"""Intake: a defender's report becomes a defender, a case, an incident, evidence and findings.

One transaction: either everything of a submission is stored (and acknowledged) or nothing.
An ``Idempotency-Key`` makes a retried submission return the first one's receipt instead of
creating a second case. The receipt kept for a retry is sealed under a key derived from the
Idempotency-Key itself, which is not stored (only a keyed digest of it): the instance cannot
open it until the client sends the same key again. Records from before (``key_id`` set) were
sealed under a data key of their own and are read as before.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Connection, Table, bindparam, select

from qalxan.analysis.message import AnalysisContext
from qalxan.domain.enums import TLP, CaseStatus, EvidenceKind, IncidentSource
from qalxan.errors import Conflict, InvalidInput
from qalxan.response.triage import risk_score
from qalxan.security import crypto
from qalxan.security.access import Permission
from qalxan.services import evidence as evidence_service
from qalxan.services.analysis import AnalysedText, EngineRun, finding_rows, run_engine
from qalxan.services.cases import defender_binding
from qalxan.services.context import Context, service
from qalxan.services.receipts import new_case_reference, new_pseudonym, new_receipt_code
from qalxan.services.schemas import Receipt, ReportSubmission
from qalxan.store.tables import (
    Case,
    CaseTag,
    Consent,
    DataKeyRow,
    Defender,
    Evidence,
    FindingRow,
    IdempotencyRecord,
    Incident,
    Organisation,
    TimelineEvent,
    new_id,
    new_random_id,
)

# the reads' statements are built once: building and caching a statement per call cost
# more CPU than running it
_ORGANISATIONS = cast(Table, Organisation.__table__).c
_KEYS = cast(Table, IdempotencyRecord.__table__).c
_ORGANISATION = select(_ORGANISATIONS.id).where(_ORGANISATIONS.id == bindparam("org_id"))
_FIRST_INTAKE_ORGANISATION = (
    select(_ORGANISATIONS.id).where(_ORGANISATIONS.accepts_intake.is_(True))
    .order_by(_ORGANISATIONS.created_at).limit(1))
_KEY_USED = select(_KEYS.key_digest).where(_KEYS.key_digest == bindparam("key_digest"))

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
    ctx.record_to_the_minute()
    request_digest = _request_digest(report, uploads)
    # the reads come first and take no lock (on SQLite the first write takes the write
    # lock, which another server process then waits on until this transaction commits):
    # a retry is answered before any analysis, and a new report is analysed, sealed and
    # built as rows before the write lock is taken
    with ctx.reads_before_writing() as connection:
        org_id = _intake_org(ctx, connection)
        key_digest = None if idempotency_key is None else _key_digest(ctx, org_id,
                                                                      idempotency_key)
        used = key_digest is not None and _already_used(connection, key_digest)
    previous = (_replay(ctx, key_digest, idempotency_key, request_digest)
                if used and key_digest and idempotency_key else None)
    if previous is not None:
        return previous
    incident_id = new_random_id()
    texts = [AnalysedText(report.what_happened, incident_id=incident_id)]
    engine = run_engine(texts, AnalysisContext())
    rows = _Rows()
    with ctx.vault.collected_keys() as keys:
        case_id, receipt = _create_case(ctx, org_id, report, uploads, (texts, engine), rows)
        if key_digest is not None and idempotency_key is not None:
            _remember(ctx, (key_digest, idempotency_key), request_digest, case_id, receipt,
                      rows)
    rows.add(DataKeyRow, *keys)
    # every row is ready: written and committed together with concurrent submissions
    ctx.commit_with_others(rows.by_table)
    return receipt


def _intake_org(ctx: Context, connection: Connection) -> str:
    if ctx.actor.org_id:
        org_id = connection.execute(_ORGANISATION, {"org_id": ctx.actor.org_id}).scalar()
    else:
        org_id = connection.execute(_FIRST_INTAKE_ORGANISATION).scalar()
    if org_id is None:
        raise InvalidInput("this instance does not accept reports yet (no intake organisation)")
    return str(org_id)


class _Rows:
    """The rows of one submission, per table, inserted by the group commit with those of
    the submissions that came at the same time (one insert per table for all of them).

    Core rows instead of ORM objects: a report is about twenty rows, and the unit of work
    (one object per row, flushed in dependency order) cost more than everything else here.
    """

    def __init__(self) -> None:
        self.by_table: dict[Table, list[dict[str, Any]]] = {}

    def add(self, table: Any, *rows: dict[str, Any]) -> None:
        self.by_table.setdefault(table.__table__, []).extend(rows)


def _create_case(ctx: Context, org_id: str, report: ReportSubmission, uploads: Sequence[Upload],
                 analysed: tuple[list[AnalysedText], EngineRun],
                 rows: _Rows) -> tuple[str, Receipt]:
    now, code = ctx.now(), new_receipt_code()
    case_id, incident_id = new_random_id(), analysed[0][0].incident_id
    assert incident_id is not None
    defender_id = _defender(ctx, org_id, case_id, report, rows)
    case: dict[str, Any] = {
        "id": case_id, "org_id": org_id, "reference": new_case_reference(),
        "status": CaseStatus.NEW.value, "tlp": TLP.AMBER.value,
        "urgency": report.urgency.value, "receipt_digest": ctx.keyring.receipt_digest(code),
        "defender_id": defender_id,
        "defender_binding": defender_binding(ctx.keyring, case_id, org_id, defender_id),
        "created_at": now, "updated_at": now,
    }
    rows.add(Incident, _incident(ctx, case_id, incident_id, report))
    rows.add(Evidence, *[
        evidence_service.text_row(ctx, case_id, EvidenceKind.URL, link, TLP.AMBER,
                                  incident_id=incident_id) for link in report.links])
    rows.add(Evidence, *[
        evidence_service.file_row(ctx, case_id, upload.filename, upload.media_type, upload.data,
                                  incident_id=incident_id) for upload in uploads])
    rows.add(Consent, {"id": new_id(), "case_id": case_id, "scope": "share_with_organisations",
                       "granted": report.consent_to_share, "source": "intake",
                       "recorded_at": now})
    _analyse(ctx, case, report, analysed, rows)
    rows.add(Case, case)
    rows.add(TimelineEvent, {"id": new_id(), "case_id": case_id, "kind": "case.created",
                             "actor": ctx.actor.label,
                             "data": {"source": IncidentSource.REPORT.value}, "created_at": now})
    ctx.audit("case.create", "case", case_id, org_id=org_id)
    return case_id, Receipt(case_reference=case["reference"], receipt_code=code, created_at=now)


def _defender(ctx: Context, org_id: str, case_id: str, report: ReportSubmission,
              rows: _Rows) -> str:
    defender_id = new_random_id()
    key_id = ctx.vault.new_key(case_id)
    identity = {"legal_name": report.defender_name}
    contact = {"channel": report.contact_channel.value, "address": report.contact_address}
    identity_sealed, contact_sealed = ctx.vault.seal_defender(key_id, defender_id, org_id,
                                                              identity, contact)
    rows.add(Defender, {
        "id": defender_id, "org_id": org_id, "pseudonym": new_pseudonym(),
        "kind": report.defender_kind.value, "country": report.country, "key_id": key_id,
        "identity_sealed": identity_sealed, "contact_sealed": contact_sealed,
        "created_at": ctx.now(),
    })
    return defender_id


def _incident(ctx: Context, case_id: str, incident_id: str,
              report: ReportSubmission) -> dict[str, Any]:
    key_id = ctx.vault.new_key(case_id)
    body = report.model_dump(mode="json", include=set(REPORT_FIELDS))
    return {
        "id": incident_id, "case_id": case_id, "source": IncidentSource.REPORT.value,
        "threat_codes": list(report.threat_types), "key_id": key_id,
        "report_sealed": ctx.vault.seal_json(key_id, "report", incident_id, body,
                                             {"case_id": case_id,
                                              "source": IncidentSource.REPORT.value}),
        "created_at": ctx.now(),
    }


def _analyse(ctx: Context, case: dict[str, Any], report: ReportSubmission,
             analysed: tuple[list[AnalysedText], EngineRun], rows: _Rows) -> None:
    stored = finding_rows(ctx, case["id"], *analysed)
    rows.add(FindingRow, *stored.findings)
    rows.add(TimelineEvent, *stored.timeline)
    results = stored.results
    found = [(f.code, f.score) for r in results for f in r.findings]
    case["physical_risk"] = any(r.physical_risk for r in results)
    case["risk_score"] = risk_score(report.urgency, found, case["physical_risk"])
    codes = set(report.threat_types) | {code for code, _ in found}
    rows.add(CaseTag, *[{"case_id": case["id"], "code": code} for code in sorted(codes)])


def _request_digest(report: ReportSubmission, uploads: Sequence[Upload]) -> str:
    digest = hashlib.sha256(report.model_dump_json().encode())
    for upload in uploads:
        digest.update(hashlib.sha256(upload.data).digest())
    return digest.hexdigest()


def _key_digest(ctx: Context, org_id: str, key: str) -> str:
    if not 1 <= len(key) <= 200:
        raise InvalidInput("Idempotency-Key must have 1 to 200 characters")
    return ctx.keyring.lookup_digest(f"intake|{org_id}|{ctx.actor.label}|{key}")


def _already_used(connection: Connection, key_digest: str) -> bool:
    return connection.execute(_KEY_USED, {"key_digest": key_digest}).first() is not None


def _replay(ctx: Context, key_digest: str, idempotency_key: str,
            request_digest: str) -> Receipt | None:
    """The receipt the first submission with this key got, read in the call's transaction
    (None if its case was deleted since)."""
    row = ctx.session.execute(
        select(IdempotencyRecord.request_digest, IdempotencyRecord.key_id,
               IdempotencyRecord.response_sealed)
        .where(IdempotencyRecord.key_digest == key_digest)).first()
    if row is None:
        return None
    if row.request_digest != request_digest:
        raise Conflict("this Idempotency-Key was already used for a different submission")
    if row.key_id is None:
        stored = json.loads(crypto.open_sealed(ctx.keyring.idempotent_response_key(
            idempotency_key), row.response_sealed, f"idempotent-receipt:{key_digest}"))
    else:  # a record from before responses were sealed under the Idempotency-Key
        stored = ctx.vault.open_json(row.key_id, "idempotent-receipt", key_digest,
                                     row.response_sealed)
    return Receipt.model_validate(stored)


def _remember(ctx: Context, key: tuple[str, str], request_digest: str, case_id: str,
              receipt: Receipt, rows: _Rows) -> None:
    """Keep the receipt for a retry with the same Idempotency-Key (``key``: its digest and
    the key itself), sealed under a key derived from the Idempotency-Key."""
    key_digest, idempotency_key = key
    sealed = crypto.seal(ctx.keyring.idempotent_response_key(idempotency_key),
                         json.dumps(receipt.model_dump(mode="json")).encode(),
                         f"idempotent-receipt:{key_digest}")
    rows.add(IdempotencyRecord, {
        "key_digest": key_digest, "request_digest": request_digest, "case_id": case_id,
        "key_id": None, "response_sealed": sealed, "created_at": ctx.now(),
    })
