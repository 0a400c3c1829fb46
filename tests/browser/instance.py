"""A real Qalxan instance for the browser tests: ``qalxan init``'s set-up in a fresh data
directory, two case handlers with enrolled TOTP, and ``qalxan serve`` on a free loopback port.

The server keeps its default secure cookies (``__Host-`` session cookie with ``Secure``):
Chromium treats http://127.0.0.1 as a secure context and accepts them there, so the tests
run the cookie settings production runs.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
from sqlalchemy import select

from qalxan.config import Settings
from qalxan.domain.enums import Role
from qalxan.security import two_factor
from qalxan.security.access import SYSTEM, Actor
from qalxan.services import accounts, instance
from qalxan.services.schemas import UserInput
from qalxan.store.tables import Organisation

FAST_ARGON2 = {"QALXAN_ARGON2_TIME_COST": "1", "QALXAN_ARGON2_MEMORY_KIB": "8",
               "QALXAN_ARGON2_PARALLELISM": "1"}
PASSWORD = "a long passphrase for browser tests"
READY_TIMEOUT_S = 30.0


@dataclass(frozen=True)
class StaffLogin:
    email: str
    password: str
    totp_secret: str

    def code(self) -> str:
        return two_factor.current_code(self.totp_secret)


@dataclass
class Instance:
    url: str
    data_dir: Path
    process: subprocess.Popen[bytes]
    log: Path
    journey_handler: StaffLogin  # signs in once, in the end-to-end journey
    page_handler: StaffLogin  # signs in once per test session, for the page checks
    admin: StaffLogin  # signs in once per test session, for the admin pages

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-4000:] if self.log.exists() else ""


def _environment(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QALXAN_")}
    env.update(FAST_ARGON2, QALXAN_DATA_DIR=str(data_dir))
    return env


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


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_ready(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"qalxan serve exited with {process.returncode}:\n"
                               f"{log.read_text(errors='replace')[-4000:]}")
        try:
            if httpx.get(f"{url}/api/v1/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"qalxan serve not ready after {READY_TIMEOUT_S} s")


def start(root: Path) -> Instance:
    """Set up a fresh instance under ``root`` and serve it; the caller stops it."""
    data_dir = root / "data"
    env = _environment(data_dir)
    settings = Settings(data_dir=data_dir, database_url=None, argon2_time_cost=1,
                        argon2_memory_kib=8, argon2_parallelism=1)
    instance.initialise(settings, "admin@example.org", "Helpdesk")
    journey = _add_staff(settings, "journey@example.org")
    pages = _add_staff(settings, "pages@example.org")
    admin = _add_staff(settings, "admin2@example.org", Role.ADMIN)
    port = _free_port()
    log = root / "server.log"
    with log.open("ab") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "qalxan.cli.main", "serve", "--host", "127.0.0.1",
             "--port", str(port)], env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(url, process, log)
    except RuntimeError:
        process.kill()
        raise
    return Instance(url, data_dir, process, log, journey, pages, admin)
