"""Context the abuse model cannot see: swearing at nobody, and slurs a group uses of itself.

The model reads words, so "this is fucking amazing" can look hateful and "happy birthday to
the baddest bitch" looks sexist. Two rules set the hate and sexist labels aside (the
offensive-language label stays: swearing is offensive language), per language
(``qalxan/data/lexicons/context.json``):

- ``profanity``: the text swears (``profanity``) but names no one: no second-person word
  (``addressee``), third person or group (``groups``), @mention, insult or slur (``insults``).
- ``reclaimed``: a first-person frame ("I'm a proud", "my", "we") stands before a slur the
  group uses of itself (``reclaimable``), and no slur or insult is aimed at an addressee
  ("you ... bitch") or an @mention.

Each rule answers which of the model's labels it sets aside and why, so the detector drops
them and says so in nothing it reports: a set-aside label makes no finding. Threat findings
(grammar or phrase list) are never set aside here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Final

from qalxan.analysis.text.normalise import normalise_text

CONTEXT: Final[str] = "context.json"
# Offensive language stays offensive (the dev sets count untargeted swearing as offensive);
# what context sets aside is the claim that the text is hateful or sexist.
MODEL_LABELS: Final[frozenset[str]] = frozenset({"hate", "sexist"})
_MENTION: Final[re.Pattern[str]] = re.compile(r"(?<![\w@])@\w")


class ContextError(ValueError):
    """The context lexicon is missing or malformed."""


def _words(entries: list[str]) -> str:
    alts = []
    for entry in entries:
        norm = normalise_text(entry).strip()
        body = r"\s+".join(re.escape(w).replace(r"\*", r"\w*") for w in norm.split())
        alts.append(body.replace(r"\'", "['’]?"))
    alts.sort(key=len, reverse=True)
    return "(?:" + "|".join(alts) + ")"


@dataclass(frozen=True)
class _Language:
    profanity: re.Pattern[str]
    insults: re.Pattern[str]
    addressee: re.Pattern[str]
    groups: re.Pattern[str]
    reclaimed: re.Pattern[str]
    aimed: re.Pattern[str]  # an addressee a few words before a slur or insult


class AbuseContext:
    def __init__(self, data: Mapping[str, Any]) -> None:
        try:
            self.version = str(data["version"])
            self.languages: dict[str, _Language] = {}
            for code, spec in data["languages"].items():
                whole = r"(?<![^\W_])(?:{})(?![^\W_])"
                reclaim = (
                    _words(spec["reclaim"])
                    + r"\s+(?:[^\W_]+\s+){0,2}?"
                    + _words(spec["reclaimable"])
                )
                self.languages[code] = _Language(
                    profanity=re.compile(whole.format(_words(spec["profanity"]))),
                    insults=re.compile(whole.format(_words(spec["insults"]))),
                    addressee=re.compile(whole.format(_words(spec["addressee"]))),
                    groups=re.compile(whole.format(_words(spec["groups"]))),
                    reclaimed=re.compile(whole.format(reclaim)),
                    aimed=re.compile(
                        whole.format(
                            _words(spec["addressee"])
                            + r"\s+(?:[^\W_]+\s+){0,3}?"
                            + _words(spec["reclaimable"] + spec["insults"])
                        )
                    ),
                )
        except (KeyError, TypeError, re.error) as exc:
            raise ContextError(f"malformed context lexicon: {exc!r}") from exc

    @classmethod
    def shipped(cls) -> AbuseContext:
        return _shipped()

    def set_aside(self, text: str, lang: str | None) -> str | None:
        """Why the model's labels on the normalised ``text`` are set aside ("profanity",
        "reclaimed"), or None. A text without a known language is read in each."""
        codes = [lang] if lang in self.languages else list(self.languages)
        for code in codes:
            rules = self.languages[code]
            if _MENTION.search(text) or rules.aimed.search(text):
                continue
            if rules.reclaimed.search(text):
                return "reclaimed"
            if (
                not rules.addressee.search(text)
                and rules.profanity.search(text)
                and not rules.insults.search(text)
                and not rules.groups.search(text)
            ):
                return "profanity"
        return None


@lru_cache(maxsize=1)
def _shipped() -> AbuseContext:
    path = resources.files("qalxan") / "data" / "lexicons" / CONTEXT
    try:
        return AbuseContext(json.loads(path.read_text(encoding="utf-8")))
    except (FileNotFoundError, json.JSONDecodeError) as exc:
        raise ContextError(f"cannot read the context lexicon: {exc}") from exc
