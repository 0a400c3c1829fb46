"""Public intake and receipt follow-up.

The receipt code travels in the request body, never in the URL, so it cannot end up in
access logs or browser history.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Header, Request, Response, status
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy.exc import IntegrityError
from starlette.concurrency import run_in_threadpool

from qalxan.errors import InvalidInput, MalformedJson, QalxanError
from qalxan.security.access import Actor, Permission
from qalxan.services import followup, intake
from qalxan.services.schemas import FollowupMessage, Receipt, ReportSubmission
from qalxan.web.api.forged_requests import PROBLEM_CONTENT
from qalxan.web.deps import ApiRequirement, platform_of, public
from qalxan.web.problems import validation_errors
from qalxan.web.uploads import multipart_schema, read_uploads, submission_size

router = APIRouter(tags=["intake"])
UNAVAILABLE: dict[int | str, dict[str, Any]] = {503: {
    "description": "The server cannot take it now (disk nearly full, the window's quota "
                   "spent, too many being analysed); nothing was stored: try again after "
                   "Retry-After seconds",
    "headers": {"Retry-After": {"schema": {"type": "integer"}}},
    "content": PROBLEM_CONTENT}}


class ReceiptCode(BaseModel):
    model_config = ConfigDict(extra="forbid")
    receipt_code: str = Field(min_length=1, max_length=64)


class FollowupPost(FollowupMessage):
    receipt_code: str = Field(min_length=1, max_length=64)


def _actor(request: Request, default: Actor) -> Actor:
    """An integrator's token makes the report theirs; without one it is a defender's."""
    if request.headers.get("authorization"):
        return ApiRequirement(Permission.PUBLIC_INTAKE)(request)
    return default


def _submit(request: Request, default: Actor, report: ReportSubmission,
            uploads: tuple[intake.Upload, ...], idempotency_key: str | None) -> Receipt:
    """Everything of a submission that touches the database, in one worker thread."""
    platform, who = platform_of(request), _actor(request, default)
    try:
        return platform.run(who, intake.submit_report, report, uploads, idempotency_key)
    except IntegrityError:
        if idempotency_key is None:
            raise
        # a concurrent retry with the same key committed first: answer with its receipt
        return platform.run(who, intake.submit_report, report, uploads, idempotency_key)


async def _parse(request: Request) -> tuple[ReportSubmission, tuple[intake.Upload, ...]]:
    platform = platform_of(request)
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        form = await request.form()
        raw = form.get("report")
        if not isinstance(raw, str):
            raise InvalidInput("a multipart submission needs a 'report' part holding JSON")
        uploads = await read_uploads(form, platform.settings.max_upload_bytes)
    else:
        raw, uploads = (await request.body()).decode("utf-8", "replace"), ()
    try:
        return ReportSubmission.model_validate_json(raw), uploads
    except ValidationError as exc:
        raise _invalid(exc) from None


def _invalid(exc: ValidationError) -> QalxanError:
    errors = validation_errors(list(exc.errors()))
    if any(e["message"].startswith("Invalid JSON") for e in errors):
        return MalformedJson("the report is not valid JSON")
    return InvalidInput("; ".join(f"{e['field']}: {e['message']}" for e in errors))


@router.post("/intake", status_code=status.HTTP_201_CREATED, response_model=Receipt,
             responses=UNAVAILABLE,
             openapi_extra={"requestBody": {"content": {
                 "application/json": {"schema": {
                     "$ref": "#/components/schemas/ReportSubmission"}},
                 "multipart/form-data": {"schema": multipart_schema(
                     {"report": {"type": "string",
                                 "description": "the report (ReportSubmission) as JSON"}},
                     required=("report",))}},
                 "required": True}})
async def submit(request: Request, actor: Actor = public("defenders report without an account"),
                 idempotency_key: str | None = Header(None)) -> Response:
    """Submit a report (JSON, or multipart with a `report` JSON part and `files`).

    When the server cannot take it now (disk nearly full, the window's quota spent, too many
    reports being analysed), the answer is 503 with ``Retry-After``, and nothing was stored.
    """
    platform = platform_of(request)
    with platform.intake_capacity.admit(submission_size(request, platform.settings)):
        report, uploads = await _parse(request)
        # one hand-off to a worker thread for the token, the transaction and a retry, so
        # that the event loop keeps serving other requests while this one waits on the
        # database
        receipt = await run_in_threadpool(_submit, request, actor, report, uploads,
                                          idempotency_key)
    # the receipt is already a validated model: serialised once, not validated again
    return Response(receipt.model_dump_json(), status.HTTP_201_CREATED,
                    media_type="application/json")


@router.post("/followup/view", response_model=followup.FollowupView)
def view(body: ReceiptCode, request: Request,
         actor: Actor = public("a receipt code is the defender's only credential")
         ) -> followup.FollowupView:
    """Read the status of a report and the replies to it, with its receipt code."""
    return platform_of(request).run(actor, followup.view_by_receipt, body.receipt_code)


@router.post("/followup/messages", status_code=status.HTTP_204_NO_CONTENT,
             responses=UNAVAILABLE)
def add(body: FollowupPost, request: Request,
        actor: Actor = public("a receipt code is the defender's only credential")) -> None:
    """Add information to a report, with its receipt code (503 with ``Retry-After`` when
    the server cannot take it now; nothing was stored)."""
    message = FollowupMessage(text=body.text, links=body.links)
    platform = platform_of(request)
    with platform.intake_capacity.admit(submission_size(request, platform.settings)):
        platform.run(actor, followup.add_by_receipt, body.receipt_code, message)

