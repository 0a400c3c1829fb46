"""Phrases that expose relatives, a home or a daily routine, in the shipped languages."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from qalxan.analysis.pii.lexicon import Lexicon, load_json

CATEGORIES: tuple[str, ...] = ("relatives", "home", "routine")


@dataclass(frozen=True, slots=True)
class PhraseMatch:
    category: str
    language: str
    start: int
    end: int
    phrase: str


class ContextPhraseRecognizer:
    """Finds context phrases; one named group per (category, language)."""

    def __init__(self) -> None:
        data = load_json("doxing/context_phrases.json")
        groups = {
            f"{category}__{lang}": frags
            for category in CATEGORIES
            for lang, frags in data[category].items()
        }
        self._lexicon = Lexicon(groups)

    def find(self, texts: Sequence[str]) -> dict[int, list[PhraseMatch]]:
        """The context phrases of each text that holds some, by its index in the batch."""
        found: dict[int, list[PhraseMatch]] = {}
        for i, match in self._lexicon.find_all(texts):
            category, _, lang = match.label.partition("__")
            phrase = texts[i][match.start : match.end]
            found.setdefault(i, []).append(
                PhraseMatch(category, lang, match.start, match.end, phrase)
            )
        return found
