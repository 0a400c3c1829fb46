"""A real ``qalxan serve`` on a free loopback port, and the ``qalxan`` CLI (tests, benchmarks).

The processes get a clean environment: every ``QALXAN_*`` variable of the caller is dropped
and replaced by the data directory, the database URL and a fast Argon2id.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

FAST_ARGON2 = {"QALXAN_ARGON2_TIME_COST": "1", "QALXAN_ARGON2_MEMORY_KIB": "8",
               "QALXAN_ARGON2_PARALLELISM": "1"}
# throughput measurements send far more reports, far faster, than intake's caps allow a
# public instance (services/intake_capacity.py); the disk watermark stays
UNBOUNDED_INTAKE = {"QALXAN_INTAKE_WINDOW_MAX_SUBMISSIONS": str(10 ** 9),
                    "QALXAN_INTAKE_WINDOW_MAX_BYTES": str(10 ** 15),
                    "QALXAN_INTAKE_MAX_CONCURRENT": "1024"}
CLI = (sys.executable, "-m", "qalxan.cli.main")
READY_TIMEOUT_S = 60.0


def instance_env(data_dir: Path, database_url: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QALXAN_")}
    env.update(FAST_ARGON2, QALXAN_DATA_DIR=str(data_dir))
    if database_url is not None:
        env["QALXAN_DATABASE_URL"] = database_url
    return env


def cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], env=env, capture_output=True, text=True, timeout=120,
                          check=False)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    """One ``qalxan serve`` (with its worker processes) at a time, in its own process group;
    :meth:`stop` and :meth:`kill` are safe to call whatever its state."""

    env: dict[str, str]
    log: Path
    workers: int = 1
    port: int = 0
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.stop()
        self.port = free_port()
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [*CLI, "serve", "--host", "127.0.0.1", "--port", str(self.port),
                 "--workers", str(self.workers)],
                env=self.env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        self._wait_ready()

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + READY_TIMEOUT_S
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}:\n"
                                   f"{self.log_tail()}")
            try:
                if httpx.get(f"{self.url}/api/v1/health", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.05)
        self.kill()
        raise RuntimeError(f"server not ready after {READY_TIMEOUT_S} s:\n{self.log_tail()}")

    def kill(self) -> None:
        """SIGKILL to the whole group: no shutdown handlers, no flushing, like a power cut."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        """A clean shutdown (SIGTERM), then SIGKILL for whatever is left of the group."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=30)
        self.kill()
        self.process = None

    def log_tail(self, chars: int = 4000) -> str:
        return self.log.read_text(errors="replace")[-chars:] if self.log.exists() else ""
