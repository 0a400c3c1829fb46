"""Cases: the queue, a case file, and the actions handlers take on it."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request, Response, status

from qalxan.security.access import Actor
from qalxan.security.access import Permission as P
from qalxan.services import cases
from qalxan.services.schemas import (
    AccessGrant,
    Assignment,
    CaseFilter,
    CaseUpdate,
    NoteInput,
    ReferralInput,
    StatusChange,
)
from qalxan.web.deps import api, platform_of

router = APIRouter(prefix="/cases", tags=["cases"])


@router.get("", response_model=cases.Page)
def list_cases(request: Request, flt: CaseFilter = Depends(),
               actor: Actor = api(P.CASE_LIST)) -> cases.Page:
    """The queue of cases the caller may see: highest risk first, then longest waiting."""
    return platform_of(request).run(actor, cases.list_cases, flt)


@router.get("/{case_id}", response_model=cases.CaseDetail)
def get_case(case_id: str, request: Request, actor: Actor = api(P.CASE_READ)) -> Any:
    """The whole case file (every read is recorded in the audit trail)."""
    return platform_of(request).run(actor, cases.get_case, case_id)


@router.patch("/{case_id}", response_model=cases.CaseSummary)
def update_case(case_id: str, body: CaseUpdate, request: Request,
                actor: Actor = api(P.CASE_UPDATE)) -> cases.CaseSummary:
    return platform_of(request).run(actor, cases.update_case, case_id, body)


@router.post("/{case_id}/status", response_model=cases.CaseSummary)
def change_status(case_id: str, body: StatusChange, request: Request,
                  actor: Actor = api(P.CASE_UPDATE)) -> cases.CaseSummary:
    """Move the case along its workflow (new → triage → open → waiting → resolved → closed)."""
    return platform_of(request).run(actor, cases.change_status, case_id, body)


@router.post("/{case_id}/assignment", response_model=cases.CaseSummary)
def assign(case_id: str, body: Assignment, request: Request,
           actor: Actor = api(P.CASE_UPDATE)) -> cases.CaseSummary:
    return platform_of(request).run(actor, cases.assign, case_id, body)


@router.post("/{case_id}/notes", status_code=status.HTTP_201_CREATED)
def add_note(case_id: str, body: NoteInput, request: Request,
             actor: Actor = api(P.NOTE_ADD)) -> dict[str, str]:
    """An internal note, or (kind=reply) a reply the defender reads with their receipt."""
    return {"id": platform_of(request).run(actor, cases.add_note, case_id, body)}


@router.post("/{case_id}/referrals", status_code=status.HTTP_201_CREATED)
def add_referral(case_id: str, body: ReferralInput, request: Request,
                 actor: Actor = api(P.REFERRAL_ADD)) -> dict[str, str]:
    return {"id": platform_of(request).run(actor, cases.add_referral, case_id, body)}


@router.post("/{case_id}/access", status_code=status.HTTP_204_NO_CONTENT)
def grant_access(case_id: str, body: AccessGrant, request: Request,
                 actor: Actor = api(P.CASE_UPDATE)) -> Response:
    """Let one more user see this case (a coordinator, or a handler of a restricted case)."""
    platform_of(request).run(actor, cases.grant_access, case_id, body.user_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.delete("/{case_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_case(case_id: str, request: Request, actor: Actor = api(P.CASE_DELETE)) -> Response:
    """Delete a case for good: its data keys are destroyed (crypto-shredding)."""
    platform_of(request).run(actor, cases.delete_case, case_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
