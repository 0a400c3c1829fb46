"""Settings: one place, ``QALXAN_*`` environment variables, documented defaults.

Every setting is documented by its ``description``; ``docs/settings.md`` lists them and a
test fails when one is missing there.
"""

from __future__ import annotations

import ipaddress
import os
from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="QALXAN_", extra="ignore")

    data_dir: Path = Field(
        Path("qalxan-data"),
        description="Directory holding the SQLite database, the encrypted file store and the key.",
    )
    database_url: str | None = Field(
        None,
        description="SQLAlchemy URL of the database; default: SQLite file in the data directory. "
        "PostgreSQL: postgresql+psycopg://user@host/db",
    )
    key_file: Path | None = Field(
        None,
        description="Instance key file (32 random bytes, mode 0600); default: "
        "DATA_DIR/instance.key. Never stored in the database or in backups. The backup key "
        "chain (backup.key) and the shred ledger (shred-ledger) are kept beside it.",
    )
    instance_key: SecretStr | None = Field(
        None,
        description="Instance key as 64 hex characters instead of a key file (a secret; "
        "never printed or logged).",
    )
    host: str = Field("127.0.0.1", description="Address the web server listens on.")
    port: int = Field(8000, description="Port the web server listens on.")
    max_upload_bytes: int = Field(
        20 * 1024 * 1024, description="Largest accepted evidence upload, in bytes."
    )
    intake_min_free_bytes: int = Field(
        1024 * 1024 * 1024, ge=0,
        description="Reports are refused (503, nothing stored) when taking one would leave "
        "less free space than this on the data directory's disk.",
    )
    intake_window_minutes: int = Field(
        60, ge=1, description="Length of the window in which intake's caps count.")
    intake_window_max_submissions: int = Field(
        1000, ge=1,
        description="Reports and follow-up messages the instance takes per window, in all.")
    intake_window_max_bytes: int = Field(
        4 * 1024 * 1024 * 1024, ge=1,
        description="Bytes of reports and follow-up messages (files included) the instance "
        "takes per window, in all.",
    )
    intake_max_concurrent: int = Field(
        8, ge=1,
        description="Submissions analysed and stored at once; more are refused (503) rather "
        "than queued.",
    )
    server_processes: int = Field(
        1, ge=1,
        description="Set by `qalxan serve --workers N`: each process takes this share of "
        "intake's caps, so the instance as a whole stays within them.",
    )
    session_idle_minutes: int = Field(30, description="Staff session ends after this idle time.")
    session_absolute_hours: int = Field(12, description="Staff session ends this long after login.")
    login_max_failures: int = Field(
        5, description="Failed sign-ins per account (4x per address) before throttling."
    )
    login_window_minutes: int = Field(15, description="Window in which failed sign-ins count.")
    second_factor_max_failures: int = Field(
        5, ge=1, le=20, description="Wrong second-factor codes (at sign-in or when confirming a "
        "sensitive action) in a row before the account is locked; each wrong code also makes "
        "the next try wait twice as long."
    )
    second_factor_lock_minutes: int = Field(
        60, ge=1, description="How long an account stays locked after too many wrong "
        "second-factor codes; every further wrong code locks it again."
    )
    one_time_password_hours: int = Field(
        72, ge=1, description="A one-time password (new account or reset) stops working this "
        "long after it was made."
    )
    trusted_proxies: str = Field(
        "", description="Addresses or networks of the reverse proxies in front of Qalxan, "
        "comma-separated (e.g. `127.0.0.1, 10.0.0.0/8`): from these alone the client address "
        "is read from X-Forwarded-For. Empty: the TCP peer is the client."
    )
    argon2_time_cost: int = Field(3, description="Argon2id iterations for staff passwords.")
    argon2_memory_kib: int = Field(65536, description="Argon2id memory (KiB) for passwords.")
    argon2_parallelism: int = Field(4, description="Argon2id lanes for staff passwords.")
    retention_closed_case_days: int = Field(
        730, ge=1, description="Closed cases are crypto-shredded this many days after closing."
    )
    retention_login_attempts_days: int = Field(
        30, ge=1, description="Records of sign-in attempts (keyed digests) are kept this long."
    )
    retention_sessions_days: int = Field(
        30, ge=1, description="Ended or expired staff sessions are kept this long."
    )
    retention_idempotency_days: int = Field(
        30, ge=1, description="Idempotency keys of API submissions are honoured this long."
    )
    retention_monitored_posts_days: int = Field(
        90, ge=1, description="Public posts kept about watched defenders (and dismissed alerts) "
        "are crypto-shredded this many days after capture."
    )
    backup_epoch_days: int = Field(
        7, ge=1, le=366, description="Backups written in one epoch of this many days share "
        "a backup key; the retention purge destroys the keys of epochs past the backup "
        "retention period."
    )
    backup_retention_days: int = Field(
        30, ge=1, description="Backups can be restored this long (at most one backup epoch "
        "more); then their keys are destroyed, and with them what deleted cases they held."
    )
    monitor_interval_seconds: int = Field(
        300, ge=5, description="Pause between passes of `qalxan monitor run` over the sources."
    )
    monitor_batch_size: int = Field(
        200, ge=1, le=5000, description="Most posts taken from one source in one step."
    )
    monitor_fetch_deadline_seconds: int = Field(
        120, ge=5, le=3600, description="Longest time one source's fetch may take, waits for "
        "rate limits and retries included; a slower source is recorded as failed and the "
        "monitor goes on with the next."
    )
    monitor_proxy: str | None = Field(
        None, description="Proxy for monitoring requests, e.g. `socks5h://127.0.0.1:9050` "
        "(Tor; the proxy resolves names) or `http://proxy.example:3128`; default: direct "
        "from this server's address."
    )
    monitor_allow_loopback: bool = Field(
        False, description="Let monitoring sources reach this host's loopback addresses "
        "(127.0.0.0/8, ::1, localhost); private, link-local and other non-public addresses "
        "stay refused. Only for tests and for a deliberately local source."
    )
    monitor_import_dir: Path | None = Field(
        None, description="The one directory file-based sources (jsonl, csv, telegram) "
        "added on the web or the API may read from; unset: only `qalxan monitor add-source` "
        "can add them."
    )
    alert_merge_hours: int = Field(
        24, ge=1, description="Signals about a watched defender within this time of an open "
        "alert's last post join that alert instead of raising a new one."
    )
    alert_spike_min_posts: int = Field(
        10, ge=1, description="Least posts in an hour about a defender for a volume spike."
    )
    purge_interval_minutes: int = Field(
        60, ge=0, description="How often `qalxan serve` runs the retention purge (0: never)."
    )
    plugins: str = Field(
        "", description="Plugin modules allowed to load, comma-separated (e.g. "
        "`acme_qalxan.detectors`); nothing else is ever imported as a plugin."
    )
    secure_cookies: bool = Field(
        True,
        description="Secure, __Host- prefixed cookies; turn off only to test over plain HTTP "
        "on another host than localhost.",
    )

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, value: str) -> str:
        for part in (p.strip() for p in value.split(",")):
            if part:
                try:
                    ipaddress.ip_network(part, strict=False)
                except ValueError:
                    raise ValueError(f"not an address or network: {part!r}") from None
        return value

    def trusted_proxy_networks(self) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network,
                                              ...]:
        return tuple(ipaddress.ip_network(p.strip(), strict=False)
                     for p in self.trusted_proxies.split(",") if p.strip())

    def plugin_modules(self) -> tuple[str, ...]:
        return tuple(m.strip() for m in self.plugins.split(",") if m.strip())

    def embedded_database_file(self) -> Path | None:
        """The SQLite file of the embedded default; None when a database URL is set."""
        return None if self.database_url else self.data_dir / "qalxan.db"

    def resolved_database_url(self) -> str:
        embedded = self.embedded_database_file()
        return f"sqlite:///{embedded.resolve()}" if embedded else str(self.database_url)

    def resolved_key_file(self) -> Path:
        return self.key_file or self.data_dir / "instance.key"


SETTINGS_FILE = "qalxan.env"
# where one-time passwords go when no terminal shows them (cli/handover.py, qalxan doctor)
ONE_TIME_PASSWORDS_FOLDER = "one-time-passwords"


def settings_file_candidates() -> list[Path]:
    """Where a settings file is looked for, first found wins: ``QALXAN_SETTINGS_FILE``, then
    ``./qalxan.env``, ``$XDG_CONFIG_HOME/qalxan/qalxan.env`` (``~/.config`` by default) and
    ``/etc/qalxan/qalxan.env``. Environment variables override what the file says."""
    explicit = os.environ.get("QALXAN_SETTINGS_FILE")
    if explicit:
        return [Path(explicit)]
    config_home = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return [Path(SETTINGS_FILE), config_home / "qalxan" / SETTINGS_FILE,
            Path("/etc/qalxan") / SETTINGS_FILE]


def settings_file() -> Path | None:
    return next((p for p in settings_file_candidates() if p.is_file()), None)


def load_settings(file: Path | None) -> Settings:
    """Settings from the environment over ``file``; a relative data directory or key file in
    the file is taken relative to the file's own folder, so any working directory finds it."""
    if file is None:
        return Settings()
    settings = Settings(_env_file=file)
    folder = file.resolve().parent
    if "QALXAN_DATA_DIR" not in os.environ and not settings.data_dir.is_absolute():
        settings.data_dir = folder / settings.data_dir
    if ("QALXAN_KEY_FILE" not in os.environ and settings.key_file is not None
            and not settings.key_file.is_absolute()):
        settings.key_file = folder / settings.key_file
    return settings


def where_looked() -> str:
    """What was looked at to find the instance, for an error that says so."""
    data_dir = os.environ.get("QALXAN_DATA_DIR")
    files = ", ".join(str(p) for p in settings_file_candidates())
    found = settings_file()
    return (f"QALXAN_DATA_DIR is {'set to ' + data_dir if data_dir else 'not set'}; "
            f"settings file: {found if found else 'none found at ' + files}")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings(settings_file())
