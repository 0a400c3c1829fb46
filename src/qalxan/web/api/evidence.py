"""Evidence items: add text, links and files to a case; read them back with audit."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response, status

from qalxan.domain.enums import TLP
from qalxan.errors import InvalidInput
from qalxan.security.access import Actor
from qalxan.security.access import Permission as P
from qalxan.services import evidence
from qalxan.services.schemas import TextEvidenceInput
from qalxan.web.deps import api, platform_of
from qalxan.web.uploads import multipart_schema, read_uploads

router = APIRouter(tags=["evidence"])


@router.post("/cases/{case_id}/evidence", status_code=status.HTTP_201_CREATED,
             response_model=evidence.EvidenceView)
def add_text(case_id: str, body: TextEvidenceInput, request: Request,
             actor: Actor = api(P.EVIDENCE_ADD)) -> evidence.EvidenceView:
    """Add a text or URL evidence item (text is analysed and its findings stored)."""
    return platform_of(request).run(actor, evidence.add_text_evidence, case_id, body)


@router.post("/cases/{case_id}/evidence/files", status_code=status.HTTP_201_CREATED,
             response_model=list[evidence.EvidenceView],
             openapi_extra={"requestBody": {"required": True, "content": {
                 "multipart/form-data": {"schema": multipart_schema(
                     {"tlp": {"type": "string", "enum": [t.value for t in TLP]}},
                     required=("files",))}}}})
async def add_files(case_id: str, request: Request,
                    actor: Actor = api(P.EVIDENCE_ADD)) -> list[evidence.EvidenceView]:
    """Upload files (multipart field `files`; optional field `tlp`)."""
    platform = platform_of(request)
    form = await request.form()
    uploads = await read_uploads(form, platform.settings.max_upload_bytes)
    if not uploads:
        raise InvalidInput("attach at least one file in the 'files' field")
    tlp = _tlp(form.get("tlp"))
    return [await platform.run_async(actor, evidence.add_file_evidence, case_id, u.filename,
                                     u.media_type, u.data, tlp) for u in uploads]


def _tlp(value: object) -> TLP:
    try:
        return TLP(str(value or TLP.AMBER.value))
    except ValueError:
        raise InvalidInput(f"tlp must be one of: {', '.join(t.value for t in TLP)}") from None


@router.get("/evidence/{evidence_id}", response_model=evidence.EvidenceView)
def read(evidence_id: str, request: Request,
         actor: Actor = api(P.EVIDENCE_READ)) -> evidence.EvidenceView:
    return platform_of(request).run(actor, evidence.read_evidence, evidence_id)


@router.get("/evidence/{evidence_id}/content")
def download(evidence_id: str, request: Request, actor: Actor = api(P.EVIDENCE_READ),
             shareable: bool = False) -> Response:
    """The file, always as an attachment (never rendered by the browser).

    ``shareable=true`` gives a copy for sharing outside, with location and device metadata
    removed (JPEG, PNG, WebP); ``X-Qalxan-Scrubbed`` says whether the type could be scrubbed.
    The original's hash is always in ``X-Content-SHA256``.
    """
    platform = platform_of(request)
    headers: dict[str, str] = {}
    if shareable:
        item, copy = platform.run(actor, evidence.shareable_copy, evidence_id)
        data, headers["X-Qalxan-Scrubbed"] = copy.data, str(copy.scrubbed).lower()
    else:
        item, data = platform.run(actor, evidence.download_evidence, evidence_id)
    headers.update({"Content-Disposition": f'attachment; filename="evidence-{item.id}"',
                    "X-Content-SHA256": item.sha256})
    return Response(data, media_type="application/octet-stream", headers=headers)
