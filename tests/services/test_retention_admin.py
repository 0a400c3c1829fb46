"""Retention for admins: every real purge run leaves one ``retention.run`` audit event with its
counts (a dry run leaves none), which the status shows with the periods in force."""

from __future__ import annotations

import pytest

from qalxan.errors import PermissionDenied
from qalxan.security.access import SYSTEM
from qalxan.services import retention, retention_admin
from qalxan.services.context import Platform
from tests.conftest import Staff, StaffFactory


def test_a_dry_run_is_not_a_run(platform: Platform, admin: Staff) -> None:
    platform.run(SYSTEM, retention.purge, True)
    assert platform.run(admin.actor, retention_admin.retention_status).last_run is None


def test_the_status_shows_the_last_scheduled_run_and_every_period(
        platform: Platform, admin: Staff) -> None:
    platform.run(SYSTEM, retention.purge)
    status = platform.run(admin.actor, retention_admin.retention_status)
    assert status.last_run is not None and status.last_run.actor == "system"
    counts = status.last_run.counts
    assert {"cases", "login_attempts", "sessions", "idempotency_keys"} <= set(counts)
    assert set(counts.values()) == {"0"}
    settings = {p.setting: p.days for p in status.periods}
    assert settings["QALXAN_RETENTION_CLOSED_CASE_DAYS"] == \
        platform.settings.retention_closed_case_days
    assert all(p.description for p in status.periods)
    assert status.interval_minutes == platform.settings.purge_interval_minutes


def test_admins_of_partner_organisations_may_not_purge(
        platform: Platform, admin: Staff, make_staff: StaffFactory, other_org: str) -> None:
    partner = make_staff(admin.actor.role, other_org)
    with pytest.raises(PermissionDenied):
        platform.run(partner.actor, retention_admin.run_purge)
    assert platform.run(admin.actor, retention_admin.run_purge).dry_run is False
