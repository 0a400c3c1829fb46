"""SQLite transactions of every connection (and server process) take turns on a file lock."""

from __future__ import annotations

import fcntl
import os
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from qalxan.store.db import make_engine


def _lock_is_free(path: Path) -> bool:
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)  # closing releases a lock taken here
    return True


@pytest.mark.parametrize("ending", ["commit", "rollback"])
def test_the_turn_is_held_for_the_transaction_and_released_after(tmp_path: Path,
                                                                  ending: str) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'q.db'}")
    turn = tmp_path / "q.db-turn"
    try:
        with engine.connect() as conn:
            conn.execute(text("CREATE TABLE t (x INTEGER)"))
            conn.commit()
            assert _lock_is_free(turn)
            conn.execute(text("INSERT INTO t VALUES (1)"))
            assert not _lock_is_free(turn)
            getattr(conn, ending)()
            assert _lock_is_free(turn)
    finally:
        engine.dispose()


def test_a_second_engine_waits_for_the_turn_instead_of_failing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'q.db'}"
    first, second = make_engine(url), make_engine(url)  # as two server processes would
    try:
        with first.begin() as conn:
            conn.execute(text("CREATE TABLE t (x INTEGER)"))
        done: list[float] = []

        def write() -> None:
            with second.begin() as conn:
                conn.execute(text("INSERT INTO t VALUES (2)"))
            done.append(time.monotonic())

        with first.begin() as conn:
            conn.execute(text("INSERT INTO t VALUES (1)"))
            waiter = threading.Thread(target=write)
            waiter.start()
            time.sleep(0.2)
            assert not done  # still waiting for the first transaction
            ended = time.monotonic()
        waiter.join(timeout=10)
        assert done and done[0] >= ended
        with first.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM t")).scalar_one() == 2
    finally:
        first.dispose()
        second.dispose()
