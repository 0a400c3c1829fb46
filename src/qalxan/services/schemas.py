"""Validated inputs and outputs of the service layer, shared by the REST API and the web UI.

Inputs forbid unknown fields, so a typo in a client is an error rather than silently ignored.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

from qalxan import taxonomy
from qalxan.domain import review
from qalxan.domain.enums import (
    TLP,
    CaseStatus,
    ContactChannel,
    DefenderKind,
    EvidenceKind,
    MessageKind,
    OrgKind,
    Outcome,
    ReferralKind,
    Role,
    Urgency,
)

ShortText = Annotated[str, Field(max_length=2000)]
Link = Annotated[str, Field(min_length=4, max_length=2048)]


class Input(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _check_codes(codes: list[str]) -> list[str]:
    unknown = [c for c in codes if not taxonomy.is_code(c)]
    if unknown:
        raise ValueError(f"unknown threat type(s): {', '.join(unknown)}")
    return sorted(set(codes))


class ReportSubmission(Input):
    """What a defender (or a handler on their behalf) reports."""

    what_happened: str = Field(min_length=1, max_length=50_000)
    threat_types: list[str] = Field(default_factory=list, max_length=20)
    started_on: date | None = None
    who_affected: ShortText | None = None
    urgency: Urgency = Urgency.MEDIUM
    support_wanted: ShortText | None = None
    other_organisations: ShortText | None = None
    contact_channel: ContactChannel = ContactChannel.RECEIPT_ONLY
    contact_address: Annotated[str, Field(max_length=500)] | None = None
    consent_to_share: bool = False
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] | None = None
    defender_kind: DefenderKind = DefenderKind.INDIVIDUAL
    defender_name: Annotated[str, Field(max_length=300)] | None = None
    links: list[Link] = Field(default_factory=list, max_length=20)
    language: Annotated[str, Field(max_length=20)] | None = None

    _codes = field_validator("threat_types")(_check_codes)

    @field_validator("country", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value


class FollowupMessage(Input):
    text: str = Field(min_length=1, max_length=50_000)
    links: list[Link] = Field(default_factory=list, max_length=20)


class ReviewInput(Input):
    """The defender's review of the help received (``domain/review.py``): a rating from 1 to
    5, optional answers to the fixed questions, an optional comment (sealed when stored)."""

    rating: int = Field(ge=1, le=5)
    answers: dict[str, str] = Field(default_factory=dict)
    comment: str = Field(default="", max_length=5000)

    @field_validator("answers")
    @classmethod
    def _known_answers(cls, value: dict[str, str]) -> dict[str, str]:
        return review.check_answers(value)


class FeedInput(Input):
    """Where an imported indicator feed comes from (kept in the feeds' manifest)."""

    campaign: str = Field(default="", max_length=200)
    report: str = Field(default="", max_length=500)
    source: str = Field(min_length=1, max_length=200)
    licence: str = Field(default="", max_length=100)


class Receipt(BaseModel):
    case_reference: str
    receipt_code: str
    created_at: datetime


class StatusChange(Input):
    status: CaseStatus
    outcome: Outcome | None = None


class Assignment(Input):
    assignee_id: str | None


class AccessGrant(Input):
    user_id: str = Field(min_length=1, max_length=36)


class NoteInput(Input):
    text: str = Field(min_length=1, max_length=50_000)
    kind: MessageKind = MessageKind.INTERNAL


class ReferralInput(Input):
    kind: ReferralKind = ReferralKind.REFERRAL
    mechanism: str = Field(min_length=1, max_length=200)


class CaseUpdate(Input):
    tlp: TLP | None = None
    urgency: Urgency | None = None
    restricted: bool | None = None
    tags: list[str] | None = None

    @field_validator("tags")
    @classmethod
    def _tags(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else _check_codes(value)


class TextEvidenceInput(Input):
    kind: EvidenceKind = EvidenceKind.TEXT
    content: str = Field(min_length=1, max_length=50_000)
    tlp: TLP = TLP.AMBER

    @field_validator("kind")
    @classmethod
    def _not_file(cls, value: EvidenceKind) -> EvidenceKind:
        if value is EvidenceKind.FILE:
            raise ValueError("files are uploaded to the file endpoint")
        return value


class CaseFilter(Input):
    status: CaseStatus | None = None
    threat: str | None = None
    country: str | None = None
    assignee_id: str | None = None
    tlp: TLP | None = None
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=1_000_000)


class UserInput(Input):
    email: str = Field(pattern=r"^[^@\s]+@[^@\s]+$", max_length=254)
    display_name: str = Field(min_length=1, max_length=200)
    role: Role
    org_id: str | None = None
    clearance: TLP = Field(TLP.AMBER, description="Most restricted TLP label this user may "
                           "receive in a share")


class OrganisationInput(Input):
    """A partner organisation added by an admin (it never takes reports at first)."""

    name: str = Field(min_length=1, max_length=200)
    kind: OrgKind


class OrganisationUpdate(Input):
    name: str = Field(min_length=1, max_length=200)
    accepts_intake: bool


class TokenInput(Input):
    name: str = Field(min_length=1, max_length=100)
    scopes: list[str] = Field(min_length=1)
    expires_in_days: int | None = Field(None, ge=1, le=3650)
