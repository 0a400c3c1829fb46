"""Loading of shipped lexicons (JSON under ``qalxan/data``) into compiled patterns.

Lexicon patterns are large alternations; a lookahead on the set of characters their
fragments can start with lets the regular-expression engine skip most word starts
without trying every alternative (several times faster on ordinary text).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from importlib import resources
from itertools import compress
from operator import eq
from typing import Any

from qalxan.analysis.pii.buckets import META, closing, compile_bucketed, split_top
from qalxan.analysis.pii.joined import Joined, scan

_CLASS_ESCAPES = frozenset("dwsDWSbB")


def data_text(relative: str) -> str:
    """The text of a data file shipped under ``qalxan/data`` (e.g. ``doxing/x.json``)."""
    return resources.files("qalxan").joinpath("data", relative).read_text(encoding="utf-8")


def load_json(relative: str) -> Any:
    """Parse a JSON data file shipped under ``qalxan/data``."""
    return json.loads(data_text(relative))


def first_chars(fragment: str) -> set[str] | None:
    """Characters a fragment's match can start with; None when that is not simple to tell."""
    if fragment.startswith("(?:"):
        close = closing(fragment, 0)
        rest = fragment[close + 1 :]
        optional = rest[:1] in {"?", "*"}
        alternatives = split_top(fragment[3:close]) + ([rest[1:]] if optional else [])
        found: set[str] = set()
        for alternative in alternatives:
            chars = first_chars(alternative or rest)
            if chars is None:
                return None
            found |= chars
        return found
    if not fragment or fragment[0] in META or fragment[1:2] in {"?", "*", "{"}:
        return None
    if fragment[0] == "\\":
        escaped = fragment[1:2]
        return None if not escaped or escaped in _CLASS_ESCAPES else {escaped}
    return {fragment[0]}


def start_guard(fragments: list[str]) -> str:
    """A lookahead on the characters the fragments can start with ("" when unknown)."""
    chars: set[str] = set()
    for fragment in fragments:
        found = first_chars(fragment)
        if found is None:
            return ""
        chars |= found
    return "(?=[" + "".join(re.escape(c) for c in sorted(chars)) + "])" if chars else ""


def alternation(fragments: list[str]) -> str:
    """One non-capturing alternation, longest fragments first so they win."""
    ordered = sorted(set(fragments), key=len, reverse=True)
    return "(?:" + "|".join(ordered) + ")"


def lower_fragment(fragment: str) -> str:
    """Lower-case the literal characters of a fragment, leaving escapes (``\\W``) alone."""
    out, i = [], 0
    while i < len(fragment):
        if fragment[i] == "\\":
            out.append(fragment[i : i + 2])
            i += 2
            continue
        out.append(fragment[i].lower())
        i += 1
    return "".join(out)


@dataclass(frozen=True, slots=True)
class LexMatch:
    label: str
    start: int
    end: int


class Lexicon:
    """Labelled regular-expression fragments compiled into one whole-word pattern.

    Matching runs case-sensitively on the lower-cased text (several times faster than a
    case-insensitive pattern); when lower-casing changes the text's length (``İ``), the
    case-insensitive pattern runs on the original instead, so spans stay exact."""

    def __init__(self, groups: dict[str, list[str]]) -> None:
        lowered = {label: [lower_fragment(f) for f in frags] for label, frags in groups.items()}
        guard = start_guard([f for frags in lowered.values() for f in frags])
        bucketed = compile_bucketed(lowered, guard)  # the same matches, found faster
        self.fast, self._labels = bucketed or (_compile(lowered, 0), {})
        self.exact = _compile(groups, re.IGNORECASE)

    def finditer(self, text: str) -> Iterator[LexMatch]:
        """Each fragment found, left to right, with its label and span in ``text``."""
        low = text.lower()
        if len(low) == len(text):
            labels = self._labels
            for match in self.fast.finditer(low):
                group = match.lastgroup or ""
                yield LexMatch(labels.get(group, group), match.start(), match.end())
            return
        for match in self.exact.finditer(text):
            yield LexMatch(match.lastgroup or "", match.start(), match.end())

    def find_all(self, texts: Sequence[str]) -> Iterator[tuple[int, LexMatch]]:
        """What ``finditer`` finds in each text of a batch, with the text's index, in the
        order of the texts: one scan over the lower-cased texts joined."""
        lows = [text.lower() for text in texts]
        same = list(compress(range(len(texts)), map(eq, map(len, texts), map(len, lows))))
        others = sorted(set(range(len(texts))).difference(same))  # İ lower-cases to two
        labels = self._labels
        done = 0  # of ``others``
        for i, base, match in scan(self.fast, Joined(lows, same if others else None)):
            while done < len(others) and others[done] < i:
                yield from ((others[done], lex) for lex in self.finditer(texts[others[done]]))
                done += 1
            group = match.lastgroup or ""
            yield i, LexMatch(labels.get(group, group), match.start() - base, match.end() - base)
        for i in others[done:]:
            yield from ((i, lex) for lex in self.finditer(texts[i]))


def _compile(groups: dict[str, list[str]], flags: int) -> re.Pattern[str]:
    guard = start_guard([f for frags in groups.values() for f in frags])
    parts = [f"(?P<{label}>{alternation(frags)})" for label, frags in groups.items()]
    return re.compile(r"(?<!\w)" + guard + "(?:" + "|".join(parts) + r")(?!\w)", flags)
