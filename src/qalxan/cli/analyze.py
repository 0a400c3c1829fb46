"""``qalxan analyze INPUT``: run the analysis engine over a file of messages.

Input is JSON Lines (one object per line) or CSV with a header; either way each record
needs ``text`` and may have ``lang``, ``author``, ``timestamp`` (ISO 8601), ``urls`` (a
list, or space-separated in CSV), ``platform`` and ``source_id`` (or ``id``). Output is
one JSON object per accepted record, in input order. A malformed record is reported on
stderr with its line number and skipped; the rest is still analysed.

With ``--ray ADDRESS`` the batches are analysed by Ray actors on a cluster (or a local Ray
instance) instead of in this process; the output is the same, byte for byte. The work is in
``cli/analyze_run.py``, imported when the command runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

_RAY_HELP = "Analyse on Ray: auto, local, host:port or ray://host:port."


def analyze(
    input_path: Annotated[
        str, typer.Argument(metavar="INPUT", help="JSONL or CSV file; - for stdin.")
    ],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write JSONL here (default: stdout).")
    ] = None,
    detectors: Annotated[
        str | None, typer.Option(help="Comma-separated detectors (default: all).")
    ] = None,
    input_format: Annotated[
        str, typer.Option("--format", help="auto (by extension), jsonl or csv.")
    ] = "auto",
    region: Annotated[
        str | None, typer.Option(help="Default region (ISO 3166) for phone numbers.")
    ] = None,
    prior_attacks: Annotated[
        int, typer.Option(help="Earlier attacks on the defender (escalation rules).")
    ] = 0,
    watchlist: Annotated[
        Path | None, typer.Option(help="JSON list of watched defenders' details.")
    ] = None,
    workers: Annotated[int, typer.Option(help="Worker processes (1: in-process).")] = 1,
    batch_size: Annotated[int, typer.Option(help="Messages per batch.")] = 256,
    ray: Annotated[
        str | None, typer.Option("--ray", metavar="ADDRESS", help=_RAY_HELP)
    ] = None,
    ray_workers: Annotated[
        int | None, typer.Option("--ray-workers", min=1, help="With --ray: CPUs of a local "
                                 "instance; at most this many actors (default: all CPUs).")
    ] = None,
) -> None:
    """Analyse messages and write their findings as JSON Lines.

    Malformed records are reported on stderr with their line number and skipped; the
    count of rejected lines is printed at the end. Exit code: 0 when every line was
    accepted, 1 when any line was rejected, 2 on a usage error, 7 when Ray is not
    installed or the cluster cannot be reached.
    """
    from qalxan.cli.analyze_run import run_analyze

    run_analyze(input_path, output, detectors, input_format, region, prior_attacks, watchlist,
                workers, batch_size, ray, ray_workers)
