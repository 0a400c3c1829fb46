"""Loading of shipped lexicons (JSON under ``qalxan/data``) into compiled patterns.

Lexicon patterns are large alternations; a lookahead on the set of characters their
fragments can start with lets the regular-expression engine skip most word starts
without trying every alternative (several times faster on ordinary text).
"""

from __future__ import annotations

import json
import re
from importlib import resources
from typing import Any

_META = frozenset(".[(^$*+?{|)")
_CLASS_ESCAPES = frozenset("dwsDWSbB")


def data_text(relative: str) -> str:
    """The text of a data file shipped under ``qalxan/data`` (e.g. ``doxing/x.json``)."""
    return resources.files("qalxan").joinpath("data", relative).read_text(encoding="utf-8")


def load_json(relative: str) -> Any:
    """Parse a JSON data file shipped under ``qalxan/data``."""
    return json.loads(data_text(relative))


def _closing(fragment: str, start: int) -> int:
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


def _split_top(inner: str) -> list[str]:
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


def first_chars(fragment: str) -> set[str] | None:
    """Characters a fragment's match can start with; None when that is not simple to tell."""
    if fragment.startswith("(?:"):
        close = _closing(fragment, 0)
        rest = fragment[close + 1 :]
        optional = rest[:1] in {"?", "*"}
        alternatives = _split_top(fragment[3:close]) + ([rest[1:]] if optional else [])
        found: set[str] = set()
        for alternative in alternatives:
            chars = first_chars(alternative or rest)
            if chars is None:
                return None
            found |= chars
        return found
    if not fragment or fragment[0] in _META or fragment[1:2] in {"?", "*", "{"}:
        return None
    if fragment[0] == "\\":
        escaped = fragment[1:2]
        return None if not escaped or escaped in _CLASS_ESCAPES else {escaped}
    return {fragment[0]}


def _start_guard(fragments: list[str]) -> str:
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


def word_pattern(fragments: list[str]) -> re.Pattern[str]:
    """Case-insensitive whole-word pattern over regular-expression fragments."""
    body = _start_guard(fragments) + alternation(fragments)
    return re.compile(r"(?<!\w)" + body + r"(?!\w)", re.IGNORECASE)


def grouped_word_pattern(groups: dict[str, list[str]]) -> re.Pattern[str]:
    """Whole-word pattern with one named group per key (``match.lastgroup`` tells which)."""
    guard = _start_guard([f for frags in groups.values() for f in frags])
    parts = [f"(?P<{key}>{alternation(frags)})" for key, frags in groups.items()]
    return re.compile(r"(?<!\w)" + guard + "(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)
