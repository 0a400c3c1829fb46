"""Refanging and observable extraction; spans always point into the original text."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qalxan.analysis.urls import (
    host_of,
    hosts_of,
    normalise_url,
    observables,
    refang,
    to_ascii_host,
    to_ascii_hosts,
)

REFANG = [
    ("hxxps://evil[.]com/x", "https://evil.com/x"),
    ("hXXp://evil(.)com", "http://evil.com"),
    ("evil{.}com and evil[dot]com", "evil.com and evil.com"),
    ("https[:]//evil.com", "https://evil.com"),
    (
        "user[at]evil.com, user(at)evil.com, user[@]evil.com",
        "user@evil.com, user@evil.com, user@evil.com",
    ),
    ("fxp://files[.]evil.com", "ftp://files.evil.com"),
    ("evil\\.com", "evil.com"),
    ("evil。com and evil．com", "evil.com and evil.com"),
    ("ev\u200bil.com", "evil.com"),
    ("nothing to see here", "nothing to see here"),
]


@pytest.mark.parametrize(("text", "expected"), REFANG)
def test_refang(text: str, expected: str) -> None:
    assert refang(text).text == expected


def test_spans_map_back_to_the_defanged_text() -> None:
    text = "go to hxxps://spy[.]example(.)com/a?b=1, then mail x[at]y[.]org."
    obs = observables(text)
    assert [(o.kind, o.value, text[o.start : o.end]) for o in obs] == [
        ("url", "https://spy.example.com/a?b=1", "hxxps://spy[.]example(.)com/a?b=1"),
        ("email", "x@y.org", "x[at]y[.]org"),
    ]


OBSERVABLES = [
    ("see www.example.com.", [("url", "www.example.com")]),
    ("bare example.co.uk/path here", [("host", "example.co.uk/path")]),
    ("ip 203.0.113.45 and 999.1.1.1", [("ip", "203.0.113.45")]),
    ("hash " + "ab" * 32, [("hash", "ab" * 32)]),
    ("md5 d41d8cd98f00b204e9800998ecf8427e", [("hash", "d41d8cd98f00b204e9800998ecf8427e")]),
    ("no links, no dots", []),
    ("(https://example.org/x)", [("url", "https://example.org/x")]),
]


@pytest.mark.parametrize(("text", "expected"), OBSERVABLES)
def test_observables(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(o.kind, o.value) for o in observables(text)] == expected


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("https://User:pw@Sub.Example.COM:8443/path?q#f", "sub.example.com"),
        ("example.com/path", "example.com"),
        ("http://[2001:db8::1]:80/", "2001:db8::1"),
        ("https://example.com./", "example.com"),
    ],
)
def test_host_of(url: str, host: str) -> None:
    assert host_of(url) == host


def test_normalise_url_drops_scheme_fragment_and_trailing_slash() -> None:
    assert normalise_url("HTTPS://Example.com/A/b/#frag") == "example.com/A/b"


def test_to_ascii_host() -> None:
    assert to_ascii_host("пример.рф") == "xn--e1afmkfd.xn--p1ai"
    assert to_ascii_host("example.com") == "example.com"


def reference_host_of(url: str) -> str:
    """The definition ``host_of`` is compiled from, in plain Python."""
    rest = url.partition("://")[2] if "://" in url else url
    host = rest.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0].rpartition("@")[2]
    if host.startswith("["):
        return host[1:].partition("]")[0].lower()
    return host.partition(":")[0].rstrip(".").lower()


URL_PIECES = [
    "http://",
    "HTTPS://",
    "",
    "a.com",
    "B.org.",
    "u:p@",
    "x@y@",
    "h.com:80",
    "/p",
    "?q=1",
]
URL_PIECES += ["#f", "://", "..", ".", "z.ru", "@", ":", "/", "İst.com", "[::1]", "\n", "]", "["]
# Non-ASCII of every width CPython stores (1, 2 and 4 bytes a character), some of which
# lower-case to ASCII (the Kelvin sign) or to two characters (dotted capital I).
URL_PIECES += ["é", "Ä.de", "K", "Ω.gr", "𝔸", "\U0001f600.ws", "ſ", "ẞ"]


def test_host_of_agrees_with_its_reference_on_random_urls() -> None:
    rng = random.Random(5)
    for _ in range(3000):
        url = "".join(rng.choices(URL_PIECES, k=rng.randint(0, 8)))
        assert host_of(url) == reference_host_of(url), url


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet=st.sampled_from(":/?#@[].aZ\u0130\u212a\U0001d538-1 \n"), max_size=24))
def test_host_of_agrees_with_its_reference_on_any_text(url: str) -> None:
    assert host_of(url) == reference_host_of(url)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(max_size=30)))
def test_hosts_of_is_host_of_of_every_url(urls: list[str]) -> None:
    assert hosts_of(urls) == [reference_host_of(u) for u in urls]
    assert hosts_of(tuple(urls)) == hosts_of(urls)


def test_host_of_rejects_what_is_not_a_string() -> None:
    with pytest.raises(TypeError):
        hosts_of(["a.com", b"b.com"])  # type: ignore[list-item]
    with pytest.raises(TypeError):
        host_of(None)  # type: ignore[arg-type]


def test_to_ascii_hosts() -> None:
    assert to_ascii_hosts(["a.com", "b.org"]) == ["a.com", "b.org"]
    assert to_ascii_hosts(["a.com", "bücher.de"]) == ["a.com", "xn--bcher-kva.de"]
