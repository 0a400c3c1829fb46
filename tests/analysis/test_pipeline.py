"""The pipeline: the public API, detector selection and caching, risk, the worker pool."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import FrozenInstanceError

import pytest

from qalxan.analysis import pipeline
from qalxan.analysis.message import AnalysisContext, Finding, Message, Span
from qalxan.analysis.pipeline import MessageAnalysis, analyse_messages, analyse_stream
from qalxan.analysis.registry import registry

THREAT_DETECTOR = "test-threat"


class KeywordThreat:
    """Stands in for the abuse model: 'kill' is a threat."""

    name = THREAT_DETECTOR

    def detect(self, batch: Sequence[Message], context: AnalysisContext) -> list[list[Finding]]:
        return [
            [Finding(self.name, "harassment.threat", 0.9, "threat", (Span(0, 4),))]
            if "kill" in m.text
            else []
            for m in batch
        ]


def register_for_test(monkeypatch: pytest.MonkeyPatch, name: str, factory: type) -> None:
    """Register a detector for one test only (the registry has no public removal)."""
    monkeypatch.setitem(registry._factories, name, factory)
    monkeypatch.setitem(registry._origins, name, "tests")
    monkeypatch.setitem(pipeline._detectors, name, factory())


@pytest.fixture
def threat_detector(monkeypatch: pytest.MonkeyPatch) -> str:
    register_for_test(monkeypatch, THREAT_DETECTOR, KeywordThreat)
    return THREAT_DETECTOR


MESSAGES = [
    Message("He lives at 12, rue de Rivoli with his wife.", lang="fr"),
    Message("Update now: hxxps://weather4free[.]com/app"),
    Message("Thanks for the workshop!"),
]


def test_analysis_is_one_frozen_result_per_message_in_order() -> None:
    results = analyse_messages(MESSAGES, detectors=["doxing", "links"])
    assert len(results) == 3 and all(isinstance(r, MessageAnalysis) for r in results)
    assert {f.details["entity"] for f in results[0].findings if f.detector == "doxing"} >= {
        "address",
        "relatives",
    }
    assert [f.details["campaign"] for f in results[1].findings] == ["Pegasus"]
    assert results[2].findings == () and not results[2].physical_risk
    with pytest.raises(FrozenInstanceError):
        results[0].physical_risk = False  # type: ignore[misc]


def test_escalation_runs_over_the_findings_of_all_detectors(threat_detector: str) -> None:
    message = Message("kill him, he lives at 12 rue de Rivoli")
    [only_doxing] = analyse_messages([message], detectors=["doxing"])
    [both] = analyse_messages([message], detectors=["doxing", THREAT_DETECTOR])
    assert "threat_references_location_or_routine" not in only_doxing.risk_rules
    assert "threat_references_location_or_routine" in both.risk_rules and both.physical_risk
    assert any(f.detector == "risk" and f.physical_risk for f in both.findings)


def test_prior_attacks_come_from_the_context(threat_detector: str) -> None:
    ctx = AnalysisContext(prior_attack_count=3)
    [result] = analyse_messages([Message("I will kill you")], ctx, [THREAT_DETECTOR])
    assert "threat_after_prior_attacks" in result.risk_rules


def test_language_is_taken_from_the_message_first() -> None:
    [result] = analyse_messages([Message("hello there", lang="es")], detectors=[])
    assert result.language == "es"


def test_language_detection_is_optional(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "language_function", lambda: None)
    assert pipeline.language_of(Message("hello there")) is None
    monkeypatch.setattr(pipeline, "language_function", lambda: _fixed(("ru", "Cyrl", 0.9)))
    assert pipeline.language_of(Message("привет")) == "ru"
    monkeypatch.setattr(pipeline, "language_function", lambda: _fixed(("und", "Zyyy", 0.0)))
    assert pipeline.language_of(Message("123")) == "und"


def _fixed(result: object) -> Callable[[Sequence[str]], list[object]]:
    """A stand-in batch language function that gives every text the same answer."""
    return lambda texts: [result for _ in texts]


def test_only_messages_without_a_language_are_identified(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[list[str]] = []

    def detect(texts: Sequence[str]) -> list[object]:
        seen.append(list(texts))
        return ["fr" for _ in texts]

    monkeypatch.setattr(pipeline, "language_function", lambda: detect)
    batch = [Message("un", lang="es"), Message("deux"), Message("trois", lang=""), Message("4")]
    assert pipeline.languages_of(batch) == ["es", "fr", "fr", "fr"]
    assert seen == [["deux", "trois", "4"]]


def test_detected_language_reaches_the_detectors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "language_function", lambda: _fixed("ru"))
    message = Message("звони 8 (916) 123-45-67")
    [result] = analyse_messages([message], detectors=["language", "doxing"])
    [phone] = [f for f in result.findings if f.details.get("entity") == "phone"]
    assert phone.details["scheme"] == "RU" and result.language == "ru"


def test_language_identification_runs_only_when_selected(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "language_function", lambda: _fixed("ru"))
    [result] = analyse_messages([Message("привет")], detectors=["doxing"])
    assert result.language is None
    [result] = analyse_messages([Message("привет")])
    assert result.language == "ru"


@pytest.mark.parametrize("text", ["12345 !!!", "😀😀", "ok"])
def test_undetermined_language_is_und_and_reaches_no_detector(text: str) -> None:
    """Text without letters, or too short to tell, is ``und`` (it was null), and the
    detectors see no language rather than ``und``."""
    seen: list[str | None] = []

    class Spy:
        name = "spy"

        def detect(self, batch: Sequence[Message], context: AnalysisContext) -> list[list[Finding]]:
            seen.extend(m.lang for m in batch)
            return [[] for _ in batch]

    pipeline._detectors["spy"] = Spy()
    try:
        [result] = analyse_messages([Message(text)], detectors=["language", "spy"])
    finally:
        del pipeline._detectors["spy"]
    assert result.language == "und" and seen == [None]


def test_detectors_are_created_once_per_process() -> None:
    assert pipeline.get_detector("doxing") is pipeline.get_detector("doxing")


def test_default_runs_every_registered_detector() -> None:
    names = pipeline.available_detectors()
    assert {"doxing", "links"} <= set(names)
    [result] = analyse_messages([Message("mail me: a@b.org")])
    assert any(f.detector == "doxing" for f in result.findings)


def test_unknown_detector_is_an_error() -> None:
    with pytest.raises(KeyError, match="unknown detector"):
        analyse_messages(MESSAGES, detectors=["nope"])


class Broken:
    name = "test-broken"

    def detect(self, batch: Sequence[Message], context: AnalysisContext) -> list[list[Finding]]:
        return []


def test_a_detector_returning_the_wrong_number_of_results_is_an_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    register_for_test(monkeypatch, Broken.name, Broken)
    with pytest.raises(RuntimeError, match="returned 0 results for 3"):
        analyse_messages(MESSAGES, detectors=[Broken.name])


def test_empty_input() -> None:
    assert analyse_messages([], detectors=["doxing"]) == []


@pytest.mark.parametrize("workers", [1, 2])
def test_stream_gives_the_same_results_in_order(workers: int) -> None:
    messages = MESSAGES * 5
    expected = analyse_messages(messages, detectors=["doxing", "links"])
    got = list(
        analyse_stream(messages, detectors=["doxing", "links"], workers=workers, batch_size=4)
    )
    assert got == expected


def test_test_detectors_do_not_leak_into_the_registry() -> None:
    assert not {THREAT_DETECTOR, Broken.name} & set(pipeline.available_detectors())
