"""Start-up as an operator meets it: ``qalxan --help`` and a light command, and a restart of
``./scripts/start`` on an existing instance until the first page answers.

    nice .venv/bin/python bench/start_time.py [--runs 5]

Each figure is printed per run with the machine's load, then the median. ``--help`` and
``version`` are timed as whole processes (wall and CPU time of the child). The restart runs
``scripts/start`` from this checkout against a data directory the script initialises first,
with no package index reachable (after one start that installs if the checkout changed), and
times from launch to the first answer of ``/``. Targets: help and light commands ≤ 0.5 s, a restart
≤ 3 s, on an otherwise idle machine.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.serving import FAST_ARGON2, free_port  # noqa: E402

QALXAN = str(ROOT / ".venv" / "bin" / "qalxan")


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def command(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one whole ``qalxan`` process."""
    cpu, started = _child_cpu(), time.perf_counter()
    subprocess.run([QALXAN, *args], env=env, check=True, capture_output=True)
    return time.perf_counter() - started, _child_cpu() - cpu


def restart(env: dict[str, str], port: int) -> float:
    """Seconds from launching ``scripts/start`` to the first answer of ``/``."""
    started = time.perf_counter()
    process = subprocess.Popen([str(ROOT / "scripts" / "start")], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    try:
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"scripts/start exited with {process.returncode}")
            try:
                if httpx.get(f"http://127.0.0.1:{port}/", timeout=1).status_code == 200:
                    return time.perf_counter() - started
            except httpx.TransportError:
                time.sleep(0.02)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def report(name: str, values: list[float], target: float) -> None:
    median = statistics.median(values)
    runs = ", ".join(f"{v:.2f}" for v in values)
    verdict = "PASS" if median <= target else "MISS"
    print(f"{name}: median {median:.2f} s (target ≤ {target} s: {verdict}); runs: {runs}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    print(f"load average at start: {os.getloadavg()}")
    with tempfile.TemporaryDirectory() as folder:
        env = {k: v for k, v in os.environ.items() if not k.startswith("QALXAN_")}
        port = free_port()
        env.update(FAST_ARGON2, QALXAN_DATA_DIR=str(Path(folder) / "data"),
                   QALXAN_PORT=str(port))
        subprocess.run([QALXAN, "init", "--demo"], env=env, check=True, capture_output=True)
        restart(env, port)  # installs once if the checkout changed since the last start
        env.update(PIP_INDEX_URL="http://127.0.0.1:9/simple", PIP_NO_INDEX="1")
        command(["--help"], env)  # warm the file cache once
        helps = [command(["--help"], env) for _ in range(runs)]
        versions = [command(["version"], env) for _ in range(runs)]
        report("qalxan --help, wall", [w for w, _ in helps], 0.5)
        report("qalxan --help, CPU", [c for _, c in helps], 0.5)
        report("qalxan version, wall", [w for w, _ in versions], 0.5)
        restarts = [restart(env, port) for _ in range(runs)]
        report("scripts/start on an existing instance, to the first answer", restarts, 3.0)
    print(f"load average at end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
