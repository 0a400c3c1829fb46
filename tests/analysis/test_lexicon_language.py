"""Lexicons and the abuse model count only in the languages they were written or trained
for: an ordinary word of one language is not an insult of another."""

from __future__ import annotations

import pytest

from qalxan.analysis.detectors.abuse import AbuseDetector
from qalxan.analysis.detectors.abuse_model import AbuseModel
from qalxan.analysis.detectors.language import speaks
from qalxan.analysis.message import AnalysisContext, Finding, Message


@pytest.fixture(scope="module")
def detector() -> AbuseDetector:
    return AbuseDetector()


def run(detector: AbuseDetector, message: Message) -> list[Finding]:
    [found] = detector.detect([message], AnalysisContext())
    return found


def test_speaks_only_its_own_languages_when_the_language_is_known() -> None:
    assert speaks(frozenset({"fa"}), "fa") and speaks(frozenset({"az", "tr"}), "tr-TR")
    assert not speaks(frozenset({"fa"}), "ar") and not speaks(frozenset({"az"}), "tr")
    assert speaks(frozenset({"fa"}), None) and speaks(frozenset({"fa"}), "und")
    assert speaks(frozenset(), "ar")


@pytest.mark.parametrize(
    "message",
    [
        Message("كوني قوية دائما يا ابنتي، المستقبل لك"),  # "be strong", not Persian کونی
        Message("تم اشغال الطريق بالعمال منذ الصباح الباكر"),  # Arabic "works", not "trash"
        Message("كوني قوية", lang="ar"),
    ],
)
def test_persian_insults_do_not_fire_on_arabic(detector: AbuseDetector, message: Message) -> None:
    assert not [f for f in run(detector, message) if f.details.get("rule") == "insult-lexicon"]


def test_persian_insults_still_fire_on_persian(detector: AbuseDetector) -> None:
    [finding] = run(detector, Message("تو یک احمق هستی و همه این را می دانند"))
    assert finding.details["rule"] == "insult-lexicon" and finding.details["language"] == "fa"


def test_azerbaijani_entries_are_not_findings_on_turkish_posts(detector: AbuseDetector) -> None:
    found = run(detector, Message("Bu adam tam bir şerefsiz, herkes bunu biliyor"))
    assert not [f for f in found if f.details.get("language") == "az"]


def test_azerbaijani_entries_fire_on_azerbaijani_posts(detector: AbuseDetector) -> None:
    [finding] = run(detector, Message("Sən şərəfsizsən, bunu hamı bilir"))
    assert finding.details["language"] == "az" and finding.details["rule"] == "insult-lexicon"


@pytest.mark.parametrize(
    "text",
    [
        "Uşaqlar həyətdə oynamaq istəyir, amma torpaq hələ yaşdır",
        "Mən bu kitabı oxumaq istəyirəm, sonra dərsə qurmaq lazımdır",
    ],
)
def test_model_is_silent_in_languages_it_was_never_trained_on(
    detector: AbuseDetector, text: str
) -> None:
    """Word endings such as -aq (the Turkish swear "aq" in the model's training data) made
    a quarter of ordinary Azerbaijani messages abusive."""
    assert "az" not in detector.model.languages
    assert run(detector, Message(text)) == []


def test_model_languages_come_from_its_training_sets() -> None:
    model = AbuseModel.shipped()
    assert {"en", "tr", "ru", "ar", "es"} <= model.languages
    assert model.languages.isdisjoint({"az", "fa"})


@pytest.mark.parametrize("lang", ["uk", "bg", "kk"])
def test_a_threat_in_a_misread_close_language_still_fires(
    detector: AbuseDetector, lang: str
) -> None:
    """A language no phrase list is written in is treated as unknown: a Russian threat read
    as Ukrainian or Bulgarian keeps its finding (read by the threat grammar, which explains it
    better than the phrase list it covers)."""
    found = run(detector, Message("Я тебя найду и убью", lang=lang))
    assert [f for f in found if f.code == "harassment.threat"
            and f.details.get("rule") in {"threat-lexicon", "threat-grammar"}]


def test_the_model_still_scores_a_misread_close_language(detector: AbuseDetector) -> None:
    text = "ты тупая сука"
    assert run(detector, Message(text, lang="uk")) == run(detector, Message(text, lang="ru"))


def test_persian_smear_terms_are_not_findings_on_arabic_posts() -> None:
    """The Persian label for the MEK ("منافقین") also matched Arabic "المنافقين" (the
    hypocrites) and was reported as Persian on Arabic posts."""
    from qalxan.analysis.detectors.smear import SmearDetector

    smear = SmearDetector()
    [arabic] = smear.detect([Message("@ahmed أنت من المنافقين والكذابين")], AnalysisContext())
    assert not [f for f in arabic if f.details["language"] == "fa"]
    [persian] = smear.detect([Message("@ahmed تو از منافقین هستی")], AnalysisContext())
    assert [f.details["language"] for f in persian] == ["fa"]
