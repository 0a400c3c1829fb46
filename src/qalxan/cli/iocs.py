"""``qalxan iocs``: add STIX 2.1 indicator feeds to this instance, and list them.

Imported feeds live in ``DATA_DIR/iocs`` with a ``manifest.json`` recording where each
came from; the links detector loads them next to the feeds shipped with Qalxan.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Annotated

import typer

from qalxan.analysis.indicators import FeedInfo, load_feed_dir, load_feed_file, shipped_feed_dir
from qalxan.config import get_settings

app = typer.Typer(help="Indicator-of-compromise feeds (STIX 2.1).", no_args_is_help=True)


def feed_dir() -> Path:
    return get_settings().data_dir / "iocs"


def _read_manifest(directory: Path) -> list[dict[str, str]]:
    path = directory / "manifest.json"
    if not path.is_file():
        return []
    entries: list[dict[str, str]] = json.loads(path.read_text(encoding="utf-8"))
    return entries


def _write_manifest(directory: Path, entries: list[dict[str, str]]) -> None:
    text = json.dumps(entries, indent=1, ensure_ascii=False) + "\n"
    (directory / "manifest.json").write_text(text, encoding="utf-8")


def _candidates(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.suffix in {".stix2", ".json"})
    return [path]


def _import_one(source: Path, target_dir: Path, info: FeedInfo) -> int:
    """Validate and copy one bundle; returns its number of matchable indicators."""
    try:
        count = len(load_feed_file(source, info))
    except (OSError, ValueError) as exc:
        raise ValueError(f"{source}: not a readable STIX 2.1 JSON bundle ({exc})") from exc
    if count == 0:
        raise ValueError(f"{source}: no indicator Qalxan can match (domain, URL, IP, e-mail, hash)")
    shutil.copyfile(source, target_dir / info.file)
    return count


@app.command("import")
def import_feeds(
    path: Annotated[Path, typer.Argument(help="A STIX 2.1 bundle, or a folder of them.")],
    campaign: Annotated[str, typer.Option(help="Name to use where the bundle names none.")] = "",
    report: Annotated[str, typer.Option(help="Report (URL or title) the feed comes from.")] = "",
    source: Annotated[str, typer.Option(help="Who published the feed.")] = "",
    licence: Annotated[str, typer.Option(help="The feed's licence.")] = "",
) -> None:
    """Add indicator feeds to this instance (kept in DATA_DIR/iocs)."""
    if not path.exists():
        typer.echo(f"error: {path} does not exist", err=True)
        raise typer.Exit(2)
    target = feed_dir()
    target.mkdir(parents=True, exist_ok=True)
    entries = {e["file"]: e for e in _read_manifest(target)}
    failed = 0
    for file in _candidates(path):
        info = FeedInfo(file.name, campaign, report, source or str(file), licence)
        try:
            count = _import_one(file, target, info)
        except ValueError as exc:
            typer.echo(f"error: {exc}", err=True)
            failed += 1
            continue
        entries[info.file] = {k: getattr(info, k) for k in FeedInfo.__slots__}
        typer.echo(f"imported {file.name}: {count} indicators")
    _write_manifest(target, list(entries.values()))
    if failed:
        raise typer.Exit(1)


@app.command("list")
def list_feeds() -> None:
    """Show the shipped and imported feeds with their indicator counts."""
    for label, directory in (("shipped", shipped_feed_dir()), ("imported", feed_dir())):
        if not directory.is_dir():
            continue
        counts: dict[str, int] = {}
        for indicator in load_feed_dir(directory):
            counts[indicator.feed] = counts.get(indicator.feed, 0) + 1
        for feed, count in sorted(counts.items()):
            typer.echo(f"{label}\t{feed}\t{count}")
