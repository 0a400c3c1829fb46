"""The case workflow and its closing rules."""

from __future__ import annotations

import pytest

from qalxan.domain.enums import CaseStatus as S
from qalxan.domain.enums import Outcome
from qalxan.domain.workflow import check_transition
from qalxan.errors import InvalidInput, InvalidTransition, ReferralRequired


@pytest.mark.parametrize(("current", "target"), [
    (S.NEW, S.TRIAGE), (S.TRIAGE, S.OPEN), (S.OPEN, S.WAITING), (S.WAITING, S.OPEN),
    (S.CLOSED, S.OPEN),
])
def test_forward_moves_without_outcome(current: S, target: S) -> None:
    assert check_transition(current, target, None, 0) is None


@pytest.mark.parametrize(("current", "target"), [
    (S.NEW, S.OPEN), (S.NEW, S.RESOLVED), (S.TRIAGE, S.WAITING), (S.CLOSED, S.RESOLVED),
    (S.OPEN, S.NEW),
])
def test_skipping_steps_is_refused(current: S, target: S) -> None:
    with pytest.raises(InvalidTransition, match="allowed"):
        check_transition(current, target, None, 0)


def test_resolving_needs_an_outcome() -> None:
    with pytest.raises(InvalidInput, match="needs an outcome"):
        check_transition(S.OPEN, S.RESOLVED, None, 0)
    assert check_transition(S.OPEN, S.RESOLVED, Outcome.SUPPORTED, 0) is Outcome.SUPPORTED


def test_out_of_mandate_needs_a_referral_or_resource() -> None:
    with pytest.raises(ReferralRequired):
        check_transition(S.OPEN, S.RESOLVED, Outcome.OUT_OF_MANDATE, 0)
    with pytest.raises(ReferralRequired):
        check_transition(S.NEW, S.CLOSED, Outcome.OUT_OF_MANDATE, 0)
    assert check_transition(S.NEW, S.CLOSED, Outcome.OUT_OF_MANDATE, 1) is Outcome.OUT_OF_MANDATE


def test_outcome_only_when_closing() -> None:
    with pytest.raises(InvalidInput):
        check_transition(S.NEW, S.TRIAGE, Outcome.SUPPORTED, 0)
