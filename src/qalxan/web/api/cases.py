"""Cases: the queue, a case file, and the actions handlers take on it."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request, Response, status

from qalxan.security.access import Actor
from qalxan.security.access import Permission as P
from qalxan.services import cases, sharing
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
    """Let one more user see this case (a coordinator, or a handler of a restricted case).
    Only the case's own organisation shares it; another organisation's user needs the
    defender's consent, and every user a clearance that covers the case's TLP label, on
    every access, not only now."""
    platform_of(request).run(actor, cases.grant_access, case_id, body.user_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/{case_id}/access/revoke", status_code=status.HTTP_204_NO_CONTENT)
def revoke_access(case_id: str, body: AccessGrant, request: Request,
                  actor: Actor = api(P.CASE_UPDATE)) -> Response:
    """End a user's grant on this case at once (`owning-organisation-only` for anyone but
    the case's own organisation). The grant stays listed in `grants`, as ended."""
    platform_of(request).run(actor, sharing.revoke_access, case_id, body.user_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/{case_id}/consent/withdraw")
def withdraw_consent(case_id: str, request: Request,
                     actor: Actor = api(P.CASE_UPDATE)) -> dict[str, int]:
    """Record that the defender withdraws their consent to share this case with other
    organisations: every grant held by another organisation's user ends with it
    (`grants_ended`). Only the case's own organisation."""
    return {"grants_ended": platform_of(request).run(actor, sharing.withdraw_consent, case_id)}


@router.delete("/{case_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_case(case_id: str, request: Request, actor: Actor = api(P.CASE_DELETE)) -> Response:
    """Delete a case for good: its data keys are destroyed (crypto-shredding)."""
    platform_of(request).run(actor, cases.delete_case, case_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
