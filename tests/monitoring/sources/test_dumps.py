"""JSON Lines and CSV exports followed as they grow; truncation and replacement reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qalxan.errors import SourceUnavailable
from qalxan.monitoring.exports import BadPostLine
from qalxan.monitoring.sources import Batch, Source, open_source, parse_spec
from qalxan.monitoring.sources.base import SourceReplaced

TOOLKIT_HEADER = "message_id,user_id,username,repost_id,reply_id,message,timestamp,urls\n"


def line(n: int, **extra: object) -> str:
    return json.dumps({"id": str(n), "user_id": f"u{n % 3}", "text": f"post {n}",
                       "timestamp": 1773478800 + n, **extra}) + "\n"


def dump(kind: str, path: Path, **extra: str) -> Source:
    return open_source(parse_spec(kind, "export", {"path": str(path), **extra}))


def ids(batch: Batch) -> list[str]:
    return [p.message_id for p in batch.posts]


def append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8", newline="") as stream:
        stream.write(text)


def test_a_growing_jsonl_file_is_followed(tmp_path: Path) -> None:
    path = tmp_path / "posts.jsonl"
    path.write_text(line(1) + line(2) + line(3), encoding="utf-8")
    source = dump("jsonl", path)
    first = source.fetch(None, 2)
    assert ids(first) == ["1", "2"] and not first.exhausted
    second = source.fetch(first.checkpoint, 2)
    assert ids(second) == ["3"] and second.exhausted
    assert source.fetch(second.checkpoint, 2).posts == ()
    append(path, line(4) + "\n" + line(5))
    third = source.fetch(second.checkpoint, 10)
    assert ids(third) == ["4", "5"]
    assert third.posts[0].text == "post 4" and third.posts[0].author_id == "u1"


def test_an_unsaved_checkpoint_gives_the_same_rows_again(tmp_path: Path) -> None:
    path = tmp_path / "posts.jsonl"
    path.write_text(line(1) + line(2) + line(3), encoding="utf-8")
    source = dump("jsonl", path)
    first = source.fetch(None, 2)
    assert source.fetch(None, 2) == first
    assert ids(source.fetch(first.checkpoint, 2)) == ["3"]


def test_a_line_still_being_written_waits_for_its_end(tmp_path: Path) -> None:
    path = tmp_path / "posts.jsonl"
    half = line(2)[:20]
    path.write_text(line(1) + half, encoding="utf-8")
    source = dump("jsonl", path)
    first = source.fetch(None, 10)
    assert ids(first) == ["1"]
    append(path, line(2)[20:])
    assert ids(source.fetch(first.checkpoint, 10)) == ["2"]


def test_a_last_line_without_a_line_end_is_read_when_it_is_whole(tmp_path: Path) -> None:
    path = tmp_path / "posts.jsonl"
    path.write_text(line(1) + line(2).rstrip("\n"), encoding="utf-8")
    source = dump("jsonl", path)
    first = source.fetch(None, 10)
    assert ids(first) == ["1", "2"]
    append(path, "\n" + line(3))
    assert ids(source.fetch(first.checkpoint, 10)) == ["3"]


def test_a_truncated_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "posts.jsonl"
    path.write_text(line(1) + line(2), encoding="utf-8")
    source = dump("jsonl", path)
    checkpoint = source.fetch(None, 10).checkpoint
    path.write_text(line(1), encoding="utf-8")
    with pytest.raises(SourceReplaced, match=r"posts\.jsonl is shorter than at the checkpoint"):
        source.fetch(checkpoint, 10)


def test_a_replaced_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "posts.jsonl"
    path.write_text(line(1) + line(2), encoding="utf-8")
    source = dump("jsonl", path)
    checkpoint = source.fetch(None, 10).checkpoint
    path.write_text(line(7) + line(8) + line(9), encoding="utf-8")
    with pytest.raises(SourceReplaced, match="starts differently than at the checkpoint"):
        source.fetch(checkpoint, 10)
    assert ids(source.fetch(None, 10)) == ["7", "8", "9"]  # started afresh on purpose


def test_a_bad_row_stops_the_source_after_the_good_rows_before_it(tmp_path: Path) -> None:
    path = tmp_path / "posts.jsonl"
    path.write_text(line(1) + "{not json\n" + line(3), encoding="utf-8")
    source = dump("jsonl", path)
    first = source.fetch(None, 10)
    assert ids(first) == ["1"] and not first.exhausted
    with pytest.raises(BadPostLine, match="line 2: invalid JSON"):
        source.fetch(first.checkpoint, 10)


def test_bad_rows_can_be_skipped(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "posts.jsonl"
    path.write_text(line(1) + "[1, 2]\n" + json.dumps({"id": "x"}) + "\n" + line(4),
                    encoding="utf-8")
    batch = dump("jsonl", path, bad_lines="skip").fetch(None, 10)
    assert ids(batch) == ["1", "4"] and batch.exhausted
    assert "skipped line 2" in caplog.text and "skipped line 3" in caplog.text


def test_the_toolkit_csv_format_is_followed(tmp_path: Path) -> None:
    path = tmp_path / "toolkit.csv"
    path.write_text(TOOLKIT_HEADER +
                    "1,u1,alice,,,\"Hello, world\",1606451170.5,\"['http://a.example/x']\"\r\n"
                    "2,u2,bob,1,,,1606451171,\r\n", encoding="utf-8")
    source = dump("csv", path)
    first = source.fetch(None, 10)
    hello, repost = first.posts
    assert (hello.author_name, hello.text, hello.urls) == ("alice", "Hello, world",
                                                          ("http://a.example/x",))
    assert repost.repost_id == "1"
    append(path, "3,u3,carol,,1,\"a reply\nover two lines\",1606451172,\r\n")
    reply = source.fetch(first.checkpoint, 10).posts[0]
    assert (reply.reply_id, reply.text) == ("1", "a reply\nover two lines")


def test_a_csv_row_cut_inside_a_quoted_field_waits(tmp_path: Path) -> None:
    path = tmp_path / "toolkit.csv"
    path.write_text(TOOLKIT_HEADER + "1,u1,alice,,,hi,1606451170,\n"
                    "2,u2,bob,,,\"first line\n", encoding="utf-8")
    source = dump("csv", path)
    first = source.fetch(None, 10)
    assert ids(first) == ["1"]
    append(path, "second line\",1606451171,\n")
    assert [p.text for p in source.fetch(first.checkpoint, 10).posts] == [
        "first line\nsecond line"]


def test_ids_made_from_line_numbers_stay_the_same_across_batches(tmp_path: Path) -> None:
    path = tmp_path / "noid.csv"
    path.write_text("user_id,timestamp,text\nu1,1,a\nu2,2,b\nu3,3,c\n", encoding="utf-8")
    source = dump("csv", path)
    first = source.fetch(None, 2)
    assert ids(first) + ids(source.fetch(first.checkpoint, 2)) == ["line-2", "line-3", "line-4"]


def test_a_csv_without_the_needed_columns_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_text("name,when\nx,1\n", encoding="utf-8")
    with pytest.raises(BadPostLine, match="line 1: no author id column"):
        dump("csv", path).fetch(None, 10)


def test_a_missing_file_is_unavailable(tmp_path: Path) -> None:
    with pytest.raises(SourceUnavailable, match=r"cannot read gone\.jsonl"):
        dump("jsonl", tmp_path / "gone.jsonl").fetch(None, 10)
