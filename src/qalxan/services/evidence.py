"""Evidence items (text, URL, file): sealed, hashed at receipt, read only through access checks.

The SHA-256 taken at receipt is sealed with the item (``sha256_sealed``) and shown where custody
needs it: the case page, downloads, export manifests. The plaintext column holds only a keyed
digest (``content_digest``), which nobody without the instance key can compute from content
they know: the author of a post cannot hash it and find the case that holds it. A text or URL
item's exact size is not stored either (only a file's, which staff are shown)."""

from __future__ import annotations

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
from qalxan.security.crypto import sha256_hex
from qalxan.security.vault import bound_fields
from qalxan.services.analysis import AnalysedText, analyse_and_store
from qalxan.services.context import Context, service
from qalxan.services.guard import visible_case, visible_evidence
from qalxan.services.schemas import TextEvidenceInput
from qalxan.services.timeline import record
from qalxan.store.tables import Case, Evidence, new_random_id

MAX_FILENAME = 255
CONTENT = "evidence"
SHA256 = "evidence-sha256"


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
    row = {
        "id": new_random_id(), "case_id": case_id, "incident_id": incident_id,
        "kind": kind.value, "tlp": tlp.value, "key_id": ctx.vault.new_key(case_id),
        "media_type": "text/uri-list" if kind is EvidenceKind.URL else "text/plain",
        "size": None, "blob_name": None, "added_by": ctx.actor.label, "created_at": ctx.now(),
    }
    return _sealed(ctx, row, content, content.encode("utf-8"))


def _sealed(ctx: Context, row: dict[str, Any], content: str, data: bytes) -> dict[str, Any]:
    """The row with its sealed content (text, URL or file name), its sealed SHA-256 and its
    keyed digest, both taken over ``data`` (the text's UTF-8 bytes, or the file's)."""
    bound = bound_fields(CONTENT, row)
    row["content_sealed"] = ctx.vault.seal_text(row["key_id"], CONTENT, row["id"], content,
                                                bound)
    row["sha256_sealed"] = ctx.vault.seal_text(row["key_id"], SHA256, row["id"],
                                               sha256_hex(data), bound)
    row["content_digest"] = ctx.keyring.content_digest(data)
    return row


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
    item_id = new_random_id()
    key_id = ctx.vault.new_key(case_id)
    name = (filename or "upload").replace("/", "_").replace("\\", "_")[:MAX_FILENAME]
    blob_name, size = ctx.vault.seal_file(key_id, item_id, [data])
    row = {
        "id": item_id, "case_id": case_id, "incident_id": incident_id,
        "kind": EvidenceKind.FILE.value, "tlp": tlp.value, "key_id": key_id,
        "media_type": media_type, "size": size, "blob_name": blob_name,
        "added_by": ctx.actor.label, "created_at": ctx.now(),
    }
    return _sealed(ctx, row, name, data)


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
    content = ctx.vault.open_row_text(CONTENT, item, "content_sealed")
    size = item.size if item.size is not None else len(content.encode("utf-8"))
    return EvidenceView(item.id, item.kind, item.tlp, item.media_type, size,
                        receipt_sha256(ctx, item), item.added_by, item.created_at, content)


def receipt_sha256(ctx: Context, item: Evidence) -> str:
    """The SHA-256 taken at receipt, opened (for the case page, downloads and exports)."""
    return ctx.vault.open_row_text(SHA256, item, "sha256_sealed")


def check_receipt_hash(ctx: Context, item: Evidence, data: bytes) -> str:
    """The item's SHA-256 if ``data`` matches both the hash and the keyed digest taken at
    receipt; otherwise :class:`IntegrityFailure`."""
    digest = receipt_sha256(ctx, item)
    if sha256_hex(data) != digest or ctx.keyring.content_digest(data) != item.content_digest:
        raise IntegrityFailure(f"evidence item {item.id} does not match the hash taken at "
                               f"receipt")
    return digest


def views_for_case(ctx: Context, case_id: str) -> list[EvidenceView]:
    rows = ctx.session.execute(
        select(Evidence).where(Evidence.case_id == case_id)
        .order_by(Evidence.created_at, Evidence.id))
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
    check_receipt_hash(ctx, item, data)
    return data


def _chunks(ctx: Context, item: Evidence) -> Iterator[bytes]:
    assert item.blob_name is not None
    return ctx.vault.open_file(item.key_id, item.id, item.blob_name)
