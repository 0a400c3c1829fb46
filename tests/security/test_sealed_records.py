"""What a copy of the database tells without the instance key, and what a writer without
the key can change: no plain hashes of known content, sealed records bound to the fields that
give them meaning, a case bound to its defender, and the metadata of a defender's writes
(random ids, times to the minute, padded sizes). On SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import io
import json
import uuid
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, select, text

from qalxan.domain.enums import MessageKind, Role
from qalxan.errors import IntegrityFailure
from qalxan.monitoring.monitor import Monitor
from qalxan.monitoring.posts import canonical_json
from qalxan.security.access import DEFENDER
from qalxan.security.vault import Vault
from qalxan.services import alerts, cases, evidence, exports, followup, intake, monitor, watchlists
from qalxan.services.context import Platform
from qalxan.services.monitoring_schemas import SourceInput, WatchEntryInput
from qalxan.services.schemas import (
    FollowupMessage,
    NoteInput,
    ReportSubmission,
    TextEvidenceInput,
)
from qalxan.store import schema
from qalxan.store.tables import Base, MonitoredPost
from tests.conftest import Staff, StaffFactory

SMEAR_URL = "https://smear.example/posts/aysel-is-a-foreign-agent"
SMEAR_TEXT = "Aysel Mammadova is a paid foreign agent and a traitor"
PHOTO = b"\x89PNG\r\n\x1a\n" + b"the photo the attacker posted" * 8
AYSEL = WatchEntryInput(names=["Aysel Mammadova"])


def _report(**fields: Any) -> ReportSubmission:
    return ReportSubmission(**{"what_happened": "They call me a traitor online.",
                               "defender_name": "Aysel Mammadova",
                               "links": [SMEAR_URL], **fields})


def _submit(platform: Platform, **fields: Any) -> tuple[str, str]:
    """A report with a link and a photo: (case id, receipt code)."""
    receipt = platform.run(DEFENDER, intake.submit_report, _report(**fields),
                           (intake.Upload("smear.png", "image/png", PHOTO),))
    with platform.engine.connect() as conn:
        case_id = conn.execute(text("SELECT id FROM cases WHERE reference = :r"),
                               {"r": receipt.case_reference}).scalar_one()
    return case_id, receipt.receipt_code


def _every_stored_value(conn: Connection) -> Iterator[str]:
    """Every value of every row, as text (bytes as hex too)."""
    for table in Base.metadata.sorted_tables:
        for row in conn.execute(select(table)):
            for value in row:
                if isinstance(value, bytes | memoryview):
                    yield bytes(value).hex()
                    yield bytes(value).decode("latin-1")
                elif value is not None:
                    yield json.dumps(value, default=str) if not isinstance(value, str) else value


def _keep_a_post(platform: Platform, analyst: Staff, tmp_path: Path) -> dict[str, Any]:
    """The monitor keeps a public post about a watched defender; the post as kept."""
    feed = tmp_path / "posts.jsonl"
    feed.write_text(json.dumps({"message_id": "m1", "user_id": "troll", "username": "troll",
                                "message": SMEAR_TEXT, "timestamp": 1_790_000_000.0}) + "\n")
    platform.run(analyst.actor, monitor.add_source,
                 SourceInput(kind="jsonl", name="dump", params={"path": str(feed)}))
    platform.run(analyst.actor, watchlists.add_entry, AYSEL)
    [result] = Monitor(platform).run_once()
    assert result.kept == 1, result
    with platform.sessions() as session, session.begin():
        vault = Vault(session, platform.keyring, platform.files, datetime.now(UTC))
        [post] = [vault.open_row_json(alerts.POST, row, "post_sealed")
                  for row in session.execute(select(MonitoredPost)).scalars()]
    return post


@pytest.fixture
def analyst(make_staff: StaffFactory, intake_org: str) -> Staff:
    return make_staff(Role.ANALYST, intake_org)


# Finding 7: no plain SHA-256 of content an attacker knows -----------------------------------

def test_plain_sha256_of_known_content_is_nowhere_in_the_database(
        platform: Platform, intake_org: str, handler: Staff, analyst: Staff,
        tmp_path: Path) -> None:
    """Review finding 7: the author of a smear hashes his own post, link or picture and looks
    for the hash in a seized database: he finds nothing, neither for evidence (URL, text,
    file) nor for a kept post."""
    case_id, _ = _submit(platform)
    platform.run(handler.actor, evidence.add_text_evidence, case_id,
                 TextEvidenceInput(kind="text", content=SMEAR_TEXT))
    post = _keep_a_post(platform, analyst, tmp_path)
    known = {
        "url": hashlib.sha256(SMEAR_URL.encode()).hexdigest(),
        "text": hashlib.sha256(SMEAR_TEXT.encode()).hexdigest(),
        "file": hashlib.sha256(PHOTO).hexdigest(),
        "post": hashlib.sha256(canonical_json(post).encode()).hexdigest(),
    }
    with platform.engine.connect() as conn:
        stored = "\n".join(_every_stored_value(conn))
    found = {what for what, digest in known.items()
             if digest in stored or bytes.fromhex(digest).decode("latin-1") in stored}
    assert found == set()


def test_the_sha256_taken_at_receipt_is_shown_where_custody_needs_it(
        platform: Platform, intake_org: str, handler: Staff, analyst: Staff,
        tmp_path: Path) -> None:
    """Review finding 7: the real SHA-256 is kept sealed and shown to staff on the case, on
    download and in the export's manifest; the keyed digest checks the content too."""
    case_id, _ = _submit(platform)
    detail = platform.run(handler.actor, cases.get_case, case_id)
    by_kind = {item.kind: item for item in detail.evidence}
    assert by_kind["url"].sha256 == hashlib.sha256(SMEAR_URL.encode()).hexdigest()
    assert by_kind["url"].size == len(SMEAR_URL.encode())
    assert by_kind["file"].sha256 == hashlib.sha256(PHOTO).hexdigest()
    bundle = platform.run(handler.actor, exports.export_case, case_id, exports.ExportRequest())
    with zipfile.ZipFile(io.BytesIO(bundle.data)) as archive:
        listed = json.loads(archive.read("manifest.json"))["files"]
    assert {hashlib.sha256(PHOTO).hexdigest(),
            hashlib.sha256(SMEAR_URL.encode()).hexdigest()} <= {f["sha256"] for f in listed}
    with platform.engine.begin() as conn:  # a writer without the key swaps the digest
        conn.execute(text("UPDATE evidence SET content_digest = :d WHERE kind = 'file'"),
                     {"d": "0" * 64})
    with pytest.raises(IntegrityFailure, match="hash taken at receipt"):
        platform.run(handler.actor, evidence.download_evidence, by_kind["file"].id)
    post = _keep_a_post(platform, analyst, tmp_path)
    [alert] = platform.run(analyst.actor, alerts.list_alerts)
    [shown] = platform.run(analyst.actor, alerts.get_alert, alert.id).posts
    assert shown.sha256 == hashlib.sha256(canonical_json(post).encode()).hexdigest()


# Finding 14: sealed values bound to the fields that give them meaning ----------------------

def test_an_internal_note_turned_into_a_reply_fails_to_open(
        platform: Platform, intake_org: str, handler: Staff) -> None:
    """Review finding 14: someone who can write the database without the key changes an
    internal note's kind to "reply": the defender does not get to read it; the follow-up
    fails as an integrity error instead."""
    case_id, code = _submit(platform)
    note_id = platform.run(handler.actor, cases.add_note, case_id,
                           NoteInput(text="internal: the source is an informant",
                                     kind=MessageKind.INTERNAL))
    assert platform.run(DEFENDER, followup.view_by_receipt, code).messages == []
    with platform.engine.begin() as conn:
        conn.execute(text("UPDATE notes SET kind = 'reply' WHERE id = :id"), {"id": note_id})
    with pytest.raises(IntegrityFailure, match=r"note .* failed authentication"):
        platform.run(DEFENDER, followup.view_by_receipt, code)


def test_a_case_pointed_at_another_defender_fails_to_open(
        platform: Platform, intake_org: str, handler: Staff) -> None:
    """Review finding 14: pointing a case at another defender's sealed identity (a
    restricted case's, say) shows nobody that identity: the case fails to open."""
    mine, _ = _submit(platform)
    other, _ = _submit(platform, defender_name="Someone Else")
    with platform.engine.begin() as conn:
        theirs = conn.execute(text("SELECT defender_id FROM cases WHERE id = :id"),
                              {"id": other}).scalar_one()
        conn.execute(text("UPDATE cases SET defender_id = :d WHERE id = :id"),
                     {"d": theirs, "id": mine})
    with pytest.raises(IntegrityFailure, match="defender or organisation was changed"):
        platform.run(handler.actor, cases.get_case, mine)
    assert platform.run(handler.actor, cases.get_case, other).defender["identity"] == {
        "legal_name": "Someone Else"}


SWAPS = {
    "evidence_kind": "UPDATE evidence SET kind = 'text' WHERE kind = 'url'",
    "evidence_case": "UPDATE evidence SET case_id = :other WHERE case_id = :mine",
    "incident_case": "UPDATE incidents SET case_id = :other WHERE case_id = :mine",
    "finding_code": "UPDATE findings SET code = 'doxing' WHERE case_id = :mine",
    "defender_org": "UPDATE defenders SET org_id = :org WHERE id = "
                    "(SELECT defender_id FROM cases WHERE id = :mine)",
}


@pytest.mark.parametrize("swap", sorted(SWAPS))
def test_a_sealed_value_whose_row_was_changed_fails_to_open(
        platform: Platform, intake_org: str, other_org: str, handler: Staff,
        swap: str) -> None:
    """Review finding 14: each bound field changed (evidence kind or case, an incident or a
    finding moved, a defender moved to another organisation) makes the record fail to open
    with a clear integrity error, naming what it is bound to, never showing the content."""
    mine, _ = _submit(platform, what_happened="They threaten to kill me and publish my "
                                               "address, Nizami street 5")
    other, _ = _submit(platform, defender_name="Someone Else")
    with platform.engine.begin() as conn:
        changed = conn.execute(text(SWAPS[swap]), {"mine": mine, "other": other,
                                                   "org": other_org})
        assert changed.rowcount >= 1  # type: ignore[attr-defined]
    with pytest.raises(IntegrityFailure, match="failed authentication") as failure:
        for case_id in (mine, other):
            platform.run(handler.actor, cases.get_case, case_id)
    assert "Nizami" not in str(failure.value)


def test_rows_sealed_before_the_upgrade_are_sealed_again_and_bound(
        platform: Platform, intake_org: str, handler: Staff) -> None:
    """Review findings 7, 14 and 17: a database from before (records bound to purpose and id
    only, plain SHA-256 columns) is converted by the upgrade with the instance key, and
    refused without it; afterwards every record opens and a swapped field fails."""
    case_id, code = _submit(platform)
    note_id = platform.run(handler.actor, cases.add_note, case_id,
                           NoteInput(text="internal only", kind=MessageKind.INTERNAL))
    schema.downgrade(platform.engine, "0007", keyring=platform.keyring)
    with platform.engine.connect() as conn:
        hashes = set(conn.execute(text("SELECT sha256 FROM evidence")).scalars())
        sizes = set(conn.execute(text("SELECT size FROM evidence")).scalars())
    assert hashlib.sha256(PHOTO).hexdigest() in hashes  # the old, plain form
    assert len(SMEAR_URL.encode()) in sizes
    with pytest.raises(RuntimeError, match="needs the instance key"):
        schema.upgrade(platform.engine)
    schema.upgrade(platform.engine, keyring=platform.keyring)
    detail = platform.run(handler.actor, cases.get_case, case_id)
    assert {e.sha256 for e in detail.evidence} == {
        hashlib.sha256(PHOTO).hexdigest(), hashlib.sha256(SMEAR_URL.encode()).hexdigest()}
    assert detail.defender["identity"] == {"legal_name": "Aysel Mammadova"}
    assert [n["text"] for n in detail.notes] == ["internal only"]
    with platform.engine.begin() as conn:
        conn.execute(text("UPDATE notes SET kind = 'reply' WHERE id = :id"), {"id": note_id})
    with pytest.raises(IntegrityFailure):
        platform.run(DEFENDER, followup.view_by_receipt, code)


# Finding 17: metadata of a defender's writes -------------------------------------------------

def _when(value: datetime | str) -> datetime:
    """A time read back by a plain SELECT (SQLite gives text, naive; all are UTC)."""
    at = datetime.fromisoformat(value) if isinstance(value, str) else value
    return at.replace(tzinfo=UTC)


def _version(value: str) -> int:
    return uuid.UUID(value).version or 0


def test_a_defenders_rows_get_random_ids_and_times_to_the_minute(
        platform: Platform, intake_org: str, handler: Staff) -> None:
    """Review finding 17: the rows a report becomes carry no millisecond: the ids that leave
    the database (case, defender, incident, evidence, the defender's message) are random,
    the other ids and every time tell the minute only, the audit event too; the defender's
    later message is stamped just after the reply before it, and no more precisely."""
    at = datetime(2026, 12, 8, 9, 41, 27, 318_000, tzinfo=UTC)
    platform.clock = lambda: at
    case_id, code = _submit(platform)
    with platform.engine.connect() as conn:
        def rows(sql: str) -> list[Any]:
            return [r[0] for r in conn.execute(text(sql), {"c": case_id})]
        random_ids = (rows("SELECT defender_id FROM cases WHERE id = :c")
                      + rows("SELECT id FROM incidents WHERE case_id = :c")
                      + rows("SELECT id FROM evidence WHERE case_id = :c"))
        times = (rows("SELECT created_at FROM cases WHERE id = :c")
                 + rows("SELECT updated_at FROM cases WHERE id = :c")
                 + rows("SELECT created_at FROM defenders WHERE id IN "
                        "(SELECT defender_id FROM cases WHERE id = :c)")
                 + rows("SELECT created_at FROM incidents WHERE case_id = :c")
                 + rows("SELECT created_at FROM evidence WHERE case_id = :c")
                 + rows("SELECT created_at FROM findings WHERE case_id = :c")
                 + rows("SELECT created_at FROM timeline_events WHERE case_id = :c")
                 + rows("SELECT recorded_at FROM consents WHERE case_id = :c")
                 + rows("SELECT created_at FROM data_keys WHERE case_id = :c"))
        dated_ids = (rows("SELECT id FROM findings WHERE case_id = :c")
                     + rows("SELECT id FROM data_keys WHERE case_id = :c")
                     + rows("SELECT id FROM timeline_events WHERE case_id = :c"))
        [audited] = rows("SELECT at FROM audit_events WHERE object_id = :c "
                         "AND action = 'case.create'")
    assert _version(case_id) == 4 and [_version(i) for i in random_ids] == [4] * 4
    minute = at.replace(second=0, microsecond=0)
    assert len(times) > 8 and {_when(t) for t in times} == {minute}
    # (the ids' time is the real one, not the test's clock: to the minute all the same)
    assert dated_ids and {(uuid.UUID(i).int >> 80) % 60_000 for i in dated_ids} == {0}
    assert _when(audited).second == _when(audited).microsecond == 0
    reply_at = at + timedelta(seconds=2)
    platform.clock = lambda: reply_at
    platform.run(handler.actor, cases.add_note, case_id,
                 NoteInput(text="We are on it.", kind=MessageKind.REPLY))
    platform.clock = lambda: at + timedelta(seconds=9)
    platform.run(DEFENDER, followup.add_by_receipt, code, FollowupMessage(text="Thank you"))
    with platform.engine.connect() as conn:
        thread = conn.execute(text("SELECT kind, id, created_at FROM notes WHERE case_id = :c "
                                   "ORDER BY created_at"), {"c": case_id}).all()
    assert [kind for kind, _, _ in thread] == ["reply", "defender"]
    assert _version(thread[1][1]) == 4
    assert _when(thread[1][2]) == reply_at + timedelta(microseconds=1)
    view = platform.run(DEFENDER, followup.view_by_receipt, code)
    assert [m.text for m in view.messages] == ["We are on it.", "Thank you"]


def test_sealed_sizes_fall_into_buckets(platform: Platform, intake_org: str,
                                        handler: Staff) -> None:
    """Review finding 17: a sealed record's size no longer tells its length to the byte:
    short texts all take the same room, longer ones a few sizes."""
    case_id, _ = _submit(platform)
    for words in ("Yes.", "Call the defender back tomorrow at nine; she has a new number.",
                  "x" * 257, "x" * 263):
        platform.run(handler.actor, cases.add_note, case_id,
                     NoteInput(text=words, kind=MessageKind.INTERNAL))
    with platform.engine.connect() as conn:
        sizes = [len(bytes(s)) for s in conn.execute(text(
            "SELECT body_sealed FROM notes ORDER BY created_at")).scalars()]
    assert sizes[0] == sizes[1] == 256 + 28
    assert sizes[2] == sizes[3] == 272 + 28

