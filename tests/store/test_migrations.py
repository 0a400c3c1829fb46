"""Migrations run up and down with data, and the head matches the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from qalxan.config import Settings
from qalxan.domain.enums import OrgKind
from qalxan.security.access import DEFENDER, SYSTEM
from qalxan.services import accounts, intake
from qalxan.services.context import Platform
from qalxan.services.schemas import ReportSubmission
from qalxan.store import schema
from qalxan.store.tables import Base


def test_head_matches_the_models(platform: Platform) -> None:
    with platform.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []
    assert schema.current_revision(platform.engine) == schema.head_revision()


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
