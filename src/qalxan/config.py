"""Settings: one place, ``QALXAN_*`` environment variables, documented defaults.

Every setting is documented by its ``description``; ``docs/settings.md`` lists them and a
test fails when one is missing there.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
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
    instance_key: str | None = Field(
        None,
        description="Instance key as 64 hex characters instead of a key file (a secret).",
    )
    host: str = Field("127.0.0.1", description="Address the web server listens on.")
    port: int = Field(8000, description="Port the web server listens on.")
    max_upload_bytes: int = Field(
        20 * 1024 * 1024, description="Largest accepted evidence upload, in bytes."
    )
    session_idle_minutes: int = Field(30, description="Staff session ends after this idle time.")
    session_absolute_hours: int = Field(12, description="Staff session ends this long after login.")
    login_max_failures: int = Field(
        5, description="Failed sign-ins per account (4x per address) before throttling."
    )
    login_window_minutes: int = Field(15, description="Window in which failed sign-ins count.")
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

    def plugin_modules(self) -> tuple[str, ...]:
        return tuple(m.strip() for m in self.plugins.split(",") if m.strip())

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'qalxan.db').resolve()}"

    def resolved_key_file(self) -> Path:
        return self.key_file or self.data_dir / "instance.key"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
