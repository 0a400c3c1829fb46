"""Bidirectional controls in someone else's text cannot rearrange a page.

A right-to-left override (U+202E) shows ``invoice<U+202E>gnp.exe`` as "invoiceexe.png" and
turns the rest of its line around. Every string someone else wrote is isolated (``<bdi>``, or
``dir="auto"`` on its block), and names judged by their look show the control visibly.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import ClassVar

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from qalxan.services.context import Platform
from qalxan.store.tables import Case, Evidence
from qalxan.web.app import create_app
from qalxan.web.ui.bidi import BIDI_CONTROLS, isolate, shown_name, visible_controls
from tests.conftest import Staff
from tests.web.test_ui_defender import PNG, RECEIPT, REPORT
from tests.web.test_ui_staff import sign_in

RLO = "\u202e"
SPOOFED = f"invoice{RLO}gnp.exe"


@pytest.fixture
def client(platform: Platform, intake_org: str) -> Iterator[TestClient]:
    with TestClient(create_app(platform), base_url="http://testserver") as test_client:
        yield test_client


class _Isolation(HTMLParser):
    """Records each text run holding a bidirectional control and whether it sits inside an
    isolating element (``<bdi>``, or an element of the page with a ``dir`` attribute)."""

    VOID: ClassVar[frozenset[str]] = frozenset(
        {"br", "img", "input", "meta", "link", "hr", "source", "wbr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []
        self.runs: list[tuple[str, bool]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.VOID:
            for name, value in attrs:
                if name == "value" and value and BIDI_CONTROLS.search(value):
                    self.runs.append((value, True))  # a form control isolates its value
            return
        isolating = tag in ("bdi", "textarea", "title") or (
            tag != "html" and any(n == "dir" for n, _ in attrs))  # the page's own direction
        self.stack.append(isolating)

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if BIDI_CONTROLS.search(data):
            self.runs.append((data, any(self.stack)))


def assert_isolated(html: str) -> list[str]:
    """Every bidirectional control on the page sits inside an isolating element."""
    parser = _Isolation()
    parser.feed(html)
    loose = [text for text, isolated in parser.runs if not isolated]
    assert not loose, f"bidirectional controls outside an isolate: {loose!r}"
    return [text for text, _ in parser.runs]


def test_a_right_to_left_override_cannot_spoof_the_case_page(
        client: TestClient, platform: Platform, handler: Staff) -> None:
    """Review finding 19a: a file name with U+202E shows the control as a visible marker
    (it does not read as a picture), the report's text with an override is isolated so the
    rest of the line keeps its order, and the file downloads under a safe name."""
    report = {**REPORT, "what_happened": f"They wrote {RLO}this reversed and threatened me.",
              "who_affected": f"my brother {RLO}and me",
              "links": f"https://example.org/{RLO}post/1"}
    sent = client.post("/report", data=report, files=[("files", (SPOOFED, PNG, "image/png"))])
    assert sent.status_code == 200 and RECEIPT.search(sent.text)
    with platform.sessions() as s:
        case_id = s.execute(select(Case.id)).scalar_one()
        file_id = s.execute(select(Evidence.id).where(Evidence.kind == "file")).scalar_one()
    sign_in(client, handler)
    page = client.get(f"/cases/{case_id}")
    assert page.status_code == 200
    assert SPOOFED not in page.text  # never the raw spoof
    assert '<bdi class="name">invoice⟨U+202E⟩gnp.exe</bdi>' in page.text
    assert "https://example.org/⟨U+202E⟩post/1" in page.text
    runs = assert_isolated(page.text)
    assert any("reversed" in run for run in runs) and any("brother" in run for run in runs)
    download = client.get(f"/evidence/{file_id}/download")
    assert download.status_code == 200
    disposition = download.headers["content-disposition"]
    assert disposition == f'attachment; filename="evidence-{file_id}"' and disposition.isascii()


def test_a_right_to_left_override_stays_inside_the_defenders_own_message(
        client: TestClient) -> None:
    """Review finding 19a, defender's side: the follow-up thread isolates each message."""
    sent = client.post("/report", data=REPORT)
    code = RECEIPT.search(sent.text)
    assert code is not None
    added = client.post("/followup/add", data={
        "receipt_code": code.group(0), "text": f"More: {RLO}they came to my door"})
    assert added.status_code == 200
    assert any("they came" in run for run in assert_isolated(added.text))


@pytest.mark.parametrize(("text", "shown"), [
    (SPOOFED, "invoice⟨U+202E⟩gnp.exe"),
    ("a\u2066b\u2069c\u200fd\u061ce", "a⟨U+2066⟩b⟨U+2069⟩c⟨U+200F⟩d⟨U+061C⟩e"),
    ("سلام report.pdf", "سلام report.pdf"),  # right-to-left letters are not controls
])
def test_bidirectional_controls_in_names_are_shown_not_obeyed(text: str, shown: str) -> None:
    """Review finding 19a: each control becomes a visible marker; letters stay."""
    assert visible_controls(text) == shown
    assert shown_name(text) == f'<bdi class="name">{shown}</bdi>'
    assert isolate("<b>x</b>") == "<bdi>&lt;b&gt;x&lt;/b&gt;</bdi>"
    assert not re.search(BIDI_CONTROLS, str(shown_name(text)))
