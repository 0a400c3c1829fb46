"""Where monitoring may connect: public addresses only, checked on every hop.

A source's URL is given by staff, so it must not reach what only the server can reach:
loopback, private networks, link-local (cloud metadata at 169.254.169.254), multicast,
reserved and other non-global ranges, in IPv4, IPv6 and the IPv6 forms that carry an IPv4
address (mapped, 6to4, NAT64; Teredo is refused whole). ``Egress.target`` checks a URL's
host before each request, the first and each redirect:

* **directly**: the host is resolved here; every address it resolves to must be public,
  and the request is sent to the first of them (the connection is pinned to the checked
  address, so a second, different DNS answer cannot swap it);
* **through a proxy** (``QALXAN_MONITOR_PROXY``, e.g. Tor's ``socks5h://127.0.0.1:9050``):
  the proxy resolves names, so none is resolved here. An address written as such must be
  public; names that only mean something locally are refused (``localhost`` and
  ``*.localhost``, names without a dot, ``*.local``, ``*.internal``, ``*.lan``,
  ``*.home.arpa``, ``*.localdomain``); any other name goes to the proxy as it is.

``allow_loopback`` (``QALXAN_MONITOR_ALLOW_LOOPBACK``) lets loopback through and nothing
else: for tests, and for a deployment that deliberately monitors a service on its own host.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import httpx

from qalxan.errors import SourceUnavailable

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Sequence[str]]

LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".lan", ".home.arpa", ".localdomain")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (TCP), in the resolver's order."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise SourceUnavailable(f"{host}: the name could not be resolved") from None
    return list(dict.fromkeys(str(info[4][0]) for info in found))


def embedded(address: IPAddress) -> IPAddress:
    """The IPv4 address an IPv6 address carries (mapped, 6to4, NAT64), else the address."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return address.ipv4_mapped
        if address.sixtofour is not None:
            return address.sixtofour
        if address in _NAT64:
            return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address


def public(address: IPAddress, allow_loopback: bool = False) -> bool:
    """Whether monitoring may connect to ``address``."""
    if isinstance(address, ipaddress.IPv6Address) and address.teredo is not None:
        return False
    inner = embedded(address)
    if inner.is_loopback:
        return allow_loopback
    return inner.is_global and not inner.is_multicast and not inner.is_reserved \
        and not inner.is_unspecified and not inner.is_link_local and not inner.is_private


def ip_literal(host: str) -> IPAddress | None:
    """The address ``host`` writes out, or None for a name."""
    try:
        return ipaddress.ip_address(host.strip("[]").split("%")[0])
    except ValueError:
        return None


def local_name(host: str) -> bool:
    """Whether ``host`` is a name that only means something on the local network."""
    name = host.rstrip(".").lower()
    return name == "localhost" or "." not in name or name.endswith(LOCAL_SUFFIXES)


@dataclass(frozen=True, slots=True)
class Target:
    """Where one request goes: the URL to send (the checked address in place of the host
    when resolved here), the ``Host`` header, and the name TLS must verify (SNI)."""

    url: httpx.URL
    host_header: str | None = None
    sni_hostname: str | None = None

    def extensions(self) -> dict[str, str]:
        return {"sni_hostname": self.sni_hostname} if self.sni_hostname else {}


@dataclass(frozen=True, slots=True)
class Egress:
    """The address rule and how requests leave: directly, or through ``proxy``."""

    allow_loopback: bool = False
    proxy: str | None = None
    resolver: Resolver = field(default=resolve)

    def target(self, url: httpx.URL) -> Target:
        """The checked target of ``url``; ``SourceUnavailable`` for one monitoring must not
        reach. The message names the host only."""
        if url.scheme not in ("http", "https") or not url.host:
            raise SourceUnavailable("only http and https addresses with a host are fetched")
        host = url.host
        refused = SourceUnavailable(f"{host}: not a public address; monitoring does not "
                                    "connect there")
        literal = ip_literal(host)
        if literal is not None:
            if not public(literal, self.allow_loopback):
                raise refused
            return Target(url)
        if self.proxy is not None:
            if local_name(host) and not (self.allow_loopback and _loopback_name(host)):
                raise refused
            return Target(url)
        port = url.port or (443 if url.scheme == "https" else 80)
        host = url.raw_host.decode("ascii")  # an international name in its IDNA form
        addresses = [ip_literal(a) for a in self.resolver(host, port)]
        if not addresses or any(a is None or not public(a, self.allow_loopback)
                                for a in addresses):
            raise refused
        pinned = addresses[0]
        assert pinned is not None
        header = host if url.port is None else f"{host}:{url.port}"
        return Target(url.copy_with(host=str(pinned)), header,
                      host if url.scheme == "https" else None)


def _loopback_name(host: str) -> bool:
    name = host.rstrip(".").lower()
    return name == "localhost" or name.endswith(".localhost")


def outside_public(url: str, allow_loopback: bool = False) -> bool:
    """Whether ``url`` writes out a non-public address or names a local name: what can be
    told without resolving anything (when a source is added)."""
    host = httpx.URL(url).host
    literal = ip_literal(host)
    if literal is not None:
        return not public(literal, allow_loopback)
    return local_name(host) and not (allow_loopback and _loopback_name(host))
