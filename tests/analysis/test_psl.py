"""Registered domains from the bundled Public Suffix List snapshot."""

from __future__ import annotations

import pytest

from qalxan.analysis.psl import PublicSuffixList, default_psl


@pytest.mark.parametrize(
    ("host", "registered"),
    [
        ("a.b.example.co.uk", "example.co.uk"),
        ("example.com", "example.com"),
        ("co.uk", None),
        ("com", None),
        ("foo.1ca43.appspot.com", "1ca43.appspot.com"),  # private section
        ("x.kawasaki.jp", None),  # wildcard rule *.kawasaki.jp
        ("www.city.kawasaki.jp", "city.kawasaki.jp"),  # exception !city.kawasaki.jp
        ("a.b.c.github.io", "c.github.io"),
        ("xn--e1afmkfd.xn--p1ai", "xn--e1afmkfd.xn--p1ai"),
        ("unknown-tld.zzzz", "unknown-tld.zzzz"),  # default rule "*"
    ],
)
def test_registered_domain(host: str, registered: str | None) -> None:
    assert default_psl().registered_domain(host) == registered


def test_parses_rules_wildcards_and_exceptions() -> None:
    psl = PublicSuffixList("// comment\nck\n*.ck\n!www.ck\n")
    assert psl.registered_domain("a.b.ck") == "a.b.ck"
    assert psl.registered_domain("www.ck") == "www.ck"
