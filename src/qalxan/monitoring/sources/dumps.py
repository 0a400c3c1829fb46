"""Research exports as growing files: JSON Lines (``jsonl``) and CSV with a header (``csv``).

Columns are read with the aliases of ``qalxan.monitoring.exports`` (the
coordination-network-toolkit's ``message_id, user_id, username, repost_id, reply_id,
message, timestamp, urls`` among them). The checkpoint is the byte offset and line number
after the last row returned, with a fingerprint of the file's first bytes: a file that grew
is followed from there, one that shrank below the offset or whose start changed is
reported as ``SourceReplaced``. Only rows ended by a line break are read (the writer may
still be writing the last one), except a last JSON line that is already a whole object.
A bad row stops the source with ``BadPostLine`` naming the line, unless ``bad_lines`` is
``skip``: then it is logged by line number and passed over.
"""

from __future__ import annotations

import csv
import hashlib
import json
import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO, Any

from qalxan.errors import InvalidInput, SourceUnavailable
from qalxan.monitoring import exports
from qalxan.monitoring.exports import BadPostLine
from qalxan.monitoring.posts import Post
from qalxan.monitoring.sources import params as p
from qalxan.monitoring.sources.base import (
    Batch,
    SourceReplaced,
    SourceSpec,
    check_limit,
    dump_checkpoint,
    load_checkpoint,
)
from qalxan.monitoring.sources.registry import Connections, SourceKind, register_source

HEAD_BYTES = 4096
log = logging.getLogger("qalxan.monitoring.sources")


@dataclass(frozen=True, slots=True)
class Position:
    """Where the next row starts: byte offset, lines before it, fingerprint of the head."""

    offset: int = 0
    line: int = 0
    head: str = ""

    def state(self) -> dict[str, Any]:
        return {"offset": self.offset, "line": self.line, "head": self.head}


Row = tuple[int, int, Mapping[str, Any] | BadPostLine]  # (line, offset after it, row)


class DumpSource:
    """A JSON Lines or CSV export, followed as it grows."""

    def __init__(self, spec: SourceSpec, connections: Connections) -> None:
        self._kind = spec.kind
        self._path = PurePath(spec.params["path"])
        self._open = connections.open_file
        self._skip = spec.params.get("bad_lines", "fail") == "skip"

    def fetch(self, checkpoint: str | None, limit: int) -> Batch:
        check_limit(limit)
        start = Position() if checkpoint is None else _position(checkpoint, self._kind)
        try:
            with self._open(str(self._path)) as stream:
                _check_same_file(stream, start, self._path.name)
                return self._read(stream, start, limit)
        except OSError as exc:
            raise SourceUnavailable(f"{self._kind} source: cannot read {self._path.name} "
                                    f"({exc.strerror or type(exc).__name__})") from None

    def _read(self, stream: IO[bytes], start: Position, limit: int) -> Batch:
        """Posts from ``start``; a bad row after some posts ends the batch before it, so
        the next fetch starts at it (and fails there, unless bad rows are skipped)."""
        rows = _jsonl_rows(stream, start) if self._kind == "jsonl" else _csv_rows(stream, start)
        posts: list[Post] = []
        end = start
        for line, offset, row in rows:
            try:
                post = self._post(row, line)
            except BadPostLine:
                if not posts:
                    raise
                return self._batch(stream, posts, end, exhausted=False)
            end = Position(offset, line, start.head)
            if post is not None:
                posts.append(post)
            if len(posts) >= limit:
                return self._batch(stream, posts, end, exhausted=False)
        return self._batch(stream, posts, end, exhausted=True)

    def _post(self, row: Mapping[str, Any] | BadPostLine, line: int) -> Post | None:
        try:
            if isinstance(row, BadPostLine):
                raise row
            return exports.post_from_record(row, exports.columns_for(row), line)
        except BadPostLine as exc:
            if not self._skip:
                raise
            log.warning("%s source %s: skipped line %d", self._kind, self._path.name, exc.line)
            return None

    def _batch(self, stream: IO[bytes], posts: list[Post], end: Position,
               exhausted: bool) -> Batch:
        head = _fingerprint(stream, min(end.offset, HEAD_BYTES))
        state = Position(end.offset, end.line, head).state()
        return Batch(tuple(exports.merge_duplicates(posts)), dump_checkpoint(state), exhausted)


def _position(checkpoint: str, kind: str) -> Position:
    state = load_checkpoint(checkpoint, kind, ("offset", "line", "head"))
    offset, line, head = state["offset"], state["line"], state["head"]
    if not (isinstance(offset, int) and isinstance(line, int) and isinstance(head, str)):
        raise InvalidInput(f"checkpoint {checkpoint[:60]!r} was not written by a {kind} source")
    return Position(offset, line, head)


def _fingerprint(stream: IO[bytes], length: int) -> str:
    stream.seek(0)
    return f"{length}:{hashlib.sha256(stream.read(length)).hexdigest()}"


def _check_same_file(stream: IO[bytes], start: Position, name: str) -> None:
    size = stream.seek(0, 2)
    if size < start.offset:
        raise SourceReplaced(f"{name} is shorter than at the checkpoint (truncated or replaced)")
    if start.head:
        length = int(start.head.partition(":")[0] or 0)
        if _fingerprint(stream, length) != start.head:
            raise SourceReplaced(f"{name} starts differently than at the checkpoint (replaced)")


def _lines(stream: IO[bytes], offset: int) -> Iterator[tuple[bytes, int]]:
    """(line, offset after it) of the lines from ``offset``, the unended last one included."""
    stream.seek(offset)
    for raw in iter(stream.readline, b""):
        offset += len(raw)
        yield raw, offset


def _jsonl_rows(stream: IO[bytes], start: Position) -> Iterator[Row]:
    line = start.line
    for raw, offset in _lines(stream, start.offset):
        line += 1
        ended = raw.endswith(b"\n")
        text = raw.decode("utf-8-sig" if offset == len(raw) else "utf-8", errors="replace")
        if not text.strip():
            continue
        try:
            record = json.loads(text)
        except (json.JSONDecodeError, RecursionError) as exc:
            if not ended:
                return
            yield line, offset, BadPostLine(line, f"invalid JSON ({exc})")
            continue
        if isinstance(record, dict):
            yield line, offset, record
        elif ended:
            yield line, offset, BadPostLine(line, "expected a JSON object")


def _csv_rows(stream: IO[bytes], start: Position) -> Iterator[Row]:
    stream.seek(0)
    header = stream.readline()
    if not header.endswith(b"\n"):
        return  # the header itself is still being written
    names = next(csv.reader([header.decode("utf-8-sig", errors="replace")]), [])
    columns = exports.columns_for(names)
    missing = [f for f in exports.REQUIRED if f not in columns]
    if missing:
        raise BadPostLine(1, f"no {missing[0].replace('_', ' ')} column (one of: "
                             f"{' or '.join(exports.ALIASES[missing[0]])})")
    yield from _csv_records(stream, max(start.offset, len(header)), max(start.line, 1), names)


def _csv_records(stream: IO[bytes], offset: int, line: int, names: list[str]) -> Iterator[Row]:
    cursor = _Cursor(stream, offset, line)
    reader = csv.reader(cursor.lines())
    for fields in reader:
        if cursor.past_end:
            return
        if len(fields) > len(names):
            yield cursor.line, cursor.offset, BadPostLine(cursor.line,
                                                          "more fields than the header names")
        elif any(f.strip() for f in fields):
            yield cursor.line, cursor.offset, dict(zip(names, fields, strict=False))


class _Cursor:
    """Ended lines of a CSV file as text, counting lines and bytes; ``past_end`` is set
    when the reader asked for a line that is not (yet) complete."""

    def __init__(self, stream: IO[bytes], offset: int, line: int) -> None:
        self._stream, self.offset, self.line = stream, offset, line
        self.past_end = False

    def lines(self) -> Iterator[str]:
        for raw, offset in _lines(self._stream, self.offset):
            if not raw.endswith(b"\n"):
                break
            self.offset, self.line = offset, self.line + 1
            yield raw.decode("utf-8", errors="replace")
        self.past_end = True


def _kind(name: str, help_line: str) -> SourceKind:
    return SourceKind(
        name=name,
        params=(p.Param("path", p.text, required=True, help="the export file"),
                p.Param("bad_lines", p.choice("fail", "skip"),
                        help="fail (default) or skip rows that are not posts")),
        factory=DumpSource,
        help=help_line,
        files=("path",),
    )


register_source(_kind("jsonl", "A JSON Lines export, followed as it grows"))
register_source(_kind("csv", "A CSV export with a header, followed as it grows"))
