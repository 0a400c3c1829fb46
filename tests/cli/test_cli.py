"""The command line: init, users, tokens, audit verification, encrypted backup and restore."""

from __future__ import annotations

import os
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
    assert out["demo_cases"] == 5
    assert (tmp_path / "data" / "instance.key").stat().st_mode & 0o777 == 0o600
    again = cli("init", "--json")
    assert isinstance(again, dict) and again["admin_password"] is None
    assert again["admin_password_file"] is None
    assert "another volume" not in str(cli("init"))  # said only when the key is made


def test_the_first_admins_password_never_reaches_a_log(cli: Callable[..., object],
                                                       tmp_path: Path) -> None:
    """Output that is not a terminal (a journal, a pipe, a CI log) gets the path of a file only
    the owner can read, never the password itself."""
    out = cli("init", "--admin-email", "a@example.org", "--json")
    assert isinstance(out, dict) and out["admin_password"] is None
    file = Path(str(out["admin_password_file"]))
    assert file.stat().st_mode & 0o777 == 0o600
    assert file.parent.stat().st_mode & 0o777 == 0o700
    email, password = file.read_text().split()
    assert email == "a@example.org" and len(password) >= 14
    text = str(cli("user", "add", "b@example.org", "--role", "analyst"))
    written = next(p for p in file.parent.iterdir() if p.name.startswith("b@"))
    assert str(written) in text and written.read_text().split()[1] not in text


def test_on_a_terminal_the_password_is_shown_and_not_written(
        cli: Callable[..., object], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("qalxan.cli.handover._on_terminal", lambda: True)
    out = cli("init", "--admin-email", "a@example.org", "--json")
    assert isinstance(out, dict) and len(str(out["admin_password"])) >= 14
    assert out["admin_password_file"] is None
    assert not (tmp_path / "data" / "one-time-passwords").exists()


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
    assert isinstance(user, dict) and Path(str(user["one_time_password_file"])).is_file()
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


def test_a_lost_or_expired_one_time_password_is_replaced_from_the_shell(
        cli: Callable[..., object]) -> None:
    """Review finding 18: one-time passwords expire, so the shell can issue a new one."""
    cli("init")
    first = cli("user", "add", "late@example.org", "--json")
    assert isinstance(first, dict)
    old = Path(str(first["one_time_password_file"])).read_text().split()[1]
    again = cli("user", "reset-password", "Late@example.org", "--json")
    assert isinstance(again, dict) and again["one_time_password"] is None  # not a terminal
    file = Path(str(again["one_time_password_file"]))
    assert file.stat().st_mode & 0o777 == 0o600
    assert file.read_text().split()[1] != old
    cli("user", "reset-password", "nobody@example.org", code=3)


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
                                     ["user", "reset-password"],
                                     ["token", "create"], ["token", "revoke"], ["audit", "verify"],
                                     ["audit", "head"], ["key"], ["key", "rotate"],
                                     ["backup"], ["restore"], ["purge"], ["analyze"],
                                     ["iocs"], ["campaigns"]])
def test_every_command_has_help(command: list[str]) -> None:
    result = CliRunner().invoke(app, [*command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output


def test_a_command_outside_any_instance_says_where_it_looked(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from qalxan.config import get_settings

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("QALXAN_DATA_DIR", raising=False)
    monkeypatch.delenv("QALXAN_DATABASE_URL", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    get_settings.cache_clear()
    result = CliRunner().invoke(app, ["user", "list"])
    get_settings.cache_clear()
    assert result.exit_code == 7
    assert "no Qalxan instance found" in result.output
    assert "QALXAN_DATA_DIR is not set" in result.output
    assert str(tmp_path / "config" / "qalxan" / "qalxan.env") in result.output
    assert not (tmp_path / "qalxan-data").exists()  # looking creates nothing


def test_a_settings_file_finds_the_instance_from_any_directory(
        cli: Callable[..., object], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from qalxan.config import get_settings

    cli("init", "--admin-email", "a@example.org")
    config = tmp_path / "config" / "qalxan"
    config.mkdir(parents=True)
    # a relative data directory in the file is taken from the file's own folder
    (config / "qalxan.env").write_text("QALXAN_DATA_DIR=../../data\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    monkeypatch.delenv("QALXAN_DATA_DIR")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    listed = cli("user", "list", "--json")
    assert isinstance(listed, list) and listed[0]["email"] == "a@example.org"
    assert get_settings().data_dir.resolve() == (tmp_path / "data").resolve()


def test_what_an_instance_writes_is_readable_by_its_owner_alone(
        cli: Callable[..., object], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("QALXAN_DATABASE_URL")  # the embedded default: SQLite in the data dir
    os.umask(0o022)  # a usual shell's umask, which would leave files readable by all
    try:
        cli("init", "--demo")
        cli("backup", str(tmp_path / "b.qlx"))
    finally:
        os.umask(0o022)
    data = tmp_path / "data"
    written = [*data.rglob("*"), tmp_path / "b.qlx"]
    assert {"qalxan.db", "instance.key"} <= {p.name for p in written}
    assert any(p.parent.name == "files" or "files" in p.parts for p in written)
    assert [str(p) for p in written if p.stat().st_mode & 0o077] == []


def test_user_commands_show_the_organisation_and_real_values(cli: Callable[..., object]) -> None:
    cli("init", "--org-name", "Lifeline Desk")
    added = cli("user", "add", "h@example.org", "--role", "case_handler", "--json")
    assert isinstance(added, dict)
    assert added["user"]["is_active"] is True  # type: ignore[index]
    assert added["user"]["totp_enabled"] is False  # type: ignore[index]
    listed = cli("user", "list", "--json")
    assert isinstance(listed, list)
    assert {u["organisation"] for u in listed} == {"Lifeline Desk"}  # type: ignore[index]
    assert "Lifeline Desk" in str(cli("user", "list"))


def test_a_refused_scope_lists_only_what_the_owner_can_give(cli: Callable[..., object]) -> None:
    cli("init")
    cli("user", "add", "a@example.org", "--role", "analyst")
    out = str(cli("token", "create", "--user", "a@example.org", "--name", "x",
                  "--scope", "case:delete", code=2))
    choices = out.split("choose from:")[1]
    assert "watchlist:read" in choices and "intake:submit" in choices
    for never in ("case:delete", "user:manage", "receipt:followup", "case:export"):
        assert never not in choices


def test_token_names_are_unique_among_a_users_live_tokens(cli: Callable[..., object]) -> None:
    cli("init")
    cli("user", "add", "h@example.org", "--role", "case_handler")
    first = cli("token", "create", "--user", "h@example.org", "--name", "ci", "--scope",
                "case:list", "--json")
    out = str(cli("token", "create", "--user", "h@example.org", "--name", "ci", "--scope",
                  "case:list", code=6))
    assert "exists already" in out
    cli("token", "revoke", first["token"]["id"])  # type: ignore[index]
    cli("token", "create", "--user", "h@example.org", "--name", "ci", "--scope", "case:list")
