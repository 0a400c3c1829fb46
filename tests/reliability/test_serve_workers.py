"""``qalxan serve --workers 2`` on SQLite: both processes take reports, none is lost or doubled.

The processes share the database file and take turns for its write lock; every report that
is answered ``201`` is stored once, and the audit chain stays whole across both processes.
"""

from __future__ import annotations

import threading
import uuid
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, func, select

from qalxan.store.tables import Case, IdempotencyRecord
from tests.serving import Server, cli, instance_env

pytestmark = pytest.mark.slow

THREADS = 4
PER_THREAD = 10


def _report(n: int) -> dict[str, object]:
    return {"what_happened": f"An account keeps posting my address ({n}).",
            "threat_types": ["doxing"], "urgency": "high", "contact_channel": "receipt_only",
            "links": [f"https://social.example/post/{n}"]}


def _post(url: str, numbers: range, answered: dict[str, str], lock: threading.Lock) -> None:
    with httpx.Client(base_url=url, timeout=60) as client:
        for n in numbers:
            key = uuid.uuid4().hex
            response = client.post("/api/v1/intake", json=_report(n),
                                   headers={"Idempotency-Key": key})
            assert response.status_code == 201, response.text
            with lock:
                answered[key] = response.json()["case_reference"]


def test_two_server_processes_on_sqlite_store_every_report_once(tmp_path: Path) -> None:
    database = tmp_path / "data" / "qalxan.db"
    env = instance_env(tmp_path / "data", f"sqlite:///{database}")
    assert cli(env, "init").returncode == 0
    server = Server(env, tmp_path / "server.log", workers=2)
    answered: dict[str, str] = {}
    try:
        server.start()
        url = server.url
        lock = threading.Lock()
        threads = [threading.Thread(target=_post, args=(url, range(i, THREADS * PER_THREAD,
                                                                   THREADS), answered, lock))
                   for i in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        server.stop()
    assert len(answered) == THREADS * PER_THREAD
    engine = create_engine(f"sqlite:///{database}")
    try:
        with engine.connect() as conn:
            references = set(conn.execute(select(Case.reference)).scalars())
            keys = conn.execute(select(func.count()).select_from(IdempotencyRecord)).scalar()
    finally:
        engine.dispose()
    assert set(answered.values()) <= references
    assert len(set(answered.values())) == len(answered) == keys
    verify = cli(env, "audit", "verify")
    assert verify.returncode == 0, verify.stdout + verify.stderr
