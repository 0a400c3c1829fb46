"""Links and indicators of compromise: spyware, stalkerware and phishing infrastructure.

URLs, hosts, e-mail addresses, IPs and file hashes are found in the text (defanged or
obfuscated forms included) and in ``Message.urls``, normalised, and matched against the
STIX 2.1 feeds shipped with Qalxan plus the feeds an instance imported. A finding names
the campaign or malware and the report it comes from.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import compress
from pathlib import Path

from qalxan.analysis.indicators import Indicator, IndicatorSet, load_indicators, normalise
from qalxan.analysis.message import AnalysisContext, Finding, Message, Span
from qalxan.analysis.psl import default_psl
from qalxan.analysis.registry import registry
from qalxan.analysis.urls import (
    Observable,
    host_of,
    hosts_of,
    normalise_url,
    observables,
    to_ascii_host,
    to_ascii_hosts,
)

NAME = "links"
_LABELS = {
    "url": "URL",
    "host": "Domain",
    "email": "E-mail address",
    "ip": "IP address",
    "hash": "Hash",
}
SCORES = {"url": 0.95, "domain": 0.9, "email": 0.9, "hash": 0.95, "ip": 0.8}


Signature = tuple[tuple[int, int], ...]


def feeds_signature(feed_dirs: Sequence[Path]) -> Signature:
    """What changes when a feed is imported into one of ``feed_dirs`` (a file renamed in,
    the manifest rewritten): each folder's and manifest's modification time, by one
    ``stat`` each; (0, 0) for one that does not exist."""
    marks: list[tuple[int, int]] = []
    for folder in feed_dirs:
        for path in (folder, folder / "manifest.json"):
            try:
                info = path.stat()
            except OSError:
                marks.append((0, 0))
            else:
                marks.append((info.st_mtime_ns, info.st_size))
    return tuple(marks)


class LinksDetector:
    """Matches links and other observables against indicator feeds. Given the folders of
    an instance's imported feeds, it reloads them when they change, so a feed imported in
    one server process (or by the CLI) takes effect in every process without a restart."""

    name = NAME

    def __init__(self, indicators: IndicatorSet, feed_dirs: Sequence[Path] = (),
                 seen: Signature | None = None) -> None:
        """``seen``: the folders' signature taken before ``indicators`` were loaded from
        them, so that a feed imported meanwhile is loaded at the next batch."""
        self.indicators = indicators
        self.feed_dirs = tuple(feed_dirs)
        self._seen = feeds_signature(self.feed_dirs) if seen is None else seen

    def _reload_if_changed(self) -> None:
        if not self.feed_dirs:
            return
        now = feeds_signature(self.feed_dirs)
        if now != self._seen:
            self.indicators, self._seen = load_indicators(self.feed_dirs), now

    def detect(self, batch: Sequence[Message], context: AnalysisContext) -> list[list[Finding]]:
        """Every observable of the batch; the URLs of all its messages matched at once
        (:meth:`match_urls`), the other observables one by one."""
        self._reload_if_changed()
        found = [_observables_of(message) for message in batch]
        urls = [obs.value for observed in found for obs in observed if obs.kind == "url"]
        matched = iter(self.match_urls(urls))
        return [self._findings(observed, matched) for observed in found]

    def _findings(self, observed: list[Observable],
                  matched: Iterator[Indicator | None]) -> list[Finding]:
        findings: list[Finding] = []
        seen: set[tuple[str, int, int]] = set()
        for obs in observed:
            indicator = next(matched) if obs.kind == "url" else self.match(obs)
            key = (indicator.value if indicator else "", obs.start, obs.end)
            if indicator is not None and key not in seen:
                seen.add(key)
                findings.append(_finding(obs, indicator))
        return findings

    def match_url(self, url: str) -> Indicator | None:
        """The indicator a URL matches: the exact URL, else its host or a parent domain."""
        ind = self.indicators
        if ind.count("url"):
            exact = ind.lookup("url", normalise_url(url))
            if exact is not None:
                return exact
        return ind.match_host(to_ascii_host(host_of(url)))

    def match_urls(self, urls: Sequence[str]) -> list[Indicator | None]:
        """``match_url`` of every URL: hosts extracted and matched in compiled code over the
        whole list (``hosts_of``, ``IndicatorSet.match_hosts``)."""
        hosts = hosts_of(urls)
        found = self.indicators.match_hosts(to_ascii_hosts(hosts))
        if self.indicators.count("url"):
            self._exact_urls(urls, hosts, found)
        return found

    def _exact_urls(
        self, urls: Sequence[str], hosts: list[str], found: list[Indicator | None]
    ) -> None:
        """URL indicators win over host matches; only URLs on a host that some URL
        indicator names are normalised and looked up."""
        on_listed_host = map(self.indicators.url_hosts.__contains__, hosts)
        for i in compress(range(len(urls)), on_listed_host):
            exact = self.indicators.lookup("url", normalise_url(urls[i]))
            if exact is not None:
                found[i] = exact

    def match(self, obs: Observable) -> Indicator | None:
        """The indicator an observable matches, if any."""
        ind = self.indicators
        if obs.kind == "url":
            return self.match_url(obs.value)
        if obs.kind == "host":
            return ind.match_host(to_ascii_host(host_of(obs.value)))
        if obs.kind == "email":
            address = obs.value.lower()
            return ind.lookup("email", address) or ind.match_host(address.rpartition("@")[2])
        if obs.kind == "ip":
            return ind.lookup("ip", obs.value)
        return ind.lookup("hash", obs.value.lower())


def _observables_of(message: Message) -> list[Observable]:
    """The observables in a message's text, then the URLs that came with it, less those
    the text already holds (compared in ``normalise_url``'s form): a link given both in
    the text and in ``Message.urls`` is one observable, with its place in the text."""
    found = observables(message.text)
    if not message.urls:
        return found
    seen = {normalise_url(o.value) for o in found if o.kind in ("url", "host")}
    for url in message.urls:
        key = normalise_url(url)
        if key not in seen:
            seen.add(key)
            found.append(Observable("url", url, 0, 0))
    return found


def threat_code(indicator: Indicator) -> str:
    """``phishing`` for phishing infrastructure, otherwise ``surveillance.spyware``."""
    return "phishing" if "phish" in indicator.campaign.lower() else "surveillance.spyware"


def _finding(obs: Observable, indicator: Indicator) -> Finding:
    details = {
        "indicator": indicator.value,
        "indicator_type": indicator.kind,
        "campaign": indicator.campaign,
        "report": indicator.report,
        "feed": indicator.feed,
        "observed": obs.value,
    }
    if indicator.kind == "domain":
        details["registered_domain"] = default_psl().registered_domain(indicator.value) or ""
    explanation = (
        f"{_LABELS[obs.kind]} matches a known {indicator.kind} indicator of "
        f"{indicator.campaign} (report: {indicator.report})."
    )
    spans = (Span(obs.start, obs.end),) if obs.end > obs.start else ()
    return Finding(
        NAME, threat_code(indicator), SCORES[indicator.kind], explanation, spans, details
    )


def make_links_detector(feed_dirs: Iterable[Path] | None = None) -> LinksDetector:
    """The detector over the shipped feeds plus ``feed_dirs`` (default: the instance's
    imported feeds, ``Settings().data_dir / "iocs"``)."""
    folders = [imported_feed_dir()] if feed_dirs is None else list(feed_dirs)
    seen = feeds_signature(folders)
    return LinksDetector(load_indicators(folders), folders, seen)


def imported_feed_dir() -> Path:
    """Where ``qalxan iocs import`` stores an instance's own feeds."""
    from qalxan.config import get_settings

    return get_settings().data_dir / "iocs"


registry.register(NAME, make_links_detector)
__all__ = ["LinksDetector", "make_links_detector", "normalise", "threat_code"]
