"""Backups against deletion: a restore deletes again what was deleted after the backup, and a
backup dies with its epoch's key; rotating the instance key; the audit head in a backup."""

from __future__ import annotations

import base64
import json
import tarfile
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select, update

from qalxan.errors import IntegrityFailure, InvalidInput, KeyUnavailable
from qalxan.security import audit, crypto, keyfiles
from qalxan.security.access import DEFENDER, SYSTEM
from qalxan.services import (
    audit_log,
    backups,
    cases,
    instance,
    intake,
    key_rotation,
    retention,
    watchlists,
)
from qalxan.services.context import Platform
from qalxan.services.monitoring_schemas import WatchEntryInput
from qalxan.services.schemas import ReportSubmission
from qalxan.store import backup as store_backup
from qalxan.store.tables import (
    AuditEvent,
    AuditHead,
    Base,
    Case,
    DataKeyRow,
    Defender,
    WatchEntry,
    new_id,
)
from tests.conftest import Staff

NAME = "Leyla Qasimova-Canary"


def _name(platform: Platform, staff: Staff, case_id: str) -> str:
    """The defender's name as the case page shows it."""
    name: str = platform.run(staff.actor, cases.get_case, case_id).defender["identity"][
        "legal_name"]
    return name


def _report(platform: Platform, staff: Staff, name: str, text: str) -> str:
    before = _case_ids(platform)
    platform.run(DEFENDER, intake.submit_report, ReportSubmission(
        what_happened=text, defender_name=name))
    (case_id,) = _case_ids(platform) - before
    return case_id


def _empty_instance(platform: Platform) -> None:
    """What a restore starts from: the schema, no rows, no stored files."""
    with platform.engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())
    for blob in platform.files.names():
        platform.files.delete(blob)


def _travel(platform: Platform, days: int) -> None:
    start = platform.clock()
    platform.clock = lambda: start + timedelta(days=days)


def _case_ids(platform: Platform) -> set[str]:
    with platform.sessions() as s:
        return set(s.execute(select(Case.id)).scalars())


def test_a_case_deleted_after_a_backup_stays_gone_after_a_restore(
        platform: Platform, admin: Staff, tmp_path: Path) -> None:
    """Review finding 2: a backup taken before a case was deleted, restored with the same
    instance key, returned the defender's name and the report."""
    kept = _report(platform, admin, "Someone Else", "a report that stays")
    gone = _report(platform, admin, NAME, "they published my address")
    archive = tmp_path / "before.qlx"
    backups.create_backup(platform, archive)
    platform.run(admin.actor, cases.delete_case, gone)
    assert keyfiles.shredded(platform.settings, "case") == {gone}

    _empty_instance(platform)
    report = backups.restore_backup(platform.settings, archive)
    assert report.deleted_again == [gone] and report.rows["cases"] == 2
    assert _case_ids(platform) == {kept}
    with platform.sessions() as s:
        assert s.execute(select(func.count()).select_from(Defender)).scalar_one() == 1
        assert s.execute(select(DataKeyRow).where(DataKeyRow.case_id == gone)).first() is None
        actions = s.execute(select(AuditEvent.action, AuditEvent.object_id)
                            .where(AuditEvent.action == "case.delete_reapplied")).all()
    assert [tuple(a) for a in actions] == [("case.delete_reapplied", gone)]
    assert _name(platform, admin, kept) == "Someone Else"
    assert platform.run(SYSTEM, audit_log.verify_chain).ok


def test_a_watch_entry_removed_after_a_backup_stays_gone_after_a_restore(
        platform: Platform, admin: Staff, tmp_path: Path) -> None:
    """Review finding 2: a watch-list entry (names, handles, phones of a defender) removed
    after a backup is removed again by a restore."""
    kept = platform.run(admin.actor, watchlists.add_entry,
                        WatchEntryInput(names=["Someone Else"])).id
    gone = platform.run(admin.actor, watchlists.add_entry,
                        WatchEntryInput(names=[NAME], handles=["@leyla_q"])).id
    archive = tmp_path / "before.qlx"
    backups.create_backup(platform, archive)
    platform.run(admin.actor, watchlists.remove_entry, gone)
    _empty_instance(platform)
    report = backups.restore_backup(platform.settings, archive)
    assert report.watch_entries_deleted_again == [gone]
    with platform.sessions() as s:
        assert set(s.execute(select(WatchEntry.id)).scalars()) == {kept}
    assert platform.run(SYSTEM, audit_log.verify_chain).ok


def test_a_backup_cannot_be_read_once_its_epoch_key_expired(
        platform: Platform, admin: Staff, tmp_path: Path) -> None:
    """Review finding 2: with the instance key, an old backup kept a deleted case readable
    for good; the retention purge now destroys the keys of old backup epochs."""
    _report(platform, admin, NAME, "they published my address")
    archive = tmp_path / "old.qlx"
    backups.create_backup(platform, archive)
    settings = platform.settings
    _travel(platform, settings.backup_retention_days - 1)
    assert platform.run(SYSTEM, retention.purge).backup_epochs == 0
    _travel(platform, settings.backup_retention_days + settings.backup_epoch_days)
    assert platform.run(SYSTEM, retention.purge).backup_epochs >= 1
    _empty_instance(platform)
    with pytest.raises(KeyUnavailable, match="expired"):
        backups.restore_backup(settings, archive)
    assert _case_ids(platform) == set()
    # the instance key alone opens nothing in the archive either
    key_file_text = settings.resolved_key_file().read_text()
    assert NAME.encode() not in archive.read_bytes() and key_file_text


def test_a_restore_within_the_retention_period_brings_everything_back(
        platform: Platform, admin: Staff, tmp_path: Path) -> None:
    case_id = _report(platform, admin, NAME, "they published my address")
    archive = tmp_path / "recent.qlx"
    counts = backups.create_backup(platform, archive)
    _travel(platform, platform.settings.backup_retention_days - 1)
    platform.run(SYSTEM, retention.purge)
    _empty_instance(platform)
    assert backups.restore_backup(platform.settings, archive).rows == counts
    assert _name(platform, admin, case_id) == NAME


def _wrapped(platform: Platform) -> dict[str, bytes]:
    with platform.sessions() as s:
        return {row.id: row.wrapped for row in s.execute(select(DataKeyRow)).scalars()}


def test_rotating_the_instance_key_rewraps_every_data_key_and_the_old_key_is_unusable(
        platform: Platform, admin: Staff, tmp_path: Path) -> None:
    """Review finding 2: instance-key rotation: every data key re-wrapped, the old key no
    longer opens any, audited; backups written before stay readable."""
    case_id = _report(platform, admin, NAME, "they published my address")
    archive = tmp_path / "before-rotation.qlx"
    backups.create_backup(platform, archive)
    old = platform.keyring
    before = _wrapped(platform)
    report = key_rotation.rotate_instance_key(platform.settings)
    after = _wrapped(platform)
    assert report.data_keys == len(before) == len(after) > 0
    new = instance.open_keyring(platform.settings)
    assert new.wrap_fingerprint == report.new_fingerprint != old.wrap_fingerprint
    assert new.fingerprint == old.fingerprint  # receipt codes and the audit chain keep theirs
    for key_id, wrapped in after.items():
        assert wrapped != before[key_id]
        with pytest.raises(IntegrityFailure):
            old.unwrap(key_id, wrapped)
        assert new.unwrap(key_id, wrapped) == old.unwrap(key_id, before[key_id])
    assert not keyfiles.pending_key_path(platform.settings).exists()
    # a process still holding the old key (a server left running) can no longer write
    with pytest.raises(KeyUnavailable, match="rotated"):
        _report(platform, admin, "Late Writer", "written with the old key")
    assert _case_ids(platform) == {case_id}

    rotated = instance.open_platform(platform.settings)
    try:
        assert _name(rotated, admin, case_id) == NAME
        assert rotated.run(SYSTEM, audit_log.verify_chain).ok
        with rotated.sessions() as s:
            event = s.execute(select(AuditEvent).where(
                AuditEvent.action == "instance.key_rotated")).scalar_one()
        assert event.details["data_keys"] == str(len(before))
        _empty_instance(rotated)
        backups.restore_backup(platform.settings, archive)  # written before the rotation
        assert _name(rotated, admin, case_id) == NAME
    finally:
        rotated.dispose()


def test_a_restore_with_another_wrapping_key_leaves_the_instance_writable(
        platform: Platform, admin: Staff, tmp_path: Path) -> None:
    """A backup of a rotated instance restored where the key file is from before the
    rotation: the data keys are wrapped by that key file's key, and writes go on."""
    key_file = platform.settings.resolved_key_file()
    before = key_file.read_text()
    case_id = _report(platform, admin, NAME, "they published my address")
    key_rotation.rotate_instance_key(platform.settings)
    archive = tmp_path / "rotated.qlx"
    rotated = instance.open_platform(platform.settings)
    try:
        backups.create_backup(rotated, archive)
        _empty_instance(rotated)
    finally:
        rotated.dispose()
    key_file.write_text(before)  # mode 0600 kept
    backups.restore_backup(platform.settings, archive)
    assert _name(platform, admin, case_id) == NAME  # the fixture holds the older key
    later = _report(platform, admin, "Later", "written after the restore")
    assert _case_ids(platform) == {case_id, later}


def test_rotation_with_forget_backups_makes_every_earlier_backup_unreadable(
        platform: Platform, admin: Staff, tmp_path: Path) -> None:
    _report(platform, admin, NAME, "they published my address")
    archive = tmp_path / "before.qlx"
    backups.create_backup(platform, archive)
    key_rotation.rotate_instance_key(platform.settings, forget_backups=True)
    _empty_instance(platform)
    with pytest.raises(IntegrityFailure):
        backups.restore_backup(platform.settings, archive)
    assert _case_ids(platform) == set()


@pytest.mark.parametrize("committed", [False, True])
def test_an_interrupted_rotation_is_finished_or_undone_when_the_instance_opens(
        platform: Platform, admin: Staff, committed: bool) -> None:
    """Review finding 2: rotation is crash-safe: there is no state in which the data keys
    are wrapped by a key that is not on disk."""
    case_id = _report(platform, admin, NAME, "they published my address")
    settings = platform.settings
    new = platform.keyring.with_new_wrap_key()
    keyfiles.write_new(keyfiles.pending_key_path(settings), crypto.instance_key_file_text(new))
    if committed:  # the crash came after the re-wrap's commit, before the rename
        Platform(settings, new, platform.engine).run(SYSTEM, key_rotation.rewrap_data_keys,
                                                     platform.keyring)
    keyring = instance.open_keyring(settings)
    assert not keyfiles.pending_key_path(settings).exists()
    expected = new if committed else platform.keyring
    assert keyring.wrap_fingerprint == expected.wrap_fingerprint
    assert crypto.load_instance_key(settings.resolved_key_file()).wrap_fingerprint == \
        expected.wrap_fingerprint
    reopened = instance.open_platform(settings)
    try:
        assert _name(reopened, admin, case_id) == NAME
    finally:
        reopened.dispose()


def test_a_backup_header_holds_the_audit_head_that_proves_a_later_truncation(
        platform: Platform, admin: Staff, tmp_path: Path) -> None:
    """Review finding 16: the audit chain's head lived only in the database; a backup's
    header now holds it, and a chain cut short and re-headed with the key is caught."""
    _report(platform, admin, NAME, "a report")
    head = platform.run(SYSTEM, audit_log.chain_head)
    archive = tmp_path / "b.qlx"
    backups.create_backup(platform, archive)
    assert backups.backup_audit_head(platform.settings, archive) == head
    assert platform.run(SYSTEM, audit_log.verify_chain, head).ok
    # someone with the database and the key removes the newest events and moves the head
    keep = head.seq - 2
    with platform.engine.begin() as conn:
        mac = conn.execute(select(AuditEvent.mac).where(AuditEvent.seq == keep)).scalar_one()
        conn.execute(delete(AuditEvent).where(AuditEvent.seq > keep))
        conn.execute(update(AuditHead).values(seq=keep, mac=mac))
    assert platform.run(SYSTEM, audit_log.verify_chain).ok  # consistent on its own
    result = platform.run(SYSTEM, audit_log.verify_chain, head)
    assert not result.ok and f"to {head.seq} were removed" in str(result.problem)
    forged = audit.ChainHead(keep, "0" * 64)
    assert not platform.run(SYSTEM, audit_log.verify_chain, forged).ok


def _format_1_backup(platform: Platform, path: Path) -> None:
    """A backup as written before backup epochs: archive key wrapped by the instance key."""
    backup_id = new_id()
    key, wrapped = platform.keyring.new_data_key(backup_id)
    with path.open("wb") as out, platform.engine.begin() as conn:
        out.write(store_backup.MAGIC_V1 + json.dumps(
            {"id": backup_id, "key": base64.b64encode(wrapped).decode()}).encode() + b"\n")
        writer = crypto.SealedWriter(key, out, f"backup:{backup_id}")
        with tarfile.open(fileobj=writer, mode="w|") as tar:  # type: ignore[call-overload]
            for table in Base.metadata.sorted_tables:
                store_backup._add(tar, f"tables/{table.name}.jsonl", store_backup._table_lines(
                    conn, table, store_backup._unchanged))
        writer.close()


def test_a_backup_written_before_backup_epochs_is_still_restored(
        platform: Platform, admin: Staff, tmp_path: Path) -> None:
    case_id = _report(platform, admin, NAME, "they published my address")
    archive = tmp_path / "format-1.qlx"
    _format_1_backup(platform, archive)
    _empty_instance(platform)
    backups.restore_backup(platform.settings, archive)
    assert _name(platform, admin, case_id) == NAME
    with pytest.raises(InvalidInput, match="no audit head"):
        backups.backup_audit_head(platform.settings, archive)
