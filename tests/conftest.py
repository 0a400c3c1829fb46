"""Shared fixtures: an instance on SQLite and on PostgreSQL, staff of every role, clients.

Storage and API tests take the ``platform`` fixture and so run on both databases. PostgreSQL
tests skip with the reason when no server is reachable, unless QALXAN_REQUIRE_POSTGRES=1 (as
in CI), where an unreachable server fails them.
"""

from __future__ import annotations

import atexit
import contextlib
import itertools
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError, ProgrammingError

from qalxan.config import Settings
from qalxan.domain.enums import OrgKind, Role
from qalxan.security import crypto, two_factor
from qalxan.security.access import ROLE_PERMISSIONS, SYSTEM, TOKEN_SCOPES, Actor
from qalxan.services import accounts, tokens
from qalxan.services.context import Platform
from qalxan.services.schemas import TokenInput, UserInput
from qalxan.store import schema
from qalxan.store.db import make_engine
from qalxan.store.tables import Base
from qalxan.web.app import create_app

PG_URL = os.environ.get("QALXAN_TEST_POSTGRES_URL",
                        "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REQUIRE_PG = os.environ.get("QALXAN_REQUIRE_POSTGRES") == "1"
STAFF_PASSWORD = "correct horse battery staple 42"


def fast_settings(tmp_path: Path, database_url: str | None) -> Settings:
    """Settings for tests: a fast Argon2id (the production parameters are asserted elsewhere);
    monitoring may reach the loopback servers of the tests and read files in ``tmp_path``."""
    return Settings(data_dir=tmp_path / "data", database_url=database_url,
                    argon2_time_cost=1, argon2_memory_kib=8, argon2_parallelism=1,
                    secure_cookies=False, monitor_allow_loopback=True,
                    monitor_import_dir=tmp_path)


# PostgreSQL: one database per test worker, migrated once, emptied between tests -----------
_pg_engines: dict[str, Engine] = {}


def _admin_execute(statement: str) -> None:
    admin = create_engine(make_url(PG_URL), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(statement))
    finally:
        admin.dispose()


def _worker_db_url(worker: str) -> str:
    """A database of this test process alone (parallel runs on one server do not collide)."""
    name = f"qalxan_test_{worker}_{os.getpid()}"
    _admin_execute(f'CREATE DATABASE "{name}"')
    atexit.register(_drop_database, name)
    return make_url(PG_URL).set(database=name).render_as_string(hide_password=False)


def _drop_database(name: str) -> None:
    for engine in _pg_engines.values():
        engine.dispose()
    with contextlib.suppress(OperationalError, ProgrammingError):
        _admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def postgres_url(worker: str) -> str:
    if worker not in _pg_engines:
        try:
            url = _worker_db_url(worker)
        except OperationalError as exc:  # no server to connect to
            reason = f"PostgreSQL not reachable at {make_url(PG_URL).render_as_string()}: " \
                     f"{str(exc.orig).strip().splitlines()[0] if exc.orig else exc}"
            if REQUIRE_PG:
                pytest.fail(reason + " (QALXAN_REQUIRE_POSTGRES=1)")
            pytest.skip(reason)
        engine = make_engine(url)
        schema.upgrade(engine)
        _pg_engines[worker] = engine
    return _pg_engines[worker].url.render_as_string(hide_password=False)


def _empty_postgres(url: str) -> None:
    engine = make_engine(url)
    names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} CASCADE"))
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path,
                 worker_id: str) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'qalxan.db'}"
        return
    url = postgres_url(worker_id)
    _empty_postgres(url)
    yield url
    _empty_postgres(url)


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return fast_settings(tmp_path, database_url)


@pytest.fixture
def platform(settings: Settings) -> Iterator[Platform]:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    crypto.generate_instance_key(settings.resolved_key_file())
    keyring = crypto.load_instance_key(settings.resolved_key_file())
    engine = make_engine(settings.resolved_database_url())
    schema.upgrade(engine)
    p = Platform(settings, keyring, engine)
    yield p
    p.dispose()


@pytest.fixture
def intake_org(platform: Platform) -> str:
    return platform.run(SYSTEM, accounts.create_organisation, "Helpdesk A", OrgKind.HELPDESK,
                        accepts_intake=True)


@pytest.fixture
def other_org(platform: Platform) -> str:
    return platform.run(SYSTEM, accounts.create_organisation, "Fund B", OrgKind.FUND)


@dataclass(frozen=True)
class Staff:
    id: str
    email: str
    password: str
    totp_secret: str
    actor: Actor


StaffFactory = Callable[..., Staff]


@pytest.fixture
def make_staff(platform: Platform) -> StaffFactory:
    """Create a staff user with a password and enrolled TOTP; returns its credentials."""
    counter = iter(range(1, 10_000))

    def make(role: Role, org_id: str, email: str | None = None) -> Staff:
        address = email or f"{role.value}{next(counter)}@example.org"
        view, _ = platform.run(SYSTEM, accounts.create_user, UserInput(
            email=address, display_name=role.value, role=role, org_id=org_id), STAFF_PASSWORD)
        actor = Actor(kind="user", user_id=view.id, org_id=org_id, role=role,
                      authenticated_at=platform.clock())  # as if just signed in
        secret, _uri = platform.run(actor, accounts.begin_totp_enrolment)
        platform.run(actor, accounts.confirm_totp_enrolment,
                     two_factor.current_code(secret, platform.clock().timestamp() - 30))
        return Staff(view.id, address, STAFF_PASSWORD, secret, actor)

    return make


@pytest.fixture
def handler(make_staff: StaffFactory, intake_org: str) -> Staff:
    return make_staff(Role.CASE_HANDLER, intake_org)


@pytest.fixture
def admin(make_staff: StaffFactory, intake_org: str) -> Staff:
    return make_staff(Role.ADMIN, intake_org)


@pytest.fixture
def client(platform: Platform) -> Iterator[TestClient]:
    with TestClient(create_app(platform), base_url="http://127.0.0.1") as c:
        yield c


TokenFactory = Callable[..., str]


@pytest.fixture
def make_token(platform: Platform) -> TokenFactory:
    """An API token for a staff member with the given scopes (default: all their role has)."""

    made = itertools.count(1)

    def make(staff: Staff, scopes: list[str] | None = None) -> str:
        granted = scopes or sorted(p.value for p in ROLE_PERMISSIONS[staff.actor.role]  # type: ignore[index]
                                   if p.value in TOKEN_SCOPES)
        _, secret = platform.run(staff.actor, tokens.create_token,  # names differ per user
                                 TokenInput(name=f"test {next(made)}", scopes=granted))
        return secret

    return make


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}
