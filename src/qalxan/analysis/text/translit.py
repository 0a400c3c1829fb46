"""Latin ↔ Cyrillic transliteration (Russian, Azerbaijani, Turkish) and a romanisation
skeleton for Arabic-script languages, all keeping offsets back to the original text."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

from qalxan.analysis.text.mapped import MappedText, remap
from qalxan.analysis.text.normalise import normalise, normalise_texts
from qalxan.analysis.text.translit_tables import (
    ARABIC_TO_LATIN,
    AZ_TO_LATIN,
    KEY_FROM_CYRILLIC,
    LATIN_TO_AZ,
    LATIN_TO_RU,
    LATIN_TO_TR,
    RU_TO_LATIN,
    TR_TO_LATIN,
)

_TO_LATIN: Final[dict[str, Mapping[str, str]]] = {
    "ru": RU_TO_LATIN,
    "az": AZ_TO_LATIN,
    "tr": TR_TO_LATIN,
    "ar": {**ARABIC_TO_LATIN, "و": "w", "ؤ": "w"},
    "fa": ARABIC_TO_LATIN,
    "azb": ARABIC_TO_LATIN,
    "ur": ARABIC_TO_LATIN,
    "key": KEY_FROM_CYRILLIC,
}
_TO_CYRILLIC: Final[dict[str, Mapping[str, str]]] = {
    "ru": LATIN_TO_RU,
    "az": LATIN_TO_AZ,
    "tr": LATIN_TO_TR,
}


def _as_mapped(text: str | MappedText) -> MappedText:
    return text if isinstance(text, MappedText) else MappedText.identity(text)


def _match_case(source: str, out: str) -> str:
    if out and source[:1].isupper():
        return out[:1].upper() + out[1:]
    return out


def transliterate(text: str | MappedText, table: Mapping[str, str]) -> MappedText:
    """Greedy longest-match transliteration; characters not in ``table`` pass through."""
    mapped = _as_mapped(text)
    source = mapped.text
    longest = max((len(k) for k in table), default=1)
    if longest == 1:  # one character at a time: no look-ahead needed
        if all(_one(c, table) == c for c in set(source)):
            return mapped  # nothing to change (most texts, for a script they are not in)
        return remap(mapped, [_one(c, table) for c in source])
    pieces: list[str] = []
    i = 0
    while i < len(source):
        for size in range(min(longest, len(source) - i), 0, -1):
            chunk = source[i : i + size]
            out = table.get(chunk.lower())
            if out is not None:
                pieces.append(_match_case(chunk, out))
                pieces.extend([""] * (size - 1))
                i += size
                break
        else:
            pieces.append(source[i])
            i += 1
    return remap(mapped, pieces)


def _one(char: str, table: Mapping[str, str]) -> str:
    out = table.get(char) if char.islower() or not char.isalpha() else None
    if out is None:
        out = table.get(char.lower())
        return char if out is None else _match_case(char, out)
    return out


def _table(tables: Mapping[str, Mapping[str, str]], lang: str) -> Mapping[str, str]:
    try:
        return tables[lang]
    except KeyError:
        known = ", ".join(sorted(tables))
        raise ValueError(f"no transliteration for {lang!r}; known: {known}") from None


def to_latin(text: str | MappedText, lang: str = "ru") -> MappedText:
    """Cyrillic (``ru``, ``az``, ``tr``) or Arabic script (``ar``, ``fa``, ``azb``, ``ur``)
    to Latin."""
    return transliterate(text, _table(_TO_LATIN, lang))


def to_cyrillic(text: str | MappedText, lang: str = "ru") -> MappedText:
    """Latin to Cyrillic by the conventions of ``ru``, ``az`` or ``tr``."""
    return transliterate(text, _table(_TO_CYRILLIC, lang))


def match_key(text: str) -> MappedText:
    """Normalised text with Cyrillic spelled in Latin: one key for lexicons in both scripts.

    Arabic script is kept (normalised) as it is: lexicons for Arabic and Persian are
    written in Arabic script, where romanised spellings vary too much to match reliably.
    """
    return transliterate(normalise(text), KEY_FROM_CYRILLIC)


_KEY_TABLE: Final[dict[int, str]] = {ord(k): v for k, v in KEY_FROM_CYRILLIC.items()}


def match_keys(texts: Sequence[str]) -> list[str]:
    """The strings of :func:`match_key` for a batch (fast path, no offset maps)."""
    return [t.translate(_KEY_TABLE) for t in normalise_texts(texts)]
