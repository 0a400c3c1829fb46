"""The closed vocabularies of the domain, stored as their string values."""

from __future__ import annotations

from enum import StrEnum


class OrgKind(StrEnum):
    HELPDESK = "helpdesk"
    FUND = "fund"
    NETWORK = "network"


class Role(StrEnum):
    ADMIN = "admin"
    CASE_HANDLER = "case_handler"
    ANALYST = "analyst"
    COORDINATOR = "coordinator"
    MISSION_OBSERVER = "mission_observer"


class DefenderKind(StrEnum):
    INDIVIDUAL = "individual"
    ORGANISATION = "organisation"


class IncidentSource(StrEnum):
    REPORT = "report"
    DETECTION = "detection"


class CaseStatus(StrEnum):
    NEW = "new"
    TRIAGE = "triage"
    OPEN = "open"
    WAITING = "waiting"
    RESOLVED = "resolved"
    CLOSED = "closed"


class Outcome(StrEnum):
    SUPPORTED = "supported"
    REFERRED = "referred"
    OUT_OF_MANDATE = "out_of_mandate"
    NO_RESPONSE = "no_response"
    DUPLICATE = "duplicate"
    WITHDRAWN = "withdrawn"


class TLP(StrEnum):
    """Traffic Light Protocol 2.0, ordered from least to most restricted."""

    CLEAR = "clear"
    GREEN = "green"
    AMBER = "amber"
    AMBER_STRICT = "amber+strict"
    RED = "red"

    @property
    def rank(self) -> int:
        return list(TLP).index(self)


class EvidenceKind(StrEnum):
    TEXT = "text"
    FILE = "file"
    URL = "url"


class MessageKind(StrEnum):
    """Notes on a case: internal to staff, a reply to the defender, or from the defender."""

    INTERNAL = "internal"
    REPLY = "reply"
    DEFENDER = "defender"


class ContactChannel(StrEnum):
    RECEIPT_ONLY = "receipt_only"
    EMAIL = "email"
    SIGNAL = "signal"
    WHATSAPP = "whatsapp"
    TELEGRAM = "telegram"
    PHONE = "phone"
    OTHER = "other"


class Urgency(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class ReferralKind(StrEnum):
    REFERRAL = "referral"
    RESOURCE = "resource"


class AlertStatus(StrEnum):
    """An alert is open until a person dismisses it or turns it into an incident."""

    OPEN = "open"
    DISMISSED = "dismissed"
    ESCALATED = "escalated"
