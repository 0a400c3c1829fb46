"""Group commit: concurrent submissions share a transaction and its durable commit, and
nothing is acknowledged that is not committed; a failing submission fails alone."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Connection, func, insert, select

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
                              object_type="organisation", object_id=str(n), details={})


def add_organisation(name: str) -> Any:
    def write(connection: Connection) -> None:
        connection.execute(insert(Organisation), {"id": new_id(), "name": name,
                                                  "kind": "helpdesk", "created_at": NOW})
    return write


def names(platform: Platform) -> set[str]:
    with platform.sessions() as s:
        return set(s.scalars(select(Organisation.name)))


def chain_verifies(platform: Platform) -> bool:
    with platform.sessions() as s:
        return audit.verify(s, platform.keyring).ok


class Gate:
    """A write that holds the committer until released, so that calls queue up behind it."""

    def __init__(self) -> None:
        self.entered, self.release = threading.Event(), threading.Event()

    def __call__(self, connection: Connection) -> None:
        self.entered.set()
        assert self.release.wait(10)
        add_organisation("first")(connection)


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


def grouped(platform: Platform, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The size of every transaction the group commit runs from now on."""
    sizes: list[int] = []
    original = GroupCommit._transaction

    def counted(self: GroupCommit, group: list[Any]) -> None:
        sizes.append(len(group))
        original(self, group)

    monkeypatch.setattr(GroupCommit, "_transaction", counted)
    return sizes


def test_calls_that_queue_up_are_committed_together_and_a_failing_one_fails_alone(
        platform: Platform, monkeypatch: pytest.MonkeyPatch) -> None:
    sizes = grouped(platform, monkeypatch)
    group, gate = platform.group_commit, Gate()
    first = in_thread(group.commit, gate, [event(0)])
    assert gate.entered.wait(10)

    def broken(connection: Connection) -> None:
        add_organisation("never")(connection)
        raise ValueError("this submission is refused")

    writes = [add_organisation("second"), broken, add_organisation("third")]
    queued = []
    for n, write in enumerate(writes, start=1):
        queued.append(in_thread(group.commit, write, [event(n)]))
        while group._queue.qsize() < n:  # each call in the queue before the next
            threading.Event().wait(0.001)
    assert not any(outcome for _, outcome in queued)  # nothing acknowledged before a commit
    gate.release.set()
    for thread, _ in [first, *queued]:
        thread.join(10)
    outcomes = [outcome[0] for _, outcome in [first, *queued]]
    assert outcomes[0] == outcomes[1] == outcomes[3] == "committed"
    assert isinstance(outcomes[2], ValueError)
    assert sizes == [1, 3, 1, 1, 1]  # the group failed; then one by one
    assert {"first", "second", "third"} <= names(platform) and "never" not in names(platform)
    with platform.sessions() as s:  # the refused call's audit event went with its rows
        logged = set(s.scalars(select(AuditEvent.object_id)
                               .where(AuditEvent.action == "test.write")))
    assert logged == {"0", "1", "3"}
    assert chain_verifies(platform)


def test_a_group_whose_commit_fails_is_committed_call_by_call(
        platform: Platform, monkeypatch: pytest.MonkeyPatch) -> None:
    sizes = grouped(platform, monkeypatch)
    group, gate = platform.group_commit, Gate()
    first = in_thread(group.commit, gate, [])
    assert gate.entered.wait(10)

    def dangling(connection: Connection) -> None:  # foreign keys are checked at commit
        connection.execute(insert(TimelineEvent), {
            "id": new_id(), "case_id": "no-such-case", "kind": "case.created",
            "actor": "test", "data": {}, "created_at": NOW})

    writes = [add_organisation("before"), dangling, add_organisation("after")]
    queued = []
    for n, write in enumerate(writes, start=1):
        queued.append(in_thread(group.commit, write, [event(n)]))
        while group._queue.qsize() < n:
            threading.Event().wait(0.001)
    gate.release.set()
    for thread, _ in [first, *queued]:
        thread.join(10)
    outcomes = [outcome[0] for _, outcome in [first, *queued]]
    assert outcomes[0] == outcomes[1] == outcomes[3] == "committed"
    assert isinstance(outcomes[2], Exception)
    assert sizes == [1, 3, 1, 1, 1]  # the group failed at its commit; then one by one
    assert {"first", "before", "after"} <= names(platform)
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
        ctx.commit_with_others(add_organisation("handed over"))

    with pytest.raises(RuntimeError, match="own session"):
        platform.run(DEFENDER, mixed)
    assert not {"orm", "handed over"} & names(platform)


def test_a_closed_platform_commits_what_was_queued_and_refuses_more(
        platform: Platform) -> None:
    platform.group_commit.commit(add_organisation("queued"), [])
    platform.group_commit.close()
    with pytest.raises(RuntimeError, match="closed"):
        platform.group_commit.commit(add_organisation("late"), [])
    assert "queued" in names(platform) and "late" not in names(platform)


def test_a_forked_process_starts_its_own_committer(platform: Platform) -> None:
    group = platform.group_commit
    group.commit(add_organisation("parent"), [])
    parents, parents_queue = group._thread, group._queue
    group._pid = -1  # as seen from a child forked after the parent's thread started
    group.commit(add_organisation("child"), [])
    assert group._thread is not parents and {"parent", "child"} <= names(platform)
    parents_queue.put(None)  # in a real child the parent's thread does not exist
