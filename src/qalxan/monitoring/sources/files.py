"""Which files file-based sources (``jsonl``, ``csv``, ``telegram``) may read.

Staff name a source's file on the web or the API, so they must not be able to name any
file the server can read (``/etc/shadow``, another instance's data). The rule:

* a source added on the web or the API names a file **inside the import directory**
  (``QALXAN_MONITOR_IMPORT_DIR``), relative to it (an absolute path inside it is made
  relative); ``..`` is refused, and so is any file kind when no import directory is set.
  Whether the file exists is not checked then (nor told: the answer would be an oracle);
* a source added with the CLI (``qalxan monitor add-source``, run by whoever operates the
  server) may name any file; its path is stored absolute;
* each read opens a relative path (or an absolute one inside the import directory) one
  component at a time from the import directory's real path, following no symbolic link,
  so neither a link nor a renamed directory can lead outside it; every file read must be
  a regular file (never a device or a FIFO that would hold the monitor).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path, PurePath
from typing import BinaryIO

from qalxan.errors import SourceUnavailable

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)


def confined(value: str, import_dir: Path | None) -> str:
    """The path a source added by staff stores: relative to the import directory; a
    ``ValueError`` for one outside it, with ``..``, or when there is no import directory."""
    if import_dir is None:
        raise ValueError("names a file, and file sources can be added only with `qalxan "
                         "monitor add-source` on this server (no import directory is set)")
    path = PurePath(value)
    if path.is_absolute():
        for root in (import_dir.absolute(), import_dir.resolve()):
            if path.is_relative_to(root):
                path = path.relative_to(root)
                break
        else:
            raise ValueError("must name a file in the import directory")
    if not path.parts or any(part in ("..", ".") for part in path.parts):
        raise ValueError("must name a file in the import directory, without '..'")
    return path.as_posix()


def operator_path(value: str) -> str:
    """The path a source added with the CLI stores: absolute."""
    return str(Path(value).absolute())


def open_file(value: str, import_dir: Path | None) -> BinaryIO:
    """The file a source's param names, open for reading, under the rule above;
    ``SourceUnavailable`` (naming the file's last component only) when it cannot be."""
    path = PurePath(value)
    name = path.name or value
    inside = path
    if path.is_absolute():
        roots = () if import_dir is None else (import_dir.absolute(), import_dir.resolve())
        inside = next((path.relative_to(r) for r in roots if path.is_relative_to(r)), path)
    try:
        if not inside.is_absolute():
            if import_dir is None:
                raise SourceUnavailable(f"{name}: no import directory is set")
            fd = _open_within(import_dir.resolve(), inside, name)
        else:
            fd = os.open(path, os.O_RDONLY | _NONBLOCK)
        return _regular(fd, name)
    except OSError as exc:
        raise SourceUnavailable(f"cannot read {name} ({exc.strerror or type(exc).__name__})"
                                ) from None


def _open_within(root: Path, relative: PurePath, name: str) -> int:
    parts = relative.parts
    if not parts or any(part in ("..", ".") for part in parts):
        raise SourceUnavailable(f"{name}: not a file in the import directory")
    directory = os.open(root, os.O_RDONLY | _DIRECTORY)
    try:
        for part in parts[:-1]:
            inner = os.open(part, os.O_RDONLY | _DIRECTORY | _NOFOLLOW, dir_fd=directory)
            os.close(directory)
            directory = inner
        return os.open(parts[-1], os.O_RDONLY | _NOFOLLOW | _NONBLOCK, dir_fd=directory)
    finally:
        os.close(directory)


def _regular(fd: int, name: str) -> BinaryIO:
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise SourceUnavailable(f"{name} is not a regular file")
    os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")
