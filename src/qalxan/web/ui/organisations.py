"""Admin page: the instance's organisations, a partner organisation added, a name or the
intake changed. The services allow it to admins of the organisation that runs the instance
and ask for a recent sign-in for the changes."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from qalxan.domain.enums import OrgKind
from qalxan.security.access import Permission as P
from qalxan.services import organisations
from qalxan.services.auth import SessionInfo
from qalxan.services.schemas import OrganisationInput, OrganisationUpdate
from qalxan.web.deps import page, platform_of
from qalxan.web.ui.forms import form_values, staff_input
from qalxan.web.ui.i18n import N_
from qalxan.web.ui.rendering import redirect, render

router = APIRouter(include_in_schema=False)
NEEDS_INSTANCE_MANAGE = page(P.INSTANCE_MANAGE)
PAGE = "/admin/organisations"
NOTICES = {"added": N_("The organisation was added."), "saved": N_("The changes were saved.")}


@router.get(PAGE, response_class=HTMLResponse)
async def organisations_page(request: Request, done: str = "",
                             info: SessionInfo = NEEDS_INSTANCE_MANAGE) -> HTMLResponse:
    rows = await platform_of(request).run_async(info.actor, organisations.list_organisations)
    return render(request, "organisations.html", session=info, csrf_token=info.csrf_token,
                  organisations=rows, kinds=list(OrgKind), notice=NOTICES.get(done))


@router.post(PAGE)
async def add_partner(request: Request, info: SessionInfo = NEEDS_INSTANCE_MANAGE) -> Response:
    data = staff_input(OrganisationInput, form_values(await request.form(), ("name", "kind")))
    await platform_of(request).run_async(info.actor, organisations.add_partner, data)
    return redirect(PAGE + "?done=added")


@router.post(PAGE + "/{org_id}")
async def update(org_id: str, request: Request,
                 info: SessionInfo = NEEDS_INSTANCE_MANAGE) -> Response:
    form = await request.form()
    data = staff_input(OrganisationUpdate, form_values(form, ("name", "accepts_intake")))
    await platform_of(request).run_async(info.actor, organisations.update_organisation, org_id,
                                         data)
    return redirect(PAGE + "?done=saved")
