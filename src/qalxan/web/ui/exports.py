"""Exporting a case from its page: the TLP-labelled ZIP bundle, downloaded as an attachment
under the bundle's own file name. A refusal for the recipient's clearance or the defender's
consent leads back to the case with a message; without a recent sign-in the confirmation
page comes first (as for the other sensitive actions), then the case page again."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from starlette.datastructures import FormData

from qalxan.errors import ClearanceInsufficient, ConsentMissing
from qalxan.security.access import Permission as P
from qalxan.services import exports
from qalxan.services.auth import SessionInfo
from qalxan.web.api.exports import bundle_response
from qalxan.web.deps import page, platform_of
from qalxan.web.ui.forms import form_values, staff_input
from qalxan.web.ui.i18n import N_
from qalxan.web.ui.rendering import redirect

router = APIRouter(include_in_schema=False)
NEEDS_CASE_EXPORT = page(P.CASE_EXPORT)
PROBLEMS = {
    "clearance": N_("Nothing was exported: the case or some of its evidence is labelled above "
                    "the recipient's clearance."),
    "consent": N_("Nothing was exported: the defender has not agreed to share this case "
                  "outside the organisation."),
}


def export_request(form: FormData) -> exports.ExportRequest:
    """The export form as a request: for oneself (internal notes if ticked) or for someone
    outside the organisation (their clearance required, never internal notes: the
    request's own rules)."""
    values = form_values(form, ("recipient", "purpose", "include_internal_notes"))
    if values.get("recipient") == "external":
        values.update(form_values(form, ("recipient_clearance",)))
    return staff_input(exports.ExportRequest, values)


@router.post("/cases/{case_id}/export")
async def export_case(case_id: str, request: Request,
                      info: SessionInfo = NEEDS_CASE_EXPORT) -> Response:
    data = export_request(await request.form())
    try:
        bundle = await platform_of(request).run_async(info.actor, exports.export_case, case_id,
                                                      data)
    except ClearanceInsufficient:
        return redirect(f"/cases/{case_id}?export=clearance#export")
    except ConsentMissing:
        return redirect(f"/cases/{case_id}?export=consent#export")
    return bundle_response(bundle)
