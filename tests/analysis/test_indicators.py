"""STIX 2.1 parsing and indicator matching, against committed synthetic bundles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qalxan.analysis.indicators import (
    FeedInfo,
    Indicator,
    IndicatorSet,
    load_feed_dir,
    load_feed_file,
    load_indicators,
    parse_pattern,
    shipped_feed_dir,
)
from qalxan.analysis.psl import default_psl

DATA = Path(__file__).parent / "data"
SYNTHETIC = DATA / "synthetic_campaign.stix2"


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("[domain-name:value = 'Evil.COM.']", [("domain", "evil.com")]),
        ("[domain-name:value='пример.рф']", [("domain", "xn--e1afmkfd.xn--p1ai")]),
        ("[url:value = 'HTTPS://Evil.com/a/']", [("url", "evil.com/a")]),
        ("[ipv4-addr:value = '203.0.113.1']", [("ip", "203.0.113.1")]),
        ("[email-addr:value = 'A@B.test']", [("email", "a@b.test")]),
        ("[file:hashes.'SHA-256' = 'ABCD']", [("hash", "abcd")]),
        ("[file:hashes.sha1 = 'ff']", [("hash", "ff")]),
        (
            "[domain-name:value = 'a.test'] OR [domain-name:value = 'b.test']",
            [("domain", "a.test"), ("domain", "b.test")],
        ),
        ("[process:name = 'bh']", []),
        ("[app:id = 'com.spy']", []),
    ],
)
def test_parse_pattern(pattern: str, expected: list[tuple[str, str]]) -> None:
    assert list(parse_pattern(pattern)) == expected


@pytest.fixture(scope="module")
def synthetic() -> IndicatorSet:
    return IndicatorSet(load_feed_file(SYNTHETIC))


def test_bundle_names_campaign_from_relationship_or_the_bundle(synthetic: IndicatorSet) -> None:
    phishing = synthetic.lookup("domain", "login-verify.test")
    spy = synthetic.lookup("domain", "spy-update.test")
    assert phishing is not None and phishing.campaign == "Fake Login Phishing"
    assert spy is not None and spy.campaign == "SyntheticSpy"
    assert spy.report == "https://reports.example.org/syntheticspy"
    assert spy.feed == "synthetic_campaign.stix2"


def test_non_stix_patterns_and_unmatchable_types_are_skipped(synthetic: IndicatorSet) -> None:
    assert len(synthetic) == 10
    assert {k: synthetic.count(k) for k in ("domain", "url", "ip", "email", "hash")} == {
        "domain": 5,
        "url": 1,
        "ip": 1,
        "email": 1,
        "hash": 2,
    }


@pytest.mark.parametrize(
    ("host", "indicator"),
    [
        ("spy-update.test", "spy-update.test"),
        ("a.b.spy-update.test", "spy-update.test"),  # any subdomain
        ("x.cdn.deep-host.test", "cdn.deep-host.test"),
        ("deep-host.test", None),  # a parent of an indicator is not listed
        ("not-spy-update.test", None),  # suffix walk is label-wise, not string-wise
        ("user.github.io", None),  # a public suffix listed as indicator never matches
        ("203.0.113.45", "203.0.113.45"),
        ("203.0.113.46", None),
    ],
)
def test_match_host(synthetic: IndicatorSet, host: str, indicator: str | None) -> None:
    hit = synthetic.match_host(host)
    assert (hit.value if hit else None) == indicator


def test_feed_info_overrides_report_and_fills_missing_names(tmp_path: Path) -> None:
    found = load_feed_file(DATA / "unnamed_feed.stix2", FeedInfo("u.stix2", "Panel", "R-1"))
    assert [(i.campaign, i.report, i.feed) for i in found] == [("Panel", "R-1", "u.stix2")]


def test_feed_dir_reads_its_manifest(tmp_path: Path) -> None:
    (tmp_path / "feed.stix2").write_bytes((DATA / "unnamed_feed.stix2").read_bytes())
    manifest = [{"file": "feed.stix2", "campaign": "StalkerPanel", "report": "https://r.test"}]
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    (tmp_path / "notes.txt").write_text("ignored")
    [indicator] = load_feed_dir(tmp_path)
    assert (indicator.campaign, indicator.report) == ("StalkerPanel", "https://r.test")


@pytest.mark.parametrize("content", ["[]", '{"type": "bundle"}', "not json"])
def test_a_file_that_is_not_a_bundle_is_rejected(tmp_path: Path, content: str) -> None:
    path = tmp_path / "bad.stix2"
    path.write_text(content)
    with pytest.raises(ValueError):
        load_feed_file(path)


def test_shipped_feeds_load_with_names_and_reports() -> None:
    indicators = load_indicators()
    assert len(indicators) > 10_000
    pegasus = indicators.match_host("weather4free.com")
    assert pegasus is not None and pegasus.campaign == "Pegasus"
    assert pegasus.report.startswith("https://www.amnesty.org/")
    stalker = indicators.match_host("copy9.com")
    assert stalker is not None and stalker.campaign == "TheTruthSpy"


def test_shipped_feeds_exclude_non_commercial_sources() -> None:
    manifest = json.loads(
        (
            Path(load_indicators.__code__.co_filename).parents[1]
            / "data"
            / "iocs"
            / "manifest.json"
        ).read_text()
    )
    assert {e["licence"] for e in manifest} <= {"CC-BY-2.0", "CC-BY-4.0", "MIT"}
    assert not any("citizenlab" in e["origin"] for e in manifest)


class ReferenceMatcher:
    """The definition ``match_host`` is compiled from, in plain Python."""

    def __init__(self, indicators: list[Indicator]) -> None:
        self.domains: dict[str, Indicator] = {}
        self.ips: dict[str, Indicator] = {}
        for indicator in indicators:
            if indicator.kind in {"domain", "ip"}:
                kind = self.domains if indicator.kind == "domain" else self.ips
                kind.setdefault(indicator.value, indicator)
        registered = default_psl().registered_domain
        self.parents = {d: i for d, i in self.domains.items() if registered(d) is not None}

    def match_host(self, host: str) -> Indicator | None:
        if host in self.domains:
            return self.domains[host]
        if host[-1:].isdigit():
            return self.ips.get(host)
        labels = host.split(".")
        for i in range(1, len(labels)):
            parent = ".".join(labels[i:])
            if parent in self.parents:
                return self.parents[parent]
        return None


def test_match_host_agrees_with_its_reference(synthetic: IndicatorSet) -> None:
    reference = ReferenceMatcher(load_feed_file(SYNTHETIC))
    hosts = [
        "spy-update.test",
        "a.b.spy-update.test",
        "www.spy-update.test",
        "x.cdn.deep-host.test",
        "deep-host.test",
        "not-spy-update.test",
        "user.github.io",
        "203.0.113.45",
        "203.0.113.46",
        "a..spy-update.test",
        ".spy-update.test",
        "spy-update.test.",
        "",
        ".",
        "localhost",
        "clean.example.org",
        "x.spy-update.test\u0663",  # a digit, though not an ASCII one
    ]
    expected = [reference.match_host(h) for h in hosts]
    assert [synthetic.match_host(h) for h in hosts] == expected
    assert synthetic.match_hosts(hosts) == expected
    assert synthetic.match_hosts(tuple(hosts)) == expected
    assert synthetic.match_hosts([]) == []
    assert sum(e is not None for e in expected) == 7


@pytest.fixture(scope="module")
def shipped() -> tuple[IndicatorSet, ReferenceMatcher]:
    found = load_feed_dir(shipped_feed_dir())
    return IndicatorSet(found), ReferenceMatcher(found)


def test_match_hosts_agrees_with_its_reference_on_the_shipped_feeds(
    shipped: tuple[IndicatorSet, ReferenceMatcher],
) -> None:
    indicators, reference = shipped
    domains = indicators.values("domain")[:500]
    hosts = [*domains, *(f"www.{d}" for d in domains), *(f"a.b.{d}" for d in domains[:50])]
    hosts += [f"x{i}.clean{i}.example.co.uk" for i in range(200)] + indicators.values("ip")[:50]
    expected = [reference.match_host(h) for h in hosts]
    assert indicators.match_hosts(hosts) == expected
    assert sum(e is not None for e in expected) == 1100


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_match_hosts_agrees_with_its_reference_on_random_hosts(
    shipped: tuple[IndicatorSet, ReferenceMatcher], data: st.DataObject
) -> None:
    indicators, reference = shipped
    listed = st.sampled_from(indicators.values("domain") + indicators.values("ip"))
    label = st.sampled_from(["www", "a", "b-c", "", "x1", "cdn", "9", "co", "uk", "Ä", "٣"])
    prefix = st.lists(label, max_size=4).map(".".join)
    host = st.one_of(
        st.tuples(prefix, listed).map(".".join),
        st.tuples(listed, st.sampled_from(["", ".", ".7", ".example.org"])).map("".join),
        st.tuples(prefix, st.sampled_from(["clean.co.uk", "github.io", "com"])).map(".".join),
        listed,
        st.text(alphabet=".a9", max_size=6),
    )
    hosts = data.draw(st.lists(host, max_size=20))
    assert indicators.match_hosts(hosts) == [reference.match_host(h) for h in hosts]


def test_a_host_ending_in_any_digit_matches_ip_indicators_only() -> None:
    listed = [
        Indicator("domain", value, "C", "R", "f")
        for value in ("evil.test\u0663", "1.2.3.4", "evil.test")
    ]
    listed.append(Indicator("ip", "9.9.9.9", "C", "R", "f"))
    indicators, reference = IndicatorSet(listed), ReferenceMatcher(listed)
    hosts = ["www.evil.test\u0663", "x.1.2.3.4", "1.2.3.4", "9.9.9.9", "www.evil.test"]
    expected = [None, None, listed[1], listed[3], listed[2]]
    assert [reference.match_host(h) for h in hosts] == expected
    assert indicators.match_hosts(hosts) == expected
