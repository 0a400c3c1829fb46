"""Group commit: concurrent submissions share a transaction and its durable commit, and
nothing is acknowledged that is not committed; a failing submission fails alone."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime
from typing import Any, cast

import pytest
from sqlalchemy import Table, func, select
from sqlalchemy.exc import IntegrityError

from qalxan.security import audit
from qalxan.security.access import DEFENDER
from qalxan.services import intake
from qalxan.services.context import Context, Platform
from qalxan.services.group_commit import GroupCommit
from qalxan.services.schemas import ReportSubmission
from qalxan.store.tables import AuditEvent, Case, Organisation, TimelineEvent, new_id

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


def report(n: int) -> ReportSubmission:
    return ReportSubmission.model_validate({
        "what_happened": f"They posted my home address, report {n}.",
        "threat_types": ["doxing"], "links": [f"https://social.example/post/{n}"]})


def count(platform: Platform, model: type) -> int:
    with platform.sessions() as s:
        return int(s.execute(select(func.count()).select_from(model)).scalar_one())


def event(n: int) -> audit.PendingEvent:
    return audit.PendingEvent(actor="test", org_id=None, action="test.write",
                              object_type="organisation", object_id=str(uuid.UUID(int=n)),
                              details={})


def organisation(name: str) -> Any:
    """The rows that add an organisation."""
    return {cast(Table, Organisation.__table__): [
        {"id": new_id(), "name": name, "kind": "helpdesk", "accepts_intake": False,
         "is_demo": False, "created_at": NOW}]}


def names(platform: Platform) -> set[str]:
    with platform.sessions() as s:
        return set(s.scalars(select(Organisation.name)))


def chain_verifies(platform: Platform) -> bool:
    with platform.sessions() as s:
        return audit.verify(s, platform.keyring).ok


class Held:
    """Holds the committer in its first transaction until released, so that calls queue up
    behind it; records the size of every transaction."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.entered, self.release = threading.Event(), threading.Event()
        self.sizes: list[int] = []
        original = GroupCommit._transaction

        def held(group_commit: GroupCommit, group: list[Any]) -> None:
            self.sizes.append(len(group))
            if len(self.sizes) == 1:
                self.entered.set()
                assert self.release.wait(10)
            original(group_commit, group)

        monkeypatch.setattr(GroupCommit, "_transaction", held)


def in_thread(fn: Any, *args: Any) -> tuple[threading.Thread, list[Any]]:
    outcome: list[Any] = []

    def run() -> None:
        try:
            fn(*args)
            outcome.append("committed")
        except Exception as exc:
            outcome.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def queue_behind_a_held_commit(platform: Platform, monkeypatch: pytest.MonkeyPatch,
                               writes: list[Any]) -> tuple[list[Any], list[int]]:
    """Commit ``organisation("first")``, hold it, queue ``writes`` one after the other
    behind it, release; the outcome of every call and the size of every transaction."""
    group, held = platform.group_commit, Held(monkeypatch)
    calls = [in_thread(group.commit, organisation("first"), [event(0)])]
    assert held.entered.wait(10)
    for n, rows in enumerate(writes, start=1):
        calls.append(in_thread(group.commit, rows, [event(n)]))
        while group._queue.qsize() < n:  # each call in the queue before the next
            threading.Event().wait(0.001)
    assert not any(outcome for _, outcome in calls)  # nothing acknowledged before a commit
    held.release.set()
    for thread, _ in calls:
        thread.join(10)
    return [outcome[0] for _, outcome in calls], held.sizes


def test_calls_that_queue_up_are_committed_together_and_a_failing_one_fails_alone(
        platform: Platform, monkeypatch: pytest.MonkeyPatch) -> None:
    taken = organisation("first")  # a concurrent retry of the first call, say
    outcomes, sizes = queue_behind_a_held_commit(
        platform, monkeypatch, [organisation("second"), organisation("third"), taken,
                                organisation("fourth")])
    assert outcomes[:3] + outcomes[4:] == ["committed"] * 4 and sizes[:2] == [1, 4]
    assert isinstance(outcomes[3], IntegrityError)  # the name is unique
    assert sizes[2:] == [1, 1, 1, 1]  # the group failed as a whole; then call by call
    assert names(platform) >= {"first", "second", "third", "fourth"}
    with platform.sessions() as s:  # the refused call's audit event went with its rows
        logged = list(s.scalars(select(AuditEvent.object_id)
                                .where(AuditEvent.action == "test.write")
                                .order_by(AuditEvent.seq)))
    assert logged == [str(uuid.UUID(int=n)) for n in (0, 1, 2, 4)]
    assert chain_verifies(platform)


def test_a_group_whose_commit_fails_is_committed_call_by_call(
        platform: Platform, monkeypatch: pytest.MonkeyPatch) -> None:
    dangling = {cast(Table, TimelineEvent.__table__): [{  # foreign keys are checked at commit
        "id": new_id(), "case_id": "no-such-case", "kind": "case.created", "actor": "test",
        "data": {}, "created_at": NOW}]}
    outcomes, sizes = queue_behind_a_held_commit(
        platform, monkeypatch, [organisation("before"), dangling, organisation("after")])
    assert outcomes[:2] + outcomes[3:] == ["committed"] * 3
    assert isinstance(outcomes[2], IntegrityError)
    assert sizes == [1, 3, 1, 1, 1]
    assert names(platform) >= {"first", "before", "after"}
    assert count(platform, TimelineEvent) == 0
    assert chain_verifies(platform)


def test_concurrent_reports_are_all_stored_with_a_valid_audit_chain(
        platform: Platform, intake_org: str) -> None:
    receipts: list[Any] = []
    lock = threading.Lock()

    def submit(start: int) -> None:
        for n in range(start, start + 8):
            receipt = platform.run(DEFENDER, intake.submit_report, report(n), (), f"key-{n}")
            with lock:
                receipts.append(receipt)

    threads = [threading.Thread(target=submit, args=(k * 100,)) for k in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(receipts) == 32 and count(platform, Case) == 32
    with platform.sessions() as s:
        stored = set(s.scalars(select(Case.reference)))
    assert stored == {r.case_reference for r in receipts}
    assert chain_verifies(platform)


def test_a_call_that_hands_over_its_writes_and_changes_its_own_session_fails_whole(
        platform: Platform) -> None:
    def mixed(ctx: Context) -> None:
        ctx.session.add(Organisation(name="orm", kind="helpdesk"))
        ctx.commit_with_others(organisation("handed over"))

    with pytest.raises(RuntimeError, match="own session"):
        platform.run(DEFENDER, mixed)
    assert not {"orm", "handed over"} & names(platform)


def test_a_closed_platform_commits_what_was_queued_and_refuses_more(
        platform: Platform) -> None:
    platform.group_commit.commit(organisation("queued"), [])
    platform.group_commit.close()
    with pytest.raises(RuntimeError, match="closed"):
        platform.group_commit.commit(organisation("late"), [])
    assert "queued" in names(platform) and "late" not in names(platform)


def test_a_forked_process_starts_its_own_committer(platform: Platform) -> None:
    group = platform.group_commit
    group.commit(organisation("parent"), [])
    parents, parents_queue = group._thread, group._queue
    group._pid = -1  # as seen from a child forked after the parent's thread started
    group.commit(organisation("child"), [])
    assert group._thread is not parents and {"parent", "child"} <= names(platform)
    parents_queue.put(None)  # in a real child the parent's thread does not exist


def test_rows_naming_other_columns_are_refused_instead_of_losing_values(
        platform: Platform) -> None:
    rows = organisation("complete")
    table = next(iter(rows))
    rows[table].append({"id": new_id(), "name": "partial", "kind": "helpdesk",
                        "created_at": NOW})  # no accepts_intake, no is_demo
    with pytest.raises(ValueError, match="same columns"):
        platform.group_commit.commit(rows, [event(1)])
    assert not {"complete", "partial"} & names(platform)
