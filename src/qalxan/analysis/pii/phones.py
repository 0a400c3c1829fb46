"""Phone numbers with libphonenumber, region-aware.

Candidates are digit runs that look like phone numbers; each is parsed as international
when it starts with ``+``/``00`` and otherwise against the regions the message suggests
(the instance's default region, the watched defenders' regions, the message language),
then against a short fallback list. Valid numbers (libphonenumber's metadata) score
highest; numbers of a possible length that are formatted like a phone number still count,
with a lower score, since a doxer may post an unallocated or mistyped number.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers

from qalxan.analysis.pii.joined import Joined, scan
from qalxan.analysis.pii.patterns import has_context

_CANDIDATE = re.compile(
    r"(?<![\w+.,/-])(?:\+\s?|00)?\(?\d[\d \t().\-–]{5,20}\d"
    r"(?:\s?(?:x|ext\.?|доб\.?)\s?\d{1,6})?(?![\w/]|[.,]\d)",
    re.IGNORECASE,
)

_DATE = re.compile(
    r"^(?:\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4}|(?:1[89]|20)\d\d(?:[-/](?:1[89]|20)\d\d)+)(?!\d)"
)
_AMOUNT = re.compile(r"^(?:\d{1,3}(?:[.,]\d{3})+|\d{1,3}(?:[ \u00a0]\d{3}){1,3}|\d+\.\d+)$")
_DOTTED = re.compile(r"\d{2,4}(?:\.\d{2,4}){2,3}(?:\s?(?:x|ext\.?)\s?\d{1,6})?", re.IGNORECASE)
_EXTENSION = re.compile(r"\s?(?:x|ext\.?|доб\.?)\s?", re.IGNORECASE)
_IS_POSSIBLE = phonenumbers.ValidationResult.IS_POSSIBLE
MIN_POSSIBLE_DIGITS = 9
POSSIBLE_SCORE = 0.55

LANGUAGE_REGIONS: dict[str, tuple[str, ...]] = {
    "en": ("US", "GB"),
    "ru": ("RU", "BY", "KZ"),
    "tr": ("TR",),
    "az": ("AZ",),
    "ar": ("SA", "EG", "AE", "IQ"),
    "es": ("ES", "MX"),
    "fr": ("FR",),
    "fa": ("IR",),
}
FALLBACK_REGIONS: tuple[str, ...] = ("US", "RU", "TR", "AZ", "ES", "FR", "IR", "SA", "EG", "GB")


@dataclass(frozen=True, slots=True)
class PhoneMatch:
    start: int
    end: int
    e164: str
    region: str | None
    score: float  # valid and hinted 0.85, valid elsewhere 0.7, possible length only 0.55


def to_e164(raw: str, region: str | None) -> str | None:
    """Normalise a phone number to E.164, or None when it is not a valid number."""
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _readings(raw: str, region: str | None) -> tuple[str | None, str | None]:
    """(E.164 if valid, E.164 if of a possible length) from one parse."""
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None, None
    if phonenumbers.is_possible_number_with_reason(number) != _IS_POSSIBLE:
        return None, None
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return (e164 if phonenumbers.is_valid_number(number) else None), e164


def _phone_shaped(raw: str) -> bool:
    """Formatting people use for phone numbers (a plain digit run is not enough): a
    leading +, 0 or (, or groups apart by spaces, hyphens or dots (360.540.5232)."""
    return raw[0] in "+0(" or any(ch in raw for ch in " -") or _DOTTED.fullmatch(raw) is not None


@dataclass(frozen=True, slots=True)
class _Regions:
    """The regions a text's numbers are read in: the hinted ones in order, then the
    fallback regions not hinted (a number read in a hinted region and found neither valid
    nor possible is not read there again: the reading would be the same)."""

    hinted: tuple[str, ...]
    fallback: tuple[str, ...]


def _regions(hints: Iterable[str]) -> _Regions:
    hinted = tuple(dict.fromkeys(hints))
    return _Regions(hinted, tuple(r for r in FALLBACK_REGIONS if r not in hinted))


def _parse(raw: str, regions: _Regions) -> tuple[str, str | None, float] | None:
    """(E.164, region, score): a valid number in a hinted region, else a number of a
    possible length in a hinted region, else a valid number in a fallback region, else
    one of a possible length there (a bare digit run only counts in a hinted region)."""
    if _DATE.match(raw) or _AMOUNT.match(raw):  # dates, times, counts and amounts
        return None
    intl = "+" + raw[2:] if raw.startswith("00") else raw
    hinted: tuple[str | None, ...] = (None,) if intl.startswith("+") else regions.hinted
    shaped = _phone_shaped(raw)  # a bare digit run is a phone only in a hinted region
    fallback = regions.fallback if shaped and not intl.startswith("+") else ()
    enough = sum(map(str.isdigit, raw)) >= MIN_POSSIBLE_DIGITS
    found = _first_reading(intl, hinted, 0.85, enough)
    if found is None:
        found = _first_reading(intl, fallback, 0.7, enough)
    return found


def _first_reading(
    raw: str, regions: Sequence[str | None], valid_score: float, possible_ok: bool
) -> tuple[str, str | None, float] | None:
    possible: tuple[str, str | None, float] | None = None
    for region in regions:
        valid, maybe = _readings(raw, region)
        if valid is not None:
            return valid, region, valid_score
        if maybe is not None and possible is None and possible_ok:
            possible = (maybe, region, POSSIBLE_SCORE)
    return possible


def _number_part(raw: str) -> str:
    """A candidate without its extension; only an extension brings letters (x, ext, доб)."""
    if "x" in raw or "X" in raw or "д" in raw or "Д" in raw:
        return _EXTENSION.split(raw)[0]
    return raw


# Words that announce a phone number: a bare digit run right after one is read in the
# fallback regions too (with no language given, "call 3182373996" is still a phone).
PHONE_WORDS: tuple[str, ...] = (
    "call",
    "phone",
    "tel",
    "tel.",
    "mobile",
    "cell",
    "whatsapp",
    "telegram",
    "звони",
    "звоните",
    "тел",
    "тел.",
    "телефон",
    "номер телефона",
    "telefon",
    "telefonu",
    "cep",
    "mobil",
    "هاتف",
    "جوال",
    "موبايل",
    "اتصل",
    "llama",
    "llamad",
    "teléfono",
    "móvil",
    "tél",
    "tél.",
    "téléphone",
    "portable",
    "appelez",
    "تلفن",
    "موبایل",
    "شماره",
)
_PHONE_WORD_REACH = 16
# Where a candidate run of digits and separators may hold two numbers side by side.
_GAP = re.compile(r"[ \t]+|[ \t]*[|;,][ \t]*")


@lru_cache(maxsize=64)
def _trunk_prefix(region: str) -> str:
    """The digit a region's numbers begin with when dialled at home (0 in Turkey, Iran,
    France; 8 in Russia), or "" where there is none or it is left out (Spain; the 1 of
    the US)."""
    meta = phonenumbers.PhoneMetadata.metadata_for_region(region)
    prefix = meta.national_prefix if meta is not None else None
    return prefix if prefix and prefix != "1" else ""


def _dialled_as_written(raw: str, hints: tuple[str, ...]) -> tuple[str, ...]:
    """The hinted regions a bare digit run can be a phone number of: those whose numbers
    are dialled without a trunk prefix, those where it begins with it, and those where it
    is a valid number as it stands (9121234567, an Iranian mobile). "3623610788" is no
    Iranian phone (0362 361 0788 would be) but a postal code or an ID number."""
    return tuple(
        r for r in hints if raw.startswith(_trunk_prefix(r)) or to_e164(raw, r) is not None
    )


class _Reader:
    """Reads the candidates of one batch: each raw candidate once per set of regions."""

    def __init__(self, joined: Joined, regions: Sequence[tuple[str, ...]]) -> None:
        self.joined = joined
        self.regions = regions
        self.found: list[tuple[int, PhoneMatch]] = []
        self._orders: dict[tuple[str, ...], _Regions] = {}
        self._parsed: dict[tuple[str, tuple[str, ...]], tuple[str, str | None, float] | None] = {}

    def read(self, i: int, start: int, end: int) -> PhoneMatch | None:
        """The phone number ``[start, end)`` of text ``i`` is, if any."""
        text = self.joined.texts[i]
        raw = text[start:end].strip()
        digits = sum(map(str.isdigit, _number_part(raw)))
        if not 7 <= digits <= 15:
            return None
        hints = self.regions[i]
        if not _phone_shaped(raw):
            if has_context(text, start, PHONE_WORDS, _PHONE_WORD_REACH):
                hints = hints or FALLBACK_REGIONS[:1]  # "call 3182373996", no language
            else:
                hints = _dialled_as_written(raw, hints)
        key = (raw, hints)
        if key not in self._parsed:
            order = self._orders.get(hints)
            if order is None:
                order = self._orders[hints] = _regions(hints)
            self._parsed[key] = _parse(raw, order)
        reading = self._parsed[key]
        return None if reading is None else PhoneMatch(start, start + len(raw), *reading)

    def numbers(self, i: int, start: int, end: int) -> list[PhoneMatch]:
        """The phone number ``[start, end)`` is; when it is none, or only of a possible
        length, the longest valid number before a gap, and the valid number after it
        ("916-315-5940 555-123-4567"; "916-315-5940 038-95" of "... 038-95-2320")."""
        whole = self.read(i, start, end)
        if whole is not None and whole.score > POSSIBLE_SCORE:
            return [whole]
        for gap in reversed(list(_GAP.finditer(self.joined.texts[i], start, end))):
            head = self.read(i, start, gap.start())
            if head is None or head.score <= POSSIBLE_SCORE:
                continue
            tail = self.read(i, gap.end(), end)  # the start of the next number, or another
            return [head, tail] if tail is not None and tail.score > POSSIBLE_SCORE else [head]
        return [whole] if whole is not None else []

    def around(self, i: int, start: int, end: int, spans: list[tuple[int, int]]) -> int:
        """The phones of a candidate that runs into a taken span (an ID, card or IBAN
        beside a phone): the text around the span is scanned again, so that the phone next
        to it is kept. Returns where the scan stopped."""
        text = self.joined.texts[i]
        position = start
        while position < len(text):
            piece = _CANDIDATE.search(text, position)
            if piece is None or (piece.start() >= end and position > start):
                break
            ps, pe = piece.span()
            cover = [(s, e) for s, e in spans if ps < e and s < pe]
            if cover:
                first = min(s for s, _ in cover)
                head = _CANDIDATE.search(text, ps, first) if first > ps else None
                if head is not None:  # the phone right before the taken span
                    self.found.extend((i, m) for m in self.numbers(i, *head.span()))
                position = max(max(e for _, e in cover), ps + 1)
                continue
            self.found.extend((i, m) for m in self.numbers(i, ps, pe))
            position = end = pe
        return position


def find_phones(
    joined: Joined,
    regions: Sequence[tuple[str, ...]],
    taken: Callable[[int], Iterable[tuple[int, int]]],
) -> list[tuple[int, PhoneMatch]]:
    """Phone numbers in the texts of ``joined``, each with its text's index in the batch;
    ``regions[i]`` are tried first for text ``i``, in order. The spans of ``taken(i)`` (a
    checksum-valid ID, card or IBAN) are not parsed, but a phone beside one is. A number
    posted several times in a batch is parsed once."""
    reader = _Reader(joined, regions)
    done = (-1, 0)  # (text, end of what a scan around a taken span has read there)
    for i, base, match in scan(_CANDIDATE, joined):
        start, end = match.start() - base, match.end() - base
        if done[0] == i and start < done[1]:
            continue
        spans = list(taken(i))
        if any(start < e and s < end for s, e in spans):
            done = (i, reader.around(i, start, end, spans))
        else:
            reader.found.extend((i, m) for m in reader.numbers(i, start, end))
    return reader.found
