"""Finding URLs, hosts, e-mails, IPs and hashes in text, defanged or not.

Threat-intelligence writing defangs links so nobody clicks them (``hxxps://evil[.]com``,
``evil(.)com``, ``user[at]evil.com``); attackers obfuscate them the same way to slip past
filters. ``refang`` undoes both while keeping a map back to the original offsets, so a
finding's span points at the text the person actually wrote.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass

# Host extraction runs compiled (``_hosts.c``): the links detector does it for every URL.
from qalxan.analysis._hosts import host_of as host_of
from qalxan.analysis._hosts import hosts_of as hosts_of

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
