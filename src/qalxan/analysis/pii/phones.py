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

import phonenumbers

from qalxan.analysis.pii.joined import Joined, scan

_CANDIDATE = re.compile(
    r"(?<![\w+.,/-])(?:\+\s?|00)?\(?\d[\d \t().\-–]{5,20}\d"
    r"(?:\s?(?:x|ext\.?|доб\.?)\s?\d{1,6})?(?![\w/]|[.,]\d)",
    re.IGNORECASE,
)

_DATE = re.compile(
    r"^(?:\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4}|(?:1[89]|20)\d\d(?:[-/](?:1[89]|20)\d\d)+)(?!\d)"
)
_AMOUNT = re.compile(r"^(?:\d{1,3}(?:[.,]\d{3})+|\d{1,3}(?:[ \u00a0]\d{3}){1,3}|\d+\.\d+)$")
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
    """Formatting people use for phone numbers (a plain digit run is not enough)."""
    return raw[0] in "+0(" or any(ch in raw for ch in " -")


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


def find_phones(
    joined: Joined,
    regions: Sequence[tuple[str, ...]],
    taken: Callable[[int], Iterable[tuple[int, int]]],
) -> list[tuple[int, PhoneMatch]]:
    """Phone numbers in the texts of ``joined``, each with its text's index in the batch;
    ``regions[i]`` are tried first for text ``i``, in order. Candidates that overlap a span
    of ``taken(i)`` (a checksum-valid ID, card or IBAN) are not parsed. A number posted
    several times in a batch is parsed once."""
    orders: dict[tuple[str, ...], _Regions] = {}
    parsed: dict[tuple[str, tuple[str, ...]], tuple[str, str | None, float] | None] = {}
    found: list[tuple[int, PhoneMatch]] = []
    for i, base, match in scan(_CANDIDATE, joined):
        start, end = match.start() - base, match.end() - base
        if any(start < e and s < end for s, e in taken(i)):
            continue
        raw = match.group().strip()
        digits = sum(map(str.isdigit, _number_part(raw)))
        if not 7 <= digits <= 15:
            continue
        key = (raw, regions[i])
        if key not in parsed:
            order = orders.get(regions[i])
            if order is None:
                order = orders[regions[i]] = _regions(regions[i])
            parsed[key] = _parse(raw, order)
        reading = parsed[key]
        if reading is not None:
            found.append((i, PhoneMatch(start, end, *reading)))
    return found
