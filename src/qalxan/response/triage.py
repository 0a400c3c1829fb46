"""Triage: an explainable risk score that orders the case queue.

The score (0–100) adds the defender's stated urgency, the most severe finding per threat
code, and a large weight for a physical-risk flag, so the queue shows first the cases where
online attacks may lead to physical harm.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from qalxan.domain.enums import Urgency

URGENCY_POINTS: Final[dict[Urgency, int]] = {
    Urgency.LOW: 5, Urgency.MEDIUM: 15, Urgency.HIGH: 30, Urgency.CRITICAL: 45,
}
CODE_WEIGHTS: Final[dict[str, int]] = {
    "harassment.threat": 20, "doxing": 20, "surveillance": 15, "surveillance.spyware": 20,
    "account_compromise": 12, "phishing": 10, "harassment.sexual": 12, "smear": 8,
    "harassment.hate": 8, "harassment.sexist": 8, "harassment": 6, "disinformation": 6,
}
PHYSICAL_RISK_POINTS: Final = 30


def risk_score(urgency: Urgency, findings: Iterable[tuple[str, float]], physical_risk: bool) -> int:
    """Score from urgency, (code, score) findings and the physical-risk flag."""
    best: dict[str, float] = {}
    for code, score in findings:
        best[code] = max(best.get(code, 0.0), score)
    points = URGENCY_POINTS[urgency] + sum(
        CODE_WEIGHTS.get(code, 4) * score for code, score in best.items()
    )
    if physical_risk:
        points += PHYSICAL_RISK_POINTS
    return min(100, round(points))
