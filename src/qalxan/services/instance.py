"""Setting up and opening an instance: data directory, instance key, schema, first admin."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from qalxan.config import Settings, where_looked
from qalxan.domain.enums import OrgKind, Role
from qalxan.errors import IntegrityFailure, KeyUnavailable, NotFound
from qalxan.security import crypto, keyfiles
from qalxan.security.access import SYSTEM, Permission
from qalxan.services import accounts
from qalxan.services.context import Context, Platform, service
from qalxan.services.demo import load_demo_data
from qalxan.services.schemas import UserInput
from qalxan.store import schema
from qalxan.store.db import make_engine
from qalxan.store.tables import AuditHead, DataKeyRow, Organisation, User


@dataclass(slots=True)
class InitResult:
    created_key: bool
    admin_email: str | None
    admin_password: str | None  # shown once; None when an admin existed already
    demo_cases: int = 0


def ensure_key(settings: Settings) -> bool:
    """Create the instance key file unless a key is configured; True if one was created."""
    if settings.instance_key:
        return False
    path = settings.resolved_key_file()
    if path.exists():
        return False
    crypto.generate_instance_key(path)
    return True


def open_platform(settings: Settings) -> Platform:
    """Open an initialised instance (the key must exist; the schema must be at head)."""
    _must_exist(settings)
    return Platform(settings, open_keyring(settings))


def open_keyring(settings: Settings) -> crypto.Keyring:
    """The instance's keyring, after finishing a key rotation that a crash interrupted."""
    secret = settings.instance_key.get_secret_value() if settings.instance_key else None
    keyring = crypto.load_instance_key(settings.resolved_key_file(), secret)
    pending = keyfiles.pending_key_path(settings)
    if settings.instance_key or not pending.exists():
        return keyring
    return _finish_rotation(settings, keyring, pending)


def _finish_rotation(settings: Settings, keyring: crypto.Keyring,
                     pending: Path) -> crypto.Keyring:
    """A rotation stages the new key file (``instance.key.next``) before it re-wraps the
    data keys in one transaction, and renames it over the key file after that commit. The
    data keys tell which key wraps them: the staged one (the commit happened: it goes into
    place) or the current one (it did not: the staged key goes)."""
    crypto.check_secret_file_mode(pending)
    staged = crypto.parse_instance_key_file(pending.read_text())
    engine = make_engine(settings.resolved_database_url())
    try:
        with engine.connect() as conn:
            row = conn.execute(select(DataKeyRow.id, DataKeyRow.wrapped).limit(1)).first()
            recorded = conn.execute(select(AuditHead.wrap_key)).scalar()
    finally:
        engine.dispose()
    if recorded == staged.wrap_fingerprint:  # noted by the re-wrap's transaction
        row = None
    elif row is not None and _unwraps(keyring, row.id, row.wrapped):
        pending.unlink()
        return keyring
    if row is not None and not _unwraps(staged, row.id, row.wrapped):
        raise IntegrityFailure("the data keys are wrapped by neither the instance key nor the "
                               f"key staged by a rotation ({pending})")
    keyfiles.move_into_place(pending, settings.resolved_key_file())
    return staged


def _unwraps(keyring: crypto.Keyring, key_id: str, wrapped: bytes) -> bool:
    try:
        keyring.unwrap(key_id, wrapped)
    except IntegrityFailure:
        return False
    return True


def _must_exist(settings: Settings) -> None:
    """Refuse, saying where it looked, when the settings name no initialised instance."""
    key = settings.resolved_key_file()
    database = settings.embedded_database_file()
    missing = [str(p.resolve()) for p in (key, database)
               if p is not None and not (p == key and settings.instance_key) and not p.exists()]
    if missing:
        raise KeyUnavailable(f"no Qalxan instance found: missing {', '.join(missing)} "
                             f"({where_looked()}); run `qalxan init`, or point "
                             "QALXAN_DATA_DIR or QALXAN_SETTINGS_FILE at the instance")


def prepare(settings: Settings) -> bool:
    """Data directory (mode 0700), instance key and schema at head; True if a key was made."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(settings.data_dir, 0o700)
    created = ensure_key(settings)
    secret = settings.instance_key.get_secret_value() if settings.instance_key else None
    keyring = crypto.load_instance_key(settings.resolved_key_file(), secret)  # for 0011
    engine = make_engine(settings.resolved_database_url())
    try:
        schema.upgrade(engine, keyring=keyring)
    finally:
        engine.dispose()
    return created


def initialise(settings: Settings, admin_email: str, org_name: str) -> InitResult:
    """Idempotent set-up: key, schema upgrade, intake organisation and first admin."""
    created = prepare(settings)
    platform = open_platform(settings)
    try:
        email, password = _first_admin(platform, admin_email, org_name)
    finally:
        platform.dispose()
    return InitResult(created, email, password)


def add_demo_data(settings: Settings) -> int:
    """Add the invented DEMO cases (``qalxan init --demo`` does it on a new instance)."""
    platform = open_platform(settings)
    try:
        return load_demo_data(platform)
    finally:
        platform.dispose()


def _first_admin(platform: Platform, email: str, org_name: str) -> tuple[str | None, str | None]:
    with platform.sessions() as session:
        if session.execute(select(User.id).limit(1)).first():
            return None, None
    org_id = platform.run(SYSTEM, accounts.create_organisation, org_name, OrgKind.HELPDESK,
                          accepts_intake=True)
    user, password = platform.run(SYSTEM, accounts.create_user, UserInput(
        email=email, display_name="Administrator", role=Role.ADMIN, org_id=org_id))
    return user.email, password


@service(Permission.SYSTEM)
def intake_org_id(ctx: Context) -> str:
    org = ctx.session.execute(select(Organisation.id).where(Organisation.accepts_intake.is_(True))
                              .order_by(Organisation.created_at).limit(1)).scalar_one_or_none()
    if org is None:
        raise NotFound("no intake organisation; run `qalxan init` first")
    return org


@service(Permission.SYSTEM)
def user_id_by_email(ctx: Context, email: str) -> str:
    user_id = ctx.session.execute(select(User.id).where(User.email == email.strip().lower())
                                  ).scalar_one_or_none()
    if user_id is None:
        raise NotFound(f"no user with e-mail address {email}")
    return user_id
