"""A canary sent in a report, a note, a reply, text evidence, a file, a follow-up message,
the defender's review of the help, a watch-list entry, a monitored source's params and the
public posts monitoring keeps (with the alert and the incident made of them), and through a
case export, never appears in plaintext at rest: not in the SQLite file or its WAL, not in
PostgreSQL's table data, not in the file store, a backup, the logs or temporary files."""

from __future__ import annotations

import json
import logging
import tempfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from qalxan.monitoring.monitor import Monitor
from qalxan.security.access import SYSTEM
from qalxan.services import backups, instance, monitor, watchlists
from qalxan.services.context import Platform
from qalxan.services.monitoring_schemas import SourceInput, WatchEntryInput
from qalxan.store.tables import Base
from tests.conftest import Staff, TokenFactory, bearer

CANARY = "CANARY-7f3a9c-ИНОАГЕНТ-خائن"


def _needles() -> list[bytes]:
    raw = CANARY.encode()
    return [raw, raw.hex().encode(), CANARY.encode("utf-16-le"),
            CANARY.encode("unicode_escape")]


def _files_under(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def _assert_clean(blob: bytes, where: str) -> None:
    for needle in _needles():
        assert needle not in blob, f"canary found in {where}"


def _sqlite_files(platform: Platform) -> list[Path]:
    """The SQLite database and its companions (WAL, shared memory, turn lock), wherever the
    URL puts them (the test database lies beside the data directory, not in it)."""
    url = platform.settings.resolved_database_url()
    if not url.startswith("sqlite:///"):
        return []
    database = Path(url.removeprefix("sqlite:///"))
    found = [p for p in database.parent.glob(database.name + "*") if p.is_file()]
    assert database in found, f"the SQLite database {database} was not found to scan"
    return found


def _postgres_rows(platform: Platform) -> bytes:
    chunks = []
    with platform.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            rows = conn.execute(text(f'SELECT t::text FROM "{table.name}" t')).scalars()
            chunks.extend(r.encode() for r in rows)
    return b"\n".join(chunks)


def test_canary_never_at_rest_in_plaintext(
        client: TestClient, platform: Platform, intake_org: str, handler: Staff,
        make_token: TokenFactory, tmp_path: Path, caplog: pytest.LogCaptureFixture,
        monkeypatch: pytest.MonkeyPatch) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    caplog.set_level(logging.DEBUG)
    body = {"what_happened": f"They wrote {CANARY} about me", "defender_name": CANARY,
            "contact_address": CANARY, "links": [f"https://example.org/{CANARY}"]}
    receipt = client.post("/api/v1/intake", json=body).json()
    token = bearer(make_token(handler))
    case_id = client.get("/api/v1/cases", headers=token).json()["items"][0]["id"]
    client.post(f"/api/v1/cases/{case_id}/notes", json={"text": CANARY, "kind": "reply"},
                headers=token)
    client.post(f"/api/v1/cases/{case_id}/evidence", json={"content": CANARY}, headers=token)
    client.post(f"/api/v1/cases/{case_id}/evidence/files", headers=token,
                files={"files": ("c.txt", CANARY.encode() * 50_000, "text/plain")})
    client.post("/api/v1/followup/messages",
                json={"receipt_code": receipt["receipt_code"], "text": CANARY})
    client.post(f"/api/v1/cases/{case_id}/status", headers=token,
                json={"status": "closed", "outcome": "supported"})
    reviewed = client.post("/followup/review", data={
        "receipt_code": receipt["receipt_code"], "rating": "4", "comment": CANARY})
    assert reviewed.status_code == 200 and CANARY in reviewed.text
    assert CANARY in client.get(f"/api/v1/cases/{case_id}", headers=token).text
    exported = client.post(f"/api/v1/cases/{case_id}/export", headers=token, json={})
    assert exported.status_code == 200  # built in memory: no plaintext in a temporary file
    _monitor(client, platform, token, tmp_path / "outside")
    backups.create_backup(platform, tmp_path / "backup.qlx")
    _assert_clean((tmp_path / "backup.qlx").read_bytes(), "the backup")
    platform.dispose()  # let SQLite checkpoint and close its files

    for path in (_files_under(platform.settings.data_dir) + _files_under(temp)
                 + _sqlite_files(platform)):
        _assert_clean(path.read_bytes(), str(path))
    if platform.engine.dialect.name == "postgresql":
        _assert_clean(_postgres_rows(platform), "PostgreSQL table data")
    _assert_clean("\n".join(r.getMessage() for r in caplog.records).encode(), "logs")


def _monitor(client: TestClient, platform: Platform, token: dict[str, str],
             outside: Path) -> None:
    """Watch for a defender named with the canary; posts carrying it become an incident."""
    outside.mkdir()
    dump = outside / f"{CANARY}.jsonl"
    dump.write_text("".join(json.dumps({
        "message_id": f"c{i}", "user_id": f"u{i}", "timestamp": 1_790_000_000 + 5 * i,
        "message": f"Aysel Mammadova {CANARY} is a traitor and a foreign agent"}) + "\n"
        for i in range(12)), encoding="utf-8")
    org = platform.run(SYSTEM, instance.intake_org_id)
    platform.run(SYSTEM, watchlists.add_entry, WatchEntryInput(
        names=["Aysel Məmmədova"], aliases=[CANARY], phones=[CANARY]), org)
    platform.run(SYSTEM, monitor.add_source, SourceInput(
        kind="jsonl", name="dump", params={"path": str(dump)}), org)
    platform.run(SYSTEM, monitor.add_source, SourceInput(  # its failure names the file
        kind="jsonl", name="gone", params={"path": str(outside / f"gone-{CANARY}.jsonl")}), org)
    results = {r.source: r for r in Monitor(platform).run_once()}
    assert results["dump"].alerts_raised == 1, results
    assert CANARY in str(results["gone"].error)  # told to the operator, sealed at rest
    [alert] = client.get("/api/v1/alerts", headers=token).json()
    assert CANARY in client.get(f"/api/v1/alerts/{alert['id']}", headers=token).text
    made = client.post(f"/api/v1/alerts/{alert['id']}/incident", headers=token, json={})
    assert made.status_code == 201, made.text
