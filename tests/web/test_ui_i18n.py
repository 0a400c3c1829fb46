"""Translations: every page text is in the catalogs, catalogs are compiled, and the language
comes from the browser with English as the fallback.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from fastapi.testclient import TestClient

from qalxan.services.context import Platform
from qalxan.web.app import create_app
from qalxan.web.ui import i18n

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {**DEFAULT_KEYWORDS, "N_": None, "ThreatCode": (2,)}


def _extracted() -> set[str]:
    with (ROOT / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg, "babel.cfg")
    found = extract_from_dir(str(ROOT), method_map, options_map, keywords=KEYWORDS)
    return {message if isinstance(message, str) else message[0]
            for _file, _line, message, _comments, _context in found}


def _catalogs() -> list[Path]:
    return sorted(i18n.LOCALE_DIR.glob("*/LC_MESSAGES/messages.po"))


def test_every_page_text_is_in_every_catalog() -> None:
    extracted = _extracted()
    assert "Report what happened" in extracted and "Spyware" in extracted
    assert _catalogs(), "no catalog at all"
    for po in _catalogs():
        with po.open("rb") as handle:
            known = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
        missing = sorted(extracted - known)
        assert not missing, f"{po}: run the commands in docs/translating.md; missing {missing[:5]}"


def test_every_catalog_is_compiled() -> None:
    for po in _catalogs():
        assert po.with_suffix(".mo").is_file(), f"{po} is not compiled"
    assert "en" in i18n.available_languages()


@pytest.mark.parametrize(("header", "expected"), [
    (None, "en"), ("", "en"), ("*", "en"), ("xx-YY, zz;q=0.5", "en"),
    ("en-GB,en;q=0.9", "en"), ("fr;q=0, en;q=0.1", "en"), ("ru;q=x", "en"),
])
def test_language_comes_from_the_browser_with_english_as_fallback(header: str | None,
                                                                 expected: str) -> None:
    assert i18n.negotiate(header) == expected


def test_preferences_are_ordered_by_weight() -> None:
    assert i18n.preferred_languages("de;q=0.5, ar, fa-IR;q=0.8, ru;q=0") == ["ar", "fa_IR", "de"]


def test_right_to_left_languages() -> None:
    assert i18n.direction("ar") == i18n.direction("fa_IR") == "rtl"
    assert i18n.direction("en") == i18n.direction("az") == "ltr"


@pytest.fixture
def client(platform: Platform) -> Iterator[TestClient]:
    with TestClient(create_app(platform)) as test_client:
        yield test_client


def test_pages_declare_their_language_and_direction(client: TestClient) -> None:
    page = client.get("/report", headers={"Accept-Language": "ru-RU,ru;q=0.9"})
    assert '<html lang="en" dir="ltr">' in page.text


def test_country_names_come_from_the_locale_data() -> None:
    names = dict(i18n.territories("en"))
    assert names["AZ"] == "Azerbaijan" and "EU" not in names and "001" not in names
