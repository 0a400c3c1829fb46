"""Turning submitted HTML forms into the service layer's validated inputs.

On a validation error the form is shown again with a message per field and the values
as entered; the messages never repeat the submitted values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from starlette.datastructures import FormData

from qalxan.domain.review import QUESTIONS
from qalxan.errors import InvalidInput
from qalxan.services.schemas import ReviewInput
from qalxan.web.ui.i18n import N_

M = TypeVar("M", bound=BaseModel)

LIST_FIELDS = frozenset({"threat_types"})
LINES_FIELDS = frozenset({"links", "names", "handles", "aliases", "phones", "emails",
                          "addresses"})
CHECKBOX_FIELDS = frozenset({"consent_to_share", "active", "accepts_intake",
                             "include_internal_notes"})
REPORT_FIELDS = ("what_happened", "threat_types", "started_on", "who_affected", "urgency",
                 "support_wanted", "other_organisations", "contact_channel", "contact_address",
                 "consent_to_share", "country", "defender_kind", "defender_name", "links")
FOLLOWUP_FIELDS = ("text", "links")
REVIEW_FIELDS = ("rating", *QUESTIONS, "comment")
REPORT_STEPS: tuple[tuple[str, ...], ...] = (  # the questionnaire, one fieldset per step
    ("what_happened", "threat_types", "started_on", "who_affected", "urgency"),
    ("support_wanted", "other_organisations"),
    ("defender_kind", "defender_name", "country", "contact_channel", "contact_address",
     "consent_to_share"),
    ("links",),  # with the files, which cannot be carried from step to step
)
MOVES = frozenset({"next", "back", "send"})

FIELD_MESSAGES = {
    "what_happened": N_("Please describe what happened."),
    "text": N_("Please write a message."),
    "threat_types": N_("Please choose threat types from the list."),
    "started_on": N_("Please give a date like 2025-03-31, or leave it empty."),
    "country": N_("Please choose a country from the list, or leave it empty."),
    "links": N_("Each line must be one link of at most 2048 characters; at most 20 links."),
    "contact_address": N_("The contact address may have at most 500 characters."),
    "defender_name": N_("The name may have at most 300 characters."),
    "rating": N_("Please choose a rating from 1 to 5."),
    "answers": N_("Please choose one of the answers offered."),
    "comment": N_("The comment may have at most 5000 characters."),
}
GENERIC_MESSAGE = N_("Please check this answer.")


@dataclass
class ParsedForm:
    values: dict[str, Any]  # as entered, to show the form again
    errors: dict[str, str] = field(default_factory=dict)  # field -> message id


def form_values(form: FormData, names: tuple[str, ...]) -> dict[str, Any]:
    """The named fields as the model expects them: lists, lines, checkboxes, no blanks."""
    values: dict[str, Any] = {}
    for name in names:
        if name in LIST_FIELDS:
            values[name] = [str(v) for v in form.getlist(name) if isinstance(v, str)]
        elif name in LINES_FIELDS:
            raw = form.get(name)
            lines = str(raw).splitlines() if isinstance(raw, str) else []
            values[name] = [line.strip() for line in lines if line.strip()]
        elif name in CHECKBOX_FIELDS:
            values[name] = form.get(name) in ("yes", "on", "true")
        else:
            raw = form.get(name)
            if isinstance(raw, str) and raw.strip():
                values[name] = raw.strip()
    return values


def field_errors(exc: ValidationError) -> dict[str, str]:
    errors: dict[str, str] = {}
    for error in exc.errors():
        loc = error.get("loc", ())
        name = str(loc[0]) if loc else "form"
        errors.setdefault(name, FIELD_MESSAGES.get(name, GENERIC_MESSAGE))
    return errors


def validate(model: type[M], values: dict[str, Any]) -> M | ParsedForm:
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        return ParsedForm(values, field_errors(exc))


def step_of(form: FormData) -> tuple[int | None, str]:
    """The questionnaire step a post comes from and where it goes: ``next``, ``back`` or
    ``send``; no step when the whole form came at once (it is sent)."""
    raw, move = form.get("step"), form.get("go")
    if not isinstance(raw, str) or not raw.isdigit():
        return None, "send"
    step = min(max(int(raw), 1), len(REPORT_STEPS))
    if move not in MOVES:
        move = "next" if step < len(REPORT_STEPS) else "send"
    return step, str(move)


def first_step_with_errors(errors: dict[str, str], up_to: int = len(REPORT_STEPS)) -> int | None:
    """The earliest step (1-based, at most ``up_to``) with a field that needs attention."""
    for number, names in enumerate(REPORT_STEPS[:up_to], start=1):
        if any(name in errors for name in names):
            return number
    return None


def validate_review(values: dict[str, Any]) -> ReviewInput | ParsedForm:
    """The review form (``REVIEW_FIELDS``, one radio group per question) as a review; on
    errors the values as entered, with a message on each question answered wrongly."""
    wrong = {q: FIELD_MESSAGES["answers"] for q, allowed in QUESTIONS.items()
             if q in values and values[q] not in {a.value for a in allowed}}
    data = {"rating": values.get("rating"), "comment": values.get("comment", ""),
            "answers": {q: values[q] for q in QUESTIONS if q in values and q not in wrong}}
    checked = validate(ReviewInput, data)
    if isinstance(checked, ParsedForm) or wrong:
        errors = checked.errors if isinstance(checked, ParsedForm) else {}
        return ParsedForm(values, {**wrong, **errors})
    return checked


def staff_input(model: type[M], values: dict[str, Any]) -> M:
    """A staff form's values as a service input; InvalidInput names the fields to check
    (staff pages show the service layer's English messages)."""
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        # a rule over several fields (no field of its own) says what is wrong in its words
        rules = [str(e["msg"]).removeprefix("Value error, ") for e in exc.errors()
                 if not e.get("loc")]
        if rules:
            raise InvalidInput("; ".join(rules)) from None
        names = sorted({str(e["loc"][0]) for e in exc.errors() if e.get("loc")})
        raise InvalidInput("please check: " + ", ".join(names or ["the form"])) from None
