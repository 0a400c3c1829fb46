"""Lexicon patterns bucketed by first character, for the regular-expression engine.

A lexicon is one long alternation. Python's engine tries the alternatives of a branch one
after the other, skipping at once only those that begin with a literal character that
does not match; a named group per label begins with a group marker instead, so every
fragment of every label is tried at every word start. Here each fragment's first
character is taken out and the fragments are filed under it: the top-level branch has one
alternative per first character, each beginning with that literal, so a word start tries
only the fragments that can match it, in the same order as before (label order, then the
longer fragments first): the matches are those of the plain alternation.
"""

from __future__ import annotations

import re
from itertools import groupby
from operator import itemgetter

META = frozenset(".[(^$*+?{|)")
QUANTIFIERS = frozenset("?*+{")


def closing(fragment: str, start: int) -> int:
    """Index of the parenthesis closing the group that opens at ``start``."""
    depth, i = 0, start
    while i < len(fragment):
        ch = fragment[i]
        if ch == "\\":
            i += 2
            continue
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth == 0:
            return i
        i += 1
    raise ValueError(f"unbalanced group in {fragment!r}")


def split_top(inner: str) -> list[str]:
    parts, depth, last, i = [], 0, 0, 0
    while i < len(inner):
        ch = inner[i]
        if ch == "\\":
            i += 2
            continue
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if ch == "|" and depth == 0:
            parts.append(inner[last:i])
            last = i + 1
        i += 1
    return [*parts, inner[last:]]


def by_first_char(fragment: str) -> dict[str, str] | None:
    """``{first character: the rest of the fragment}`` for each character the fragment can
    begin with; None when that is not simple to tell (a class, an escape, a quantifier)."""
    if fragment.startswith("(?:"):
        close = closing(fragment, 0)
        inner, rest = split_top(fragment[3:close]), fragment[close + 1 :]
        if rest[:1] == "?" and rest[1:2] not in QUANTIFIERS:  # (?:a|b)?c is (?:ac|bc|c)
            return _merge([f"{a}{rest[1:]}" for a in inner] + [rest[1:]], "")
        if rest[:1] in QUANTIFIERS:
            return None
        return _merge(inner, rest)
    if not fragment or fragment[0] in META or fragment[0] == "\\" or fragment[1:2] in QUANTIFIERS:
        return None
    return {fragment[0]: fragment[1:]}


def _merge(alternatives: list[str], rest: str) -> dict[str, str] | None:
    """``by_first_char`` of ``(?:alternatives)rest``: the alternatives in their order."""
    tails: dict[str, list[str]] = {}
    for alternative in alternatives:
        split = by_first_char(alternative)
        if split is None:
            return None
        for char, tail in split.items():
            tails.setdefault(char, []).append(tail)
    return {char: "(?:" + "|".join(t) + ")" + rest for char, t in tails.items()}


def compile_bucketed(
    groups: dict[str, list[str]], guard: str
) -> tuple[re.Pattern[str], dict[str, str]] | None:
    """The whole-word pattern of ``groups`` (label: fragments) by first character, and
    each capturing group's label; None when a fragment cannot be filed by first character."""
    buckets: dict[str, list[tuple[str, str]]] = {}
    for label, fragments in groups.items():
        for fragment in sorted(set(fragments), key=len, reverse=True):  # as ``alternation``
            split = by_first_char(fragment)
            if split is None:
                return None
            for char, tail in split.items():
                buckets.setdefault(char, []).append((label, tail))
    labels: dict[str, str] = {}
    parts: list[str] = []
    for char, entries in buckets.items():
        inner = []
        for label, same in groupby(entries, key=itemgetter(0)):
            name = f"g{len(labels)}"
            labels[name] = label
            inner.append(f"(?P<{name}>(?:" + "|".join(tail for _, tail in same) + "))")
        parts.append(re.escape(char) + "(?:" + "|".join(inner) + ")")
    pattern = r"(?<!\w)" + guard + "(?:" + "|".join(parts) + r")(?!\w)"
    return re.compile(pattern), labels
