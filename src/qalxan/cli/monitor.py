"""``qalxan monitor`` and ``qalxan watchlist``: watch public sources for attacks on defenders.

Sources and watch-list entries belong to an organisation (``--org``; default: the intake
organisation). ``monitor run`` reads every active source, keeps the posts that concern
watched defenders and raises alerts; with ``--once`` it makes one pass and exits.
"""

from __future__ import annotations

import signal
import threading
from typing import TYPE_CHECKING, Annotated

import typer

from qalxan.cli.output import emit
from qalxan.cli.runner import domain_errors, open_platform, run_system
from qalxan.errors import NotFound

if TYPE_CHECKING:
    from qalxan.monitoring.monitor import SourceResult

app = typer.Typer(help="Monitor public sources for posts about watched defenders.",
                  no_args_is_help=True)
watch_app = typer.Typer(help="The defenders an organisation watches for.", no_args_is_help=True)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]
OrgOpt = Annotated[str | None, typer.Option("--org", help="Organisation id (default: the "
                                            "intake organisation).")]
Many = Annotated[list[str] | None, typer.Option()]


def _org(org: str | None) -> str:
    from qalxan.services import instance

    return org or run_system(instance.intake_org_id)


def _line(result: SourceResult) -> str:
    text = (f"{result.source}: {result.posts} post(s), {result.kept} about watched defenders, "
            f"{result.alerts_raised} alert(s) raised, {result.alerts_updated} updated")
    return f"{text}; failed: {result.error}" if result.error else text


@app.command("run")
@domain_errors
def run(
    once: Annotated[bool, typer.Option("--once", help="One pass over the sources, then exit.")]
    = False,
    source: Annotated[list[str] | None, typer.Option(
        "--source", help="Only this source (by name); repeatable.")] = None,
    interval: Annotated[int | None, typer.Option(
        help="Seconds between passes (default: QALXAN_MONITOR_INTERVAL_SECONDS).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Read the active sources, keep posts about watched defenders, raise alerts."""
    from qalxan.monitoring.monitor import Monitor

    platform = open_platform()
    names = tuple(source or ())
    try:
        if once:
            results = Monitor(platform).run_once(names)
            emit(results, as_json, "\n".join(_line(r) for r in results) or "no active sources")
            if any(r.error for r in results):
                raise typer.Exit(1)
            return
        stop = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stop.set())
        typer.echo("monitoring; stop with Ctrl-C", err=True)
        Monitor(platform).run(interval or platform.settings.monitor_interval_seconds, stop,
                              names)
    finally:
        platform.dispose()


@app.command("add-source")
@domain_errors
def add_source(
    kind: Annotated[str, typer.Argument(help="Kind of source: jsonl, csv, rss, mastodon, "
                                        "telegram (see `qalxan monitor kinds`).")],
    name: Annotated[str, typer.Argument(help="A name for it, unique in the organisation.")],
    param: Annotated[list[str] | None, typer.Option(
        "--param", help="KEY=VALUE, repeatable (e.g. base_url=https://social.example).")] = None,
    paused: Annotated[bool, typer.Option("--paused", help="Add it without running it yet.")]
    = False,
    org: OrgOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Add a source to monitor."""
    from qalxan.monitoring.sources.params import key_values
    from qalxan.services import monitor
    from qalxan.services.monitoring_schemas import SourceInput

    view = run_system(monitor.add_source, SourceInput(
        kind=kind, name=name, params=key_values(param or []), active=not paused), _org(org))
    emit(view, as_json, f"added source {view.name} ({view.kind}), id {view.id}")


@app.command("kinds")
def kinds() -> None:
    """List the kinds of source and their params."""
    from qalxan.monitoring.sources import SOURCES

    for name in SOURCES.names():
        kind = SOURCES.get(name)
        params = ", ".join(p.name + ("*" if p.required else "") for p in kind.params)
        typer.echo(f"{name}: {kind.help} [{params}]")


@app.command("sources")
@domain_errors
def sources(org: OrgOpt = None, as_json: JsonOpt = False) -> None:
    """List the organisation's sources, with when each last ran and any failure."""
    from qalxan.services import monitor

    views = run_system(monitor.list_sources, _org(org))
    lines = [f"{v.name} ({v.kind}{'' if v.active else ', paused'}): {v.posts_seen} post(s)"
             f"{'; last error: ' + v.last_error if v.last_error else ''}" for v in views]
    emit(views, as_json, "\n".join(lines) or "no sources")


def _source_id(name: str, org: str) -> str:
    from qalxan.services import monitor

    for view in run_system(monitor.list_sources, org):
        if view.name == name:
            return view.id
    raise NotFound(f"no source named {name!r}")


@app.command("remove-source")
@domain_errors
def remove_source(name: str, org: OrgOpt = None, as_json: JsonOpt = False) -> None:
    """Stop monitoring a source (by name) and forget its params and checkpoint."""
    from qalxan.services import monitor

    run_system(monitor.remove_source, _source_id(name, _org(org)))
    emit({"removed": name}, as_json, f"removed source {name}")


@watch_app.command("add")
@domain_errors
def watch_add(
    name: Many = None, handle: Many = None, alias: Many = None, phone: Many = None,
    email: Many = None, address: Many = None,
    region: Annotated[str | None, typer.Option(help="ISO 3166 country for phone numbers.")]
    = None,
    org: OrgOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Watch for a defender: --name, --handle, --alias (each repeatable, any script)."""
    from qalxan.services import watchlists
    from qalxan.services.monitoring_schemas import WatchEntryInput

    view = run_system(watchlists.add_entry, WatchEntryInput(
        names=name or [], handles=handle or [], aliases=alias or [], phones=phone or [],
        emails=email or [], addresses=address or [], region=region), _org(org))
    emit({"id": view.id, "label": view.label}, as_json, f"watching {view.label}, id {view.id}")


@watch_app.command("list")
@domain_errors
def watch_list(org: OrgOpt = None, as_json: JsonOpt = False) -> None:
    """List the watch-list (labels and ids only; no names)."""
    from qalxan.services import watchlists

    entries = run_system(watchlists.list_entries, _org(org))
    lines = [f"{e.id}  {e.label}{'' if e.active else ' (paused)'}  {e.open_alerts} open "
             f"alert(s)" for e in entries]
    emit(entries, as_json, "\n".join(lines) or "the watch-list is empty")


@watch_app.command("remove")
@domain_errors
def watch_remove(entry_id: str, as_json: JsonOpt = False) -> None:
    """Remove an entry, with the posts and alerts kept about it."""
    from qalxan.services import watchlists

    run_system(watchlists.remove_entry, entry_id)
    emit({"removed": entry_id}, as_json, f"removed {entry_id}")
