"""Staff case pages: the queue, a case file, and one form route per action on a case.

Each action posts to its own route, calls one service function and redirects (303) back to
the case page; the services check the permission again and the access to the case.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from qalxan.domain.enums import TLP, CaseStatus, Outcome, ReferralKind
from qalxan.domain.workflow import TRANSITIONS
from qalxan.errors import InvalidInput
from qalxan.security.access import Permission as P
from qalxan.services import cases, evidence, sharing
from qalxan.services.auth import SessionInfo
from qalxan.services.schemas import (
    AccessGrant,
    Assignment,
    CaseFilter,
    NoteInput,
    ReferralInput,
    StatusChange,
    TextEvidenceInput,
)
from qalxan.web.deps import page, platform_of
from qalxan.web.ui import exports, queue
from qalxan.web.ui.forms import form_values, staff_input
from qalxan.web.ui.rendering import redirect, render
from qalxan.web.uploads import read_uploads

router = APIRouter(include_in_schema=False)
NEEDS_CASE_LIST = page(P.CASE_LIST)
NEEDS_CASE_READ = page(P.CASE_READ)
NEEDS_CASE_UPDATE = page(P.CASE_UPDATE)
NEEDS_EVIDENCE_ADD = page(P.EVIDENCE_ADD)
NEEDS_EVIDENCE_READ = page(P.EVIDENCE_READ)
NEEDS_NOTE_ADD = page(P.NOTE_ADD)
NEEDS_REFERRAL_ADD = page(P.REFERRAL_ADD)


def _tlp(value: str | None) -> TLP:
    try:
        return TLP(value or TLP.AMBER.value)
    except ValueError:
        raise InvalidInput("please check: tlp") from None


@router.get("/cases", response_class=HTMLResponse)
def queue_page(request: Request, info: SessionInfo = NEEDS_CASE_LIST) -> HTMLResponse:
    params = queue.filter_values(request.query_params, info)
    flt = staff_input(CaseFilter, params)
    result = platform_of(request).run(info.actor, cases.list_cases, flt)
    return render(request, "queue.html", session=info, csrf_token=info.csrf_token,
                  page=result, filters=queue.shown_filters(request.query_params),
                  pages=queue.pagination(request.query_params, result))


@router.get("/cases/{case_id}", response_class=HTMLResponse)
def case_page(case_id: str, request: Request, export: str = "",
              info: SessionInfo = NEEDS_CASE_READ) -> HTMLResponse:
    detail = platform_of(request).run(info.actor, cases.get_case, case_id)
    status = CaseStatus(detail.summary.status)
    return render(request, "case.html", session=info, csrf_token=info.csrf_token, case=detail,
                  next_statuses=[s for s in CaseStatus if s in TRANSITIONS[status]], tlps=list(TLP),
                  texts=queue.texts_by_source(detail), spans=queue.spans_by_source(detail),
                  outcomes=list(Outcome), referral_kinds=list(ReferralKind),
                  export_problem=exports.PROBLEMS.get(export))


def _back(case_id: str, section: str) -> Response:
    return redirect(f"/cases/{case_id}#{section}")


@router.post("/cases/{case_id}/status")
async def change_status(case_id: str, request: Request,
                        info: SessionInfo = NEEDS_CASE_UPDATE) -> Response:
    change = staff_input(StatusChange, form_values(await request.form(), ("status", "outcome")))
    await platform_of(request).run_async(info.actor, cases.change_status, case_id, change)
    return _back(case_id, "status")


@router.post("/cases/{case_id}/assignment")
async def assign(case_id: str, request: Request,
                 info: SessionInfo = NEEDS_CASE_UPDATE) -> Response:
    form = form_values(await request.form(), ("assignee",))
    assignee = form.get("assignee")
    data = Assignment(assignee_id=info.actor.user_id if assignee == "me" else assignee)
    await platform_of(request).run_async(info.actor, cases.assign, case_id, data)
    return _back(case_id, "status")


@router.post("/cases/{case_id}/notes")
async def add_note(case_id: str, request: Request,
                   info: SessionInfo = NEEDS_NOTE_ADD) -> Response:
    note = staff_input(NoteInput, form_values(await request.form(), ("text", "kind")))
    await platform_of(request).run_async(info.actor, cases.add_note, case_id, note)
    return _back(case_id, "notes")


@router.post("/cases/{case_id}/referrals")
async def add_referral(case_id: str, request: Request,
                       info: SessionInfo = NEEDS_REFERRAL_ADD) -> Response:
    referral = staff_input(ReferralInput,
                           form_values(await request.form(), ("kind", "mechanism")))
    await platform_of(request).run_async(info.actor, cases.add_referral, case_id, referral)
    return _back(case_id, "referrals")


@router.post("/cases/{case_id}/access/revoke")
async def revoke_access(case_id: str, request: Request,
                        info: SessionInfo = NEEDS_CASE_UPDATE) -> Response:
    grant = staff_input(AccessGrant, form_values(await request.form(), ("user_id",)))
    await platform_of(request).run_async(info.actor, sharing.revoke_access, case_id,
                                         grant.user_id)
    return _back(case_id, "sharing")


@router.post("/cases/{case_id}/consent/withdraw")
async def withdraw_consent(case_id: str, request: Request,
                           info: SessionInfo = NEEDS_CASE_UPDATE) -> Response:
    await platform_of(request).run_async(info.actor, sharing.withdraw_consent, case_id)
    return _back(case_id, "sharing")


@router.post("/cases/{case_id}/evidence")
async def add_evidence(case_id: str, request: Request,
                       info: SessionInfo = NEEDS_EVIDENCE_ADD) -> Response:
    item = staff_input(TextEvidenceInput,
                       form_values(await request.form(), ("kind", "content", "tlp")))
    await platform_of(request).run_async(info.actor, evidence.add_text_evidence, case_id, item)
    return _back(case_id, "evidence")


@router.post("/cases/{case_id}/evidence/files")
async def upload_files(case_id: str, request: Request,
                       info: SessionInfo = NEEDS_EVIDENCE_ADD) -> Response:
    platform = platform_of(request)
    form = await request.form()
    uploads = await read_uploads(form, platform.settings.max_upload_bytes)
    if not uploads:
        raise InvalidInput("choose at least one file to upload")
    tlp = _tlp(form_values(form, ("tlp",)).get("tlp"))
    for upload in uploads:
        await platform.run_async(info.actor, evidence.add_file_evidence, case_id, upload.filename,
                     upload.media_type, upload.data, tlp)
    return _back(case_id, "evidence")


@router.get("/evidence/{evidence_id}/download")
def download(evidence_id: str, request: Request,
             info: SessionInfo = NEEDS_EVIDENCE_READ) -> Response:
    """The original file, always as an attachment: the browser never renders it."""
    item, data = platform_of(request).run(info.actor, evidence.download_evidence, evidence_id)
    return Response(data, media_type="application/octet-stream", headers={
        "Content-Disposition": f'attachment; filename="evidence-{item.id}"',
        "X-Content-SHA256": item.sha256,
    })
