"""Street addresses: a street or building cue word next to a house number.

The cue lists are data (``qalxan/data/doxing/address_cues.json``), per language. Nearby
cue/number pairs merge into one address span.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from qalxan.analysis.pii.joined import Joined, scan
from qalxan.analysis.pii.lexicon import Lexicon, LexMatch, alternation, load_json

_NUMBER = re.compile(
    r"(?<![\d.,])\d{1,5}(?:\s?[/-]\s?\d{1,4})?(?:[A-Za-zА-Яа-я](?!\w))?(?![\d,.]\d)"
)
# The left boundary is checked after the first character (the same condition), so the
# engine can skip ahead to candidate characters.
# USPS codes of the states, territories and military post offices ("OY 52995" is none).
_US_STATES = "|".join(
    (
        "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE",
        "NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY AS GU MP PR VI",
        "UM FM MH PW AA AE AP",
    )
).replace(" ", "|")
# The code is checked from its first letter (a lookahead inside the lookbehind), so the
# engine still skips ahead to capital letters.
_US_STATE_ZIP = re.compile(
    r"[A-Z](?<![\w-][A-Z])(?<=(?=(?:" + _US_STATES + r") )[A-Z])[A-Z] \d{5}(?:-\d{4})?(?![\w-])"
)
_REACH = 32  # characters between a cue and its house number
_MERGE_GAP = 24
_PAIR_GAP = 40


@dataclass(frozen=True, slots=True)
class AddressMatch:
    start: int
    end: int
    score: float


class AddressRecognizer:
    """Finds street addresses in any of the shipped languages."""

    def __init__(self) -> None:
        data = load_json("doxing/address_cues.json")
        cues = [frag for frags in data["cues"].values() for frag in frags]
        areas = [frag for frags in data["areas"].values() for frag in frags]
        suffixes = [frag for frags in data["suffixes"].values() for frag in frags]
        self._cue = Lexicon({"area": areas, "cue": cues})  # areas first: they win ties
        # NUMBER Name [Name [Name]] SUFFIX: names capitalised (or in a caseless script)
        self._suffixed = re.compile(
            r"\d(?<![\w.]\d)\d{0,5}[A-Za-z]? (?:[^\W\d_a-z][\w'.-]* ){1,3}(?i:"
            + alternation(suffixes)
            + r")(?!\w)"
        )
        self._name_after = re.compile(r"(?:[ \t]+[^\W\d_][\w'’.-]*){1,4}")
        counted = [f for lang, frags in data["counted"].items() if lang != "_about" for f in frags]
        self._counted = re.compile(r"[ \t]*(?i:" + alternation(counted) + r")(?!\w)")

    def find(self, texts: Sequence[str]) -> dict[int, list[AddressMatch]]:
        """The street addresses of each text that holds some, by its index in the batch."""
        cores: dict[int, list[tuple[int, int, float]]] = {}
        previous: LexMatch | None = None
        last = -1
        for i, cue in self._cue.find_all(texts):
            if i != last:
                previous, last = None, i
            core = self._cue_core(texts[i], cue, previous)
            if core is not None:
                cores.setdefault(i, []).append(core)
            previous = cue
        joined = Joined(texts)
        for i, base, match in scan(self._suffixed, joined):
            cores.setdefault(i, []).append((match.start() - base, match.end() - base, 0.6))
        for i, base, match in scan(_US_STATE_ZIP, joined):
            cores.setdefault(i, []).append((match.start() - base, match.end() - base, 0.5))
        return {i: list(_merge(sorted(found))) for i, found in cores.items()}

    def _street_name_end(self, text: str, end: int) -> int:
        """End of the street name that follows a cue (``12, rue de Rivoli``)."""
        name = self._name_after.match(text, end)
        return name.end() if name else end

    def _cue_core(
        self, text: str, cue: LexMatch, previous: LexMatch | None
    ) -> tuple[int, int, float] | None:
        """The address a cue marks with the house number nearest to it (or, when that one
        is no house number of this street, the nearest on its other side), or with the
        area word just before it."""
        for number in _nearest_numbers(text, cue.start, cue.end):
            if number[1] <= cue.start:
                # "12 Baker Street", "12, rue de Rivoli"; not "10 street foods"
                gap = text[number[1] : cue.start]
                if _street_words(gap) and (_named(gap) or _named(_first_word(text, cue.end))):
                    return number[0], self._street_name_end(text, cue.end), 0.7
            elif _street_words(text[cue.end : number[0]]) and not self._counted.match(
                text, number[1]
            ):
                # "Calle Mayor 12"; not "street for 20 minutes" nor "vía @user 2019"
                return cue.start, number[1], 0.7
        if previous is not None and previous.label == "area" and _cue_pair(text, previous, cue):
            return previous.start, cue.end, 0.6
        return None


_PLAIN_WORD = re.compile(r"(?<!\w)[a-zа-яёçğışöüəñáéíóúàèâêîôûäë]{4,}(?!\w)")
_NAME = re.compile(r"(?<!\w)(?:[^\W\d_a-zа-яё]|[\u0600-\u06ff])")  # a capital or caseless


def _street_words(gap: str) -> bool:
    """Whether the text between a street word and its number can be part of an address:
    names, particles (de, del, д.), "No:" and commas, but no handle, hashtag or
    sentence (a lower-case word of four letters or more: "walking down the street")."""
    return "@" not in gap and "#" not in gap and _PLAIN_WORD.search(gap) is None


_LONG_WORD = re.compile(r"[^\W\d_]{4,}")


def _first_word(text: str, start: int) -> str:
    """The first word of four letters or more within a few words after ``start``
    (past particles such as "de", "la")."""
    word = _LONG_WORD.search(text, start, start + 24)
    return word.group() if word else ""


def _named(text: str) -> bool:
    """Whether a street word comes with a name: a capitalised word or one of a caseless
    script (Arabic, Persian) around it."""
    return _NAME.search(text) is not None


def _cue_pair(text: str, previous: LexMatch, cue: LexMatch) -> bool:
    """An area word (district, village) closely followed by another area or street word."""
    if cue.start - previous.end > _PAIR_GAP:
        return False
    return text[previous.start : previous.end].casefold() != text[cue.start : cue.end].casefold()


def _nearest_numbers(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The numbers nearest a cue on its line, within reach: the nearest before it and the
    nearest after it, the nearer first (the other is tried when the nearer one is no
    house number of this street: "tel 71, vive en Cuesta Pilar Lluch 739")."""
    lo = max(0, start - _REACH)
    hi = min(len(text), end + _REACH)
    line_start = text.rfind("\n", lo, start) + 1 or lo
    line_end = text.find("\n", end, hi)
    lo, hi = max(lo, line_start), (hi if line_end < 0 else line_end)
    before: tuple[int, int] | None = None
    after: tuple[int, int] | None = None
    for number in _NUMBER.finditer(text, lo, hi):
        if number.end() <= start:
            before = number.span()
        elif number.start() >= end and after is None:
            after = number.span()
    found = [n for n in (before, after) if n is not None]
    return sorted(found, key=lambda n: start - n[1] if n[1] <= start else n[0] - end)


def _merge(cores: list[tuple[int, int, float]]) -> Iterator[AddressMatch]:
    current: list[float] | None = None
    for start, end, score in cores:
        if current is not None and start <= current[1] + _MERGE_GAP:
            current[1] = max(current[1], end)
            current[2] = min(1.0, max(current[2], score) + 0.1)
            continue
        if current is not None:
            yield AddressMatch(int(current[0]), int(current[1]), round(current[2], 2))
        current = [start, end, score]
    if current is not None:
        yield AddressMatch(int(current[0]), int(current[1]), round(current[2], 2))
