"""The links detector, MVT-style: synthetic messages against a committed synthetic feed."""

from __future__ import annotations

from pathlib import Path

import pytest

from qalxan.analysis.detectors.links import LinksDetector, make_links_detector
from qalxan.analysis.indicators import IndicatorSet, load_feed_file
from qalxan.analysis.message import AnalysisContext, Finding, Message

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def detector() -> LinksDetector:
    return LinksDetector(IndicatorSet(load_feed_file(DATA / "synthetic_campaign.stix2")))


def run(detector: LinksDetector, message: Message) -> list[Finding]:
    return detector.detect([message], AnalysisContext())[0]


# (text, indicator, campaign, code, covered text)
CASES = [
    (
        "update at https://spy-update.test/x",
        "spy-update.test",
        "SyntheticSpy",
        "surveillance.spyware",
        "https://spy-update.test/x",
    ),
    (
        "hxxps://cdn[.]deep-host(.)test/a.js",
        "cdn.deep-host.test",
        "SyntheticSpy",
        "surveillance.spyware",
        "hxxps://cdn[.]deep-host(.)test/a.js",
    ),
    (
        "verify: login-verify[.]test now",
        "login-verify.test",
        "Fake Login Phishing",
        "phishing",
        "login-verify[.]test",
    ),
    (
        "get https://shared-host.test/campaign/payload.apk",
        "shared-host.test/campaign/payload.apk",
        "SyntheticSpy",
        "surveillance.spyware",
        "https://shared-host.test/campaign/payload.apk",
    ),
    ("beacon 203.0.113.45", "203.0.113.45", "SyntheticSpy", "surveillance.spyware", "203.0.113.45"),
    (
        "from operator[at]mail-drop[.]test",
        "operator@mail-drop.test",
        "SyntheticSpy",
        "surveillance.spyware",
        "operator[at]mail-drop[.]test",
    ),
    (
        "sample " + "a" * 63 + "B",
        "a" * 63 + "b",
        "SyntheticSpy",
        "surveillance.spyware",
        "a" * 63 + "B",
    ),
    (
        "md5 D41D8CD98F00B204E9800998ECF8427E",
        "d41d8cd98f00b204e9800998ecf8427e",
        "SyntheticSpy",
        "surveillance.spyware",
        "D41D8CD98F00B204E9800998ECF8427E",
    ),
]


@pytest.mark.parametrize(("text", "indicator", "campaign", "code", "covered"), CASES)
def test_known_indicator_is_reported(
    detector: LinksDetector, text: str, indicator: str, campaign: str, code: str, covered: str
) -> None:
    [finding] = run(detector, Message(text))
    assert finding.details["indicator"] == indicator
    assert finding.details["campaign"] == campaign
    assert finding.code == code
    assert text[finding.spans[0].start : finding.spans[0].end] == covered
    assert finding.details["report"] in finding.explanation


def test_other_path_on_a_url_indicator_host_is_not_reported(detector: LinksDetector) -> None:
    assert run(detector, Message("https://shared-host.test/other")) == []


@pytest.mark.parametrize(
    "text",
    ["https://example.org/spy-update.test", "not-spy-update.test", "user.github.io", "plain text"],
)
def test_clean_text_yields_nothing(detector: LinksDetector, text: str) -> None:
    assert run(detector, Message(text)) == []


def test_message_urls_are_checked_too(detector: LinksDetector) -> None:
    [finding] = run(detector, Message("see attachment", urls=("https://a.spy-update.test/",)))
    assert finding.spans == () and finding.details["observed"] == "https://a.spy-update.test/"


@pytest.mark.parametrize(
    ("text", "url"),
    [
        ("get it at https://a.spy-update.test/", "https://a.spy-update.test/"),
        ("get it at https://a.spy-update.test", "https://A.spy-update.test/#top"),
        ("get it at hxxps://a[.]spy-update[.]test", "https://a.spy-update.test"),
        ("get it at a.spy-update.test", "https://a.spy-update.test/"),
    ],
)
def test_link_in_text_and_in_urls_is_one_finding(
    detector: LinksDetector, text: str, url: str
) -> None:
    """A link that comes both in the text and in ``urls`` (as platforms give it) is one
    finding, with its place in the text."""
    [finding] = run(detector, Message(text, urls=(url, url)))
    assert finding.spans != ()


def test_other_links_in_urls_are_still_reported(detector: LinksDetector) -> None:
    findings = run(
        detector,
        Message("get it at https://a.spy-update.test/", urls=("https://b.spy-update.test/",)),
    )
    assert [f.details["observed"] for f in findings] == [
        "https://a.spy-update.test/",
        "https://b.spy-update.test/",
    ]


def test_repeated_indicator_at_one_place_is_reported_once(detector: LinksDetector) -> None:
    findings = run(detector, Message("https://spy-update.test and https://spy-update.test"))
    assert len(findings) == 2 and findings[0].spans != findings[1].spans


def test_factory_loads_shipped_and_imported_feeds(tmp_path: Path) -> None:
    (tmp_path / "mine.stix2").write_bytes((DATA / "unnamed_feed.stix2").read_bytes())
    detector = make_links_detector([tmp_path])
    assert run(detector, Message("panel at stalker-panel.test"))
    assert (
        run(detector, Message("hxxps://weather4free[.]com/x"))[0].details["campaign"] == "Pegasus"
    )


def test_match_urls_agrees_with_match_url(detector: LinksDetector) -> None:
    urls = [
        "https://spy-update.test/x",
        "http://www.spy-update.test/login?id=1",
        "https://shared-host.test/campaign/payload.apk",
        "https://shared-host.test/campaign/payload.apk/",
        "https://shared-host.test/other",
        "http://203.0.113.45/x",
        "http://user@cdn.deep-host.test:8080/a.js",
        "https://clean.example.org/a?b#c",
        "spy-update.test/no-scheme",
        "http://[2001:db8::1]/x",
    ]
    assert detector.match_urls(urls) == [detector.match_url(u) for u in urls]
    assert detector.match_urls(urls[:3])[2] is not None  # the URL indicator itself
