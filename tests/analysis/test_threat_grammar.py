"""The threat grammar: threats in eight languages read by rule, and what only looks like one
(a report, a negation, an idiom, counter-speech) set aside, with the reason."""

from __future__ import annotations

from typing import Any

import pytest

from qalxan.analysis.detectors.abuse import AbuseDetector
from qalxan.analysis.detectors.threat_grammar import (
    ThreatGrammar,
    ThreatGrammarError,
    load_grammar_data,
    skeleton,
)
from qalxan.analysis.message import AnalysisContext, Message
from qalxan.analysis.pipeline import analyse_messages
from qalxan.analysis.text.normalise import normalise_text


@pytest.fixture(scope="module")
def grammar() -> ThreatGrammar:
    return ThreatGrammar.shipped()


def read(grammar: ThreatGrammar, text: str) -> tuple[list[str], list[str]]:
    norm = normalise_text(text)
    hits, gated = grammar.analyse([norm]).get(0, ([], []))
    return [h.rule.name for h in hits], [g.gate for g in gated]


THREATS = [
    ("I'm really going to kill that immigrant", "en.direct"),
    ("Muslims should be hanged", "en.normative"),
    ("We know where your children go to school", "en.veiled"),
    ("You'll end up like Khashoggi", "en.veiled"),
    ("We must not let any immigrant live", "en.call"),
    ("Realmente voy a matar a ese inmigrante", "es.direct"),
    ("Los inmigrantes deberían ser fusilados", "es.normative"),
    ("Je vais vraiment tuer ce migrant", "fr.direct"),
    ("Il faut exterminer tous les gitans", "fr.call"),
    ("Всех мигрантов надо расстрелять", "ru.normative"),
    ("Ты закончишь как Политковская", "ru.veiled"),
    ("O gazeteciyi gerçekten öldüreceğim", "tr.direct"),
    ("Bu xainlər asılmalıdır", "az.normative"),
    ("راح اقتل هذا الصحفي", "ar.direct"),
    ("هؤلاء الشواذ يجب قتلهم", "ar.normative"),
    ("همه‌ی بهایی‌ها را می‌کشیم", "fa.direct"),
    ("می‌دانیم بچه‌هایت کجا مدرسه می‌روند", "fa.veiled"),
]


@pytest.mark.parametrize(("text", "rule"), THREATS)
def test_threats_are_read_by_a_named_rule(grammar: ThreatGrammar, text: str, rule: str) -> None:
    names, _ = read(grammar, text)
    assert names and names[0].startswith(rule + "."), (text, names)


SET_ASIDE = [
    ('He wrote "I will kill you"', "report"),
    ('Dijo: "te voy a matar"', "report"),
    ('"Seni öldüreceğim" diye mesaj attı', "report"),
    ("Beni öldüreceğini yazdı", "report"),
    ("No muslim deserves to die", "negation"),
    ("Ningún inmigrante merece morir", "negation"),
    ("Heç bir qaçqın ölümə layiq deyil", "negation"),
    ("I'll shoot you an email", "idiom"),
    ("Убью за чашку кофе", "idiom"),
    ("Seni satrançta ezeceğim", "idiom"),
    ("Saying that gays should be hanged is disgusting", "counter-speech"),
    ("Decir que los gays deberían ser ahorcados es asqueroso", "counter-speech"),
]


@pytest.mark.parametrize(("text", "gate"), SET_ASIDE)
def test_reports_negations_idioms_and_counter_speech_are_set_aside(
    grammar: ThreatGrammar, text: str, gate: str
) -> None:
    names, gates = read(grammar, text)
    assert names == [] and gate in gates, (names, gates)


@pytest.mark.parametrize(
    "text",
    [
        "I could kill for a coffee",
        "Voy a matar el tiempo",
        "Je vais tuer le temps",
        "hello world",
        "The killer app of the year",
        "Tabloyu duvara asacağım",
    ],
)
def test_ordinary_text_is_no_threat(grammar: ThreatGrammar, text: str) -> None:
    assert read(grammar, text) == ([], [])


@pytest.mark.parametrize(
    "text",
    [
        "I will k i l l you",
        "I will kiill you",
        "I will klil you",
        "I will 🔫 you",
        "I w1ll k1ll y0u",
        "I will kіll you",
    ],  # the last with a Cyrillic і
)
def test_obfuscated_threats_are_read(grammar: ThreatGrammar, text: str) -> None:
    assert read(grammar, text)[0], text


def test_skeleton_joins_spelled_letters_and_halves_doubled_ones() -> None:
    assert skeleton("k i l l you") == "kil you"
    assert skeleton("kiill") == "kil"


def test_finding_explains_rule_and_span_and_raises_physical_risk() -> None:
    text = "Honestly, te voy a matar a ese periodista."
    [result] = analyse_messages([Message(text)], detectors=["language", "abuse"])
    [threat] = [f for f in result.findings if f.details.get("rule") == "threat-grammar"]
    assert threat.details["grammar_rule"] == "es.direct.ir_a"
    assert threat.details["language"] == "es" and threat.details["kind"] == "direct"
    assert "es.direct.ir_a" in threat.explanation
    assert [text[s.start : s.end] for s in threat.spans] == ["te voy a matar a ese periodista"]
    assert result.physical_risk and "explicit_threat_of_violence" in result.risk_rules


def test_a_reported_threat_raises_no_physical_risk_and_no_threat_finding() -> None:
    [result] = analyse_messages(
        [Message('My neighbour wrote: "I will kill you"')], detectors=["language", "abuse"]
    )
    assert not result.physical_risk
    assert all(f.code != "harassment.threat" for f in result.findings)


def test_threat_phrase_list_respects_the_grammar_gates() -> None:
    """A phrase of the list ("should be killed") after a negation is no threat either."""
    detector = AbuseDetector()
    findings = detector.detect([Message("Nobody should be killed")], AnalysisContext())[0]
    assert all(f.details.get("rule") not in ("threat-lexicon", "threat-grammar") for f in findings)


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d["languages"]["en"]["rules"].append(["x", "no-such-kind", "kill"]),
        lambda d: d["languages"]["en"]["rules"].append(["x", "direct", "{no_such_slot}"]),
        lambda d: d["languages"]["en"].pop("slots"),
    ],
)
def test_malformed_grammar_is_refused(change: Any) -> None:
    data = load_grammar_data()
    change(data)
    with pytest.raises(ThreatGrammarError):
        ThreatGrammar(data)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Immigrants are filthy vermin", "en"),
        ("Los gitanos son una plaga", "es"),
        ("Les réfugiés sont des parasites", "fr"),
        ("Мигранты — это крысы", "ru"),
        ("Suriyeliler bu ülkenin hastalığı", "tr"),
        ("اللاجئون حشرات", "ar"),
    ],
)
def test_derogation_of_a_group_is_hate_without_physical_risk(text: str, lang: str) -> None:
    [result] = analyse_messages([Message(text)], detectors=["language", "abuse"])
    [hate] = [f for f in result.findings if f.details.get("rule") == "threat-grammar"]
    assert hate.code == "harassment.hate" and hate.details["kind"] == "derogation"
    assert hate.details["language"] == lang
    assert not result.physical_risk


@pytest.mark.parametrize(
    "text",
    ["Immigrants are not vermin", "Saying that immigrants are vermin is disgusting"],
)
def test_negated_or_opposed_derogation_is_no_rule_finding(text: str) -> None:
    [result] = analyse_messages([Message(text)], detectors=["language", "abuse"])
    assert all(f.details.get("rule") != "threat-grammar" for f in result.findings)


@pytest.mark.parametrize("text", [
    "Написали: «Мы тебя убьём».",
    "They wrote to me: \"we will kill you\".",
])
def test_a_threat_a_defender_reports_receiving_is_a_threat_against_them(text: str) -> None:
    """In a public post, "they wrote: we will kill you" reports a threat and is none itself;
    in a defender's own account to the helpline (their report, a follow-up) it is the threat
    they received, and it raises physical risk."""
    from qalxan.analysis.message import DEFENDERS_ACCOUNT

    post, account = analyse_messages(
        [Message(text), Message(text, platform=DEFENDERS_ACCOUNT)], AnalysisContext())
    assert not [f for f in post.findings if f.code == "harassment.threat"]
    assert [f for f in account.findings if f.code == "harassment.threat"]
    assert account.physical_risk and not post.physical_risk
