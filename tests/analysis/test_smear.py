"""The smear detector: label + target, per language, with the language named."""

from __future__ import annotations

from typing import Any

import pytest

from qalxan.analysis.detectors.smear import SmearDetector, name_targets
from qalxan.analysis.detectors.smear_lexicon import Lexicon, LexiconError
from qalxan.analysis.message import AnalysisContext, Finding, Message, WatchedDefender
from qalxan.analysis.registry import registry

WATCHED = AnalysisContext(
    watched=(WatchedDefender("d-1", names=("Leyla Yunus",), handles=("@leyla_y",)),)
)


@pytest.fixture(scope="module")
def detector() -> SmearDetector:
    return SmearDetector()


def run(detector: SmearDetector, text: str, ctx: AnalysisContext | None = None) -> list[Finding]:
    return detector.detect([Message(text)], ctx or AnalysisContext())[0]


def summary(findings: list[Finding]) -> set[tuple[str, str, str]]:
    return {(f.details["label"], f.details["language"], f.details["target_kind"]) for f in findings}


# (text, label, language, target kind)
POSITIVE = [
    ("She is a foreign agent", "foreign_agent", "en", "pronoun"),
    ("this activist is a grant-eater", "grant_eater", "en", "pronoun"),
    ("@rights_org traitors, all of you", "traitor", "en", "handle"),
    ("Maria Petrova is an enemy of the people", "enemy_of_nation", "en", "name"),
    ("She is a f0reign аgent", "foreign_agent", "en", "pronoun"),  # leet + Cyrillic а
    ("Эта журналистка — иноагент", "foreign_agent", "ru", "pronoun"),
    ("вы все иностранные агенты", "foreign_agent", "ru", "pronoun"),
    ("Он предатель и грантоед", "traitor", "ru", "pronoun"),
    ("Он предатель и грантоед", "grant_eater", "ru", "pronoun"),
    ("ona inoagent i predatel'nica", "foreign_agent", "ru", "pronoun"),  # Latin-typed Russian
    ("эти соросята опять вышли", "sorosite", "ru", "pronoun"),
    ("Sən xainsən!", "traitor", "az", "second_person"),
    ("Bu jurnalist xarici agentdir", "foreign_agent", "az", "second_person"),
    ("Bu aktivist qrantyeyəndir", "grant_eater", "az", "second_person"),
    ("Bu vəkil millət düşmənidir", "enemy_of_nation", "az", "second_person"),
    ("Bu gazeteci vatan haini", "traitor", "tr", "pronoun"),
    ("Sen dış güçlerin maşasısın", "western_puppet", "tr", "second_person"),
    ("هذه الناشطة عميلة للخارج", "foreign_agent", "ar", "pronoun"),
    ("هذا الصحفي خائن", "traitor", "ar", "pronoun"),
    ("این فعال مزدور بیگانه است", "western_puppet", "fa", "pronoun"),
    ("تو جاسوس هستی", "spy", "fa", "pronoun"),
    ("Esa periodista es una traidora", "traitor", "es", "pronoun"),
    ("Esta activista es un títere del imperio", "western_puppet", "es", "pronoun"),
    ("cette militante est une traîtresse", "traitor", "fr", "pronoun"),
    ("Ce journaliste est un agent de l'étranger", "foreign_agent", "fr", "pronoun"),
]


@pytest.mark.parametrize(("text", "label", "lang", "kind"), POSITIVE)
def test_label_aimed_at_a_target_is_a_smear(
    detector: SmearDetector, text: str, label: str, lang: str, kind: str
) -> None:
    findings = run(detector, text)
    assert (label, lang, kind) in summary(findings)
    assert all(f.code == "smear" and f.detector == "smear" for f in findings)


NEGATIVE = [
    "The terrorist attack killed five people",  # a label with nobody targeted
    "Ajans haberine göre toplantı yarın",  # Turkish "ajans" (agency) is not "ajan"
    "We met the foreign minister today",
    "Bu gün hava çox gözəldir",
    "",
]


@pytest.mark.parametrize("text", NEGATIVE)
def test_no_label_or_no_target_is_not_a_smear(detector: SmearDetector, text: str) -> None:
    assert run(detector, text) == []


def test_watched_defender_scores_highest_and_is_named(detector: SmearDetector) -> None:
    text = "Leyla Yunus is a foreign agent"
    [finding] = run(detector, text, WATCHED)
    assert finding.details["target_kind"] == "watched"
    assert finding.details["defender_id"] == "d-1"
    assert finding.score == pytest.approx(0.95)
    assert [text[s.start : s.end] for s in finding.spans] == ["Leyla Yunus", "foreign agent"]
    assert "foreign agent" in finding.explanation and "en" in finding.explanation


@pytest.mark.parametrize("text", ["Yunus xaindir", "@leyla_y inoagent", "LEYLA YUNUS — предатель"])
def test_watched_defender_matches_in_any_script_and_case(
    detector: SmearDetector, text: str
) -> None:
    kinds = {f.details["target_kind"] for f in run(detector, text, WATCHED)}
    assert "watched" in kinds


def test_target_far_from_the_label_does_not_count(detector: SmearDetector) -> None:
    text = "She spoke today. " + "Weather and sport news follow. " * 6 + "Traitor"
    assert run(detector, text) == []


def test_one_finding_per_label(detector: SmearDetector) -> None:
    findings = run(detector, "She is a traitor, a traitor, a traitor")
    assert [f.details["label"] for f in findings] == ["traitor"]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Maria Petrova spoke", ["Maria Petrova"]),
        ("I met Anar yesterday", ["Anar"]),
        ("Yesterday it rained", []),  # sentence-initial capital alone is not a name
        ("ask @anar_m now", ["@anar_m"]),
    ],
)
def test_name_targets(text: str, names: list[str]) -> None:
    assert [t.text for t in name_targets(text)] == names


def test_shared_term_takes_the_message_language(detector: SmearDetector) -> None:
    [finding] = run(detector, "Bu adam casusdur, hamı bilir")
    assert finding.details["language"] in {"az", "tr"}
    [given] = detector.detect([Message("Bu adam casusdur", lang="tr")], AnalysisContext())[0]
    assert given.details["language"] == "tr"


@pytest.mark.parametrize(
    "data",
    [{}, {"version": "1", "labels": {}, "terms": {"en": [{"terms": ["x"]}]}, "targets": {}}],
)
def test_malformed_lexicon_is_refused(data: dict[str, Any]) -> None:
    with pytest.raises(LexiconError):
        Lexicon.from_json(data)


def test_custom_lexicon_with_exceptions() -> None:
    lexicon = Lexicon.from_json(
        {
            "version": "t",
            "labels": {"spy": "spy"},
            "terms": {
                "tr": [{"label": "spy", "stem": True, "terms": ["ajan"], "except": ["ajans"]}]
            },
            "targets": {"tr": {"pronouns": ["o"], "nouns": [], "stem": False}},
        }
    )
    detector = SmearDetector(lexicon)
    assert run(detector, "o ajandır") and not run(detector, "o ajansta çalışıyor")


def test_shipped_lexicon_covers_the_required_languages() -> None:
    langs = set().union(*(t.langs for t in Lexicon.shipped().terms))
    assert {"en", "ru", "az", "tr", "ar", "fa", "es", "fr"} <= langs


def test_detector_is_registered() -> None:
    assert "smear" in registry.names()


def test_a_short_capitalised_word_is_not_taken_for_a_name(detector: SmearDetector) -> None:
    text = "Leyla Yunus is a foreign agent and I say so"
    [finding] = run(detector, text)
    assert finding.details["target"] == "Leyla Yunus"
