"""Importing an indicator feed from the admin page: the file is stored only when its import
is committed with its audit event."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from qalxan.security import audit
from qalxan.security.crypto import Keyring
from qalxan.services import iocs
from qalxan.services.context import Platform
from qalxan.services.schemas import FeedInput
from qalxan.store.tables import AuditEvent
from tests.conftest import Staff

FEED = Path(__file__).resolve().parents[1] / "analysis" / "data" / "unnamed_feed.stix2"


def test_a_feed_import_whose_commit_fails_leaves_nothing_imported(
        platform: Platform, admin: Staff, monkeypatch: pytest.MonkeyPatch) -> None:
    """Review finding (also from the review): an imported indicator feed file was written
    before its transaction committed; a failed commit left it imported with no audit event."""
    real_append = audit.append

    def failing_append(session: object, keyring: Keyring, events: list[audit.PendingEvent],
                       at: datetime) -> None:
        if any(e.action == "ioc.feed_imported" for e in events):
            raise RuntimeError("the database went away at commit")
        real_append(session, keyring, events, at)  # type: ignore[arg-type]

    monkeypatch.setattr(audit, "append", failing_append)
    with pytest.raises(RuntimeError):
        platform.run(admin.actor, iocs.import_upload, "feed.stix2", FEED.read_bytes(),
                     FeedInput(source="Example Lab"))
    feeds = iocs.feed_dir(platform.settings.data_dir)
    assert not feeds.exists() or list(feeds.iterdir()) == []
    assert [f.file for f in iocs.summaries(feeds) if f.origin == "imported"] == []

    monkeypatch.setattr(audit, "append", real_append)
    count = platform.run(admin.actor, iocs.import_upload, "feed.stix2", FEED.read_bytes(),
                         FeedInput(source="Example Lab"))
    assert [f.file for f in iocs.summaries(feeds) if f.origin == "imported"] == ["feed.stix2"]
    assert sorted(p.name for p in feeds.iterdir()) == ["feed.stix2", "manifest.json"]
    with platform.sessions() as session:
        details = session.execute(select(AuditEvent.details).where(
            AuditEvent.action == "ioc.feed_imported")).scalars().all()
    assert details == [{"file": "feed.stix2", "indicators": str(count)}]
