"""Watch-list matching: which watched defenders does a post name?

``WatchListMatcher`` is built once from the watch-list (an index of the words of every
name, alias and handle) and then asked, post by post, for the :class:`Mention` s in a text.

* A name of several words matches when its words appear in order, next to each other
  (spaces or hyphens between), each allowed to be inflected, transliterated or misspelt
  within its bound (:mod:`qalxan.monitoring.names`). A two-word name also matches with the
  surname first ("Мамедова Айсель"), as lists and news in Russian and Azerbaijani write it,
  but then without typos. Where several defenders match at one place, only those whose
  name is closest to the text are kept.
* The last word of a name (the surname) matches alone only when it is distinctive: five
  letters or more (five consonants in Arabic script) and neither a common word nor a very
  common surname (``data/watchlist/common_words.json``); and alone it must match exactly,
  apart from inflection (one typo is allowed on nine letters or more). A given name alone
  never matches.
* A name matched wholly on skeletons (Arabic script on either side) must carry five
  consonants in all, or four with two in each word, or short names would match anything.
* Words inside handles, e-mail addresses and links are not names.
* Aliases match like names; a one-word alias like a lone surname.
* Handles (``@aysel_m``, ``aysel_m@social.example``) match exactly, case-insensitively,
  without invisible characters; when both sides name an instance, the instances must agree.

Mentions of the defender whose handle wrote the post (``author_handle``) are left out: a
defender's own post is not a mention of them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final, Literal

from qalxan.analysis.message import WatchedDefender
from qalxan.analysis.text import MappedText, normalise, normalise_text, remap
from qalxan.analysis.text.tables import INVISIBLE, TO_LATIN
from qalxan.errors import InvalidInput
from qalxan.monitoring.name_index import Hit, WordIndex
from qalxan.monitoring.names import common_words, name_words

Kind = Literal["name", "handle", "alias"]
_WORD: Final[re.Pattern[str]] = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_JOIN: Final[re.Pattern[str]] = re.compile(r"[\s\-‐‑–]+")
_HANDLE: Final[re.Pattern[str]] = re.compile(
    r"(?<![\w@.])@(\w(?:[\w.]*\w)?)(?:@([\w-]+(?:\.[\w-]+)+))?"
    r"|(?<![\w@.])(\w(?:[\w.]*\w)?)@([\w-]+(?:\.[\w-]+)+)"
)
_HIDDEN: Final[re.Pattern[str]] = re.compile(
    "[" + "".join(sorted(INVISIBLE)) + r"\u0600-\u0605\u06dd\u070f\u0890\u0891\u08e2"
    r"\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
    r"\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    r"\U000e0001\U000e0020-\U000e007f]"
)
_MIXED: Final[re.Pattern[str]] = re.compile(r"[a-z][^\W\d_a-z]|[^\W\d_a-z][a-z]")
_LINK: Final[re.Pattern[str]] = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
MIN_ALONE_KEY: Final[int] = 5
MIN_ALONE_SKELETON: Final[int] = 5
LONE_TYPO_LENGTH: Final[int] = 9
MIN_SKELETONS: Final[int] = 4


@dataclass(frozen=True, slots=True)
class Mention:
    """A watched defender named in a text, at ``text[start:end]`` (``surface``)."""

    defender_id: str
    start: int
    end: int
    surface: str
    kind: Kind
    matched: str
    distance: int


@dataclass(frozen=True, slots=True)
class _Entry:
    """A sequence of stored words that names a defender."""

    defender_id: str
    kind: Kind
    matched: str
    words: tuple[int, ...]
    reversed: bool = False  # surname first: not for Arabic script, which does not write so


@dataclass(frozen=True, slots=True)
class _Token:
    start: int  # in the normalised text
    end: int
    hits: dict[int, Hit]


def handle_key(handle: str) -> tuple[str, str | None]:
    """(user, instance or None) of a handle, case-folded, look-alike letters in Latin."""
    plain = unicodedata.normalize("NFKC", "".join(c for c in handle if c not in INVISIBLE))
    folded = "".join(TO_LATIN.get(c, c) for c in plain).casefold().strip().lstrip("@")
    user, _, host = folded.partition("@")
    return user, host or None


class UnmatchableEntry(InvalidInput):
    """A watch-list entry holds a name, alias or handle that can never match a post."""


def check_entry(defender: WatchedDefender) -> None:
    """Refuse an entry with a name or alias without letters, or a handle without a user
    name (the matcher skips them; services call this when an entry is saved). The message
    names the defender id and the field, never the value."""
    for field_name, values in (("names", defender.names), ("aliases", defender.aliases)):
        if any(not name_words(v) for v in values):
            raise UnmatchableEntry(
                f"defender {defender.defender_id}: one of the {field_name} has no letters"
            )
    if any(not handle_key(h)[0] for h in defender.handles):
        raise UnmatchableEntry(
            f"defender {defender.defender_id}: one of the handles has no user name"
        )


class WatchListMatcher:
    """Finds the watched defenders a text names."""

    def __init__(self, defenders: Iterable[WatchedDefender]) -> None:
        self._index = WordIndex()
        self._by_first: dict[int, list[_Entry]] = {}
        self._handles: dict[str, list[tuple[str, str | None, str]]] = {}
        self._owners: dict[str, set[str]] = {}
        for defender in defenders:
            self._add(defender)

    def _add(self, defender: WatchedDefender) -> None:
        kinds: tuple[tuple[Kind, tuple[str, ...]], ...] = (
            ("name", defender.names),
            ("alias", defender.aliases),
        )
        for kind, names in kinds:
            for name in names:
                self._add_name(defender.defender_id, kind, name)
        for handle in defender.handles:
            user, host = handle_key(handle)
            if user:
                self._handles.setdefault(user, []).append((defender.defender_id, host, handle))
                self._owners.setdefault(user, set()).add(defender.defender_id)

    def _add_name(self, defender_id: str, kind: Kind, name: str) -> None:
        keys = name_words(name)
        if not keys:
            return  # nothing to match: ``check_entry`` refuses such names up front
        ids = tuple(self._index.add(k) for k in keys)
        entries = [_Entry(defender_id, kind, name, ids)]
        if len(ids) == 2:
            entries.append(_Entry(defender_id, kind, name, ids[::-1], reversed=True))
        if len(ids) == 1 and not _distinctive(keys[0].key, keys[0].skeleton):
            entries = []
        if len(ids) > 1 and _distinctive(keys[-1].key, keys[-1].skeleton):
            entries.append(_Entry(defender_id, kind, name, ids[-1:]))
        for entry in entries:
            self._by_first.setdefault(entry.words[0], []).append(entry)

    def mentioned(self, text: str) -> frozenset[str]:
        """The ids of the defenders ``text`` names."""
        return frozenset(m.defender_id for m in self.mentions(text))

    def mentions(self, text: str, *, author_handle: str | None = None) -> list[Mention]:
        """Every mention of a watched defender in ``text``, in order of position."""
        handles, identifiers = self._handle_mentions(text)
        found = handles + self._name_mentions(text, identifiers)
        if author_handle:
            own = self._owners.get(handle_key(author_handle)[0], set())
            found = [m for m in found if m.defender_id not in own]
        return _kept(found)

    def _name_mentions(self, text: str, skip: Sequence[tuple[int, int]]) -> list[Mention]:
        """Names in the text outside ``skip`` (handles, e-mail addresses and links, whose
        parts are not names: they match as handles or not at all)."""
        mapped = normalise(text)
        tokens = self._tokens(text, mapped, skip)
        found: list[Mention] = []
        for i, token in enumerate(tokens):
            after = tokens[i + 1].hits if i + 1 < len(tokens) else {}
            for wid in token.hits:
                for entry in self._by_first.get(wid, ()):
                    if len(entry.words) > 1 and entry.words[1] not in after:
                        continue  # the common case, decided without a call
                    mention = self._follow(entry, tokens, i, mapped, text)
                    if mention is not None:
                        found.append(mention)
        return found

    def _tokens(
        self, text: str, mapped: MappedText, skip: Sequence[tuple[int, int]]
    ) -> list[_Token]:
        tokens: list[_Token] = []
        for m in _WORD.finditer(mapped.text):
            if skip:
                start, end = mapped.original_span(m.start(), m.end())
                if any(s < end and start < e for s, e in skip):
                    tokens.append(_Token(m.start(), m.end(), {}))
                    continue
            hits = self._index.lookup(m.group())
            if _MIXED.search(m.group()):
                hits = {**self._latin_reading(text, mapped, m), **hits}
            tokens.append(_Token(m.start(), m.end(), hits))
        return tokens

    def _latin_reading(
        self, text: str, mapped: MappedText, word: re.Match[str]
    ) -> dict[int, Hit]:
        """Hits of a word that still mixes Latin and Cyrillic after normalisation (as many
        look-alikes as Latin letters: "Hаtiсе"), read with every look-alike as Latin."""
        start, end = mapped.original_span(word.start(), word.end())
        original = text[start:end]
        return self._index.lookup(normalise_text("".join(TO_LATIN.get(c, c) for c in original)))

    def _follow(
        self, entry: _Entry, tokens: Sequence[_Token], i: int, mapped: MappedText, text: str
    ) -> Mention | None:
        if i + len(entry.words) > len(tokens):
            return None
        hits: list[Hit] = []
        for j, wid in enumerate(entry.words):
            hit = tokens[i + j].hits.get(wid)
            if hit is None or (j and not _joined(mapped.text, tokens[i + j - 1], tokens[i + j])):
                return None
            hits.append(hit)
        if not self._acceptable(hits) or (entry.reversed and not _exact(hits)):
            return None
        start, end = mapped.original_span(tokens[i].start, tokens[i + len(entry.words) - 1].end)
        while end > start and not _visible(text[end - 1]):
            end -= 1
        distance = sum(h.distance for h in hits)
        return Mention(
            entry.defender_id, start, end, text[start:end], entry.kind, entry.matched, distance
        )

    def _acceptable(self, hits: Sequence[Hit]) -> bool:
        """A lone word must match exactly (one edit only on keys of nine letters or more)
        and, matched on its skeleton, have a distinctive one. Words matched on skeletons
        must carry enough consonants between them: five in all, or four with two each."""
        words = [self._index.words[h.word] for h in hits]
        if len(hits) == 1:
            lone, word = hits[0], words[0]
            if lone.skeleton:
                return lone.distance == 0 and _distinctive("", word.skeleton)
            return lone.distance <= (1 if len(word.key) >= LONE_TYPO_LENGTH else 0)
        skeletons = [len(w.skeleton) for h, w in zip(hits, words, strict=True) if h.skeleton]
        if len(skeletons) < len(hits):
            return True
        return sum(skeletons) > MIN_SKELETONS or (
            sum(skeletons) == MIN_SKELETONS and min(skeletons) >= 2
        )

    def _handle_mentions(self, text: str) -> tuple[list[Mention], list[tuple[int, int]]]:
        """Mentions of watched handles, and the spans of every handle, e-mail address and
        link in the text."""
        links = [m.span() for m in _LINK.finditer(text)]
        if "@" not in text:
            return [], links
        mapped = (
            remap(MappedText.identity(text), [_visible(c) for c in text])
            if _HIDDEN.search(text)
            else MappedText.identity(text)
        )
        found: list[Mention] = []
        for m in _HANDLE.finditer(mapped.text):
            user, host = handle_key(m.group())
            start, end = mapped.original_span(m.start(), m.end())
            links.append((start, end))
            for defender_id, stored_host, stored in self._handles.get(user, ()):
                if host is None or stored_host is None or host == stored_host:
                    found.append(
                        Mention(defender_id, start, end, text[start:end], "handle", stored, 0)
                    )
        return found, links


def _exact(hits: Sequence[Hit]) -> bool:
    """Matched without typos and not on skeletons (as a surname-first name must be)."""
    return all(h.distance == 0 and not h.skeleton for h in hits)


def _visible(char: str) -> str:
    return "" if char in INVISIBLE or unicodedata.category(char) == "Cf" else char


def _joined(normalised: str, left: _Token, right: _Token) -> bool:
    return _JOIN.fullmatch(normalised[left.end : right.start]) is not None


def _distinctive(key: str, skeleton: str) -> bool:
    """Whether a word may match alone: long enough and not a common word."""
    common = common_words()
    if key:
        return len(key) >= MIN_ALONE_KEY and key not in common
    return len(skeleton) >= MIN_ALONE_SKELETON and skeleton not in common


def _kept(found: list[Mention]) -> list[Mention]:
    """One mention per defender per place: the longest, then the closest; at one place
    only the closest defenders (the text is nearer their name than the others'); and no
    lone surname inside another defender's full name."""
    closest: dict[tuple[int, int], int] = {}
    for m in found:
        closest[m.start, m.end] = min(m.distance, closest.get((m.start, m.end), m.distance))
    found = [m for m in found if m.distance == closest[m.start, m.end]]
    found.sort(key=lambda m: (m.start, -(m.end - m.start), m.distance, m.defender_id))
    kept: list[Mention] = []
    for m in found:
        if any(_inside(m, k) and (k.defender_id == m.defender_id or _longer(k, m)) for k in kept):
            continue
        kept.append(m)
    return kept


def _inside(m: Mention, k: Mention) -> bool:
    return m.start < k.end and k.start < m.end


def _longer(k: Mention, m: Mention) -> bool:
    several_words = _JOIN.search(k.surface) is not None
    return k.kind != "handle" and k.end - k.start > m.end - m.start and several_words
