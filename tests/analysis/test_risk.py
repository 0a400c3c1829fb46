"""Escalation rules: each rule has its own case, and its own near miss."""

from __future__ import annotations

import pytest

from qalxan.analysis import risk
from qalxan.analysis.message import AnalysisContext, Finding, Message, Span


def threat(start: int = 0, end: int = 5) -> Finding:
    return Finding("abuse", "harassment.threat", 0.9, "threat", (Span(start, end),))


def ruled_threat(rule: str, kind: str = "direct") -> Finding:
    details = {"rule": rule, "kind": kind, "label": "threat"}
    return Finding("abuse", "harassment.threat", 0.9, "threat", (Span(0, 5),), details)


def doxed(entity: str, **details: str) -> Finding:
    return Finding("doxing", "doxing", 0.7, "doxing", (Span(0, 3),), {"entity": entity, **details})


def rules_fired(text: str, findings: list[Finding], prior: int = 0) -> tuple[str, ...]:
    ctx = AnalysisContext(prior_attack_count=prior)
    return risk.assess(Message(text), findings, ctx).rules


CASES = [
    # home_or_family_address_doxed
    (
        "home_or_family_address_doxed",
        "She lives at 5 Main St",
        [doxed("address"), doxed("home")],
        0,
        True,
    ),
    ("home_or_family_address_doxed", "5 Main St", [doxed("address", defender_id="d1")], 0, True),
    (
        "home_or_family_address_doxed",
        "Meet at the conference, 5 Main St",
        [doxed("address")],
        0,
        False,
    ),
    # threat_references_location_or_routine
    (
        "threat_references_location_or_routine",
        "We will come. We know where you live.",
        [threat()],
        0,
        True,
    ),
    (
        "threat_references_location_or_routine",
        "Мы убьём тебя, каждое утро ты выходишь",
        [],
        0,
        True,
    ),
    ("threat_references_location_or_routine", "5 Main St", [threat(), doxed("address")], 0, True),
    ("threat_references_location_or_routine", "We know where you live.", [], 0, False),
    # threat_to_family
    ("threat_to_family", "Think of your children.", [threat()], 0, True),
    ("threat_to_family", "Seni öldüreceğiz, çocukların da", [], 0, True),
    ("threat_to_family", "his wife", [threat(), doxed("relatives")], 0, True),
    ("threat_to_family", "Say hi to your children.", [], 0, False),
    # threat_after_prior_attacks
    ("threat_after_prior_attacks", "You will pay.", [threat()], 2, True),
    ("threat_after_prior_attacks", "You will pay.", [threat()], 0, False),
    ("threat_after_prior_attacks", "Nice talk.", [], 3, False),
    # explicit_threat_of_violence: a threat read by a rule raises physical risk by itself;
    # a model's threat score alone does not
    ("explicit_threat_of_violence", "Te voy a matar", [ruled_threat("threat-grammar")], 0, True),
    ("explicit_threat_of_violence", "убью", [ruled_threat("threat-lexicon")], 0, True),
    ("explicit_threat_of_violence", "They should be shot", [threat()], 0, False),
    ("explicit_threat_of_violence", "He wrote that he would kill me", [], 0, False),
    # surveillance_at_physical_place
    ("surveillance_at_physical_place", "We are watching your house.", [], 0, True),
    ("surveillance_at_physical_place", "Мы видели тебя у подъезда, следим за тобой", [], 0, True),
    ("surveillance_at_physical_place", "Te vimos ayer frente a tu casa", [], 0, True),
    ("surveillance_at_physical_place", "On t'a suivi hier", [], 0, True),
    ("surveillance_at_physical_place", "نراقب بيتك", [], 0, True),
    ("surveillance_at_physical_place", "زیر نظرت داریم", [], 0, True),
    ("surveillance_at_physical_place", "Səni izləyirik", [], 0, True),
    ("surveillance_at_physical_place", "We are watching the match tonight.", [], 0, False),
]


@pytest.mark.parametrize(("rule", "text", "findings", "prior", "fires"), CASES)
def test_rule(rule: str, text: str, findings: list[Finding], prior: int, fires: bool) -> None:
    assert (rule in rules_fired(text, findings, prior)) is fires


def test_every_rule_is_a_named_function_with_a_docstring() -> None:
    names = {rule.__name__ for rule in risk.RULES}
    assert names == {c[0] for c in CASES}
    assert all(rule.__doc__ for rule in risk.RULES)


def test_fired_rule_yields_an_explained_physical_risk_finding() -> None:
    text = "We are watching your house."
    result = risk.assess(Message(text), [], AnalysisContext())
    [finding] = result.findings
    assert result.physical_risk and finding.physical_risk
    assert finding.details["rule"] == "surveillance_at_physical_place"
    assert finding.code == "surveillance" and finding.detector == "risk"
    assert text[finding.spans[0].start : finding.spans[0].end] == "We are watching your house"


def test_nothing_fires_on_ordinary_text() -> None:
    result = risk.assess(Message("Thanks for the workshop yesterday!"), [], AnalysisContext())
    assert not result.physical_risk and result.rules == () and result.findings == ()


def test_custom_rule_set() -> None:
    result = risk.assess(
        Message("You will pay."),
        [threat()],
        AnalysisContext(prior_attack_count=1),
        rules=[risk.threat_after_prior_attacks],
    )
    assert result.rules == ("threat_after_prior_attacks",)


@pytest.mark.parametrize(
    "text",
    [
        "Why did they hang him from the tree near your house? Because he was black",
        "Their daughter saw the lynching outside your house and laughed",
        "Deja las flores delante de tu casa",
        "Он стоял у твоего дома",
    ],
)
def test_a_place_near_someone_alone_is_no_surveillance_and_no_physical_risk(text: str) -> None:
    """A racist joke about lynching got surveillance and doxing and physical risk: "near
    your house" was read as surveillance and "their daughter" as doxing. A place is a
    location cue; surveillance needs someone saying they watch, follow or saw the person."""
    from qalxan.analysis.pipeline import analyse_messages

    [result] = analyse_messages([Message(text)], detectors=["language", "doxing"])
    assert not result.physical_risk and result.findings == ()


def test_a_threat_near_someone_s_house_is_still_a_physical_risk() -> None:
    threat = Finding("abuse", "harassment.threat", 0.9, "threat", (Span(0, 10),))
    text = "you will die, we wait outside your house"
    assessment = risk.assess(Message(text), [threat], AnalysisContext())
    assert assessment.rules == ("threat_references_location_or_routine",)
