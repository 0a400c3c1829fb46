"""Purpose-named sealing of records, on top of :mod:`qalxan.security.crypto`.

Each sealed record has its own data key in ``data_keys``; keys that belong to a case carry
its id, so :func:`shred_case` destroys every key of a case at once. Feature code calls these
functions and never touches keys or primitives itself.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from qalxan.errors import IntegrityFailure
from qalxan.security import crypto
from qalxan.store.files import FileStore
from qalxan.store.tables import DataKeyRow, new_id

Bound = Mapping[str, str | None]

# The fields of a row that a sealed value is bound to (besides its purpose and record id):
# changing one of them, or moving the value to another row, makes it fail to open. These are
# the fields whose change would change what the value means or who reads it: a note's kind
# (internal or a reply the defender reads), the case a record belongs to, the organisation
# whose staff see it, the kind a source's params are read as. Nothing here changes after the
# row is made.
BOUND_FIELDS: dict[str, tuple[str, ...]] = {
    "defender-identity": ("org_id",),
    "defender-contact": ("org_id",),
    "report": ("case_id", "source"),
    "evidence": ("case_id", "incident_id", "kind"),
    "evidence-sha256": ("case_id", "incident_id", "kind"),
    "finding": ("case_id", "code", "evidence_id", "incident_id"),
    "note": ("author_id", "case_id", "kind"),
    "review": ("case_id",),
    "watch-entry": ("org_id",),
    "source-params": ("kind", "org_id"),
    "source-checkpoint": ("kind", "org_id"),
    "source-error": ("kind", "org_id"),
    "monitored-post": ("entry_id", "org_id"),
    "alert-detail": ("entry_id", "org_id"),
    "totp": (),
    "idempotent-receipt": (),
}


def bound_fields(purpose: str, row: Any) -> dict[str, str | None]:
    """The bound fields of ``purpose`` read from a row (an ORM object or a dict)."""
    names = BOUND_FIELDS[purpose]
    if isinstance(row, Mapping):
        return {name: row[name] for name in names}
    return {name: getattr(row, name) for name in names}


def _checked(purpose: str, bound: Bound | None) -> Bound:
    """``bound``, if it names exactly the fields ``BOUND_FIELDS`` lists for ``purpose``
    (none for a purpose it does not list)."""
    given = dict(bound or {})
    if set(given) != set(BOUND_FIELDS.get(purpose, ())):
        raise ValueError(f"a sealed {purpose} is bound to {BOUND_FIELDS.get(purpose, ())}, "
                         f"not {sorted(given)}")
    return given


class Vault:
    """Seals and opens records within one unit of work, caching unwrapped keys for it."""

    def __init__(self, session: Session, keyring: crypto.Keyring, files: FileStore,
                 now: datetime, on_shred: Callable[[], None] | None = None) -> None:
        self._session = session
        self._on_shred = on_shred  # told of every shred (the log is emptied after commit)
        self._keyring = keyring
        self._files = files
        self._now = now
        self._cache: dict[str, crypto.DataKey] = {}
        self._batch: list[dict[str, Any]] | None = None
        self.made_keys = False  # whether this unit of work made a data key

    def new_key(self, case_id: str | None) -> str:
        key_id = new_id()
        self.made_keys = True
        key, wrapped = self._keyring.new_data_key(key_id)
        row = {"id": key_id, "case_id": case_id, "wrapped": wrapped, "created_at": self._now}
        if self._batch is not None:
            self._batch.append(row)
        else:
            self._session.add(DataKeyRow(**row))
        self._cache[key_id] = key
        return key_id

    @contextmanager
    def collected_keys(self) -> Iterator[list[dict[str, Any]]]:
        """Collect the rows of the keys made inside the block, instead of adding them to the
        unit of work, into the list it yields; the caller writes them with its other rows.

        Foreign keys are checked at commit, so the rows sealed with these keys may be written
        before them. Nothing is written when the caller writes nothing (a failed call).
        """
        if self._batch is not None:
            raise RuntimeError("keys are already being collected")
        rows: list[dict[str, Any]] = []
        self._batch = rows
        try:
            yield rows
        finally:
            self._batch = None

    def _key(self, key_id: str) -> crypto.DataKey:
        if key_id not in self._cache:
            row = self._session.get(DataKeyRow, key_id)
            if row is None:
                raise IntegrityFailure("the data key of this record was destroyed")
            self._cache[key_id] = self._keyring.unwrap(key_id, row.wrapped)
        return self._cache[key_id]

    # JSON records (reports, identities, contacts, findings' details, receipts) ------------
    # Records are padded to a size bucket and bound to their purpose, their id and the
    # fields ``BOUND_FIELDS`` names (``bound``: those fields' values in the row).
    def seal_json(self, key_id: str, purpose: str, record_id: str, value: Any,
                  bound: Bound | None = None) -> bytes:
        data = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
        return crypto.seal_record(self._key(key_id), data, purpose, record_id,
                                  _checked(purpose, bound))

    def open_json(self, key_id: str, purpose: str, record_id: str, sealed: bytes,
                  bound: Bound | None = None) -> Any:
        return json.loads(crypto.open_record(self._key(key_id), sealed, purpose, record_id,
                                             _checked(purpose, bound)))

    # defenders: who they are and how to reach them, sealed with one key --------------------
    def seal_defender(self, key_id: str, defender_id: str, org_id: str, identity: Any,
                      contact: Any) -> tuple[bytes, bytes]:
        """The sealed identity and contact details of a defender of organisation ``org_id``."""
        bound = {"org_id": org_id}
        return (self.seal_json(key_id, "defender-identity", defender_id, identity, bound),
                self.seal_json(key_id, "defender-contact", defender_id, contact, bound))

    def open_defender_identity(self, defender: Any) -> Any:
        return self.open_json(defender.key_id, "defender-identity", defender.id,
                              defender.identity_sealed, {"org_id": defender.org_id})

    def open_defender_contact(self, defender: Any) -> Any:
        return self.open_json(defender.key_id, "defender-contact", defender.id,
                              defender.contact_sealed, {"org_id": defender.org_id})

    # text records (notes, evidence text and URLs) -----------------------------------------
    def seal_text(self, key_id: str, purpose: str, record_id: str, text: str,
                  bound: Bound | None = None) -> bytes:
        return crypto.seal_record(self._key(key_id), text.encode("utf-8"), purpose, record_id,
                                  _checked(purpose, bound))

    def open_text(self, key_id: str, purpose: str, record_id: str, sealed: bytes,
                  bound: Bound | None = None) -> str:
        return crypto.open_record(self._key(key_id), sealed, purpose, record_id,
                                  _checked(purpose, bound)).decode("utf-8")

    def open_row_text(self, purpose: str, row: Any, column: str) -> str:
        """A sealed text column of a row with ``id`` and ``key_id``, opened against the row's
        own bound fields."""
        return self.open_text(row.key_id, purpose, row.id, getattr(row, column),
                              bound_fields(purpose, row))

    def open_row_json(self, purpose: str, row: Any, column: str) -> Any:
        return self.open_json(row.key_id, purpose, row.id, getattr(row, column),
                              bound_fields(purpose, row))

    # evidence files -----------------------------------------------------------------------
    def seal_file(self, key_id: str, evidence_id: str, chunks: Iterable[bytes]) -> tuple[str, int]:
        return self._files.put(self._key(key_id), chunks, f"evidence-file:{evidence_id}")

    def open_file(self, key_id: str, evidence_id: str, blob_name: str) -> Iterator[bytes]:
        return self._files.open(self._key(key_id), blob_name, f"evidence-file:{evidence_id}")

    # crypto-shredding ---------------------------------------------------------------------
    def shred_keys(self, key_ids: Iterable[str]) -> int:
        ids = list(key_ids)
        for key_id in ids:
            self._cache.pop(key_id, None)
        if not ids:
            return 0
        if self._on_shred is not None:
            self._on_shred()
        result = self._session.execute(delete(DataKeyRow).where(DataKeyRow.id.in_(ids)))
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    def shred_case(self, case_id: str) -> int:
        """Destroy every data key of a case: its sealed records become unreadable for good."""
        ids = self._session.execute(
            select(DataKeyRow.id).where(DataKeyRow.case_id == case_id)).scalars().all()
        return self.shred_keys(ids)

    def delete_blob(self, blob_name: str) -> None:
        self._files.delete(blob_name)
