"""``qalxan``: set up, serve and administer an instance from the shell.

Every command is a thin shell over the service layer; errors print a clear message to stderr
and exit with the code of the domain error (see ``qalxan.errors``).
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from qalxan import __version__
from qalxan.cli import analyze, campaigns, iocs, monitor
from qalxan.cli.handover import Handover, hand_over
from qalxan.cli.output import emit
from qalxan.cli.runner import domain_errors, instance_settings, open_platform, run_system
from qalxan.domain.enums import Role

if TYPE_CHECKING:  # the service layer is imported by each command when it runs
    from qalxan.config import Settings
    from qalxan.security.audit import ChainHead
    from qalxan.services.instance import InitResult

app = typer.Typer(help="Qalxan: protect human rights defenders from online attacks.",
                  no_args_is_help=True, pretty_exceptions_enable=False)
user_app = typer.Typer(help="Manage staff accounts.", no_args_is_help=True)
token_app = typer.Typer(help="Create, list and revoke API tokens.", no_args_is_help=True)
audit_app = typer.Typer(help="The tamper-evident audit trail.", no_args_is_help=True)
key_app = typer.Typer(help="Rotate the instance key.", no_args_is_help=True)
app.add_typer(user_app, name="user")
app.add_typer(token_app, name="token")
app.add_typer(audit_app, name="audit")
app.add_typer(key_app, name="key")
app.add_typer(iocs.app, name="iocs")
app.add_typer(monitor.app, name="monitor")
app.add_typer(monitor.watch_app, name="watchlist")
app.command()(analyze.analyze)
app.command()(campaigns.campaigns)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]


@app.callback()
def owner_only_files() -> None:
    """Qalxan: protect human rights defenders from online attacks."""
    # Everything a command or the server creates (database, WAL, sealed files, backups, key)
    # is readable by its owner alone, whatever umask the shell or service manager set.
    os.umask(0o077)


@app.command("plugins")
@domain_errors
def plugins_command(as_json: JsonOpt = False) -> None:
    """List the detectors and source kinds with where each comes from, and the plugins that
    installed packages offer (loaded only when QALXAN_PLUGINS allows them)."""
    from qalxan.analysis.builtin import load_builtin_detectors
    from qalxan.monitoring.sources import SOURCES
    from qalxan.plugins import advertised

    registry = load_builtin_detectors()
    detectors = {n: registry.origin(n) for n in registry.names()}
    sources = {n: SOURCES.origin(n) for n in SOURCES.names()}
    offered = advertised()
    lines = [f"detector {n}: {o}" for n, o in detectors.items()]
    lines += [f"source {n}: {o}" for n, o in sources.items()]
    lines += [f"offered {a.module} ({a.distribution}): "
              f"{'allowed' if a.allowed else 'not allowed'}" for a in offered]
    emit({"detectors": detectors, "sources": sources, "offered": offered}, as_json,
         "\n".join(lines))


@app.command()
def doctor(as_json: JsonOpt = False) -> None:
    """Check this instance's set-up and say what to fix: settings, key location and
    permissions, free disk space, database and migrations, last backup's age, audit chain, TLS.
    Exit code: 0 all good, 1 warnings, 2 problems."""
    from qalxan.operations.doctor import examine

    checks = examine(instance_settings())
    marks = {0: "ok", 1: "WARNING", 2: "PROBLEM"}
    emit([{**dataclasses.asdict(c), "severity": marks[c.severity]} for c in checks], as_json,
         "\n".join(f"{marks[c.severity]:8} {c.name}: {c.found}"
                    + (f"\n         fix: {c.fix}" if c.fix else "") for c in checks))
    raise typer.Exit(max(c.severity for c in checks))


@app.command()
def version() -> None:
    """Print the version."""
    typer.echo(__version__)


@app.command()
@domain_errors
def init(
    admin_email: Annotated[str, typer.Option(help="E-mail address of the first admin.")] =
    "admin@localhost",
    org_name: Annotated[str, typer.Option(help="Name of the first (intake) organisation.")] =
    "Helpdesk",
    demo: Annotated[bool, typer.Option(help="Add a few invented cases, marked DEMO.")] = False,
    no_admin: Annotated[bool, typer.Option(help="Only create key and schema (for restore).")]
    = False,
    as_json: JsonOpt = False,
) -> None:
    """Create the data directory, instance key and schema, and the first admin (idempotent)."""
    from qalxan.services import instance

    settings = instance_settings()
    if no_admin:
        instance.prepare(settings)
        emit({"data_dir": str(settings.data_dir)}, as_json, f"prepared {settings.data_dir}")
        return
    result = instance.initialise(settings, admin_email, org_name)
    handover = (hand_over(settings.data_dir, result.admin_email or admin_email,
                          result.admin_password)
                if result.admin_password else None)
    try:
        if demo and result.admin_password:
            result.demo_cases = instance.add_demo_data(settings)
    finally:  # the one-time password is handed over even if adding demo data fails
        shown = {**dataclasses.asdict(result),
                 "admin_password": handover.password if handover else None,
                 "admin_password_file": handover.file if handover else None}
        emit(shown, as_json, _init_text(settings, result, handover))


def _init_text(settings: Settings, result: InitResult,
               handover: Handover | None) -> str:
    lines = [f"data directory: {settings.data_dir.resolve()}"]
    if result.created_key:
        key_file = settings.resolved_key_file().resolve()
        lines.append(f"instance key created: {key_file} "
                     "(back it up separately; without it no data can be read)")
        if key_file.is_relative_to(settings.data_dir.resolve()):
            lines.append("keep it on another volume than the data (QALXAN_KEY_FILE; see "
                         "README, Configuration), so one disk image does not hold both")
    if handover:
        lines += [f"first admin: {result.admin_email}", handover.text()]
    else:
        lines.append("already initialised: no new admin created")
    if result.demo_cases:
        lines.append(f"demo data: {result.demo_cases} invented cases, marked DEMO")
    return "\n".join(lines)


@app.command()
@domain_errors
def serve(
    host: Annotated[str | None, typer.Option(help="Listen address (default from settings).")]
    = None,
    port: Annotated[int | None, typer.Option(help="Port (default from settings).")] = None,
    workers: Annotated[int, typer.Option(
        min=1, help="Server processes (one per core; PostgreSQL gains most, SQLite queues "
                    "writers across processes on its write lock).")] = 1,
) -> None:
    """Serve the web interface and the API (no access log: nothing identifies visitors)."""
    import uvicorn

    from qalxan.web.logs import LOG_CONFIG

    settings = instance_settings()
    if workers > 1:  # the processes share intake's caps (services/intake_capacity.py)
        os.environ["QALXAN_SERVER_PROCESSES"] = str(workers)
    # with more than one worker each process builds its own app (and database pool) from the
    # settings; "auto" picks uvloop and httptools (pinned dependencies) when importable
    target: Any = "qalxan.cli.main:serve_app" if workers > 1 else serve_app()
    uvicorn.run(target, factory=workers > 1, workers=workers, loop="auto", http="auto",
                host=host or settings.host, port=port or settings.port,
                access_log=False, server_header=False, proxy_headers=False,
                log_config=LOG_CONFIG)


def serve_app() -> Any:
    """The web app of the instance the environment's settings name (one per server process)."""
    from qalxan.services import instance
    from qalxan.web.app import create_app

    return create_app(instance.open_platform(instance_settings()))


@user_app.command("add")
@domain_errors
def user_add(
    email: str,
    role: Annotated[Role, typer.Option(help="Role of the new user.")] = Role.CASE_HANDLER,
    name: Annotated[str | None, typer.Option(help="Display name.")] = None,
    org: Annotated[str | None, typer.Option(help="Organisation id (default: the intake one).")]
    = None,
    as_json: JsonOpt = False,
) -> None:
    """Add a staff account; prints its one-time password once."""
    from qalxan.services import accounts, instance
    from qalxan.services.schemas import UserInput

    org_id = org or run_system(instance.intake_org_id)
    user, password = run_system(accounts.create_user, UserInput(
        email=email, display_name=name or email, role=role, org_id=org_id))
    handover = hand_over(instance_settings().data_dir, user.email, password)
    emit({"user": user, "one_time_password": handover.password,
          "one_time_password_file": handover.file}, as_json,
         f"created {user.email} ({user.role})\n{handover.text()}")


@user_app.command("reset-password")
@domain_errors
def user_reset_password(email: str, as_json: JsonOpt = False) -> None:
    """A new one-time password for a staff account (say one whose first one expired); its
    sessions end. Prints the password once."""
    from qalxan.errors import NotFound
    from qalxan.services import accounts

    wanted = email.strip().lower()
    found = [u for u in run_system(accounts.list_users) if u.email == wanted]
    if not found:
        raise NotFound("no such user")
    user, password = run_system(accounts.reset_password, found[0].id)
    handover = hand_over(instance_settings().data_dir, user.email, password)
    emit({"user": user, "one_time_password": handover.password,
          "one_time_password_file": handover.file}, as_json,
         f"new one-time password for {user.email}\n{handover.text()}")


@user_app.command("list")
@domain_errors
def user_list(as_json: JsonOpt = False) -> None:
    """List staff accounts."""
    from qalxan.services import accounts, organisations

    users = run_system(accounts.list_users)
    names = {o.id: o.name for o in run_system(organisations.list_organisations)}
    shown = [{**dataclasses.asdict(u), "organisation": names.get(u.org_id)} for u in users]
    emit(shown, as_json, "\n".join(f"{u.id}  {u.email}  {u.role}  {names.get(u.org_id, '?')}"
                                    f"{'' if u.is_active else '  (disabled)'}" for u in users))


@token_app.command("create")
@domain_errors
def token_create(
    user: Annotated[str, typer.Option(help="E-mail address of the token's owner.")],
    name: Annotated[str, typer.Option(help="What the token is for.")],
    scope: Annotated[list[str], typer.Option(help="A permission to grant (repeat).")],
    expires_days: Annotated[int | None, typer.Option(help="Expire after this many days.")]
    = None,
    as_json: JsonOpt = False,
) -> None:
    """Create an API token; prints its secret once."""
    from qalxan.services import instance, tokens
    from qalxan.services.schemas import TokenInput

    user_id = run_system(instance.user_id_by_email, user)
    view, secret = run_system(tokens.create_token, TokenInput(name=name, scopes=scope,
                                                         expires_in_days=expires_days), user_id)
    emit({"token": view, "secret": secret}, as_json, f"token {view.id}\nsecret: {secret}")


@token_app.command("list")
@domain_errors
def token_list(user: Annotated[str, typer.Option(help="Owner's e-mail address.")],
               as_json: JsonOpt = False) -> None:
    """List a user's API tokens."""
    from qalxan.services import instance, tokens

    views = run_system(tokens.list_tokens, run_system(instance.user_id_by_email, user))
    emit(views, as_json, "\n".join(
        f"{t.id}  {t.name}  {','.join(t.scopes)}  {'revoked' if t.revoked_at else 'active'}"
        for t in views))


@token_app.command("revoke")
@domain_errors
def token_revoke(token_id: str, as_json: JsonOpt = False) -> None:
    """Revoke an API token at once."""
    from qalxan.services import tokens

    view = run_system(tokens.revoke_token, token_id)
    emit(view, as_json, f"revoked {view.id}")


def _chain_head(text: str) -> ChainHead:
    from qalxan.security.audit import ChainHead

    try:
        return ChainHead.parse(text)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--expect-head") from None


@audit_app.command("verify")
@domain_errors
def audit_verify(
    expect_head: Annotated[str | None, typer.Option(
        metavar="SEQ:MAC",
        help="A head recorded earlier (`qalxan audit head`, a backup's header): the chain "
             "must still hold that event unchanged.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Check the whole audit chain; exits 8 if any event was edited, inserted or removed."""
    from qalxan.services import audit_log

    result = run_system(audit_log.verify_chain,
                        _chain_head(expect_head) if expect_head else None)
    text = (f"audit trail intact: {result.events} events" if result.ok
            else f"AUDIT TRAIL BROKEN at event {result.first_bad_seq}: {result.problem}")
    emit(result, as_json, text)
    if not result.ok:
        raise typer.Exit(8)


@audit_app.command("head")
@domain_errors
def audit_head(
    backup_file: Annotated[Path | None, typer.Option(
        "--backup", help="Read the head written into this backup's header instead.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Print the audit chain's head (SEQ:MAC), to keep a copy of elsewhere.

    A later `qalxan audit verify --expect-head SEQ:MAC` proves that no event up to it was
    removed or rewritten.
    """
    from qalxan.services import audit_log, backups

    head = (backups.backup_audit_head(instance_settings(), backup_file) if backup_file
            else run_system(audit_log.chain_head))
    emit(head, as_json, str(head))


@key_app.command("rotate")
@domain_errors
def key_rotate(
    forget_backups: Annotated[bool, typer.Option(
        help="Also destroy every backup key: no backup written before can be read.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Re-wrap every data key by a new instance key (stop the server first).

    The old key then unwraps no data key; a server still running with it can no longer
    write and must be restarted.
    """
    from qalxan.services import key_rotation

    report = key_rotation.rotate_instance_key(instance_settings(), forget_backups)
    extra = "; every earlier backup is now unreadable" if forget_backups else ""
    emit(report, as_json, f"instance key rotated: {report.data_keys} data keys re-wrapped "
         f"(key {report.old_fingerprint} -> {report.new_fingerprint}){extra}")


@app.command()
@domain_errors
def purge(
    dry_run: Annotated[bool, typer.Option(help="Only list what would be deleted.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Crypto-shred closed cases and delete records past their retention periods."""
    from qalxan.services import retention

    report = run_system(retention.purge, dry_run)
    verb = "would delete" if dry_run else "deleted"
    emit(report, as_json, f"{verb}: {len(report.cases)} closed cases, "
         f"{report.login_attempts} sign-in records, {report.sessions} sessions, "
         f"{report.idempotency_keys} idempotency keys, {report.monitored_posts} monitored "
         f"posts, {report.alerts} alerts, {report.backup_epochs} backup epochs' keys")


@app.command()
@domain_errors
def backup(path: Path, as_json: JsonOpt = False) -> None:
    """Write an encrypted backup (it holds no key; unreadable once its epoch's key expires).

    Reading it needs the instance key and backup.key, until the retention purge destroys
    the key of its epoch (QALXAN_BACKUP_RETENTION_DAYS).
    """
    from qalxan.services import backups

    platform = open_platform()
    try:
        counts = backups.create_backup(platform, path)
    finally:
        platform.dispose()
    emit(counts, as_json, f"backup written to {path} ({sum(counts.values())} rows)")


@app.command()
@domain_errors
def restore(path: Path, as_json: JsonOpt = False) -> None:
    """Restore a backup into an empty instance; cases deleted since are deleted again.

    The instance needs the key files (instance.key, backup.key, shred-ledger); the cases and
    watch-list entries the shred ledger names are deleted again in the restore's own
    transaction.
    """
    from qalxan.services import backups

    report = backups.restore_backup(instance_settings(), path)
    emit(report, as_json, f"restored {sum(report.rows.values())} rows from {path}; deleted "
         f"again since: {len(report.deleted_again)} cases, "
         f"{len(report.watch_entries_deleted_again)} watch-list entries")


if __name__ == "__main__":  # pragma: no cover
    app()
