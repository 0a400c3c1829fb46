"""Character tables for normalisation: homoglyphs, leetspeak and diacritic folding.

Pure data. Homoglyph tables are case-aware because many look-alikes exist in one case only
(Cyrillic ``В`` looks like Latin ``B``; lower-case ``в`` does not look like ``b``).
"""

from __future__ import annotations

from typing import Final


def _pairs(source: str, target: str) -> dict[str, str]:
    if len(source) != len(target):
        raise ValueError("table halves differ in length")
    return dict(zip(source, target, strict=True))


# Look-alikes of Latin letters in other scripts, mapped onto Latin.
TO_LATIN: Final[dict[str, str]] = {
    **_pairs("аеорсухіјѕԁһԛԝӏ", "aeopcyxijsdhqwl"),
    **_pairs("АВЕКМНОРСТУХІЈЅԚԜ", "ABEKMHOPCTYXIJSQW"),
    **_pairs("αονριυκΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "aovpiukABEZHIKMNOPTYX"),
}

# Look-alikes of Cyrillic letters in Latin and Greek, mapped onto Cyrillic.
TO_CYRILLIC: Final[dict[str, str]] = {
    **_pairs("aeopcyxik", "аеорсухік"),
    **_pairs("ABEKMHOPCTYX", "АВЕКМНОРСТУХ"),
    **_pairs("αοκρΑΒΕΚΜΗΟΡΤΧ", "аокрАВЕКМНОРТХ"),
}

# Leetspeak substitutions inside words, by the script of the word.
LEET_LATIN: Final[dict[str, str]] = {
    "0": "o",
    "1": "i",
    "3": "e",
    "4": "a",
    "5": "s",
    "7": "t",
    "@": "a",
    "$": "s",
    "!": "i",
    "|": "l",
    "€": "e",
}
LEET_CYRILLIC: Final[dict[str, str]] = {
    "0": "о",
    "3": "з",
    "4": "ч",
    "6": "б",
    "@": "а",
    "$": "с",
}
LEET_CHARS: Final[frozenset[str]] = frozenset(LEET_LATIN) | frozenset(LEET_CYRILLIC)

# Letters that Unicode decomposition does not strip, folded by hand.
FOLD: Final[dict[str, str]] = {
    "ı": "i",
    "ə": "e",
    "ø": "o",
    "ł": "l",
    "đ": "d",
    "ħ": "h",
    "æ": "ae",
    "œ": "oe",
    "þ": "th",
    "ŀ": "l",
    # Cyrillic letters of Azerbaijani, Ukrainian, Belarusian, Kazakh onto Russian ones.
    "ә": "е",
    "ғ": "г",
    "ҹ": "ч",
    "һ": "х",
    "ө": "о",
    "ү": "у",
    "ұ": "у",
    "ј": "й",
    "і": "и",
    "ї": "и",
    "є": "е",
    "ґ": "г",
    "ў": "у",
    "қ": "к",
    "ң": "н",
    "ҝ": "г",
    # Arabic-script orthographic variants (Arabic, Persian, Urdu, South Azerbaijani).
    "ى": "ي",
    "ی": "ي",
    "ې": "ي",
    "ۍ": "ي",
    "ك": "ک",
    "ة": "ه",
    "ۀ": "ه",
    "ە": "ه",
    "ٱ": "ا",
    "ـ": "",
}

# Characters removed outright: zero-width and invisible formatting that hides words.
INVISIBLE: Final[frozenset[str]] = frozenset(
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d\u200e\u200f"
    "\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064\u206a\u206b\u206c"
    "\u206d\u206e\u206f\u3164\ufeff\uffa0"
)
