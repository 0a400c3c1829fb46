"""Pure helpers of the pages: span highlighting, the same-origin check for public forms,
form parsing, and the TOTP set-up key as text and QR code.
"""

from __future__ import annotations

import pytest
from starlette.datastructures import FormData, Headers
from starlette.requests import Request

from qalxan.errors import PermissionDenied
from qalxan.services.schemas import ReportSubmission
from qalxan.web.ui import forms
from qalxan.web.ui.highlight import excerpts, highlight
from qalxan.web.ui.origin import require_same_origin
from qalxan.web.ui.qr import grouped, qr_svg


def test_highlight_marks_each_span_and_escapes_everything_else() -> None:
    html = str(highlight("<b>call</b> me at 555-0100 & bye", [[15, 23], [0, 3]]))
    assert html == "<mark>&lt;b&gt;</mark>call&lt;/b&gt; me <mark>at 555-0</mark>100 &amp; bye"


def test_highlight_merges_overlaps_and_ignores_spans_outside_the_text() -> None:
    assert str(highlight("abcdef", [[1, 3], [2, 4], [10, 12], [5, 5], [-3, 1]])) == \
        "<mark>abcd</mark>ef"  # touching and overlapping spans become one
    assert str(highlight(None, [[0, 4]])) == ""


def test_excerpts_show_context_and_group_nearby_spans() -> None:
    text = "x" * 100 + "THREAT" + "y" * 10 + "HOME" + "z" * 200
    (only,) = excerpts(text, [[100, 106], [116, 120]])
    assert str(only).startswith("…") and str(only).endswith("…")
    assert str(only).count("<mark>") == 2
    assert len(excerpts(text, [[0, 2], [300, 310]])) == 2


def test_excerpts_are_cut_between_words_not_inside_them() -> None:
    text = ("The neighbours told everyone that the journalist lives at 12 Nizami street "
            "behind the green gate and leaves every morning at seven for the office downtown")
    start = text.index("12 Nizami")
    (only,) = excerpts(text, [[start, start + len("12 Nizami street")]])
    shown = str(only).removeprefix("…").removesuffix("…").replace("<mark>", "")
    shown = shown.replace("</mark>", "")
    assert shown in text
    before, after = text[:text.index(shown)], text[text.index(shown) + len(shown):]
    assert before.endswith(" ") and after.startswith(" ")  # whole words at both ends
    assert len(excerpts("x" * 200 + "THREAT" + "y" * 200, [[200, 206]])[0]) > 80  # no spaces


def _request(**headers: str) -> Request:
    raw = Headers({"host": "qalxan.example", **headers}).raw
    return Request({"type": "http", "method": "POST", "path": "/report", "headers": raw})


@pytest.mark.parametrize("headers", [
    {}, {"origin": "null"}, {"origin": "https://qalxan.example"},
    {"sec-fetch-site": "same-origin", "origin": "null"}, {"sec-fetch-site": "none"},
    {"sec-fetch-site": "same-origin", "origin": "https://public.example"},  # Host rewritten
    {"referer": "https://qalxan.example/report"},
])
def test_same_origin_posts_are_accepted(headers: dict[str, str]) -> None:
    require_same_origin(_request(**headers))


@pytest.mark.parametrize("headers", [
    {"origin": "https://evil.example"}, {"sec-fetch-site": "cross-site"},
    {"sec-fetch-site": "same-site"}, {"referer": "https://evil.example/x"},
    {"origin": "https://qalxan.example.evil.example"},
])
def test_cross_site_posts_are_refused(headers: dict[str, str]) -> None:
    with pytest.raises(PermissionDenied):
        require_same_origin(_request(**headers))


def test_form_values_become_the_report_model() -> None:
    links = "https://a.example\n\n https://b.example "
    form = FormData([("what_happened", " text "), ("threat_types", "doxing"),
                     ("threat_types", "smear"), ("links", links), ("consent_to_share", "yes"),
                     ("country", "az"), ("defender_name", "  ")])
    values = forms.form_values(form, forms.REPORT_FIELDS)
    report = forms.validate(ReportSubmission, values)
    assert isinstance(report, ReportSubmission)
    assert report.links == ["https://a.example", "https://b.example"]
    assert report.consent_to_share and report.country == "AZ" and report.defender_name is None


def test_invalid_values_give_messages_per_field_without_the_values() -> None:
    form = FormData([("what_happened", ""), ("threat_types", "<nonsense>"), ("country", "XYZ")])
    parsed = forms.validate(ReportSubmission, forms.form_values(form, forms.REPORT_FIELDS))
    assert isinstance(parsed, forms.ParsedForm)
    assert set(parsed.errors) == {"what_happened", "threat_types", "country"}
    assert not any("nonsense" in message for message in parsed.errors.values())


def test_totp_key_is_grouped_and_drawn_without_inline_style() -> None:
    assert grouped("JBSWY3DPEHPK3PXP") == "JBSW Y3DP EHPK 3PXP"
    svg = str(qr_svg("otpauth://totp/Qalxan:a%40example.org?secret=JBSWY3DPEHPK3PXP"))
    assert svg.startswith("<svg") and "style" not in svg and "<script" not in svg


def test_the_same_finding_on_the_same_words_is_shown_once() -> None:
    from types import SimpleNamespace

    from qalxan.web.ui.queue import distinct_findings

    texts = {"i1": "I will kill you, journalist", "e1": "they wrote: i will KILL you, journalist"}
    threat = {"code": "harassment.threat", "detector": "abuse", "explanation": "threat words"}
    detail = SimpleNamespace(findings=[
        {**threat, "incident_id": "i1", "spans": [[0, 15]], "score": 0.8, "physical_risk": True},
        {**threat, "evidence_id": "e1", "spans": [[12, 27]], "score": 0.9},
        {**threat, "incident_id": "i1", "spans": [[17, 27]], "score": 0.5},  # other words
        {"code": "smear", "detector": "smear", "explanation": "foreign agent", "score": 0.6},
        {"code": "smear", "detector": "smear", "explanation": "foreign agent", "score": 0.7},
    ])
    shown = distinct_findings(detail, texts)  # type: ignore[arg-type]
    assert len(shown) == 3
    first = shown[0]
    assert first["score"] == 0.9 and first["physical_risk"] is True
    assert [f["score"] for f in shown[1:]] == [0.5, 0.7]
