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
import os
import platform as host
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from qalxan.config import Settings
from qalxan.domain.enums import TLP, CaseStatus, ContactChannel, Role, Urgency
from qalxan.security.access import SYSTEM
from qalxan.services import accounts, instance, tokens
from qalxan.services.context import Context, Platform
from qalxan.services.receipts import new_case_reference, new_pseudonym, new_receipt_code
from qalxan.services.schemas import TokenInput, UserInput
from qalxan.services.timeline import record
from qalxan.store.tables import Case, CaseTag, Consent, Defender, Incident, new_id

TARGET_REPORTS_PER_S = 200.0
TARGET_LIST_P95_MS = 50.0
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
CLI = (sys.executable, "-m", "qalxan.cli.main")
SEED_BATCH = 500
THREATS = (
    "doxing",
    "harassment.threat",
    "smear",
    "phishing",
    "account_compromise",
    "disinformation",
    "surveillance.spyware",
)
COUNTRIES = ("AZ", "BY", "GE", "KZ", "RU", "TR", "UA", "IR", "VE", "NI", None)
REPORT_TEXT = (
    "Since Monday an account keeps posting my home address and photos of my office, "
    "calling me a foreign agent and telling people to come and 'visit' me. "
    "Several of my colleagues received the same messages. {n}"
)


@dataclass(frozen=True)
class Options:
    cases: int
    reports: int
    clients: int
    list_requests: int
    databases: tuple[str, ...]
    postgres_url: str


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


# the instance and its seed -----------------------------------------------------------------
def bench_settings(data_dir: Path, database_url: str) -> Settings:
    """A fast Argon2id: staff passwords play no part in what is measured."""
    return Settings(data_dir=data_dir, database_url=database_url, argon2_time_cost=1,
                    argon2_memory_kib=8, argon2_parallelism=1)


def seed_batch(ctx: Context, org_id: str, count: int, rng: random.Random) -> None:
    """``count`` cases as intake stores them (sealed defender, incident and consent)."""
    for _ in range(count):
        created = ctx.now() - timedelta(minutes=rng.randint(0, 525_600))
        case = Case(
            id=new_id(),
            org_id=org_id,
            reference=new_case_reference(),
            status=rng.choice(list(CaseStatus)).value,
            tlp=TLP.AMBER.value,
            urgency=rng.choice(list(Urgency)).value,
            risk_score=rng.randint(0, 100),
            receipt_digest=ctx.keyring.receipt_digest(new_receipt_code()),
            created_at=created,
            updated_at=created,
        )
        case.defender_id = _seed_defender(ctx, org_id, case.id, rng)
        case.tags = [CaseTag(code=code) for code in rng.sample(THREATS, k=rng.randint(1, 3))]
        ctx.session.add(case)
        _seed_incident(ctx, case.id, [t.code for t in case.tags], rng)
        ctx.session.add(
            Consent(
                case_id=case.id,
                scope="share_with_organisations",
                granted=rng.random() < 0.5,
                source="intake",
                recorded_at=created,
            )
        )
        record(ctx, case.id, "case.created", source="report")
        ctx.audit("case.create", "case", case.id, org_id=org_id)


def _seed_defender(ctx: Context, org_id: str, case_id: str, rng: random.Random) -> str:
    defender_id = new_id()
    key_id = ctx.vault.new_key(case_id)
    contact = {"channel": ContactChannel.RECEIPT_ONLY.value, "address": None}
    ctx.session.add(
        Defender(
            id=defender_id,
            org_id=org_id,
            pseudonym=new_pseudonym(),
            kind="individual",
            country=rng.choice(COUNTRIES),
            key_id=key_id,
            identity_sealed=ctx.vault.seal_json(
                key_id, "defender-identity", defender_id, {"legal_name": None}
            ),
            contact_sealed=ctx.vault.seal_json(key_id, "defender-contact", defender_id, contact),
            created_at=ctx.now(),
        )
    )
    return defender_id


def _seed_incident(ctx: Context, case_id: str, codes: list[str], rng: random.Random) -> None:
    incident_id = new_id()
    key_id = ctx.vault.new_key(case_id)
    body = {"what_happened": REPORT_TEXT.format(n=rng.getrandbits(32)), "language": "en"}
    ctx.session.add(
        Incident(
            id=incident_id,
            case_id=case_id,
            source="report",
            threat_codes=codes,
            key_id=key_id,
            report_sealed=ctx.vault.seal_json(key_id, "report", incident_id, body),
            created_at=ctx.now(),
        )
    )


def seed(platform: Platform, org_id: str, total: int) -> float:
    """Bring the case count up to ``total``; returns the seconds it took."""
    started, rng = time.perf_counter(), random.Random(7)
    with platform.sessions() as session:
        have = int(session.execute(select(func.count()).select_from(Case)).scalar_one())
    left = max(0, total - have)
    while left:
        batch = min(SEED_BATCH, left)
        platform.run(SYSTEM, seed_batch, org_id, batch, rng)
        left -= batch
    return time.perf_counter() - started


def handler_token(platform: Platform, org_id: str) -> str:
    user, _ = platform.run(
        SYSTEM,
        accounts.create_user,
        UserInput(
            email=f"bench-{uuid.uuid4().hex[:8]}@example.org",
            display_name="Bench handler",
            role=Role.CASE_HANDLER,
            org_id=org_id,
        ),
    )
    _, secret = platform.run(
        SYSTEM, tokens.create_token, TokenInput(name="bench", scopes=["case:list"]), user.id
    )
    return secret


# the server process -------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def server(settings: Settings, log: Path) -> Iterator[str]:
    """A ``qalxan serve`` process on a free loopback port; yields its base URL."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("QALXAN_")}
    env.update(
        QALXAN_DATA_DIR=str(settings.data_dir), QALXAN_DATABASE_URL=settings.resolved_database_url()
    )
    port = free_port()
    with log.open("ab") as out:
        process = subprocess.Popen(
            [*CLI, "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_ready(process, url, log)
        yield url
    finally:
        process.kill()
        process.wait(timeout=30)


def _wait_ready(process: subprocess.Popen[bytes], url: str, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            if httpx.get(f"{url}/api/v1/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError("server did not become ready in 60 s")


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
    with httpx.Client(base_url=url, timeout=60) as client:
        for n in numbers:
            elapsed = timed(
                lambda n=n: client.post(  # type: ignore[misc]
                    "/api/v1/intake",
                    json=report_body(n),
                    headers={"Idempotency-Key": f"bench-{n}-{uuid.uuid4().hex}"},
                ),
                201,
            )
            with lock:
                latencies.append(elapsed)


def intake_rate(url: str, reports: int, clients: int) -> tuple[float, list[float]]:
    with httpx.Client(base_url=url, timeout=60) as client:  # warm-up: loads the detectors
        for n in range(5):
            timed(
                lambda n=n: client.post("/api/v1/intake", json=report_body(n)),  # type: ignore[misc]
                201,
            )
    latencies: list[float] = []
    lock = threading.Lock()
    shares = [range(10_000 + i, 10_000 + reports, clients) for i in range(clients)]
    threads = [
        threading.Thread(target=_intake_client, args=(url, share, latencies, lock))
        for share in shares
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if len(latencies) != reports:
        raise RuntimeError(f"only {len(latencies)} of {reports} reports were accepted")
    return reports / elapsed, latencies


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
    with server(settings, work / f"server-{name}.log") as url:
        lists = list_latencies(url, token, opts.list_requests)
        print(f"[{name}] case list measured ({opts.list_requests} requests)", flush=True)
        rate, posts = intake_rate(url, opts.reports, opts.clients)
    return figures(name, opts, rate, posts, lists)


def figures(
    name: str, opts: Options, rate: float, posts: list[float], lists: list[float]
) -> list[Figure]:
    list_p95 = percentile(lists, 0.95) * 1000
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
    )


def main(argv: list[str] | None = None) -> int:
    opts = parse(argv)
    print(
        f"Qalxan platform core benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, "
        f"{os.cpu_count()} CPUs, Python {host.python_version()}, loopback HTTP",
        flush=True,
    )
    results = [f for name in opts.databases for f in run_database(name, opts)]
    print(f"\n{'database':<10} {'figure':<40} {'measured':>15} {'target':<10} verdict")
    for figure in results:
        print(figure.line())
    return 0 if all(f.passed is not False for f in results) else 1


if __name__ == "__main__":
    sys.exit(main())
