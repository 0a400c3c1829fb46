"""``qalxan campaigns INPUT``: find coordinated accounts in an export of posts.

Reads a CSV or JSON Lines export (see ``qalxan.monitoring.exports`` for the columns),
builds the networks asked for, finds communities and prints a summary (``--json`` for
JSON); ``--graphml`` writes the networks for Gephi or igraph. Everything found is labelled
"coordinated" and unconfirmed until a person has reviewed it. With ``--ray ADDRESS`` the
near-identical text grouping (the costly part) runs as Ray tasks; the result is the same.
The work is in ``cli/campaigns_run.py``, imported when the command runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from qalxan.monitoring.campaigns import KINDS


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
    from qalxan.cli.campaigns_run import run_campaigns

    run_campaigns(input_path, window, min_weight, network, percentile, similarity, unshorten,
                  watchlist, graphml, input_format, skip_bad_lines, as_json, ray, ray_workers)
