"""Registered domains from the bundled Public Suffix List snapshot (offline).

``qalxan/data/public_suffix_list.dat`` is a snapshot of the Mozilla Public Suffix List
(MPL-2.0); ``qalxan/data/PUBLIC_SUFFIX_SOURCE.md`` records where it came from.
"""

from __future__ import annotations

from functools import lru_cache

from qalxan.analysis.pii.lexicon import data_text


class PublicSuffixList:
    """The PSL algorithm: longest matching rule, wildcards and exceptions."""

    def __init__(self, text: str) -> None:
        self._rules: set[str] = set()
        self._wildcards: set[str] = set()
        self._exceptions: set[str] = set()
        for raw in text.splitlines():
            rule = raw.strip()
            if not rule or rule.startswith("//"):
                continue
            self._add(rule.split()[0].encode("idna").decode("ascii").lower())

    def _add(self, rule: str) -> None:
        if rule.startswith("!"):
            self._exceptions.add(rule[1:])
        elif rule.startswith("*."):
            self._wildcards.add(rule[2:])
        else:
            self._rules.add(rule)

    def suffix_length(self, labels: list[str]) -> int:
        """Number of trailing labels that form the public suffix (at least 1)."""
        for i in range(len(labels)):
            candidate = ".".join(labels[i:])
            if candidate in self._exceptions:
                return len(labels) - i - 1
            if candidate in self._rules:
                return len(labels) - i
            if i + 1 < len(labels) and ".".join(labels[i + 1 :]) in self._wildcards:
                return len(labels) - i
        return 1

    def registered_domain(self, host: str) -> str | None:
        """``a.b.example.co.uk`` → ``example.co.uk``; None for a bare public suffix."""
        labels = host.strip(".").lower().split(".")
        size = self.suffix_length(labels)
        if len(labels) <= size:
            return None
        return ".".join(labels[-size - 1 :])


@lru_cache(maxsize=1)
def default_psl() -> PublicSuffixList:
    """The bundled snapshot, parsed once per process."""
    return PublicSuffixList(data_text("public_suffix_list.dat"))
