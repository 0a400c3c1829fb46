"""Case exports: a TLP-labelled ZIP bundle for a court, an investigator or a platform."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from qalxan.security.access import Actor
from qalxan.security.access import Permission as P
from qalxan.services import exports
from qalxan.web.deps import api, platform_of

router = APIRouter(tags=["cases"])


@router.post("/cases/{case_id}/export", response_class=Response,
             responses={200: {"content": {"application/zip": {}},
                              "description": "The bundle (manifest, marking, case, evidence)."}})
def export_case(case_id: str, body: exports.ExportRequest, request: Request,
                actor: Actor = api(P.CASE_EXPORT)) -> Response:
    """Export the case as a ZIP bundle under its TLP label (the most restricted of the case's
    and its evidence's). Refused above the recipient's clearance (`clearance-insufficient`)
    and, for an external recipient, without the defender's consent (`consent-missing`).
    From a web session it needs a sign-in within the last minutes."""
    return bundle_response(platform_of(request).run(actor, exports.export_case, case_id, body))


def bundle_response(bundle: exports.ExportBundle) -> Response:
    """The ZIP download of an export, with its TLP label and SHA-256 in headers."""
    return Response(bundle.data, media_type="application/zip", headers={
        "Content-Disposition": f'attachment; filename="{bundle.filename}"',
        "X-Qalxan-TLP": bundle.tlp, "X-Content-SHA256": bundle.sha256})
