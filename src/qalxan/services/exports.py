"""Case exports: one ZIP bundle for a court, an investigator or a platform, under a TLP label.

The bundle carries its label everywhere a reader looks first: the file name, a
``TLP-<LABEL>.txt`` marking with the TLP 2.0 handling rule, and ``manifest.json``. Its label
is the most restricted of the case's and its evidence items'; an export above the
recipient's clearance fails. An export to someone outside the organisation needs the
defender's consent to sharing. The defender's name and contact details never go into a
bundle (the pseudonym does); internal notes go only into an export for oneself. Each
evidence item is the original, with the hash taken at receipt checked again on the way out;
the manifest lists every file with its hash, and the case's timeline is the custody record.
Exporting is a sensitive action: it needs a recent sign-in, and it is audited.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import Field, model_validator
from sqlalchemy import select

from qalxan import __version__
from qalxan.domain.enums import TLP, EvidenceKind
from qalxan.errors import ClearanceInsufficient, ConsentMissing, IntegrityFailure
from qalxan.evidence.filetypes import safe_extension
from qalxan.security.access import Permission
from qalxan.services import cases
from qalxan.services import evidence as evidence_service
from qalxan.services.context import Context, service
from qalxan.services.guard import consents_to_sharing, require_owning_organisation, visible_case
from qalxan.services.schemas import Input
from qalxan.services.timeline import record
from qalxan.store.tables import Case, Evidence, User

FORMAT = "qalxan-case-export/1"
HANDLING = {
    TLP.CLEAR: "Recipients can spread this to the world; there is no limit on disclosure.",
    TLP.GREEN: "Recipients can spread this within their community, but not via publicly "
               "accessible channels.",
    TLP.AMBER: "Recipients can only spread this on a need-to-know basis within their "
               "organization and its clients.",
    TLP.AMBER_STRICT: "Recipients can only spread this on a need-to-know basis within their "
                      "organization only.",
    TLP.RED: "For the eyes and ears of individual recipients only, no further disclosure.",
}


class ExportRequest(Input):
    """Who receives the bundle: the exporter (``self``) or someone outside the organisation
    (``external``: a court, an investigator, a platform's notice channel), whose clearance the
    exporter states."""

    recipient: Literal["self", "external"] = "self"
    recipient_clearance: TLP | None = Field(
        None, description="External recipients: the most restricted TLP label they may receive.")
    purpose: str = Field("", max_length=300, description="Why, for the manifest.")
    include_internal_notes: bool = False

    @model_validator(mode="after")
    def _external_rules(self) -> ExportRequest:
        if self.recipient == "external":
            if self.recipient_clearance is None:
                raise ValueError("choose the TLP label the recipient may receive "
                                 "(recipient_clearance)")
            if self.include_internal_notes:
                raise ValueError("internal notes never leave the organisation: leave them out "
                                 "for an external recipient (include_internal_notes)")
        return self


@dataclass(frozen=True, slots=True)
class ExportBundle:
    filename: str
    tlp: str
    sha256: str
    data: bytes


def _label(value: TLP) -> str:
    return value.value.upper()


def _recipient_clearance(ctx: Context, request: ExportRequest) -> TLP:
    if request.recipient == "external":
        assert request.recipient_clearance is not None
        return request.recipient_clearance
    if ctx.actor.user_id is None:
        return TLP.RED  # the system (an operator at the console) may hold anything
    return TLP(ctx.session.get_one(User, ctx.actor.user_id).clearance)


@service(Permission.CASE_EXPORT)
def export_case(ctx: Context, case_id: str, request: ExportRequest) -> ExportBundle:
    """The case as a TLP-labelled ZIP bundle for ``request.recipient``."""
    ctx.require_recent_authentication()
    case = visible_case(ctx, case_id)
    items = list(ctx.session.execute(select(Evidence).where(Evidence.case_id == case.id)
                                     .order_by(Evidence.created_at, Evidence.id)).scalars())
    label = max([TLP(case.tlp), *(TLP(i.tlp) for i in items)], key=lambda t: t.rank)
    if request.recipient == "external":  # sharing it on: for the case's own organisation
        require_owning_organisation(ctx, case, "export_external")
    if request.recipient == "external" and not consents_to_sharing(ctx, case.id):
        raise ConsentMissing("the defender has not agreed to share this case outside the "
                             "organisation; nothing was exported")
    clearance = _recipient_clearance(ctx, request)
    if label.rank > clearance.rank:
        raise ClearanceInsufficient(f"this export is TLP:{_label(label)}, above the "
                                    f"recipient's clearance (TLP:{_label(clearance)})")
    data = _bundle(ctx, case, items, label, request)
    digest = hashlib.sha256(data).hexdigest()
    record(ctx, case.id, "case.exported", tlp=label.value, recipient=request.recipient)
    ctx.audit("case.export", "case", case.id, org_id=case.org_id, tlp=label.value,
              recipient=request.recipient, sha256=digest)
    name = f"qalxan-{case.reference}-TLP-{_label(label).replace('+', '-')}.zip"
    return ExportBundle(name, label.value, digest, data)


def _bundle(ctx: Context, case: Case, items: list[Evidence], label: TLP,
            request: ExportRequest) -> bytes:
    buffer = io.BytesIO()  # in memory: a temporary file would hold the plaintext on disk
    listed: list[dict[str, Any]] = []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
        for n, item in enumerate(items, 1):
            path, content = _evidence_file(ctx, n, item)
            bundle.writestr(path, content)
            listed.append({"path": path, "evidence_id": item.id, "kind": item.kind,
                           "tlp": item.tlp, "media_type": item.media_type,
                           "sha256": evidence_service.receipt_sha256(ctx, item),
                           "size": len(content),
                           "added_by": item.added_by, "added_at": item.created_at.isoformat()})
        body = _json(cases.export_record(ctx, case, request.include_internal_notes))
        bundle.writestr("case.json", body)
        listed.append({"path": "case.json", "sha256": hashlib.sha256(body).hexdigest(),
                       "size": len(body)})
        bundle.writestr(f"TLP-{_label(label)}.txt", _marking(label))
        bundle.writestr("manifest.json", _json(_manifest(ctx, case, label, request, listed)))
    return buffer.getvalue()


def _evidence_file(ctx: Context, n: int, item: Evidence) -> tuple[str, bytes]:
    if item.kind != EvidenceKind.FILE.value or item.blob_name is None:
        text = ctx.vault.open_row_text("evidence", item, "content_sealed")
        content = text.encode("utf-8")
        path = f"evidence/{n:03d}-{item.kind}.txt"
    else:  # the file itself (its sealed text is only its name)
        content = b"".join(ctx.vault.open_file(item.key_id, item.id, item.blob_name))
        path = f"evidence/{n:03d}-file-{item.id[:8]}{safe_extension(item.media_type)}"
    try:
        evidence_service.check_receipt_hash(ctx, item, content)
    except IntegrityFailure as failure:
        raise IntegrityFailure(f"{failure}; nothing was exported") from None
    return path, content


def _manifest(ctx: Context, case: Case, label: TLP, request: ExportRequest,
              listed: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "format": FORMAT, "generator": f"Qalxan {__version__}", "tlp": label.value,
        "tlp_handling": HANDLING[label], "case_reference": case.reference,
        "exported_at": ctx.now().isoformat(), "exported_by": ctx.actor.label,
        "recipient": request.recipient,
        "recipient_clearance": (request.recipient_clearance.value
                                if request.recipient_clearance else None),
        "purpose": request.purpose, "files": listed,
    }


def _marking(label: TLP) -> bytes:
    return (f"TLP:{_label(label)}\n\n{HANDLING[label]}\n\n"
            f"(Traffic Light Protocol 2.0, https://www.first.org/tlp/)\n").encode()


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True,
                      default=str).encode("utf-8")
