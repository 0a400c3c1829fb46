"""Platform core: intake reports accepted per second, and case-list latency with 10,000 cases.

Run: ``nice .venv/bin/python bench/core_throughput.py [--quick] [--databases sqlite,postgres]``

For each database (SQLite in a temporary data directory; PostgreSQL in a temporary database
on ``--postgres-url``, skipped with a message when unreachable) the script:

1. sets up a fresh instance (instance key, schema, intake organisation) and seeds the case
   queue in-process through the service layer: every case gets its defender, incident and
   consent, each sealed with its own data key, tags, a timeline event and an audit event,
   as intake would store them (the text analysis is skipped there, since it is not measured);
2. starts a real ``qalxan serve`` process on a free loopback port and asks for the first page
   of ``GET /api/v1/cases`` as a case handler with an API token, one request at a time,
   to give p50/p95 latency;
3. sends a bounded number of intake reports (``POST /api/v1/intake``, JSON, each with its own
   ``Idempotency-Key``) from a few client threads, encryption, analysis, audit and durable
   commits all on, and prints reports accepted per second.

Everything stays on 127.0.0.1. The client threads run on the same 2 cores as the server,
so the figures are a floor for a server with the machine to itself.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform as host
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from core_seed import REPORT_TEXT, bench_settings, handler_token, seed  # beside this script
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from qalxan.config import Settings
from qalxan.security.access import SYSTEM
from qalxan.services import instance

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.serving import FAST_ARGON2, UNBOUNDED_INTAKE, Server, instance_env

TARGET_REPORTS_PER_S = 200.0
TARGET_LIST_P95_MS = 50.0
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@dataclass(frozen=True)
class Options:
    cases: int
    reports: int
    clients: int
    list_requests: int
    databases: tuple[str, ...]
    postgres_url: str
    workers: int = 1


@dataclass(frozen=True)
class Figure:
    database: str
    name: str
    value: float
    unit: str
    target: str = ""
    passed: bool | None = None

    def line(self) -> str:
        verdict = "" if self.passed is None else ("PASS" if self.passed else "MISS")
        return (
            f"{self.database:<10} {self.name:<40} {self.value:>9.1f} {self.unit:<5} "
            f"{self.target:<10} {verdict}"
        )


# the server process -------------------------------------------------------------------------
@contextmanager
def server(settings: Settings, log: Path, workers: int = 1) -> Iterator[tuple[str, int]]:
    """A ``qalxan serve`` process (with ``workers`` server processes) on a free loopback
    port; yields its base URL and process id."""
    env = instance_env(settings.data_dir, settings.resolved_database_url()) | UNBOUNDED_INTAKE
    for name in FAST_ARGON2:  # the benchmark's instances use the production password hashing
        env.pop(name)
    serving = Server(env, log, workers=workers)
    serving.start()
    try:
        assert serving.process is not None
        yield serving.url, serving.process.pid
    finally:
        serving.stop()


# the measurements ---------------------------------------------------------------------------
def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def timed(call: Callable[[], httpx.Response], expect: int) -> float:
    started = time.perf_counter()
    response = call()
    elapsed = time.perf_counter() - started
    if response.status_code != expect:
        raise RuntimeError(f"unexpected {response.status_code}: {response.text[:300]}")
    return elapsed


def list_latencies(url: str, token: str, requests: int) -> list[float]:
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=url, headers=headers, timeout=30) as client:
        for _ in range(10):  # warm-up: connections, caches, first imports
            timed(lambda: client.get("/api/v1/cases"), 200)
        return [timed(lambda: client.get("/api/v1/cases"), 200) for _ in range(requests)]


def report_body(n: int) -> dict[str, object]:
    return {
        "what_happened": REPORT_TEXT.format(n=n),
        "threat_types": ["doxing"],
        "urgency": "high",
        "country": "AZ",
        "contact_channel": "receipt_only",
        "links": [f"https://social.example/post/{n}"],
    }


def _intake_client(url: str, numbers: range, latencies: list[float], lock: threading.Lock) -> None:
    """One keep-alive connection posting reports one after the other. The standard library's
    HTTP client costs a third of httpx's CPU per request, and the clients share the CPUs with
    the server that is measured."""
    address = urlsplit(url)
    connection = http.client.HTTPConnection(address.hostname or "127.0.0.1", address.port,
                                            timeout=60)
    try:
        for n in numbers:
            body = json.dumps(report_body(n)).encode()
            headers = {"Content-Type": "application/json",
                       "Idempotency-Key": f"bench-{n}-{uuid.uuid4().hex}"}
            started = time.perf_counter()
            connection.request("POST", "/api/v1/intake", body, headers)
            response = connection.getresponse()
            answer = response.read()
            elapsed = time.perf_counter() - started
            if response.status != 201:
                raise RuntimeError(f"unexpected {response.status}: {answer[:300]!r}")
            with lock:
                latencies.append(elapsed)
    finally:
        connection.close()


def _in_threads(url: str, shares: list[range], latencies: list[float]) -> float:
    """Post the reports of each share from its own client thread; returns the seconds."""
    lock = threading.Lock()
    threads = [
        threading.Thread(target=_intake_client, args=(url, share, latencies, lock))
        for share in shares
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


def tree_cpu_seconds(pid: int) -> float:
    """User and system CPU seconds of a process and its children (Linux ``/proc``; else 0)."""
    ticks, total = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100, 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # the process ended meanwhile
        if stat.parent.name == str(pid) or fields[1] == str(pid):
            total += int(fields[11]) + int(fields[12])
    return total / ticks


@dataclass(frozen=True)
class IntakeRun:
    rate: float
    latencies: list[float]
    server_cpu_ms: float  # per report, every server process together
    client_cpu_ms: float  # per report, this script's client threads


def intake_rate(url: str, pid: int, reports: int, clients: int) -> IntakeRun:
    # warm-up, from every client thread so that each server process (they share the
    # listening socket) gets connections and loads its detectors before the measurement
    _in_threads(url, [range(i, 10 * clients, clients) for i in range(clients)], [])
    latencies: list[float] = []
    shares = [range(10_000 + i, 10_000 + reports, clients) for i in range(clients)]
    server_cpu, client_cpu = tree_cpu_seconds(pid), time.process_time()
    elapsed = _in_threads(url, shares, latencies)
    server_cpu, client_cpu = tree_cpu_seconds(pid) - server_cpu, time.process_time() - client_cpu
    if len(latencies) != reports:
        raise RuntimeError(f"only {len(latencies)} of {reports} reports were accepted")
    return IntakeRun(reports / elapsed, latencies, server_cpu * 1000 / reports,
                     client_cpu * 1000 / reports)


# one database -------------------------------------------------------------------------------
def measure(name: str, database_url: str, work: Path, opts: Options) -> list[Figure]:
    settings = bench_settings(work / "data", database_url)
    instance.initialise(settings, "admin@example.org", "Bench helpdesk")
    platform = instance.open_platform(settings)
    try:
        org_id = platform.run(SYSTEM, instance.intake_org_id)
        seconds = seed(platform, org_id, opts.cases)
        print(f"[{name}] seeded {opts.cases} cases in {seconds:.1f} s", flush=True)
        token = handler_token(platform, org_id)
    finally:
        platform.dispose()
    with server(settings, work / f"server-{name}.log", opts.workers) as (url, pid):
        lists = list_latencies(url, token, opts.list_requests)
        print(f"[{name}] case list measured ({opts.list_requests} requests)", flush=True)
        run = intake_rate(url, pid, opts.reports, opts.clients)
    return figures(name, opts, run, lists)


def figures(name: str, opts: Options, run: IntakeRun, lists: list[float]) -> list[Figure]:
    list_p95, rate, posts = percentile(lists, 0.95) * 1000, run.rate, run.latencies
    return [
        Figure(
            name,
            f"intake reports accepted ({opts.clients} clients)",
            rate,
            "/s",
            f">= {TARGET_REPORTS_PER_S:.0f}/s",
            rate >= TARGET_REPORTS_PER_S,
        ),
        Figure(name, "intake latency p50", percentile(posts, 0.5) * 1000, "ms"),
        Figure(name, "intake latency p95", percentile(posts, 0.95) * 1000, "ms"),
        Figure(name, "intake server CPU per report", run.server_cpu_ms, "ms"),
        Figure(name, "intake client CPU per report", run.client_cpu_ms, "ms"),
        Figure(
            name, f"case list p50 ({opts.cases:,} cases)", statistics.median(lists) * 1000, "ms"
        ),
        Figure(
            name,
            f"case list p95 ({opts.cases:,} cases)",
            list_p95,
            "ms",
            f"< {TARGET_LIST_P95_MS:.0f} ms",
            list_p95 < TARGET_LIST_P95_MS,
        ),
    ]


@contextmanager
def postgres_database(admin_url: str) -> Iterator[str]:
    """A temporary database on the PostgreSQL server, dropped afterwards."""
    name = f"qalxan_bench_{os.getpid()}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def postgres_reachable(admin_url: str) -> str | None:
    """None when reachable, else why not."""
    engine = create_engine(admin_url)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return None
    except Exception as exc:  # any failure to connect means "no PostgreSQL here"
        return f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
    finally:
        engine.dispose()


def run_database(name: str, opts: Options) -> list[Figure]:
    with tempfile.TemporaryDirectory(prefix="qalxan-bench-") as tmp:
        work = Path(tmp)
        if name == "sqlite":
            return measure(name, f"sqlite:///{work / 'data' / 'qalxan.db'}", work, opts)
        problem = postgres_reachable(opts.postgres_url)
        if problem:
            safe = make_url(opts.postgres_url).render_as_string()
            print(f"[postgres] skipped: PostgreSQL not reachable at {safe} ({problem})")
            return []
        with postgres_database(opts.postgres_url) as url:
            return measure(name, url, work, opts)


def parse(argv: list[str] | None = None) -> Options:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--quick",
        action="store_true",
        help="fewer requests (100 reports, 100 list requests); same 10,000 cases",
    )
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--reports", type=int, default=None, help="default 600 (100 quick)")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--list-requests", type=int, default=None, help="default 300 (100 quick)")
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--workers", type=int, default=1,
                        help="server processes of `qalxan serve` (default 1)")
    parser.add_argument(
        "--postgres-url", default=os.environ.get("QALXAN_BENCH_POSTGRES_URL", DEFAULT_PG)
    )
    args = parser.parse_args(argv)
    return Options(
        cases=args.cases,
        reports=args.reports or (100 if args.quick else 600),
        clients=args.clients,
        list_requests=args.list_requests or (100 if args.quick else 300),
        databases=tuple(d.strip() for d in args.databases.split(",") if d.strip()),
        postgres_url=args.postgres_url,
        workers=args.workers,
    )


def main(argv: list[str] | None = None) -> int:
    opts = parse(argv)
    print(
        f"Qalxan platform core benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, "
        f"{os.cpu_count()} CPUs, Python {host.python_version()}, loopback HTTP, "
        f"{opts.workers} server process(es), load average {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    results = [f for name in opts.databases for f in run_database(name, opts)]
    print(f"\nload average at the end {os.getloadavg()[0]:.1f} (the machine is shared: "
          "read the figures with it)")
    print(f"\n{'database':<10} {'figure':<40} {'measured':>15} {'target':<10} verdict")
    for figure in results:
        print(figure.line())
    return 0 if all(f.passed is not False for f in results) else 1


if __name__ == "__main__":
    sys.exit(main())
