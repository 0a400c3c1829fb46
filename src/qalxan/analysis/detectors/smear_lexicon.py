"""The smear lexicon: stigmatising labels and target words, compiled for matching.

Loaded once from ``qalxan/data/lexicons/smear.json`` (package data). Every term is turned
into its matching key (:func:`qalxan.analysis.text.match_key`), so one entry matches the
text however it is cased, accented, obfuscated or transliterated.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any, Final

from qalxan.analysis.text import char_script, match_key
from qalxan.analysis.text.phrases import Match, PhraseMatcher

LEXICON_PATH: Final[tuple[str, ...]] = ("data", "lexicons", "smear.json")
_SEP: Final[str] = r"[\s\-'’]+"
_STEM_TAIL: Final[str] = r"[^\W_]*"
_END: Final[str] = r"(?![^\W_])"
_START: Final[str] = r"(?<![^\W_])"
# Arabic-script proclitics (and, so, with/the, to) and common plural/feminine endings.
_ARABIC_PREFIX: Final[str] = r"(?:[وف]?(?:بال|ال|لل|ب|ل)?)"
_ARABIC_SUFFIX: Final[str] = r"(?:ه|ات|ين|ون|ها|ان|ي)?"


class LexiconError(ValueError):
    """The lexicon file is missing or malformed."""


@dataclass(frozen=True, slots=True)
class Term:
    key: str
    label: str
    langs: frozenset[str]
    stem: bool
    excepted: tuple[str, ...] = ()


def key_of(text: str) -> str:
    return match_key(text).text


def _is_arabic(key: str) -> bool:
    return any(char_script(c) == "Arab" for c in key)


def fragment(key: str, stem: bool) -> str:
    """The regular expression that matches one term key (each word inflects if ``stem``)."""
    words = [re.escape(w) for w in re.split(_SEP, key) if w]
    joiner = (_STEM_TAIL if stem else "") + _SEP
    body = joiner.join(words)
    if _is_arabic(key):
        return _ARABIC_PREFIX + body + (_STEM_TAIL if stem else _ARABIC_SUFFIX + _END)
    return body + (_STEM_TAIL if stem else _END)


def _merge_terms(raw: Mapping[str, list[dict[str, Any]]]) -> list[Term]:
    merged: dict[tuple[str, bool], Term] = {}
    for lang, entries in raw.items():
        for entry in entries:
            stem = bool(entry["stem"])
            excepted = tuple(key_of(x) for x in entry.get("except", ()))
            for term in entry["terms"]:
                k = (key_of(term), stem)
                old = merged.get(k)
                langs = frozenset([lang]) | (old.langs if old else frozenset())
                merged[k] = Term(k[0], str(entry["label"]), langs, stem, excepted)
    return sorted(merged.values(), key=lambda t: (-len(t.key), t.key))


@dataclass(frozen=True)
class Lexicon:
    version: str
    labels: Mapping[str, str]
    terms: tuple[Term, ...]
    matcher: PhraseMatcher
    targets: Mapping[str, re.Pattern[str]]
    second_person: Mapping[str, tuple[str, ...]]

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Lexicon:
        try:
            terms = tuple(_merge_terms(data["terms"]))
            return cls(
                version=str(data["version"]),
                labels=dict(data["labels"]),
                terms=terms,
                matcher=PhraseMatcher([(t.key, fragment(t.key, t.stem)) for t in terms]),
                targets={lang: _target_pattern(spec) for lang, spec in data["targets"].items()},
                second_person={
                    lang: tuple(sorted({key_of(s) for s in suffixes}, key=len, reverse=True))
                    for lang, suffixes in data.get("second_person_suffixes", {}).items()
                },
            )
        except (KeyError, TypeError, re.error) as exc:
            raise LexiconError(f"malformed smear lexicon: {exc!r}") from exc

    @classmethod
    def shipped(cls) -> Lexicon:
        path = resources.files("qalxan")
        for part in LEXICON_PATH:
            path = path / part
        try:
            return cls.from_json(json.loads(path.read_text(encoding="utf-8")))
        except (FileNotFoundError, json.JSONDecodeError) as exc:
            raise LexiconError(f"cannot read the smear lexicon: {exc}") from exc

    def term_of(self, match: Match) -> Term:
        return self.terms[match.index]


def _target_pattern(spec: Mapping[str, Any]) -> re.Pattern[str]:
    stem = bool(spec.get("stem", False))
    keys = {key_of(w) for w in (*spec.get("pronouns", ()), *spec.get("nouns", ()))}
    frags = [_target_fragment(k, stem) for k in sorted(keys, key=len, reverse=True) if k]
    return re.compile(_START + "(?:" + "|".join(frags) + ")")


def _target_fragment(key: str, stem: bool) -> str:
    # Pronouns are short: only nouns of 4+ letters inflect, pronouns match whole words.
    return fragment(key, stem and len(key) >= 4)
