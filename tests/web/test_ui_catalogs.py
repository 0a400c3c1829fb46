"""The catalogs themselves: the defender's pages and the staff pages are fully translated
into every language they are offered in; no fuzzy entries,
placeholders kept, and every committed ``.mo`` is exactly what its ``.po`` compiles to.

Which messages a defender reads is decided by where they come from: the defender's templates
and page code below. Every template must be in one list or the other, so a new page cannot
slip past the check.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from qalxan.web.ui import i18n

ROOT = Path(__file__).resolve().parents[2]
UI = ROOT / "src" / "qalxan" / "web" / "ui"
KEYWORDS = {**DEFAULT_KEYWORDS, "N_": None, "ThreatCode": (2,)}
JINJA_OPTIONS = {"extensions": "jinja2.ext.i18n", "trim_blocks": "true",
                 "lstrip_blocks": "true"}

DEFENDER_TEMPLATES = ("base.html", "_macros.html", "index.html", "report.html", "receipt.html",
                      "followup.html", "followup_thread.html", "error.html")
STAFF_TEMPLATES = ("login.html", "totp.html", "enrol.html", "password.html", "queue.html",
                   "case.html", "dashboard.html", "_htmx.html",
                   "audit.html", "users.html", "confirm.html", "_staff_nav.html", "sessions.html",
                   "defender.html", "organisations.html", "feeds.html", "retention.html",
                   "alerts.html", "alert.html", "watchlist.html", "watch_entry.html",
                   "_watch_fields.html", "sources.html", "tokens.html")
DEFENDER_CODE = (UI / "public.py", UI / "forms.py", UI / "errors.py", UI / "public_labels.py",
                 ROOT / "src" / "qalxan" / "taxonomy.py")
DEFENDER_LANGUAGES = ("ar", "az", "es", "fa", "fr", "ru", "tr")
STAFF_LANGUAGES = ("ar", "az", "es", "fa", "fr", "ru", "tr")

MessageId = str | tuple[str, ...]


def _extract(path: Path, method: str) -> set[MessageId]:
    options = JINJA_OPTIONS if method == "jinja2" else {}
    found = extract_from_file(method, str(path), keywords=KEYWORDS, options=options)
    return {message for _line, message, _comments, _context in found}


def defender_messages() -> set[MessageId]:
    messages: set[MessageId] = set()
    for name in DEFENDER_TEMPLATES:
        messages |= _extract(UI / "templates" / name, "jinja2")
    for path in DEFENDER_CODE:
        messages |= _extract(path, "python")
    return messages


def _catalog(language: str) -> Catalog:
    with (i18n.LOCALE_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=language)


def _untranslated(catalog: Catalog, wanted: set[MessageId] | None) -> list[str]:
    """Messages (of ``wanted``, or all) that are missing, empty or fuzzy in ``catalog``."""
    ids = wanted if wanted is not None else {m.id for m in catalog if m.id}
    bad = []
    for mid in sorted(ids, key=str):
        message = catalog.get(mid)
        strings = () if message is None else (
            message.string if isinstance(message.string, tuple) else (message.string,))
        if message is None or message.fuzzy or not all(strings):
            bad.append(str(mid))
    return bad


def test_every_template_is_either_a_defender_or_a_staff_page() -> None:
    templates = {p.name for p in (UI / "templates").glob("*.html")}
    assert templates == set(DEFENDER_TEMPLATES) | set(STAFF_TEMPLATES)
    assert not set(DEFENDER_TEMPLATES) & set(STAFF_TEMPLATES)


def test_defender_messages_are_found() -> None:
    messages = defender_messages()
    assert {"Receipt code", "Spyware", "Low: no rush", "Language"} <= messages
    assert "Case queue" not in messages and "Risk score" not in messages


@pytest.mark.parametrize("language", DEFENDER_LANGUAGES)
def test_defender_pages_are_fully_translated(language: str) -> None:
    catalog = _catalog(language)
    assert not catalog.fuzzy, f"{language}: the catalog header is marked fuzzy"
    missing = _untranslated(catalog, defender_messages())
    assert not missing, f"{language}: untranslated or fuzzy defender texts: {missing[:8]}"


@pytest.mark.parametrize("language", STAFF_LANGUAGES)
def test_staff_languages_are_fully_translated(language: str) -> None:
    missing = _untranslated(_catalog(language), None)
    assert not missing, f"{language}: untranslated or fuzzy texts: {missing[:8]}"


@pytest.mark.parametrize("language", sorted(p.name for p in i18n.LOCALE_DIR.iterdir()
                                            if (p / "LC_MESSAGES").is_dir()))
def test_translations_keep_their_placeholders(language: str) -> None:
    problems = [(str(m.id), [str(e) for e in errors]) for m, errors in _catalog(language).check()]
    assert not problems, f"{language}: {problems[:5]}"


@pytest.mark.parametrize("language", sorted(p.name for p in i18n.LOCALE_DIR.iterdir()
                                            if (p / "LC_MESSAGES").is_dir()))
def test_each_mo_is_exactly_its_compiled_po(language: str) -> None:
    mo = i18n.LOCALE_DIR / language / "LC_MESSAGES" / "messages.mo"
    assert mo.is_file(), f"{language}: not compiled; run pybabel compile (docs/translating.md)"
    compiled = io.BytesIO()
    write_mo(compiled, _catalog(language))
    assert mo.read_bytes() == compiled.getvalue(), \
        f"{mo} is older than or differs from its .po; run pybabel compile (docs/translating.md)"


def test_every_offered_language_has_a_catalog() -> None:
    assert set(i18n.available_languages()) == {"en", *DEFENDER_LANGUAGES}
