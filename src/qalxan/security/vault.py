"""Purpose-named sealing of records, on top of :mod:`qalxan.security.crypto`.

Each sealed record has its own data key in ``data_keys``; keys that belong to a case carry
its id, so :func:`shred_case` destroys every key of a case at once. Feature code calls these
functions and never touches keys or primitives itself.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from qalxan.errors import IntegrityFailure
from qalxan.security import crypto
from qalxan.store.files import FileStore
from qalxan.store.tables import DataKeyRow, new_id


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
    def seal_json(self, key_id: str, purpose: str, record_id: str, value: Any) -> bytes:
        data = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
        return crypto.seal(self._key(key_id), data, f"{purpose}:{record_id}")

    def open_json(self, key_id: str, purpose: str, record_id: str, sealed: bytes) -> Any:
        return json.loads(crypto.open_sealed(self._key(key_id), sealed, f"{purpose}:{record_id}"))

    # defenders: who they are and how to reach them, sealed with one key --------------------
    def seal_defender(self, key_id: str, defender_id: str, identity: Any,
                      contact: Any) -> tuple[bytes, bytes]:
        """The sealed identity and contact details of a defender."""
        return (self.seal_json(key_id, "defender-identity", defender_id, identity),
                self.seal_json(key_id, "defender-contact", defender_id, contact))

    def open_defender_identity(self, key_id: str, defender_id: str, sealed: bytes) -> Any:
        return self.open_json(key_id, "defender-identity", defender_id, sealed)

    def open_defender_contact(self, key_id: str, defender_id: str, sealed: bytes) -> Any:
        return self.open_json(key_id, "defender-contact", defender_id, sealed)

    # text records (notes, evidence text and URLs) -----------------------------------------
    def seal_text(self, key_id: str, purpose: str, record_id: str, text: str) -> bytes:
        return crypto.seal_text(self._key(key_id), text, f"{purpose}:{record_id}")

    def open_text(self, key_id: str, purpose: str, record_id: str, sealed: bytes) -> str:
        return crypto.open_text(self._key(key_id), sealed, f"{purpose}:{record_id}")

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
