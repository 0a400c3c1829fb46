"""What ``qalxan analyze`` does, imported only when it runs (``cli/analyze.py`` holds the
command and its options, so ``--help`` loads none of the analysis engine).

Input is JSON Lines (one object per line) or CSV with a header; either way each record
needs ``text`` and may have ``lang``, ``author``, ``timestamp`` (ISO 8601), ``urls`` (a
list, or space-separated in CSV), ``platform`` and ``source_id`` (or ``id``). Output is
one JSON object per accepted record, in input order. A malformed record is reported on
stderr with its line number and skipped; the rest is still analysed.

With ``--ray ADDRESS`` the batches are analysed by Ray actors on a cluster (or a local Ray
instance) instead of in this process; the output is the same, byte for byte.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

import typer

from qalxan.analysis.message import AnalysisContext, Finding, Message, WatchedDefender
from qalxan.analysis.pipeline import MessageAnalysis, analyse_stream, available_detectors
from qalxan.analysis.ray_runner import analyse_on_ray
from qalxan.cli.output import fail
from qalxan.errors import QalxanError
from qalxan.scaleout import ray_session

EXIT_REJECTED = 1
EXIT_USAGE = 2
_FIELDS = ("text", "lang", "author", "timestamp", "urls", "platform", "source_id", "id")


class RecordError(ValueError):
    """A record that cannot become a message."""


@dataclass
class Tally:
    accepted: int = 0
    rejected: int = 0


def message_from(record: Any) -> Message:
    """Build a message from one parsed record, or raise RecordError saying why."""
    if not isinstance(record, dict):
        raise RecordError("expected a JSON object")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise RecordError("missing or empty 'text'")
    urls = record.get("urls") or ()
    if isinstance(urls, str):
        urls = urls.split()
    if not isinstance(urls, list | tuple) or not all(isinstance(u, str) for u in urls):
        raise RecordError("'urls' must be a list of strings")
    return Message(
        text=text,
        lang=_optional_str(record, "lang"),
        author=_optional_str(record, "author"),
        timestamp=_timestamp(record.get("timestamp")),
        urls=tuple(urls),
        platform=_optional_str(record, "platform"),
        source_id=_optional_str(record, "source_id") or _optional_str(record, "id"),
    )


def _optional_str(record: dict[str, Any], key: str) -> str | None:
    value = record.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise RecordError(f"'{key}' must be a string")
    return value


def _timestamp(value: Any) -> datetime | None:
    if value is None or value == "":
        return None
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        raise RecordError(f"'timestamp' is not ISO 8601: {value!r}") from None


def jsonl_records(stream: TextIO) -> Iterator[tuple[int, Any]]:
    """(line number, parsed object or RecordError) for each non-blank line."""
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, RecordError(f"invalid JSON ({exc.msg}, column {exc.colno})")


def csv_records(stream: TextIO) -> Iterator[tuple[int, Any]]:
    """(line number, row dict or RecordError); the header is line 1."""
    reader = csv.DictReader(stream)
    if reader.fieldnames is None or "text" not in reader.fieldnames:
        yield 1, RecordError("CSV header has no 'text' column")
        return
    try:
        for row in reader:
            if None in row:
                yield reader.line_num, RecordError("more fields than the header names")
                continue
            yield reader.line_num, {k: v for k, v in row.items() if k in _FIELDS}
    except csv.Error as exc:
        yield reader.line_num, RecordError(f"malformed CSV ({exc})")


def accepted_messages(
    records: Iterable[tuple[int, Any]], lines: deque[int], tally: Tally, errors: TextIO
) -> Iterator[Message]:
    """Messages from valid records; each rejection goes to ``errors`` with its line."""
    for number, record in records:
        try:
            if isinstance(record, RecordError):
                raise record
            message = message_from(record)
        except RecordError as exc:
            tally.rejected += 1
            errors.write(f"line {number}: rejected: {exc}\n")
            continue
        tally.accepted += 1
        lines.append(number)
        yield message


def finding_json(finding: Finding) -> dict[str, Any]:
    return {
        "detector": finding.detector,
        "code": finding.code,
        "score": round(finding.score, 4),
        "explanation": finding.explanation,
        "spans": [[s.start, s.end] for s in finding.spans],
        "details": dict(finding.details),
        "physical_risk": finding.physical_risk,
    }


def result_json(line: int, message_id: str | None, result: MessageAnalysis) -> dict[str, Any]:
    return {
        "line": line,
        "source_id": message_id,
        "language": result.language,
        "physical_risk": result.physical_risk,
        "risk_rules": list(result.risk_rules),
        "findings": [finding_json(f) for f in result.findings],
    }


def _choose_detectors(option: str | None) -> list[str] | None:
    if option is None:
        return None
    names = [n.strip() for n in option.split(",") if n.strip()]
    known = available_detectors()
    unknown = [n for n in names if n not in known]
    if unknown or not names:
        typer.echo(
            f"error: unknown detector(s) {', '.join(unknown) or '(none given)'}; "
            f"known: {', '.join(known)}",
            err=True,
        )
        raise typer.Exit(EXIT_USAGE)
    return names


def _load_watchlist(path: Path | None) -> tuple[WatchedDefender, ...]:
    if path is None:
        return ()
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
        return tuple(_defender(e) for e in entries)
    except (OSError, ValueError, TypeError, KeyError) as exc:
        typer.echo(f"error: cannot read watch-list {path}: {exc}", err=True)
        raise typer.Exit(EXIT_USAGE) from None


def _defender(entry: dict[str, Any]) -> WatchedDefender:
    lists = {
        k: tuple(entry.get(k, ())) for k in ("names", "handles", "phones", "emails", "addresses")
    }
    return WatchedDefender(str(entry["defender_id"]), region=entry.get("region"), **lists)


def _open_input(path: str) -> TextIO:
    if path == "-":
        return io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8-sig", errors="replace")
    try:
        return open(path, encoding="utf-8-sig", errors="replace", newline="")
    except OSError as exc:
        typer.echo(f"error: cannot open {path}: {exc.strerror}", err=True)
        raise typer.Exit(EXIT_USAGE) from None


def _records(stream: TextIO, path: str, fmt: str) -> Iterator[tuple[int, Any]]:
    if fmt == "auto":
        fmt = "csv" if path.lower().endswith(".csv") else "jsonl"
    return csv_records(stream) if fmt == "csv" else jsonl_records(stream)


def _write_results(
    results: Iterable[MessageAnalysis], messages: deque[Message], lines: deque[int], out: TextIO
) -> None:
    for result in results:
        message = messages.popleft()
        record = result_json(lines.popleft(), message.source_id, result)
        out.write(json.dumps(record, ensure_ascii=False) + "\n")


def _tracked(messages: Iterable[Message], seen: deque[Message]) -> Iterator[Message]:
    for message in messages:
        seen.append(message)
        yield message


def _with_progress(messages: Iterator[Message]) -> Iterator[Message]:
    """A progress display on stderr, only when it is a terminal."""
    if not sys.stderr.isatty():
        yield from messages
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = (SpinnerColumn(), TextColumn("{task.completed} messages"), TimeElapsedColumn())
    with Progress(*columns, transient=True) as progress:
        task = progress.add_task("analyse", total=None)
        for message in messages:
            yield message
            progress.advance(task)


Engine = Callable[[Iterable[Message], AnalysisContext, list[str] | None, int],
                  Iterator[MessageAnalysis]]


@contextmanager
def _engine(workers: int, ray: str | None, ray_workers: int | None) -> Iterator[Engine]:
    """In this process or a worker pool; with ``ray``, Ray actors (one per CPU offered,
    at most ``ray_workers``)."""
    if ray is None:
        yield lambda messages, context, names, size: analyse_stream(
            messages, context, names, workers, size)
        return
    if workers > 1:
        typer.echo("error: --workers is for this machine; with --ray use --ray-workers",
                   err=True)
        raise typer.Exit(EXIT_USAGE)
    with ray_session(ray, ray_workers) as cpus:
        actors = min(ray_workers or cpus, cpus)
        yield lambda messages, context, names, size: analyse_on_ray(
            messages, context, names, actors, size)


def _run(
    input_path: str, input_format: str, output: Path | None, engine: Engine,
    context: AnalysisContext, names: list[str] | None, batch_size: int,
) -> Tally:
    tally, lines, pending = Tally(), deque[int](), deque[Message]()
    with _open_input(input_path) as stream:
        out = sys.stdout if output is None else output.open("w", encoding="utf-8")
        try:
            valid = accepted_messages(
                _records(stream, input_path, input_format), lines, tally, sys.stderr
            )
            messages = _tracked(_with_progress(valid), pending)
            results = engine(messages, context, names, max(batch_size, 1))
            _write_results(results, pending, lines, out)
        finally:
            if output is not None:
                out.close()
    return tally


def run_analyze(
    input_path: str, output: Path | None, detectors: str | None, input_format: str,
    region: str | None, prior_attacks: int, watchlist: Path | None, workers: int,
    batch_size: int, ray: str | None, ray_workers: int | None,
) -> None:
    """The body of ``qalxan analyze`` (see its help)."""
    if input_format not in {"auto", "jsonl", "csv"}:
        typer.echo("error: --format must be auto, jsonl or csv", err=True)
        raise typer.Exit(EXIT_USAGE)
    names = _choose_detectors(detectors)
    context = AnalysisContext(_load_watchlist(watchlist), max(prior_attacks, 0), region)
    try:
        with _engine(workers, ray, ray_workers) as engine:
            tally = _run(input_path, input_format, output, engine, context, names, batch_size)
    except QalxanError as exc:
        raise fail(exc) from None
    typer.echo(f"{tally.accepted} message(s) analysed, {tally.rejected} line(s) rejected", err=True)
    if tally.rejected:
        raise typer.Exit(EXIT_REJECTED)
