"""Name keys: one spelling for a name however it is written, inflected or scripted.

A word is first normalised (:func:`qalxan.analysis.text.normalise`: homoglyphs, leetspeak,
zero-width characters, case, diacritics), then keyed:

* Latin and Cyrillic words get a **phonetic key**: Cyrillic is spelled in Latin, then sounds
  that transliterations spell differently are merged (``sh``/``ş``/``ш`` → ``s``;
  ``j``/``c``/``ch``/``zh``/``dzh`` → ``c``; ``kh``/``x``/``х`` → ``h``; ``q``/``gh``/``ğ`` → ``g``;
  ``e``/``ə``/``a`` → ``a``; ``y``/``ı`` → ``i``; ``w`` → ``v``) and doubled letters collapse, so
  "Məmmədova", "Mammadova", "Mamedova" and "Мамедова" all key to ``mamadova``.
* Every word also gets a **skeleton**: its consonants, the form Arabic script writes (short
  vowels unwritten). Arabic-script words have only a skeleton; they are compared with the
  skeletons of stored names in any script ("محمدی" and "Mohammadi" both give ``mhmdi``).

Inflection is undone by suffix rules per language family (``data/watchlist/inflection.json``):
each rule yields a candidate stem, and a word matches a stored name when any of its
candidates does.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any, Final

from qalxan.analysis.text import char_script, normalise
from qalxan.analysis.text.translit_tables import KEY_FROM_CYRILLIC

_CYRILLIC: Final[dict[int, str]] = {ord(k): v for k, v in KEY_FROM_CYRILLIC.items()}
# Sounds that transliterations of one name spell differently, merged; longest first.
_SOUNDS: Final[tuple[tuple[str, str], ...]] = (
    ("shch", "s"),
    ("dzh", "c"),
    ("sch", "s"),
    ("dj", "c"),
    ("dh", "z"),
    ("zh", "c"),
    ("sh", "s"),
    ("ch", "c"),
    ("kh", "h"),
    ("gh", "g"),
    ("ph", "f"),
    ("th", "t"),
    ("ou", "u"),
    ("ck", "k"),
    ("ks", "h"),  # x: "Alexei" = "Aleksei"; "Orxan" = "Orkhan": x, ks, kh all one
)
_SOUND_RE: Final[re.Pattern[str]] = re.compile("|".join(a for a, _ in _SOUNDS))
_SOUND_MAP: Final[dict[str, str]] = dict(_SOUNDS)
_LETTERS: Final[dict[int, int]] = str.maketrans("jxqwye", "chgvia")
# A soft sign before a vowel is romanised as i or y ("Васильев" = "Vasiliev", "Vasilyev").
_SOFT_VOWEL: Final[re.Pattern[str]] = re.compile(r"ь(?=[аеёиоуюя])")
# Azerbaijani "-ayev" is Russian "-аев" ("Paşayev", "Пашаев"): the y is not written.
_AYEV: Final[re.Pattern[str]] = re.compile(r"ai(?=av)")
# Russian ё, which normalisation folds to е, is romanised "yo" between consonants
# ("Kovalyova", "Ковалёва"; "Fyodor", "Фёдор").
_YO: Final[re.Pattern[str]] = re.compile(r"(?<=[^aeiou])io(?=[^aeiou])")
_REPEATS: Final[re.Pattern[str]] = re.compile(r"(.)\1+")
_VOWELS: Final[re.Pattern[str]] = re.compile(r"[aeiouv]")
# Arabic-script letters (as normalised) onto the consonant classes of the phonetic key.
_ARABIC: Final[dict[int, str]] = str.maketrans(
    {
        **dict.fromkeys("اآأإٱءعئؤوي", ""),
        **dict(zip("بپتثجچحخدذرزژسشصضطظغفقکگلمنه", "bpttcchhdzrzcsssztzgfgkglmnh", strict=True)),
    }
)
MIN_STEM: Final[int] = 3


def fuzz_bound(length: int) -> int:
    """Edits tolerated on a phonetic key of ``length`` letters: none below five."""
    return 0 if length < 5 else 1 if length <= 8 else 2


def skeleton_bound(length: int) -> int:
    """Edits tolerated on a skeleton: consonants carry more weight, so only long ones."""
    return 0 if length < 6 else 1


def collapse(key: str) -> str:
    return _REPEATS.sub(r"\1", key)


def is_arabic(word: str) -> bool:
    return any(char_script(c) == "Arab" for c in word)


def sounds(word: str) -> str:
    """The phonetic key of a normalised Latin or Cyrillic word, before doubled letters
    collapse (so inflection rules see the endings as written)."""
    latin = _SOFT_VOWEL.sub("и", word).translate(_CYRILLIC)
    merged = _SOUND_RE.sub(lambda m: _SOUND_MAP[m.group()], latin).translate(_LETTERS)
    return _YO.sub("a", _AYEV.sub("a", merged))


def latin_skeleton(key: str) -> str:
    """Consonants of a phonetic key; a final ``i`` stays (Arabic script writes it)."""
    body = key[:-1] if key.endswith("i") else key
    if body.endswith("ah"):  # Persian final -eh is a vowel, unwritten ("Fatemeh", فاطمه)
        body = body[:-1]
    tail = "i" if key.endswith("i") else ""
    return collapse(_VOWELS.sub("", body) + tail)


def arabic_skeleton(word: str) -> str:
    """Consonants of a normalised Arabic-script word, with a written final ``ي`` as ``i``."""
    if len(word) > 1 and word.endswith("ه"):  # final -e/-a (Persian ه, Arabic ة folded to ه)
        word = word[:-1]
    tail = "i" if word.endswith("ي") and len(word) > 1 else ""
    return collapse(word.translate(_ARABIC) + tail)


@dataclass(frozen=True, slots=True)
class Rules:
    """Inflection rules in key form."""

    turkic: tuple[str, ...]
    russian: tuple[tuple[str, str], ...]
    arabic_prefixes: tuple[str, ...]
    arabic_suffixes: tuple[str, ...]


def _data(name: str) -> Any:
    text = resources.files("qalxan").joinpath("data", "watchlist", name).read_text("utf-8")
    return json.loads(text)


def _spelled(word: str) -> str:
    return sounds(normalise(word).text)


@cache
def rules() -> Rules:
    """The inflection rules of ``data/watchlist/inflection.json``, keyed."""
    data = _data("inflection.json")
    russian = [(_spelled(s), "") for s in data["russian"]["strip"]]
    russian += [(_spelled(a), _spelled(b)) for a, b in data["russian"]["replace"]]
    by_length = sorted(set(russian), key=lambda p: (-len(p[0]), p))
    return Rules(
        turkic=tuple(sorted({_spelled(s) for s in data["turkic"]["strip"]}, key=len)),
        russian=tuple(by_length),
        arabic_prefixes=tuple(normalise(p).text for p in data["arabic_prefixes"]),
        arabic_suffixes=tuple(normalise(s).text for s in data["arabic_suffixes"]),
    )


@cache
def common_words() -> frozenset[str]:
    """Phonetic keys and skeletons of the common words that no surname matches alone."""
    data = _data("common_words.json")
    words = [w for lang, ws in data.items() if not lang.startswith("_") for w in ws]
    return frozenset(k for w in words for k in _both_keys(normalise(w).text))


def _both_keys(word: str) -> tuple[str, ...]:
    if is_arabic(word):
        return (arabic_skeleton(word),)
    key = sounds(word)
    return (collapse(key), latin_skeleton(collapse(key)))


def _stripped(key: str, endings: tuple[str, ...]) -> set[str]:
    return {key[: -len(e)] for e in endings if key.endswith(e) and len(key) - len(e) >= MIN_STEM}


def latin_stems(key: str) -> frozenset[str]:
    """The key and the stems inflection rules give (collapsed), for a word in the text."""
    r = rules()
    turkic = _stripped(key, r.turkic)
    turkic |= {s for t in turkic for s in _stripped(t, r.turkic)}
    russian = {
        key[: -len(a)] + b
        for a, b in r.russian
        if key.endswith(a) and len(key) - len(a) >= MIN_STEM
    }
    return frozenset(collapse(k) for k in {key, *turkic, *russian})


def arabic_stems(word: str) -> frozenset[str]:
    """Skeletons of an Arabic-script word without its proclitics and endings."""
    r = rules()
    forms = {word}
    forms |= {word[len(p) :] for p in r.arabic_prefixes if word.startswith(p)}
    forms |= {f[: -len(s)] for f in list(forms) for s in r.arabic_suffixes if f.endswith(s)}
    skeletons = {arabic_skeleton(f) for f in forms if len(f) >= 2}
    # A final ي may be a folded ى, which is written for a final -a ("هدى", Huda).
    skeletons |= {s[:-1] for s in skeletons if s.endswith("i")}
    return frozenset(s for s in skeletons if s)


@dataclass(frozen=True, slots=True)
class WordKeys:
    """A word's keys: ``key`` (phonetic; empty for Arabic script) and ``skeleton``."""

    key: str
    skeleton: str

    @property
    def arabic(self) -> bool:
        return not self.key


@lru_cache(maxsize=65536)
def word_keys(normalised: str) -> WordKeys:
    """Keys of one normalised word as stored (a watched name's word)."""
    if is_arabic(normalised):
        return WordKeys("", arabic_skeleton(normalised))
    key = collapse(sounds(normalised))
    return WordKeys(key, latin_skeleton(key))


def name_words(name: str) -> list[WordKeys]:
    """Keys of each word of a stored name (apostrophes and hyphens join nothing)."""
    words = re.findall(r"[^\W\d_]+", normalise(name).text)
    return [k for k in map(word_keys, words) if k.key or k.skeleton]
