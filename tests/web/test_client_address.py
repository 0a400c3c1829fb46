"""The client address behind trusted reverse proxies, and the sign-in throttle that uses it."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from qalxan.config import Settings
from qalxan.security import two_factor
from qalxan.services import auth
from qalxan.services.context import Platform
from qalxan.web.app import create_app
from qalxan.web.middleware import client_address
from tests.conftest import Staff

PROXY = "10.1.2.3"
TRUSTED = (ipaddress.ip_network("10.0.0.0/8"), ipaddress.ip_network("::1/128"))


@pytest.mark.parametrize(("peer", "forwarded", "expected"), [
    ("198.51.100.7", [], "198.51.100.7"),  # no proxy configured for this peer
    ("198.51.100.7", ["203.0.113.1"], "198.51.100.7"),  # an untrusted peer cannot claim one
    (PROXY, ["203.0.113.1"], "203.0.113.1"),
    (PROXY, ["1.1.1.1, 203.0.113.1"], "203.0.113.1"),  # left of the proxy's entry: unbelieved
    (PROXY, ["203.0.113.1, 10.9.9.9"], "203.0.113.1"),  # two trusted hops
    (PROXY, ["garbage"], PROXY),
    ("::1", ["2001:db8::5"], "2001:db8::5"),
    (PROXY, [], PROXY),
])
def test_client_address_through_trusted_proxies(peer: str, forwarded: list[str],
                                                expected: str) -> None:
    assert client_address(peer, forwarded, TRUSTED) == expected


def test_trusted_proxies_must_be_addresses_or_networks() -> None:
    assert Settings(trusted_proxies="127.0.0.1, 10.0.0.0/8").trusted_proxy_networks()
    with pytest.raises(ValidationError):
        Settings(trusted_proxies="proxy.example.org")


@pytest.fixture
def behind_proxy(platform: Platform, intake_org: str) -> Iterator[TestClient]:
    platform.settings.trusted_proxies = "10.0.0.0/8"
    with TestClient(create_app(platform), base_url="http://testserver",
                    client=(PROXY, 40000)) as client:
        yield client


def test_the_address_limit_counts_clients_behind_the_proxy_apart(
        behind_proxy: TestClient, platform: Platform, handler: Staff) -> None:
    """Review finding 4: behind the reverse proxy, one client's failures for made-up
    accounts throttle that client, not every member of staff; and even for that client a
    right password with a right code still signs in."""
    attacker = {"X-Forwarded-For": "203.0.113.66"}
    for n in range(platform.settings.login_max_failures * auth.ADDRESS_FACTOR):
        behind_proxy.post("/login", headers=attacker,
                          data={"email": f"nobody{n}@example.org", "password": "x" * 16})
    staff = {"X-Forwarded-For": "198.51.100.20"}
    ok = behind_proxy.post("/login", headers=staff, follow_redirects=False,
                           data={"email": handler.email, "password": handler.password})
    assert ok.status_code == 303 and ok.headers["location"] == "/login/totp"
    behind_proxy.cookies.clear()
    asked = behind_proxy.post("/login", headers=attacker,
                              data={"email": handler.email, "password": handler.password})
    assert asked.status_code == 429 and re.search(r'<input id="code" name="code"', asked.text)
    both = behind_proxy.post("/login", headers=attacker, follow_redirects=False, data={
        "email": handler.email, "password": handler.password,
        "code": two_factor.current_code(handler.totp_secret)})
    assert both.status_code == 303 and both.headers["location"] == "/cases"
    assert behind_proxy.get("/cases", headers=attacker).status_code == 200
