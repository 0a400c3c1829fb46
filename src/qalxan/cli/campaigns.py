"""``qalxan campaigns INPUT``: find coordinated accounts in an export of posts.

Reads a CSV or JSON Lines export (see ``qalxan.monitoring.exports`` for the columns),
builds the networks asked for, finds communities and prints a summary (``--json`` for
JSON); ``--graphml`` writes the networks for Gephi or igraph. Everything found is labelled
"coordinated" and unconfirmed until a person has reviewed it. With ``--ray ADDRESS`` the
near-identical text grouping (the costly part) runs as Ray tasks; the result is the same.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from qalxan.cli.output import fail
from qalxan.errors import QalxanError
from qalxan.monitoring.campaigns.detect import Detection, detect, detection_graphml
from qalxan.monitoring.campaigns.graphml import write_graphml
from qalxan.monitoring.campaigns.networks import KINDS, NetworkOptions
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


def campaigns(
    input_path: Annotated[
        Path, typer.Argument(metavar="INPUT", help="CSV or JSON Lines export of posts.")
    ],
    window: Annotated[
        str, typer.Option(help="Seconds either side of a post, or 'auto' to estimate it.")
    ] = "60",
    min_weight: Annotated[
        int, typer.Option("--min-weight", min=1, help="Least edge weight kept.")
    ] = 2,
    network: Annotated[
        str, typer.Option(help="Comma-separated networks: " + ",".join(KINDS) + ".")
    ] = ",".join(KINDS),
    percentile: Annotated[
        float, typer.Option(min=0.0, max=0.999, help="Keep edges at or above this quantile "
                            "of the weights (0: off; CooRnet uses 0.9).")
    ] = 0.0,
    similarity: Annotated[
        float, typer.Option(min=0.01, max=1.0, help="Least word-set similarity of "
                            "near-identical texts (1: exact only).")
    ] = 0.8,
    unshorten: Annotated[
        Path | None, typer.Option(help="CSV (short,long) or JSON map of short links.")
    ] = None,
    watchlist: Annotated[
        Path | None, typer.Option(help="Defenders' names: JSON, or one name per line.")
    ] = None,
    graphml: Annotated[
        Path | None, typer.Option("--graphml", help="Write the networks as GraphML here.")
    ] = None,
    input_format: Annotated[
        str, typer.Option("--format", help="auto (by extension), csv or jsonl.")
    ] = "auto",
    skip_bad_lines: Annotated[
        bool, typer.Option("--skip-bad-lines", help="Report bad lines and go on.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    ray: Annotated[
        str | None, typer.Option("--ray", metavar="ADDRESS", help="Group near-identical "
                                 "texts on Ray: auto, local, host:port or ray://host:port.")
    ] = None,
    ray_workers: Annotated[
        int | None, typer.Option("--ray-workers", min=1,
                                 help="With --ray local: CPUs of the local instance.")
    ] = None,
) -> None:
    """Find accounts that posted the same text, link, shared post, reply target or hashtag
    within a time window, group them, and summarise what they shared.

    Results are "coordinated" and unconfirmed until a person has reviewed them. A bad input
    line stops with its line number (exit code 2) unless --skip-bad-lines is given; exit
    code 7 when Ray is not installed or the cluster cannot be reached.
    """
    if input_format not in {"auto", "csv", "jsonl"}:
        raise _usage("--format must be auto, csv or jsonl")
    kinds, seconds = parse_kinds(network), parse_window(window)
    options = NetworkOptions(window=seconds or 0.0, min_weight=min_weight, percentile=percentile,
                             similarity=similarity, unshorten=load_unshorten(unshorten))
    names = load_watchlist(watchlist)
    posts = _read(input_path, input_format, skip_bad_lines)
    detection = _detect(posts, kinds, options, names, seconds is None, (ray, ray_workers))
    if graphml is not None:
        write_graphml(graphml, detection_graphml(detection))
    typer.echo(_json(detection) if as_json else _text(detection))
    print(f"{len(posts)} post(s) read from {input_path}", file=sys.stderr)
