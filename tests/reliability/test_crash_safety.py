"""An acknowledged write is never lost: SIGKILL the server in the middle of a burst.

A real ``qalxan serve`` process, on a data directory set up by ``qalxan init``, takes intake
submissions (JSON and multipart with small files, each with its own ``Idempotency-Key``)
from a few client threads, while a case handler's client updates the cases as they arrive
(an internal note, then the move from ``new`` to ``triage``). It is killed with SIGKILL at a
random moment of the burst and restarted on the same data directory, three times over. After
each restart:

- every submission that was answered ``201`` is stored, once;
- retrying the unanswered ones with their own key creates each at most once (a submission
  that committed before the kill answers with its first receipt), and retrying answered ones
  returns the same case reference;
- every note that was answered ``201`` is stored and opens to its text, and every case whose
  move to ``triage`` was answered is in ``triage``;
- nothing is half-written: every case has its defender and incident, every sealed record
  opens, every file evidence row has its sealed blob (and it decrypts to its hash), and no
  row refers to an unfinished ``.part`` file;
- ``qalxan audit verify`` exits 0 after the last restart (the chain covers every cycle).

The kill points come from a seed, printed (and repeated in every assertion message) so a
failure can be replayed with ``QALXAN_CRASH_SEED=<seed>``.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from qalxan.config import Settings
from qalxan.security import crypto
from qalxan.security.vault import Vault
from qalxan.services.context import Platform, utcnow
from qalxan.store.tables import Case, Defender, Evidence, IdempotencyRecord, Incident, Note
from tests.serving import Server, cli, instance_env

pytestmark = pytest.mark.slow

CYCLES = 3
THREADS = 3
PER_THREAD = 40
KILL_AFTER_ACKS = (4, 30)  # the kill comes after this many answered submissions...
KILL_JITTER_S = (0.0, 0.02)  # ...plus a random delay, so it lands inside a request
RESENT_ACKNOWLEDGED = 5
UPDATES_BEFORE_KILL = 4  # ...and after this many answered notes in the cycle
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class Submission:
    key: str
    report: dict[str, Any]
    file: tuple[str, bytes, str] | None = None

    def send(self, client: httpx.Client) -> httpx.Response:
        headers = {"Idempotency-Key": self.key}
        if self.file is None:
            return client.post("/api/v1/intake", json=self.report, headers=headers)
        return client.post("/api/v1/intake", headers=headers,
                           data={"report": json.dumps(self.report)}, files={"files": self.file})


def make_submission(rng: random.Random, cycle: int, thread: int, index: int) -> Submission:
    key = f"crash-{cycle}-{thread}-{index}-{rng.getrandbits(48):012x}"
    report = {"what_happened": f"Burst report {key}: threats and my address were posted.",
              "threat_types": rng.sample(["doxing", "harassment.threat", "smear"], k=2),
              "urgency": rng.choice(["low", "medium", "high"])}
    kind = index % 3
    if kind == 0:
        return Submission(key, report)
    if kind == 1:
        text = (f"evidence for {key}\n" * rng.randint(1, 200)).encode()
        return Submission(key, report, ("evidence.txt", text, "text/plain"))
    return Submission(key, report, ("screenshot.png", PNG_MAGIC + rng.randbytes(
        rng.randint(16, 4096)), "image/png"))


@dataclass
class Burst:
    """What the clients saw: answered, unanswered (maybe stored, maybe not) and surprises."""

    kill_after: int
    acknowledged: dict[str, str] = field(default_factory=dict)
    unanswered: list[Submission] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    reached: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answered(self, sub: Submission, response: httpx.Response) -> bool:
        with self.lock:
            if response.status_code != 201:
                self.unexpected.append(f"{sub.key}: {response.status_code} {response.text[:300]}")
                return False
            self.acknowledged[sub.key] = response.json()["case_reference"]
            if len(self.acknowledged) >= self.kill_after:
                self.reached.set()
            return True

    def lost(self, sub: Submission) -> None:
        with self.lock:
            self.unanswered.append(sub)

    def client(self, url: str, subs: list[Submission]) -> None:
        with httpx.Client(base_url=url, timeout=30) as client:
            for sub in subs:
                try:
                    response = sub.send(client)
                except httpx.TransportError:
                    self.lost(sub)  # the server died under this request (or before it)
                    return
                if not self.answered(sub, response):
                    return


@dataclass
class Updates:
    """A case handler's updates during the burst: the answered ones, by note id and case id."""

    notes: dict[str, str] = field(default_factory=dict)  # note id -> its text
    triaged: set[str] = field(default_factory=set)  # case ids
    unexpected: list[str] = field(default_factory=list)

    def client(self, url: str, token: str, done: threading.Event) -> None:
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=url, timeout=30, headers=headers) as client:
            try:
                while not done.is_set():
                    if not self._round(client):
                        time.sleep(0.005)
            except httpx.TransportError:
                return  # the server died under this request (or before it)

    def _round(self, client: httpx.Client) -> bool:
        listed = client.get("/api/v1/cases", params={"status": "new", "limit": 20})
        if listed.status_code != 200:
            self.unexpected.append(f"list: {listed.status_code} {listed.text[:200]}")
            return False
        for case in listed.json()["items"]:
            text = f"Handler note on {case['id']} {len(self.notes)}"
            note = client.post(f"/api/v1/cases/{case['id']}/notes",
                               json={"text": text, "kind": "internal"})
            if note.status_code != 201:
                self.unexpected.append(f"note: {note.status_code} {note.text[:200]}")
                continue
            self.notes[note.json()["id"]] = text
            moved = client.post(f"/api/v1/cases/{case['id']}/status", json={"status": "triage"})
            if moved.status_code == 200:
                self.triaged.add(case["id"])
            else:
                self.unexpected.append(f"status: {moved.status_code} {moved.text[:200]}")
        return bool(listed.json()["items"])


@dataclass
class Run:
    """One instance across its kills and restarts, and everything it has acknowledged."""

    seed: int
    server: Server
    settings: Settings
    env: dict[str, str]
    rng: random.Random
    token: str
    updates: Updates = field(default_factory=Updates)
    sent: dict[str, Submission] = field(default_factory=dict)
    references: dict[str, str] = field(default_factory=dict)  # key -> case reference

    def why(self, cycle: int) -> str:
        return f"seed={self.seed} cycle={cycle} (replay with QALXAN_CRASH_SEED={self.seed})"

    def burst_and_kill(self, cycle: int) -> Burst:
        burst = Burst(kill_after=self.rng.randint(*KILL_AFTER_ACKS))
        jitter = self.rng.uniform(*KILL_JITTER_S)
        plans = [[make_submission(self.rng, cycle, t, i) for i in range(PER_THREAD)]
                 for t in range(THREADS)]
        self.sent.update((s.key, s) for plan in plans for s in plan)
        threads = [threading.Thread(target=burst.client, args=(self.server.url, plan))
                   for plan in plans]
        done = threading.Event()
        updater = threading.Thread(target=self.updates.client,
                                   args=(self.server.url, self.token, done))
        for thread in [*threads, updater]:
            thread.start()
        notes_before = len(self.updates.notes)
        while not (burst.reached.wait(timeout=0.01)
                   and len(self.updates.notes) >= notes_before + UPDATES_BEFORE_KILL):
            if not any(thread.is_alive() for thread in threads):
                break
        time.sleep(jitter)
        self.server.kill()
        done.set()
        for thread in [*threads, updater]:
            thread.join(timeout=60)
        print(f"cycle {cycle}: killed after {burst.kill_after} answers + {jitter * 1000:.1f} ms;"
              f" {len(burst.acknowledged)} answered, {len(burst.unanswered)} unanswered")
        return burst

    def retry(self, cycle: int, burst: Burst) -> None:
        """After the restart: unanswered ones again, and a few answered ones again."""
        answered = sorted(burst.acknowledged)
        again = self.rng.sample(answered, k=min(RESENT_ACKNOWLEDGED, len(answered)))
        with httpx.Client(base_url=self.server.url, timeout=30) as client:
            for sub in burst.unanswered:
                response = sub.send(client)
                assert response.status_code == 201, f"{self.why(cycle)}: {response.text}"
                burst.acknowledged[sub.key] = response.json()["case_reference"]
            for key in again:
                response = self.sent[key].send(client)
                assert response.status_code == 201, f"{self.why(cycle)}: {response.text}"
                assert response.json()["case_reference"] == burst.acknowledged[key], \
                    f"{self.why(cycle)}: a retried submission got a different case"
        self.references.update(burst.acknowledged)


@pytest.fixture
def run(tmp_path: Path, database_url: str) -> Iterator[Run]:
    seed = int(os.environ.get("QALXAN_CRASH_SEED") or random.SystemRandom().getrandbits(32))
    print(f"crash-safety seed: {seed}")
    data_dir = tmp_path / "instance"
    env = instance_env(data_dir, database_url)
    init = cli(env, "init", "--json")
    assert init.returncode == 0, init.stderr
    handler = cli(env, "user", "add", "handler@example.org", "--role", "case_handler")
    assert handler.returncode == 0, handler.stderr
    token = cli(env, "token", "create", "--user", "handler@example.org", "--name", "crash",
                "--scope", "case:list", "--scope", "case:update", "--scope", "note:add",
                "--json")
    assert token.returncode == 0, token.stderr
    server = Server(env, tmp_path / "server.log")
    settings = Settings(data_dir=data_dir, database_url=database_url)
    try:
        yield Run(seed, server, settings, env, random.Random(seed),
                  json.loads(token.stdout)["secret"])
    finally:
        server.stop()


def test_acknowledged_reports_survive_kills_and_retries_do_not_duplicate(run: Run) -> None:
    run.server.start()
    for cycle in range(CYCLES):
        burst = run.burst_and_kill(cycle)
        assert not burst.unexpected, f"{run.why(cycle)}: {burst.unexpected[:3]}"
        assert not run.updates.unexpected, f"{run.why(cycle)}: {run.updates.unexpected[:3]}"
        assert burst.unanswered, f"{run.why(cycle)}: the kill did not interrupt the burst"
        acknowledged_before_kill = set(burst.acknowledged.values())
        run.server.start()
        stored_before_retry = stored_references(run.settings)
        assert acknowledged_before_kill <= stored_before_retry, \
            f"{run.why(cycle)}: an acknowledged submission was lost"
        run.retry(cycle, burst)
        late = {burst.acknowledged[s.key] for s in burst.unanswered} & stored_before_retry
        print(f"cycle {cycle}: {len(late)} stored but unanswered when killed (retry replayed)")
        check_store(run, cycle)
    # once, at the end: a chain broken by any of the kills stays broken
    verify = cli(run.env, "audit", "verify")
    assert verify.returncode == 0, f"{run.why(CYCLES - 1)}: {verify.stdout}{verify.stderr}"


# checks on the stored state ---------------------------------------------------------------
def _platform(settings: Settings) -> Platform:
    return Platform(settings, crypto.load_instance_key(settings.resolved_key_file()))


def stored_references(settings: Settings) -> set[str]:
    platform = _platform(settings)
    try:
        with platform.sessions() as session:
            return set(session.execute(select(Case.reference)).scalars())
    finally:
        platform.dispose()


def check_store(run: Run, cycle: int) -> None:
    why = run.why(cycle)
    expected = set(run.references.values())
    assert len(expected) == len(run.references), f"{why}: two submissions share one case"
    platform = _platform(run.settings)
    try:
        with platform.sessions() as session:
            stored = list(session.execute(select(Case.reference)).scalars())
            assert sorted(stored) == sorted(expected), \
                f"{why}: stored cases differ from acknowledged ones (lost or duplicated)"
            records = session.execute(select(func.count()).select_from(IdempotencyRecord))
            assert records.scalar_one() == len(run.references), f"{why}: idempotency records"
            vault = Vault(session, platform.keyring, platform.files, utcnow())
            _check_cases_whole(session, vault, why)
            _check_files(session, vault, platform.files.root, why)
            _check_updates(session, vault, run.updates, why)
    finally:
        platform.dispose()


def _check_cases_whole(session: Session, vault: Vault, why: str) -> None:
    no_incident = session.execute(select(Case.reference).where(
        ~exists().where(Incident.case_id == Case.id))).scalars().all()
    assert not no_incident, f"{why}: cases without their incident: {no_incident[:5]}"
    no_defender = session.execute(select(Case.reference).where(
        ~exists().where(Defender.id == Case.defender_id))).scalars().all()
    assert not no_defender, f"{why}: cases without their defender: {no_defender[:5]}"
    for incident in session.execute(select(Incident)).scalars():
        report = vault.open_row_json("report", incident, "report_sealed")
        assert report["what_happened"].startswith("Burst report"), why
    for defender in session.execute(select(Defender)).scalars():
        vault.open_defender_contact(defender)


def _check_files(session: Session, vault: Vault, root: Path, why: str) -> None:
    items = session.execute(select(Evidence).where(Evidence.kind == "file")).scalars().all()
    assert items, f"{why}: no file evidence was stored at all"
    unfinished = {p.stem for p in root.glob("*/*.part")}
    for item in items:
        assert item.blob_name is not None, f"{why}: file evidence {item.id} without a blob"
        assert item.blob_name not in unfinished, f"{why}: {item.id} refers to a .part file"
        assert (root / item.blob_name[:2] / item.blob_name).is_file(), \
            f"{why}: the sealed blob of {item.id} is missing"
        data = b"".join(vault.open_file(item.key_id, item.id, item.blob_name))
        sha256 = vault.open_row_text("evidence-sha256", item, "sha256_sealed")
        assert hashlib.sha256(data).hexdigest() == sha256, f"{why}: {item.id} corrupted"


def _check_updates(session: Session, vault: Vault, updates: Updates, why: str) -> None:
    stored = {n.id: n for n in session.execute(select(Note)).scalars()}
    lost = sorted(set(updates.notes) - set(stored))
    assert not lost, f"{why}: answered notes lost: {lost[:5]}"
    for note in stored.values():  # answered or not, every stored note is whole
        text = vault.open_row_text("note", note, "body_sealed")
        assert text == updates.notes.get(note.id, text) and text.startswith("Handler note"), why
    statuses = {case_id: status for case_id, status in session.execute(
        select(Case.id, Case.status))}
    regressed = sorted(c for c in updates.triaged if statuses.get(c) != "triage")
    assert not regressed, f"{why}: answered status changes lost: {regressed[:5]}"
    print(f"{len(updates.notes)} notes and {len(updates.triaged)} status changes answered")
