"""The abuse family on the shipped model: what fires, what does not, and why."""

from __future__ import annotations

import pytest

from qalxan.analysis.detectors.abuse import AbuseDetector, evidence
from qalxan.analysis.detectors.abuse_model import Contribution
from qalxan.analysis.message import AnalysisContext, Finding, Message
from qalxan.analysis.registry import registry
from qalxan.analysis.text import normalise


@pytest.fixture(scope="module")
def detector() -> AbuseDetector:
    return AbuseDetector()


def codes(findings: list[Finding]) -> set[str]:
    return {f.code for f in findings}


# (text, a code that must be among the findings)
ABUSIVE = [
    ("you are a stupid idiot and a bitch", "harassment"),
    ("you are a stupid idiot and a bitch", "harassment.sexist"),
    ("women are too stupid to vote, get back to the kitchen", "harassment.sexist"),
    ("all immigrants are rats and should be deported", "harassment.hate"),
    ("ты тупой урод, заткнись", "harassment"),
    ("siktir git orospu çocuğu", "harassment"),
    ("ابن الكلب يا حقير", "harassment"),
    ("Eres una puta zorra", "harassment.hate"),  # Spanish has hate labels only
    ("you st\u200bupid b1tch", "harassment"),  # obfuscated
]
BENIGN = [
    "Thank you for the lovely meeting yesterday",
    "Spasibo za vstrechu, do zavtra",
    "The workshop on digital security starts at 10:00 in room 4.",
    "Bu gün hava çox gözəldir",
    "",
]


@pytest.mark.parametrize(("text", "code"), ABUSIVE)
def test_abusive_texts_are_found(detector: AbuseDetector, text: str, code: str) -> None:
    findings = detector.detect([Message(text)], AnalysisContext())[0]
    assert code in codes(findings)


@pytest.mark.parametrize("text", BENIGN)
def test_benign_texts_are_not_flagged(detector: AbuseDetector, text: str) -> None:
    assert detector.detect([Message(text)], AnalysisContext()) == [[]]


def test_findings_explain_themselves_with_spans_in_the_original(detector: AbuseDetector) -> None:
    text = "Hello. You st\u200bupid b1tch, go away"
    finding = next(
        f for f in detector.detect([Message(text)], AnalysisContext())[0] if f.code == "harassment"
    )
    covered = [text[s.start : s.end] for s in finding.spans]
    assert any("b1tch" in c for c in covered)
    assert "bitch" in finding.explanation and "bitch" in finding.details["cues"]
    assert finding.details["label"] == "abuse"
    assert 0.0 <= finding.score <= 1.0 and finding.detector == "abuse"


def test_batch_gives_one_list_per_message_in_order(detector: AbuseDetector) -> None:
    batch = [Message("have a nice day"), Message("you are a stupid bitch"), Message("")]
    out = detector.detect(batch, AnalysisContext())
    assert len(out) == 3 and not out[0] and out[1] and not out[2]


def test_empty_batch(detector: AbuseDetector) -> None:
    assert detector.detect([], AnalysisContext()) == []


def test_evidence_widens_to_words_and_merges() -> None:
    mapped = normalise("You ＳＴＵＰＩＤ idiot")
    spans, words = evidence(
        mapped, [Contribution(5, 7, 1.0), Contribution(4, 9, 0.5), Contribution(11, 13, 0.4)]
    )
    assert words == ["stupid", "idiot"]
    assert [("You ＳＴＵＰＩＤ idiot")[s.start : s.end] for s in spans] == ["ＳＴＵＰＩＤ", "idiot"]


def test_evidence_ignores_padding_only_windows() -> None:
    mapped = normalise("ok")
    assert evidence(mapped, [Contribution(-1, 0, 1.0)]) == ([], [])


def test_detector_is_registered() -> None:
    assert "abuse" in registry.names()


# (text, language, kind, the phrase that must be a span)
THREATS = [
    ("I will kill you and your family", "en", "kill", "I will kill you"),
    ("we know where you live, @anna", "en", "location", "we know where you live"),
    ("Я тебя убью, сука", "ru", "kill", "убью"),
    ("Səni öldürəcəyik!", "az", "kill", "Səni öldürəcəyik"),
    ("Seni bulacağız, bekle", "tr", "location", "Seni bulacağız"),
    ("سأقتلك يا خائن", "ar", "kill", "سأقتلك"),
    ("می‌کشمت", "fa", "kill", "می‌کشمت"),
    ("Te voy a matar, perra", "es", "kill", "Te voy a matar"),
    ("On sait où tu habites.", "fr", "location", "On sait où tu habites"),
    ("I w1ll k1ll y0u", "en", "kill", "I w1ll k1ll y0u"),  # leetspeak
]


@pytest.mark.parametrize(("text", "lang", "kind", "phrase"), THREATS)
def test_explicit_threats_are_found_in_every_language(
    detector: AbuseDetector, text: str, lang: str, kind: str, phrase: str
) -> None:
    findings = detector.detect([Message(text)], AnalysisContext())[0]
    threats = [f for f in findings if f.code == "harassment.threat"]
    assert threats, text
    threat = threats[0]  # the grammar's finding comes first, a phrase it did not read after
    assert threat.details["rule"] in ("threat-grammar", "threat-lexicon")
    assert threat.details["language"] == lang
    at = text.index(phrase)
    assert any(s.start < at + len(phrase) and at < s.end for s in threat.spans)
    assert threat.score >= 0.9


@pytest.mark.parametrize(
    "text", ["убьюсь об стену", "the killer app of the year", "Te voy a matizar la idea"]
)
def test_threat_phrases_need_whole_words(detector: AbuseDetector, text: str) -> None:
    findings = detector.detect([Message(text)], AnalysisContext())[0]
    assert all(f.details.get("rule") != "threat-lexicon" for f in findings)


def test_cues_skip_one_and_two_letter_words(detector: AbuseDetector) -> None:
    text = "he is a stupid idiot"
    findings = detector.detect([Message(text)], AnalysisContext())[0]
    assert findings
    for f in findings:
        assert all(len(cue) >= 3 for cue in f.details["cues"].split(" | "))


# Languages without training data: insults and slurs come from a phrase list.
# (text, language, finding code)
INSULTS = [
    ("Rədd ol, əclaf!", "az", "harassment"),
    ("Sən bir alçaqsan, qəhbə", "az", "harassment.sexist"),
    ("сән әҹлафсан", "az", None),  # Cyrillic Azerbaijani is not in the list: no claim
    ("سگ پدر، خفه شو", "fa", "harassment"),
    ("ta gueule connard", "fr", "harassment"),
    ("espèce de salope", "fr", "harassment.sexist"),
]


@pytest.mark.parametrize(("text", "lang", "code"), INSULTS)
def test_insults_in_languages_without_training_data(
    detector: AbuseDetector, text: str, lang: str, code: str | None
) -> None:
    findings = detector.detect([Message(text)], AnalysisContext())[0]
    listed = [f for f in findings if f.details.get("rule") == "insult-lexicon"]
    if code is None:
        assert not listed
        return
    [finding] = [f for f in listed if f.code == code]
    assert finding.details["language"] == lang
    assert finding.spans and finding.score >= 0.8


@pytest.mark.parametrize(
    "text",
    ["Dünən toplantıda çox maraqlı müzakirə oldu", "امروز جلسه خوبی داشتیم", "diga lo que quiera"],
)
def test_insult_list_is_quiet_on_ordinary_text(detector: AbuseDetector, text: str) -> None:
    assert detector.detect([Message(text)], AnalysisContext()) == [[]]


@pytest.mark.parametrize(
    "text", ["diga lo que quiera", "Mañana tenemos una reunión con la fiscalía"]
)
def test_spanish_is_not_abusive_by_itself(detector: AbuseDetector, text: str) -> None:
    assert detector.detect([Message(text)], AnalysisContext()) == [[]]
