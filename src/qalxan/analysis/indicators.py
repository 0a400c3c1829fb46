"""Indicators of compromise from STIX 2.1 feeds, indexed for fast matching.

STIX bundles are read as plain JSON (the ``stix2`` library validates every object and is
an order of magnitude slower to load; we only need the patterns and the names). Each
indicator is keyed by its normalised value in one dict per kind; a host matches a domain
indicator when the host or one of its parent domains (down to the registered domain,
from the bundled Public Suffix List) is listed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from qalxan.analysis._hosts import match_hosts
from qalxan.analysis.psl import PublicSuffixList, default_psl
from qalxan.analysis.urls import hosts_of, normalise_url, to_ascii_host

KINDS: tuple[str, ...] = ("domain", "url", "ip", "email", "hash")
_TERM = re.compile(r"([\w-]+):([\w.'-]+)\s*=\s*'((?:[^'\\]|\\.)*)'")
_KEYS: dict[str, str] = {
    "domain-name:value": "domain",
    "url:value": "url",
    "ipv4-addr:value": "ip",
    "ipv6-addr:value": "ip",
    "email-addr:value": "email",
    "email-message:from_ref.value": "email",
}
_NAMED = ("malware", "campaign", "intrusion-set", "tool", "threat-actor")


@dataclass(frozen=True, slots=True)
class Indicator:
    """One indicator: what to match, and what a finding should name."""

    kind: str
    value: str
    campaign: str
    report: str
    feed: str


@dataclass(frozen=True, slots=True)
class FeedInfo:
    """Provenance of a feed file: its campaign (fallback name), report and source."""

    file: str
    campaign: str = ""
    report: str = ""
    source: str = ""
    licence: str = ""


def normalise(kind: str, value: str) -> str:
    """The form an indicator value is stored and compared in."""
    value = value.strip()
    if kind == "domain":
        return to_ascii_host(value.lower().rstrip("."))
    if kind == "url":
        return normalise_url(value)
    return value.lower()


def parse_pattern(pattern: str) -> Iterator[tuple[str, str]]:
    """(kind, value) for each comparison in a STIX pattern we can match in text."""
    for key, prop, value in _TERM.findall(pattern):
        full = f"{key}:{prop}".lower()
        kind = _KEYS.get(full)
        if kind is None and key.lower() == "file" and prop.lower().startswith("hashes."):
            kind = "hash"
        if kind is not None:
            yield kind, normalise(kind, value.replace("\\'", "'"))


def _names(objects: list[dict[str, Any]]) -> dict[str, tuple[str, str]]:
    """id → (name, first reference URL) of the named objects in a bundle."""
    out: dict[str, tuple[str, str]] = {}
    for obj in objects:
        if obj.get("type") in _NAMED and obj.get("name"):
            refs = [r.get("url", "") for r in obj.get("external_references", []) if r.get("url")]
            out[obj["id"]] = (str(obj["name"]), refs[0] if refs else "")
    return out


def _targets(objects: list[dict[str, Any]], names: Mapping[str, tuple[str, str]]) -> dict[str, str]:
    """indicator id → id of the named object it ``indicates``."""
    return {
        obj["source_ref"]: obj["target_ref"]
        for obj in objects
        if obj.get("type") == "relationship"
        and obj.get("relationship_type") == "indicates"
        and obj.get("target_ref") in names
    }


def parse_bundle(bundle: Mapping[str, Any], info: FeedInfo) -> list[Indicator]:
    """Indicators of one STIX 2.1 bundle; names come from ``indicates`` relationships."""
    objects = [o for o in bundle.get("objects", []) if isinstance(o, dict)]
    names = _names(objects)
    targets = _targets(objects, names)
    default = next(iter(names.values()), (info.campaign or info.file, ""))
    found: list[Indicator] = []
    for obj in objects:
        if obj.get("type") != "indicator" or obj.get("pattern_type", "stix") != "stix":
            continue
        name, ref = names.get(targets.get(obj.get("id", ""), ""), default)
        report = info.report or ref or info.file
        for kind, value in parse_pattern(str(obj.get("pattern", ""))):
            found.append(Indicator(kind, value, name, report, info.file))
    return found


class IndicatorSet:
    """Indicators keyed by kind and normalised value."""

    def __init__(self, indicators: Iterable[Indicator], psl: PublicSuffixList | None = None):
        self._by_kind: dict[str, dict[str, Indicator]] = {kind: {} for kind in KINDS}
        for indicator in indicators:
            self._by_kind[indicator.kind].setdefault(indicator.value, indicator)
        self._domains = self._by_kind["domain"]
        self._ips = self._by_kind["ip"]
        registered = (psl or default_psl()).registered_domain
        # Domains that may match as a parent: never a public suffix (``github.io``), so
        # always two labels or more (``match_hosts`` looks up no suffix without a dot).
        self._parents = {
            d: i for d, i in self._domains.items() if "." in d and registered(d) is not None
        }
        # Hosts of the URL indicators: ``host_of`` a URL equals ``host_of`` its normal form
        # with a scheme put back, so a URL on any other host cannot match one exactly.
        self.url_hosts = frozenset(hosts_of(["http://" + u for u in self._by_kind["url"]]))

    def __len__(self) -> int:
        return sum(len(values) for values in self._by_kind.values())

    def count(self, kind: str) -> int:
        return len(self._by_kind[kind])

    def values(self, kind: str) -> list[str]:
        """The normalised values of one kind of indicator."""
        return list(self._by_kind[kind])

    def lookup(self, kind: str, value: str) -> Indicator | None:
        """Exact match of an already normalised value."""
        return self._by_kind[kind].get(value)

    def match_host(self, host: str) -> Indicator | None:
        """The domain indicator for ``host`` or its nearest listed parent domain (an IP
        indicator for a host ending in a digit); a public suffix listed as an indicator
        never matches its subdomains."""
        return self.match_hosts((host,))[0]

    def match_hosts(self, hosts: Sequence[str]) -> list[Indicator | None]:
        """``match_host`` of every host, in compiled code (``_hosts.c``)."""
        return match_hosts(hosts, self._domains, self._parents, self._ips)


def load_feed_file(path: Path, info: FeedInfo | None = None) -> list[Indicator]:
    """Indicators of one STIX 2.1 JSON file; ValueError when it is not a bundle."""
    bundle = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(bundle, dict) or not isinstance(bundle.get("objects"), list):
        raise ValueError("not a STIX 2.1 bundle (a JSON object with an 'objects' list)")
    return parse_bundle(bundle, info or FeedInfo(path.name))


def _manifest(directory: Path) -> dict[str, FeedInfo]:
    path = directory / "manifest.json"
    if not path.is_file():
        return {}
    entries = json.loads(path.read_text(encoding="utf-8"))
    return {
        e["file"]: FeedInfo(**{k: str(e.get(k, "")) for k in FeedInfo.__slots__}) for e in entries
    }


def load_feed_dir(directory: Path) -> list[Indicator]:
    """Every ``*.stix2``/``*.json`` bundle in ``directory`` (provenance from manifest.json)."""
    infos = _manifest(directory)
    found: list[Indicator] = []
    for path in sorted(directory.iterdir()):
        if path.suffix in {".stix2", ".json"} and path.name != "manifest.json":
            found.extend(load_feed_file(path, infos.get(path.name)))
    return found


def shipped_feed_dir() -> Path:
    """The directory of the feeds shipped with Qalxan."""
    return Path(str(resources.files("qalxan").joinpath("data", "iocs")))


def load_indicators(extra_dirs: Iterable[Path] = ()) -> IndicatorSet:
    """Shipped feeds plus the feeds in ``extra_dirs`` (an instance's imported feeds)."""
    found = load_feed_dir(shipped_feed_dir())
    for directory in extra_dirs:
        if directory.is_dir():
            found.extend(load_feed_dir(directory))
    return IndicatorSet(found)
