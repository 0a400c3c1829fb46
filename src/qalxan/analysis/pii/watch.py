"""Watch-list matching: does exposed data belong to a watched defender?

Phones compare in E.164, e-mails case-folded, addresses by token overlap (house number
and street words). The index is built once per analysis context and cached.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from qalxan.analysis.message import AnalysisContext, WatchedDefender
from qalxan.analysis.pii.phones import to_e164

_TOKEN = re.compile(r"\w+")
MIN_SHARED_TOKENS = 2
MIN_SHARED_FRACTION = 0.5


def address_tokens(text: str) -> frozenset[str]:
    """Distinctive tokens of an address: numbers and words of three letters or more."""
    tokens = _TOKEN.findall(text.casefold())
    return frozenset(t for t in tokens if t.isdigit() or len(t) >= 3)


@dataclass(frozen=True, slots=True)
class WatchIndex:
    phones: dict[str, str]
    emails: dict[str, str]
    addresses: tuple[tuple[str, frozenset[str]], ...]
    regions: tuple[str, ...]

    def phone_owner(self, e164: str) -> str | None:
        return self.phones.get(e164)

    def email_owner(self, email: str) -> str | None:
        return self.emails.get(email.casefold())

    def address_owner(self, window: str) -> str | None:
        """The defender whose stored address shares enough tokens with ``window``."""
        if not self.addresses:
            return None
        seen = address_tokens(window)
        for defender_id, tokens in self.addresses:
            shared = seen & tokens
            if _enough(shared, tokens):
                return defender_id
        return None


def _enough(shared: frozenset[str], tokens: frozenset[str]) -> bool:
    has_number = any(t.isdigit() for t in shared)
    has_word = any(not t.isdigit() for t in shared)
    big = len(shared) >= MIN_SHARED_TOKENS and len(shared) >= MIN_SHARED_FRACTION * len(tokens)
    return has_number and has_word and big


def _phones(defender: WatchedDefender, default_region: str | None) -> dict[str, str]:
    region = defender.region or default_region
    out: dict[str, str] = {}
    for raw in defender.phones:
        e164 = to_e164(raw, region) or to_e164(raw, None)
        if e164:
            out[e164] = defender.defender_id
    return out


def watch_index(context: AnalysisContext) -> WatchIndex:
    """Index of the watched defenders' stored details, cached per analysis context (a
    context holding lists instead of tuples cannot be cached and is indexed each time)."""
    try:
        return _cached_index(context)
    except TypeError:  # unhashable
        return build_index(context)


@lru_cache(maxsize=64)
def _cached_index(context: AnalysisContext) -> WatchIndex:
    return build_index(context)


def build_index(context: AnalysisContext) -> WatchIndex:
    """Index of the watched defenders' stored details."""
    phones: dict[str, str] = {}
    emails: dict[str, str] = {}
    addresses: list[tuple[str, frozenset[str]]] = []
    for defender in context.watched:
        phones.update(_phones(defender, context.default_region))
        emails.update({e.strip().casefold(): defender.defender_id for e in defender.emails})
        addresses.extend((defender.defender_id, address_tokens(a)) for a in defender.addresses)
    regions = [context.default_region, *(d.region for d in context.watched)]
    return WatchIndex(phones, emails, tuple(addresses), tuple(r for r in regions if r))
