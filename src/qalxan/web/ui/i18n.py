"""Languages: gettext catalogs (Babel); the language comes from the visitor's own choice (a
cookie that holds only the language code), else from ``Accept-Language``, else English.

Each language gets its own Jinja2 environment with its translations installed, so
concurrent requests in different languages never share mutable state.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from babel import Locale, negotiate_locale
from babel.support import NullTranslations, Translations

LOCALE_DIR = Path(__file__).resolve().parents[2] / "locale"
DOMAIN = "messages"
DEFAULT_LANGUAGE = "en"
RIGHT_TO_LEFT = frozenset({"ar", "fa", "he", "ps", "ur", "ckb", "dv", "yi"})
MAX_PREFERENCES = 20
LANGUAGE_COOKIE_SECURE = "__Host-qalxan-lang"
LANGUAGE_COOKIE_PLAIN = "qalxan-lang"
NAMES = {  # each language in its own words, for the language switcher
    "ar": "العربية", "az": "Azərbaycanca", "en": "English", "es": "Español", "fa": "فارسی",
    "fr": "Français", "ru": "Русский", "tr": "Türkçe",
}


def N_(message: str) -> str:
    """Mark a string for extraction; it is translated where it is shown."""
    return message


@lru_cache(maxsize=1)
def available_languages() -> tuple[str, ...]:
    """Languages with a compiled catalog (English is always available)."""
    found = {p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.mo")}
    return tuple(sorted(found | {DEFAULT_LANGUAGE}))


def _quality(part: str) -> float:
    for param in part.split(";")[1:]:
        name, _, value = param.strip().partition("=")
        if name.strip() == "q":
            try:
                return float(value)
            except ValueError:
                return 0.0
    return 1.0


def preferred_languages(header: str | None) -> list[str]:
    """Language tags from an ``Accept-Language`` header, most preferred first."""
    ranked: list[tuple[float, str]] = []
    for part in (header or "").split(",")[:MAX_PREFERENCES]:
        tag = part.split(";")[0].strip().replace("-", "_")
        quality = _quality(part)
        if tag and tag != "*" and quality > 0:
            ranked.append((quality, tag))
    ranked.sort(key=lambda item: -item[0])  # stable: equal weights keep the browser's order
    return [tag for _, tag in ranked]


def negotiate(header: str | None) -> str:
    found = negotiate_locale(preferred_languages(header), list(available_languages()))
    return found or DEFAULT_LANGUAGE


def choose(chosen: str | None, header: str | None) -> str:
    """The visitor's own choice when it names an available language, else the browser's."""
    if chosen and chosen in available_languages():
        return chosen
    return negotiate(header)


def cookie_name(secure: bool) -> str:
    return LANGUAGE_COOKIE_SECURE if secure else LANGUAGE_COOKIE_PLAIN


def switcher() -> tuple[tuple[str, str], ...]:
    """The available languages as (code, name in that language), for the language links."""
    return tuple((code, NAMES.get(code, code)) for code in available_languages())


def direction(language: str) -> str:
    return "rtl" if language.split("_")[0] in RIGHT_TO_LEFT else "ltr"


@lru_cache(maxsize=32)
def translations(language: str) -> NullTranslations:
    return Translations.load(str(LOCALE_DIR), [language], DOMAIN)


@lru_cache(maxsize=32)
def territories(language: str) -> tuple[tuple[str, str], ...]:
    """Country codes (ISO 3166-1 alpha-2) and their names in ``language``, sorted by name."""
    names = Locale.parse(language).territories
    pairs = [(code, name) for code, name in names.items()
             if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES]
    return tuple(sorted(pairs, key=lambda pair: pair[1]))


_NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"})
