"""Reading research exports: column names, lists, times, duplicates and bad lines."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from qalxan.monitoring.exports import (
    BadPostLine,
    parse_list,
    parse_timestamp,
    posts_from_stream,
    read_posts,
)

TOOLKIT = (
    "message_id,user_id,username,repost_id,reply_id,message,timestamp,urls\n"
    "1,u1,alice,,,Hello @bob world,1606451170.5,\"['http://a.example/x', 'http://b.example']\"\n"
    "2,u2,bob,1,,,1606451171,\n"
    "3,u3,carol,,1,a reply,1606451172,http://c.example http://d.example\n"
)


def test_toolkit_columns_become_posts() -> None:
    posts = posts_from_stream(io.StringIO(TOOLKIT), "csv")
    first, repost, reply = posts
    assert first.author_id == "u1" and first.author_name == "alice"
    assert first.text == "Hello @bob world" and first.timestamp == 1606451170.5
    assert first.urls == ("http://a.example/x", "http://b.example")
    assert repost.repost_id == "1" and repost.text == "" and repost.urls == ()
    assert reply.reply_id == "1" and reply.urls == ("http://c.example", "http://d.example")


def test_coortweet_share_log_columns() -> None:
    data = "object_id,account_id,content_id,timestamp_share\nobj,acc,c1,1623881091.0\n"
    (only,) = posts_from_stream(io.StringIO(data), "csv")
    assert (only.repost_id, only.author_id, only.message_id) == ("obj", "acc", "c1")


def test_repeated_message_ids_merge_their_links_and_tags() -> None:
    data = ("account_id,post_id,url_id,hashtag_id,timestamp\n"
            "a,p1,u1,,10\na,p1,,h1,10\na,p1,u2,,10\n")
    (merged,) = posts_from_stream(io.StringIO(data), "csv")
    assert merged.urls == ("u1", "u2") and merged.hashtags == ("h1",)


def test_jsonl_with_iso_times_and_json_lists() -> None:
    data = ('{"id": 7, "author": "a", "text": "x", "created_at": "2024-05-01T10:00:00Z",'
            ' "urls": ["http://e.example"], "hashtags": ["Tag"]}\n\n')
    (only,) = posts_from_stream(io.StringIO(data), "jsonl")
    assert only.message_id == "7" and only.timestamp == 1714557600.0
    assert only.urls == ("http://e.example",) and only.hashtags == ("Tag",)


def test_times_without_offset_are_utc() -> None:
    assert parse_timestamp("2024-05-01T10:00:00") == parse_timestamp("2024-05-01T10:00:00+00:00")
    assert parse_timestamp(5) == 5.0


@pytest.mark.parametrize("value, expected", [
    ("", ()), ("a b", ("a", "b")), ('["a", "b"]', ("a", "b")), ("['a']", ("a",)),
    (None, ()), (["x", 3], ("x", "3")),
])
def test_lists_in_any_common_spelling(value: object, expected: tuple[str, ...]) -> None:
    assert parse_list(value) == expected


@pytest.mark.parametrize("body, line, reason", [
    ("1,,n,,,t,5,\n", 2, "missing author id"),
    ("1,u,n,,,t,yesterday,\n", 2, "neither seconds since the epoch nor ISO 8601"),
    ("1,u,n,,,t,5,\n2,u,n,,,t,,\n", 3, "missing timestamp"),
    ("1,u,n,,,t,5,,extra\n", 2, "more fields than the header names"),
    ("1,u,n,,,t,5,\"['unclosed'\n", 2, "is not a JSON or Python list"),
    ("1,u,n,,,t,nan,\n", 2, "is not a finite time"),
    ("1,u,n,,,t,5,\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"\n", 2,
     "is not a JSON or Python list"),
])
def test_a_bad_csv_line_is_named(body: str, line: int, reason: str) -> None:
    header = "message_id,user_id,username,repost_id,reply_id,message,timestamp,urls\n"
    with pytest.raises(BadPostLine) as caught:
        posts_from_stream(io.StringIO(header + body), "csv")
    assert caught.value.line == line
    assert caught.value.detail.startswith(f"line {line}: ") and reason in caught.value.detail


def test_a_header_without_authors_is_refused_on_line_one() -> None:
    with pytest.raises(BadPostLine, match=r"line 1: no author id column"):
        posts_from_stream(io.StringIO("message,timestamp\nx,1\n"), "csv")


@pytest.mark.parametrize("body, reason", [
    ('{"author": "a", "timestamp": 1}\n{"author": "b", \n', "invalid JSON"),
    ('{"author": "a", "timestamp": 1}\n[1, 2]\n', "expected a JSON object"),
])
def test_a_bad_jsonl_line_is_named(body: str, reason: str) -> None:
    with pytest.raises(BadPostLine, match=rf"line 2: {reason}"):
        posts_from_stream(io.StringIO(body), "jsonl")


def test_bad_lines_can_be_skipped_and_reported() -> None:
    errors: list[BadPostLine] = []
    data = '{"author": "a", "timestamp": 1}\nnot json\n{"author": "b", "timestamp": "x"}\n'
    posts = posts_from_stream(io.StringIO(data), "jsonl", errors.append)
    assert [p.author_id for p in posts] == ["a"]
    assert [e.line for e in errors] == [2, 3]


def test_files_with_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    path.write_text("\ufeff" + TOOLKIT, encoding="utf-8")
    assert [p.message_id for p in read_posts(path)] == ["1", "2", "3"]
