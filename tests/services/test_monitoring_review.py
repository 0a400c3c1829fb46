"""Monitoring against a hostile source and a curious staff member: files outside the import
directory, errors that would make a scanner, feeds that crashed the monitor, ids that
collided across platforms."""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path

import pytest
from sqlalchemy import func, select

from qalxan.domain.enums import Role
from qalxan.errors import InvalidInput, SourceUnavailable
from qalxan.monitoring import monitor as monitor_module
from qalxan.monitoring.monitor import REPLACED, UNREADABLE, Monitor
from qalxan.monitoring.sources import open_source, parse_spec
from qalxan.security.access import SYSTEM
from qalxan.services import alerts, monitor, watchlists
from qalxan.services.context import Platform
from qalxan.services.monitoring_schemas import SourceInput, WatchEntryInput
from qalxan.store.tables import MonitoredPost
from tests.conftest import Staff, StaffFactory
from tests.monitoring.recorded_http import RecordedServer, Reply

T0 = 1_790_000_000.0
SMEAR = "Aysel Mammadova is a paid foreign agent and a traitor, she must be stopped"
AYSEL = WatchEntryInput(names=["Aysel Məmmədova"], handles=["@aysel_m"])
RSS = {"Content-Type": "application/rss+xml"}


@pytest.fixture
def analyst(make_staff: StaffFactory, intake_org: str) -> Staff:
    return make_staff(Role.ANALYST, intake_org)


def add(platform: Platform, staff: Staff, kind: str, name: str, **params: str) -> str:
    return platform.run(staff.actor, monitor.add_source,
                        SourceInput(kind=kind, name=name, params=params)).id


def errors(platform: Platform, staff: Staff) -> dict[str, str | None]:
    return {v.name: v.last_error for v in platform.run(staff.actor, monitor.list_sources)}


def test_file_sources_read_only_inside_the_import_directory(
        platform: Platform, analyst: Staff, tmp_path: Path) -> None:
    """Review finding 5: file kinds accepted any path (/etc/shadow, another instance's
    dumps). Staff may name only files inside the import directory (no '..', no absolute
    path outside it, nothing at all without one); each read follows no symbolic link."""
    imports = tmp_path / "imports"
    imports.mkdir()
    platform.settings = platform.settings.model_copy(update={"monitor_import_dir": imports})
    secret = tmp_path / "other-instance.jsonl"
    secret.write_text(json.dumps({"message_id": "1", "user_id": "u", "message": SMEAR,
                                  "timestamp": T0}) + "\n")
    for path in ("/etc/shadow", str(secret), "../other-instance.jsonl", "a/../../x.jsonl",
                 str(imports / ".." / "other-instance.jsonl")):
        with pytest.raises(InvalidInput, match="import directory"):
            add(platform, analyst, "jsonl", "x", path=path)
        with pytest.raises(InvalidInput, match="import directory"):
            add(platform, analyst, "telegram", "t", path=path)
    (imports / "posts.jsonl").touch()
    add(platform, analyst, "jsonl", "inside", path=str(imports / "posts.jsonl"))
    [view] = platform.run(analyst.actor, monitor.list_sources)
    assert view.params["path"] == "posts.jsonl"  # stored relative to the import directory
    (imports / "link.jsonl").symlink_to(secret)
    add(platform, analyst, "jsonl", "link", path="link.jsonl")
    (imports / "sub").symlink_to(tmp_path, target_is_directory=True)
    add(platform, analyst, "jsonl", "through", path="sub/other-instance.jsonl")
    watchlists_entry = platform.run(analyst.actor, watchlists.add_entry, AYSEL)
    results = {r.source: r for r in Monitor(platform).run_once()}
    assert results["inside"].error is None
    assert results["link"].error and results["through"].error
    assert platform.run(analyst.actor, alerts.list_alerts) == []  # the secret was never read
    assert watchlists_entry.id
    # without an import directory staff add no file source; the CLI (the operator) may
    platform.settings = platform.settings.model_copy(update={"monitor_import_dir": None})
    with pytest.raises(InvalidInput, match="qalxan monitor add-source"):
        add(platform, analyst, "jsonl", "y", path="posts.jsonl")
    cli = platform.run(SYSTEM, monitor.add_source, SourceInput(
        kind="jsonl", name="operator", params={"path": str(secret)}), analyst.actor.org_id)
    assert cli.params["path"] == str(secret)


def test_a_file_source_never_reads_a_device_or_fifo(tmp_path: Path) -> None:
    """Review finding 5: a FIFO would hold the monitor, a device would be read whole."""
    os.mkfifo(tmp_path / "pipe.jsonl")
    source = open_source(parse_spec("jsonl", "p", {"path": "pipe.jsonl"}), import_dir=tmp_path)
    with pytest.raises(SourceUnavailable, match="not a regular file"):
        source.fetch(None, 10)
    with pytest.raises(SourceUnavailable, match="not a regular file"):
        open_source(parse_spec("jsonl", "z", {"path": "/dev/zero"})).fetch(None, 10)


def test_staff_see_one_coarse_error_whatever_the_failure(
        platform: Platform, analyst: Staff, tmp_path: Path) -> None:
    """Review finding 5: the stored last error told "cannot connect" from "HTTP 404" from
    "parse error" (and a missing file from an unreadable one): a port and file scanner.
    Staff now see the same words for every failure; the operator's CLI keeps the detail."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    with RecordedServer() as server:
        server.add("GET", "/broken", {}, Reply(200, RSS, b"<rss><channel>"))
        add(platform, analyst, "rss", "closed", url=f"http://127.0.0.1:{closed}/feed")
        add(platform, analyst, "rss", "missing", url=server.base_url + "/missing")
        add(platform, analyst, "rss", "broken", url=server.base_url + "/broken")
        add(platform, analyst, "jsonl", "nofile", path="nothing-here.jsonl")
        (tmp_path / "secret.txt").write_text("not posts\n")
        add(platform, analyst, "csv", "notcsv", path="secret.txt")
        platform.settings = platform.settings.model_copy(
            update={"monitor_fetch_deadline_seconds": 5})
        results = Monitor(platform).run_once()
    assert all(r.error for r in results)  # the operator sees what failed and how
    assert set(errors(platform, analyst).values()) == {UNREADABLE}
    (tmp_path / "grows.jsonl").write_text(json.dumps({"message_id": "1", "user_id": "u",
                                                      "message": "x", "timestamp": T0}) + "\n")
    add(platform, analyst, "jsonl", "grows", path="grows.jsonl")
    Monitor(platform).run_once(["grows"])
    (tmp_path / "grows.jsonl").write_text("")
    Monitor(platform).run_once(["grows"])
    assert errors(platform, analyst)["grows"] == REPLACED


def hostile_rss(server: RecordedServer) -> None:
    year_9999 = ("<rss><channel><title>t</title><item><guid>far</guid><title>" + SMEAR +
                 "</title><pubDate>Fri, 31 Dec 9999 23:59:59 -1200</pubDate></item>"
                 "</channel></rss>")
    deep = ('<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><id>deep</id>'
            "<title>x</title><updated>2026-01-01T00:00:00Z</updated><content type=\"xhtml\">"
            '<div xmlns="http://www.w3.org/1999/xhtml">' + "<span>" * 5000 + SMEAR +
            "</span>" * 5000 + "</div></content></entry></feed>")
    server.add("GET", "/9999", {}, Reply(200, RSS, year_9999.encode()))
    server.add("GET", "/deep", {}, Reply(200, {"Content-Type": "application/atom+xml"},
                                         deep.encode()))


def test_one_hostile_feed_does_not_stop_monitoring(
        platform: Platform, analyst: Staff, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Review finding 10: an RSS date in year 9999 (ValueError) or deeply nested Atom
    XHTML (RecursionError) killed `qalxan monitor run`, again after every restart. Dates
    are clamped and nesting limited, so both feeds are read; and whatever else a source
    makes fail is recorded on it while the others go on."""
    platform.run(analyst.actor, watchlists.add_entry, AYSEL)
    with RecordedServer() as server:
        hostile_rss(server)
        add(platform, analyst, "rss", "far future", url=server.base_url + "/9999")
        add(platform, analyst, "atom", "deep", url=server.base_url + "/deep")
        dump = tmp_path / "dump.jsonl"
        dump.write_text(json.dumps({"message_id": "m1", "user_id": "u", "message": SMEAR,
                                    "timestamp": T0}) + "\n")
        add(platform, analyst, "jsonl", "dump", path="dump.jsonl")
        results = {r.source: r for r in Monitor(platform).run_once()}
    assert all(r.error is None for r in results.values()), results
    assert results["far future"].kept == results["deep"].kept == results["dump"].kept == 1

    real_scan = monitor_module.scan_posts

    def explodes(posts, *args, **kwargs):  # type: ignore[no-untyped-def]
        if any(p.message_id == "m2" for p in posts):
            raise RecursionError("maximum recursion depth exceeded")
        return real_scan(posts, *args, **kwargs)

    monkeypatch.setattr(monitor_module, "scan_posts", explodes)
    add(platform, analyst, "jsonl", "other", path="other.jsonl")
    (tmp_path / "other.jsonl").write_text(json.dumps(
        {"message_id": "o1", "user_id": "v", "message": SMEAR, "timestamp": T0}) + "\n")
    with dump.open("a") as out:
        out.write(json.dumps({"message_id": "m2", "user_id": "u", "message": SMEAR,
                              "timestamp": T0 + 5}) + "\n")
    results = {r.source: r for r in Monitor(platform).run_once(["dump", "other"])}
    assert results["dump"].failure == "RecursionError"
    assert results["other"].error is None and results["other"].kept == 1
    assert errors(platform, analyst)["dump"] == UNREADABLE


def test_posts_of_two_platforms_with_one_id_are_two_posts(
        platform: Platform, analyst: Staff, tmp_path: Path) -> None:
    """Review finding (left open): monitored posts were identified by message id, so two
    platforms in one dump (and two Telegram chats, two Mastodon servers) collided: one
    post was merged into or taken for the other. Identity is platform, network and id."""
    platform.run(analyst.actor, watchlists.add_entry, AYSEL)
    rows = [{"message_id": "7", "user_id": "a", "message": SMEAR, "timestamp": T0,
             "platform": "telegram"},
            {"message_id": "7", "user_id": "b", "message": SMEAR + "!", "timestamp": T0 + 1,
             "platform": "vk"}]
    (tmp_path / "two.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    add(platform, analyst, "jsonl", "two", path="two.jsonl")
    for chat in (1001, 1002):
        (tmp_path / f"chat{chat}.json").write_text(json.dumps({"id": chat, "messages": [
            {"id": 5, "type": "message", "date_unixtime": str(int(T0)), "from": f"c{chat}",
             "from_id": f"user{chat}", "text": SMEAR}]}))
        add(platform, analyst, "telegram", f"chat {chat}", path=f"chat{chat}.json")
    results = Monitor(platform).run_once()
    assert sum(r.kept for r in results) == 4
    with platform.sessions() as session:
        assert session.execute(select(func.count()).select_from(MonitoredPost)).scalar_one() == 4
    [alert] = platform.run(analyst.actor, alerts.list_alerts)
    assert alert.post_count == 4
    assert sorted(Monitor(platform).run_once(), key=lambda r: r.source)[0].kept == 0
