"""Checksum validators for identity and payment numbers.

Each validator takes the candidate as matched (separators allowed) and returns whether
the number is well formed under its scheme. Pure functions, no I/O.
"""

from __future__ import annotations

import re

_NON_ALNUM = re.compile(r"[^0-9A-Za-z]")


def digits_only(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


_MAESTRO_PREFIXES = ("50", "56", "57", "58", "6")


def luhn_ok(value: str) -> bool:
    """Payment card numbers (ISO/IEC 7812): Luhn checksum over 13-19 digits (12 for Maestro)."""
    digits = digits_only(value)
    short_maestro = len(digits) == 12 and digits.startswith(_MAESTRO_PREFIXES)
    if not (13 <= len(digits) <= 19 or short_maestro) or len(set(digits)) == 1:
        return False
    total = 0
    for index, ch in enumerate(reversed(digits)):
        d = int(ch)
        if index % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


# Lengths of IBANs per country (ISO 13616 registry, the common ones plus our regions).
IBAN_LENGTHS: dict[str, int] = {
    "AD": 24,
    "AE": 23,
    "AL": 28,
    "AT": 20,
    "AZ": 28,
    "BA": 20,
    "BE": 16,
    "BG": 22,
    "BH": 22,
    "BY": 28,
    "CH": 21,
    "CY": 28,
    "CZ": 24,
    "DE": 22,
    "DK": 18,
    "DZ": 26,
    "EE": 20,
    "EG": 29,
    "ES": 24,
    "FI": 18,
    "FR": 27,
    "GB": 22,
    "GE": 22,
    "GR": 27,
    "HR": 21,
    "HU": 28,
    "IE": 22,
    "IL": 23,
    "IQ": 23,
    "IR": 26,
    "IS": 26,
    "IT": 27,
    "JO": 30,
    "KW": 30,
    "KZ": 20,
    "LB": 28,
    "LI": 21,
    "LT": 20,
    "LU": 20,
    "LV": 21,
    "LY": 25,
    "MA": 28,
    "MC": 27,
    "MD": 24,
    "ME": 22,
    "MK": 19,
    "MR": 27,
    "MT": 31,
    "NL": 18,
    "NO": 15,
    "PK": 24,
    "PL": 28,
    "PS": 29,
    "PT": 25,
    "QA": 29,
    "RO": 24,
    "RS": 22,
    "RU": 33,
    "SA": 24,
    "SD": 18,
    "SE": 24,
    "SI": 19,
    "SK": 24,
    "SM": 27,
    "SY": 31,
    "TN": 24,
    "TR": 26,
    "UA": 29,
    "XK": 20,
    "YE": 30,
}


def iban_ok(value: str) -> bool:
    """IBAN (ISO 13616): known country length and mod-97 == 1."""
    compact = _NON_ALNUM.sub("", value).upper()
    expected = IBAN_LENGTHS.get(compact[:2])
    if expected is None or len(compact) != expected or not compact[2:4].isdigit():
        return False
    rearranged = compact[4:] + compact[:4]
    numeric = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(numeric) % 97 == 1


def tckn_ok(value: str) -> bool:
    """Turkish T.C. Kimlik No: 11 digits, first non-zero, two check digits."""
    d = [int(ch) for ch in digits_only(value)]
    if len(d) != 11 or d[0] == 0:
        return False
    odd, even = sum(d[0:9:2]), sum(d[1:8:2])
    return (odd * 7 - even) % 10 == d[9] and sum(d[:10]) % 10 == d[10]


def _inn_digit(digits: list[int], weights: tuple[int, ...]) -> int:
    return sum(w * x for w, x in zip(weights, digits, strict=False)) % 11 % 10


def inn_ok(value: str) -> bool:
    """Russian INN: 10 digits (organisations) or 12 digits (individuals) with check digits."""
    d = [int(ch) for ch in digits_only(value)]
    if len(d) == 10:
        return _inn_digit(d, (2, 4, 10, 3, 5, 9, 4, 6, 8)) == d[9]
    if len(d) == 12:
        first = _inn_digit(d, (7, 2, 4, 10, 3, 5, 9, 4, 6, 8))
        second = _inn_digit(d, (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8))
        return first == d[10] and second == d[11]
    return False


def snils_ok(value: str) -> bool:
    """Russian SNILS: 9 digits plus a 2-digit checksum (mod 101, 100 → 00)."""
    d = [int(ch) for ch in digits_only(value)]
    if len(d) != 11:
        return False
    total = sum(x * (9 - i) for i, x in enumerate(d[:9]))
    check = total % 101
    return (0 if check == 100 else check) == d[9] * 10 + d[10]


_DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"
_NIE_PREFIX = {"X": "0", "Y": "1", "Z": "2"}


def dni_nie_ok(value: str) -> bool:
    """Spanish DNI (8 digits + letter) or NIE (X/Y/Z + 7 digits + letter)."""
    compact = _NON_ALNUM.sub("", value).upper()
    if len(compact) != 9:
        return False
    body = _NIE_PREFIX.get(compact[0], compact[0]) + compact[1:8]
    if not body.isdigit():
        return False
    return _DNI_LETTERS[int(body) % 23] == compact[8]


_FIN_FORMAT = re.compile(r"^[0-9A-Z]{7}$")


def az_fin_ok(value: str) -> bool:
    """Azerbaijani FIN (personal identification code): 7 Latin capitals and digits, not all
    digits. The scheme has no public checksum, so its recognizer also needs a context word."""
    compact = value.strip()
    return bool(_FIN_FORMAT.match(compact)) and not compact.isdigit()


def nir_ok(value: str) -> bool:
    """French NIR (INSEE number): 13 characters plus a 2-digit key, 97 - (n mod 97)."""
    compact = _NON_ALNUM.sub("", value).upper()
    if len(compact) != 15 or compact[0] not in "123478":
        return False
    body = compact[:13].replace("2A", "19").replace("2B", "18")
    if not body.isdigit() or not compact[13:].isdigit():
        return False
    return 97 - int(body) % 97 == int(compact[13:])


def iran_national_code_ok(value: str) -> bool:
    """Iranian national code (kart-e melli): 10 digits, weighted mod-11 check digit."""
    d = [int(ch) for ch in digits_only(value)]
    if len(d) != 10 or len(set(d)) == 1:
        return False
    remainder = sum(x * (10 - i) for i, x in enumerate(d[:9])) % 11
    return d[9] == (remainder if remainder < 2 else 11 - remainder)


def us_ssn_ok(value: str) -> bool:
    """US SSN: area not 000/666/9xx, group not 00, serial not 0000 (no checksum)."""
    d = digits_only(value)
    if len(d) != 9:
        return False
    area, group, serial = d[:3], d[3:5], d[5:]
    return area not in {"000", "666"} and area[0] != "9" and group != "00" and serial != "0000"


def letters_and_digits_ok(value: str) -> bool:
    """A plate of no particular country: letters and digits both, in the match itself
    (not a house number, nor a word such as "DNI" before a number)."""
    return any(c.isdigit() for c in value) and any(c.isalpha() for c in value)
