"""API fuzzing from the OpenAPI document: whatever arrives, no 5xx, every answer as the
document describes it (status, media type, headers, body schema, timestamps with their time
zone, 405 with ``Allow``, bearer authentication honoured), and nothing of another
organisation's cases in any answer."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import Case
from schemathesis.checks import (
    content_type_conformance,
    ignored_auth,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from qalxan.domain.enums import OrgKind, Role
from qalxan.security import crypto
from qalxan.security.access import DEFENDER, ROLE_PERMISSIONS, SYSTEM, TOKEN_SCOPES
from qalxan.services import accounts, intake, tokens
from qalxan.services.context import Platform
from qalxan.services.schemas import ReportSubmission, TokenInput, UserInput
from qalxan.store import schema as db_schema
from qalxan.store.db import make_engine
from qalxan.web.app import create_app
from tests.conftest import STAFF_PASSWORD, fast_settings

OTHER_ORG_SECRET = "OTHER-ORG-SECRET-5b1e"


@pytest.fixture(scope="module")
def fuzz_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[object, str]]:
    tmp: Path = tmp_path_factory.mktemp("fuzz")
    settings_ = fast_settings(tmp, f"sqlite:///{tmp / 'fuzz.db'}")
    settings_.data_dir.mkdir(parents=True)
    crypto.generate_instance_key(settings_.resolved_key_file())
    engine = make_engine(settings_.resolved_database_url())
    db_schema.upgrade(engine)
    platform = Platform(settings_, crypto.load_instance_key(settings_.resolved_key_file()), engine)
    yield create_app(platform), _seed(platform)
    platform.dispose()


def _seed(platform: Platform) -> str:
    """Org B has a case holding a secret; org A's handler (the fuzzer) must never see it."""
    org_b = platform.run(SYSTEM, accounts.create_organisation, "B", OrgKind.FUND, True)
    platform.run(DEFENDER, intake.submit_report, ReportSubmission(
        what_happened=OTHER_ORG_SECRET, defender_name=OTHER_ORG_SECRET))
    org_a = platform.run(SYSTEM, accounts.create_organisation, "A", OrgKind.HELPDESK)
    user, _ = platform.run(SYSTEM, accounts.create_user, UserInput(
        email="fuzz@example.org", display_name="f", role=Role.ADMIN, org_id=org_a),
        STAFF_PASSWORD)
    scopes = sorted(p.value for p in ROLE_PERMISSIONS[Role.ADMIN] if p.value in TOKEN_SCOPES)
    _, secret = platform.run(SYSTEM, tokens.create_token, TokenInput(name="f", scopes=scopes),
                             user.id)
    assert org_b
    return secret


def _operations(app: object) -> list[object]:
    api = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    return [result.ok() for result in api.get_all_operations()]


CONFORMANCE = [not_a_server_error, status_code_conformance, content_type_conformance,
               response_headers_conformance, response_schema_conformance, unsupported_method,
               ignored_auth]


def _check(case: Case, secret: str) -> None:
    response = case.call_and_validate(headers={"Authorization": f"Bearer {secret}"},
                                      checks=CONFORMANCE)
    label = f"{case.method} {case.formatted_path}"
    assert OTHER_ORG_SECRET not in response.text, label
    if response.status_code >= 400:
        assert response.headers["content-type"][0].startswith("application/problem+json"), label


def test_the_document_declares_bearer_auth_and_problem_answers(
        fuzz_app: tuple[object, str]) -> None:
    app, _ = fuzz_app
    doc = app.openapi()  # type: ignore[attr-defined]
    assert doc["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    cases = doc["paths"]["/api/v1/cases"]["get"]
    assert cases["security"] == [{"bearerAuth": []}]
    assert "security" not in doc["paths"]["/api/v1/health"]["get"]
    for status in ("401", "403", "422", "429"):
        assert "application/problem+json" in cases["responses"][status]["content"]


def test_no_server_error_and_no_cross_organisation_leak(fuzz_app: tuple[object, str]) -> None:
    app, secret = fuzz_app
    operations = _operations(app)
    assert len(operations) >= 15
    for operation in operations:

        @given(case=operation.as_strategy())  # type: ignore[attr-defined]
        @settings(max_examples=12, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def run(case: Case) -> None:
            _check(case, secret)

        run()
