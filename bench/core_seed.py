"""The seed of the platform-core benchmark: a fresh instance's case queue, stored as intake
stores it (every case with its defender, incident and consent, each sealed with its own data
key, tags, a timeline event and an audit event). Used by ``core_throughput.py`` and
``ui_render.py``.
"""

from __future__ import annotations

import random
import time
import uuid
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select

from qalxan.config import Settings
from qalxan.domain.enums import TLP, CaseStatus, ContactChannel, Role, Urgency
from qalxan.security.access import SYSTEM
from qalxan.services import accounts, tokens
from qalxan.services.context import Context, Platform
from qalxan.services.receipts import new_case_reference, new_pseudonym, new_receipt_code
from qalxan.services.schemas import TokenInput, UserInput
from qalxan.services.timeline import record
from qalxan.store.tables import Case, CaseTag, Consent, Defender, Incident, new_id

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
