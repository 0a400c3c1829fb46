"""Evidence items (text, URL, file): sealed, hashed at receipt, read only through access checks."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from qalxan.analysis.message import AnalysisContext
from qalxan.domain.enums import TLP, EvidenceKind
from qalxan.errors import IntegrityFailure, InvalidInput, PayloadTooLarge
from qalxan.evidence.filetypes import sniff
from qalxan.evidence.scrub import Scrubbed, scrub
from qalxan.security.access import Permission
from qalxan.services.analysis import AnalysedText, analyse_and_store
from qalxan.services.context import Context, service
from qalxan.services.guard import visible_case, visible_evidence
from qalxan.services.schemas import TextEvidenceInput
from qalxan.services.timeline import record
from qalxan.store.tables import Case, Evidence, new_id

MAX_FILENAME = 255


@dataclass(frozen=True, slots=True)
class EvidenceView:
    id: str
    kind: str
    tlp: str
    media_type: str | None
    size: int
    sha256: str
    added_by: str
    created_at: datetime
    content: str | None  # text or URL; for files the original file name


def text_row(ctx: Context, case_id: str, kind: EvidenceKind, content: str, tlp: TLP,
             incident_id: str | None = None) -> dict[str, Any]:
    """The row of a sealed text or URL evidence item, with its own data key."""
    item_id = new_id()
    key_id = ctx.vault.new_key(case_id)
    data = content.encode("utf-8")
    return {
        "id": item_id, "case_id": case_id, "incident_id": incident_id, "kind": kind.value,
        "tlp": tlp.value, "key_id": key_id,
        "content_sealed": ctx.vault.seal_text(key_id, "evidence", item_id, content),
        "media_type": "text/uri-list" if kind is EvidenceKind.URL else "text/plain",
        "size": len(data), "sha256": hashlib.sha256(data).hexdigest(), "blob_name": None,
        "added_by": ctx.actor.label, "created_at": ctx.now(),
    }


def file_row(ctx: Context, case_id: str, filename: str, declared_type: str, data: bytes,
             incident_id: str | None = None, tlp: TLP = TLP.AMBER) -> dict[str, Any]:
    """Check, seal and store an uploaded file; the row of its evidence item.

    Its hash is taken over the original bytes; the file is sealed before it touches disk.
    """
    if len(data) > ctx.settings.max_upload_bytes:
        raise PayloadTooLarge(f"files may have at most {ctx.settings.max_upload_bytes} bytes")
    if not data:
        raise InvalidInput("the uploaded file is empty")
    media_type = sniff(data)
    item_id = new_id()
    key_id = ctx.vault.new_key(case_id)
    name = (filename or "upload").replace("/", "_").replace("\\", "_")[:MAX_FILENAME]
    blob_name, size = ctx.vault.seal_file(key_id, item_id, [data])
    return {
        "id": item_id, "case_id": case_id, "incident_id": incident_id,
        "kind": EvidenceKind.FILE.value, "tlp": tlp.value, "key_id": key_id,
        "content_sealed": ctx.vault.seal_text(key_id, "evidence", item_id, name),
        "media_type": media_type, "size": size, "sha256": hashlib.sha256(data).hexdigest(),
        "blob_name": blob_name, "added_by": ctx.actor.label, "created_at": ctx.now(),
    }


def store_text(ctx: Context, case: Case, kind: EvidenceKind, content: str, tlp: TLP,
               incident_id: str | None = None) -> Evidence:
    """Seal a text or URL evidence item (the caller has checked access to ``case``)."""
    item = Evidence(**text_row(ctx, case.id, kind, content, tlp, incident_id))
    ctx.session.add(item)
    return item


def store_file(ctx: Context, case: Case, filename: str, declared_type: str, data: bytes,
               incident_id: str | None = None, tlp: TLP = TLP.AMBER) -> Evidence:
    """Check, seal and store an uploaded file (the caller has checked access to ``case``)."""
    item = Evidence(**file_row(ctx, case.id, filename, declared_type, data, incident_id, tlp))
    ctx.session.add(item)
    return item


@service(Permission.EVIDENCE_ADD)
def add_text_evidence(ctx: Context, case_id: str, data: TextEvidenceInput) -> EvidenceView:
    case = visible_case(ctx, case_id, for_update=True)
    item = store_text(ctx, case, data.kind, data.content, data.tlp)
    ctx.session.flush()
    if data.kind is EvidenceKind.TEXT:
        analyse_and_store(ctx, case.id, [AnalysedText(data.content, evidence_id=item.id)],
                          AnalysisContext())
    _added(ctx, case, item)
    return view(ctx, item)


@service(Permission.EVIDENCE_ADD)
def add_file_evidence(ctx: Context, case_id: str, filename: str, declared_type: str,
                      data: bytes, tlp: TLP = TLP.AMBER) -> EvidenceView:
    case = visible_case(ctx, case_id, for_update=True)
    item = store_file(ctx, case, filename, declared_type, data, tlp=tlp)
    ctx.session.flush()
    _added(ctx, case, item)
    return view(ctx, item)


def _added(ctx: Context, case: Case, item: Evidence) -> None:
    case.updated_at = ctx.now()
    record(ctx, case.id, "evidence.added", evidence_id=item.id, kind=item.kind)
    ctx.audit("evidence.add", "evidence", item.id, org_id=case.org_id, case_id=case.id)


def view(ctx: Context, item: Evidence) -> EvidenceView:
    content = ctx.vault.open_text(item.key_id, "evidence", item.id, item.content_sealed)
    return EvidenceView(item.id, item.kind, item.tlp, item.media_type, item.size, item.sha256,
                        item.added_by, item.created_at, content)


def views_for_case(ctx: Context, case_id: str) -> list[EvidenceView]:
    rows = ctx.session.execute(
        select(Evidence).where(Evidence.case_id == case_id).order_by(Evidence.created_at))
    return [view(ctx, item) for item in rows.scalars()]


@service(Permission.EVIDENCE_READ)
def read_evidence(ctx: Context, evidence_id: str) -> EvidenceView:
    item, case = visible_evidence(ctx, evidence_id)
    ctx.audit("evidence.read", "evidence", item.id, org_id=case.org_id, case_id=case.id)
    return view(ctx, item)


@service(Permission.EVIDENCE_READ)
def download_evidence(ctx: Context, evidence_id: str) -> tuple[EvidenceView, bytes]:
    """The original file (decrypted and verified) for an authorised reader."""
    item, case = visible_evidence(ctx, evidence_id)
    data = _original(ctx, item)
    ctx.audit("evidence.download", "evidence", item.id, org_id=case.org_id, case_id=case.id)
    return view(ctx, item), data


@service(Permission.EVIDENCE_READ)
def shareable_copy(ctx: Context, evidence_id: str) -> tuple[EvidenceView, Scrubbed]:
    """A copy to share outside: location and device metadata removed, original untouched."""
    item, case = visible_evidence(ctx, evidence_id)
    copy = scrub(_original(ctx, item), item.media_type)
    ctx.audit("evidence.download_shareable", "evidence", item.id, org_id=case.org_id,
              case_id=case.id, scrubbed=str(copy.scrubbed).lower(),
              removed=",".join(copy.removed))
    return view(ctx, item), copy


def _original(ctx: Context, item: Evidence) -> bytes:
    if item.blob_name is None:
        raise InvalidInput("this evidence item is not a file")
    data = b"".join(_chunks(ctx, item))
    if hashlib.sha256(data).hexdigest() != item.sha256:
        raise IntegrityFailure("the stored file does not match the hash taken at receipt")
    return data


def _chunks(ctx: Context, item: Evidence) -> Iterator[bytes]:
    assert item.blob_name is not None
    return ctx.vault.open_file(item.key_id, item.id, item.blob_name)
