"""Value objects the analysis engine exchanges with the rest of Qalxan.

These types are the contract between the engine and the platform: the platform builds
``Message`` objects from reports and evidence, runs detectors, and stores the ``Finding``
objects it gets back. Nothing here does I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Message:
    """One unit of text to analyse: a report, a text evidence item or a public post."""

    text: str
    lang: str | None = None
    author: str | None = None
    timestamp: datetime | None = None
    urls: tuple[str, ...] = ()
    platform: str | None = None
    source_id: str | None = None


# ``Message.platform`` of a defender's own account of what happened (their report, a follow-up
# message): a threat they say they received is a threat against them, not a report of one.
DEFENDERS_ACCOUNT = "report"


@dataclass(frozen=True, slots=True)
class Span:
    """Half-open character range ``[start, end)`` in ``Message.text``."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Finding:
    """What a detector found in one message, with what a person needs to check it.

    ``code`` is a taxonomy code (``qalxan.taxonomy``); ``score`` is in ``[0, 1]``;
    ``explanation`` is a short human sentence; ``details`` holds machine-readable facts
    (``rule``, ``label``, ``language``, ``indicator``, ``campaign``, ``report`` ...).
    ``physical_risk`` is set by escalation rules, with the rule named in ``details["rule"]``.
    """

    detector: str
    code: str
    score: float
    explanation: str
    spans: tuple[Span, ...] = ()
    details: Mapping[str, str] = field(default_factory=dict)
    physical_risk: bool = False


@dataclass(frozen=True, slots=True)
class WatchedDefender:
    """A defender's own stored details, so detectors can recognise doxing of them and
    monitoring can recognise posts that name them (``qalxan.monitoring.watchlist``)."""

    defender_id: str
    names: tuple[str, ...] = ()
    handles: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    addresses: tuple[str, ...] = ()
    region: str | None = None  # ISO 3166-1 alpha-2, helps parse local phone numbers
    aliases: tuple[str, ...] = ()  # nicknames and other spellings the defender is known by


@dataclass(frozen=True, slots=True)
class AnalysisContext:
    """What detectors may know beyond the text: the watched defenders and prior attacks."""

    watched: tuple[WatchedDefender, ...] = ()
    prior_attack_count: int = 0
    default_region: str | None = None
