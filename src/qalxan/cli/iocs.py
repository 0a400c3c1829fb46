"""``qalxan iocs``: add STIX 2.1 indicator feeds to this instance, and list them.

Imported feeds live in ``DATA_DIR/iocs`` with a ``manifest.json`` recording where each
came from; the links detector loads them next to the feeds shipped with Qalxan. The work is
done by ``qalxan.services.iocs``, which the admin pages use too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from qalxan.cli.runner import instance_settings

app = typer.Typer(help="Indicator-of-compromise feeds (STIX 2.1).", no_args_is_help=True)


def feed_dir() -> Path:
    from qalxan.services import iocs

    return iocs.feed_dir(instance_settings().data_dir)


@app.command("import")
def import_feeds(
    path: Annotated[Path, typer.Argument(help="A STIX 2.1 bundle, or a folder of them.")],
    campaign: Annotated[str, typer.Option(help="Name to use where the bundle names none.")] = "",
    report: Annotated[str, typer.Option(help="Report (URL or title) the feed comes from.")] = "",
    source: Annotated[str, typer.Option(help="Who published the feed.")] = "",
    licence: Annotated[str, typer.Option(help="The feed's licence.")] = "",
) -> None:
    """Add indicator feeds to this instance (kept in DATA_DIR/iocs)."""
    from qalxan.analysis.indicators import FeedInfo
    from qalxan.services import iocs

    if not path.exists():
        typer.echo(f"error: {path} does not exist", err=True)
        raise typer.Exit(2)
    target = feed_dir()
    failed = 0
    for file in iocs.candidates(path):
        info = FeedInfo(file.name, campaign, report, source or str(file), licence)
        try:
            count = iocs.import_path(file, target, info)
        except ValueError as exc:
            typer.echo(f"error: {exc}", err=True)
            failed += 1
            continue
        typer.echo(f"imported {file.name}: {count} indicators")
    if failed:
        raise typer.Exit(1)


@app.command("list")
def list_feeds() -> None:
    """Show the shipped and imported feeds with their indicator counts."""
    from qalxan.services import iocs

    for feed in iocs.summaries(feed_dir()):
        typer.echo(f"{feed.origin}\t{feed.file}\t{feed.indicators}")
