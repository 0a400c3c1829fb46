"""The command line: init, users, tokens, audit verification, encrypted backup and restore."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from qalxan.cli.main import app
from qalxan.store.db import make_engine
from qalxan.store.tables import Base

Invoke = Callable[..., dict[str, object] | list[object] | str]


def test_init_creates_key_schema_and_one_time_admin(cli: Callable[..., object],
                                                    tmp_path: Path) -> None:
    out = cli("init", "--admin-email", "a@example.org", "--demo", "--json")
    assert isinstance(out, dict)
    assert out["created_key"] is True and out["admin_email"] == "a@example.org"
    assert len(str(out["admin_password"])) >= 14 and out["demo_cases"] == 5
    assert (tmp_path / "data" / "instance.key").stat().st_mode & 0o777 == 0o600
    again = cli("init", "--json")
    assert isinstance(again, dict) and again["admin_password"] is None
    assert "another volume" not in str(cli("init"))  # said only when the key is made


def test_init_advises_keeping_the_key_off_the_data_volume(
        cli: Callable[..., object], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Review finding 11: one disk image should not hold both the data and the key; a key
    file made inside the data directory comes with the advice to move it."""
    assert "keep it on another volume" in str(cli("init"))
    monkeypatch.setenv("QALXAN_DATA_DIR", str(tmp_path / "other"))
    monkeypatch.setenv("QALXAN_KEY_FILE", str(tmp_path / "keys" / "instance.key"))
    out = str(cli("init"))
    assert "instance key created" in out and "another volume" not in out


def test_users_and_tokens(cli: Callable[..., object]) -> None:
    cli("init")
    user = cli("user", "add", "h@example.org", "--role", "case_handler", "--json")
    assert isinstance(user, dict) and user["one_time_password"]
    token = cli("token", "create", "--user", "h@example.org", "--name", "ci",
                "--scope", "case:list", "--json")
    assert isinstance(token, dict) and str(token["secret"]).startswith("qlx_")
    token_id = token["token"]["id"]  # type: ignore[index]
    cli("token", "revoke", token_id)
    listed = cli("token", "list", "--user", "h@example.org", "--json")
    assert isinstance(listed, list) and listed[0]["revoked_at"]  # type: ignore[index]
    cli("token", "create", "--user", "h@example.org", "--name", "x", "--scope", "user:manage",
        code=2)
    cli("user", "add", "h@example.org", code=6)


def test_audit_verify_detects_tampering(cli: Callable[..., object],
                                        database_url: str) -> None:
    cli("init", "--demo")
    ok = cli("audit", "verify", "--json")
    assert isinstance(ok, dict) and ok["ok"] is True
    engine = make_engine(database_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE audit_events SET action = 'case.read' WHERE seq = 3"))
    engine.dispose()
    assert "BROKEN at event 3" in str(cli("audit", "verify", code=8))


def test_purge_reports_what_it_would_delete(cli: Callable[..., object]) -> None:
    cli("init", "--demo")
    report = cli("purge", "--dry-run", "--json")
    assert isinstance(report, dict) and report["dry_run"] is True and report["cases"] == []


def _truncate(database_url: str) -> None:
    engine = make_engine(database_url)
    with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())
    engine.dispose()


def test_backup_restores_into_an_empty_instance(cli: Callable[..., object], tmp_path: Path,
                                                database_url: str) -> None:
    cli("init", "--demo")
    archive = tmp_path / "backup.qlx"
    counts = cli("backup", str(archive), "--json")
    assert isinstance(counts, dict) and counts["cases"] == 5
    assert b"DEMO" not in archive.read_bytes()
    _truncate(database_url)
    for blob in (tmp_path / "data" / "files").rglob("*"):
        if blob.is_file():
            blob.unlink()
    restored = cli("restore", str(archive), "--json")
    assert restored == {"rows": counts, "deleted_again": [],
                        "watch_entries_deleted_again": []}
    assert cli("audit", "verify", "--json")["ok"] is True  # type: ignore[index]


def test_backup_is_useless_without_the_instance_key(cli: Callable[..., object], tmp_path: Path,
                                                    database_url: str) -> None:
    cli("init", "--demo")
    archive = tmp_path / "backup.qlx"
    cli("backup", str(archive))
    _truncate(database_url)
    (tmp_path / "data" / "instance.key").unlink()
    cli("init", "--no-admin")  # a new instance key
    out = cli("restore", str(archive), code=8)
    assert "instance key" in str(out)


def test_backup_never_overwrites(cli: Callable[..., object], tmp_path: Path) -> None:
    cli("init")
    archive = tmp_path / "b.qlx"
    archive.write_bytes(b"keep me")
    cli("backup", str(archive), code=2)
    assert archive.read_bytes() == b"keep me"


def test_audit_head_is_printed_and_a_truncation_after_it_is_proven(
        cli: Callable[..., object], tmp_path: Path, database_url: str) -> None:
    """Review finding 16: the head (SEQ:MAC) is shown and kept in every backup's header; a
    chain cut short and re-headed afterwards fails `audit verify --expect-head`."""
    cli("init", "--demo")
    head = cli("audit", "head", "--json")
    assert isinstance(head, dict) and head["seq"] > 3
    printed = str(cli("audit", "head")).strip()
    assert printed == f"{head['seq']}:{head['mac']}"
    archive = tmp_path / "b.qlx"
    cli("backup", str(archive))
    assert str(cli("audit", "head", "--backup", str(archive))).strip() == printed
    verified = cli("audit", "verify", "--expect-head", printed, "--json")
    assert isinstance(verified, dict) and verified["ok"] is True
    engine = make_engine(database_url)
    with engine.begin() as conn:
        mac = conn.execute(text("SELECT mac FROM audit_events WHERE seq = 2")).scalar_one()
        conn.execute(text("DELETE FROM audit_events WHERE seq > 2"))
        conn.execute(text("UPDATE audit_head SET seq = 2, mac = :mac"), {"mac": mac})
    engine.dispose()
    out = str(cli("audit", "verify", "--expect-head", printed, code=8))
    assert "BROKEN" in out and "removed" in out
    cli("audit", "verify", "--expect-head", "12:nothex", code=2)


def test_key_rotate_rewraps_the_data_keys_and_keeps_the_instance_readable(
        cli: Callable[..., object], tmp_path: Path) -> None:
    """Review finding 2: `qalxan key rotate` replaces the key that wraps the data keys."""
    cli("init", "--demo")
    key_file = tmp_path / "data" / "instance.key"
    old = key_file.read_text()
    report = cli("key", "rotate", "--json")
    assert isinstance(report, dict) and report["data_keys"] > 0
    assert key_file.read_text() != old and oct(key_file.stat().st_mode)[-3:] == "600"
    assert cli("audit", "verify", "--json")["ok"] is True  # type: ignore[index]
    archive = tmp_path / "after.qlx"
    assert cli("backup", str(archive), "--json")["cases"] == 5  # type: ignore[index]


@pytest.mark.parametrize("command", [[], ["init"], ["serve"], ["user"], ["user", "add"],
                                     ["token", "create"], ["token", "revoke"], ["audit", "verify"],
                                     ["audit", "head"], ["key"], ["key", "rotate"],
                                     ["backup"], ["restore"], ["purge"], ["analyze"],
                                     ["iocs"], ["campaigns"]])
def test_every_command_has_help(command: list[str]) -> None:
    result = CliRunner().invoke(app, [*command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output
