"""Loading of shipped lexicons (JSON under ``qalxan/data``) into compiled patterns."""

from __future__ import annotations

import json
import re
from importlib import resources
from typing import Any


def data_text(relative: str) -> str:
    """The text of a data file shipped under ``qalxan/data`` (e.g. ``doxing/x.json``)."""
    return resources.files("qalxan").joinpath("data", relative).read_text(encoding="utf-8")


def load_json(relative: str) -> Any:
    """Parse a JSON data file shipped under ``qalxan/data``."""
    return json.loads(data_text(relative))


def alternation(fragments: list[str]) -> str:
    """One non-capturing alternation, longest fragments first so they win."""
    ordered = sorted(set(fragments), key=len, reverse=True)
    return "(?:" + "|".join(ordered) + ")"


def word_pattern(fragments: list[str]) -> re.Pattern[str]:
    """Case-insensitive whole-word pattern over regular-expression fragments."""
    return re.compile(r"(?<!\w)" + alternation(fragments) + r"(?!\w)", re.IGNORECASE)


def grouped_word_pattern(groups: dict[str, list[str]]) -> re.Pattern[str]:
    """Whole-word pattern with one named group per key (``match.lastgroup`` tells which)."""
    parts = [f"(?P<{key}>{alternation(frags)})" for key, frags in groups.items()]
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)
