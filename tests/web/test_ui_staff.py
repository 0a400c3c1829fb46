"""Staff pages: sign-in with password and TOTP (and enrolment), the queue, the case page and
its forms, CSRF protection, and HTML errors that leave the API's problem documents alone.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from qalxan.domain.enums import Role
from qalxan.security import two_factor
from qalxan.security.access import DEFENDER, SYSTEM
from qalxan.services import accounts, intake
from qalxan.services.context import Platform
from qalxan.services.demo import DEMO_REPORTS, load_demo_data
from qalxan.services.schemas import ReportSubmission, UserInput
from qalxan.store.tables import AuditEvent, Case, Note
from qalxan.web.app import create_app
from tests.conftest import Staff, StaffFactory

TEXT = ("They posted my home address, Nizami street 12, Baku, and my phone +994 50 123 45 67. "
        "I will kill you, they wrote.")
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def client(platform: Platform, intake_org: str) -> Iterator[TestClient]:
    with TestClient(create_app(platform), base_url="http://testserver") as test_client:
        yield test_client


@pytest.fixture
def case_id(platform: Platform, intake_org: str) -> str:
    platform.run(DEFENDER, intake.submit_report,
                 ReportSubmission(what_happened=TEXT, threat_types=["doxing"], country="AZ"))
    with platform.sessions() as session:
        return str(session.execute(select(Case.id)).scalar_one())


def _csrf(html: str) -> str:
    found = CSRF.search(html)
    assert found is not None
    return found.group(1)


def sign_in(client: TestClient, staff: Staff, at: float | None = None) -> str:
    """Password, then TOTP; returns the session's CSRF token."""
    first = client.post("/login", data={"email": staff.email, "password": staff.password},
                        follow_redirects=False)
    assert first.status_code == 303 and first.headers["location"] == "/login/totp"
    csrf = _csrf(client.get("/login/totp").text)
    second = client.post("/login/totp", follow_redirects=False, data={
        "csrf_token": csrf, "code": two_factor.current_code(staff.totp_secret, at)})
    home = "/dashboard" if staff.actor.role == Role.MISSION_OBSERVER else "/cases"
    assert second.status_code == 303 and second.headers["location"] == home
    return _csrf(client.get("/account/sessions").text)  # a new session, a new form token


def _notes(platform: Platform) -> int:
    with platform.sessions() as session:
        return int(session.execute(select(func.count()).select_from(Note)).scalar_one())


def test_sign_in_with_password_and_totp_then_the_queue_lists_the_case(
        client: TestClient, handler: Staff, case_id: str) -> None:
    sign_in(client, handler)
    cookie = client.cookies.get("qalxan")
    assert cookie
    queue = client.get("/cases")
    assert queue.status_code == 200
    assert f'href="/cases/{case_id}"' in queue.text
    assert "physical risk" in queue.text
    assert "<script" not in queue.text.lower() and "style=" not in queue.text.lower()
    filtered = client.get("/cases", params={"status": "closed"})
    assert f'href="/cases/{case_id}"' not in filtered.text


def test_queue_marks_demo_cases_and_pages_through_them(client: TestClient, platform: Platform,
                                                       handler: Staff) -> None:
    load_demo_data(platform)
    sign_in(client, handler)
    first = client.get("/cases", params={"limit": 2})
    assert first.text.count('class="badge demo"') == 2
    assert 'rel="next"' in first.text and 'rel="prev"' not in first.text
    last = client.get("/cases", params={"limit": 2, "offset": len(DEMO_REPORTS) - 1})
    assert 'rel="prev"' in last.text and 'rel="next"' not in last.text
    assert client.get("/cases", params={"limit": "many"}).status_code == 422


def test_the_demo_gives_every_monitoring_page_something_to_show(
        client: TestClient, platform: Platform, admin: Staff) -> None:
    load_demo_data(platform)
    sign_in(client, admin)
    watchlist, sources, alerts = (client.get(p).text
                                  for p in ("/watchlist", "/monitor/sources", "/alerts"))
    assert "1 open alert" in watchlist or 'href="/watchlist/' in watchlist
    assert "[DEMO] public posts" in sources
    alert = re.search(r'href="(/alerts/[0-9a-f-]{36})"', alerts)
    assert alert is not None
    page = client.get(alert.group(1)).text
    assert "[DEMO]" in page and "foreign agent" in page


def test_roles_without_the_permission_get_a_refusal_page(
        client: TestClient, platform: Platform, make_staff: StaffFactory, intake_org: str,
        case_id: str) -> None:
    observer = make_staff(Role.MISSION_OBSERVER, intake_org)
    sign_in(client, observer)  # lands on the dashboard, with no link to the queue
    assert 'href="/cases"' not in client.get("/dashboard").text
    refused = client.get("/cases")
    assert refused.status_code == 403 and "text/html" in refused.headers["content-type"]
    with TestClient(create_app(platform)) as other:
        csrf = sign_in(other, make_staff(Role.ANALYST, intake_org))
        change = other.post(f"/cases/{case_id}/status",
                            data={"csrf_token": csrf, "status": "triage"})
        assert change.status_code == 403
    with platform.sessions() as session:
        assert session.get_one(Case, case_id).status == "new"


def test_session_cookie_is_httponly_and_strict(client: TestClient, handler: Staff) -> None:
    response = client.post("/login", data={"email": handler.email, "password": handler.password},
                           follow_redirects=False)
    header = response.headers["set-cookie"].lower()
    assert "httponly" in header and "samesite=strict" in header and "path=/" in header


def test_a_replayed_totp_code_is_refused(client: TestClient, platform: Platform,
                                         handler: Staff) -> None:
    sign_in(client, handler)
    with TestClient(create_app(platform)) as other:
        other.post("/login", data={"email": handler.email, "password": handler.password})
        csrf = _csrf(other.get("/login/totp").text)
        replay = other.post("/login/totp", data={
            "csrf_token": csrf, "code": two_factor.current_code(handler.totp_secret)})
        assert replay.status_code == 401
        assert other.get("/cases", follow_redirects=False).headers["location"] == "/login"


def test_a_wrong_password_is_refused_without_a_session(client: TestClient,
                                                       handler: Staff) -> None:
    response = client.post("/login", data={"email": handler.email, "password": "wrong" * 4})
    assert response.status_code == 401
    assert "set-cookie" not in response.headers


def test_pages_need_a_session(client: TestClient, case_id: str) -> None:
    for path in ("/cases", f"/cases/{case_id}"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/login"
    api = client.get("/api/v1/cases")
    assert api.status_code == 401
    assert api.headers["content-type"].startswith("application/problem+json")


def test_case_page_shows_findings_with_the_triggering_words_marked(
        client: TestClient, handler: Staff, case_id: str) -> None:
    sign_in(client, handler)
    page = client.get(f"/cases/{case_id}")
    assert page.status_code == 200
    assert "<mark>" in page.text and "harassment.threat" in page.text
    assert "Physical risk" in page.text
    scripts = re.findall(r"<script[^>]*>", page.text.lower())
    assert scripts == ['<script src="/static/vendor/htmx-2.0.11.min.js" defer>']  # none inline
    assert "style=" not in page.text.lower()


def test_report_text_is_escaped_on_the_case_page(client: TestClient, platform: Platform,
                                                 handler: Staff) -> None:
    platform.run(DEFENDER, intake.submit_report, ReportSubmission(
        what_happened='<script>alert(1)</script><img src=x onerror="x()"> I will kill you'))
    sign_in(client, handler)
    queue = client.get("/cases").text
    found = re.search(r'href="(/cases/[^"]+)"', queue)
    assert found is not None
    page = client.get(found.group(1)).text
    assert "&lt;script&gt;" in page and "&lt;img src=x" in page  # words inside may be marked
    assert "<script>" not in page and "<img" not in page


def test_case_forms_change_the_case_and_redirect_back(client: TestClient, platform: Platform,
                                                      handler: Staff, case_id: str) -> None:
    csrf = sign_in(client, handler)
    back = f"/cases/{case_id}"
    posts = [("status", {"status": "triage"}), ("assignment", {"assignee": "me"}),
             ("notes", {"text": "We will call you on Signal.", "kind": "reply"}),
             ("referrals", {"kind": "resource", "mechanism": "Digital security guide"}),
             ("evidence", {"kind": "url", "content": "https://example.org/p/9"})]
    for action, data in posts:
        response = client.post(f"{back}/{action}", data={"csrf_token": csrf, **data},
                               follow_redirects=False)
        assert response.status_code == 303, (action, response.text)
        assert response.headers["location"].startswith(back)
    upload = client.post(f"{back}/evidence/files", data={"csrf_token": csrf},
                         files=[("files", ("a.png", PNG, "image/png"))], follow_redirects=False)
    assert upload.status_code == 303
    page = client.get(back).text
    assert "We will call you on Signal." in page and "Digital security guide" in page
    link = re.search(r'href="(/evidence/[^"]+/download)"', page)
    assert link is not None
    download = client.get(link.group(1))
    assert download.content == PNG
    assert download.headers["content-disposition"].startswith("attachment")


def test_a_post_without_or_with_a_wrong_csrf_token_changes_nothing(
        client: TestClient, platform: Platform, handler: Staff, case_id: str) -> None:
    sign_in(client, handler)
    before = _notes(platform)
    for data in ({}, {"csrf_token": "forged"}):
        response = client.post(f"/cases/{case_id}/notes", data={"text": "x", **data},
                               follow_redirects=False)
        assert response.status_code == 403
        assert "text/html" in response.headers["content-type"]
    assert _notes(platform) == before


def test_an_invalid_transition_shows_an_error_page(client: TestClient, handler: Staff,
                                                   case_id: str) -> None:
    csrf = sign_in(client, handler)
    response = client.post(f"/cases/{case_id}/status",
                           data={"csrf_token": csrf, "status": "resolved"})
    assert response.status_code == 409
    assert "<h1>" in response.text and "cannot go from new to resolved" in response.text
    assert f'href="/cases/{case_id}"' in response.text  # back to the case


def test_unknown_pages_get_an_html_404(client: TestClient) -> None:
    response = client.get("/no/such/page")
    assert response.status_code == 404 and "text/html" in response.headers["content-type"]


def test_first_sign_in_enrols_totp_then_changes_the_password_in_one_round(
        client: TestClient, platform: Platform, intake_org: str) -> None:
    """Issue 14, item 4: the one-time password, enrolment and the new password in one
    round: no second sign-in, no wait for a fresh code; other sessions end."""
    user, one_time = platform.run(SYSTEM, accounts.create_user, UserInput(
        email="new@example.org", display_name="New", role=Role.CASE_HANDLER, org_id=intake_org))
    first = client.post("/login", data={"email": user.email, "password": one_time},
                        follow_redirects=False)
    assert first.headers["location"] == "/account/totp"
    assert client.get("/cases", follow_redirects=False).headers["location"] == "/login"
    enrol = client.get("/account/totp")
    assert "<svg" in enrol.text and "otpauth://" in enrol.text
    secret = re.search(r'<p class="secret"><code>([A-Z2-7 ]+)</code>', enrol.text)
    assert secret is not None
    code = two_factor.current_code(secret.group(1).replace(" ", ""))
    done = client.post("/account/totp", data={"csrf_token": _csrf(enrol.text), "code": code},
                       follow_redirects=False)
    assert done.headers["location"] == "/account/password"
    with TestClient(create_app(platform), base_url="http://testserver") as elsewhere:
        elsewhere.post("/login", data={"email": user.email, "password": one_time})
        form = client.get("/account/password")
        before = client.cookies.get("qalxan")
        new = "a much better passphrase for me"
        changed = client.post("/account/password", follow_redirects=False, data={
            "csrf_token": _csrf(form.text), "current_password": one_time,
            "new_password": new, "repeat_password": new})
        assert changed.headers["location"] == "/cases"
        assert client.cookies.get("qalxan") not in (None, before)
        assert client.get("/cases").status_code == 200  # signed in still
        assert elsewhere.get("/login/totp", follow_redirects=False).headers["location"] \
            == "/login"  # the other session has ended
    client.cookies.clear()
    again = client.post("/login", data={"email": user.email, "password": new},
                        follow_redirects=False)
    assert again.headers["location"] == "/login/totp"


def test_a_wrong_enrolment_code_asks_again_without_a_new_key(
        client: TestClient, platform: Platform, intake_org: str) -> None:
    user, one_time = platform.run(SYSTEM, accounts.create_user, UserInput(
        email="late@example.org", display_name="Late", role=Role.ANALYST, org_id=intake_org))
    client.post("/login", data={"email": user.email, "password": one_time})
    enrol = client.get("/account/totp")
    wrong = client.post("/account/totp", data={"csrf_token": _csrf(enrol.text), "code": "000000"})
    assert wrong.status_code == 422
    assert 'class="secret"' not in wrong.text and 'name="code"' in wrong.text
    assert client.get("/cases", follow_redirects=False).headers["location"] == "/login"


def test_sign_out_ends_the_session(client: TestClient, handler: Staff) -> None:
    csrf = sign_in(client, handler)
    assert client.get("/login", follow_redirects=False).headers["location"] == "/cases"
    out = client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False)
    assert out.status_code == 303
    assert client.get("/cases", follow_redirects=False).headers["location"] == "/login"


def test_forms_sent_by_htmx_get_the_section_or_the_error_in_place(
        client: TestClient, handler: Staff, case_id: str) -> None:
    csrf = sign_in(client, handler)
    hx = {"HX-Request": "true"}
    done = client.post(f"/cases/{case_id}/status", data={"csrf_token": csrf, "status": "triage"},
                       headers=hx)
    assert done.status_code == 200 and 'id="status"' in done.text  # the case page, redirected
    refused = client.post(f"/cases/{case_id}/status", headers=hx,
                          data={"csrf_token": csrf, "status": "resolved"})
    assert refused.status_code == 409 and refused.headers["hx-retarget"] == "#main"
    assert refused.headers["hx-reselect"] == "#main"
    client.cookies.clear()
    expired = client.post(f"/cases/{case_id}/notes", data={"text": "x"}, headers=hx,
                          follow_redirects=False)
    assert expired.headers["hx-redirect"] == "/login"


def test_the_vendored_htmx_is_the_pinned_release() -> None:
    static = Path(__file__).resolve().parents[2] / "src/qalxan/web/ui/static/vendor"
    digest = hashlib.sha256((static / "htmx-2.0.11.min.js").read_bytes()).hexdigest()
    assert digest == "d6fdc75f204e6bdefa99b69bf1e6d4ac69b8a364f77929f45c13476b4000f717"
    assert "Zero-Clause BSD" in (static / "htmx-LICENSE.txt").read_text()


def test_admins_see_the_audit_log_with_its_verification_status(
        client: TestClient, admin: Staff, handler: Staff, case_id: str) -> None:
    sign_in(client, admin)
    page = client.get("/audit")
    assert page.status_code == 200 and "The audit trail is intact" in page.text
    assert "case.create" in page.text and 'href="/audit"' in page.text
    assert "They posted my home address" not in page.text  # ids and codes only
    assert client.get("/audit", params={"before": 0}).status_code == 422


def test_the_audit_log_is_for_admins_only(client: TestClient, handler: Staff) -> None:
    sign_in(client, handler)
    assert 'href="/audit"' not in client.get("/cases").text
    assert client.get("/audit").status_code == 403


def test_a_tampered_audit_trail_is_shown_as_broken(client: TestClient, platform: Platform,
                                                   admin: Staff, case_id: str) -> None:
    with platform.sessions() as session, session.begin():
        first = session.execute(select(AuditEvent).order_by(AuditEvent.seq)).scalars().first()
        assert first is not None
        first.actor = "someone-else"
    sign_in(client, admin)
    page = client.get("/audit")
    assert page.status_code == 200 and "The audit trail is broken at event" in page.text
