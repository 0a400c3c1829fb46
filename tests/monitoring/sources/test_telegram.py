"""Telegram Desktop chat exports: entity-list text, forwards, replies, the last id resumed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from qalxan.errors import SourceUnavailable
from qalxan.monitoring.sources import Source, open_source, parse_spec
from qalxan.monitoring.sources.telegram import message_post
from tests.monitoring.recorded_http import RECORDINGS

EXPORT = RECORDINGS / "telegram" / "result.json"


def export_source(path: Path, **extra: str) -> Source:
    return open_source(parse_spec("telegram", "channel", {"path": str(path), **extra}))


@pytest.fixture
def export(tmp_path: Path) -> Path:
    return Path(shutil.copy(EXPORT, tmp_path / "result.json"))


def test_messages_become_posts_and_service_messages_do_not(export: Path) -> None:
    batch = export_source(export, channel="baku_truth").fetch(None, 10)
    assert [p.message_id for p in batch.posts] == ["2", "3", "4", "5"]
    morning = batch.posts[0]
    assert (morning.author_id, morning.author_name, morning.timestamp, morning.platform) == (
        "channel1987654321", "Baku Truth", 1773475460.0, "telegram")
    assert morning.link == "https://t.me/baku_truth/2"
    assert batch.exhausted and batch.checkpoint == '{"after":5}'


def test_text_given_as_a_list_of_entities_is_read_whole(export: Path) -> None:
    dossier = export_source(export).fetch(None, 10).posts[1]
    assert dossier.text == ("Who funds @aysel_m? Read the dossier and https://smear.example/more"
                            " #xain Aysel Məmmədova xaindir!")
    assert dossier.urls == ("https://smear.example/dossier?id=7", "https://smear.example/more")
    assert dossier.hashtags == ("xain",)
    assert dossier.link is None


def test_forwards_and_replies_are_linked(export: Path) -> None:
    _morning, _dossier, forward, reply = export_source(export).fetch(None, 10).posts
    assert forward.repost_id is not None and forward.repost_id.startswith("forward:")
    assert reply.reply_id == "3" and reply.repost_id is None


def test_the_same_forwarded_text_from_the_same_origin_shares_a_repost_id() -> None:
    base = {"type": "message", "date_unixtime": "1773479220", "from_id": "user1",
            "forwarded_from": "Milli Ruh", "text": "same words"}
    one, two = (message_post({**base, "id": n}) for n in (1, 2))
    other = message_post({**base, "id": 3, "forwarded_from": "Someone else"})
    assert one.repost_id == two.repost_id != other.repost_id


def test_a_new_export_goes_on_after_the_last_message_returned(export: Path) -> None:
    source = export_source(export)
    first = source.fetch(None, 2)
    assert [p.message_id for p in first.posts] == ["2", "3"] and not first.exhausted
    data: dict[str, Any] = json.loads(export.read_text(encoding="utf-8"))
    data["messages"].append({"id": 6, "type": "message", "date": "2026-03-14T13:20:00",
                             "date_unixtime": "1773480000", "from": "Baku Truth",
                             "from_id": "channel1987654321", "text": "new"})
    export.write_text(json.dumps(data), encoding="utf-8")
    rest = source.fetch(first.checkpoint, 10)
    assert [p.message_id for p in rest.posts] == ["4", "5", "6"] and rest.exhausted


def test_an_unfinished_or_foreign_file_is_refused(tmp_path: Path) -> None:
    cut = tmp_path / "cut.json"
    cut.write_text(EXPORT.read_text(encoding="utf-8")[:300], encoding="utf-8")
    with pytest.raises(SourceUnavailable, match=r"cut\.json is not valid JSON"):
        export_source(cut).fetch(None, 10)
    other = tmp_path / "other.json"
    other.write_text('{"chats": {}}', encoding="utf-8")
    with pytest.raises(SourceUnavailable, match="is not a chat export"):
        export_source(other).fetch(None, 10)


def test_an_empty_chat_has_no_checkpoint_yet(tmp_path: Path) -> None:
    empty = tmp_path / "result.json"
    empty.write_text('{"name": "x", "type": "private_group", "id": 1, "messages": []}',
                     encoding="utf-8")
    assert export_source(empty).fetch(None, 10).checkpoint is None
