"""``qalxan doctor``: each check finds what an operator must fix, and the exit code says how
bad the worst finding is."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from qalxan.cli.main import app
from qalxan.config import get_settings
from qalxan.store.db import make_engine


def _doctor() -> tuple[int, dict[str, dict[str, str]]]:
    get_settings.cache_clear()
    result = CliRunner().invoke(app, ["doctor", "--json"])
    return result.exit_code, {c["name"]: c for c in json.loads(result.stdout)}


def test_a_fresh_instance_is_told_to_back_up_and_to_keep_its_key_apart(
        cli: Callable[..., object]) -> None:
    cli("init")
    code, checks = _doctor()
    assert code == 1
    assert checks["backups"]["severity"] == "WARNING"
    assert checks["instance key"]["severity"] == "WARNING"  # inside the data directory
    assert "QALXAN_KEY_FILE" in checks["instance key"]["fix"]
    for name in ("database", "audit chain", "data directory", "TLS and cookies"):
        assert checks[name]["severity"] == "ok", checks[name]


def test_a_backed_up_instance_with_its_key_apart_is_all_good(
        cli: Callable[..., object], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    key_dir = tmp_path / "keys"
    key_dir.mkdir(mode=0o700)
    monkeypatch.setenv("QALXAN_KEY_FILE", str(key_dir / "instance.key"))
    cli("init")
    cli("backup", str(tmp_path / "b.qlx"))
    code, checks = _doctor()
    assert code == 1 and checks["one-time passwords"]["severity"] == "WARNING"
    for left in (tmp_path / "data" / "one-time-passwords").iterdir():
        left.unlink()
    code, checks = _doctor()
    assert code == 0, checks
    assert "days ago" in checks["backups"]["found"]


def test_a_key_readable_by_others_is_a_problem(cli: Callable[..., object],
                                               tmp_path: Path) -> None:
    cli("init")
    (tmp_path / "data" / "instance.key").chmod(0o644)
    code, checks = _doctor()
    assert code == 2 and checks["instance key"]["severity"] == "PROBLEM"
    assert "chmod 600" in checks["instance key"]["fix"]


def test_a_tampered_audit_chain_is_a_problem(cli: Callable[..., object],
                                             database_url: str) -> None:
    cli("init", "--demo")
    engine = make_engine(database_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE audit_events SET action = 'case.read' WHERE seq = 3"))
    engine.dispose()
    code, checks = _doctor()
    assert code == 2 and checks["audit chain"]["severity"] == "PROBLEM"
    assert "event 3" in checks["audit chain"]["found"]


def test_a_schema_behind_the_code_is_a_problem(cli: Callable[..., object],
                                               database_url: str) -> None:
    cli("init")
    engine = make_engine(database_url)
    with engine.begin() as conn:
        head = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
        conn.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    try:
        code, checks = _doctor()
    finally:  # the test database's schema stays as it is for the tests after this one
        with engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": head})
        engine.dispose()
    assert code == 2 and "qalxan init" in checks["database"]["fix"]
    assert "backups" not in checks  # no further database checks on a schema it cannot trust


def test_listening_beyond_loopback_asks_for_tls_in_front(
        cli: Callable[..., object], monkeypatch: pytest.MonkeyPatch) -> None:
    cli("init")
    monkeypatch.setenv("QALXAN_HOST", "192.0.2.10")
    code, checks = _doctor()
    assert code == 1 and checks["TLS and cookies"]["severity"] == "WARNING"
    assert "reverse proxy" in checks["TLS and cookies"]["fix"]


def test_no_instance_is_a_problem_that_names_where_it_looked(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("QALXAN_DATA_DIR", raising=False)
    monkeypatch.delenv("QALXAN_DATABASE_URL", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    code, checks = _doctor()
    get_settings.cache_clear()
    assert code == 2
    assert "QALXAN_DATA_DIR is not set" in checks["instance"]["found"]


def test_little_free_space_is_a_problem(cli: Callable[..., object],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    cli("init")

    class Usage:
        free = 300 * 1024**2

    monkeypatch.setattr("qalxan.operations.doctor.shutil.disk_usage", lambda _: Usage)
    code, checks = _doctor()
    assert code == 2 and checks["disk space"]["severity"] == "PROBLEM"
