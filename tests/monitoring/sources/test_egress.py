"""Where monitoring connects: public addresses only, on every hop, pinned; through a proxy
names are left to the proxy and local ones refused."""

from __future__ import annotations

import ipaddress
import time

import httpx
import pytest

from qalxan.config import Settings
from qalxan.errors import SourceUnavailable
from qalxan.monitoring.sources.egress import Egress, outside_public, public
from qalxan.monitoring.sources.http import HttpClient, RetryPolicy
from tests.monitoring.recorded_http import RecordedServer, Reply
from tests.monitoring.sources.conftest import FakeTime

OK = Reply(200, {"Content-Type": "application/json"}, b"[]")
REFUSED = "not a public address"


def never_resolves(host: str, port: int) -> list[str]:
    raise AssertionError(f"{host} must not be resolved here")


def client(fake_time: FakeTime, egress: Egress | None = None) -> HttpClient:
    return HttpClient(sleep=fake_time.sleep, clock=fake_time.clock, egress=egress,
                      policy=RetryPolicy(attempts=2))


def test_sources_cannot_reach_loopback_link_local_or_private_addresses(
        server: RecordedServer, fake_time: FakeTime) -> None:
    """Review finding 5: a source URL could point at loopback, link-local (cloud metadata)
    or [::1]. By default every such address is refused before anything is sent, written
    out or behind a name, and so is a name with one bad address among good ones."""
    server.add("GET", "/x", {}, OK)
    port = server.base_url.rsplit(":", 1)[1]
    with client(fake_time) as plain:
        for url in (f"{server.base_url}/x", f"http://[::1]:{port}/x",
                    f"http://[::ffff:127.0.0.1]:{port}/x", "http://169.254.169.254/latest/",
                    "http://10.0.0.8/", "http://192.168.1.1/", "http://100.64.0.1/",
                    "http://[fe80::1]/", "http://[fd00::1]/", "http://224.0.0.1/",
                    "http://0.0.0.0/", "http://[2002:7f00:1::]/", "http://[64:ff9b::a00:1]/"):
            with pytest.raises(SourceUnavailable, match=REFUSED):
                plain.get(url)
    assert list(server.requested("/x")) == []
    answers = {"metadata.example": ["169.254.169.254"],
               "mixed.example": ["93.184.215.14", "127.0.0.1"]}
    named = Egress(resolver=lambda host, _port: answers[host])
    with client(fake_time, named) as checked:
        for host in answers:
            with pytest.raises(SourceUnavailable, match=REFUSED):
                checked.get(f"http://{host}/feed")
    assert fake_time.sleeps == []  # refused, not retried


def test_a_redirect_to_a_private_address_is_not_followed(
        server: RecordedServer, fake_time: FakeTime) -> None:
    """Review finding 5: redirects were followed unchecked, so a public feed could send the
    server to its own metadata service. Each hop is checked like the first."""
    server.add("GET", "/feed", {}, Reply(302, {"Location": "http://169.254.169.254/latest/"}))
    server.add("GET", "/hop", {}, Reply(301, {"Location": "/x"}))
    server.add("GET", "/x", {}, OK)
    with client(fake_time, Egress(allow_loopback=True)) as http:
        with pytest.raises(SourceUnavailable, match=REFUSED):
            http.get(server.base_url + "/feed")
        assert http.get(server.base_url + "/hop").url == server.base_url + "/x"


def test_the_connection_goes_to_the_address_that_was_checked(
        server: RecordedServer, fake_time: FakeTime) -> None:
    """Review finding 5: a name is resolved once per hop, checked, and the request is sent
    to that very address with the name in ``Host``; a second DNS answer (rebinding to a
    private address) is never asked for."""
    server.add("GET", "/x", {}, OK)
    port = int(server.base_url.rsplit(":", 1)[1])
    answers = iter([["127.0.0.1"], ["169.254.169.254"]])
    asked: list[str] = []

    def rebinding(host: str, _port: int) -> list[str]:
        asked.append(host)
        return next(answers)

    with client(fake_time, Egress(allow_loopback=True, resolver=rebinding)) as http:
        response = http.get(f"http://feed.example:{port}/x")
    assert response.status == 200 and response.url == f"http://feed.example:{port}/x"
    assert asked == ["feed.example"]
    assert next(server.requested("/x")).headers["host"] == f"feed.example:{port}"


def test_loopback_is_reached_only_where_the_setting_allows_it(server: RecordedServer) -> None:
    """Review finding 5: the setting the tests use is off by default."""
    server.add("GET", "/x", {}, OK)
    assert Settings().monitor_allow_loopback is False
    with HttpClient.from_settings(Settings()) as default, \
            pytest.raises(SourceUnavailable, match=REFUSED):
        default.get(server.base_url + "/x")
    with HttpClient.from_settings(Settings(monitor_allow_loopback=True)) as allowed:
        assert allowed.get(server.base_url + "/x").status == 200
    assert not public(ipaddress.ip_address("10.0.0.1"), allow_loopback=True)


def test_an_address_that_is_not_public_is_refused_when_the_source_is_added() -> None:
    for url in ("http://127.0.0.1:8080/feed", "http://localhost/", "http://[::1]/",
                "http://169.254.169.254/", "http://intranet/", "http://db.internal/"):
        assert outside_public(url), url
    assert not outside_public("https://news.example.org/feed.xml")
    assert not outside_public("http://localhost:8000/", allow_loopback=True)


def test_through_a_proxy_names_are_left_to_it_and_local_ones_refused() -> None:
    """Review finding 6: with a SOCKS5 proxy that resolves names (Tor), nothing is resolved
    here; written-out addresses must be public, and local names are refused."""
    egress = Egress(proxy="socks5h://127.0.0.1:9050", resolver=never_resolves)
    target = egress.target(httpx.URL("https://social.example/api/v1/timelines/public"))
    assert target.url == httpx.URL("https://social.example/api/v1/timelines/public")
    assert target.host_header is None
    onion = "http://abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuv.onion/feed"
    assert egress.target(httpx.URL(onion)).url == httpx.URL(onion)
    for url in ("http://localhost/", "http://a.localhost/", "http://printer.local/",
                "http://intranet/", "http://metadata.google.internal/",
                "http://10.1.2.3/", "http://[::1]/", "http://169.254.169.254/"):
        with pytest.raises(SourceUnavailable, match=REFUSED):
            egress.target(httpx.URL(url))


def test_monitoring_egress_can_go_through_a_socks_proxy() -> None:
    """Review finding 6: requests left from the server's own address; the proxy setting
    sends them through SOCKS5 (socksio is installed for it), and nothing else reads the
    environment's proxy variables by accident."""
    settings = Settings(monitor_proxy="socks5h://127.0.0.1:9")
    started = time.monotonic()
    with HttpClient.from_settings(settings, sleep=lambda _s: None) as http:
        assert http.egress.proxy == "socks5h://127.0.0.1:9"
        with pytest.raises(SourceUnavailable, match=r"could not connect|ProxyError"):
            http.get("https://social.example/api/v1/timelines/public")
    assert time.monotonic() - started < 30
