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


@pytest.mark.parametrize(("header", "html", "text"), [
    ("ru-RU,ru;q=0.9", '<html lang="ru" dir="ltr">', "Сообщить о том, что произошло"),
    ("ar", '<html lang="ar" dir="rtl">', "أبلِغ عمّا حدث"),
    ("fa-IR", '<html lang="fa" dir="rtl">', "گزارش آنچه اتفاق افتاده"),
    ("az-Latn-AZ,az;q=0.9", '<html lang="az" dir="ltr">', "Nə baş verdiyini bildirin"),
    ("de", '<html lang="en" dir="ltr">', "Report what happened"),
])
def test_pages_declare_their_language_and_direction(client: TestClient, header: str,
                                                    html: str, text: str) -> None:
    page = client.get("/report", headers={"Accept-Language": header})
    assert html in page.text and text in page.text


def test_every_page_links_to_every_language(client: TestClient) -> None:
    page = client.get("/followup", headers={"Accept-Language": "tr"})
    for code, name in i18n.switcher():
        assert f'href="/language?lang={code}&amp;next=/followup"' in page.text
        assert name in page.text
    assert '<a href="/language?lang=tr&amp;next=/followup" lang="tr" hreflang="tr" ' \
           'aria-current="true">Türkçe</a>' in page.text


def test_the_chosen_language_is_kept_in_a_cookie_holding_only_its_code(
        client: TestClient) -> None:
    switched = client.get("/language", params={"lang": "es", "next": "/report"},
                          headers={"Accept-Language": "ru"}, follow_redirects=False)
    assert switched.status_code == 303 and switched.headers["location"] == "/report"
    cookie = switched.headers["set-cookie"]
    assert cookie.startswith("qalxan-lang=es;")
    assert "httponly" in cookie.lower() and "expires" not in cookie.lower()
    assert "max-age" not in cookie.lower()  # gone when the browser closes
    page = client.get("/report", headers={"Accept-Language": "ru"})
    assert '<html lang="es" dir="ltr">' in page.text


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil",
                                    "javascript:alert(1)", "/a/../b", ""])
def test_the_switcher_only_leads_back_to_this_site(client: TestClient, target: str) -> None:
    switched = client.get("/language", params={"lang": "fr", "next": target},
                          follow_redirects=False)
    assert switched.headers["location"] == "/"


def test_an_unknown_language_is_ignored(client: TestClient) -> None:
    switched = client.get("/language", params={"lang": "xx", "next": "/"},
                          follow_redirects=False)
    assert switched.status_code == 303 and "set-cookie" not in switched.headers
    client.cookies.set("qalxan-lang", "../../etc")
    assert '<html lang="en"' in client.get("/").text


def test_the_receipt_page_offers_no_link_away_from_the_code(client: TestClient,
                                                            intake_org: str) -> None:
    page = client.post("/report", data={"what_happened": "They threatened me."},
                       headers={"Accept-Language": "fa"})
    assert page.status_code == 200 and "کد رسید شما" in page.text
    assert "/language?" not in page.text


def test_country_names_come_from_the_locale_data() -> None:
    names = dict(i18n.territories("en"))
    assert names["AZ"] == "Azerbaijan" and "EU" not in names and "001" not in names
