"""Finding URLs, hosts, e-mails, IPs and hashes in text, defanged or not.

Threat-intelligence writing defangs links so nobody clicks them (``hxxps://evil[.]com``,
``evil(.)com``, ``user[at]evil.com``); attackers obfuscate them the same way to slip past
filters. ``refang`` undoes both while keeping a map back to the original offsets, so a
finding's span points at the text the person actually wrote.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

_DEFANG = re.compile(
    r"h(?:xx|XX|\*\*|tt)p(?=s?(?:\[?:\]?|\[://\]))|fxp(?=s?(?:\[?:\]?|\[://\]))"
    r"|\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\)|\{dot\}|\[ \. \]|\\\."
    r"|\[:\]|\[://\]|\[@\]|\[at\]|\(at\)|[．。｡]|[\u200b-\u200d\u2060\ufeff]",
    re.IGNORECASE,
)
_REPLACEMENT = {"[:]": ":", "[://]": "://", "[@]": "@", "[at]": "@", "(at)": "@"}
_ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff")

_URL = re.compile(r"(?:https?|ftp)://[^\s<>\"'`]+|www\.[^\s<>\"'`]+", re.IGNORECASE)
_BARE_HOST = re.compile(
    r"(?<![\w@.:/-])(?:[\w-]{1,63}\.)+[^\W\d_]{2,63}(?:/[^\s<>\"'`]*)?(?![\w@])"
)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@(?:[\w-]{1,63}\.)+[^\W\d_]{2,63}\b")
_IPV4 = re.compile(
    r"(?<![\d.])(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}(?![\d.])"
)
_HASH = re.compile(
    r"(?<![0-9a-fA-F])(?:[0-9a-fA-F]{64}|[0-9a-fA-F]{40}|[0-9a-fA-F]{32})(?![0-9a-fA-F])"
)
_TRAILING = ".,;:!?)]}'\"»”"


@dataclass(frozen=True, slots=True)
class Refanged:
    """Refanged text and the offsets needed to map positions back to the original."""

    text: str
    anchors: tuple[int, ...] = ()  # positions in ``text`` where a replacement starts
    shifts: tuple[int, ...] = ()  # original minus refanged offset from that anchor on

    def original(self, position: int) -> int:
        index = bisect.bisect_right(self.anchors, position) - 1
        return position + (self.shifts[index] if index >= 0 else 0)


def _replacement(token: str) -> str:
    low = token.lower()
    if low.startswith(("hxx", "h**", "htt")):
        return "http"
    if low == "fxp":
        return "ftp"
    if token in _ZERO_WIDTH:
        return ""
    return _REPLACEMENT.get(low, ".")


def refang(text: str) -> Refanged:
    """Undo defanging and obfuscation; identity (and cheap) when there is none."""
    if _DEFANG.search(text) is None:
        return Refanged(text)
    pieces: list[str] = []
    anchors: list[int] = []
    shifts: list[int] = []
    out = last = 0
    for match in _DEFANG.finditer(text):
        pieces.append(text[last : match.start()])
        out += match.start() - last
        new = _replacement(match.group())
        pieces.append(new)
        out += len(new)
        anchors.append(out)
        shifts.append(match.end() - out)
        last = match.end()
    pieces.append(text[last:])
    return Refanged("".join(pieces), tuple(anchors), tuple(shifts))


@dataclass(frozen=True, slots=True)
class Observable:
    """Something in a text that indicators can match: ``url``, ``host``, ``email``,
    ``ip`` or ``hash``; ``start``/``end`` are offsets in the original text."""

    kind: str
    value: str
    start: int
    end: int


def _trim(value: str) -> str:
    while value and value[-1] in _TRAILING:
        value = value[:-1]
    return value


def _spans(ref: Refanged, pattern: re.Pattern[str], kind: str) -> Iterator[Observable]:
    for match in pattern.finditer(ref.text):
        value = _trim(match.group()) if kind in {"url", "host"} else match.group()
        start = match.start()
        yield Observable(kind, value, ref.original(start), ref.original(start + len(value)))


def observables(text: str) -> list[Observable]:
    """Every URL, bare host, e-mail, IPv4 address and hash in ``text``."""
    if "." not in text and not _might_hash(text):
        return []
    ref = refang(text)
    found = list(_spans(ref, _URL, "url"))
    covered = [(o.start, o.end) for o in found]
    if "@" in ref.text:  # cheap tests first: each pattern needs these to match at all
        found.extend(o for o in _spans(ref, _EMAIL, "email") if not _inside(o, covered))
    covered.extend((o.start, o.end) for o in found)
    found.extend(o for o in _spans(ref, _BARE_HOST, "host") if not _inside(o, covered))
    if ref.text.count(".") >= 3:
        found.extend(o for o in _spans(ref, _IPV4, "ip") if not _inside(o, covered))
    if _might_hash(ref.text):
        found.extend(_spans(ref, _HASH, "hash"))
    return found


def _might_hash(text: str) -> bool:
    return len(text) >= 32


def _inside(obs: Observable, covered: list[tuple[int, int]]) -> bool:
    return any(start <= obs.start and obs.end <= end for start, end in covered)


def host_of(url: str) -> str:
    """The lower-case host of a URL (no scheme, credentials, port or path)."""
    rest = url.partition("://")[2] if "://" in url else url
    host = rest.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0].rpartition("@")[2]
    if host.startswith("["):
        return host[1:].partition("]")[0].lower()
    return host.partition(":")[0].rstrip(".").lower()


# One URL and its newline: the scheme up to the first "://" (if any), user information up
# to the authority's last "@", then the host up to a port, path, query or fragment without
# trailing dots (as ``host_of``), then the rest of the line. Possessive quantifiers: no
# backtracking, so each URL costs one left-to-right scan.
_HOST_LINE = re.compile(
    r"(?:[^\n:]*+(?::(?!//)[^\n:]*+)*+://)?(?:[^\n/?#@]*+@)*+"
    r"((?:[^\n/?#:.]++|\.++(?=[^\n/?#:.]))*+)[^\n]*+\n"
)


# The common case, many times faster: the authority after each line's first "://". Each
# URL is joined with "/\n", so the authority always ends at a "/" (a "?" or "#" inside it
# is looked at afterwards): the engine's fastest loop, one excluded character.
_AUTHORITY_LINE = re.compile(r"[^\n:/]*+://([^/]*+)[^\n]*+\n")


def hosts_of(urls: Sequence[str]) -> list[str]:
    """``host_of`` of every URL, with one regular-expression pass over them all."""
    joined = "/\n".join(urls)
    if "[" in joined or joined.count("\n") != len(urls) - 1:  # IPv6 literals, odd input
        return [host_of(url) for url in urls]
    lowered = joined.lower() + "/\n"
    hosts: list[str] = _AUTHORITY_LINE.findall(lowered)
    if len(hosts) != len(urls):  # some URL has no "://"
        hosts = _HOST_LINE.findall("\n".join(urls).lower() + "\n")
        return hosts if len(hosts) == len(urls) else [host_of(url) for url in urls]
    # The authority is the host unless it has user information, a port, a final dot, or
    # a query or fragment right after it.
    plain = "\n".join(hosts) + "\n"
    line = position = 0
    for at in sorted(at for c in ("@", ":", ".\n", "?", "#") for at in _positions(plain, c)):
        line += plain.count("\n", position, at)  # newlines counted once, left to right
        position = at
        hosts[line] = host_of(urls[line])
    return hosts


def _positions(text: str, needle: str) -> list[int]:
    """Every position of ``needle`` in ``text`` (``str.find`` runs at memory speed)."""
    found: list[int] = []
    at = text.find(needle)
    while at >= 0:
        found.append(at)
        at = text.find(needle, at + 1)
    return found


def to_ascii_hosts(hosts: list[str]) -> list[str]:
    """``to_ascii_host`` of every host (the list itself when all are ASCII)."""
    return hosts if "".join(hosts).isascii() else [to_ascii_host(h) for h in hosts]


def normalise_url(url: str) -> str:
    """Scheme-less, lower-case host, no fragment and no trailing slash: the form URL
    indicators are compared in."""
    rest = url.partition("://")[2] if "://" in url else url
    rest = rest.split("#", 1)[0]
    host, slash, path = rest.partition("/")
    return (host.lower().rstrip(".") + slash + path).rstrip("/")


def to_ascii_host(host: str) -> str:
    """IDNA (punycode) form of a host; unchanged when it cannot be encoded."""
    if host.isascii():
        return host
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host
