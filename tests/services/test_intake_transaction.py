"""How intake uses its transaction: reads first without a lock, a retry answered before any
analysis, a new report prepared before the write lock, and every row written as stored."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlalchemy import func, select, text

from qalxan.security.access import DEFENDER
from qalxan.services import intake
from qalxan.services.context import Platform
from qalxan.services.schemas import Receipt, ReportSubmission
from qalxan.store.db import make_engine
from qalxan.store.tables import (
    AuditEvent,
    Case,
    CaseTag,
    Consent,
    DataKeyRow,
    Defender,
    Evidence,
    IdempotencyRecord,
    Incident,
    TimelineEvent,
)

TEXT = "They posted my home address and said they would come to my office."


def report(text: str = TEXT) -> ReportSubmission:
    return ReportSubmission.model_validate({
        "what_happened": text, "threat_types": ["doxing"],
        "links": ["https://social.example/post/1", "https://social.example/post/2"]})


def count(platform: Platform, model: type) -> int:
    with platform.sessions() as s:
        return int(s.execute(select(func.count()).select_from(model)).scalar_one())


def test_a_retry_is_answered_without_analysing_the_report_again(
        platform: Platform, intake_org: str, monkeypatch: pytest.MonkeyPatch) -> None:
    first = platform.run(DEFENDER, intake.submit_report, report(), (), "retry-1")

    def no_analysis(*_: object) -> None:
        raise AssertionError("a retry must not be analysed")

    monkeypatch.setattr(intake, "run_engine", no_analysis)
    assert platform.run(DEFENDER, intake.submit_report, report(), (), "retry-1") == first
    assert count(platform, Case) == 1


def test_a_report_reaches_the_database_in_full(platform: Platform, intake_org: str) -> None:
    platform.run(DEFENDER, intake.submit_report, report(), (), "full-1")
    expected = {Case: 1, Defender: 1, Incident: 1, Evidence: 2, Consent: 1, TimelineEvent: 1,
                IdempotencyRecord: 1}
    assert {model: count(platform, model) for model in expected} == expected
    assert count(platform, CaseTag) >= 1
    # one data key per sealed record: defender, incident, two links, findings (the receipt
    # kept for a retry is sealed under a key from its Idempotency-Key, not a data key)
    assert count(platform, DataKeyRow) >= 4
    with platform.sessions() as s:
        assert s.execute(select(IdempotencyRecord.key_id)).scalar_one() is None
    with platform.sessions() as s:
        case = s.execute(select(Case)).scalar_one()
        defender = s.execute(select(Defender)).scalar_one()
        audited = s.execute(select(AuditEvent.action, AuditEvent.object_id)).all()
    # the columns the rows leave to their defaults have them
    assert (case.restricted, case.is_demo, defender.is_demo) == (False, False, False)
    assert ("case.create", case.id) in [tuple(row) for row in audited]


def test_on_sqlite_a_report_is_prepared_while_another_writer_holds_the_lock(
        platform: Platform, intake_org: str, database_url: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("PostgreSQL writers take no database-wide lock")
    prepared = threading.Event()
    real_create_case = intake._create_case

    def create_case(*args: Any) -> Any:
        made = real_create_case(*args)
        prepared.set()  # analysed, sealed and built as rows; nothing written yet
        return made

    monkeypatch.setattr(intake, "_create_case", create_case)
    receipts: list[Receipt] = []
    submit = threading.Thread(target=lambda: receipts.append(platform.run(
        DEFENDER, intake.submit_report, report(), (), "locked-1")))
    other = make_engine(database_url)  # as another server process would
    try:
        with other.begin() as conn:  # takes the turn and SQLite's write lock
            conn.execute(text("SELECT 1"))
            submit.start()
            assert prepared.wait(timeout=30)  # the reads did not wait for the lock
            submit.join(timeout=0.3)
            assert submit.is_alive() and not receipts  # its writes wait for it
        submit.join(timeout=30)
    finally:
        other.dispose()
    assert len(receipts) == 1 and count(platform, Case) == 1
