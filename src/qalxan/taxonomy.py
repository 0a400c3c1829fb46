"""The threat taxonomy: one vocabulary for findings, cases and reports (DESIGN §2).

Codes are stable identifiers stored in the database and exchanged through the API;
labels are translatable text for people. Sub-codes refine a code (``harassment.threat``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True, slots=True)
class ThreatCode:
    code: str
    label: str
    description: str
    parent: str | None = None


_CODES: Final[tuple[ThreatCode, ...]] = (
    ThreatCode("surveillance", "Surveillance", "Arbitrary or unlawful monitoring."),
    ThreatCode(
        "surveillance.spyware", "Spyware", "Mercenary spyware or stalkerware.", "surveillance"
    ),
    ThreatCode("censorship", "Censorship", "Takedown, account suspension, blocking."),
    ThreatCode("shutdown", "Internet shutdown", "Targeted Internet shutdown or throttling."),
    ThreatCode("harassment", "Harassment", "Abuse, insults, pile-ons."),
    ThreatCode("harassment.threat", "Threat of violence", "A threat of violence.", "harassment"),
    ThreatCode("harassment.sexual", "Sexual harassment", "Sexual harassment, NCII.", "harassment"),
    ThreatCode("harassment.sexist", "Sexist abuse", "Sexist or gendered abuse.", "harassment"),
    ThreatCode("harassment.hate", "Hate speech", "Hate against a protected group.", "harassment"),
    ThreatCode("smear", "Smear", "Stigmatisation and defamation of the defender."),
    ThreatCode("disinformation", "Disinformation", "False content about the defender or cause."),
    ThreatCode(
        "disinformation.gendered", "Gendered disinformation", "Gendered disinformation.",
        "disinformation",
    ),
    ThreatCode("doxing", "Doxing", "Exposure of personal data: address, phone, family, IDs."),
    ThreatCode("account_compromise", "Account compromise", "An account taken over."),
    ThreatCode("phishing", "Phishing", "Credential or malware phishing."),
    ThreatCode("impersonation", "Impersonation", "Fake accounts or sites posing as the defender."),
    ThreatCode("ddos", "DDoS", "Denial-of-service attack on a site or service."),
    ThreatCode("data_leak", "Data leak", "Leak of the defender's or organisation's data."),
    ThreatCode("device_seizure", "Device seizure", "Devices confiscated or searched."),
)

CODES: Final[dict[str, ThreatCode]] = {c.code: c for c in _CODES}


def is_code(value: str) -> bool:
    """True when ``value`` is a known taxonomy code (or sub-code)."""
    return value in CODES


def top_level(value: str) -> str:
    """The top-level code of a code or sub-code: ``harassment.threat`` → ``harassment``."""
    code = CODES[value]
    return code.parent or code.code


def all_codes() -> list[str]:
    return [c.code for c in _CODES]
