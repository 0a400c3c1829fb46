"""What ``qalxan campaigns`` does, imported only when it runs (``cli/campaigns.py`` holds the
command and its options, so ``--help`` loads no network code).

Reads a CSV or JSON Lines export (see ``qalxan.monitoring.exports`` for the columns),
builds the networks asked for, finds communities and prints a summary (``--json`` for
JSON); ``--graphml`` writes the networks for Gephi or igraph. Everything found is labelled
"coordinated" and unconfirmed until a person has reviewed it. With ``--ray ADDRESS`` the
near-identical text grouping (the costly part) runs as Ray tasks; the result is the same.
"""

from __future__ import annotations

import csv
import dataclasses
import gc
import json
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer

from qalxan.cli.output import fail
from qalxan.errors import QalxanError
from qalxan.monitoring.campaigns import KINDS
from qalxan.monitoring.campaigns.detect import Detection, detect, detection_graphml
from qalxan.monitoring.campaigns.graphml import write_graphml
from qalxan.monitoring.campaigns.networks import NetworkOptions
from qalxan.monitoring.campaigns.summary import Watchlist
from qalxan.monitoring.exports import BadPostLine, read_posts
from qalxan.monitoring.posts import Post
from qalxan.scaleout import Mapper, ray_map, ray_session, serial_map

EXIT_USAGE = 2


def _usage(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(EXIT_USAGE)


def parse_kinds(option: str) -> list[str]:
    kinds = [k.strip() for k in option.split(",") if k.strip()]
    unknown = [k for k in kinds if k not in KINDS]
    if unknown or not kinds:
        raise _usage(f"unknown network(s) {', '.join(unknown) or '(none given)'}; "
                     f"known: {', '.join(KINDS)}")
    return list(dict.fromkeys(kinds))


def parse_window(option: str) -> float | None:
    """Seconds, or None for ``auto`` (estimate from the data)."""
    if option.strip().lower() == "auto":
        return None
    try:
        seconds = float(option)
    except ValueError:
        raise _usage(f"--window must be seconds or 'auto', not {option!r}") from None
    if seconds < 0:
        raise _usage("--window cannot be negative")
    return seconds


def load_watchlist(path: Path | None) -> Watchlist:
    """JSON (``[{"defender_id", "names", "handles"}]`` or ``{id: [names]}``) or one name
    per line of text."""
    if path is None:
        return {}
    try:
        text = path.read_text(encoding="utf-8-sig")
        if path.suffix.lower() != ".json":
            return {n.strip(): [n.strip()] for n in text.splitlines() if n.strip()}
        return _watchlist_json(json.loads(text))
    except (OSError, ValueError, TypeError, KeyError) as exc:
        raise _usage(f"cannot read the watch-list {path}: {exc}") from None


def _watchlist_json(data: Any) -> Watchlist:
    if isinstance(data, dict):
        return {str(k): [str(n) for n in v] for k, v in data.items()}
    return {
        str(e["defender_id"]): [str(n) for n in (*e.get("names", ()), *e.get("handles", ()))]
        for e in data
    }


def load_unshorten(path: Path | None) -> dict[str, str]:
    """Short link -> target, from a two-column CSV (short, long) or a JSON object."""
    if path is None:
        return {}
    try:
        with path.open(encoding="utf-8-sig", newline="") as stream:
            if path.suffix.lower() == ".json":
                return {str(k): str(v) for k, v in json.load(stream).items()}
            return {row[0].strip(): row[1].strip() for row in csv.reader(stream) if len(row) >= 2}
    except (OSError, ValueError, AttributeError) as exc:
        raise _usage(f"cannot read the unshortening map {path}: {exc}") from None


def _read(path: Path, fmt: str, skip_bad: bool) -> list[Post]:
    def report(error: BadPostLine) -> None:
        typer.echo(f"{path}: {error.detail} (skipped)", err=True)

    try:
        return read_posts(path, fmt, report if skip_bad else None)
    except BadPostLine as exc:
        raise _usage(f"{path}: {exc.detail}") from None
    except OSError as exc:
        raise _usage(f"cannot open {path}: {exc.strerror}") from None


@contextmanager
def _mapper(ray: str | None, ray_workers: int | None) -> Iterator[Mapper]:
    if ray is None:
        yield serial_map
        return
    with ray_session(ray, ray_workers):
        yield ray_map


def _detect(posts: Sequence[Post], kinds: list[str], options: NetworkOptions,
            names: Watchlist, estimate: bool, ray: tuple[str | None, int | None]) -> Detection:
    try:
        with _mapper(*ray) as mapper:
            return detect(posts, kinds, options, names, estimate=estimate, mapper=mapper)
    except ValueError as exc:
        raise _usage(str(exc)) from None
    except QalxanError as exc:
        raise fail(exc) from None


def _text(detection: Detection) -> str:
    summary = detection.summary
    lines = [summary.statement]
    if detection.interval is not None:
        lines.append(f"Window estimated from {detection.interval.keys_used} quickly "
                     f"repeated items: {detection.interval.seconds:g} s.")
    for group in summary.groups:
        lines.append(f"\nGroup {group.community}: {group.statement}")
        lines.append("  accounts: " + ", ".join(group.account_names[:20]))
        for title, items in (("texts", group.texts), ("links", group.links),
                             ("shared posts", group.shared_posts), ("hashtags", group.hashtags)):
            if items:
                lines.append(f"  {title}: " + "; ".join(f"{k} ({n})" for k, n in items))
        if group.defenders_named:
            named = ", ".join(f"{d} ({n})" for d, n in group.defenders_named.items())
            lines.append(f"  defenders named: {named}")
    return "\n".join(lines)


def _json(detection: Detection) -> str:
    document = dataclasses.asdict(detection.summary)
    interval = detection.interval
    document["interval"] = dataclasses.asdict(interval) if interval is not None else None
    return json.dumps(document, ensure_ascii=False, indent=2)


def run_campaigns(
    input_path: Path, window: str, min_weight: int, network: str, percentile: float,
    similarity: float, unshorten: Path | None, watchlist: Path | None, graphml: Path | None,
    input_format: str, skip_bad_lines: bool, as_json: bool, ray: str | None,
    ray_workers: int | None,
) -> None:
    """The body of ``qalxan campaigns`` (see its help)."""
    if input_format not in {"auto", "csv", "jsonl"}:
        raise _usage("--format must be auto, csv or jsonl")
    kinds, seconds = parse_kinds(network), parse_window(window)
    options = NetworkOptions(window=seconds or 0.0, min_weight=min_weight, percentile=percentile,
                             similarity=similarity, unshorten=load_unshorten(unshorten))
    names = load_watchlist(watchlist)
    posts = _read(input_path, input_format, skip_bad_lines)
    # The posts live as long as the detection: the cyclic collector need not walk them
    # again each time the detection's many small objects trigger it (a tenth of the CPU
    # time); they go back to its care afterwards (the command may run inside a process).
    gc.freeze()
    try:
        detection = _detect(posts, kinds, options, names, seconds is None, (ray, ray_workers))
    finally:
        gc.unfreeze()
    if graphml is not None:
        write_graphml(graphml, detection_graphml(detection))
    typer.echo(_json(detection) if as_json else _text(detection))
    print(f"{len(posts)} post(s) read from {input_path}", file=sys.stderr)
