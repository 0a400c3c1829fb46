"""Reading posts from research exports: CSV with a header, or JSON Lines.

Column names vary between tools; each field takes the first of its known names that the
file has (the coordination-network-toolkit's ``message_id, user_id, username, repost_id,
reply_id, message, timestamp, urls``; CooRTweet's ``account_id, content_id, object_id,
timestamp_share``; and common others). Lists (``urls``, ``hashtags``) may be JSON or Python
list literals, or space-separated. Timestamps are seconds since the epoch or ISO 8601
(UTC when no offset is given). Rows that repeat a message id are merged into the first:
its author and time stay, the links and hashtags of the others are added.
"""

from __future__ import annotations

import ast
import csv
import json
import math
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import replace
from datetime import UTC, datetime
from operator import itemgetter
from pathlib import Path
from typing import Any, TextIO

from qalxan.errors import InvalidInput
from qalxan.monitoring.posts import EARLIEST, LATEST, Post, plausible_time

ALIASES: dict[str, tuple[str, ...]] = {
    "message_id": ("message_id", "post_id", "content_id", "tweet_id", "id", "source_id"),
    "author_id": ("user_id", "author_id", "account_id", "author", "user"),
    "author_name": ("username", "author_name", "screen_name", "user_name", "handle"),
    "text": ("message", "text", "content", "body", "full_text"),
    "timestamp": ("timestamp", "timestamp_share", "created_at", "date", "time"),
    "urls": ("urls", "url", "expanded_urls", "links", "url_id"),
    "repost_id": ("repost_id", "retweet_id", "retweeted_id", "reblog_id", "object_id"),
    "reply_id": ("reply_id", "in_reply_to_status_id", "in_reply_to_id", "reply_to"),
    "hashtags": ("hashtags", "hashtag", "hashtag_id"),
    "platform": ("platform",),
    "network": ("network",),
}
REQUIRED = ("author_id", "timestamp")


class BadPostLine(InvalidInput):
    """A line of an export that cannot become a post; the message names the line."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(f"line {line}: {reason}")
        self.line = line
        self.reason = reason


def columns_for(names: Iterable[str]) -> dict[str, str]:
    """Field -> the column that holds it, for the columns a file has."""
    present = {n.strip().lower(): n for n in names if n}
    found: dict[str, str] = {}
    for field_name, aliases in ALIASES.items():
        for alias in aliases:
            if alias in present:
                found[field_name] = present[alias]
                break
    return found


def _finite(seconds: float) -> float:
    if not math.isfinite(seconds):
        raise ValueError(f"timestamp {seconds!r} is not a finite time")
    if not plausible_time(seconds):
        raise ValueError(f"timestamp {seconds!r} is not a time between 1970 and 2100")
    return seconds


def parse_timestamp(value: Any) -> float:
    """Seconds since the epoch from a number or an ISO 8601 string."""
    if isinstance(value, bool):
        raise ValueError(f"timestamp {value!r} is not a time")
    if isinstance(value, int | float):
        try:
            return _finite(float(value))
        except OverflowError:
            raise ValueError("timestamp is not a time between 1970 and 2100") from None
    text = str(value).strip()
    try:
        return _finite(float(text))
    except ValueError as exc:
        if "not a finite" in str(exc) or "between 1970" in str(exc):
            raise
    try:
        moment = datetime.fromisoformat(text)
        return _finite((moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp())
    except OverflowError:
        raise ValueError(f"timestamp {text!r} is not a time between 1970 and 2100") from None
    except ValueError as exc:
        if "between 1970" in str(exc):
            raise
        raise ValueError(
            f"timestamp {text!r} is neither seconds since the epoch nor ISO 8601"
        ) from None


def parse_list(value: Any) -> tuple[str, ...]:
    """A list of strings from a JSON list, a list literal or space-separated text."""
    if value is None:
        return ()
    if isinstance(value, list | tuple):
        items: Iterable[Any] = value
    elif isinstance(value, str) and value.strip().startswith("["):
        items = _list_literal(value)
    elif isinstance(value, str):
        items = value.split()
    else:
        items = [value]
    return tuple(str(i).strip() for i in items if i is not None and str(i).strip())


def _list_literal(text: str) -> list[Any]:
    for parse in (json.loads, ast.literal_eval):
        try:
            parsed = parse(text)
        except (ValueError, SyntaxError, RecursionError, MemoryError):
            continue
        if isinstance(parsed, list):
            return parsed
    raise ValueError(f"list {text[:40]!r} is not a JSON or Python list")


def _text(record: Mapping[str, Any], column: str | None) -> str | None:
    if column is None:
        return None
    value = record.get(column)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return str(value).strip() if not isinstance(value, str) else value.strip()


def post_from_record(record: Mapping[str, Any], columns: Mapping[str, str], line: int) -> Post:
    """One post from one parsed row or object, or ``BadPostLine`` naming the line."""
    try:
        return _post(record, columns, line)
    except ValueError as exc:
        raise BadPostLine(line, str(exc)) from None


def _post(record: Mapping[str, Any], columns: Mapping[str, str], line: int) -> Post:
    author = _text(record, columns.get("author_id"))
    if author is None:
        raise ValueError("missing author id")
    raw_time = record.get(columns.get("timestamp", ""))
    if raw_time is None or raw_time == "":
        raise ValueError("missing timestamp")
    return Post(
        message_id=_text(record, columns.get("message_id")) or f"line-{line}",
        author_id=author,
        timestamp=parse_timestamp(raw_time),
        text=_text(record, columns.get("text")) or "",
        author_name=_text(record, columns.get("author_name")),
        urls=parse_list(record.get(columns.get("urls", ""))),
        repost_id=_text(record, columns.get("repost_id")),
        reply_id=_text(record, columns.get("reply_id")),
        hashtags=parse_list(record.get(columns.get("hashtags", ""))),
        platform=_text(record, columns.get("platform")),
        network=_text(record, columns.get("network")),
    )


Records = Iterator[tuple[int, Mapping[str, Any] | BadPostLine]]


_CSV_FIELDS = ("message_id", "author_id", "timestamp", "text", "author_name", "urls",
               "repost_id", "reply_id", "hashtags", "platform", "network")


def _csv_posts(stream: TextIO, on_error: OnError | None) -> Iterator[Post]:
    """The posts of a CSV export, row by row: the same posts and errors as
    ``post_from_record`` over ``csv.DictReader`` rows, without a dictionary per row (each
    field is read from its column's position). The header is line 1; blank lines are
    skipped."""
    reader = csv.reader(stream)
    header = next(reader, None) or []
    columns = columns_for(header)
    _check_columns(columns, 1)
    position = {name: i for i, name in enumerate(header)}
    width = len(header)
    # A field the file lacks reads the empty cell appended to every row, at ``width``.
    pick = itemgetter(*(position[columns[f]] if f in columns else width for f in _CSV_FIELDS))
    while True:
        try:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise BadPostLine(reader.line_num, f"malformed CSV ({exc})") from None
            if not row:
                continue  # a blank line, as the dictionary reader skips it
            if len(row) > width:
                raise BadPostLine(reader.line_num, "more fields than the header names")
            row.extend([""] * (width + 1 - len(row)))
            yield _row_post(pick(row), reader.line_num)
        except BadPostLine as exc:
            if on_error is None:
                raise
            on_error(exc)


def _row_post(cells: tuple[str, ...], line: int) -> Post:
    """A post from the cells of ``_CSV_FIELDS``, in that order."""
    message_id, author, raw_time, text, name, urls, repost, reply, tags, platform, network = cells
    try:
        author = author.strip()
        if not author:
            raise ValueError("missing author id")
        if raw_time == "":
            raise ValueError("missing timestamp")
        try:
            seconds = float(raw_time)
        except ValueError:
            seconds = parse_timestamp(raw_time)
        if not EARLIEST <= seconds < LATEST:
            seconds = parse_timestamp(raw_time)  # says why it is not a time
        return Post(
            message_id=message_id.strip() or f"line-{line}",
            author_id=author,
            timestamp=seconds,
            text=text.strip(),
            author_name=name.strip() or None,
            urls=parse_list(urls) if urls else (),
            repost_id=repost.strip() or None,
            reply_id=reply.strip() or None,
            hashtags=parse_list(tags) if tags else (),
            platform=platform.strip() or None,
            network=network.strip() or None,
        )
    except ValueError as exc:
        raise BadPostLine(line, str(exc)) from None


def jsonl_rows(stream: TextIO) -> Records:
    """(line, object or error) pairs of a JSON Lines export; blank lines are skipped."""
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            error = f"invalid JSON ({exc.msg}, column {exc.colno})"
            yield number, BadPostLine(number, error)
            continue
        yield number, record if isinstance(record, dict) else BadPostLine(
            number, "expected a JSON object")


def _check_columns(columns: Mapping[str, str], line: int) -> None:
    missing = [f for f in REQUIRED if f not in columns]
    if missing:
        names = " or ".join(ALIASES[missing[0]])
        raise BadPostLine(line, f"no {missing[0].replace('_', ' ')} column (one of: {names})")


OnError = Callable[[BadPostLine], None]


def posts_from_stream(stream: TextIO, fmt: str, on_error: OnError | None = None) -> list[Post]:
    """Posts of a CSV (``fmt="csv"``) or JSON Lines stream, duplicates merged.

    A bad line raises ``BadPostLine``, unless ``on_error`` is given: then it is called
    with the error and the line is skipped.
    """
    if fmt == "csv":
        return merge_duplicates(_csv_posts(stream, on_error))
    cache: dict[tuple[str, ...], dict[str, str]] = {}
    return merge_duplicates(_posts(jsonl_rows(stream), _json_columns(cache), on_error))


def _json_columns(
    cache: dict[tuple[str, ...], dict[str, str]],
) -> Callable[[Mapping[str, Any]], dict[str, str]]:
    def columns(record: Mapping[str, Any]) -> dict[str, str]:
        key = tuple(record)
        if key not in cache:
            cache[key] = columns_for(key)
        return cache[key]

    return columns


def _posts(
    rows: Records, columns: Callable[[Mapping[str, Any]], Mapping[str, str]],
    on_error: OnError | None,
) -> Iterator[Post]:
    for line, record in rows:
        try:
            if isinstance(record, BadPostLine):
                raise record
            yield post_from_record(record, columns(record), line)
        except BadPostLine as exc:
            if on_error is None:
                raise
            on_error(exc)


def read_posts(path: Path, fmt: str = "auto", on_error: OnError | None = None) -> list[Post]:
    """Posts of an export file; ``fmt`` is ``auto`` (by extension), ``csv`` or ``jsonl``."""
    if fmt == "auto":
        fmt = "csv" if path.suffix.lower() in {".csv", ".tsv"} else "jsonl"
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return posts_from_stream(stream, fmt, on_error)


def merge_duplicates(posts: Iterable[Post]) -> list[Post]:
    """One post per identity (``Post.key``: the id on its platform and network), in
    first-seen order; repeats add links and hashtags."""
    merged: dict[tuple[str, str, str], Post] = {}
    for post in posts:
        key = (post.platform or "", post.network or "", post.message_id)  # as ``post_key``
        first = merged.get(key)
        if first is None:
            merged[key] = post
        elif post.urls or post.hashtags:
            merged[key] = _with_extras(first, post)
    return list(merged.values())


def _with_extras(first: Post, extra: Post) -> Post:
    urls = first.urls + tuple(u for u in extra.urls if u not in first.urls)
    tags = first.hashtags + tuple(h for h in extra.hashtags if h not in first.hashtags)
    return replace(first, urls=urls, hashtags=tags)
