"""Context for the abuse model: swearing at no one and slurs used of oneself are not called
hateful or sexist (swearing may stay offensive language), while the same words aimed at
someone still are."""

from __future__ import annotations

import pytest

from qalxan.analysis.detectors.abuse import AbuseDetector
from qalxan.analysis.detectors.abuse_context import AbuseContext, ContextError
from qalxan.analysis.message import AnalysisContext, Message

NOT_HATEFUL = {"harassment.hate", "harassment.sexist", "harassment.threat"}


@pytest.fixture(scope="module")
def detector() -> AbuseDetector:
    return AbuseDetector()


def codes(detector: AbuseDetector, text: str) -> set[str]:
    return {f.code for f in detector.detect([Message(text)], AnalysisContext())[0]}


@pytest.mark.parametrize(
    "text",
    [
        "This is fucking amazing",
        "Holy shit, what a game",
        "Putain, ce concert était génial",
        "Joder, qué partido tan bueno",
        "Бля, какой концерт крутой",
    ],
)
def test_swearing_at_no_one_is_neither_hate_nor_sexism(detector: AbuseDetector, text: str) -> None:
    assert not codes(detector, text) & NOT_HATEFUL


@pytest.mark.parametrize(
    "text",
    [
        "Happy birthday to the baddest bitch I know",
        "I'm a proud dyke and I love my wife",
        "Nous sommes pédés et fiers",
        "Soy bollera y orgullosa",
    ],
)
def test_a_slur_used_of_oneself_is_neither_hate_nor_sexism(
    detector: AbuseDetector, text: str
) -> None:
    assert not codes(detector, text) & NOT_HATEFUL


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("you stupid bitch", "harassment.sexist"),
        ("I am a bitch and you are a bitch", "harassment.sexist"),
        ("what a fucking idiot you are", "harassment"),
        ("This is fucking amazing", "harassment"),  # swearing stays offensive language
        ("espèce de salope", "harassment.sexist"),
    ],
)
def test_the_same_words_aimed_at_someone_still_count(
    detector: AbuseDetector, text: str, code: str
) -> None:
    assert code in codes(detector, text)


def test_a_threat_is_never_set_aside_by_context(detector: AbuseDetector) -> None:
    assert "harassment.threat" in codes(detector, "Fucking hell, I will kill you")


def test_a_mention_addresses_someone() -> None:
    context = AbuseContext.shipped()
    assert context.set_aside("fucking hell @anna", "en") is None
    assert context.set_aside("fucking hell", "en") == "profanity"


def test_malformed_context_lexicon_is_refused() -> None:
    with pytest.raises(ContextError):
        AbuseContext({"version": "x", "languages": {"en": {"profanity": ["x"]}}})
