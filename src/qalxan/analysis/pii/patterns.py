"""Pattern recognizers: one per concept, a regular expression plus a validator.

As in Presidio, a recognizer is mostly data. ``needs_context`` recognizers fire only when
one of their context words occurs shortly before the match (formats too loose to trust
alone, such as licence plates or the Azerbaijani FIN).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from qalxan.analysis.pii import validators as v
from qalxan.analysis.pii.lexicon import start_guard


@dataclass(frozen=True, slots=True)
class PatternRecognizer:
    entity: str
    scheme: str
    pattern: re.Pattern[str]
    score: float
    validator: Callable[[str], bool] | None = None
    context: tuple[str, ...] = ()
    needs_context: bool = False
    gate: re.Pattern[str] | None = None  # a cheap pattern that must occur for this to run
    first: str = ""  # a number's first character (a class): see ``_number``; a number
    # recognizer runs only on texts that hold a number of 7 digits or more
    window: int = 0  # characters before a match searched for context (0: CONTEXT_WINDOW)


def _rx(pattern: str, flags: int = 0) -> re.Pattern[str]:
    return re.compile(pattern, flags)


_B = r"[\w.+-]"  # what may not stand before a number: it would be inside a word or address
_E = r"(?![\w+-]|\.\w)"  # right boundary


def _number(
    entity: str,
    scheme: str,
    first: str,
    rest: str,
    score: float,
    validator: Callable[[str], bool],
    context: tuple[str, ...] = (),
) -> PatternRecognizer:
    """A recognizer of numbers that begin with ``first`` (one character class) and go on
    as ``rest``, between boundaries. The left boundary is checked after the first
    character (the same condition), so the engine skips at once to characters that can
    begin a match. Every match begins at the start of a number, where one scan looks for
    all the numbers at once (``recognize.py``)."""
    pattern = _rx(first + "(?<!" + _B + first + ")" + rest + _E)
    return PatternRecognizer(entity, scheme, pattern, score, validator, context, first=first)


_ID_WORDS = (
    "id",
    "ssn",
    "social security",
    "passport",
    "kimlik",
    "tc",
    "t.c.",
    "inn",
    "инн",
    "снилс",
    "snils",
    "паспорт",
    "fin",
    "фин",
    "şəxsiyyət",
    "vəsiqə",
    "dni",
    "nie",
    "nif",
    "documento",
    "insee",
    "sécurité sociale",
    "numéro",
    "کد ملی",
    "کارت ملی",
    "شماره ملی",
    "الرقم الوطني",
    "رقم الهوية",
    "هوية",
)
_PASSPORT_WORDS = (
    "passport",
    "паспорт",
    "загранпаспорт",
    "pasaport",
    "pasport",
    "جواز",
    "گذرنامه",
    "پاسپورت",
    "pasaporte",
    "passeport",
)
_PLATE_REACH = 24  # a plate word further back introduces other data ("plate X, 91864 ...")
_PLATE_WORDS = (
    "plate",
    "licence",
    "license",
    "car",
    "номер",
    "госномер",
    "машин",
    "авто",
    "plaka",
    "araba",
    "araç",
    "nömrə",
    "maşın",
    "matrícula",
    "coche",
    "placa",
    "immatriculation",
    "plaque",
    "voiture",
    "پلاک",
    "ماشین",
    "خودرو",
    "لوحة",
    "سيارة",
    "رقم السيارة",
)

RECOGNIZERS: tuple[PatternRecognizer, ...] = (
    PatternRecognizer(
        "email",
        "email",
        _rx(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63})*\.[^\W\d_]{2,24}\b"),
        0.9,
        gate=_rx("@"),
    ),
    _number(
        "iban",
        "iban",
        "[A-Z]",
        r"[A-Z]\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?",
        0.9,
        v.iban_ok,
    ),
    _number(
        "payment_card",
        "luhn",
        r"\d",
        r"\d{3}[ -]?\d{4}[ -]?\d{4}(?:[ -]?\d{1,7})?",
        0.8,
        v.luhn_ok,
    ),
    _number(
        "national_id",
        "tr_tckn",
        "[1-9]",
        r"\d{10}",
        0.85,
        v.tckn_ok,
    ),
    _number(
        "national_id",
        "ru_inn",
        r"\d",
        r"\d{9}(?:\d{2})?",
        0.7,
        v.inn_ok,
        _ID_WORDS,
    ),
    _number(
        "national_id",
        "ru_snils",
        r"\d",
        r"\d{2}-?\d{3}-?\d{3}[ -]?\d{2}",
        0.8,
        v.snils_ok,
        _ID_WORDS,
    ),
    _number(
        "national_id",
        "es_dni_nie",
        r"[XYZxyz\d]",
        r"(?:(?<=[XYZxyz])[ -]?\d{7}|(?<=\d)\d{7})[ -]?[A-Za-z]",
        0.9,
        v.dni_nie_ok,
    ),
    _number(
        "national_id",
        "fr_nir",
        "[1-478]",
        r" ?\d{2} ?\d{2} ?(?:\d{2}|2[AB]) ?\d{3} ?\d{3} ?\d{2}",
        0.85,
        v.nir_ok,
    ),
    _number(
        "national_id",
        "ir_melli",
        r"\d",
        r"\d{2}-?\d{6}-?\d",
        0.5,
        v.iran_national_code_ok,
        _ID_WORDS,
    ),
    _number(
        "national_id",
        "us_ssn",
        r"\d",
        r"\d{2}-\d{2}-\d{4}",
        0.7,
        v.us_ssn_ok,
        _ID_WORDS,
    ),
    PatternRecognizer(
        "national_id",
        "az_fin",
        _rx(r"(?<![\w-])[0-9A-Z]{7}(?![\w-])"),
        0.75,
        v.az_fin_ok,
        _ID_WORDS,
        needs_context=True,
        gate=_rx("[0-9A-Z]{7}"),  # far cheaper than looking for the context words first
    ),
    PatternRecognizer(
        "passport",
        "passport",
        # Russian internal (45 06 123456) and foreign (75 1234567) passports, letters then
        # digits (Azerbaijan C01234567, AA1234567, AZE 12345678; Turkey U12345678; Spain
        # PAA123456; most Arab states and Iran A12345678), France 12AB34567, US 9 digits.
        _rx(
            r"(?<![\w-])(?:\d{2} ?\d{2} ?\d{6}|\d{2} ?\d{7}|[A-Z]{1,3} ?\d{6,9}"
            r"|\d{2}[A-Z]{2}\d{5}|\d{9})(?![\w-])"
        ),
        0.8,
        None,
        _PASSPORT_WORDS,
        needs_context=True,
        gate=_rx(r"\d{5}"),
        window=20,  # right before it: "passport" further back belongs to other data
    ),
    PatternRecognizer(
        "coordinates",
        "decimal",
        _rx(
            r"(?<![\d.])-?(?:[1-8]?\d)\.\d{3,8}°?\s*[NSns]?\s*[,;/ ]\s*"
            r"-?(?:1[0-7]\d|\d{1,2})\.\d{3,8}°?\s*[EWew]?(?!\d|\.\d)"
        ),
        0.8,
        gate=_rx(r"\d\.\d{3}"),
    ),
    PatternRecognizer(
        "coordinates",
        "dms",
        _rx(
            r"\d{1,2}\s?°\s?\d{1,2}\s?['′]\s?(?:\d{1,2}(?:\.\d+)?\s?[\"″]\s?)?[NSСЮ]"
            r"[\s,]*\d{1,3}\s?°\s?\d{1,2}\s?['′]\s?(?:\d{1,2}(?:\.\d+)?\s?[\"″]\s?)?[EWВЗ]"
        ),
        0.9,
        gate=_rx("°"),
    ),
    PatternRecognizer(
        "licence_plate",
        "ru",
        _rx(
            r"(?<!\w)[АВЕКМНОРСТУХABEKMHOPCTYX]\s?\d{3}\s?[АВЕКМНОРСТУХABEKMHOPCTYX]{2}\s?\d{2,3}"
            r"(?!\w)"
        ),
        0.6,
        None,
        _PLATE_WORDS,
        needs_context=True,
        window=_PLATE_REACH,
    ),
    PatternRecognizer(
        "licence_plate",
        "tr",
        _rx(r"(?<!\w)(?:0[1-9]|[1-7]\d|8[01])\s[A-Z]{1,3}\s\d{2,4}(?!\w)"),
        0.6,
        None,
        _PLATE_WORDS,
        needs_context=True,
        window=_PLATE_REACH,
    ),
    PatternRecognizer(
        "licence_plate",
        "az",
        _rx(r"(?<!\w)\d{2}-[A-Z]{2}-\d{3}(?!\w)"),
        0.7,
        None,
        _PLATE_WORDS,
        needs_context=True,
        window=_PLATE_REACH,
    ),
    PatternRecognizer(
        "licence_plate",
        "es",
        _rx(r"(?<!\w)\d{4}[ -]?[BCDFGHJKLMNPRSTVWXYZ]{3}(?!\w)"),
        0.6,
        None,
        _PLATE_WORDS,
        needs_context=True,
        window=_PLATE_REACH,
    ),
    PatternRecognizer(
        "licence_plate",
        "fr",
        _rx(r"(?<!\w)[A-Z]{2}-\d{3}-[A-Z]{2}(?!\w)"),
        0.7,
        None,
        _PLATE_WORDS,
        needs_context=True,
        window=_PLATE_REACH,
    ),
    PatternRecognizer(
        "licence_plate",
        "generic",
        _rx(r"(?<!\w)(?=[A-Z0-9 -]*\d)(?=[A-Z0-9 -]*[A-Z])[A-Z0-9]{1,4}[ -]?[A-Z0-9]{2,4}(?!\w)"),
        0.5,
        v.letters_and_digits_ok,
        _PLATE_WORDS,
        needs_context=True,
        window=_PLATE_REACH,
    ),
)

CONTEXT_WINDOW = 40  # characters before a match searched for context words
SHORT_WORD = 3  # context words this short must stand alone; longer ones may be inflected


@lru_cache(maxsize=16)
def context_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """Case-insensitive pattern for any of ``words`` at a word start; longer words may be
    inflected (``plakası``, ``машины``), short ones (``id``, ``car``) must stand alone."""
    escaped = [re.escape(w) + (r"(?!\w)" if len(w) <= SHORT_WORD else "") for w in words]
    body = start_guard(escaped) + "(?:" + "|".join(escaped) + ")"
    return re.compile(r"(?<!\w)" + body, re.IGNORECASE)


def has_context(text: str, start: int, words: tuple[str, ...], reach: int = 0) -> bool:
    """True when one of ``words`` occurs, as a word, in the ``reach`` characters (default
    ``CONTEXT_WINDOW``) just before ``start``."""
    window = text[max(0, start - (reach or CONTEXT_WINDOW)) : start]
    return context_pattern(words).search(window) is not None
