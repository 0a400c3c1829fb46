"""Reading research exports: column names, lists, times, duplicates and bad lines."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from qalxan.monitoring.exports import (
    BadPostLine,
    columns_for,
    merge_duplicates,
    parse_list,
    parse_timestamp,
    post_from_record,
    posts_from_stream,
    read_posts,
)
from qalxan.monitoring.posts import Post

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


MIXED_CSV = (
    "Message_ID,user_id,username,repost_id,reply_id,message,timestamp,urls,hashtags,platform\n"
    "1,u1,alice,,, Hello @bob  ,1606451170.5,\"['http://a.example/x']\",#a #b,x\n"
    "\n"
    "2,u2,,1,,,2020-11-27T04:26:11,,,\n"
    "3,u3,carol,,1,\"a reply\nover two lines\",1606451172,http://c.example http://d.example\n"
    "1,u9,alice,,,other,5,http://e.example,#c,x\n"
    "1,u9,alice,,,same id on no platform,6,,,\n"
    ",u4,,,,no id,7,,,\n"
    "5,u5,eve,,,short row,8\n"
    "6,,eve,,,no author,9,,,\n"
    "7,u7,eve,,,too many,9,,,,,\n"
    "8,u8,eve,,,bad time,soon,,,\n"
    "9,u9,eve,,,  ,10,  ,  ,\n"
)


def _posts_through_dictionaries(data: str) -> tuple[list[Post], list[str]]:
    """What the column-position reader must equal: each row as a dictionary, through
    ``post_from_record``, duplicates merged."""
    errors: list[str] = []
    reader = csv.DictReader(io.StringIO(data))
    columns = columns_for(reader.fieldnames or ())
    posts = []
    for row in reader:
        try:
            if None in row:
                raise BadPostLine(reader.line_num, "more fields than the header names")
            posts.append(post_from_record(row, columns, reader.line_num))
        except BadPostLine as exc:
            errors.append(exc.detail)
    return merge_duplicates(posts), errors


def test_csv_rows_become_the_same_posts_as_through_dictionaries() -> None:
    """Reading a CSV by column position (no dictionary per row) gives the posts and the
    named errors that reading each row as a dictionary gives: blank lines skipped, short
    rows' missing cells empty, long rows refused, repeated ids merged per platform."""
    errors: list[BadPostLine] = []
    posts = posts_from_stream(io.StringIO(MIXED_CSV), "csv", errors.append)
    expected, expected_errors = _posts_through_dictionaries(MIXED_CSV)
    assert posts == expected
    assert [e.detail for e in errors] == expected_errors
    assert len(errors) == 3 and {p.message_id for p in posts} >= {"1", "2", "3", "5", "9"}
    merged = [p for p in posts if p.message_id == "1" and p.platform == "x"]
    assert merged[0].urls == ("http://a.example/x", "http://e.example")
    assert merged[0].hashtags == ("#a", "#b", "#c")
