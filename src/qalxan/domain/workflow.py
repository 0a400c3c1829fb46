"""The case workflow: new → triage → open → waiting → resolved → closed.

Pure rules; the service layer applies them and records each transition on the timeline.
"""

from __future__ import annotations

from typing import Final

from qalxan.domain.enums import CaseStatus, Outcome
from qalxan.errors import InvalidInput, InvalidTransition, ReferralRequired

S = CaseStatus

TRANSITIONS: Final[dict[CaseStatus, frozenset[CaseStatus]]] = {
    S.NEW: frozenset({S.TRIAGE, S.CLOSED}),
    S.TRIAGE: frozenset({S.OPEN, S.CLOSED}),
    S.OPEN: frozenset({S.WAITING, S.RESOLVED}),
    S.WAITING: frozenset({S.OPEN, S.RESOLVED}),
    S.RESOLVED: frozenset({S.CLOSED, S.OPEN}),
    S.CLOSED: frozenset({S.OPEN}),
}

NEEDS_OUTCOME: Final[frozenset[CaseStatus]] = frozenset({S.RESOLVED, S.CLOSED})


def check_transition(
    current: CaseStatus, target: CaseStatus, outcome: Outcome | None, referral_count: int
) -> Outcome | None:
    """Validate a status change; returns the outcome to store (None when reopening)."""
    if target not in TRANSITIONS[current]:
        allowed = ", ".join(sorted(TRANSITIONS[current])) or "none"
        raise InvalidTransition(
            f"a case cannot go from {current.value} to {target.value}; allowed: {allowed}"
        )
    if target not in NEEDS_OUTCOME:
        if outcome is not None:
            raise InvalidInput("an outcome is given only when resolving or closing a case")
        return None
    if outcome is None:
        raise InvalidInput(f"moving a case to {target.value} needs an outcome")
    if outcome is Outcome.OUT_OF_MANDATE and referral_count == 0:
        raise ReferralRequired(
            "record at least one referral or resource before closing a case as out_of_mandate"
        )
    return outcome
