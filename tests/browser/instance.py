"""A real Qalxan instance for the browser tests: ``qalxan init``'s set-up in a fresh data
directory, two case handlers with enrolled TOTP, and ``qalxan serve`` on a free loopback port.

The server keeps its default secure cookies (``__Host-`` session cookie with ``Secure``):
Chromium treats http://127.0.0.1 as a secure context and accepts them there, so the tests
run the cookie settings production runs.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from qalxan.config import Settings
from qalxan.domain.enums import CaseStatus, Outcome, Role
from qalxan.monitoring.monitor import Monitor
from qalxan.security import two_factor
from qalxan.security.access import SYSTEM, Actor
from qalxan.services import accounts, cases, instance, monitor, receipts, watchlists
from qalxan.services.context import Platform
from qalxan.services.monitoring_schemas import SourceInput, WatchEntryInput
from qalxan.services.schemas import StatusChange, UserInput
from qalxan.store.tables import Alert, Case, Organisation
from tests.services.test_monitoring import burst
from tests.serving import Server, instance_env

PASSWORD = "a long passphrase for browser tests"


@dataclass(frozen=True)
class StaffLogin:
    email: str
    password: str
    totp_secret: str

    def code(self) -> str:
        return two_factor.current_code(self.totp_secret)


@dataclass
class Instance:
    server: Server
    data_dir: Path
    journey_handler: StaffLogin  # signs in once, in the end-to-end journey
    page_handler: StaffLogin  # signs in once per test session, for the page checks
    admin: StaffLogin  # signs in once per test session, for the admin pages

    @property
    def url(self) -> str:
        return self.server.url

    def stop(self) -> None:
        self.server.stop()

    def log_tail(self) -> str:
        return self.server.log_tail()

    def close_case(self, receipt: str) -> None:
        """Close the case of a receipt code, as a handler does once the help is over (the
        defender may then review it)."""
        platform = instance.open_platform(_settings(self.data_dir))
        try:
            digest = platform.keyring.receipt_digest(receipts.normalise(receipt) or "")
            with platform.sessions() as session:
                case_id = session.execute(select(Case.id).where(
                    Case.receipt_digest == digest)).scalar_one()
            platform.run(SYSTEM, cases.change_status, case_id, StatusChange(
                status=CaseStatus.CLOSED, outcome=Outcome.SUPPORTED))
        finally:
            platform.dispose()

    def raise_alert(self, folder: Path) -> dict[str, str]:
        """Watch for a defender and read a burst of smears about her from a dump file once,
        as ``qalxan monitor run`` does: the alert's and the watch-list entry's ids."""
        dump = folder / "posts.jsonl"
        dump.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in burst()),
                        encoding="utf-8")
        platform = instance.open_platform(_settings(self.data_dir))
        try:
            org_id = _intake_org(platform)
            entry = platform.run(SYSTEM, watchlists.add_entry, WatchEntryInput(
                names=["Aysel Məmmədova"], handles=["@aysel_m"]), org_id)
            platform.run(SYSTEM, monitor.add_source, SourceInput(
                kind="jsonl", name="smears", params={"path": str(dump)}), org_id)
            Monitor(platform).run_once()
            with platform.sessions() as session:
                alert_id = session.execute(select(Alert.id).where(
                    Alert.entry_id == entry.id)).scalar_one()
            return {"alert": alert_id, "entry": entry.id}
        finally:
            platform.dispose()


def _intake_org(platform: Platform) -> str:
    with platform.sessions() as session:
        return str(session.execute(select(Organisation.id).where(
            Organisation.accepts_intake.is_(True))).scalar_one())


def _settings(data_dir: Path) -> Settings:
    return Settings(data_dir=data_dir, database_url=None, argon2_time_cost=1,
                    argon2_memory_kib=8, argon2_parallelism=1)


def _add_staff(settings: Settings, email: str, role: Role = Role.CASE_HANDLER) -> StaffLogin:
    platform = instance.open_platform(settings)
    try:
        with platform.sessions() as session:
            org_id = session.execute(select(Organisation.id).where(
                Organisation.accepts_intake.is_(True))).scalar_one()
        view, _ = platform.run(SYSTEM, accounts.create_user, UserInput(
            email=email, display_name="Staff", role=role, org_id=org_id), PASSWORD)
        actor = Actor(kind="user", user_id=view.id, org_id=org_id, role=role)
        secret, _uri = platform.run(actor, accounts.begin_totp_enrolment)
        earlier = two_factor.current_code(secret, time.time() - 30)  # leaves "now" unused
        platform.run(actor, accounts.confirm_totp_enrolment, earlier)
        return StaffLogin(email, PASSWORD, secret)
    finally:
        platform.dispose()


def start(root: Path) -> Instance:
    """Set up a fresh instance under ``root`` and serve it; the caller stops it."""
    data_dir = root / "data"
    settings = _settings(data_dir)
    instance.initialise(settings, "admin@example.org", "Helpdesk")
    journey = _add_staff(settings, "journey@example.org")
    pages = _add_staff(settings, "pages@example.org")
    admin = _add_staff(settings, "admin2@example.org", Role.ADMIN)
    server = Server(instance_env(data_dir), root / "server.log")
    server.start()
    return Instance(server, data_dir, journey, pages, admin)
