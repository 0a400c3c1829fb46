"""Phrase lists that back up the abuse model where its training data is thin.

- ``threats.json``: explicit threats of violence in eight languages ("убью",
  "səni öldürəcəyik", "seni bulacağız", "سأقتلك", "می‌کشمت", "te voy a matar",
  "on sait où tu habites") — the threat model has a few hundred English examples only.
- ``insults.json``: insults and slurs in languages without any training data (Azerbaijani,
  Persian, French).

Both are matched as phrases on the normalised text and loaded once from
``qalxan/data/lexicons``. Threats are read first by the threat grammar
(:mod:`qalxan.analysis.detectors.threat_grammar`); a threat phrase it read already, or set
aside as a report, negation, idiom or counter-speech, makes no finding of its own.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any, Final

from qalxan.analysis.detectors.smear_lexicon import fragment
from qalxan.analysis.text.normalise import normalise_text
from qalxan.analysis.text.phrases import PhraseMatcher

THREATS: Final[str] = "threats.json"
INSULTS: Final[str] = "insults.json"


class ThreatLexiconError(ValueError):
    """The threat lexicon is missing or malformed."""


@dataclass(frozen=True, slots=True)
class ThreatTerm:
    key: str
    kind: str
    langs: frozenset[str]
    stem: bool
    label: str = "threat"  # the abuse model label the phrase stands for


@dataclass(frozen=True, slots=True)
class ThreatHit:
    """A matched phrase, in offsets of the normalised text."""

    start: int
    end: int
    term: ThreatTerm


def _terms(raw: Mapping[str, list[dict[str, Any]]]) -> list[ThreatTerm]:
    merged: dict[tuple[str, bool], ThreatTerm] = {}
    for lang, entries in raw.items():
        for entry in entries:
            stem = bool(entry["stem"])
            for phrase in entry["terms"]:
                key = (normalise_text(phrase), stem)
                old = merged.get(key)
                langs = frozenset([lang]) | (old.langs if old else frozenset())
                label = str(entry.get("label", "threat"))
                merged[key] = ThreatTerm(key[0], str(entry["kind"]), langs, stem, label)
    return sorted(merged.values(), key=lambda t: (-len(t.key), t.key))


@dataclass(frozen=True)
class ThreatLexicon:
    version: str
    terms: tuple[ThreatTerm, ...]
    matcher: PhraseMatcher

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ThreatLexicon:
        try:
            terms = tuple(_terms(data["terms"]))
            return cls(
                version=str(data["version"]),
                terms=terms,
                matcher=PhraseMatcher([(t.key, fragment(t.key, t.stem)) for t in terms]),
            )
        except (KeyError, TypeError, re.error) as exc:
            raise ThreatLexiconError(f"malformed threat lexicon: {exc!r}") from exc

    @classmethod
    def shipped(cls, name: str = THREATS) -> ThreatLexicon:
        path = resources.files("qalxan") / "data" / "lexicons" / name
        try:
            return cls.from_json(json.loads(path.read_text(encoding="utf-8")))
        except (FileNotFoundError, json.JSONDecodeError) as exc:
            raise ThreatLexiconError(f"cannot read the threat lexicon: {exc}") from exc

    def find(self, texts: Sequence[str]) -> dict[int, list[ThreatHit]]:
        """Phrases found in each of the (normalised) ``texts``, by text index."""
        hits: dict[int, list[ThreatHit]] = {}
        for i, anchors in sorted(self.matcher.candidates(texts).items()):
            for m in self.matcher.find(texts[i], anchors):
                hits.setdefault(i, []).append(ThreatHit(m.start, m.end, self.terms[m.index]))
        return hits
