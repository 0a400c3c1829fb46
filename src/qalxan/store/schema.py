"""Schema management through Alembic: upgrade, downgrade, and the current revision."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

from qalxan.security.crypto import Keyring

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(engine: Engine | None = None, keyring: Keyring | None = None) -> Config:
    """Alembic's configuration; migrations that convert sealed data (0011 re-seals every
    record) read the instance's keyring from ``attributes["keyring"]``."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    cfg.attributes["keyring"] = keyring
    return cfg


def _run(engine: Engine, action: str, revision: str, keyring: Keyring | None) -> None:
    """Run a migration in one transaction.

    On SQLite, altering a table means copying it into a new one and dropping the old; with
    foreign keys enforced, the drop would cascade into the rows that reference it. So foreign
    keys are off while migrating (SQLite allows that only outside a transaction) and checked
    afterwards: a migration that leaves a dangling reference fails and is rolled back.
    """
    cfg = alembic_config(engine, keyring)
    with engine.connect() as connection:
        sqlite = engine.dialect.name == "sqlite"
        if sqlite:
            connection.connection.driver_connection.execute(  # type: ignore[union-attr]
                "PRAGMA foreign_keys=OFF")
        try:
            with connection.begin():
                cfg.attributes["connection"] = connection
                getattr(command, action)(cfg, revision)
                if sqlite:
                    _check_foreign_keys(connection)
        finally:
            if sqlite:
                connection.connection.driver_connection.execute(  # type: ignore[union-attr]
                    "PRAGMA foreign_keys=ON")


def _check_foreign_keys(connection: Connection) -> None:
    problems = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if problems:
        raise RuntimeError(f"migration left {len(problems)} dangling references; rolled back")


def upgrade(engine: Engine, revision: str = "head", keyring: Keyring | None = None) -> None:
    """Upgrade the schema; ``keyring`` is needed where a migration converts sealed rows
    (an empty database needs none)."""
    _run(engine, "upgrade", revision, keyring)


def downgrade(engine: Engine, revision: str, keyring: Keyring | None = None) -> None:
    _run(engine, "downgrade", revision, keyring)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()
