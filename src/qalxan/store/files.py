"""The encrypted file store: evidence blobs under DATA_DIR/files, sealed before they touch disk.

Writes are crash-safe: sealed bytes go to a temporary file in the same directory, are
fsynced, then renamed into place; a crash leaves either the whole file or none of it.
Storage names are random and say nothing about the content.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterable, Iterator
from pathlib import Path

from qalxan.errors import NotFound
from qalxan.security import crypto


class FileStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.root.mkdir(parents=True, exist_ok=True, mode=0o700)

    def _path(self, name: str) -> Path:
        if not name or not all(c in "0123456789abcdef" for c in name):
            raise NotFound("no such stored file")
        return self.root / name[:2] / name

    def put(self, key: crypto.DataKey, chunks: Iterable[bytes], context: str) -> tuple[str, int]:
        """Seal and store; returns the random storage name and the plaintext size."""
        name = secrets.token_hex(20)
        target = self._path(name)
        target.parent.mkdir(exist_ok=True, mode=0o700)
        tmp = target.with_suffix(".part")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as out:
                size = crypto.seal_stream(key, chunks, out, context)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, target)
            _fsync_dir(target.parent)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
            raise
        return name, size

    def open(self, key: crypto.DataKey, name: str, context: str) -> Iterator[bytes]:
        path = self._path(name)
        if not path.exists():
            raise NotFound("stored file is missing")
        with path.open("rb") as fh:
            yield from crypto.open_stream(key, fh, context)

    def raw(self, name: str) -> bytes:
        """The sealed bytes of a stored file, as they are on disk (for backups)."""
        path = self._path(name)
        if not path.exists():
            raise NotFound("stored file is missing")
        return path.read_bytes()

    def put_raw(self, name: str, sealed: bytes) -> None:
        """Store already-sealed bytes under their name (restoring a backup), crash-safely."""
        target = self._path(name)
        target.parent.mkdir(exist_ok=True, mode=0o700)
        tmp = target.with_suffix(".part")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(sealed)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)
        _fsync_dir(target.parent)

    def delete(self, name: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self._path(name).unlink()

    def names(self) -> list[str]:
        return sorted(p.name for p in self.root.glob("*/*") if p.suffix != ".part")


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
