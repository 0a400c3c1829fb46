"""Migrations run up and down with data, and the head matches the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from qalxan.config import Settings
from qalxan.domain.enums import CaseStatus, OrgKind, Outcome
from qalxan.security.access import ANONYMOUS, DEFENDER, SYSTEM
from qalxan.services import accounts, audit_log, auth, cases, intake, reviews
from qalxan.services.context import Platform
from qalxan.services.schemas import ReportSubmission, ReviewInput, StatusChange
from qalxan.store import schema
from qalxan.store.tables import Base
from tests.conftest import Staff

REVISIONS = ["0001", "0002", "0003", "0004", "0005", "0006", "0007", "0009"]


def test_head_matches_the_models(platform: Platform) -> None:
    with platform.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []
    assert schema.current_revision(platform.engine) == schema.head_revision() == REVISIONS[-1]


def test_each_step_down_and_up_keeps_the_data(platform: Platform, intake_org: str,
                                              handler: Staff) -> None:
    platform.run(DEFENDER, intake.submit_report, ReportSubmission(what_happened="kept"))
    sign_in = platform.run(ANONYMOUS, auth.sign_in, handler.email, handler.password, "a")
    for revision in reversed(REVISIONS[:-1]):
        schema.downgrade(platform.engine, revision)
        with platform.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM cases")).scalar_one() == 1
            assert conn.execute(text("SELECT count(*) FROM sessions")).scalar_one() == 1
    schema.upgrade(platform.engine)
    assert platform.run(DEFENDER, auth.resolve_session, sign_in.token).actor.user_id == handler.id
    assert platform.run(SYSTEM, audit_log.verify_chain).ok


def test_reviews_go_down_with_their_table_and_come_back_empty(
        platform: Platform, intake_org: str) -> None:
    """0006 adds the defenders' reviews: below it they are gone, the cases stay."""
    receipt = platform.run(DEFENDER, intake.submit_report, ReportSubmission(what_happened="r"))
    with platform.engine.connect() as conn:
        case_id = conn.execute(text("SELECT id FROM cases")).scalar_one()
    closed = StatusChange(status=CaseStatus.CLOSED, outcome=Outcome.SUPPORTED)
    platform.run(SYSTEM, cases.change_status, case_id, closed)
    platform.run(DEFENDER, reviews.submit_review, receipt.receipt_code, ReviewInput(rating=5))
    schema.downgrade(platform.engine, "0005")
    assert "defender_reviews" not in inspect(platform.engine).get_table_names()
    schema.upgrade(platform.engine)
    assert platform.run(DEFENDER, reviews.review_by_receipt, receipt.receipt_code) is None
    platform.run(DEFENDER, reviews.submit_review, receipt.receipt_code, ReviewInput(rating=3))
    assert platform.run(SYSTEM, audit_log.verify_chain).ok


def test_down_and_up_again_with_data(platform: Platform, intake_org: str,
                                     settings: Settings) -> None:
    platform.run(DEFENDER, intake.submit_report, ReportSubmission(what_happened="x"))
    schema.downgrade(platform.engine, "base")
    assert "cases" not in inspect(platform.engine).get_table_names()
    schema.upgrade(platform.engine)
    with platform.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM cases")).scalar_one() == 0
    platform.run(SYSTEM, accounts.create_organisation, "Again", OrgKind.HELPDESK, True)
    platform.run(DEFENDER, intake.submit_report, ReportSubmission(what_happened="y"))
