"""Validated inputs and outputs of watch-lists, monitored sources and alerts (REST API, web UI
and CLI alike). Inputs forbid unknown fields."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, Field, field_validator

from qalxan.services.schemas import Input

Term = Annotated[str, Field(min_length=1, max_length=200)]
Terms = Annotated[list[Term], Field(max_length=50)]


class WatchEntryInput(Input):
    """A defender to watch for: how they are named and reached, in any script. At least one
    name, handle or alias. Those who may not read a defender's identity may still write it:
    when they change an entry, a name, alias or contact field they leave empty keeps what is
    stored, and one they fill in replaces it."""

    names: Terms = Field(default_factory=list, description="Full names, in every script used.")
    handles: Terms = Field(default_factory=list, description="Social-media handles.")
    aliases: Terms = Field(default_factory=list, description="Nicknames, other spellings.")
    phones: Terms = Field(default_factory=list)
    emails: Terms = Field(default_factory=list)
    addresses: Terms = Field(default_factory=list)
    region: str | None = Field(None, pattern=r"^[A-Za-z]{2}$",
                               description="ISO 3166-1 country, for local phone numbers.")
    case_id: str | None = Field(None, max_length=36,
                                description="Watch for the defender of this case.")
    active: bool = True

    @field_validator("region")
    @classmethod
    def _upper(cls, value: str | None) -> str | None:
        return value.upper() if value else None


class WatchEntrySummary(BaseModel):
    """What lists show: no names, no contact details."""

    id: str
    label: str
    active: bool
    defender_id: str | None
    open_alerts: int
    created_at: datetime


class WatchEntryView(WatchEntrySummary):
    """An entry with what is watched for. Names, aliases and contact details identify the
    defender: only the roles that may read a defender's identity get them; for the others
    they are empty, ``identity_shown`` is false and ``withheld`` names the fields that hold
    something."""

    names: list[str]
    handles: list[str]
    aliases: list[str]
    phones: list[str]
    emails: list[str]
    addresses: list[str]
    region: str | None
    identity_shown: bool = Field(
        True, description="Whether names, aliases and contact details are shown to the caller.")
    withheld: list[str] = Field(
        default_factory=list, description="Fields that hold something the caller may not read.")


class SourceInput(Input):
    kind: str = Field(min_length=1, max_length=30)
    name: str = Field(min_length=1, max_length=100)
    params: dict[Annotated[str, Field(max_length=50)], Annotated[str, Field(max_length=2048)]] \
        = Field(default_factory=dict)
    active: bool = True


class SourceView(BaseModel):
    id: str
    kind: str
    name: str
    params: dict[str, str]
    active: bool
    posts_seen: int
    last_run_at: datetime | None
    last_error: str | None


class AlertSummary(BaseModel):
    id: str
    entry_id: str
    label: str
    status: str
    reasons: list[str]
    physical_risk: bool
    post_count: int
    first_post_at: datetime
    last_post_at: datetime
    case_id: str | None


class AlertPostView(BaseModel):
    """One post behind an alert, as captured: the evidence a person checks."""

    id: str
    message_id: str
    author: str
    text: str
    link: str | None
    urls: list[str]
    posted_at: datetime
    captured_at: datetime
    sha256: str
    codes: list[str]


class CaseChoice(BaseModel):
    """A case an alert can become an incident on: the watched defender's, open, visible."""

    id: str
    reference: str
    status: str


class AlertView(AlertSummary):
    detail: dict[str, Any]
    posts: list[AlertPostView]
    incident_id: str | None
    cases: list[CaseChoice] = Field(default_factory=list)


class AlertIncidentInput(Input):
    """Turn an alert into an incident: on an existing case, or (``case_id`` empty) a new one."""

    case_id: str | None = Field(None, max_length=36)


class IncidentCreated(BaseModel):
    case_id: str
    incident_id: str
    new_case: bool
