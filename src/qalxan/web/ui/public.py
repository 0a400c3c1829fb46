"""The defender's pages: landing, intake questionnaire, receipt, follow-up with the receipt code.

They work without JavaScript and without an account. The report form is a questionnaire in
four steps (``forms.REPORT_STEPS``): each step posts its answers, and the next step carries
the earlier ones as hidden fields, so nothing is stored before the report is sent. The
receipt code travels only in form bodies (never in a URL), and the receipt is shown once, in
the answer to the post.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.datastructures import FormData

from qalxan.errors import Conflict, NotFound, QalxanError
from qalxan.security.access import Actor
from qalxan.services import followup, intake, reviews
from qalxan.services.schemas import FollowupMessage, ReportSubmission
from qalxan.web.deps import platform_of, public
from qalxan.web.problems import retry_after_header
from qalxan.web.ui import forms
from qalxan.web.ui.i18n import N_, territories
from qalxan.web.ui.origin import require_same_origin
from qalxan.web.ui.rendering import language_of, render
from qalxan.web.uploads import read_uploads, submission_size

router = APIRouter(include_in_schema=False)

LANDING = public("the landing page is for everyone")
INTAKE = public("defenders report without an account")
RECEIPT = public("a receipt code is the defender's only credential")
NO_MATCH = N_("No report matches this receipt code. Check the code and try again.")
ADDED = N_("Thank you. Your information was added to your report.")
REVIEWED = N_("Thank you for your review. You can change it here as long as your report is "
              "kept.")
NOT_REVIEWABLE = N_("You can review our help once your report is resolved or closed.")
PROBLEMS = {  # what a defender reads when a post is refused (service messages are English)
    413: N_("A file is too large. Nothing was sent: please attach smaller files."),
    415: N_("This file type is not accepted, so nothing was sent. You can attach images (PNG, "
            "JPEG, GIF, WebP), PDF, ZIP, MP4 video, Ogg audio or plain text."),
    422: N_("Nothing was sent. Please check your answers and attach at most 10 files."),
    429: N_("Too many attempts. Nothing was sent. Please wait a few minutes and try again."),
    503: N_("We cannot take reports right now. Nothing was sent: please try again later."),
}
UNSENT = N_("Nothing was sent. Please try again later.")
LAST_STEP = len(forms.REPORT_STEPS)


def _refused(exc: QalxanError, page: HTMLResponse) -> HTMLResponse:
    """The page of a refused post, saying when to try again where the refusal says so."""
    if exc.retry_after is not None:
        page.headers["Retry-After"] = retry_after_header(exc.retry_after)
    return page


def problem_for(exc: QalxanError) -> str:
    """A translatable message for a refused post; the English detail stays out of the page."""
    return PROBLEMS.get(exc.status, UNSENT)


@router.get("/", response_class=HTMLResponse)
def landing(request: Request, _: Actor = LANDING) -> HTMLResponse:
    return render(request, "index.html")


def _report_form(request: Request, parsed: forms.ParsedForm | None = None, status: int = 200,
                 problem: str | None = None, step: int = 1) -> HTMLResponse:
    return render(request, "report.html", status=status,
                  countries=territories(language_of(request)),
                  values=parsed.values if parsed else {}, errors=parsed.errors if parsed else {},
                  problem=problem, step=step, steps=forms.REPORT_STEPS)


def _move(request: Request, values: dict[str, Any], step: int, move: str) -> HTMLResponse:
    """Another step of the questionnaire; forward only when this one's answers are valid."""
    if move == "back":
        return _report_form(request, forms.ParsedForm(values), step=max(1, step - 1))
    checked = forms.validate(ReportSubmission, values)
    if isinstance(checked, forms.ParsedForm):
        wrong = forms.first_step_with_errors(checked.errors, up_to=step)
        if wrong is not None:
            return _report_form(request, checked, status=422, step=wrong)
    return _report_form(request, forms.ParsedForm(values), step=step + 1)


@router.get("/report", response_class=HTMLResponse)
def report_form(request: Request, _: Actor = INTAKE) -> HTMLResponse:
    return _report_form(request)


async def _uploads(request: Request, form: FormData) -> tuple[intake.Upload, ...]:
    return await read_uploads(form, platform_of(request).settings.max_upload_bytes)


@router.post("/report", response_class=HTMLResponse)
async def submit_report(request: Request, actor: Actor = INTAKE) -> HTMLResponse:
    require_same_origin(request)
    form = await request.form()
    values = forms.form_values(form, forms.REPORT_FIELDS)
    values["language"] = language_of(request)
    step, move = forms.step_of(form)
    if step is not None and move != "send":
        return _move(request, values, step, move)
    report = forms.validate(ReportSubmission, values)
    if isinstance(report, forms.ParsedForm):
        return _report_form(request, report, status=422,
                            step=forms.first_step_with_errors(report.errors) or LAST_STEP)
    platform = platform_of(request)
    try:
        with platform.intake_capacity.admit(submission_size(request, platform.settings)):
            uploads = await _uploads(request, form)
            receipt = await platform.run_async(actor, intake.submit_report, report, uploads)
    except QalxanError as exc:
        return _refused(exc, _report_form(request, forms.ParsedForm(values), exc.status,
                                          problem_for(exc), step=LAST_STEP))
    return render(request, "receipt.html", receipt_code=receipt.receipt_code)


@router.get("/followup", response_class=HTMLResponse)
def followup_form(request: Request, _: Actor = RECEIPT) -> HTMLResponse:
    return render(request, "followup.html")


async def _thread(request: Request, actor: Actor, code: str, notice: str | None = None,
            parsed: forms.ParsedForm | None = None, status: int = 200,
            problem: str | None = None, review: forms.ParsedForm | None = None
            ) -> HTMLResponse:
    try:
        view = await platform_of(request).run_async(actor, followup.view_by_receipt, code)
    except NotFound:
        return render(request, "followup.html", status=404, problem=NO_MATCH)
    return render(request, "followup_thread.html", status=status, view=view,
                  receipt_code=code, notice=notice, problem=problem,
                  values=parsed.values if parsed else {}, errors=parsed.errors if parsed else {},
                  review_values=review.values if review else _review_values(view),
                  review_errors=review.errors if review else {})


def _review_values(view: followup.FollowupView) -> dict[str, Any]:
    """The defender's earlier review, to fill the form in for a revision."""
    if view.review is None:
        return {}
    return {"rating": str(view.review.rating), "comment": view.review.comment,
            **view.review.answers}


def _code(form: FormData) -> str:
    raw = form.get("receipt_code")
    return raw[:64] if isinstance(raw, str) else ""


@router.post("/followup", response_class=HTMLResponse)
async def followup_view(request: Request, actor: Actor = RECEIPT) -> HTMLResponse:
    require_same_origin(request)
    return await _thread(request, actor, _code(await request.form()))


@router.post("/followup/add", response_class=HTMLResponse)
async def followup_add(request: Request, actor: Actor = RECEIPT) -> HTMLResponse:
    require_same_origin(request)
    form = await request.form()
    code = _code(form)
    message = forms.validate(FollowupMessage, forms.form_values(form, forms.FOLLOWUP_FIELDS))
    if isinstance(message, forms.ParsedForm):
        return await _thread(request, actor, code, parsed=message, status=422)
    platform = platform_of(request)
    try:
        with platform.intake_capacity.admit(submission_size(request, platform.settings)):
            uploads = await _uploads(request, form)
            await platform.run_async(actor, followup.add_by_receipt, code, message, uploads)
    except NotFound:
        return render(request, "followup.html", status=404, problem=NO_MATCH)
    except QalxanError as exc:
        parsed = forms.ParsedForm(forms.form_values(form, forms.FOLLOWUP_FIELDS))
        return _refused(exc, await _thread(request, actor, code, parsed=parsed,
                                           status=exc.status, problem=problem_for(exc)))
    return await _thread(request, actor, code, notice=ADDED)


@router.post("/followup/review", response_class=HTMLResponse)
async def followup_review(request: Request, actor: Actor = RECEIPT) -> HTMLResponse:
    require_same_origin(request)
    form = await request.form()
    code = _code(form)
    review = forms.validate_review(forms.form_values(form, forms.REVIEW_FIELDS))
    if isinstance(review, forms.ParsedForm):
        return await _thread(request, actor, code, review=review, status=422)
    try:
        await platform_of(request).run_async(actor, reviews.submit_review, code, review)
    except NotFound:
        return render(request, "followup.html", status=404, problem=NO_MATCH)
    except Conflict:
        return await _thread(request, actor, code, status=409, problem=NOT_REVIEWABLE)
    return await _thread(request, actor, code, notice=REVIEWED)
